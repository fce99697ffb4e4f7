"""Named places that give a person away (kind `contact`): a school, a workplace, a home town.

Five readings: a capitalised name ending in a place suffix ("Oakfield Primary School"); a name in
brackets after a place noun ("her nursery (Little Acorns)"); a place noun after a cue ("attends the
Riverside Centre"); any capitalised name after a work cue ("works at Greggs"); a town after a residence
cue ("lives in Marlow", "moved to Leeds": the place of whoever the sentence is about). Only a place
attributed to a named person is proposed; a name of the register is no place.
Detector id: contact.place.
Data: redaction-rules/identifiers.yaml (`place_suffixes`, `place_nouns`, `place_cues`,
`residence_cues`, `place_cue_patterns`; the attribution cues of `details.DetailOwner`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...models import Mention
from ...text import PageText
from ..base import CaseData, named
from ..context import PageContext
from ..details import DetailOwner
from ..lexicon import BLOCK_SPACE as _S
from ..lexicon import CAP_WORD as _CAPW
from ..lexicon import alternation, capital_after, word_start

__all__ = ["Places"]

_CONN = r"(?:of|and|the|for|upon|on|&|de|la)"
_NOT_PLACE = {
    *"January February March April May June July August September October November December".split(),
    *"Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
    *"The A An I He She They It We Year".split(),
}


_WORD_BEFORE = re.compile(r"([A-Za-z']+)[ \t]*$")


def _next_word(suffixes: Sequence[str]) -> str:
    """After the first word of a place name, a lookahead for a space and the first character of what may follow it
    (a connecting word, a capitalised word, a suffix): a capitalised word before an ordinary one (most of them) is
    passed over at once instead of trying each connecting word and suffix. The same matches; none where a suffix
    does not open with a character of its own."""
    firsts = {s[:1] for s in suffixes}
    if "" in firsts or any(c.isspace() for c in firsts):
        return ""
    chars = "".join(re.escape(c) for c in sorted(firsts | {w[0] for w in _CONN[3:-1].split("|")}))
    return rf"(?={_S}[A-Z{chars}])"


class Places:
    """A PageDetector: named places of the people named on the page."""

    def __init__(self, case: CaseData):
        lx = case.lex
        self.owner = case.shared(DetailOwner)
        psuf = alternation(list(lx.place_suffixes))
        first = capital_after(r"\w'\-")  # the capital of _CAPW with no word character before it
        self._place_re = re.compile(
            rf"{first}[A-Za-z'\-]*\.?{_next_word(lx.place_suffixes)}(?:{_S}(?:{_CONN}{_S})*{_CAPW}){{0,6}}{_S}{psuf}"
            rf"(?:{_S}of{_S}{_CAPW}(?:{_S}{_CAPW}){{0,3}})?(?![\w])"
        )
        cues = word_start(list(lx.place_cues), r"\w", ignore_case=False)
        nouns = alternation(list(lx.place_nouns))
        self._place_noun_re = re.compile(
            rf"{cues}{_S}(?:(?:the|a|an){_S})?(?P<place>{_CAPW}(?:{_S}{_CAPW}){{0,3}}{_S}{nouns})(?![\w])"
        )
        # after "works at", "employed by" ... a capitalised name is the workplace, whatever its last word
        jobs = word_start(
            [c for c in lx.place_cues if c.split()[0].startswith(("work", "employ", "job"))], r"\w", ignore_case=False
        )
        self._employer_re = re.compile(
            rf"{jobs}{_S}(?:(?:the|a|an){_S})?"
            rf"(?P<place>{_CAPW}(?:{_S}(?:&{_S}|and{_S}|of{_S})?{_CAPW}){{0,3}})(?![\w])"
        )
        # "her nursery (Little Acorns)", "his school (Moorside)": the name in brackets after a place noun
        self._place_nouns = frozenset(n.split()[-1].casefold() for n in lx.place_nouns if n.split())
        self._bracket_re = re.compile(rf"[ \t]*(?P<place>{_CAPW}(?:{_S}(?:{_CONN}{_S})*{_CAPW}){{0,4}})[ \t]*\)")
        res = [word_start(list(lx.residence_cues), r"\w", ignore_case=False)] + [
            p.pattern for p in lx.place_cue_patterns
        ]
        self._town_re = re.compile(rf"(?:{'|'.join(res)}){_S}(?P<place>{_CAPW}(?:{_S}{_CAPW}){{0,2}})(?![\w])")

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        text = pt.text
        people = named(found)
        spans: dict[tuple[int, int], int] = {}  # place span -> offset whose owner the place belongs to
        cued: set[tuple[int, int]] = set()  # spans named by a work cue: a name wrapped at a line end is still one
        for m in self._place_re.finditer(text):
            spans[m.span()] = m.start()
        i = text.find("(")
        while i >= 0:  # (each bracket, and the word before it: quicker than a search for the nouns)
            before = _WORD_BEFORE.search(text, max(0, i - 24), i)
            if before and before.group(1).islower() and before.group(1) in self._place_nouns:
                # (a noun in lower case: "Holly Bank Farm (Rhona and Clive Baxter)" names the farm's people)
                b = self._bracket_re.match(text, i + 1)
                if b and not any(b.start("place") < p.end and p.start < b.end("place") for p in people):
                    spans.setdefault(b.span("place"), before.start())
            i = text.find("(", i + 1)
        for rx in (self._place_noun_re, self._employer_re, self._town_re):
            for m in rx.finditer(text):
                s, e = m.span("place")
                # "Tom lives with Lisa in X": X is where the subject of the verb lives
                spans.setdefault((s, e), m.start() if rx is self._town_re else s)
                if rx is self._employer_re:
                    cued.add((s, e))
        name_spans = [(p.start, p.end) for p in people]
        out = []
        for (s, e), anchor in sorted(spans.items()):
            lines = text[s:e].split("\n")
            if len(lines) > 2 or (len(lines) == 2 and len(lines[0].split()) < 2 and (s, e) not in cued):
                continue  # a column of labels, not a name wrapped at a line end
            if any(a <= s and e <= b for a, b in name_spans):
                continue  # "lives with Jemma Carr": a name, not a place
            if text[s:e].split()[0] in _NOT_PLACE:
                continue
            pid, via = self.owner.attribute(ctx, anchor, e if anchor == s else anchor + 1, people)
            if pid is not None:
                out.append(Mention(doc, page, s, e, text[s:e], "contact", pid, "contact.place", via=via))
        return out
