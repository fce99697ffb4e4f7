"""The care leaver's bundle: records.pdf and records.html, built from the redacted documents only.

`build_records` is called once the redacted PDFs are in the staging folder. It reads them back
(never the originals), finds the glossary terms in their remaining text, and writes:

- records.pdf, A4 throughout and tagged: its own pages (cover letter, before you read, contents, about the
  removed parts, words you may meet, your own account) laid out by WeasyPrint with their structure
  (front.py); then the documents, each page shown whole on an A4 sheet above a page-number band, with the
  meaning of each glossary term first used on it printed at its foot under "Words on this page", tagged
  as a figure with alternative text (tagged.py); bookmarks, links, title and /Lang en-GB;
- records.html: the same as one accessible page (sarkit.render.html).
"""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymupdf

from ..deadline import statutory_deadline
from ..decide.rules import RuleSet
from ..errors import DocumentError
from ..ingest import title_and_date
from ..models import Manifest
from .front import LINED_PAGES, RECORDS_TARGET, contents_section, glossary_section, lay_out, lined_page, sheets
from .glossary import Glossary, Hit, Term, heading, load_glossary
from .html import document_head, page_html, write_html
from .layout import PageLayout, Rect, read_page
from .letters import effective_settings, greeting, long_date, render, signature, templates_dir
from .paper import BAND, NOTES_SHRINK, fit_scale, sheet
from .tagged import Tree, as_artifact, contents, wrap

BAND_FONT = "helv"
BAND_SIZE = 8.0
BAND_COLOUR = (0.27, 0.27, 0.27)
NOTE_SIZE = 8.0  # "Words on this page": the notes' font size and line height, in points
NOTE_LEAD = 9.6
NOTE_GAP = 8.0  # between the page's content and the notes
NOTE_MARGIN = 32.0  # left and right of the notes
NOTE_HEADING = "Words on this page"
NOTE_COLOUR = (0.1, 0.1, 0.1)
SCAN_ZOOM = 1.5  # scanned pages in records.html: 108 dpi
LANG = "en-GB"
PARTS = (
    "A letter to you",
    "Before you read",
    "Contents",
    "About the removed parts",
    "Words you may meet in your records",
    "Your records",
    "Your own account",
)
PART_IDS = {  # the element that starts each part on paper (the templates' sections)
    "A letter to you": "letter",
    "Before you read": "before",
    "Contents": "contents",
    "About the removed parts": "removed",
    "Words you may meet in your records": "glossary-h",
    "Your records": RECORDS_TARGET,
    "Your own account": "own",
}

# document type from the words of its title: first match wins (more specific first)
DOC_TYPES: tuple[tuple[str, str], ...] = (
    (r"police|ppn|vulnerab\w* notif", "police notification"),
    (r"health assess|\biha\b|\brha\b|medical|health", "health assessment"),
    (r"pathway", "pathway plan"),
    (r"\bpep\b|personal education", "personal education plan"),
    (r"chronolog", "chronology"),
    (r"mash|contact record|referral|\bcontact\b", "contact and referral record"),
    (r"conference|\bicpc\b|\brcpc\b", "conference minutes"),
    (r"review|\blac\b|\bcla\b|minutes|meeting", "review minutes"),
    (r"assess", "assessment"),
    (r"e-?mail", "email"),
    (r"letter|correspondence", "letter"),
    (r"plan\b", "plan"),
    (r"court|order|statement|legal", "court document"),
    (r"report", "report"),
    (r"case ?note|visit|note|record|log", "case note"),
)


@dataclass(frozen=True, slots=True)
class RecordDoc:
    """One redacted document in the staging folder, as the bundle lists it."""

    out_name: str  # relative to staging, e.g. "documents/2012-04-30 Home Visit.docx.pdf"
    title: str = ""
    date: dt.date | None = None
    kind: str = "pdf"  # pdf | docx | image
    redactions: tuple[tuple[int, Rect, str], ...] = ()  # (page, box in PDF points, reason code) removed
    scanned_pages: tuple[int, ...] = ()
    # parts taken out, by reason code (one part may have a box on each line it runs over); when empty,
    # each box is counted as a part
    parts: tuple[tuple[str, int], ...] = ()


@dataclass
class RecordPages:
    """What records.pdf and records.html need of one redacted document, read once, page by page, by
    `read_record` (in the worker that redacted it, when there are workers). Small: the document's text
    is in its section of records.html, written to a file (`html`), never kept in memory."""

    anchor: str
    html: Path  # this document's section of records.html
    sizes: list[tuple[float, float]] = field(default_factory=list)
    bottoms: list[float] = field(default_factory=list)  # where each page's content ends, from its top
    notes: list[tuple[int, str, str]] = field(default_factory=list)  # page, heading, meaning (first uses)
    entries: set[tuple[str, int]] = field(default_factory=set)  # glossary (term key, sense) used


