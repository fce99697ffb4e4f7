"""Kinds of miss found by fresh hand-written cases (benchmarks/fresh): one table per mechanism, with negatives.

The sentences are written for these tests (not taken from any corpus); the people are invented.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_detect import make_page

from sarkit.detect import Detector, parse_date
from sarkit.ingest.pdf import layout_words
from sarkit.models import Manifest, Mention, Person
from sarkit.resources import shipped_rules_dir


def P(pid: str, name: str, role: str, **kw: object) -> Person:
    return Person(id=pid, name=name, role=role, **kw)  # type: ignore[arg-type]


PEOPLE = (
    P("corin", "Corinna Walsh", "subject", aliases=("Corinna",), born=dt.date(2009, 6, 4), pronouns="she"),
    P("bethan", "Bethany Walsh", "mother", aliases=("Mum", "Bethany"), known=True, born=dt.date(1990, 1, 9)),
    P("lowri", "Lowri Fenn", "other-child", aliases=("Lowri",), pronouns="she"),
    P("zeph", "Zephaniah Moss", "other-child", aliases=("Zephaniah",), pronouns="he"),
    P("danielle", "Danielle Roper", "residential-worker", aliases=("Danielle",), known=True, pronouns="she"),
    P("declan", "Declan Ashe", "social-worker", aliases=("Declan",), pronouns="he"),
    P("marsh", "Ingrid Marsh", "police-officer", aliases=("PC Marsh",), pronouns="she"),
    P("aled", "Aled Sorrell", "teacher", pronouns="he"),
    P("rob", "Robert Kaye", "father", aliases=("Rob",), known=False, pronouns="he"),
    P("gwen", "Gwendolyn Tolland", "foster-carer", aliases=("Gwen",), known=True, pronouns="she"),
    P("ellis", "Ellis Tolland", "foster-carer", aliases=("Ellis",), known=True, pronouns="he"),
)
MANIFEST = Manifest(Path("case.yaml"), 1, "SAR-9", dt.date(2026, 1, 1), "uk-dpa2018", PEOPLE)


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector(MANIFEST, shipped_rules_dir())


def found(det: Detector, lines: list[str]) -> list[Mention]:
    return det.detect_page("d", 0, make_page(lines))


def has(det: Detector, lines: list[str], text: str, kind: str, person: str | None = "any") -> bool:
    return any(
        " ".join(m.text.split()) == text and m.kind == kind and (person == "any" or m.person == person)
        for m in found(det, lines)
    )


# ------------------------------------------------------------ a person introduced by a cue, then a lower-case word

INTRODUCED = [
    ("she went off with a lad they call Dazza who has a car", "Dazza"),
    ("an older boy known as Brick told them where to go", "Brick"),
    ("A MAN KNOWN AS WEASEL SAID HE WOULD DRIVE", "WEASEL"),  # a verb that follows a person
]


@pytest.mark.parametrize(("line", "name"), INTRODUCED)
def test_an_introduced_name_stops_at_a_lower_case_word(det: Detector, line: str, name: str) -> None:
    assert has(det, [line], name, "name", None)


@pytest.mark.parametrize("line", ["the team called Social Care straight away", "a group known as the hub meets"])
def test_ordinary_words_after_a_cue_are_no_nickname(det: Detector, line: str) -> None:
    assert not any(m.kind == "name" for m in found(det, [line]))


# ------------------------------------------------------------ a vehicle registration over a line end


def test_a_registration_split_over_two_lines(det: Detector) -> None:
    lines = ["Mum said a blue estate car (reg WQ21", "HPT) was parked outside the school"]
    assert has(det, lines, "WQ21 HPT", "identifier")


def test_two_lines_of_ordinary_words_are_no_registration(det: Detector) -> None:
    lines = ["Corinna moved up to year 10", "CAMHS will write to her GP"]
    assert not any(m.kind == "identifier" for m in found(det, lines))


# ------------------------------------------------------------ dates of birth written in words

DATES = [
    ("the ninth of January 1990", dt.date(1990, 1, 9)),
    ("twenty-third of March 2001", dt.date(2001, 3, 23)),
    ("Thirty First December 1999", dt.date(1999, 12, 31)),
    ("4TH JUNE 2009", dt.date(2009, 6, 4)),
    ("June 4th, 2009", dt.date(2009, 6, 4)),
    ("fortieth of May 2001", None),
    ("31st of June 2001", None),
]


@pytest.mark.parametrize(("text", "date"), DATES)
def test_dates_in_words(text: str, date: dt.date | None) -> None:
    assert parse_date(text.removeprefix("the ")) == date


DOBS = [
    (["Mother | Bethany Walsh, d.o.b. given as the ninth of January 1990"], "ninth of January 1990", "bethan"),
    (["Lowri Fenn, born on the 2nd of August 2008, shares a room"], "2nd of August 2008", "lowri"),
    (["NOMINAL: FENN, LOWRI DOB 2ND AUGUST 2008"], "2ND AUGUST 2008", "lowri"),
]


@pytest.mark.parametrize(("lines", "text", "person"), DOBS)
def test_dates_of_birth_in_words(det: Detector, lines: list[str], text: str, person: str) -> None:
    assert has(det, lines, text, "identifier", person)


def test_a_meeting_date_in_words_is_no_date_of_birth(det: Detector) -> None:
    lines = ["Bethany came to the review on the second of May 2019 with Corinna"]
    assert not any(m.kind == "identifier" for m in found(det, lines))


# ------------------------------------------------------------ an officer's collar number between rank and name

COLLARS = [
    (["SEEN BY PC 2718 MARSH AT THE ADDRESS"], "2718"),
    (["Lowri was brought back by PC 3306 Ingrid Marsh at 10pm"], "3306"),
]


@pytest.mark.parametrize(("lines", "number"), COLLARS)
def test_collar_number_between_rank_and_name(det: Detector, lines: list[str], number: str) -> None:
    assert has(det, lines, number, "identifier", "marsh")


def test_a_missing_person_report_number_is_a_police_reference(det: Detector) -> None:
    lines = ["ALSO MISSING LOWRI FENN 15YRS - SEE MISPER REPORT 1104-0388."]
    assert has(det, lines, "1104-0388", "identifier")


@pytest.mark.parametrize("line", ["the PC 2024 upgrade is due", "she is in room PC 3306 today"])
def test_a_number_after_pc_with_no_name_is_no_collar_number(det: Detector, line: str) -> None:
    assert not any(m.kind == "identifier" for m in found(det, [line]))


# ------------------------------------------------------------ a registered first name cut short

SHORT = [
    ("did her nails with lowr in the lounge", "lowr", "lowri"),  # a four-letter cut
    ("Zeph was on checks overnight", "Zeph", "zeph"),
    ("zeph and lowri out past curfew", "zeph", "zeph"),
    ("ZEPH'S SOCIAL WORKER RANG", "ZEPH", "zeph"),
    ("Cor asked if she could ring her mum", "Cor", "corin"),
]


@pytest.mark.parametrize(("line", "text", "person"), SHORT)
def test_a_first_name_cut_short(det: Detector, line: str, text: str, person: str) -> None:
    assert has(det, [line], text, "name", person)


NOT_SHORT = [
    ("did her nails with low lights", "low"),  # "low" is a word
    ("Dani from the home rang", "Dani"),  # a name of its own, not Danielle cut short
    ("Dec 12th review with Corinna", "Dec"),  # a month
    ("The DEC panel met on Monday", "DEC"),  # three capitals in mixed writing: an abbreviation
    ("She went to the shop", "She"),  # a word
]


@pytest.mark.parametrize(("line", "word"), NOT_SHORT)
def test_names_months_words_and_abbreviations_are_not_short_forms(det: Detector, line: str, word: str) -> None:
    assert not any(m.kind == "name" and m.text == word and m.via == "short form" for m in found(det, [line]))


# ------------------------------------------------------------ a registered name that is a word, in a lower-case note


def test_a_name_that_is_a_word_in_a_sentence_written_in_lower_case(det: Detector) -> None:
    assert has(det, ["tues 9th - rob turned up at the gate at 11, asked for corinna"], "rob", "name", "rob")


@pytest.mark.parametrize(
    "line", ["They said he would rob the shop and turned back.", "Tues 9th - Corinna said they tried to rob a bike"]
)
def test_the_word_in_ordinary_writing_is_no_name(det: Detector, line: str) -> None:
    assert not any(m.kind == "name" and m.text == "rob" for m in found(det, [line]))


# ------------------------------------------------------------ a given name that is also a word, with an initial


def test_a_given_name_that_is_a_word_with_a_surname_initial_is_a_person(det: Detector) -> None:
    assert has(det, ["Also Brooke S and Tiarna have both been spoken to."], "Brooke S", "name", None)


def test_a_word_with_a_capital_after_the_is_no_person(det: Detector) -> None:
    assert not any(m.kind == "name" for m in found(det, ["We walked along the Brook B path to school."]))


# ------------------------------------------------------------ the owner named after a detail

OWNERS = [
    (["CORINNA WALSH SEEN GETTING INTO VRM WQ21 HPT DRIVEN BY MALE KNOWN AS WEASEL."], "WQ21 HPT", None),
    (["Corinna got into a car (WQ21 HPT) driven by Bethany Walsh."], "WQ21 HPT", "bethan"),
    (["Corinna has passed her test and drives her own car, WQ21 HPT."], "WQ21 HPT", "corin"),
]


@pytest.mark.parametrize(("lines", "text", "person"), OWNERS)
def test_the_owner_named_after_a_detail(det: Detector, lines: list[str], text: str, person: str | None) -> None:
    assert has(det, lines, text, "identifier", person)


def test_a_word_in_a_printout_in_capitals_is_not_initials(det: Detector) -> None:
    # Aled Sorrell's initials are AS
    assert not any(m.text == "AS" for m in found(det, ["MALE KNOWN AS WEASEL SEEN BY PC MARSH"]))
    assert has(det, ["Minutes taken by AS, shared with Declan."], "AS", "name", "aled")


# ------------------------------------------------------------ a street in capitals with no number

CAPS_STREETS = [
    (["LOWRI FENN LOCATED AT FLAT ABOVE THE BOOKIES ON TANNER STREET"], "TANNER STREET", "lowri"),
    (["LOWRI FENN SEEN IN ASHBY ROAD AT 22:10"], "ASHBY ROAD", "lowri"),
]


@pytest.mark.parametrize(("lines", "text", "person"), CAPS_STREETS)
def test_a_street_in_capitals_after_a_preposition(det: Detector, lines: list[str], text: str, person: str) -> None:
    assert has(det, lines, text, "contact", person)


def test_a_road_in_capitals_tied_to_no_one_is_no_address(det: Detector) -> None:
    assert not any(m.kind == "contact" for m in found(det, ["MAIN ROAD CLOSED DUE TO AN RTC"]))


# ------------------------------------------------------------ whose detail: the carers, a list of attendees

CARERS = [
    ["Placement agreed from Friday. Carers' mobile 07700 900461."],
    ["The foster carers can be reached on 07700 900462 after 6pm."],
]


@pytest.mark.parametrize("lines", CARERS)
def test_a_detail_after_a_carer_word_is_the_carers(det: Detector, lines: list[str]) -> None:
    phone = next(m for m in found(det, lines) if m.kind == "contact")
    assert phone.person in ("gwen", "ellis")


def test_a_detail_of_a_named_person_is_theirs_not_the_carers(det: Detector) -> None:
    lines = ["Bethany told the carers her new number is 07700 900463."]
    assert has(det, lines, "07700 900463", "contact", "bethan")


def test_a_list_of_attendees_headed_by_a_professional_owns_no_detail_below(det: Detector) -> None:
    lines = [
        "Present: Declan Ashe (SW), Gwen Tolland and Ellis Tolland (carers), Corinna (part).",
        "",
        "Venue: 14 Heron Way, Ashcombe QX4 7TT.",
    ]
    address = [m for m in found(det, lines) if m.kind == "contact"]
    assert address and all(m.person != "declan" for m in address)


def test_a_professionals_signature_still_owns_the_work_line_below(det: Detector) -> None:
    lines = ["Declan Ashe", "Social Worker | Children in Care | 01632 960471"]
    assert has(det, lines, "01632 960471", "contact", "declan")


# ------------------------------------------------------------ a residential worker in role is staff, not a private life


def test_a_residential_workers_role_is_no_statement_about_her(det: Detector) -> None:
    lines = ["hi declan, danielle from heron house here. corinna forgot her pe kit."]
    assert not any(m.kind == "sensitive" and m.person == "danielle" for m in found(det, lines))


def test_a_foster_carers_circumstances_are_still_hers(det: Detector) -> None:
    lines = ["Gwen is moving house next month and has put the farm up for sale."]
    assert any(m.kind == "sensitive" and m.person == "gwen" for m in found(det, lines))


# ------------------------------------------------------------ OCR of a printout in capitals: one line, one block


def _ocr_row(words: list[str], x: float, char: float, height: float, gap_chars: float = 1.1) -> list[tuple]:
    """OCR-style word boxes of one printed row: boxes as tall as capitals, spaced like a typewriter font."""
    out = []
    for i, w in enumerate(words):
        out.append((x, 100.0, x + char * len(w), 100.0 + height, w, 0, 0, i))
        x += char * len(w) + char * gap_chars
    return out


def test_a_row_of_capitals_in_a_typewriter_font_stays_one_block() -> None:
    row = _ocr_row("MALE KNOWN AS WEASEL DROVE OFF".split(), 50.0, char=5.7, height=6.2)
    assert len({w[5] for w in layout_words(row)}) == 1


def test_cells_of_a_scanned_form_still_split() -> None:
    row = _ocr_row(["Name"], 50.0, char=5.0, height=7.0) + _ocr_row(["Lowri", "Fenn"], 200.0, char=5.0, height=7.0)
    out = layout_words([(*w[:5], 0, 0, i) for i, w in enumerate(row)])
    assert out[0][5] != out[1][5] == out[2][5]
