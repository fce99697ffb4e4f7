"""records.pdf and records.html built from redacted PDFs made here with PyMuPDF."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pymupdf
import pytest

from sarkit.decide.rules import load_rules
from sarkit.ingest import title_and_date
from sarkit.models import Manifest, Person
from sarkit.render.glossary import heading as heading_of
from sarkit.render.glossary import load_glossary
from sarkit.render.letters import effective_settings, render
from sarkit.render.paper import A4, NOTES_SHRINK, fit_scale
from sarkit.render.readability import flesch, plain_text
from sarkit.render.records import (
    PARTS,
    RecordDoc,
    band_rect,
    build_records,
    document_type,
    fix_cmap,
    letter_values,
)

PALE = (0.82, 0.82, 0.82)
TODAY = dt.date(2026, 3, 2)


def _text_pdf(path: Path, lines: list[str], remove: list[str], code: str = "TP") -> list[tuple[int, tuple, str]]:
    """A one-page text PDF; the words in `remove` are redacted for real under a pale labelled box."""
    doc = pymupdf.open()
    page = doc.new_page()
    y = 90
    for line in lines:
        page.insert_text((72, y), line, fontsize=11)
        y += 18
    rects = []
    for w in page.get_text("words"):
        if w[4] in remove:
            r = pymupdf.Rect(w[:4]) + (-1, 2, 1, -2)
            page.add_redact_annot(r, text=code, fontsize=6, fill=PALE, text_color=(0.25, 0.25, 0.25))
            rects.append((0, tuple(r), code))
    page.apply_redactions()
    doc.save(path)
    return rects


def _scan_pdf(path: Path, text: str) -> None:
    """An image-only page with an invisible text layer, as OCR leaves it."""
    src = pymupdf.open()
    sp = src.new_page()
    sp.insert_text((72, 100), text, fontsize=14)
    pix = sp.get_pixmap(dpi=100)
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_image(page.rect, pixmap=pix)
    page.insert_text((72, 100), text, fontsize=14, render_mode=3)
    doc.save(path)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    staging = tmp_path_factory.mktemp("staging")
    (staging / "documents").mkdir()
    reds = _text_pdf(
        staging / "documents" / "2012-04-30 Home Visit.docx.pdf",
        [
            "The CLA was seen at home by the IRO on Monday.",
            "Brian from CAMHS called about the CLA.",
            "A s.47 enquiry was held.",
        ],
        ["Brian", "CAMHS"],
    )
    _text_pdf(staging / "documents" / "2015-01-09 Letter.pdf", ["Dear Jane, thank you for coming."], [])
    _scan_pdf(staging / "documents" / "2010-06-01 Scan.png.pdf", "PEP at school")
    docs = [
        RecordDoc("documents/2012-04-30 Home Visit.docx.pdf", "Home Visit", None, "docx", tuple(reds)),
        RecordDoc("documents/2015-01-09 Letter.pdf", "Letter", None, "pdf"),
        RecordDoc("documents/2010-06-01 Scan.png.pdf", "Scan", None, "image", (), (0,)),
    ]
    manifest = Manifest(
        Path("case.yaml"),
        1,
        "SAR-2026-0142",
        dt.date(2026, 2, 1),
        "uk-dpa2018",
        (Person("jane", "Jane Doe", "subject"),),
    )
    build_records(staging, docs, manifest, load_rules("uk-dpa2018"), None, today=TODAY, ocr=False)
    pdf = pymupdf.open(staging / "records.pdf")
    yield staging, pdf, (staging / "records.html").read_text(encoding="utf-8"), reds
    pdf.close()


def test_parts_and_bookmarks_in_order(built):
    _, pdf, _, _ = built
    toc = pdf.get_toc()
    assert [t[1] for t in toc if t[0] == 1] == list(PARTS)
    docs = [t[1] for t in toc if t[0] == 2]
    assert [d.split(" (")[0] for d in docs] == ["Scan", "Home Visit", "Letter"]  # chronological
    starts = [t[2] for t in toc]
    assert starts == sorted(starts)
    for level, title, page in toc:
        if level == 1 and title != "Your records":
            assert title in pdf[page - 1].get_text()
    assert "A letter to you" in pdf[0].get_text()


def test_each_sheet_shows_its_own_page_only(built):
    """Every page of the records has resources of its own: a sheet lists the one form of the page it shows,
    never those of the sheets before it (a shared dictionary made drawing and reading the records grow with
    the square of the pages)."""
    _, pdf, _, _ = built
    toc = pdf.get_toc()
    first = min(t[2] for t in toc if t[0] == 2) - 1
    sheets = range(first, first + 3)  # the three one-page documents
    assert len({pdf.xref_get_key(pdf[i].xref, "Resources") for i in sheets}) == 3
    for i in sheets:
        forms = [x for x in pdf[i].get_xobjects() if x[1].startswith("fzFrm")]
        assert len(forms) == 1, (i, forms)


def test_title_language_and_text_layer(built):
    _, pdf, _, _ = built
    assert pdf.metadata["title"] == "Your records (SAR-2026-0142)"
    assert pdf.xref_get_key(pdf.pdf_catalog(), "Lang") == ("string", "en-GB")
    text = "".join(p.get_text() for p in pdf)
    assert not re.search("[\ufb00-\ufb06]", text), "ligature glyphs in the text layer"
    assert "Brian" not in text and "CAMHS" not in text


def test_band_numbers_and_overlaps_no_content(built):
    staging, pdf, _, _ = built
    n = pdf.page_count
    for i, page in enumerate(pdf):
        band = band_rect(page)
        words = page.get_text("words")
        band_words = [w for w in words if pymupdf.Rect(w[:4]).intersects(band)]
        assert " ".join(w[4] for w in band_words) == f"SAR-2026-0142 · page {i + 1} of {n}"
        others = [w for w in words if w not in band_words]
        assert not any(pymupdf.Rect(w[:4]).intersects(band) for w in others)
        assert not any(pymupdf.Rect(d["rect"]).intersects(band) for d in page.get_drawings())
        # pixels: in the band, ink only where the band's own text is
        pix = page.get_pixmap(dpi=72, clip=band, annots=False)
        text_box = pymupdf.Rect(band_words[0][:4]) | pymupdf.Rect(band_words[-1][:4])
        for y in range(pix.height):
            for x in range(0, pix.width, 2):
                px, py = band.x0 + x, band.y0 + y
                if not (text_box.x0 - 2 <= px <= text_box.x1 + 2 and text_box.y0 - 2 <= py <= text_box.y1 + 2):
                    assert pix.pixel(x, y)[:3] == (255, 255, 255), (i, x, y)
    # a document page is an A4 sheet showing its whole source page, scaled to fit above the band
    toc = {t[1].split(" (")[0]: t[2] for t in pdf.get_toc() if t[0] == 2}
    page = pdf[toc["Home Visit"] - 1]
    src = pymupdf.open(staging / "documents" / "2012-04-30 Home Visit.docx.pdf")[0]
    assert (page.rect.width, page.rect.height) == pytest.approx(A4)
    fit = fit_scale(src.rect.width, src.rect.height)
    mine = src.get_text("words")
    shown = {w[4]: w for w in page.get_text("words")}
    a, b = shown[mine[0][4]], shown[mine[-1][4]]
    scale = (b[1] - a[1]) / (mine[-1][1] - mine[0][1])
    x0 = a[0] - scale * mine[0][0]
    assert fit * NOTES_SHRINK - 0.01 <= scale <= fit + 0.01  # scaled to fit (and for its notes), never up
    assert x0 == pytest.approx((A4[0] - scale * src.rect.width) / 2, abs=0.5)  # centred
    assert src.rect.height * scale <= A4[1] - band_rect(page).height + 0.1  # whole, above the band
    placed = page.get_text("words")
    for w in mine:
        assert any(
            v[4] == w[4] and abs(v[0] - x0 - w[0] * scale) < 0.5 and abs(v[1] - w[1] * scale) < 0.5 for v in placed
        ), w


def _glossary_terms(pdf: pymupdf.Document) -> set[str]:
    """The bold headings of the glossary's entries in records.pdf."""
    toc = {t[1]: t[2] for t in pdf.get_toc() if t[0] == 1}
    first, end = toc["Words you may meet in your records"] - 1, toc["Your records"] - 1
    spans = [
        s
        for pno in range(first, end)
        for b in pdf[pno].get_text("dict")["blocks"]
        for ln in b.get("lines", ())
        for s in ln["spans"]
    ]
    start = next(i for i, s in enumerate(spans) if s["text"] == "Words you may meet in your records")
    return {s["text"] for s in spans[start + 1 :] if "Bold" in s["font"] and s["size"] < 12}


