"""Finding redacted values in extracted text: normalisation, readings and variants.

Independent of sarkit.text on purpose: verification must not share code with what it checks.

A value matches on word boundaries, case-insensitively, whatever the whitespace and line breaks
between its words ("Ann" is not found in "Joanne"). Values with six or more digits, and email
addresses, also match with spaces and punctuation ignored. Text is read twice: lines joined with a
space, and also with words hyphenated at a line end joined.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
_TOKEN = re.compile(r"\w+|[^\w\s]")
_HYPHEN_EOL = re.compile(r"([^\W\d_])[-\u00ad\u2010\u2011]\s*\n\s*(?=[^\W\d_])")
_NON_ALNUM = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """NFKC (ligatures, odd spaces, full-width forms), ASCII quotes and dashes, no zero-width characters."""
    text = unicodedata.normalize("NFKC", text).translate(_MAP)
    return text


def readings(text: str) -> list[str]:
    """The texts to search: lines joined with spaces, and (when it differs) hyphenated line ends joined."""
    text = normalise(text)
    first = text.replace("\u00ad", "")
    out = [first]
    if "-" in text or "\u00ad" in text:
        second = _HYPHEN_EOL.sub(r"\1", text).replace("\u00ad", "")
        if second != first:
            out.append(second)
    return out


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def compact(text: str) -> str:
    return _NON_ALNUM.sub("", text.casefold())


def _case_mode(value: str) -> str:
    """How strictly a value's letter case must match.

    A name written in mixed case ("Rose", "Will Grant") matches with each word as written or in
    capitals ("GRANT, Will" too), so a
    redacted "Rose" is not reported in "rose bushes"; short capitals (initials such as "BS") match
    only as written; anything else (lower-case words, emails, postcodes) matches in any case.
    """
    letters = [ch for ch in value if ch.isalpha()]
    if any(ch.isupper() for ch in letters) and any(ch.islower() for ch in letters):
        return "as-written-or-caps"
    if letters and all(ch.isupper() for ch in letters) and len(letters) <= 3:
        return "as-written"
    return "any"


def _compactable(value: str) -> bool:
    return sum(ch.isdigit() for ch in value) >= 6 or "@" in value


class Matcher:
    """Finds which of a set of (proposal id, value) pairs occur in a text."""

    def __init__(self, values: Iterable[tuple[str, str]]):
        self._first: dict[str, list[tuple[tuple[str, ...], str, tuple[str, ...], str]]] = {}
        self._compact: list[tuple[str, str]] = []
        self._compact_head: dict[str, list[tuple[str, str]]] = {}  # first six characters -> (key, pid)
        self.count = 0
        for pid, value in values:
            orig = tuple(_TOKEN.findall(normalise(value)))
            toks = tuple(t.casefold() for t in orig)
            if not toks:
                continue
            self.count += 1
            self._first.setdefault(toks[0], []).append((toks, pid, orig, _case_mode(value)))
            if _compactable(value):
                key = compact(normalise(value))
                if len(key) >= 6:
                    self._compact.append((key, pid))
                    self._compact_head.setdefault(key[:6], []).append((key, pid))

    def __bool__(self) -> bool:
        return self.count > 0

    def find(self, text: str) -> set[str]:
        """Proposal ids whose value occurs in text, in any reading."""
        found: set[str] = set()
        if not self._first or not text:
            return found
        for reading in readings(text):
            orig = _TOKEN.findall(reading)
            found |= self._find_tokens([t.casefold() for t in orig], orig)
            if self._compact:
                found |= self._find_compact(compact(reading))
        return found

    def _find_compact(self, flat: str) -> set[str]:
        if len(self._compact) <= 32:
            return {pid for key, pid in self._compact if key in flat}
        found: set[str] = set()
        head = self._compact_head
        for i in range(len(flat) - 5):  # one pass over the text, whatever the number of values
            cands = head.get(flat[i : i + 6])
            if cands:
                found.update(pid for key, pid in cands if flat.startswith(key, i))
        return found

    def _find_tokens(self, toks: Sequence[str], orig: Sequence[str]) -> set[str]:
        found: set[str] = set()
        first = self._first
        n = len(toks)
        for i, tok in enumerate(toks):
            cands = first.get(tok)
            if cands is None:
                continue
            for cand, pid, written, mode in cands:
                k = len(cand)
                if not (k == 1 or (i + k <= n and tuple(toks[i : i + k]) == cand)):
                    continue
                seen = tuple(orig[i : i + k])
                if (
                    mode == "any"
                    or seen == written
                    or (mode == "as-written-or-caps" and all(a in (b, b.upper()) for a, b in zip(seen, written)))
                ):
                    found.add(pid)
        return found
