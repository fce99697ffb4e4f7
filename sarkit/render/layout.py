"""Reading an already-redacted page back as blocks, lines and tokens, with a mark where each box was.

Only the redacted PDFs in bundle/documents/ are read here, never the originals, so nothing that was
removed can reach records.pdf or records.html. The reason-code label printed inside a box (or on a tab
beside it) is dropped as a word and comes back as a mark (a Token with a code).

The structure records.html shows is read from the page as it is printed:

- tables: ruled grids (cell borders drawn as lines, thin filled bars or outlined rectangles) become
  tables of cells; the first row is their column headers when it is bold or shaded, else the first
  column is row headers when it is bold, else the first row; a table without rulings is read as text;
- headings: a short block (one or two lines) outside a table, all in bold at about the body size or
  larger, or in a font clearly larger than the page's body text; the larger of two heading sizes is
  level 1, the rest level 2;
- scanned pages: their words are put in reading order by position (rows top to bottom, left to right),
  not by the order the OCR layer was written in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pymupdf

from ..text import normalise

Rect = tuple[float, float, float, float]
MARK_CHAR = "\u00a6"  # stands for a mark in block text, so no glossary term matches across it
TAB_REACH = 5.0  # points between a box and the label on its tab (redact.py)
NEW_LINE_GAP = 0.3  # a box further than this share of the page width from a line starts a line of its own
RULE_THICK = 2.5  # a filled bar thinner than this is a ruling, not a shaded area
SNAP = 1.5  # rulings this close are the same line
HEADING_WORDS = 16  # a heading has at most this many words
HEADING_LARGER = 1.15  # a font this much larger than the body text makes a heading


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # a word; "" for a mark
    rect: Rect
    code: str | None = None  # the reason code of a removed part
    size: float = 0.0  # font size (0: not known, as for OCR)
    bold: bool = False

    @property
    def is_mark(self) -> bool:
        return self.code is not None


@dataclass(frozen=True, slots=True)
class Line:
    tokens: tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class Block:
    lines: tuple[Line, ...]
    heading: int = 0  # 0: a paragraph; 1 or 2: a heading of the document, 1 the larger

    @property
    def tokens(self) -> list[Token]:
        return [t for ln in self.lines for t in ln.tokens]

    def text(self) -> tuple[str, list[tuple[int, int]]]:
        """The block's words joined by spaces (a mark as MARK_CHAR), and each token's (start, end)."""
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        pos = 0
        for t in self.tokens:
            if parts:
                parts.append(" ")
                pos += 1
            s = MARK_CHAR if t.is_mark else t.text
            parts.append(s)
            spans.append((pos, pos + len(s)))
            pos += len(s)
        return "".join(parts), spans


@dataclass(frozen=True, slots=True)
class Cell:
    block: int | None  # index in PageLayout.blocks of the cell's text (None: an empty cell)
    colspan: int = 1


@dataclass(frozen=True, slots=True)
class Table:
    rect: Rect
    rows: tuple[tuple[Cell, ...], ...]
    headers: str = "col"  # "col": the first row heads the columns; "row": the first column heads the rows


@dataclass(frozen=True, slots=True)
class PageLayout:
    index: int
    width: float
    height: float
    blocks: tuple[Block, ...]
    scanned: bool = False
    tables: tuple[Table, ...] = ()
    # reading order: ("block", i) for a block outside tables, ("table", j) for a table; empty: the blocks
    flow: tuple[tuple[str, int], ...] = ()

    @property
    def marks(self) -> int:
        return sum(1 for b in self.blocks for t in b.tokens if t.is_mark)

    def order(self) -> tuple[tuple[str, int], ...]:
        return self.flow or tuple(("block", i) for i in range(len(self.blocks)))


# ---------------------------------------------------------------- small geometry


def _centre_in(word: Rect, rect: Rect, slack: float = 1.0) -> bool:
    cx, cy = (word[0] + word[2]) / 2, (word[1] + word[3]) / 2
    return rect[0] - slack <= cx <= rect[2] + slack and rect[1] - slack <= cy <= rect[3] + slack


def _beside(word: Rect, code: str, removed: Sequence[tuple[Rect, str]], reach: float = TAB_REACH) -> bool:
    """The word lies on a tab touching a removed box of this code (redact.py puts a label there)."""
    return any(
        c == code
        and word[0] < r[2] + reach
        and r[0] - reach < word[2]
        and word[1] < r[3] + reach
        and r[1] - reach < word[3]
        for r, c in removed
    )


def _bbox(rects: Sequence[Rect]) -> Rect:
    return (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects))


def _v_overlap(a: Rect, b: Rect) -> float:
    inter = min(a[3], b[3]) - max(a[1], b[1])
    return inter / max(1e-6, min(a[3] - a[1], b[3] - b[1]))


def _h_gap(a: Rect, b: Rect) -> float:
    return max(0.0, max(a[0], b[0]) - min(a[2], b[2]))


# ---------------------------------------------------------------- tables from rulings

Segment = tuple[
    float, float, float
]  # (position, start, end): y, x0, x1 of a horizontal ruling; x, y0, y1 of a vertical


@dataclass(frozen=True, slots=True)
class Grid:
    """A ruled table as drawn: its column and row rulings, the vertical rulings, and the shaded areas."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    verticals: tuple[Segment, ...]
    shaded: tuple[Rect, ...] = ()

    @property
    def rect(self) -> Rect:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def cells(self) -> list[list[tuple[Rect, int]]]:
        """Each row's cells (rect, columns spanned): a column ruling missing in a row merges two cells."""
        rows = []
        for y0, y1 in zip(self.ys, self.ys[1:]):
            mid = (y0 + y1) / 2
            cuts = [self.xs[0]]
            for x in self.xs[1:-1]:
                if any(abs(v[0] - x) <= SNAP and v[1] - SNAP <= mid <= v[2] + SNAP for v in self.verticals):
                    cuts.append(x)
            cuts.append(self.xs[-1])
            row = []
            for a, b in zip(cuts, cuts[1:]):
                span = sum(1 for x in self.xs[:-1] if a - SNAP <= x < b - SNAP)
                row.append(((a, y0, b, y1), max(1, span)))
            rows.append(row)
        return rows


