"""verify: reopen PDFs and find redacted values anywhere they can be recovered (real PDFs made with PyMuPDF)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from sarkit.models import Leak, Page, Redaction, Word
from sarkit.render import rects_for_span, redact_pdf
from sarkit.text import page_text
from sarkit.verify import EXTRACTORS, Matcher, verify_bundle, verify_pdf

SHARED = Path(__file__).resolve().parents[2] / "shared"
NAME = ("p-anita", "Anita Patel")


def page_model(page: pymupdf.Page) -> Page:
    lines: dict[tuple[int, int], int] = {}
    words = []
    for x0, y0, x1, y1, t, b, ln, _ in page.get_text("words", sort=True):
        words.append(Word(t, x0, y0, x1, y1, b, lines.setdefault((b, ln), len(lines))))
    return Page(page.number, page.rect.width, page.rect.height, tuple(words))


def span_redactions(pdf: Path, needle: str, pid: str) -> list[Redaction]:
    """Every occurrence of needle in every page's text, as redactions (what detection would propose)."""
    out = []
    with pymupdf.open(pdf) as doc:
        for page in doc:
            pt = page_text(page_model(page))
            i = pt.text.find(needle)
            while i >= 0:
                out.append(Redaction(page.number, rects_for_span(pt, i, i + len(needle)), "TP", pid))
                i = pt.text.find(needle, i + 1)
    return out


def places(leaks: list[Leak]) -> set[tuple[int | None, str]]:
    return {(leak.page, leak.where) for leak in leaks}


def one_page(path: Path, *lines: str) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    for n, line in enumerate(lines):
        page.insert_text((72, 72 + 14 * n), line, fontsize=11)
    doc.save(path)
    return path


# ---------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("text", "value", "found"),
    [
        ("visited by Anita Patel today", "Anita Patel", True),
        ("visited by ANITA  PATEL today", "Anita Patel", True),  # capitals, odd spacing
        ("visited by Anita\nPatel today", "Anita Patel", True),  # broken across lines
        ("visited by Anita\u00a0Patel", "Anita Patel", True),  # odd space
        ("Anita Patel\u2019s statement", "Anita Patel", True),  # possessive, curly quote
        ("A note from Sha-\nron Doyle", "Sharon Doyle", True),  # hyphenated at a line end
        ("A note from Sha\u00ad\nron Doyle", "Sharon Doyle", True),  # soft hyphen at a line end
        ("Joanne said", "Ann", False),  # not inside a word
        ("Annabel said", "Ann", False),
        ("the Di\ufb00ey family", "Diffey", True),  # ligature
        ("call 0770 0900 491 now", "07700 900491", True),  # 6+ digits: spaces ignored
        ("NHS no. 999-123-4567", "999 123 4567", True),
        ("anita . patel @ example . com", "anita.patel@example.com", True),
        ("on 12 May", "12 May 2004", False),
        ("Jane's mum", "Jane", True),
    ],
)
def test_matcher(text: str, value: str, found: bool) -> None:
    assert (Matcher([("p", value)]).find(text) == {"p"}) is found


# ---------------------------------------------------------------- a PDF that hides a name everywhere


