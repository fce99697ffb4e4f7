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
Beyond the cues: every clause is read for its grammatical subject and verb class (`clauses.py`), so a
clause with no cue whose subject is a third party and whose predicate tells their state, behaviour,
history or circumstances (not an everyday action, not speech) is proposed as `sensitive.circumstances`
(for review); a statement runs on through a list of troubles and a short continuation sentence; police
shorthand ("A1", "O1", "IP", "susp") stands for the person named after its first use, else for someone
unknown; a statement with no cue never spans a name, a contact detail or an identifier.
Detector ids: sensitive.<category> (one per category of the data file), sensitive.circumstances.
Data: redaction-rules/sensitive.yaml (categories of cues and patterns, routine phrases, clause words,
relative words, pronouns).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Sequence

from ...models import Mention
from ...text import PageText
from ..attribution import Attributor, Clause, Ref
from ..base import CaseData, named
from ..clauses import tokens, tokens_low
from ..context import PageContext
from ..sensitive_lexicon import SUBJECT_CATEGORIES, Cue, find_cues, load_sensitive
from ..words import Words
from ..writers import WriterReader
from .unregistered import UnregisteredNames

__all__ = ["SensitiveDetector"]

_PERSON_WORDS = {"i", "he", "she", "they", "we", "you", "my", "his", "her", "their", "our", "your"}


_LEAD_AFTER_POSSESSOR = re.compile(r"^(?:['\u2019]s\b)?\s*")
_LEAD_JUNK = re.compile(r"^(?:['\u2019]s\b|[\s,;:()\-])+")


