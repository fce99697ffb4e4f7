"""An ordinary English word used as a person's nickname (kind `name`, person None, proposed for review).

"wed 11th - spider hanging round the school gate asking the girls if they want sweets. told him to clear off":
a word of the English word list names a person when the document treats it as one, which takes three cues
together:

- it opens a sentence (after a note's date or time: "wed 11th -", "9.30") with no determiner, and a verb
  follows it ("spider hanging", "Tank said");
- it is the subject of an act only a person does (`person_acts`: "asking", "said", "swore"), later in the same
  sentence with no other person and no subject pronoun between;
- the next "he" or "she" ("him", "hes", "her"), within the two sentences after, with no one else named between,
  refers back to it; a pronoun in the clause of its act ("the report says he is settled") is someone else.

Only a noun (a word the list also has in the plural: "spider", "tank"; not "later", "then"), and never a word a
note uses for a service, a group, a kind of person, a relative or a role ("school rang", "police said he was
known", "nan says", "staff told him"): `acting_nouns`, the kinship terms, role words, the register's roles, the
place nouns. Other mentions of the same word in the document are that person where the words around make one
("told spider", "spider's car", or opening a sentence before a verb). Grouped per word (`unregistered`), so
one review decision covers them all. Detector id: name.unregistered. Data: words/context.yaml (person_acts,
acting_nouns, sentence_openers), words/english-words.txt, kinship.yaml, names/names.yaml, identifiers.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...models import Mention
from ...roles import ALL_ROLES
from ...text import PageText
from ..base import CaseData
from ..context import PageContext
from ..lexicon import alternation, alternatives, word_alternation
from ..words import Words
from .unregistered import UnregisteredNames

__all__ = ["OrdinaryWordNames"]

_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019]*")
_TOKEN = re.compile(r"\S+")
_DAYS_MONTHS = frozenset(
    "mon monday tue tues tuesday wed weds wednesday thu thur thurs thursday fri friday sat saturday sun sunday "
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september oct october "
    "nov november dec december am pm".split()
)
_SUBJECTS = frozenset("i we he she they you hes shes he's she's i'm we're they're".split())
_PRONOUN = re.compile(
    r"(?<![\w'\u2019])(?:(?P<he>(?P<hs>he|hes|he['\u2019][sd])|him|his|himself)"
    r"|(?P<she>(?P<ss>she|shes|she['\u2019][sd])|her|hers|herself))(?![\w'\u2019])",
    re.I,
)
_FOLLOWING_SENTENCES = 2
_ACT_WITHIN = 25  # words after the nickname in which its act is looked for


def _prefix_token(tok: str) -> bool:
    """A token of a note's date or time before its first word: "wed", "11th", "9.30", "-", "(2)"."""
    core = tok.strip("-\u2013\u2014:,.;|*\u2022()[]")
    return not core or core[0].isdigit() or core.casefold() in _DAYS_MONTHS


