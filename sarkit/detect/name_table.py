"""Names of registered people: every written form of every name, compiled into one regex.

All variants of all people (full name, "SURNAME, First", capitals, first name, surname,
initials, aliases, withheld names) go into a single trie-shaped alternation, so a page is
scanned once whatever the size of the register. A match is looked up in a table of
variant -> candidate entries; ambiguity (a surname shared by two people) is resolved
later, with the page as context.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..models import Manifest, Person
from .lexicon import Lexicon, alternation

_WS = r"\s+"
_HYPHEN_BREAK = r"(?:-\n)?"  # a word hyphenated at a line end: "Dow-\nling"
# "Mr.Lewis", "J.Lewis": a title's or a lone initial's dot with the name glued to it (a capital follows). A name
# after any other dot is none ("approx.Sarah", "www.lewis.com", "jane.doe@..."): the lookbehind of the regex.
_DOT_GLUED = r"\.(?=[A-Z])"


@dataclass(frozen=True, slots=True)
class Entry:
    person: str
    detector: str  # name.full | name.first | name.surname | name.initials | name.alias | name.withheld
    via: str  # named | alias | withheld
    qualifier: str = ""


def variant_key(s: str) -> str:
    """Normalise matched text for lookup: join line-end hyphenation, collapse whitespace."""
    return " ".join(s.replace("-\n", "").split())


def _caps(s: str) -> str:
    return s.upper()


def _initials(tokens: list[str]) -> list[str]:
    letters = [t[0] for t in tokens if t[:1].isalpha()]
    if len(letters) < 2:
        return []
    return ["".join(letters), ".".join(letters) + ".", ". ".join(letters) + ".", ".".join(letters)]


def _alias_detector(alias: str, person: Person, titles: tuple[str, ...]) -> str:
    tokens = person.name.split()
    words = alias.split()
    if len(words) >= 2 and words[0].rstrip(".") in titles:
        return "name.title"
    if re.fullmatch(r"(?:[A-Z]\.?\s?){2,4}", alias):
        return "name.initials"
    if alias == tokens[0]:
        return "name.first"
    if len(tokens) > 1 and alias == tokens[-1]:
        return "name.surname"
    return "name.alias"


def _person_variants(
    p: Person, titles: tuple[str, ...], not_initials: frozenset[str] = frozenset()
) -> list[tuple[str, Entry]]:
    """Every written form of a person's name; initials made from the name that are a common abbreviation of the
    records ("ID", "GP", "PC": not_initials) are left out (an alias written in case.yaml is always kept)."""
    out: list[tuple[str, Entry]] = []
    tokens = p.name.split()
    full = " ".join(tokens)
    first, last = tokens[0], tokens[-1]
    out.append((full, Entry(p.id, "name.full", "named")))
    out.append((_caps(full), Entry(p.id, "name.full", "named")))
    if len(tokens) > 1:
        rest = " ".join(tokens[:-1])
        for v in (
            f"{last}, {rest}",
            f"{_caps(last)}, {rest}",
            f"{_caps(last)}, {_caps(rest)}",
            f"{first[0]} {last}",
            f"{first[0]}. {last}",
            f"{first[0]}.{last}",  # "B.Lewis": the initial's dot and the surname with no space between
            f"{first[0]}. {_caps(last)}",
            f"{first[0]}.{_caps(last)}",
            f"{first} {_caps(last)}",  # "Tyler DUNMORE"
            f"{first} {last[0]}",  # "Chloe B": a first name and the surname's initial
        ):
            out.append((v, Entry(p.id, "name.full", "named")))
        if len(tokens) > 2:  # first and last without middle names
            out.append((f"{first} {last}", Entry(p.id, "name.full", "named")))
            out.append((_caps(f"{first} {last}"), Entry(p.id, "name.full", "named")))
        for v in (last, _caps(last)):
            out.append((v, Entry(p.id, "name.surname", "named")))
        for v in _initials(tokens):
            if v not in not_initials:
                out.append((v, Entry(p.id, "name.initials", "named")))
    for v in (first, _caps(first)):
        out.append((v, Entry(p.id, "name.first", "named")))
    for alias in p.aliases:
        a = " ".join(alias.split())
        if not a:
            continue
        det = _alias_detector(a, p, titles)
        out.append((a, Entry(p.id, det, "alias")))
        if a[0].islower():  # "mum" also at a sentence start
            out.append((a[0].upper() + a[1:], Entry(p.id, det, "alias")))
        elif det in ("name.alias", "name.first") and len(a) > 2:
            out.append((_caps(a), Entry(p.id, det, "alias")))
    return out


def _withheld_variants(people: tuple[Person, ...]) -> list[tuple[str, Entry]]:
    """Withheld names and their parts (a part only when no registered name uses it)."""
    used: set[str] = set()
    for p in people:
        used.update(p.name.split())
        used.update(w for a in p.aliases for w in a.split())
    out: list[tuple[str, Entry]] = []
    for p in people:
        for w in p.withheld:
            tokens = w.split()
            if not tokens:
                continue
            full = " ".join(tokens)
            for v in (full, _caps(full)):
                out.append((v, Entry(p.id, "name.withheld", "withheld", "withheld")))
            if len(tokens) > 1:
                out.append(
                    (
                        f"{_caps(tokens[-1])}, {' '.join(tokens[:-1])}",
                        Entry(p.id, "name.withheld", "withheld", "withheld"),
                    )
                )
                # "Ella W": the first name and the withheld surname's initial give the withheld name away
                out.append((f"{tokens[0]} {tokens[-1][0]}", Entry(p.id, "name.withheld", "withheld", "withheld")))
                for part in (tokens[0], tokens[-1]):
                    if part not in used:
                        for v in (part, _caps(part)):
                            out.append((v, Entry(p.id, "name.withheld", "withheld", "withheld")))
    return out


def _trie_regex(words: list[str]) -> str:
    """One regex matching any of the words, shaped as a trie so it fails fast; longest first."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict, prev: str) -> str:
        alts = []
        for ch in sorted(k for k in node if k):
            if ch == " ":
                piece = _WS
            else:
                piece = re.escape(ch)
                if ch.isalpha() and prev.isalpha():
                    piece = _HYPHEN_BREAK + piece
            alts.append(piece + emit(node[ch], ch))
        optional = "" in node
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if optional else body

    return emit(trie, "")


