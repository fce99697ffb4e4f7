"""Folding text for the independent detector: every way of writing a name reduced to plain words.

Both the protected values (sarkit.verify.protected) and every reading of an output file are folded the
same way before they are compared, so a name disguised by any of these is still found:

- Unicode compatibility forms (NFKC: ligatures, full-width and styled letters, odd spaces);
- look-alike letters from other scripts (Cyrillic "а", Greek "Α", ...) read as the Latin letter they
  imitate, and accents dropped ("Zoë" and "Zoe" are one name);
- characters that show nothing (zero-width spaces and joiners, soft hyphens, BOM, bidi controls) removed;
- a word broken at a line end by a hyphen or soft hyphen joined (a second reading: "Sha-\\nron");
- case (folded: lower case hides nothing);
- punctuation and spacing: every run of characters that are not letters or digits separates words, so
  "Mrs.Doyle", "B.Doyle", "facebook.com/sharon.doyle", "doyle_sharon" and "DOYLE, Sharon" are all words;
- words run together inside one written token ("facebook.com/sharondoyle", "@SharonDoyle") are found by
  `compact_tokens`, the letters of each whitespace-free run with everything else removed;
- PDF name escapes (#20) and CamelCase in names ("/ABCDEF+SharonDoyle-Bold") split by `split_names`.
"""

from __future__ import annotations

import re
import unicodedata

# Letters of other scripts that look like Latin ones (Unicode confusables, the commonly abused subset).
_CONFUSABLES = {
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
    # Latin look-alikes and other forms NFKC keeps
    "ı": "i", "ȷ": "j", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
    "Æ": "AE", "œ": "oe", "Œ": "OE", "ð": "d", "þ": "th",
}  # fmt: skip
_INVISIBLE = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufeff\uffa0"  # noqa: E501
_TABLE = str.maketrans({**_CONFUSABLES, **{ch: None for ch in _INVISIBLE}})
_HYPHEN_EOL = re.compile(r"([^\W\d_])[-\u2010\u2011\u00ad][ \t]*\r?\n\s*(?=[^\W\d_])")
_SOFT_EOL = re.compile(r"\u00ad[ \t]*\r?\n\s*")
_WORD = re.compile(r"[^\W_]+")
_PUNCT_RUN = re.compile(r"[^\W_]*(?:[^\w\s]|_)\S*")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_COMBINING = re.compile("[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_PDF_ESCAPE = re.compile(r"#([0-9A-Fa-f]{2})")


def fold_letters(text: str) -> str:
    """Look-alikes mapped, invisibles and accents removed; case kept."""
    text = unicodedata.normalize("NFKC", text).translate(_TABLE)
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).translate(_TABLE)
    return text


def fold(text: str) -> str:
    """One reading of text folded: look-alikes mapped, invisibles and accents removed, lower case."""
    return fold_letters(text).casefold()


def readings(text: str) -> list[str]:
    """The folded readings of text: as written (soft hyphens at a line end joined), and, when it differs,
    with words hyphenated at a line end joined."""
    text = _SOFT_EOL.sub("", text)
    out = [fold(text)]
    if _HYPHEN_EOL.search(text):
        out.append(fold(_HYPHEN_EOL.sub(r"\1", text)))
    return out


def words(folded: str) -> list[str]:
    """The words of a folded reading: runs of letters and digits."""
    return _WORD.findall(folded)


def compact_tokens(folded: str) -> list[str]:
    """Each whitespace-free run of a folded reading that holds punctuation, with everything but letters and
    digits removed ("facebook.com/sharon.doyle" -> "facebookcomsharondoyle"). A run of letters alone is
    one word, looked up whole by the caller."""
    return [c for c in ("".join(_WORD.findall(run)) for run in _PUNCT_RUN.findall(folded)) if len(c) >= 6]


def split_names(text: str) -> str:
    """PDF names and file names made readable: #xx escapes decoded, a subset prefix kept apart, CamelCase split
    ("/ABCDEF+Sharon#20DoyleBold" -> "/ABCDEF+Sharon Doyle Bold")."""
    text = _PDF_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return _CAMEL.sub(" ", text)
