"""detect stage: find mentions of people, contact details and identifiers in page text.

    det = Detector(manifest, rules_dir)          # compile everything once per case
    mentions = det.detect_page(doc_id, page, pt) # sorted by (start, end), offsets into pt.text

Kinds found: `name` (register names, aliases, initials, titles, kinship terms, withheld
names, unregistered "Mr X"), `contact` (phone, email, postcode, address line, named places),
`identifier` (date of birth, NHS number, National Insurance number). The `sensitive` kind
is an extension point: pass page detectors in `extra` (see `PageDetector`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from ..models import Manifest, Mention, Person
from ..text import PageText
from .context import PageContext
from .lexicon import Lexicon, alternation, load_lexicon
from .names import Entry, NameTable

__all__ = ["Detector", "PageDetector", "nhs_valid", "parse_date", "resolve_overlaps"]

# A further detector (e.g. sensitive statements): gets the page and the person mentions found so far
# (registered people, and unregistered names with person None and `unregistered` set).
PageDetector = Callable[[str, int, PageText, PageContext, Sequence[Mention]], list[Mention]]

_S = r"(?:[ \t]*\n[ \t]*|[ \t]+)"  # whitespace within one block
_CAPW = r"[A-Z][A-Za-z'\-]*\.?"
_CONN = r"(?:of|and|the|for|upon|on|&|de|la)"
_MONTHS = {
    m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
}
_NOT_PLACE = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "The",
    "A",
    "An",
    "I",
    "He",
    "She",
    "They",
    "It",
    "We",
    "Year",
}


def nhs_valid(digits: str) -> bool:
    """Modulus-11 check of a ten-digit NHS number."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def parse_date(s: str) -> dt.date | None:
    """A UK-order date ("05/07/2003", "5.7.2003", "5th July 2003") as a date, or None."""
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", s.strip())
    try:
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3})[A-Za-z]*\.?,?\s+(\d{4})", s.strip())
        if m and m[2].lower() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    except ValueError:
        return None
    return None


def resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Within a kind, drop mentions inside another and trim partial overlaps so no piece is uncovered."""
    out: list[Mention] = []
    last_end: dict[str, int] = {}
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        end = last_end.get(m.kind, -1)
        if m.end <= end:
            continue
        if m.start < end:
            text = m.text[end - m.start :]
            lead = len(text) - len(text.lstrip())
            start = end + lead
            if start >= m.end:
                continue
            m = _replace(m, start=start, text=m.text[start - m.start :])
        out.append(m)
        last_end[m.kind] = m.end
    out.sort(key=lambda m: (m.start, m.end))
    return out


def _replace(m: Mention, **kw: object) -> Mention:
    return dataclasses.replace(m, **kw)  # type: ignore[arg-type]


def _cue_regex(words: Sequence[str], flags: int = 0) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + alternation(list(words)) + r"(?![\w])", flags)


class Detector:
    """All detectors of a case, compiled once from the manifest and the lexicon files."""

    def __init__(self, manifest: Manifest, rules_dir: Path, extra: Sequence[PageDetector] = ()):
        self.manifest = manifest
        self.lex: Lexicon = load_lexicon(Path(rules_dir))
        self.people: dict[str, Person] = {p.id: p for p in manifest.people}
        self.subject = manifest.subject
        self.names = NameTable(manifest, self.lex)
        # unregistered people, sensitive statements and companions of protected people (issue 6)
        from .sensitive import SensitiveDetector
        from .unregistered import UnregisteredNames

        self.unregistered = UnregisteredNames(manifest, self.lex, Path(rules_dir))
        self.sensitive = SensitiveDetector(
            manifest, Path(rules_dir), role_refs=self.unregistered.role_refs, name_gender=self.unregistered.gender
        )
        self.extra = (self.unregistered.companions, self.sensitive, *extra)
        self._title_gender = {k.casefold(): v for k, v in self.lex.title_gender.items()}
        self._compile_kinship()
        self._compile_identifiers()
        self._born: dict[dt.date, list[str]] = {}
        for p in manifest.people:
            if p.born:
                self._born.setdefault(p.born, []).append(p.id)

    # ------------------------------------------------------------ compile

    def _compile_kinship(self) -> None:
        self._kin = {t.term: t for t in self.lex.kin_terms}
        pats = []
        for term in sorted(self._kin, key=len, reverse=True):
            esc = re.escape(term).replace(r"\ ", r"\s+").replace("'", "['\u2019]")
            first = term[0]
            pats.append(f"[{first.upper()}{first}]{esc[1:]}" if first.isalpha() else esc)
        self._kin_re = re.compile(r"(?<![\w'\-])(?:" + "|".join(pats) + r")(?![\w]|-\w)") if pats else None
        self._kin_subject: dict[str, str | None] = {t: self._resolve_kin(t, None) for t in self._kin}

    def _compile_identifiers(self) -> None:
        lx = self.lex
        self._pat = lx.patterns
        units = alternation(list(lx.unit_words))
        sufs = alternation(list(lx.street_suffixes))
        num = r"\d{1,4}[A-Za-z]?(?:-\d{1,4})?"
        street = rf"{_CAPW}(?:{_S}{_CAPW}){{0,3}}?{_S}{sufs}"
        self._addr_re = re.compile(
            rf"(?<![\w/.])(?:{units}{_S}{num}[A-Za-z]?,?{_S}(?:{num},?{_S})?|{num},?{_S}){street}(?![\w])"
        )
        psuf = alternation(list(lx.place_suffixes))
        self._place_re = re.compile(
            rf"(?<![\w'\-]){_CAPW}(?:{_S}(?:{_CONN}{_S})*{_CAPW}){{0,6}}{_S}{psuf}"
            rf"(?:{_S}of{_S}{_CAPW}(?:{_S}{_CAPW}){{0,3}})?(?![\w])"
        )
        cues = alternation(list(lx.place_cues))
        nouns = alternation(list(lx.place_nouns))
        self._place_noun_re = re.compile(
            rf"(?<![\w]){cues}{_S}(?:(?:the|a|an){_S})?(?P<place>{_CAPW}(?:{_S}{_CAPW}){{0,3}}{_S}{nouns})(?![\w])"
        )
        # after "works at", "employed by" ... a capitalised name is the workplace, whatever its last word
        jobs = alternation([c for c in lx.place_cues if c.split()[0].startswith(("work", "employ", "job"))])
        self._employer_re = re.compile(
            rf"(?<![\w]){jobs}{_S}(?:(?:the|a|an){_S})?"
            rf"(?P<place>{_CAPW}(?:{_S}(?:&{_S}|and{_S}|of{_S})?{_CAPW}){{0,3}})(?![\w])"
        )
        res = [rf"(?<![\w]){alternation(list(lx.residence_cues))}"] + [p.pattern for p in lx.place_cue_patterns]
        self._town_re = re.compile(rf"(?:{'|'.join(res)}){_S}(?P<place>{_CAPW}(?:{_S}{_CAPW}){{0,2}})(?![\w])")
        self._dob_cue = _cue_regex(lx.dob_cues)
        self._work_cue = _cue_regex(lx.work_cues)
        self._personal_cue = _cue_regex(lx.personal_cues)
        self._label_re = re.compile(r"^\s*" + alternation(list(lx.person_labels)) + r"\b")

    # ------------------------------------------------------------ the page

    def detect_page(self, doc_id: str, page: int, pt: PageText) -> list[Mention]:
        """Every mention on one page, sorted by (start, end); offsets are into pt.text."""
        text = pt.text
        ctx = PageContext.build(pt)
        names = self._find_names(doc_id, page, text)
        kin = self._find_kinship(doc_id, page, text, names)
        people = sorted([m for m in names + kin if m.person], key=lambda m: m.start)
        unreg = self.unregistered.find(doc_id, page, pt, ctx, names + kin)
        found = names + kin + unreg
        # an unregistered person's details belong to no one of the register: tied to them, they are withheld
        owners = sorted(people + [u for u in unreg if u.kind == "name"], key=lambda m: m.start)
        found += self._find_identifiers(doc_id, page, ctx, owners)
        named = sorted(people + unreg, key=lambda m: m.start)
        for hook in self.extra:
            found += hook(doc_id, page, pt, ctx, named)
        return resolve_overlaps([m for m in found if 0 <= m.start < m.end <= len(text)])

    # ------------------------------------------------------------ names

    def _find_names(self, doc: str, page: int, text: str) -> list[Mention]:
        raw: list[tuple[int, int, str, tuple[Entry, ...], str | None]] = []
        for m in self.names.regex.finditer(text):
            entries = self.names.lookup(text[m.start() : m.end("name")]) if m["title"] else ()
            if not entries:
                entries = self.names.lookup(m["name"])
            if not entries:
                entries = self.names.lookup(m["name"][:-1]) if m["name"].endswith("s") else ()
            if not entries:
                continue
            raw.append((m.start(), m.end(), m.group(0), entries, m["title"]))
        out: list[Mention] = []
        pending: list[tuple[int, int, str, list[Entry], str | None]] = []
        for start, end, mtext, entries, title in raw:
            cands = self._filter_gender(list(entries), title)
            if len({e.person for e in cands}) == 1:
                out.append(self._name_mention(doc, page, start, end, mtext, cands, title, "named"))
            else:
                pending.append((start, end, mtext, cands, title))
        for start, end, mtext, cands, title in pending:
            ids = tuple(dict.fromkeys(e.person for e in cands))
            pid, how = self._disambiguate(ids, start, out)
            chosen = [e for e in cands if e.person == pid]
            mention = self._name_mention(doc, page, start, end, mtext, chosen, title, how)
            out.append(_replace(mention, candidates=ids))
        return out

    def _filter_gender(self, entries: list[Entry], title: str | None) -> list[Entry]:
        g = self._title_gender.get((title or "").rstrip(".").casefold())
        normal = [e for e in entries if e.detector != "name.withheld"] or entries
        if not g:
            return normal
        fit = [e for e in normal if self.people[e.person].effective_pronouns in (g, None, "they")]
        return fit or normal

    def _disambiguate(self, ids: tuple[str, ...], start: int, named: list[Mention]) -> tuple[str, str]:
        """Choose among people sharing a name: the nearest unambiguous mention of one of them, else the subject."""
        best: tuple[int, str] | None = None
        for m in named:
            if m.person in ids and not m.candidates and m.detector in ("name.full", "name.title", "name.alias"):
                dist = start - m.end if m.end <= start else (m.start - start) * 2  # prefer preceding
                if best is None or dist < best[0]:
                    best = (dist, m.person)
        if best is not None:
            return best[1], "shared name: nearest full name"
        if self.subject.id in ids:
            return self.subject.id, "shared name: the subject"
        return ids[0], "shared name: ambiguous"

    def _name_mention(
        self, doc: str, page: int, start: int, end: int, text: str, entries: list[Entry], title: str | None, how: str
    ) -> Mention:
        e = entries[0]
        det = e.detector
        if title and det in ("name.full", "name.surname", "name.first", "name.alias"):
            det = "name.title"
        via = e.via if how == "named" else how
        return Mention(doc, page, start, end, text, "name", e.person, det, qualifier=e.qualifier, via=via)

    def _find_unregistered(self, doc: str, page: int, text: str, known: list[Mention]) -> list[Mention]:
        """A title and a capitalised word that names no one registered ("Mrs Ingram")."""
        taken = sorted((m.start, m.end) for m in known)
        out = []
        for m in self.names.unregistered.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            key = m["name"].lower()
            out.append(
                Mention(
                    doc,
                    page,
                    m.start(),
                    m.end(),
                    m.group(0),
                    "name",
                    None,
                    "name.title",
                    unregistered=key,
                    via="unregistered",
                )
            )
        return out

    # ------------------------------------------------------------ kinship

    def _resolve_kin(self, term: str, rel: str | None) -> str | None:
        t = self._kin[term]
        subj = self.subject.id
        if rel is None or rel == subj:
            pool = [p for p in self.manifest.people if p.role in t.roles and p.of in (None, subj)]
        else:
            pool = [p for p in self.manifest.people if p.role in t.roles and p.of == rel]
        if t.gender in ("she", "he"):
            exact = [p for p in pool if p.effective_pronouns == t.gender]
            loose = [p for p in pool if p.effective_pronouns in (None, "they")]
            pool = exact or loose
        return pool[0].id if len(pool) == 1 else None

    def _find_kinship(self, doc: str, page: int, text: str, names: list[Mention]) -> list[Mention]:
        if self._kin_re is None:
            return []
        ends = {m.end: m for m in names if m.person}
        out = []
        for m in self._kin_re.finditer(text):
            term = " ".join(m.group(0).lower().replace("\u2019", "'").split())
            if term not in self._kin:
                continue
            owner = self._possessor(text, m.start(), ends)
            if owner is not None:
                pid = self._resolve_kin(term, owner)
                via = f"kinship of {owner}"
            else:
                pid = self._kin_subject[term]
                via = "kinship"
            if pid is None:
                continue
            out.append(Mention(doc, page, m.start(), m.end(), m.group(0), "name", pid, "kinship", via=via))
        return out

    @staticmethod
    def _possessor(text: str, start: int, ends: dict[int, Mention]) -> str | None:
        """The registered person in "Tom's mother" (a name ending just before "'s ")."""
        pm = re.search(r"(['\u2019]s?)\s+$", text[max(0, start - 6) : start])
        if not pm:
            return None
        end = start - len(pm.group(0))
        m = ends.get(end)
        return m.person if m else None

    # ------------------------------------------------------------ identifiers and contacts

    def _find_identifiers(self, doc: str, page: int, ctx: PageContext, people: list[Mention]) -> list[Mention]:
        text = ctx.pt.text
        out: list[Mention] = []

        def add(start: int, end: int, kind: str, det: str, person: str | None, via: str, qual: str = "") -> None:
            out.append(Mention(doc, page, start, end, text[start:end], kind, person, det, qualifier=qual, via=via))

        phones: list[tuple[int, int]] = []
        for m in self._pat["id.phone"].finditer(text):
            digits = re.sub(r"\D", "", m.group(0))
            national = digits[2:] if m.group(0).startswith("+") else digits[1:]
            if len(national) not in (9, 10) or national[0] not in "123578":
                continue
            if national[0] == "7" and len(national) != 10:
                continue
            phones.append(m.span())
            pid, via = self._attribute(ctx, m.start(), m.end(), people)
            add(m.start(), m.end(), "contact", "id.phone", pid, via, self._qualify(ctx, m.start(), pid))
        for m in self._pat["id.email"].finditer(text):
            pid, via = self._email_person(m.group(0))
            if pid is None:
                pid, via = self._attribute(ctx, m.start(), m.end(), people)
            add(m.start(), m.end(), "contact", "id.email", pid, via, self._email_qualifier(m.group(0), pid))
        handle_re = self._pat.get("id.handle")  # optional in an authority's own patterns file
        for m in handle_re.finditer(text) if handle_re is not None else ():
            pid, via = self._attribute(ctx, m.start(), m.end(), people)
            add(m.start(), m.end(), "contact", "id.handle", pid, via, "personal")
        for rx, det in ((self._addr_re, "id.address"), (self._pat["id.postcode"], "id.postcode")):
            for m in rx.finditer(text):
                pid, via = self._attribute(ctx, m.start(), m.end(), people)
                add(m.start(), m.end(), "contact", det, pid, via, self._qualify(ctx, m.start(), pid, phone=False))
        for m in self._pat["id.nino"].finditer(text):
            pid, via = self._attribute(ctx, m.start(), m.end(), people)
            add(m.start(), m.end(), "identifier", "id.nino", pid, via)
        for m in self._pat["id.nhs"].finditer(text):
            if any(s < m.end() and m.start() < e for s, e in phones):
                continue
            if nhs_valid(re.sub(r"\D", "", m.group(0))):
                pid, via = self._attribute(ctx, m.start(), m.end(), people)
                add(m.start(), m.end(), "identifier", "id.nhs", pid, via)
        case_re = self._pat.get("id.case")
        ends = {p.end: p for p in people}
        if case_re is not None and "value" in case_re.groupindex:
            for m in case_re.finditer(text):
                owner = ends.get(m.start()) or ends.get(m.start() - 1)
                if owner is not None:
                    add(m.start("value"), m.end("value"), "identifier", "id.case", owner.person, "named before")
        for m in self._pat["date"].finditer(text):
            self._date(ctx, m, people, add)
        self._places(ctx, people, add)
        return out

    def _date(self, ctx: PageContext, m: re.Match[str], people: list[Mention], add: Callable[..., None]) -> None:
        d = parse_date(m.group(0))
        if d is None:
            return
        born = self._born.get(d, [])
        if len(born) == 1:
            add(m.start(), m.end(), "identifier", "id.dob", born[0], "born")
            return
        if not self._dob_context(ctx, m.start(), m.end()):
            return
        pid, via = self._attribute(ctx, m.start(), m.end(), people)
        add(m.start(), m.end(), "identifier", "id.dob", pid, via)

    def _dob_context(self, ctx: PageContext, start: int, end: int) -> bool:
        text = ctx.pt.text
        s0, _ = ctx.sentence(start)
        if self._dob_cue.search(text, max(s0, start - 40), start):
            return True
        pt = ctx.pt
        idx = pt.words_in(start, end)
        if not idx:
            return False
        w0 = pt.words[idx[0]]
        row = ctx.row_span_words(ctx.row_of_word[idx[0]])
        left = " ".join(pt.words[i].text for i in row if pt.words[i].x1 <= w0.x0 + 0.5)
        if self._dob_cue.search(left):
            return True
        # a column headed by a date-of-birth cue, the date alone in its cell
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if text[line_start:line_end].strip() != text[start:end]:
            return False
        x0, x1 = w0.x0, pt.words[idx[-1]].x1
        for c in self._dob_cue.finditer(text):
            cw = pt.words_in(c.start(), c.end())
            if not cw:
                continue
            a, b = pt.words[cw[0]], pt.words[cw[-1]]
            if b.y1 <= w0.y0 + 0.5 and a.x0 < x1 and b.x1 > x0:
                return True
        return False

    def _places(self, ctx: PageContext, people: list[Mention], add: Callable[..., None]) -> None:
        text = ctx.pt.text
        spans: dict[tuple[int, int], int] = {}  # place span -> offset whose owner the place belongs to
        cued: set[tuple[int, int]] = set()  # spans named by a work cue: a name wrapped at a line end is still one
        for m in self._place_re.finditer(text):
            spans[m.span()] = m.start()
        for rx in (self._place_noun_re, self._employer_re, self._town_re):
            for m in rx.finditer(text):
                s, e = m.span("place")
                # "Tom lives with Lisa in X": X is where the subject of the verb lives
                spans.setdefault((s, e), m.start() if rx is self._town_re else s)
                if rx is self._employer_re:
                    cued.add((s, e))
        name_spans = [(p.start, p.end) for p in people]
        for (s, e), anchor in sorted(spans.items()):
            lines = text[s:e].split("\n")
            if len(lines) > 2 or (len(lines) == 2 and len(lines[0].split()) < 2 and (s, e) not in cued):
                continue  # a column of labels, not a name wrapped at a line end
            if any(a <= s and e <= b for a, b in name_spans):
                continue  # "lives with Jemma Carr": a name, not a place
            if text[s:e].split()[0] in _NOT_PLACE:
                continue
            pid, via = self._attribute(ctx, anchor, e if anchor == s else anchor + 1, people)
            if pid is not None:
                add(s, e, "contact", "contact.place", pid, via)

    # ------------------------------------------------------------ attribution

    def _attribute(self, ctx: PageContext, start: int, end: int, people: list[Mention]) -> tuple[str | None, str]:
        """The person a detail belongs to: clause, sentence, table row, block, then a labelled form row above."""
        others = [p for p in people if p.end <= start or p.start >= end]
        c0, c1 = ctx.clause(start, end)
        before = [p for p in others if c0 <= p.start and p.end <= start]
        if before:
            return before[-1].person, "same clause"
        s0, s1 = ctx.sentence(start)
        in_sentence = [p for p in others if s0 <= p.start and p.end <= s1]
        if in_sentence:
            return in_sentence[0].person, "same sentence"
        row = ctx.row(start, end)
        if row >= 0:
            in_row = [p for p in others if ctx.row(p.start, p.end) == row]
            if in_row:
                pt = ctx.pt
                in_row.sort(key=lambda p: pt.words[pt.words_in(p.start, p.end)[0]].x0)
                return in_row[0].person, "same table row"
        b0, b1 = ctx.block(start)
        in_block = {p.person for p in others if b0 <= p.start and p.end <= b1}
        if len(in_block) == 1:
            return in_block.pop(), "same block"
        return self._form_person(ctx, start, end, row, others)

    def _form_person(
        self, ctx: PageContext, start: int, end: int, row: int, others: list[Mention]
    ) -> tuple[str | None, str]:
        """In a form, the person named in a labelled row ("Name", "Young person") or a name line above."""
        if row < 0:
            return None, ""
        pt = ctx.pt
        own = set(pt.words_in(start, end))
        rest = [i for i in ctx.row_span_words(row) if i not in own and pt.words[i].text not in ("|", "-", ":")]
        if len(rest) > 12:
            return None, ""
        by_row: dict[int, list[Mention]] = {}
        for p in others:
            if p.end <= start:
                by_row.setdefault(ctx.row(p.start, p.end), []).append(p)
        for r in range(row - 1, max(-1, row - 9), -1):
            if r not in by_row:
                continue
            words = ctx.row_span_words(r)
            row_text = " ".join(pt.words[i].text for i in words)
            p = by_row[r][0]
            covered = set(pt.words_in(p.start, p.end))
            if self._label_re.match(row_text) or len([i for i in words if i not in covered]) <= 1:
                return p.person, "form"
            return p.person, "row above"
        return None, ""

    def _email_person(self, email: str) -> tuple[str | None, str]:
        local = re.sub(r"[^a-z]", "", email.split("@")[0].lower())
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

    def _email_qualifier(self, email: str, pid: str | None) -> str:
        domain = email.rsplit("@", 1)[-1].lower()
        if any(domain.endswith(d.lower()) for d in self.lex.work_domains):
            return "work"
        if any(domain == d.lower() for d in self.lex.personal_domains):
            return "personal"
        return ""

    def _qualify(self, ctx: PageContext, start: int, pid: str | None, phone: bool = True) -> str:
        """'work' or 'personal' from the nearest cue before the detail (its sentence and its table row)."""
        text = ctx.pt.text
        s0, _ = ctx.sentence(start)
        window = text[s0:start]
        pt = ctx.pt
        idx = pt.words_in(start, start + 1)
        if idx:
            w0 = pt.words[idx[0]]
            row = ctx.row_span_words(ctx.row_of_word[idx[0]])
            left = " ".join(pt.words[i].text for i in row if pt.words[i].x1 <= w0.x0 + 0.5)
            window = left + " \n " + window
        best = ("", -1)
        for rx, q in ((self._work_cue, "work"), (self._personal_cue, "personal")):
            for m in rx.finditer(window):
                if m.end() > best[1]:
                    best = (q, m.end())
        if best[0]:
            return best[0]
        if pid is not None and self.people[pid].group == "professional":
            return "work"
        return ""
