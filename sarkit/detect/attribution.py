"""Who a statement is about: clauses of a page attributed to people.

Each sentence is split into clauses (on punctuation and on clause words such as "and", "but",
"because", "who", "that"). A clause is about:

1. the people named in it (registered or unregistered name mentions, resolved kinship terms);
2. the people its pronouns refer to: the compatible person (by she/he/they) mentioned before it
   in the sentence, else in the earlier sentences of the same block; when several fit, a third
   party rather than the subject (the safe reading for the subject's own records);
3. with no name and no pronoun: after "who"/"whose", the person named just before; otherwise the
   subject of the sentence (its first non-professional person: "Elliot attends X and was found ...");
4. else the first person on the same table row, else (a value cell of a form's labelled row) the person in the
   value cell of the nearest row above that names one, else the subject of the records ("default").

A sentence with no person of its own goes on about the grammatical subject of the sentence before in
the same paragraph ("Came to the door. Clearly drunk."), and the notes after a lay person's label at the
start of a line are about them to the line's end ("O1: 3 PREV DA. CONV POSS 2008."). In a part of the
page whose writer is named (an e-mail's From:, a letter's sign-off, a speaker's label), "I" and "my" are
the writer: the subject of their clause when it tells the writer's own state or doings, not when it
gives their opinion of someone else ("I think she's using") or reports another's words (`writers.py`).

Plain Python over PageText offsets; the lexicon (clause words, pronouns) comes from sensitive.yaml.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..frozen import quick_init
from ..models import Manifest, Mention
from ..text import PageText
from .clauses import PERSON_PRONOUNS, ClauseWords, Reading, read_clause
from .context import PageContext
from .lexicon import alternation, alternatives, word_alternation, word_start
from .writers import WriterReader, first_person, has_first_person, labelled_lines

__all__ = ["Attributor", "Clause", "Ref", "sentences", "split_clauses"]


@quick_init
@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to a person at a place in the text."""

    start: int
    end: int
    person: str | None  # register id
    unregistered: str | None  # grouping key of an unregistered person
    gender: str | None  # she | he | they | None (unknown)
    professional: bool = False
    subject: bool = False
    via: str = "named"

    @property
    def key(self) -> str:
        return self.person or f"?{self.unregistered}"


@quick_init
@dataclass(frozen=True, slots=True)
class Clause:
    start: int
    end: int
    sentence: tuple[int, int]
    about: tuple[Ref, ...]  # the people the clause is about, in text order
    via: str  # how: named | pronoun | relative | sentence subject | table row | default
    subject: Ref | None = None  # the grammatical subject when it is a person (named, a pronoun, or carried over)
    reading: Reading | None = None  # the clause's subject and verb class (sarkit.detect.clauses)
    told: int | None = None  # content told by its subject ("she asked me whether I ..."): where the telling verb starts

    def third_parties(self) -> tuple[Ref, ...]:
        return tuple(r for r in self.about if not r.professional and not r.subject)


_PUNCT_BREAK = r"[,;:]\s|\s[-\u2013]\s|[()]"


# words that open a clause only when a subject and verb follow ("since Kayleigh was born", "until she ...")
_PREPOSITIONAL = {"since", "until", "till", "after", "before", "as"}
_CLAUSE_FOLLOWS = re.compile(
    r"\s+(?:(?:I|he|she|they|we|you|it|He|She|They|We|You|It)\b|"
    r"[A-Z][\w'\-]*\s+(?:is|was|were|are|has|had|have|did|does|will|would|can|could|\w+ed)\b)"
)


def split_clauses(text: str, start: int, end: int, words_rx: re.Pattern[str]) -> list[tuple[int, int]]:
    """Clause spans of text[start:end]: a new clause starts at punctuation or at a clause word."""
    cuts = [start]
    has_w = "w" in words_rx.groupindex
    for m in words_rx.finditer(text, start, end):
        w = m.group("w") if has_w else None
        if w and w.lower() in _PREPOSITIONAL and not _CLAUSE_FOLLOWS.match(text, m.end()):
            continue  # "since 2008", "until Thursday", "after the incident": a phrase, not a new clause
        cuts.append(m.start("w") if w else m.end())
    cuts.append(end)
    # (the cuts come in order: a match starts where the one before ended, or later, and its cut is within it)
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        if a == b:
            continue  # (a cut made twice)
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip(" \t\n,;:()-\u2013"))
        a2 = a + lead
        b2 = a + len(seg.rstrip(" \t\n,;:()-\u2013."))
        if b2 > a2:
            spans.append((a2, b2))
    return spans


