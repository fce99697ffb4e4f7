"""The shortcuts that make detection fast find exactly what the long way finds.

- the clause analysis slices a page's tokens instead of searching each clause, and their lower case, made once a
  page; the four verb classes and the auxiliaries are one set;
- visual rows are sorted once as tuples and read without a call of max for each word;
- a clause's cuts are read in the order found, not sorted; a row's cells are read with the block of the cell at
  hand; whether a page is in lower case is answered once a page (`names.lower_case_page`);
- a page's tokens come from one split of the page (`clauses.page_tokens`); clause words open the clause-break pattern
  with their first letters (`attribution.breaks_pattern`); a clause's first word is found without copying it
  (`attribution._first_word`); the form row above a clause is found once a page for each row (`Attributor._form_ref`);
  e-mail headers, sign-offs and quoted messages are looked for after newlines (`writers.line_matches`);
- the ends of sentences open with the class of their first characters (`context._SENTENCE_END`);
- the first word of a span is found without listing the span's words (`PageText.first_word_in`);
- the first lay person of a sentence before a clause is read from the sentence's start (`_first_lay`);
- alternations of literal words open with a lookahead of their first characters;
- sentences with no cue, no reference, no pronoun and no subject carried into them are not read;
- the cue candidates of each word are remembered per lexicon;
- a free cue pattern runs only on a page holding a word every match of it holds (`required_word`);
- routine phrases are searched only between the full stops around a cue;
- a current number plate and a lower-case word open with their letter (`references._CURRENT_VRM`,
  `informal._LOW_WORDS`);
- the introducers and bracket nouns of informal names open with their first letters (`lexicon.word_start`);
- role codes ("A1", "susp") open with their first letters (`code_pattern`);
- pronoun starts are found in one search of the page (`_Hits`);
- capitalised words open with their capital, the lookbehind after it (`capital_after`);
- word lists open with their first letters, the lookbehind after them (`word_alternation`: kinship, references);
- Mention, Ref, Clause, Reading and Cue get a quicker `__init__` (`sarkit.frozen.quick_init`);
- the patterns of identifiers.yaml, the unregistered-name, address, estate, family, vehicle, act and residence
  patterns and the names found again open with their first character, the lookbehind after it (and, where a
  pattern may open in several ways, each way written out in its order: `lexicon.letter_groups`);
- a place or street name looks ahead after its first word for what may follow it;
- the introducer and prefix regexes of informal names run without a word test where a match holds the word;
- a page without "@" (`lexicon.required_char`) is not searched for e-mail addresses;
- the first letters of lines are read with findall.
"""

from __future__ import annotations

import dataclasses
import functools
import pickle
import re
import sys
from pathlib import Path

import pytest

from sarkit.detect import Detector
from sarkit.detect import attribution as attribution_mod
from sarkit.detect import clauses as clauses_mod
from sarkit.detect import context as context_mod
from sarkit.detect.attribution import Attributor, Clause, Ref, _first_lay, _Hits, split_clauses
from sarkit.detect.clauses import Reading
from sarkit.detect.lexicon import (
    CASE_LOOKALIKES,
    alternation,
    alternatives,
    capital_after,
    first_chars,
    load_lexicon,
    required_char,
    required_word,
    word_alternation,
    word_start,
)
from sarkit.detect.recognisers import informal as informal_mod
from sarkit.detect.recognisers import names as names_mod
from sarkit.detect.recognisers.forms import _cells
from sarkit.detect.recognisers.informal import _LOW_WORDS, InformalNames
from sarkit.detect.recognisers.references import _CURRENT_VRM
from sarkit.detect.sensitive_lexicon import Cue, code_pattern, find_cues, load_sensitive
from sarkit.frozen import quick_init
from sarkit.models import Mention, Word
from sarkit.text import PageText

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_attribution import MANIFEST, RULES, make_page  # noqa: E402
from test_statements import ATTRIBUTION, PLAIN, PLAIN_NEGATIVE  # noqa: E402

TRICKY = [
    "don't it's9 O'Neill\u2019s  a-b (x) 12ab cd\u2019ef' g",
    "Mum's flat; she\u2019d  been. A1:O1 x9y 'quoted' end",
    "\u212aelvin \u017fo \u0130stanbul caf\u00e9 na\u00efve",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tokens_of_any_span_are_those_a_search_of_the_span_finds(text: str) -> None:
    other = "another page: " + text  # the page's tokens are replaced when another page is read
    for start in range(len(text) + 1):
        for end in range(len(text) + 1):
            expected = [(m.start(), m.end(), m.group(0)) for m in clauses_mod._TOKEN.finditer(text, start, end)]
            assert clauses_mod.tokens(text, start, end) == expected, (start, end)
        clauses_mod.tokens(other, 0, len(other))


@pytest.mark.parametrize("text", TRICKY)
def test_lower_case_tokens_of_any_span_are_its_tokens_lowered(text: str) -> None:
    other = text.upper() + " OTHER PAGE"  # the page's lower case is replaced with its tokens
    for start in range(len(text) + 1):
        assert clauses_mod.tokens_low(other, 0, len(other))[1] == [
            m.group(0).lower() for m in clauses_mod._TOKEN.finditer(other)
        ]
        for end in range(len(text) + 1):
            toks, lows = clauses_mod.tokens_low(text, start, end)
            assert toks == clauses_mod.tokens(text, start, end)
            assert lows == [t[2].lower() for t in toks], (start, end)


def test_the_verb_set_is_the_verb_classes_and_auxiliaries_of_the_lexicon_at_hand() -> None:
    words = load_sensitive(RULES).words
    assert words is not None
    union = words.auxiliaries | words.routine | words.speech | words.cognition
    assert clauses_mod._verbs(words) == union and {"was", "visited", "said", "believed"} <= union
    other = dataclasses.replace(words, routine=frozenset({"zzvisit"}))
    assert "zzvisit" in clauses_mod._verbs(other) and "visited" not in clauses_mod._verbs(other)
    assert clauses_mod._verbs(words) == union  # (the lexicon before is not kept)


FIRST_WORD_PAGES = [
    ["Mum came to the door.", "", "DOB | 01/02/2003 | Tom"],
    ["  a  b", "c"],
    [""],
]


@pytest.mark.parametrize("lines", FIRST_WORD_PAGES)
def test_the_first_word_of_a_span_is_the_first_of_its_words(lines: list[str]) -> None:
    pt = make_page(lines)
    n = len(pt.text)
    for start in range(n + 2):
        for end in range(start, n + 2):
            idx = pt.words_in(start, end)
            assert pt.first_word_in(start, end) == (idx[0] if idx else -1), (start, end)


def _ref(start: int, end: int, professional: bool = False) -> Ref:
    return Ref(start, end, f"p{start}", None, None, professional)


KNOWN = [
    [],
    [_ref(0, 3), _ref(5, 9, True), _ref(5, 7), _ref(12, 20), _ref(14, 15), _ref(22, 23, True), _ref(30, 31)],
    [_ref(2, 4, True), _ref(2, 10), _ref(3, 5), _ref(3, 4, True), _ref(8, 9), _ref(9, 12), _ref(9, 10)],
]


@pytest.mark.parametrize("known", KNOWN)
def test_the_first_lay_person_before_a_clause_is_the_one_the_whole_list_gives(known: list[Ref]) -> None:
    starts = [r.start for r in known]
    found = set()
    for s0 in range(34):
        for c0 in range(s0, 34):
            slow = [r for r in known if s0 <= r.start and r.end <= c0 and not r.professional]
            fast = _first_lay(known, starts, s0, c0)
            assert fast is (slow[0] if slow else None), (s0, c0)
            found.add(fast)
    assert len(found) > 3 or not known  # lay people found, and none (a professional first: (5, 9))


WORDS = ["kelvin", "so", "istanbul", "'n' that", "Mum", "mum's partner", "caf\u00e9", "\u00e9cole", "-ish"]
TEXTS = [
    "\u212aelvin and \u017fo, \u0130stanbul, 'n' that, \u2019n\u2019 that,",
    "MUM, Mum's partner, CAF\u00c9, \u00c9cole -ish",
    "kelvin KELVIN So sO istanbul ISTANBUL Caf\u00e9 \u00e9COLE mum mUM -ISH",
]


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_a_first_character_lookahead_changes_no_match(flags: int) -> None:
    plain = "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(WORDS, key=len, reverse=True)) + ")"
    assert first_chars(WORDS) and alternation(WORDS).startswith(first_chars(WORDS))
    fast = re.compile(rf"(?<![\w]){alternation(WORDS)}(?!\w)", flags)
    slow = re.compile(rf"(?<![\w]){plain}(?!\w)", flags)
    for text in TEXTS:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)]
        assert fast.findall(text)  # the texts do hold words of the list


