"""render: true removal of redacted spans, labelled boxes, and a sanitised file (real PDFs made with PyMuPDF)."""

from __future__ import annotations

import io
from pathlib import Path

import pymupdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfminer.high_level import extract_text

from sarkit.errors import DocumentError
from sarkit.models import Page, Redaction, Word
from sarkit.render import rects_for_span, redact_pdf
from sarkit.render.redact import FILL
from sarkit.text import PageText, page_text

# ---------------------------------------------------------------- helpers


def page_model(page: pymupdf.Page) -> Page:
    """A minimal ingest: the page's words with boxes, line numbers unique across the page."""
    lines: dict[tuple[int, int], int] = {}
    words = []
    for x0, y0, x1, y1, t, b, ln, _ in page.get_text("words", sort=True):
        words.append(Word(t, x0, y0, x1, y1, b, lines.setdefault((b, ln), len(lines))))
    return Page(page.number, page.rect.width, page.rect.height, tuple(words))


def span_of(pt: PageText, needle: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = pt.text.index(needle, i + 1)
    return i, i + len(needle)


def redaction(pdf: Path, pno: int, needle: str, code: str = "TP", pid: str = "p1", nth: int = 0) -> Redaction:
    with pymupdf.open(pdf) as doc:
        pt = page_text(page_model(doc[pno]))
    s, e = span_of(pt, needle, nth)
    return Redaction(pno, rects_for_span(pt, s, e), code, pid)


def texts(pdf: Path) -> tuple[str, str]:
    """The text as read by PyMuPDF and by pdfminer.six."""
    with pymupdf.open(pdf) as doc:
        a = "\n".join(p.get_text() for p in doc)
    return a, extract_text(str(pdf))


def make_text_pdf(path: Path, lines: list[str], *, fontsize: float = 11, leading: float = 1.2) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    y = 72.0
    for line in lines:
        page.insert_text((72, y), line, fontsize=fontsize)
        y += fontsize * leading
    doc.save(path)
    doc.close()
    return path


# ---------------------------------------------------------------- rects_for_span


def test_rects_for_span_one_rect_per_line_and_partial_words_whole() -> None:
    words = (
        Word("Visit", 72, 60, 95, 75, 0, 0),
        Word("by", 98, 60, 110, 75, 0, 0),
        Word("Sharon", 113, 60, 150, 75, 0, 0),
        Word("Doyle", 72, 74, 100, 89, 0, 1),
        Word("said", 103, 74, 125, 89, 0, 1),
    )
    pt = page_text(Page(0, 595, 842, words))
    s = pt.text.index("aron")  # partly inside "Sharon"
    e = pt.text.index("Doyle") + 3  # partly inside "Doyle"
    rects = rects_for_span(pt, s, e)
    assert len(rects) == 2
    (a0, a1, a2, a3), (b0, b1, b2, b3) = rects
    assert a0 < 113 and a2 > 150 and b0 < 72 and b2 > 100  # whole words, padded
    assert a3 <= b1  # the two line boxes do not overlap although the word boxes do
    assert rects_for_span(pt, 0, 0) == ()


def test_rects_for_span_ocr_words_are_not_trimmed() -> None:
    w = Word("Name", 10, 10, 40, 20, 0, 0, ocr=True)
    ((x0, y0, x1, y1),) = rects_for_span(page_text(Page(0, 100, 100, (w,))), 0, 4)
    assert x0 < 10 and y0 < 10 and x1 > 40 and y1 > 20


# ---------------------------------------------------------------- redact_pdf: text


def test_redacted_text_is_gone_and_neighbours_survive(tmp_path: Path) -> None:
    lines = ["Visit by Sharon Doyle to Jane at home.", "Sharon Doyle said Jane was well."]
    src = make_text_pdf(tmp_path / "in.pdf", lines)
    reds = [redaction(src, 0, "Sharon Doyle"), redaction(src, 0, "Sharon Doyle", code="TPS", pid="p2", nth=1)]
    out = tmp_path / "out.pdf"
    redact_pdf(src, out, reds, title="Visit record")
    for text in texts(out):
        assert "Sharon" not in text and "Doyle" not in text
        for kept in ("Visit", "by", "to", "Jane", "said", "well"):
            assert kept in text
    assert [f for f in tmp_path.iterdir() if f.name.endswith(".tmp")] == []


@pytest.mark.parametrize("direct", [True, False], ids=["mupdf-direct", "pymupdf-calls"])
def test_both_ways_of_applying_redactions_remove_the_same(tmp_path: Path, monkeypatch, direct: bool) -> None:  # type: ignore[no-untyped-def]
    """An unturned page is redacted by driving MuPDF directly, or with PyMuPDF's public calls where that is
    not offered: both remove the text, keep the rest, and leave no annotation behind."""
    from sarkit.render import redact as redact_mod

    if not direct:
        monkeypatch.setattr(redact_mod, "_mupdf_page", lambda page: None)
    else:
        with pymupdf.open() as probe:
            assert redact_mod._mupdf_page(probe.new_page()) is not None  # this PyMuPDF offers it
    lines = ["Visit by Sharon Doyle to Jane at home.", "Anita Patel phoned on 07700 900123 about Jane."]
    src = make_text_pdf(tmp_path / "in.pdf", lines)
    reds = [redaction(src, 0, "Sharon Doyle"), redaction(src, 0, "Anita Patel", pid="p2"), redaction(src, 0, "07700")]
    out = tmp_path / "out.pdf"
    redact_pdf(src, out, reds)
    for text in texts(out):
        assert not any(gone in text for gone in ("Sharon", "Doyle", "Anita", "Patel", "07700"))
        assert all(kept in text for kept in ("Visit", "Jane", "phoned", "900123", "home"))
    with pymupdf.open(out) as doc:
        assert list(doc[0].annots()) == []
        assert doc[0].get_textbox(pymupdf.Rect(reds[0].rects[0])).strip() == "TP"


def test_code_label_is_printed_in_the_box(tmp_path: Path) -> None:
    src = make_text_pdf(tmp_path / "in.pdf", ["Referred by Anita Patel of the street."])
    red = redaction(src, 0, "Anita Patel", code="CS")
    out = tmp_path / "out.pdf"
    redact_pdf(src, out, [red])
    with pymupdf.open(out) as doc:
        page = doc[0]
        box = pymupdf.Rect(red.rects[0])
        assert page.get_textbox(box).strip() == "CS"
        pix = page.get_pixmap(dpi=200, clip=box, colorspace=pymupdf.csGRAY)
        samples = pix.samples
        grey = round(FILL[0] * 255)
        assert sum(1 for v in samples if abs(v - grey) <= 3) > 0.5 * len(samples)  # mostly the pale fill
        assert min(samples) < 128  # and some dark label pixels


def _labels(page: pymupdf.Page, code: str) -> list[dict]:
    return [
        s
        for b in page.get_text("dict")["blocks"]
        for ln in b.get("lines", ())
        for s in ln["spans"]
        if s["text"].strip() == code
    ]


def test_a_box_too_small_for_its_label_gets_it_on_a_tab_beside_it(tmp_path: Path) -> None:
    """Small type: the box of "Bo" is too narrow for "TPS" at the smallest size records.pdf allows, so the
    label goes on a pale tab touching the box, over no other word; records.html's reader drops it."""
    from sarkit.render.layout import read_page
    from sarkit.render.paper import label_floor

    src = make_text_pdf(tmp_path / "in.pdf", ["Seen by Bo at the gate with Mum and Annabelle Whitcombe."], fontsize=7.5)
    small = redaction(src, 0, "Bo", code="TPS", pid="p1")
    large = redaction(src, 0, "Annabelle Whitcombe", code="TPS", pid="p2")
    out = tmp_path / "out.pdf"
    redact_pdf(src, out, [small, large])
    with pymupdf.open(out) as doc:
        page = doc[0]
        floor = label_floor(page.rect.width, page.rect.height)
        labels = _labels(page, "TPS")
        assert len(labels) == 2 and all(s["size"] >= floor - 1e-3 for s in labels)
        box, big = pymupdf.Rect(small.rects[0]), pymupdf.Rect(large.rects[0])
        beside = [s for s in labels if not pymupdf.Rect(s["bbox"]).intersects(big)]
        assert len(beside) == 1 and pymupdf.Rect(beside[0]["bbox"]).tl not in box  # the small box's label is outside
        fills = [d["rect"] for d in page.get_drawings() if d.get("fill") == pytest.approx(FILL, abs=0.01)]
        tabs = [r for r in fills if not r.intersects(box + (0.1, 0.1, -0.1, -0.1)) and not r.intersects(big)]
        assert len(tabs) == 1
        tab = tabs[0]
        assert tab.contains(pymupdf.Rect(beside[0]["bbox"]).tl + (1, 3))  # the label is on the tab
        gaps = (box.y0 - tab.y1, tab.y0 - box.y1, tab.x0 - box.x1, box.x0 - tab.x1)
        assert max(gaps) >= -0.01 and max(gaps) <= 2.01  # beside the box, touching or nearly
        with pymupdf.open(src) as original:  # on the page as it was, nothing is printed where the tab is
            pix = original[0].get_pixmap(dpi=300, clip=tab, colorspace=pymupdf.csGRAY)
            assert min(pix.samples) == 255
        inside = [s for s in labels if s is not beside[0]]
        assert big.contains(pymupdf.Point(pymupdf.Rect(inside[0]["bbox"]).tl) + (1, 4))  # the large one's inside
        removed = [(r, "TPS") for red in (small, large) for r in red.rects]
        words = [t.text for b in read_page(page, removed).blocks for t in b.tokens if not t.is_mark]
        assert "TPS" not in words and "Seen" in words and "Mum" in words


def test_output_is_one_full_save_without_metadata(tmp_path: Path) -> None:
    src = make_text_pdf(tmp_path / "in.pdf", ["Visit by Sharon Doyle."])
    with pymupdf.open(src) as doc:
        doc.set_metadata({"author": "Karen Pike", "subject": "Sharon Doyle", "keywords": "x", "creator": "Word"})
        doc.set_xml_metadata("<x:xmpmeta xmlns:x='adobe:ns:meta/'>Sharon Doyle</x:xmpmeta>")
        doc.save(tmp_path / "meta.pdf")
    out = tmp_path / "out.pdf"
    redact_pdf(tmp_path / "meta.pdf", out, [redaction(src, 0, "Sharon Doyle")], title="Visit")
    data = out.read_bytes()
    assert data.count(b"%%EOF") == 1
    with pymupdf.open(out) as doc:
        meta = {k: v for k, v in doc.metadata.items() if v and k not in ("format", "encryption")}
        assert meta == {"producer": "sarkit", "title": "Visit"}
        assert doc.get_xml_metadata() == ""
        assert doc.xref_get_key(doc.pdf_catalog(), "Lang") == ("string", "en-GB")
        assert not doc.is_dirty


def test_encrypted_source_needs_its_password(tmp_path: Path) -> None:
    src = make_text_pdf(tmp_path / "plain.pdf", ["Secret record of Tom Grant."])
    red = redaction(src, 0, "Tom Grant")
    with pymupdf.open(src) as doc:
        doc.save(tmp_path / "enc.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="pw", owner_pw="owner")
    with pytest.raises(DocumentError, match="enc.pdf"):
        redact_pdf(tmp_path / "enc.pdf", tmp_path / "out.pdf", [red])
    redact_pdf(tmp_path / "enc.pdf", tmp_path / "out.pdf", [red], password="pw")
    with pymupdf.open(tmp_path / "out.pdf") as doc:
        assert not doc.needs_pass
        assert "Tom Grant" not in doc[0].get_text() and "Secret record" in doc[0].get_text()


def test_redaction_on_a_missing_page_is_an_error_naming_the_file(tmp_path: Path) -> None:
    src = make_text_pdf(tmp_path / "one.pdf", ["Text."])
    with pytest.raises(DocumentError, match="one.pdf.*page 3"):
        redact_pdf(src, tmp_path / "out.pdf", [Redaction(2, ((0, 0, 10, 10),), "TP", "p1")])


# ---------------------------------------------------------------- redact_pdf: images


def make_scan_pdf(path: Path, text: str) -> Path:
    """An image-only page: text rendered to pixels and placed as the page's only content."""
    src = pymupdf.open()
    p = src.new_page(width=300, height=100)
    p.insert_text((20, 55), text, fontsize=20)
    png = p.get_pixmap(dpi=150).tobytes("png")
    doc = pymupdf.open()
    page = doc.new_page(width=300, height=100)
    page.insert_image(page.rect, stream=png)
    doc.save(path)
    return path


def test_redaction_on_an_image_only_page_rewrites_the_pixels(tmp_path: Path) -> None:
    src = make_scan_pdf(tmp_path / "scan.pdf", "Brian Lewis visited")
    box = (18.0, 36.0, 130.0, 62.0)  # over "Brian Lewis"
    out = tmp_path / "out.pdf"
    redact_pdf(src, out, [Redaction(0, (box,), "TP", "p1")])
    with pymupdf.open(src) as a, pymupdf.open(out) as b:
        assert b[0].get_images(), "the image stays (rewritten), it is not dropped"
        before = a[0].get_pixmap(dpi=100, clip=box, colorspace=pymupdf.csGRAY).samples
        after = b[0].get_pixmap(dpi=100, clip=box, colorspace=pymupdf.csGRAY).samples
        assert min(before) < 80  # black text was there
        grey = round(FILL[0] * 255)
        assert sum(1 for v in after if abs(v - grey) <= 6) > 0.6 * len(after)
        # the image data itself no longer holds the text: drawn without the box, the area is not black text
        xref = b[0].get_images()[0][0]
        pix = pymupdf.Pixmap(b, xref)
        img = pymupdf.open()
        ip = img.new_page(width=300, height=100)
        ip.insert_image(ip.rect, pixmap=pix)
        raw = ip.get_pixmap(dpi=100, clip=(22, 40, 125, 58), colorspace=pymupdf.csGRAY).samples
        assert min(raw) > 80
        rest_a = a[0].get_pixmap(dpi=100, clip=(140, 30, 290, 70), colorspace=pymupdf.csGRAY).samples
        rest_b = b[0].get_pixmap(dpi=100, clip=(140, 30, 290, 70), colorspace=pymupdf.csGRAY).samples
        # "visited" is untouched (up to re-encoding of the image)
        assert min(rest_b) < 80 and sum(abs(x - y) for x, y in zip(rest_a, rest_b)) / len(rest_a) < 3


# ---------------------------------------------------------------- sanitising


def make_loaded_pdf(path: Path) -> Path:
    """A PDF carrying a name in every place a PDF can hide one."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Case note for Jane.", fontsize=11)
    page.insert_text((72, 90), "Neighbour Anita Patel called.", fontsize=11)
    doc.set_metadata({"author": "Anita Patel", "title": "Anita Patel", "creator": "Anita Patel"})
    doc.set_xml_metadata("<x:xmpmeta xmlns:x='adobe:ns:meta/'><r>Anita Patel</r></x:xmpmeta>")
    annot = page.add_text_annot((300, 72), "Called by Anita Patel")
    annot.set_info(title="Anita Patel")
    annot.update()
    link = {"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 60, 150, 75), "uri": "mailto:anita@example.com"}
    page.insert_link(link)
    w = pymupdf.Widget()
    w.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    w.field_name = "referrer"
    w.field_value = "Anita Patel"
    w.rect = pymupdf.Rect(72, 200, 272, 220)
    page.add_widget(w)
    doc.embfile_add("anita.txt", b"Statement of Anita Patel", filename="anita.txt", desc="Anita Patel")
    doc.set_toc([[1, "Anita Patel", 1]])
    ocg = doc.add_ocg("hidden", on=False)
    page.insert_text((72, 300), "Hidden layer Anita Patel", fontsize=11, oc=ocg)
    js = doc.get_new_xref()
    doc.update_object(js, "<</S/JavaScript/JS(app.alert('Anita Patel'))>>")
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", f"{js} 0 R")
    thumb = doc.get_new_xref()
    doc.update_object(thumb, "<</Width 1/Height 1>>")
    doc.update_stream(thumb, b"\x00\x00\x00", new=True)
    doc.xref_set_key(page.xref, "Thumb", f"{thumb} 0 R")
    doc.save(path)
    return path


def test_sanitise_removes_every_hiding_place(tmp_path: Path) -> None:
    src = make_loaded_pdf(tmp_path / "loaded.pdf")
    out = tmp_path / "out.pdf"
    redact_pdf(src, out, [redaction(src, 0, "Anita Patel")], title="Case note")
    with pymupdf.open(out) as doc:
        page = doc[0]
        assert list(page.annots()) == [] and list(page.widgets()) == [] and page.get_links() == []
        assert doc.embfile_count() == 0 and doc.get_toc() == [] and not doc.is_form_pdf
        cat = doc.pdf_catalog()
        for key in ("OpenAction", "Names", "OCProperties", "Outlines", "AcroForm", "Metadata"):
            assert doc.xref_get_key(cat, key)[0] == "null", key
        assert doc.xref_get_key(page.xref, "Thumb")[0] == "null"
        assert doc.metadata["author"] == "" and doc.metadata["title"] == "Case note"
        assert "Case note for Jane." in page.get_text()
    raw = b"".join(pymupdf.open(out).xref_stream(x) or b"" for x in range(1, pymupdf.open(out).xref_length()))
    assert b"Anita" not in raw and b"Anita" not in out.read_bytes()
    for text in texts(out):
        assert "Anita" not in text and "Hidden layer" not in text  # the hidden layer's content is gone too


# ---------------------------------------------------------------- property: nothing redacted survives

VOCAB = [
    "Alpha",
    "Bravo",
    "Charlie",
    "Delta",
    "Echo",
    "Foxtrot",
    "Golf",
    "Hotel",
    "India",
    "Juliet",
    "Kilo",
    "Lima",
    "Mike",
    "November",
    "Oscar",
    "Papa",
    "Quebec",
    "Romeo",
    "Sierra",
    "Tango",
    "Uniform",
    "Victor",
    "Whiskey",
    "Xray",
    "Yankee",
    "Zulu",
    "Amber",
    "Basil",
    "Cedar",
    "Dahlia",
    "Ember",
    "Fennel",
]
WORDS_PER_LINE = 6
LINES = 8


@st.composite
def layouts(draw: st.DrawFn) -> tuple[float, float, list[list[str]], list[tuple[int, int, int]]]:
    fontsize = draw(st.sampled_from([8.0, 10.0, 11.0, 14.0]))
    leading = draw(st.sampled_from([1.15, 1.2, 1.5]))
    order = draw(st.permutations(VOCAB))
    lines = [list(order[i * 4 : (i * 4) + 4]) for i in range(LINES)]  # every word unique on the page
    spans = draw(st.lists(st.tuples(st.integers(0, LINES - 1), st.integers(0, 3), st.integers(1, 3)), max_size=5))
    return fontsize, leading, lines, spans


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layouts())
def test_property_redacted_words_are_gone_and_others_remain(tmp_path: Path, layout) -> None:
    fontsize, leading, lines, spans = layout
    src = make_text_pdf(tmp_path / "p.pdf", [" ".join(ws) for ws in lines], fontsize=fontsize, leading=leading)
    with pymupdf.open(src) as doc:
        pt = page_text(page_model(doc[0]))
    gone: set[str] = set()
    reds = []
    for n, (ln, first, count) in enumerate(spans):
        chosen = lines[ln][first : first + count]
        gone.update(chosen)
        s = pt.text.index(chosen[0])
        e = pt.text.index(chosen[-1]) + len(chosen[-1])
        reds.append(Redaction(0, rects_for_span(pt, s, e), "TP", f"p{n}"))
    out = tmp_path / "out.pdf"
    redact_pdf(src, out, reds)
    for text in texts(out):
        found = set(text.split())
        assert not (gone & found)
        assert {w for ws in lines for w in ws} - gone <= found


def test_pdfminer_reads_pymupdf_output(tmp_path: Path) -> None:
    """Guard the property test's premise: pdfminer.six reads what PyMuPDF writes."""
    src = make_text_pdf(tmp_path / "p.pdf", ["Alpha Bravo"])
    assert "Alpha Bravo" in extract_text(io.BytesIO(src.read_bytes()))


def test_sweep_boxes_every_other_occurrence_of_a_redacted_value(tmp_path: Path) -> None:
    """A value redacted at one place in a document is removed wherever else it shows on its pages."""
    from sarkit.render.sweep import Sweep

    src = tmp_path / "in.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Referrer: Dean Pryce called.", fontsize=11)
    page.insert_text((72, 130), "Later DEAN PRYCE rang again; dean pryce is a phrase in lower case.", fontsize=11)
    page.insert_text((72, 160), "Rose planted a rose; Dean stayed.", fontsize=11)
    doc.save(src)
    words = doc[0].get_text("words")
    first = [w for w in words if w[4] in ("Dean", "Pryce")][:2]
    rect = (min(w[0] for w in first), min(w[1] for w in first), max(w[2] for w in first), max(w[3] for w in first))
    out = tmp_path / "out.pdf"
    redact_pdf(
        src, out, [Redaction(0, (rect,), "CS", "p1")], sweep=Sweep([("Dean Pryce", "CS", "p1"), ("Rose", "TP", "p2")])
    )
    text = pymupdf.open(out)[0].get_text()
    assert "Pryce" not in text and "PRYCE" not in text and "Rose" not in text
    assert "dean pryce" in text and "a rose" in text and "Dean stayed" in text  # other case: not the name


def test_rotated_pages_come_out_unrotated_with_the_same_text(tmp_path: Path) -> None:
    src = tmp_path / "rot.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Rotated record of the visit, kept as it reads.", fontsize=11)
    page.set_rotation(90)
    doc.save(src)
    out = tmp_path / "out.pdf"
    redact_pdf(src, out, [])
    res = pymupdf.open(out)[0]
    assert res.rotation == 0
    assert "Rotated record of the visit" in res.get_text()
    assert (res.rect.width, res.rect.height) == (pymupdf.open(src)[0].rect.width, pymupdf.open(src)[0].rect.height)
