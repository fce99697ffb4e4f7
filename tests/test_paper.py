"""records.pdf on paper: every page of three bundles (the example case, a case generated to strain the layout,
and a case of the shared development corpus when ../shared is there) is A4, carries no annotation icons, has
no reason label under 6 pt, and keeps its page-number band and its "Words on this page" notes inside the page
and clear of the page's content. The schedule of the example case shows who decided what, and when."""

from __future__ import annotations

import csv
import re

import pymupdf
import pytest

from sarkit.decide.rules import load_rules
from sarkit.render.paper import A4, BAND, MIN_LABEL
from sarkit.render.records import NOTE_HEADING, band_rect

CASES = ["example", "generated", "dev-s1-c03"]
LABEL_COLOUR = 0x404040  # redact.LABEL_COLOUR, (0.25, 0.25, 0.25)
CODES = {c.code for c in load_rules("uk-dpa2018").codes}


@pytest.fixture(scope="module", params=CASES)
def records(request, paper_bundles):
    case = paper_bundles(request.param)
    pdf = pymupdf.open(case / "bundle" / "records.pdf")
    yield request.param, case, pdf
    pdf.close()


def test_every_page_is_a4(records):
    _, _, pdf = records
    for page in pdf:
        size = (round(page.rect.width, 1), round(page.rect.height, 1))
        assert size in {A4, A4[::-1]}, (page.number, size)


def test_no_annotation_icons(records):
    _, _, pdf = records
    for page in pdf:
        assert [a.type[1] for a in page.annots()] == [], page.number


def _labels(page: pymupdf.Page) -> list[dict]:
    return [
        s
        for b in page.get_text("dict")["blocks"]
        for ln in b.get("lines", ())
        for s in ln["spans"]
        if s["text"].strip() in CODES and s["color"] == LABEL_COLOUR
    ]


def test_no_reason_label_under_6pt(records):
    name, case, pdf = records
    labels = [s for page in pdf for s in _labels(page)]
    assert labels, "no reason labels found: the check would pass on nothing"
    small = [(s["text"], round(s["size"], 2)) for s in labels if s["size"] < MIN_LABEL - 1e-3]
    assert not small, small
    # every part taken out has a labelled box on the paper
    with open(case / "reports" / "schedule.csv", encoding="utf-8") as fh:
        parts = sum(1 for _ in csv.DictReader(fh))
    assert len(labels) >= parts


def _strip_top(page: pymupdf.Page, words: list) -> float | None:
    """The top of the "Words on this page" strip (its rule), or None when the page has none."""
    head = NOTE_HEADING.split()
    for i in range(len(words) - len(head) + 1):
        if [w[4] for w in words[i : i + len(head)]] == head:
            y = words[i][1]
            rules = [d["rect"].y0 for d in page.get_drawings() if d["rect"].height < 1 and y - 14 < d["rect"].y0 < y]
            assert rules, "the notes have no rule above them"
            return max(rules)
    return None


def test_band_inside_the_page_and_clear_of_content(records):
    _, _, pdf = records
    n = pdf.page_count
    for i, page in enumerate(pdf):
        band = band_rect(page)
        assert band in page.rect and band.height == BAND
        words = page.get_text("words", sort=True)
        in_band = [w for w in words if pymupdf.Rect(w[:4]).intersects(band)]
        assert " ".join(w[4] for w in in_band).endswith(f"page {i + 1} of {n}"), (i, in_band)
        assert all(pymupdf.Rect(w[:4]) in band for w in in_band), i  # the band's own text, inside it
        drawings = [d["rect"] for d in page.get_drawings()]
        images = [pymupdf.Rect(im["bbox"]) for im in page.get_image_info()]
        assert not any(r.intersects(band) for r in drawings + images), i
        pix = page.get_pixmap(dpi=72, clip=band, annots=False)  # ink only where the band's text is
        text_box = pymupdf.Rect(in_band[0][:4]) | pymupdf.Rect(in_band[-1][:4])
        for y in range(pix.height):
            for x in range(0, pix.width, 2):
                px, py = band.x0 + x, band.y0 + y
                if not (text_box.x0 - 2 <= px <= text_box.x1 + 2 and text_box.y0 - 2 <= py <= text_box.y1 + 2):
                    assert pix.pixel(x, y)[:3] == (255, 255, 255), (i, x, y)


