"""Correspondence and notes (issues 13 and 14), one table per mechanism, with negatives:

- first person in an e-mail or a letter is its writer's (the From: header, the sign-off);
- a person's label at the start of a line opens notes about them ("O1: ...", "Dad: ...");
- a note with no subject goes on about the person of the sentence before, across a break inside it;
- police conviction-list shorthand;
- a letter's own reference ("Our ref") belongs to the person the letter is about;
- places written in lower case in notes written in lower case, and a document's own place words.

The sentences are written for these tests (not taken from any corpus); the people are invented.
"""

from __future__ import annotations

import pytest
from test_attribution import MANIFEST, RULES, make_page
from test_people_places import MANIFEST as PLACES_MANIFEST

from sarkit.detect import Detector
from sarkit.models import Mention

# jane: the subject (she); sharon: Mum, known (she); mark: Dad, not known (he); tom: brother, known (he);
# karen: social worker (she); gp: Dr Shah (he)
# places manifest: amy the subject; donna Mum; will Mum's partner; ben brother; priti social worker; gail carer


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector(MANIFEST, RULES)


@pytest.fixture(scope="module")
def pdet() -> Detector:
    return Detector(PLACES_MANIFEST, RULES)


def statements(det: Detector, lines: list[str]) -> list[tuple[str | None, str]]:
    return [
        (m.person or m.unregistered, " ".join(m.text.split()))
        for m in det.detect_page("d", 0, make_page(lines))
        if m.kind == "sensitive"
    ]


def about(det: Detector, lines: list[str], who: str | None) -> str:
    return " / ".join(t for p, t in statements(det, lines) if p == who)


# ------------------------------------------------------------------ the writer of an e-mail or a letter

WRITERS = [
    # (lines, the writer, a phrase proposed about the writer)
    (
        [
            "From: Sharon Doyle <s.doyle@example.org>",
            "Sent: 3 May 2019",
            "To: Karen Pike",
            "",
            "hi karen, my back is no better and i am off work again. can you ring jane for me",
        ],
        "sharon",
        "back is no better",
    ),
    (  # Outlook prints the header's value on the line after its label
        ["From:", "", "Mark Doe", "", "Sent:", "", "2 June 2020", "", "I have been sleeping in the car since March."],
        "mark",
        "sleeping in the car",
    ),
    (  # a letter: the name after the sign-off wrote what is above it
        [
            "Dear Ms Pike,",
            "I have been out of work for a year and my nerves are bad.",
            "",
            "Yours sincerely,",
            "",
            "Mark Doe",
        ],
        "mark",
        "nerves are bad",
    ),
    (  # the second message of a thread has its own writer
        ["From: Karen Pike", "I will visit on Friday.", "", "From: Tom Doe", "my chest has been bad all winter."],
        "tom",
        "chest has been bad",
    ),
]


@pytest.mark.parametrize(("lines", "who", "phrase"), WRITERS)
def test_first_person_is_the_writers(det: Detector, lines: list[str], who: str, phrase: str) -> None:
    assert phrase in about(det, lines, who), statements(det, lines)


WRITERS_NEGATIVE = [
    # (lines, a person who must have nothing)
    (
        ["From: Karen Pike", "Sent: 4 May 2019", "", "I visited Jane at home and I was pleased with her progress."],
        "karen",
    ),  # a professional's routine account
    (["From: Tom Doe", "", "I think Mum has been drinking again."], "tom"),  # his opinion is about Mum
    (["I have been off work with my back for a month."], "sharon"),  # no writer named: no one's
    (["From: Tom Doe", "", "I rang on Monday and I went round after school."], "tom"),  # everyday actions
    (["From: Jane Doe", "my anxiety has been bad since Christmas."], "sharon"),  # the subject's own
    # a form's date range is no e-mail header: the young person's own words are not the carer's
    (
        ["Placement review", "From: 01/02/2019 to 05/08/2019 with Mark Doe", "", "In my words: my anxiety is bad."],
        "mark",
    ),
]


@pytest.mark.parametrize(("lines", "not_who"), WRITERS_NEGATIVE)
def test_first_person_negatives(det: Detector, lines: list[str], not_who: str) -> None:
    assert not [s for s in statements(det, lines) if s[0] == not_who], statements(det, lines)


def test_an_opinion_in_first_person_stays_with_its_content(det: Detector) -> None:
    lines = ["From: Tom Doe", "", "I think Mum has been drinking again."]
    assert "drinking" in about(det, lines, "sharon"), statements(det, lines)


