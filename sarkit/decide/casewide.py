"""The case-wide passes of `propose`, over the ledger once every document is proposed (engine.py has the rules)."""

from __future__ import annotations

import datetime as dt

from ..ledger import Ledger
from ..models import Manifest
from ..roles import PRIVATE_HOME_CARERS
from .engine import childhood_home, harmonise
from .rules import RuleSet


def case_wide_passes(ledger: Ledger, manifest: Manifest, rules: RuleSet) -> None:
    """The passes over the whole case, after every document is proposed: the requester's childhood home,
    then one answer per detail. Each reads only the proposals it can change, not the whole case's."""
    dates = {d.id: dt.date.fromisoformat(d.date) if d.date else None for d in ledger.documents()}
    with ledger.transaction():
        subject_contacts = ledger.proposals(kinds=("contact",), person=manifest.subject.id)
        ledger.update_proposals(childhood_home((sp.proposal for sp in subject_contacts), dates, manifest, rules))
        del subject_contacts
        ledger.update_proposals(
            harmonise(
                (sp.proposal for sp in ledger.proposals(kinds=("contact", "identifier"))),
                manifest.subject.id,
                frozenset(p.id for p in manifest.people if p.group == "family" or p.role in PRIVATE_HOME_CARERS),
            )
        )
