"""Ingest: read every document of a case, whatever its format, as a PDF of pages of words with boxes.

A PDF is read as is; a DOCX is first rendered to a PDF by sarkit (sarkit.ingest.docx), an image
becomes an image-only PDF, an encrypted PDF is decrypted with its password into the cache. Words
come from PyMuPDF in reading order (OCR for scanned pages). Parsing runs in a child process with
a time and a memory limit (sarkit.workers), so a hostile file costs that file only. units.py reads
the documents of a case (and page ranges of a large PDF) across worker processes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from ..errors import DocumentError
from ..models import Document, Page, Word
from ..workers import (
    WorkerCrashed,
    WorkerFailed,
    WorkerMemoryError,
    WorkerTimeout,
    iter_isolated,
    map_isolated,
    run_isolated,
)
from .pdf import Packed, RawPage, RawWord, ReadProblem, find_tessdata, pack_words, unpack_words

__all__ = ["run_isolated", "sniff", "read_document", "title_and_date", "SUPPORTED_EXTENSIONS"]

SUPPORTED_EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
}
_KIND_WORDS = {"pdf": "a PDF", "docx": "a Word document", "image": "an image"}
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ _-]+")
_TITLE_SUFFIXES = {*SUPPORTED_EXTENSIONS, ".doc"}
_DATES = (  # a date anywhere in a file name, in this order of preference: (pattern, (year, month, day) groups)
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)"), (3, 2, 1)),
)


# ---------------------------------------------------------------- sniffing


def sniff(path: Path) -> str | None:
    """The file's real type from its bytes: "pdf", "docx", "image", or None. The extension is ignored."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError:
        return None
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return "image"
    if head.startswith(b"PK\x03\x04") and _is_docx_zip(path):
        return "docx"
    return None


def _is_docx_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                return True
            if "[Content_Types].xml" in names:
                with zf.open("[Content_Types].xml") as fh:
                    types = fh.read(1 << 20)
                return b"wordprocessingml.document.main+xml" in types
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return False
    return False


def _zip_member_startswith(path: Path, member: str, prefix: bytes) -> bool:
    try:
        with zipfile.ZipFile(path) as zf, zf.open(member) as fh:
            return fh.read(len(prefix)) == prefix
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return False


def _describe_content(path: Path, kind: str | None) -> str:
    if kind:
        return _KIND_WORDS[kind]
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04"):
        if _zip_member_startswith(path, "mimetype", b"application/vnd.oasis.opendocument"):
            return "an OpenDocument file (save it as .docx)"
        return "a ZIP archive that is not a Word document"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Word (.doc) or other Office file"
    return "not a PDF, Word document or image"


# ---------------------------------------------------------------- names


def title_and_date(name: str) -> tuple[str, dt.date | None]:
    """A document's title and date, read from its file name: the one reading sarkit has (the ledger, the
    bundle's contents, headings and order). "2012-04-30 Home Visit.docx" -> ("Home Visit", 2012-04-30).

    The title is the name without its folders, its extension (and the ".pdf" sarkit adds to a rendered
    document) and a leading YYYY-MM-DD date. The date is the first date written in the name: YYYY-MM-DD,
    then YYYYMMDD, then D.M.YYYY (or with - or /); None when there is none.
    """
    base = PurePosixPath(name).name
    stem = base
    for _ in range(2):
        suffix = PurePosixPath(stem).suffix
        if suffix.lower() in _TITLE_SUFFIXES:
            stem = stem[: -len(suffix)]
    m = _DATE_PREFIX.match(stem)
    if m and _valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3))):
        stem = stem[m.end() :]
    date = None
    for pattern, (y, mo, d) in _DATES:
        for mt in pattern.finditer(base):
            date = _valid_date(int(mt.group(y)), int(mt.group(mo)), int(mt.group(d)))
            if date:
                return stem.strip() or base, date
    return stem.strip() or base, date


def _valid_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------- the child's work