@dataclass
class _Doc:
    rec: RecordDoc
    title: str
    date: dt.date | None
    doc_type: str
    anchor: str
    pages: RecordPages
    first_page: int = 0  # zero-based page of records.pdf where the document starts

    @property
    def page_count(self) -> int:
        return len(self.pages.sizes)


# ---------------------------------------------------------------- small pure helpers


def document_type(title: str) -> str:
    """The kind of record, guessed from the words of its title ("review minutes", "letter", ...)."""
    low = title.lower()
    for pat, label in DOC_TYPES:
        if re.search(pat, low):
            return label
    return "record"


def short_reason(plain: str, code: str) -> str:
    """A short label for a removed part from the rule set's plain words: "about someone else"."""
    first = re.split(r"(?<=\.)\s", plain.strip(), maxsplit=1)[0].rstrip(".").strip()
    for prefix in ("This is ", "This "):
        if first.startswith(prefix):
            first = first[len(prefix) :]
            break
    if not first:
        return f"reason {code}"
    return first[0].lower() + first[1:]


def page_range(first: int, count: int) -> str:
    """Human page range from a zero-based first page: "7" or "7 to 9"."""
    return str(first + 1) if count <= 1 else f"{first + 1} to {first + count}"


# ---------------------------------------------------------------- reading the redacted documents


def describe(rec: RecordDoc) -> tuple[str, dt.date | None, str]:
    """A document's title, date and type as the bundle shows them (from the ledger, else its file name, read by
    the same parser: sarkit.ingest.title_and_date)."""
    title, date = rec.title, rec.date
    if not title or date is None:
        parsed_title, parsed_date = title_and_date(rec.out_name)
        title, date = title or parsed_title, date or parsed_date
    return title, date, document_type(title)


def in_order(docs: Sequence[RecordDoc]) -> list[tuple[str, RecordDoc]]:
    """The documents in the order the bundle shows them (date, then title), each with its anchor."""
    keyed = [(describe(r), r) for r in docs]
    keyed.sort(key=lambda k: (k[0][1] is None, k[0][1] or dt.date.min, k[0][0].lower()))
    return [(f"doc-{i + 1}", r) for i, (_, r) in enumerate(keyed)]


def reasons(docs: Sequence[RecordDoc], rules: RuleSet) -> dict[str, str]:
    """The short reason shown for each code the documents use ("about someone else")."""
    return {c["code"]: c["short"] for c in _codes(docs, rules)}


_INK = ("fill-path", "stroke-path", "fill-text", "stroke-text", "fill-image", "fill-imgmask", "fill-shade")


def content_bottom(page: pymupdf.Page) -> float:
    """Where the page's visible content ends, in points from its top (a fill behind the whole page does not
    count: it is the paper's colour, not content)."""
    rect = page.rect
    whole = rect.get_area() * 0.85
    bottom = 0.0
    for kind, bbox in page.get_bboxlog():
        if kind not in _INK:
            continue
        r = pymupdf.Rect(bbox) & rect
        if r.is_empty or (kind in ("fill-path", "fill-shade") and r.get_area() >= whole):
            continue
        bottom = max(bottom, r.y1)
    return bottom


