"""Decisions as files: `sarkit decisions export` and `sarkit decisions import` (CSV).

An export lists every proposal that needs a person, with the decision in force; an import takes a CSV
with at least a proposal id and a decision (keep | redact | accept) and, optionally, a reason code.
A file with any error imports nothing: the first error is reported as one sentence with its line.
When an id is unknown (a sibling's request on the same documents), a row is matched on the document's
content hash, the page and the text instead.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..case import Case
from ..decide import load_rules
from ..decide.people import needs_decision, person_key, proposed_verdict
from ..decide.rules import RuleSet
from ..errors import SarkitError
from ..ledger import Ledger, StoredProposal, now
from ..manifest import load_manifest
from ..models import Decision
from .session import _widened_to, checked_decisions

COLUMNS = (
    "item",  # the readable item number (Ledger.item_numbers), as the review and reports/schedule.csv show it
    "proposal",
    "document",
    "page",
    "kind",
    "person",
    "role",
    "proposed",
    "code",
    "decision",
    "decided_code",
    "by",
    "at",
    "text",
    "document_sha256",
    "checked_by",  # a second check: who confirmed or changed the decision (by/at: the first reviewer)
    "checked_at",
    "check",  # confirmed | changed
)
DECISIONS = ("keep", "redact", "accept")
_ALIASES = {
    "proposal_id": "proposal",
    "id": "proposal",
    "proposal": "proposal",
    "decision": "decision",
    "action": "decision",
    "code": "code",
    "decided_code": "decided_code",
    "document_sha256": "document_sha256",
    "sha256": "document_sha256",
    "page": "page",
    "text": "text",
    "kind": "kind",
    "document": "document",
}


def _stored(ledger: Ledger, rules: RuleSet) -> list[StoredProposal]:
    """What the review shows: the proposals that need a person, a widened span's original folded into it."""
    decisions = ledger.latest_decisions()
    stored = [sp for sp in ledger.proposals() if needs_decision(sp.proposal, rules)]
    live = {sp.proposal.id for sp in stored}
    return [sp for sp in stored if _widened_to(decisions.get(sp.proposal.id)) not in live]


def export_rows(case: Case) -> Iterator[list[str]]:
    manifest = load_manifest(case.manifest)
    rules = load_rules(manifest.rules)
    ledger = Ledger.open(case.state)
    try:
        names: dict[str, str] = {}
        for doc in ledger.documents():
            names.setdefault(doc.id, doc.name)
        decisions = ledger.latest_decisions()
        items = ledger.item_numbers()
        firsts = checked_decisions(ledger)
        yield list(COLUMNS)
        rows = sorted(
            _stored(ledger, rules),
            key=lambda sp: (
                names.get(sp.proposal.mention.doc, ""),
                sp.proposal.mention.page,
                sp.proposal.mention.start,
            ),
        )
        for sp in rows:
            p, m = sp.proposal, sp.proposal.mention
            d = decisions.get(p.id)
            first = firsts.get(p.id)
            key = person_key(m)
            by, at = (first.by, first.at) if first else ((d.by, d.at) if d else ("", ""))
            check = ""
            if first and d:
                check = "confirmed" if (first.action, first.code) == (d.action, d.code) else "changed"
            try:
                role = manifest.person(key).role if m.person else "unregistered"
            except KeyError:
                role = "?"
            yield [
                str(items.get(p.id, "")),
                p.id,
                names.get(m.doc, m.doc),
                str(m.page + 1),
                m.kind,
                key,
                role,
                p.action,
                p.code or "",
                d.action if d else "",
                (d.code or "") if d else "",
                by,
                at,
                " ".join(m.text.split()),
                m.doc,
                d.by if first and d else "",
                d.at if first and d else "",
                check,
            ]
    finally:
        ledger.close()


