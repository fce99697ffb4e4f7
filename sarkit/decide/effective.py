"""Effective actions: what each proposal means for the bundle once the decisions are applied.

A decision in force wins; a proposal no one decided is taken as proposed (review counts as redact).
`bundle` refuses proposals that still wait for a person (`undecided`) unless told to accept them all;
`as_made` then says how each decision was made, for reports/schedule.csv: accepted in bulk (by whom and
when), reviewed, changed, manual, or no review needed.
The ledger is read a document at a time (`by_document`), so memory is bounded by the largest document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..ledger import Ledger, StoredDocument, StoredProposal
from ..models import Decision
from .rules import RuleSet

BULK = "accepted in bulk"  # as proposed, for many items at once: `bundle --accept-proposals`, a review rule
BULK_SOURCES = ("accept-all", "person-rule")  # decision sources that decide many items at once
NO_REVIEW = "no review needed"  # the rule set's class of the proposal needs no person


@dataclass(frozen=True)
class Effective:
    stored: StoredProposal
    action: str  # keep | redact
    code: str | None
    decision: str  # proposed (no one decided) | reviewed | changed | manual | accepted in bulk | no review needed
    by: str
    at: str
    source: str = ""  # the decision's source (review, accept-all, person-rule, import, manual, confirmed)

    @property
    def seen(self) -> bool:
        """A person decided this item looking at it (not in bulk, not by default)."""
        return self.decision in ("reviewed", "changed", "manual") and self.source not in BULK_SOURCES


def effective_actions(proposals: Sequence[StoredProposal], decisions: Mapping[str, Decision]) -> list[Effective]:
    """What each proposal means for the bundle: its decision in force, or else the proposal itself."""
    out = []
    for sp in proposals:
        p = sp.proposal
        d = decisions.get(p.id)
        proposed = "keep" if p.action == "keep" else "redact"
        if d is not None:
            same = d.action == proposed and (d.code or p.code) == p.code
            if p.mention.detector.startswith("manual"):
                label = "manual"
            elif not same:
                label = "changed"
            else:
                label = BULK if d.source in BULK_SOURCES else "reviewed"
            out.append(Effective(sp, d.action, d.code or p.code, label, d.by, d.at, d.source))
        else:
            out.append(Effective(sp, proposed, p.code, "proposed", "", ""))
    return out


def undecided(effective: Iterable[Effective], rules: RuleSet) -> list[StoredProposal]:
    """The proposals still waiting for a person: no decision, and their rule class needs one."""
    return [e.stored for e in effective if e.decision == "proposed" and rules.needs_decision(e.stored.proposal.rule)]


def as_made(effective: Iterable[Effective], rules: RuleSet, actor: str, at: str) -> list[Effective]:
    """The decisions as they were made, for the schedule: a proposal no one decided is "accepted in bulk" by
    `actor` at `at` (`bundle --accept-proposals`), or needs "no review" when its rule class needs no person."""
    out = []
    for e in effective:
        if e.decision == "proposed":
            if rules.needs_decision(e.stored.proposal.rule):
                e = Effective(e.stored, e.action, e.code, BULK, actor, at, "bundle --accept-proposals")
            else:
                e = Effective(e.stored, e.action, e.code, NO_REVIEW, "sarkit", at, "rules")
        out.append(e)
    return out


def by_document(ledger: Ledger, docs: Iterable[StoredDocument]) -> Iterator[tuple[StoredDocument, list[Effective]]]:
    """Each document with the effective actions of its proposals, read from the ledger one document at a time."""
    for d in docs:
        yield d, effective_actions(ledger.proposals(doc=d.id), ledger.latest_decisions(doc=d.id))
