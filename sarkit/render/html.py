"""records.html: the bundle as one self-contained, accessible page.

No JavaScript and nothing fetched: the style sheet is inline and scanned pages are data: URIs.
Landmarks (header, nav, main, footer), a skip link, headings in order, the contents as links,
documents as text with a labelled mark for every removed part, glossary terms linked to their
meaning, scanned pages as images whose alternative text is their remaining text.
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
from .layout import MARK_CHAR, Block, PageLayout

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


def alt_text(layout: PageLayout, reasons: Mapping[str, str]) -> str:
    """The remaining text of a scanned page, with its removed parts named, for an image's alt text."""
    lines = []
    for block in layout.blocks:
        text, _ = block.text()
        for code in [t.code for t in block.tokens if t.is_mark]:
            text = text.replace(MARK_CHAR, f"[removed: {reasons.get(code or '', 'a part')}]", 1)
        lines.append(text)
    body = " ".join(lines).strip()
    return f"Scanned page. Its text reads: {body}" if body else "Scanned page. No text could be read from it."


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


def page_html(
    title: str,
    pages: int,
    lay: PageLayout,
    hits: Sequence[Sequence[Hit]],
    image: bytes | None,
    noted: set[str],
    reasons: Mapping[str, str],
) -> str:
    """One page of a document: its text with marks and glossary links, or the scan as an image whose
    alternative text is its remaining text. hits: the glossary's matches in each block; noted: the terms
    already linked in this document (updated)."""
    n = lay.index + 1
    parts = [f'<section class="page" aria-label="{_esc(title)}, page {n}"><h4>Page {n} of {pages}</h4>']
    if image is not None:
        data = base64.b64encode(image).decode("ascii")
        removed = f", with {lay.marks} removed {'part' if lay.marks == 1 else 'parts'}" if lay.marks else ""
        parts.append(
            f'<figure><img class="scan" src="data:image/png;base64,{data}" '
            f'alt="{_esc(alt_text(lay, reasons))}"><figcaption>A scanned page{removed}.</figcaption>'
            "</figure>"
        )
        for block_hits in hits:  # terms on scans still count as first uses for the links that follow
            for hit in block_hits:
                noted.add(f"{hit.term.key}-{hit.sense}")
    elif not lay.blocks:
        parts.append("<p>This page has no text.</p>")
    else:
        parts.extend(f"<p>{_block_html(b, h, noted, reasons)}</p>" for b, h in zip(lay.blocks, hits))
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
