"""Page text: the words of a page joined into one string, with a map back to the words.

Detection works on this string; `rects_for_span` turns a character span back into the boxes of
its words, in PDF points (what propose stores and render redacts). Words on one line are joined
by a space, lines of one block by a newline, blocks by a blank line, so sentences, lines and
blocks can be found again.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass

from .fold import CONFUSABLES, INVISIBLE
from .models import Page, Word

SOFT_HYPHENS = ("\u00ad",)  # a word broken at a line end by one of these is joined to the next word
Rect = tuple[float, float, float, float]
PAD_X = 1.0  # points added left and right of a merged line box
PAD_Y = 1.0  # points added above and below an OCR word box (tight to the ink)
# A text word's box runs from the font's ascender to its descender, so boxes of adjacent lines overlap,
# and MuPDF removes any glyph a redaction overlaps by more than about 14% of the font size. So the box of
# a text word is trimmed by this share of its height at top and bottom: it still covers the capitals and
# x-height of its own line, and no longer reaches the next. OCR word boxes are tight and are not trimmed.
TRIM_Y = 0.2

_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_SPACES = {"\u00a0", "\u2007", "\u202f", "\u2009", "\u200a", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006"}
_QUOTES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2212": "-",
}


def _fold_lookalikes(s: str) -> str:
    """A word written with look-alike letters of another script ("Аnita" with a Cyrillic А) read as the Latin word
    it imitates; a word of that script (one with a letter that imitates nothing Latin) is left as it is."""
    if s.isascii():
        return s
    letters = [ch for ch in s if ch.isalpha()]
    if not any(ch in CONFUSABLES for ch in letters):
        return s
    if all(ch.isascii() or ch in CONFUSABLES or unicodedata.name(ch, "").startswith("LATIN") for ch in letters):
        return "".join(CONFUSABLES.get(ch, ch) for ch in s)
    return s


def normalise(s: str) -> str:
    """Unicode-normalise a word without changing its length where possible.

    Ligatures expand (so length may grow); curly quotes, odd spaces and dashes become ASCII; characters that
    show nothing (soft hyphens, zero-width spaces and joiners, bidi controls) go; look-alike letters of other
    scripts in a Latin word are read as the Latin letters they imitate (sarkit.fold), so detection matches
    what a reader reads. The map to the page's words is by word, so word boxes stay right.
    """
    s = _fold_lookalikes(s)
    out = []
    for ch in s:
        if ch in _LIGATURES:
            out.append(_LIGATURES[ch])
        elif ch in _SPACES:
            out.append(" ")
        elif ch in _QUOTES:
            out.append(_QUOTES[ch])
        elif ch in INVISIBLE:
            continue
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


@dataclass(frozen=True, slots=True)
class PageText:
    text: str
    starts: tuple[int, ...]  # start offset of each word in text
    ends: tuple[int, ...]
    words: tuple[Word, ...]

    def words_in(self, start: int, end: int) -> list[int]:
        """Indices of the words that overlap the character span [start, end)."""
        i = bisect.bisect_right(self.ends, start)
        out = []
        while i < len(self.words) and self.starts[i] < end:
            if self.ends[i] > start:
                out.append(i)
            i += 1
        return out

    def first_word_in(self, start: int, end: int) -> int:
        """The index of the first word that overlaps [start, end) (`words_in(start, end)[0]`), -1 if none."""
        i = bisect.bisect_right(self.ends, start)  # the first word that ends after start
        return i if i < len(self.words) and self.starts[i] < end else -1

    def line_of(self, offset: int) -> int:
        """The page line number (Word.line) of the word at or before offset; -1 if none."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.words[i].line if i >= 0 else -1


def page_text(page: Page) -> PageText:
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    prev: Word | None = None
    for w in page.words:
        if prev is not None:
            sep = (
                " " if (w.line == prev.line and w.block == prev.block) else ("\n" if w.block == prev.block else "\n\n")
            )
            if sep != " " and prev.text.endswith(SOFT_HYPHENS) and w.text[:1].isalpha():
                sep = ""  # "Sha\u00ad" at a line end and "ron" on the next: one word, "Sharon", over two boxes
            parts.append(sep)
            pos += len(sep)
        t = normalise(w.text)
        starts.append(pos)
        parts.append(t)
        pos += len(t)
        ends.append(pos)
        prev = w
    return PageText("".join(parts), tuple(starts), tuple(ends), page.words)


def rects_for_span(pt: PageText, start: int, end: int) -> tuple[Rect, ...]:
    """The boxes of the words that the span [start, end) touches, one padded rect per line, in PDF points.

    A partially covered word is covered whole. Consecutive words on the same line of the same block merge.
    """
    out: list[list[float]] = []
    key: tuple[int, int] | None = None
    idx = pt.words_in(start, end)
    heights = sorted(pt.words[i].y1 - pt.words[i].y0 for i in idx if pt.words[i].ocr)
    limit = SKEW_GROWTH * (heights[len(heights) // 2] + 2 * PAD_Y) if heights else 0.0
    for i in idx:
        w = pt.words[i]
        x0, y0, x1, y1 = word_box(w)
        k = (w.block, w.line)
        if k == key and out and not (w.ocr and max(out[-1][3], y1) - min(out[-1][1], y0) > limit):
            r = out[-1]
            r[0], r[1], r[2], r[3] = min(r[0], x0), min(r[1], y0), max(r[2], x1), max(r[3], y1)
        else:
            out.append([x0, y0, x1, y1])
            key = k
    return tuple((r[0], r[1], r[2], r[3]) for r in out)


# On a scan, the words of one line climb or fall when the paper was fed at a slant; one box around all of them
# would be taller than any word and reach into the lines above and below (taking kept words with it). A box of
# OCR words stays within this many times the median height of the span's word boxes; past it a new box starts.
SKEW_GROWTH = 1.3


def word_box(w: Word) -> Rect:
    if w.ocr:
        return (w.x0 - PAD_X, w.y0 - PAD_Y, w.x1 + PAD_X, w.y1 + PAD_Y)
    trim = TRIM_Y * (w.y1 - w.y0)
    return (w.x0 - PAD_X, w.y0 + trim, w.x1 + PAD_X, w.y1 - trim)
