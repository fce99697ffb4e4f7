"""reports/: for the authority, never for the requester. The schedule of redactions, the audit trail, a summary.

The schedule is written a document at a time, while the bundle is built, to a private file beside the
ledger (`ScheduleWriter`), and moved into reports/ only when the bundle is published (`write_reports`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Self

from ..case import Case, private_dir, tighten
from ..deadline import statutory_deadline
from ..decide import Effective, RuleSet
from ..ledger import Ledger, now
from ..models import Manifest
from .staging import Tally

SCHEDULE_PART = "schedule.csv.part"  # in .sarkit/, while the bundle is built
SCHEDULE_COLUMNS = (
    "item",
    "document",
    "page",
    "code",
    "basis",
    "person",
    "role",
    "kind",
    "rule",
    "proposed",
    "decision",
    "decided_by",
    "decided_at",
    "redacted_text",
    "proposal",
)


class ScheduleWriter:
    """reports/schedule.csv, written a document at a time to a private file beside the ledger while the
    bundle is built, and moved into reports/ only when the bundle is (the file is removed otherwise). A row is
    one part taken out (a redaction with a place on the page, as the guide and summary.txt count them): its
    item number (Ledger.item_numbers: the number the review and `decisions export` show), what sarkit proposed,
    and the decision as it was made (decide.as_made: accepted in bulk, reviewed, changed, manual), by whom, when."""

    def __init__(self, state: Path, ledger: Ledger, manifest: Manifest, rules: RuleSet):
        self.path = state / SCHEDULE_PART
        self._ledger = ledger
        self._names = {d.id: d.name for d in ledger.documents()}
        self._people = {p.id: p for p in manifest.people}
        self._rules = rules
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._fh = os.fdopen(fd, "w", newline="", encoding="utf-8")
        self._csv = csv.writer(self._fh)
        self._csv.writerow(SCHEDULE_COLUMNS)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
        self.path.unlink(missing_ok=True)  # still here: the bundle was not published

    def write(self, effective: Iterable[Effective]) -> None:
        parts = [e for e in effective if e.action == "redact" and e.stored.rects]
        if not parts:
            return
        items = self._ledger.item_numbers(doc=parts[0].stored.proposal.mention.doc)
        for e in parts:
            p = e.stored.proposal
            m = p.mention
            person = self._people.get(m.person) if m.person else None
            self._csv.writerow(
                [
                    items.get(p.id, ""),
                    self._names.get(m.doc, m.doc),
                    m.page + 1,
                    e.code,
                    self._rules.code(e.code).basis if e.code else "",
                    m.person or "",
                    person.role if person else "unregistered",
                    m.kind,
                    p.rule,
                    f"{p.action} {p.code or ''}".strip(),
                    e.decision,
                    e.by,
                    e.at,
                    m.text,
                    p.id,
                ]
            )

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()


def write_reports(
    case: Case, ledger: Ledger, schedule: ScheduleWriter, tally: Tally, skipped: int, rules: RuleSet, manifest: Manifest
) -> None:
    """reports/ once the bundle is published: the schedule, the audit trail, the summary."""
    rep = private_dir(case.reports)
    schedule.close()
    os.replace(schedule.path, rep / "schedule.csv")
    with (rep / "audit.jsonl").open("w", encoding="utf-8") as fh:
        for ev in ledger.events():
            fh.write(json.dumps(ev, sort_keys=True) + "\n")
    deadline = statutory_deadline(manifest.received)
    codes = tally.codes
    how = ", ".join(f"{k} {n}" for k, n in tally.decisions.most_common())
    lines = [
        f"Request {manifest.reference}",
        f"Received: {manifest.received.isoformat()}",
        f"Statutory deadline: {deadline.isoformat()}",
        deadline_line(manifest.received, dt.date.today()),
        f"Bundle built: {now()}",
        f"Documents in bundle: {tally.documents}; pages: {tally.pages}",
        f"Documents not processed: {skipped}",
        f"Redactions (parts taken out, one row each in schedule.csv): {tally.redactions}",
        *[f"  {c}: {n}  ({rules.code(c).basis})" for c, n in sorted(codes.items(), key=lambda kv: str(kv[0])) if c],
        f"  decided: {how or 'none'}",
        f"Review items (proposals left for a person to look at): {tally.review_items}",
        f"  gone out without a person looking at them (accepted in bulk): {tally.review_unseen}",
        f"Items kept: {tally.kept}",
    ]
    (rep / "summary.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tighten(rep)


def deadline_line(received: dt.date, today: dt.date) -> str:
    """Whether the case is overdue, for summary.txt: "Overdue: yes, by 3 days ..." or "Overdue: no (...)"."""
    late = (today - statutory_deadline(received)).days
    if late > 0:
        return f"Overdue: yes, by {late} {'day' if late == 1 else 'days'} (the letter apologises for the delay)"
    return "Overdue: no (due today)" if late == 0 else f"Overdue: no ({-late} {'day' if late == -1 else 'days'} left)"
