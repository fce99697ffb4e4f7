"""Scanned records: OCR of generated scans with real Tesseract, the text-layer rule, the invisible output layer,
verify reading pixels, and bad image input. Scans are generated here with PyMuPDF (rendered text, turned,
skewed, with noise); a multi-page TIFF is written by a few lines of code below."""

from __future__ import annotations

import random
import shutil
import struct
import zlib
from pathlib import Path

import pymupdf
import pytest

from sarkit.errors import DocumentError
from sarkit.ingest import pdf as pdfmod
from sarkit.ingest import read_document
from sarkit.ingest.pdf import layer_agreement
from sarkit.models import Redaction
from sarkit.render import redact_pdf
from sarkit.render.ocr_layer import write_layer
from sarkit.verify.check import verify_pdf

pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None or pdfmod.find_tessdata() is None, reason="tesseract-ocr-eng is not installed"
)

LINES = [
    "Home visit record",
    "Sharon Doyle opened the door.",
    "Jane said the flat was warm.",
    "Phone 07700 900491 for Karen.",
]
W, H = 300, 160  # points: a small page keeps OCR fast
DPI = 200


def text_page(lines: list[str] = LINES) -> tuple[pymupdf.Document, pymupdf.Page]:
    doc = pymupdf.open()
    page = doc.new_page(width=W, height=H)
    for i, line in enumerate(lines):
        page.insert_text((20, 30 + 24 * i), line, fontsize=12, fontname="tiro")
    return doc, page


def scan_pixmap(rotate: float = 0, noise: bool = False, lines: list[str] = LINES) -> pymupdf.Pixmap:
    """The page rendered in grey at DPI, turned by rotate degrees (any angle), optionally with speckle noise."""
    doc, page = text_page(lines)
    if noise:
        rnd = random.Random(7)
        shape = page.new_shape()
        for _ in range(150):
            x, y = rnd.uniform(0, W), rnd.uniform(0, H)
            shape.draw_circle((x, y), rnd.uniform(0.2, 0.5))
        shape.finish(fill=(0, 0, 0), color=None)
        shape.commit()
    mat = pymupdf.Matrix(DPI / 72, DPI / 72).prerotate(rotate)
    pix = page.get_pixmap(matrix=mat, colorspace=pymupdf.csGRAY, alpha=False)
    pix.set_dpi(DPI, DPI)
    return pix


def scan_pdf(path: Path, pixmaps: list[pymupdf.Pixmap], layer: list[str] | None = None) -> Path:
    """An image-only PDF, one page per pixmap; with layer, every page also carries that text invisibly."""
    doc = pymupdf.open()
    for pix in pixmaps:
        w, h = pix.width * 72 / DPI, pix.height * 72 / DPI
        page = doc.new_page(width=w, height=h)
        page.insert_image(page.rect, stream=pix.tobytes("png"))
        if layer is not None:
            for i, line in enumerate(layer):
                page.insert_text((20, 30 + 24 * i), line, fontsize=12, fontname="tiro", render_mode=3)
    doc.save(path)
    return path


def tiff(path: Path, frames: list[tuple[int, int, bytes]], dpi: int = DPI) -> Path:
    """A little-endian, uncompressed, 8-bit grey TIFF with one IFD per frame (multi-page)."""
    out = bytearray(b"II*\x00" + b"\x00\x00\x00\x00")
    prev_link = 4
    for w, h, data in frames:
        data_off = len(out)
        out += data
        if len(out) % 2:
            out += b"\x00"
        res_off = len(out)
        out += struct.pack("<IIII", dpi, 1, dpi, 1)
        ifd_off = len(out)
        struct.pack_into("<I", out, prev_link, ifd_off)
        entries = [
            (256, 4, 1, w),
            (257, 4, 1, h),
            (258, 3, 1, 8),
            (259, 3, 1, 1),
            (262, 3, 1, 1),
            (273, 4, 1, data_off),
            (277, 3, 1, 1),
            (278, 4, 1, h),
            (279, 4, 1, len(data)),
            (282, 5, 1, res_off),
            (283, 5, 1, res_off + 8),
            (296, 3, 1, 2),
        ]
        out += struct.pack("<H", len(entries))
        for tag, typ, count, value in entries:
            out += struct.pack("<HHII", tag, typ, count, value)
        prev_link = len(out)
        out += b"\x00\x00\x00\x00"
    path.write_bytes(bytes(out))
    return path


def words_of(path: Path, tmp: Path, **kw) -> list[str]:
    doc = read_document(path, path.name, tmp / "cache", **kw)
    assert all(p.scanned for p in doc.pages)
    return [w.text for p in doc.pages for w in p.words]


# ---------------------------------------------------------------- reading scans


