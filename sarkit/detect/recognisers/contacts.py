"""Contact details (kind `contact`): phone numbers, e-mail addresses, social-media handles, address
lines and postcodes, each attributed to the person it belongs to and qualified `work` or `personal`.

A phone number must have a UK number's length and leading digit; an e-mail address goes to the person
its local part spells ("jsmith@", "jane.smith@") before its place on the page is read. Detector ids:
id.phone, id.email, id.handle, id.address, id.postcode.
Data: redaction-rules/identifiers.yaml (`patterns` id.phone, id.email, id.handle (optional),
id.postcode; `address` unit words and street suffixes; `work_domains`, `personal_domains`; the
attribution cues of `details.DetailOwner`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from ...models import Manifest, Mention
from ...text import PageText
from ..base import CaseData, named
from ..context import PageContext
from ..details import DetailOwner
from ..lexicon import BLOCK_SPACE, CAP_WORD, alternation, alternatives, letter_groups, required_char

__all__ = ["Contacts"]


_TOWN = re.compile(r"[ \t,]*\n?[ \t]*([A-Z][\w'\-]*(?:[ \t,]*\n?[ \t]*[A-Z][\w'\-]*){0,3})[ \t,]*\n?[ \t]*")


_TOWN_GAP = re.compile(r"(?:[ \t,]*\n?[ \t]*[A-Z][\w'\-]*)*[ \t,]*\n?[ \t]*")


def _line_before(text: str, start: int, lines: list[Mention]) -> Mention | None:
    """The address line a postcode ends: only a comma, spaces and a capitalised town or two between them."""
    for line in reversed(lines):
        gap = text[line.end : start]
        if line.end <= start and len(gap) <= 50 and _TOWN_GAP.fullmatch(gap):
            return line
    return None


_PHONE_GAP = re.compile(r"[ \t,;(\-]*(?:[A-Za-z]{1,9}[.:]?[ \t]*)?")


def _address_before(text: str, start: int, lines: list[Mention]) -> Mention | None:
    """The address (line or postcode) a phone number follows on its line: "..., EK1 2AB (home 01632 ...)"."""
    for line in reversed(lines):
        gap = text[line.end : start]
        if line.end <= start and len(gap) <= 16 and _PHONE_GAP.fullmatch(gap):
            return line
    return None


_NON_DIGIT = re.compile(r"\D")
_NON_LOWER = re.compile(r"[^a-z]")


class Contacts:
    """A PageDetector: contact details of the people named on the page (after every name recogniser)."""

    def __init__(self, case: CaseData):
        lx = case.lex
        self.manifest: Manifest = case.manifest
        self.owner = case.shared(DetailOwner)
        self._pat = lx.patterns
        self._email_char = required_char(lx.patterns["id.email"])  # "@": a page without it has no address
        self._work_domains = lx.work_domains
        self._personal_domains = lx.personal_domains
        units = alternation(list(lx.unit_words))
        sufs = alternation(list(lx.street_suffixes))
        num = r"\d{1,4}[A-Za-z]?(?:-\d{1,4})?"
        street = rf"{CAP_WORD}(?:{BLOCK_SPACE}{CAP_WORD}){{0,3}}?{BLOCK_SPACE}{sufs}"
        unit_parts = letter_groups(alternatives(list(lx.unit_words)), ignore_case=False)
        if unit_parts is not None:
            # opening with its first character, the lookbehind after it, then a unit word or a house number (the
            # same matches)
            letters, rests = unit_parts
            self._addr_re = re.compile(
                rf"[{letters}\d](?<![\w/.][{letters}\d])(?:(?:{rests}){BLOCK_SPACE}{num}[A-Za-z]?,?{BLOCK_SPACE}"
                rf"(?:{num},?{BLOCK_SPACE})?|(?<=\d)\d{{0,3}}[A-Za-z]?(?:-\d{{1,4}})?,?{BLOCK_SPACE}){street}(?![\w])"
            )
        else:
            self._addr_re = re.compile(
                rf"(?<![\w/.])(?:{units}{BLOCK_SPACE}{num}[A-Za-z]?,?{BLOCK_SPACE}(?:{num},?{BLOCK_SPACE})?"
                rf"|{num},?{BLOCK_SPACE}){street}(?![\w])"
            )

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        text = pt.text
        people = named(found)
        attribute, qualify = self.owner.attribute, self.owner.qualify
        out: list[Mention] = []

        def add(m: re.Match[str], det: str, person: str | None, via: str, qual: str = "") -> None:
            s, e = m.span()
            out.append(Mention(doc, page, s, e, text[s:e], "contact", person, det, qualifier=qual, via=via))

        lines: list[Mention] = []
        addresses: list[Mention] = []
        for rx, det in ((self._addr_re, "id.address"), (self._pat["id.postcode"], "id.postcode")):
            for m in rx.finditer(text):
                line = _line_before(text, m.start(), lines) if det == "id.postcode" else None
                if line is not None:  # "5 Elm Drive, Kettlewick EK1 2AB": the postcode is the address line's
                    pid, via = line.person, "same address"
                    town = _TOWN.fullmatch(text, line.end, m.start())
                    if town:  # and so is the town between them: the address line runs on to its end
                        e = town.end(1)
                        longer = dataclasses.replace(line, end=e, text=text[line.start : e])
                        out[out.index(line)] = longer
                        addresses[addresses.index(line)] = longer
                        lines[lines.index(line)] = longer
                else:
                    pid, via = attribute(ctx, m.start(), m.end(), people)
                add(m, det, pid, via, qualify(ctx, m.start(), pid))
                if det == "id.address":
                    lines.append(out[-1])
                addresses.append(out[-1])
        for m in self._pat["id.phone"].finditer(text):
            digits = _NON_DIGIT.sub("", m.group(0))
            national = digits[2:] if m.group(0).startswith("+") else digits[1:]
            if len(national) not in (9, 10) or national[0] not in "123578":
                continue
            if national[0] == "7" and len(national) != 10:
                continue
            line = _address_before(text, m.start(), addresses)
            if line is not None:  # "22 Elm Close, EK1 2AB (home 01632 960000)": the address's phone
                pid, via = line.person, "same address"
            else:
                pid, via = attribute(ctx, m.start(), m.end(), people)
            add(m, "id.phone", pid, via, qualify(ctx, m.start(), pid))
        email_re = self._pat["id.email"]
        for m in email_re.finditer(text) if self._email_char is None or self._email_char in text else ():
            pid, via = self._email_person(m.group(0))
            if pid is None:
                pid, via = attribute(ctx, m.start(), m.end(), people)
            add(m, "id.email", pid, via, self._email_qualifier(m.group(0)))
        handle_re = self._pat.get("id.handle")  # optional in an authority's own patterns file
        for m in handle_re.finditer(text) if handle_re is not None else ():
            pid, via = attribute(ctx, m.start(), m.end(), people)
            add(m, "id.handle", pid, via, "personal")
        profile_re = self._pat.get("id.profile")  # optional too
        for m in profile_re.finditer(text) if profile_re is not None and ".com/" in text else ():
            pid, via = attribute(ctx, m.start(), m.end(), people)
            add(m, "id.profile", pid, via, "personal")
        return out

    def _email_person(self, email: str) -> tuple[str | None, str]:
        local = _NON_LOWER.sub("", email.split("@")[0].lower())
        scores: dict[str, int] = {}
        for p in self.manifest.people:
            tokens = [t.lower() for t in p.name.split()]
            first, last = tokens[0], tokens[-1]
            score = 0
            if len(tokens) > 1 and len(last) >= 3 and last in local:
                score += 2
            if len(first) >= 4 and local.startswith(first):
                score += 1
            if len(tokens) > 1 and len(last) >= 4 and local.startswith(first[:1] + last):
                score += 1
            if score:
                scores[p.id] = score
        if not scores:
            return None, ""
        top = max(scores.values())
        best = [pid for pid, s in scores.items() if s == top]
        return (best[0], "email address") if len(best) == 1 else (None, "")

    def _email_qualifier(self, email: str) -> str:
        domain = email.rsplit("@", 1)[-1].lower()
        if any(domain.endswith(d.lower()) for d in self._work_domains):
            return "work"
        if any(domain == d.lower() for d in self._personal_domains):
            return "personal"
        return ""
