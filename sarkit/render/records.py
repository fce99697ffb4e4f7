"""The care leaver's bundle: records.pdf and records.html, built from the redacted documents only.

`build_records` is called once the redacted PDFs are in the staging folder. It reads them back
(never the originals), finds the glossary terms in their remaining text, and writes:

- records.pdf: cover letter, before you read, contents, about the removed parts, words you may meet,
  the documents (each page shown unchanged above a page-number band, a note at the first use of each
  glossary term), your own account; bookmarks, links, title and /Lang en-GB;
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
from pathlib import Path
from typing import Any

import pymupdf

from ..decide.rules import RuleSet
from ..errors import DocumentError
from ..ingest import title_and_date
from ..models import Manifest
from .glossary import Glossary, Hit, Term, load_glossary
from .html import document_head, page_html, write_html
from .layout import PageLayout, Rect, read_page
from .letters import effective_settings, long_date, render, templates_dir

A4 = pymupdf.paper_rect("a4")
BAND = 24.0  # height of the page-number band, in points, below all content
MARGIN = 56.0
BAND_FONT = "helv"
BAND_SIZE = 8.0
BAND_COLOUR = (0.27, 0.27, 0.27)
NOTE_TITLE = "sarkit"
OWN_ACCOUNT_PAGES = 2
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
    redactions: tuple[tuple[int, Rect, str], ...] = ()  # (page, rect in PDF points, reason code) removed
    scanned_pages: tuple[int, ...] = ()


@dataclass
class RecordPages:
    """What records.pdf and records.html need of one redacted document, read once, page by page, by
    `read_record` (in the worker that redacted it, when there are workers). Small: the document's text
    is in its section of records.html, written to a file (`html`), never kept in memory."""

    anchor: str
    html: Path  # this document's section of records.html
    sizes: list[tuple[float, float]] = field(default_factory=list)
    notes: list[tuple[int, float, float, str]] = field(default_factory=list)  # page, x, y, "term: meaning"
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
    of records.html goes to parts/<anchor>.html as each page is read; the page sizes, the notes at the
    first use of each glossary term and the terms used are returned."""
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
            hits = [glossary.find(b.text()[0]) for b in lay.blocks]
            out.entries.update(h.entry for block_hits in hits for h in block_hits)
            out.notes.extend((page.number, x, y, text) for x, y, text in _note_places(lay, hits, pdf_noted))
            image = (
                page.get_pixmap(matrix=pymupdf.Matrix(SCAN_ZOOM, SCAN_ZOOM), annots=False).tobytes("png")
                if scanned
                else None
            )
            fh.write(page_html(title, src.page_count, lay, hits, image, html_noted, reasons) + "\n")
        fh.write("</section>")
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


def _css() -> str:
    return (templates_dir() / "records-pdf.css").read_text(encoding="utf-8")


def _story_pages(fragment: str, positions: list[tuple[int, str, Rect]] | None = None) -> pymupdf.Document:
    """Lay an HTML fragment out on A4 pages, leaving the bottom band empty."""
    story = pymupdf.Story(f"<body>{fragment}</body>", user_css=_css())
    where = pymupdf.Rect(MARGIN, MARGIN * 0.8, A4.width - MARGIN, A4.height - BAND - MARGIN * 0.6)
    buf = io.BytesIO()
    writer = pymupdf.DocumentWriter(buf)
    more, pno = 1, 0
    while more:
        dev = writer.begin_page(A4)
        more, _ = story.place(where)
        if positions is not None:
            story.element_positions(_collect(positions, pno))
        story.draw(dev)
        writer.end_page()
        pno += 1
        if pno > 500:
            break
    writer.close()
    return pymupdf.open("pdf", buf.getvalue())


def _collect(out: list[tuple[int, str, Rect]], pno: int) -> Callable[[Any], None]:
    def cb(pos: Any) -> None:
        if pos.id and str(pos.id).startswith("toc-") and pos.rect[2] > pos.rect[0]:
            out.append((pno, str(pos.id), tuple(pos.rect)))  # type: ignore[arg-type]

    return cb


