"""The care leaver's bundle: records.pdf and records.html, built from the redacted documents only.

`build_records` is called once the redacted PDFs are in the staging folder. It reads them back
(never the originals), finds the glossary terms in their remaining text, and writes:

- records.pdf, A4 throughout: cover letter, before you read, contents, about the removed parts, words you
  may meet, the documents (each page shown whole on an A4 sheet above a page-number band, with the
  meaning of each glossary term first used on it printed at its foot under "Words on this page"), your
  own account; bookmarks, links, title and /Lang en-GB;
- records.html: the same as one accessible page (sarkit.render.html).
"""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import io
import os
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any

import pymupdf

from ..deadline import statutory_deadline
from ..decide.rules import RuleSet
from ..errors import DocumentError
from ..models import Manifest
from .glossary import Glossary, Hit, Term, heading, load_glossary
from .html import document_head, page_html, write_html
from .layout import PageLayout, Rect, read_page
from .letters import effective_settings, greeting, long_date, render, signature, templates_dir
from .paper import A4 as A4_SIZE
from .paper import BAND, NOTES_SHRINK, fit_scale, sheet

A4 = pymupdf.Rect(0, 0, *A4_SIZE)
MARGIN = 56.0
BAND_FONT = "helv"
BAND_SIZE = 8.0
BAND_COLOUR = (0.27, 0.27, 0.27)
NOTE_SIZE = 8.0  # "Words on this page": the notes' font size and line height, in points
NOTE_LEAD = 9.6
NOTE_GAP = 8.0  # between the page's content and the notes
NOTE_MARGIN = 32.0  # left and right of the notes
NOTE_HEADING = "Words on this page"
NOTE_COLOUR = (0.1, 0.1, 0.1)
OWN_ACCOUNT_PAGES = 1  # lined pages after the own-account page (whose foot is lined too)
LINE_GAP = 26.0  # between the lines to write on
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
PAGE_BREAK = "<!-- new page -->"  # in a list of chunks for _flow: start a new page

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

_DATE_PATTERNS = (
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)"), (3, 2, 1)),
)


def date_from_name(name: str) -> dt.date | None:
    """A date written in a file name (2012-04-30, 20120430, 30.04.2012), else None."""
    base = PurePosixPath(name).name
    for pat, (y, m, d) in _DATE_PATTERNS:
        for mt in pat.finditer(base):
            try:
                return dt.date(int(mt.group(y)), int(mt.group(m)), int(mt.group(d)))
            except ValueError:
                continue
    return None


def title_from_name(name: str) -> str:
    """A readable title from a file name: no folders, extensions or leading date."""
    base = PurePosixPath(name).name
    for _ in range(2):
        stem, dot, ext = base.rpartition(".")
        if dot and ext.lower() in ("pdf", "docx", "doc", "png", "jpg", "jpeg", "tif", "tiff"):
            base = stem
    base = re.sub(r"^\s*(\d{4}-\d{2}-\d{2}|\d{8}|\d{1,2}[./-]\d{1,2}[./-]\d{4})[\s_-]*", "", base)
    base = re.sub(r"[_]+", " ", base).strip()
    return base or PurePosixPath(name).name


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
    """A document's title, date and type as the bundle shows them (from the ledger, else its file name)."""
    title = rec.title or title_from_name(rec.out_name)
    return title, rec.date or date_from_name(rec.out_name), document_type(title)


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


# ---------------------------------------------------------------- the front matter (Story)