_NOT_BEFORE_WORD = r"\w'\-"  # (a class's contents) a clause word is a word of its own ("and", not "band", "and-")


def breaks_pattern(clause_words: Sequence[str]) -> re.Pattern[str]:
    """Where a clause starts: punctuation (`_PUNCT_BREAK`) or a clause word (group "w"), in any case.

    Where every clause word opens with a letter, the words come first, opening with their first letters
    (`lexicon.word_alternation`): no place can start both a clause word and a punctuation break (a letter is no
    punctuation or white space), so the order of the two changes no match, and re passes over the places where
    neither starts without trying the lookbehind at each."""
    fast = word_alternation(alternatives(list(clause_words)), _NOT_BEFORE_WORD, ignore_case=True)
    if fast is not None:
        return re.compile(rf"(?P<w>{fast})(?![{_NOT_BEFORE_WORD}])|{_PUNCT_BREAK}", re.IGNORECASE)
    return breaks_pattern_slow(clause_words)


def breaks_pattern_slow(clause_words: Sequence[str]) -> re.Pattern[str]:
    """`breaks_pattern` the long way: punctuation first, the lookbehind before the words."""
    breaks = alternation(list(clause_words))
    return re.compile(
        rf"{_PUNCT_BREAK}|(?<![{_NOT_BEFORE_WORD}])(?P<w>{breaks})(?![{_NOT_BEFORE_WORD}])", re.IGNORECASE
    )


_NOT_BEFORE_PRONOUN = r"\w'\u2019\-"  # (a class's contents) "Shea", "he-man", "O'Her" hold no pronoun
LOOK_BACK = 400  # characters before a paragraph searched for the person its opening pronoun refers to
ADDRESSEE = "you"  # the pronoun class of "you", "your": the person a letter is written to
_SALUTATION = re.compile(r"\b(?:Dear|To)\s+$", re.IGNORECASE)


