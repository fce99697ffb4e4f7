"""People nobody registered, written informally (kind `name`, person None, proposed for review).

UnregisteredNames finds titles, full names and form fields; this recogniser finds the rest, by reading
words the Philter way (a word that is not an ordinary English word, nor a glossary term, nor a known
safe word, standing where a name stands) and the words that introduce a person:

- after an introducing cue: "a man called Ricky", "known as Big Steve", "her baby (Freya)";
- a given name after a nickname prefix: "Nanny Jan", "Big Steve", "Auntie Bev";
- a given name of the names lists standing alone ("Amira", "Ruby-Mae", "Chloe B"); one that is also an
  ordinary word ("Pat", "Summer") only where the words around make it a person; never after "in", "at";
- in lower-case writing, a given name of the lists that is no English word ("callum", "jess's"), and a
  lower-case given name with a listed surname ("summer atkins");
- a family: "the Kellys", "the Kowalski twins";
- a first name joined to a full name: "Pat and Dave Henshaw" (Pat Henshaw);
- an unknown capitalised word where only a person can stand ("Deano kicked off", "at Deano's", "with Tash");
- a word that may be a name, in a list with a person ("Karen Pike, Deano and Tash", "Mum & Summer").

Every later mention of a name found in the same document (any case, with 's) is the same person: one
grouping key (`unregistered`) per person, so one review decision covers them all.
Detector id: name.unregistered. Data: redaction-rules/words/ (english-words.txt, context.yaml), the
names lists of redaction-rules/names/, glossary.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...models import Mention
from ...text import PageText
from ..base import CaseData
from ..context import PageContext
from ..lexicon import CASE_LOOKALIKES, alternation, alternation_start, capital_after, word_start
from ..words import _NEXT_WORD, _WORD_BEFORE, Words
from .unregistered import UnregisteredNames


def same_name_re(parts: list[str]) -> re.Pattern[str]:
    r"""The names found before in the document (casefolded), in any case, with 's or s: `(?<![\w'@.\-])` and the
    names longest first, opening with their first letters where they all open with one (the same matches)."""
    alts = [re.escape(p) for p in sorted(parts, key=len, reverse=True)]
    start = alternation_start(alts, r"\w'@.\-", ignore_case=True)
    return re.compile(rf"(?P<w>{start})(?:['\u2019]?s)?(?![\w@]|-\w)", re.IGNORECASE)


__all__ = ["InformalNames"]

_CAP = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_LOW = r"[a-z]{3,}(?:-[a-z]+)?"
_Q = "[\"'\u2018\u201c]?"
_CAP_WORDS = re.compile(capital_after(r"\w'@.\-/") + r"[a-z]+(?:-[A-Z][a-z]+)?")
# (`(?<![\w'@.\-/])[a-z]{3,}...`, opening with its letter so re passes straight to the letters: the same matches)
_LOW_WORDS = re.compile(r"[a-z](?<![\w'@.\-/][a-z])[a-z]{2,}(?:-[a-z]+)?")
_NOT_NAME = {
    *"january february march april may june july august september october november december".split(),
    *"monday tuesday wednesday thursday friday saturday sunday".split(),
}


def _occurrences(rx: re.Pattern[str], text: str, words: list[str] | set[str]) -> list[re.Match[str]]:
    """rx matched at each place where one of the words stands as a whole word, in text order (str.find is
    much faster than a scan of every word when the words are few)."""
    out = []
    for w in words:
        i = text.find(w)
        while i >= 0:
            m = rx.match(text, i)
            if m and m["n"] == w:
                out.append(m)
            i = text.find(w, i + len(w))
    out.sort(key=lambda m: m.start())
    return out


_NEXT_CAP_WORD = re.compile(r"[ \t]+([A-Z][\w'\-]*)")
_NEXT_CAP_WORDS = re.compile(r"(?:[ \t]+[A-Z][\w'\-]*){1,3}")
_SAINT_BEFORE = re.compile(r"(?<![\w])St\.?[ \t]+$")
_DETERMINER_BEFORE = re.compile(r"(?<![\w])(?:[Tt]he|[Aa]n?)[ \t]+$")
_AND_BEFORE = re.compile(r"(?:,|[ \t]and|[ \t]&)[ \t]+$")
_PLACE_JOINED = re.compile(r"[A-Z][\w'\-]*(?:[ \t]+[A-Z][\w'\-]*)?(?:,|[ \t]+(?:and|or|&))[ \t]+$")
_AGE_AFTER = re.compile(r"[ \t]*\((?:aged?[ \t]*)?\d{1,2}(?:[ \t]*(?:yrs?|years?)(?:[ \t]+old)?)?\)")
_ROLE_GAP = re.compile(r"[ \t]*,?[ \t]*")
_APPOSITION = re.compile(r"[ \t]*[,(][ \t]*")
_AND_AFTER = re.compile(r"(?:(?P<comma>,)|[ \t]+(?:and|&))[ \t]+")


class InformalNames:
    """A PageDetector: unregistered people introduced informally; after UnregisteredNames."""

    def __init__(self, case: CaseData):
        self.w = case.shared(Words)
        w = self.w
        intro = word_start(list(w.introducers), r"\w", ignore_case=True)  # (`(?<![\w])` and the introducers)
        self._intro_re = re.compile(
            rf"(?:{intro})[ \t]+{_Q}(?P<n>{_CAP}(?:[ \t]+{_CAP})?)(?![\w])",
            re.IGNORECASE,
        )
        nouns = word_start(list(w.bracket_nouns), r"\w", ignore_case=True)  # (`(?<![\w])` and the nouns)
        self._bracket_re = re.compile(
            rf"(?:{nouns})[ \t]*\([ \t]*(?P<n>{_CAP}(?:[ \t]+{_CAP})?)[ \t]*\)",
            re.IGNORECASE,
        )
        prefixes = word_start(list(w.name_prefixes), r"\w'\-", ignore_case=False)
        self._prefix_re = re.compile(rf"(?P<p>{prefixes})[ \t]+(?P<n>{_CAP})(?![\w])")
        self._cap_re = re.compile(
            rf"(?<![\w'@.\-/])(?P<n>{_CAP})(?P<i>[ \t]+[A-HJ-Z](?![\w'\-]|\.[ \t]*[A-Z][a-z]))?"
            rf"(?P<s>['\u2019]s)?(?![\w@\-])"
        )
        self._low_re = re.compile(
            rf"(?<![\w'@.\-/])(?P<n>{_LOW})(?P<s>['\u2019]s)?(?![\w@])(?:(?=[ \t]+(?P<sur>{_LOW})(?![\w@'\u2019])))?"
        )
        self._family_re = re.compile(
            rf"[Tt](?<![\w][Tt])he[ \t]+(?:(?P<pl>{_CAP})(?:s|es)(?![\w'])|(?P<n>{_CAP})[ \t]+"
            rf"{alternation(list(w.family_nouns))}(?![\w]))"
        )
        self._and_re = re.compile(rf"(?P<a>{_CAP}),?[ \t]+(?:and|&)[ \t]+$")
        suffixes = set(case.lex.street_suffixes) | set(case.lex.place_suffixes) | set(w.building_words)
        self._place_word = {s.casefold() for s in suffixes} | {s.casefold() for s in w.locality_suffixes}
        self._org_word = frozenset(o.casefold() for o in case.lex.organisation_words)
        self.unregistered = case.shared(UnregisteredNames)  # the one the registry runs: its role words of the page
        self._endings = tuple(sorted(w.place_name_endings))
        self._terms = _vocabulary_words(case.rules_dir)
        self._shape: dict[str, bool] = {}
        self._low_shape: dict[str, bool] = {}  # a lower-case word of the case -> a name-shaped word no list knows
        self._role_ends: tuple[str, frozenset[int]] | None = None
        self._cache: dict[str, bool] = {}
        self._intro_keys = tuple({i.split()[0].lower() for i in w.introducers if i.split()})
        # the cue regexes run only on pages holding one of their words; where every such word is ASCII (or every
        # prefix one word), a page with no letter that matches an ASCII one only when case is ignored holds one
        # wherever the regex matches, so the test is left out there (most pages hold one: "the", "we")
        self._intro_ascii = all(k.isascii() for k in self._intro_keys)
        self._prefix_words = all(k.split() == [k] for k in w.name_prefixes)
        self._given = frozenset(w.names.given)
        self._later_rx: dict[tuple[str, ...], re.Pattern[str]] = {}
        self._doc = ""
        self._parts: dict[str, str] = {}  # a name found in this document (casefolded) -> grouping key

    # ------------------------------------------------------------ helpers

    def _maybe_name(self, word: str) -> bool:
        """Worth a close look: a given name of the lists, or a word no list knows (cached per case)."""
        hit = self._cache.get(word)
        if hit is None:
            hit = self._is_given(word) or (self.w.name_like(word) and self._free_name(word))
            self._cache[word] = hit
        return hit

    def _is_given(self, word: str) -> bool:
        parts = word.split("-")
        return all(self.w.given(p) for p in parts) and word.casefold() not in self.w.registered

    def _free_name(self, word: str) -> bool:
        f = word.casefold()
        return f not in self.w.registered and f not in _NOT_NAME and f not in self.w.safe and f not in self.w.glossary

    def _person_shaped(self, word: str) -> bool:
        """A word no list knows that is shaped like a person's name, not a place's or a medicine's: it does not
        end the way English place names end ("Thornaby", "Hexley", "Kettlewick"), is no term of the open
        vocabularies ("Diazepam") and no ordinary word with two letters swapped ("thier"). Cached per case."""
        hit = self._shape.get(word)
        if hit is None:
            f = word.casefold()
            hit = f not in self._terms and not any(f.endswith(e) and len(f) > len(e) for e in self._endings)
            hit = hit and not self.w.transposed_word(f)
            self._shape[word] = hit
        return hit

    def _placed(self, text: str, word: str) -> bool:
        """The page uses the word as a place somewhere: after a preposition of place or before a place's word."""
        i = text.find(word)
        while i >= 0:
            if (i == 0 or not text[i - 1].isalnum()) and (
                self.w.after_place_word(text, i) or self._next_is_place(text, i + len(word))
            ):
                return True
            i = text.find(word, i + len(word))
        return False

    def _joined_to_place(self, text: str, start: int) -> bool:
        """The word follows "and", "or" or a comma after a place ("to Ashvale and Brindle"): a place too."""
        m = _PLACE_JOINED.search(text, max(0, start - 40), start)
        return bool(m and self.w.after_place_word(text, m.start()))

    def _weak_context(self, text: str, start: int, end: int) -> bool:
        """A word next to it that tells a person only of a name-shaped word ("Jaxon is", "about Deano"): a
        verb after it or a word before it that goes with people; not "and", which joins places as well."""
        m = _NEXT_WORD.match(text, end)
        if m and m.group(1).casefold() != "and" and m.group(1).casefold() in self.w.person_after:
            return True
        m = _WORD_BEFORE.search(text, max(0, start - 24), start)
        return bool(m and m.group(1).casefold() != "and" and m.group(1).casefold() in self.w.person_before)

    def _named_by_role(self, text: str, start: int, end: int) -> bool:
        """A role word right before it ("her boyfriend Deano", "a friend, Tash") or after it, set off by a comma
        or a bracket ("Deano, her boyfriend")."""
        if self._role_ends is None or self._role_ends[0] is not text:
            self._role_ends = (text, frozenset(r.end() for r in self.unregistered._roles(text)))
        ends = self._role_ends[1]
        if ends and any(k in ends and _ROLE_GAP.fullmatch(text, k, start) for k in range(max(0, start - 3), start)):
            return True
        a = _APPOSITION.match(text, end)
        return bool(a and self.unregistered._role_re.match(text, a.end()))

    def _next_is_place(self, text: str, end: int) -> bool:
        m = _NEXT_CAP_WORD.match(text[end : end + 30])
        return bool(m and m.group(1).casefold() in self._place_word)

    def _opens_organisation(self, text: str, end: int) -> bool:
        """The capitalised words after it end in an organisation's word: "Hexley Response Team", "Oakfield
        Community Health Services" (the word is a place or a name of the organisation, not a person)."""
        m = _NEXT_CAP_WORDS.match(text, end)
        return bool(m and any(w.casefold() in self._org_word for w in m.group(0).split()))

    # ------------------------------------------------------------ the page

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        if doc != self._doc:
            self._doc, self._parts = doc, {}
        text = pt.text
        taken = [(m.start, m.end) for m in found if m.kind == "name"]
        hits: list[tuple[int, int, str, str]] = []  # start, end, key, via

        def free(s: int, e: int) -> bool:
            return not any(a < e and s < b for a, b in taken) and not any(a < e and s < b for a, b, _, _ in hits)

        def add(s: int, e: int, name: str, via: str) -> None:
            if s < e and free(s, e):
                key = self._parts.get(name.casefold()) or name.casefold()
                for part in [name, *name.split()]:
                    self._parts.setdefault(part.casefold(), key)
                hits.append((s, e, key, via))

        w = self.w
        intro = self._intro_ascii and not CASE_LOOKALIKES.search(text)
        if not intro:
            low_text = text.lower()
            intro = any(k in low_text for k in self._intro_keys)
        for m in self._intro_re.finditer(text) if intro else ():
            toks = m["n"].split()
            if len(toks) > 1 and (
                toks[1][0].islower() and not toks[0][0].islower() or toks[1].casefold() in w.person_after
            ):
                # (the cue is read in any case, the name too): "a lad they call Smudge who", "KNOWN AS TANK SAID"
                toks = toks[:1]
            if self._free_name(toks[0]) and not w.name_like(toks[0]) and not w.given(toks[0]):
                # "called Social Care": an ordinary word after the cue names a person only as a nickname
                if len(toks) > 1 or m["n"].casefold() in w.glossary:
                    continue
                low = toks[0].casefold()
                if low in w.verb_particles or low in w.sentence_openers:
                    continue  # "Mum called twice", "called round", "called again": the verb, not a name given
            if len(toks) > 1 and not (w.name_like(toks[1]) or w.given(toks[1]) or w.surname(toks[1])):
                toks = toks[:1]
            if self._free_name(toks[0]):
                s = m.start("n")
                add(
                    s,
                    s + len(" ".join(toks)) if len(toks) == 1 else m.end("n"),
                    " ".join(toks),
                    "unregistered: introduced",
                )
        for m in self._bracket_re.finditer(text) if "(" in text else ():
            if self._free_name(m["n"].split()[0]):
                add(m.start("n"), m.end("n"), m["n"], "unregistered: introduced")
        prefix = self._prefix_words or any(k in text for k in w.name_prefixes)
        for m in self._prefix_re.finditer(text) if prefix else ():
            if self._is_given(m["n"]) and not self._next_is_place(text, m.end("n")):
                # the prefix may be a kinship term of someone registered ("Nanny"): the name is still another's
                s = m.start("p") if free(m.start("p"), m.end("p")) else m.start("n")
                add(s, m.end("n"), f"{m['p']} {m['n']}", "unregistered: nickname")
        for m in self._family_re.finditer(text):
            n = m["pl"] or m["n"]
            if m["pl"]:
                ok = w.surname(n) and not w.ordinary(n + "s") and not w.ordinary(n)
            else:
                ok = (w.surname(n) or w.name_like(n)) and not w.ordinary(n)
            if ok and self._free_name(n):
                s = m.start("pl") if m["pl"] else m.start("n")
                e = m.end() if m["pl"] else m.end("n")
                add(s, e, n, "unregistered: family")
        self._joined(text, found, hits, add)
        # only the words that may be names are read closely (most capitalised words are ordinary or taken)
        caps = [t for t in set(_CAP_WORDS.findall(text)) if self._maybe_name(t)]
        if caps:
            ends = {m.end for m in found if m.kind == "name"}
            waiting: list[tuple[int, int, str, bool]] = []
            for m in _occurrences(self._cap_re, text, caps):
                self._capitalised(text, ctx, m, add, ends | {e for _, e, _, _ in hits}, waiting)
            if waiting:
                people = {m.start: m.end for m in found if m.kind == "name"}
                self._coordinated(text, waiting, people, hits, add)
        low = set(_LOW_WORDS.findall(text))
        lows = (low & self._given) | {t for t in low if t[-1:] == "s" and t[:-1] in self._given}
        for m in _occurrences(self._low_re, text, lows):
            self._lower(text, m, add)
        seen = self._low_shape
        for t in low - seen.keys():
            seen[t] = len(t) >= 3 and w.name_like(t) and self._person_shaped(t)
        unknown = {t for t in low if seen[t]} - lows
        for m in _occurrences(self._low_re, text, unknown) if unknown else ():
            self._lower_unknown(text, m, add)
        self._later(text, add)
        return [
            Mention(doc, page, s, e, text[s:e], "name", None, "name.unregistered", unregistered=key, via=via)
            for s, e, key, via in sorted(hits)
        ]

    def _capitalised(
        self,
        text: str,
        ctx: PageContext,
        m: re.Match[str],
        add: object,
        ends: set[int],
        waiting: list[tuple[int, int, str, bool]],
    ) -> None:
        """A capitalised word that may be a name: added where the words around make it a person; one that
        only lacks such words and could be joined to a person by "and" or a list goes to `waiting`."""
        n, w = m["n"], self.w
        if not self._free_name(n) or self._next_is_place(text, m.end("n")) or self._opens_organisation(text, m.end()):
            return
        if _SAINT_BEFORE.search(text[max(0, m.start() - 4) : m.start()]):
            return  # "Lyndon St Mary", "St John's": a saint, a place
        end = m.end("i") if m["i"] else m.end("n")
        after_place = w.after_place_word(text, m.start())
        joined = _AND_BEFORE.search(text[max(0, m.start() - 6) : m.start()])
        # "Keeley B and Lakshmi", "Karen Pike, Deano and Tash": joined to a person, a person
        listed = bool(joined and m.start() - len(joined.group(0)) in ends)
        if self._is_given(n):
            weak = w.ordinary(n) or n.casefold() in w.names.ambiguous
            if (
                weak
                and m["i"]
                and not after_place
                and not _DETERMINER_BEFORE.search(text, max(0, m.start() - 5), m.start())
            ):
                weak = False  # "Brooke S": a given name and a surname's initial is a person
            if weak or after_place:
                if not w.person_context(text, m.start(), m.end("n")) or (after_place and not m["s"]):
                    if not after_place:
                        # an ordinary word ("Summer", "Rose") is joined only by "and": "Mum and Summer"
                        waiting.append((m.start(), end, n, True))
                    return
            add(m.start(), end, n, "unregistered: given name")  # type: ignore[operator]
            return
        if not w.name_like(n):
            return
        if listed:
            add(m.start(), end, n, "unregistered: name-like word")  # type: ignore[operator]
            return
        if _AGE_AFTER.match(text, end) or self._named_by_role(text, m.start(), end):
            add(m.start(), end, n, "unregistered: name-like word")  # type: ignore[operator]
            return
        if (
            not after_place
            and self._person_shaped(n)
            and self._weak_context(text, m.start(), m.end("n"))
            and not self._placed(text, n)
            and not self._joined_to_place(text, m.start())
        ):
            add(m.start(), end, n, "unregistered: name-like word")  # type: ignore[operator]
            return
        if w.surname(n) and not m["s"] and not w.person_context(text, m.start(), end, True):
            waiting.append((m.start(), end, n, False))
            return
        if m["s"] or (not after_place and w.person_context(text, m.start(), m.end("n"), strong=True)):
            add(m.start(), end, n, "unregistered: name-like word")  # type: ignore[operator]
        elif not after_place:
            waiting.append((m.start(), end, n, False))

    def _coordinated(
        self,
        text: str,
        waiting: list[tuple[int, int, str, bool]],
        people: dict[int, int],
        hits: list[tuple[int, int, str, str]],
        add: object,
    ) -> None:
        """The words of `waiting` that a list joins to a person: "Tash and Deano came round" once Deano is
        one, "Mum and Summer", "Kai, Tash and Deano". A word is joined to the person before it by "and",
        "&" or a comma (an ordinary word only by "and" or "&"), and to the person after it by "and" or "&",
        or by a comma where the list goes on after that person. Repeated until nothing more joins, so a
        list is read whole whichever of its members was a person first."""
        pending = list(waiting)
        while pending:
            at = dict(people)
            at.update((s, e) for s, e, _, _ in hits)
            ends = set(at.values())
            joined = []
            for c in pending:
                s, e, n, ordinary = c
                before = _AND_BEFORE.search(text[max(0, s - 6) : s])
                if before and s - len(before.group(0)) in ends and not (ordinary and "," in before.group(0)):
                    joined.append(c)
                    continue
                after = _AND_AFTER.match(text, e)
                nxt = at.get(after.end()) if after else None
                if after and nxt is not None:
                    if not after["comma"] or (not ordinary and _AND_AFTER.match(text, nxt)):
                        joined.append(c)
            if not joined:
                return
            for s, e, n, _ordinary in joined:
                add(s, e, n, "unregistered: named with a person")  # type: ignore[operator]
            pending = [c for c in pending if c not in joined]

    def _lower_unknown(self, text: str, m: re.Match[str], add: object) -> None:
        """A word in lower case that no list knows, shaped like a name, where only a person stands: "she's back
        with gaz", "gaz said" (a nickname written quickly); not after a preposition of place ("at oakmere")."""
        n = m["n"]
        if self.w.after_place_word(text, m.start()) or not self._free_name(n):
            return
        if m["s"] or self.w.person_context(text, m.start(), m.end("n"), strong=True):
            add(m.start("n"), m.end("n"), n, "unregistered: lower-case name")  # type: ignore[operator]

    def _lower(self, text: str, m: re.Match[str], add: object) -> None:
        n, w = m["n"], self.w
        sur = m["sur"]
        pair = w.surname(sur) or not w.ordinary(n) and w.name_like(sur) if sur else False
        if sur and not m["s"] and w.given(n) and pair and not w.ordinary(sur) and self._free_name(sur):
            if self._free_name(n):
                add(m.start("n"), m.end("sur"), f"{n} {sur}", "unregistered: lower-case name")  # type: ignore[operator]
                return
        base = n
        if not m["s"] and n.endswith("s") and not w.given(n) and w.given(n[:-1]):
            base = n[:-1]  # "jaydens big brother": a possessive written without its apostrophe
        if len(base) < 4 or not self._is_given(base) or w.ordinary(base) or not self._free_name(base):
            return
        add(m.start("n"), m.end("n"), base, "unregistered: lower-case name")  # type: ignore[operator]

    def _joined(self, text: str, found: Sequence[Mention], hits: list, add: object) -> None:
        """ "Pat and Dave Henshaw": the first name before "and" shares the full name's surname."""
        for f in found:
            if f.kind != "name" or f.person is not None or len(f.text.split()) != 2:
                continue
            m = self._and_re.search(text, max(0, f.start - 30), f.start)
            if m and self.w.given(m["a"]) and self._free_name(m["a"]):
                sur = f.text.split()[1]
                add(m.start("a"), m.end("a"), f"{m['a']} {sur}", "unregistered: named with " + f.text)  # type: ignore[operator]

    def _later(self, text: str, add: object) -> None:
        """Every later mention in the document of a name found before, in any case ("Dessie", "dessie's")."""
        parts = [p for p in self._parts if " " not in p and len(p) >= 3]
        if not parts:
            return
        key = tuple(sorted(parts))
        rx = self._later_rx.get(key)
        if rx is None:
            rx = same_name_re(parts)
            self._later_rx = {key: rx}
        for m in rx.finditer(text):
            word = m["w"]
            if word.islower() and self.w.ordinary(word) and not self.w.person_context(text, m.start(), m.end("w")):
                continue
            add(m.start("w"), m.end("w"), word, "unregistered: same name")  # type: ignore[operator]


def _vocabulary_words(rules_dir: object) -> frozenset[str]:
    """The first words of the open vocabularies' terms (medicines, conditions, offences), in lower case."""
    from pathlib import Path

    out: set[str] = set()
    folder = Path(str(rules_dir)) / "vocabularies"
    for f in sorted(folder.glob("*.txt")) if folder.is_dir() else ():
        for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                out.add(line.split()[0].casefold())
    return frozenset(out)
