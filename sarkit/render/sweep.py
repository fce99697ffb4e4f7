"""The last sweep before a page is redacted: a value withheld in a document is withheld wherever it shows.

Detection decides from context, and context can differ between two places that show the same
words (a name in a form field is found; the same name in a table cell two pages on may not be).
A value the decisions redact in a document must not stay legible elsewhere in it: before the
page's redactions are applied, its words are searched for every such value, and any occurrence
that no planned box covers gets a box too. (Verification is independent of this: it re-reads the
output with other extractors.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..models import Word

_TOKEN = re.compile(r"\w+")


def _case_mode(value: str) -> str:
    """The letter-case rule for a value (verify/match.py keeps its own copy: verification shares no code with
    what it checks)."""
    letters = [ch for ch in value if ch.isalpha()]
    if any(ch.isupper() for ch in letters) and any(ch.islower() for ch in letters):
        return "word-as-written-or-caps"  # a name: "Rose" is not "rose"
    if letters and all(ch.isupper() for ch in letters) and len(letters) <= 3:
        return "as-written"  # initials
    return "any"


@dataclass(frozen=True, slots=True)
class _Value:
    folded: tuple[str, ...]
    written: tuple[str, ...]
    mode: str
    code: str
    proposal: str


class Sweep:
    """Compiled (text, code, proposal id) values to look for on a page."""

    def __init__(self, values: Iterable[tuple[str, str, str]]):
        self._first: dict[str, list[_Value]] = {}
        for text, code, pid in values:
            written = tuple(_TOKEN.findall(text))
            if not written or (len(written) == 1 and len(written[0]) < 2):
                continue
            v = _Value(tuple(t.casefold() for t in written), written, _case_mode(text), code, pid)
            self._first.setdefault(v.folded[0], []).append(v)

    def __bool__(self) -> bool:
        return bool(self._first)

    def find(self, words: Sequence[Word]) -> list[tuple[tuple[int, ...], str, str]]:
        """(indices of the words, code, proposal id) of every occurrence of a value among the page's words."""
        toks: list[tuple[str, str, int]] = []  # (token as written, folded, index of its word)
        for i, w in enumerate(words):
            for t in _TOKEN.findall(w.text):
                toks.append((t, t.casefold(), i))
        out = []
        n = len(toks)
        folded_all = [t[1] for t in toks]
        for i, folded in enumerate(folded_all):
            for v in self._first.get(folded, ()):
                k = len(v.folded)
                if i + k > n or (k > 1 and tuple(folded_all[i : i + k]) != v.folded):
                    continue
                seen = tuple(t[0] for t in toks[i : i + k])
                if not _case_ok(seen, v):
                    continue
                out.append((tuple(sorted({t[2] for t in toks[i : i + k]})), v.code, v.proposal))
        return out


def _case_ok(seen: tuple[str, ...], v: _Value) -> bool:
    if v.mode == "any" or seen == v.written:
        return True
    return v.mode == "word-as-written-or-caps" and all(a in (b, b.upper()) for a, b in zip(seen, v.written))