class Attributor:
    """Attributes the clauses of a page to people; compiled once per case."""

    def __init__(
        self,
        manifest: Manifest,
        clause_words: Sequence[str],
        relative_words: Sequence[str],
        pronouns: Mapping[str, Sequence[str]],
        name_gender: Callable[[str], str | None] | None = None,
        words: ClauseWords | None = None,
        writers: WriterReader | None = None,
    ):
        self.manifest = manifest
        self.writer_reader = writers
        self.words = words
        self.name_gender = name_gender or _title_gender
        self.subject_id = manifest.subject.id
        self.people = {p.id: p for p in manifest.people}
        self._breaks = breaks_pattern(clause_words)
        self._relative = re.compile(rf"\s*(?:{alternation(list(relative_words))})\b", re.IGNORECASE)
        self._pron_gender: dict[str, str] = {}
        for g, ws in pronouns.items():
            for w in ws:
                self._pron_gender[w.lower()] = g
        # "she", and "she's" / "she'd" (a contraction), never "Shea" or "he-man"
        # (`(?<![\w'\u2019\-])(?:she|he|...)`, opening with their first letters: `lexicon.word_start`)
        pron_start = word_start(list(self._pron_gender), _NOT_BEFORE_PRONOUN, ignore_case=True)
        self._pron_re = re.compile(
            rf"(?:{pron_start})(?:(?=['\u2019](?:s|d|ll|re|ve)\b)|(?![\w'\u2019\-]))",
            re.IGNORECASE,
        )
        # every place a pronoun of `_pron_re` can start, whatever follows it (a search over a whole sentence
        # finds each pronoun that a search over one of its clauses finds)
        self._pron_start = re.compile(pron_start, re.IGNORECASE)
        subj = self.people.get(self.subject_id)
        self._subject_gender = subj.effective_pronouns if subj else None

    # ------------------------------------------------------------ refs

    def refs(self, mentions: Sequence[Mention], extra: Sequence[Ref] = ()) -> list[Ref]:
        """Person references of a page from the name mentions (and role references), in text order."""
        out = list(extra)
        for m in mentions:
            if m.kind != "name" or (m.person is None and m.unregistered is None):
                continue
            if m.person is not None:
                p = self.people.get(m.person)
                if p is None:
                    continue
                out.append(
                    Ref(
                        m.start,
                        m.end,
                        p.id,
                        None,
                        p.effective_pronouns,
                        p.group == "professional" or p.role == "residential-worker",  # staff of a home, in role
                        p.role == "subject",
                        m.via or "named",
                    )
                )
            else:
                out.append(
                    Ref(
                        m.start,
                        m.end,
                        None,
                        m.unregistered,
                        self.name_gender(m.text),
                        False,
                        False,
                        m.via or "unregistered",
                    )
                )
        taken: list[Ref] = []
        for r in sorted(out, key=lambda r: (r.start, -r.end)):
            if taken and r.start < taken[-1].end:
                continue
            taken.append(r)
        return taken

    # ------------------------------------------------------------ clauses

    def clauses(
        self,
        ctx: PageContext,
        refs: Sequence[Ref],
        only: Sequence[int] | None = None,
        cues: Sequence[int] | None = None,
    ) -> list[Clause]:
        """Every clause of the page with the people it is about (only of sentences holding an `only` offset).

        Sentences are read in order; a pronoun resolved in one becomes a reference for the pronouns
        after it (a chain: "Michelle ... She ... she"), and the grammatical subjects are remembered so a
        pronoun prefers the subject of the sentence before to a person merely mentioned in it.

        With `cues` (the offsets of the page's cue words), a sentence that holds no cue, no reference and
        no pronoun, and into which no grammatical subject carries, is left out: its clauses are about no
        one but by default or a table row, none is read, and none changes what the sentences after it
        read (a sensitive statement needs a cue or a reading, so none can come of it).
        """
        text = ctx.pt.text
        out: list[Clause] = []
        refs = sorted(refs, key=lambda r: r.start)
        starts = [r.start for r in refs]
        self._sent = sentences(ctx)
        self._row_info = self._ref_rows(ctx, refs)
        self._value_rows: dict[int, Ref] | None = None  # (_form_ref)
        self._form_rows: dict[int, Ref | None] = {}  # (_form_ref: its answer for each row asked about)
        self._sent_starts = [a for a, _ in self._sent]
        # starts of references that are a clause's grammatical subject: main | speaker | sub (subordinate clause)
        self._subjects: dict[int, str] = {}
        known = list(refs)  # names and the pronouns resolved so far, in text order
        known_starts = list(starts)
        marks = sorted(only) if only is not None else None
        quiet = sorted(cues) if cues is not None else None
        carry: Ref | None = None
        carry_end = 0  # the end of the last sentence read
        # a line opened by a lay person's label ("O1: ...", "Mum: ...") goes on about them to its end
        labels = labelled_lines(text, refs) if ":" in text else []
        # the writer of each part of a page of correspondence: "I", "my" there are theirs
        writers = self.writer_reader.writers(text, refs) if self.writer_reader is not None else []
        pron_at = _Hits(self._pron_start, text)
        for s0, s1 in self._sent:
            if marks is not None:
                k = bisect.bisect_left(marks, s0)
                if k >= len(marks) or marks[k] >= s1:
                    continue
            lo, hi = bisect.bisect_left(starts, s0), bisect.bisect_left(starts, s1)
            # a clause of a sentence with no place a pronoun starts has no pronoun (see _pron_start)
            pronouns = pron_at.within(s0, s1)
            label = next((r for a, b, r in labels if a <= s0 < b), None) if labels else None
            writer = next((r for a, b, r in writers if a <= s0 < b), None) if writers else None
            # "Mum: I have been ..." in minutes
            speakers = [(a, b, r) for a, b, r in labels if a < s1 and s0 < b] if labels else []
            if (
                quiet is not None
                and lo == hi
                and (carry is None or "\n\n" in text[carry_end:s0])
                and label is None
                and not _holds(quiet, s0, s1)
                and not pronouns
                and not ((writer is not None or speakers) and has_first_person(text, s0, s1))
            ):
                continue  # no one in it, no one carried into it, no cue: nothing to read
            spans = split_clauses(text, s0, s1, self._breaks)
            in_sentence = [r for r in refs[lo:hi] if r.end <= s1]
            subj = next((r for r in in_sentence if not r.professional and not _possessive(text, r)), None)
            if subj is None:
                subj = next((r for r in in_sentence if not r.professional), None)
            # the grammatical subject of the clause before: in this sentence, or the last one of the sentence
            # before in the same paragraph (notes that drop the subject: "Came to the door. Clearly drunk.")
            # (a paragraph break between the two sentences ends it; one inside the sentence before does not:
            # a scan's "mum\n\ncame to the door.")
            prev: Ref | None = carry if carry is not None and "\n\n" not in text[carry_end:s0] else None
            if label is not None:
                prev = label  # "O1: 3 PREV DA. CONV POSS W/I SUPPLY 2008.": the label's notes are theirs
            carry, carry_end = prev, s0 + len(text[s0:s1].rstrip())
            carried = prev
            queue: list[tuple[int, int, Ref | None, int | None]] = [(a, b, None, None) for a, b in spans]
            while queue:
                c0, c1, speaker, frame = queue.pop(0)
                told = None
                named = [r for r in in_sentence if c0 <= r.start and r.end <= c1] if in_sentence else []
                pron = self._pronoun_refs(ctx, c0, c1, known, named) if pronouns and pron_at.within(c0, c1) else []
                for r in pron:
                    if self._pron_gender.get(text[r.start : r.end].lower()) != ADDRESSEE:
                        at = bisect.bisect_right(known_starts, r.start)  # "you" is the addressee, never a "she"
                        known.insert(at, r)
                        known_starts.insert(at, r.start)
                if pron or len(named) > 1:
                    about = sorted({r.start: r for r in named + pron}.values(), key=lambda r: r.start)
                else:
                    about = list(named)  # (no pronoun and one name at most: nothing to merge or order)
                # "I", "my" in a part whose writer is named (not inside someone's reported words): the writer
                me = next((r for a, b, r in speakers if a <= c0 < b), writer) if speakers else writer
                fp = self._first_person(text, c0, c1, me, about) if me is not None and speaker is None else []
                reading = gsubj = None
                if self.words is not None and (
                    about
                    or fp
                    or prev is not None
                    or speaker is not None
                    or pronouns
                    and self._pron_re.search(text, c0, c1)
                ):
                    # (a clause with no person, nothing carried over and no speaker has no one to be about)
                    reading = read_clause(text, c0, c1, _spans(about, fp) if about or fp else (), self.words)
                    main = self._main_after_subordinate(text, c0, c1, reading)
                    if main is not None:
                        # "when Jane sleeps she watches the door": the main clause starts at its own subject
                        queue.insert(0, (main, c1, speaker, frame))
                        c1 = c0 + len(text[c0:main].rstrip(" \t\n,;:"))
                        named = [r for r in named if r.end <= c1]
                        about = [r for r in about if r.end <= c1]
                        fp = [r for r in fp if r.end <= c1]
                        reading = read_clause(text, c0, c1, _spans(about, fp), self.words)
                    if reading.content is not None and c0 < reading.content < c1:
                        # "X said (that) Y ...": the reported content is a clause of its own
                        teller = self._grammatical_subject(text, reading, about, prev)
                        queue.insert(0, (reading.content, c1, teller, reading.pred))
                        c1 = reading.content
                        c1 = c0 + len(text[c0:c1].rstrip(" \t\n,;:"))
                        named = [r for r in named if r.end <= c1]
                        about = [r for r in about if r.end <= c1]
                        fp = [r for r in fp if r.end <= c1]
                    gsubj = self._grammatical_subject(text, reading, about, prev)
                    if reading.subject is None and self._relative.match(text, c0):
                        # "Mr Walsh, who is a heroin user": the person named just before
                        named_before = [r for r in in_sentence if r.end <= c0 and not r.professional]
                        gsubj = named_before[-1] if named_before else gsubj
                    if gsubj is None and fp and reading.subject is not None and reading.verb_class != "speech":
                        # "my chest is bad", "I have been off work", "I go to AA": the writer's own; an opinion
                        # about someone else ("I think she's using", "I rang Mum") is left to its content
                        hit = next((r for r in fp if reading.subject[0] <= r.start < reading.subject[1]), None)
                        if hit is not None and (reading.verb_class == "other" or not about):
                            gsubj = hit
                            about = sorted([*about, hit], key=lambda r: r.start)
                    if gsubj is None and speaker is not None and reading.subject is not None and not reading.person:
                        # "she said the electric ran out": content with no person in it tells the speaker's life
                        gsubj, told = speaker, frame
                    if gsubj is None and speaker is not None and reading.subject is not None:
                        w = text[reading.subject[0] : reading.subject[1]].lower()
                        if w in ("i", "we", "you"):  # "she asked me whether I could hear the voices": hers
                            gsubj, told = speaker, frame
                    if gsubj is not None and reading.subject is not None and reading.verb_class != "none":
                        first = _first_word(text, c0, c1)
                        rank = (
                            "speaker"
                            if reading.verb_class == "speech"
                            else "sub"
                            if first in _SUBORDINATORS
                            else "main"
                        )
                        self._subjects.setdefault(gsubj.start, rank)
                    prev = gsubj if gsubj is not None else (prev if reading.subject is None else None)
                    carry = prev
                lay = [r for r in about if not r.professional] if about else about
                if gsubj is not None and reading is not None and reading.subject is None and not lay:
                    # "... and held her by the throat": the subject carried over from the clause before
                    out.append(Clause(c0, c1, (s0, s1), (gsubj,), "elided subject", gsubj, reading, told))
                    continue
                if lay:
                    out.append(
                        Clause(
                            c0,
                            c1,
                            (s0, s1),
                            tuple(about),
                            "pronoun" if pron and not named else "named",
                            gsubj,
                            reading,
                            told,
                        )
                    )
                    continue
                if (
                    in_sentence  # (else no one is before it: the relative word is not looked for)
                    and self._relative.match(text, c0)
                    and (before := [r for r in in_sentence if r.end <= c0 and not r.professional])
                ):
                    out.append(Clause(c0, c1, (s0, s1), (before[-1],), "relative", before[-1], reading, told))
                elif subj is not None and subj.end <= c0:
                    out.append(Clause(c0, c1, (s0, s1), (subj,), "sentence subject", gsubj, reading, told))
                elif (lay_before := _first_lay(known, known_starts, s0, c0)) is not None:
                    # "review her medication and think about a referral": the person the sentence was about
                    out.append(Clause(c0, c1, (s0, s1), (lay_before,), "sentence subject", gsubj, reading, told))
                elif carried is not None and not carried.professional and not carried.subject:
                    # "O1: 3 PREV DA. CONV POSS W/I SUPPLY 2008.": a note with no person goes on about the last one
                    out.append(Clause(c0, c1, (s0, s1), (carried,), "carried over", gsubj, reading, told))
                else:
                    row = form = None
                    at = ctx.pt.first_word_in(c0, c0 + 1) if self._row_info else -1  # the clause's first word
                    if at >= 0:
                        row = self._row_ref(ctx, at, c0)
                        form = self._form_ref(ctx, at) if row is None else None
                    if row is not None:
                        out.append(Clause(c0, c1, (s0, s1), (row,), "table row", gsubj, reading, told))
                    elif form is not None:
                        out.append(Clause(c0, c1, (s0, s1), (form,), "form", gsubj, reading, told))
                    else:
                        out.append(Clause(c0, c1, (s0, s1), tuple(about), "default", gsubj, reading, told))
        return out

    def _first_person(self, text: str, c0: int, c1: int, writer: Ref, about: Sequence[Ref]) -> list[Ref]:
        """The writer's references at the first-person words of a clause ("my" before a person's word, as in
        "my mum", is left to that word)."""
        out = []
        for a, b, possessive in first_person(text, c0, c1):
            if any(r.start <= a < r.end for r in about):
                continue
            if possessive and any(0 <= r.start - b <= 2 for r in about):
                continue
            w = writer
            out.append(Ref(a, b, w.person, w.unregistered, w.gender, w.professional, w.subject, "first person: writer"))
        return out

    def _main_after_subordinate(self, text: str, c0: int, c1: int, reading: Reading) -> int | None:
        """In a clause opened by a subordinator ("when", "if", "because"), a subject pronoun after its verb
        starts the main clause: where, or None."""
        if reading.subject is None or reading.verb_class == "none" or _first_word(text, c0, c1) not in _SUBORDINATORS:
            return None
        m = _MAIN_SUBJECT.search(text, reading.pred, c1)
        return m.start() if m and m.start() > reading.pred else None

    def _grammatical_subject(self, text: str, reading: Reading, about: Sequence[Ref], prev: Ref | None) -> Ref | None:
        """The person who is the clause's subject: its subject reference; an unresolved "he" where the
        subject of the records is a "she" (someone unknown); or, for a clause opening with its verb, the
        subject of the clause before."""
        if reading.subject is None:
            return prev
        if not reading.person:
            return None
        a, b = reading.subject
        hit = next((r for r in about if a <= r.start < b), None)
        if hit is not None:
            return hit
        word = text[a:b].lower().replace("\u2019", "'").split("'")[0]
        g = self._pron_gender.get(word) or ("she" if word == "shes" else "he" if word == "hes" else None)
        if g in ("she", "he") and self._subject_gender in ("she", "he") and g != self._subject_gender:
            return Ref(a, b, None, None, g, via=f"pronoun '{text[a:b]}': no one named")
        if word in PERSON_PRONOUNS and word in ("i", "we"):
            return None
        return None

    def _pronoun_refs(self, ctx: PageContext, c0: int, c1: int, refs: Sequence[Ref], named: Sequence[Ref]) -> list[Ref]:
        text = ctx.pt.text
        out: list[Ref] = []
        for m in self._pron_re.finditer(text, c0, c1):
            if any(r.start <= m.start() < r.end for r in named):
                continue
            g = self._pron_gender[m.group(0).lower()]
            r = self.resolve(ctx, m.start(), g, refs)
            if r is not None:
                out.append(
                    Ref(
                        m.start(),
                        m.end(),
                        r.person,
                        r.unregistered,
                        r.gender,
                        r.professional,
                        r.subject,
                        f"pronoun '{m.group(0)}'",
                    )
                )
        return out

    def resolve(self, ctx: PageContext, offset: int, gender: str, refs: Sequence[Ref]) -> Ref | None:
        """The person a pronoun at offset refers to: compatible, before it, in its sentence, else earlier
        in its block."""
        if gender == ADDRESSEE:
            return self._addressee(ctx, refs)
        s0 = self._sentence_start(ctx, offset)
        b0 = min(ctx.block(offset)[0], s0)
        prior = [r for r in refs if b0 <= r.start and r.end <= offset and _compatible(r.gender, gender)]
        if not prior:  # a paragraph that opens with "She ...": the person is in the paragraph before
            b0 = max(0, b0 - LOOK_BACK)
            prior = [r for r in refs if b0 <= r.start and r.end <= offset and _compatible(r.gender, gender)]
        if not prior:
            # nothing before it on the page (a letter's second page): the lay person the page is most about
            counts: dict[str, int] = {}
            for r in refs:
                if not r.professional and _compatible(r.gender, gender) and (r.person or r.unregistered):
                    counts[r.key] = counts.get(r.key, 0) + 1
            if not counts:
                return None
            top = max(counts.values())
            best = [k for k, n in counts.items() if n == top]
            third = [k for k in best if k != self.subject_id]
            key = third[0] if third else best[0]  # a tie: the third party, the safe reading
            r = next(r for r in refs if r.key == key)
            return Ref(r.start, r.end, r.person, r.unregistered, r.gender, r.professional, r.subject, "page")
        subjects = getattr(self, "_subjects", {})
        same = [r for r in prior if r.start >= s0]
        if same:
            return _pick(same, subjects)
        # the latest earlier sentence with a compatible person: its subject, else its first such person
        last = self._sentence_start(ctx, prior[-1].start)
        return _pick([r for r in prior if r.start >= last], subjects)

    @staticmethod
    def _addressee(ctx: PageContext, refs: Sequence[Ref]) -> Ref | None:
        """Whom "you" means in a letter: the person of its salutation ("Dear Ms Dunmore"); None elsewhere
        (then the records' default, their subject, applies)."""
        for r in refs:
            if _SALUTATION.search(ctx.pt.text, max(0, r.start - 12), r.start):
                return r
        return None

    def _sentence_start(self, ctx: PageContext, offset: int) -> int:
        starts = getattr(self, "_sent_starts", None)
        if not starts:
            return ctx.sentence(offset)[0]
        return self._sent[max(0, bisect.bisect_right(starts, offset) - 1)][0]

    @staticmethod
    def _ref_rows(ctx: PageContext, refs: Sequence[Ref]) -> list[tuple[Ref, int, int, float]]:
        """Each lay person's reference with its visual row, block start and right edge (for table rows)."""
        pt = ctx.pt
        out = []
        for r in refs:
            i = pt.first_word_in(r.start, r.end)
            if i >= 0 and not r.professional:
                out.append((r, ctx.row_of_word[i], ctx.block(r.start)[0], pt.words[i].x1))
        return out

    def _row_ref(self, ctx: PageContext, i: int, c0: int) -> Ref | None:
        """The first person in an earlier cell of the same table row (i: the word at c0, where the clause starts)."""
        row, x0, block = ctx.row_of_word[i], ctx.pt.words[i].x0, ctx.block(c0)[0]
        for r, r_row, r_block, x1 in self._row_info:
            if r_row == row and r_block != block and r.end <= c0 and x1 <= x0 + 0.5:
                return r
        return None

    def _form_ref(self, ctx: PageContext, i: int) -> Ref | None:
        """In a form of label and value rows ("Name | DUNMORE, Michelle", "DOB | ...", "Injuries | ..."), a clause
        on a labelled row is about the person in the value cell of the nearest row above that names one (at most
        FORM_ROWS rows up, past rows that name no one). i: the clause's first word; the answer is its row's, found
        once a page for each row."""
        row = ctx.row_of_word[i]
        rows = self._form_rows
        if row not in rows:
            rows[row] = self._form_row_ref(ctx, row)
        return rows[row]

    def _form_row_ref(self, ctx: PageContext, row: int) -> Ref | None:
        """`_form_ref` of a clause on the row."""
        pt = ctx.pt
        words = ctx.row_span_words(row)
        if not words or not _value_cell(pt, words, words[-1]):  # the clause's row is a labelled row
            return None
        by_row = self._value_rows
        if by_row is None:  # the first person in a value cell of each row, found once a page
            by_row = self._value_rows = {}
            for r, r_row, _, _ in self._row_info:
                ri = pt.first_word_in(r.start, r.end)
                if r_row not in by_row and ri >= 0 and _value_cell(pt, ctx.row_span_words(r_row), ri):
                    by_row[r_row] = r
        for up in range(row - 1, max(-1, row - 1 - FORM_ROWS), -1):
            if up in by_row:
                return by_row[up]
        return None