def _segments(drawings: Iterable[dict]) -> tuple[list[Segment], list[Segment], list[Rect]]:
    """Horizontal and vertical rulings, and shaded areas, from PyMuPDF's (c)drawings of a page."""
    hs: list[Segment] = []
    vs: list[Segment] = []
    shaded: list[Rect] = []

    def line(x0: float, y0: float, x1: float, y1: float) -> None:
        if abs(y1 - y0) <= 1.0 and abs(x1 - x0) > 3:
            hs.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= 1.0 and abs(y1 - y0) > 3:
            vs.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))

    for d in drawings:
        kind = str(d.get("type") or "")
        for item in d.get("items") or ():
            if item[0] == "l":
                (x0, y0), (x1, y1) = item[1], item[2]
                if "s" in kind:
                    line(x0, y0, x1, y1)
            elif item[0] == "re":
                x0, y0, x1, y1 = item[1]
                x0, x1 = min(x0, x1), max(x0, x1)
                y0, y1 = min(y0, y1), max(y0, y1)
                if "s" in kind:
                    for seg in ((x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)):
                        line(*seg)
                if "f" in kind:
                    if y1 - y0 <= RULE_THICK and x1 - x0 > 3:
                        line(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)
                    elif x1 - x0 <= RULE_THICK and y1 - y0 > 3:
                        line((x0 + x1) / 2, y0, (x0 + x1) / 2, y1)
                    elif "s" in kind:
                        shaded.append((x0, y0, x1, y1))  # a shaded cell (a bare filled area may be a redaction)
    return hs, vs, shaded


def _merge(segs: list[Segment]) -> list[Segment]:
    """Rulings on one line that touch or overlap become one."""
    out: list[list[float]] = []
    for pos, a, b in sorted(segs):
        for o in out:
            if abs(o[0] - pos) <= SNAP and a <= o[2] + SNAP and o[1] <= b + SNAP:
                o[1], o[2] = min(o[1], a), max(o[2], b)
                break
        else:
            out.append([pos, a, b])
    return [(o[0], o[1], o[2]) for o in out]


def _levels(values: Iterable[float]) -> tuple[float, ...]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return tuple(out)


