"""Effective actions: what each proposal means for the bundle once the decisions are applied.

A decision in force wins; a proposal no one decided is taken as proposed (review counts as redact).
`bundle` refuses proposals that still wait for a person (`undecided`) unless told to accept them all.
The ledger is read a document at a time (`by_document`), so memory is bounded by the largest document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..ledger import Ledger, StoredDocument, StoredProposal
from ..models import Decision
from .rules import RuleSet


@dataclass(frozen=True)
class Effective:
    stored: StoredProposal
    action: str  # keep | redact
    code: str | None
    decision: str  # proposed | accepted | changed | manual
    by: str
    at: str


def effective_actions(proposals: Sequence[StoredProposal], decisions: Mapping[str, Decision]) -> list[Effective]:
    """What each proposal means for the bundle: its decision in force, or else the proposal itself."""
    out = []
    for sp in proposals:
        p = sp.proposal
        d = decisions.get(p.id)
        proposed = "keep" if p.action == "keep" else "redact"
        if d is not None:
            label = (
                "manual"
                if p.mention.detector.startswith("manual")
                else ("accepted" if d.action == proposed and (d.code or p.code) == p.code else "changed")
            )
            out.append(Effective(sp, d.action, d.code or p.code, label, d.by, d.at))
        else:
            out.append(Effective(sp, proposed, p.code, "proposed", "", ""))
    return out


def undecided(effective: Iterable[Effective], rules: RuleSet) -> list[StoredProposal]:
    """The proposals still waiting for a person: no decision, and their rule class needs one."""
    return [e.stored for e in effective if e.decision == "proposed" and rules.needs_decision(e.stored.proposal.rule)]


def by_document(ledger: Ledger, docs: Iterable[StoredDocument]) -> Iterator[tuple[StoredDocument, list[Effective]]]:
    """Each document with the effective actions of its proposals, read from the ledger one document at a time."""
    for d in docs:
        yield d, effective_actions(ledger.proposals(doc=d.id), ledger.latest_decisions(doc=d.id))
