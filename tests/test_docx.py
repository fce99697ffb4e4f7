"""DOCX: visible text read from the XML parts, tracked changes resolved, rendered to PDF without leaks."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pymupdf
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from pdfminer.high_level import extract_text

from sarkit.errors import DocumentError
from sarkit.ingest import read_document, sniff
from sarkit.ingest.docx import read_docx
from sarkit.ingest.pdf import ReadProblem
from sarkit.text import page_text

# strings that must never reach the rendered PDF
SECRETS = [
    "Petra Authorname",  # core property author
    "Secret Title Xyz",  # core property title
    "Corecomment Qwerty",  # core property comments
    "Cortez Commenter",  # comment author
    "Deleted Delia",  # tracked deletion
    "Moved Morwenna",  # moved-from text
    "Hidden Hilda",  # hidden (vanish) text
    "Reviser Rex",  # tracked-change author
    "fieldcode",  # a field instruction
]


def _ins(text: str) -> object:
    return parse_xml(
        f'<w:ins {nsdecls("w")} w:id="91" w:author="Reviser Rex" w:date="2024-01-01T00:00:00Z">'
        f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'
    )


def _del(text: str, tag: str = "del") -> object:
    return parse_xml(
        f'<w:{tag} {nsdecls("w")} w:id="92" w:author="Reviser Rex" w:date="2024-01-01T00:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:{tag}>'
    )


def make_docx(path: Path) -> Path:
    d = docx.Document()
    cp = d.core_properties
    cp.author = "Petra Authorname"
    cp.title = "Secret Title Xyz"
    cp.comments = "Corecomment Qwerty"
    d.add_heading("Home Visit Record", level=1)
    p = d.add_paragraph("Karen Pike visited the office with the staff of Griffin House.")
    p.add_run(" Bold words here.").bold = True
    # tracked insertion and deletion, moved-from text, hidden text and a field instruction
    tracked = d.add_paragraph("Mum said ")
    tracked._p.append(_ins("Inserted Ingrid arrived"))
    tracked._p.append(_del(" Deleted Delia left"))
    tracked._p.append(
        parse_xml(
            f'<w:moveFrom {nsdecls("w")} w:id="93" w:author="Reviser Rex" w:date="2024-01-01T00:00:00Z">'
            '<w:r><w:t xml:space="preserve"> Moved Morwenna</w:t></w:r></w:moveFrom>'
        )
    )
    hidden = tracked.add_run(" Hidden Hilda")
    hidden.font.hidden = True
    tracked._p.append(
        parse_xml(f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> fieldcode MERGEFIELD </w:instrText></w:r>')
    )
    tracked.add_run(" at noon.")
    # a table with a nested table
    table = d.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = "Referrer name"
    table.cell(0, 1).text = "Brian Lewis"
    table.cell(1, 0).text = "Phone"
    table.cell(1, 1).text = "07700 900491"
    nested = table.cell(1, 1).add_table(rows=1, cols=1)
    nested.cell(0, 0).text = "Nested Nora"
    # a content control and a text box
    body = d.element.body
    sectpr = body[-1]
    sectpr.addprevious(
        parse_xml(
            f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Control Connie</w:t></w:r></w:p>"
            "</w:sdtContent></w:sdt>"
        )
    )
    sectpr.addprevious(
        parse_xml(
            f'<w:p {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:r><w:pict><v:shape><v:textbox>'
            "<w:txbxContent><w:p><w:r><w:t>Textbox Tabitha</w:t></w:r></w:p></w:txbxContent>"
            "</v:textbox></v:shape></w:pict></w:r></w:p>"
        )
    )
    d.add_paragraph("First bullet item", style="List Bullet")
    # a comment anchored on a run
    anchor = d.add_paragraph("Commented text here.")
    d.add_comment(anchor.runs, text="Comment body Connor", author="Cortez Commenter", initials="CC")
    section = d.sections[0]
    section.header.paragraphs[0].text = "OFFICIAL-SENSITIVE Header Hollis"
    section.footer.paragraphs[0].text = "Footer Fenwick case 1679872"
    d.save(path)
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("docx")
    path = make_docx(folder / "2012-04-30 Home Visit.docx")
    doc = read_document(path, "2012-04-30 Home Visit.docx", folder / "cache")
    return path, doc


def _all_text(doc) -> str:
    return "\n".join(page_text(p).text for p in doc.pages)


def test_visible_text_comes_out(rendered) -> None:
    _, doc = rendered
    assert doc.kind == "docx" and doc.title == "Home Visit"
    text = _all_text(doc)
    for wanted in (
        "Home Visit Record",
        "Karen Pike",
        "Inserted Ingrid arrived",
        "Referrer name",
        "Brian Lewis",
        "07700 900491",
        "Nested Nora",
        "Control Connie",
        "Textbox Tabitha",
        "First bullet item",
        "Comment body Connor",
        "Comments in the original document",
        "OFFICIAL-SENSITIVE Header Hollis",
        "Footer Fenwick case 1679872",
        "at noon.",
    ):
        assert wanted in text, wanted
    for secret in SECRETS:
        assert secret not in text


def test_ligatures_are_expanded_in_words(rendered) -> None:
    _, doc = rendered
    words = {w.text for p in doc.pages for w in p.words}
    assert {"office", "staff", "Griffin"} <= words
    assert not any(ch in w for w in words for ch in "\ufb00\ufb01\ufb02\ufb03\ufb04")


def test_table_cells_in_reading_order(rendered) -> None:
    _, doc = rendered
    page = doc.pages[0]
    text = page_text(page).text
    order = [text.index(s) for s in ("Referrer name", "Brian Lewis", "Phone", "07700 900491", "Nested Nora")]
    assert order == sorted(order)
    words = {w.text: w for w in page.words}
    assert words["Referrer"].line == words["Brian"].line
    assert words["Referrer"].block != words["Brian"].block
    assert words["Brian"].block == words["Lewis"].block


def test_header_on_top_footer_at_bottom_of_every_page(tmp_path: Path) -> None:
    d = docx.Document()
    for i in range(120):
        d.add_paragraph(f"Paragraph number {i} of a long record about the visit.")
    d.sections[0].header.paragraphs[0].text = "Header Hollis"
    d.sections[0].footer.paragraphs[0].text = "Footer Fenwick"
    path = tmp_path / "long.docx"
    d.save(path)
    doc = read_document(path, "long.docx", tmp_path / "cache")
    assert len(doc.pages) >= 2
    for page in doc.pages:
        header = [w for w in page.words if w.text == "Hollis"]
        footer = [w for w in page.words if w.text == "Fenwick"]
        body = [w for w in page.words if w.text == "Paragraph"]
        assert len(header) == 1 and len(footer) == 1 and body
        assert header[0].y1 <= min(w.y0 for w in body)
        assert footer[0].y0 >= max(w.y1 for w in body)
        assert page.words[0].text == "Header"  # read first


def test_words_have_sane_boxes(rendered) -> None:
    _, doc = rendered
    for page in doc.pages:
        assert (page.width, page.height) == pytest.approx((595, 842), abs=1)
        for w in page.words:
            assert 0 <= w.x0 < w.x1 <= page.width and 0 <= w.y0 < w.y1 <= page.height
            assert not w.ocr


def test_nothing_else_reaches_the_pdf(rendered) -> None:
    _, doc = rendered
    pdf = pymupdf.open(doc.pdf)
    mupdf_text = "".join(p.get_text() for p in pdf)
    miner_text = extract_text(str(doc.pdf))
    meta = " ".join(str(v) for v in pdf.metadata.values()) + (pdf.get_xml_metadata() or "")
    raw = pdf.tobytes(expand=255)
    for secret in SECRETS:
        assert secret not in mupdf_text
        assert secret not in miner_text
        assert secret not in meta
        assert secret.encode() not in raw
    assert "Inserted Ingrid" in mupdf_text and "Header Hollis" in miner_text
    assert not pdf.get_toc() and pdf.embfile_count() == 0
    assert all(not list(p.annots()) for p in pdf)


def test_second_run_reuses_the_rendering(rendered, tmp_path: Path) -> None:
    path, doc = rendered
    mtime = doc.pdf.stat().st_mtime_ns
    again = read_document(path, "2012-04-30 Home Visit.docx", doc.pdf.parent)
    assert again.pdf == doc.pdf and doc.pdf.stat().st_mtime_ns == mtime
    assert again.pages == doc.pages


def test_fake_docx_files(tmp_path: Path) -> None:
    odt = tmp_path / "notes.docx"
    with zipfile.ZipFile(odt, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<office:document-content/>")
    assert sniff(odt) is None
    with pytest.raises(DocumentError) as err:
        read_document(odt, "notes.docx", tmp_path / "cache")
    assert str(err.value) == (
        "documents/notes.docx is not a Word document: its content is an OpenDocument file (save it as .docx)."
    )

    # has word/document.xml, but no package structure: python-docx raises a bare KeyError
    fake = tmp_path / "fake.docx"
    with zipfile.ZipFile(fake, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert sniff(fake) == "docx"
    with pytest.raises(ReadProblem):
        read_docx(str(fake))
    with pytest.raises(DocumentError) as err:
        read_document(fake, "fake.docx", tmp_path / "cache")
    assert str(err.value) == "documents/fake.docx is not a readable Word document."


def test_footnotes_and_endnotes_render_as_notes(tmp_path: Path) -> None:
    src = tmp_path / "plain.docx"
    d = docx.Document()
    p = d.add_paragraph("See the note")
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:footnoteReference w:id="1"/></w:r>'))
    d.save(src)
    # add a footnotes part to the package by hand (python-docx has no API for it)
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/footnotes" Target="footnotes.xml"/></Relationships>',
                )
            zout.writestr(item, data)
        zout.writestr(
            "word/footnotes.xml",
            f'<w:footnotes {nsdecls("w")}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r>'
            '</w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>Footnote Felicity'
            "</w:t></w:r></w:p></w:footnote></w:footnotes>",
        )
    out = tmp_path / "notes.docx"
    out.write_bytes(buf.getvalue())
    doc = read_document(out, "notes.docx", tmp_path / "cache")
    text = _all_text(doc)
    assert "See the note[1]" in text and "Notes" in text and "Footnote Felicity" in text
    assert text.index("See the note") < text.index("Footnote Felicity")


def test_tracked_row_deletion_and_alternate_content_once(tmp_path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=2, cols=1)
    t.cell(0, 0).text = "Kept row"
    t.cell(1, 0).text = "Deleted row Delia"
    tr = t.rows[1]._tr
    trpr = tr.get_or_add_trPr()
    trpr.append(parse_xml(f'<w:del {nsdecls("w")} w:id="5" w:author="Rex" w:date="2024-01-01T00:00:00Z"/>'))
    mc = (
        f'<w:p {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        "<w:txbxContent><w:p><w:r><w:t>Boxed Bella</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>Boxed Bella</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    d.element.body[-1].addprevious(parse_xml(mc))
    path = tmp_path / "t.docx"
    d.save(path)
    content = read_docx(str(path))
    assert "Kept row" in content.body and "Delia" not in content.body
    assert content.body.count("Boxed Bella") == 1
