"""The machinery behind `workers=N`: documents and page ranges in forked worker processes.

`pipeline.propose` plans *units* (a whole document, or a range of pages of a large PDF), runs
`propose_unit` on each in its own forked child (sarkit.ingest.worker.map_isolated: a crash, a
timeout or a memory blow-up costs that unit only), and writes the compact results to the ledger
in the parent, the one writer. A unit streams its pages: each page is read, detected, decided and
turned into rectangles, then dropped, so memory is bounded by a unit, never by a case.

`bundle` uses `redact_all` (one child per document, which also reads the redacted document back for
the records) and `verify_all` (groups of files, and of page ranges of long PDFs).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DocumentError, SarkitError
from .ingest import read_document, sha256_file, sniff, title_and_date
from .ingest.worker import (
    IsolationError,
    WorkerCrashed,
    WorkerMemoryError,
    WorkerTimeout,
    document_timeout,
    map_isolated,
    memory_limit_mb,
    run_isolated,
)
from .models import Document, LeakReport, Page, Proposal, Redaction, Word

RANGE_PAGES = 100  # pages per unit when a large PDF is split
PROBE_BYTES = 256 * 1024  # PDFs at least this big are probed for their page count (smaller ones: one unit)
MEMORY_MB = 2048  # per unit, as for ingest
Rect = tuple[float, float, float, float]
Item = tuple[Proposal, tuple[Rect, ...], str]  # what the ledger stores: proposal, boxes, context line
PageFn = Callable[[str, Page], list[Item]]  # (document id, page) -> items; pages never leave the worker


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------- planning


@dataclass(frozen=True)
class Unit:
    """A piece of work for one child: a whole document (stop is None) or pages [start, stop) of a plain PDF."""

    path: Path
    name: str
    password: str | None = None
    start: int = 0
    stop: int | None = None
    doc_id: str = ""  # sha256 of the file, known in advance for ranges
    pages: int = 0  # page count of the whole document when probed (0: unknown)


@dataclass
class UnitResult:
    doc: Document  # pages carry no words (index, size and scanned only): the ledger needs no more
    items: list[Item] = field(default_factory=list)


def _pdf_facts(path: str) -> tuple[int, bool]:
    """(page count, encrypted) of a PDF; runs isolated."""
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    with pymupdf.open(path, filetype="pdf") as doc:
        encrypted = bool(doc.needs_pass or doc.is_encrypted or (doc.metadata or {}).get("encryption"))
        return doc.page_count, encrypted


def plan_units(files: Iterable[tuple[Path, str, str | None]], range_pages: int | None = None) -> list[Unit]:
    """One unit per document; a plain (unencrypted) PDF of more than range_pages pages is split in ranges.

    files: (path, name relative to documents/, password). Anything unusual (a DOCX, an image, an
    encrypted or unreadable PDF) is one whole-document unit, read by sarkit.ingest as usual.
    """
    range_pages = range_pages or RANGE_PAGES
    units: list[Unit] = []
    for path, name, password in files:
        pages = 0
        try:
            big = path.stat().st_size >= PROBE_BYTES
            if big and not password and path.suffix.lower() == ".pdf" and sniff(path) == "pdf":
                pages, encrypted = run_isolated(_pdf_facts, str(path), timeout=60, memory_mb=1024)
                if encrypted:
                    pages = 0
        except (OSError, IsolationError, Exception):  # noqa: BLE001 - read_document will say what is wrong
            pages = 0
        if pages <= range_pages:
            units.append(Unit(path, name, password, pages=pages))
            continue
        digest = sha256_file(path)
        units.extend(
            Unit(path, name, None, a, min(a + range_pages, pages), digest, pages) for a in range(0, pages, range_pages)
        )
    return units


# ---------------------------------------------------------------- the work of one unit (in a child)


class _PageRange:
    """A view of pages [start, stop) of an open PDF, with the interface sarkit.ingest.pdf.iter_pages uses."""

    def __init__(self, doc: Any, start: int, stop: int):
        self._doc, self.start = doc, start
        self.page_count = max(0, min(stop, doc.page_count) - start)

    def load_page(self, i: int) -> Any:
        return self._doc.load_page(self.start + i)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._doc, name)


def _range_pages(unit: Unit, ocr_dir: str) -> Iterator[Page]:
    """Pages [start, stop) of a plain PDF, one at a time, with OCR words for scanned pages."""
    from .ingest import pdf as pdfmod

    label = f"documents/{unit.name}"
    pdfmod.quiet_mupdf()
    try:
        doc = pdfmod.open_pdf(str(unit.path), None)
        view = _PageRange(doc, unit.start, unit.stop or doc.page_count)
        for index, width, height, packed, scanned, key in pdfmod.iter_pages(view, ocr_dir):
            index += unit.start
            raw = list(pdfmod.unpack_words(packed))
            if key:  # a scan not in the OCR cache
                tessdata = pdfmod.find_tessdata()
                if tessdata is None:
                    raise DocumentError(
                        f"{label} (page {index + 1}) is a scan and OCR data is missing: install tesseract-ocr-eng."
                    )
                raw = pdfmod.ocr_page_in_child(str(unit.path), index, key, ocr_dir, tessdata)
            words = tuple(Word(t, x0, y0, x1, y1, b, ln, scanned) for t, x0, y0, x1, y1, b, ln in raw)
            yield Page(index, width, height, words, scanned)
    except pdfmod.ReadProblem as exc:
        raise DocumentError(f"{label}{f' (page {exc.page})' if exc.page else ''} {exc.reason}.") from None


def allow_children() -> None:
    """Let this (daemonic) worker process start the isolated children that sarkit.ingest forks to parse files.

    multiprocessing refuses children to a daemonic process only so that they are not orphaned; sarkit's
    children are always waited for or killed by their parent.
    """
    proc = multiprocessing.current_process()
    if proc.daemon and getattr(proc, "_popen", None) is None:
        proc.daemon = False


def propose_unit(unit: Unit, cache: Path, page_fn: PageFn, ocr_workers: int = 1) -> UnitResult:
    """Read a unit's pages and run page_fn on each as it comes; return the items and the bare page list.

    ocr_workers: processes that OCR the unit's scanned pages at once (when there are fewer units than cores).
    """
    allow_children()
    items: list[Item] = []
    bare: list[Page] = []
    if unit.stop is None:
        doc = read_document(unit.path, unit.name, cache, unit.password, ocr_workers=ocr_workers)
        for page in doc.pages:
            items.extend(page_fn(doc.id, page))
            bare.append(Page(page.index, page.width, page.height, (), page.scanned))
        return UnitResult(Document(doc.id, doc.name, doc.kind, tuple(bare), doc.pdf, doc.title, doc.date), items)
    for page in _range_pages(unit, str(cache / "ocr")):
        items.extend(page_fn(unit.doc_id, page))
        bare.append(Page(page.index, page.width, page.height, (), page.scanned))
    title, date = title_and_date(unit.name)
    return UnitResult(Document(unit.doc_id, unit.name, "pdf", tuple(bare), unit.path, title, date), items)


def _unit_timeout(unit: Unit) -> float:
    pages = (unit.stop - unit.start) if unit.stop is not None else unit.pages
    return document_timeout(120.0 + 10.0 * pages)  # OCR of a scanned page can take seconds; text milliseconds


def _failure_sentence(unit: Unit, exc: BaseException) -> str:
    label = f"documents/{unit.name}"
    if unit.stop is not None:
        label += f" (pages {unit.start + 1}-{unit.stop})"
    if isinstance(exc, (DocumentError, SarkitError)):
        return exc.message
    if isinstance(exc, WorkerTimeout):
        return f"{label} was skipped: reading it passed the limit of {_unit_timeout(unit):g} s per document."
    if isinstance(exc, WorkerMemoryError):
        return f"{label} needed more than {memory_limit_mb(MEMORY_MB)} MB of memory to read and was skipped."
    if isinstance(exc, WorkerCrashed):
        return f"{label} crashed the reader and was skipped (the file is probably damaged)."
    return f"{label} could not be processed ({exc.__class__.__name__})."


# ---------------------------------------------------------------- running the units (in the parent)


@dataclass
class DocOutcome:
    """One document's assembled result, or its failure: what the parent writes to the ledger."""

    name: str
    doc: Document | None = None
    items: list[Item] = field(default_factory=list)
    failure: str = ""
    digest: str = ""


