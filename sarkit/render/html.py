"""records.html: the bundle as one self-contained, accessible page.

No JavaScript and nothing fetched: the style sheet is inline and scanned pages are data: URIs.
Landmarks (header, nav, main, footer), a skip link, headings in order, the contents as links,
documents as text with a labelled mark for every removed part (their own headings as headings, their
ruled tables as tables with header cells), glossary terms linked to their meaning, scanned pages as
images followed by a visible transcript of their remaining text in reading order.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .glossary import Hit
from .layout import Block, PageLayout, Table

DocEntry = tuple[str, str, "dt.date | None", str, Path]  # anchor, title, date, type, its section's file


def _esc(s: str) -> str:
    return html.escape(s, quote=True)


def _long_date(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def mark(code: str, reason: str) -> str:
    """A visible, labelled mark for a removed part, announced by screen readers."""
    return (
        f'<mark class="removed" role="img" aria-label="removed: {_esc(reason)}" title="removed: {_esc(reason)}">'
        f"[removed: {_esc(code)}]</mark>"
    )


def _block_html(block: Block, hits: Sequence[Hit], noted: set[str], reasons: Mapping[str, str]) -> str:
    """One block as HTML: words, marks, and a link to the glossary at the first use of each term (hits:
    the glossary's matches in block.text())."""
    _, spans = block.text()
    toks = block.tokens
    starts: dict[int, tuple[int, str, str]] = {}  # first token -> (last token, anchor, meaning)
    for hit in hits:
        key = f"{hit.term.key}-{hit.sense}"
        if key in noted:
            continue
        first = next((i for i, (s, e) in enumerate(spans) if e > hit.start), None)
        last = max((i for i, (s, e) in enumerate(spans) if s < hit.end), default=None)
        if (
            first is None
            or last is None
            or any(first <= j <= last for j in starts)
            or any(a <= first <= b[0] for a, b in starts.items())
        ):
            continue
        noted.add(key)
        starts[first] = (last, key, hit.meaning)
    out: list[str] = []
    i = 0
    while i < len(toks):
        if i in starts:
            last, key, meaning = starts[i]
            words = " ".join(_esc(t.text) for t in toks[i : last + 1])
            inner = f'<abbr title="{_esc(meaning)}">{words}</abbr>' if _is_abbr(words) else words
            out.append(f'<a class="term" href="#g-{key}">{inner}</a>')
            i = last + 1
            continue
        t = toks[i]
        out.append(mark(t.code or "", reasons.get(t.code or "", f"reason {t.code}")) if t.is_mark else _esc(t.text))
        i += 1
    return " ".join(out)


def _is_abbr(words: str) -> bool:
    letters = [c for c in words if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 2 and not any(c.islower() for c in letters)


def document_head(anchor: str, title: str, date: dt.date | None, doc_type: str, pages: int) -> str:
    """The opening of a document's section: its heading and what it is."""
    return "\n".join(
        [
            f'<section class="document" id="{anchor}" aria-labelledby="{anchor}-h">',
            f'<h3 id="{anchor}-h">{_esc(title)}</h3>',
            (
                f'<p class="meta">{_esc(_long_date(date)) if date else "Date not known"} · {_esc(doc_type)} · '
                f"{pages} {'page' if pages == 1 else 'pages'}</p>"
            ),
        ]
    )


def _table_html(table: Table, blocks: Sequence[str]) -> str:
    """A document's table: its header cells as <th> with their scope (an empty header cell stays <td>)."""
    rows = []
    for r, row in enumerate(table.rows):
        cells = []
        for c, cell in enumerate(row):
            inner = blocks[cell.block] if cell.block is not None else ""
            span = f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
            head = (table.headers == "col" and r == 0) or (table.headers == "row" and c == 0)
            if head and inner:
                scope = "col" if table.headers == "col" else "row"
                cells.append(f'<th scope="{scope}"{span}>{inner}</th>')
            else:
                cells.append(f"<td{span}>{inner}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if table.headers == "col" and len(rows) > 1:
        return f"<table><thead>{rows[0]}</thead><tbody>{''.join(rows[1:])}</tbody></table>"
    return f"<table><tbody>{''.join(rows)}</tbody></table>"


def _text_html(
    lay: PageLayout, hits: Sequence[Sequence[Hit]], noted: set[str], reasons: Mapping[str, str]
) -> list[str]:
    """A page's text in reading order: paragraphs, the document's headings (h5, h6) and its tables."""
    inner = [_block_html(b, h, noted, reasons) for b, h in zip(lay.blocks, hits)]
    out = []
    for kind, i in lay.order():
        if kind == "table":
            out.append(_table_html(lay.tables[i], inner))
        elif lay.blocks[i].heading:
            level = 4 + lay.blocks[i].heading
            out.append(f'<h{level} class="in-doc">{inner[i]}</h{level}>')
        else:
            out.append(f"<p>{inner[i]}</p>")
    return out


def page_html(
    title: str,
    pages: int,
    lay: PageLayout,
    hits: Sequence[Sequence[Hit]],
    image: bytes | None,
    noted: set[str],
    reasons: Mapping[str, str],
) -> str:
    """One page of a document: its text with marks and glossary links, or the scan as an image followed by a
    transcript of its remaining text (which the image's alternative text points to). hits: the glossary's
    matches in each block; noted: the terms already linked in this document (updated)."""
    n = lay.index + 1
    parts = [f'<section class="page" aria-label="{_esc(title)}, page {n}"><h4>Page {n} of {pages}</h4>']
    if image is not None:
        data = base64.b64encode(image).decode("ascii")
        removed = f", with {lay.marks} removed {'part' if lay.marks == 1 else 'parts'}" if lay.marks else ""
        has_text = any(b.tokens for b in lay.blocks)
        alt = (
            f"Scanned page {n} of {title}. Its words are written out below it."
            if has_text
            else f"Scanned page {n} of {title}. No words could be read from it."
        )
        parts.append(
            f'<figure><img class="scan" src="data:image/png;base64,{data}" alt="{_esc(alt)}">'
            f"<figcaption>A scanned page{removed}.</figcaption></figure>"
        )
        if has_text:
            parts.append(
                '<div class="transcript"><p class="meta">The words on this scanned page, as a computer read them '
                "(it can get some wrong):</p>"
            )
            parts.extend(_text_html(lay, hits, noted, reasons))
            parts.append("</div>")
    elif not lay.blocks:
        parts.append("<p>This page has no text.</p>")
    else:
        parts.extend(_text_html(lay, hits, noted, reasons))
    parts.append("</section>")
    return "\n".join(parts)


def write_html(
    dest: Path,
    *,
    title: str,
    reference: str,
    authority: Mapping[str, Any],
    fragments: Mapping[str, str],
    glossary_html: str,
    docs: Sequence[DocEntry],
    css: str,
) -> None:
    """Write the whole page to dest; each document's section is copied in from the file its reading wrote
    (DocEntry: anchor, title, date, type, section file), so the page is never held in memory at once."""
    nav = [
        '<li><a href="#letter">A letter to you</a></li>',
        '<li><a href="#before">Before you read</a></li>',
        '<li><a href="#removed">About the removed parts</a></li>',
        '<li><a href="#glossary">Words you may meet in your records</a></li>',
        '<li><a href="#records">Your records</a><ol>',
    ]
    for anchor, dtitle, date, doc_type, _ in docs:
        when = _long_date(date) if date else "date not known"
        nav.append(
            f'<li><a href="#{anchor}">{_esc(dtitle)}</a> <span class="meta">({_esc(when)}, '
            f"{_esc(doc_type)})</span></li>"
        )
    nav.append('</ol></li><li><a href="#own">Your own account</a></li>')
    name = _esc(str(authority.get("name", "")))
    head = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{_esc(title)}</title>
<style>
{css}
</style>
</head>
<body>
<a class="skip" href="#main">Skip to your records</a>
<header>
<p class="meta">{name}</p>
<h1>Your records</h1>
<p class="meta">Reference: {_esc(reference)}</p>
</header>
<nav aria-labelledby="contents-h">
<h2 id="contents-h">Contents</h2>
<ol>
{chr(10).join(nav)}
</ol>
</nav>
<main id="main" tabindex="-1">
{fragments["cover_letter"]}
{fragments["before_you_read"]}
{fragments["removed_parts"]}
{glossary_html}
<section id="records" aria-labelledby="records-h">
<h2 id="records-h">Your records</h2>
<p>Your records are below, in date order. Where we took something out, you will see a grey mark such as
{mark("TP", "about someone else")}.</p>
"""
    tail = f"""</section>
{fragments["own_account"]}
</main>
<footer>
<p>{name}. Reference {_esc(reference)}. Phone {_esc(str(authority.get("phone", "")))}.</p>
</footer>
</body>
</html>
"""
    with open(dest, "w", encoding="utf-8") as out:
        out.write(head)
        for *_, section in docs:
            with open(section, encoding="utf-8") as part:
                shutil.copyfileobj(part, out, 1 << 20)
            out.write("\n")
        out.write(tail)