FORM_ROWS = 8
FORM_LABEL_WORDS = 4


def _value_cell(pt: PageText, row: Sequence[int], word: int) -> bool:
    """word is in a value cell of a labelled row: not in the row's first cell, which is a short label."""
    if len(row) < 2 or pt.words[row[0]].block == pt.words[word].block:
        return False
    label = [i for i in row if pt.words[i].block == pt.words[row[0]].block]
    return len(label) <= FORM_LABEL_WORDS and all(i != word for i in label)


def sentences(ctx: PageContext) -> list[tuple[int, int]]:
    """The page's sentences, a sentence broken across blocks (a wrapped table cell) joined again:
    a piece that starts in lower case continues a piece that did not end with a full stop."""
    text = ctx.pt.text
    out: list[tuple[int, int]] = []
    for a, b in ctx.sentences:
        seg = text[a:b].lstrip()
        if out and seg[:1].islower() and text[out[-1][0] : out[-1][1]].rstrip()[-1:] not in ".!?:":
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


class _Hits:
    """The matches of a pattern over a whole page, found in one search, to tell whether a span of the page
    holds one (as `rx.search(text, start, end)` would) without searching each span.

    For a pattern that reads no character after the end of its match (no lookahead past it, no `$`, no `\b`
    at its end): a search bounded at `end` finds a match of the page that ends by `end`, and finds none
    where the page has none starting in the span, unless a match of the page runs across `start` (a search
    of the page goes on from a match's end, so it covers another match only by running across its start).
    A span that a match of the page runs into or out of is searched itself."""

    __slots__ = ("rx", "text", "spans", "starts")

    def __init__(self, rx: re.Pattern[str], text: str):
        self.rx, self.text = rx, text
        self.spans = [m.span() for m in rx.finditer(text)]
        self.starts = [a for a, _ in self.spans]

    def within(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.starts, start)
        if k and self.spans[k - 1][1] > start or k < len(self.spans) and self.starts[k] < end < self.spans[k][1]:
            return self.rx.search(self.text, start, end) is not None
        return k < len(self.spans) and self.starts[k] < end


