"""What is said about other people in plain words (issue 14), table-driven per mechanism:

- the light clause analysis (subject, verb class, reported speech);
- statements with no cue word about a third party (proposed for review), and their negatives;
- attribution: pronoun chains, reported speech, the subject preferred, a caller's report;
- spans that cover the statement: line breaks, lists, continuation sentences, never half a clause;
- the shorthand of police forms.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from sarkit.decide import decide, load_rules
from sarkit.detect import Detector
from sarkit.detect.clauses import read_clause
from sarkit.detect.sensitive_lexicon import load_sensitive

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_attribution import MANIFEST, RULES, make_page  # noqa: E402

# jane: the subject (she); sharon: Mum, known (she); mark: Dad, not known (he); tom: brother, known (he);
# karen: social worker (she); gp: Dr Shah (he)


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector(MANIFEST, RULES)


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return load_rules("uk-dpa2018", RULES)


def statements(det: Detector, text: str) -> list[tuple[str | None, str, str]]:
    """(person, qualifier, text) of each sensitive mention; lines split on '|'."""
    pt = make_page(text.split("|"))
    return [
        (m.person or m.unregistered, m.qualifier, " ".join(m.text.split()))
        for m in det.detect_page("d", 0, pt)
        if m.kind == "sensitive"
    ]


def about(det: Detector, text: str, who: str | None) -> str:
    """All the sensitive text proposed about one person, joined."""
    return " / ".join(t for p, _, t in statements(det, text) if p == who)


# ------------------------------------------------------------------ the clause analysis

WORDS = load_sensitive(RULES).words

READINGS = [
    # (clause, person spans as words, subject word or None, verb class)
    ("She told me", ["She"], "She", "speech"),
    ("Mum attended the review", ["Mum"], "Mum", "routine"),
    ("Mum was seen by the crisis team", ["Mum"], "Mum", "other"),  # passive: done to her
    ("Mum would be called back in the morning", ["Mum"], "Mum", "routine"),  # passive of a call: a call
    ("Dad was texted the new time", ["Dad"], "Dad", "routine"),
    ("Mum was taken to hospital", ["Mum"], "Mum", "other"),  # passive of another routine verb: done to her
    ("and held her by the throat", ["her"], None, "other"),  # opens with its verb: subject carried over
    ("In January she was sick", ["she"], "she", "other"),  # an adverbial before the subject
    ("her breathing has been worse", ["her"], "her", "other"),  # possessive: the possessor's state
    ("her mum has been admitted to hospital", ["her", "mum"], "mum", "other"),  # the relative is the subject
    ("she believed people were watching the house", ["she"], "she", "cognition"),
    ("the flat was cold", [], "the", "other"),  # a subject that is no person
    ("going yellow", [], None, "other"),  # a participle continues the subject before
]


@pytest.mark.parametrize(("clause", "people", "subject", "verb_class"), READINGS)
def test_read_clause(clause: str, people: list[str], subject: str | None, verb_class: str) -> None:
    assert WORDS is not None
    spans = []
    for w in people:
        m = re.search(rf"\b{re.escape(w)}\b", clause)
        assert m
        spans.append(m.span())
    rd = read_clause(clause, 0, len(clause), sorted(spans), WORDS)
    got = clause[rd.subject[0] : rd.subject[1]] if rd.subject else None
    assert (got, rd.verb_class) == (subject, verb_class)


def test_speech_content_starts_after_the_listener() -> None:
    assert WORDS is not None
    clause = "Mum told officers that he punched her"
    rd = read_clause(clause, 0, len(clause), [(0, 3), (24, 26), (35, 38)], WORDS)
    assert rd.verb_class == "speech" and rd.content is not None and clause[rd.content :].startswith("he punched")


# ------------------------------------------------------------------ statements with no cue word

PLAIN = [
    # (text, the person, a phrase that must be proposed about them)
    ("Mum thought the neighbours were listening through the wall.", "sharon", "neighbours were listening"),
    ("Dad has been around again most weekends.", "mark", "around again"),
    ("Mum answered the door. She had not slept for four nights.", "sharon", "had not slept for four nights"),
    ("Dad, Jane's father, was nowhere to be seen and could not be woken.", "mark", "could not be woken"),
    ("Tom's breathing has been worse since Christmas.", "tom", "breathing has been worse since Christmas"),
    ("Karen said Mum has been very low and stays in bed most days.", "sharon", "stays in bed most days"),
]


@pytest.mark.parametrize(("text", "who", "phrase"), PLAIN)
def test_statement_with_no_cue_word_about_a_third_party(det: Detector, text: str, who: str, phrase: str) -> None:
    assert phrase in about(det, text, who), statements(det, text)


def test_no_cue_statements_are_for_review_one_decision_per_person(det: Detector, rules) -> None:  # type: ignore[no-untyped-def]
    pt = make_page(["Dad has been sleeping in his car for a month."])
    props = [p for p in decide(det.detect_page("d", 0, pt), MANIFEST, rules) if p.mention.kind == "sensitive"]
    assert [(p.mention.person, p.mention.qualifier, p.action) for p in props] == [("mark", "circumstances", "review")]


PLAIN_NEGATIVE = [
    "Jane has been feeling low and stays in her room.",  # the subject's own story
    "Karen visited the home and spoke to Jane.",  # a professional's routine action
    "Dr Shah examined the baby and was pleased with her.",  # a professional
    "Mum attended the review and signed the plan.",  # an everyday action of a parent
    "Mum rang at five to ask about contact.",  # a call is no private matter
    "Jane said she was happy with the placement.",  # the subject's own words about herself
]


@pytest.mark.parametrize("text", PLAIN_NEGATIVE)
def test_no_statement_for_routine_actions_or_the_subjects_own_story(det: Detector, text: str) -> None:
    assert [s for s in statements(det, text) if s[1] == "circumstances"] == []


def test_a_kept_name_stays_visible(det: Detector, rules) -> None:  # type: ignore[no-untyped-def]
    """A statement about the known mother is proposed, her name (kept) is not inside it."""
    pt = make_page(["Sharon Doyle has been sleeping on a friend's sofa since the summer."])
    ms = det.detect_page("d", 0, pt)
    sens = [m for m in ms if m.kind == "sensitive"]
    assert sens and sens[0].person == "sharon" and "Sharon" not in sens[0].text
    names = [p for p in decide(ms, MANIFEST, rules) if p.mention.kind == "name" and p.mention.person == "sharon"]
    assert names and all(p.action == "keep" for p in names)


def test_no_cue_statement_holding_another_name_is_left_to_the_reviewer(det: Detector) -> None:
    """A statement that names someone else is a story of both: the rule with no cue word stays out of it."""
    assert [s for s in statements(det, "Mum has been going round to Tom's most nights.") if s[0] == "sharon"] == []


# ------------------------------------------------------------------ attribution

ATTRIBUTION = [
    # (text, the person, a phrase proposed about them, a person who must have nothing)
    # a pronoun chain across sentences: "She" -> Mum, then "she" -> the "She" before it
    ("Mum was a different story. She kept the curtains shut. Later she cut her arms.", "sharon", "cut her", "jane"),
    # reported speech: "Mum told officers that he ..." is about him, not about Mum
    ("Dad came round in drink. Mum told officers that he punched her in the face.", "mark", "punched", "sharon"),
    # the main clause's subject, not a person in a subordinate clause
    ("Mum said she had not slept and that when Jane sleeps she watches the door.", "sharon", "watches", "jane"),
    # a caller's report about the subject is not the caller's
    ("Mum rang, upset. She said Jane had been drinking at the park.", None, "", "sharon"),
    # the subject's own behaviour is not given to the person named in the sentence before
    ("Jane went to see Mum. She was drunk when she came home and was sick.", None, "", "sharon"),
    # "her mum": the relative is the subject, not the possessor
    ("Jane mentioned that her mum has been admitted to hospital under section 2.", "sharon", "section 2", "jane"),
    # the speaker's own state: content with no person of its own
    ("Mum kept asking me whether I could hear the voices too.", "sharon", "hear the voices", None),
]


@pytest.mark.parametrize(("text", "who", "phrase", "not_who"), ATTRIBUTION)
def test_attribution(det: Detector, text: str, who: str | None, phrase: str, not_who: str | None) -> None:
    found = statements(det, text)
    if who is not None:
        assert phrase in about(det, text, who), found
    if not_who == "jane":  # the subject's own: at most her own health, kept by the rule set
        assert all(q in ("health", "substance") for p, q, _ in found if p == "jane"), found
    elif not_who is not None:
        assert not [f for f in found if f[0] == not_who], found


def test_an_unknown_he_is_someone_unknown_not_the_subject(det: Detector, rules) -> None:  # type: ignore[no-untyped-def]
    """The subject is a "she": an unresolved "he" is someone the register does not hold (for review)."""
    pt = make_page(["A man was hanging round the school gate. Karen says he is known to police."])
    props = [p for p in decide(det.detect_page("d", 0, pt), MANIFEST, rules) if p.mention.kind == "sensitive"]
    assert props and all(p.mention.person != "jane" and p.action in ("review", "redact") for p in props)


# ------------------------------------------------------------------ spans

SPANS = [
    # (text, the person, the whole statement that must be inside one proposal)
    ("Dad has a conviction for assault|in 2003 and is known to the police.", "mark", "assault in 2003"),  # line break
    ("Mum had bruises on both arms, going yellow, and a cut on her forehead.", "sharon", "going yellow"),  # list
    ("Dad drinks most evenings. Usually two bottles.", "mark", "Usually two bottles"),  # continuation sentence
    ("Mum has been on a methadone prescription since 2008.", "sharon", "since 2008"),  # a phrase, not a clause
    ("Jane was slurring and crying when Mum rang.", None, ""),  # the subject's: nothing about Mum
]


@pytest.mark.parametrize(("text", "who", "whole"), SPANS)
def test_span_covers_the_statement(det: Detector, text: str, who: str | None, whole: str) -> None:
    if who is None:
        assert not [s for s in statements(det, text) if s[0] == "sharon"]
        return
    assert any(whole in t for p, _, t in statements(det, text) if p == who), statements(det, text)


# sentences with statements about third parties; no proposed span may stop inside a clause
SPAN_SENTENCES = [
    "Dad has been drinking heavily and has debts of several thousand pounds to a man in the pub.",
    "Mum told me she stopped taking the tablets after Christmas because they made her feel sick.",
    "Dad was released from prison in October after a sentence for supplying heroin.",
    "Mum has not eaten properly for days, she is behind on the gas and owes money to a neighbour.",
    "Tom had a fit at tea time and was taken to A&E by ambulance.",
    "Mum said she is drinking most of a litre of vodka a day and that she starts before school.",
]
_CLAUSE_EDGE = re.compile(r"^\s*(?:$|[.,;:!?)\"']|(?:and|but|because|so|which|who|that|when|if)\b)", re.IGNORECASE)


@pytest.mark.parametrize("text", SPAN_SENTENCES)
def test_no_span_ends_inside_a_clause(det: Detector, text: str) -> None:
    pt = make_page([text])
    sens = [m for m in det.detect_page("d", 0, pt) if m.kind == "sensitive" and m.person != "jane"]
    assert sens
    for m in sens:
        assert _CLAUSE_EDGE.match(pt.text[m.end :]), (m.text, pt.text[m.end :])


# ------------------------------------------------------------------ police shorthand


def test_form_codes_stand_for_the_person_named_after_them(det: Detector) -> None:
    lines = [
        "A1 AGGRIEVED",
        "DOYLE, Sharon",
        "O1 OFFENDER",
        "DOE, Mark",
        "",
        "A1 IN KITCHEN, HEAVILY INTOXICATED. A1 STATES O1 PUSHED HER INTO THE DOOR FRAME.",
        "",
        "O1: CONV POSS W/I SUPPLY CLASS B 2008.",
    ]
    found = statements(det, "|".join(lines))
    assert any(p == "sharon" and "INTOXICATED" in t for p, _, t in found), found
    assert any(p == "mark" and "PUSHED HER INTO THE DOOR FRAME" in t for p, _, t in found), found
    assert any(p == "mark" and "SUPPLY CLASS B" in t for p, _, t in found), found


def test_a_code_with_no_name_is_someone_unknown(det: Detector) -> None:
    found = statements(det, "IP states susp punched her x2 to face and grabbed her by the throat.")
    assert any(p == "code: susp" and "punched" in t for p, _, t in found), found


# ------------------------------------------------------------------ open vocabularies

VOCABULARY = [
    # (text, the person, category, the term): terms that none of the hand-written cues hold
    ("Dad has fibromyalgia.", "mark", "health", "fibromyalgia"),  # ICD-10-CM condition
    ("Mum was started on pregabalin in June.", "sharon", "health", "pregabalin"),  # INN stem -gabalin
    ("Dad is waiting for a cholecystectomy.", "mark", "health", "cholecystectomy"),  # a procedure
    ("Mum has chronic obstructive\npulmonary disease.", "sharon", "health", "pulmonary"),  # across a line break
    ("Tom's sister-in-law says Mum lives in extreme poverty.", "sharon", "finance", "extreme poverty"),
]


@pytest.mark.parametrize(("text", "who", "category", "term"), VOCABULARY)
def test_open_vocabulary_terms(det: Detector, text: str, who: str, category: str, term: str) -> None:
    found = statements(det, text.replace("\n", "|"))
    assert any(p == who and q == category and term in t for p, q, t in found), found


def test_open_vocabulary_for_the_subject_is_her_own_health(det: Detector, rules) -> None:  # type: ignore[no-untyped-def]
    pt = make_page(["Jane has fibromyalgia and takes pregabalin."])
    props = [p for p in decide(det.detect_page("d", 0, pt), MANIFEST, rules) if p.mention.kind == "sensitive"]
    assert props and all(p.mention.person == "jane" and p.action == "keep" for p in props)


def test_vocabularies_are_shipped_with_their_licence() -> None:
    lex = load_sensitive(RULES)
    assert lex.terms and "fibromyalgia" in lex.terms
    folder = Path(RULES) / "vocabularies"
    assert (folder / "LICENSE").is_file() and (folder / "README.md").is_file()
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for f in folder.glob("*.txt"):
        assert f.name in readme  # every file says where it came from
        assert all(line == line.lower().strip() and line for line in f.read_text(encoding="utf-8").splitlines())
