"""Reopen output files and prove that no redacted value can be recovered from them.

Nothing here trusts the renderer: each PDF is read by two independent text extractors (PyMuPDF and
pdfminer.six, or poppler's pdftotext), and its objects are searched as well: metadata, XMP, annotations,
bookmarks, attachments, form fields, JavaScript, raw object dictionaries and streams, and text hidden
under a filled shape or an image drawn on top of it (the checks x-ray makes).

A finding is a Leak naming the file, page, place, proposal id and the extractor or check that found it.
The redacted text itself never appears in a finding. A check that could not run is a finding too
(where="unreadable"), so a verification that did not happen is never reported as a pass.
"""

from __future__ import annotations

import html
import io
import os
import re
import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pymupdf

from ..models import Leak, LeakReport
from .match import Matcher

PageTexts = Iterator[tuple[int, str]]

TEXT_SUFFIXES = {".html", ".htm", ".txt", ".csv", ".json", ".md", ".xml", ".css", ".js", ".svg", ".yaml", ".yml"}
DEFAULT_EXTRACTORS = ("pymupdf", "pdfminer")

# PyMuPDF: expand ligatures (no TEXT_PRESERVE_LIGATURES) and read text outside the page box too
_FITZ_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE
_COVER_MIN = 0.6  # share of a character box under a shape drawn later for the character to count as hidden


# ---------------------------------------------------------------- text extractors


def _pymupdf_pages(path: Path) -> PageTexts:
    with pymupdf.open(path, filetype="pdf") as doc:
        for page in doc:
            yield page.number, page.get_text("text", flags=_FITZ_FLAGS)


def _pdfminer_pages(path: Path) -> PageTexts:
    from pdfminer.converter import TextConverter
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    rsrc = PDFResourceManager(caching=True)
    with open(path, "rb") as fh:
        for pno, page in enumerate(PDFPage.get_pages(fh)):
            out = io.StringIO()
            device = TextConverter(rsrc, out, laparams=LAParams())
            PDFPageInterpreter(rsrc, device).process_page(page)
            device.close()
            yield pno, out.getvalue()


def _pdftotext_pages(path: Path) -> PageTexts:
    run = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=600, check=True)
    for pno, text in enumerate(run.stdout.decode("utf-8", "replace").split("\f")):
        if text.strip():
            yield pno, text


