"""The page as context: sentences, clauses, blocks and visual rows of a PageText.

Attribution of a contact detail or identifier to a person looks, in order, at the clause,
the sentence, the table row (words on the same visual line across cells), the block and a
labelled form row above. Everything is computed once per page.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from ..text import PageText

# a sentence ends at a full stop (or ! ?, and the quotes and brackets closing after it), a blank line, or before a
# line opening with a bullet or a number: `[.!?]["')\]]*(?=\s)|\n\s*\n|\n(?=\s*(?:[-\u2022*]|\d+[.)])\s)`, written
# to open with the class of its first characters, so re passes straight to them (the branches after it are those
# of the character found, in the same order)
_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=[.!?])[\"')\]]*(?=\s)|(?<=\n)(?:\s*\n|(?=\s*(?:[-\u2022*]|\d+[.)])\s)))")
_BLOCK_END = re.compile(r"\n\s*\n")
# a line of an e-mail's header ("From: ...", "Subject: FW: Reuben") is a sentence of its own: the message under it
# is no continuation of it (its line has no full stop to end it)
_HEADER_LINE = re.compile(r"\n[ \t]*(?:From|Sent|To|Cc|CC|Bcc|Subject|Date|Sender|Sent by)[ \t]*:[^\n]*(?=\n)")
_HEADER_LABELS = re.compile(r"(?:From|Sent|To|Cc|CC|Bcc|Subject|Date|Sender)[ \t]*:")
_CLAUSE_END = re.compile(r"[,;:]\s|\s(?:and|but|while|whereas|although|because|so|or)\s|[()]")


def _spans(text: str, rx: re.Pattern[str]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for m in rx.finditer(text):
        out.append((pos, m.end()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


def _header_lines(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences cut before and after each line of an e-mail's header (`_HEADER_LINE`)."""
    if not _HEADER_LABELS.search(text):
        return sentences
    cuts: set[int] = set()
    for m in _HEADER_LINE.finditer("\n" + text):  # (a newline put before the text: offsets one on)
        cuts.add(m.start())  # the line's start (the newline before it, one on)
        cuts.add(m.end() - 1)  # its end
    cuts.discard(0)
    if not cuts:
        return sentences
    out: list[tuple[int, int]] = []
    for a, b in sentences:
        inner = sorted(c for c in cuts if a < c < b)
        for c in inner:
            out.append((a, c))
            a = c
        out.append((a, b))
    return out


@dataclass(slots=True)
class PageContext:
    pt: PageText
    sentences: list[tuple[int, int]]
    sentence_starts: list[int]
    blocks: list[tuple[int, int]]
    block_starts: list[int]
    row_of_word: list[int]  # visual row index of each word
    rows: list[list[int]]  # word indices of each visual row, left to right

    @classmethod
    def build(cls, pt: PageText) -> PageContext:
        sentences = _spans(pt.text, _SENTENCE_END)
        if ":" in pt.text:
            sentences = _header_lines(pt.text, sentences)
        blocks = _spans(pt.text, _BLOCK_END)
        row_of_word, rows = _visual_rows(pt)
        return cls(pt, sentences, [s for s, _ in sentences], blocks, [s for s, _ in blocks], row_of_word, rows)

    def sentence(self, offset: int) -> tuple[int, int]:
        return self.sentences[max(0, bisect.bisect_right(self.sentence_starts, offset) - 1)]

    def block(self, offset: int) -> tuple[int, int]:
        return self.blocks[max(0, bisect.bisect_right(self.block_starts, offset) - 1)]

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The clause around [start, end): bounded by commas, conjunctions, brackets, within the sentence."""
        s0, s1 = self.sentence(start)
        left = s0
        for m in _CLAUSE_END.finditer(self.pt.text, s0, start):
            left = m.end()
        m2 = _CLAUSE_END.search(self.pt.text, end, s1)
        right = m2.start() if m2 else s1
        return left, max(right, end)

    def row(self, start: int, end: int) -> int:
        """Visual row of the span (-1 when the span holds no word)."""
        i = self.pt.first_word_in(start, end)
        return self.row_of_word[i] if i >= 0 else -1

    def row_span_words(self, row: int) -> list[int]:
        return self.rows[row] if 0 <= row < len(self.rows) else []


def _visual_rows(pt: PageText) -> tuple[list[int], list[list[int]]]:
    """Group words whose vertical centres fall within each other's height: one table row or text line.

    On a scanned page the rows are the OCR's lines (text.Word.line: a label cell and its value read as one
    line), so a line the scan shows at a slant stays one row; lines of cells side by side whose heights overlap
    by half the height of a word are one row too."""
    words = pt.words
    if words and all(w.ocr for w in words):
        return _ocr_rows(pt)
    n = len(words)
    mids = [(w.y0 + w.y1) / 2 for w in words]
    xs = [w.x0 for w in words]
    # by middle, then left edge, then index: what a stable sort of the indices by (middle, left edge) gives
    order = [i for _, _, i in sorted(zip(mids, xs, range(n)))]
    row_of = [-1] * n
    rows: list[list[int]] = []
    cur: list[int] = []
    cur_mid = cur_h = 0.0
    x_of = xs.__getitem__
    for i in order:
        w = words[i]
        mid = mids[i]
        h = w.y1 - w.y0
        if 1.0 > h:  # (max(h, 1.0), max(h, cur_h) below: without a call of max for each word)
            h = 1.0
        if cur:
            if abs(mid - cur_mid) <= 0.45 * (cur_h if cur_h > h else h):
                cur.append(i)
                continue
            rows.append(sorted(cur, key=x_of))
        cur, cur_mid, cur_h = [i], mid, h
    if cur:
        rows.append(sorted(cur, key=x_of))
    for r, ws in enumerate(rows):
        for i in ws:
            row_of[i] = r
    return row_of, rows


def _ocr_rows(pt: PageText) -> tuple[list[int], list[list[int]]]:
    words = pt.words
    lines: dict[int, list[int]] = {}
    for i, w in enumerate(words):
        lines.setdefault(w.line, []).append(i)
    # each line: [top, bottom, left, right, median word height, word indices], in order of their middles
    groups: list[list[Any]] = []
    for idx in lines.values():
        hs = sorted(words[i].y1 - words[i].y0 for i in idx)
        groups.append(
            [
                min(words[i].y0 for i in idx),
                max(words[i].y1 for i in idx),
                min(words[i].x0 for i in idx),
                max(words[i].x1 for i in idx),
                max(hs[len(hs) // 2], 1.0),
                idx,
            ]
        )
    groups.sort(key=lambda g: (g[0] + g[1]) / 2)
    rows: list[list[Any]] = []
    for g in groups:
        for r in reversed(rows[-3:]):  # cells side by side: heights overlapping, columns apart
            overlap = min(r[1], g[1]) - max(r[0], g[0])
            apart = g[2] >= r[3] or g[3] <= r[2]
            if apart and overlap >= 0.5 * min(r[4], g[4]):
                r[0], r[1], r[2], r[3] = min(r[0], g[0]), max(r[1], g[1]), min(r[2], g[2]), max(r[3], g[3])
                r[5] = r[5] + g[5]
                break
        else:
            rows.append(list(g))
    row_of = [-1] * len(words)
    out: list[list[int]] = []
    for r_i, r in enumerate(rows):
        ws = sorted(r[5], key=lambda j: words[j].x0)
        out.append(ws)
        for j in ws:
            row_of[j] = r_i
    return row_of, out
