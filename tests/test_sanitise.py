"""Hostile documents built by code: each hiding place of a name, and the name removed from bundle/ (or the file
held back). Output names and titles, hidden layers, invisible and clipped text, image and font metadata,
page labels, DOCX text hidden by a style, DOCX images."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
import pytest
from casewriter import small_manifest

from sarkit.case import Case
from sarkit.fold import fold
from sarkit.pipeline import bundle, propose, verify
from sarkit.render.names import NameRedactor, unique_paths

PROTECTED = "Anita Patel"  # the referrer of small_manifest: always redacted
CASE_YAML = small_manifest("SAR-2026-0915") + (
    "  - id: tom\n    name: Tom Doe\n    role: sibling\n    known: true\n    withheld: [Tom Grantham]\n"
)


def _pdf(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = pymupdf.open()
    page = doc.new_page()
    y = 72.0
    for line in lines:
        page.insert_text((60, y), line, fontsize=11)
        y += 20
    doc.save(path)
    doc.close()
    return path


def _case(root: Path) -> Path:
    (root / "documents").mkdir(parents=True)
    (root / "case.yaml").write_text(CASE_YAML, encoding="utf-8")
    return root


def _bundle(case: Path) -> None:
    propose(Case(case), actor="t", workers=1)
    res = bundle(Case(case), actor="t", accept_proposals=True, workers=2)
    assert res.report is not None and res.report.ok, res.report


def _every_name(root: Path) -> str:
    return "\n".join(p.relative_to(root).as_posix() for p in root.rglob("*"))


def _pdf_strings(path: Path) -> str:
    """Everything a PDF says about itself outside its page text: metadata, outline, labels, page text."""
    with pymupdf.open(path) as doc:
        out = [str(doc.metadata), str(doc.get_toc()), *(p.get_label() for p in doc), *(p.get_text() for p in doc)]
    return "\n".join(out)


# ---------------------------------------------------------------- output names and titles


def test_names_in_file_and_folder_names_are_redacted_not_held_back(tmp_path: Path) -> None:
    case = _case(tmp_path / "case")
    docs = case / "documents"
    _pdf(docs / "2025-01-01 Call from Anita Patel.pdf", ["Anita Patel telephoned about Jane Doe on Monday."])
    _pdf(docs / "Patel family" / "2025-01-02 Note.pdf", ["Jane Doe was seen at school by Karen Pike."])
    _pdf(docs / "2025-01-03 Letter to tom GRANTHAM.pdf", ["A letter about Jane Doe's brother."])
    _pdf(docs / "2025-01-04 Jane Doe review.pdf", ["Karen Pike reviewed the plan with Jane Doe."])
    _bundle(case)
    out = case / "bundle"
    names = _every_name(out)
    assert "patel" not in names.lower() and "grantham" not in names.lower()
    assert "documents/2025-01-01 Call from [" in names
    assert "documents/2025-01-04 Jane Doe review.pdf" in names  # the subject's name stays
    assert len(list((out / "documents").rglob("*.pdf"))) == 4  # nothing held back
    for pdf in out.rglob("*.pdf"):
        text = _pdf_strings(pdf).lower()
        assert "patel" not in text and "grantham" not in text, pdf.name
    html = (out / "records.html").read_text(encoding="utf-8").lower()
    assert "patel" not in html and "grantham" not in html
    assert "jane doe review" in html
    assert verify(Case(case), actor="t").report.ok


def test_name_redactor_matches_folded_whole_words() -> None:
    r = NameRedactor([("Anita Patel", "CS"), ("Ms Doyle", "TP"), ("Doe", "TP")], kept=["Jane Doe"])
    assert r.redact("2014-07-02 Letter to Anita Patel.pdf") == "2014-07-02 Letter to [CS].pdf"
    assert r.redact("ANITA_PATEL notes") == "[CS]_notes" or r.redact("ANITA_PATEL notes") == "[CS] notes"
    assert r.redact("AnitaPatel.docx") == "[CS].docx"
    assert r.redact("call from \u0410nita P\u0430tel") == "call from [CS]"  # Cyrillic look-alikes
    assert r.redact("Ani\u00adta Patel") == "[CS]"  # a soft hyphen
    assert r.redact("Jane Doe review") == "Jane Doe review"  # a kept name is never matched alone
    assert r.redact("Anitapatelli") == "Anitapatelli"  # whole words only
    assert r.redact_path("documents/Anita Patel/x.pdf") == "documents/[CS]/x.pdf"
    assert unique_paths(["a/[CS].pdf", "a/[cs].pdf"]) == ["a/[CS].pdf", "a/[cs] (2).pdf"]


def _no_name_anywhere(case: Path, *names: str) -> None:
    """The names nowhere in bundle/: file names, PDF strings, raw (decompressed) objects, records.html."""
    out = case / "bundle"
    blob = _every_name(out).lower()
    for pdf in out.rglob("*.pdf"):
        blob += _pdf_strings(pdf).lower()
        with pymupdf.open(pdf) as doc:
            for xref in range(1, doc.xref_length()):
                try:
                    blob += doc.xref_object(xref).lower()
                    if doc.xref_is_stream(xref):
                        blob += (doc.xref_stream(xref) or b"").decode("latin-1").lower()
                except Exception:  # noqa: BLE001,S112 - a broken object is not text
                    continue
    blob += (out / "records.html").read_text(encoding="utf-8").lower()
    for n in names:
        assert n.lower() not in blob, n
    assert not re.search(r"anita\W*patel", blob)


# ---------------------------------------------------------------- hostile PDFs: one hiding place each

NAME = PROTECTED
VISIBLE = "Jane Doe was seen at school by Karen Pike on Monday."
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _page(doc: pymupdf.Document) -> pymupdf.Page:
    page = doc.new_page()
    page.insert_text((60, 72), VISIBLE, fontsize=11)
    return page


def _append_content(page: pymupdf.Page, ops: str) -> None:
    doc = page.parent
    xref = doc.get_new_xref()
    doc.update_object(xref, "<<>>")
    doc.update_stream(xref, ops.encode("latin-1"))
    doc.xref_set_key(page.xref, "Contents", "[" + " ".join(f"{x} 0 R" for x in [*page.get_contents(), xref]) + "]")


def _ocmd_all_off(doc: pymupdf.Document) -> None:
    page = _page(doc)
    layer = doc.add_ocg("Notes", on=True)
    ocmd = doc.set_ocmd(ocgs=[layer], policy="AllOff")  # shown only when the layer is off: hidden now
    page.insert_text((60, 200), f"Referred by {NAME}", fontsize=11, oc=ocmd)


def _layer_off(doc: pymupdf.Document) -> None:
    page = _page(doc)
    layer = doc.add_ocg("Hidden", on=False)
    page.insert_text((60, 200), f"Referred by {NAME}", fontsize=11, oc=layer)


def _white(doc: pymupdf.Document) -> None:
    _page(doc).insert_text((60, 300), NAME, fontsize=11, color=(1, 1, 1))


def _tiny(doc: pymupdf.Document) -> None:
    _page(doc).insert_text((60, 300), NAME, fontsize=0.6)


def _render_mode_3(doc: pymupdf.Document) -> None:
    _page(doc).insert_text((300, 300), NAME, fontsize=11, render_mode=3)


def _clipped(doc: pymupdf.Document) -> None:
    page = _page(doc)
    font = next(f[4] for f in page.get_fonts())  # the resource name of the font of the visible line
    _append_content(page, f"q 0 0 1 1 re W n BT /{font} 11 Tf 60 400 Td ({NAME}) Tj ET Q")


def _jpeg(doc: pymupdf.Document) -> None:
    page = _page(doc)
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 40), 0)
    pix.clear_with(180)
    jpg = pix.tobytes("jpg")
    com = NAME.encode()
    exif = b"Exif\x00\x00" + b"II*\x00" + NAME.encode()
    jpg = (
        jpg[:2]
        + b"\xff\xfe" + (len(com) + 2).to_bytes(2, "big") + com
        + b"\xff\xe1" + (len(exif) + 2).to_bytes(2, "big") + exif
        + jpg[2:]
    )  # fmt: skip
    page.insert_image(pymupdf.Rect(60, 200, 160, 300), stream=jpg)
    xref = page.get_images()[0][0]
    meta = doc.get_new_xref()
    doc.update_object(meta, "<< /Type /Metadata /Subtype /XML >>")
    doc.update_stream(meta, f"<x:xmpmeta><dc:creator>{NAME}</dc:creator></x:xmpmeta>".encode())
    doc.xref_set_key(xref, "Metadata", f"{meta} 0 R")


def _font_name(doc: pymupdf.Document) -> None:
    page = doc.new_page()
    page.insert_font(fontname="F9", fontfile=str(FONT))
    page.insert_text((60, 72), VISIBLE, fontsize=11, fontname="F9", fontfile=str(FONT))
    for xref in range(1, doc.xref_length()):
        if doc.xref_get_key(xref, "Type")[1] in ("/Font",) and doc.xref_get_key(xref, "BaseFont")[0] != "null":
            doc.xref_set_key(xref, "BaseFont", "/ABCDEF+AnitaPatel")
        if doc.xref_get_key(xref, "Type")[1] == "/FontDescriptor":
            doc.xref_set_key(xref, "FontName", "/ABCDEF+AnitaPatel")
            doc.xref_set_key(xref, "FontFamily", "(Anita Patel)")


def _page_label(doc: pymupdf.Document) -> None:
    _page(doc)
    doc.set_page_labels([{"startpage": 0, "prefix": f"{NAME} ", "style": "D", "firstpagenum": 1}])


def _lookalike(doc: pymupdf.Document) -> None:
    page = _page(doc)
    page.insert_text(
        (60, 200), "Referred by \u0410nita P\u0430tel on Monday.", fontsize=11, fontname="F9", fontfile=str(FONT)
    )


def _soft_hyphen(doc: pymupdf.Document) -> None:
    page = _page(doc)
    page.insert_text((60, 200), "Referred on Monday by Anita Pa\u00ad", fontsize=11)
    page.insert_text((60, 214), "tel, who lives next door.", fontsize=11)


def _actual_text(doc: pymupdf.Document) -> None:
    page = _page(doc)
    font = next(f[4] for f in page.get_fonts())
    # marked content whose /ActualText (what a program reads) is not what the glyphs show
    _append_content(page, f"/Span <</ActualText ({NAME})>> BDC BT /{font} 11 Tf 60 400 Td (Someone) Tj ET EMC")
    page2 = doc.new_page()
    page2.insert_text((60, 72), VISIBLE, fontsize=11)
    font2 = next(f[4] for f in page2.get_fonts())
    _append_content(page2, f"/Figure <</Alt ({NAME} at home)>> BDC BT /{font2} 11 Tf 60 400 Td (A photo) Tj ET EMC")


HOSTILE = {
    "actualtext-alt": _actual_text,
    "cyrillic-lookalike": _lookalike,
    "soft-hyphen-line-end": _soft_hyphen,
    "ocmd-alloff": _ocmd_all_off,
    "layer-off": _layer_off,
    "white-text": _white,
    "tiny-text": _tiny,
    "render-mode-3": _render_mode_3,
    "clipped-text": _clipped,
    "jpeg-exif-comment-xmp": _jpeg,
    "font-name": _font_name,
    "page-label": _page_label,
}


def _pdf_blob(path: Path) -> str:
    """Every reading of a PDF a program can make: its strings, every object and decompressed stream."""
    parts = [_pdf_strings(path)]
    with pymupdf.open(path) as doc:
        for page in doc:
            parts.append(page.get_text("text", flags=0))
        for xref in range(1, doc.xref_length()):
            try:
                parts.append(doc.xref_object(xref))
                if doc.xref_is_stream(xref):
                    parts.append((doc.xref_stream(xref) or b"").decode("latin-1"))
                    parts.append((doc.xref_stream_raw(xref) or b"").decode("latin-1"))
            except Exception:  # noqa: BLE001,S112 - a broken object is not text
                continue
    return "\n".join(parts).lower()


def _folded(text: str) -> str:
    """Letters only, look-alikes read as Latin, invisibles gone, lower case: "Аni\u200bta Pa-tel" is "anitapatel"."""
    return re.sub(r"[^a-z]", "", fold(text))


def _docx_hidden_by_style(path: Path) -> None:
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    secret = d.styles.add_style("Secret", WD_STYLE_TYPE.CHARACTER)
    secret.font.hidden = True  # w:vanish in the style, not on the run
    web = d.styles.add_style("WebOnly", WD_STYLE_TYPE.PARAGRAPH)
    web.font.web_hidden = True
    based = d.styles.add_style("WebOnlyToo", WD_STYLE_TYPE.PARAGRAPH)
    based.base_style = web  # hidden through basedOn
    para = d.add_paragraph(VISIBLE + " ")
    para.add_run(f"Referred by {NAME}.", style="Secret")
    d.add_paragraph(f"Contact {NAME} on Tuesday.", style="WebOnly")
    d.add_paragraph(f"Call {NAME} back.", style="WebOnlyToo")
    d.save(path)


def _docx_image(path: Path) -> None:
    import io

    import docx

    d = docx.Document()
    d.add_paragraph(VISIBLE)
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 60, 20), 0)
    pix.clear_with(90)
    d.add_picture(io.BytesIO(pix.tobytes("png")))
    d.add_paragraph("The end of the note.")
    d.save(path)


def _docx_zero_width(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph(VISIBLE)
    d.add_paragraph("Referred by Ani\u200bta Pa\u200btel on Monday.")
    d.save(path)


HOSTILE_DOCX = {
    "docx-hidden-by-style": _docx_hidden_by_style,
    "docx-image": _docx_image,
    "docx-zero-width": _docx_zero_width,
}


@pytest.fixture(scope="module")
def hostile_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    case = _case(tmp_path_factory.mktemp("hostile") / "case")
    for kind, build in HOSTILE.items():
        doc = pymupdf.open()
        build(doc)
        doc.save(case / "documents" / f"2025-02-01 {kind}.pdf")
        doc.close()
    for kind, build in HOSTILE_DOCX.items():
        build(case / "documents" / f"2025-02-01 {kind}.docx")
    propose(Case(case), actor="t", workers=2)
    res = bundle(Case(case), actor="t", accept_proposals=True, workers=2)
    assert res.path is not None
    return case


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_pdf_name_removed_or_held_back(hostile_bundle: Path, kind: str) -> None:
    out = hostile_bundle / "bundle" / "documents" / f"2025-02-01 {kind}.pdf"
    if not out.exists():  # held back: then it must say so, and not be in the bundle at all
        assert (hostile_bundle / ".sarkit" / "bundle-withheld" / out.name).exists()
        return
    blob = _pdf_blob(out)
    assert "anitapatel" not in _folded(blob), kind
    assert "jane doe was seen" in blob  # the visible content stays
    if kind == "jpeg-exif-comment-xmp":
        with pymupdf.open(out) as doc:
            assert doc[0].get_images(), "the image was kept"
    if kind == "font-name":
        with pymupdf.open(out) as doc:
            assert "dejavu" not in _folded(_pdf_blob(out)), "the font program's own names were blanked"
            assert doc[0].get_text().strip()


REDACTED_NOT_HELD = ("cyrillic-lookalike", "soft-hyphen-line-end", "docx-zero-width")


@pytest.mark.parametrize("kind", REDACTED_NOT_HELD)
def test_disguised_names_are_redacted_in_place(hostile_bundle: Path, kind: str) -> None:
    suffix = ".docx.pdf" if kind.startswith("docx") else ".pdf"
    out = hostile_bundle / "bundle" / "documents" / f"2025-02-01 {kind}{suffix}"
    assert out.exists(), "held back instead of redacted"
    with pymupdf.open(out) as doc:
        text = doc[0].get_text()
    assert "referred" in text.lower()
    assert "anitapatel" not in _folded(text)
    assert re.search(r"\b(CS|TP)\b", text), "no reason code where the name was"


@pytest.mark.parametrize("kind", sorted(HOSTILE_DOCX))
def test_hostile_docx_name_removed_or_held_back(hostile_bundle: Path, kind: str) -> None:
    out = hostile_bundle / "bundle" / "documents" / f"2025-02-01 {kind}.docx.pdf"
    assert out.exists()
    blob = _pdf_blob(out)
    assert "anitapatel" not in _folded(blob), kind
    assert "jane doe was seen" in blob
    if kind == "docx-image":  # the image leaves a visible note, in the PDF and in records.html
        assert "[image removed: picture]" in blob
        html = (hostile_bundle / "bundle" / "records.html").read_text(encoding="utf-8")
        assert "[image removed: picture]" in html


def test_docx_hidden_text_is_not_read(tmp_path: Path) -> None:
    from sarkit.ingest.docx import read_docx

    _docx_hidden_by_style(tmp_path / "a.docx")
    body = read_docx(str(tmp_path / "a.docx")).body
    assert "Jane Doe was seen" in body and "Patel" not in body


def test_hostile_records_carry_no_name(hostile_bundle: Path) -> None:
    out = hostile_bundle / "bundle"
    assert "anitapatel" not in _folded((out / "records.html").read_text(encoding="utf-8").lower())
    assert "anitapatel" not in _folded(_pdf_blob(out / "records.pdf"))


# ---------------------------------------------------------------- proportionate holding back


def _redact_then_plant(src, dest, redactions, **kw):  # noqa: ANN001, ANN003 - stands in for redact_pdf in a worker
    """redact_pdf, then a redacted name planted again on the second page of one document (a redaction miss)."""
    from sarkit.render import redact as real

    real.redact_pdf(src, dest, redactions, **kw)
    if "Note 1" in str(src):
        with pymupdf.open(dest) as doc:
            doc[1].insert_text((60, 700), "Anita Patel telephoned again.", fontsize=11)
            doc.saveIncr()


def test_a_page_that_cannot_be_proven_clean_is_withheld_not_the_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_crash_safety import make_case

    case = make_case(tmp_path / "case", documents=2, pages=3)
    propose(Case(case), actor="t", workers=2)
    monkeypatch.setattr("sarkit.render.jobs.redact_pdf", _redact_then_plant)
    res = bundle(Case(case), actor="t", accept_proposals=True, workers=2)
    assert res.withheld == []
    assert res.pages_withheld == [("2025-01-02 Note 1.pdf", [1])]
    assert res.report is not None and res.report.ok
    out = case / "bundle" / "documents" / "2025-01-02 Note 1.pdf"
    with pymupdf.open(out) as doc:
        assert doc.page_count == 3
        assert "Page 2 of this document has been withheld" in doc[1].get_text()
        assert "patel" not in doc[1].get_text().lower()
        assert "Note" in doc[0].get_text() or doc[0].get_text().strip()  # the other pages stay
    html = (case / "bundle" / "records.html").read_text(encoding="utf-8")
    assert "Page 2 of this document has been withheld" in html
    assert verify(Case(case), actor="t").report.ok


# ---------------------------------------------------------------- hiding places inside images, fonts, properties


def test_jpeg2000_text_boxes_and_comments_are_blanked_pixels_kept(tmp_path: Path) -> None:
    import hostile

    from sarkit.render.scrub import strip_jpx

    data = hostile._jp2("<x:xmpmeta><dc:creator>Anita Patel</dc:creator></x:xmpmeta>", "taken by Anita Patel")
    assert data.count(b"Anita Patel") == 2
    clean = strip_jpx(data)
    assert b"Patel" not in clean and len(clean) == len(data)
    before, after = pymupdf.Pixmap(data), pymupdf.Pixmap(clean)
    assert (after.width, after.height, after.samples) == (before.width, before.height, before.samples)
    assert strip_jpx(b"not an image") == b"not an image"


def test_text_in_a_property_list_inside_the_resources_is_removed(tmp_path: Path) -> None:
    import hostile

    from sarkit.render.scrub import scrub_objects

    with pymupdf.open(hostile.property_actualtext(tmp_path / "p.pdf")) as doc:
        assert "Lewis" in doc[0].get_text()  # extractors read the /ActualText instead of the glyphs
        scrub_objects(doc)
        doc.save(tmp_path / "clean.pdf", garbage=3, deflate=True)
    with pymupdf.open(tmp_path / "clean.pdf") as doc:
        objects = "".join(doc.xref_object(x) for x in range(1, doc.xref_length()))
        assert "Lewis" not in objects and "Lewis" not in doc[0].get_text()
        assert "Visit" in doc[0].get_text()  # the glyphs themselves are still there


def test_a_cff_programs_free_strings_are_blanked_its_glyph_names_kept() -> None:
    import io

    import hostile
    from fontTools.ttLib import TTFont

    from sarkit.render.scrub import blank_font_names

    data = hostile.cff_font_program("AnitaPatel")
    clean = blank_font_names(data)
    assert b"AnitaPatel" in data and b"AnitaPatel" not in clean and len(clean) == len(data)
    font = TTFont(io.BytesIO(clean))
    assert "uni0411" in font.getGlyphOrder()  # a custom glyph name (in the String INDEX) kept
    assert pymupdf.Font(fontbuffer=clean).has_glyph(0x411)  # the program still loads and maps


# ---------------------------------------------------------------- covered text, layer names, pattern cells (issue 15)


def _redacted(src: Path, tmp_path: Path) -> Path:
    """src through redact_pdf with no redaction of its own: only the sanitising."""
    from sarkit.render.redact import redact_pdf

    out = tmp_path / f"out-{src.name}"
    redact_pdf(src, out, [])
    return out


def _flags(path: Path) -> set[tuple[str, str]]:
    from sarkit.verify.check import verify_file

    leaks = verify_file(path, [("reg-1", "Brian Lewis"), ("reg-2", "lewis")], rel=path.name, extractors=("pymupdf",))
    return {(lk.where, lk.extractor) for lk in leaks}


@pytest.mark.parametrize(
    ("cover", "hidden", "shown"),
    [
        ("white-box", "Informant Brian Lewis", "Home visit."),  # a white rectangle drawn over a name
        ("black-box", "Telephone: 01632 960 001", "The children were well."),  # an old black box over a label
        ("image", "Lewis", "Informant"),  # a picture pasted over part of a line: what it covers goes
    ],
)
def test_text_an_opaque_cover_hides_is_removed_the_document_kept(
    tmp_path: Path, cover: str, hidden: str, shown: str
) -> None:
    import hostile

    build = {"white-box": hostile.text_under_white_box, "black-box": hostile.old_black_box}.get(
        cover, hostile.text_under_image
    )
    src = build(tmp_path / f"{cover}.pdf")
    with pymupdf.open(src) as doc:
        assert hidden in doc[0].get_text()  # every extractor reads what the cover hides
    out = _redacted(src, tmp_path)
    with pymupdf.open(out) as doc:
        text = doc[0].get_text()
        assert hidden not in text and shown in text
        assert doc[0].get_drawings() or doc[0].get_images()  # the cover itself stays
    assert _flags(out) == set()  # verify: nothing hidden under a cover, no name


def test_text_on_a_filled_background_or_under_a_translucent_shape_is_kept(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.draw_rect(pymupdf.Rect(60, 60, 400, 90), color=None, fill=(0.9, 0.9, 0.6))  # a table cell's shading
    page.insert_text((72, 80), "Shaded heading of the table", fontsize=11)
    page.insert_text((72, 130), "Highlighted words stay readable", fontsize=11)
    page.draw_rect(pymupdf.Rect(60, 118, 400, 136), color=None, fill=(1, 1, 0), fill_opacity=0.4)  # a highlighter
    page.insert_text((72, 200), "Beside a circle", fontsize=11)
    page.draw_circle((300, 196), 40, color=None, fill=(0, 0, 0))  # not a rectangle: its box is more than it paints
    doc.save(tmp_path / "kept.pdf")
    doc.close()
    with pymupdf.open(_redacted(tmp_path / "kept.pdf", tmp_path)) as out:
        text = out[0].get_text()
    for line in ("Shaded heading of the table", "Highlighted words stay readable", "Beside a circle"):
        assert line in text, line


def test_a_layer_named_after_a_person_keeps_its_content_and_loses_its_name(tmp_path: Path) -> None:
    import hostile

    src = hostile.layer_name(tmp_path / "layer.pdf")
    out = _redacted(src, tmp_path)
    with pymupdf.open(out) as doc:
        objects = "".join(doc.xref_object(x) for x in range(1, doc.xref_length()))
        assert "Lewis" not in objects and "The house was tidy." in doc[0].get_text()
    assert _flags(out) == set()


def test_text_in_a_pattern_cell_is_removed_the_fill_kept(tmp_path: Path) -> None:
    import hostile

    src = hostile.pattern_fill(tmp_path / "pattern.pdf")
    assert _flags(src)  # verify reads the name in the pattern's cell (a program does; a viewer shows it repeated)
    out = _redacted(src, tmp_path)
    with pymupdf.open(out) as doc:
        assert "Lewis" not in doc[0].get_text() and "Home visit" in doc[0].get_text()
        patterns = [x for x in range(1, doc.xref_length()) if "/PatternType" in doc.xref_object(x)]
        assert patterns and all(b"Lewis" not in doc.xref_stream(x) for x in patterns)
        assert b"/P0 scn" in b"".join(doc.xref_stream(x) for x in doc[0].get_contents())  # still filled with it
    assert _flags(out) == set()


def _every_byte(path: Path) -> bytes:
    """Every object and every decoded stream of a PDF."""
    with pymupdf.open(path) as doc:
        parts = [doc.xref_object(x).encode("latin-1", "replace") for x in range(1, doc.xref_length())]
        parts += [doc.xref_stream(x) or b"" for x in range(1, doc.xref_length()) if doc.xref_is_stream(x)]
    return b"\n".join(parts)


@pytest.mark.parametrize("kind", ["icc-profile-text", "inline-image-bytes", "output-intent"])
def test_profiles_inline_images_and_output_intents_carry_no_text(tmp_path: Path, kind: str) -> None:
    """An ICC profile's description, the samples of an inline image spelling a name, an output intent's
    strings: gone from the output, every page drawn exactly as before."""
    import hostile

    src = hostile.HANDLED[kind][1](tmp_path / "src.pdf")
    assert b"Lewis" in _every_byte(src)
    out = _redacted(src, tmp_path)
    assert b"Lewis" not in _every_byte(out)
    with pymupdf.open(src) as a, pymupdf.open(out) as b:
        assert a[0].get_pixmap(dpi=40).samples == b[0].get_pixmap(dpi=40).samples
    assert _flags(out) == set()


def test_inline_image_encoding_keeps_the_pixels_and_leaves_filtered_ones() -> None:
    from sarkit.render.scrub import encode_inline_images

    gray = b"q 4 0 0 2 0 0 cm BI /W 4 /H 2 /CS /G /BPC 8 ID Lewis..x EI Q"
    out = encode_inline_images(gray)
    assert b"Lewis" not in out and b"/F [/AHx /Fl]" in out and out.endswith(b" EI Q")
    filtered = b"BI /W 4 /H 2 /CS /G /BPC 8 /F /AHx ID 4c657769737300 > EI"
    assert encode_inline_images(filtered) == filtered  # already encoded: its length is not known here
    short = b"BI /W 40 /H 2 /CS /G /BPC 8 ID Lewis EI"  # fewer bytes than the image needs: not touched
    assert encode_inline_images(short) == short


def test_a_resource_named_after_a_person_is_renamed_where_it_is_used(tmp_path: Path) -> None:
    import hostile

    src = hostile.resource_name(tmp_path / "res.pdf")
    assert ("objects", "pdf-names") in _flags(src)
    out = _redacted(src, tmp_path)
    assert b"Lewis" not in _every_byte(out)
    with pymupdf.open(src) as a, pymupdf.open(out) as b:
        assert "The house was tidy." in b[0].get_text()  # the text drawn with the renamed font still shows
        assert a[0].get_pixmap(dpi=40).samples == b[0].get_pixmap(dpi=40).samples
    assert _flags(out) == set()


def test_resource_dictionaries_are_read_whole_and_short_names_left_alone() -> None:
    from sarkit.render.scrub import _dict_entries

    text = "<</F1 5 0 R/BrianLewis 6 0 R/CS0 /DeviceRGB /X <</A [1 2 (x)]>> /Y [/a /b]>>"
    assert _dict_entries(text) == [
        ("F1", "5 0 R"),
        ("BrianLewis", "6 0 R"),
        ("CS0", "/DeviceRGB"),
        ("X", "<</A [1 2 (x)]>>"),
        ("Y", "[/a /b]"),
    ]
    assert _dict_entries("not a dictionary") == []
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Plain", fontsize=11)  # /helv: a standard short name, kept
    from sarkit.render.scrub import rename_resources

    assert rename_resources(doc) == 0


def test_text_inside_a_type3_glyph_is_removed(tmp_path: Path) -> None:
    import hostile

    src = hostile.type3_glyph_with_text(tmp_path / "t3.pdf")
    assert _flags(src)
    out = _redacted(src, tmp_path)
    assert b"Lewis" not in _every_byte(out) and _flags(out) == set()


def test_text_under_a_translucent_watermark_image_is_kept(tmp_path: Path) -> None:
    """An image drawn over text through a graphics state that makes it translucent hides nothing: the text under
    it stays (the same image drawn opaque hides what it covers: test above)."""
    import hostile

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 160), "Words under a watermark", fontsize=11)
    page.insert_image(pymupdf.Rect(60, 140, 320, 175), stream=hostile._jpeg(), keep_proportion=False)
    gs = doc.get_new_xref()
    doc.update_object(gs, "<< /Type /ExtGState /ca 0.3 /CA 0.3 >>")
    res = doc.xref_get_key(page.xref, "Resources")
    holder, key = (int(res[1].split()[0]), "ExtGState") if res[0] == "xref" else (page.xref, "Resources/ExtGState")
    doc.xref_set_key(holder, key, f"<< /GSw {gs} 0 R >>")
    xref = page.get_contents()[-1]
    data = doc.xref_stream(xref)
    assert b" Do" in data
    doc.update_stream(xref, b"q /GSw gs " + data + b" Q")  # the image drawn through the translucent state
    doc.save(tmp_path / "wm.pdf")
    doc.close()
    with pymupdf.open(_redacted(tmp_path / "wm.pdf", tmp_path)) as out:
        assert "Words under a watermark" in out[0].get_text()


def test_glyph_names_no_standard_glyph_has_are_dropped_standard_ones_kept(tmp_path: Path) -> None:
    import hostile

    src = hostile.differences_glyph_names(tmp_path / "diff.pdf")
    with pymupdf.open(src) as doc:  # a standard glyph name beside the person's, given to unused codes
        font = [f for f in doc[0].get_fonts() if f[3] == "Helvetica"][0][0]
        doc.xref_set_key(font, "Encoding/Differences", "[1 /BrianLewis /Aacute /uni0411]")
        doc.saveIncr()
    assert _flags(src)
    out = _redacted(src, tmp_path)
    with pymupdf.open(out) as doc:
        objects = "".join(doc.xref_object(x) for x in range(1, doc.xref_length()))
        assert "Lewis" not in objects and "/Aacute" in objects and "/uni0411" in objects
        assert "Home visit" in doc[0].get_text()
    assert _flags(out) == set()


def test_a_highlight_annotation_is_no_cover_the_boxes_of_the_content_still_are(tmp_path: Path) -> None:
    """Annotations are not the page's content (and are removed from the output): a filled box drawn by an
    annotation over words (a highlighter's, drawn to multiply) leaves them, while a white box in the content
    over a name on the same page still hides it."""
    import hostile

    src = hostile.text_under_white_box(tmp_path / "src.pdf")
    with pymupdf.open(src) as doc:
        box = doc[0].add_rect_annot(doc[0].search_for("Home visit")[0])  # an opaque filled square over words
        box.set_colors(stroke=(1, 1, 0), fill=(1, 1, 0))
        box.update()
        doc.saveIncr()
    with pymupdf.open(_redacted(src, tmp_path)) as out:
        text = out[0].get_text()
    assert "Home visit" in text and "Lewis" not in text
