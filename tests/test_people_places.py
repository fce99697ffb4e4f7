"""People, contacts and places in informal writing (issue 13): one table per mechanism, with negatives.

The sentences are written for these tests (not taken from any corpus); the people are invented.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_detect import make_page

from sarkit.detect import Detector
from sarkit.detect.recognisers.misspelt import one_letter_apart
from sarkit.models import Manifest, Mention, Person
from sarkit.resources import shipped_rules_dir


def P(pid: str, name: str, role: str, **kw: object) -> Person:
    return Person(id=pid, name=name, role=role, **kw)  # type: ignore[arg-type]


PEOPLE = (
    P("amy", "Amy Carver", "subject", aliases=("Amy",), pronouns="she"),
    P("donna", "Donna Carver", "mother", aliases=("Mum", "Donna"), known=True, pronouns="she"),
    P("will", "Will Ferris", "partner-of-parent", aliases=("Will",), pronouns="he"),
    P("rose", "Rose Bellamy", "neighbour", aliases=("Rose", "Mrs Bellamy"), referrer=True, pronouns="she"),
    P("ben", "Ben Carver", "sibling", aliases=("Ben",), withheld=("Ben Aldous",), known=True, pronouns="he"),
    P("priti", "Priti Shah", "social-worker", aliases=("Priti",), pronouns="she"),
    P("marj", "Marjorie Tennant", "grandparent", aliases=("Marjorie",), known=True, pronouns="she"),
    P("gail", "Gail Ormerod", "foster-carer", of="ben", aliases=("Gail", "Mrs Ormerod"), pronouns="she"),
)
MANIFEST = Manifest(Path("case.yaml"), 1, "SAR-1", dt.date(2026, 1, 1), "uk-dpa2018", PEOPLE)


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector(MANIFEST, shipped_rules_dir())


def mentions(det: Detector, line: str) -> list[Mention]:
    return [m for m in det.detect_page("d", 0, make_page([line])) if m.kind != "sensitive"]


def has(det: Detector, line: str, text: str, kind: str, person: str | None, unregistered: bool = False) -> bool:
    for m in mentions(det, line):
        if m.text.rstrip(".") == text and m.kind == kind and m.person == person:
            return not unregistered or m.unregistered is not None
    return False


def absent(det: Detector, line: str, text: str) -> bool:
    return not any(text in m.text or m.text in text and len(m.text) > 2 for m in mentions(det, line) if m.text)


# ------------------------------------------------------------ registered names in any case, plurals, initials

REGISTERED = [
    ("janet said donna was upset when she rang", "donna", "donna"),
    ("marjorie came round with the shopping", "marjorie", "marj"),
    ("will rang at five and asked for Amy", "will", "will"),  # an ordinary word, but "rang" makes it a person
    ("Rose said the Bellamys next door were shouting again", "Bellamys", "rose"),
    ("We saw the ORMERODS at the gate", "ORMERODS", "gail"),
    ("mrs ormerod collected him from school", "mrs ormerod", "gail"),
    ("donnas flat was cold and damp", "donnas", "donna"),
    ("Letterbox arrangements - Ben A", "Ben A", "ben"),  # the withheld surname's initial
    ("Minutes: Ben CARVER attended", "Ben CARVER", "ben"),
    # an ordinary word that is a name, with a bracket or an aside before the word that makes it a person
    ("Rose (neighbour) rang the duty line", "Rose", "rose"),
    ("Rose, from next door, rang again", "Rose", "rose"),
    ("Will (DOB 14.02.88) was at the flat", "Will", "will"),
]


@pytest.mark.parametrize(("line", "text", "person"), REGISTERED)
def test_registered_names_in_any_form(det: Detector, line: str, text: str, person: str) -> None:
    assert has(det, line, text, "name", person)


ORDINARY = [
    ("we will see how the week goes", "will"),
    ("Will you let me know by Friday", "Will"),
    ("There is hope that things improve", "hope"),
    ("She bought a rose for the table", "rose"),
    ("Rose Cottage is on the corner", "Rose"),
    ("Will (if possible) you send the form", "Will"),  # the word after the aside is no person's
    ("Rose, pink and white, grew by the door", "Rose"),
]


@pytest.mark.parametrize(("line", "word"), ORDINARY)
def test_ordinary_words_that_are_names_are_not_people(det: Detector, line: str, word: str) -> None:
    assert not any(m.kind == "name" and m.text == word for m in mentions(det, line))


# ------------------------------------------------------------ misspelt by one letter

MISSPELT = [
    ("Mrs Bellamey rang the duty line", "Mrs Bellamey", "rose"),
    ("Gail Ormrod picked him up", "Ormrod", "gail"),
    ("Marjorie Tenant was at home", "Tenant", None),  # "tenant" is an English word: never a misspelling
    ("Prity attended the meeting", "Prity", "priti"),
]


@pytest.mark.parametrize(("line", "text", "person"), MISSPELT)
def test_misspelt_names(det: Detector, line: str, text: str, person: str | None) -> None:
    if person is None:
        assert not has(det, line, text, "name", "marj")
    else:
        assert has(det, line, text, "name", person)


def test_one_letter_apart() -> None:
    assert one_letter_apart("Storey", "Storrey")
    assert one_letter_apart("Nuttall", "Nuttal")
    assert one_letter_apart("Marsden", "Masrden")
    assert not one_letter_apart("Storey", "Storey")
    assert not one_letter_apart("Storey", "Stacey")


def test_a_different_real_name_is_no_misspelling(det: Detector) -> None:
    # "Carter" is one letter from "Carver", but a surname of its own: another person, not a misspelling
    assert not any(m.person == "amy" and m.text.endswith("Carter") for m in mentions(det, "Mr Carter came"))


# ------------------------------------------------------------ unregistered people, written informally

INFORMAL = [
    ("Donna said a man called Fraser had been staying", "Fraser"),
    ("Amy says he is known as Big Tony round the estate", "Big Tony"),
    ("Donna had her baby (Kenzie) on Tuesday", "Kenzie"),
    ("Ben now calls her Nanny Bev", "Bev"),
    ("Amy sat with Keeley B and Lakshmi at lunch", "Keeley B"),
    ("Amy sat with Keeley B and Lakshmi at lunch", "Lakshmi"),
    ("Amy is friends with the Nowakowski twins", "Nowakowski"),
    ("The Gallimores opposite complained again", "Gallimores"),
    ("His foster carers, Sal and Terry Bloxham, are kind", "Sal"),
    ("Trevor is the dad, they are not together", "Trevor"),
    ("amy went to kieran's house after school", "kieran"),
    ("saw amy with jodie wragg by the shops", "jodie wragg"),
    ("Amy said Rimmo kicked the door in", "Rimmo"),
    ("Amy had been at Mozza's till late", "Mozza"),
]


@pytest.mark.parametrize(("line", "text"), INFORMAL)
def test_unregistered_people_written_informally(det: Detector, line: str, text: str) -> None:
    assert has(det, line, text, "name", None, unregistered=True), mentions(det, line)


NOT_PEOPLE = [
    ("Amy visited Paris with her school", "Paris"),
    ("Amy lives in Kettlewick with her carers", "Kettlewick"),
    ("Brenford has a good market", "Brenford"),
    ("Priti went to Tesco with Amy", "Tesco"),
    ("The CAMHS worker called Amy", "CAMHS"),
    ("We met at Lyndale St Mary church", "Mary"),
    ("Rec'd MASH 22/06/09 0915, to duty", "Rec"),  # an abbreviation with an apostrophe is no possessive
    ("Amy is in Year 9 at Oakfield High School", "Oakfield"),
]


@pytest.mark.parametrize(("line", "word"), NOT_PEOPLE)
def test_places_brands_and_terms_are_not_people(det: Detector, line: str, word: str) -> None:
    assert not any(m.kind == "name" and m.person is None and word in m.text for m in mentions(det, line))


def test_one_key_per_person_in_a_document(det: Detector) -> None:
    det.detect_page("doc-k", 0, make_page(["Amy said a man called Dazza sleeps on the sofa."]))
    later = det.detect_page("doc-k", 1, make_page(["dazza was there again, Dazza's dog too."]))
    keys = {m.unregistered for m in later if m.kind == "name" and m.person is None}
    assert keys == {"dazza"}


# ------------------------------------------------------------ streets, localities, estates, address lines

PLACES = [
    ("Ben has been placed with Gail Ormerod in Upper Thrimby for now", "Upper Thrimby", "gail"),
    ("Donna said Will has a room over at Cold End", "Cold End", "will"),
    ("Donna sees Amy at her flat on the Brackley estate", "Brackley estate", "donna"),
    ("Will was arrested at Donna's old flat on Tanner Lane", "Tanner Lane", "donna"),
    ("Donna told Amy she has a new flat on Cable Street", "Cable Street", "donna"),
    ("ALT ADDRESS (MOTHER) Donna 22 WHARF ROAD, Brenford", "22 WHARF ROAD", "donna"),
    ("Will is staying at FLAT 3, ASHGROVE HOUSE with Donna", "FLAT 3, ASHGROVE HOUSE", "will"),
    ("Donna's new address: The Granary, Mill Lane, Foxby St Giles", "The Granary", "donna"),
    ("Donna's new address: The Granary, Mill Lane, Foxby St Giles", "Foxby St Giles", "donna"),
    ("Ben has just started at Thrimby Infants", "Thrimby Infants", "ben"),
    ("Ben's school is Corvedale High", "Corvedale High", "ben"),
    ("Ben is at Greenacres PRU three days a week", "Greenacres PRU", "ben"),
    ("Ben's nursery (Little Acorns) rang Donna", "Little Acorns", "ben"),
    ("Donna is back on the ward (Ashdown Unit) this week", "Ashdown Unit", "donna"),
    ("Will is living above the chippy on Kestrel Rd", "Kestrel Rd", "will"),
    ("Donna has a flat in Kingsway House on the Brookfield.", "Brookfield", "donna"),
    ("Donna works on Ward 12 at Pellington General now", "Pellington General", "donna"),
]


def test_people_in_brackets_after_a_place_are_no_place(det: Detector) -> None:
    line = "Ben's placement: Holly Bank Farm (Gail Ormerod), his nursery (Gail Ormerod) too"
    assert not any(m.kind == "contact" and "Gail" in m.text for m in mentions(det, line)), mentions(det, line)


@pytest.mark.parametrize(("line", "text", "person"), PLACES)
def test_places_of_people(det: Detector, line: str, text: str, person: str) -> None:
    assert has(det, line, text, "contact", person), mentions(det, line)


OWN_PLACES = [
    ("Amy told Donna she has moved to a flat on Cable Street", "Cable Street"),
    ("Amy lives on the Brackley estate now", "Brackley estate"),
    ("Amy is doing well at Thornbury Academy", "Thornbury Academy"),
    ("Amy's school is Corvedale High", "Corvedale High"),
    ("Amy's college (Brenford Sixth Form) rang", "Brenford Sixth Form"),
]


@pytest.mark.parametrize(("line", "text"), OWN_PLACES)
def test_the_subjects_own_places_are_hers(det: Detector, line: str, text: str) -> None:
    assert has(det, line, text, "contact", "amy"), mentions(det, line)


def test_a_place_of_an_unregistered_person_is_proposed(det: Detector) -> None:
    ms = mentions(det, "Ben said he had been at Rimmo's in Upper Thrimby with Amy")
    assert any(m.kind == "contact" and m.text == "Upper Thrimby" and m.person is None for m in ms), ms


def test_a_town_tied_to_no_one_is_not_proposed(det: Detector) -> None:
    assert not any(m.kind == "contact" for m in mentions(det, "The office in Brenford is closed on Fridays"))


# ------------------------------------------------------------ reference numbers and vehicles

REFERENCES = [
    ("Minutes: Amy CARVER (310021) and Ben CARVER (310022)", "310022", "ben"),
    ("Minutes: Amy CARVER (310021) and Ben CARVER (310022)", "310021", "amy"),
    ("Will drives a blue van, VRM KX61 PTA", "KX61 PTA", "will"),
    ("Will was seen in a car registration M412 ODL", "M412 ODL", "will"),
    ("Crime ref 07/22114X was given for the incident", "07/22114X", None),
    ("COLLAR NO : 4471", "4471", None),
    ("Will's custody no. 44/91203B was noted", "44/91203B", "will"),
    ("Donna, police reference 11/604418/22, was arrested", "11/604418/22", "donna"),
    ("Police ref WY/20331/21 was given", "WY/20331/21", None),
    ("Donna, CAD no 4471 of the 3rd", "4471", "donna"),
]


@pytest.mark.parametrize(("line", "text", "person"), REFERENCES)
def test_references_and_vehicles(det: Detector, line: str, text: str, person: str | None) -> None:
    found = [m for m in mentions(det, line) if m.kind == "identifier" and m.text == text]
    assert found, mentions(det, line)
    if person is not None:
        assert found[0].person == person


NOT_REFERENCES = [
    "Your ref: 2019 review",
    "Case no. 2579079 | Recorded by Priti Shah | Page 1",  # the subject's own case number, not the author's
    "see the report of 12/03/2019",
    "The meeting is in room 4 at 10.30",
    "Will was seen on 03.03.21 by the police",  # a date with a two-digit year and no birth cue
]


# ------------------------------------------------------------ dates of birth, streets and pages written informally

INFORMAL_DETAILS = [
    ("Donna (DOB 14.02.88) was at the flat", "14.02.88", "identifier", "donna"),
    ("Donna, d.o.b 14/02/1988, was at the flat", "14/02/1988", "identifier", "donna"),
    ("Donna (dob 14/2/88) visited", "14/2/88", "identifier", "donna"),
    ("Will is living above the chippy on Kestrel Rd now", "Kestrel Rd", "contact", "will"),
    ("Will has a room on Linnet Ave", "Linnet Ave", "contact", "will"),
    ("Will's page is facebook.com/will.ferris.902", "facebook.com/will.ferris.902", "contact", "will"),
    ("Will posted on https://www.instagram.com/wf_88/.", "https://www.instagram.com/wf_88/", "contact", "will"),
]


@pytest.mark.parametrize(("line", "text", "kind", "person"), INFORMAL_DETAILS)
def test_dates_of_birth_streets_and_pages_written_informally(
    det: Detector, line: str, text: str, kind: str, person: str
) -> None:
    assert has(det, line, text, kind, person), mentions(det, line)


@pytest.mark.parametrize("line", ["Donna was on the Tuesday shift.", "Donna put the order on the Amazon."])
def test_a_day_or_a_word_after_on_the_is_no_estate(det: Detector, line: str) -> None:
    assert not any(m.kind == "contact" for m in mentions(det, line)), mentions(det, line)


@pytest.mark.parametrize(
    "line",
    [
        "Will went to St Wilfrid's Church on Sunday",  # St: a saint, not a street
        "Will saw Dr Okafor at the surgery",  # Dr: a doctor
        "Will found the leaflet on facebook.com",  # a site, no one's page
    ],
)
def test_no_street_or_page_in_these(det: Detector, line: str) -> None:
    assert not any(m.detector in ("id.address", "id.profile") for m in mentions(det, line)), mentions(det, line)


@pytest.mark.parametrize("line", NOT_REFERENCES)
def test_years_dates_and_rooms_are_not_references(det: Detector, line: str) -> None:
    assert not any(m.kind == "identifier" for m in mentions(det, line))


# ------------------------------------------------------------ whose contact detail

CONTACT_OWNERS = [
    # the phone in brackets after an address is the address's
    (
        "Amy is placed with Marjorie Tennant at 22 Larch Close, Brenford BF4 7RB (home 01632 960781).",
        "01632 960781",
        "marj",
    ),
    ("Amy is placed with Marjorie Tennant at 22 Larch Close, Brenford BF4 7RB (home 01632 960781).", "BF4 7RB", "marj"),
    # the writer's own number in an e-mail in lower case
    (
        "hiya priti its marjorie. can you ring me on my mobile not the house phone, 07700 900634, ta",
        "07700 900634",
        "marj",
    ),
    (
        "Hi Priti, Donna here. I can have Amy at weekends. My number is 07700 900845 if you need me.",
        "07700 900845",
        "donna",
    ),
    # a pronoun after two names: the sentence's subject
    ("Donna told Amy she has a new flat on Cable Street", "Cable Street", "donna"),
    ("Amy told Donna she has a new flat on Cable Street", "Cable Street", "amy"),
    # a possessive pronoun that fits one person of the sentence
    ("Mum talked about Ben's football and asked after his carers at Ferncroft House", "Ferncroft House", "ben"),
    # a relative clause: the person it follows
    ("Amy worries about her brother, Ben, who is in Year 3 at Coldbeck CE Primary", "Coldbeck CE Primary", "ben"),
]


@pytest.mark.parametrize(("line", "text", "person"), CONTACT_OWNERS)
def test_whose_contact_detail(det: Detector, line: str, text: str, person: str) -> None:
    assert has(det, line, text, "contact", person), mentions(det, line)


def test_a_professionals_own_mobile_is_personal(det: Detector) -> None:
    ms = mentions(det, "priti's own mob (not work) 07700 900951 - only if urgent she said")
    phone = [m for m in ms if m.text == "07700 900951"]
    assert phone and phone[0].person == "priti" and phone[0].qualifier == "personal"


def test_the_header_of_an_e_mail_is_no_part_of_the_message_under_it(det: Detector) -> None:
    page = [
        "From: Priti Shah",
        "To: Duty Team",
        "Subject: FW: Amy",
        "Donna says she has started back at work on Mondays (Ward 4 at Brenford General).",
    ]
    ms = [m for m in det.detect_page("d", 0, make_page(page)) if m.text == "Brenford General"]
    assert [m.person for m in ms] == ["donna"], ms
