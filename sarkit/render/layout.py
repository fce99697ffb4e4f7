"""Reading an already-redacted page back as blocks, lines and tokens, with a mark where each box was.

Only the redacted PDFs in bundle/documents/ are read here, never the originals, so nothing that was
removed can reach records.pdf or records.html. The reason-code label printed inside a box is dropped
as a word and comes back as a mark (a Token with a code).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pymupdf

from ..text import normalise

Rect = tuple[float, float, float, float]
MARK_CHAR = "\u00a6"  # stands for a mark in block text, so no glossary term matches across it
TAB_REACH = 3.0  # points between a box and the label on its tab (redact.py)
NEW_LINE_GAP = 0.3  # a box further than this share of the page width from a line starts a line of its own


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # a word; "" for a mark
    rect: Rect
    code: str | None = None  # the reason code of a removed part

    @property
    def is_mark(self) -> bool:
        return self.code is not None


@dataclass(frozen=True, slots=True)
class Line:
    tokens: tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class Block:
    lines: tuple[Line, ...]

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
class PageLayout:
    index: int
    width: float
    height: float
    blocks: tuple[Block, ...]
    scanned: bool = False

    @property
    def marks(self) -> int:
        return sum(1 for b in self.blocks for t in b.tokens if t.is_mark)


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


def layout_from_words(
    index: int,
    width: float,
    height: float,
    words: Sequence[tuple[float, float, float, float, str, int, int]],
    removed: Sequence[tuple[Rect, str]],
    scanned: bool = False,
) -> PageLayout:
    """Blocks in reading order from PyMuPDF-style words (x0, y0, x1, y1, text, block, line) and removed boxes."""
    lines: dict[tuple[int, int], list[Token]] = {}
    rows: dict[int, list[Rect]] = {}  # removed boxes by 10-point band of the page, so each word tests a few
    for r, _ in removed:
        for band in range(int((r[1] - 1.0) // 10), int((r[3] + 1.0) // 10) + 1):
            rows.setdefault(band, []).append(r)
    codes = {c for _, c in removed}
    for w in words:
        rect = (float(w[0]), float(w[1]), float(w[2]), float(w[3]))
        near = rows.get(int(((rect[1] + rect[3]) / 2) // 10), ())
        if any(_centre_in(rect, r) for r in near):
            continue  # the reason code printed in a box, or a remnant under it
        if str(w[4]) in codes and _beside(rect, str(w[4]), removed):
            continue  # the reason code printed on a tab beside a box too small for it
        text = normalise(str(w[4])).strip()
        if text:
            lines.setdefault((int(w[5]), int(w[6])), []).append(Token(text, rect))
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
    by_block: dict[int, list[tuple[int, int]]] = {}
    for k in lines:
        by_block.setdefault(k[0], []).append(k)
    blocks = []
    for keys in by_block.values():
        keys.sort(key=lambda k: (round(boxes[k][1]), boxes[k][0]))
        blk = Block(tuple(Line(tuple(sorted(lines[k], key=lambda t: t.rect[0]))) for k in keys))
        blocks.append((_bbox([boxes[k] for k in keys]), blk))
    blocks.sort(key=lambda b: (round(b[0][1]), b[0][0]))
    return PageLayout(index, width, height, tuple(b for _, b in blocks), scanned)


def read_page(page: pymupdf.Page, removed: Sequence[tuple[Rect, str]], scanned: bool = False) -> PageLayout:
    """The layout of one page of a redacted PDF (its remaining text or OCR layer)."""
    words = page.get_text("words")
    return layout_from_words(page.number, page.rect.width, page.rect.height, [w[:7] for w in words], removed, scanned)
