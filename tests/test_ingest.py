"""Ingest: sniffing, reading PDFs and images into words, errors as sentences, isolation, OCR."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from pathlib import Path

import pymupdf
import pytest

import sarkit.ingest as ingest
from sarkit.errors import DocumentError
from sarkit.ingest import read_document, sniff, title_and_date
from sarkit.ingest.pdf import find_tessdata, layout_words, parse_tsv
from sarkit.text import page_text
from sarkit.workers import WorkerCrashed, WorkerMemoryError, WorkerTimeout, run_isolated

SHARED = Path(__file__).resolve().parents[2] / "shared"

LINES = ["Visit to Jane Doe at home", "Sharon Doyle was present", "Phone 07700 900491"]


def make_pdf(path: Path, lines: list[str] = LINES, pages: int = 1, **save_kw) -> Path:
    doc = pymupdf.open()
    for _ in range(pages):
        page = doc.new_page()
        y = 72
        for line in lines:
            page.insert_text((72, y), line, fontsize=11)
            y += 20
    doc.save(path, **save_kw)
    return path


def make_scan_png(path: Path, lines: list[str], dpi: int = 200, angle: float = 1.2) -> Path:
    """Text drawn slightly rotated on a white page, rendered to a PNG at ``dpi``."""
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=300)
    y = 60
    for line in lines:
        pivot = pymupdf.Point(40, y)
        page.insert_text(pivot, line, fontsize=16, morph=(pivot, pymupdf.Matrix(angle)))
        y += 40
    page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY).save(path)
    return path


def words_text(doc) -> str:
    return "\n".join(page_text(p).text for p in doc.pages)


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    "name, title, date",
    [
        ("2012-04-30 Home Visit.docx", "Home Visit", dt.date(2012, 4, 30)),
        ("sub/2011-01-14 MASH Contact.png", "MASH Contact", dt.date(2011, 1, 14)),
        ("Letter.pdf", "Letter", None),
        ("2012-13-45 Odd.pdf", "2012-13-45 Odd", None),
        ("GP letter 30.04.2012.pdf", "GP letter 30.04.2012", dt.date(2012, 4, 30)),  # a date anywhere dates it
        ("a/20120430_note.pdf", "20120430_note", dt.date(2012, 4, 30)),
        ("documents/2012-04-30 Home Visit.docx.pdf", "Home Visit", dt.date(2012, 4, 30)),  # as the bundle names it
    ],
)
def test_title_and_date(name: str, title: str, date: dt.date | None) -> None:
    assert title_and_date(name) == (title, date)


# ---------------------------------------------------------------- sniffing


def test_sniff_by_content_not_extension(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "visit.docx")
    assert sniff(pdf) == "pdf"
    png = tmp_path / "a.pdf"
    png.write_bytes(pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 4, 4), False).tobytes("png"))
    assert sniff(png) == "image"
    txt = tmp_path / "notes.pdf"
    txt.write_text("hello, not a PDF")
    assert sniff(txt) is None
    import zipfile

    z = tmp_path / "plain.docx"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("content.xml", "<x/>")
    assert sniff(z) is None
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert sniff(empty) is None


def test_pdf_renamed_docx_is_refused(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "visit.docx")
    with pytest.raises(DocumentError) as err:
        read_document(path, "visit.docx", tmp_path / "cache")
    assert str(err.value) == "documents/visit.docx is not a Word document: its content is a PDF."


@pytest.mark.parametrize(
    "content, name, fragment",
    [
        (b"", "empty.pdf", "is empty"),
        (b"just some notes about Jane", "notes.pdf", "is not a PDF"),
        (b"PK\x03\x04 broken zip", "visit.docx", "is not a Word document"),
        (b"%PDF-1.7", "notes.txt", "is not a supported type"),
    ],
)
def test_bad_files_are_one_sentence(tmp_path: Path, content: bytes, name: str, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as err:
        read_document(path, name, tmp_path / "cache")
    msg = str(err.value)
    assert msg.startswith(f"documents/{name} ") and fragment in msg and msg.endswith(".")
    assert "\n" not in msg and "Jane" not in msg


def test_truncated_pdf_reads_or_fails_with_a_sentence(tmp_path: Path) -> None:
    full = make_pdf(tmp_path / "full.pdf", pages=3)
    data = full.read_bytes()
    for cut in (len(data) // 3, len(data) // 2, len(data) - 40):
        path = tmp_path / f"cut{cut}.pdf"
        path.write_bytes(data[:cut])
        try:
            doc = read_document(path, path.name, tmp_path / "cache")
        except DocumentError as exc:
            assert str(exc).startswith(f"documents/{path.name}")
            assert "Sharon" not in str(exc)
        else:
            assert all(p.width > 0 for p in doc.pages)


def test_garbage_after_pdf_header_is_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    with pytest.raises(DocumentError) as err:
        read_document(path, "bad.pdf", tmp_path / "cache")
    assert str(err.value).startswith("documents/bad.pdf ")


# ---------------------------------------------------------------- PDFs


def test_text_pdf_words_and_identity(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "2020-01-02 Visit.pdf", pages=2)
    doc = read_document(path, "2020-01-02 Visit.pdf", tmp_path / "cache")
    assert doc.id == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.kind == "pdf" and doc.pdf == path
    assert doc.title == "Visit" and doc.date == dt.date(2020, 1, 2)
    assert len(doc.pages) == 2 and [p.index for p in doc.pages] == [0, 1]
    page = doc.pages[0]
    assert not page.scanned and not any(w.ocr for w in page.words)
    assert [line for line in page_text(page).text.split("\n") if line] == LINES
    lines = [w.line for w in page.words]
    assert lines == sorted(lines) and len(set(lines)) == 3
    for w in page.words:
        assert 0 <= w.x0 < w.x1 <= page.width and 0 <= w.y0 < w.y1 <= page.height


def test_table_row_is_one_line_of_separate_blocks(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    for y, (label, value) in ((100, ("Referrer name", "Brian Lewis")), (130, ("Phone", "07700 900491"))):
        page.insert_text((72, y), label, fontsize=11)
        page.insert_text((260, y), value, fontsize=11)
    path = tmp_path / "table.pdf"
    doc.save(path)
    out = read_document(path, "table.pdf", tmp_path / "cache")
    words = {w.text: w for w in out.pages[0].words}
    assert words["Referrer"].line == words["Brian"].line != words["Phone"].line
    assert words["name"].block != words["Brian"].block
    assert words["Brian"].block == words["Lewis"].block
    text = page_text(out.pages[0]).text
    assert text.index("Referrer name") < text.index("Brian Lewis") < text.index("Phone") < text.index("07700")


def test_layout_words_splits_wide_gaps_and_keeps_rows() -> None:
    raw = [
        (10, 10, 40, 22, "Name", 0, 0, 0),
        (200, 10, 230, 22, "Brian", 0, 0, 1),
        (233, 10, 260, 22, "Lewis", 0, 0, 2),
        (10, 30, 40, 42, "DOB", 1, 0, 0),
        (200, 30, 260, 42, "05/12/1984", 2, 0, 0),
        (10, 50, 40, 62, "Next", 3, 0, 0),
        (10, 64, 40, 76, "line", 3, 1, 0),
    ]
    out = layout_words(raw)
    blocks = [w[5] for w in out]
    lines = [w[6] for w in out]
    assert lines == [0, 0, 0, 1, 1, 2, 3]
    assert blocks[0] != blocks[1] == blocks[2]
    assert blocks[3] != blocks[4]
    assert blocks[5] == blocks[6]


def test_parse_tsv() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "1\t1\t0\t0\t0\t0\t0\t0\t600\t600\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t100\t100\t50\t20\t95\tBrian\n"
        "5\t1\t1\t1\t1\t2\t160\t100\t50\t20\t95\tLewis\n"
        "5\t1\t2\t1\t1\t1\t100\t300\t50\t20\t95\tPhone\n"
        "5\t1\t2\t1\t1\t2\t160\t300\t50\t20\t95\t \n"
    )
    words = parse_tsv(tsv, 0.5, 0.5)
    assert [w[4] for w in words] == ["Brian", "Lewis", "Phone"]
    assert words[0][:4] == (50.0, 50.0, 75.0, 60.0)
    assert words[0][5] == words[1][5] != words[2][5]


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "locked.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="open-sesame", owner_pw="owner-pw"
    )
    cache = tmp_path / "cache"
    with pytest.raises(DocumentError) as err:
        read_document(path, "locked.pdf", cache)
    assert str(err.value) == "documents/locked.pdf is encrypted: add its password to case.yaml."
    with pytest.raises(DocumentError) as err:
        read_document(path, "locked.pdf", cache, password="wrong")
    assert "does not open it" in str(err.value) and "wrong" not in str(err.value)
    doc = read_document(path, "locked.pdf", cache, password="open-sesame")
    assert doc.pdf.parent == cache and doc.pdf.name == f"{doc.id}.pdf"
    assert "Sharon Doyle" in words_text(doc)
    reopened = pymupdf.open(doc.pdf)
    assert not reopened.needs_pass and not reopened.is_encrypted


def test_image_file_and_scanned_pdf_are_ocred(tmp_path: Path) -> None:
    if find_tessdata() is None:
        pytest.skip("tesseract data (eng.traineddata) is not installed")
    png = make_scan_png(tmp_path / "2011-01-14 Scan.png", ["Referrer Brian Lewis", "Telephone 07700 900491"])
    cache = tmp_path / "cache"
    doc = read_document(png, "2011-01-14 Scan.png", cache)
    assert doc.kind == "image" and doc.pdf.parent == cache and doc.pdf.suffix == ".pdf"
    assert len(doc.pages) == 1 and doc.pages[0].scanned
    assert all(w.ocr for w in doc.pages[0].words)
    text = words_text(doc)
    for word in ("Referrer", "Brian", "Lewis", "Telephone", "07700", "900491"):
        assert word in text
    page = doc.pages[0]
    for w in page.words:
        assert -1 <= w.x0 < w.x1 <= page.width + 1 and -1 <= w.y0 < w.y1 <= page.height + 1
    assert len(list((cache / "ocr").glob("*.json"))) == 1

    # a second run must not OCR again: the cached words are used
    def no_ocr(*args, **kwargs):  # pragma: no cover - called only on a regression
        raise AssertionError("OCR ran again")

    mtime = doc.pdf.stat().st_mtime_ns
    original = ingest._ocr_in_child
    ingest._ocr_in_child = no_ocr
    try:
        again = read_document(png, "2011-01-14 Scan.png", cache)
    finally:
        ingest._ocr_in_child = original
    assert again.pages == doc.pages and doc.pdf.stat().st_mtime_ns == mtime

    # the same scan inside a PDF page
    pdf = pymupdf.open()
    p = pdf.new_page()
    p.insert_image(p.rect, filename=str(png))
    scan_pdf = tmp_path / "scan.pdf"
    pdf.save(scan_pdf)
    doc2 = read_document(scan_pdf, "scan.pdf", cache)
    assert doc2.pdf == scan_pdf and doc2.pages[0].scanned
    assert "Lewis" in words_text(doc2)


def test_huge_image_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 15000, 14000), False)
    pix.clear_with(255)
    pix.save(path)
    del pix
    with pytest.raises(DocumentError) as err:
        read_document(path, "huge.png", tmp_path / "cache")
    assert "200 megapixels" in str(err.value)


# ---------------------------------------------------------------- worker


def _abort() -> None:
    os.abort()


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def _hog() -> int:
    blocks = [bytearray(50 * 1024 * 1024) for _ in range(40)]
    return len(blocks)


def _fail() -> None:
    raise ValueError("bad value")


def _add(a: int, b: int) -> int:
    return a + b


def test_worker_returns_result_and_reraises() -> None:
    assert run_isolated(_add, 2, 3, timeout=30, memory_mb=1024) == 5
    with pytest.raises(ValueError, match="bad value"):
        run_isolated(_fail, timeout=30, memory_mb=1024)


def test_worker_isolates_a_crash() -> None:
    with pytest.raises(WorkerCrashed):
        run_isolated(_abort, timeout=30, memory_mb=1024)
    assert run_isolated(_add, 1, 1, timeout=30, memory_mb=1024) == 2  # the parent lives on


def test_worker_timeout() -> None:
    with pytest.raises(WorkerTimeout):
        run_isolated(_sleep, 30, timeout=0.5, memory_mb=1024)


def test_worker_memory_limit() -> None:
    with pytest.raises(WorkerMemoryError):
        run_isolated(_hog, timeout=30, memory_mb=1024)


def test_read_document_turns_a_timeout_into_a_sentence(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "slow.pdf")
    original = ingest._prepare_and_extract
    ingest._prepare_and_extract = lambda *a: _sleep(30)  # type: ignore[assignment]
    try:
        with pytest.raises(DocumentError) as err:
            read_document(path, "slow.pdf", tmp_path / "cache", timeout=0.5)
    finally:
        ingest._prepare_and_extract = original
    assert str(err.value) == "documents/slow.pdf took longer than 0.5 s to read and was skipped."


# ---------------------------------------------------------------- the shared corpus


CORPUS = sorted((SHARED / "corpus").glob("*/documents/*")) if (SHARED / "corpus").exists() else []


@pytest.mark.skipif(not CORPUS, reason="the shared corpus is absent")
def test_corpus_documents_read(tmp_path_factory: pytest.TempPathFactory) -> None:
    cache = tmp_path_factory.mktemp("cache")
    failures = []
    for path in CORPUS:
        try:
            doc = read_document(path, path.name, cache)
            assert doc.pages and any(p.words for p in doc.pages), path.name
        except DocumentError as exc:
            failures.append(str(exc))
    assert not failures
