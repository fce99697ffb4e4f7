"""Who wrote each part of a page of correspondence, and the lines that a person's label opens.

Records hold e-mails and letters written by third parties (a grandmother's e-mail, a solicitor's letter).
What their writer says in the first person ("my chest is bad", "I have been off work") is about the
writer, not about the subject of the records. A page's writers are read from:

- an e-mail header: "From:" (or "Sender:") followed by a person's name (on the same line or the next
  lines, as Outlook prints it); the writer's part runs to the next such header, or to an earlier
  message quoted below ("-----Original Message-----", "On ... wrote:");
- a letter's sign-off ("Yours sincerely", "Kind regards", "Love", ...) followed within three lines by a
  name: the writer of the text above it, back to the previous writer's part.

Labelled lines ("O1: 3 PREV DA. CONV POSS 2008.", "Mum: drinking again. Lost her job.") are read here
too: the notes after a person's label at the start of a line go on about that person to the line's end.

Plain functions over offsets and `attribution.Ref`s (typed loosely to keep this module free of cycles);
the label words come from redaction-rules/words/context.yaml (`writer_labels`, `sign_offs`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from .lexicon import alternation

__all__ = ["WriterReader", "first_person", "has_first_person", "labelled_lines"]

# first-person words: "I" (or "i" in notes written in lower case), "me", "my", "mine", "myself", "I'm", "Ive"
_FIRST = re.compile(
    r"(?<![\w'\u2019\-.])(?:(?P<i>I|i)(?:['\u2019](?:m|d|ll|ve)|m|ve)?|(?i:me|my|mine|myself))(?![\w'\u2019\-)])"
)
_QUOTED = re.compile(r"^[ \t]*(?:-{2,}[ \t]*Original Message[ \t]*-{2,}|On [^\n]{4,80}wrote:)[ \t]*$", re.M | re.I)
_HEADER_GAP = re.compile(r"\s{0,8}(?:[A-Z][\w'\-]*\.?[ \t]+){0,2}")
_LABEL_AFTER = re.compile(r"[ \t]*(?:\([^()\n]{1,20}\))?[ \t]*:")


def _named(ref: Any) -> bool:
    """A reference by name or kinship term, not a role word ("a man"), a form's code or a pronoun."""
    return not str(ref.via).startswith(("role word", "code", "pronoun", "first person"))


class WriterReader:
    """The writers of a page's parts (compiled once per case from the label words of context.yaml)."""

    def __init__(self, writer_labels: Sequence[str], sign_offs: Sequence[str]):
        labels = alternation(list(writer_labels))
        self._header = re.compile(rf"^[ \t]*(?:{labels})[ \t]*:[ \t]*", re.M | re.I)
        self._sign_off = re.compile(rf"^[ \t]*(?:{alternation(list(sign_offs))})[ \t]*[,.!]*[ \t]*$", re.M | re.I)
        self._header_nl, self._sign_off_nl = after_newline(self._header), after_newline(self._sign_off)
        keys = {w.split()[0].casefold() for w in [*writer_labels, *sign_offs] if w.split()}
        self._keys = tuple(sorted(keys))

    def writers(self, text: str, refs: Sequence[Any]) -> list[tuple[int, int, Any]]:
        """(start, end, writer's reference) for each part of the page whose writer is named; in text order."""
        low = text.casefold()
        if not any(k in low for k in self._keys):
            return []
        named = [r for r in refs if _named(r) and (r.person is not None or r.unregistered is not None)]
        if not named:
            return []
        heads: list[tuple[int, int, Any]] = []  # header start, header end, writer
        for m0, m1 in line_matches(self._header, self._header_nl, text):
            who = next((r for r in named if r.start >= m1), None)
            # the name is the header's value, maybe after a word of it ("From: Sue Hartley" where "Hartley" is
            # the name found); "From: 01/02/2019 to ..." in a form names no writer
            if who is not None and _HEADER_GAP.fullmatch(text, m1, who.start):
                heads.append((m0, who.end, who))
        quoted = [q0 for q0, _ in line_matches(_QUOTED, _QUOTED_NL, text)]
        stops = sorted([h[0] for h in heads] + quoted + [len(text)])
        out: list[tuple[int, int, Any]] = []
        for start, _, who in heads:
            end = next(s for s in stops if s > start)
            out.append((start, end, who))
        for m0, m1 in line_matches(self._sign_off, self._sign_off_nl, text):
            if any(a <= m0 < b for a, b, _ in out):
                continue  # an e-mail's own sign-off: its header already names the writer
            who = next((r for r in named if r.start >= m1), None)
            if who is None or text.count("\n", m1, who.start) > 3:
                continue
            start = max([b for _, b, _ in out if b <= m0] + [s for s in stops if s <= m0] + [0])
            out.append((start, who.end, who))
        out.sort(key=lambda t: t[0])
        return out


def after_newline(rx: re.Pattern[str]) -> re.Pattern[str]:
    """For a pattern of whole lines (re.M, opening with "^"): the same opening with a newline instead of "^"."""
    if not (rx.pattern.startswith("^") and rx.flags & re.M):
        raise ValueError("a pattern of lines opens with ^ and is compiled with re.M")
    return re.compile("\n" + rx.pattern[1:], rx.flags)


def line_matches(rx: re.Pattern[str], nl: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """The spans of `rx.finditer(text)` for a pattern of lines (nl: `after_newline(rx)`), none of whose matches ends
    right after a newline: the match on the first line, then those found after a newline, which re finds by
    looking for the newline alone instead of trying "^" at every place. (A search resumes at a match's end, so it
    tries the same line starts both ways: one that a match ends right before is found by the newline before it.)"""
    first = rx.match(text)
    pos = 0
    if first is not None:
        yield first.span()
        pos = first.end()
    for m in nl.finditer(text, pos):
        yield m.start() + 1, m.end()


_QUOTED_NL = after_newline(_QUOTED)


def first_person(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """The first-person words of text[start:end]: (start, end, possessive)."""
    return [(m.start(), m.end(), m.group(0).casefold() in ("my", "mine")) for m in _FIRST.finditer(text, start, end)]


def has_first_person(text: str, start: int, end: int) -> bool:
    return _FIRST.search(text, start, end) is not None


def labelled_lines(text: str, refs: Sequence[Any]) -> list[tuple[int, int, Any]]:
    """(start, end, person) of the notes after a person's label at the start of a line ("O1: ...", "Mum: ...",
    "Shane Rudd (O1): ..."), to the line's end; lay people only (a professional's label is their own note)."""
    out: list[tuple[int, int, Any]] = []
    for r in refs:
        if r.professional or not (r.person is not None or r.unregistered is not None):
            continue
        line0 = text.rfind("\n", 0, r.start) + 1
        if text[line0 : r.start].strip():
            continue
        m = _LABEL_AFTER.match(text, r.end)
        if m is None:
            continue
        eol = text.find("\n", m.end())
        out.append((m.end(), len(text) if eol < 0 else eol, r))
    return out
