"""Unregistered people: names list, titles, form fields, roles, grouping; companions of protected people."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from sarkit.decide import decide, load_rules
from sarkit.detect import Detector
from sarkit.detect.names_list import load_names
from sarkit.models import Person

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_attribution import MANIFEST, RULES, make_page  # noqa: E402


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector(MANIFEST, RULES)


def unreg(det: Detector, lines: list[str], doc: str = "d", page: int = 0) -> list[tuple[str, str | None, str]]:
    ms = det.detect_page(doc, page, make_page(lines))
    return [(m.text, m.unregistered, m.via) for m in ms if m.kind == "name" and m.person is None]


@pytest.mark.parametrize(
    ("line", "text", "key"),
    [
        ("Mum has been spending time with Stacey Patel since May.", "Stacey Patel", "stacey patel"),
        ("A neighbour, Mrs Kaur, called the police.", "Mrs Kaur", "kaur"),
        ("Referrer: Brian Lewis", "Brian Lewis", "brian lewis"),
        ("From: Molly Brown", "Molly Brown", "molly brown"),
        ("Her new partner Darren was at the flat.", "Darren", "darren"),
        ("PATEL, Stacey was present.", "PATEL, Stacey", "stacey patel"),
        ("Letter from Mrs.Kaur about the noise.", "Mrs.Kaur", "kaur"),  # a title's dot, no space (issue 15)
        ("Seen by DC.HOLLIS at the station.", "DC.HOLLIS", "hollis"),
    ],
)
def test_unregistered_names_found(det: Detector, line: str, text: str, key: str) -> None:
    found = unreg(det, [line], doc=line)
    assert (text, key) in [(t, k) for t, k, _ in found], found


@pytest.mark.parametrize(
    "line",
    [
        "Jane will attend the review in May.",
        "Mum and Grace Road school staff met.",  # a given name before a street or place word
        "The meeting was held at Rose Court.",
        "Will Mum attend the review?",
        "Sharon Doyle attended with Tom.",  # registered people
        "Kestle Cross Secondary School sent a report.",
        # a dot glued to a capitalised word that is no title before a name, or a name running on as an address
        "The family worship at St.Michael's on Sundays.",
        "The flat is No.Twelve on the list.",
        "Sent from Dr.Kaur@example.org on Monday.",
        "The page is at https://Mr.Kaur.example.com today.",
        "The form was saved as Mrs.Kaur.docx by the office.",
    ],
)
def test_ordinary_words_and_registered_people_are_not_unregistered(det: Detector, line: str) -> None:
    assert unreg(det, [line], doc=line) == []


def test_one_key_groups_full_name_and_later_parts_across_pages(det: Detector) -> None:
    first = unreg(det, ["Mohammad Smith, a friend of Mum's, visited."], doc="g", page=0)
    later = unreg(det, ["Smith stayed overnight and Mohammad left early."], doc="g", page=1)
    assert {k for _, k, _ in first + later} == {"mohammad smith"}
    assert [t for t, _, _ in later] == ["Smith", "Mohammad"]
    assert "friend" in first[0][2]  # the role the text gives


def test_unregistered_are_reviewed_by_the_rule_set(det: Detector) -> None:
    ms = [m for m in det.detect_page("r", 0, make_page(["Mum spends time with Stacey Patel."])) if m.person is None]
    props = decide(ms, MANIFEST, load_rules("uk-dpa2018", RULES))
    assert [p.action for p in props if p.mention.kind == "name"] == ["review"]


def test_companions_of_a_referrer_are_proposed() -> None:
    people = (*MANIFEST.people, Person("anita", "Anita Patel", "neighbour", aliases=("Mrs Patel",), referrer=True))
    det = Detector(dataclasses.replace(MANIFEST, people=people), RULES)
    ms = det.detect_page("c", 0, make_page(["Mrs Patel, the lady at number 14, lives next door on Acorn Terrace."]))
    comp = [(m.text, m.person) for m in ms if m.detector == "contact.companion"]
    assert ("the lady at number 14", "anita") in comp
    assert ("next door", "anita") in comp and ("Acorn Terrace", "anita") in comp


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("Caller lives in the flat below the family and heard shouting.", "the flat below the family"),
        ("The referrer has the house opposite them.", "the house opposite them"),
        ("Mrs Patel lives in the flat above the Carvers.", "the flat above the Carvers"),
        ("Jane lives in the flat above the shop.", None),  # a shop, and no referrer in the sentence
        ("The caller rang from the office.", None),  # no home placed by another
    ],
)
def test_a_referrers_home_placed_by_the_family_is_proposed(line: str, found: str | None) -> None:
    people = (*MANIFEST.people, Person("anita", "Anita Patel", "neighbour", aliases=("Mrs Patel",), referrer=True))
    det = Detector(dataclasses.replace(MANIFEST, people=people), RULES)
    comp = [(m.text, m.person) for m in det.detect_page("c", 0, make_page([line])) if m.detector == "contact.companion"]
    assert comp == ([(found, "anita")] if found else [])


def test_names_list_has_provenance_and_ambiguous_words() -> None:
    nl = load_names(RULES)
    assert (RULES / "names" / "LICENSE.md").is_file()
    assert nl.given["stacey"] == "she" and "patel" in nl.surnames
    assert {"will", "may", "rose", "grace", "hope", "mark"} <= nl.ambiguous


@pytest.mark.parametrize(
    ("line", "names"),
    [
        # an unknown word after a professional's name that opens an organisation's name is its place, no person
        ("Reporting officer: Karen Pike, Thornaby Response Team B", []),
        ("Seen by Karen Pike, Ellerbeck Family Support Service, on Monday.", []),
        ("Copied to Dr Shah, Moorcliffe Medical Practice.", []),
        # an unknown word joined to a person by a comma is still a person
        ("Karen Pike, Deano and Tash came round.", ["Deano", "Tash"]),
    ],
)
def test_a_word_opening_an_organisations_name_is_no_person(det: Detector, line: str, names: list[str]) -> None:
    assert [t for t, _, _ in unreg(det, [line], doc=line)] == names


@pytest.mark.parametrize(
    ("line", "names"),
    [
        # a list read whole, whichever member is a person first
        ("Karen Pike, Deano and Tash were there.", ["Deano", "Tash"]),  # a word that is also a surname
        ("I saw Deano and Tash at the park.", ["Deano", "Tash"]),
        ("Mum, Deano and Tash were at the flat.", ["Deano", "Tash"]),
        ("Tash and Deano came round.", ["Tash", "Deano"]),  # the person after the word
        ("Kai, Tash and Deano came round.", ["Kai", "Tash", "Deano"]),
        ("Mum & Summer were at home.", ["Summer"]),  # an ordinary word joined by "&"
        ("The visit was with Karen Pike & Will today.", ["Will"]),
        # no person in the list, or not a list
        ("Deano and Tash were there.", []),  # nobody to join them to: left alone
        ("Mum and Rose Cottage were mentioned.", []),  # a place
        ("Reviewed with Karen Pike, Summer 2019.", []),  # an ordinary word after a comma only
        ("Karen Pike and Ellerbeck Council met.", []),  # an organisation
        ("Seen by Karen Pike in Thornaby and Ellerbeck.", []),  # places after "in"
    ],
)
def test_a_word_in_a_list_with_a_person_is_a_person(det: Detector, line: str, names: list[str]) -> None:
    assert [t for t, _, _ in unreg(det, [line], doc=line)] == names


@pytest.mark.parametrize(
    ("line", "names"),
    [
        # a name-shaped word no list knows, next to a word that goes with people
        ("Jaxon is staying with them this week.", ["Jaxon"]),
        ("Mikey has been missing school again.", ["Mikey"]),
        ("We talked about Deano for a while.", ["Deano"]),
        ("Apparently Shazza was back on the estate.", ["Shazza"]),
        # a role word before or after it, or an age in brackets
        ("Her boyfriend Deano was there.", ["Deano"]),
        ("Deano, her boyfriend, called twice.", ["Deano"]),
        ("Boyfriend - Deano (18).", ["Deano"]),
        ("Present at the flat: Kez (aged 16).", ["Kez"]),
        # shaped like a place, a medicine or a service, or used as a place on the page: left alone
        ("Thornaby is a small town.", []),
        ("Hexley was busy on Saturday.", []),
        ("Diazepam was prescribed by the GP.", []),
        ("Kooth was suggested for online support.", []),
        ("Ellerbeck is quiet. We met in Ellerbeck.", []),
        ("Moved to Ashvale and Brindle is next.", []),  # "and": joins places as well as people
        # in lower case, where only a person stands; not a contraction, an abbreviation or a slip of the keys
        ("Kerry says she's back with gaz again.", ["Kerry", "gaz"]),
        ("gaz said he would come later.", ["gaz"]),
        ("Sharon said she didnt want to go.", []),
        ("Sharon spoke with tbc about the date.", []),
        ("Sharon went out with thier friends.", []),
        ("We met at oakmere at 3pm.", []),  # a place, after "at"
        # "called" the telephone's, not an introducer, before an adverb or particle
        ("Mum called twice.", []),
        ("wed - called round, no answer", []),
        ("The school called again.", []),
        ("Someone called Ricky rang.", ["Ricky"]),
        ("A lad known as tank.", ["tank"]),  # a word of the list as the introducer's nickname
    ],
)
def test_a_name_shaped_word_next_to_a_person_word_is_a_person(det: Detector, line: str, names: list[str]) -> None:
    assert [t for t, _, _ in unreg(det, [line], doc=line)] == names


# ---------------------------------------------------------------- a nickname that is an ordinary word (issue 2)

NICKNAMES = [
    # (lines of a page, the nickname, every text of it found, the pronoun that tells who)
    (
        ["tues 4th - tank waiting outside the flat again, shouting up at jane's window.", "", "told him to go."],
        ["tank"],
    ),
    (["Tiger was at the door at 8pm asking for Jane. I told him she was in bed."], ["Tiger"]),
    (["sat 9.30 - biscuit came round offering a lift into town. told her no thanks."], ["biscuit"]),
    # later mentions where the words around make a person: "told tank", "tank's"
    (
        ["mon - tank stood at the gate swearing at the kids.", "", "told him to clear off. tank's car outside again"],
        ["tank", "tank"],
    ),
]


@pytest.mark.parametrize(("lines", "texts"), NICKNAMES, ids=[n[1][0] for n in NICKNAMES])
def test_an_ordinary_word_the_page_treats_as_a_person_is_a_nickname(
    det: Detector, lines: list[str], texts: list[str]
) -> None:
    doc = " ".join(lines)
    found = [(t, k, v) for t, k, v in unreg(det, lines, doc=doc) if "ordinary word" in v]
    assert [t for t, _, _ in found] == texts
    assert {k for _, k, _ in found} == {texts[0].lower()}  # one person: one review decision covers every mention


@pytest.mark.parametrize(
    "lines",
    [
        # services, groups, kinds of people, relatives and roles act and speak in notes without "the"
        ["school rang asking for mum. told her i'd pass it on."],
        ["police came round asking for jane. told him she was out."],
        ["staff said jane had been upset. she went to bed early."],
        ["nan says jane can stay over. she will pick her up."],
        ["work called asking karen to cover. she said yes."],
        ["court told mum to attend. she said she would."],
        ["lad at the door asking for jane. told him to go."],
        ["duty said to ring back. he was busy."],
        # the pronoun is in the words of the act: someone else
        ["report says he is settled at home."],
        # no act only a person does, or someone else named between the act and the pronoun
        ["dog barking at the gate all night. told him to shush."],
        ["spider in the bath again. jane screamed. told her it was harmless."],
        ["tank asked jane out. tom said he is too old for her."],
        # not a noun: an adverb opening a note's sentence
        ["later asked jane about school. she said it was fine."],
        ["then said goodbye to jane. she cried."],
    ],
)
def test_ordinary_words_that_act_are_no_nickname(det: Detector, lines: list[str]) -> None:
    doc = " ".join(lines)
    assert [t for t, _, v in unreg(det, lines, doc=doc) if "ordinary word" in v] == []


def test_a_nickname_is_reviewed_and_its_gender_keeps_they_for_others(det: Detector) -> None:
    lines = ["wed - chip hanging round the gate asking jane & her friend if they want a lift.", "", "told him no."]
    ms = det.detect_page("n", 0, make_page(lines))
    nick = [m for m in ms if m.kind == "name" and m.unregistered == "chip"]
    props = decide(nick, MANIFEST, load_rules("uk-dpa2018", RULES))
    assert [p.action for p in props] == ["review"]
    assert not [m for m in ms if m.kind == "sensitive" and m.unregistered == "chip" and "they" in m.text]
