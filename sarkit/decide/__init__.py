"""decide: mentions + the people register + a rule set → proposals; decisions → effective actions."""

from ..resources import rules_dir
from .casewide import case_wide_passes
from .effective import Effective, as_made, by_document, effective_actions, undecided
from .engine import childhood_home, decide, decide_one, harmonise, proposal_id
from .people import apply_person_rules, needs_decision, person_key, proposed_verdict, resolve
from .rules import Code, RuleSet, RuleSetError, load_rules

__all__ = [
    "apply_person_rules",
    "as_made",
    "by_document",
    "case_wide_passes",
    "childhood_home",
    "Code",
    "Effective",
    "RuleSet",
    "RuleSetError",
    "decide",
    "decide_one",
    "effective_actions",
    "harmonise",
    "load_rules",
    "needs_decision",
    "person_key",
    "proposal_id",
    "proposed_verdict",
    "resolve",
    "rules_dir",
    "undecided",
]