def test_no_lookahead_where_a_word_is_not_literal_at_its_start() -> None:
    assert first_chars(["abc", ""]) == "" and first_chars([" x"]) == "" and first_chars(["*"]) == ""


def _every_sentence(clauses):  # type: ignore[no-untyped-def]
    @functools.wraps(clauses)
    def read_all(self, ctx, refs, only=None, cues=None):  # type: ignore[no-untyped-def]
        return clauses(self, ctx, refs, only=only, cues=None)

    return read_all


PAGES = [
    [t for t, *_ in PLAIN],
    [t for t in PLAIN_NEGATIVE],
    [t for t, *_ in ATTRIBUTION],
    [
        "Mum came to the door.",
        "The house was cold. Heating off. Bins overflowing.",
        "",
        "Visit notes continue on the next page. Nothing further.",
        "She has been drinking again. The flat smelt of cannabis.",
        "Plan reviewed. Next visit in two weeks.",
        "Dad | was arrested for assault | 2019",
        "Tom | no concerns | 2020",
    ],
    # a subject carried into a sentence with no one named and no cue; a paragraph that opens with a pronoun
    ["Dad came to the door. Could not stand up straight."],
    ["Mum opened the door.", "", "She had not slept for four nights."],
    ["Tom was quiet.", "", "He keeps the curtains closed all day."],
]


@pytest.mark.parametrize("lines", PAGES)
def test_sentences_left_out_change_nothing(monkeypatch: pytest.MonkeyPatch, lines: list[str]) -> None:
    pt = make_page(lines)
    fast = Detector(MANIFEST, RULES).detect_page("d", 0, pt)
    monkeypatch.setattr(Attributor, "clauses", _every_sentence(Attributor.clauses))
    slow = Detector(MANIFEST, RULES).detect_page("d", 0, pt)
    assert fast == slow
    assert any(m.kind == "sensitive" for m in fast) or lines is PAGES[1]


def test_remembered_cue_candidates_give_the_same_cues() -> None:
    text = " ".join(t for t, *_ in PLAIN + ATTRIBUTION) + " HEROIN heroin Heroin self-harm SELF-HARM overdosed"
    lex = load_sensitive(RULES)
    first = find_cues(text, lex)
    assert lex.cache  # the words are remembered
    assert find_cues(text, lex) == first == find_cues(text, load_sensitive(RULES))
    words = {text[c.start : c.end].lower() for c in first}
    assert {"heroin", "overdosed"} <= words


def test_case_lookalikes_are_every_character_outside_ascii_that_an_ascii_letter_or_digit_matches() -> None:
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    found = set()
    for c in "abcdefghijklmnopqrstuvwxyz0123456789":
        found |= {x for x in re.findall(re.escape(c), every, re.IGNORECASE) if not x.isascii()}
    assert found == set(CASE_LOOKALIKES.pattern.strip("[]"))


@pytest.mark.parametrize(
    ("pattern", "word"),
    [
        (r"(?i:(?<![\w])(?:using|used)\s+again\b)", "again"),
        (r"(?:abc|abd)x", "ab"),  # the parser draws the common start out of the alternatives
        (r"\bfoo(?:bar)?\b", "foo"),
        (r"(?P<g>kept)\s+out", "kept"),
        (r"a?bcd", "bcd"),
        (r"(?=hello)x", "x"),  # a lookahead is not read
        (r"ab|cd", None),
        (r"[Mm]um\b", "um"),
        (r"\d+\s*", None),
    ],
)
def test_required_word(pattern: str, word: str | None) -> None:
    assert required_word(re.compile(pattern)) == word


def _slow(lex):  # type: ignore[no-untyped-def]
    """The lexicon without the shortcuts: every free pattern runs, routine phrases are searched over the page."""
    pats = tuple((cat, rx, None) for cat, rx, _ in lex.index.patterns)
    return dataclasses.replace(lex, routine_dotless=False, index=dataclasses.replace(lex.index, patterns=pats))


CUE_TEXTS = [
    "She is using again. He has been clean for six weeks. Her brother was sent back inside in May.",
    "SHE IS USING AGAIN and keeps using the money for drink. Kept clean clothes. Went inside the house.",
    "Mum has been u\u017fing again (a long s); Dad is still u\u017fing.",  # matches only when case is ignored
    "The health visitor came. Health assessment booked. Dr. Patel said her health is poor. Family Court date.",
    "Family Court hearing about the drinking. Police attended. She was drinking heavily at the court hearing.",
    "A review health assessment. The school nurse. No concerns. Cup of tea. She drinks a bottle of vodka a day.",
    "Nothing to note at all today",
    "",
]


@pytest.mark.parametrize("text", CUE_TEXTS)
def test_cue_shortcuts_find_what_the_long_way_finds(text: str) -> None:
    lex = load_sensitive(RULES)
    assert lex.routine_dotless and any(w is not None for _, _, w in lex.index.patterns)
    assert find_cues(text, lex) == find_cues(text, _slow(lex))


def test_the_cue_texts_hold_patterns_and_routine_phrases() -> None:
    lex = load_sensitive(RULES)
    text = " ".join(CUE_TEXTS)
    assert sum(1 for _, rx, _ in lex.index.patterns for _ in rx.finditer(text)) >= 6
    assert lex.routine is not None and len(lex.routine.findall(text)) >= 8
    assert find_cues(CUE_TEXTS[2], lex)  # "u\u017fing again" is a cue


@pytest.mark.parametrize(
    "text",
    [
        "She said he would. They'd gone; hers was the flat. Shea and he-man are not pronouns. HE WAS THERE.",
        "her hers herself.his him. themselves,you yourself your",
        "no pronoun at all here",
    ],
)
def test_pronoun_starts_found_once_a_page_as_a_search_of_each_span(text: str) -> None:
    rx = Attributor(MANIFEST, ["and"], ["who"], load_sensitive(RULES).pronouns)._pron_start
    hits = _Hits(rx, text)
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            assert hits.within(start, end) == (rx.search(text, start, end) is not None), (start, end)


@pytest.mark.parametrize(
    "text",
    [
        "She said he would. They'd gone; hers was the flat. Shea and he-man are not pronouns. HE WAS THERE.",
        "her hers herself.his him. themselves,you yourself your, hethen, (she) [him] 'her'",
        "no pronoun at all here",
    ],
)
def test_a_span_with_no_pronoun_start_holds_no_pronoun(text: str) -> None:
    """Clauses are read for pronouns only where `_pron_start` finds one: `_pron_re` finds none elsewhere."""
    att = Attributor(MANIFEST, ["and"], ["who"], load_sensitive(RULES).pronouns)
    hits = _Hits(att._pron_start, text)
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            if not hits.within(start, end):
                assert att._pron_re.search(text, start, end) is None, (start, end)


@dataclasses.dataclass(frozen=True, slots=True)
class _Plain:
    a: int
    b: str
    c: tuple[str, ...] = ()
    d: str | None = None


@quick_init
@dataclasses.dataclass(frozen=True, slots=True)
class _Quick:
    a: int
    b: str
    c: tuple[str, ...] = ()
    d: str | None = None


def test_quick_init_builds_what_the_dataclass_builds() -> None:
    for args, kw in [((1, "x"), {}), ((1, "x", ("y",)), {"d": "z"}), ((), {"b": "x", "a": 2, "d": None})]:
        q, p = _Quick(*args, **kw), _Plain(*args, **kw)
        assert dataclasses.astuple(q) == dataclasses.astuple(p)
        assert repr(q).replace("_Quick", "_Plain") == repr(p)
        assert q == _Quick(*args, **kw) and hash(q) == hash(_Quick(*args, **kw))
        assert pickle.loads(pickle.dumps(q)) == q
        assert dataclasses.replace(q, a=5).a == 5
        with pytest.raises(dataclasses.FrozenInstanceError):
            q.a = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        _Quick()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Quick(1, "x", e=1)  # type: ignore[call-arg]
    m = Mention("d", 1, 2, 3, "x", "name", None, "name.full", via="named")
    assert (m.unregistered, m.qualifier, m.via, m.candidates) == (None, "", "named", ())
    for cls in (Mention, Ref, Clause, Reading, Cue):
        assert cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__"


def test_quick_init_refuses_what_it_cannot_build() -> None:
    @dataclasses.dataclass
    class Open:
        a: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Factory:
        a: list[int] = dataclasses.field(default_factory=list)

    for cls in (Open, Factory):
        with pytest.raises(TypeError):
            quick_init(cls)


