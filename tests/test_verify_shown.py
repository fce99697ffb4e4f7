"""verify reads a page shown on another page (records.pdf's sheets) once: by what it draws, not by its pixels.

Real PDFs (a document page with a name in an image, a sheet that shows it as PyMuPDF's show_pdf_page does,
with a band of text and, in one case, a picture of a name beside it), real Tesseract, a real cache folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest

from sarkit.verify import check
from sarkit.verify.shown import drawing_key, shown_pages

HAS_TESSERACT = shutil.which("tesseract") is not None
pytestmark = pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract not installed")


def _picture(text: str) -> bytes:
    src = pymupdf.open()
    p = src.new_page(width=300, height=60)
    p.insert_text((10, 38), text, fontsize=22)
    return p.get_pixmap(dpi=200).tobytes("png")


def _document(path: Path, text: str) -> Path:
    """One page of ordinary text with a picture of a message (what a reader sees only in pixels)."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 90), "Notes of the visit on 3 March.", fontsize=12)
    page.insert_image(pymupdf.Rect(72, 110, 372, 170), stream=_picture(text))
    doc.save(path)
    return path


def _sheet(path: Path, shown: Path, beside: str = "") -> Path:
    """An A4 sheet showing the document's page scaled down, a band of text under it, and optionally a
    picture of other words beside it (outside the shown page)."""
    out = pymupdf.open()
    page = out.new_page(width=595, height=842)
    page.insert_text((200, 830), "SAR-0001 page 4 of 9", fontsize=8)
    with pymupdf.open(shown) as src:
        page.show_pdf_page(pymupdf.Rect(0, 0, 595 * 0.95, 792 * 0.95 * 595 / 612), src, 0)
    if beside:
        page.insert_image(pymupdf.Rect(60, 760, 360, 820), stream=_picture(beside))
    out.save(path)
    return path


def _ocr_files(cache: Path) -> int:
    return len(list(cache.rglob("*.txt")))


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("From: Marcus Quill", "From: Marcus Quill", True),  # the same drawing: the same key
        ("From: Marcus Quill", "From: Marcus Quilt", False),  # one letter of the picture differs
        ("From: Marcus Quill", "Visit went well", False),
    ],
)
def test_a_shown_page_has_the_key_of_the_page_it_shows(tmp_path: Path, first: str, second: str, same: bool) -> None:
    a = _document(tmp_path / "a.pdf", first)
    b = _document(tmp_path / "b.pdf", second)
    sheet = _sheet(tmp_path / "sheet.pdf", b)
    with pymupdf.open(a) as da, pymupdf.open(sheet) as ds:
        key_a = drawing_key(da, da[0])
        parts = shown_pages(ds, 0)
        assert parts is not None
        keys = [key for _part, key in parts]
    assert key_a is not None
    assert len(keys) == 2 and keys[1] is None  # the shown page, then the rest of the sheet (read by its image)
    assert (keys[0] == key_a) is same


def test_a_page_that_shows_no_page_is_read_whole(tmp_path: Path) -> None:
    a = _document(tmp_path / "a.pdf", "From: Marcus Quill")
    with pymupdf.open(a) as doc:
        assert shown_pages(doc, 0) is None
        assert drawing_key(doc, doc[0]) is not None
    annotated = tmp_path / "annotated.pdf"
    with pymupdf.open(a) as doc:
        doc[0].add_text_annot((20, 20), "a note")
        doc.save(annotated)
    with pymupdf.open(annotated) as doc:
        assert drawing_key(doc, doc[0]) is None  # its pixels depend on more than its drawing


def test_the_sheet_reuses_the_reading_of_the_page_and_still_reads_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The document's page is OCRed once; the sheet that shows it adds no reading of that page (even with
    another band), but a picture of a name beside the shown page is still read."""
    cache = tmp_path / "cache"
    monkeypatch.setattr(check, "OCR_CACHE", cache)
    doc = _document(tmp_path / "doc.pdf", "From: Marcus Quill")
    texts = dict(check._ocr_unmapped_pages(doc))
    assert "Quill" in texts[0]
    read = _ocr_files(cache)
    plain = _sheet(tmp_path / "plain.pdf", doc)
    assert "Quill" in dict(check._ocr_unmapped_pages(plain))[0]
    assert _ocr_files(cache) == read  # nothing read again: the shown page by its drawing, the band needs no OCR
    beside = _sheet(tmp_path / "beside.pdf", doc, beside="Copy to Nadia Fenwick")
    text = dict(check._ocr_unmapped_pages(beside))[0]
    assert "Quill" in text and "Fenwick" in text
    assert _ocr_files(cache) == read + 1  # only the rest of the sheet was read