def read_record(
    staging: Path,
    rec: RecordDoc,
    anchor: str,
    reasons: Mapping[str, str],
    parts: Path,
    *,
    ocr: bool = True,
    glossary: Glossary | None = None,
) -> RecordPages:
    """Read one redacted document of the staging folder (never the original) for the records: its section
    of records.html goes to parts/<anchor>.html as each page is read; the page sizes, where their content
    ends, the notes for the first use of each glossary term and the terms used are returned."""
    glossary = glossary or load_glossary()
    path = staging / rec.out_name
    title, date, doc_type = describe(rec)
    try:
        src = pymupdf.open(path, filetype="pdf")
    except Exception as exc:
        raise DocumentError(f"{rec.out_name} could not be opened to build records.pdf.") from exc
    out = RecordPages(anchor, Path(parts) / f"{anchor}.html")
    with src, open(out.html, "w", encoding="utf-8") as fh:
        os.chmod(out.html, 0o600)
        removed: dict[int, list[tuple[Rect, str]]] = {}
        for pno, rect, code in rec.redactions:
            removed.setdefault(int(pno), []).append((tuple(map(float, rect)), code))  # type: ignore[arg-type]
        fh.write(document_head(anchor, title, date, doc_type, src.page_count) + "\n")
        html_noted: set[str] = set()
        pdf_noted: set[str] = set()
        for page in src:
            scanned = rec.kind == "image" or page.number in rec.scanned_pages
            lay = read_page(page, removed.get(page.number, ()), scanned)
            if scanned and not lay.blocks and ocr:
                lay = _ocr_layout(page, removed.get(page.number, ()))
            out.sizes.append((page.rect.width, page.rect.height))
            out.bottoms.append(content_bottom(page))
            hits = [glossary.find(b.text()[0], title) for b in lay.blocks]
            out.entries.update(h.entry for block_hits in hits for h in block_hits)
            out.notes.extend((page.number, head, meaning) for head, meaning in first_uses(hits, pdf_noted))
            image = (
                page.get_pixmap(matrix=pymupdf.Matrix(SCAN_ZOOM, SCAN_ZOOM), annots=False).tobytes("png")
                if scanned
                else None
            )
            fh.write(page_html(title, src.page_count, lay, hits, image, html_noted, reasons) + "\n")
        fh.write("</section>")
    return out


def first_uses(hits: Sequence[Sequence[Hit]], noted: set[str]) -> list[tuple[str, str]]:
    """(heading, meaning) of each glossary entry used here for the first time (noted: the entries already
    used, updated), in the order they are met."""
    out = []
    for block_hits in hits:
        for hit in block_hits:
            key = f"{hit.term.key}-{hit.sense}"
            if key not in noted:
                noted.add(key)
                out.append((hit.heading, hit.meaning))
    return out


def _ocr_layout(page: pymupdf.Page, removed: Sequence[tuple[Rect, str]]) -> PageLayout:
    """OCR of the redacted page's pixels (only when the scan kept no text layer)."""
    from .layout import layout_from_words

    try:
        tp = page.get_textpage_ocr(dpi=200, full=True)
        words = page.get_text("words", textpage=tp)
    except Exception:  # noqa: BLE001 - no tesseract data: the page is described without text
        return PageLayout(page.number, page.rect.width, page.rect.height, (), True)
    return layout_from_words(page.number, page.rect.width, page.rect.height, [w[:7] for w in words], removed, True)


# ---------------------------------------------------------------- the front matter


def sheet_id(anchor: str, pno: int) -> str:
    """The id of the empty page (front.sheets) where page pno (zero-based) of a record is drawn."""
    return f"sheet-{anchor}-{pno + 1}"


def _contents_rows(docs: Sequence[_Doc]) -> list[str]:
    """The contents, each part and each record with the page it starts on: the numbers are the layout's own
    (target-counter in front.py's CSS)."""
    esc = htmlmod.escape
    rows = [
        '<h2 id="contents-h">Contents</h2>'
        "<p>Your records are listed in date order. The page numbers are at the foot of each page.</p>"
    ]
    for part in PARTS:
        if part == "Your records":
            first = f"#{sheet_id(docs[0].anchor, 0)}" if docs else f"#{PART_IDS['Your own account']}"
            rows.append(f'<p class="toc-part"><a class="toc" href="{first}">{esc(part)}</a></p>')
            for d in docs:
                when = long_date(d.date) if d.date else "Date not known"
                a, z = f"#{sheet_id(d.anchor, 0)}", f"#{sheet_id(d.anchor, d.page_count - 1)}"
                pages = (
                    f'page <a class="pg" href="{a}"></a>'
                    if d.page_count == 1
                    else f'pages <a class="pg" href="{a}"></a> to <a class="pg" href="{z}"></a>'
                )
                rows.append(
                    f'<p class="toc-doc"><a href="{a}">{esc(d.title)}</a><br>'
                    f'<span class="toc-meta">{esc(when)} · {esc(d.doc_type)} · {pages}</span></p>'
                )
        else:
            rows.append(f'<p class="toc-part"><a class="toc" href="#{PART_IDS[part]}">{esc(part)}</a></p>')
    return rows


GLOSSARY_INTRO = (
    "People who work in children's services use words and short forms that can be hard to follow. "
    "Here is what the ones in your records mean."
)
GLOSSARY_NOTES = (
    "When one of these words first comes up in a record, its meaning is also printed at the foot of that page, "
    'under "Words on this page".'
)


def _entry(t: Term, s: int) -> str:
    esc = htmlmod.escape
    return f'<dt id="g-{t.key}-{s}"><dfn>{esc(heading(t, s))}</dfn></dt><dd>{esc(t.senses[s].meaning)}</dd>'


