"""Identifiers (kind `identifier`): National Insurance numbers, NHS numbers, a person's case or reference
number written after their name, and dates of birth, each attributed to the person it belongs to.

An NHS number must pass the modulus-11 check and not be a phone number found by `contacts` (so this
runs after it). A date is a date of birth when it equals a registered `born` date, or when a cue
("DOB", "born on") precedes it in its sentence or its table row, or heads its column.
Detector ids: id.nino, id.nhs, id.case, id.dob.
Data: redaction-rules/identifiers.yaml (`patterns` id.nino, id.nhs, id.case (optional), date;
`dob_cues`; the attribution cues of `details.DetailOwner`); `born` dates of case.yaml.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ...models import Mention
from ...text import PageText
from ..base import CaseData, named
from ..context import PageContext
from ..details import DetailOwner, words_regex

__all__ = ["Identifiers", "nhs_valid", "parse_date"]

_MONTHS = {
    m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
}


def nhs_valid(digits: str) -> bool:
    """Modulus-11 check of a ten-digit NHS number."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


_UNITS = "first second third fourth fifth sixth seventh eighth ninth".split()
_TEENS = "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split()
_ORDINALS = {
    **{w: i + 1 for i, w in enumerate(_UNITS)},
    **{w: i + 10 for i, w in enumerate(_TEENS)},
    "twentieth": 20,
    "thirtieth": 30,
    **{f"{tens}{u}": base + i + 1 for tens, base in (("twenty", 20), ("thirty", 30)) for i, u in enumerate(_UNITS)},
}
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
_DAY = r"(?P<d>\d{1,2}|(?:twenty|thirty)[ \t-]?[a-z]+|[a-z]+)(?:st|nd|rd|th)?"
_WORDY_DATE = re.compile(_DAY + r"(?:\s+of)?\s+(?P<m>[a-z]{3})[a-z]*\.?,?\s+(?P<y>\d{4})", re.I)
_MONTH_FIRST = re.compile(r"(?P<m>[a-z]{3})[a-z]*\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})", re.I)
# a year that may end a date written in words ("the fifth of July 2003", "July 5th, 2003"): `date.words` is
# tried only in the few words before each year, not over the whole page
_YEAR = re.compile(r"(?:19|20)\d\d(?![\w/])")
_WORDS_BEFORE_YEAR = 48
_MONTH_WORD = re.compile(r"(?i)jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec")


def parse_date(s: str) -> dt.date | None:
    """A UK-order date ("05/07/2003", "5.7.2003", "03.03.85", "5th July 2003", "the fifth of July 2003") or a
    date with the month first ("July 5th, 2003") as a date, or None."""
    s = s.strip()
    m = _NUMERIC_DATE.fullmatch(s)
    try:
        if m:
            year = int(m[3])
            if len(m[3]) == 2:  # "03.03.85": the century that puts the date in the past
                year += 2000 if 2000 + year <= dt.date.today().year else 1900
            return dt.date(year, int(m[2]), int(m[1]))
        m = _WORDY_DATE.fullmatch(s) or _MONTH_FIRST.fullmatch(s)
        if m and m["m"].lower() in _MONTHS:
            d = m["d"].lower()
            day = int(d) if d.isdigit() else _ORDINALS.get("".join(d.replace("-", " ").split()))
            return dt.date(int(m["y"]), _MONTHS[m["m"].lower()], day) if day else None
    except ValueError:
        return None
    return None


_NON_DIGIT = re.compile(r"\D")


class Identifiers:
    """A PageDetector: identifiers of the people named on the page (after `contacts`)."""

    def __init__(self, case: CaseData):
        self.owner = case.shared(DetailOwner)
        self._pat = case.lex.patterns
        self._dob_cue = words_regex(case.lex.dob_cues)
        self._born: dict[dt.date, list[str]] = {}
        for p in case.manifest.people:
            if p.born:
                self._born.setdefault(p.born, []).append(p.id)

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        text = pt.text
        people = named(found)
        attribute = self.owner.attribute
        out: list[Mention] = []

        def add(start: int, end: int, det: str, person: str | None, via: str) -> None:
            out.append(Mention(doc, page, start, end, text[start:end], "identifier", person, det, via=via))

        for m in self._pat["id.nino"].finditer(text):
            add(m.start(), m.end(), "id.nino", *attribute(ctx, m.start(), m.end(), people))
        phones = [(p.start, p.end) for p in found if p.detector == "id.phone"]
        for m in self._pat["id.nhs"].finditer(text):
            if any(s < m.end() and m.start() < e for s, e in phones):
                continue
            if nhs_valid(_NON_DIGIT.sub("", m.group(0))):
                add(m.start(), m.end(), "id.nhs", *attribute(ctx, m.start(), m.end(), people))
        case_re = self._pat.get("id.case")
        ends = {p.end: p for p in people}
        if case_re is not None and "value" in case_re.groupindex:
            for m in case_re.finditer(text):
                owner = ends.get(m.start()) or ends.get(m.start() - 1)
                if owner is not None:
                    add(m.start("value"), m.end("value"), "id.case", owner.person, "named before")
        for s, e in self._dates(text):
            d = parse_date(text[s:e])
            if d is None:
                continue
            born = self._born.get(d, [])
            if len(born) == 1:
                add(s, e, "id.dob", born[0], "born")
            elif self._dob_context(ctx, s, e):
                add(s, e, "id.dob", *attribute(ctx, s, e, people))
        return out

    def _dates(self, text: str) -> list[tuple[int, int]]:
        """The dates of the page: `date`, then `date.words` ending at each year no date holds (a date written in
        words or with the month first: read only in the words before a year, not over the whole page)."""
        spans = [m.span() for m in self._pat["date"].finditer(text)]
        words = self._pat.get("date.words")
        if words is None:
            return spans
        ends = {e for _, e in spans}
        more = []
        for y in _YEAR.finditer(text):
            if y.end() in ends:
                continue
            lo = max(0, y.start() - _WORDS_BEFORE_YEAR)
            if not _MONTH_WORD.search(text, lo, y.start()):
                continue  # (every date in words names its month before the year)
            hit = next((m for m in words.finditer(text, lo, y.end()) if m.end() == y.end()), None)
            if hit is not None:
                more.append(hit.span())
        return sorted(spans + more) if more else spans

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