CHUNK_PAGES = 25


def _prepare_and_extract(kind: str, src: str, out: str, password: str | None, ocr_dir: str) -> Iterator[object]:
    """Runs in the worker: make the PDF to read (if needed); yield its path, then chunks of pages."""
    from . import pdf as pdfmod

    pdfmod.quiet_mupdf()
    target = src
    if kind == "docx":
        if not Path(out).exists():
            from .docx import render_docx_in_child

            render_docx_in_child(src, out)
        target = out
    elif kind == "image":
        if not Path(out).exists():
            pdfmod.image_to_pdf(src, out)
        target = out
    doc = pdfmod.open_pdf(target, password if kind == "pdf" else None)
    if kind == "pdf" and pdfmod.is_encrypted(doc):
        if not Path(out).exists():
            pdfmod.decrypt_pdf(doc, out)
        target = out
        doc = pdfmod.open_pdf(target, None)
    yield target
    chunk: list[RawPage] = []
    for page in pdfmod.iter_pages(doc, ocr_dir):
        chunk.append(page)
        if len(chunk) >= CHUNK_PAGES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _ocr_in_child(pdf_path: str, index: int, key: str, ocr_dir: str, tessdata: str, timeout: float) -> list[RawWord]:
    from .pdf import ocr_page_in_child

    return ocr_page_in_child(pdf_path, index, key, ocr_dir, tessdata, timeout)


# ---------------------------------------------------------------- read_document


def _label(name: str) -> str:
    return f"documents/{name}"


def _problem(name: str, problem: ReadProblem) -> DocumentError:
    where = f" (page {problem.page})" if problem.page else ""
    return DocumentError(f"{_label(name)}{where} {problem.reason}.")


@contextlib.contextmanager
def _as_document_error(name: str, timeout: float, memory_mb: int, page: int | None = None) -> Iterator[None]:
    """Every failure of an isolated call turned into one DocumentError sentence."""
    where = f" (page {page})" if page else ""
    label = f"{_label(name)}{where}"
    try:
        yield
    except ReadProblem as exc:
        raise _problem(name, exc) from None
    except DocumentError:
        raise
    except WorkerTimeout:
        raise DocumentError(f"{label} took longer than {timeout:g} s to read and was skipped.") from None
    except WorkerMemoryError:
        raise DocumentError(f"{label} needed more than {memory_mb} MB of memory to read and was skipped.") from None
    except WorkerCrashed:
        raise DocumentError(f"{label} crashed the reader and was skipped (the file is probably damaged).") from None
    except (WorkerFailed, Exception):  # noqa: BLE001 - any other failure is this file's, in one sentence
        raise DocumentError(f"{label} is damaged and cannot be read.") from None


