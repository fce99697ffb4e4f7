"""records.pdf's own pages, laid out by WeasyPrint as tagged PDF (PDF/UA-1).

The letter, "Before you read", the contents, the guide to the removed parts and the glossary, and the
own-account pages are one HTML page (the same fragments records.html shows, in their paper wording),
laid out on A4 with the room for the page-number band left empty at the foot. WeasyPrint writes the
structure tree (headings, paragraphs, lists, tables, links, the document's title and language), so a
screen reader can follow these pages. Each page of the records has an empty page here (`sheets`), so
the layout numbers every page, the contents' too (CSS target-counter); records.py draws the records on
them and tagged.py adds them to the structure tree. A glossary entry never splits over two pages, nor does
a heading leave what follows it.

WeasyPrint is imported only when a bundle is built (it takes about half a second).
"""

from __future__ import annotations

import html as htmlmod
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import SarkitError
from .letters import templates_dir
from .paper import A4, BAND

PX = 0.75  # points in a CSS pixel
MARGIN = 56.0
TOP = MARGIN * 0.8
BOTTOM = BAND + MARGIN * 0.6
RECORDS_TARGET = "records"  # the id of the records' first page
LINED_PAGES = 1  # pages of lines to write on after the own-account page


def page_css() -> str:
    """The style sheet of records.pdf's own pages: records-pdf.css on A4 with the band's room kept free."""
    css = (templates_dir() / "records-pdf.css").read_text(encoding="utf-8")
    return (
        f"@page {{ size: {A4[0]}pt {A4[1]}pt; margin: {TOP}pt {MARGIN}pt {BOTTOM}pt {MARGIN}pt; }}\n"
        + css
        + f"\n@page landscape {{ size: {A4[1]}pt {A4[0]}pt; }}\n"
        "section#before, section#contents, section#removed, section#own, section.lined, div.sheet"
        " { break-before: page; }\n"
        "div.sheet { height: 1pt; } div.sheet.landscape { page: landscape; }\n"
        "a.toc::after { content: ' · page ' target-counter(attr(href), page); }\n"
        "a.pg::after { content: target-counter(attr(href), page); }\n"
        "h1, h2, h3, dt { break-after: avoid; }\n"
        "div.entry, li, tr, address, p.sign { break-inside: avoid; }\n"
    )


@dataclass
class Laid:
    """The own pages as laid out: the PDF, its page count, and the page (zero-based) of each element id asked for."""

    pdf: bytes
    pages: int
    at: dict[str, tuple[int, float]]  # id -> (page, y in points from the top)


def lay_out(body: str, title: str, ids: Callable[[str], bool]) -> Laid:
    """Lay the HTML body out as tagged PDF; where each wanted element id landed."""
    try:
        import weasyprint  # noqa: PLC0415 - heavy: only when a bundle is built
    except (ImportError, OSError):  # OSError: the Pango library is missing
        raise SarkitError(
            "records.pdf is laid out with WeasyPrint, which needs the Pango library: install Debian's "
            "libpango-1.0-0 and libpangoft2-1.0-0 (make install-test does), then run sarkit bundle again."
        ) from None

    page = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{htmlmod.escape(title)}</title><style>{page_css()}</style></head>"
        f"<body>{body}</body></html>"
    )
    document = weasyprint.HTML(string=page, base_url=str(templates_dir())).render()
    at: dict[str, tuple[int, float]] = {}
    for i, p in enumerate(document.pages):
        for key, (_, y, *_rest) in p.anchors.items():
            if ids(key) and key not in at:
                at[key] = (i, y * PX)
    return Laid(document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages), at)


def sheets(pages: list[tuple[str, bool]]) -> str:
    """An empty page for each page of the records, (id, landscape) each, where records.py draws it: so every
    page number, in the contents too, is counted by the layout itself."""
    inner = "".join(f'<div class="sheet{" landscape" if wide else ""}" id="{key}"></div>' for key, wide in pages)
    return f'<div id="{RECORDS_TARGET}" class="records">{inner}</div>'


def lined_page() -> str:
    """A page of lines to write on: empty boxes with a bottom border (no content for a screen reader), drawn as
    lines, not as a background image, which verify would have to read by OCR (sarkit.verify.readings)."""
    rules = '<div class="rule"></div>' * LINES_ON_PAGE
    return (
        '<section class="lined" aria-label="Lines to write on">'
        f'<p class="lined-head">Your own account (you can write here)</p><div class="lines">{rules}</div></section>'
    )


LINES_ON_PAGE = 26  # 26 pt apart


def glossary_section(entries: list[tuple[str, str, str]], intro: str, notes: str) -> str:
    """The glossary for paper: (anchor id, heading, meaning) of each entry, each kept on one page."""
    head = '<h2 id="glossary-h">Words you may meet in your records</h2>'
    if not entries:
        body = "<p>We did not find any special words in your records that need explaining.</p>"
    else:
        items = "".join(
            f'<div class="entry"><dt id="{key}"><dfn>{htmlmod.escape(h)}</dfn></dt><dd>{htmlmod.escape(m)}</dd></div>'
            for key, h, m in entries
        )
        body = f"<p>{intro}</p><p>{notes}</p><dl>{items}</dl>"
    return f'<section id="glossary" aria-labelledby="glossary-h">{head}{body}</section>'


def contents_section(rows: list[str]) -> str:
    return '<section id="contents" aria-labelledby="contents-h">' + "".join(rows) + "</section>"
