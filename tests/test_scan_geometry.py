"""Redaction boxes on scanned pages: a slanted line gets boxes that follow it instead of one box reaching into
the lines above and below, and a value withheld on one page of a scan is withheld on its other pages too (the
sweep, read on the pixels). Scans are generated here and read with real Tesseract."""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest

from sarkit.ingest import pdf as pdfmod
from sarkit.ingest import read_document
from sarkit.models import Page, Redaction, Word
from sarkit.render import redact_pdf
from sarkit.render.sweep import Sweep
from sarkit.text import SKEW_GROWTH, page_text, rects_for_span
from sarkit.verify.check import verify_pdf

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None or pdfmod.find_tessdata() is None, reason="tesseract-ocr-eng is not installed"
)
DPI = 200


def _line(words: list[tuple[str, float]], ocr: bool, height: float = 9.0) -> Page:
    """One line of words (text, top) 40 points apart, on one block and line."""
    ws = tuple(Word(t, 20 + 40 * i, top, 20 + 40 * i + 30, top + height, 0, 0, ocr) for i, (t, top) in enumerate(words))
    return Page(0, 400, 200, ws, scanned=ocr)


@pytest.mark.parametrize(
    ("tops", "ocr", "boxes"),
    [
        ([50, 50, 50, 50], True, 1),  # a straight line of OCR words: one box
        ([50, 51, 52, 53], True, 1),  # a slight slant stays one box
        ([50, 53, 56, 59], True, 2),  # a slanted scan line: boxes that follow it
        ([50, 56, 62, 68], True, 4),  # steeper still: a box a word
        ([50, 53, 56, 59], False, 1),  # a text page's words (one line by the PDF's own layout) merge as before
    ],
)
def test_slanted_ocr_line_is_boxed_in_pieces(tops: list[float], ocr: bool, boxes: int) -> None:
    page = _line([(f"w{i}", t) for i, t in enumerate(tops)], ocr)
    pt = page_text(page)
    rects = rects_for_span(pt, 0, len(pt.text))
    assert len(rects) == boxes
    tallest = max(w.y1 - w.y0 for w in page.words) + 2  # PAD_Y above and below
    if ocr:
        assert all(r[3] - r[1] <= SKEW_GROWTH * tallest + 1e-6 for r in rects)
    # every word is inside one of the boxes (a text word trimmed by a fifth of its height, text.TRIM_Y)
    for w in page.words:
        assert any(r[0] <= w.x0 and w.x1 <= r[2] and r[1] <= w.y0 + 2 and w.y1 <= r[3] + 2 for r in rects)


LINES = [
    "Parents evening notes for the record",
    "Mandy Pilbeam phoned about the lunch money.",
    "Corinne wants the school trip letter again.",
]


def _slanted_scan(path: Path, lines: list[str], angle: float) -> Path:
    """An image-only PDF of lines of text, turned by a small angle as a sheet fed at a slant."""
    src = pymupdf.open()
    page = src.new_page(width=420, height=140)
    for i, line in enumerate(lines):
        page.insert_text((20, 40 + 16 * i), line, fontsize=11, fontname="helv")
    pix = page.get_pixmap(matrix=pymupdf.Matrix(DPI / 72, DPI / 72).prerotate(angle), colorspace=pymupdf.csGRAY)
    pix.set_dpi(DPI, DPI)
    out = pymupdf.open()
    p = out.new_page(width=pix.width * 72 / DPI, height=pix.height * 72 / DPI)
    p.insert_image(p.rect, stream=pix.tobytes("png"))
    out.save(path)
    return path


def _ocr_text(path: Path) -> str:
    with pymupdf.open(path) as doc:
        pix = doc[0].get_pixmap(dpi=300, colorspace=pymupdf.csGRAY)
    import subprocess

    done = subprocess.run(["tesseract", "stdin", "stdout"], input=pix.tobytes("png"), capture_output=True, check=True)
    return done.stdout.decode()


@needs_tesseract
def test_slanted_scan_redaction_keeps_the_lines_around_it(tmp_path: Path) -> None:
    src = _slanted_scan(tmp_path / "slant.pdf", LINES, 1.2)
    doc = read_document(src, src.name, tmp_path / "cache")
    pt = page_text(doc.pages[0])
    start = pt.text.index("Mandy")
    end = pt.text.index("money") + len("money")
    red = Redaction(0, rects_for_span(pt, start, end), "TP", "p1")
    out = tmp_path / "out.pdf"
    redact_pdf(src, out, [red], ocr_cache=tmp_path / "layer")
    seen = _ocr_text(out)
    assert "Pilbeam" not in seen and "lunch" not in seen
    for kept in ("Parents", "evening", "record", "Corinne", "school", "letter"):
        assert kept in seen, kept
    assert not verify_pdf(out, [("p1", "Mandy Pilbeam")], rel="out.pdf", extractors=("pymupdf", "ocr-scans"))


def _scan_pages(path: Path, pages: list[list[str]]) -> Path:
    out = pymupdf.open()
    for lines in pages:
        src = pymupdf.open()
        page = src.new_page(width=420, height=120)
        for i, line in enumerate(lines):
            page.insert_text((20, 40 + 18 * i), line, fontsize=11, fontname="helv")
        pix = page.get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
        p = out.new_page(width=420, height=120)
        p.insert_image(p.rect, stream=pix.tobytes("png"))
    out.save(path)
    return path


@needs_tesseract
@pytest.mark.parametrize(
    ("value", "page2", "gone", "kept"),
    [
        # a value withheld on page 1 shows again on page 2: it goes there too, the rest of the line stays
        ("Harbour Unit C", "Officer Dale Whitby, Harbour Unit C, on duty.", ["Harbour"], ["Whitby", "duty"]),
        ("Grisedale Road", "Mum moved back to Grisedale Road last week.", ["Grisedale"], ["moved", "week"]),
        # negative: a value that does not show on page 2 changes nothing there
        ("Grisedale Road", "Nothing else was said at the meeting.", [], ["Nothing", "meeting"]),
    ],
)
def test_sweep_reaches_the_other_pages_of_a_scan(
    tmp_path: Path, value: str, page2: str, gone: list[str], kept: list[str]
) -> None:
    src = _scan_pages(tmp_path / "two.pdf", [[f"Notes: {value} was given.", "Second line stays."], [page2]])
    doc = read_document(src, src.name, tmp_path / "cache")
    pt = page_text(doc.pages[0])
    first = value.split()[0]
    start = pt.text.index(first)
    end = start + len(" ".join(pt.text[start:].split()[: len(value.split())]))
    red = Redaction(0, rects_for_span(pt, start, end), "TP", "p1")
    out = tmp_path / "out.pdf"
    redact_pdf(src, out, [red], ocr_cache=tmp_path / "layer", sweep=Sweep([(value, "TP", "p1")]))
    with pymupdf.open(out) as d:
        layer = d[1].get_text()  # the invisible layer: what OCR reads on the redacted page
    for word in gone:
        assert word not in layer
    for word in kept:
        assert word in layer
    assert not verify_pdf(out, [("p1", value)], rel="out.pdf", extractors=("pymupdf", "ocr-scans"))
