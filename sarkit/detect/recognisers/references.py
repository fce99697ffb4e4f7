"""Reference numbers and vehicle registrations (kind `identifier`).

- a number or code after a label that makes it someone's reference: a police crime or occurrence
  number, a PNC or custody number, an officer's collar number, a prisoner number, a solicitor's or a
  court's file reference, a council's person ID ("Our ref: BAN/2291", "COLLAR NO : 3310",
  "ID 2104878"); detector id.reference;
- a letter's own reference ("Our ref: HL/BAN/2291", "Your ref: ...") with no person named before it: the
  authority's own file (a letter signed by one of its workers and "our ref", or a letter to it and "your
  ref") is the subject's; a correspondent's file is the third party's of the letter's "Re:" or "Our
  client:" line, else no one's known (redacted to be safe); detector id.reference;
- a number in brackets straight after a name ("Tyler DUNMORE (2104878)"); detector id.case;
- a vehicle registration: the current format anywhere ("WQ57 XHT"), older formats after a vehicle
  label ("VRM A123 BCD"); detector id.vehicle;
- an officer's collar number between a police rank and a name ("PC 4471 HOLLIS"): the officer's;
  detector id.reference.

Each is attributed to the person its clause, sentence, row or block ties it to (`details.DetailOwner`);
one tied to no one is proposed unattributed (redacted to be safe; kept when the same value is kept
elsewhere in the case). The subject's own reference stays kept.
Data: redaction-rules/words/context.yaml (`reference_cues`, `police_reference_cues`, `letter_reference_cues`,
`concerning_labels`, `authority_roles`, `writer_labels`, `sign_offs`, `vehicle_cues`, `officer_ranks`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...models import Mention
from ...text import PageText
from ..base import CaseData, named
from ..context import PageContext
from ..details import DetailOwner
from ..lexicon import alternation, capital_after, word_start
from ..words import Words
from ..writers import WriterReader

__all__ = ["References"]

_VALUE = r"(?P<v>(?=[A-Z0-9/\-]*\d{3})[A-Z0-9](?:[A-Z0-9/\-]{1,18}[A-Z0-9])?)"
# (`(?<![\w/\-])[A-Z]{2}...`, opening with its capital: `lexicon.capital_after`)
# (the two halves may be split over a line end: "(reg XK68\nBNR)")
_CURRENT_VRM = re.compile(capital_after(r"\w/\-") + r"[A-Z]\d{2}(?:[ \t]|\n)?[A-Z]{3}(?![\w/\-])")
_OLD_VRM = r"(?P<v>[A-Z]\d{1,3}[ \t]?[A-Z]{3}|[A-Z]{3}[ \t]?\d{1,3}[A-Z]|[A-Z]{2}\d{2}[ \t]?[A-Z]{3})"


_REF_GAP = re.compile(r"(?:['\u2019]s)?[\s,:;\-]*(?:\([^()\n]{0,20}\))?[\s,:;\-]*")
_YEAR = re.compile(r"(?:19|20)\d\d")
_SHORT_DATE = re.compile(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}")


class References:
    """A PageDetector: reference numbers and vehicle registrations of the people on the page."""

    def __init__(self, case: CaseData):
        w = case.shared(Words)
        self.owner = case.shared(DetailOwner)
        self.subject = case.subject.id
        cues = list(w.reference_cues) + list(w.police_reference_cues) + list(w.letter_reference_cues)
        self._police = {" ".join(c.casefold().split()) for c in w.police_reference_cues}
        self._letter = {" ".join(c.casefold().split()) for c in w.letter_reference_cues}
        self._writers = WriterReader(w.writer_labels, w.sign_offs)
        self._authority_roles = w.authority_roles
        self.people = case.people
        self._concerning_re = re.compile(
            rf"^[ \t]*(?:{alternation(list(w.concerning_labels))})[ \t]*:[ \t]*(?P<rest>[^\n]*)", re.M | re.I
        )
        # the cue words from their first letter (word_alternation), else each cue at every word start
        cue = word_start(cues, r"\w", ignore_case=True)
        self._ref_re = re.compile(
            rf"(?P<cue>{cue})\.?[ \t]*(?:no\.?|number|#)?"
            rf"[ \t]*[:.#]?[ \t]*{_VALUE}(?![\w/\-])",
            re.IGNORECASE,
        )
        vc = list(w.vehicle_cues)
        vcues = word_start(vc + [c.upper() for c in vc], r"\w", ignore_case=False)  # (`(?<![\w])` and the cues)
        self._vrm_re = re.compile(
            rf"(?:{vcues})\.?[ \t]*(?:no\.?|NO\.?)?[ \t]*[:.]?[ \t]*"
            rf"{_OLD_VRM}(?![\w])"
        )
        self._bracket_re = re.compile(r"[ \t]?\([ \t]*(?P<v>\d{5,10})[ \t]*\)")
        ranks = sorted({*w.officer_ranks, *(r.upper() for r in w.officer_ranks)})
        self._ranks = tuple(ranks)
        self._collar_re = re.compile(rf"(?<![\w])(?:{alternation(ranks)})\.?[ \t]+(?P<v>\d{{3,6}})[ \t]+(?=[A-Z])")

    @staticmethod
    def _named_before(text: str, ctx: PageContext, start: int, people: list[Mention]) -> Mention | None:
        """The person named just before a label in its sentence: "Tyler Dunmore (19/03/2008), ID ...",
        "Lee's PNC ID ..." (at most a bracket, a date or a comma between)."""
        s0, _ = ctx.sentence(start)
        before = [p for p in people if s0 <= p.start and p.end <= start and p.person is not None]
        if not before:
            return None
        p = before[-1]
        gap = text[p.end : start]
        if len(gap) > 40 or not _REF_GAP.fullmatch(gap):
            return None
        return p

    def _letter_reference(self, text: str, cue: str, people: list[Mention]) -> tuple[str | None, str]:
        """Whose file a letter's "Our ref" / "Your ref" is: the authority's own file is the subject's; a
        correspondent's is the file of the third party the letter is about, else no one's known."""
        ours = cue.split()[0].casefold() in ("our", "my")
        writer = next(iter(self._writers.writers(text, people)), None)
        if writer is not None:
            p = self.people.get(writer[2].person or "")
            authority = p is not None and p.role in self._authority_roles
            if ours == authority:
                return self.subject, "the authority's own file"
        about = self._concerning(text, people)
        if about is not None and (about.person != self.subject or writer is None):
            # (a letter about the subject whose writer is not on this page: as likely the authority's own file)
            return about.person, "the letter's subject line"
        return None, ""

    def _concerning(self, text: str, people: list[Mention]) -> Mention | None:
        """The first person named on a letter's "Re:" or "Our client:" line (registered or not)."""
        for m in self._concerning_re.finditer(text):
            a, b = m.span("rest")
            who = next((p for p in people if a <= p.start < b and (p.person or p.unregistered)), None)
            if who is not None:
                return who
        return None

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        text = pt.text
        people = named(found)
        taken = [(m.start, m.end) for m in found if m.kind in ("identifier", "contact")]
        out: list[Mention] = []

        def add(s: int, e: int, det: str, pid: str | None, via: str) -> None:
            if any(a < e and s < b for a, b in taken) or any(m.start < e and s < m.end for m in out):
                return
            out.append(Mention(doc, page, s, e, text[s:e], "identifier", pid, det, via=via or "unattributed"))

        for p in people:
            b = self._bracket_re.match(text, p.end)
            if b and p.person is not None:
                add(b.start("v"), b.end("v"), "id.case", p.person, "named before")
        for m in self._ref_re.finditer(text):
            s, e = m.span("v")
            if _YEAR.fullmatch(m["v"]) or _SHORT_DATE.fullmatch(m["v"]):
                continue  # a year or a date, not a reference
            owner = self._named_before(text, ctx, m.start(), people)
            if owner is not None:
                add(s, e, "id.reference", owner.person, "named before")
            elif " ".join(m["cue"].casefold().split()) in self._police:
                add(s, e, "id.reference", None, "")
            elif " ".join(m["cue"].casefold().split()) in self._letter:
                pid, via = self._letter_reference(text, m["cue"], people)
                add(s, e, "id.reference", pid, via)
        if any(r in text for r in self._ranks):
            starts = {p.start: p for p in people}
            for m in self._collar_re.finditer(text):
                officer = starts.get(m.end())
                if officer is not None:
                    add(m.start("v"), m.end("v"), "id.reference", officer.person, "collar number of the officer named")
        seen: set[tuple[int, int]] = set()
        for rx in (self._vrm_re, _CURRENT_VRM):
            for m in rx.finditer(text):
                s, e = m.span("v") if "v" in rx.groupindex else m.span()
                if (s, e) in seen:
                    continue
                seen.add((s, e))
                pid, via = self.owner.attribute(ctx, s, e, people)
                add(s, e, "id.vehicle", pid, via)
        return out
