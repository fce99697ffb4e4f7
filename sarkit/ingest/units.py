"""Ingest's fan-out: documents and page ranges read in forked worker processes, a page callback on each page.

`pipeline.propose` plans *units* (a whole document, or a range of pages of a large PDF), runs
`read_unit` on each in its own forked child (sarkit.workers.map_isolated: a crash, a timeout or a
memory blow-up costs that unit only) with the page function it is given (detect and decide, in
`pipeline.propose_page`), and writes the compact results to the ledger in the parent, the one writer.
A unit streams its pages: each page is read and handed to the page function, then dropped, so memory
is bounded by a unit, never by a case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..errors import DocumentError, SarkitError
from ..models import Document, Page
from ..workers import (
    IsolationError,
    WorkerCrashed,
    WorkerMemoryError,
    WorkerTimeout,
    allow_children,
    map_isolated,
    memory_limit_mb,
    run_isolated,
    stage_limit,
)
from . import page_words, read_document, sha256_file, sniff, title_and_date

RANGE_PAGES = 100  # pages per unit when a large PDF is split
PROBE_BYTES = 256 * 1024  # PDFs at least this big are probed for their page count (smaller ones: one unit)
MEMORY_MB = 2048  # per unit, as for ingest
T = TypeVar("T")  # what the page function makes of a page (pipeline.propose_page: placed proposals)
PageFn = Callable[[str, Page], list[T]]  # (document id, page) -> items; pages never leave the worker


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
class UnitResult(Generic[T]):
    doc: Document  # pages carry no words (index, size and scanned only): the ledger needs no more
    items: list[T] = field(default_factory=list)


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
    from . import pdf as pdfmod

    label = f"documents/{unit.name}"
    pdfmod.quiet_mupdf()
    try:
        doc = pdfmod.open_pdf(str(unit.path), None)
        view = _PageRange(doc, unit.start, unit.stop or doc.page_count)
        for index, width, height, packed, scanned, key in pdfmod.iter_pages(view, ocr_dir):
            index += unit.start
            if key:  # a scan not in the OCR cache
                tessdata = pdfmod.find_tessdata()
                if tessdata is None:
                    raise DocumentError(
                        f"{label} (page {index + 1}) is a scan and OCR data is missing: install tesseract-ocr-eng."
                    )
                read = pdfmod.ocr_page_in_child(str(unit.path), index, key, ocr_dir, tessdata)
                packed = pdfmod.pack_words(read, ocr_from=packed[3])  # a scan: 0; a text page: its own words
            words = page_words(packed, scanned)
            yield Page(index, width, height, words, scanned)
    except pdfmod.ReadProblem as exc:
        raise DocumentError(f"{label}{f' (page {exc.page})' if exc.page else ''} {exc.reason}.") from None


def read_unit(unit: Unit, cache: Path, page_fn: PageFn[T], ocr_workers: int = 1) -> UnitResult[T]:
    """Read a unit's pages and run page_fn on each as it comes; return the items and the bare page list.

    ocr_workers: processes that OCR the unit's scanned pages at once (when there are fewer units than cores).
    """
    allow_children()
    items: list[T] = []
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
    return stage_limit("read", pages)  # OCR of a scanned page can take seconds; text milliseconds


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
class DocOutcome(Generic[T]):
    """One document's assembled result, or its failure: what the parent writes to the ledger."""

    name: str
    doc: Document | None = None
    items: list[T] = field(default_factory=list)
    failure: str = ""
    digest: str = ""


def run_units(
    units: Sequence[Unit],
    cache: Path,
    page_fn: PageFn[T],
    workers: int,
    on_pages: Callable[[int], None] | None = None,
) -> Iterator[DocOutcome[T]]:
    """Run every unit, at most `workers` at once; yield each document once all its units are back.

    The ranges of a split document are put back together in page order; if any range fails, the
    document fails with that range's sentence (the document is then not half-recorded).
    """
    by_doc: dict[str, list[int]] = {}
    for i, u in enumerate(units):
        by_doc.setdefault(u.name, []).append(i)
    done: dict[int, UnitResult[T] | str] = {}
    ocr_workers = max(1, workers // max(1, len(units)))  # cores left over when units are few: OCR their pages
    calls = [(u, cache, page_fn, ocr_workers) for u in units]
    limits = [_unit_timeout(u) for u in units]  # each document (or range of one) its own limit
    memory = memory_limit_mb(MEMORY_MB)
    for index, res in map_isolated(
        read_unit, calls, workers=workers, timeout=max(limits, default=300.0), memory_mb=memory, timeouts=limits
    ):
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


def _assemble(unit: Unit, parts: list[UnitResult[T] | str]) -> DocOutcome[T]:
    failures = [p for p in parts if isinstance(p, str)]
    if failures:
        return DocOutcome(unit.name, failure=failures[0], digest=unit.doc_id)
    results = [p for p in parts if isinstance(p, UnitResult)]
    first = results[0].doc
    pages = tuple(pg for r in results for pg in r.doc.pages)
    doc = Document(first.id, first.name, first.kind, pages, first.pdf, first.title, first.date)
    return DocOutcome(unit.name, doc, [it for r in results for it in r.items])
