"""The pipeline: ingest → detect → decide → (review) → render → verify.

Read this file first: it names every stage and every step of the three commands that make a bundle.
Each stage is a package that owns its helpers and its worker processes (sarkit/ingest, detect, decide,
review, render, verify); this module calls them in order and keeps the ledger, the case's only state,
up to date: this process is its one writer. `batch.py` loops over the same three calls.

    propose  ingest every document (in worker processes) → detect and decide each page → record the
             proposals → decide's case-wide passes → the reviewer's person-level decisions
    bundle   decide each document's effective actions → render it into a private staging folder →
             render records.pdf/html → verify the staging folder, holding back a document that fails →
             publish bundle/ → render reports/
    verify   decide what each file must not reveal → verify reopens bundle/ and looks for it
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path

from .case import Case, private_dir, tighten
from .decide import (
    RuleSet,
    apply_person_rules,
    as_made,
    by_document,
    case_wide_passes,
    decide,
    load_rules,
    rules_dir,
    undecided,
)
from .detect import Detector
from .errors import ExitCode, SarkitError
from .ingest.units import DocOutcome, Unit, plan_units, run_units
from .ledger import Ledger, Placed, StoredDocument, case_lock, now
from .manifest import load_manifest
from .models import Leak, LeakReport, Manifest, Page
from .render.letters import load_settings, own_words
from .render.reports import ScheduleWriter, write_reports
from .render.staging import Staging, read_bundle_record
from .results import BundleResult, Progress, ProposeResult, VerifyResult
from .text import PageText, page_text, rects_for_span
from .verify import CaseValues, check_bundle, extractors, offenders_isolated, register_values, values_per_file
from .verify.values import WHOLE_CASE_FILES
from .workers import default_workers

# ---------------------------------------------------------------- propose


def propose(case: Case, *, actor: str, progress: Progress | None = None, workers: int | None = None) -> ProposeResult:
    t0 = time.monotonic()
    manifest, rules = _manifest_and_rules(case)
    files = _document_files(case)
    units = plan_units((f, case.rel(f), dict(manifest.passwords).get(case.rel(f))) for f in files)  # ingest
    page_fn = partial(propose_page, Detector(manifest, rules_dir()), manifest, rules)  # detect → decide
    result = ProposeResult()
    private_dir(case.cache)
    with case_lock(case.state, "sarkit propose"), Ledger.open(case.state) as ledger:
        run = ledger.next_run()
        ledger.event(actor, "propose-start", documents=len(files), rules=rules.name)
        on_pages = _page_counter(units, progress)
        for out in run_units(units, case.cache, page_fn, workers or default_workers(), on_pages):  # ingest
            _record(ledger, out, run, result)
            if progress:
                progress("read", result.documents + len(result.failures), len(files))
        ledger.forget_documents_except(case.rel(p) for p in files)
        case_wide_passes(ledger, manifest, rules)  # decide: the requester's childhood home, one answer per detail
        apply_person_rules(ledger, actor, rules)  # decide: a reviewer's per-person decisions cover new proposals
        result.by_action, result.by_code = ledger.proposal_counts()
        tighten(case.state)  # the ledger's journal files and the cache: owner only, whatever the umask
        result.seconds = time.monotonic() - t0
        ledger.event(
            actor,
            "propose",
            documents=result.documents,
            pages=result.pages,
            failed=len(result.failures),
            proposals=sum(result.by_action.values()),
            seconds=round(result.seconds, 2),
        )
    return result


def propose_page(detector: Detector, manifest: Manifest, rules: RuleSet, doc_id: str, page: Page) -> list[Placed]:
    """detect → decide for one page (in an ingest worker); each proposal with its boxes and its context line."""
    pt = page_text(page)
    return [
        (p, rects_for_span(pt, p.mention.start, p.mention.end), _context(pt, p.mention.start, p.mention.end))
        for p in decide(detector.detect_page(doc_id, page.index, pt), manifest, rules)
    ]


# ---------------------------------------------------------------- bundle


def bundle(
    case: Case, *, actor: str, accept_proposals: bool = False, settings: Path | None = None, workers: int | None = None
) -> BundleResult:
    t0 = time.monotonic()
    manifest, rules = _manifest_and_rules(case)
    authority = load_settings(settings) if settings else None
    workers = workers or default_workers()
    with case_lock(case.state, "sarkit bundle"), Ledger.open(case.state) as ledger:
        docs, skipped = _documents_read(ledger, case)
        with Staging.start(case) as staging, ScheduleWriter(case.state, ledger, manifest, rules) as schedule:
            values = CaseValues()  # verify: what must not be recoverable, gathered as the documents go
            waiting = 0
            started = now()
            for doc, effective in by_document(ledger, docs):  # decide, a document at a time
                waiting += len(undecided(effective, rules))
                if waiting and not accept_proposals:
                    continue  # refused below, once they are all counted
                values.add(doc.id, effective)
                made = as_made(effective, rules, actor, started)  # decide: how each decision was made
                schedule.write(made)  # render: reports/schedule.csv
                staging.add(doc, made, sweep=values.of(doc.id))  # render: its redactions and sweep
            if waiting and not accept_proposals:
                staging.discard()
                raise _undecided_error(waiting, case)
            staging.name_outputs(manifest, rules, values.kept)  # render: names and titles redacted like the text
            staging.redact(rules, workers)  # render: a worker per document, each read back for the records
            titles = staging.titles()  # as the bundle shows them: redacted like the text
            own = own_words(authority, titles)  # render: sarkit's words around them
            values.register = register_values(manifest, rules)  # verify: what the register protects
            report = _records_verified(staging, values, own, len(titles), manifest, rules, authority, workers)
            result = _bundle_result(staging, skipped, report)
            if not report.ok:
                ledger.event(actor, "bundle-rejected", leaks=len(report.leaks))
                result.path = staging.reject()
                return result
            staging.publish(case.bundle, by=actor, accept_proposals=accept_proposals, settings=settings)
            result.seconds = time.monotonic() - t0
            ledger.event(
                actor,
                "bundle",
                documents=result.documents,
                pages=result.pages,
                redactions=result.redactions,
                accept_proposals=accept_proposals,
                undecided_accepted=waiting if accept_proposals else 0,
            )
            write_reports(case, ledger, schedule, staging.tally, len(skipped), rules, manifest)  # render
            result.path = case.bundle
    return result


def _records_verified(
    staging: Staging,
    values: CaseValues,
    own: list[str],
    titles: int,
    manifest: Manifest,
    rules: RuleSet,
    authority: dict | None,
    workers: int,
) -> LeakReport:
    """render records.pdf/html → verify the staging folder; the pages of a document that fail are withheld (once), a
    document that still fails is held back, and the rest are rendered and verified again, until the bundle
    passes or nothing in it can. When only records.pdf/html fail, the documents that show the values found
    there are left out of them (and named), and the records are rendered and verified again; the bundle is
    refused only when no document answers for the finding. A page found clean is not read again in a later
    round while it is provably the same page (sarkit.verify.memo; the memo lives for this call only)."""
    memo = staging.state / "cache" / "verify-pages"
    shutil.rmtree(memo, ignore_errors=True)
    private_dir(memo)
    try:
        return _verify_rounds(staging, values, own, titles, manifest, rules, authority, workers, memo)
    finally:
        shutil.rmtree(memo, ignore_errors=True)


def _verify_rounds(
    staging: Staging,
    values: CaseValues,
    own: list[str],
    titles: int,
    manifest: Manifest,
    rules: RuleSet,
    authority: dict | None,
    workers: int,
    memo: Path,
) -> LeakReport:
    """The rounds of _records_verified."""
    while True:
        staging.build_records(manifest, rules, authority)  # render
        report = check_bundle(
            staging.folder,
            values,
            staging.files,
            own,
            extractors=extractors(),
            workers=workers,
            titles=titles,
            ranges={RECORDS_PDF: list(staging.sheets.values())},
            shows={RECORDS_PDF: {pages: name for name, pages in staging.sheets.items()}},
            ocr_cache=staging.state / "cache" / "verify-ocr",
            page_memo=memo,
        )
        late = sorted({lk.file for lk in report.leaks if lk.file in staging.files and _timed_out(lk)})
        if late:  # held back at once (checked again, they would pass their limit again), the rest checked again
            if len(late) == len(staging.files):
                return report  # nothing in the bundle could be checked within its limits: refused
            staging.withhold(late, late)  # render: out of documents/ and of the records
            continue
        late_sheets = _late_in_records(report, staging.sheets)
        for why, names in late_sheets.items():  # records.pdf's pages of these documents could not be checked
            staging.leave_out_of_records(names, why=why)
        if late_sheets:
            continue
        failed = sorted({lk.file for lk in report.leaks if lk.file in staging.files})
        if failed and not report.ok and staging.withhold_pages(report, failed):  # render: pages, not documents
            continue
        if report.ok or len(failed) == len(staging.files):
            return report
        if failed:
            staging.withhold(
                failed, {lk.file for lk in report.leaks if _timed_out(lk)}
            )  # render: kept, out of the bundle
            continue
        leaked = {lk.proposal for lk in report.leaks if lk.proposal}
        whole = [v for v in values_per_file(values, staging.files, own, titles)[0]["records.pdf"] if v[0] in leaked]
        offenders = offenders_isolated(  # each document in a worker with its limits
            staging.folder, [r.out_name for r in staging.records], whole, staging.page_counts(), workers=workers
        )
        if not offenders:
            return report
        staging.leave_out_of_records(offenders)  # render: still in documents/, not in records.pdf/html


RECORDS_PDF = WHOLE_CASE_FILES[0]


def _timed_out(lk: Leak) -> bool:
    return lk.where == "unverified" and lk.extractor == "timeout"


def _late_in_records(report: LeakReport, sheets: Mapping[str, tuple[int, int]]) -> dict[str, list[str]]:
    """The documents whose pages of records.pdf verify could not check (its worker passed the time limit, or
    crashed), by why, as a clause."""
    out: dict[str, set[str]] = {}
    for lk in report.leaks:
        if lk.file != RECORDS_PDF or lk.where != "unverified" or lk.page is None:
            continue
        why = (
            "checking its pages in records.pdf passed the time limit"
            if lk.extractor == "timeout"
            else "checking its pages in records.pdf failed (the worker crashed or ran out of memory)"
        )
        out.setdefault(why, set()).update(name for name, (a, b) in sheets.items() if a <= int(lk.page) < b)
    return {why: sorted(names) for why, names in out.items() if names}


# ---------------------------------------------------------------- verify


def verify(case: Case, *, actor: str, thorough: bool = False) -> VerifyResult:
    t0 = time.monotonic()
    record = read_bundle_record(case)  # render: what bundle/ was built from
    with case_lock(case.state, "sarkit verify"), Ledger.open(case.state) as ledger:
        docs = ledger.documents()
        values = CaseValues()
        for doc, effective in by_document(ledger, docs):  # decide, a document at a time
            values.add(doc.id, effective)
        titles = [str(info.get("title", "")) for info in record.files.values()]  # as the bundle shows them
        own = own_words(load_settings(record.settings) if record.settings else None, titles)
        manifest, rules = _manifest_and_rules(case)
        values.register = register_values(manifest, rules)  # verify: what the register protects
        report = check_bundle(  # verify: every file reopened, with every extractor asked for
            case.bundle,
            values,
            record.files,
            own,
            extractors=extractors(thorough),
            workers=default_workers(),
            titles=len(titles),
            ocr_cache=case.cache / "verify-ocr",
        )
        # documents the bundle held back (or left out of the records) need a person: verify says so, by name
        held = tuple(Leak(f"documents/{name}", None, "withheld", "", "bundle") for name, _ in record.withheld)
        if held:
            report = LeakReport(report.files, report.values, report.leaks + held)
        ledger.event(actor, "verify", files=report.files, values=report.values, leaks=len(report.leaks))
    return VerifyResult(report, time.monotonic() - t0)


# ---------------------------------------------------------------- small helpers of the steps above


def _manifest_and_rules(case: Case) -> tuple[Manifest, RuleSet]:
    manifest = load_manifest(case.manifest)
    return manifest, load_rules(manifest.rules)


def _document_files(case: Case) -> list[Path]:
    files = case.document_files()
    if not files:
        raise SarkitError(f"{case.documents_dir} is empty: there is nothing to propose.")
    private_dir(case.state)
    return files


def _page_counter(units: Iterable[Unit], progress: Progress | None) -> Callable[[int], None]:
    """progress("pages", done, total) as the workers report pages read."""
    units = list(units)
    total = sum(u.pages if u.stop is None else u.stop - u.start for u in units)
    seen = [0]

    def on_pages(n: int) -> None:
        seen[0] += n
        if progress:
            progress("pages", seen[0], max(total, seen[0]))

    return on_pages


def _record(ledger: Ledger, out: DocOutcome[Placed], run: int, result: ProposeResult) -> None:
    """One document's proposals into the ledger (one transaction), or its failure."""
    if out.doc is None:
        result.failures.append((out.name, out.failure))
        ledger.record_failure(out.name, out.digest, out.failure, run)
        return
    with ledger.transaction():
        ledger.record_document(out.doc, run)
        ledger.replace_proposals(out.doc.id, out.items, run)
    result.documents += 1
    result.pages += len(out.doc.pages)


