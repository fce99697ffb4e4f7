"""Matching rules of the corpus benchmark (shared/corpus/README.md, "How output is matched").

Plain Python, no third-party imports, so the rules can be tested in isolation:

- text is Unicode-normalised (ligatures, curly quotes, odd spaces), line breaks are joined and spaces collapsed;
- a second reading also joins words hyphenated at a line end;
- in OCR text a "|" read for the pronoun "I" is put right;
- items match case-sensitively on word boundaries; a redact item also matches in capitals;
- identifiers with six or more digits, and email addresses, also match with spaces and punctuation ignored;
- keep counts take the best of the readings, capped at the count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_TRANSLATE = str.maketrans(
    {
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
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2004": " ",
        "\u2005": " ",
        "\u2006": " ",
        "\t": " ",
        "\r": "\n",
        "\f": "\n",
        "\v": "\n",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
        **_LIGATURES,
    }
)
_HYPHEN_BREAK = re.compile(r"(?<=\w)-[ ]*\n\s*(?=\w)")
_PIPE_I = re.compile(r"(?<![\w|])\|(?![\w|])")
_SPACES = re.compile(r"\s+")
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")


def normalise_chars(raw: str) -> str:
    """Ligatures, curly quotes, dashes and odd spaces to plain characters; line breaks kept."""
    return unicodedata.normalize("NFC", raw.translate(_TRANSLATE))


def collapse(text: str) -> str:
    """Join line breaks and collapse runs of whitespace to one space."""
    return _SPACES.sub(" ", text).strip()


def fix_ocr_pipes(text: str) -> str:
    """A lone '|' in OCR text is the pronoun 'I'."""
    return _PIPE_I.sub("I", text)


def readings(raw: str, *, ocr: bool = False) -> list[str]:
    """The readings of one extracted text: lines joined, and lines joined with end-of-line hyphens removed."""
    text = normalise_chars(raw)
    if ocr:
        text = fix_ocr_pipes(text)
    first = collapse(text)
    second = collapse(_HYPHEN_BREAK.sub("", text))
    return [first] if second == first else [first, second]


def _pattern(item: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in item.split()]
    body = r"\s+".join(parts)
    return re.compile(r"(?<!\w)" + body + r"(?!\w)")


def is_compact_item(item: str) -> bool:
    """True for items that also match with spaces and punctuation ignored: 6+ digits, or an email address."""
    return sum(ch.isdigit() for ch in item) >= 6 or bool(_EMAIL.match(item.strip()))


def compact(text: str) -> str:
    """Letters and digits only, lower-cased: the form in which spaces and punctuation are ignored."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _count_compact(item: str, text: str) -> int:
    key = compact(item)
    if not key:
        return 0
    hay = compact(text)
    n, i = 0, hay.find(key)
    while i >= 0:
        before = hay[i - 1] if i > 0 else ""
        after = hay[i + len(key)] if i + len(key) < len(hay) else ""
        # a run of digits must not continue into more digits (e.g. 123456 inside 91234567)
        if not (key[0].isdigit() and before.isdigit()) and not (key[-1].isdigit() and after.isdigit()):
            n += 1
            i = hay.find(key, i + len(key))
        else:
            i = hay.find(key, i + 1)
    return n


def count_in(item: str, text: str, *, redact: bool = False) -> int:
    """Occurrences of item in one reading (already normalised and collapsed)."""
    n = len(_pattern(item).findall(text))
    if redact and item.upper() != item:
        n += len(_pattern(item.upper()).findall(text))
    if is_compact_item(item):
        n = max(n, _count_compact(item, text))
    return n


def found(item: str, texts: Iterable[str]) -> bool:
    """A redact item is found (leaked) when any reading shows it."""
    return any(count_in(item, t, redact=True) > 0 for t in texts)


def kept(item: str, count: int, texts: Iterable[str]) -> int:
    """Occurrences of a keep item that survive: the best of the readings, capped at count."""
    best = max((count_in(item, t) for t in texts), default=0)
    return min(best, count)


def spans(item: str, text: str, *, redact: bool = True) -> list[tuple[int, int]]:
    """Character spans of item in text (word boundaries, capitals for redact items); used by the oracle."""
    out = [m.span() for m in _pattern(item).finditer(text)]
    if redact and item.upper() != item:
        out += [m.span() for m in _pattern(item.upper()).finditer(text)]
    return sorted(out)