def test_glossary_lists_exactly_the_terms_that_occur(built):
    _, pdf, html, _ = built
    assert _glossary_terms(pdf) == {"CLA / LAC", "IRO", "Section 47", "PEP"}  # CAMHS was removed: not listed
    assert set(re.findall(r'<dt id="g-([a-z0-9-]+)-\d+"', html)) == {"cla-lac", "iro", "section-47", "pep"}


def test_glossary_entries_never_split_over_a_page(tmp_path):
    """Every term of the glossary in one document: each entry's heading and meaning share a page."""
    g = load_glossary()
    (tmp_path / "documents").mkdir()
    lines = [", ".join(t.variants[:1]) + "." for t in g.terms][:60]
    _text_pdf(tmp_path / "documents" / "2012-04-30 Note.pdf", lines, [])
    manifest = Manifest(
        Path("case.yaml"), 1, "SAR-1", dt.date(2026, 2, 1), "uk-dpa2018", (Person("j", "J D", "subject"),)
    )
    build_records(
        tmp_path,
        [RecordDoc("documents/2012-04-30 Note.pdf", "Note")],
        manifest,
        load_rules("uk-dpa2018"),
        None,
        today=TODAY,
        ocr=False,
    )
    pdf = pymupdf.open(tmp_path / "records.pdf")
    toc = {t[1]: t[2] for t in pdf.get_toc() if t[0] == 1}
    first, end = toc["Words you may meet in your records"] - 1, toc["Your records"] - 1
    assert end - first >= 2  # the entries run over more than one page
    meanings = {heading_of(t, s): t.senses[s].meaning for t in g.terms for s in range(len(t.senses))}
    found = 0
    for pno in range(first, end):
        text = " ".join(pdf[pno].get_text().split())
        for head, meaning in meanings.items():
            if f"{head} " in text and text.index(f"{head} ") < len(text):
                pass
        for b in pdf[pno].get_text("dict")["blocks"]:
            for ln in b.get("lines", ()):
                for s in ln["spans"]:
                    if "Bold" in s["font"] and s["text"] in meanings:
                        found += 1
                        assert " ".join(meanings[s["text"]].split()[:4]) in text, s["text"]
    assert found >= 20


