"""Folding text for matching, with a map back to the text as written.

A name can be written so that it looks the same to a reader but not to a program: look-alike letters of
other scripts (Cyrillic "а" for Latin "a"), compatibility forms (ligatures, full-width letters), accents,
characters that show nothing (zero-width spaces and joiners, soft hyphens, bidi controls), upper or lower
case. `fold_map` reduces each character to what it is read as and says, for every folded character, which
character of the original it came from, so a match found in the folded text is a span of the original
(a file name to rewrite, a run of words whose boxes are redacted).
"""

from __future__ import annotations

import re
import unicodedata

# Letters of other scripts that look like Latin ones (the commonly abused subset of Unicode's confusables).
CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "ɡ": "g", "һ": "h",
    "ԛ": "q", "ԝ": "w", "ᴦ": "r", "ո": "n", "ս": "u", "ǀ": "l", "ӏ": "l", "ɩ": "i",
    "А": "A", "В": "B", "Е": "E", "Ё": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ї": "I", "Ј": "J", "Ԁ": "D", "Һ": "H", "Ԛ": "Q",
    "Ԝ": "W", "Ӏ": "I",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "γ": "y", "ϲ": "c", "ϳ": "j",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C",
    # Latin forms NFKC keeps
    "ı": "i", "ȷ": "j", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
}  # fmt: skip
INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d"
    "\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f\u3164"
    "\ufeff\uffa0"
)
_COMBINING = re.compile("[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_WORD = re.compile(r"[^\W_]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def fold_char(ch: str) -> str:
    """What one character is read as, case kept: "" for an invisible one, a Latin letter for a look-alike."""
    if ch.isascii():
        return ch
    if ch in INVISIBLE:
        return ""
    out = unicodedata.normalize("NFKC", ch)
    out = "".join(CONFUSABLES.get(c, c) for c in out)
    if not out.isascii():
        out = _COMBINING.sub("", unicodedata.normalize("NFKD", out))
        out = "".join(CONFUSABLES.get(c, c) for c in out)
    return out


def fold_map(text: str) -> tuple[str, list[int]]:
    """(folded text with case kept, for each of its characters the index in text of the one it came from)."""
    if text.isascii():
        return text, list(range(len(text)))
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        got = fold_char(ch)
        chars.append(got)
        index.extend([i] * len(got))
    return "".join(chars), index


def fold(text: str) -> str:
    """text folded for comparison: look-alikes read as Latin, invisibles and accents removed, case folded."""
    return fold_map(text)[0].casefold()


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """The words of text as (folded word, start, end in text): runs of letters and digits of the folded text,
    also split where a lower-case letter meets a capital ("SharonDoyle" is two words)."""
    folded, index = fold_map(text)
    out = []
    for m in _WORD.finditer(folded):
        piece, base = m.group(0), m.start()
        cuts = [0, *(c.start() for c in _CAMEL.finditer(piece)), len(piece)]
        for a, b in zip(cuts, cuts[1:]):
            if b > a:
                out.append((piece[a:b].casefold(), index[base + a], index[base + b - 1] + 1))
    return out