def _ocr_pages(path: Path) -> PageTexts:
    """OCR of every page that shows an image (Tesseract through PyMuPDF), for text in pixels."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with pymupdf.open(path, filetype="pdf") as doc:
        for page in doc:
            if page.get_image_info():
                tp = page.get_textpage_ocr(dpi=300, full=True, language="eng")
                yield page.number, page.get_text("text", textpage=tp)


EXTRACTORS: dict[str, Callable[[Path], PageTexts]] = {
    "pymupdf": _pymupdf_pages,
    "pdfminer": _pdfminer_pages,
    "pdftotext": _pdftotext_pages,
    "ocr": _ocr_pages,
}


# ---------------------------------------------------------------- object checks (PyMuPDF)


class _Findings:
    def __init__(self, rel: str, matcher: Matcher):
        self.rel = rel
        self.matcher = matcher
        self.leaks: list[Leak] = []

    def text(self, text: str, where: str, page: int | None, extractor: str) -> bool:
        found = self.matcher.find(text)
        for pid in sorted(found):
            self.leaks.append(Leak(self.rel, page, where, pid, extractor))
        return bool(found)

    def flag(self, where: str, page: int | None, extractor: str) -> None:
        """A finding not tied to a value (JavaScript, an attachment, an unapplied redaction)."""
        self.leaks.append(Leak(self.rel, page, where, "", extractor))


def _check_document_objects(doc: pymupdf.Document, f: _Findings) -> None:
    meta = doc.metadata or {}
    f.text("\n".join(str(v) for v in meta.values() if v), "metadata", None, "objects")
    info = doc.xref_get_key(-1, "Info")
    if info[0] == "xref":
        xref = int(info[1].split()[0])
        f.text(doc.xref_object(xref, compressed=False), "metadata", None, "objects")
    f.text(doc.get_xml_metadata() or "", "xmp", None, "objects")
    for item in doc.get_toc(simple=False):
        f.text(str(item[1]), "bookmark", int(item[2]) - 1 if item[2] > 0 else None, "objects")
    for name in doc.embfile_names():
        info_d = doc.embfile_info(name)
        f.flag("attachment", None, "objects")
        labels = "\n".join(str(info_d.get(k, "")) for k in ("name", "filename", "ufilename", "description", "desc"))
        f.text(f"{name}\n{labels}", "attachment", None, "objects")
        data = doc.embfile_get(name)
        f.text(_bytes_text(data), "attachment", None, "objects")
    if _has_javascript(doc):
        f.flag("javascript", None, "objects")


def _bytes_text(data: bytes) -> str:
    if data[:5] == b"%PDF-":
        try:
            with pymupdf.open(stream=data, filetype="pdf") as inner:
                return "\n".join(p.get_text() for p in inner)
        except Exception:  # noqa: BLE001
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _has_javascript(doc: pymupdf.Document) -> bool:
    cat = doc.pdf_catalog()
    if doc.xref_get_key(cat, "Names/JavaScript")[0] != "null" or doc.xref_get_key(cat, "AA")[0] != "null":
        return True
    for xref in range(1, doc.xref_length()):
        try:
            if doc.xref_get_key(xref, "S")[1] == "/JavaScript" or doc.xref_get_key(xref, "JS")[0] != "null":
                return True
        except Exception:  # noqa: BLE001 - a damaged object is not JavaScript
            continue
    return False


def _check_raw_objects(doc: pymupdf.Document, f: _Findings) -> None:
    """Object dictionaries and non-image, non-font streams, as stored (strings, ActualText, Alt text)."""
    chunks: list[str] = []
    for xref in range(1, doc.xref_length()):
        try:
            obj = doc.xref_object(xref, compressed=False)
        except Exception:  # noqa: BLE001
            continue
        chunks.append(obj)
        if doc.xref_is_stream(xref) and not doc.xref_is_image(xref) and not doc.xref_is_font(xref):
            if "/FontFile" in obj or "/Subtype/Type1C" in obj.replace(" ", "") or "/Length1" in obj:
                continue
            try:
                data = doc.xref_stream(xref) or b""
            except Exception:  # noqa: BLE001
                continue
            chunks.append(_pdf_strings(data))
    f.text("\n".join(chunks), "raw", None, "objects")


_PDF_STRING = re.compile(rb"\((?:\\.|[^\\)])*\)")


def _pdf_strings(data: bytes) -> str:
    """The literal strings in a content stream, each on a line (the bytes as latin-1)."""
    return "\n".join(m.group(0)[1:-1].decode("latin-1") for m in _PDF_STRING.finditer(data[:5_000_000]))


def _luminance(colour: Sequence[float] | None) -> float:
    if not colour:
        return 1.0
    if len(colour) == 1:
        return colour[0]
    if len(colour) == 4:  # CMYK
        c, m, y, k = colour
        colour = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    r, g, b = colour[:3]
    return 0.299 * r + 0.587 * g + 0.114 * b


def _check_page_objects(page: pymupdf.Page, f: _Findings) -> None:
    pno = page.number
    for annot in page.annots():
        info = annot.info
        f.text("\n".join(str(v) for v in info.values() if v), "annotation", pno, "objects")
        under = page.get_textbox(annot.rect)
        atype = annot.type[0]
        if atype == pymupdf.PDF_ANNOT_REDACT:
            if not f.text(under, "annotation", pno, "redact-annotation"):
                f.flag("annotation", pno, "redact-annotation")
        elif atype in (pymupdf.PDF_ANNOT_HIGHLIGHT, pymupdf.PDF_ANNOT_SQUARE, pymupdf.PDF_ANNOT_INK):
            colours = annot.colors or {}
            dark = _luminance(colours.get("fill") or colours.get("stroke")) < 0.35
            if dark and (annot.opacity is None or annot.opacity < 0 or annot.opacity >= 0.8) and under.strip():
                if not f.text(under, "overlay", pno, "dark-annotation"):
                    f.flag("overlay", pno, "dark-annotation")
    for w in page.widgets():
        f.text(f"{w.field_name or ''}\n{w.field_label or ''}\n{w.field_value or ''}", "form", pno, "objects")
    for link in page.get_links():
        f.text(str(link.get("uri", "")) + "\n" + str(link.get("file", "")), "annotation", pno, "objects")
    _check_covered_text(page, f)


def _overlap(a: Sequence[float], b: Sequence[float]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _check_covered_text(page: pymupdf.Page, f: _Findings) -> None:
    """Text hidden under an opaque filled shape or an image drawn after it (x-ray's class of checks)."""
    covers: list[tuple[int, tuple[float, float, float, float]]] = []
    for d in page.get_drawings():
        fill_opacity = d.get("fill_opacity")
        if d.get("fill") is not None and (fill_opacity is None or fill_opacity >= 0.9) and d["rect"].get_area() > 4:
            covers.append((d["seqno"], tuple(d["rect"])))
    for seqno, (kind, bbox) in enumerate(page.get_bboxlog()):
        if kind in ("fill-image", "fill-imgmask", "fill-shade"):
            covers.append((seqno, tuple(bbox)))
    if not covers:
        return
    hidden: list[str] = []
    visible_hidden = False
    for span in page.get_texttrace():
        later = [r for s, r in covers if s > span["seqno"] and _overlap(r, span["bbox"]) > 0]
        if not later:
            continue
        run: list[str] = []
        for ch in span["chars"]:
            box = ch[3]
            area = (box[2] - box[0]) * (box[3] - box[1])
            covered = area > 0 and any(_overlap(box, r) >= _COVER_MIN * area for r in later)
            run.append(chr(ch[0]) if covered else " ")
        text = "".join(run)
        if text.strip():
            hidden.append(text)
            visible_hidden |= span.get("type", 0) != 3 and span.get("opacity", 1) > 0
    if hidden and not f.text("\n".join(hidden), "overlay", page.number, "covered-text") and visible_hidden:
        f.flag("overlay", page.number, "covered-text")


# ---------------------------------------------------------------- public


def verify_pdf(
    path: Path, values: Sequence[tuple[str, str]], *, rel: str, extractors: Sequence[str] = DEFAULT_EXTRACTORS
) -> list[Leak]:
    """Findings for one PDF: every place where one of values (proposal id, redacted text) can be recovered."""
    path = Path(path)
    f = _Findings(rel, Matcher(values))
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception:  # noqa: BLE001
        f.flag("unreadable", None, "pymupdf")
        return f.leaks
    with doc:
        if doc.needs_pass:
            f.flag("unreadable", None, "pymupdf")
            return f.leaks
        for name, check in (("objects", _check_document_objects), ("raw", _check_raw_objects)):
            try:
                check(doc, f)
            except Exception:  # noqa: BLE001
                f.flag("unreadable", None, name)
        for page in doc:
            try:
                _check_page_objects(page, f)
            except Exception:  # noqa: BLE001
                f.flag("unreadable", page.number, "objects")
    for name in extractors:
        _extract_and_match(path, name, f)
    return _dedupe(f.leaks)


def _extract_and_match(path: Path, name: str, f: _Findings) -> None:
    try:
        for pno, text in EXTRACTORS[name](path):
            f.text(text, "text", pno, name)
    except Exception:  # noqa: BLE001 - any failure of an extractor is reported, never ignored
        f.flag("unreadable", None, name)


def _dedupe(leaks: list[Leak]) -> list[Leak]:
    return list(dict.fromkeys(leaks))


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(5)


def _text_file(path: Path) -> str:
    data = path.read_bytes()
    text = _bytes_text(data)
    if path.suffix.lower() in (".html", ".htm", ".svg", ".xml"):
        stripped = re.sub(r"<[^>]+>", " ", text)
        text = text + "\n" + html.unescape(text) + "\n" + html.unescape(stripped)
    return text


def verify_bundle(
    bundle_dir: Path,
    per_file: Mapping[str, Sequence[tuple[str, str]]],
    anywhere: Sequence[tuple[str, str]] = (),
    *,
    extractors: Sequence[str] = DEFAULT_EXTRACTORS,
) -> LeakReport:
    """Check every file in bundle_dir for its own values (per_file, keyed by relative path) and for anywhere.

    PDFs get the full check (verify_pdf); .html/.txt/.csv and other text files are searched as text. A file
    of any other type cannot be proved clean and is a finding (where="unverified").
    """
    bundle_dir = Path(bundle_dir)
    leaks: list[Leak] = []
    files = sorted(p for p in bundle_dir.rglob("*") if p.is_file()) if bundle_dir.is_dir() else []
    seen: set[str] = set()
    all_values: set[tuple[str, str]] = set(anywhere)
    for path in files:
        rel = path.relative_to(bundle_dir).as_posix()
        seen.add(rel)
        values = [*per_file.get(rel, ()), *anywhere]
        all_values.update(per_file.get(rel, ()))
        suffix = path.suffix.lower()
        if suffix == ".pdf" or _head(path) == b"%PDF-":
            leaks.extend(verify_pdf(path, values, rel=rel, extractors=extractors))
        elif suffix in TEXT_SUFFIXES:
            f = _Findings(rel, Matcher(values))
            f.text(_text_file(path), "text", None, "text")
            leaks.extend(f.leaks)
        else:
            leaks.append(Leak(rel, None, "unverified", "", "none"))
    return LeakReport(files=len(files), values=len(all_values), leaks=tuple(_dedupe(leaks)))