def test_png_scan_is_read_with_word_boxes(tmp_path: Path) -> None:
    path = tmp_path / "visit.png"
    scan_pixmap().save(path)
    doc = read_document(path, "visit.png", tmp_path / "cache")
    page = doc.pages[0]
    assert page.scanned and all(w.ocr for w in page.words)
    texts = [w.text for w in page.words]
    assert "Sharon" in texts and "Doyle" in texts
    doyle = next(w for w in page.words if w.text == "Doyle")
    # the line "Sharon Doyle ..." is the second line, baseline at y=54 pt of a 160 pt page
    assert 35 < doyle.y0 < doyle.y1 < 62 and 0 < doyle.x0 < doyle.x1 < page.width


@pytest.mark.parametrize("rotate", [90, 180])
def test_turned_scan_is_read(tmp_path: Path, rotate: int) -> None:
    path = scan_pdf(tmp_path / f"turned{rotate}.pdf", [scan_pixmap(rotate)])
    doc = read_document(path, path.name, tmp_path / "cache")
    page = doc.pages[0]
    texts = [w.text for w in page.words]
    assert "Sharon" in texts and "Doyle" in texts and "Jane" in texts
    doyle = next(w for w in page.words if w.text == "Doyle")
    if rotate == 180:  # the text now sits at the bottom of the page, upside down
        assert doyle.y0 > page.height / 2
    else:  # turned a quarter: the lines run down the page
        assert doyle.y1 - doyle.y0 > doyle.x1 - doyle.x0


def test_skewed_noisy_scan_is_read(tmp_path: Path) -> None:
    path = scan_pdf(tmp_path / "skew.pdf", [scan_pixmap(2, noise=True)])
    texts = words_of(path, tmp_path)
    assert {"Sharon", "Doyle", "Jane", "900491"} <= set(texts)


def test_multipage_tiff_and_parallel_ocr(tmp_path: Path) -> None:
    pages = [scan_pixmap(lines=[f"Note {n * 7}", f"Sharon Doyle visit {n * 7}"]) for n in (1, 2, 3)]
    path = tiff(tmp_path / "bundle.tif", [(p.width, p.height, p.samples) for p in pages])
    seen: list[tuple[int, int]] = []
    doc = read_document(path, path.name, tmp_path / "c2", ocr_workers=2, progress=lambda a, b: seen.append((a, b)))
    assert len(doc.pages) == 3 and doc.kind == "image"
    assert [" ".join(w.text for w in p.words) for p in doc.pages] == [
        f"Note {n * 7} Sharon Doyle visit {n * 7}" for n in (1, 2, 3)
    ]
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    one = read_document(path, path.name, tmp_path / "c1", ocr_workers=1)
    assert one.pages == doc.pages


def test_ocr_is_done_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = scan_pdf(tmp_path / "once.pdf", [scan_pixmap()])
    first = read_document(path, path.name, tmp_path / "cache")
    assert list((tmp_path / "cache" / "ocr").glob("*.json"))

    def no_ocr(*args: object) -> None:
        raise AssertionError("OCR ran again")

    monkeypatch.setattr(pdfmod, "ocr_page_in_child", no_ocr)  # inherited by the forked children
    assert read_document(path, path.name, tmp_path / "cache").pages == first.pages


def test_mixed_pdf_reads_text_pages_and_ocrs_scans(tmp_path: Path) -> None:
    doc, _ = text_page(["Typed page about Jane only."])
    scan = pymupdf.open(scan_pdf(tmp_path / "s.pdf", [scan_pixmap()]))
    doc.insert_pdf(scan)
    doc.save(tmp_path / "mixed.pdf")
    out = read_document(tmp_path / "mixed.pdf", "mixed.pdf", tmp_path / "cache")
    assert [p.scanned for p in out.pages] == [False, True]
    assert "Doyle" in [w.text for w in out.pages[1].words]


# ---------------------------------------------------------------- existing text layers


def _w(text: str, x: float, y: float) -> tuple:
    return (text, x, y, x + 10 * len(text), y + 12, 0, 0)


def test_layer_agreement_rule() -> None:
    ocr = [_w("Sharon", 10, 10), _w("Doyle", 80, 10), _w("visited", 10, 40)]
    assert layer_agreement(ocr, ocr) == 1.0
    wrong_words = [_w("Brian", 10, 10), _w("Lewis", 80, 10), _w("visited", 10, 40)]
    assert layer_agreement(wrong_words, ocr) < 0.5
    misplaced = [_w("Sharon", 10, 300), _w("Doyle", 80, 300), _w("visited", 10, 340)]
    assert layer_agreement(misplaced, ocr) == 0.0
    missing = [_w("visited", 10, 40)]  # the layer leaves out text the image shows
    assert layer_agreement(missing, ocr) < 0.5