def _glossary_html(entries: Sequence[tuple[Term, int]]) -> str:
    """The glossary as records.html shows it."""
    head = '<h2 id="glossary-h">Words you may meet in your records</h2>'
    if not entries:
        body = "<p>We did not find any special words in your records that need explaining.</p>"
    else:
        body = f"<p>{GLOSSARY_INTRO}</p><dl>" + "".join(_entry(t, s) for t, s in entries) + "</dl>"
    return f'<section id="glossary" aria-labelledby="glossary-h">{head}{body}</section>'


def _codes(docs: Sequence[RecordDoc], rules: RuleSet) -> list[dict[str, Any]]:
    """The reason codes used, in the rule set's order, with the number of parts taken out for each."""
    counts: dict[str, int] = {}
    for d in docs:
        if d.parts:
            for code, n in d.parts:
                counts[code] = counts.get(code, 0) + int(n)
        else:
            for _, _, code in d.redactions:
                counts[code] = counts.get(code, 0) + 1
    out = []
    known = [c.code for c in rules.codes]
    for code in sorted(counts, key=lambda c: (known.index(c) if c in known else len(known), c)):
        if not counts[code]:
            continue
        try:
            plain = rules.code(code).plain
        except KeyError:
            plain = "We took this out for a reason the law allows. Please ask us if you want to know more."
        out.append({"code": code, "plain": plain, "count": counts[code], "short": short_reason(plain, code)})
    return out


# ---------------------------------------------------------------- the notes at the foot of a page

_NOTE_FONT = pymupdf.Font("helv")
_NOTE_BOLD = pymupdf.Font("hebo")
Run = tuple[str, bool]  # text, bold


def note_lines(head: str, meaning: str, width: float) -> list[list[Run]]:
    """One note, "heading: meaning" with the heading in bold, wrapped to width (continuation lines indented)."""
    words = [(w, True) for w in f"{head}:".split() if head] + [(w, False) for w in meaning.split()]
    lines: list[list[Run]] = [[]]
    x = 0.0
    space = _NOTE_FONT.text_length(" ", fontsize=NOTE_SIZE)
    for text, bold in words:
        w = (_NOTE_BOLD if bold else _NOTE_FONT).text_length(text, fontsize=NOTE_SIZE)
        limit = width - (NOTE_SIZE if len(lines) > 1 else 0.0)
        if lines[-1] and x + space + w > limit:
            lines.append([])
            x = 0.0
        x += (space if lines[-1] else 0.0) + w
        lines[-1].append((text, bold))
    return lines


@dataclass
class Placement:
    """How one page of a record sits on its A4 sheet: the sheet, the scale and position of the page, and the
    lines of its "Words on this page" strip (empty when it has none)."""

    sheet: tuple[float, float]
    scale: float
    x: float
    lines: list[list[Run]]
    strip_top: float = 0.0


def place_page(
    width: float, height: float, bottom: float, notes: Sequence[tuple[str, str]], glossary_page: int | None = None
) -> Placement:
    """Fit a page (its content ending at `bottom`) and its notes on an A4 sheet above the band. The page is
    shown whole, scaled down to fit (never up); to make room for notes below its content it may shrink to
    NOTES_SHRINK of that, and notes that still do not fit are left to the glossary, which a last line names."""
    sw, sh = sheet(width, height)
    s0 = fit_scale(width, height)
    if not notes:
        return Placement((sw, sh), s0, (sw - s0 * width) / 2, [])
    text_width = sw - 2 * NOTE_MARGIN
    wrapped = [note_lines(h, m, text_width) for h, m in notes]
    more = note_lines(
        "",
        'More words from this page are explained in "Words you may meet in your records"'
        + (f" (page {glossary_page + 1})." if glossary_page is not None else "."),
        text_width,
    )

    def need(k: int) -> float:
        extra = len(more) if k < len(wrapped) else 0
        return NOTE_GAP + NOTE_LEAD * (1 + sum(len(x) for x in wrapped[:k]) + extra) + NOTE_SIZE * 0.5

    def room(s: float) -> float:
        return sh - BAND - s * bottom + 0.01  # (a hundredth of a point for rounding)

    s = s0
    if need(len(wrapped)) > room(s0):
        s = max(s0 * NOTES_SHRINK, min(s0, (sh - BAND - need(len(wrapped))) / max(bottom, 1.0)))
    k = len(wrapped)
    while k > 0 and need(k) > room(s):
        k -= 1
    lines = [ln for x in wrapped[:k] for ln in x] + (more if k < len(wrapped) else [])
    if need(k) > room(s):  # not even the pointer to the glossary fits
        return Placement((sw, sh), s, (sw - s * width) / 2, [])
    top = sh - BAND - (need(k) - NOTE_GAP)
    return Placement((sw, sh), s, (sw - s * width) / 2, [[(NOTE_HEADING, True)], *lines], top)