def test_reported_first_person_is_the_speakers_not_the_writers(det: Detector) -> None:
    lines = ["Mum kept asking me whether I could hear the voices too.", "", "Kind regards", "", "Karen Pike"]
    assert "hear the voices" in about(det, lines, "sharon"), statements(det, lines)


def test_the_subjects_own_first_person_stays_hers(det: Detector) -> None:
    found = statements(det, ["From: Jane Doe", "my anxiety has been bad since Christmas."])
    assert found and all(p == "jane" for p, _ in found), found


# ------------------------------------------------------------------ labelled lines and carried subjects

LABELS = [
    # (lines, the person, a phrase proposed about them)
    (
        [
            "A1 AGGRIEVED",
            "DOYLE, Sharon",
            "O1 OFFENDER",
            "DOE, Mark",
            "",
            "PREVIOUS",
            "O1: 2 PREV DA (EX PARTNER). CONV PWITS CLASS A 2011.",
            "A1: DRUNK AND DISORDERLY 2013.",
        ],
        "mark",
        "PWITS CLASS A 2011",
    ),
    (
        [
            "A1 AGGRIEVED",
            "DOYLE, Sharon",
            "O1 OFFENDER",
            "DOE, Mark",
            "",
            "PREVIOUS",
            "O1: 2 PREV DA (EX PARTNER). CONV PWITS CLASS A 2011.",
            "A1: DRUNK AND DISORDERLY 2013.",
        ],
        "sharon",
        "DRUNK AND DISORDERLY 2013",
    ),
    (["Dad: moved back in with his mother. Cautioned for theft in 2016."], "mark", "theft"),
    (["Mum: no change. Drinking most nights again."], "sharon", "Drinking most nights"),
]


@pytest.mark.parametrize(("lines", "who", "phrase"), LABELS)
def test_a_label_opens_notes_about_its_person(det: Detector, lines: list[str], who: str, phrase: str) -> None:
    assert phrase in about(det, lines, who), statements(det, lines)


def test_a_label_ends_with_its_line(det: Detector) -> None:
    lines = ["Dad: arrested for assault in 2016.", "Jane: upset at bedtime. Was sick in the night."]
    found = statements(det, lines)
    assert "assault" in about(det, lines, "mark"), found
    assert not any("sick" in t for p, t in found if p == "mark"), found


def test_a_professionals_label_does_not_make_notes_theirs(det: Detector) -> None:
    lines = ["Karen: home visit. Smelt strongly of cannabis in the hallway."]
    assert not [s for s in statements(det, lines) if s[0] == "karen"], statements(det, lines)


CARRIED = [
    # a scan's lines apart: the break is inside the sentence before, not between the two sentences
    (
        ["12/3/20 18.00 -", "", "mum", "", "turned up at the door after tea. clearly drunk, swaying and shouting."],
        "sharon",
        "clearly drunk",
    ),
    (["Dad came to the contact late. Smelt of alcohol and unsteady on his feet."], "mark", "Smelt of alcohol"),
]


@pytest.mark.parametrize(("lines", "who", "phrase"), CARRIED)
def test_a_note_with_no_subject_goes_on_about_the_person_before(
    det: Detector, lines: list[str], who: str, phrase: str
) -> None:
    assert phrase in about(det, lines, who), statements(det, lines)


def test_a_paragraph_break_between_sentences_ends_the_carried_subject(det: Detector) -> None:
    lines = ["Mum came to the door after tea.", "", "Very drunk on arrival at school."]
    assert not [s for s in statements(det, lines) if s[0] == "sharon"], statements(det, lines)


OFFENCE_SHORTHAND = [
    "Dad: TWOC 2009. DRINK DRIVE 2012.",
    "Dad: AFFRAY 2014.",
    "Dad has a conviction for possession with intent to supply.",
    "Dad: DRUNK IN CHARGE 2017.",
]


@pytest.mark.parametrize("line", OFFENCE_SHORTHAND)
def test_conviction_list_shorthand_is_offending(det: Detector, line: str) -> None:
    found = [m for m in det.detect_page("d", 0, make_page([line])) if m.kind == "sensitive"]
    assert any(m.person == "mark" and m.qualifier == "offending" for m in found), found


# ------------------------------------------------------------------ a letter's own reference


def refs(det: Detector, lines: list[str]) -> list[Mention]:
    return [m for m in det.detect_page("d", 0, make_page(lines)) if m.kind == "identifier"]


# a solicitor's letter to the authority: "our ref" is the firm's file, "your ref" the authority's
SOLICITORS_LETTER = [
    "Our ref: JT/CAR/4471",
    "Your ref: ACS/55102",
    "",
    "Dear Sir or Madam,",
    "We act for a relative.",
    "",
    "Yours faithfully",
    "",
    "Joanna Trent",
]


