"""Person-level decisions: a reviewer's "every name of this person is kept" and what it decides.

A *person key* names whom a proposal is about: the register id, "?" + the grouping key of an
unregistered name, or "-" when the mention is attributed to no one. A person-level decision (a
person, a kind or every kind, an action) is kept in the ledger as a rule, so that the proposals of a
later `propose` for the same person are decided too (`apply_person_rules`). Whether a proposal
needs a person at all is its rule class's `needs_decision` in the rule set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..ledger import Ledger, StoredProposal, now
from ..models import Decision, Mention, Proposal
from .rules import RuleSet

PERSON_ACTIONS = ("accept", "keep", "redact")  # accept = each item as proposed (review items stay open)
ALL_KINDS = "*"
NOBODY = "-"


def person_key(m: Mention) -> str:
    if m.person:
        return m.person
    if m.unregistered:
        return "?" + m.unregistered
    return NOBODY


def needs_decision(p: Proposal, rules: RuleSet) -> bool:
    """Whether a proposal waits for a person: the rule set's class that made it says so."""
    return rules.needs_decision(p.rule)


def proposed_verdict(p: Proposal, rules: RuleSet) -> tuple[str, str | None]:
    """What accepting a proposal decides: review counts as redact."""
    if p.action == "keep":
        return "keep", None
    return "redact", p.code or rules.default_code(p.mention.kind)


def resolve(p: Proposal, action: str, code: str | None, rules: RuleSet) -> tuple[str, str | None]:
    """The decision a person-level action makes for one proposal."""
    if action == "accept":
        act, c = proposed_verdict(p, rules)
    elif action == "keep":
        return "keep", None
    else:
        act, c = "redact", p.code or rules.default_code(p.mention.kind)
    if act == "redact" and code:
        c = code
    return act, c


def _rule_matches(rule: Mapping[str, Any], p: Proposal) -> bool:
    """A person-level decision covers a proposal of its person and kind; `accept` never covers a `review`
    proposal (a person must look at it)."""
    if rule["action"] == "accept" and p.action == "review":
        return False
    return rule["person"] == person_key(p.mention) and rule["kind"] in (ALL_KINDS, p.mention.kind)


def apply_person_rules(ledger: Ledger, reviewer: str, rules: RuleSet) -> int:
    """Decide the undecided proposals that a person-level decision covers (the last step of `propose`).

    The newest rule for a person and kind wins; decisions a person made item by item are never touched.
    All in one transaction. Returns the number of decisions written.
    """
    ledger.ensure_review_schema()
    rules_rows = ledger.person_rules()
    if not rules_rows:
        return 0
    at = now()
    out: list[Decision] = []
    for doc in ledger.documents():  # a document at a time: a case's proposals are never all in memory
        decided = ledger.latest_decisions(doc=doc.id)
        out.extend(person_rule_decisions(ledger.proposals(doc=doc.id), decided, rules_rows, rules, reviewer, at))
    if out:
        ledger.decide_many(out, actor=reviewer, event="person-rules-applied")
    return len(out)


def person_rule_decisions(
    proposals: Iterable[StoredProposal],
    decided: Mapping[str, Decision],
    rules_rows: Sequence[Mapping[str, Any]],
    rules: RuleSet,
    reviewer: str,
    at: str,
) -> list[Decision]:
    """The decisions the person rules (newest first) make for the proposals no one has decided yet."""
    out: list[Decision] = []
    for sp in proposals:
        p = sp.proposal
        if p.id in decided or not needs_decision(p, rules):
            continue
        rule = next((r for r in rules_rows if _rule_matches(r, p)), None)
        if rule is None:
            continue
        act, code = resolve(p, rule["action"], rule["code"], rules)
        out.append(
            Decision(
                p.id, act, code, rule["by"], at, "person-rule", f"person rule {rule['seq']}, applied by {reviewer}"
            )
        )
    return out
