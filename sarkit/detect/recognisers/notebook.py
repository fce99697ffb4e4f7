"""Places written in lower case in a notebook (kind `contact`).

On a page written in lower case (a carer's daily log, a children's home incident book: `names.lower_case_page`)
a place has no capital to show it: "back from visiting kacey at oakmere". Here a place is a lower-case word
straight after a registered person's name and "at" or "in" ("kacey at oakmere", "mum is in wexley") that is
not an ordinary English word, a glossary term or a given name ("kay at school", "mum in town" are not places).
It is that person's place (their home, school or placement), attributed to them. Detector contact.place.
Data: the English words and given names of redaction-rules/words/ (`words.Words`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...models import Mention
from ...text import PageText
from ..base import CaseData, named
from ..context import PageContext
from ..words import Words
from .names import lower_case_page

__all__ = ["NotebookPlaces"]

_AT = re.compile(r"[ \t]+(?:(?:is|was|now|still|back)[ \t]+)?(?:at|in)[ \t]+(?P<w>[a-z][a-z'\-]{3,})(?![\w'\-])")


class NotebookPlaces:
    """A PageDetector: "kacey at oakmere" on a page written in lower case."""

    def __init__(self, case: CaseData):
        self.words = case.shared(Words)
        self.people = case.people

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        text = pt.text
        if not lower_case_page(text):
            return []
        taken = [(m.start, m.end) for m in found if m.kind in ("contact", "name")]
        out: list[Mention] = []
        for p in named(found):
            person = self.people.get(p.person) if p.person else None
            if person is None or person.group == "professional":
                continue
            m = _AT.match(text, p.end)
            if m is None:
                continue
            word = m["w"]
            if self.words.ordinary(word) or self.words.given(word) or word in self.words.registered:
                continue
            s, e = m.span("w")
            if any(a < e and s < b for a, b in taken):
                continue
            out.append(Mention(doc, page, s, e, word, "contact", p.person, "contact.place", via="notebook place"))
            taken.append((s, e))
        return out