CAPITAL_TEXTS = [
    "Kayleigh Moss-Hart lives at 4 Elm Grove. O'Brien and x-Ray met Dr Abbot at St Anne's Children's Home.",
    "DUNMORE, Michelle at Brook Street; e-mail Sue@Mail.com; road/Lane Walk. ABBOTT Lower Hill Road",
    "Alder Bank Primary School of Arts. word.Capital-Case and-Then; A Bc\nCd Avenue",
]


@pytest.mark.parametrize(
    ("before", "rest"),
    [
        (r"\w'@.\-", r"(?:[a-z]+(?:-[A-Z][a-z]+)?|[A-Z]{4,})(?![\w@]|-\w)"),  # misspelt: [A-Z]{5,} is [A-Z] + {4,}
        (r"\w'@.\-/", r"[a-z]+(?:-[A-Z][a-z]+)?"),
        (r"\w'\-", r"[a-z]+(?:-[A-Z][a-z]+)?(?:[ \t]+[A-Z][a-z]+){0,2}[ \t]+(?:Street|Grove|Road|Avenue)(?![\w])"),
        (r"\w'\-", r"[A-Za-z'\-]*\.?(?:\s+[A-Z][A-Za-z'\-]*\.?){0,6}\s+(?:School|Home)(?:\s+of\s+[A-Z]\w*)?(?![\w])"),
    ],
)
def test_a_capital_first_finds_what_a_lookbehind_first_finds(before: str, rest: str) -> None:
    fast = re.compile(capital_after(before) + rest)
    slow = re.compile(rf"(?<![{before}])[A-Z]" + rest)  # the lookbehind first, as the recognisers had it
    hits = 0
    for text in CAPITAL_TEXTS:
        got = [(m.span(), m.groups()) for m in fast.finditer(text)]
        assert got == [(m.span(), m.groups()) for m in slow.finditer(text)]
        hits += len(got)
    assert hits


WORD_LIST = ["mum", "Mum's partner", "mother", "maternal grandmother", "nan", "Nana", "dad", "step dad", "step-dad"]
WORD_LIST += ["sis"]
WORD_TEXTS = [
    "Her mum and her Mother rang; MUM said Nana's dad, the step dad and step-dad came with SIS.",
    "summary: mummy, nanny, mums, grandmum, x-mum, it's mum, o'nan, dad-ish, mum's partner Mum's Partner.",
    "maternal  grandmother\nstep\ndad; nan\u2019s Nan-Nan dad. 2mum _mum sis9 \u212aelvin \u017fis",
]


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
@pytest.mark.parametrize("before", [r"\w", r"\w'\-"])
def test_a_word_list_from_its_first_letters_finds_what_a_lookbehind_first_finds(flags: int, before: str) -> None:
    rest = r"(?![\w]|-\w)"
    fast = re.compile(f"(?P<w>{word_alternation(alternatives(WORD_LIST), before, bool(flags))}){rest}", flags)
    slow = re.compile(rf"(?<![{before}])(?P<w>{alternation(WORD_LIST)}){rest}", flags)
    hits = 0
    for text in WORD_TEXTS:
        got = [(m.span(), m.groups()) for m in fast.finditer(text)]
        assert got == [(m.span(), m.groups()) for m in slow.finditer(text)]
        hits += len(got)
    assert hits > 10


def test_no_first_letter_form_for_a_word_list_not_opening_with_a_letter() -> None:
    assert word_alternation(alternatives(["mum", "'n' that"]), r"\w", True) is None
    assert word_alternation(alternatives(["mum", "\u00e9cole"]), r"\w", True) is None
    assert word_alternation([], r"\w", False) is None


def test_kinship_and_reference_patterns_find_what_the_lookbehind_first_patterns_find() -> None:
    from sarkit.detect.recognisers.kinship import Kinship
    from sarkit.detect.recognisers.references import _VALUE, References
    from sarkit.detect.words import Words

    det = Detector(MANIFEST, RULES)
    kin = next(r for r in det.recognisers if isinstance(r, Kinship))
    refs = next(r for r in det.recognisers if isinstance(r, References))
    pats = []
    for term in sorted(kin._kin, key=len, reverse=True):
        esc = re.escape(term).replace(r"\ ", r"\s+").replace("'", "['\u2019]")
        pats.append(f"[{term[0].upper()}{term[0]}]{esc[1:]}" if term[0].isalpha() else esc)
    slow_kin = re.compile(r"(?<![\w'\-])(?:" + "|".join(pats) + r")(?![\w]|-\w)")
    w = det.case.shared(Words)
    cues = list(w.reference_cues) + list(w.police_reference_cues) + list(w.letter_reference_cues)
    slow_ref = re.compile(
        rf"(?<![\w])(?P<cue>{alternation(cues)})\.?[ \t]*(?:no\.?|number|#)?[ \t]*[:.#]?[ \t]*{_VALUE}(?![\w/\-])",
        re.IGNORECASE,
    )
    texts = [
        "Her mum, Mum's partner and MUM's sister; his maternal grandmother and step-dad; summary; grandmum; x-mum.",
        "Case ref: AB/1234, case reference no. 99812; crime ref 22/4411/23; NHS-ref; preference 123; Ref#0042.",
        "police reference number 41/22/998; our ref: QX-2231; their reference 7712 and xref 12, REF 881.",
    ]
    kin_hits = ref_hits = 0
    for text in texts:
        got = [m.span() for m in kin._kin_re.finditer(text)]
        assert got == [m.span() for m in slow_kin.finditer(text)]
        kin_hits += len(got)
        got2 = [(m.span(), m.groups()) for m in refs._ref_re.finditer(text)]
        assert got2 == [(m.span(), m.groups()) for m in slow_ref.finditer(text)]
        ref_hits += len(got2)
    assert kin_hits >= 4 and ref_hits >= 4


def _word_lists() -> list[tuple[list[str], str, bool]]:
    """The word lists the recognisers open a pattern with (`word_start`), with their lookbehind and case flag."""
    from sarkit.detect.words import Words

    det = Detector(MANIFEST, RULES)
    w, lx = det.case.shared(Words), det.case.lex
    return [
        (list(w.name_prefixes), r"\w'\-", False),
        (list(w.place_before), r"\w", False),
        (list(lx.place_cues), r"\w", False),
        (list(lx.titles) + [t.upper() for t in lx.titles], r"\w'@.", False),
        (list(w.reference_cues) + list(w.police_reference_cues) + list(w.letter_reference_cues), r"\w", True),
    ]


def test_the_word_lists_of_the_recognisers_find_from_their_first_letters_what_a_lookbehind_first_finds() -> None:
    firsts = 0
    for words, before, ignore in _word_lists():
        flags = re.IGNORECASE if ignore else 0
        fast = re.compile(rf"(?P<w>{word_start(words, before, ignore)})(?![\w])", flags)
        slow = re.compile(rf"(?<![{before}])(?P<w>{alternation(words)})(?![\w])", flags)
        firsts += fast.pattern.startswith("(?P<w>[")
        # each word as it is, capitalised and in capitals, after a space, a letter, an apostrophe, a dot, a hyphen
        text = " ".join(
            f"{v} x a{v} '{v}, .{v}; -{v} @{v} {v}s 9{v}"
            for word in words
            for v in (word, word.capitalize(), word.upper())
        )
        got = [(m.span(), m.groups()) for m in fast.finditer(text)]
        assert got == [(m.span(), m.groups()) for m in slow.finditer(text)]
        assert len(got) >= len(words)
    assert firsts >= 4  # (the lists open with letters: the shortcut is taken)


def test_a_possessor_taken_whole_finds_the_roles_that_backtracking_finds() -> None:
    from sarkit.detect.recognisers.unregistered import UnregisteredNames

    det = Detector(MANIFEST, RULES)
    fast = next(r for r in det.recognisers if isinstance(r, UnregisteredNames))._role_re
    assert r"\w++" in fast.pattern
    slow = re.compile(fast.pattern.replace(r"\w++", r"\w+"), fast.flags)
    text = (
        "Her new partner came; Donna's partner and Donna\u2019s ex partner; mum's friend, the neighbour. "
        "O'Neill's lodger, a_b's friend, x's's friend, 9's partner, it's partner-ship and Kim's  friend."
    )
    got = [(m.span(), m.groups()) for m in fast.finditer(text)]
    assert got == [(m.span(), m.groups()) for m in slow.finditer(text)]
    assert len(got) >= 6


