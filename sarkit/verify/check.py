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

import bisect
import hashlib
import html
import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pymupdf

from ..case import private_dir
from ..models import Leak, LeakReport
from ..pale import read_pale
from ..workers import die_with_parent
from .match import Matcher
from .memo import PageMemo, new_digest, page_key, reading_context
from .protected import Detector, is_register_key
from .readings import document_readings, ocr_reason, path_reading
from .shown import drawing_key, shown_pages

PageTexts = Iterator[tuple[int, str]]

TEXT_SUFFIXES = {".html", ".htm", ".txt", ".csv", ".json", ".md", ".xml", ".css", ".js", ".svg", ".yaml", ".yml"}
DEFAULT_EXTRACTORS = ("pymupdf", "pdfminer")
BINARY_READINGS = {"pdf-names", "font-program", "image", "stream-strings"}  # sarkit.verify.readings.document_readings
# ("stream-strings": the strings of content streams decoded raw are glyph codes, read as text by the extractors
# through each font's mapping; raw, two or three letters there are chance, not initials)

# PyMuPDF: expand ligatures (no TEXT_PRESERVE_LIGATURES) and read text outside the page box too
_FITZ_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE
_COVER_MIN = 0.6  # share of a character box under a shape drawn later for the character to count as hidden


# ---------------------------------------------------------------- text extractors


def _page_numbers(count: int, pages: range | None) -> range:
    """The pages to read: all of them, or those of `pages` that the document has."""
    return range(count) if pages is None else range(max(0, pages.start), min(count, pages.stop))


def _pymupdf_pages(path: Path, pages: range | None = None) -> PageTexts:
    with pymupdf.open(path, filetype="pdf") as doc:
        for pno in _page_numbers(doc.page_count, pages):
            yield pno, doc[pno].get_text("text", flags=_FITZ_FLAGS)


def _pdfminer_pages(path: Path, pages: range | None = None) -> PageTexts:
    from pdfminer.converter import TextConverter
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    rsrc = PDFResourceManager(caching=True)
    with open(path, "rb") as fh:
        for pno, page in enumerate(PDFPage.get_pages(fh)):
            if pages is not None and pno not in pages:
                if pno >= pages.stop:
                    break
                continue
            out = io.StringIO()
            device = TextConverter(rsrc, out, laparams=LAParams())
            PDFPageInterpreter(rsrc, device).process_page(page)
            device.close()
            yield pno, out.getvalue()


def _pdftotext_pages(path: Path, pages: range | None = None) -> PageTexts:
    cmd = ["pdftotext", "-enc", "UTF-8"]
    first = 0
    if pages is not None:
        if not len(pages):
            return
        first = pages.start
        cmd += ["-f", str(pages.start + 1), "-l", str(pages.stop)]
    run = subprocess.run(
        [*cmd, str(path), "-"], capture_output=True, timeout=600, check=True, preexec_fn=die_with_parent
    )
    for i, text in enumerate(run.stdout.decode("utf-8", "replace").split("\f")):
        if text.strip():
            yield first + i, text


def _native_dpi(page: pymupdf.Page, limit: int) -> int:
    """The pixel density of the page's largest image, at most limit: rendering finer adds no detail."""
    infos = [i for i in page.get_image_info() if not pymupdf.Rect(i["bbox"]).is_empty]
    if not infos:
        return limit
    i = max(infos, key=lambda i: abs(pymupdf.Rect(i["bbox"])))
    native = 72 * (i["width"] * i["height"] / max(1e-6, abs(pymupdf.Rect(i["bbox"])))) ** 0.5
    return max(72, min(limit, round(native)))