def _contents_fragment(docs: Sequence[_Doc], starts: Mapping[str, int], total_pages: Mapping[str, int]) -> str:
    esc = htmlmod.escape
    rows = []
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
                f"page {page_range(starts[part], total_pages.get(part, 1)).split(' ')[0]}</p>"
            )
    return (
        '<section id="contents"><h2>Contents</h2>'
        "<p>Your records are listed in date order. The page numbers are at the foot of each page.</p>"
        + "".join(rows)
        + "</section>"
    )


def _link_rects(positions: Sequence[tuple[int, str, Rect]]) -> dict[tuple[int, str], pymupdf.Rect]:
    """One clickable rectangle per contents entry and page (the union of its laid-out pieces)."""
    out: dict[tuple[int, str], pymupdf.Rect] = {}
    for pno, pid, rect in positions:
        key = (pno, pid)
        out[key] = out[key] | pymupdf.Rect(rect) if key in out else pymupdf.Rect(rect)
    return out


def _part_id(part: str) -> str:
    return re.sub(r"[^a-z]+", "-", part.lower()).strip("-")


def _glossary_fragment(entries: Sequence[tuple[Term, int]]) -> str:
    esc = htmlmod.escape
    if not entries:
        return (
            '<section id="glossary"><h2>Words you may meet in your records</h2>'
            "<p>We did not find any special words in your records that need explaining.</p></section>"
        )
    items = "".join(
        f'<dt id="g-{t.key}-{s}"><dfn>{esc(t.term)}</dfn></dt><dd>{esc(t.senses[s].meaning)}</dd>' for t, s in entries
    )
    return (
        '<section id="glossary"><h2>Words you may meet in your records</h2>'
        "<p>People who work in children's services use words and short forms that can be hard to follow. "
        "Here is what the ones in your records mean.</p>"
        f"<dl>{items}</dl></section>"
    )


def _codes(docs: Sequence[RecordDoc], rules: RuleSet) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for d in docs:
        for _, _, code in d.redactions:
            counts[code] = counts.get(code, 0) + 1
    out = []
    known = [c.code for c in rules.codes]
    for code in sorted(counts, key=lambda c: (known.index(c) if c in known else len(known), c)):
        try:
            plain = rules.code(code).plain
        except KeyError:
            plain = "We took this out for a reason the law allows. Please ask us if you want to know more."
        out.append({"code": code, "plain": plain, "count": counts[code], "short": short_reason(plain, code)})
    return out


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
        y = MARGIN + 44
        while y < A4.height - BAND - MARGIN * 0.6:
            page.draw_line((MARGIN, y), (A4.width - MARGIN, y), color=(0.6, 0.6, 0.6), width=0.5)
            y += 26


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


def _note_places(lay: PageLayout, hits: Sequence[Sequence[Hit]], noted: set[str]) -> list[tuple[float, float, str]]:
    """Where a note goes at the first use in this document of each glossary term on this page (noted: the
    terms already noted, updated), and what it says."""
    out: list[tuple[float, float, str]] = []
    used_y: list[float] = []
    lefts = [t.rect[0] for b in lay.blocks for t in b.tokens]
    margin_x = min(lefts, default=0.0) - 20.0  # the icons go in the left margin when there is room
    for block, block_hits in zip(lay.blocks, hits):
        _, spans = block.text()
        toks = block.tokens
        for hit in block_hits:
            key = f"{hit.term.key}-{hit.sense}"
            if key in noted:
                continue
            noted.add(key)
            i = next(i for i, (s, e) in enumerate(spans) if e > hit.start)
            x0, y0, _, _ = toks[i].rect
            x = max(2.0, margin_x) if margin_x >= 2.0 else x0
            y = y0
            while any(abs(y - u) < 12 for u in used_y):
                y += 12
            used_y.append(y)
            out.append((x, y, f"{hit.term.term}: {hit.meaning}"))
    return out