def _visual_rows_one_by_one(pt: PageText) -> tuple[list[int], list[list[int]]]:
    """`context._visual_rows` as first written (indices sorted by key, max for each word)."""
    words = pt.words
    n = len(words)
    mids = [(w.y0 + w.y1) / 2 for w in words]
    xs = [w.x0 for w in words]
    keys = list(zip(mids, xs))
    order = sorted(range(n), key=keys.__getitem__)
    row_of = [-1] * n
    rows: list[list[int]] = []
    cur: list[int] = []
    cur_mid = cur_h = 0.0
    x_of = xs.__getitem__
    for i in order:
        w = words[i]
        mid = mids[i]
        h = max(w.y1 - w.y0, 1.0)
        if cur and abs(mid - cur_mid) <= 0.45 * max(h, cur_h):
            cur.append(i)
            continue
        if cur:
            rows.append(sorted(cur, key=x_of))
        cur, cur_mid, cur_h = [i], mid, h
    if cur:
        rows.append(sorted(cur, key=x_of))
    for r, ws in enumerate(rows):
        for i in ws:
            row_of[i] = r
    return row_of, rows


# (x0, y0, x1, y1) of each word: equal middles and left edges (ties), words under 1 pt high, a cell's two lines
# beside a one-line cell, a tall word that takes in the lines around it, a slanted line
ROW_LAYOUTS = [
    [(10, 10, 20, 20), (30, 10, 40, 20), (10, 10, 20, 20), (50, 11, 60, 21), (10, 30, 20, 40), (5, 30, 9, 40)],
    [(0, 5, 1, 5.2), (2, 5.1, 3, 5.3), (4, 5.9, 5, 6.1), (6, 7, 7, 7.5), (0, 5, 1, 5.2)],
    [(10, 100, 60, 110), (10, 112, 60, 122), (100, 105, 150, 115), (200, 101, 250, 111)],
    [(0, 0, 10, 40), (20, 5, 30, 10), (20, 30, 30, 35), (40, 17, 50, 23), (0, 60, 10, 61)],
    [(10 * k, 100 + 3 * k, 10 * k + 8, 110 + 3 * k) for k in range(8)],
    [],
]


@pytest.mark.parametrize("boxes", ROW_LAYOUTS)
def test_visual_rows_are_those_read_word_by_word(boxes: list[tuple[float, float, float, float]]) -> None:
    words = tuple(Word(f"w{i}", x0, y0, x1, y1, i % 2, i) for i, (x0, y0, x1, y1) in enumerate(boxes))
    pt = PageText(" ".join(w.text for w in words), (), (), words)
    fast = context_mod._visual_rows(pt)
    assert fast == _visual_rows_one_by_one(pt)
    assert len(fast[1]) < len(boxes) or len(boxes) < 2  # words share rows


def _split_clauses_sorted(text: str, start: int, end: int, words_rx: re.Pattern[str]) -> list[tuple[int, int]]:
    """`attribution.split_clauses` as first written: its cuts sorted and made unique."""
    cuts = [start]
    for m in words_rx.finditer(text, start, end):
        w = m.group("w")
        follows = attribution_mod._CLAUSE_FOLLOWS.match(text, m.end())
        if w and w.lower() in attribution_mod._PREPOSITIONAL and not follows:
            continue
        cuts.append(m.start("w") if w else m.end())
    cuts.append(end)
    cuts = sorted(set(cuts))
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip(" \t\n,;:()-\u2013"))
        b2 = a + len(seg.rstrip(" \t\n,;:()-\u2013."))
        if b2 > a + lead:
            spans.append((a + lead, b2))
    return spans


CLAUSE_TEXTS = [
    "Mum said that she was tired, and (but) he left; since 2008 - until she came: after Tom was born.",
    "and, but; that and and, (that) who whose because: or",
    "x, y;z (a) b - c \u2013 d, and",
    "No clause words here at all",
    ", , ;;  ((  ))",
]


@pytest.mark.parametrize("text", CLAUSE_TEXTS)
def test_clauses_cut_in_order_are_those_of_sorted_cuts(text: str) -> None:
    rx = Attributor(MANIFEST, load_sensitive(RULES).clause_words, ["who"], {"she": ["she"]})._breaks
    assert "w" in rx.groupindex
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            assert split_clauses(text, start, end, rx) == _split_clauses_sorted(text, start, end, rx), (start, end)
    assert len(split_clauses(text, 0, len(text), rx)) > 1 or text.startswith(("No", ","))


@pytest.mark.parametrize("text", [*TRICKY, "", "!!! ... ---", "word", " 12ab-cd ", *CLAUSE_TEXTS])
def test_page_tokens_from_one_split_are_those_a_search_finds(text: str) -> None:
    toks = [(m.start(), m.end(), m.group(0)) for m in clauses_mod._TOKEN.finditer(text)]
    slow = (text, [t[0] for t in toks], [t[1] for t in toks], toks, [t[2].lower() for t in toks])
    assert clauses_mod.page_tokens(text) == slow


BREAK_WORDS = [
    ["and", "but", "because", "since", "until", "who", "that", "as well as", "so that"],
    ["And", "WHILE", "whilst", "o'clock", "x-ray", "or"],
    ["and", "'cause", "but"],  # a word not opening with a letter: the long way
]


@pytest.mark.parametrize("words", [load_sensitive(RULES).clause_words, *BREAK_WORDS])
def test_clause_breaks_opening_with_clause_words_find_what_the_long_way_finds(words: list[str]) -> None:
    fast, slow = attribution_mod.breaks_pattern(words), attribution_mod.breaks_pattern_slow(words)
    assert fast.pattern.startswith("(?P<w>[") == all(w[:1].isalpha() for w in words)
    texts = [
        *CLAUSE_TEXTS,
        "As well as that, and so that - Because (Since) WHO whoever band-and and-so 'cause x-ray o'clock, ORE or",
        "\u212aelvin and\u017fo s\u017fince, \u017fo that (who) \u2013 who\u2019s",
    ]
    hits = 0
    for text in texts:
        for start in range(len(text)):
            found = [(m.span(), m.group("w")) for m in fast.finditer(text, start)]
            assert found == [(m.span(), m.group("w")) for m in slow.finditer(text, start)], (text, start)
            hits += len(found)
    assert hits > 50


FIRST_WORD_TEXTS = [
    "  when she left, he",
    "When",
    "",
    "   ",
    "a\u00a0b\u2003c d",
    "\u3000\u2028If\x1c\x1dso",
    "x\ty\nz",
]


@pytest.mark.parametrize("text", FIRST_WORD_TEXTS)
def test_the_first_word_found_in_place_is_the_first_piece_of_the_span_split(text: str) -> None:
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            seg = text[start:end]
            slow = seg.split(None, 1)[0].lower() if seg.strip() else ""
            assert attribution_mod._first_word(text, start, end) == slow, (start, end)


def _main_after_subordinate_long_way(att: Attributor, text: str, c0: int, c1: int, reading: Reading) -> int | None:
    """`Attributor._main_after_subordinate` as first written: the first word copied, then the reading asked."""
    first = text[c0:c1].split(None, 1)[0].lower() if text[c0:c1].strip() else ""
    if first not in attribution_mod._SUBORDINATORS or reading.subject is None or reading.verb_class == "none":
        return None
    m = attribution_mod._MAIN_SUBJECT.search(text, reading.pred, c1)
    return m.start() if m and m.start() > reading.pred else None


def test_the_main_clause_after_a_subordinate_one_is_found_as_the_long_way_finds_it() -> None:
    det = Detector(MANIFEST, RULES)
    att = next(r for r in det.recognisers if hasattr(r, "attributor")).attributor
    words = att.words
    assert words is not None
    text = (
        "When Mum drinks she shouts. If the flat is cold they stay in bed. Because he was late we left. "
        "when tired, she sleeps. Although nothing happened. Since 2008 he has lived there. As I said he left."
    )
    found = 0
    for start in range(len(text)):
        for end in (text.find(".", start) + 1, len(text)):
            reading = clauses_mod.read_clause(text, start, end, (), words)
            fast = att._main_after_subordinate(text, start, end, reading)
            assert fast == _main_after_subordinate_long_way(att, text, start, end, reading), (start, end)
            found += fast is not None
    assert found > 5


LINE_TEXTS = [
    "From: Sue Hartley\nTo: office\n\nHi,\nI can have her.\n\nKind regards,\nSue\n-----Original Message-----\nFrom: Bo",
    "\nFROM:Sue\n  from :\n\tSent by: Al\nYours\n sincerely,\nLove\nLove\nOn Mon 3 May, Al wrote:\n",
    "Kind regards\nRegards\n\n\nThanks!\nmany thanks.\r\nCheers\nfrom: x\nFrom: y\nnot a From: z",
    "On 1 June 2020 Sue wrote:\nOn a day wrote:\nLove from Gran\nBest\n\n",
    "no lines of note here at all",
    "",
]


