"""Whose a contact detail or an identifier is, and whether it is a work or a personal one.

Shared by the contact, identifier and place recognisers (one per case: `case.shared(DetailOwner)`).
Data: `person_labels`, `work_cues`, `personal_cues`, `letter_openings`, `letter_closings` and
`organisation_words` of redaction-rules/identifiers.yaml; `carer_words`, `owner_after` of words/context.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..models import Mention
from ..roles import PRIVATE_HOME_CARERS
from .base import CaseData
from .context import PageContext
from .lexicon import alternation
from .words import Words
from .writers import WriterReader

__all__ = ["DetailOwner", "words_regex"]

_RELATIVE = re.compile(r"\s*(?:who|whose|which|where)(?![\w'])", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"(?<![\w'])(?:my|me|mine|i|i'm|i['\u2019]ve)(?![\w'])", re.IGNORECASE)
_SELF_BEFORE = re.compile(r"(?<![\w'])(?:it['\u2019]?s|this is|i am|i['\u2019]m)[ \t]+$", re.IGNORECASE)
_SELF_AFTER = re.compile(r"[ \t]+here(?![\w'])", re.IGNORECASE)
_PRONOUN = re.compile(r"(?<![\w'])(she|he|her|his|hers|him|herself|himself)(?![\w'])", re.IGNORECASE)
_POSSESSOR = re.compile(r"['\u2019]s?(?![\w'\u2019])")  # "mother's home", "the Joneses' car"


def words_regex(words: Sequence[str], flags: int = 0) -> re.Pattern[str]:
    """Any of the phrases, as whole words."""
    return re.compile(r"(?<![\w])" + alternation(list(words)) + r"(?![\w])", flags)


class DetailOwner:
    """Attribution of a detail to the people named on its page."""

    def __init__(self, case: CaseData):
        self.people = case.people
        self._work_cue = words_regex(case.lex.work_cues)
        self._personal_cue = words_regex(case.lex.personal_cues)
        self._label_re = re.compile(r"^\s*" + alternation(list(case.lex.person_labels)) + r"\b")
        lx = case.lex
        self._opening = re.compile(r"(?:^|\n)[ \t]*" + alternation(list(lx.letter_openings)) + r"\b", re.IGNORECASE)
        self._closing = re.compile(  # a line of its own: "Yours sincerely," -- not "with regards to ..."
            r"(?:^|\n)[ \t]*" + alternation(list(lx.letter_closings)) + r"[ \t]*[,.!]?[ \t]*(?=\n|$)", re.IGNORECASE
        )
        self._org = words_regex(lx.organisation_words)
        words = case.shared(Words)
        self._writers = WriterReader(words.writer_labels, words.sign_offs)
        subject = case.subject.id
        carers = [p.id for p in case.manifest.people if p.role in PRIVATE_HOME_CARERS and p.of in (None, subject)]
        self._carer = carers[0] if carers else None  # (carers of one household share one policy)
        self._carer_word = words_regex(words.carer_words, re.IGNORECASE) if carers and words.carer_words else None
        self._owner_after = (
            re.compile(r"[\s,;:()\-]*(?:" + alternation(list(words.owner_after)) + r")(?![\w])", re.IGNORECASE)
            if words.owner_after
            else None
        )

    def attribute(self, ctx: PageContext, start: int, end: int, people: list[Mention]) -> tuple[str | None, str]:
        """The person a detail belongs to: clause, sentence, table row, block, then a labelled form row above."""
        others = [p for p in people if p.end <= start or p.start >= end]
        owner = self._owner_after.match(ctx.pt.text, end) if self._owner_after is not None else None
        if owner is not None:  # "VRM XK19 PFD DRIVEN BY MALE KNOWN AS SMUDGE": the person named next, else no one
            nxt = next((p for p in others if owner.end() <= p.start <= owner.end() + 40), None)
            return (nxt.person, "owner named after") if nxt is not None else (None, "owner not named")
        c0, c1 = ctx.clause(start, end)
        before = [p for p in others if c0 <= p.start and p.end <= start]
        if before:
            pron = _PRONOUN.search(ctx.pt.text, before[-1].end, start)
            if pron:  # "Donna told Amy she has a flat on ...": she is the sentence's subject, not its object
                subj = self._subject(ctx, start, others, pron.group(1).lower())
                if subj is not None:
                    return subj.person, "pronoun: the sentence's subject"
            return before[-1].person, "same clause"
        text = ctx.pt.text
        s0, s1 = ctx.sentence(start)
        in_sentence_before = [p for p in others if s0 <= p.start and p.end <= start]
        if in_sentence_before and _RELATIVE.match(text, c0, start):
            # "her brother, Tyler, who is in Year 3 at X": X is the person the relative pronoun follows
            return in_sentence_before[-1].person, "relative clause"
        pron = _PRONOUN.search(text, c0, start) if in_sentence_before else None
        if pron:  # "Mum asked after his carers at X": his is the one of them the pronoun fits
            fit = self._fitting(in_sentence_before, pron.group(1).lower())
            if fit:
                return fit[0].person, "pronoun: the person it fits"
        if in_sentence_before and _FIRST_PERSON.search(text, in_sentence_before[-1].end, start):
            writer = self._writer(ctx, start, others)
            if writer is not None:  # "I can have Niamh at weekends at mine, Flat 6 ...": the writer's own
                return writer.person, "the writer"
        if not in_sentence_before and _FIRST_PERSON.search(text, s0, start):
            writer = self._writer(ctx, start, others) or self._signatory(ctx, start, others)
            if writer is not None:  # "Sue here ... My number is X": the writer's own
                return writer.person, "the writer"
        if not in_sentence_before:
            pron = _PRONOUN.search(text, s0, start)
            if pron:  # "She agreed to a referral to X": she is the person named before, in the same block
                prev = self._named_before(ctx, s0, others, pron.group(1).lower())
                if prev is not None:
                    return prev.person, "pronoun: named before"
        if not in_sentence_before and self._carer_word is not None and self._carer_word.search(text, s0, start):
            return self._carer, "the carers"  # "Carers' mobile 07700 900447"
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
        pid, via = self._form_person(ctx, start, end, row, others)
        if pid is None and self._in_letterhead(ctx, start, others):
            sender = self._signatory(ctx, start, others)
            if sender is not None:
                return sender.person, "letterhead"
        return pid, via

    def _signatory(self, ctx: PageContext, start: int, others: list[Mention]) -> Mention | None:
        """Who signs the letter on this page: the first registered person named just after a closing ("Yours
        sincerely", "Kind regards") that comes after `start`."""
        text = ctx.pt.text
        for m in self._closing.finditer(text, start):
            for p in others:
                if p.person is not None and m.end() <= p.start <= m.end() + 40:
                    return p
        return None

    def _in_letterhead(self, ctx: PageContext, start: int, others: list[Mention]) -> bool:
        """`start` is in the heading of an organisation's letter: above the salutation ("Dear ..."), no person
        named above it, and an organisation's name ("... Medical Centre", "... Team") above it or on its line."""
        text = ctx.pt.text
        opening = self._opening.search(text)
        if opening is None or start >= opening.start() or any(p.start < start for p in others):
            return False
        line_end = text.find("\n", start)
        return self._org.search(text, 0, line_end if line_end >= 0 else len(text)) is not None

    def _subject(self, ctx: PageContext, start: int, others: list[Mention], pronoun: str) -> Mention | None:
        """The first person of the sentence before `start` whom the pronoun fits, not a possessor ("Amy's")."""
        text = ctx.pt.text
        s0, _ = ctx.sentence(start)
        gender = "she" if pronoun in ("she", "her", "hers", "herself") else "he"
        for p in others:
            if not (s0 <= p.start and p.end <= start) or re.match(r"['\u2019]s?\b", text[p.end : p.end + 2]):
                continue
            g = self.people[p.person].effective_pronouns if p.person in self.people else None
            if g in (gender, None, "they"):
                return p
        return None

    def _fitting(self, people: list[Mention], pronoun: str) -> list[Mention]:
        """The registered people of the list whom the pronoun fits, when that is one person (or the first of
        several, the sentence's subject); none when no one or only people of unknown gender fit."""
        gender = "she" if pronoun in ("she", "her", "hers", "herself") else "he"
        fit = [p for p in people if p.person in self.people and self.people[p.person].effective_pronouns == gender]
        return fit if fit and len(fit) < len(people) or len({p.person for p in fit}) == 1 else []

    def _writer(self, ctx: PageContext, start: int, others: list[Mention]) -> Mention | None:
        """Who writes the block: the person of "it's Maureen", "this is Sue", "Sue here" before `start`; else
        the writer named by the e-mail's From: header or the letter's sign-off (`writers.WriterReader`)."""
        text = ctx.pt.text
        b0, _ = ctx.block(start)
        for p in reversed([p for p in others if b0 <= p.start and p.end <= start]):
            if _SELF_BEFORE.search(text, max(0, p.start - 10), p.start) or _SELF_AFTER.match(text, p.end):
                return p
        return next((w for a, b, w in self._writers.writers(text, others) if a <= start < b), None)

    def _named_before(self, ctx: PageContext, s0: int, others: list[Mention], pronoun: str) -> Mention | None:
        """The last person named before offset s0 in its block whom the pronoun fits."""
        b0, _ = ctx.block(s0)
        gender = "she" if pronoun in ("she", "her", "hers", "herself") else "he"
        for p in reversed([p for p in others if b0 <= p.start and p.end <= s0]):
            g = self.people[p.person].effective_pronouns if p.person in self.people else None
            if g in (gender, "they") or g is None and p.person is not None:
                return p
        return None

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
            if all(_POSSESSOR.match(pt.text, q.end) for q in by_row[r]):
                continue  # "27 Foxglove Terrace (mother's home)": a possessor owns its own row's value only
            p = by_row[r][0]
            covered = set(pt.words_in(p.start, p.end))
            pro = p.person in self.people and self.people[p.person].group == "professional"
            if pro and len({q.person or q.unregistered for q in by_row[r]}) > 2 and not self._label_re.match(row_text):
                # "Present: Fern Adeyemi (SW), Graham Tuck (SSW), ...": a list of people headed by a professional
                # owns no detail below it (redacted to be safe, as no one's)
                return None, ""
            if p.person in self.people and self.people[p.person].group == "professional" and row - r > 1:
                # a notifying officer's name at the head of a form does not own the incident's location
                # further down, past other fields (their own work details sit on the line just below their name)
                return None, ""
            if self._label_re.match(row_text) or len([i for i in words if i not in covered]) <= 1:
                return p.person, "form"
            return p.person, "row above"
        return None, ""

    def qualify(self, ctx: PageContext, start: int, pid: str | None) -> str:
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
        best = ("", -1, 0)
        for rx, q in ((self._work_cue, "work"), (self._personal_cue, "personal")):
            for m in rx.finditer(window):
                # the nearest cue wins; of two ending together the longer ("not work" over "work")
                if (m.end(), -m.start()) > (best[1], -best[2]):
                    best = (q, m.end(), m.start())
        if best[0]:
            return best[0]
        if pid is not None and self.people[pid].group == "professional":
            return "work"
        return ""