def test_notes_at_first_use_of_each_term(built):
    _, pdf, _, _ = built
    toc = {t[1].split(" (")[0]: t[2] for t in pdf.get_toc() if t[0] == 2}
    page = pdf[toc["Home Visit"] - 1]
    assert not list(page.annots())  # no sticky-note icons
    text = page.get_text()
    strip = text.split("Words on this page", 1)[1]
    heads = re.findall(r"^([A-Z][^:\n]*):", strip, re.MULTILINE)
    assert sorted(heads) == ["CLA / LAC", "IRO", "Section 47"]  # CLA twice in the text, one note
    assert "A child looked after by the council" in " ".join(strip.split())
    # the strip is below everything the page shows, and above the band
    words = page.get_text("words")
    top = next(w for w in words if w[4] == "Words")[1]
    content = [w for w in words if w[3] < top]
    assert content and max(w[3] for w in content) < top
    band = band_rect(page)
    assert max(w[3] for w in words if w[1] >= top and w[1] < band.y0) <= band.y0
    letter = pdf[toc["Letter"] - 1]
    assert not list(letter.annots()) and "Words on this page" not in letter.get_text()


def test_contents_links_go_to_documents(built):
    _, pdf, _, _ = built
    toc = pdf.get_toc()
    contents = pdf[next(t[2] for t in toc if t[1] == "Contents") - 1]
    targets = {ln["page"] for ln in contents.get_links() if ln["kind"] in (pymupdf.LINK_GOTO, pymupdf.LINK_NAMED)}
    assert {t[2] - 1 for t in toc} <= targets


def test_html_self_contained_and_accessible(built):
    _, _, html, reds = built
    assert '<html lang="en-GB">' in html
    assert not re.search(r"https?://", html) and "<script" not in html.lower()
    assert not re.search(r'(src|href)="(?!#|data:)', html)
    for tag in ("<header", "<nav", "<main", "<footer"):
        assert tag in html
    assert '<a class="skip" href="#main">' in html and 'id="main"' in html
    records = html.split('id="records"', 1)[1]
    marks = re.findall(r'<mark class="removed" role="img" aria-label="removed: ([^"]+)"', records)
    assert len(marks) == len(reds) + 1  # one per removed box, plus the example in the introduction
    assert "about someone else" in marks
    assert "Brian" not in html and "CAMHS" not in html
    img = re.search(r'<img class="scan" src="data:image/png;base64,[^"]+" alt="([^"]+)"', html)
    assert img and "written out below" in img.group(1)  # the alternative text points to the transcript
    transcript = html[img.end() :].split('<div class="transcript">', 1)[1].split("</div>", 1)[0]
    assert re.sub(r"<[^>]+>", "", transcript).split(":", 1)[1].split() == ["PEP", "at", "school"]
    assert re.search(r'<a class="term" href="#g-iro-0"><abbr title="[^"]+">IRO</abbr></a>', html)
    assert re.findall(r"<h([1-4])", html)[0] == "1"