def make_leaky_pdf(path: Path) -> Path:
    doc = pymupdf.open()
    p0 = doc.new_page()
    p0.insert_text((72, 72), "Referral made by Anita Patel on Monday.", fontsize=11)
    p1 = doc.new_page()
    p1.insert_text((72, 72), "Second page with a sticky note.", fontsize=11)
    p1.add_text_annot((300, 72), "Called by Anita Patel").update()
    p2 = doc.new_page()
    p2.insert_text((72, 72), "Form page.", fontsize=11)
    w = pymupdf.Widget()
    w.field_type, w.field_name, w.field_value = pymupdf.PDF_WIDGET_TYPE_TEXT, "referrer", "Anita Patel"
    w.rect = pymupdf.Rect(72, 100, 272, 120)
    p2.add_widget(w)
    p3 = doc.new_page()
    p3.insert_text((72, 72), "White text: Anita Patel", fontsize=11, color=(1, 1, 1))
    p4 = doc.new_page()
    p4.insert_text((72, 72), "Under a box: Anita Patel", fontsize=11)
    p4.draw_rect(pymupdf.Rect(140, 60, 220, 78), color=(0, 0, 0), fill=(0, 0, 0))
    doc.set_metadata({"author": "Anita Patel"})
    doc.set_xml_metadata("<x:xmpmeta xmlns:x='adobe:ns:meta/'><r>Anita Patel</r></x:xmpmeta>")
    doc.set_toc([[1, "Statement of Anita Patel", 2]])
    doc.embfile_add("statement.txt", b"Anita Patel says", filename="statement.txt")
    js = doc.get_new_xref()
    doc.update_object(js, "<</S/JavaScript/JS(app.alert(1))>>")
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", f"{js} 0 R")
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def leaky(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield make_leaky_pdf(tmp_path_factory.mktemp("leaky") / "leaky.pdf")


def test_unredacted_pdf_leaks_everywhere(leaky: Path) -> None:
    leaks = verify_pdf(leaky, [NAME], rel="documents/leaky.pdf")
    got = places(leaks)
    for expected in [
        (0, "text"),
        (1, "annotation"),
        (2, "form"),
        (3, "text"),
        (4, "text"),
        (4, "overlay"),
        (None, "metadata"),
        (None, "xmp"),
        (1, "bookmark"),
        (None, "attachment"),
        (None, "javascript"),
    ]:
        assert expected in got, expected
    assert {lk.extractor for lk in leaks if lk.where == "text" and lk.page == 0} == {"pymupdf", "pdfminer"}
    assert all(lk.file == "documents/leaky.pdf" for lk in leaks)
    assert all(lk.proposal in ("p-anita", "") for lk in leaks)
    assert not any("Anita" in repr(lk) for lk in leaks)


def test_redacted_pdf_verifies_clean(leaky: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    redact_pdf(leaky, out, span_redactions(leaky, "Anita Patel", "p-anita"))
    assert verify_pdf(out, [NAME], rel="out.pdf") == []
    assert verify_pdf(out, [NAME], rel="out.pdf", extractors=("pdftotext",)) == []
    with pymupdf.open(out) as doc:
        assert "Referral made by" in doc[0].get_text()


def test_a_drawn_black_box_is_not_a_redaction(tmp_path: Path) -> None:
    src = one_page(tmp_path / "in.pdf", "Visit by Sharon Doyle today.")
    with pymupdf.open(src) as doc:
        (r,) = span_redactions(src, "Sharon Doyle", "p1")[0].rects
        doc[0].draw_rect(pymupdf.Rect(r), color=(0, 0, 0), fill=(0, 0, 0))
        doc.save(tmp_path / "boxed.pdf")
    leaks = verify_pdf(tmp_path / "boxed.pdf", [("p1", "Sharon Doyle")], rel="boxed.pdf")
    assert (0, "text") in places(leaks) and (0, "overlay") in places(leaks)


def test_unapplied_redaction_and_dark_highlight_are_findings(tmp_path: Path) -> None:
    src = one_page(tmp_path / "in.pdf", "Visit by Sharon Doyle today.", "Other line of text here.")
    with pymupdf.open(src) as doc:
        page = doc[0]
        (r,) = span_redactions(src, "Sharon Doyle", "p1")[0].rects
        page.add_redact_annot(pymupdf.Rect(r))
        hl = page.add_highlight_annot(page.search_for("Other line")[0])
        hl.set_colors(stroke=(0, 0, 0))
        hl.update()
        doc.save(tmp_path / "annots.pdf")
    leaks = verify_pdf(tmp_path / "annots.pdf", [("p1", "Sharon Doyle")], rel="a.pdf")
    assert Leak("a.pdf", 0, "annotation", "p1", "redact-annotation") in leaks
    assert Leak("a.pdf", 0, "overlay", "", "dark-annotation") in leaks


def test_hyphenated_and_capitals_are_caught(tmp_path: Path) -> None:
    src = one_page(tmp_path / "in.pdf", "The neighbour Mrs Sha-", "ron Doyle called. DOYLE, Sharon again.")
    leaks = verify_pdf(src, [("p1", "Sharon Doyle"), ("p2", "Doyle, Sharon")], rel="x.pdf")
    by_pid = {(lk.proposal, lk.extractor) for lk in leaks if lk.where == "text"}
    assert {("p1", "pymupdf"), ("p1", "pdfminer"), ("p2", "pymupdf"), ("p2", "pdfminer")} <= by_pid


def test_word_boundaries_no_false_leak(tmp_path: Path) -> None:
    src = one_page(tmp_path / "in.pdf", "Joanne and Annabel visited.")
    assert verify_pdf(src, [("p1", "Ann")], rel="x.pdf") == []


def test_a_failing_extractor_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path) -> Iterator[tuple[int, str]]:
        raise RuntimeError("cannot read")
        yield 0, ""

    monkeypatch.setitem(EXTRACTORS, "broken", broken)
    src = one_page(tmp_path / "in.pdf", "Nothing to see.")
    leaks = verify_pdf(src, [NAME], rel="x.pdf", extractors=("pymupdf", "broken"))
    assert leaks == [Leak("x.pdf", None, "unreadable", "", "broken")]


def test_a_file_that_is_not_a_pdf_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    assert {lk.where for lk in verify_pdf(bad, [NAME], rel="bad.pdf")} == {"unreadable"}


def test_name_in_an_image_found_by_ocr_and_gone_after_redaction(tmp_path: Path) -> None:
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract not installed")
    text = pymupdf.open()
    tp = text.new_page(width=400, height=100)
    tp.insert_text((20, 55), "Visit from Brian Lewis today", fontsize=22)
    png = tp.get_pixmap(dpi=200).tobytes("png")
    doc = pymupdf.open()
    page = doc.new_page(width=400, height=100)
    page.insert_image(page.rect, stream=png)
    doc.save(tmp_path / "scan.pdf")
    value = [("p-brian", "Brian Lewis")]
    before = verify_pdf(tmp_path / "scan.pdf", value, rel="scan.pdf", extractors=("ocr",))
    assert Leak("scan.pdf", 0, "text", "p-brian", "ocr") in before
    box = tuple(tp.search_for("Brian Lewis")[0] + (-2, -2, 2, 2))
    redact_pdf(tmp_path / "scan.pdf", tmp_path / "out.pdf", [Redaction(0, (box,), "TP", "p-brian")])
    after = verify_pdf(tmp_path / "out.pdf", value, rel="out.pdf", extractors=("pymupdf", "pdfminer", "ocr"))
    assert after == []


# ---------------------------------------------------------------- bundle


def test_verify_bundle_checks_pdfs_and_text_files(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "documents").mkdir(parents=True)
    one_page(bundle / "documents" / "a.pdf", "Visit by Sharon Doyle.")
    one_page(bundle / "documents" / "b.docx.pdf", "Clean page about Jane.")
    (bundle / "records.html").write_text("<p title='Anita&#32;Patel'>Hello</p>", encoding="utf-8")
    (bundle / "notes.txt").write_text("nothing here", encoding="utf-8")
    report = verify_bundle(bundle, {"documents/a.pdf": [("p1", "Sharon Doyle")], "documents/b.docx.pdf": []}, [NAME])
    assert report.files == 4 and report.values == 2 and not report.ok
    got = {(lk.file, lk.where, lk.proposal) for lk in report.leaks}
    assert ("documents/a.pdf", "text", "p1") in got
    assert ("records.html", "text", "p-anita") in got
    assert not any(lk.file in ("documents/b.docx.pdf", "notes.txt") for lk in report.leaks)


def test_a_large_text_file_is_searched_in_pieces_and_a_value_at_a_seam_is_found(tmp_path: Path) -> None:
    """records.html of a big case is read a piece at a time: a value cut by the seam between two pieces,
    one split by a tag there, and one after a long embedded image are all still found."""
    from sarkit.verify import check

    bundle = tmp_path / "bundle"
    bundle.mkdir()
    filler = "<p>The plan was reviewed and agreed.</p>\n" * (check._CHUNK // 40)
    image = '<img src="data:image/png;base64,' + "QUJD" * 200_000 + '" alt="">\n'
    text = filler[:-200] + "<p>Sharon <b>Doyle</b>\ncalled.</p>\n" + filler + image + "<p>Anita Patel</p>\n"
    (bundle / "records.html").write_text(text, encoding="utf-8")
    values = [("p1", "Sharon Doyle"), ("p-anita", "Anita Patel")]
    chunks = list(check._text_chunks(bundle / "records.html"))
    assert len(chunks) > 2 and max(len(c) for c in chunks) < 4 * (check._CHUNK + check._OVERLAP)
    report = verify_bundle(bundle, {"records.html": values})
    assert {lk.proposal for lk in report.leaks} == {"p1", "p-anita"}
    assert len(report.leaks) == 2  # one finding per value, however many pieces showed it


def test_verify_bundle_clean_after_redaction(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "documents").mkdir(parents=True)
    src = one_page(tmp_path / "a.pdf", "Visit by Sharon Doyle with Anita Patel.")
    reds = span_redactions(src, "Sharon Doyle", "p1") + span_redactions(src, "Anita Patel", "p-anita")
    redact_pdf(src, bundle / "documents" / "a.pdf", reds)
    report = verify_bundle(bundle, {"documents/a.pdf": [("p1", "Sharon Doyle")]}, [NAME])
    assert report.ok and report.files == 1


@pytest.mark.skipif(not SHARED.exists(), reason="shared corpus not present")
def test_corpus_text_pdf_round_trip(tmp_path: Path) -> None:
    """A real corpus text PDF: redacting every occurrence of a truth item leaves nothing for verify."""
    import json

    for case in sorted((SHARED / "corpus").glob("*/truth.json")):
        truth = json.loads(case.read_text())
        for name, doc in truth["documents"].items():
            src = case.parent / "documents" / name
            if doc.get("format") != "pdf" or not src.exists():
                continue
            with pymupdf.open(src) as d:
                if not d[0].get_text().strip():
                    continue
            item = next((v for v in doc["redact"] if len(v) > 5), None)
            if item is None:
                continue
            reds = span_redactions(src, item, "p1")
            if not reds:
                continue
            redact_pdf(src, tmp_path / "out.pdf", reds)
            leaks = verify_pdf(tmp_path / "out.pdf", [("p1", item)], rel="out.pdf")
            assert [lk for lk in leaks if lk.proposal == "p1" and lk.where != "text"] == []
            return
    pytest.skip("no suitable corpus PDF")


@pytest.mark.parametrize(
    "value,text,found",
    [
        ("Rose", "She planted rose bushes.", False),
        ("Rose", "ROSE attended.", True),
        ("Will Grant", "They will grant it.", False),
        ("Will Grant", "GRANT, Will was there", False),  # order differs: a different value
        ("Grant, Will", "GRANT, Will was there", True),
        ("BS", "the bs of a border style", False),
        ("BS", "initials BS on the form", True),
        ("mum", "Mum said", True),
        ("vx3 9qq", "Postcode VX3 9QQ", True),
    ],
)
def test_letter_case_rules(value: str, text: str, found: bool) -> None:
    from sarkit.verify.match import Matcher

    assert bool(Matcher([("p", value)]).find(text)) is found


def test_base64_images_in_html_are_not_read_as_text(tmp_path: Path) -> None:
    from sarkit.verify import verify_bundle

    (tmp_path / "records.html").write_text(
        '<p>ok</p><img alt="page" src="data:image/png;base64,iVBORw0KGgo/Iuv/FW/vkL+AAA=">'
    )
    assert verify_bundle(tmp_path, {"records.html": [("p1", "FW")]}).ok
    (tmp_path / "records.html").write_text("<p>Seen by FW today</p>")
    assert not verify_bundle(tmp_path, {"records.html": [("p1", "FW")]}).ok


@pytest.mark.parametrize("count", [3, 40])
def test_digits_match_with_spacing_ignored_however_many_values(count: int) -> None:
    from sarkit.verify.match import Matcher

    values = [(f"p{i}", f"07700 900{i:03d}") for i in range(count)]
    m = Matcher(values)
    assert m.find(f"call 0770-0900 {count - 1:03d} today") == {f"p{count - 1}"}
    assert m.find("call 07700 901999 today") == set()