def _draw_notes(page: pymupdf.Page, where: Placement) -> None:
    if not where.lines:
        return
    x0, x1 = NOTE_MARGIN, page.rect.width - NOTE_MARGIN
    page.draw_line((x0, where.strip_top), (x1, where.strip_top), color=(0.55, 0.55, 0.55), width=0.5)
    tw = pymupdf.TextWriter(page.rect)
    y = where.strip_top + NOTE_LEAD
    for i, line in enumerate(where.lines):
        x = x0 + (NOTE_SIZE if i > 1 and not line[0][1] else 0.0)
        for text, bold in line:
            font = _NOTE_BOLD if bold else _NOTE_FONT
            tw.append((x, y), text, font=font, fontsize=NOTE_SIZE)
            x += font.text_length(text, fontsize=NOTE_SIZE) + _NOTE_FONT.text_length(" ", fontsize=NOTE_SIZE)
        y += NOTE_LEAD
    tw.write_text(page, color=NOTE_COLOUR)


# ---------------------------------------------------------------- assembling records.pdf


def _band(page: pymupdf.Page, text: str) -> None:
    r = page.rect
    band = pymupdf.Rect(0, r.height - BAND, r.width, r.height)
    width = pymupdf.get_text_length(text, fontname=BAND_FONT, fontsize=BAND_SIZE)
    y = band.y0 + (BAND + BAND_SIZE * 0.7) / 2
    page.insert_text(((r.width - width) / 2, y), text, fontname=BAND_FONT, fontsize=BAND_SIZE, color=BAND_COLOUR)


def band_text(reference: str, index: int, total: int) -> str:
    """The page-number line: "REFERENCE · page n of N" (index zero-based)."""
    return f"{reference} · page {index + 1} of {total}"


def band_rect(page: pymupdf.Page) -> pymupdf.Rect:
    """Where the page number is printed: a strip at the foot of every page that holds no content."""
    return pymupdf.Rect(0, page.rect.height - BAND, page.rect.width, page.rect.height)


def build_records(
    staging: Path,
    docs: Sequence[RecordDoc],
    manifest: Manifest,
    rules: RuleSet,
    settings: Mapping[str, Any] | None,
    *,
    today: dt.date,
    glossary: Glossary | None = None,
    ocr: bool = True,
    pages: Mapping[str, RecordPages] | None = None,
) -> None:
    """Write staging/records.pdf and staging/records.html from the redacted PDFs in staging.

    pages: what `read_record` returned for documents already read, by out_name (the bundle's workers read
    each document as they redact it); the others are read here. Every document is streamed: one page of
    one document is in memory at a time, and records.html is written section by section.
    """
    for _ in build_records_steps(
        staging, docs, manifest, rules, settings, today=today, glossary=glossary, ocr=ocr, pages=pages
    ):
        pass


RecordStep = tuple[str, Any]  # ("read" | "draw", out_name) | ("finish", "") | ("sheets", {out_name: (first, stop)})


def build_records_steps(
    staging: Path,
    docs: Sequence[RecordDoc],
    manifest: Manifest,
    rules: RuleSet,
    settings: Mapping[str, Any] | None,
    *,
    today: dt.date,
    glossary: Glossary | None = None,
    ocr: bool = True,
    pages: Mapping[str, RecordPages] | None = None,
) -> Iterator[RecordStep]:
    """build_records, announcing each step before it starts (so that a worker running it can be given a time
    limit per document, and a document that passes it be named): ("read", out_name) before a document not
    yet read is read, ("draw", out_name) before its pages are drawn on their sheets, ("finish", "") before
    the bands, the outline, the save and records.html; last ("sheets", {out_name: (first, stop)}): the
    zero-based pages of records.pdf that show each document."""
    staging = Path(staging)
    glossary = glossary or load_glossary()
    cfg = effective_settings(settings)
    codes = _codes(docs, rules)
    short = {c["code"]: c["short"] for c in codes}
    pages = dict(pages or {})
    with tempfile.TemporaryDirectory(prefix="sarkit-records-") as tmp:
        read: list[_Doc] = []
        for anchor, rec in in_order(docs):
            got = pages.get(rec.out_name)
            if got is None or got.anchor != anchor or not got.html.is_file():
                yield ("read", rec.out_name)
                got = read_record(staging, rec, anchor, short, Path(tmp), ocr=ocr, glossary=glossary)
            title, date, doc_type = describe(rec)
            read.append(_Doc(rec, title, date, doc_type, anchor, got))
        yield from _assemble(staging, read, manifest, cfg, codes, glossary, today)