LETTER_REFS = [
    # (lines, the reference, its person; None: no one's known, redacted to be safe)
    (
        ["Our ref: PB/CAR/7731", "Your ref: Amy Carver (310021)", "", "Our client: Ms Donna Carver"],
        "PB/CAR/7731",
        "donna",
    ),
    (["Our ref: KD/30917", "", "Dear Sir or Madam,", "We act for a member of the family."], "KD/30917", None),
    (["Your ref: ACS/55102", "", "Re: Amy Carver, born 01/02/2008", "Dear Ms Shah,"], "ACS/55102", "amy"),
    (["Our ref: WF-20419", "Re: Mr Will Ferris", "Dear Sir,"], "WF-20419", "will"),
    (  # the authority's own letter: "our ref" is its file of the subject
        [
            "Our ref: PS/310021",
            "",
            "Dear Ms Carver,",
            "I am writing about the review.",
            "",
            "Yours sincerely",
            "",
            "Priti Shah",
        ],
        "PS/310021",
        "amy",
    ),
    (  # the firm's own reference: no one's known
        SOLICITORS_LETTER,
        "JT/CAR/4471",
        None,
    ),
    (  # the authority's reference: the subject's file
        SOLICITORS_LETTER,
        "ACS/55102",
        "amy",
    ),
    (  # the authority's letter to a solicitor about the subject: "your ref" is the firm's, no one's known
        [
            "Your ref: JT/CAR/4471",
            "Re: Amy Carver",
            "",
            "Dear Ms Trent,",
            "Thank you for your letter.",
            "",
            "Yours sincerely",
            "",
            "Priti Shah",
        ],
        "JT/CAR/4471",
        None,
    ),
]


@pytest.mark.parametrize(("lines", "value", "who"), LETTER_REFS)
def test_a_letters_own_reference(pdet: Detector, lines: list[str], value: str, who: str | None) -> None:
    found = [m for m in refs(pdet, lines) if m.text == value]
    assert found and found[0].person == who, refs(pdet, lines)


LETTER_REFS_NEGATIVE = [
    ["Ref: 2231-0457", "Referral form"],  # a form's reference: the subject's case, not proposed
    ["Our ref: 2019", "Re: Donna Carver"],  # a year
    ["Your ref: 12/03/2019"],  # a date
]


@pytest.mark.parametrize("lines", LETTER_REFS_NEGATIVE)
def test_not_a_letters_reference(pdet: Detector, lines: list[str]) -> None:
    assert not refs(pdet, lines)


# ------------------------------------------------------------------ places in lower case


def contacts(det: Detector, lines: list[str], doc: str = "d", page: int = 0) -> list[Mention]:
    return [m for m in det.detect_page(doc, page, make_page(lines)) if m.kind == "contact"]


LOWER_PLACES = [
    # (line, the place, its person): notes written in lower case (a registered name in lower case)
    ("amy back from seeing ben at thrimbleton. very quiet.", "thrimbleton", "ben"),
    ("donna has moved to a flat in pellerby with her sister", "pellerby", "donna"),
    ("amy says donna is on the cragsby estate now", "cragsby", "donna"),
    ("amy says ben is staying at moorside with his mate", "moorside", "ben"),
    # the only name in lower case is someone nobody registered
    ("Amy went to see callum at thrimbleton after school", "thrimbleton", None),
]


@pytest.mark.parametrize(("line", "place", "who"), LOWER_PLACES)
def test_a_place_in_lower_case(pdet: Detector, line: str, place: str, who: str) -> None:
    found = contacts(pdet, [line])
    assert any(m.text == place and m.person == who for m in found), found


LOWER_NOT_PLACES = [
    "amy stayed in bed till late then went to town with ben",  # ordinary words
    "amy got home from school at 4 and went to tesco with ben",  # a shop, a safe word
    "amy said ben was fed up in lockdown",  # a compound of two ordinary words
    "amy said ben went to callum's after school",  # a given name: a person, not a place
    "the form is at harrowdale.example.org, amy has the link",  # a web address
    "Ben has moved in with gail near the coast",  # formal writing: lower case is no sign there
    "Ben went to see his friend at kelderby",  # no name in lower case: formal text, an unknown word
]


@pytest.mark.parametrize("line", LOWER_NOT_PLACES)
def test_lower_case_words_that_are_no_place(pdet: Detector, line: str) -> None:
    assert not [m for m in contacts(pdet, [line]) if m.text.islower()], contacts(pdet, [line])