def _tesseract_text(page: pymupdf.Page, dpi: int = 300, key: str | None = None) -> str:
    """What Tesseract reads on the page as rendered, with orientation detection (--psm 1), so a page turned
    by 90, 180 or 270 degrees is read too, and the page's pale or slanted writing read on its own
    (sarkit.pale: light grey, at any angle). PyMuPDF's built-in OCR when the tesseract program is missing.
    key: the digest of what the page draws (sarkit.verify.shown.drawing_key), when it has one: the same
    drawing read before (a document's page, then the same page shown in records.pdf) is not read again."""
    if not shutil.which("tesseract"):
        tp = page.get_textpage_ocr(dpi=dpi, full=True, language="eng")
        return page.get_text("text", textpage=tp)
    dpi = _native_dpi(page, dpi)
    args = ["tesseract", "stdin", "stdout", "-l", "eng", "--psm", "1", "--dpi", str(dpi)]
    by_drawing = [*args, "pale", "drawing"]
    if key is not None:
        cached = _ocr_cached(key.encode(), by_drawing)
        if cached is not None:
            return cached
    image = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False).tobytes("png")
    cached = _ocr_cached(image, [*args, "pale"])  # the text read and the page's pale writing (sarkit.pale)
    if cached is None:
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        run = subprocess.run(
            args,
            input=image,
            capture_output=True,
            timeout=300,
            env=env,
            check=True,
            preexec_fn=die_with_parent,
        )
        pale = read_pale(page, preexec=die_with_parent)
        cached = run.stdout.decode("utf-8", "replace") + "\n" + " ".join(w[4] for w in pale)
        _ocr_keep(image, [*args, "pale"], cached)
    if key is not None:
        _ocr_keep(key.encode(), by_drawing, cached)
    return cached


def _read_by_ocr(doc: pymupdf.Document, pno: int, needs: Callable[[pymupdf.Page], object]) -> str | None:
    """The OCR of page pno when ``needs(page)`` says it must be read so, else None. A page that shows other
    pages (records.pdf's sheets: sarkit.verify.shown) is read in parts, each tested with ``needs`` and read by
    its drawing's key; the whole page is read instead when no part needs it or the parts cannot be made."""
    page = doc[pno]
    if not needs(page):
        return None
    parts = shown_pages(doc, pno)
    if parts is not None:
        try:
            texts = [_tesseract_text(part, key=key) for part, key in parts if needs(part)]
        except Exception:  # noqa: BLE001 - the page is read whole, as any page
            texts = []
        if texts:
            return "\n".join(texts)
    return _tesseract_text(page, key=drawing_key(doc, page))


OCR_CACHE: Path | None = None  # set by check_bundle (fanout.py) for its workers: the case's cache of readings


def _ocr_key(image: bytes, args: Sequence[str]) -> Path | None:
    if OCR_CACHE is None:
        return None
    digest = hashlib.sha256(image + "\0".join(args).encode()).hexdigest()
    return OCR_CACHE / digest[:2] / f"{digest}.txt"


def _ocr_cached(image: bytes, args: Sequence[str]) -> str | None:
    """What Tesseract read on exactly these pixels before (a page verified again after others of its file
    were withheld, or by `sarkit verify` after `bundle`): the same image, the same program and options, so
    the same text; the values are matched afresh every time."""
    key = _ocr_key(image, args)
    try:
        return key.read_text(encoding="utf-8") if key is not None and key.is_file() else None
    except OSError:
        return None


def _ocr_keep(image: bytes, args: Sequence[str], text: str) -> None:
    key = _ocr_key(image, args)
    if key is None:
        return
    try:
        if not key.parent.is_dir():
            private_dir(key.parent)
        part = key.with_suffix(f".{os.getpid()}.part")
        part.write_text(text, encoding="utf-8")
        os.chmod(part, 0o600)
        os.replace(part, key)
    except OSError:  # a cache that cannot be written costs time only
        pass


def _ocr_pages(path: Path, pages: range | None = None) -> PageTexts:
    """OCR of every page that shows an image (Tesseract), for text in pixels."""
    with pymupdf.open(path, filetype="pdf") as doc:
        for pno in _page_numbers(doc.page_count, pages):
            text = _read_by_ocr(doc, pno, lambda page: page.get_image_info())
            if text is not None:
                yield pno, text


def is_scan_page(page: pymupdf.Page) -> bool:
    """An image covers at least half of the page: what the reader sees there is pixels, so it is OCRed."""
    area = page.rect.get_area() or 1.0
    return any((pymupdf.Rect(i["bbox"]) & page.rect).get_area() >= 0.5 * area for i in page.get_image_info())


def _ocr_scan_pages(path: Path, pages: range | None = None) -> PageTexts:
    """OCR of the scanned pages only (an image over half the page or more): the check bundle runs."""
    with pymupdf.open(path, filetype="pdf") as doc:
        for pno in _page_numbers(doc.page_count, pages):
            text = _read_by_ocr(doc, pno, is_scan_page)
            if text is not None:
                yield pno, text