_VOID = {"br", "img", "hr", "meta", "input", "wbr", "col", "area", "source"}
_KEEP_WITH_NEXT = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _TopLevel(HTMLParser):
    """The spans of the children of a fragment's outer element (a <section>), by character offset."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.lines = [0]
        for ln in text.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(ln))
        self.depth = 0
        self.spans: list[tuple[int, int, str]] = []
        self._start = 0
        self._tag = ""

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _VOID:
            if self.depth == 1:
                at = self._offset()
                self.spans.append((at, at + len(self.get_starttag_text() or ""), tag))
            return
        self.depth += 1
        if self.depth == 2:
            self._start, self._tag = self._offset(), tag

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.depth == 2:
            at = self._offset()
            self.spans.append((self._start, at + len(f"</{tag}>"), self._tag))
        self.depth -= 1


def chunks(fragment: str) -> list[str]:
    """The children of a fragment's outer element, each a chunk that _flow keeps on one page; a heading is
    kept with what follows it."""
    parser = _TopLevel(fragment)
    parser.feed(fragment)
    parser.close()
    out: list[str] = []
    carry = ""
    for a, b, tag in parser.spans:
        piece = fragment[a:b]
        if tag in _KEEP_WITH_NEXT:
            carry += piece
            continue
        out.append(carry + piece)
        carry = ""
    if carry:
        out.append(carry)
    return out


def _css() -> str:
    return (templates_dir() / "records-pdf.css").read_text(encoding="utf-8")


FLOW_AREA = pymupdf.Rect(MARGIN, MARGIN * 0.8, A4.width - MARGIN, A4.height - BAND - MARGIN * 0.6)


@dataclass
class Flow:
    """Pages laid out by _flow: the PDF, where each wanted id was placed, and where the text ends on the
    last page."""

    doc: pymupdf.Document
    places: dict[str, tuple[int, Rect]]
    end: float

    @property
    def page_count(self) -> int:
        return int(self.doc.page_count)


def _flow(items: Sequence[str], ids: Callable[[str], bool] = lambda _: False) -> Flow:
    """Lay HTML chunks out on A4 pages above the band. A chunk that fits on a page is never split over two
    (it starts a new page instead); PAGE_BREAK starts a new page. ids: which element ids to report where."""
    css = _css()
    buf = io.BytesIO()
    writer = pymupdf.DocumentWriter(buf)
    places: dict[str, tuple[int, Rect]] = {}
    state = {"pno": -1, "y": FLOW_AREA.y0}
    dev: Any = None

    def new_page() -> Any:
        if state["pno"] >= 0:
            writer.end_page()
        state["pno"] += 1
        state["y"] = FLOW_AREA.y0
        return writer.begin_page(A4)

    def collect(pos: Any) -> None:
        if not (pos.id and ids(str(pos.id)) and pos.rect[2] > pos.rect[0]):
            return
        key, pno, rect = str(pos.id), int(state["pno"]), pymupdf.Rect(pos.rect)
        if key in places:  # an element over several lines: the union of its pieces on its first page
            if places[key][0] == pno:
                places[key] = (pno, tuple(pymupdf.Rect(places[key][1]) | rect))  # type: ignore[assignment]
            return
        places[key] = (pno, tuple(rect))  # type: ignore[assignment]

    dev = new_page()
    for item in items:
        if item == PAGE_BREAK:
            if state["y"] > FLOW_AREA.y0:
                dev = new_page()
            continue
        story = pymupdf.Story(f"<body>{item}</body>", user_css=css)
        more, filled = story.place(pymupdf.Rect(FLOW_AREA.x0, state["y"], FLOW_AREA.x1, FLOW_AREA.y1))
        if more and state["y"] > FLOW_AREA.y0:  # does not fit below what is on this page: a new page
            dev = new_page()
            story = pymupdf.Story(f"<body>{item}</body>", user_css=css)
            more, filled = story.place(FLOW_AREA)
        while True:
            story.element_positions(collect)
            story.draw(dev)
            state["y"] = float(filled[3])
            if not more or state["pno"] > 2000:
                break
            dev = new_page()  # a chunk longer than a page goes on over the next
            more, filled = story.place(FLOW_AREA)
    writer.end_page()
    writer.close()
    return Flow(pymupdf.open("pdf", buf.getvalue()), places, float(state["y"]))


def _contents_chunks(docs: Sequence[_Doc], starts: Mapping[str, int]) -> list[str]:
    esc = htmlmod.escape
    rows = [
        '<h2 id="contents-h">Contents</h2>'
        "<p>Your records are listed in date order. The page numbers are at the foot of each page.</p>"
    ]
    for part in PARTS:
        if part == "Your records":
            rows.append(f'<p class="toc-part"><a id="toc-part-records" href="#records">{esc(part)}</a></p>')
            for i, d in enumerate(docs):
                when = long_date(d.date) if d.date else "Date not known"
                rng = page_range(d.first_page, d.page_count)
                rows.append(
                    f'<p class="toc-doc"><a id="toc-doc-{i}" href="#{d.anchor}">{esc(d.title)}</a><br>'
                    f'<span class="toc-meta">{esc(when)} · {esc(d.doc_type)} · '
                    f"{'page' if d.page_count == 1 else 'pages'} {rng}</span></p>"
                )
        elif part in starts:
            pid = _part_id(part)
            rows.append(
                f'<p class="toc-part"><a id="toc-part-{pid}" href="#{pid}">{esc(part)}</a> · '
                f"page {starts[part] + 1}</p>"
            )
    return rows


def _part_id(part: str) -> str:
    return re.sub(r"[^a-z]+", "-", part.lower()).strip("-")


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


def _glossary_chunks(entries: Sequence[tuple[Term, int]], paper: bool) -> list[str]:
    """The glossary as chunks for _flow (paper) or as one fragment's pieces (the web page)."""
    head = '<h2 id="glossary-h">Words you may meet in your records</h2>'
    if not entries:
        return [head + "<p>We did not find any special words in your records that need explaining.</p>"]
    intro = head + f"<p>{GLOSSARY_INTRO}</p>" + (f"<p>{GLOSSARY_NOTES}</p>" if paper else "")
    if paper:  # an entry never splits over two pages
        return [intro, *(f"<dl>{_entry(t, s)}</dl>" for t, s in entries)]
    return [intro, "<dl>" + "".join(_entry(t, s) for t, s in entries) + "</dl>"]