class SensitiveDetector:
    """A PageDetector: sensitive statements on a page, attributed to the person they are about."""

    def __init__(self, case: CaseData):
        self.lex = load_sensitive(case.rules_dir)
        words = case.shared(Words)
        unregistered = case.shared(UnregisteredNames)  # the one the registry runs: its state of this document
        self.attributor = Attributor(
            case.manifest,
            self.lex.clause_words,
            self.lex.relative_words,
            self.lex.pronouns,
            unregistered.gender,
            self.lex.words,
            WriterReader(words.writer_labels, words.sign_offs),
        )
        self.role_refs = unregistered.role_refs
        self.subject = case.subject
        self._reference_labels = frozenset(
            " ".join(c.casefold().split()) for c in (*words.reference_cues, *words.police_reference_cues)
        )

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        cues = find_cues(pt.text, self.lex)
        people = named(found)
        plain = self.lex.words is not None
        if not cues and not (plain and people):
            return []
        roles = self.role_refs(doc, page, pt, people)
        base = self.attributor.refs(people, roles)
        codes = self.code_refs(pt.text, base)
        refs = self.attributor.refs(people, [*roles, *codes]) if codes else base
        if not refs and not cues:
            return []
        # every sentence is read when statements without a cue word are looked for (pronoun chains need them)
        starts = [c.start for c in cues]
        clauses = self.attributor.clauses(ctx, refs, only=None if plain else starts, cues=starts)
        self._details = sorted((m.start, m.end) for m in found if m.kind in ("contact", "identifier"))
        return self.statements(doc, page, pt.text, clauses, cues, refs)

    def code_refs(self, text: str, refs: Sequence[Ref]) -> list[Ref]:
        """Shorthand for a party in police and agency forms ("A1", "O1", "IP", "susp"): the person named right
        after the code's first use ("A1 AGGRIEVED / HALLORAN, Donna") throughout the page, else someone unknown."""
        rx = self.lex.role_codes
        if rx is None:
            return []
        bound: dict[str, Ref] = {}
        out: list[Ref] = []
        for m in rx.finditer(text):
            code = m.group(0).lower()
            if code not in bound:
                nxt = next((r for r in refs if r.start >= m.end()), None)
                gap = text[m.end() : nxt.start] if nxt is not None else ""
                if nxt is not None and len(gap) <= 40 and "." not in gap and not nxt.professional:
                    bound[code] = nxt
            r = bound.get(code)
            if r is not None:
                out.append(
                    Ref(m.start(), m.end(), r.person, r.unregistered, r.gender, False, r.subject, f"code '{code}'")
                )
            else:
                out.append(Ref(m.start(), m.end(), None, f"code: {code}", None, via=f"code '{m.group(0)}'"))
        return out

    def statements(
        self, doc_id: str, page: int, text: str, clauses: Sequence[Clause], cues: Sequence[Cue], refs: Sequence[Ref]
    ) -> list[Mention]:
        out: list[Mention] = []
        ci = 0
        cues = sorted(cues, key=lambda c: c.start)
        last: tuple[Clause, Mention] | None = None  # the statement of the clause before
        pending: list[Clause] = []  # clauses with no person since the last statement, in its sentence
        for cl in clauses:
            while ci < len(cues) and cues[ci].start < cl.start:
                ci += 1
            mine = []
            j = ci
            while j < len(cues) and cues[j].start < cl.end:
                mine.append(cues[j])
                j += 1
            m = (
                self._statement(doc_id, page, text, cl, mine, refs)
                if mine
                else self._plain(doc_id, page, text, cl, refs)
            )
            if m is not None:
                if last is not None and last[0].sentence == cl.sentence and pending and _same(last[1], m):
                    # "SUPERFICIAL CUT TO FOREHEAD" between two statements about her: the list goes on
                    out[-1] = dataclasses.replace(
                        last[1], end=pending[-1].end, text=text[last[1].start : pending[-1].end]
                    )
                out.append(m)
                last, pending = (cl, m), []
            elif last is not None and last[0].sentence == cl.sentence and self._listed(text, cl, refs):
                pending.append(cl)
                if cl.end == cl.sentence[1] or text[cl.end : cl.sentence[1]].strip(" .;:!\n") == "":
                    # the last item of a list of troubles ends the sentence: it goes with the statement
                    lm = last[1]
                    out[-1] = dataclasses.replace(lm, end=cl.end, text=text[lm.start : cl.end])
                    last, pending = (cl, out[-1]), []
            else:
                last, pending = None, []
        merged = _merge(out, text, refs)
        # a statement with no cue must be distinctive on its own (two words at least): a lone "crying" left
        # after merging, or "v upset", would have to be removed wherever the words show
        kept = [m for m in merged if (m.qualifier != "circumstances" or _wordy(m.text)) and not self._label(m, text)]
        return self._continue(kept, text, refs)

    def _label(self, m: Mention, text: str) -> bool:
        """The statement is only the label of a reference whose value follows ("PNC ID | 03/118274K", "Prison no:
        A1234BC"): the value is removed as an identifier; the form's label says nothing of its own."""
        if " ".join(m.text.casefold().rstrip(".:").split()) not in self._reference_labels:
            return False
        details = getattr(self, "_details", [])
        nxt = bisect.bisect_left(details, (m.end, m.end))
        return nxt < len(details) and not text[m.end : details[nxt][0]].strip(" \t\n.:|-")

    @staticmethod
    def _listed(text: str, cl: Clause, refs: Sequence[Ref]) -> bool:
        """A clause that names no one and is no one's telling: an item in a list about the person before."""
        if any(cl.start <= r.start < cl.end for r in refs):
            return False
        rd = cl.reading
        if rd is not None and (rd.person or rd.verb_class in ("speech", "routine")):
            return False
        low = set(tokens_low(text, cl.start, cl.end)[1])
        return not low & _PERSON_WORDS and len(low) <= 12

    def _plain(self, doc_id: str, page: int, text: str, cl: Clause, refs: Sequence[Ref]) -> Mention | None:
        """A statement with no cue word: the clause's grammatical subject is a third party and its predicate
        tells their state, behaviour, history or circumstances (not an everyday action, not speech)."""
        rd, who = cl.reading, cl.subject
        if rd is None or who is None or who.professional or who.subject:
            return None
        if rd.verb_class not in ("other", "cognition"):
            return None
        start = rd.pred
        if cl.told is not None and cl.told < cl.start:
            start = cl.told  # "asked me whether I could hear the voices": the telling goes with what was told
        elif rd.subject is not None and who.start < cl.start or not rd.person and rd.subject is not None:
            start = cl.start  # content told by a speaker, or a clause of theirs with another subject: all of it
        elif rd.subject is not None and who.via.startswith("pronoun") and who.start >= cl.start:
            start = who.start  # "she's been sober": the pronoun goes with its clause (a name stays)
        if rd.possessive and rd.subject is not None:  # "her breathing has been worse": from the possessed noun
            start = who.end
            start += len(text[start:]) - len(_LEAD_AFTER_POSSESSOR.sub("", text[start:]))
        end = cl.end
        if start < cl.sentence[0] or start >= end:
            start = cl.start
        seg = text[start:end]
        lead = len(seg) - len(seg.lstrip(" \t\n,;:()-"))
        start += lead
        end = start + len(text[start:end].rstrip(" \t\n,;:()-.'\u2019\"?!"))
        least = 1 if cl.via == "elided subject" else 2  # "and crying" continues a statement
        toks = tokens(text, start, end)
        words = [t for t in toks if t[2].isalpha() and len(t[2]) >= 3]
        if len(toks) < least or not words or "?" in text[cl.start : cl.end]:
            return None  # a bare word or a question is no statement
        if any(a < end and start < b for a, b in getattr(self, "_details", ())):
            return None  # a phone number, an address, a date of birth: their own kinds, not a statement
        if any(start <= r.start < end and _named(r) for r in refs):
            return None  # a person named in it: a story of more than one person, or a name to keep visible
        return Mention(
            doc_id,
            page,
            start,
            end,
            text[start:end],
            "sensitive",
            who.person,
            "sensitive.circumstances",
            unregistered=who.unregistered,
            qualifier="circumstances",
            via=f"{cl.via}: {who.via}" if cl.via != who.via else cl.via,
        )

    def _continue(self, ms: list[Mention], text: str, refs: Sequence[Ref]) -> list[Mention]:
        """A short sentence with no person of its own that follows a statement continues it ("She drinks most
        evenings. Usually two bottles."): the statement is extended over it."""
        sents = getattr(self.attributor, "_sent", None)
        if not sents or not ms:
            return ms
        starts = [a for a, _ in sents]
        out = []
        for m in ms:
            k = bisect.bisect_right(starts, m.start) - 1
            while k + 1 < len(sents):
                s0, s1 = sents[k]
                if text[m.end : s1].strip(" \t\n.!\"'\u2019") or "\n\n" in text[m.end : sents[k + 1][0]]:
                    break
                n0, n1 = sents[k + 1]
                toks = tokens(text, n0, n1)
                if not toks or len(toks) > 8 or any(n0 <= r.start < n1 for r in refs):
                    break
                if toks[0][2].lower() in _PERSON_WORDS or toks[0][2][:1].isdigit() and ":" in text[n0:n1]:
                    break
                w = self.lex.words
                if w is not None and any(
                    t[2].lower() in w.auxiliaries or t[2].lower() in w.routine or t[2].lower().endswith("ed")
                    for t in toks
                ):
                    break  # a sentence with a verb of its own, not a continuation
                if self.attributor._pron_re.search(text, n0, n1):
                    break
                end = n0 + len(text[n0:n1].rstrip(" \t\n.!\"'\u2019"))
                m = dataclasses.replace(m, end=end, text=text[m.start : end])
                k += 1
            out.append(m)
        return out

    def _statement(
        self, doc_id: str, page: int, text: str, cl: Clause, cues: list[Cue], refs: Sequence[Ref]
    ) -> Mention | None:
        third = cl.third_parties()
        cats = [c.category for c in cues]
        gs = cl.subject
        if gs is not None and not gs.professional:
            # the grammatical subject decides: the subject's own story is not the person named before it
            third = (gs,) if not gs.subject else ()
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
            if r.start < start < r.end <= first:  # a name that runs into the clause ("RUDD, Shane DOB ...")
                start = r.end
            elif start <= r.start and r.end <= first:
                if not r.via.startswith("pronoun"):  # a pronoun goes with its clause; a name stays visible
                    start = r.end
            elif last <= r.start < end and _named(r):  # a name after the statement stays visible
                end = r.start
                break
        start = min(start, first)
        seg = text[start:end]
        lead = len(seg) - len(_LEAD_JUNK.sub("", seg))
        start += lead
        end = start + len(text[start:end].rstrip(" \t\n,;:()-.'\u2019"))
        end = max(end, last)
        return start, end