def _check_kind(path: Path, name: str) -> str:
    if path.stat().st_size == 0:
        raise DocumentError(f"{_label(name)} is empty (zero bytes).")
    ext = PurePosixPath(name).suffix.lower()
    expected = SUPPORTED_EXTENSIONS.get(ext)
    kind = sniff(path)
    if expected is None:
        raise DocumentError(f"{_label(name)} is not a supported type (PDF, Word .docx, PNG, JPEG or TIFF).")
    if kind != expected:
        content = _describe_content(path, kind)
        raise DocumentError(f"{_label(name)} is not {_KIND_WORDS[expected]}: its content is {content}.")
    return kind


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, read a megabyte at a time (a document's id)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _page(raw: RawPage, packed: Packed) -> Page:
    index, width, height, _, scanned, _ = raw
    return Page(index=index, width=width, height=height, words=page_words(packed, scanned), scanned=scanned)


def page_words(packed: Packed, scanned: bool) -> tuple[Word, ...]:
    """The Words of a page's packed words: OCR words are those of a scan and those read in regions of a text
    page (sarkit.ingest.pdf.region_words, after the index packed with them)."""
    first = packed[3]
    return tuple(
        [
            Word(t, x0, y0, x1, y1, b, ln, scanned or i >= first)
            for i, (t, x0, y0, x1, y1, b, ln) in enumerate(unpack_words(packed))
        ]
    )


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Building a few hundred thousand Words: cycle collection passes would double the cost."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


OcrProgress = Callable[[int, int], None]  # (pages OCRed, pages to OCR) in one document


def _ocr_pending(
    name: str,
    target: str,
    pending: list[RawPage],
    pages: list[Page],
    ocr_dir: str,
    workers: int,
    progress: OcrProgress | None,
    *,
    timeout: float,
    memory_mb: int,
) -> None:
    """OCR the scanned pages not in the cache (and the regions of text pages, sarkit.ingest.pdf.partial_key), in
    parallel, and put their words into pages.

    The first failure (in page order) becomes the document's one-sentence error; the other children are
    stopped.
    """
    tessdata = find_tessdata()
    if tessdata is None:
        raise DocumentError(
            f"{_label(name)} (page {pending[0][0] + 1}) is a scan and OCR data is missing: install tesseract-ocr-eng."
        )
    calls = [(target, raw[0], raw[5], ocr_dir, tessdata, max(1.0, timeout - 2)) for raw in pending]
    done = 0
    if progress:
        progress(0, len(calls))
    results = map_isolated(_ocr_in_child, calls, workers=workers, timeout=timeout, memory_mb=memory_mb)
    with contextlib.closing(results):
        for i, outcome in results:
            raw = pending[i]
            if isinstance(outcome, BaseException):
                with _as_document_error(name, timeout, memory_mb, page=raw[0] + 1):
                    raise outcome
            pages[raw[0]] = _page(raw, pack_words(outcome, ocr_from=raw[3][3]))  # type: ignore[arg-type]
            done += 1
            if progress:
                progress(done, len(calls))


def read_document(
    path: Path,
    name: str,
    workdir: Path,
    password: str | None = None,
    *,
    timeout: float = 120,
    memory_mb: int = 2048,
    ocr_workers: int = 1,
    progress: OcrProgress | None = None,
) -> Document:
    """Read one document of a case into pages of words (see the module docstring).

    ``name`` is the path relative to CASE/documents; ``workdir`` is the private cache
    (CASE/.sarkit/cache) for renderings and OCR words. ``timeout`` applies to reading the file and
    to OCR of each scanned page. Scanned pages not yet in the OCR cache are OCRed over ``ocr_workers``
    processes at once (one isolated child per page, one Tesseract thread each); ``progress(done, total)``
    is called with page counts as they finish (counts only). Raises DocumentError with one sentence
    naming the file.
    """
    path = Path(path)
    workdir = Path(workdir)
    try:
        kind = _check_kind(path, name)
        digest = sha256_file(path)
    except OSError:
        raise DocumentError(f"{_label(name)} cannot be opened.") from None
    workdir.mkdir(parents=True, exist_ok=True)
    ocr_dir = workdir / "ocr"
    out = workdir / f"{digest}.pdf"
    pages: list[Page] = []
    pending: list[RawPage] = []
    with _as_document_error(name, timeout, memory_mb), _gc_paused():
        items = iter_isolated(
            _prepare_and_extract,
            kind,
            str(path),
            str(out),
            password,
            str(ocr_dir),
            timeout=timeout,
            memory_mb=memory_mb,
        )
        with contextlib.closing(items):
            target = str(next(items))
            for chunk in items:
                for raw in chunk:  # type: ignore[attr-defined]
                    pages.append(_page(raw, raw[3]))
                    if raw[5]:
                        pending.append(raw)
    if pending:
        _ocr_pending(
            name, target, pending, pages, str(ocr_dir), ocr_workers, progress, timeout=timeout, memory_mb=memory_mb
        )
    title, date = title_and_date(name)
    return Document(
        id=digest,
        name=name,
        kind=kind,
        pages=tuple(pages),
        pdf=Path(target),
        title=title,
        date=date,
    )