@pytest.mark.parametrize(
    "name,expected",
    [
        ("documents/2012-04-30 Home Visit.docx.pdf", dt.date(2012, 4, 30)),
        ("a/20120430_note.pdf", dt.date(2012, 4, 30)),
        ("Review 30.04.2012.docx", dt.date(2012, 4, 30)),
        ("Letter.pdf", None),
    ],
)
def test_date_from_name(name, expected):
    assert title_and_date(name)[1] == expected


@pytest.mark.parametrize(
    "title,expected",
    [
        ("CLA Review", "review minutes"),
        ("Child Protection Conference", "conference minutes"),
        ("MASH Contact", "contact and referral record"),
        ("Pathway Plan", "pathway plan"),
        ("Email", "email"),
        ("Police Notification", "police notification"),
        ("Initial Health Assessment", "health assessment"),
        ("Home Visit", "case note"),
        ("Letter to Jane", "letter"),
        ("Chronology", "chronology"),
        ("Single Assessment", "assessment"),
    ],
)
def test_document_type(title, expected):
    assert document_type(title) == expected


def test_title_from_name():
    """The bundle reads a rendered document's name (.docx.pdf) with the ingest's one parser."""
    assert title_and_date("documents/2012-04-30 Home Visit.docx.pdf") == ("Home Visit", dt.date(2012, 4, 30))


@pytest.mark.parametrize(
    "text,sense",
    [
        ("The court granted an ICO at the hearing and the child was placed in care.", 0),
        ("You can complain to the ICO if you are unhappy with how we used your data.", 1),
        ("ICO", 0),
    ],
)
def test_glossary_context_resolves_senses(text, sense):
    hits = [h for h in load_glossary().find(text) if h.term.key == "ico"]
    assert [h.sense for h in hits] == [sense]


@pytest.mark.parametrize(
    "text,terms",
    [
        ("pa said the PA would call", {"pa"}),  # abbreviations only as written
        ("looked-after child; Section 20 and S20", {"cla-lac", "section-20"}),
        ("SAR-2026-0142 and CP-team", set()),  # not inside a reference
        ("child protection plan", {"cpp"}),
    ],
)
def test_glossary_matching(text, terms):
    assert {h.term.key for h in load_glossary().find(text)} == terms


def test_glossary_has_enough_terms():
    g = load_glossary()
    assert len(g) >= 100
    keys = {t.key for t in g.terms}
    for k in (
        "cla-lac",
        "cin",
        "cp",
        "cpp",
        "section-20",
        "section-31",
        "section-47",
        "iro",
        "pep",
        "plo",
        "mash",
        "sgo",
        "ehcp",
        "camhs",
        "lado",
        "icpc",
        "rcpc",
        "pa",
        "pathway-plan",
        "respite",
        "contact",
        "ico",
    ):
        assert k in keys


def test_fix_cmap_expands_ligatures():
    cmap = (
        "begincmap\n2 beginbfchar\n<0003> <fb01>\n<0004> <0041>\nendbfchar\n"
        "1 beginbfrange\n<0010> <0012> <fb00>\nendbfrange\nendcmap"
    )
    out = fix_cmap(cmap)
    assert "<fb01>" not in out and "<0003> <00660069>" in out and "<0011> <00660069>" in out
    assert "<0010> <00660066>" in out and "<0012> <0066006c>" in out and "<0004> <0041>" in out


@pytest.mark.parametrize("paper", [True, False], ids=["paper", "screen"])
@pytest.mark.parametrize("name", ["cover_letter", "before_you_read", "removed_parts", "own_account"])
def test_templates_are_plain_words(name, paper):
    codes = [{"code": "TP", "plain": "This is about someone else.", "count": 3, "short": "about someone else"}]
    manifest = Manifest(
        Path("case.yaml"), 1, "SAR-1", dt.date(2026, 1, 5), "uk-dpa2018", (Person("j", "Jane Doe", "subject"),)
    )
    values = letter_values(manifest, effective_settings(None), dt.date(2026, 3, 2), 4, 20, codes)
    assert values["overdue"]  # the longest letter: late, with the apology
    html = render(name, effective_settings(None), paper=paper, **values)
    assert flesch(plain_text(html)) >= 60