def letter_values(
    manifest: Manifest, cfg: Mapping[str, Any], today: dt.date, documents: int, pages: int, codes: list[dict[str, Any]]
) -> dict[str, Any]:
    """What the templates are filled with, besides the settings."""
    requester = manifest.requester or manifest.subject.name
    deadline = statutory_deadline(manifest.received)
    return {
        "requester": requester,
        "greeting": greeting(requester, cfg),
        "signature": signature(cfg),
        "reference": manifest.reference,
        "today": long_date(today),
        "deadline": long_date(deadline),
        "overdue": today > deadline,
        "documents": documents,
        "pages": pages,
        "redactions": sum(c["count"] for c in codes),
        "codes": codes,
    }


def _assemble(
    staging: Path,
    read: Sequence[_Doc],
    manifest: Manifest,
    cfg: Mapping[str, Any],
    codes: list[dict[str, Any]],
    glossary: Glossary,
    today: dt.date,
) -> Iterator[RecordStep]:
    used = set().union(*(d.pages.entries for d in read))
    entries = [(t, i) for t in glossary.terms for i in range(len(t.senses)) if (t.key, i) in used]
    pages_in_docs = sum(d.page_count for d in read)
    values = letter_values(manifest, cfg, today, len(read), pages_in_docs, codes)
    title = f"Your records ({manifest.reference})"

    def fragment(name: str, paper: bool) -> str:
        return render(name, cfg, paper=paper, **values)

    names = ("cover_letter", "before_you_read", "removed_parts", "own_account")
    on_paper = {name: fragment(name, True) for name in names}
    glossary_paper = glossary_section(
        [(f"g-{t.key}-{s}", heading(t, s), t.senses[s].meaning) for t, s in entries], GLOSSARY_INTRO, GLOSSARY_NOTES
    )

    # the lined pages are part of the own-account section, the last of the structure tree (tagged.py)
    own_html = on_paper["own_account"]
    cut = own_html.rfind("</section>")
    own_html = own_html[:cut] + "".join(lined_page() for _ in range(LINED_PAGES)) + own_html[cut:]
    # records.pdf laid out whole by WeasyPrint (front.py), an empty page for each page of the records
    body = "".join(
        [
            on_paper["cover_letter"],
            on_paper["before_you_read"],
            contents_section(_contents_rows(read)),
            on_paper["removed_parts"],
            glossary_paper,
            sheets([(sheet_id(d.anchor, i), w > h) for d in read for i, (w, h) in enumerate(d.pages.sizes)]),
            own_html,
        ]
    )
    laid = lay_out(body, title, lambda i: i in PART_IDS.values() or i.startswith("sheet-"))
    total = laid.pages
    starts = {part: laid.at[PART_IDS[part]][0] for part in PARTS if PART_IDS[part] in laid.at}
    starts.setdefault("Your records", starts["Your own account"])
    for d in read:
        d.first_page = laid.at[sheet_id(d.anchor, 0)][0]
    glossary_page, glossary_y = laid.at[PART_IDS["Words you may meet in your records"]]
    records = range(starts["Your records"], starts["Your records"] + pages_in_docs)

    out = pymupdf.open("pdf", laid.pdf)
    tree = Tree(out, before=out[starts["Your own account"]].xref)
    for d in read:
        yield ("draw", d.rec.out_name)
        sect = tree.section(f"{d.title} ({long_date(d.date)})" if d.date else d.title)
        _document_pages(out, staging, d, manifest.reference, total, glossary_page, tree, sect)
    yield ("finish", "")
    tree.close()
    for i in range(out.page_count):
        if i not in records:
            page = out[i]
            before = contents(page)
            _band(page, band_text(manifest.reference, i, total))
            as_artifact(out, [x for x in contents(page) if x not in before])

    toc: list[list[Any]] = []
    for part in PARTS:
        if part == "Words you may meet in your records":
            toc.append([1, part, glossary_page + 1, {"kind": pymupdf.LINK_GOTO, "to": pymupdf.Point(0, glossary_y)}])
        else:
            toc.append([1, part, starts[part] + 1])
        if part == "Your records":
            toc.extend([2, f"{d.title} ({long_date(d.date)})" if d.date else d.title, d.first_page + 1] for d in read)
    out.set_toc(toc)
    out.set_metadata(
        {
            "title": title,
            "author": str(cfg["authority"]["name"]),
            "subject": "Your records, sent in answer to your request to see them",
            "producer": "sarkit",
            "creator": "sarkit",
        }
    )
    _explicit_links(out)
    out.del_xml_metadata()  # like every PDF of the bundle, no XMP (WeasyPrint writes one; the tags stay)
    out.xref_set_key(out.pdf_catalog(), "Lang", pymupdf.get_pdf_str(LANG))
    out.xref_set_key(out.pdf_catalog(), "PageMode", "/UseOutlines")
    out.xref_set_key(out.pdf_catalog(), "ViewerPreferences", "<</DisplayDocTitle true>>")
    _fix_ligatures(out)
    out.save(staging / "records.pdf", garbage=1, deflate=True)  # not 3: its cost grows with the square of the pages
    out.close()

    on_screen = {name: fragment(name, False) for name in names}
    write_html(
        staging / "records.html",
        title=title,
        reference=manifest.reference,
        authority=cfg["authority"],
        fragments=on_screen,
        glossary_html=_glossary_html(entries),
        docs=[(d.anchor, d.title, d.date, d.doc_type, d.pages.html) for d in read],
        css=(templates_dir() / "records.css").read_text("utf-8"),
    )
    yield ("sheets", {d.rec.out_name: (d.first_page, d.first_page + d.page_count) for d in read})