def test_a_documents_own_place_word_in_lower_case(pdet: Detector) -> None:
    """A place the document named in capitals earlier is a place in lower case on a later page."""
    first = contacts(pdet, ["Ben has moved to a foster placement at Hatherwick Lodge."], "letters", 0)
    assert any("Hatherwick" in m.text for m in first), first
    later = contacts(pdet, ["Ben said he likes it at hatherwick and wants Amy to visit."], "letters", 1)
    assert any(m.text == "hatherwick" and m.person == "ben" for m in later), later
    other = contacts(pdet, ["Ben said he likes it at hatherwick and wants Amy to visit."], "another", 0)
    assert not any(m.text == "hatherwick" for m in other), other


# ------------------------------------------------------------------ whose contact detail in correspondence and forms

CONTACT_OWNERS = [
    # (lines, the detail, its person)
    (  # "at mine" in an e-mail: the writer's, not the child named before it
        [
            "From: Marjorie Tennant <m.tennant@example.org>",
            "",
            "hi priti, I can have amy at weekends at mine, 14 Rook Street, Brenford BF2 9TT",
        ],
        "14 Rook Street, Brenford",  # an address line runs on to its town before the postcode
        "marj",
    ),
    (  # a letter's sign-off names whose number "ring me on" is
        [
            "Dear Priti,",
            "Please ring me on 01632 960555 if Ben needs anything.",
            "",
            "Yours sincerely",
            "",
            "Gail Ormerod",
        ],
        "01632 960555",
        "gail",
    ),
    (  # a worker's office on the line below her name is hers (work)
        ["Priti Shah", "", "Flat 2, Osprey House"],
        "Flat 2, Osprey House",
        "priti",
    ),
    (  # an incident's location far below the notifying worker's name at the head of a form is no one's known
        [
            "Notifying worker",
            "",
            "Priti Shah",
            "",
            "Date of visit",
            "",
            "03/04/2019",
            "",
            "Location",
            "",
            "Flat 2, Osprey House",
        ],
        "Flat 2, Osprey House",
        None,
    ),
]


@pytest.mark.parametrize(("lines", "text", "who"), CONTACT_OWNERS)
def test_whose_contact_detail_in_correspondence_and_forms(
    pdet: Detector, lines: list[str], text: str, who: str | None
) -> None:
    found = [m for m in contacts(pdet, lines) if " ".join(m.text.split()) == text]
    assert found and found[0].person == who, contacts(pdet, lines)


INTOXICATION = [
    # (lines, the person): states of intoxication told without a word for a substance
    (["Dad arrived at contact late and was slurring."], "mark"),
    (["Mum came to the door. Unsteady on her feet and tearful."], "sharon"),
    (["Tom was stoned when he got back from town."], "tom"),
]


@pytest.mark.parametrize(("lines", "who"), INTOXICATION)
def test_intoxication_states_about_third_parties(det: Detector, lines: list[str], who: str) -> None:
    found = [m for m in det.detect_page("d", 0, make_page(lines)) if m.kind == "sensitive"]
    assert any(m.person == who and m.qualifier == "substance" for m in found), found


def test_the_subjects_own_intoxication_is_hers(det: Detector) -> None:
    found = [
        m for m in det.detect_page("d", 0, make_page(["Jane came in at midnight, slurring."])) if m.kind == "sensitive"
    ]
    assert found and all(m.person == "jane" for m in found), found


SPEAKERS = [
    # (lines, the person, a phrase proposed about them): minutes that give each speaker's words after a label
    (["Mum: I have been going to AA every week since June."], "sharon", "AA"),
    (["Dad: I think Mum is drinking again."], "sharon", "drinking"),
    (["From: Tom Doe", "", "I go to NA meetings on Tuesdays now."], "tom", "NA meetings"),
]


@pytest.mark.parametrize(("lines", "who", "phrase"), SPEAKERS)
def test_first_person_after_a_speakers_label(det: Detector, lines: list[str], who: str, phrase: str) -> None:
    assert phrase in about(det, lines, who), statements(det, lines)


def test_a_professionals_first_person_is_no_statement(det: Detector) -> None:
    for lines in (["Karen: I visited on Monday and I spoke to Jane."], ["From: Karen Pike", "", "I am on leave."]):
        assert not [s for s in statements(det, lines) if s[0] == "karen"], statements(det, lines)


def test_a_header_whose_first_name_is_not_registered(pdet: Detector) -> None:
    """ "From: Marj Tennant": only the surname is found as a name; the header still names the writer."""
    lines = ["From: Marj Tennant <m.t@example.org>", "Sent: 2 March 2018", "", "hiya priti, my hip is bad again"]
    found = [m for m in pdet.detect_page("d", 0, make_page(lines)) if m.kind == "sensitive"]
    assert any(m.person == "marj" and "hip" in m.text for m in found), found
