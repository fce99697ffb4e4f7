"""Where a person lives, written without a postcode (kind `contact`): towns, villages, estates, streets.

Places (the recogniser before) reads institutions and cued towns ("lives in X"); this one reads the rest:

- a locality after a preposition of place ("in Thornley", "over at Moor End", "placed with her in Little
  Coldwell"): capitalised words of which one is no ordinary English word nor a given name, or that end
  in a locality word ("Moor End", "Hollins Cross", "Lyndon St Mary"); detector contact.place;
- an estate or a block: "the Lowfield estate", "the Grange flats", or an estate named alone at the end of
  "on the" or "off the" ("a flat on the Brookfield."); detector contact.place;
- a street without a house number ("a new flat on Ashby Street", "Marsh Lane"); detector id.address;
- an address line in capitals ("14 FLEECE LANE", "FLAT 9, CLEGG HOUSE") and a flat in a named building
  ("Flat 9, Clegg House"); detector id.address;
- a house name before a street line ("The Old Forge, Church Lane"); detector id.address;
- a place written in lower case after a preposition of place or before "estate": in notes written in lower
  case (a person's name on the page is in lower case), a word that is no ordinary English word, nor a name,
  nor a compound of two ordinary words unless its last part is a place-name ending ("at oakmere"); on any
  page, a word the same document named as a place in capitals before; detector contact.place.

Each is attributed to the person its clause, sentence, row or block ties it to (`details.DetailOwner`:
the mother's new flat is hers, the subject's own home is kept); a locality or street tied to no one is
not proposed (a town alone is no one's whereabouts), an address line tied to no one is (redacted to be
safe, as a postcode is).
Data: redaction-rules/words/context.yaml (`place_before`, `locality_suffixes`, `place_nouns_after`,
`building_words`, `place_name_endings`), english-words.txt, the names lists; identifiers.yaml
(`street_suffixes`, `unit_words`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ...models import Mention
from ...text import PageText
from ..base import CaseData, named
from ..context import PageContext
from ..details import DetailOwner
from ..lexicon import alternation, alternatives, capital_after, letter_groups, word_start
from ..words import Words

__all__ = ["Localities"]

_CAP = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_CAPS = r"[A-Z][A-Z'\-]+"
_CONNECT = r"(?:St\.?|upon|on|under|in|le|de|la|by|the)"
_CONNECT_RX = re.compile(_CONNECT)
# streets so named that any capitalised words before them are a street ("Station Road", "Church Lane")
_STREETS = [
    "Road",
    "Street",
    "Lane",
    "Avenue",
    "Close",
    "Crescent",
    "Drive",
    "Terrace",
    "Grove",
    "Gardens",
    "Mews",
    "Walk",
    "Parade",
    "Wynd",
    "Way",
    "Rise",
    "Row",
    "Boulevard",
    # the abbreviations notes use ("above the chippy on Mill Rd"); not "St" or "Dr" (Saint, Doctor)
    "Rd",
    "Ave",
    "Ln",
    "Gdns",
    "Cres",
    "Terr",
]
_ADDRESS_GAP = re.compile(r"(?:[ \t,]*\n?[ \t]*(?:[A-Z][\w'\-]*|St\.?))*[ \t,]*\n?[ \t]*")
_NOT_PLACE = {
    *"january february march april may june july august september october november december".split(),
    *"monday tuesday wednesday thursday friday saturday sunday the a an i he she they it we year".split(),
}


# "the" with no word character before it, opening with its letter (`(?<![\w])[Tt]he`: the same matches)
_THE = r"[Tt](?<![\w][Tt])he"
_NEXT_CAP = re.compile(r"[ \t]+[A-Z]")
_NON_SPACE = re.compile(r"\S+")
_CAP_WORD = re.compile(r"[A-Z][a-z]{3,}")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[ \t]+$")


class Localities:
    """A PageDetector: localities, estates and streets of the people named on the page; after Places."""

    def __init__(self, case: CaseData):
        self.w = case.shared(Words)
        self.owner = case.shared(DetailOwner)
        lx, w = case.lex, self.w
        prep = word_start(list(w.place_before), r"\w", ignore_case=False)
        self._loc_re = re.compile(
            rf"(?P<prep>{prep})[ \t]+(?:(?:over|out)[ \t]+(?:at|in)[ \t]+)?"
            rf"(?P<place>{_CAP}(?:[ \t]+(?:{_CONNECT}[ \t]+)?{_CAP}){{0,3}})(?![\w\-])"
        )
        # an estate named without the word: "a flat in Kingsway House on the Brookfield", "lives off the Moorside."
        self._on_the_re = re.compile(rf"(?<![\w])(?:on|off)[ \t]+the[ \t]+(?P<place>{_CAP})(?=[ \t]*(?:[.,;:!?)\n]|$))")
        self._estate_re = re.compile(
            rf"{_THE}[ \t]+(?P<place>{_CAP}(?:[ \t]+{_CAP}){{0,2}}[ \t]+"
            rf"{alternation(list(w.place_nouns_after))})(?![\w])"
        )
        streets = alternation(_STREETS + [s.upper() for s in _STREETS])
        first = capital_after(r"\w'\-") + r"[a-z]+(?:-[A-Z][a-z]+)?"  # _CAP with no word character before it
        # (after the first word a space and a capital, every word after it and every street word being capitalised:
        # a word before an ordinary one is passed over at once; the same matches)
        self._street_re = re.compile(rf"(?P<st>{first}(?=[ \t]+[A-Z])(?:[ \t]+{_CAP}){{0,2}}[ \t]+{streets})(?![\w])")
        units = list(lx.unit_words)
        units_all = alternation(units + [u.upper() for u in units])
        sufs = list(lx.street_suffixes) + list(w.building_words)
        caps_sufs = alternation([s.upper() for s in sufs])
        num = r"\d{1,4}[A-Za-z]?"
        tail = rf"(?:[ \t]+{_CAPS}){{0,2}}[ \t]+{caps_sufs}(?![\w])"
        unit_parts = letter_groups(alternatives(units + [u.upper() for u in units]), ignore_case=False)
        if unit_parts is not None:
            # opening with its first character, the lookbehind after it, then each way the line may open in its
            # order: a unit word, a house number, a word in capitals (the same matches)
            letters, rests = unit_parts
            self._caps_addr_re = re.compile(
                rf"[A-Z\d{letters}](?<![\w/.][A-Z\d{letters}])"
                rf"(?:(?:{rests})[ \t]+{num},?[ \t]+(?:{num},?[ \t]+)?{_CAPS}{tail}"
                rf"|(?<=\d)\d{{0,3}}[A-Za-z]?,?[ \t]+{_CAPS}{tail}|(?<=[A-Z])[A-Z'\-]+{tail})"
            )
        else:
            self._caps_addr_re = re.compile(
                rf"(?<![\w/.])(?:(?:{units_all})[ \t]+{num},?[ \t]+)?(?:{num},?[ \t]+)?{_CAPS}{tail}"
            )
        buildings = alternation(list(w.building_words))
        units_first = word_start(units + [u.upper() for u in units], r"\w/.", ignore_case=False)
        self._flat_re = re.compile(
            rf"(?:{units_first})[ \t]+{num},?[ \t]+{_CAP}(?:[ \t]+{_CAP}){{0,2}}[ \t]+{buildings}(?![\w])"
        )
        self._house_re = re.compile(
            rf"(?:^|(?<=[\n:]))[ \t]*(?P<h>(?:The[ \t]+)?{_CAP}(?:[ \t]+{_CAP}){{0,2}}),[ \t]*\n?[ \t]*$"
        )
        self._town_after_re = re.compile(
            rf",[ \t]*\n?[ \t]*(?P<place>{_CAP}(?:[ \t]+(?:St\.?|{_CAP})){{0,3}})(?=[ \t]*(?:,|\n|$|[A-Z]{{1,2}}\d))"
        )
        # a place written in lower case ("back from visiting kacey at oakmere", "the lowfield estate")
        low_prep = word_start(list(w.place_before), r"\w'\-", ignore_case=False)
        self._low_loc_re = re.compile(rf"(?:{low_prep})[ \t]+(?P<place>[a-z][a-z'\-]{{3,}}[a-z])(?![\w\-@]|\.\w)")
        self._low_estate_re = re.compile(
            rf"{_THE}[ \t]+(?P<place>[a-z][a-z\-]{{3,}})[ \t]+{alternation(list(w.place_nouns_after))}(?![\w])"
        )
        self._preps = frozenset(p.casefold() for p in w.place_before)
        self._doc: str | None = None
        self._vocab: set[str] = set()  # the single words of the places found so far in the document
        self._postcode = lx.patterns["id.postcode"]
        self._place_word = {s.casefold() for s in list(lx.place_suffixes) + list(w.building_words)}
        self._locality_suffix = {s.casefold() for s in w.locality_suffixes}

    # ------------------------------------------------------------ what a locality is

    def _locality(self, words: list[str]) -> bool:
        """Capitalised words that name a place: one of them no ordinary word nor a given name
        ("Thornley", "Hollins Cross"), or two words ending in a locality word ("Moor End")."""
        w = self.w
        toks = [t for t in words if not _CONNECT_RX.fullmatch(t)]
        if not toks or toks[0].casefold() in _NOT_PLACE:
            return False
        if any(t.casefold() in w.registered or t.casefold() in w.safe or t.casefold() in w.glossary for t in toks):
            return False
        if any(not w.ordinary(t) and not w.given(t) for t in toks):
            return True
        tail = " ".join(words[1:]).casefold()
        return len(words) >= 2 and (words[-1].casefold() in self._locality_suffix or tail in self._locality_suffix)

    def _lower_place(self, word: str, lower_page: bool) -> bool:
        """A lower-case word after a preposition of place (or before "estate") that names a place: one the
        document already named as a place in capitals ("Oakmere Lodge" ... "at oakmere"), or, in notes written
        in lower case, one that is no ordinary English word, nor a name, nor a glossary or safe word."""
        f = word.casefold()
        if f in self._vocab:
            return True
        w = self.w
        if not lower_page or len(f) < 5 or f in _NOT_PLACE or f in w.registered:
            return False
        if w.ordinary(word) or w.given(word) or w.surname(word):
            return False
        # two ordinary words are a compound ("lockdown", "sleepover") unless the last is a place's ("oak|mere")
        return not any(
            f[:i] in w.english and f[i:] in w.english and f[i:] not in w.place_name_endings
            for i in range(3, len(f) - 2)
        )

    def _caps_street_start(self, text: str, m: re.Match[str]) -> int | None:
        """Where the street name of a line in capitals with no number starts: after the last preposition of place
        in it ("... CHIPPY ON KILN STREET"), or at its start after one ("SEEN IN ASHBY ROAD"); else None."""
        toks = list(_NON_SPACE.finditer(m.group(0)))
        for i in range(len(toks) - 2, -1, -1):
            if toks[i].group(0).casefold() in self._preps or toks[i].group(0).casefold() == "on":
                return m.start() + toks[i + 1].start() if i + 1 < len(toks) - 1 else None
        before = _WORD_BEFORE.search(text, max(0, m.start() - 12), m.start())
        ok = before is not None and before.group(1).casefold() in self._preps | {"on"}
        return m.start() if ok else None

    def _postcode_after(self, text: str, end: int) -> bool:
        p = self._postcode.search(text, end, end + 60)
        return bool(p and _ADDRESS_GAP.fullmatch(text, end, p.start()))

    # ------------------------------------------------------------ the page

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        text = pt.text
        people = named(found)
        name_spans = [(p.start, p.end) for p in people]
        contacts = [(m.start, m.end) for m in found if m.kind == "contact"]
        out: list[Mention] = []

        def covered(s: int, e: int) -> bool:
            return any(a < e and s < b for a, b in name_spans) or any(a <= s and e <= b for a, b in contacts)

        def add(s: int, e: int, det: str, anchor: int, need_owner: bool, owner: Mention | None = None) -> None:
            if covered(s, e) or any(a < e and s < b for a, b, *_ in ((m.start, m.end) for m in out)):
                return
            if owner is not None:
                pid, via = owner.person, "same address"
            else:
                pid, via = self.owner.attribute(ctx, anchor, e if anchor == s else anchor + 1, people)
            if pid is None and need_owner and via not in ("same clause", "relative clause"):
                return  # tied to no one (an unregistered person named in the same clause is someone)
            out.append(Mention(doc, page, s, e, text[s:e], "contact", pid, det, via=via or "unattributed"))

        def town_after(e: int, anchor: int) -> None:
            """The locality after an address line found just now is part of the same address."""
            t = self._town_after_re.match(text, e)
            if t and out and out[-1].end == e and self._locality(t["place"].split()):
                add(t.start("place"), t.end("place"), "contact.place", anchor, False, out[-1])

        for m in self._caps_addr_re.finditer(text):
            if re.search(r"\d", m.group(0)):
                add(m.start(), m.end(), "id.address", m.start(), False)
                town_after(m.end(), m.start())
            elif m.group(0).split()[-1].title() in _STREETS:
                # "FLAT ABOVE THE CHIPPY ON KILN STREET": a street in capitals after a preposition of place
                s = self._caps_street_start(text, m)
                if s is not None and text.startswith("THE ", s) and " " in text[s + 4 : m.end()]:
                    s += 4
                if s is not None:
                    add(s, m.end(), "id.address", s, True)
        for m in self._flat_re.finditer(text):
            add(m.start(), m.end(), "id.address", m.start(), False)
            town_after(m.end(), m.start())
        for m in self._street_re.finditer(text):
            s, e = m.span("st")
            toks = text[s:e].split()
            if toks[0].casefold() in _NOT_PLACE or any(t.casefold() in self.w.registered for t in toks[:-1]):
                continue
            h = self._house_re.search(text, max(0, s - 60), s)
            line = self._postcode_after(text, e)  # a street ending in a postcode: an address line, tied or not
            if h and not covered(h.start("h"), h.end("h")) and (line or not covered(s, e)):
                add(h.start("h"), h.end("h"), "id.address", s, not line)
            add(s, e, "id.address", s, not line)
            town_after(e, s)
        for m in self._estate_re.finditer(text):
            s, e = m.span("place")
            add(s, e, "contact.place", m.start(), True)
        for m in self._loc_re.finditer(text):
            words = m["place"].split()
            s, e = m.span("place")
            # stop before a word that ends a place of another kind ("at Ferncliffe House": Places reads it)
            if _NEXT_CAP.match(text[e : e + 2]) or words[-1].casefold() in self._place_word:
                continue
            while words and words[-1].casefold() in _NOT_PLACE:
                words.pop()
            if not words or not self._locality(words):
                continue
            e = s + [t.end() for t in _NON_SPACE.finditer(text[s:e])][len(words) - 1]
            add(s, e, "contact.place", m.start(), True)
        for m in self._on_the_re.finditer(text) if "the" in text else ():
            if self._locality([m["place"]]) and not self.w.surname(m["place"]):
                add(m.start("place"), m.end("place"), "contact.place", m.start(), True)
        self._lower_places(doc, text, people, found, out, add)
        return out

    def _lower_places(
        self, doc: str, text: str, people: list[Mention], found: Sequence[Mention], out: list[Mention], add: Any
    ) -> None:
        """Places written in lower case, and the document's vocabulary of places for the pages after."""
        if doc != self._doc:
            self._doc, self._vocab = doc, set()
        # notes written in lower case: a person's name on the page is in lower case ("niamh", "callum")
        # (not a name inside an e-mail address: "kayleigh.d04@example.com")
        lower_page = any(
            (p.person is not None or p.unregistered is not None)
            and p.text.islower()
            and not self.w.ordinary(p.text)
            and text[p.end : p.end + 1] not in (".", "@", "_")
            and text[p.start - 1 : p.start] not in (".", "@", "_")
            for p in people
        )
        if lower_page or self._vocab:
            for rx in (self._low_loc_re, self._low_estate_re):
                for m in rx.finditer(text):
                    if self._lower_place(m["place"], lower_page):
                        add(m.start("place"), m.end("place"), "contact.place", m.start(), True)
        for c in [*found, *out]:
            if c.kind == "contact" and c.detector == "contact.place" and not c.text.islower():
                self._vocab.update(
                    t.casefold()
                    for t in _CAP_WORD.findall(c.text)
                    if not self.w.ordinary(t) and t.casefold() not in self._place_word
                )
