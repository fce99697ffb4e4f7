"""Registered people by name: every written form of every name in case.yaml (kind `name`).

Finds full names, "SURNAME, First", capitals, first names, surnames, initials, aliases and withheld
names (all compiled into one regex by `name_table.NameTable`), with or without a title. A title narrows
people sharing a name by gender; a name still shared goes to the nearest unambiguous full name on the
page, else to the subject, and keeps its `candidates`. Detector ids: name.full, name.first,
name.surname, name.initials, name.alias, name.title, name.withheld.
Data: `titles` and `title_gender` of redaction-rules/identifiers.yaml.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from ...models import Mention
from ...text import PageText
from ..base import CaseData
from ..context import PageContext
from ..name_table import Entry, NameTable
from ..words import Words

__all__ = ["RegisteredNames"]


_NEXT_CAP_WORD = re.compile(r"[ \t]+[A-Z][a-z]")


class RegisteredNames:
    """A PageDetector: the names of the register."""

    def __init__(self, case: CaseData):
        self.people = case.people
        self.subject = case.subject
        self.table = NameTable(case.manifest, case.lex)
        self._title_gender = {k.casefold(): v for k, v in case.lex.title_gender.items()}
        self.words = case.shared(Words)

    def _plain_word(self, text: str, ctx: PageContext, m: re.Match[str], lower_page: bool = False) -> bool:
        """A one-word match that is more likely an ordinary word than this person: "will" in "we will",
        "Hope" in "Hope House", "Grace" opening a sentence with nothing around it that makes it a person.

        On a page written in lower case (a carer's notebook: "mum rang", "lee has gone again") a lower-case name
        needs only a word that goes with a person ("has", "and"), and a two-letter name ("ty") is taken at all."""
        if m["title"]:
            return False
        word = text[m.start("name") : m.end()]
        if word in self.table.short_lower:
            return not (lower_page and self.words.person_context(text, m.start("name"), m.end()))
        if word.isupper() and len(word) <= 3 and self.words.ordinary(word) and _caps_line(text, m.start("name")):
            if all(e.detector == "name.initials" for e in self.table.lookup(word)):
                return True  # "KNOWN AS SMUDGE" in a printout in capitals: the word "as", not the initials A.S.
        if " " in word or "\n" in word or not self.words.ordinary(word) or word.isupper() and len(word) > 1:
            return False
        start, end = m.start("name"), m.end()
        if word.islower():  # "will" in lower case: a person only next to a word that says so ("will rang")
            # (a sentence in lower case, "sat 7th - tony turned up at the gate", reads like a page in lower case)
            lower = lower_page or _starts_lower(text, ctx.sentence(start)[0], start)
            return not self.words.person_context(text, start, end, strong=not lower)
        if self.words.person_context(text, start, end):
            return False
        if _NEXT_CAP_WORD.match(text[end : end + 3]):  # "Hope House", "Rose Cottage"
            return True
        return ctx.sentence(start)[0] == start and self.words.function_word_after(text, end)

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        text = pt.text
        raw: list[tuple[int, int, str, tuple[Entry, ...], str | None]] = []
        lower_page = lower_case_page(text)
        for m in self.table.regex.finditer(text):
            if self._plain_word(text, ctx, m, lower_page):
                continue
            entries = self.table.lookup(text[m.start() : m.end("name")]) if m["title"] or m["initial"] else ()
            if not entries:
                entries = self.table.lookup(m["name"])
            if not entries:
                entries = self.table.lookup(m["name"][:-1]) if m["name"].endswith("s") else ()
            if not entries:
                continue
            if m["pl"] and m["pl"] in "sS" and text[m.end() : m.end() + 1] not in ("'", "\u2019"):
                # "the Whitcombes", "jaydens": a plural surname or a possessive without its apostrophe
                entries = tuple(e for e in entries if e.detector != "name.initials")
                if not entries:
                    continue
            raw.append((m.start(), m.end(), m.group(0), entries, m["title"]))
        out: list[Mention] = []
        pending: list[tuple[int, int, str, list[Entry], str | None]] = []
        for start, end, mtext, entries, title in raw:
            cands = self._filter_gender(list(entries), title)
            if len({e.person for e in cands}) == 1:
                out.append(_mention(doc, page, start, end, mtext, cands, title, "named"))
            else:
                pending.append((start, end, mtext, cands, title))
        for start, end, mtext, cands, title in pending:
            ids = tuple(dict.fromkeys(e.person for e in cands))
            pid, how = self._disambiguate(ids, start, out)
            chosen = [e for e in cands if e.person == pid]
            mention = _mention(doc, page, start, end, mtext, chosen, title, how)
            out.append(dataclasses.replace(mention, candidates=ids))
        return out

    def _filter_gender(self, entries: list[Entry], title: str | None) -> list[Entry]:
        g = self._title_gender.get((title or "").rstrip(".").casefold())
        normal = [e for e in entries if e.detector != "name.withheld"] or entries
        if not g:
            return normal
        fit = [e for e in normal if self.people[e.person].effective_pronouns in (g, None, "they")]
        return fit or normal

    def _disambiguate(self, ids: tuple[str, ...], start: int, named: list[Mention]) -> tuple[str, str]:
        """Choose among people sharing a name: the nearest unambiguous mention of one of them, else the subject."""
        best: tuple[int, str] | None = None
        for m in named:
            if m.person in ids and not m.candidates and m.detector in ("name.full", "name.title", "name.alias"):
                dist = start - m.end if m.end <= start else (m.start - start) * 2  # prefer preceding
                if best is None or dist < best[0]:
                    best = (dist, m.person)
        if best is not None:
            return best[1], "shared name: nearest full name"
        if self.subject.id in ids:
            return self.subject.id, "shared name: the subject"
        return ids[0], "shared name: ambiguous"


_LINE_START = re.compile(r"(?m)^[^\w\n]*([^\W\d_])[\w']*")
LOWER_CASE_LINES = 0.6  # the share of a page's lines that start with a lower-case word, for a page in lower case
LOWER_CASE_MIN_LINES = 6


# the page last asked about and the answer (two recognisers ask about each page)
_last_lower: tuple[str, bool] | None = None


def _caps_line(text: str, offset: int) -> bool:
    """The line holding offset has no lower-case letter (a printout in capitals)."""
    a = text.rfind("\n", 0, offset) + 1
    b = text.find("\n", offset)
    return not any(ch.islower() for ch in text[a : b if b >= 0 else len(text)])


def _starts_lower(text: str, a: int, offset: int) -> bool:
    """text[a:] (a sentence) opens with a lower-case letter (its first letter, after any date or time)."""
    first = next((ch for ch in text[a : offset + 1] if ch.isalpha()), "")
    return first.islower()


def lower_case_page(text: str) -> bool:
    """Most lines of the page start with a lower-case word: a page written quickly, by hand or in a notebook,
    where names are in lower case too ("mum rang 5.15", "kay up at 7")."""
    global _last_lower
    last = _last_lower
    if last is not None and last[0] is text:
        return last[1]
    answer = _lower_case_lines(text)
    _last_lower = (text, answer)
    return answer


def _lower_case_lines(text: str) -> bool:
    starts = _LINE_START.findall(text)  # (the first letter of each line: the pattern's one group)
    if len(starts) < LOWER_CASE_MIN_LINES:
        return False
    return sum(ch.islower() for ch in starts) >= LOWER_CASE_LINES * len(starts)


def _mention(
    doc: str, page: int, start: int, end: int, text: str, entries: list[Entry], title: str | None, how: str
) -> Mention:
    e = entries[0]
    det = e.detector
    if title and det in ("name.full", "name.surname", "name.first", "name.alias"):
        det = "name.title"
    via = e.via if how == "named" else how
    return Mention(doc, page, start, end, text, "name", e.person, det, qualifier=e.qualifier, via=via)
