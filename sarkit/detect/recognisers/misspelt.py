"""Registered names misspelt by one letter (kind `name`): "Mrs Storrey" for Storey, "Nuttal" for Nuttall;
and registered first names cut short: "Kez" for Kezia, "tay" for Tayla.

A capitalised word (or one in capitals) that no recogniser before took, of five letters or more, that is
not an ordinary English word, and that is one letter away from a name of the register (one letter left
out, one added, two swapped, or one changed when the word is not itself a name of the names lists) is
that person's name, with the title before it if there is one. A misspelling shared by two people goes
to the nearest of them named before on the page, else to the subject, else stays ambiguous (skipped).
A short form is the first three or four letters of a first name (or one-word alias) of five letters or more,
in any case, when those letters are no English word, no name of the names lists, no month or weekday and no
other registered name ("Dani" and "Sam" are names of their own, "She" and "Mas" words): it goes to its person
like a misspelling. Detector ids: those of the name it misspells (name.first, name.surname, name.title), via
"misspelt"; name.first via "short form".
Data: redaction-rules/words/english-words.txt; the names lists of redaction-rules/names/.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from ...models import Mention
from ...text import PageText
from ..base import CaseData
from ..context import PageContext
from ..lexicon import alternation, capital_after
from ..words import Words

__all__ = ["MisspeltNames", "one_letter_apart"]

_MIN = 5
_SHORT = (3, 4)  # lengths of a short form
_CALENDAR = frozenset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun".split()
)
_WORD = re.compile(capital_after(r"\w'@.\-") + r"(?:[a-z]+(?:-[A-Z][a-z]+)?|[A-Z]{4,})(?![\w@]|-\w)")


def _deletes(w: str) -> set[str]:
    return {w[:i] + w[i + 1 :] for i in range(len(w))}


def one_letter_apart(a: str, b: str) -> bool:
    """One letter left out, added, changed, or two neighbours swapped (Damerau distance 1)."""
    a, b = a.casefold(), b.casefold()
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return short in _deletes(long_)


class MisspeltNames:
    """A PageDetector: registered names written with one letter wrong."""

    def __init__(self, case: CaseData):
        self.words = case.shared(Words)
        self.subject = case.subject.id
        self.owners: dict[str, list[tuple[str, str]]] = defaultdict(list)  # token -> (person, detector)
        for p in case.manifest.people:
            toks = p.name.split()
            for i, t in enumerate(toks):
                det = "name.first" if i == 0 else "name.surname" if i == len(toks) - 1 else "name.full"
                self._add(t, p.id, det)
            for a in p.aliases:
                if len(a.split()) == 1:
                    self._add(a, p.id, "name.alias")
        self.index: dict[str, set[str]] = defaultdict(set)  # a token or a token less one letter -> tokens
        for t in self.owners:
            self.index[t].add(t)
            for d in _deletes(t):
                self.index[d].add(t)
        titles = list(case.lex.titles) + [t.upper() for t in case.lex.titles]
        self._title_before = re.compile(rf"(?<![\w])(?P<title>{alternation(titles)})\.?[ \t]+$")
        self._title_gender = {k.casefold(): v for k, v in case.lex.title_gender.items()}
        self.people = case.people
        self._cache: dict[str, set[str]] = {}  # word -> registered tokens one letter away (per case)
        self.short: dict[str, list[str]] = defaultdict(list)  # a short form (casefolded) -> people
        for p in case.manifest.people:
            names = [p.name.split()[0], *(a for a in p.aliases if len(a.split()) == 1)]
            for n in names:
                if len(n) >= _MIN and n.isalpha():
                    for size in _SHORT:
                        if p.id not in self.short[n[:size].casefold()]:
                            self.short[n[:size].casefold()].append(p.id)
        w = self.words
        for cut in list(self.short):
            if cut in _CALENDAR or cut in w.registered or w.ordinary(cut) or w.given(cut) or w.surname(cut):
                del self.short[cut]
        self._short_re = (
            re.compile(rf"(?<![\w'@.\-])(?P<n>{alternation(sorted(self.short))})(?![\w@]|-\w)", re.I)
            if self.short
            else None
        )

    def _add(self, token: str, pid: str, det: str) -> None:
        t = token.casefold()
        if len(t) >= _MIN and t.isalpha() and (pid, det) not in self.owners[t]:
            self.owners[t].append((pid, det))

    def _targets(self, word: str) -> set[str]:
        w = word.casefold()
        if w in self.owners or w in self.words.registered:
            return set()
        cands = set(self.index.get(w, ()))  # a letter left out
        for d in _deletes(w):
            cands |= {t for t in self.index.get(d, ()) if len(t) >= len(w) - 1}
        out = {t for t in cands if one_letter_apart(w, t)}
        if self.words.given(word) or self.words.surname(word):  # a real name of its own: only a letter more or less
            out = {t for t in out if len(t) != len(w)}
        return out

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        if not self.owners:
            return []
        text = pt.text
        taken = [(m.start, m.end) for m in found if m.kind == "name"]
        out: list[Mention] = self._short_forms(doc, page, text, found, taken)
        taken += [(m.start, m.end) for m in out]
        for m in _WORD.finditer(text):
            word = m.group(0)
            targets = self._cache.get(word)
            if targets is None:
                ok = len(word) >= _MIN and not self.words.ordinary(word)
                targets = self._targets(word) if ok else set()
                self._cache[word] = targets
            if not targets or any(a < m.end() and m.start() < b for a, b in taken):
                continue
            start = m.start()
            tm = self._title_before.search(text, max(0, start - 12), start)
            title = tm["title"] if tm else None
            owners = [o for t in sorted(targets) for o in self.owners[t]]
            g = self._title_gender.get((title or "").rstrip(".").casefold())
            if g:
                owners = [o for o in owners if self.people[o[0]].effective_pronouns in (g, None, "they")] or owners
            pids = list(dict.fromkeys(pid for pid, _ in owners))
            pid = self._choose(pids, start, found)
            if pid is None:
                continue
            det = next(d for p, d in owners if p == pid)
            if tm:
                start, det = tm.start(), "name.title"
            out.append(
                Mention(
                    doc,
                    page,
                    start,
                    m.end(),
                    text[start : m.end()],
                    "name",
                    pid,
                    det,
                    via="misspelt",
                    candidates=tuple(pids) if len(pids) > 1 else (),
                )
            )
        return out

    def _short_forms(
        self, doc: str, page: int, text: str, found: Sequence[Mention], taken: list[tuple[int, int]]
    ) -> list[Mention]:
        """ "Kez" for Kezia: a registered first name cut to its first three or four letters."""
        if self._short_re is None:
            return []
        out = []
        for m in self._short_re.finditer(text):
            word = m["n"]
            if not (word.islower() or word.isupper() or word.istitle()):
                continue  # "kEz": no way to write a name
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if word.isupper() and len(word) == _SHORT[0] and not self._caps_line(text, m):
                continue  # "CRA", "RAC": three capitals are an abbreviation, except on a line all in capitals
            pids = self.short[word.casefold()]
            pid = self._choose(pids, m.start(), found)
            if pid is None:
                continue
            cands = tuple(pids) if len(pids) > 1 else ()
            out.append(Mention(doc, page, m.start(), m.end(), word, "name", pid, "name.first", via="short form",
                               candidates=cands))  # fmt: skip
        return out

    @staticmethod
    def _caps_line(text: str, m: re.Match[str]) -> bool:
        a = text.rfind("\n", 0, m.start()) + 1
        b = text.find("\n", m.end())
        return not any(c.islower() for c in text[a : b if b >= 0 else len(text)])

    def _choose(self, pids: list[str], start: int, found: Sequence[Mention]) -> str | None:
        if len(pids) == 1:
            return pids[0]
        before = [m for m in found if m.kind == "name" and m.person in pids and m.end <= start]
        if before:
            return max(before, key=lambda m: m.end).person
        return self.subject if self.subject in pids else None
