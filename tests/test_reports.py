"""reports/ fit to file: every schedule row says how its decision was made (accepted in bulk, reviewed,
changed, manual), by whom and when, under a readable item number that `decisions export` shows too; the
summary flags an overdue case and counts the review items that went out without a person looking."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from pathlib import Path

from sarkit import api
from sarkit.case import Case
from sarkit.ledger import Ledger
from sarkit.render.reports import deadline_line
from sarkit.review.files import export_decisions, import_decisions


def _schedule(case: Path) -> list[dict[str, str]]:
    with open(case / "reports" / "schedule.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _summary(case: Path) -> str:
    return (case / "reports" / "summary.txt").read_text(encoding="utf-8")


def test_schedule_after_accept_proposals_names_the_bulk_decision(proposed_case: Path) -> None:
    api.bundle(proposed_case, actor="officer-kim", accept_proposals=True)
    rows = _schedule(proposed_case)
    assert rows
    for r in rows:
        assert r["decision"] in ("accepted in bulk", "no review needed"), r["decision"]
        if r["decision"] == "accepted in bulk":
            assert r["decided_by"] == "officer-kim"
            assert dt.datetime.fromisoformat(r["decided_at"])  # when: the bundle's time
        assert re.fullmatch(r"(redact|review) [A-Z]+", r["proposed"])
    items = [int(r["item"]) for r in rows]
    assert len(set(items)) == len(items) and min(items) >= 1
    summary = _summary(proposed_case)
    unseen = sum(1 for r in rows if r["proposed"].startswith("review") and r["decision"] == "accepted in bulk")
    assert unseen > 0
    assert f"gone out without a person looking at them (accepted in bulk): {unseen}" in summary
    assert re.search(r"^Overdue: (yes, by \d+ days?|no \(.*\))", summary, re.MULTILINE)
    assert f"Redactions (parts taken out, one row each in schedule.csv): {len(rows)}" in summary


def test_schedule_after_a_review_names_the_reviewer_and_shares_item_numbers(proposed_case: Path, tmp_path) -> None:
    """A scripted review through `decisions import`: every item accepted, one changed to another reason."""
    case = Case.at(proposed_case)
    exported = list(csv.DictReader(io.StringIO(export_decisions(case))))
    numbers = {r["proposal"]: r["item"] for r in exported}
    assert all(v.isdigit() for v in numbers.values())
    for r in exported:
        r["decision"] = "accept"
    changed = next(r for r in exported if r["proposed"] == "redact" and r["code"] == "TP")
    changed["decision"], changed["decided_code"] = "redact", "TPS"
    f = tmp_path / "decisions.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(exported[0]))
        w.writeheader()
        w.writerows(exported)
    import_decisions(case, f, "reviewer-ann")
    res = api.bundle(proposed_case, actor="officer-kim")  # no --accept-proposals: everything was decided
    assert res.report is not None and res.report.ok
    rows = _schedule(proposed_case)
    decided = [r for r in rows if r["decision"] != "no review needed"]
    assert decided and all(r["decided_by"] == "reviewer-ann" and r["decided_at"] for r in decided)
    assert {r["decision"] for r in decided} == {"reviewed", "changed"}
    row = next(r for r in rows if r["proposal"] == changed["proposal"])
    assert (row["decision"], row["code"], row["proposed"]) == ("changed", "TPS", "redact TP")
    for r in decided:  # the same item number in the schedule as in the export
        assert r["item"] == numbers[r["proposal"]]
    assert "gone out without a person looking at them (accepted in bulk): 0" in _summary(proposed_case)


def test_item_numbers_are_stable_and_never_reused(proposed_case: Path) -> None:
    ledger = Ledger.open(proposed_case / ".sarkit")
    try:
        first = ledger.item_numbers()
        assert sorted(first.values()) == list(range(1, len(first) + 1))
        assert ledger.item_numbers() == first  # asked again: the same
        doc = next(iter(ledger.documents())).id
        assert ledger.item_numbers(doc=doc).items() <= first.items()
    finally:
        ledger.close()
    # proposing again keeps every number
    shutil.rmtree(proposed_case / "bundle", ignore_errors=True)
    api.propose(proposed_case, actor="tester")
    ledger = Ledger.open(proposed_case / ".sarkit")
    try:
        again = ledger.item_numbers()
        assert {k: again[k] for k in first if k in again} == {k: first[k] for k in first if k in again}
    finally:
        ledger.close()


def test_deadline_line() -> None:
    received = dt.date(2026, 3, 2)  # due 2 April 2026
    assert (
        deadline_line(received, dt.date(2026, 4, 5)) == "Overdue: yes, by 3 days (the letter apologises for the delay)"
    )
    assert deadline_line(received, dt.date(2026, 4, 2)) == "Overdue: no (due today)"
    assert deadline_line(received, dt.date(2026, 3, 31)) == "Overdue: no (2 days left)"