def run_units(
    units: Sequence[Unit],
    cache: Path,
    page_fn: PageFn,
    workers: int,
    on_pages: Callable[[int], None] | None = None,
) -> Iterator[DocOutcome]:
    """Run every unit, at most `workers` at once; yield each document once all its units are back.

    The ranges of a split document are put back together in page order; if any range fails, the
    document fails with that range's sentence (the document is then not half-recorded).
    """
    by_doc: dict[str, list[int]] = {}
    for i, u in enumerate(units):
        by_doc.setdefault(u.name, []).append(i)
    done: dict[int, UnitResult | str] = {}
    ocr_workers = max(1, workers // max(1, len(units)))  # cores left over when units are few: OCR their pages
    calls = [(u, cache, page_fn, ocr_workers) for u in units]
    timeout = max((_unit_timeout(u) for u in units), default=300.0)
    memory = memory_limit_mb(MEMORY_MB)
    for index, res in map_isolated(propose_unit, calls, workers=workers, timeout=timeout, memory_mb=memory):
        unit = units[index]
        if isinstance(res, UnitResult):
            done[index] = res
            if on_pages:
                on_pages(len(res.doc.pages))
        else:
            done[index] = _failure_sentence(unit, res)  # type: ignore[arg-type]
        parts = by_doc[unit.name]
        if all(i in done for i in parts):
            yield _assemble(unit, [done.pop(i) for i in parts])


def _assemble(unit: Unit, parts: list[UnitResult | str]) -> DocOutcome:
    failures = [p for p in parts if isinstance(p, str)]
    if failures:
        return DocOutcome(unit.name, failure=failures[0], digest=unit.doc_id)
    results = [p for p in parts if isinstance(p, UnitResult)]
    first = results[0].doc
    pages = tuple(pg for r in results for pg in r.doc.pages)
    doc = Document(first.id, first.name, first.kind, pages, first.pdf, first.title, first.date)
    return DocOutcome(unit.name, doc, [it for r in results for it in r.items])


# ---------------------------------------------------------------- bundle: redact and verify in parallel


@dataclass(frozen=True)
class RedactJob:
    src: Path
    dest: Path
    redactions: tuple[Redaction, ...]
    title: str
    name: str  # the source document's name, for a message
    sweep: tuple[tuple[str, str, str], ...] = ()  # (text, code, proposal id) redacted wherever they show
    ocr_cache: Path | None = None  # where the OCR of redacted scans is kept between bundles
    record: ReadJob | None = None  # then the redacted document is read back for records.pdf and .html
    pages: int = 0  # the document's page count: its time limit grows with it


@dataclass(frozen=True)
class ReadJob:
    """sarkit.render.records.read_record's arguments for a document once it is redacted."""

    staging: Path
    rec: Any  # RecordDoc
    anchor: str
    reasons: Mapping[str, str]
    parts: Path


def _redact(job: RedactJob) -> Any:
    """Redact one document; then, if asked, read the result back for the records (a RecordPages)."""
    from .render import redact_pdf
    from .render.records import read_record
    from .render.sweep import Sweep

    redact_pdf(job.src, job.dest, job.redactions, title=job.title, sweep=Sweep(job.sweep), ocr_cache=job.ocr_cache)
    r = job.record
    return read_record(r.staging, r.rec, r.anchor, r.reasons, r.parts) if r is not None else None


def redact_timeout(pages: int) -> float:
    """The wall-clock limit for redacting one document (and reading it back for the records)."""
    return document_timeout(90.0 + 6.0 * max(1, pages))  # a redacted scan is OCRed again: seconds a page


REDACT_MEMORY_MB = 3072


def _redact_failure(exc: BaseException, limit: float) -> str:
    """Why a document was held back from the bundle, as a clause for 'held back from the bundle: NAME (...)'."""
    if isinstance(exc, SarkitError):
        return exc.message.rstrip(".")
    if isinstance(exc, WorkerTimeout):
        return f"redacting it passed the limit of {limit:g} s per document"
    if isinstance(exc, WorkerMemoryError):
        return f"redacting it needed more than the limit of {memory_limit_mb(REDACT_MEMORY_MB)} MB of memory"
    if isinstance(exc, WorkerCrashed):
        return "it crashed the redaction (the file is probably damaged)"
    return f"it could not be redacted ({exc.__class__.__name__})"


def redact_all(jobs: Sequence[RedactJob], workers: int) -> tuple[dict[str, Any], dict[str, str]]:
    """redact_pdf for every job, each document in its own child with a time and a memory limit, `workers` at a time.

    Returns what the jobs that asked for it read back for the records (RecordPages by out_name), and the
    documents that could not be redacted within their limits: {job.name: why}, a clause for one sentence.
    A failed document costs that document only; its partial output is removed.
    """
    read: dict[str, Any] = {}
    failed: dict[str, str] = {}
    limits = [redact_timeout(j.pages) for j in jobs]
    memory = memory_limit_mb(REDACT_MEMORY_MB)
    calls = [(j,) for j in jobs]
    for index, res in map_isolated(
        _redact, calls, workers=max(1, workers), timeout=max(limits, default=1.0), memory_mb=memory, timeouts=limits
    ):
        job = jobs[index]
        if isinstance(res, BaseException):
            failed[job.name] = _redact_failure(res, limits[index])
            job.dest.unlink(missing_ok=True)
            continue
        if res is not None and job.record is not None:
            read[job.record.rec.out_name] = res
    return read, failed


VERIFY_MEMORY_MB = 3072


def verify_timeout(pages: int) -> float:
    """The wall-clock limit for checking one file (or piece of a long PDF) of the bundle."""
    return document_timeout(90.0 + 6.0 * max(1, pages))  # OCR of the scanned pages: seconds a page


VERIFY_PAGES = 200  # a PDF longer than this is checked in pieces of this many pages, by several workers

VerifyUnit = tuple[str, int, int]  # (file relative to the bundle, first page, page after the last); -1: whole


def _verify_units(
    bundle_dir: str,
    units: list[VerifyUnit],
    per_file: Mapping[str, Sequence[tuple[str, str]]],
    anywhere: Sequence[tuple[str, str]],
    extractors: tuple[str, ...],
) -> list[Any]:
    """The findings (Leaks) for some files, or page ranges of files, of bundle_dir."""
    from .verify import verify_file

    out: list[Any] = []
    for rel, start, stop in units:
        pages = range(start, stop) if start >= 0 else None
        values = [*per_file.get(rel, ()), *anywhere]
        out.extend(verify_file(Path(bundle_dir, rel), values, rel=rel, extractors=extractors, pages=pages))
    return out


def _plan_verify(files: list[Path], root: Path) -> list[tuple[VerifyUnit, int]]:
    """Each file as one unit, a long PDF as pieces of VERIFY_PAGES pages; with each unit's weight (pages)."""
    import pymupdf

    out: list[tuple[VerifyUnit, int]] = []
    for f in files:
        rel = f.relative_to(root).as_posix()
        count = 0
        if f.suffix.lower() == ".pdf":
            try:
                with pymupdf.open(f, filetype="pdf") as doc:
                    count = doc.page_count
            except Exception:  # noqa: BLE001 - the check itself reports a file it cannot open
                count = 0
        if count > VERIFY_PAGES:
            out.extend(
                ((rel, a, min(count, a + VERIFY_PAGES)), min(VERIFY_PAGES, count - a))
                for a in range(0, count, VERIFY_PAGES)
            )
        else:
            out.append(((rel, -1, -1), max(1, count, f.stat().st_size // 50_000)))
    return out


def verify_all(
    bundle_dir: Path,
    per_file: Mapping[str, Sequence[tuple[str, str]]],
    anywhere: Sequence[tuple[str, str]] = (),
    *,
    extractors: Sequence[str],
    workers: int,
) -> LeakReport:
    """verify_bundle, with the files (and the pieces of long PDFs) checked in groups by `workers` children.
    The same findings as one call (grouped by piece): a long PDF's pieces together are checked exactly as
    the whole file is.

    A group that cannot be checked (its child crashed) is a finding for each of its files.
    """
    from .models import Leak
    from .verify import verify_bundle

    bundle_dir = Path(bundle_dir)
    files = sorted(p for p in bundle_dir.rglob("*") if p.is_file()) if bundle_dir.is_dir() else []
    if not files:
        return verify_bundle(bundle_dir, per_file, anywhere, extractors=tuple(extractors))
    planned = _plan_verify(files, bundle_dir)
    weight = dict(planned)
    groups = _balanced_groups(planned, 4 * max(1, workers))
    calls = [(str(bundle_dir), g, per_file, tuple(anywhere), tuple(extractors)) for g in groups]
    limits = [sum(verify_timeout(weight[u]) for u in g) for g in groups]
    memory = memory_limit_mb(VERIFY_MEMORY_MB)
    found: dict[int, list[Any]] = {}
    for index, res in map_isolated(
        _verify_units, calls, workers=max(1, workers), timeout=max(limits), memory_mb=memory, timeouts=limits
    ):
        if isinstance(res, list):
            found[index] = res
        else:  # a file that cannot be checked within its limits fails: verify holds back, never passes
            why = "timeout" if isinstance(res, WorkerTimeout) else "none"
            found[index] = [Leak(rel, None, "unverified", "", why) for rel, _, _ in groups[index]]
    leaks = tuple(dict.fromkeys(lk for i in range(len(groups)) for lk in found[i]))
    values = set(anywhere)
    for p in files:
        values.update(per_file.get(p.relative_to(bundle_dir).as_posix(), ()))
    return LeakReport(files=len(files), values=len(values), leaks=leaks)


def _balanced_groups(units: list[tuple[VerifyUnit, int]], n: int) -> list[list[VerifyUnit]]:
    """Contiguous groups of units (in path and page order, so findings keep their order) of similar weight."""
    target = sum(w for _, w in units) / max(1, n)
    groups: list[list[VerifyUnit]] = [[]]
    acc = 0
    for unit, w in units:
        if groups[-1] and acc + w > target and len(groups) < n:
            groups.append([])
            acc = 0
        groups[-1].append(unit)
        acc += w
    return groups
