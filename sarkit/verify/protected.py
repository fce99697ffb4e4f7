"""The independent detector: what the register and the rule set protect, looked for in every reading.

verify does not trust detection. Besides the values the ledger redacted, it asks the rule set, for every
person of the register, what it does with that person's name (and with a name of theirs marked `withheld`,
and with their identifiers): when the answer is not `keep`, every form of that name (and their date of
birth) is protected, and must not be found anywhere in the bundle, in any reading of any file, whatever
detection proposed. No role is named here: the rule set decides, through sarkit.decide.

Forms looked for, for each protected name, alias and withheld name (all folded by sarkit.verify.normalise,
so case, look-alike letters, invisible characters, accents and punctuation do not matter):

- the name as registered, its words reversed ("LEWIS, Brian"), each alias and withheld name as written;
- a title with the surname ("Mr Lewis", "Mrs.Lewis"), an initial with the surname ("B. Lewis", "B.Lewis");
- each word of the name on its own ("Lewis", "lewis", "facebook.com/lewis");
- initials written in capitals ("BL") only as written, in capitals;
- the words run together inside one written token ("facebook.com/brianlewis", "@BrianLewis");
- a protected date of birth in the usual date forms ("5 July 2003", "05/07/2003", "2003-07-05").

False alarms are avoided by one rule, the same one KeptIndex applies to the ledger's values: **a form
that also names someone whose name is kept cannot be checked on its own.** So a word of a kept person's
name or aliases (a surname the protected person shares with the subject, a first name shared with a kept
sibling) is never looked for alone, nor with a title alone ("Ms Doe" may be the subject); it is looked for
only in the forms that go beyond it: the full name, the reversed name, an initial that no kept person with
that surname has. A word that is an ordinary English word ("Grant", "Hope", "Mum") is likewise looked for
only in those fuller forms, and with a title ("Mrs Grant"), never alone. Where the rule set redacts a word
everywhere (nobody kept shares it), it is looked for alone. Per file, a form that the ledger shows as a
kept mention of that document (a reviewer's decision) is not looked for there (sarkit.bundle.KeptIndex).

A value is reported under a key "reg-<hash>" (never the name itself, nor the person's id).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..decide.rules import RuleSet
from ..models import Manifest, Mention, Person
from .normalise import compact_tokens, fold, fold_letters, readings, words

REGISTER_PREFIX = "reg-"
TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "master")
_MONTHS = "January February March April May June July August September October November December".split()
_DICTIONARIES = (Path("/usr/share/dict/words"), Path("/usr/share/dict/british-english"))


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """Lower-case English words: the system dictionary when installed, sarkit's own list of names that are
    words, and the kinship terms ("mum", "nan")."""
    out: set[str] = set()
    for path in _DICTIONARIES:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        out.update(w for w in text.split() if w.islower() and w.isalpha())
    from ..resources import rules_dirs

    for d in rules_dirs():
        for path in d.glob("names/*ordinary-words.txt"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    out.add(line.split("\t")[0].strip().casefold())
        kin = d / "kinship.yaml"
        if kin.is_file():
            import yaml

            data = yaml.safe_load(kin.read_text(encoding="utf-8")) or {}
            for entry in data.get("terms", ()):
                for term in entry.get("terms", ()):
                    out.update(words(fold(str(term))))
    return frozenset(out)


def _key(person: str, form: str) -> str:
    return REGISTER_PREFIX + hashlib.sha256(f"{person}\x00{fold(form)}".encode()).hexdigest()[:12]


def _action(person: Person, kind: str, qualifier: str, manifest: Manifest, rules: RuleSet) -> str:
    from ..decide.engine import decide_one

    m = Mention("", 0, 0, 0, person.name, kind, person.id, "verify.register", qualifier=qualifier)
    return decide_one(m, manifest, rules).action


def is_initials(form: str) -> bool:
    """Capitals only, at most three letters ("BL", "S.D."): looked for only as written."""
    letters = [ch for ch in form if ch.isalpha()]
    return (
        0 < len(letters) <= 3 and all(ch.isupper() for ch in letters) and all(ch.isalpha() or ch in ". " for ch in form)
    )


@dataclass(frozen=True)
class _Kept:
    words: frozenset[str]  # every word of a kept name or alias
    grams: frozenset[tuple[str, ...]]  # every word sequence of a kept name or alias
    initials_by_surname: dict[str, frozenset[str]]  # surname -> first letters of kept people with it


def _kept(people: Sequence[Person]) -> _Kept:
    ws: set[str] = set()
    grams: set[tuple[str, ...]] = set()
    by_surname: dict[str, set[str]] = {}
    for p in people:
        for text in (p.name, *p.aliases):
            toks = words(fold(text))
            ws.update(toks)
            for i in range(len(toks)):
                for j in range(i + 1, len(toks) + 1):
                    grams.add(tuple(toks[i:j]))
        toks = words(fold(p.name))
        if len(toks) >= 2:
            by_surname.setdefault(toks[-1], set()).add(toks[0][0])
    return _Kept(frozenset(ws), frozenset(grams), {k: frozenset(v) for k, v in by_surname.items()})


def _name_forms(text: str, kept: _Kept, ordinary: frozenset[str]) -> list[str]:
    """The forms of one protected name that can be checked without naming a kept person (module docstring)."""
    toks = words(fold(text))
    if not toks:
        return []
    if is_initials(text):
        return [] if fold(text).replace(".", "").replace(" ", "") in kept.words else [text.strip()]
    out: list[str] = []
    names = [t for t in toks if t not in TITLES]

    def alone_ok(w: str) -> bool:
        return len(w) >= 2 and w not in kept.words and w not in ordinary and not w.isdigit()

    if len(toks) == 1:
        return [toks[0]] if alone_ok(toks[0]) else []
    seq = tuple(toks)
    if seq not in kept.grams and not (toks[0] in TITLES and all(w in kept.words for w in names)):
        out.append(" ".join(toks))
        if len(names) >= 2 and toks[0] not in TITLES:
            out.append(" ".join([names[-1], *names[:-1]]))  # "Lewis Brian" ("LEWIS, Brian")
    for w in names:
        if alone_ok(w):
            out.append(w)
    if len(names) >= 2 and toks[0] not in TITLES:
        first, last = names[0], names[-1]
        if len(last) >= 2 and last not in kept.words:
            out.extend(f"{t} {last}" for t in TITLES)
        if len(last) >= 2 and first[0] not in kept.initials_by_surname.get(last, frozenset()):
            if (first[0], last) not in kept.grams:
                out.append(f"{first[0]} {last}")
    return out


def _date_forms(d: dt.date) -> list[str]:
    out = [d.isoformat()]
    month = _MONTHS[d.month - 1]
    suffix = "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    for day in (str(d.day), f"{d.day:02d}", f"{d.day}{suffix}"):
        for mon in (month, month[:3]):
            out.append(f"{day} {mon} {d.year}")
            out.append(f"{mon} {day} {d.year}")
        for mon in (str(d.month), f"{d.month:02d}"):
            out.append(f"{day}/{mon}/{d.year}")
    return list(dict.fromkeys(out))


def register_values(manifest: Manifest, rules: RuleSet) -> list[tuple[str, str]]:
    """(key, form) of every form of every name, alias, withheld name and date of birth that the rule set does
    not keep, reduced to the forms that can be checked without naming someone kept (module docstring)."""
    kept_people: list[Person] = []
    protected: list[tuple[Person, list[str]]] = []
    for p in manifest.people:
        names = []
        if _action(p, "name", "", manifest, rules) == "keep":
            kept_people.append(p)
        else:
            names.extend([p.name, *p.aliases])
        if p.withheld and _action(p, "name", "withheld", manifest, rules) != "keep":
            names.extend(p.withheld)
        protected.append((p, names))
    kept = _kept(kept_people)
    ordinary = ordinary_words()
    out: dict[str, str] = {}
    for p, names in protected:
        for text in names:
            for form in _name_forms(text, kept, ordinary):
                out.setdefault(_key(p.id, form), form)
        if p.born and _action(p, "identifier", "", manifest, rules) != "keep":
            for form in _date_forms(p.born):
                out.setdefault(_key(p.id, form), form)
    return sorted(out.items())


def is_register_key(key: str) -> bool:
    return key.startswith(REGISTER_PREFIX)


class Detector:
    """Finds which register values occur in a text, in any folded reading (sarkit.verify.normalise)."""

    def __init__(self, values: Iterable[tuple[str, str]]):
        self._first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._exact: dict[tuple[str, ...], set[str]] = {}  # initials: as written
        self._compact: dict[str, set[str]] = {}
        self.count = 0
        for key, form in values:
            if is_initials(form):
                toks = tuple(words(form.replace(".", "").replace(" ", "")))
                if toks:
                    self._exact.setdefault(toks, set()).add(key)
                    self.count += 1
                continue
            toks = tuple(words(fold(form)))
            if not toks:
                continue
            self.count += 1
            self._first.setdefault(toks[0], []).append((toks, key))
            joined = "".join(toks)
            if len(toks) >= 2 and len(joined) >= 6 and not joined.isdigit():
                self._compact.setdefault(joined, set()).add(key)
        # words and run-together names, and their beginnings, for pieces of a word split by a gap (_find_split)
        self._whole: dict[str, set[str]] = {k: set(v) for k, v in self._compact.items()}
        for toks_keys in self._first.values():
            for toks, key in toks_keys:
                if len(toks) == 1 and len(toks[0]) >= 4:
                    self._whole.setdefault(toks[0], set()).add(key)
        self._prefixes = {w[:j] for w in self._whole for j in range(1, len(w))}
        self._compact_re = (
            re.compile("|".join(re.escape(k) for k in sorted(self._compact, key=len, reverse=True)))
            if self._compact
            else None
        )

    def __bool__(self) -> bool:
        return self.count > 0

    def _find_split(self, ws: list[str]) -> set[str]:
        """A protected word broken into pieces by something the eye does not see as a space (a zero-width or
        narrow character an extractor turned into a gap: "Le wis"): two to four adjacent words that together
        make a protected word or a run-together name, when at least one piece is not an English word ("all an"
        is not taken for "Allan")."""
        found: set[str] = set()
        prefixes, whole = self._prefixes, self._whole
        ordinary = ordinary_words()
        n = len(ws)
        for i in range(n):
            if ws[i] in whole:  # a run-together name written as one word ("BrianLewis")
                found |= whole[ws[i]]
            if ws[i] not in prefixes:
                continue
            joined = ws[i]
            for k in range(i + 1, min(n, i + 4)):
                joined += ws[k]
                keys = whole.get(joined)
                if keys and not all(w in ordinary for w in ws[i : k + 1]):
                    found |= keys
                if joined not in prefixes:
                    break
        return found

    def find(self, text: str) -> set[str]:
        found: set[str] = set()
        if not self.count or not text:
            return found
        for reading in readings(text):
            ws = words(reading)
            first = self._first
            n = len(ws)
            for i, w in enumerate(ws):
                cands = first.get(w)
                if cands is None:
                    continue
                for toks, key in cands:
                    k = len(toks)
                    if k == 1 or (i + k <= n and tuple(ws[i : i + k]) == toks):
                        found.add(key)
            if self._prefixes:
                found |= self._find_split(ws)
            if self._compact_re is not None:
                for m in self._compact_re.finditer("\n".join(compact_tokens(reading))):
                    found |= self._compact[m.group(0)]
        if self._exact:
            for w in set(words(fold_letters(text))):
                keys = self._exact.get((w,))
                if keys:
                    found |= keys
        return found