_LETTERS = re.compile(r"[A-Za-z]+")


def _wordy(text: str) -> bool:
    return sum(1 for w in _LETTERS.findall(text) if len(w) >= 3) >= 2


def _named(r: Ref) -> bool:
    """A reference by name or kinship term (kept visible), not a role word ("a man") or a form's code."""
    return not r.via.startswith(("role word", "code", "pronoun"))


def _same(a: Mention, b: Mention) -> bool:
    return (a.person, a.unregistered) == (b.person, b.unregistered) and a.person != "" and a.kind == b.kind


def _merge(ms: list[Mention], text: str, refs: Sequence[Ref]) -> list[Mention]:
    """Join statements about the same person in one sentence when nothing but connectives lies between them."""
    out: list[Mention] = []
    for m in sorted(ms, key=lambda m: m.start):
        if out:
            p = out[-1]
            gap = text[p.end : m.start]
            same = (p.person, p.unregistered) == (m.person, m.unregistered) and (
                p.qualifier == m.qualifier or "circumstances" in (p.qualifier, m.qualifier)
            )
            if (
                same
                and len(gap) <= 12
                and "\n\n" not in gap
                and "." not in gap
                and not any(p.end <= r.start < m.start for r in refs)
            ):
                keyword = p if p.qualifier != "circumstances" else m  # a cue's category names the whole
                out[-1] = Mention(
                    p.doc,
                    p.page,
                    p.start,
                    m.end,
                    text[p.start : m.end],
                    p.kind,
                    p.person,
                    keyword.detector,
                    p.unregistered,
                    keyword.qualifier,
                    p.via,
                    p.candidates,
                )
                continue
        out.append(m)
    return out
