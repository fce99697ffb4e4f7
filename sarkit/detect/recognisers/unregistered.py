"""People nobody registered (kind `name`, person None, `unregistered` = a grouping key so one decision
covers every mention of the same person in a document):

- a title and a surname, with or without a given name ("Mrs Kaur", "Mrs Geraldine Mellor");
- a given name from the names list followed by a capitalised surname ("Stacey Patel"); a given name
  that is also an ordinary word ("Will", "May") only with a surname from the surnames list;
- "SURNAME, Given" as in forms and police lists;
- the value of a form field that names a person ("Referrer: ...", "From: ...", a signature);
- a given name alone right after a role word ("her new partner Darren");
- later on the page and in the rest of the document, the bare parts of a name found before.

The text that says who the person is ("a neighbour, Mrs Kaur", "Mohammad Smith, a friend of Mum's")
is kept in `via`. Runs after the recognisers of registered people (`names`, `kinship`): text they
took is no unregistered name. Keeps per-document state (pages of a document come in order).
`sensitive` asks it for role references and the gender a name implies (`role_refs`, `gender`).
Detector ids: name.title, name.unregistered.
Data: redaction-rules/names/ (see `names_list`); `titles`, `title_gender`, street and place
suffixes of redaction-rules/identifiers.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...models import Manifest, Mention
from ...text import PageText
from ..attribution import Ref
from ..base import CaseData
from ..context import PageContext
from ..lexicon import alternation, alternation_start, capital_after, word_start
from ..names_list import load_names


def same_name_re(parts: list[str]) -> re.Pattern[str]:
    r"""The parts of names found before in the document (casefolded), in any case, with 's: `(?<![\w'@.\-])` and
    the parts longest first, opening with their first letters where they all open with one (the same matches)."""
    alts = [re.escape(p) for p in sorted(parts, key=len, reverse=True)]
    start = alternation_start(alts, r"\w'@.\-", ignore_case=True)
    return re.compile(rf"(?P<w>{start})(?:['\u2019]s)?(?![\w@]|-\w)", re.IGNORECASE)


__all__ = ["UnregisteredNames"]

_S1 = r"[ \t]+(?:\n[ \t]*)?|[ \t]*\n[ \t]*"  # one space or one line break within a block
_GIVEN = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_SUR = r"(?:Mc|Mac|O['\u2019]|D['\u2019])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_SUR_CAPS = r"(?:MC|MAC|O['\u2019])?[A-Z]{2,}(?:-[A-Z]{2,})?"
# _SUR_CAPS opening with its capital, the lookbehind after it (`lexicon.capital_after`), each way it may open
# written out in its order (MC, MAC, O', none): the same matches
_SUR_CAPS_FIRST = (
    capital_after(r"\w'@.\-") + r"(?:(?<=M)C[A-Z]{2,}|(?<=M)AC[A-Z]{2,}|(?<=O)['\u2019][A-Z]{2,}|[A-Z]+)(?:-[A-Z]{2,})?"
)
# "Mrs.Kaur": a title's dot with the surname glued to it, the word ending there (not "Dr.Kaur.pdf", "Mr.Kaur/x")
_GLUED = r"\.(?=[A-Z][\w'\-]*(?![\w'\-]|[./@]\w))"


@dataclass
class _DocState:
    doc: str = ""
    parts: dict[str, str] = field(default_factory=dict)  # name part (casefolded) -> grouping key
    gender: dict[str, str | None] = field(default_factory=dict)  # key -> pronoun
    role: dict[str, str] = field(default_factory=dict)  # key -> role words
    noted: dict[str, str] = field(default_factory=dict)  # a name other recognisers found (casefolded) -> pronoun


class UnregisteredNames:
    """A PageDetector: unregistered people on a page; keeps per-document state so later bare mentions group."""

    def __init__(self, case: CaseData):
        manifest: Manifest = case.manifest
        lex = case.lex
        self.names = load_names(case.rules_dir)
        nl = self.names
        self._registered_tokens = {
            t.casefold() for p in manifest.people for t in (p.name.split() + [w for a in p.aliases for w in a.split()])
        }
        titles = alternation(list(lex.titles) + [t.upper() for t in lex.titles])
        self._title_gender = {k.casefold(): v for k, v in lex.title_gender.items()}
        self._street = {s.casefold() for s in lex.street_suffixes} | {s.casefold() for s in lex.place_suffixes}
        title_start = word_start(list(lex.titles) + [t.upper() for t in lex.titles], r"\w'@.", ignore_case=False)
        self._title_re = re.compile(
            rf"(?P<title>{title_start})(?:\.?[ \t]+(?:(?P<given>{_GIVEN})[ \t]+)?|{_GLUED})"
            rf"(?P<sur>{_SUR}|{_SUR_CAPS})(?![\w@]|-\w)"
        )
        # (the given name taken, not only looked at: no match can open inside it, as a hyphen stands before
        # its only other capital)
        given = capital_after(r"\w'@.\-") + _GIVEN[len("[A-Z]") :]
        self._pair_re = re.compile(rf"(?P<given>{given})(?=(?:{_S1})(?P<sur>{_SUR})(?![\w@]|-\w))")
        self._caps_re = re.compile(rf"(?P<sur>{_SUR_CAPS_FIRST}),[ \t]+(?P<given>{_GIVEN})(?![\w@])")
        upper = capital_after(r"\w'@.\-") + "[A-Z]+"
        self._upper_pair_re = re.compile(rf"(?P<given>{upper})[ \t]+(?P<sur>{_SUR_CAPS})(?![\w@])")
        labels = alternation(list(nl.form_labels))
        self._label_re = re.compile(
            rf"(?m)(?:^|\|[ \t]*)[ \t]*(?P<label>{labels})[ \t]*:[ \t]*(?P<value>(?:(?:{titles})\.?[ \t]+)?"
            rf"[A-Z][\w'\-]*(?:[ \t]+[A-Z][\w'\-]*){{0,2}})"
        )
        self._signoff_re = re.compile(
            rf"(?m)^[ \t]*{alternation(list(nl.signoffs))}[ \t]*,?[ \t]*\n+[ \t]*"
            rf"(?P<value>{_GIVEN}(?:[ \t]+{_SUR}){{0,2}})[ \t]*$"
        )
        roles = alternation(list(nl.roles))
        dets = alternation(list(nl.determiners) + [d.capitalize() for d in nl.determiners])
        # (a possessor's word taken whole, `\w++`: no shorter run of it is followed by an apostrophe)
        self._role_re = re.compile(
            rf"(?<![\w'\-])(?P<det>{dets}|\w++['\u2019]s)[ \t]+(?:(?:new|former|ex|old|"
            rf"current|older|younger|elderly)[ \t]+)?(?P<role>{roles})(?![\w\-])",
            re.IGNORECASE,
        )
        self._role_name_re = re.compile(
            rf"[ \t]*,?[ \t]*(?P<name>(?:(?:{titles})\.?[ \t]+)?{_GIVEN}"
            rf"(?:[ \t]+{_SUR})?)(?![\w])"
        )
        self._state = _DocState()
        self._role_page: tuple[str, list[re.Match[str]]] | None = None  # the last page's role words

    # ------------------------------------------------------------ names list helpers

    def gender(self, text: str) -> str | None:
        """The pronoun a name implies: from its title, else from its given name."""
        toks = text.replace(",", " ").split()
        if not toks:
            return None
        g = self._title_gender.get(toks[0].rstrip(".").casefold())
        if g:
            return g
        for t in toks[:2]:
            v = self.names.given.get(t.casefold())
            if v in ("she", "he"):
                return v
        key = self._state.parts.get(text.casefold())
        return self._state.gender.get(key) if key else self._state.noted.get(text.casefold())

    def note_gender(self, doc: str, name: str, pronoun: str) -> None:
        """The pronoun document `doc` uses for a name another recogniser found there ("spider ... told him"),
        which `gender` answers for the rest of the document."""
        if self._state.doc == doc:
            self._state.noted.setdefault(name.casefold(), pronoun)

    def _is_given(self, tok: str, strict: bool) -> bool:
        f = tok.casefold()
        if f not in self.names.given or f in self._registered_tokens:
            return False
        return not (strict and f in self.names.ambiguous)

    def _is_surname(self, tok: str, need_list: bool) -> bool:
        """need_list: the given name is weak, so the surname must be a listed surname that is no ordinary word."""
        f = tok.casefold()
        if f in self.names.not_surnames or f in self._street or len(f) < 2:
            return False
        return (f in self.names.surnames and f not in self.names.ordinary) if need_list else True

    # ------------------------------------------------------------ the page

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        """Unregistered name mentions on one page (pages of a document in order)."""
        if self._state.doc != doc:
            self._state = _DocState(doc)
        text = pt.text
        taken = sorted((m.start, m.end) for m in found if m.kind == "name")
        hits: list[tuple[int, int, str, str]] = []  # start, end, key, via

        def free(s: int, e: int) -> bool:
            return not any(a < e and s < b for a, b in taken) and not any(a < e and s < b for a, b, _, _ in hits)

        def add(s: int, e: int, key: str, via: str, gender: str | None = None) -> None:
            if free(s, e):
                hits.append((s, e, key, via))
                if gender:
                    self._state.gender.setdefault(key, gender)

        for m in self._label_re.finditer(text):
            self._form_value(m, add)
        for m in self._signoff_re.finditer(text):
            self._full(m.start("value"), m.end("value"), m["value"].split(), add, "signature")
        for m in self._title_re.finditer(text):
            if m["title"].rstrip(".").casefold() in ("lady", "lord", "sir", "dame") and not m["given"]:
                pass
            sur = m["sur"]
            if sur.casefold() in self.names.not_surnames or sur.casefold() in self._registered_tokens:
                continue
            if m["given"]:
                key = f"{m['given']} {sur}".casefold()
                self._register(key, [m["given"], sur])
            else:
                key = self._state.parts.get(sur.casefold(), sur.casefold())
                self._register(key, [sur])
            add(m.start(), m.end(), key, "unregistered: title", self._title_gender.get(m["title"].casefold()))
        for m in self._pair_re.finditer(text):
            g, s = m["given"], m["sur"]
            if not self._is_given(g, strict=False) or not self._is_surname(s, self.names.weak_given(g)):
                continue
            if s.casefold() in self._registered_tokens or self._followed_by_place(text, m.end("sur")):
                continue
            key = f"{g} {s}".casefold()
            self._register(key, [g, s])
            add(
                m.start("given"),
                m.end("sur"),
                key,
                "unregistered: names list",
                self.names.given.get(g.casefold()),
            )
        for rx in (self._caps_re, self._upper_pair_re):
            for m in rx.finditer(text):
                g, s = m["given"], m["sur"]
                if not self._is_given(g, strict=False) or not self._is_surname(s, self.names.weak_given(g)):
                    continue
                key = f"{g} {s}".casefold()
                self._register(key, [g, s])
                add(m.start(), m.end(), key, "unregistered: names list", self.names.given.get(g.casefold()))
        for m in self._roles(text):
            n = self._role_name_re.match(text, m.end())
            if not n:
                continue
            toks = n["name"].split()
            if not (self._title_gender.get(toks[0].rstrip(".").casefold()) or toks[0].casefold() in self.names.given):
                continue
            if any(t.casefold() in self._registered_tokens for t in toks):
                continue
            role = " ".join(m["role"].lower().split())
            key = self._state.parts.get(toks[-1].casefold(), " ".join(toks).casefold())
            self._register(key, toks)
            self._state.role.setdefault(key, role)
            add(n.start("name"), n.end("name"), key, f"unregistered: {role}", self.names.roles.get(role))
        self._bare_parts(text, ctx, add)
        out = []
        for s, e, key, via in sorted(hits):
            det = "name.title" if via == "unregistered: title" else "name.unregistered"
            role = self._state.role.get(key) or self._apposition(text, e)
            if role:
                self._state.role.setdefault(key, role)
                via = f"unregistered: {role}"
            out.append(Mention(doc, page, s, e, text[s:e], "name", None, det, unregistered=key, via=via))
        return out

    def _form_value(self, m: re.Match[str], add: object) -> None:
        toks = m["value"].split()
        first = toks[0].rstrip(".").casefold()
        if first in self._title_gender or first in {t.casefold() for t in ("Dr", "Mx", "Prof")}:
            self._full(m.start("value"), m.end("value"), toks, add, f"unregistered: form {m['label'].lower()}")
            return
        if len(toks) >= 2 and self._is_given(toks[0], strict=False) and self._is_surname(toks[-1], False):
            self._full(m.start("value"), m.end("value"), toks, add, f"unregistered: form {m['label'].lower()}")

    def _full(self, s: int, e: int, toks: list[str], add: object, via: str) -> None:
        if any(t.casefold() in self._registered_tokens for t in toks) or len(toks) < 2:
            return
        if any(t.casefold() in self.names.not_surnames for t in toks[1:]):
            return
        words = [
            t
            for t in toks
            if t.rstrip(".").casefold() not in self._title_gender and t.rstrip(".") not in ("Dr", "Mx", "Prof")
        ]
        if not words:
            return
        key = " ".join(words).casefold()
        self._register(key, words)
        add(s, e, key, via, self.gender(" ".join(toks)))  # type: ignore[operator]

    def _register(self, key: str, parts: Sequence[str]) -> None:
        for p in parts:
            f = p.casefold()
            if f not in self._registered_tokens:
                self._state.parts.setdefault(f, key)
        self._state.parts.setdefault(key, key)

    def _bare_parts(self, text: str, ctx: PageContext | None, add: object) -> None:
        parts = {p: k for p, k in self._state.parts.items() if " " not in p and len(p) >= 3}
        if not parts:
            return
        rx = same_name_re(list(parts))
        for m in rx.finditer(text):
            w = m["w"]
            if not (w[:1].isupper() and (w[1:].islower() or w.isupper())):
                continue
            f = w.casefold()
            if f in self.names.ambiguous and ctx is not None and ctx.sentence(m.start())[0] == m.start():
                continue
            add(m.start("w"), m.end("w"), parts[f], "unregistered: same name")  # type: ignore[operator]

    def _followed_by_place(self, text: str, end: int) -> bool:
        nxt = re.match(r"[ \t]+([A-Z][\w'\-]*)", text[end : end + 40])
        return bool(nxt and nxt.group(1).casefold() in self._street)

    def _apposition(self, text: str, end: int) -> str:
        m = re.match(r"\s*[,(]\s*", text[end : end + 4])
        if not m:
            return ""
        r = self._role_re.match(text, end + m.end())
        return " ".join(r["role"].lower().split()) if r else ""

    # ------------------------------------------------------------ role references (for attribution)

    def _roles(self, text: str) -> list[re.Match[str]]:
        """The role words of a page ("a neighbour", "her new partner"): found once for detect and role_refs."""
        if self._role_page is None or self._role_page[0] is not text:
            self._role_page = (text, list(self._role_re.finditer(text)))
        return self._role_page[1]

    def role_refs(self, doc: str, page: int, pt: PageText, people: Sequence[Mention]) -> list[Ref]:
        """Role words naming someone the register does not ("a neighbour", "her new partner")."""
        out = []
        spans = [(m.start, m.end) for m in people]
        for m in self._roles(pt.text):
            s, e = m.start("role"), m.end("role")
            if any(a < e and s < b for a, b in spans) or m["det"].lower() in ("the",) and False:
                continue
            if any(a <= m.start() and m.end() <= b for a, b in spans):
                continue
            role = " ".join(m["role"].lower().split())
            out.append(Ref(s, e, None, f"role: {role}", self.names.roles.get(role), via=f"role word '{role}'"))
        return out