def _ocr_unmapped_pages(path: Path, pages: range | None = None) -> PageTexts:
    """OCR of every page that shows text no extractor can map (sarkit.verify.readings.ocr_reason: scans,
    images on text pages, fonts without a Unicode mapping, ink outside the extracted text)."""
    with pymupdf.open(path, filetype="pdf") as doc:
        for pno in _page_numbers(doc.page_count, pages):
            text = _read_by_ocr(doc, pno, ocr_reason)
            if text is not None:
                yield pno, text


EXTRACTORS: dict[str, Callable[[Path, range | None], PageTexts]] = {
    "pymupdf": _pymupdf_pages,
    "pdfminer": _pdfminer_pages,
    "pdftotext": _pdftotext_pages,
    "ocr": _ocr_pages,
    "ocr-scans": _ocr_scan_pages,
    "ocr-unmapped": _ocr_unmapped_pages,
}


# ---------------------------------------------------------------- object checks (PyMuPDF)


class _Findings:
    """The values one file must not reveal: the ledger's (Matcher) and the register's (Detector, every
    folded reading: sarkit.verify.protected), and what was found of them."""

    def __init__(self, rel: str, values: Sequence[tuple[str, str]]):
        self.rel = rel
        self.matcher = Matcher(v for v in values if not is_register_key(v[0]))
        self.detector = Detector(v for v in values if is_register_key(v[0]))
        self.short = {k for k, v in values if sum(ch.isalnum() for ch in v) < 4}
        self.leaks: list[Leak] = []

    def text(self, text: str, where: str, page: int | None, extractor: str) -> bool:
        found = self.matcher.find(text) | self.detector.find(text)
        if extractor in BINARY_READINGS:  # syntax and bytes: "BS" there is a key or noise, not initials
            found -= self.short
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
    return _decode(data)


def _decode(data: bytes) -> str:
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
    """Object dictionaries and non-image, non-font streams, as stored (strings, ActualText, Alt text).

    Read in batches of about a megabyte, so a bundle of thousands of pages is never held as one string.
    """
    chunks: list[str] = []
    size = 0

    def flush() -> None:
        nonlocal size
        if chunks:
            # PDF names (/BS, /Font...) are syntax, not content: left out so they cannot look like a value
            f.text(_PDF_NAME.sub(" ", "\n".join(chunks)), "raw", None, "objects")
        chunks.clear()
        size = 0

    for xref in range(1, doc.xref_length()):
        try:
            obj = doc.xref_object(xref, compressed=False)
        except Exception:  # noqa: BLE001
            continue
        chunks.append(obj)
        size += len(obj)
        if doc.xref_is_stream(xref) and not doc.xref_is_image(xref) and not doc.xref_is_font(xref):
            if "/FontFile" in obj or "/Subtype/Type1C" in obj.replace(" ", "") or "/Length1" in obj:
                continue
            try:
                data = doc.xref_stream(xref) or b""
            except Exception:  # noqa: BLE001
                continue
            strings = _pdf_strings(data)
            chunks.append(strings)
            size += len(strings)
        if size > RAW_BATCH:
            flush()
    flush()


RAW_BATCH = 1 << 20


_PDF_NAME = re.compile(r"/[A-Za-z0-9#._+-]+")
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
    trace = page.get_texttrace()
    _check_covered_text(page, trace, f)
    _check_off_page_text(page, trace, f)


def _outside(b: Sequence[float], box: pymupdf.Rect) -> bool:
    """b lies wholly outside box (a zero-width glyph box inside the page is not outside)."""
    return b[2] < box.x0 or b[0] > box.x1 or b[3] < box.y0 or b[1] > box.y1


def _check_off_page_text(page: pymupdf.Page, trace: list[dict], f: _Findings) -> None:
    """Text drawn wholly outside the visible page: no viewer shows it, every extractor reads it."""
    box = pymupdf.Rect(0, 0, page.cropbox.width, page.cropbox.height)  # texttrace boxes are unrotated
    outside = [
        "".join(chr(ch[0]) for ch in span["chars"]) for span in trace if span["chars"] and _outside(span["bbox"], box)
    ]
    outside = [t for t in outside if t.strip()]
    if outside and not f.text("\n".join(outside), "off-page", page.number, "off-page-text"):
        f.flag("off-page", page.number, "off-page-text")