class OrdinaryWordNames:
    """A PageDetector: ordinary words a document uses as a person's nickname; after InformalNames."""

    def __init__(self, case: CaseData):
        self.w = case.shared(Words)
        self.people = case.people
        self.unregistered = case.shared(UnregisteredNames)  # the one the registry runs: its state of this document
        w = self.w
        never: set[str] = set(w.acting_nouns) | set(w.sentence_openers) | set(w.not_person_after)
        never |= set(w.person_after) | set(w.person_before) | set(w.person_acts) | set(w.registered)
        phrases = [k.term for k in case.lex.kin_terms] + list(w.names.roles) + list(case.lex.place_nouns)
        phrases += [r.replace("-", " ") for r in ALL_ROLES] + list(w.bracket_nouns) + list(w.family_nouns)
        phrases += list(w.name_prefixes)
        for p in phrases:
            never.update(t.casefold().replace("\u2019", "'").removesuffix("'s") for t in re.split(r"[\s\-]+", p))
        self._never = frozenset(never)
        # in lower case, as acts go; from their first letters where they all open with one (`\b` before a letter is
        # `(?<![\w])`): the same matches
        acts = word_alternation(alternatives(sorted(w.person_acts)), r"\w", ignore_case=False)
        self._acts_rx = re.compile(rf"{acts}\b" if acts else rf"\b{alternation(sorted(w.person_acts))}\b")
        self._cache: dict[str, bool] = {}
        self._doc = ""
        self._found: dict[str, str] = {}  # nickname (casefolded) -> grouping key, for this document

    def _noun_word(self, word: str) -> bool:
        """An ordinary singular noun that may be a nickname ("spider"): in the word list with a plural."""
        hit = self._cache.get(word)
        if hit is None:
            f = word.casefold()
            eng = self.w.english
            hit = (
                len(f) >= 3
                and (word.islower() or word[0].isupper() and word[1:].islower())
                and f in eng
                and not f.endswith(("s", "ly"))
                and (f + "s" in eng or f + "es" in eng)
                and f not in self._never
                and f not in self.w.glossary
                and f not in self.w.safe
                and not self.w.given(f)
            )
            self._cache[word] = hit
        return hit

    def _opening(self, text: str, s0: int, s1: int) -> re.Match[str] | None:
        """The first word of the sentence after a note's date or time, when a verb follows it directly."""
        toks = _TOKEN.finditer(text, s0, s1)
        for t in toks:
            if _prefix_token(t.group()):
                continue
            if not _WORD.fullmatch(t.group()):
                return None
            nxt = next(toks, None)
            if nxt is None or text[t.end() : nxt.start()].strip(" \t") or not self._verb(nxt.group()):
                return None
            return t
        return None

    def _verb(self, word: str) -> bool:
        """The word after the nickname starts what it does: a verb of the cue lists, a word in -ing or -ed, or
        any word that is no noun ("tank stood", "tank at the door"; not "spider web", "school gate")."""
        f = word.casefold()
        w = self.w
        if f in w.person_acts or f in w.person_after and f not in ("and", "'s", "\u2019s"):
            return True
        if f.endswith(("ing", "ed")) and f in w.english:
            return True
        return f.isalpha() and f + "s" not in w.english and f + "es" not in w.english

    def _acts(self, text: str, start: int, end: int, people: list[tuple[int, int]]) -> int:
        """End of the person's act after the nickname in text[start:end] ("... asking"), else -1."""
        for n, m in enumerate(_WORD.finditer(text, start, end)):
            f = m.group().casefold().replace("\u2019", "'")
            if n >= _ACT_WITHIN or f in _SUBJECTS or any(a < m.end() and m.start() < b for a, b in people):
                return -1
            if f in self.w.person_acts:
                return m.end()
        return -1

    def _referred_back(
        self, text: str, ctx: PageContext, act_end: int, sent_end: int, found: Sequence[Mention]
    ) -> str | None:
        """The next "he"/"she" after the clause of the act is this person when no one else of that gender is named
        between: the pronoun's gender ("he", "she"), else None. In the act's own clause "him" and "her" are the
        others of the act ("asking Kay and her friend"), and "he" or "she" what is told of someone else ("the
        report says he is settled")."""
        limit = sent_end
        for _ in range(_FOLLOWING_SENTENCES):
            if limit >= len(text):
                break
            limit = ctx.sentence(limit)[1]
        clause_end = ctx.clause(act_end - 1, act_end)[1]
        for p in _PRONOUN.finditer(text, act_end, limit):
            if p.start() < clause_end:
                if p["hs"] or p["ss"]:
                    return None
                continue
            gender = "he" if p["he"] else "she"
            for m in found:
                if m.kind == "name" and act_end <= m.start < p.start():
                    person = self.people.get(m.person) if m.person else None
                    if person is None or person.effective_pronouns in (gender, None, "they"):
                        return None
            return gender
        return None

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        if doc != self._doc:
            self._doc, self._found = doc, {}
        text = pt.text
        people = sorted((m.start, m.end) for m in found if m.kind == "name")
        hits: dict[int, tuple[int, str]] = {}
        # only the sentences holding an act are read, on a page with a "he" or "she"
        acts = self._acts_rx.finditer(text) if _PRONOUN.search(text) else ()
        sentences = dict.fromkeys(ctx.sentence(a.start()) for a in acts)
        for s0, s1 in sentences:
            t = self._opening(text, s0, s1)
            if t is None or not self._noun_word(t.group()):
                continue
            if any(a < t.end() and t.start() < b for a, b in people):
                continue
            act_end = self._acts(text, t.end(), s1, people)
            gender = self._referred_back(text, ctx, act_end, s1, found) if act_end >= 0 else None
            if gender is None:
                continue
            key = t.group().casefold()
            self._found.setdefault(key, key)
            self.unregistered.note_gender(doc, key, gender)  # "they" further on is not this person
            hits[t.start()] = (t.end(), key)
        if self._found:
            self._others(text, ctx, people, hits)
        return [
            Mention(
                doc,
                page,
                s,
                e,
                text[s:e],
                "name",
                None,
                "name.unregistered",
                unregistered=key,
                via="unregistered: ordinary word used as a name",
            )
            for s, (e, key) in sorted(hits.items())
        ]

    def _others(
        self, text: str, ctx: PageContext, people: list[tuple[int, int]], hits: dict[int, tuple[int, str]]
    ) -> None:
        """The other mentions of a nickname found in this document, where the words around make them a person."""
        rx = re.compile(
            r"(?<![\w'@.\-])(?P<w>" + "|".join(re.escape(k) for k in sorted(self._found, key=len, reverse=True)) + r")"
            r"(?=['\u2019]s(?![\w])|(?![\w'\u2019@\-]))",
            re.IGNORECASE,
        )
        for m in rx.finditer(text):
            s, e = m.span("w")
            if s in hits or any(a < e and s < b for a, b in people):
                continue
            s0, s1 = ctx.sentence(s)
            opening = self._opening(text, s0, s1)
            if (opening is not None and opening.start() == s) or self.w.person_context(text, s, e, strong=True):
                hits[s] = (e, self._found[m["w"].casefold()])