def test_lines_found_after_newlines_are_those_a_search_for_line_starts_finds() -> None:
    from sarkit.detect import writers as writers_mod
    from sarkit.detect.words import Words

    det = Detector(MANIFEST, RULES)
    w = det.case.shared(Words)
    reader = writers_mod.WriterReader(w.writer_labels, w.sign_offs)
    hits = 0
    for rx in (reader._header, reader._sign_off, writers_mod._QUOTED):
        nl = writers_mod.after_newline(rx)
        for text in LINE_TEXTS:
            found = list(writers_mod.line_matches(rx, nl, text))
            assert found == [m.span() for m in rx.finditer(text)], (rx.pattern, text)
            hits += len(found)
    assert hits > 15
    with pytest.raises(ValueError):
        writers_mod.after_newline(re.compile("^From:"))  # (no re.M: "^" is the page's start only)


SENTENCE_TEXTS = [
    'She left. "Go!" he said.) Then? Yes.\n\nNext block\n - a bullet\n\u2022 another\n2. numbered\n3) too\n',
    "No end here\n\n\n  \nx.y. e.g. this! and?\t(end.) [x.] 'q.'\r\n* star\n-dash no space\n12. twelve",
    "",
    ".\n.",
]


@pytest.mark.parametrize("text", SENTENCE_TEXTS)
def test_sentence_ends_found_from_their_first_characters_are_those_of_the_long_pattern(text: str) -> None:
    slow = re.compile(r"[.!?][\"')\]]*(?=\s)|\n\s*\n|\n(?=\s*(?:[-\u2022*]|\d+[.)])\s)")
    for start in range(len(text) + 1):
        found = [m.span() for m in context_mod._SENTENCE_END.finditer(text, start)]
        assert found == [m.span() for m in slow.finditer(text, start)], start
    assert len(context_mod._spans(text, context_mod._SENTENCE_END)) > 3 or len(text) < 5


FORM_PAGE = [
    "VICTIM",
    "Name | DOYLE, Sharon",
    "DOB | 01/02/1980",
    "Injuries | bruising to her arm",
    "Notes | drinking most days",
    "SUSPECT",
    "Name | DOE, Mark",
    "Previous | conviction for assault",
    "Notes | uses cannabis daily",
    "Status | remanded",
    "A | 1",
    "B | 2",
    "C | 3",
    "D | 4",
    "E | 5",
    "F | 6",
    "G | 7",
    "Later | shouting in the street",
]


def test_the_form_row_above_found_once_a_row_is_the_one_found_for_each_clause(monkeypatch: pytest.MonkeyPatch) -> None:
    pt = make_page(FORM_PAGE)
    fast = Detector(MANIFEST, RULES).detect_page("d", 0, pt)
    got: list[Clause] = []
    clauses = Attributor.clauses

    def keep(self, ctx, refs, only=None, cues=None):  # type: ignore[no-untyped-def]
        out = clauses(self, ctx, refs, only=only, cues=cues)
        got.extend(out)
        return out

    monkeypatch.setattr(Attributor, "clauses", keep)
    Detector(MANIFEST, RULES).detect_page("d", 0, pt)
    fast_clauses = list(got)
    assert {c.about[0].person for c in fast_clauses if c.via == "form"} == {"sharon", "mark"}
    assert any(c.via == "default" for c in fast_clauses)  # (a row too far below a name: no one)
    got.clear()
    # the long way: the row's answer found anew for each clause
    monkeypatch.setattr(Attributor, "_form_ref", lambda self, ctx, i: self._form_row_ref(ctx, ctx.row_of_word[i]))
    slow = Detector(MANIFEST, RULES).detect_page("d", 0, pt)
    assert got == fast_clauses and slow == fast


@pytest.mark.parametrize("blocks", [[0, 0, 1, 1, 0, 2, 2, 2], [], [5], [1, 2, 1, 2], [3, 3, 3]])
def test_cells_are_runs_of_words_of_one_block(blocks: list[int]) -> None:
    words = tuple(Word(f"w{i}", 10 * i, 0, 10 * i + 8, 10, b, 0) for i, b in enumerate(blocks))
    pt = PageText("", (), (), words)
    row = list(range(len(words)))
    slow: list[list[int]] = []
    for i in row:
        if slow and words[slow[-1][-1]].block == words[i].block:
            slow[-1].append(i)
        else:
            slow.append([i])
    assert _cells(pt, row) == slow
    assert _cells(pt, row[::-1]) == [c[::-1] for c in slow[::-1]]


LOWER_PAGES = [
    "mum rang 5.15\nkay up at 7\nbreakfast ok\nschool run\nhome 3.30\ntea at 5\nbed 8",
    "Mum rang.\nKay up at 7.\nBreakfast ok.\nSchool run.\nHome 3.30.\nTea at 5.\nBed 8.",
    "mum rang\nkay up",
    "- mum rang\n* kay up\n1. breakfast\n(school)\n'home'\ntea\nBed",
]


def test_the_remembered_lower_case_answer_is_that_of_the_page_asked_about() -> None:
    answers = [names_mod._lower_case_lines(t) for t in LOWER_PAGES]
    assert answers[0] and not answers[1] and not answers[2]
    for _ in range(2):
        for text, answer in zip(LOWER_PAGES, answers):
            assert names_mod.lower_case_page(text) == answer == names_mod.lower_case_page(text)
            same_words = "".join(list(text))  # an equal page, another string: asked anew
            assert names_mod.lower_case_page(same_words) == answer


CODE_TEXTS = [
    "A1 AGGRIEVED / HALLORAN, Donna. O1: susp seen; Suspect left. SUSPECTS /A1 xA1 A1/ A12 a1 (O2) V1-V2",
    "perpetrator Perpetrators perp IP, IPs, ip, S1S2 S1 \u00e9A1 A1\u00e9 _A1 1A1 Victim's VICTIM",
    "#1 x#1 #12 Susp: Susp/ (susp)",
    "no code here at all",
]


ROLE_CODES = [
    "A1",
    "A2",
    "O1",
    "O2",
    "V1",
    "S1",
    "IP",
    "Susp",
    "susp",
    "SUSPECT",
    "Victim",
    "VICTIM",
    "perp",
    "Perpetrator",
]


def test_the_shipped_role_codes_open_with_their_first_letters() -> None:
    rx = load_sensitive(RULES).role_codes
    assert rx is not None and rx.pattern.startswith("[") and rx.search("O1: Donna")


@pytest.mark.parametrize("codes", [ROLE_CODES, ["A1", "#1", "IP"], ["susp", "Susp"]])
def test_role_codes_from_their_first_letters_find_what_the_lookbehind_first_finds(codes: list[str]) -> None:
    alts = "|".join(re.escape(c) for c in sorted(codes, key=len, reverse=True))
    slow = re.compile(rf"(?<![\w/])(?:{alts})(?![\w/])")
    fast = re.compile(code_pattern(codes))
    assert fast.pattern.startswith("[") or "#1" in codes  # (a code opening with no letter: the long way)
    hits = 0
    for text in CODE_TEXTS:
        found = [m.span() for m in fast.finditer(text)]
        assert found == [m.span() for m in slow.finditer(text)]
        hits += len(found)
    assert hits >= 3


PRONOUN_TEXTS = [
    "She said he would. They'd gone; hers was the flat. Shea and he-man are not pronouns. HE WAS THERE.",
    "her hers herself.his him. themselves,you yourself your O'Her x-she she\u2019s she's shed he'll hes",
    "\u017fhe \u212aim THEY\u2019RE them-selves _she 2he she2 \u00e9she she\u00e9",
    "no pronoun at all here",
]


def test_pronouns_from_their_first_letters_find_what_the_lookbehind_first_finds() -> None:
    pronouns = load_sensitive(RULES).pronouns
    att = Attributor(MANIFEST, ["and"], ["who"], pronouns)
    words = [w.lower() for ws in pronouns.values() for w in ws]
    slow_start = re.compile(rf"(?<![\w'\u2019\-])(?:{alternation(words)})", re.IGNORECASE)
    slow = re.compile(
        rf"(?<![\w'\u2019\-])(?:{alternation(words)})(?:(?=['\u2019](?:s|d|ll|re|ve)\b)|(?![\w'\u2019\-]))",
        re.IGNORECASE,
    )
    assert att._pron_start.pattern.startswith("[") and att._pron_re.pattern.startswith("(?:[")
    hits = 0
    for text in PRONOUN_TEXTS:
        for start in range(0, len(text), 7):
            for fast_rx, slow_rx in ((att._pron_start, slow_start), (att._pron_re, slow)):
                fast = [(m.span(), m.group(0)) for m in fast_rx.finditer(text, start)]
                assert fast == [(m.span(), m.group(0)) for m in slow_rx.finditer(text, start)], (text, start)
                hits += len(fast)
    assert hits > 40