def _explicit_links(out: pymupdf.Document) -> None:
    """Links to named destinations (WeasyPrint's, by element id) point to their page and place instead, and the
    catalog's name tree goes: the bundle's PDFs carry no /Names. Each link keeps its place in the structure tree."""
    for page in out:
        for link in page.get_links():
            if link.get("kind") != pymupdf.LINK_NAMED or link.get("page", -1) < 0:
                continue
            parent = out.xref_get_key(link["xref"], "StructParent")
            to = link.get("to") or pymupdf.Point(0, out[link["page"]].rect.height)
            page.update_link(
                {
                    "kind": pymupdf.LINK_GOTO,
                    "from": link["from"],
                    "page": link["page"],
                    # a named destination's place is read in PDF coordinates (from the foot of the page)
                    "to": pymupdf.Point(to.x, out[link["page"]].rect.height - to.y),
                    "xref": link["xref"],
                    "id": link.get("id", ""),
                }
            )
            if parent[0] != "null":
                out.xref_set_key(link["xref"], "StructParent", parent[1])
    for key in ("Names", "Dests"):
        out.xref_set_key(out.pdf_catalog(), key, "null")


def _document_pages(
    out: pymupdf.Document,
    staging: Path,
    d: _Doc,
    reference: str,
    total: int,
    glossary_page: int,
    tree: Tree,
    sect: int,
) -> None:
    """Each page of a redacted document drawn on its A4 sheet (the empty page laid out for it): the page
    whole above the band, its notes between; tagged as a figure (and its notes as a paragraph)."""
    notes: dict[int, list[tuple[str, str]]] = {}
    for pno, head, meaning in d.pages.notes:
        notes.setdefault(pno, []).append((head, meaning))
    bottoms = d.pages.bottoms or [h for _, h in d.pages.sizes]
    count = d.page_count
    with pymupdf.open(staging / d.rec.out_name, filetype="pdf") as src:
        for pno, (w, h) in enumerate(d.pages.sizes):
            where = place_page(w, h, bottoms[pno], notes.get(pno, ()), glossary_page)
            page = out[d.first_page + pno]
            assert abs(page.rect.width - where.sheet[0]) < 1 and abs(page.rect.height - where.sheet[1]) < 1
            own_resources(out, page)
            laid = contents(page)
            # text first: text inserted after show_pdf_page loses its font resource
            _band(page, band_text(reference, page.number, total))
            band = [x for x in contents(page) if x not in laid]
            as_artifact(out, band)
            _draw_notes(page, where)
            drawn = [x for x in contents(page) if x not in laid and x not in band]
            page.show_pdf_page(pymupdf.Rect(where.x, 0, where.x + where.scale * w, where.scale * h), src, pno)
            shown = [x for x in contents(page) if x not in laid and x not in band and x not in drawn]
            wrap(out, shown, b"/Figure <</MCID 0>> BDC\n")
            if drawn:
                wrap(out, drawn, b"/P <</MCID 1>> BDC\n")
            when = f", {long_date(d.date)}" if d.date else ""
            alt = (
                f"Page {pno + 1} of {count} of {d.title}{when}: the page as it was written. "
                "Its words are in records.html, the copy for screen readers."
            )
            tree.page(sect, page, alt, bool(drawn))


