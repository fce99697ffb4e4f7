"""An invisible OCR text layer for scanned output pages: searchable, selectable, read aloud by screen readers.

After a scanned page is redacted (its pixels rewritten), the page image is OCRed again and every word read
is written back as invisible text (render mode 3) over its place on the image. So the layer holds what a
reader can see on the redacted page and nothing else: a redacted word is not on the image any more, and a
word whose box meets a redaction box is left out as well (the reason code printed on the box, a sliver of
ink at its edge). Any text layer the page had before (an OCR layer of unknown quality that may hold the
redacted words anywhere) is removed first.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

import pymupdf

from ..ingest.pdf import OCR_DPI, find_tessdata, ocr_tsv, parse_tsv, scan_dpi

Rect = tuple[float, float, float, float]
OcrWord = tuple[float, float, float, float, str]  # x0, y0, x1, y1 in PDF points, text

LAYER_VERSION = "layer-v1"
FONT = "helv"
MAX_OVERLAP = 0.2  # a word whose box is covered by a redaction box by more than this share is left out
OCR_TIMEOUT = 120.0


class OcrUnavailable(Exception):
    """Tesseract or its English data is missing, or it failed on the page."""


def is_scan(page: pymupdf.Page) -> bool:
    """An image covers at least half the page and there is no visible text (at most an invisible layer)."""
    area = page.rect.get_area() or 1.0
    if not any((pymupdf.Rect(i["bbox"]) & page.rect).get_area() >= 0.5 * area for i in page.get_image_info()):
        return False
    return all(span.get("type") == 3 or span.get("opacity", 1) == 0 for span in page.get_texttrace())


def strip_text(page: pymupdf.Page) -> None:
    """Remove every piece of text from the page, leaving images and drawings as they are."""
    page.add_redact_annot(page.rect, fill=False, cross_out=False)
    page.apply_redactions(
        images=pymupdf.PDF_REDACT_IMAGE_NONE,
        graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
        text=pymupdf.PDF_REDACT_TEXT_REMOVE,
    )


def ocr_words(page: pymupdf.Page, *, cache: Path | None = None, dpi: int = OCR_DPI) -> list[OcrWord]:
    """The words Tesseract reads on the page as rendered (what a reader sees), with boxes in PDF points.

    Cached in ``cache`` (a folder) by the hash of the rendered pixels when given. Raises OcrUnavailable.
    """
    tessdata = find_tessdata()
    if tessdata is None:
        raise OcrUnavailable("tesseract-ocr-eng is not installed")
    dpi = scan_dpi(page, dpi)
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    image = pix.tobytes("png")
    sx, sy = page.rect.width / max(1, pix.width), page.rect.height / max(1, pix.height)
    del pix
    key = hashlib.sha256(f"{LAYER_VERSION}|{dpi}|{sx}|{sy}|".encode() + image).hexdigest()
    cached = _load(cache, key)
    if cached is not None:
        return cached
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        tsv = ocr_tsv(image, tessdata, dpi, OCR_TIMEOUT)
    except Exception as exc:  # noqa: BLE001 - ReadProblem, a timeout, a missing program
        raise OcrUnavailable("tesseract failed") from exc
    words = [(w[0], w[1], w[2], w[3], str(w[4])) for w in parse_tsv(tsv, sx, sy, page.rect.x0, page.rect.y0)]
    _store(cache, key, words)
    return words


def _load(cache: Path | None, key: str) -> list[OcrWord] | None:
    if cache is None:
        return None
    try:
        data = json.loads((cache / f"{key}.json").read_text(encoding="utf-8"))
        return [(float(a), float(b), float(c), float(d), str(t)) for a, b, c, d, t in data]
    except (OSError, ValueError, TypeError):
        return None


def _store(cache: Path | None, key: str, words: list[OcrWord]) -> None:
    if cache is None:
        return
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / f"{key}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(words), encoding="utf-8")
    os.replace(tmp, cache / f"{key}.json")


def _covered(box: Rect, rects: Sequence[Rect]) -> bool:
    area = max(1e-6, (box[2] - box[0]) * (box[3] - box[1]))
    for r in rects:
        w = min(box[2], r[2]) - max(box[0], r[0])
        h = min(box[3], r[3]) - max(box[1], r[1])
        if w > 0 and h > 0 and w * h > MAX_OVERLAP * area:
            return True
    return False


def write_layer(page: pymupdf.Page, words: Sequence[OcrWord], redacted: Sequence[Rect] = ()) -> int:
    """Write words as invisible text at their boxes, leaving out any word a redaction box covers.

    Each word gets the font size at which it fills its box's width (capped by the box height), so
    selecting or searching the page highlights the word on the image. Returns the number of words written.
    """
    writer = pymupdf.TextWriter(page.rect)
    font = pymupdf.Font(FONT)
    written = 0
    for x0, y0, x1, y1, text in words:
        text = "".join(ch if font.has_glyph(ord(ch)) else "?" for ch in text.strip())
        if not text or x1 <= x0 or y1 <= y0 or _covered((x0, y0, x1, y1), redacted):
            continue
        unit = font.text_length(text, fontsize=1.0) or 1.0
        size = max(1.0, min((x1 - x0) / unit, 1.3 * (y1 - y0)))
        writer.append((x0, y1 - 0.2 * (y1 - y0)), text, font=font, fontsize=size)
        written += 1
    if written:
        writer.write_text(page, render_mode=3)
    return written


def add_ocr_layer(
    page: pymupdf.Page, redacted: Sequence[Rect] = (), *, cache: Path | None = None, strip: bool = True
) -> int:
    """Replace the page's text with an invisible OCR layer of what its image shows now (see the module doc).

    Call after the page's redactions are applied. With ``strip=False`` the caller has already removed the old
    layer (before applying its redaction boxes, whose printed reason codes are text that must stay). Returns
    the number of words written; raises OcrUnavailable when Tesseract cannot run (the old layer is then
    already removed, so nothing redacted survives in it).
    """
    if strip:
        strip_text(page)
    return write_layer(page, ocr_words(page, cache=cache), redacted)