LETTER_FIRST_TEXTS = [
    "AB12 CDE AB12CDE xAB12 CDE /AB12 CDE -AB12 CDE AB12 CDEF ab12 cde (AB12 CDE) \u00c9AB12 CDE",
    "kay up at seven; mum's o'neil x@bob a.bob -bob /bob kay-lee k-ay ab ab-cd \u00e9bob bob\u00e9 _bob 9bob",
    "NO MATCH 12 34",
]


@pytest.mark.parametrize(
    "fast, slow",
    [
        (_CURRENT_VRM, r"(?<![\w/\-])[A-Z]{2}\d{2}[ \t]?[A-Z]{3}(?![\w/\-])"),
        (_LOW_WORDS, r"(?<![\w'@.\-/])[a-z]{3,}(?:-[a-z]+)?"),
    ],
)
def test_letter_first_patterns_find_what_the_lookbehind_first_finds(fast: re.Pattern[str], slow: str) -> None:
    assert fast.pattern.startswith("[")
    hits = 0
    for text in LETTER_FIRST_TEXTS:
        for start in range(len(text)):
            found = [m.span() for m in fast.finditer(text, start)]
            assert found == [m.span() for m in re.compile(slow).finditer(text, start)], (text, start)
            hits += len(found)
    assert hits > 20


INFORMAL_TEXTS = [
    "his stepdaughter (Kayla) and her half-brother (Sam Lee) came; STEPDAUGHTER (Amy) xstepdaughter (Bo) _son (Al)",
    "Known as Kenny to everyone, calls himself \u201cBig Dave\u201d, KNOWN AS Jo; knownas Bo, she's known as  Lil",
    "Nothing to find here (at all).",
]


def test_informal_cues_from_their_first_letters_find_what_the_lookbehind_first_finds() -> None:
    inf = next(r for r in Detector(MANIFEST, RULES).recognisers if isinstance(r, InformalNames))
    w = inf.w
    cap, q = informal_mod._CAP, informal_mod._Q
    slow_bracket = re.compile(
        rf"(?<![\w]){alternation(list(w.bracket_nouns))}[ \t]*\([ \t]*(?P<n>{cap}(?:[ \t]+{cap})?)[ \t]*\)",
        re.IGNORECASE,
    )
    slow_intro = re.compile(
        rf"(?<![\w]){alternation(list(w.introducers))}[ \t]+{q}(?P<n>{cap}(?:[ \t]+{cap})?)(?![\w])", re.IGNORECASE
    )
    assert inf._bracket_re.pattern.startswith("(?:[") and inf._intro_re.pattern.startswith("(?:[")
    hits = 0
    for text in INFORMAL_TEXTS:
        for start in range(len(text)):
            for fast, slow in ((inf._bracket_re, slow_bracket), (inf._intro_re, slow_intro)):
                found = [(m.span(), m.span("n")) for m in fast.finditer(text, start)]
                assert found == [(m.span(), m.span("n")) for m in slow.finditer(text, start)], (text, start)
                hits += len(found)
    assert hits > 10


# the patterns of identifiers.yaml as first written, each opening with its lookbehind
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
LOOKBEHIND_FIRST_IDENTIFIERS = {
    "id.phone": r"(?<![\w+/.])(?:\+44[ \t]?(?:\(0\)[ \t]?)?|0)(?:[\s\-]?\)?[\s\-]?\d){9,10}(?![\w/])",
    "id.email": r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w@])",
    "id.handle": r"(?<![\w.@/])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])",
    "id.postcode": r"(?<![\w-])(?:[A-Z][A-Za-z]?[0-9][A-Z0-9]?|GIR)(?:[ \t]|\n{1,2})?[0-9][ABD-HJLNP-UW-Z]{2}(?![\w-])",
    "id.nino": r"(?<![\w])[A-Z]{2}[ \t]?\d{2}[ \t]?\d{2}[ \t]?\d{2}[ \t]?[A-D](?![\w])",
    "id.nhs": r"(?<![\w/.])\d{3}[ \t-]?\d{3}[ \t-]?\d{4}(?![\w/])",
    "date": r"(?<![\w/.])(?:\d{1,2}[/.-]\d{1,2}[/.-](?:(?:19|20)\d{2}|\d{2})|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?[ \t]+{_MONTHS}"
    r"\.?,?[ \t]+(?:19|20)\d{2})(?![\w/])",
}
IDENTIFIER_TEXTS = [
    "07700 900123 x07700900123 +44 (0) 7700 900 123 /07700900123 .07700900123 +447700900123 0+44 7700 900123",
    "(0121) 496-0000, tel:01214960000; 0 1 2 1 4 9 6 0 0 0 0 01214 960000 ext 12 0800-123-4567 9 07700 90012",
    "jo.bloggs@mail.example.co.uk, x.jo@a.com _jo@b.org %jo@c.net -jo@d.com +jo@e.com .jo@f.com a@b.c @handle_1",
    "@jo.b x@jo /@jo @@jo @jo. @_ @a.b.c (@Tiny) @" + "x" * 31 + " @jo@ Email:ANN@MAIL.COM",
    "EK1 2AB, ek1 2ab, Qx9 2DW, GIR 0AA, xGIR 0AA, -EK1 2AB, EK12AB, EK1\n2AB, EK1\n\n2AB, EK1\n\n\n2AB A9 9ZZ9",
    "SW1A 1AA M1 1AE B33 8TH CR2 6XH DN55 1PT W1A 0AX EC1A 1BB GIR0AA EK1 2CI 1EK1 2AB",
    "AB 12 34 56 C, AB123456C, xAB123456C, ab123456c, QQ 12 34 56 D; AB 12 34 56 E, 9AB123456C, AB123456CD",
    "943 476 5919 943-476-5919 9434765919 x9434765919 /943 476 5919 .9434765919 9434765919/ 94347659190",
    "05/07/2003 5.7.2003 5-7-2003 x05/07/2003 /05/07/2003 .05/07/2003 105/07/2003 05/07/20034 1/2/1999",
    "03.03.85 3/3/85 x03.03.85 03.03.851 1.2.34 /3/3/85 .03/03/85 03/03/85/ 12-1-07 1.1.1 03.03.198",
    "5th July 2003, 21st Sept. 1999, 3 May, 2010 02nd Dec 2001 2 June 1899 31 Feb 2000 x1 Jan 2000 12 Jan  2000",
    "",
]


@pytest.mark.parametrize("key", sorted(LOOKBEHIND_FIRST_IDENTIFIERS))
def test_identifier_patterns_find_what_their_lookbehind_first_forms_find(key: str) -> None:
    fast = load_lexicon(RULES).patterns[key]
    slow = re.compile(LOOKBEHIND_FIRST_IDENTIFIERS[key])
    assert fast.pattern != slow.pattern and not fast.pattern.startswith("(?<")
    hits = 0
    for text in IDENTIFIER_TEXTS:
        for start in range(len(text) + 1):
            for end in (len(text), start + 12):
                found = [(m.span(), m.groups()) for m in fast.finditer(text, start, end)]
                assert found == [(m.span(), m.groups()) for m in slow.finditer(text, start, end)], (text, start, end)
                hits += len(found) if end == len(text) else 0
    assert hits >= 10


def _same_matches(pairs: list[tuple[re.Pattern[str], re.Pattern[str]]], texts: list[str]) -> int:
    """Each fast pattern finds what its slow form finds, from every start; the number of matches from the start."""
    hits = 0
    for fast, slow in pairs:
        assert not fast.pattern.startswith(("(?<", r"\b")), fast.pattern[:40]
        for text in texts:
            for start in range(len(text) + 1):
                found = [(m.span(), m.groups()) for m in fast.finditer(text, start)]
                assert found == [(m.span(), m.groups()) for m in slow.finditer(text, start)], (fast.pattern, start)
                hits += len(found) if start == 0 else 0
    return hits


UNREGISTERED_TEXTS = [
    "Stacey Patel met Ruby-Mae O'Neill and Will McDonald-Smith; x-Amy Lee, @Bo Hart, .Ann Cole, 'Tia Jones.",
    "DUNMORE, Michelle; MCKAY, Jo; MACLEOD, Ann; O'BRIEN, Tom; O\u2019NEIL, Sue; MC, Al; OX, Bo; SMITH-JONES, Kay",
    "MICHELLE DUNMORE and JO MCKAY; xJO SMITH; -ANN O'BRIEN; A B; AB CD-EF; Kim Lee\nSmith  Amy\n Lee Rose",
    "Sam Lee-Ward Jo Ann-Marie Hart Ali Khan's Eve Fox-x Bo Li@x Mo Ng-Lo",
]