def test_untrustworthy_layer_is_reocred(tmp_path: Path) -> None:
    bad = ["Nothing to see", "Zebra Quantum", "Other words here"]
    path = scan_pdf(tmp_path / "badlayer.pdf", [scan_pixmap()], layer=bad)
    texts = words_of(path, tmp_path)
    assert "Doyle" in texts and "Zebra" not in texts


def test_good_layer_is_used(tmp_path: Path) -> None:
    path = scan_pdf(tmp_path / "goodlayer.pdf", [scan_pixmap()], layer=LINES)
    doc = read_document(path, path.name, tmp_path / "cache")
    layer = pdfmod.layout_words(pymupdf.open(path)[0].get_text("words", flags=pdfmod.WORD_FLAGS))
    assert doc.pages[0].scanned
    assert [w.text for w in doc.pages[0].words] == [w[0] for w in layer]


# ---------------------------------------------------------------- output: pixels, layer, verify


def _doyle_redaction(path: Path, tmp: Path) -> Redaction:
    doc = read_document(path, path.name, tmp / "cache")
    w = next(w for w in doc.pages[0].words if w.text == "Doyle")
    return Redaction(0, ((w.x0 - 1, w.y0 - 1, w.x1 + 1, w.y1 + 1),), "TP", "p-doyle")


def test_redacted_scan_has_invisible_layer_without_the_value(tmp_path: Path) -> None:
    src = scan_pdf(tmp_path / "src.pdf", [scan_pixmap()], layer=["Secret Name Hidden", "Doyle Doyle"])
    out = tmp_path / "out.pdf"
    redact_pdf(src, out, [_doyle_redaction(src, tmp_path)], ocr_cache=tmp_path / "layer")
    page = pymupdf.open(out)[0]
    text = page.get_text()
    assert "Sharon" in text and "visited" not in text and "Jane" in text  # the layer holds what is visible
    assert "Doyle" not in text and "Secret" not in text  # neither the redacted word nor the old layer
    spans = page.get_texttrace()
    visible = [s for s in spans if s.get("type") != 3]
    assert spans and all(chr(c[0]) in "TP" for s in visible for c in s["chars"])  # only the printed code
    assert not verify_pdf(out, [("p-doyle", "Doyle")], rel="out.pdf", extractors=("pymupdf", "ocr-scans"))


def test_verify_reads_a_value_left_in_the_pixels(tmp_path: Path) -> None:
    src = scan_pdf(tmp_path / "leak.pdf", [scan_pixmap(180)])
    leaks = verify_pdf(src, [("p-doyle", "Sharon Doyle")], rel="leak.pdf", extractors=("pymupdf", "ocr-scans"))
    assert [(x.proposal, x.where, x.extractor, x.page) for x in leaks] == [("p-doyle", "text", "ocr-scans", 0)]


def test_write_layer_leaves_out_covered_words(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=200, height=100)
    n = write_layer(page, [(10, 10, 60, 22, "Keep"), (70, 10, 120, 22, "Gone")], [(68, 8, 122, 24)])
    assert n == 1 and page.get_text().split() == ["Keep"]


# ---------------------------------------------------------------- bad input


def test_zero_byte_and_unreadable_images(tmp_path: Path) -> None:
    (tmp_path / "empty.png").write_bytes(b"")
    with pytest.raises(DocumentError, match=r"documents/empty.png is empty"):
        read_document(tmp_path / "empty.png", "empty.png", tmp_path / "cache")
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    with pytest.raises(DocumentError, match=r"^documents/broken.jpg [^\n]*\.$"):
        read_document(tmp_path / "broken.jpg", "broken.jpg", tmp_path / "cache")


def _huge_png(path: Path, side: int) -> Path:
    """A valid grey PNG of side x side pixels, all white (small on disk, huge once decoded)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    comp = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * side
    body = b"".join(comp.compress(row * 500) for _ in range(side // 500)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b""))
    return path


def test_huge_image_is_a_sentence(tmp_path: Path) -> None:
    path = _huge_png(tmp_path / "huge.png", 20_000)
    with pytest.raises(DocumentError) as err:
        read_document(path, "huge.png", tmp_path / "cache", timeout=60)
    assert err.value.message.startswith("documents/huge.png ") and "\n" not in err.value.message


def test_tiff_of_500_pages_converts_in_bounded_memory(tmp_path: Path) -> None:
    path = tiff(tmp_path / "long.tif", [(16, 16, bytes([255]) * 256)] * 500)
    out = tmp_path / "long.pdf"
    from sarkit.workers import run_isolated

    run_isolated(pdfmod.image_to_pdf, str(path), str(out), timeout=60, memory_mb=512)
    assert pymupdf.open(out).page_count == 500