def export_decisions(case: Case, out: Path | None = None) -> str:
    """Write the CSV to `out` (or return it as text when out is None)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    for row in export_rows(case):
        w.writerow(row)
    if out is not None:
        out.write_text(buf.getvalue(), encoding="utf-8")
    return buf.getvalue()


@dataclass(frozen=True)
class ImportResult:
    rows: int
    decisions: int
    matched_by_content: int


def import_decisions(case: Case, file: Path, reviewer: str) -> ImportResult:
    """Check the whole file, then write all its decisions in one transaction (source "import")."""
    manifest = load_manifest(case.manifest)
    rules = load_rules(manifest.rules)
    codes = {c.code for c in rules.codes}
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise SarkitError(f"{file} cannot be read as a UTF-8 CSV file.") from None
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise SarkitError(f"{file} is empty: it needs a header with at least 'proposal' and 'decision'.") from None
    except csv.Error:
        raise SarkitError(f"{file}, line 1: not a valid CSV header.") from None
    cols = {_ALIASES.get(h.strip().lower().replace(" ", "_")): i for i, h in enumerate(header)}
    cols.pop(None, None)
    if "proposal" not in cols or "decision" not in cols:
        raise SarkitError(f"{file}, line 1: the header needs the columns 'proposal' and 'decision'.")

    ledger = Ledger.open(case.state)
    try:
        stored = {sp.proposal.id: sp for sp in _stored(ledger, rules)}
        by_content: dict[tuple[str, int, str], list[StoredProposal]] = {}
        for sp in stored.values():
            m = sp.proposal.mention
            by_content.setdefault((m.doc, m.page + 1, " ".join(m.text.split())), []).append(sp)
        errors: list[str] = []
        decisions: list[Decision] = []
        rows = matched = 0
        at = now()

        def cell(row: list[str], name: str) -> str:
            i = cols.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        try:
            for row in reader:
                line = reader.line_num
                if not any(c.strip() for c in row):
                    continue
                rows += 1
                verdict = cell(row, "decision").lower()
                if not verdict:
                    continue  # an exported row nobody filled in
                if verdict not in DECISIONS:
                    errors.append(f"{file}, line {line}: decision '{verdict}' is not one of {', '.join(DECISIONS)}")
                    continue
                code = cell(row, "decided_code") or (cell(row, "code") if "decided_code" not in cols else "")
                if code and code not in codes:
                    errors.append(f"{file}, line {line}: reason code '{code}' is not in rule set {rules.name}")
                    continue
                targets = _targets(stored, by_content, row, cell)
                if not targets:
                    errors.append(f"{file}, line {line}: proposal '{cell(row, 'proposal')}' is not in this case")
                    continue
                if cell(row, "proposal") not in stored:
                    matched += len(targets)
                for sp in targets:
                    decisions.append(_decision(sp, verdict, code or None, rules, reviewer, at))
        except csv.Error:
            errors.append(f"{file}, line {reader.line_num}: not valid CSV")
        if errors:
            more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
            raise SarkitError(f"{errors[0]}{more}; nothing was imported.")
        ledger.decide_many(decisions, actor=reviewer, event="decisions-import", file=file.name, rows=rows)
    finally:
        ledger.close()
    return ImportResult(rows, len(decisions), matched)


def _targets(stored, by_content, row, cell) -> list[StoredProposal]:  # type: ignore[no-untyped-def]
    pid = cell(row, "proposal")
    if pid in stored:
        return [stored[pid]]
    doc, page, text = cell(row, "document_sha256"), cell(row, "page"), " ".join(cell(row, "text").split())
    if not (doc and page.isdigit() and text):
        return []
    found = by_content.get((doc, int(page), text), [])
    kind = cell(row, "kind")
    return [sp for sp in found if not kind or sp.proposal.mention.kind == kind]


def _decision(sp: StoredProposal, verdict: str, code: str | None, rules, reviewer: str, at: str) -> Decision:  # type: ignore[no-untyped-def]
    p = sp.proposal
    if verdict == "accept":
        act, c = proposed_verdict(p, rules)
    elif verdict == "keep":
        act, c = "keep", None
    else:
        act, c = "redact", p.code or rules.default_code(p.mention.kind)
    if act == "redact" and code:
        c = code
    return Decision(p.id, act, c, reviewer, at, "import")