def test_unregistered_name_patterns_find_what_their_lookbehind_first_forms_find() -> None:
    from sarkit.detect.recognisers import unregistered as un

    rec = next(r for r in Detector(MANIFEST, RULES).recognisers if isinstance(r, un.UnregisteredNames))
    before = r"(?<![\w'@.\-])"
    slow_pair = rf"{before}(?=(?P<given>{un._GIVEN})(?:{un._S1})(?P<sur>{un._SUR})(?![\w@]|-\w))"
    slow_caps = rf"{before}(?P<sur>{un._SUR_CAPS}),[ \t]+(?P<given>{un._GIVEN})(?![\w@])"
    slow_upper = rf"{before}(?P<given>[A-Z]{{2,}})[ \t]+(?P<sur>{un._SUR_CAPS})(?![\w@])"
    pairs = [(rec._caps_re, re.compile(slow_caps)), (rec._upper_pair_re, re.compile(slow_upper))]
    assert _same_matches(pairs, UNREGISTERED_TEXTS) >= 8
    # a given name and surname: the fast pattern takes the given name, the slow one only looks ahead
    hits = 0
    for text in UNREGISTERED_TEXTS:
        for start in range(len(text) + 1):
            found = [(m.start(), m.group("given"), m.span("sur")) for m in rec._pair_re.finditer(text, start)]
            slow = re.compile(slow_pair).finditer(text, start)
            assert found == [(m.start(), m.group("given"), m.span("sur")) for m in slow], (text, start)
            hits += len(found) if start == 0 else 0
    assert hits >= 10


LOCALITY_TEXTS = [
    "the Lowfield estate, The Grange flats, xthe Moor estate, _the Oak flats; the lowfield estate, THE Moor estate",
    "Flat 9, Clegg House; FLAT 2 Long Court; xFlat 9 Clegg House; /Flat 9 Clegg House; .Apt 3 Oak House; Apt 3 Oak",
    "back at oakmere; to kacey's at oakmere, in thornley; x-at oakmere; 'at oakmere; at Oakmere; nr lowfield",
    "the lowfield precinct, xthe hyde hostel, The moor-end refuge; the Hyde Retail Park, THE Oak Hospital",
    "The Kellys; the Kowalski twins; xthe Kellys; THE Smiths; the Joneses came; the  Browns' house",
    "VRM AB12 CDE; vehicle reg: A123 BCD; xVRM A123 BCD; registration number ABC 123D; Reg. no. AB12CDE",
    "she was shouting and threatened him; shouted, xshouted; Threatened; asked-for; sworeat swore",
]


def test_locality_family_vehicle_and_act_patterns_find_what_their_lookbehind_first_forms_find() -> None:
    from sarkit.detect.recognisers.localities import _CAP, Localities
    from sarkit.detect.recognisers.nicknames import OrdinaryWordNames
    from sarkit.detect.recognisers.references import _OLD_VRM
    from sarkit.detect.words import Words

    det = Detector(MANIFEST, RULES)
    loc = next(r for r in det.recognisers if isinstance(r, Localities))
    inf = next(r for r in det.recognisers if isinstance(r, InformalNames))
    refs = next(r for r in det.recognisers if type(r).__name__ == "References")
    nick = next(r for r in det.recognisers if isinstance(r, OrdinaryWordNames))
    w, lx = det.case.shared(Words), det.case.lex
    nouns = alternation(list(w.place_nouns_after))
    units = list(lx.unit_words)
    units_all = alternation(units + [u.upper() for u in units])
    prep = word_start(list(w.place_before), r"\w", ignore_case=False)
    vc = list(w.vehicle_cues)
    slow = {
        "estate": rf"(?<![\w])[Tt]he[ \t]+(?P<place>{_CAP}(?:[ \t]+{_CAP}){{0,2}}[ \t]+{nouns})(?![\w])",
        "low_estate": rf"(?<![\w])[Tt]he[ \t]+(?P<place>[a-z][a-z\-]{{3,}})[ \t]+{nouns}(?![\w])",
        "flat": rf"(?<![\w/.])(?:{units_all})[ \t]+\d{{1,4}}[A-Za-z]?,?[ \t]+{_CAP}(?:[ \t]+{_CAP}){{0,2}}[ \t]+"
        rf"{alternation(list(w.building_words))}(?![\w])",
        "low_loc": rf"(?<![\w'\-])(?:{prep})[ \t]+(?P<place>[a-z][a-z'\-]{{3,}}[a-z])(?![\w\-@]|\.\w)",
        "family": rf"(?<![\w])[Tt]he[ \t]+(?:(?P<pl>{informal_mod._CAP})(?:s|es)(?![\w'])|(?P<n>{informal_mod._CAP})"
        rf"[ \t]+{alternation(list(w.family_nouns))}(?![\w]))",
        "vrm": rf"(?<![\w])(?:{alternation(vc + [c.upper() for c in vc])})\.?[ \t]*(?:no\.?|NO\.?)?[ \t]*[:.]?[ \t]*"
        rf"{_OLD_VRM}(?![\w])",
        "acts": rf"\b{alternation(sorted(w.person_acts))}\b",
    }
    fast = {
        "estate": loc._estate_re,
        "low_estate": loc._low_estate_re,
        "flat": loc._flat_re,
        "low_loc": loc._low_loc_re,
        "family": inf._family_re,
        "vrm": refs._vrm_re,
        "acts": nick._acts_rx,
    }
    for key, rx in fast.items():
        assert _same_matches([(rx, re.compile(slow[key]))], LOCALITY_TEXTS) >= 2, key


ADDRESS_TEXTS = [
    "Flat 9, 12 Elm Road; 14 FLEECE LANE; FLAT 9, CLEGG HOUSE ROAD; x14 Elm Road; /14 Elm Road; .14 Elm Road; Flat",
    "Apartment 3B Oak\nGrove Lane, 22-24 High Street; APT 3 4 MILL ROAD; Unit 7 Park Way; xFlat 2 Oak Road; 9Flat 2",
    "4 O'NEILL CLOSE; 12a Station Road; 12345 Long Road; ROOM 1, 2 WEST-END ROAD; Maisonette 1, Kay Street, EK1",
    "MILL LANE; 3 The Old Forge Road; 1,\nElm\tRoad; \u0663 ELM ROAD; FLAT 9 \u0663 ELM ROAD; Flat 9 ,Elm Road",
    "Fx Elm Road; Ma, Kay Street; 9ELM ROAD; A ELM ROAD; U2 MILL LANE; R, 4 Elm Road",
]
TOWN_TEXTS = [
    "She now lives in Marlow; moved to Leeds. He lives with his aunt in Hexley. xlives in Thornley, settled in Ayr.",
    "Living in Bath, Lived in York; staying in Moor End\nLane; stays with Nan over in Ryde; relocated to St Ives",
    "He lived, for a time, in Crewe. unsettled in Diss; moves in; resides in North Walsham Town Centre and more",
    "She loved it in Leeds; he lettled in Ayr; she sived in Ryde; mives in Hull",
]


def test_address_and_town_patterns_find_what_their_lookbehind_first_forms_find() -> None:
    from sarkit.detect.lexicon import BLOCK_SPACE, CAP_WORD
    from sarkit.detect.recognisers.contacts import Contacts
    from sarkit.detect.recognisers.localities import _CAPS, Localities
    from sarkit.detect.recognisers.places import Places
    from sarkit.detect.words import Words

    det = Detector(MANIFEST, RULES)
    w, lx = det.case.shared(Words), det.case.lex
    contacts = next(r for r in det.recognisers if isinstance(r, Contacts))
    loc = next(r for r in det.recognisers if isinstance(r, Localities))
    places = next(r for r in det.recognisers if isinstance(r, Places))
    units = list(lx.unit_words)
    num = r"\d{1,4}[A-Za-z]?(?:-\d{1,4})?"
    s = BLOCK_SPACE
    street = rf"{CAP_WORD}(?:{s}{CAP_WORD}){{0,3}}?{s}{alternation(list(lx.street_suffixes))}"
    slow_addr = re.compile(
        rf"(?<![\w/.])(?:{alternation(units)}{s}{num}[A-Za-z]?,?{s}(?:{num},?{s})?|{num},?{s}){street}(?![\w])"
    )
    caps_sufs = alternation([x.upper() for x in list(lx.street_suffixes) + list(w.building_words)])
    n = r"\d{1,4}[A-Za-z]?"
    slow_caps = re.compile(
        rf"(?<![\w/.])(?:(?:{alternation(units + [u.upper() for u in units])})[ \t]+{n},?[ \t]+)?(?:{n},?[ \t]+)?"
        rf"{_CAPS}(?:[ \t]+{_CAPS}){{0,2}}[ \t]+{caps_sufs}(?![\w])"
    )
    first_form = r"\b(?:lives|living|lived|moved|settled|stays|staying)\b[^.\n]{0,40}?\bin"
    slow_town = re.compile(
        rf"(?:(?<![\w]){alternation(list(lx.residence_cues))}|{first_form}){s}"
        rf"(?P<place>{CAP_WORD}(?:{s}{CAP_WORD}){{0,2}})(?![\w])"
    )
    assert _same_matches([(contacts._addr_re, slow_addr), (loc._caps_addr_re, slow_caps)], ADDRESS_TEXTS) >= 12
    assert _same_matches([(places._town_re, slow_town)], TOWN_TEXTS) >= 8