def _context(pt: PageText, start: int, end: int) -> str:
    """The line(s) around a mention, for the reviewer."""
    a = pt.text.rfind("\n", 0, start) + 1
    b = pt.text.find("\n", end)
    return pt.text[a : b if b != -1 else len(pt.text)][:400]


def _documents_read(ledger: Ledger, case: Case) -> tuple[list[StoredDocument], list[tuple[str, str]]]:
    """The documents propose could read, and (name, why) of those it could not."""
    stored = ledger.documents()
    docs = [d for d in stored if d.status == "read"]
    if not docs:
        raise SarkitError(f"{case.root} has no proposals yet: run sarkit propose first.")
    return docs, [(d.name, d.error or "") for d in stored if d.status != "read"]


def _undecided_error(waiting: int, case: Case) -> SarkitError:
    return SarkitError(
        f"{waiting} proposals in {case.root} are undecided: run sarkit review, "
        "or bundle --accept-proposals to take every proposal as decided.",
        ExitCode.NEEDS_PERSON,
    )


def _bundle_result(staging: Staging, skipped: list[tuple[str, str]], report: LeakReport) -> BundleResult:
    t = staging.tally
    return BundleResult(
        t.documents,
        t.pages,
        t.redactions,
        t.kept,
        t.by_code,
        skipped,
        staging.withheld,
        report,
        pages_withheld=staging.pages_withheld,
        path=None,
    )


__all__ = ["BundleResult", "ProposeResult", "VerifyResult", "bundle", "propose", "propose_page", "verify"]