def find_grids(drawings: Iterable[dict]) -> list[Grid]:
    """Ruled tables: groups of crossing horizontal and vertical rulings with at least two rows and columns."""
    hs_raw, vs_raw, shaded = _segments(drawings)
    if not hs_raw or not vs_raw:
        return []
    hs, vs = _merge(hs_raw), _merge(vs_raw)
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(hs):
        for j, (x, y0, y1) in enumerate(vs):
            if x0 - SNAP <= x <= x1 + SNAP and y0 - SNAP <= y <= y1 + SNAP:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    grids = []
    for g_hs, g_vs in groups.values():
        ys, xs = _levels(h[0] for h in g_hs), _levels(v[0] for v in g_vs)
        if len(ys) < 3 or len(xs) < 3:  # at least two rows and two columns
            continue
        if xs[-1] - xs[0] < 30 or ys[-1] - ys[0] < 8:
            continue
        rect = (xs[0], ys[0], xs[-1], ys[-1])
        inside = tuple(s for s in shaded if _centre_in(s, rect))
        grids.append(Grid(xs, ys, tuple(g_vs), inside))
    grids.sort(key=lambda g: (g.ys[0], g.xs[0]))
    return grids


# ---------------------------------------------------------------- words in reading order


def _rows_by_position(
    words: Sequence[tuple[float, float, float, float, str, int, int]],
) -> list[tuple[float, float, float, float, str, int, int]]:
    """Words re-keyed into rows by where they are (for OCR, whose own order can be scrambled): a row is the
    words whose middles share a height, read left to right; a new block starts after a wide gap between rows
    (more than the row's height)."""
    items = sorted(words, key=lambda w: ((w[1] + w[3]) / 2, w[0]))
    rows: list[list[tuple[float, float, float, float, str, int, int]]] = []
    for w in items:
        mid, h = (w[1] + w[3]) / 2, max(1.0, w[3] - w[1])
        if rows:
            last = rows[-1]
            lmid = sum((x[1] + x[3]) / 2 for x in last) / len(last)
            lh = max(1.0, sum(x[3] - x[1] for x in last) / len(last))
            if abs(mid - lmid) <= 0.5 * min(h, lh):
                last.append(w)
                continue
        rows.append([w])
    out = []
    block, prev_bottom, prev_h = 0, None, 0.0
    for i, row in enumerate(rows):
        top = min(x[1] for x in row)
        h = max(1.0, sum(x[3] - x[1] for x in row) / len(row))
        if prev_bottom is not None and top - prev_bottom > max(h, prev_h):
            block += 1
        for x in sorted(row, key=lambda x: x[0]):
            out.append((x[0], x[1], x[2], x[3], x[4], block, i))
        prev_bottom, prev_h = max(x[3] for x in row), h
    return out


Style = tuple[float, bool]  # font size, bold