def _overlap(a: Sequence[float], b: Sequence[float]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _check_covered_text(page: pymupdf.Page, trace: list[dict], f: _Findings) -> None:
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
    bands: dict[int, list[tuple[int, tuple[float, float, float, float]]]] = {}  # covers by 10-point band
    top, bottom = page.rect.y0 - 100, page.rect.y1 + 100  # bands beyond the page are clamped (huge boxes)

    def band_range(y0: float, y1: float) -> range:
        return range(int(min(max(y0, top), bottom) // 10), int(min(max(y1, top), bottom) // 10) + 1)

    for seqno, r in covers:
        for band in band_range(r[1], r[3]):
            bands.setdefault(band, []).append((seqno, r))
    hidden: list[str] = []
    visible_hidden = False
    for span in trace:
        sb = span["bbox"]
        near = {c for band in band_range(sb[1], sb[3]) for c in bands.get(band, ())}
        later = [r for s, r in near if s > span["seqno"] and _overlap(r, sb) > 0]
        if not later:
            continue
        # A character is hidden when a cover takes >= _COVER_MIN of its area, which needs the cover to span
        # that share of its width and of its height: covers that only touch the span's edge (the padding of
        # a neighbouring redaction box, say) cannot hide any character and are dropped before the char loop.
        boxes = [ch[3] for ch in span["chars"] if ch[3][2] > ch[3][0] and ch[3][3] > ch[3][1]]
        if not boxes:
            continue
        min_w = _COVER_MIN * min(b[2] - b[0] for b in boxes)
        min_h = _COVER_MIN * min(b[3] - b[1] for b in boxes)
        sb = span["bbox"]
        later = [
            r
            for r in later
            if min(r[2], sb[2]) - max(r[0], sb[0]) >= min_w and min(r[3], sb[3]) - max(r[1], sb[1]) >= min_h
        ]
        if not later:
            continue
        # a character covered for >= _COVER_MIN (> 1/2) of its area has its centre under the cover, in x and
        # in y: the characters are indexed by the 10-point band of their centre's y, and by x within a band,
        # so each cover tests only the few characters whose centre it holds (a span may run over many lines)
        chars = span["chars"]
        rows: dict[int, tuple[list[float], list[int]]] = {}
        for i, c in enumerate(chars):
            bx0, by0, bx1, by1 = c[3]
            if bx1 > bx0 and by1 > by0:
                row = rows.setdefault(int((by0 + by1) // 20), ([], []))
                row[0].append((bx0 + bx1) / 2)
                row[1].append(i)
        for xs, idx in rows.values():
            if any(a > b for a, b in zip(xs, xs[1:])):
                order = sorted(range(len(xs)), key=xs.__getitem__)
                xs[:] = [xs[k] for k in order]
                idx[:] = [idx[k] for k in order]
        covered_idx: set[int] = set()
        for rx0, ry0, rx1, ry1 in later:
            for band in range(int(ry0 // 10), int(ry1 // 10) + 1):
                in_band = rows.get(band)
                if in_band is None:
                    continue
                xs, idx = in_band
                for k in range(bisect.bisect_left(xs, rx0), bisect.bisect_right(xs, rx1)):
                    i = idx[k]
                    if i in covered_idx:
                        continue
                    bx0, by0, bx1, by1 = chars[i][3]
                    w = (bx1 if bx1 < rx1 else rx1) - (bx0 if bx0 > rx0 else rx0)
                    h = (by1 if by1 < ry1 else ry1) - (by0 if by0 > ry0 else ry0)
                    if w > 0 and h > 0 and w * h >= _COVER_MIN * (bx1 - bx0) * (by1 - by0):
                        covered_idx.add(i)
        if not covered_idx:
            continue
        run = [chr(c[0]) if i in covered_idx else " " for i, c in enumerate(chars)]
        text = "".join(run)
        if text.strip():
            hidden.append(text)
            visible_hidden |= span.get("type", 0) != 3 and span.get("opacity", 1) > 0
    if hidden and not f.text("\n".join(hidden), "overlay", page.number, "covered-text") and visible_hidden:
        f.flag("overlay", page.number, "covered-text")


# ---------------------------------------------------------------- public


def verify_pdf(
    path: Path,
    values: Sequence[tuple[str, str]],
    *,
    rel: str,
    extractors: Sequence[str] = DEFAULT_EXTRACTORS,
    pages: range | None = None,
) -> list[Leak]:
    """Findings for one PDF: every place where one of values (proposal id, redacted text) can be recovered.

    pages: check only these pages (and, with the first of them, the file's own objects), so a large PDF
    can be checked in pieces by several workers; the pieces' findings together are the whole file's.
    """
    path = Path(path)
    f = _Findings(rel, values)
    pymupdf.TOOLS.mupdf_display_errors(False)  # MuPDF's repair messages are not findings
    pymupdf.TOOLS.mupdf_display_warnings(False)
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception:  # noqa: BLE001
        f.flag("unreadable", None, "pymupdf")
        return f.leaks
    with doc:
        if doc.needs_pass:
            f.flag("unreadable", None, "pymupdf")
            return f.leaks
        if has_optional_content(doc) and "pdfminer" not in extractors:
            # PyMuPDF and pdftotext leave out content that a layer hides; pdfminer.six reads it all
            extractors = (*extractors, "pdfminer")
        if pages is None or pages.start == 0:  # the whole file's objects: checked with its first pages
            for name, check in (
                ("objects", _check_document_objects),
                ("raw", _check_raw_objects),
                ("objects-decoded", _check_readings),
            ):
                try:
                    check(doc, f)
                except Exception:  # noqa: BLE001
                    f.flag("unreadable", None, name)
        wanted = list(_page_numbers(doc.page_count, pages))
        keys = _page_keys(doc, wanted, values, extractors)
        todo = [pno for pno in wanted if not (PAGE_MEMO and PAGE_MEMO.clean(keys.get(pno)))]
        start = len(f.leaks)  # the file's own readings are above; the pages' readings follow
        for pno in todo:
            try:
                _check_page_objects(doc[pno], f)
            except Exception:  # noqa: BLE001
                f.flag("unreadable", pno, "objects")
    for name in extractors:
        if len(todo) == len(wanted):
            _extract_and_match(path, name, f, pages)
        else:
            for run in _runs(todo):
                _extract_and_match(path, name, f, run)
    _keep_clean(keys, todo, f.leaks[start:])
    return _dedupe(f.leaks)


PAGE_MEMO: PageMemo | None = None  # set by check_bundle for bundle's rounds: pages found clean (sarkit.verify.memo)


def _page_keys(
    doc: pymupdf.Document, pnos: Sequence[int], values: Sequence[tuple[str, str]], extractors: Sequence[str]
) -> dict[int, str | None]:
    """Each page's key in the memo of clean pages (none without a memo)."""
    if PAGE_MEMO is None:
        return {}
    try:
        context = reading_context(doc, values, extractors)
    except Exception:  # noqa: BLE001 - no keys: every page is read
        return {}
    digest = new_digest(doc)
    return {pno: page_key(digest, doc, pno, context) for pno in pnos}


def _runs(pnos: Sequence[int]) -> list[range]:
    """Consecutive page numbers as ranges."""
    out: list[range] = []
    for pno in pnos:
        if out and out[-1].stop == pno:
            out[-1] = range(out[-1].start, pno + 1)
        else:
            out.append(range(pno, pno + 1))
    return out


def _keep_clean(keys: Mapping[int, str | None], read: Sequence[int], leaks: Sequence[Leak]) -> None:
    """Remember the pages read now that gave no finding, unless a reading failed for the piece as a whole."""
    if PAGE_MEMO is None or any(lk.page is None for lk in leaks):
        return
    found = {int(lk.page) for lk in leaks if lk.page is not None}
    for pno in read:
        if pno not in found:
            PAGE_MEMO.keep(keys.get(pno))


def has_optional_content(doc: pymupdf.Document) -> bool:
    """The file has optional content (layers): some of its text may be hidden from most extractors."""
    try:
        return doc.xref_get_key(doc.pdf_catalog(), "OCProperties")[0] != "null"
    except Exception:  # noqa: BLE001 - cannot tell: read it all
        return True


def _check_readings(doc: pymupdf.Document, f: _Findings) -> None:
    """Decoded objects and streams, image metadata, font programs, page labels, layers (sarkit.verify.readings)."""
    for where, page, extractor, text in document_readings(doc):
        f.text(text, where, page, extractor)


def _extract_and_match(path: Path, name: str, f: _Findings, pages: range | None = None) -> None:
    try:
        for pno, text in EXTRACTORS[name](path, pages):
            f.text(text, "text", pno, name)
    except Exception:  # noqa: BLE001 - any failure of an extractor is reported, never ignored
        f.flag("unreadable", None, name)


def _dedupe(leaks: list[Leak]) -> list[Leak]:
    return list(dict.fromkeys(leaks))


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(5)


_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")


_CHUNK = 1 << 18  # characters of a text file searched at once
_OVERLAP = 8192  # characters of the chunk before repeated at the start of the next, for values cut at a seam


def _text_view(text: str, markup: bool) -> str:
    """A piece of a text-like file as it is searched: as written; for markup, also unescaped, and unescaped
    without its tags."""
    if not markup:
        return text
    stripped = re.sub(r"<[^>]+>", " ", text)
    return text + "\n" + html.unescape(text) + "\n" + html.unescape(stripped)


def _text_chunks(path: Path) -> Iterator[str]:
    """The text of a text-like file, in overlapping pieces of bounded size (records.html of a 5,000-page case
    is read a piece at a time, never whole). Embedded base64 data (images in records.html) is not text and is
    left out: the pictures themselves are rendered from already-redacted pages."""
    markup = path.suffix.lower() in (".html", ".htm", ".svg", ".xml")
    if _head(path) == b"%PDF-":  # a PDF named as text: its text
        yield _text_view(_bytes_text(path.read_bytes()), markup)
        return
    buf: list[str] = []
    size = 0
    carry = ""
    with open(path, "rb") as fh:
        for raw in fh:
            line = _DATA_URI.sub("data:", _decode(raw))
            buf.append(line)
            size += len(line)
            if size >= _CHUNK:
                window = carry + "".join(buf)
                yield _text_view(window, markup)
                carry, buf, size = window[-_OVERLAP:], [], 0
    if buf or not carry:
        yield _text_view(carry + "".join(buf), markup)


def verify_folders(root: Path, values: Sequence[tuple[str, str]]) -> list[Leak]:
    """Findings in the names of the folders under root (an empty folder named after someone is a leak too;
    the folders of a file are also read with the file's own path)."""
    f = _Findings("", values)
    for d in sorted(p for p in Path(root).rglob("*") if p.is_dir()):
        rel = d.relative_to(root).as_posix() + "/"
        f.rel = rel
        f.text(path_reading(rel), "path", None, "path")
    return _dedupe(f.leaks)


def records_offenders(folder: Path, names: Sequence[str], values: Sequence[tuple[str, str]]) -> list[str]:
    """Which of the documents `names` (paths under folder) show one of values, in PyMuPDF's reading of their
    text, metadata title, or their path: those records.pdf/html are then built without."""
    out: list[str] = []
    if not values:
        return out
    for name in names:
        f = _Findings(name, values)
        f.text(path_reading(name), "path", None, "path")
        try:
            with pymupdf.open(folder / name, filetype="pdf") as doc:
                f.text(str((doc.metadata or {}).get("title") or ""), "metadata", None, "objects")
                for page in doc:
                    if f.leaks:
                        break
                    f.text(page.get_text("text", flags=_FITZ_FLAGS), "text", page.number, "pymupdf")
        except Exception:  # noqa: BLE001 - an unreadable document is its own check's finding
            continue
        if f.leaks:
            out.append(name)
    return out


def verify_file(
    path: Path,
    values: Sequence[tuple[str, str]],
    *,
    rel: str,
    extractors: Sequence[str] = DEFAULT_EXTRACTORS,
    pages: range | None = None,
) -> list[Leak]:
    """Findings for one file of a bundle. PDFs get the full check (verify_pdf, of `pages` only if given);
    .html/.txt/.csv and other text files are searched as text; a file of any other type cannot be proved
    clean and is a finding (where="unverified")."""
    suffix = path.suffix.lower()
    f = _Findings(rel, values)
    if pages is None or pages.start == 0:  # the file and folder names: once per file
        f.text(path_reading(rel), "path", None, "path")
    if suffix == ".pdf" or _head(path) == b"%PDF-":
        return _dedupe(f.leaks + verify_pdf(path, values, rel=rel, extractors=extractors, pages=pages))
    if suffix in TEXT_SUFFIXES:
        for chunk in _text_chunks(path):
            f.text(chunk, "text", None, "text")
        return _dedupe(f.leaks)
    return [*f.leaks, Leak(rel, None, "unverified", "", "none")]


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
    all_values: set[tuple[str, str]] = set(anywhere)
    for path in files:
        rel = path.relative_to(bundle_dir).as_posix()
        all_values.update(per_file.get(rel, ()))
        leaks.extend(verify_file(path, [*per_file.get(rel, ()), *anywhere], rel=rel, extractors=extractors))
    return LeakReport(files=len(files), values=len(all_values), leaks=tuple(_dedupe(leaks)))