def _spans(about: Sequence[Ref], fp: Sequence[Ref]) -> list[tuple[int, int]]:
    return sorted((r.start, r.end) for r in [*about, *fp])


def _first_lay(known: Sequence[Ref], starts: Sequence[int], s0: int, c0: int) -> Ref | None:
    """The first of known (sorted by start; starts are theirs) that is no professional and lies within [s0, c0):
    `next(r for r in known if s0 <= r.start and r.end <= c0 and not r.professional)`, read from s0 on."""
    for k in range(bisect.bisect_left(starts, s0), len(known)):
        r = known[k]
        if r.start > c0:
            return None  # (and so are the ones after: their ends are later still)
        if r.end <= c0 and not r.professional:
            return r
    return None


def _holds(offsets: Sequence[int], start: int, end: int) -> bool:
    """Whether the sorted offsets hold one in [start, end)."""
    k = bisect.bisect_left(offsets, start)
    return k < len(offsets) and offsets[k] < end


_WORD = re.compile(r"\S+")


def _first_word(text: str, start: int, end: int) -> str:
    """The first word of text[start:end] in lower case, as its first whitespace-separated piece (or "" for none):
    `text[start:end].split(None, 1)[0].lower() if text[start:end].strip() else ""`, without copying the span
    (a run of what neither split nor strip takes for white space)."""
    m = _WORD.search(text, start, end)
    return m.group().lower() if m else ""


