"""Text only OCR can read on a text page (issue 15): read at ingest, removed by redaction, not held back.

A name drawn as vector outlines and a name in an image (a signature, a screenshot) on a page of ordinary text:
the OCR test (sarkit.legible) finds where, ingest reads those regions by OCR and adds the words to the page,
redaction removes the paths and the pixels under the boxes. The page's own text, its rules and a logo
without text stay; a page of plain text is never OCRed. Real PDFs, real tesseract, no mocks.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import hostile
import pymupdf
import pytest

from sarkit.glyphs import unconfirmed_letters
from sarkit.ingest import read_document
from sarkit.legible import ocr_reason, unmapped_regions
from sarkit.models import Redaction
from sarkit.render import rects_for_span, redact_pdf
from sarkit.text import page_text

HAS_TESSERACT = shutil.which("tesseract") is not None
needs_tesseract = pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract not installed")

NOTE = "Home visit. The family were at home and the visit went well."


def _tesseract(page: pymupdf.Page) -> str:
    png = page.get_pixmap(dpi=300, colorspace=pymupdf.csGRAY).tobytes("png")
    return subprocess.run(["tesseract", "stdin", "stdout"], input=png, capture_output=True, timeout=300).stdout.decode()


def _ocr_words(pdf: Path, cache: Path) -> tuple[list[str], list[str]]:
    """(text-layer words, OCR words) of page 1 as ingest reads it."""
    page = read_document(pdf, pdf.name, cache).pages[0]
    return [w.text for w in page.words if not w.ocr], [w.text for w in page.words if w.ocr]


def _redact(src: Path, dest: Path, needle: str, cache: Path) -> None:
    """Redact `needle` as detection would: its word boxes on the page ingest read (OCR words included)."""
    page = read_document(src, src.name, cache).pages[0]
    pt = page_text(page)
    start = pt.text.index(needle)
    redact_pdf(src, dest, [Redaction(0, rects_for_span(pt, start, start + len(needle)), "TP", "p1")])


def _outlined(page: pymupdf.Page, text: str, at: pymupdf.Rect) -> None:
    """`text` drawn on the page as filled glyph outlines (no text at all) in the box `at`."""
    src = pymupdf.open()
    p = src.new_page(width=at.width, height=at.height)
    p.insert_text((4, at.height * 0.7), text, fontsize=at.height * 0.4)
    svg = pymupdf.open(stream=p.get_svg_image(text_as_path=True).encode(), filetype="svg")
    page.show_pdf_page(at, pymupdf.open("pdf", svg.convert_to_pdf()), 0)


def _picture(page: pymupdf.Page, text: str, at: pymupdf.Rect) -> None:
    """A picture of `text` (pixels, 200 dpi) on the page in the box `at`."""
    src = pymupdf.open()
    p = src.new_page(width=at.width, height=at.height)
    p.insert_text((8, at.height * 0.65), text, fontsize=at.height * 0.35)
    page.insert_image(at, stream=p.get_pixmap(dpi=200).tobytes("png"))


def _logo(page: pymupdf.Page, at: pymupdf.Rect) -> None:
    """A logo without text: a coloured disc and a bar, as an image."""
    src = pymupdf.open()
    p = src.new_page(width=at.width, height=at.height)
    p.draw_circle((at.height / 2, at.height / 2), at.height / 2.5, color=None, fill=(0.1, 0.3, 0.7))
    p.draw_rect(pymupdf.Rect(at.height, at.height * 0.4, at.width - 4, at.height * 0.6), color=None, fill=(0.8, 0.2, 0))
    page.insert_image(at, stream=p.get_pixmap(dpi=150).tobytes("png"))


def _table(page: pymupdf.Page, top: float) -> None:
    """A ruled table of two rows: straight lines and a frame, with text in its cells."""
    for y in (top, top + 20, top + 40):
        page.draw_line((72, y), (500, y))
    for x in (72, 250, 500):
        page.draw_line((x, top), (x, top + 40))
    page.insert_text((76, top + 14), "Date of visit", fontsize=10)
    page.insert_text((254, top + 14), "Monday morning", fontsize=10)
    page.insert_text((76, top + 34), "Outcome", fontsize=10)
    page.insert_text((254, top + 34), "No further action", fontsize=10)


# ---------------------------------------------------------------- the test, where


@pytest.mark.parametrize(
    ("draw", "reason"),
    [
        (lambda p: _outlined(p, "Ring Olga Petrov", pymupdf.Rect(72, 300, 372, 340)), "ink"),
        (lambda p: _picture(p, "Sent by Olga Petrov", pymupdf.Rect(72, 300, 372, 340)), "image"),
    ],
)
def test_the_regions_are_where_the_unmapped_text_is(tmp_path: Path, draw, reason: str) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), NOTE, fontsize=10)
    _table(page, 120)
    draw(page)
    assert ocr_reason(page) == reason
    regions = unmapped_regions(page)
    assert regions and all(r.intersects(pymupdf.Rect(72, 300, 372, 340)) for r in regions)
    assert not any(r.intersects(pymupdf.Rect(72, 60, 500, 165)) for r in regions)  # not the text, not the table


def test_plain_text_with_rules_and_frames_has_no_regions(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), NOTE, fontsize=10)
    _table(page, 120)
    page.draw_rect(pymupdf.Rect(60, 200, 520, 260), radius=0.05, color=(0, 0, 0), width=1)
    page.insert_text((72, 230), "Inside a rounded box: Olga was not at home.", fontsize=10)
    assert ocr_reason(page) is None and unmapped_regions(page) == []


# ---------------------------------------------------------------- ingest reads them


@needs_tesseract
def test_ingest_reads_outlines_and_pictures_and_nothing_on_plain_pages(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    outlines = hostile.vector_outlines(tmp_path / "outlines.pdf")
    text, ocr = _ocr_words(outlines, cache)
    assert {"Brian", "Lewis"} <= set(ocr) and "Lewis" not in text
    assert "visit." in text and "visit." not in ocr  # the page's own text is not read again
    picture = hostile.text_image(tmp_path / "picture.pdf")
    text, ocr = _ocr_words(picture, cache)
    assert {"Brian", "Lewis"} <= set(ocr) and "Home" in text and "Home" not in ocr
    kept = list((cache / "ocr").glob("part-*.json"))
    assert len(kept) == 2  # the words read in the regions of each page are kept ...
    for f in kept:
        f.write_text(f.read_text().replace("Lewis", "Kept"))
    assert "Kept" in _ocr_words(picture, cache)[1]  # ... and read back, not read again
    plain = tmp_path / "plain.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), NOTE, fontsize=10)
    _table(page, 120)
    doc.save(plain)
    assert _ocr_words(plain, cache)[1] == []
    logo = tmp_path / "logo.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    _logo(page, pymupdf.Rect(400, 30, 540, 70))
    page.insert_text((72, 120), NOTE, fontsize=10)
    doc.save(logo)
    with pymupdf.open(logo) as d:
        assert ocr_reason(d[0]) == "image"  # looked at ...
    assert _ocr_words(logo, cache)[1] == []  # ... and nothing read in it


@needs_tesseract
def test_words_an_invisible_layer_has_at_the_same_place_are_not_read_twice(tmp_path: Path) -> None:
    """A picture of text with its own invisible text layer: the layer's words are the page's; OCR adds only
    what the layer does not say (here the layer lies about the name)."""
    p = tmp_path / "layered.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), NOTE, fontsize=10)
    _picture(page, "Sent by Olga Petrov", pymupdf.Rect(72, 300, 372, 340))
    page.insert_text((80, 325), "Sent by someone else", fontsize=12, render_mode=3)
    doc.save(p)
    text, ocr = _ocr_words(p, tmp_path / "cache")
    assert "Petrov" in ocr and "Sent" not in ocr and "Sent" in text


# ---------------------------------------------------------------- redaction removes them


@needs_tesseract
def test_a_name_in_outlines_is_removed_with_its_paths_and_the_rest_stays(tmp_path: Path) -> None:
    src = tmp_path / "src.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), NOTE, fontsize=10)
    _table(page, 120)
    _outlined(page, "Ring Olga Petrov", pymupdf.Rect(72, 300, 472, 360))
    page.draw_line((72, 352), (500, 352))  # a rule under the outlined line, longer than any word
    doc.save(src)
    with pymupdf.open(src) as d:
        before = d[0].get_drawings()
    out = tmp_path / "out.pdf"
    _redact(src, out, "Olga Petrov", tmp_path / "cache")
    with pymupdf.open(out) as d:
        after = d[0].get_drawings()
        text = d[0].get_text()
        read = _tesseract(d[0])
    assert "Petrov" not in read and "Olga" not in read  # gone from the pixels ...
    assert "Ring" in read  # ... and only the name: the word before it stays
    glyphs = [x for x in before if x["type"] == "f" and 300 <= x["rect"].y0 <= 360]
    left = [x for x in after if x["type"] == "f" and 300 <= x["rect"].y0 <= 360 and min(x["fill"]) < 0.5]
    assert len(left) == 4  # R-i-n-g: the name's paths were removed, not covered
    assert len(glyphs) == 4 + 4 + 6
    for y in (120, 140, 160, 352):  # the table's rules and the long rule under the name are all there
        assert any(x["type"] == "s" and abs(x["rect"].y0 - y) < 1 and x["rect"].width > 400 for x in after), y
    assert "Monday morning" in text and "No further action" in text and "Home visit." in text


@needs_tesseract
def test_a_name_in_a_picture_is_removed_from_its_pixels_and_the_picture_stays(tmp_path: Path) -> None:
    src = tmp_path / "src.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), NOTE, fontsize=10)
    _picture(page, "Sent by Olga Petrov", pymupdf.Rect(72, 300, 472, 360))
    _logo(page, pymupdf.Rect(400, 30, 540, 70))
    doc.save(src)
    out = tmp_path / "out.pdf"
    _redact(src, out, "Olga Petrov", tmp_path / "cache")
    with pymupdf.open(out) as d:
        page = d[0]
        assert len(page.get_images()) == 2  # both pictures still there ...
        read = _tesseract(page)
        logo = page.get_pixmap(dpi=72, clip=pymupdf.Rect(400, 30, 540, 70))
    assert "Petrov" not in read and "Olga" not in read  # ... the name gone from the pixels
    assert "Sent" in read and "Home visit." in page_text_of(out)
    assert logo.color_count() > 3  # the logo is untouched (its colours, not one grey)


def page_text_of(pdf: Path) -> str:
    with pymupdf.open(pdf) as d:
        return d[0].get_text()


# ---------------------------------------------------------------- fonts whose mapping nothing confirms


def _type3_with_tounicode(path: Path, shift: int) -> Path:
    """hostile's Type3 font (glyphs drawn as paths) given a ToUnicode map: each code to the letter its glyph
    draws (shift 0) or to the letter `shift` places on (a map that lies)."""
    hostile.type3_without_tounicode(path)
    letters = sorted(set(f"Referred by {hostile.NAME}".replace(" ", "")))
    pairs = "".join(f"<{i + 1:02x}> <{ord(letters[(i + shift) % len(letters)]):04x}>\n" for i in range(len(letters)))
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /T3-UCS def\n/CMapType 2 def\n"
        f"1 begincodespacerange\n<00> <FF>\nendcodespacerange\n{len(letters)} beginbfchar\n{pairs}endbfchar\n"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    with pymupdf.open(path) as doc:
        font = next(f[0] for f in doc[0].get_fonts(full=True) if f[2] == "Type3")
        x = doc.get_new_xref()
        doc.update_object(x, "<< >>")
        doc.update_stream(x, cmap.encode())
        doc.xref_set_key(font, "ToUnicode", f"{x} 0 R")
        doc.saveIncr()
    return path


@needs_tesseract
@pytest.mark.parametrize("shift", [0, 3])
def test_a_type3_font_with_a_map_is_confirmed_by_ocr_or_read_by_it(tmp_path: Path, shift: int) -> None:
    """A Type3 font's glyphs are drawings: its ToUnicode map is confirmed by OCR (honest: shift 0) or the page is
    read by OCR at ingest (a map that lies: shift 3). verify reads every page with a Type3 font by OCR."""
    p = _type3_with_tounicode(tmp_path / "t3.pdf", shift)
    with pymupdf.open(p) as doc:
        assert ("Lewis" in doc[0].get_text()) == (shift == 0)  # the map is read as it is, honest or not
        assert (unconfirmed_letters(doc[0]) >= 15) == (shift != 0)
        assert ocr_reason(doc[0]) == "unmapped-font"
    page = read_document(p, p.name, tmp_path / "cache").pages[0]
    assert page.scanned == (shift != 0) and "Lewis" in [w.text for w in page.words]
    with pymupdf.open(hostile.text_pdf(tmp_path / "plain.pdf", "Referred by Olga Petrov")) as doc:
        assert unconfirmed_letters(doc[0]) == 0  # Helvetica: not embedded, shown by its encoding


needs_dejavu = pytest.mark.skipif(not hostile.DEJAVU.is_file(), reason="DejaVu font not installed")


def _two_pages_cmapless(path: Path, text: str) -> Path:
    """Two pages of `text` in DejaVu Sans without its cmap and glyph names (hostile.strip_cmap)."""
    hostile.text_pdf(path, text, fontfile=hostile.DEJAVU)
    with pymupdf.open(path) as doc:
        doc.fullcopy_page(0)
        doc.saveIncr()
    return hostile.strip_cmap(path)


@needs_tesseract
@needs_dejavu
def test_an_honest_font_without_a_map_is_confirmed_once_for_the_whole_file(tmp_path: Path) -> None:
    from sarkit.glyphs import read_words

    reads = []

    def counted(page: pymupdf.Page, boxes: list[pymupdf.Rect]) -> list:
        reads.append(page.number)
        return read_words(page, boxes)

    p = _two_pages_cmapless(tmp_path / "honest.pdf", "Referred by Olga Petrov on Monday")
    with pymupdf.open(p) as doc:
        assert unconfirmed_letters(doc[0], read=counted) == 0  # OCR reads what the map says ...
        assert unconfirmed_letters(doc[1], read=counted) == 0
        assert reads == [0]  # ... and one reading confirms the glyphs for every page
    with pymupdf.open(p) as doc:
        assert ocr_reason(doc[0]) is None and ocr_reason(doc[1]) is None


@needs_tesseract
@needs_dejavu
def test_a_lying_map_in_a_font_without_a_map_is_read_by_ocr_at_ingest_and_in_verify(tmp_path: Path) -> None:
    from sarkit.verify.check import verify_file

    p = hostile.cmapless_remapped(tmp_path / "lying.pdf")
    with pymupdf.open(p) as doc:
        assert "Lewis" not in doc[0].get_text()
        assert unconfirmed_letters(doc[0]) >= 15  # the lying glyphs are never confirmed
    with pymupdf.open(p) as doc:
        assert ocr_reason(doc[0]) == "unconfirmed-font"
    page = read_document(p, p.name, tmp_path / "cache").pages[0]
    assert page.scanned and "Lewis" in [w.text for w in page.words]  # detection reads what the page shows
    leaks = verify_file(p, [("reg-x", "Brian Lewis")], rel="lying.pdf", extractors=("pymupdf", "ocr-unmapped"))
    assert ("text", "ocr-unmapped") in {(lk.where, lk.extractor) for lk in leaks}