def _place_note(page: pymupdf.Page, x: float, y: float, text: str) -> None:
    annot = page.add_text_annot((x, y), text, icon="Note")
    annot.set_info(title=NOTE_TITLE, content=text)
    annot.set_opacity(0.9)
    annot.update()


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
    requester = manifest.requester or manifest.subject.name
    pages_in_docs = sum(d.page_count for d in read)
    values = {
        "requester": requester,
        "reference": manifest.reference,
        "today": long_date(today),
        "documents": len(read),
        "pages": pages_in_docs,
        "redactions": sum(c["count"] for c in codes),
        "codes": codes,
    }
    fragments = {
        name: render(name, cfg, **values)
        for name in ("cover_letter", "before_you_read", "removed_parts", "own_account")
    }
    glossary_html = _glossary_fragment(entries)

    fixed = {
        "A letter to you": _story_pages(fragments["cover_letter"]),
        "Before you read": _story_pages(fragments["before_you_read"]),
        "About the removed parts": _story_pages(fragments["removed_parts"]),
        "Words you may meet in your records": _story_pages(glossary_html),
        "Your own account": _story_pages(fragments["own_account"]),
    }
    # the contents list depends on where everything starts, which depends on its own length: settle it
    contents_len = 1
    positions: list[tuple[int, str, Rect]] = []
    for _ in range(4):
        starts, lengths, cursor = {}, {}, 0
        for part in PARTS:
            n = (
                contents_len
                if part == "Contents"
                else (pages_in_docs if part == "Your records" else fixed[part].page_count)
            )
            if part == "Your own account":
                n += OWN_ACCOUNT_PAGES
            starts[part], lengths[part] = cursor, n
            if part == "Your records":
                c = cursor
                for d in read:
                    d.first_page = c
                    c += d.page_count
            cursor += n
        positions = []
        contents = _story_pages(_contents_fragment(read, starts, lengths), positions)
        if contents.page_count == contents_len:
            break
        contents_len = contents.page_count
    total = cursor

    out = pymupdf.open()
    banded: set[int] = set()
    toc: list[list[Any]] = []
    for part in PARTS:
        if part == "Your records":
            toc.append([1, part, starts[part] + 1])
            for d in read:
                src = pymupdf.open(staging / d.rec.out_name, filetype="pdf")
                with src:
                    toc.append([2, f"{d.title} ({long_date(d.date)})" if d.date else d.title, d.first_page + 1])
                    notes: dict[int, list[tuple[float, float, str]]] = {}
                    for pno, x, y, text in d.pages.notes:
                        notes.setdefault(pno, []).append((x, y, text))
                    for pno, (w, h) in enumerate(d.pages.sizes):
                        page = out.new_page(width=w, height=h + BAND)
                        # the band first: text inserted after show_pdf_page loses its font resource
                        _band(page, band_text(manifest.reference, page.number, total))
                        banded.add(page.number)
                        page.show_pdf_page(pymupdf.Rect(0, 0, w, h), src, pno)
                        for x, y, text in notes.get(pno, ()):
                            _place_note(page, x, y, text)
            continue
        toc.append([1, part, starts[part] + 1])
        part_doc = contents if part == "Contents" else fixed[part]
        out.insert_pdf(part_doc)
        if part == "Your own account":
            _lined_pages(out, OWN_ACCOUNT_PAGES)
    assert out.page_count == total, (out.page_count, total)

    targets = {f"toc-part-{_part_id(p)}": starts[p] for p in PARTS if p != "Your records"}
    targets["toc-part-records"] = starts["Your records"]
    targets.update({f"toc-doc-{i}": d.first_page for i, d in enumerate(read)})
    cpage0 = starts["Contents"]
    for (pno, pid), rect in _link_rects(positions).items():
        if pid in targets:
            out[cpage0 + pno].insert_link(
                {"kind": pymupdf.LINK_GOTO, "from": rect, "page": targets[pid], "to": pymupdf.Point(0, 0)}
            )
    for i, page in enumerate(out):
        if i not in banded:
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

    write_html(
        staging / "records.html",
        title=f"Your records ({manifest.reference})",
        reference=manifest.reference,
        authority=cfg["authority"],
        fragments=fragments,
        glossary_html=glossary_html,
        docs=[(d.anchor, d.title, d.date, d.doc_type, d.pages.html) for d in read],
        css=(templates_dir() / "records.css").read_text("utf-8"),
    )
