"""Kinship terms that stand for one registered person: "Mum", "her nan", "Tom's mother" (kind `name`).

A term names the register's one person of its roles (and gender) related to the subject, or, after a
registered name and "'s", related to that person; "my mum" in the part of an e-mail or a letter that a
registered lay person other than the subject wrote is the writer's mother (`writers.WriterReader`), and is
left when the register has no such person of the writer. A term that fits no one or several people is left.
Runs after `names` (the possessor, the writer: names found before). Detector id: kinship.
Data: redaction-rules/kinship.yaml (terms, their roles and gender); words/context.yaml (writer labels,
sign-offs).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...models import Manifest, Mention
from ...text import PageText
from ..base import CaseData, named
from ..context import PageContext
from ..lexicon import first_chars, word_alternation
from ..words import Words
from ..writers import WriterReader

__all__ = ["Kinship"]


class Kinship:
    """A PageDetector: kinship terms resolved to registered people."""

    def __init__(self, case: CaseData):
        self.manifest: Manifest = case.manifest
        self.subject = case.subject
        self._kin = {t.term: t for t in case.lex.kin_terms}
        pats, alts = [], []
        for term in sorted(self._kin, key=len, reverse=True):
            esc = re.escape(term).replace(r"\ ", r"\s+").replace("'", "['\u2019]")
            first = term[0]
            pats.append(f"[{first.upper()}{first}]{esc[1:]}" if first.isalpha() else esc)
            alts += [first.upper() + esc[1:], first.lower() + esc[1:]] if first.isalpha() else [esc]
        # the terms from their first letter, either case (word_alternation), else each term at every word start
        fast = word_alternation(alts, r"\w'\-", ignore_case=False)
        lead = fast if fast is not None else r"(?<![\w'\-])" + first_chars(list(self._kin)) + f"(?:{'|'.join(pats)})"
        self._kin_re = re.compile(lead + r"(?![\w]|-\w)") if pats else None
        self._kin_subject: dict[str, str | None] = {t: self._resolve(t, None) for t in self._kin}
        words = case.shared(Words)
        self._writers = WriterReader(words.writer_labels, words.sign_offs)
        self._people = case.people

    def _resolve(self, term: str, rel: str | None) -> str | None:
        t = self._kin[term]
        subj = self.subject.id
        if rel is None or rel == subj:
            pool = [p for p in self.manifest.people if p.role in t.roles and p.of in (None, subj)]
        else:
            pool = [p for p in self.manifest.people if p.role in t.roles and p.of == rel]
        if t.gender in ("she", "he"):
            exact = [p for p in pool if p.effective_pronouns == t.gender]
            loose = [p for p in pool if p.effective_pronouns in (None, "they")]
            pool = exact or loose
        return pool[0].id if len(pool) == 1 else None

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        if self._kin_re is None:
            return []
        text = pt.text
        ends = {m.end: m for m in found if m.kind == "name" and m.person}
        out = []
        writers: list[tuple[int, int, Mention]] | None = None  # read on the first "my <term>" of the page
        for m in self._kin_re.finditer(text):
            term = " ".join(m.group(0).lower().replace("\u2019", "'").split())
            if term not in self._kin:
                continue
            owner = _possessor(text, m.start(), ends)
            if owner is not None:
                pid = self._resolve(term, owner)
                via = f"kinship of {owner}"
            elif _MY_BEFORE.search(text, max(0, m.start() - 8), m.start()):
                if writers is None:
                    writers = self._writers.writers(text, named(found))
                writer = self._lay_writer(writers, m.start())
                if writer is not None:  # "my mum" in a grandmother's e-mail: her mother, not the subject's
                    pid = self._of_writer(term, writer)
                    via = f"kinship of {writer} (the writer)"
                else:
                    pid, via = self._kin_subject[term], "kinship"
            else:
                pid = self._kin_subject[term]
                via = "kinship"
            if pid is None:
                continue
            out.append(Mention(doc, page, m.start(), m.end(), m.group(0), "name", pid, "kinship", via=via))
        return out

    def _of_writer(self, term: str, writer: str) -> str | None:
        """The writer's relative the term names: "my mum" of the subject's parent, aunt or uncle is the subject's
        grandmother, of a brother or sister the subject's mother; otherwise the one registered of the writer."""
        t = self._kin[term]
        w = self._people[writer]
        if w.of in (None, self.subject.id) and any(r in _PARENTS for r in t.roles):
            if w.role in _SHARING_PARENTS:
                return self._kin_subject[term]
            if w.role in _CHILDREN_OF_GRANDPARENTS:
                pool = [
                    p
                    for p in self.manifest.people
                    if p.role == "grandparent" and p.of in (None, self.subject.id) and p.effective_pronouns == t.gender
                ]
                return pool[0].id if len(pool) == 1 else None
        return self._resolve(term, writer)

    def _lay_writer(self, writers: list[tuple[int, int, Mention]], offset: int) -> str | None:
        """The registered writer of the part of the page at offset, when that is a lay person other than the
        subject (a professional's "my" quotes the child; the subject's own is the subject's)."""
        who = next((w for a, b, w in writers if a <= offset < b), None)
        if who is None or who.person is None or who.person == self.subject.id:
            return None
        person = self._people.get(who.person)
        return who.person if person is not None and person.group != "professional" else None


# Roles (of the subject) whose parents the subject shares, or who are children of the subject's grandparents.
_PARENTS = ("mother", "father", "parent")
_SHARING_PARENTS = frozenset(("sibling",))
_CHILDREN_OF_GRANDPARENTS = frozenset(("mother", "father", "parent", "aunt", "uncle"))
_MY_BEFORE = re.compile(r"(?<![\w'\u2019])[Mm]y\s+$")
_POSSESSIVE_BEFORE = re.compile(r"(['\u2019]s?)\s+$")


def _possessor(text: str, start: int, ends: dict[int, Mention]) -> str | None:
    """The registered person in "Tom's mother" (a name ending just before "'s ")."""
    pm = _POSSESSIVE_BEFORE.search(text[max(0, start - 6) : start])
    if not pm:
        return None
    end = start - len(pm.group(0))
    m = ends.get(end)
    return m.person if m else None