def _possessive(text: str, r: Ref) -> bool:
    """ "Niamh's father": the name is a possessor, not the subject of the sentence."""
    return text[r.end : r.end + 2] in ("'s", "\u2019s") and not text[r.end + 2 : r.end + 3].isalpha()


_MAIN_SUBJECT = re.compile(r"(?<![\w'\u2019])(?:(?i:she|he|they|we)|I)(?![\w\-])")
_SUBORDINATORS = {
    "when",
    "whenever",
    "if",
    "because",
    "since",
    "while",
    "whilst",
    "although",
    "though",
    "until",
    "unless",
    "after",
    "before",
    "as",
    "where",
    "once",
}


def _pick(cands: list[Ref], subjects: Mapping[int, str] | None = None) -> Ref:
    """Among compatible candidates: a single person; else the subject of the records when they are the
    subject or the speaker of a main clause; else the first subject of a main clause, of a telling, of a
    subordinate clause; else prefer a third party (not the subject, not a professional)."""
    keys = {r.key for r in cands}
    if len(keys) == 1:
        return cands[-1]
    subjects = subjects or {}
    own = [r for r in cands if r.subject and subjects.get(r.start) in ("main", "speaker")]
    if own:
        return own[0]
    for rank in ("main", "speaker", "sub"):
        subj = [r for r in cands if subjects.get(r.start) == rank]
        if subj:
            return subj[0]
    third = [r for r in cands if not r.subject and not r.professional]
    if third:
        return third[0]
    lay = [r for r in cands if not r.professional]
    return lay[0] if lay else cands[-1]


def _compatible(person_gender: str | None, pronoun: str) -> bool:
    if pronoun == "they":
        return person_gender in ("they", None)
    return person_gender in (pronoun, None)


_TITLE_GENDER = {
    "mr": "he",
    "mrs": "she",
    "ms": "she",
    "miss": "she",
    "sir": "he",
    "lady": "she",
    "dame": "she",
    "lord": "he",
}


def _title_gender(text: str) -> str | None:
    first = text.split()[0].rstrip(".").lower() if text.split() else ""
    return _TITLE_GENDER.get(first)
