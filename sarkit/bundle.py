"""The last two stages over the ledger: build bundle/ (+ reports/) from the decisions, and verify it.

A bundle is written to a private staging folder, verified there, and only then moved
into place: a bundle that fails verification is never left looking complete.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .case import Case, private_dir, tighten
from .deadline import statutory_deadline
from .decide import load_rules
from .errors import ExitCode, SarkitError
from .ingest.worker import memory_limit_mb, run_isolated
from .ledger import Ledger, StoredProposal, case_lock, now
from .manifest import load_manifest
from .models import Decision, Leak, LeakReport, Redaction
from .parallel import REDACT_MEMORY_MB, ReadJob, RedactJob, default_workers, redact_all, redact_timeout, verify_all
from .render.glossary import glossary_path
from .render.letters import effective_settings, load_settings, templates_dir
from .render.names import NameRedactor, register_values, unique_paths, word_like
from .render.records import RecordDoc, build_records, in_order, read_record, title_from_name
from .render.records import reasons as record_reasons
from .render.withhold import page_count, pages_to_withhold, withhold_pages
from .verify import shown_in


def fast_extractors() -> tuple[str, ...]:
    """Two independent text extractors (the fast pair when poppler's pdftotext is installed), and OCR of
    the pages that are scans, so a redacted value still legible in pixels is found."""
    pair = ("pymupdf", "pdftotext") if shutil.which("pdftotext") else ("pymupdf", "pdfminer")
    return (*pair, "ocr-scans")


BUNDLE_RECORD = "bundle.json"  # in .sarkit/: what the current bundle was built from


@dataclass
class BundleResult:
    documents: int = 0
    pages: int = 0
    redactions: int = 0
    kept: int = 0
    by_code: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    withheld: list[tuple[str, str]] = field(default_factory=list)  # documents held back: (name, why)
    pages_withheld: list[tuple[str, list[int]]] = field(default_factory=list)  # (name, zero-based pages)
    report: LeakReport | None = None
    seconds: float = 0.0
    path: Path | None = None


@dataclass
class VerifyResult:
    report: LeakReport
    seconds: float = 0.0


@dataclass(frozen=True)
class Effective:
    stored: StoredProposal
    action: str  # keep | redact
    code: str | None
    decision: str  # proposed | accepted | changed | manual
    by: str
    at: str


def effective_actions(
    proposals: Sequence[StoredProposal], decisions: Mapping[str, Decision], accept_proposals: bool
) -> tuple[list[Effective], list[StoredProposal]]:
    """What each proposal means for the bundle; and the proposals still waiting for a person."""
    out, undecided = [], []
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
            if not p.rule.startswith("subject"):
                undecided.append(sp)
            out.append(Effective(sp, proposed, p.code, "proposed", "", ""))
    return out, undecided


_TOKENS = re.compile(r"\w+")
_MAX_NGRAM = 12


class KeptIndex:
    """Word sequences shown by kept mentions: a redacted value found among them cannot be checked as text.

    Matching is on whole words, ignoring case and punctuation (so "Doe" is inside the kept "Jane Doe").
    """

    def __init__(self, kept: Iterable[str]):
        self._grams: set[tuple[str, ...]] = set()
        for text in kept:
            toks = _TOKENS.findall(text.casefold())
            for i in range(len(toks)):
                for j in range(i + 1, min(len(toks), i + _MAX_NGRAM) + 1):
                    self._grams.add(tuple(toks[i:j]))

    def __contains__(self, value: str) -> bool:
        return tuple(_TOKENS.findall(value.casefold())) in self._grams


def _doc_values(effective: Iterable[Effective]) -> list[tuple[str, str]]:
    """(proposal id, text) of every value redacted in one document that must not be recoverable from it.

    A value that the same document also shows in a kept mention (a surname shared with
    the subject, say) cannot be checked as text and is left out.
    """
    kept: list[str] = []
    redacted: list[tuple[str, str]] = []
    for e in effective:
        m = e.stored.proposal.mention
        if e.action == "keep":
            kept.append(m.text)
        else:
            redacted.append((e.stored.proposal.id, " ".join(m.text.split())))
    index = KeptIndex(kept)
    seen: set[str] = set()
    out = []
    for pid, v in redacted:
        if v.strip() and v not in seen and v not in index:
            seen.add(v)
            out.append((pid, v))
    return out


@dataclass
class CaseValues:
    """What verification needs of the ledger, gathered a document at a time: each document's values to
    check (_doc_values) and the texts of every kept mention in the case."""

    by_doc: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    kept: set[str] = field(default_factory=set)

    def add(self, doc: str, effective: Sequence[Effective]) -> None:
        vals = _doc_values(effective)
        if vals or any(e.action != "keep" for e in effective):
            self.by_doc[doc] = vals
        self.kept.update(e.stored.proposal.mention.text for e in effective if e.action == "keep")


def doc_effective(ledger: Ledger, doc: str, accept_proposals: bool) -> tuple[list[Effective], list[StoredProposal]]:
    """effective_actions for one document's proposals (a case is read a document at a time)."""
    return effective_actions(ledger.proposals(doc=doc), ledger.latest_decisions(doc=doc), accept_proposals)


def _verify_values(
    values: CaseValues,
    files: Mapping[str, Mapping[str, object]],
    own_words: Iterable[str] = (),
    folder: Path | None = None,
) -> tuple[dict[str, list[tuple[str, str]]], list[tuple[str, str]]]:
    """Values each file must not reveal: a document its own; records.pdf/html every document's.

    A value kept in any document of the case cannot be checked in the whole-case files, nor can one
    that sarkit's own words around the records use (the letter, the guides, the glossary, the
    authority's details, the documents' titles): "Care" or "Hope" there says nothing about anyone.
    records.pdf and records.html are made from the redacted documents in `folder`: a value that one of
    them shows (a phrase redacted in one document as a give-away, left in another where it is not) is
    that document's to answer for, checked there with that document's own values.
    """
    per_file = {f: values.by_doc.get(str(info["doc"]), []) for f, info in files.items()}
    kept = KeptIndex([*values.kept, *own_words])
    everywhere = {v for vals in values.by_doc.values() for v in vals if v[1] not in kept}
    if folder is not None:
        shown = shown_in([folder / f for f in files if (folder / f).is_file()], sorted(everywhere))
        everywhere = {v for v in everywhere if v[0] not in shown}
    whole_case = sorted(everywhere)
    for name in ("records.pdf", "records.html"):
        per_file[name] = whole_case
    return per_file, []


def records_own_words(authority: Mapping[str, Any] | None, titles: Iterable[str]) -> list[str]:
    """The text sarkit itself writes around the records: templates, glossary, authority settings, titles."""
    out = [p.read_text(encoding="utf-8") for p in sorted(templates_dir().glob("*")) if p.is_file()]
    out.append(glossary_path().read_text(encoding="utf-8"))
    out.append(json.dumps(effective_settings(authority), ensure_ascii=False, default=str))
    out.extend(titles)
    return out


def bundle(
    case: Case, *, actor: str, accept_proposals: bool = False, settings: Path | None = None, workers: int | None = None
) -> BundleResult:
    t0 = time.monotonic()
    manifest = load_manifest(case.manifest)
    rules = load_rules(manifest.rules)
    authority = load_settings(settings) if settings else None
    result = BundleResult()
    workers = workers or default_workers()
    parts = case.state / "bundle-parts"  # the documents' sections of records.html, while it is built
    with case_lock(case.state, "sarkit bundle"):
        ledger = Ledger.open(case.state)
        try:
            docs = [d for d in ledger.documents() if d.status == "read"]
            if not docs:
                raise SarkitError(f"{case.root} has no proposals yet: run sarkit propose first.")
            result.skipped = [(d.name, d.error or "") for d in ledger.documents() if d.status != "read"]
            staging = case.state / "bundle-staging"
            for old_dir in (staging, case.state / "bundle-withheld"):
                if old_dir.exists():
                    shutil.rmtree(old_dir)
            private_dir(staging)
            private_dir(staging / "documents")
            files: dict[str, dict[str, object]] = {}
            records: list[RecordDoc] = []
            jobs: list[RedactJob] = []  # redacted in parallel below (sarkit.parallel)
            values = CaseValues()  # also swept: redacted wherever else they show
            redacted_texts: dict[str, str] = {}  # every redacted value of the case -> its code (for names)
            undecided = 0
            codes: Counter[str | None] = Counter()
            # the ledger is read one document at a time, and the schedule written as it goes, so memory is
            # bounded by the largest document, never by the case
            schedule = ScheduleWriter(case.state / "schedule.csv.part", ledger, manifest, rules)
            for d in docs:
                effective, waiting = doc_effective(ledger, d.id, accept_proposals)
                undecided += len(waiting)
                if undecided and not accept_proposals:
                    continue  # refused below, once they are counted
                values.add(d.id, effective)
                schedule.write(effective)
                for e in effective:
                    if e.action != "keep":
                        redacted_texts.setdefault(" ".join(e.stored.proposal.mention.text.split()), e.code or "TP")
                out_name = d.name if d.name.lower().endswith(".pdf") else d.name + ".pdf"
                reds = [
                    Redaction(e.stored.proposal.mention.page, e.stored.rects, e.code or "TP", e.stored.proposal.id)
                    for e in effective
                    if e.action == "redact" and e.stored.rects
                ]
                dest = staging / "documents" / out_name  # renamed below, once every redacted value is known
                code_of = {e.stored.proposal.id: e.code or "TP" for e in effective}
                sweep = tuple((text, code_of[pid], pid) for pid, text in values.by_doc.get(d.id, ()))
                jobs.append(
                    RedactJob(
                        Path(d.pdf or ""),
                        dest,
                        tuple(reds),
                        f"Your records: {d.title or out_name}",
                        d.name,
                        sweep,
                        case.cache / "ocr-layer",
                        pages=d.pages or 0,
                    )
                )
                files["documents/" + out_name] = {"doc": d.id, "name": d.name}
                records.append(
                    RecordDoc(
                        "documents/" + out_name,
                        d.title or "",
                        dt.date.fromisoformat(d.date) if d.date else None,
                        d.kind or "pdf",
                        tuple((r.page, rect, r.code) for r in reds for rect in r.rects),
                        tuple(json.loads(d.scanned or "[]")),
                    )
                )
                result.documents += 1
                result.pages += d.pages or 0
                result.redactions += len(reds)
                result.kept += sum(1 for e in effective if e.action == "keep")
                codes.update(e.code for e in effective if e.action == "redact")
                for r in reds:
                    result.by_code[r.code] = result.by_code.get(r.code, 0) + 1
            schedule.close()
            if undecided and not accept_proposals:
                shutil.rmtree(staging)
                raise SarkitError(
                    f"{undecided} proposals in {case.root} are undecided: run sarkit review, "
                    "or bundle --accept-proposals to take every proposal as decided.",
                    ExitCode.NEEDS_PERSON,
                )
            # output names and titles carry no redacted value (sarkit.render.names)
            jobs, records, files = _redact_names(
                staging, jobs, records, files, redacted_texts, values.kept, register_values(manifest, rules)
            )
            # each worker reads the document it redacted back for records.pdf/html (sections to `parts`)
            if parts.exists():
                shutil.rmtree(parts)
            private_dir(parts)
            short = record_reasons(records, rules)
            anchors = {rec.out_name: anchor for anchor, rec in in_order(records)}
            jobs = [
                replace(j, record=ReadJob(staging, rec, anchors[rec.out_name], short, parts))
                for j, rec in zip(jobs, records)
            ]
            read, unredacted = redact_all(jobs, workers)
            if unredacted and len(unredacted) == len(jobs):
                first = next(iter(unredacted.items()))
                raise SarkitError(f"documents/{first[0]} could not be redacted ({first[1]}): no bundle was written.")
            for job in jobs:  # a document that could not be redacted within its limits is held back, alone
                if job.name in unredacted:
                    out = job.dest.relative_to(staging).as_posix()
                    files.pop(out, None)
                    records = [r for r in records if r.out_name != out]
                    result.withheld.append((job.name, unredacted[job.name]))

            own = records_own_words(authority, [r.title for r in records])
            paged: set[str] = set()  # documents whose leaked pages were withheld once already
            while True:
                build_records(staging, records, manifest, rules, authority, today=dt.date.today(), pages=read)
                tighten(staging)
                per_file, anywhere = _verify_values(values, files, own, staging)
                report = verify_all(staging, per_file, anywhere, extractors=fast_extractors(), workers=workers)
                failed = sorted({lk.file for lk in report.leaks if lk.file in files})
                if failed and not report.ok:  # pages that cannot be proven clean go, not their documents
                    mended = _withhold_leaked_pages(staging, failed, report, jobs, read, paged)
                    result.pages_withheld.extend((str(files[f]["name"]), pages) for f, pages in mended)
                    if mended:
                        continue
                if report.ok or not failed or len(failed) == len(files):
                    break
                # hold back the documents that failed verification; the others still go to the requester
                held = private_dir(case.state / "bundle-withheld")
                timed_out = {lk.file for lk in report.leaks if lk.where == "unverified" and lk.extractor == "timeout"}
                for f in failed:  # kept for inspection, out of the bundle
                    os.replace(staging / f, held / Path(f).name)
                    why = "checking it passed the time limit per document" if f in timed_out else ""
                    result.withheld.append((str(files.pop(f)["name"]), why or "it failed verification"))
                records = [r for r in records if r.out_name not in failed]
            result.report = report
            record = {
                "built": now(),
                "by": actor,
                "accept_proposals": accept_proposals,
                "files": files,
                "settings": str(settings.resolve()) if settings else None,
            }
            if not report.ok:
                ledger.event(actor, "bundle-rejected", leaks=len(report.leaks))
                rejected = case.state / "bundle-rejected"
                if rejected.exists():
                    shutil.rmtree(rejected)
                staging.rename(rejected)
                result.path = rejected
                return result

            (case.state / BUNDLE_RECORD).write_text(json.dumps(record, indent=1), encoding="utf-8")
            tighten(case.state / BUNDLE_RECORD)
            old = case.state / "bundle-old"
            if old.exists():
                shutil.rmtree(old)
            if case.bundle.exists():
                case.bundle.rename(old)
            staging.rename(case.bundle)
            if old.exists():
                shutil.rmtree(old)
            result.seconds = time.monotonic() - t0
            ledger.event(
                actor,
                "bundle",
                documents=result.documents,
                pages=result.pages,
                redactions=result.redactions,
                accept_proposals=accept_proposals,
                undecided_accepted=undecided if accept_proposals else 0,
            )
            write_reports(case, ledger, schedule.path, codes, rules, manifest, result)
            result.path = case.bundle
        finally:
            ledger.close()
            shutil.rmtree(parts, ignore_errors=True)
            (case.state / "schedule.csv.part").unlink(missing_ok=True)
    return result


def _withhold_leaked_pages(
    staging: Path,
    failed: Sequence[str],
    report: LeakReport,
    jobs: Sequence[RedactJob],
    read: dict[str, Any],
    done: set[str],
) -> list[tuple[str, list[int]]]:
    """Withhold the pages of the failed documents that verification found values on, when only pages are at fault
    (sarkit.render.withhold), and read each mended document again for the records. Each document is mended once;
    returns (file, pages) of those mended now."""
    by_out = {j.record.rec.out_name: j for j in jobs if j.record is not None}
    mended: list[tuple[str, list[int]]] = []
    for f in failed:
        if f in done:
            continue
        done.add(f)
        path = staging / f
        pages = pages_to_withhold(report.leaks, f, page_count(path))
        job = by_out.get(f)
        if pages is None or job is None or job.record is None:
            continue
        r = job.record
        try:
            withhold_pages(path, pages)
            read[f] = run_isolated(
                read_record, r.staging, r.rec, r.anchor, r.reasons, r.parts,
                timeout=redact_timeout(job.pages), memory_mb=memory_limit_mb(REDACT_MEMORY_MB),
            )  # fmt: skip
        except Exception:  # noqa: BLE001 - the document is then held back whole, as before
            continue
        mended.append((f, pages))
    return mended


def _redact_names(
    staging: Path,
    jobs: list[RedactJob],
    records: list[RecordDoc],
    files: dict[str, dict[str, object]],
    redacted: Mapping[str, str],
    kept: Iterable[str],
    register: tuple[list[tuple[str, str]], list[str]],
) -> tuple[list[RedactJob], list[RecordDoc], dict[str, dict[str, object]]]:
    """The jobs, records and files with every output path, folder and title redacted like the text: a redacted
    value of the case (or a protected name of the register) becomes its code, "Letter to [TP].pdf"."""
    protected, kept_names = register
    names = NameRedactor([*redacted.items(), *protected], [*kept, *kept_names], word_like())
    old = [j.dest.relative_to(staging).as_posix() for j in jobs]
    new = unique_paths([names.redact_path(rel) for rel in old])
    out_jobs, out_records, out_files = [], [], {}
    for j, rec, before, after in zip(jobs, records, old, new):
        title = names.redact(rec.title or title_from_name(before))
        dest = staging / after
        private_dir(dest.parent)
        out_jobs.append(replace(j, dest=dest, title=f"Your records: {title}"))
        out_records.append(replace(rec, out_name=after, title=title))
        out_files[after] = {**files[before], "title": title}
    return out_jobs, out_records, out_files


SCHEDULE_COLUMNS = (
    "document",
    "page",
    "code",
    "basis",
    "person",
    "role",
    "kind",
    "rule",
    "decision",
    "decided_by",
    "decided_at",
    "proposal",
    "redacted_text",
)


class ScheduleWriter:
    """reports/schedule.csv, written a document at a time to a private file beside the ledger while the
    bundle is built, and moved into reports/ only when the bundle is."""

    def __init__(self, path: Path, ledger: Ledger, manifest: Any, rules: Any):
        self.path = path
        self._names = {d.id: d.name for d in ledger.documents()}
        self._people = {p.id: p for p in manifest.people}
        self._rules = rules
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._fh = os.fdopen(fd, "w", newline="", encoding="utf-8")
        self._csv = csv.writer(self._fh)
        self._csv.writerow(SCHEDULE_COLUMNS)

    def write(self, effective: Iterable[Effective]) -> None:
        for e in effective:
            if e.action != "redact":
                continue
            p = e.stored.proposal
            m = p.mention
            person = self._people.get(m.person) if m.person else None
            self._csv.writerow(
                [
                    self._names.get(m.doc, m.doc),
                    m.page + 1,
                    e.code,
                    self._rules.code(e.code).basis if e.code else "",
                    m.person or "",
                    person.role if person else "unregistered",
                    m.kind,
                    p.rule,
                    e.decision,
                    e.by,
                    e.at,
                    p.id,
                    m.text,
                ]
            )

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()


def write_reports(
    case: Case, ledger: Ledger, schedule: Path, codes: Mapping[str | None, int], rules, manifest, result: BundleResult
) -> None:
    """reports/: for the authority, never for the requester. schedule: the schedule written by ScheduleWriter."""
    rep = private_dir(case.reports)
    os.replace(schedule, rep / "schedule.csv")
    with (rep / "audit.jsonl").open("w", encoding="utf-8") as fh:
        for ev in ledger.events():
            fh.write(json.dumps(ev, sort_keys=True) + "\n")
    deadline = statutory_deadline(manifest.received)
    lines = [
        f"Request {manifest.reference}",
        f"Received: {manifest.received.isoformat()}",
        f"Statutory deadline: {deadline.isoformat()}",
        f"Bundle built: {now()}",
        f"Documents in bundle: {result.documents}; pages: {result.pages}",
        f"Documents not processed: {len(result.skipped)}",
        f"Redactions: {result.redactions}",
        *[f"  {c}: {n}  ({rules.code(c).basis})" for c, n in sorted(codes.items(), key=lambda kv: str(kv[0])) if c],
        f"Items kept: {result.kept}",
    ]
    (rep / "summary.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tighten(rep)


def verify(case: Case, *, actor: str, thorough: bool = False) -> VerifyResult:
    t0 = time.monotonic()
    record_path = case.state / BUNDLE_RECORD
    if not case.bundle.is_dir() or not record_path.is_file():
        raise SarkitError(f"{case.root} has no bundle to verify: run sarkit bundle first.")
    record = json.loads(record_path.read_text(encoding="utf-8"))
    with case_lock(case.state, "sarkit verify"):
        ledger = Ledger.open(case.state)
        try:
            values = CaseValues()
            for d in ledger.documents():
                values.add(d.id, doc_effective(ledger, d.id, bool(record.get("accept_proposals")))[0])
            titles = [str(info.get("title", "")) for info in record["files"].values()]
            settings = record.get("settings")
            own = records_own_words(load_settings(Path(settings)) if settings else None, titles)
            per_file, anywhere = _verify_values(values, record["files"], own, case.bundle)
            missing = [f for f in per_file if not (case.bundle / f).is_file()]
            extractors = fast_extractors()
            if thorough:  # every extractor we have, and OCR of the rendered pages
                extractors = tuple(dict.fromkeys((*extractors, "pdfminer", "ocr")))
            report = verify_all(case.bundle, per_file, anywhere, extractors=extractors, workers=default_workers())
            if missing:
                report = LeakReport(
                    report.files, report.values, report.leaks + tuple(Leak(f, None, "missing", "") for f in missing)
                )
            ledger.event(actor, "verify", files=report.files, values=report.values, leaks=len(report.leaks))
        finally:
            ledger.close()
    return VerifyResult(report, time.monotonic() - t0)