class NameTable:
    """All name variants of a register, compiled once."""

    def __init__(self, manifest: Manifest, lex: Lexicon):
        table: dict[str, list[Entry]] = defaultdict(list)
        for p in manifest.people:
            for v, e in _person_variants(p, lex.titles, frozenset(lex.not_initials)):
                if e not in table[v]:
                    table[v].append(e)
        for v, e in _withheld_variants(manifest.people):
            if e not in table[v]:
                table[v].append(e)
        # every variant also in lower case, as notes and e-mails written quickly have it ("janet rang");
        # initials and two-letter forms are left out (too many ordinary words), and a lower-case form that is
        # an ordinary word is taken only where the words around make it a person (RegisteredNames)
        # A two-letter name ("Ty", "Jo") goes in too, as `short_lower`: RegisteredNames takes it only on a page
        # written in lower case, where the words around make it a person ("ty has a temp").
        short: set[str] = set()
        for k in list(table):
            low = k.lower()
            if low == k or "." in k or "," in k or k.isupper():
                continue
            two = len(low.replace(" ", "")) <= 2
            if two and (len(low) != 2 or not low.isalpha()):
                continue
            for e in table[k]:
                if e.detector != "name.initials" and e not in table[low]:
                    table[low].append(e)
                    if two:
                        short.add(low)
        self.short_lower: frozenset[str] = frozenset(short)
        self.table: dict[str, tuple[Entry, ...]] = {k: tuple(v) for k, v in table.items() if k}
        titles = list(lex.titles) + [t.upper() for t in lex.titles] + [t.lower() for t in lex.titles]
        self.title_gender = lex.title_gender
        title_re = alternation(titles, flexible_space=True)
        body = _trie_regex(list(self.table)) or "(?!)"
        self.regex = re.compile(
            rf"(?<![\w'@.])(?<!\w-)(?:(?P<title>{title_re})(?:\.?\s+|{_DOT_GLUED})|(?P<initial>[A-Z]){_DOT_GLUED})?"
            rf"(?P<name>{body})"
            rf"(?P<pl>(?<=[a-z])s|(?<=[A-Z])S|s(?=['\u2019]))?(?!\w|-\w|@)"
        )

    def lookup(self, matched: str) -> tuple[Entry, ...]:
        return self.table.get(variant_key(matched), ())