def own_resources(doc: pymupdf.Document, page: pymupdf.Page) -> None:
    """Give the page a /Resources dictionary of its own (a copy, its sub-dictionaries inlined).

    WeasyPrint writes one /Resources object shared by every page. show_pdf_page adds its form XObject to the
    page's resources, so with a shared dictionary every sheet would list the forms (and through them the
    fonts) of every page drawn before it: drawing the records (which scans the page's fonts each time) and
    reading each page back (verify lists its fonts) would grow with the square of the pages.
    """
    kind, value = doc.xref_get_key(page.xref, "Resources")
    if kind != "xref":
        return
    shared = int(value.split()[0])
    copy = doc.get_new_xref()
    doc.update_object(copy, doc.xref_object(shared, compressed=True))
    for key in doc.xref_get_keys(copy):
        sub_kind, sub = doc.xref_get_key(copy, key)
        if sub_kind == "xref" and not doc.xref_is_stream(int(sub.split()[0])):
            target = int(sub.split()[0])
            if doc.xref_object(target, compressed=True).startswith("<<"):
                doc.xref_set_key(copy, key, doc.xref_object(target, compressed=True))
    doc.xref_set_key(page.xref, "Resources", f"{copy} 0 R")


def _fix_ligatures(doc: pymupdf.Document) -> None:
    """Map ligature glyphs back to their letters in every ToUnicode CMap (Story shapes "fi" as one glyph)."""
    seen: set[int] = set()
    for xref in range(1, doc.xref_length()):
        kind, val = doc.xref_get_key(xref, "ToUnicode")
        if kind != "xref":
            continue
        tu = int(val.split()[0])
        if tu in seen:
            continue
        seen.add(tu)
        cmap = doc.xref_stream(tu).decode("latin-1")
        fixed = fix_cmap(cmap)
        if fixed != cmap:
            doc.update_stream(tu, fixed.encode("latin-1"))


_LIGS = {0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st"}


def _hex(s: str) -> str:
    return "".join(f"{ord(c):04x}" for c in s)


def fix_cmap(cmap: str) -> str:
    """Rewrite a ToUnicode CMap so glyphs mapped to U+FB00..FB06 map to the plain letters."""
    extra: list[tuple[int, str, int]] = []  # (code, unicode hex, code width)

    def bfchar(m: re.Match[str]) -> str:
        src, dst = m.group(1), m.group(2)
        if len(dst) == 4 and int(dst, 16) in _LIGS:
            extra.append((int(src, 16), _hex(_LIGS[int(dst, 16)]), len(src)))
            return ""
        return m.group(0)

    def bfrange(m: re.Match[str]) -> str:
        lo, hi, dst = int(m.group(1), 16), int(m.group(2), 16), m.group(3)
        width = len(m.group(1))
        if len(dst) != 4:
            return m.group(0)
        d0 = int(dst, 16)
        hits = [c for c in range(lo, hi + 1) if d0 + c - lo in _LIGS]
        if not hits:
            return m.group(0)
        out, start = [], lo
        for c in hits + [hi + 1]:
            if c > start:
                out.append(f"<{start:0{width}x}> <{c - 1:0{width}x}> <{d0 + start - lo:04x}>")
            if c <= hi:
                extra.append((c, _hex(_LIGS[d0 + c - lo]), width))
            start = c + 1
        return "\n".join(out)

    def fix_section(m: re.Match[str], kind: str) -> str:
        body = m.group(2)
        if kind == "char":
            body = re.sub(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", bfchar, body)
            pat = r"<[0-9a-fA-F]+>\s*<[0-9a-fA-F]+>"
        else:
            body = re.sub(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", bfrange, body)
            pat = r"<[0-9a-fA-F]+>\s*<[0-9a-fA-F]+>\s*<[0-9a-fA-F]+>"
        n = len(re.findall(pat, body))
        if n == 0:
            return ""
        return (
            f"{n} begin{'bfchar' if kind == 'char' else 'bfrange'}{body}end{'bfchar' if kind == 'char' else 'bfrange'}"
        )

    new = re.sub(r"(\d+)\s+beginbfrange(.*?)endbfrange", lambda m: fix_section(m, "range"), cmap, flags=re.DOTALL)
    new = re.sub(r"(\d+)\s+beginbfchar(.*?)endbfchar", lambda m: fix_section(m, "char"), new, flags=re.DOTALL)
    if not extra:
        return cmap
    block = "\n".join(f"<{c:0{w}x}> <{u}>" for c, u, w in extra)
    return new.replace("endcmap", f"{len(extra)} beginbfchar\n{block}\nendbfchar\nendcmap", 1)