def test_notes_printed_clear_of_content(records):
    name, _, pdf = records
    toc = {t[1]: t[2] for t in pdf.get_toc() if t[0] == 1}
    first, last = toc["Your records"] - 1, toc["Your own account"] - 1
    noted = 0
    for pno in range(first, last):
        page = pdf[pno]
        words = page.get_text("words", sort=True)
        top = _strip_top(page, words)
        if top is None:
            continue
        noted += 1
        band = band_rect(page)
        strip = pymupdf.Rect(0, top, page.rect.width, band.y0)
        for w in words:
            r = pymupdf.Rect(w[:4])
            assert r.y1 <= top + 0.5 or r in strip or r.intersects(band), (pno, w)  # above the strip, or in it
        below = [w for w in words if pymupdf.Rect(w[:4]) in strip]
        assert re.match(r"[^:]+:", " ".join(w[4] for w in below[len(NOTE_HEADING.split()) :]))
        for r in [d["rect"] for d in page.get_drawings()] + [pymupdf.Rect(i["bbox"]) for i in page.get_image_info()]:
            assert r.y1 <= top + 0.5 or abs(r.y0 - top) < 0.5, (pno, r)  # the page's content stays above
    assert noted, "no page has notes: the check would pass on nothing"


def _tree(pdf: pymupdf.Document) -> tuple[list[tuple[str, int, dict]], int]:
    """The structure tree depth first: (type, depth, {Alt, Pg}) of each element, and the root's xref."""
    kind, value = pdf.xref_get_key(pdf.pdf_catalog(), "StructTreeRoot")
    assert kind == "xref", "records.pdf has no structure tree"
    root = int(value.split()[0])
    out: list[tuple[str, int, dict]] = []

    def walk(xref: int, depth: int) -> None:
        for kid in (int(k) for k in re.findall(r"(\d+) 0 R", pdf.xref_get_key(xref, "K")[1])):
            s = pdf.xref_get_key(kid, "S")
            if s[0] == "null":
                continue  # a marked-content or object reference
            info = {k: pdf.xref_get_key(kid, k) for k in ("Alt", "Pg")}
            out.append((s[1].lstrip("/"), depth, info))
            walk(kid, depth + 1)

    walk(root, 0)
    return out, root


def test_records_pdf_is_tagged(records):
    """The structure tree: headings, lists, a table with header cells, links, and every page of the records
    as a figure with alternative text, in reading order between the glossary and the own-account pages."""
    _, _, pdf = records
    catalog = pdf.pdf_catalog()
    assert pdf.xref_get_key(catalog, "MarkInfo")[1].replace(" ", "") == "<</Markedtrue>>"
    assert pdf.xref_get_key(catalog, "Lang") == ("string", "en-GB")
    elems, root = _tree(pdf)
    kinds = [k for k, _, _ in elems]
    assert kinds.count("H2") >= 6  # letter, before you read, contents, removed parts, glossary, own account
    for kind in ("H3", "P", "L", "LI", "Table", "TH", "TD", "Link", "Figure"):
        assert kind in kinds, kind
    toc = {t[1]: t[2] for t in pdf.get_toc() if t[0] == 1}
    records_pages = list(range(toc["Your records"] - 1, toc["Your own account"] - 1))
    figures = [info for kind, _, info in elems if kind == "Figure"]
    page_of = {p.xref: p.number for p in pdf}
    assert [page_of[int(f["Pg"][1].split()[0])] for f in figures] == records_pages  # one per page, in order
    assert all(f["Alt"][0] == "string" and "Page " in f["Alt"][1] for f in figures)
    first_fig = kinds.index("Figure")
    h2 = [i for i, k in enumerate(kinds) if k == "H2"]
    assert h2[-2] < first_fig < h2[-1]  # after the glossary's heading, before the own account's
    # every page takes part: its marked content is reachable from the parent tree
    keys = {int(pdf.xref_get_key(p.xref, "StructParents")[1]) for p in pdf}
    assert len(keys) == pdf.page_count
    # the page numbers are artifacts, not content
    for page in pdf:
        assert any(b"/Artifact" in pdf.xref_stream(x) for x in page.get_contents()), page.number


def test_the_letter_is_one_page_greets_by_first_name_and_names_the_screen_copy(records):
    name, _, pdf = records
    toc = {t[1]: t[2] for t in pdf.get_toc() if t[0] == 1}
    assert toc["Before you read"] - toc["A letter to you"] == 1  # one page, with the apology when late
    text = " ".join(pdf[0].get_text().split())
    assert "records.html" in text and "screen readers" in text and "large print" in text
    if name == "example":
        assert "Dear Jordan," in text  # the demo settings greet by first name
        assert "We are sorry that this has taken longer than it should" in text  # built after 2 April 2026
        assert text.count("Example Borough Council") == 1  # signed once
