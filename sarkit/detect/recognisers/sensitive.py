"""Sensitive statements (kind `sensitive`): a clause about a person that carries health, offending, sexual
life, ethnicity, religion, immigration or financial information (policy.md).

Finds the cues on a page (`sensitive_lexicon.find_cues`), asks `attribution` who each clause is about,
and proposes one mention per clause about a third party, spanning the clause's distinctive part (the
clause without the names and pronouns that open it, and without a name that follows its last cue). The
same content about the subject is theirs: only health (and substance use) about the subject is
proposed, so the rule set can keep it with a note for the reviewer. A clause whose only person is a
professional is not about them: their role words and routine actions ("the GP prescribed", "police
attended") are not their private life. Runs after every recogniser of people: their name mentions, and
the role words and name genders of `unregistered`, say who a clause is about.
Detector ids: sensitive.<category> (one per category of the data file).
Data: redaction-rules/sensitive.yaml (categories of cues and patterns, routine phrases, clause words,
relative words, pronouns).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...models import Mention
from ...text import PageText
from ..attribution import Attributor, Clause, Ref
from ..base import CaseData, named
from ..context import PageContext
from ..sensitive_lexicon import SUBJECT_CATEGORIES, Cue, find_cues, load_sensitive
from .unregistered import UnregisteredNames

__all__ = ["SensitiveDetector"]


class SensitiveDetector:
    """A PageDetector: sensitive statements on a page, attributed to the person they are about."""

    def __init__(self, case: CaseData):
        self.lex = load_sensitive(case.rules_dir)
        unregistered = case.shared(UnregisteredNames)  # the one the registry runs: its state of this document
        self.attributor = Attributor(
            case.manifest, self.lex.clause_words, self.lex.relative_words, self.lex.pronouns, unregistered.gender
        )
        self.role_refs = unregistered.role_refs
        self.subject = case.subject

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        cues = find_cues(pt.text, self.lex)
        if not cues:
            return []
        people = named(found)
        roles = self.role_refs(doc, page, pt, people)
        refs = self.attributor.refs(people, roles)
        clauses = self.attributor.clauses(ctx, refs, only=[c.start for c in cues])
        return self.statements(doc, page, pt.text, clauses, cues, refs)

    def statements(
        self, doc_id: str, page: int, text: str, clauses: Sequence[Clause], cues: Sequence[Cue], refs: Sequence[Ref]
    ) -> list[Mention]:
        out: list[Mention] = []
        ci = 0
        cues = sorted(cues, key=lambda c: c.start)
        for cl in clauses:
            while ci < len(cues) and cues[ci].start < cl.start:
                ci += 1
            mine = []
            j = ci
            while j < len(cues) and cues[j].start < cl.end:
                mine.append(cues[j])
                j += 1
            if not mine:
                continue
            m = self._statement(doc_id, page, text, cl, mine, refs)
            if m is not None:
                out.append(m)
        return _merge(out, text, refs)

    def _statement(
        self, doc_id: str, page: int, text: str, cl: Clause, cues: list[Cue], refs: Sequence[Ref]
    ) -> Mention | None:
        third = cl.third_parties()
        cats = [c.category for c in cues]
        if third:
            target: Ref | None = third[0]
            category = cats[0]
        else:
            subject_cats = [c for c in cats if c in SUBJECT_CATEGORIES]
            if not subject_cats:
                return None  # the subject's own (or a professional's routine work): nothing to propose
            target, category = None, subject_cats[0]
        start, end = self._span(text, cl, cues, refs)
        if end <= start:
            return None
        person: str | None
        unregistered: str | None = None
        candidates: tuple[str, ...] = ()
        if target is None:
            person, via = self.subject.id, f"{cl.via}: the subject"
        else:
            person, unregistered = target.person, target.unregistered
            via = f"{cl.via}: {target.via}" if cl.via != target.via else cl.via
            others = tuple(dict.fromkeys(r.person for r in third if r.person and r.key != target.key))
            if others and target.person:
                candidates = (target.person, *others)
        return Mention(
            doc_id,
            page,
            start,
            end,
            text[start:end],
            "sensitive",
            person,
            f"sensitive.{category}",
            unregistered=unregistered,
            qualifier=category,
            via=via,
            candidates=candidates,
        )

    @staticmethod
    def _span(text: str, cl: Clause, cues: list[Cue], refs: Sequence[Ref]) -> tuple[int, int]:
        """The distinctive part of the clause: after the names that open it, before a name after its last cue."""
        first, last = cues[0].start, max(c.end for c in cues)
        start, end = cl.start, cl.end
        for r in refs:
            if start <= r.start and r.end <= first:
                start = r.end
            elif last <= r.start < end:
                end = r.start
                break
        start = min(start, first)
        seg = text[start:end]
        lead = len(seg) - len(re.sub(r"^(?:['\u2019]s\b|[\s,;:()\-])+", "", seg))
        start += lead
        end = start + len(text[start:end].rstrip(" \t\n,;:()-.'\u2019"))
        end = max(end, last)
        return start, end


def _merge(ms: list[Mention], text: str, refs: Sequence[Ref]) -> list[Mention]:
    """Join statements about the same person in one sentence when nothing but connectives lies between them."""
    out: list[Mention] = []
    for m in sorted(ms, key=lambda m: m.start):
        if out:
            p = out[-1]
            gap = text[p.end : m.start]
            same = (p.person, p.unregistered) == (m.person, m.unregistered) and p.qualifier == m.qualifier
            if (
                same
                and len(gap) <= 12
                and "\n\n" not in gap
                and "." not in gap
                and not any(p.end <= r.start < m.start for r in refs)
            ):
                out[-1] = Mention(
                    p.doc,
                    p.page,
                    p.start,
                    m.end,
                    text[p.start : m.end],
                    p.kind,
                    p.person,
                    p.detector,
                    p.unregistered,
                    p.qualifier,
                    p.via,
                    p.candidates,
                )
                continue
        out.append(m)
    return out