def layout_from_words(
    index: int,
    width: float,
    height: float,
    words: Sequence[tuple[float, float, float, float, str, int, int]],
    removed: Sequence[tuple[Rect, str]],
    scanned: bool = False,
    styles: Sequence[Style] | None = None,
    grids: Sequence[Grid] = (),
) -> PageLayout:
    """Blocks in reading order from PyMuPDF-style words (x0, y0, x1, y1, text, block, line) and removed boxes.

    styles: each word's font size and boldness (for headings and header cells); grids: the page's ruled
    tables (find_grids). A scanned page's words are put in order by position (_rows_by_position)."""
    if scanned:
        words = _rows_by_position(words)
        styles = None
    lines: dict[tuple[int, int], list[Token]] = {}
    rows: dict[int, list[Rect]] = {}  # removed boxes by 10-point band of the page, so each word tests a few
    for r, _ in removed:
        for band in range(int((r[1] - 1.0) // 10), int((r[3] + 1.0) // 10) + 1):
            rows.setdefault(band, []).append(r)
    codes = {c for _, c in removed}
    for n, w in enumerate(words):
        rect = (float(w[0]), float(w[1]), float(w[2]), float(w[3]))
        near = rows.get(int(((rect[1] + rect[3]) / 2) // 10), ())
        if any(_centre_in(rect, r) for r in near):
            continue  # the reason code printed in a box, or a remnant under it
        if str(w[4]) in codes and _beside(rect, str(w[4]), removed):
            continue  # the reason code printed on a tab beside a box too small for it
        text = normalise(str(w[4])).strip()
        if text:
            size, bold = styles[n] if styles else (0.0, False)
            lines.setdefault((int(w[5]), int(w[6])), []).append(Token(text, rect, None, size, bold))
    boxes = {k: _bbox([t.rect for t in toks]) for k, toks in lines.items()}
    extra_block = max((k[0] for k in lines), default=0) + 1
    for rect, code in removed:
        best, best_gap = None, None
        for k, lb in boxes.items():
            if _v_overlap(lb, rect) < 0.5:
                continue
            gap = _h_gap(lb, rect)
            if gap <= NEW_LINE_GAP * width and (best_gap is None or gap < best_gap):
                best, best_gap = k, gap
        if best is None:
            best = (extra_block, 0)
            extra_block += 1
            lines[best] = []
            boxes[best] = rect
        lines[best].append(Token("", rect, code))

    body = _body_size(lines.values())
    # a grid is a table only when a word is in it (boxes drawn around removed parts are no table)
    grids = [
        g
        for g in grids
        if any(_centre_in(t.rect, g.rect, 0.0) for toks in lines.values() for t in toks if not t.is_mark)
    ]
    # tokens inside a table's cells leave their lines for the cells
    cell_rects = [g.cells() for g in grids]
    in_cells: dict[tuple[int, int, int], dict[tuple[int, int], list[Token]]] = {}
    if grids:
        for key in list(lines):
            keep = []
            for t in lines[key]:
                where = _cell_of(t.rect, grids, cell_rects)
                if where is None:
                    keep.append(t)
                else:
                    in_cells.setdefault(where, {}).setdefault(key, []).append(t)
            if keep:
                lines[key] = keep
                boxes[key] = _bbox([t.rect for t in keep])
            else:
                del lines[key], boxes[key]

    by_block: dict[int, list[tuple[int, int]]] = {}
    for k in lines:
        by_block.setdefault(k[0], []).append(k)
    placed: list[tuple[Rect, str, Block | int]] = []  # (where, kind, block or table index)
    for keys in by_block.values():
        keys.sort(key=lambda k: (round(boxes[k][1]), boxes[k][0]))
        blk = Block(tuple(Line(tuple(sorted(lines[k], key=lambda t: t.rect[0]))) for k in keys))
        placed.append((_bbox([boxes[k] for k in keys]), "block", blk))
    for j, g in enumerate(grids):
        placed.append((g.rect, "table", j))
    placed.sort(key=lambda p: (round(p[0][1]), p[0][0]))

    blocks: list[Block] = []
    tables: list[Table] = []
    flow: list[tuple[str, int]] = []
    for _, kind, item in placed:
        if kind == "block":
            assert isinstance(item, Block)
            flow.append(("block", len(blocks)))
            blocks.append(Block(item.lines, _heading(item, body)))
            continue
        assert isinstance(item, int)
        flow.append(("table", len(tables)))
        tables.append(_table(grids[item], cell_rects[item], item, in_cells, blocks))
    headings = sorted({round(_block_size(b), 1) for b in blocks if b.heading}, reverse=True)
    if len(headings) > 1:  # the largest heading size is level 1, every other level 2
        top = headings[0]
        blocks = [Block(b.lines, 1 if round(_block_size(b), 1) >= top else 2) if b.heading else b for b in blocks]
    return PageLayout(index, width, height, tuple(blocks), scanned, tuple(tables), tuple(flow))


def _cell_of(
    rect: Rect, grids: Sequence[Grid], cell_rects: Sequence[list[list[tuple[Rect, int]]]]
) -> tuple[int, int, int] | None:
    cx, cy = (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2
    for j, g in enumerate(grids):
        x0, y0, x1, y1 = g.rect
        if not (x0 <= cx <= x1 and y0 <= cy <= y1):
            continue
        for r, row in enumerate(cell_rects[j]):
            for c, (cr, _) in enumerate(row):
                if cr[0] <= cx <= cr[2] and cr[1] <= cy <= cr[3]:
                    return (j, r, c)
    return None


def _table(
    grid: Grid,
    cells: list[list[tuple[Rect, int]]],
    j: int,
    in_cells: dict[tuple[int, int, int], dict[tuple[int, int], list[Token]]],
    blocks: list[Block],
) -> Table:
    """The table of grid j, its cells' text appended to blocks."""
    rows: list[tuple[Cell, ...]] = []
    for r, row in enumerate(cells):
        out = []
        for c, (_, span) in enumerate(row):
            got = in_cells.get((j, r, c))
            if not got:
                out.append(Cell(None, span))
                continue
            keys = sorted(got, key=lambda k: (round(min(t.rect[1] for t in got[k])), min(t.rect[0] for t in got[k])))
            blk = Block(tuple(Line(tuple(sorted(got[k], key=lambda t: t.rect[0]))) for k in keys))
            out.append(Cell(len(blocks), span))
            blocks.append(blk)
        rows.append(tuple(out))
    return Table(grid.rect, tuple(rows), _headers(grid, cells, rows, blocks))


def _all_bold(cells: Iterable[Cell], blocks: Sequence[Block]) -> bool:
    words = [t for c in cells if c.block is not None for t in blocks[c.block].tokens if not t.is_mark]
    return bool(words) and all(t.bold for t in words)


def _headers(grid: Grid, cells: list[list[tuple[Rect, int]]], rows: list[tuple[Cell, ...]], blocks: list[Block]) -> str:
    """Which cells head the table: "col" (the first row) or "row" (the first column)."""
    if len(rows) < 2:
        return "col"
    first_row = rows[0]
    if _all_bold(first_row, blocks) and not _all_bold([c for row in rows[1:] for c in row], blocks):
        return "col"
    shaded_first = all(any(_centre_in(s, rect) for s in grid.shaded) for rect, _ in cells[0]) if grid.shaded else False
    if shaded_first:
        return "col"
    first_col = [row[0] for row in rows if row]
    rest = [c for row in rows for c in row[1:]]
    if _all_bold(first_col, blocks) and not _all_bold(rest, blocks):
        return "row"
    if max(len(row) for row in rows) == 2 and len(rows) >= 3:
        return "row"  # a form of labels and values
    return "col"


def _block_size(block: Block) -> float:
    sizes = [t.size for t in block.tokens if not t.is_mark and t.size]
    return max(sizes, default=0.0)


def _body_size(lines: Iterable[list[Token]]) -> float:
    """The font size most of the page's letters are in."""
    counts: Counter[float] = Counter()
    for toks in lines:
        for t in toks:
            if t.size and not t.is_mark:
                counts[round(t.size, 1)] += len(t.text)
    return counts.most_common(1)[0][0] if counts else 0.0


def _heading(block: Block, body: float) -> int:
    """1 when the block reads as a heading (see the module docstring), else 0; levels are set afterwards."""
    words = [t for t in block.tokens if not t.is_mark]
    if not body or not words or len(block.lines) > 2 or len(words) > HEADING_WORDS:
        return 0
    if sum(ch.isalpha() for t in words for ch in t.text) < 2:
        return 0
    size = _block_size(block)
    bold = all(t.bold for t in words)
    if size >= body * HEADING_LARGER or (bold and size >= body * 0.95):
        return 1
    return 0


# ---------------------------------------------------------------- reading a page


def _word_styles(tp: pymupdf.TextPage, words: Sequence[Sequence]) -> list[Style]:
    """Each word's font size and boldness, from the spans of its line (words and spans share a text page)."""
    blocks = tp.extractDICT()["blocks"]
    out: list[Style] = []
    for w in words:
        style: Style = (0.0, False)
        b, ln = int(w[5]), int(w[6])
        if b < len(blocks) and blocks[b].get("type") == 0 and ln < len(blocks[b]["lines"]):
            cx = (w[0] + w[2]) / 2
            for span in blocks[b]["lines"][ln]["spans"]:
                x0, _, x1, _ = span["bbox"]
                if x0 - 0.5 <= cx <= x1 + 0.5:
                    font = str(span.get("font") or "")
                    bold = bool(span["flags"] & 16) or any(k in font for k in ("Bold", "Black", "Heavy", "Semibold"))
                    style = (float(span["size"]), bold)
                    break
        out.append(style)
    return out


def read_page(page: pymupdf.Page, removed: Sequence[tuple[Rect, str]], scanned: bool = False) -> PageLayout:
    """The layout of one page of a redacted PDF (its remaining text or OCR layer), with its tables and
    headings when it is not a scan."""
    tp = page.get_textpage()
    words = tp.extractWORDS()
    raw = [w[:7] for w in words]
    if scanned:
        return layout_from_words(page.number, page.rect.width, page.rect.height, raw, removed, True)
    styles = _word_styles(tp, words)
    grids = find_grids(page.get_cdrawings()) if words else []
    return layout_from_words(page.number, page.rect.width, page.rect.height, raw, removed, False, styles, grids)
