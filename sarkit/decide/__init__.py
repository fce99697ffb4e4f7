"""decide: mentions + the people register + a rule set → proposals."""

from ..resources import rules_dir
from .engine import childhood_home, decide, decide_one, harmonise, proposal_id
from .rules import Code, RuleSet, RuleSetError, load_rules

__all__ = [
    "childhood_home",
    "Code",
    "RuleSet",
    "RuleSetError",
    "decide",
    "decide_one",
    "harmonise",
    "load_rules",
    "proposal_id",
    "rules_dir",
]