SAME_NAME_PARTS = [
    ["dessie", "kay", "o'neill", "mo-mo", "amira", "ami"],
    ["kelvin", "liam", "stacey", "sam"],
    ["\u00e9lodie", "kay"],  # a name opening with no ASCII letter: the long way
]
SAME_NAME_TEXTS = [
    "Dessie, dessie's, DESSIE\u2019S and Dessies; xDessie, @kay, .Kay, -Kay, 'Kay, Kay-Lee, Kay-x, Kayx, Kay@x",
    "O'Neill's O'NEILL o'neill; Mo-Mo; AMIRA AMI amira's ami Amis;",
    "\u212aelvin \u017ftacey \u0130iam Liam Sam SAMs Sam\u2019",
    "\u00c9lodie \u00e9lodie's Kay; nothing at all here",
]


@pytest.mark.parametrize("parts", SAME_NAME_PARTS)
def test_names_found_again_from_their_first_letters_are_found_where_the_lookbehind_first_finds(
    parts: list[str],
) -> None:
    from sarkit.detect.recognisers import unregistered as un

    alts = "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True))
    slow_later = re.compile(rf"(?<![\w'@.\-])(?P<w>{alts})(?:['\u2019]?s)?(?![\w@]|-\w)", re.IGNORECASE)
    slow_bare = re.compile(rf"(?<![\w'@.\-])(?P<w>{alts})(?:['\u2019]s)?(?![\w@]|-\w)", re.IGNORECASE)
    fast_later, fast_bare = informal_mod.same_name_re(parts), un.same_name_re(parts)
    assert fast_later.pattern.startswith("(?P<w>[") == parts[0].isascii()
    hits = 0
    for fast, slow in ((fast_later, slow_later), (fast_bare, slow_bare)):
        for text in SAME_NAME_TEXTS:
            for start in range(len(text) + 1):
                found = [(m.span(), m.groups()) for m in fast.finditer(text, start)]
                assert found == [(m.span(), m.groups()) for m in slow.finditer(text, start)], (text, start)
                hits += len(found) if start == 0 else 0
    assert hits >= 6


CUE_PAGES = [
    ["A man called Ricky came. Known as Big Steve; KNOWN AS Jo. Her baby (Freya) slept.", "Nanny Jan and Big Dave."],
    ["Everyone calls him Deano. \u212anown as Kev. Goe\u017f by Sparky; a.k.a. Smudge; they call her Tink."],
    ["Auntie Bev rang. Little Kayla was there with Grandad Jim.", "No cue at all on this line."],
    ["Nothing to see here."],
    ["Her mate goe\u017f by Sparky."],  # (a long s: the cue matches, its lower case is not the word tested)
]


@pytest.mark.parametrize("lines", CUE_PAGES)
def test_informal_cue_pages_searched_without_the_word_test_give_what_the_test_gives(lines: list[str]) -> None:
    pt = make_page(lines)
    inf = next(r for r in Detector(MANIFEST, RULES).recognisers if isinstance(r, InformalNames))
    assert inf._intro_ascii and inf._prefix_words
    fast = inf.detect("d", 0, pt, context_mod.PageContext.build(pt), [])
    slow_inf = next(r for r in Detector(MANIFEST, RULES).recognisers if isinstance(r, InformalNames))
    slow_inf._intro_ascii = slow_inf._prefix_words = False  # each page tested for the cue words first
    assert slow_inf.detect("d", 0, pt, context_mod.PageContext.build(pt), []) == fast
    assert fast or lines in CUE_PAGES[-2:]  # (the long s: found neither way, as the word test says)


PLACE_TEXTS = [
    "Kayla attends Oakfield Primary School. St Anne's Children's Home; the Bank of England Club and Ash Farm.",
    "Moor End Community\nCentre, Hexley and District Hospital. Mum went to Asda; Ravensmoor High School of Arts.",
    "Ash Lane; Station Road and Church\tLane; ELM STREET, Elm-Tree Grove; O'Neill Way. Grove Road St Mary's Walk",
    "Tom Lee Avenue Park. Long Street Primary School; The Old Forge Road. Dr. Abbot Surgery;Lowfield Estate Lane",
]


def test_place_and_street_names_after_their_first_word_find_what_the_patterns_without_the_lookahead_find() -> None:
    from sarkit.detect.lexicon import BLOCK_SPACE, CAP_WORD
    from sarkit.detect.recognisers.localities import _CAP, _STREETS, Localities
    from sarkit.detect.recognisers.places import _CONN, Places

    det = Detector(MANIFEST, RULES)
    places = next(r for r in det.recognisers if isinstance(r, Places))
    loc = next(r for r in det.recognisers if isinstance(r, Localities))
    s, psuf = BLOCK_SPACE, alternation(list(det.case.lex.place_suffixes))
    slow_place = re.compile(
        rf"(?<![\w'\-])[A-Z][A-Za-z'\-]*\.?(?:{s}(?:{_CONN}{s})*{CAP_WORD}){{0,6}}{s}{psuf}"
        rf"(?:{s}of{s}{CAP_WORD}(?:{s}{CAP_WORD}){{0,3}})?(?![\w])"
    )
    streets = alternation(_STREETS + [x.upper() for x in _STREETS])
    slow_street = re.compile(
        rf"(?P<st>(?<![\w'\-])[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?:[ \t]+{_CAP}){{0,2}}[ \t]+{streets})(?![\w])"
    )
    assert "(?=" in places._place_re.pattern and "(?=[ \\t]+[A-Z])" in loc._street_re.pattern
    assert _same_matches([(places._place_re, slow_place), (loc._street_re, slow_street)], PLACE_TEXTS) >= 12


@pytest.mark.parametrize(
    ("pattern", "flags", "char"),
    [
        (r"[\w.]+@[\w.]+", 0, "@"),
        (r"(?:[\w.]+)(?P<at>@)x", re.IGNORECASE, "@"),
        (r"a|@", 0, None),  # in one branch only
        (r"(?:@x)?y", 0, None),  # optional
        (r"(?=@)\w+", 0, None),  # a lookahead is not read
        (r"[@#]x", 0, None),  # a class of two, not a literal
        (r"[@]x", 0, "@"),  # (a class of one is a literal)
        (r"abc", 0, None),  # letters: `required_word`
        (r"\(\d+\)", 0, "("),
    ],
)
def test_required_char(pattern: str, flags: int, char: str | None) -> None:
    assert required_char(re.compile(pattern, flags)) == char


def test_a_page_without_the_character_every_address_holds_is_not_searched_for_addresses() -> None:
    from sarkit.detect.recognisers.contacts import Contacts

    contacts = next(r for r in Detector(MANIFEST, RULES).recognisers if isinstance(r, Contacts))
    assert contacts._email_char == "@"
    for lines in (["Email jo.bloggs@mail.example.co.uk or ring 07700 900123."], ["No address here, jo dot bloggs."]):
        pt = make_page(lines)
        ctx = context_mod.PageContext.build(pt)
        fast = contacts.detect("d", 0, pt, ctx, [])
        contacts._email_char = None  # every page searched
        assert contacts.detect("d", 0, pt, ctx, []) == fast
        contacts._email_char = "@"
        assert any(m.detector == "id.email" for m in fast) == ("@" in lines[0])


def test_the_first_letters_of_lines_are_those_each_match_gives() -> None:
    for text in [*LOWER_PAGES, *TRICKY, "\n\n- 1a\n  \u00e9cole\n_x\n9\n'quoted'", ""]:
        assert names_mod._LINE_START.findall(text) == [m.group(1) for m in names_mod._LINE_START.finditer(text)]
    assert names_mod._LINE_START.findall("- mum rang\n* kay up\n1. bed") == ["m", "k"]