def _glossary_html(entries: Sequence[tuple[Term, int]]) -> str:
    return (
        '<section id="glossary" aria-labelledby="glossary-h">'
        + "".join(_glossary_chunks(entries, False))
        + "</section>"
    )


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


def _lines(page: pymupdf.Page, top: float) -> None:
    y = top
    while y < A4.height - BAND - MARGIN * 0.6:
        page.draw_line((MARGIN, y), (A4.width - MARGIN, y), color=(0.6, 0.6, 0.6), width=0.5)
        y += LINE_GAP


def _lined_pages(out: pymupdf.Document, count: int) -> None:
    for _ in range(count):
        page = out.new_page(width=A4.width, height=A4.height)
        page.insert_text(
            (MARGIN, MARGIN + 10),
            "Your own account (you can write here)",
            fontname="helv",
            fontsize=12,
            color=(0.1, 0.1, 0.1),
        )
        _lines(page, MARGIN + 44)


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
                got = read_record(staging, rec, anchor, short, Path(tmp), ocr=ocr, glossary=glossary)
            title, date, doc_type = describe(rec)
            read.append(_Doc(rec, title, date, doc_type, anchor, got))
        _assemble(staging, read, manifest, cfg, codes, glossary, today)


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
) -> None:
    used = set().union(*(d.pages.entries for d in read))
    entries = [(t, i) for t in glossary.terms for i in range(len(t.senses)) if (t.key, i) in used]
    pages_in_docs = sum(d.page_count for d in read)
    values = letter_values(manifest, cfg, today, len(read), pages_in_docs, codes)

    def fragment(name: str, paper: bool) -> str:
        return render(name, cfg, paper=paper, **values)

    names = ("cover_letter", "before_you_read", "removed_parts", "own_account")
    on_paper = {name: fragment(name, True) for name in names}
    letter = _flow(chunks(on_paper["cover_letter"]))
    before = _flow(chunks(on_paper["before_you_read"]))
    # the guide to the removed parts and the glossary share their pages: the glossary starts below the guide
    guide = _flow([*chunks(on_paper["removed_parts"]), *_glossary_chunks(entries, True)], lambda i: i == "glossary-h")
    own = _flow(chunks(on_paper["own_account"]))
    glossary_at = guide.places.get("glossary-h", (0, (0.0, 0.0, 0.0, 0.0)))
    fixed = {
        "A letter to you": letter.page_count,
        "Before you read": before.page_count,
        "About the removed parts": guide.page_count,
        "Your own account": own.page_count + OWN_ACCOUNT_PAGES,
    }
    # the contents list depends on where everything starts, which depends on its own length: settle it
    contents_len = 1
    for _ in range(4):
        starts: dict[str, int] = {}
        cursor = 0
        for part in PARTS:
            if part == "Words you may meet in your records":
                starts[part] = starts["About the removed parts"] + glossary_at[0]
                continue
            starts[part] = cursor
            if part == "Your records":
                for d in read:
                    d.first_page = cursor
                    cursor += d.page_count
            else:
                cursor += contents_len if part == "Contents" else fixed[part]
        contents = _flow(_contents_chunks(read, starts), lambda i: i.startswith("toc-"))
        if contents.page_count == contents_len:
            break
        contents_len = contents.page_count
    total = cursor
    glossary_page = starts["Words you may meet in your records"]

    out = pymupdf.open()
    toc: list[list[Any]] = []
    flows = {
        "A letter to you": letter,
        "Before you read": before,
        "Contents": contents,
        "About the removed parts": guide,
    }
    for part in PARTS:
        if part == "Words you may meet in your records":
            y = glossary_at[1][1]
            toc.append([1, part, glossary_page + 1, {"kind": pymupdf.LINK_GOTO, "to": pymupdf.Point(0, y)}])
            continue
        toc.append([1, part, starts[part] + 1])
        if part == "Your records":
            for d in read:
                toc.append([2, f"{d.title} ({long_date(d.date)})" if d.date else d.title, d.first_page + 1])
                _document_pages(out, staging, d, manifest.reference, total, glossary_page)
        elif part == "Your own account":
            out.insert_pdf(own.doc)
            _lines(out[-1], own.end + LINE_GAP)
            _lined_pages(out, OWN_ACCOUNT_PAGES)
        else:
            out.insert_pdf(flows[part].doc)
    assert out.page_count == total, (out.page_count, total)

    targets: dict[str, tuple[int, float]] = {f"toc-part-{_part_id(p)}": (starts[p], 0.0) for p in PARTS}
    targets["toc-part-words-you-may-meet-in-your-records"] = (glossary_page, glossary_at[1][1])
    targets.update({f"toc-doc-{i}": (d.first_page, 0.0) for i, d in enumerate(read)})
    cpage0 = starts["Contents"]
    for pid, (pno, rect) in contents.places.items():
        if pid in targets:
            page, y = targets[pid]
            out[cpage0 + pno].insert_link(
                {"kind": pymupdf.LINK_GOTO, "from": pymupdf.Rect(rect), "page": page, "to": pymupdf.Point(0, y)}
            )
    in_records = range(starts["Your records"], starts["Your records"] + pages_in_docs)  # banded already
    for i, page in enumerate(out):
        if i not in in_records:
            _band(page, band_text(manifest.reference, i, total))
    out.set_toc(toc)
    out.set_metadata(
        {
            "title": f"Your records ({manifest.reference})",
            "author": str(cfg["authority"]["name"]),
            "subject": "Your records, sent in answer to your request to see them",
            "producer": "sarkit",
            "creator": "sarkit",
        }
    )
    out.xref_set_key(out.pdf_catalog(), "Lang", pymupdf.get_pdf_str(LANG))
    out.xref_set_key(out.pdf_catalog(), "PageMode", "/UseOutlines")
    out.xref_set_key(out.pdf_catalog(), "ViewerPreferences", "<</DisplayDocTitle true>>")
    _fix_ligatures(out)
    out.save(staging / "records.pdf", garbage=1, deflate=True)  # not 3: its cost grows with the square of the pages
    out.close()

    on_screen = {name: fragment(name, False) for name in names}
    write_html(
        staging / "records.html",
        title=f"Your records ({manifest.reference})",
        reference=manifest.reference,
        authority=cfg["authority"],
        fragments=on_screen,
        glossary_html=_glossary_html(entries),
        docs=[(d.anchor, d.title, d.date, d.doc_type, d.pages.html) for d in read],
        css=(templates_dir() / "records.css").read_text("utf-8"),
    )


def _document_pages(
    out: pymupdf.Document, staging: Path, d: _Doc, reference: str, total: int, glossary_page: int
) -> None:
    """Each page of a redacted document on its A4 sheet: the page whole above the band, its notes between."""
    notes: dict[int, list[tuple[str, str]]] = {}
    for pno, head, meaning in d.pages.notes:
        notes.setdefault(pno, []).append((head, meaning))
    bottoms = d.pages.bottoms or [h for _, h in d.pages.sizes]
    with pymupdf.open(staging / d.rec.out_name, filetype="pdf") as src:
        for pno, (w, h) in enumerate(d.pages.sizes):
            where = place_page(w, h, bottoms[pno], notes.get(pno, ()), glossary_page)
            page = out.new_page(width=where.sheet[0], height=where.sheet[1])
            # text first: text inserted after show_pdf_page loses its font resource
            _band(page, band_text(reference, page.number, total))
            _draw_notes(page, where)
            page.show_pdf_page(pymupdf.Rect(where.x, 0, where.x + where.scale * w, where.scale * h), src, pno)


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
