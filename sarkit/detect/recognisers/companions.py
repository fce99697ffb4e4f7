"""Give-away companions of protected people (kind `contact`): in a sentence naming a referrer (by name, or as
"the caller" or "the referrer" where the case has one referrer), a withheld name or an unregistered person,
the details that give them away ("the lady at number 14", "next door", "from Acorn Terrace", "the flat below
the family") are proposed as contact details of the same person.

Runs after every recogniser of people (it reads their name mentions). Detector id: contact.companion.
Data: street suffixes of redaction-rules/identifiers.yaml (`address.street_suffixes`); `referrer` of
case.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...models import Manifest, Mention
from ...text import PageText
from ..base import CaseData, named
from ..context import PageContext
from ..lexicon import alternation

__all__ = ["Companions"]


def _holds_referrer_word(text: str) -> bool:
    """Whether text holds a referrer word in any case (tested before the word pattern, which opens with its
    lookbehind and ignores case: a search of the lower-cased page is much quicker)."""
    low = text.lower()
    return "caller" in low or "referrer" in low or "informant" in low


class Companions:
    """A PageDetector: details in the sentence of a protected person that give them away."""

    def __init__(self, case: CaseData):
        self.manifest: Manifest = case.manifest
        sufs = alternation(list(case.lex.street_suffixes))
        # the words a record uses for the person who made the referral, in place of their name
        self._referrer_word = re.compile(r"(?<![\w])(?:the\s+)?(?:caller|referrer|informant)(?![\w])", re.IGNORECASE)
        self._referrer_ids = [p.id for p in self.manifest.people if p.referrer]
        self._res = [
            re.compile(
                r"(?<![\w])(?:the\s+)?(?:lady|man|woman|family|couple|people|neighbours?|house|flat)?\s*"
                r"(?:at|from|of|in|on)\s+(?:number|No\.?|no\.?)\s*\d+[A-Za-z]?(?![\w])"
            ),
            re.compile(
                r"(?<![\w])(?:next[\s-]door|across\s+the\s+(?:road|street|landing)|over\s+the\s+road|"
                r"upstairs|downstairs|opposite)(?![\w])",
                re.IGNORECASE,
            ),
            # a home placed by another: "the flat below the family", "the house opposite them"
            re.compile(
                r"(?<![\w])(?:the\s+)?(?:flat|house|home|maisonette|bungalow|caravan|place)\s+(?:directly\s+)?"
                r"(?:below|above|beneath|underneath|opposite|next\s+door\s+to|next\s+to|across\s+from|behind|"
                r"beside)\s+(?:the\s+family|them|theirs|hers?|his|him|ours|us|the\s+[A-Z]\w+s)(?![\w])",
                re.IGNORECASE,
            ),
            re.compile(
                rf"(?<![\w])(?:in|on|from|at|of|along)\s+(?:the\s+)?(?P<st>[A-Z][\w'\-]*(?:\s+[A-Z][\w'\-]*){{0,2}}"
                rf"\s+{sufs})(?![\w])"
            ),
        ]

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        out: list[Mention] = []
        text = pt.text
        protected = [
            m
            for m in named(found)
            if m.qualifier == "withheld"
            or m.unregistered is not None
            or (m.person is not None and self._is_referrer(m.person))
        ]
        referrers = self._referrer_ids
        if len(referrers) == 1 and _holds_referrer_word(text) and self._referrer_word.search(text):
            # "Caller lives in the flat below the family": the case's one referrer, named by their part
            named_spans = [(m.start, m.end) for m in found if m.kind == "name"]
            for w in self._referrer_word.finditer(text):
                if not any(a < w.end() and w.start() < b for a, b in named_spans):
                    protected.append(
                        Mention(doc, page, w.start(), w.end(), w.group(0), "name", referrers[0], "role", via="role")
                    )
        seen: set[tuple[int, int]] = set()
        # a sentence's matches are read once, for all the people in it
        by_sentence: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for p in protected:
            s0, s1 = ctx.sentence(p.start)
            spans = by_sentence.get((s0, s1))
            if spans is None:
                spans = by_sentence[(s0, s1)] = self._in_sentence(text, s0, s1)
            for s, e in spans:
                if (s, e) in seen or (p.start < e and s < p.end):
                    continue
                seen.add((s, e))
                out.append(
                    Mention(
                        doc,
                        page,
                        s,
                        e,
                        text[s:e],
                        "contact",
                        p.person,
                        "contact.companion",
                        unregistered=p.unregistered if p.person is None else None,
                        via="gives away a protected person",
                    )
                )
        return out

    def _in_sentence(self, text: str, s0: int, s1: int) -> list[tuple[int, int]]:
        """The spans the patterns find in text[s0:s1], pattern by pattern, in order."""
        out = []
        for rx in self._res:
            for c in rx.finditer(text, s0, s1):
                out.append((c.start("st"), c.end("st")) if "st" in rx.groupindex else c.span())
        return out

    def _is_referrer(self, pid: str) -> bool:
        try:
            return self.manifest.person(pid).referrer
        except KeyError:
            return False
