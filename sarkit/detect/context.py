"""The page as context: sentences, clauses, blocks and visual rows of a PageText.

Attribution of a contact detail or identifier to a person looks, in order, at the clause,
the sentence, the table row (words on the same visual line across cells), the block and a
labelled form row above. Everything is computed once per page.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..text import PageText

_SENTENCE_END = re.compile(r"[.!?][\"')\]]*(?=\s)|\n\s*\n|\n(?=\s*(?:[-\u2022*]|\d+[.)])\s)")
_BLOCK_END = re.compile(r"\n\s*\n")
_CLAUSE_END = re.compile(r"[,;:]\s|\s(?:and|but|while|whereas|although|because|so|or)\s|[()]")


def _spans(text: str, rx: re.Pattern[str]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for m in rx.finditer(text):
        out.append((pos, m.end()))
        pos = m.end()
    out.append((pos, len(text)))
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
        idx = self.pt.words_in(start, end)
        return self.row_of_word[idx[0]] if idx else -1

    def row_span_words(self, row: int) -> list[int]:
        return self.rows[row] if 0 <= row < len(self.rows) else []


def _visual_rows(pt: PageText) -> tuple[list[int], list[list[int]]]:
    """Group words whose vertical centres fall within each other's height: one table row or text line."""
    words = pt.words
    n = len(words)
    mids = [(w.y0 + w.y1) / 2 for w in words]
    xs = [w.x0 for w in words]
    keys = list(zip(mids, xs))
    order = sorted(range(n), key=keys.__getitem__)
    row_of = [-1] * n
    rows: list[list[int]] = []
    cur: list[int] = []
    cur_mid = cur_h = 0.0
    x_of = xs.__getitem__
    for i in order:
        w = words[i]
        mid = mids[i]
        h = max(w.y1 - w.y0, 1.0)
        if cur and abs(mid - cur_mid) <= 0.45 * max(h, cur_h):
            cur.append(i)
            continue
        if cur:
            rows.append(sorted(cur, key=x_of))
        cur, cur_mid, cur_h = [i], mid, h
    if cur:
        rows.append(sorted(cur, key=x_of))
    for r, ws in enumerate(rows):
        for i in ws:
            row_of[i] = r
    return row_of, rows
