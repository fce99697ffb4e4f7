"""Forms, letters and notebooks, table-driven with invented people: a reference in the value cell of a labelled
form row, the town between an address line and its postcode, the heading of an organisation's letter and the
writer's own number in a letter, and names written in lower case in a notebook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_detect import make_page

from sarkit.detect import Detector
from sarkit.detect.recognisers.names import lower_case_page
from sarkit.models import Manifest, Person
from sarkit.resources import shipped_rules_dir


def P(pid: str, name: str, role: str, **kw: object) -> Person:
    return Person(id=pid, name=name, role=role, **kw)  # type: ignore[arg-type]


PEOPLE = (
    P("jade", "Jade Marsh", "subject", aliases=("Jade",), born=dt.date(2006, 4, 1), pronouns="she"),
    P("corinne", "Corinne Marsh", "mother", aliases=("Mum", "Corinne"), known=True, pronouns="she"),
    P("gary", "Gary Pask", "father", aliases=("Gary",), known=True, pronouns="he"),
    P("lee", "Lee Varley", "partner-of-parent", aliases=("Lee",), known=False, pronouns="he"),
    P("tyrone", "Tyrone Marsh", "sibling", aliases=("Ty", "Tyrone"), known=True, pronouns="he"),
    P("lena", "Lena Trow", "police-officer", aliases=("PC Trow",), pronouns="she"),
    P("amir", "Amir Shah", "gp", aliases=("Dr Shah",), pronouns="he"),
    P("karen", "Karen Pike", "social-worker", aliases=("Ms Pike",), pronouns="she"),
)
MANIFEST = Manifest(Path("case.yaml"), 1, "SAR-1", dt.date(2026, 1, 1), "uk-dpa2018", PEOPLE)


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector(MANIFEST, shipped_rules_dir())


def found(det: Detector, lines: list[str], kinds: tuple[str, ...]) -> list[tuple[str, str | None, str]]:
    pt = make_page(lines)
    return [(m.text, m.person, m.detector) for m in det.detect_page("d", 0, pt) if m.kind in kinds]


# ---------------------------------------------------------------- label/value rows of forms

FORM_CASES = [
    # (rows, the reference expected, its person) -- None: no reference from the form row
    (["SUSPECT", "Name | PASK, Gary", "DOB | 03/02/1980", "PNC ID | 07/551902X"], "07/551902X", "gary"),
    (["Reporting officer | PC Lena Trow", "Collar no. | 4471"], "4471", "lena"),
    (["Occurrence no. | KW/14/22817", "Date / time | 21/06/2014 0140hrs"], "KW/14/22817", None),
    (["Custody number: | 55120Q"], "55120Q", None),
    # negatives: not a reference shape, or a label that is not a reference's
    (["Collar no. | n/a"], None, None),
    (["Date / time | 21/06/2014 0140hrs"], None, None),
    (["Year | 2014"], None, None),
    (["School | Priory Lane Primary 1234"], None, None),
    (["Ref | 55120"], None, None),  # a council's own reference tied to no one: not proposed from the row
    (["Vehicle | blue Ford Focus"], None, None),
]


@pytest.mark.parametrize(("rows", "value", "who"), FORM_CASES)
def test_reference_in_a_form_row(det: Detector, rows: list[str], value: str | None, who: str | None) -> None:
    refs = [(t, p) for t, p, d in found(det, rows, ("identifier",)) if d == "id.reference"]
    if value is None:
        assert refs == []
    else:
        assert (value, who) in refs, refs


# ---------------------------------------------------------------- the town of an address


@pytest.mark.parametrize(
    ("line", "address"),
    [
        ("Gary Pask lives at 17 Heron Close, Marshby EK7 3PL now.", "17 Heron Close, Marshby"),
        (
            "Gary Pask lives at 17 Heron Close, Upper Marshby, Lowdale EK7 3PL now.",
            "17 Heron Close, Upper Marshby, Lowdale",
        ),
        ("Gary Pask lives at 17 Heron Close EK7 3PL now.", "17 Heron Close"),  # no town between
        ("Gary Pask lives at 17 Heron Close, Marshby.", "17 Heron Close"),  # no postcode: the town is not known as one
    ],
)
def test_town_between_address_and_postcode(det: Detector, line: str, address: str) -> None:
    """The address line runs on to the town before its postcode (one value: the town alone, shared by many
    addresses, is not withheld wherever it shows)."""
    contacts = found(det, [line], ("contact",))
    assert [(t, p) for t, p, d in contacts if d == "id.address"] == [(address, "gary")]


# ---------------------------------------------------------------- letters

LETTER = [
    "Ridgeway Health Centre",
    "9 Kiln Lane, Dunford WQ4 4BB Tel 01632 960777",
    "",
    "Ms Karen Pike, Social Worker",
    "",
    "Dear Ms Pike",
    "I saw Corinne Marsh on Monday about her sleep.",
    "",
    "Yours sincerely",
    "",
    "Dr Amir Shah",
]


def _phone(det: Detector, lines: list[str], number: str) -> str | None:
    hits = [p for t, p, d in found(det, lines, ("contact",)) if t == number]
    assert hits, found(det, lines, ("contact",))
    return hits[0]


def test_letterhead_is_the_signatory_s(det: Detector) -> None:
    assert _phone(det, LETTER, "01632 960777") == "amir"


@pytest.mark.parametrize(
    ("lines", "who"),
    [
        # no organisation above: a private letter's heading is not given to the signatory
        (
            [
                "12 Poplar Road, Dunford WQ4 4BC Tel 01632 960778",
                "",
                "Dear Ms Pike",
                "It is about Jade.",
                "",
                "Yours sincerely",
                "Gary Pask",
            ],
            None,
        ),  # noqa: E501
        # a person named above the detail: the detail is that person's, not the letterhead's
        (
            [
                "Ridgeway Health Centre",
                "Re: Gary Pask, 01632 960778",
                "",
                "Dear Ms Pike",
                "",
                "Yours sincerely",
                "Dr Amir Shah",
            ],
            "gary",
        ),  # noqa: E501
        # no salutation: not a letter
        (["Ridgeway Health Centre", "Tel 01632 960778", "", "Notes of the visit.", "", "Dr Amir Shah"], None),
    ],
)
def test_letterhead_negatives(det: Detector, lines: list[str], who: str | None) -> None:
    assert _phone(det, lines, "01632 960778") == who


@pytest.mark.parametrize(
    ("lines", "who"),
    [
        (
            [
                "Please ring me at the clinic on 01632 960779 if you want to talk.",
                "",
                "Yours sincerely",
                "",
                "Dr Amir Shah",
            ],
            "amir",
        ),  # noqa: E501
        (["Please ring me on 01632 960779.", "", "Kind regards", "Gary Pask"], "gary"),  # a parent's letter: his own
        (["Please ring me on 01632 960779."], None),  # no one signs: no writer
    ],
)
def test_writer_s_own_number_in_a_letter(det: Detector, lines: list[str], who: str | None) -> None:
    assert _phone(det, lines, "01632 960779") == who


# ---------------------------------------------------------------- notebooks in lower case

NOTEBOOK = [
    "mon 3rd - jade up early, ate her breakfast.",
    "mum rang at 5, said lee has gone again and she is upset.",
    "tues 4th - contact off, ty has a temp and a rash.",
    "wed 5th - quiet day, jade did her reading.",
    "thurs 6th - school trip, packed lunch made.",
    "fri 7th - film night, bed at 9.",
]


def test_lower_case_page_rule() -> None:
    assert lower_case_page("\n".join(NOTEBOOK))
    assert not lower_case_page("\n".join(line.capitalize() for line in NOTEBOOK))
    assert not lower_case_page("mum rang\nlee came")  # too few lines to tell


def _names(det: Detector, lines: list[str]) -> list[tuple[str, str | None]]:
    return [(t, p) for t, p, _ in found(det, lines, ("name",))]


def test_lower_case_names_in_a_notebook(det: Detector) -> None:
    names = _names(det, NOTEBOOK)
    assert ("lee", "lee") in names and ("ty", "tyrone") in names
    sensitive = [(t, p) for t, p, _ in found(det, NOTEBOOK, ("sensitive",))]
    assert any(p == "tyrone" and "rash" in t for t, p in sensitive), sensitive


@pytest.mark.parametrize(
    "line",
    [
        "we sat in the lee of the wall to eat.",  # an ordinary word, nothing of a person around it
        "the ty in the margin was a typo.",
    ],
)
def test_lower_case_words_that_are_not_names(det: Detector, line: str) -> None:
    page = [*NOTEBOOK[:1], line, *NOTEBOOK[3:]]
    assert not [t for t, _ in _names(det, page) if t in ("lee", "ty")]


def test_two_letter_name_needs_a_notebook(det: Detector) -> None:
    capitalised = [line[0].upper() + line[1:] for line in NOTEBOOK]
    assert not [t for t, _ in _names(det, capitalised) if t == "ty"]


# ---------------------------------------------------------------- a scanned form, read by real Tesseract

FORM_ROWS = [
    ("SUSPECT", ""),
    ("Name", "PASK, Gary"),
    ("DOB", "03/02/1980"),
    ("PNC ID", "07/551902X"),
    ("Address", "17 Heron Close, Marshby EK7 3PL"),
    ("Reporting officer", "PC Lena Trow, Dunford Response"),
    ("Collar no.", "4471"),
]


def _scanned_form(path: Path) -> Path:
    import pymupdf

    src = pymupdf.open()
    page = src.new_page(width=500, height=260)
    y = 30.0
    for label, value in FORM_ROWS:
        if value:
            page.draw_rect(pymupdf.Rect(30, y - 14, 170, y + 6), color=(0, 0, 0), width=0.6)
            page.draw_rect(pymupdf.Rect(170, y - 14, 470, y + 6), color=(0, 0, 0), width=0.6)
            page.insert_text((36, y), label, fontsize=10, fontname="hebo")
            page.insert_text((176, y), value, fontsize=10, fontname="helv")
        else:
            page.insert_text((30, y), label, fontsize=12, fontname="hebo")
        y += 26
    pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
    out = pymupdf.open()
    p = out.new_page(width=500, height=260)
    p.insert_image(p.rect, stream=pix.tobytes("png"))
    out.save(path)
    return path


def test_scanned_police_form_rows(det: Detector, tmp_path: Path) -> None:
    import shutil

    from sarkit.ingest import pdf as pdfmod
    from sarkit.ingest import read_document
    from sarkit.text import page_text

    if shutil.which("tesseract") is None or pdfmod.find_tessdata() is None:
        pytest.skip("tesseract-ocr-eng is not installed")
    src = _scanned_form(tmp_path / "form.pdf")
    doc = read_document(src, src.name, tmp_path / "cache")
    pt = page_text(doc.pages[0])
    got = {(m.text, m.person) for m in det.detect_page("d", 0, pt) if m.kind in ("identifier", "contact")}
    assert ("07/551902X", "gary") in got, got
    assert ("4471", "lena") in got, got
    assert ("17 Heron Close, Marshby", "gary") in got, got


# ---------------------------------------------------------------- statements on a form's labelled rows


def _sensitive(det: Detector, rows: list[str]) -> list[tuple[str, str | None]]:
    return [(t, p) for t, p, _ in found(det, rows, ("sensitive",))]


@pytest.mark.parametrize(
    ("rows", "word", "who"),
    [
        # the person of the value cell of the nearest row above that names one
        (
            ["VICTIM", "Name | MARSH, Corinne", "DOB | 02/02/1985", "Injuries | bruising to her left arm"],
            "bruising",
            "corinne",
        ),  # noqa: E501
        (
            ["SUSPECT", "Name | PASK, Gary", "Tel | 01632 960780", "Previous | conviction for assault 2011"],
            "assault",
            "gary",
        ),  # noqa: E501
        # the nearest one wins: two people's sections one after the other
        (
            ["Name | MARSH, Corinne", "DOB | 02/02/1985", "Name | PASK, Gary", "Injuries | bruising to his left arm"],
            "bruising",
            "gary",
        ),  # noqa: E501
        # negative: a professional in the row above is not who the statement is about
        (["Officer | PC Lena Trow", "Notes | an overdose of paracetamol last year"], "overdose", "jade"),
    ],
)
def test_statement_on_a_form_row(det: Detector, rows: list[str], word: str, who: str) -> None:
    hits = [p for t, p in _sensitive(det, rows) if word in t]
    assert hits and hits[0] == who, _sensitive(det, rows)


# ---------------------------------------------------------------- initials that are abbreviations


def test_initials_that_are_abbreviations_are_not_names() -> None:
    people = (
        P("jade", "Jade Marsh", "subject", aliases=("Jade",)),
        P("ivy", "Ivy Dunn", "grandparent", known=True),  # initials "ID"
        P("gwen", "Gwen Pell", "aunt", aliases=("GP",), known=True),  # "GP" is her alias in the register
        P("kim", "Kim Bell", "aunt", known=True),  # initials "KB": an ordinary pair of initials
    )
    det = Detector(
        Manifest(Path("case.yaml"), 1, "SAR-1", dt.date(2026, 1, 1), "uk-dpa2018", people), shipped_rules_dir()
    )
    names = {
        (t, p) for t, p, _ in found(det, ["PNC ID 07/551902X was checked.", "GP came round.", "KB rang."], ("name",))
    }
    assert ("ID", "ivy") not in names
    assert ("GP", "gwen") in names and ("KB", "kim") in names


# ---------------------------------------------------------------- rows of a slanted scan


def test_rows_of_a_slanted_scan_follow_its_lines() -> None:
    from sarkit.detect.context import PageContext
    from sarkit.models import Page, Word
    from sarkit.text import page_text

    # OCR words: label cells and value cells of three rows, the values climbing (a slanted sheet), each row one
    # OCR line; and a heading line of its own
    ws = []
    for r, (label, value) in enumerate(
        [("Name", "MARSH, Corinne"), ("DOB", "02/02/1985"), ("Injuries", "a b c d e f")]
    ):
        y = 50.0 + 16 * r
        ws.append(Word(label, 30, y + 3, 60, y + 11, 2 * r, r, True))
        for k, tok in enumerate(value.split()):
            ws.append(Word(tok, 120 + 40 * k, y - 0.8 * k, 150 + 40 * k, y + 8 - 0.8 * k, 2 * r + 1, r, True))
    ws.append(Word("CIRCUMSTANCES", 30, 110, 120, 118, 9, 3, True))
    ctx = PageContext.build(page_text(Page(0, 400, 200, tuple(ws), scanned=True)))
    rows = [[ctx.pt.words[i].text for i in row] for row in ctx.rows]
    assert rows == [["Name", "MARSH,", "Corinne"], ["DOB", "02/02/1985"], ["Injuries", *"abcdef"], ["CIRCUMSTANCES"]]


# ---------------------------------------------------------------- the requester's own places, case-wide


def _prop(pid: str, text: str, person: str, detector: str, action: str, rule: str) -> object:
    from sarkit.models import Mention, Proposal

    m = Mention("doc", 0, 0, len(text), text, "contact", person, detector)
    return Proposal(pid, m, action, None if action == "keep" else "TP", "", rule, "")


@pytest.mark.parametrize(
    ("others", "expected"),
    [
        # the subject's children's home, also the workplace of a residential worker and another child's home: kept
        ([("w", "Ferncliffe House", "worker", "contact.place", "redact", "known-family")], {"w": "keep"}),
        ([("c", "Ferncliffe House", "child", "contact.place", "redact", "other-group")], {"c": "keep"}),
        # negative: an address (not a named place) tied to the subject and to the mother stays withheld everywhere
        ([("m", "14 Poplar Road", "mum", "id.address", "redact", "known-family")], {"m": "redact", "s2": "redact"}),
        # negative: a different place is untouched
        ([("o", "Oakmere Lodge", "sister", "contact.place", "redact", "known-family")], {"o": "redact"}),
    ],
)
def test_requester_s_own_place_is_kept_everywhere(others: list[tuple], expected: dict[str, str]) -> None:
    from sarkit.decide import harmonise

    props = [
        _prop("s1", "Ferncliffe House", "jade", "contact.place", "keep", "subject"),
        _prop("s2", "14 Poplar Road", "jade", "id.address", "keep", "subject"),
        *(_prop(*o) for o in others),
    ]
    changed = {p.id: p.action for p in harmonise(props, "jade")}  # type: ignore[arg-type]
    final = {p.id: changed.get(p.id, p.action) for p in props}  # type: ignore[attr-defined]
    assert final["s1"] == "keep"
    for pid, action in expected.items():
        assert final[pid] == action, final


# ---------------------------------------------------------------- places in lower case in a notebook


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("jade back from seeing tyrone at brackmoor, quiet after.", [("brackmoor", "tyrone")]),
        ("mum is in wexley now, rang from a new number.", [("wexley", "corinne")]),
        # negatives: ordinary words, a professional, nothing after the name
        ("jade at school all day, fine.", []),
        ("mum in town with jade, back by 4.", []),
        # a professional's workplace is the professional's (kept by the rules as a work detail), not a parent's
        ("dr shah at dunmere surgery said all fine.", [("dunmere", "amir")]),
        ("lee rang twice about nothing.", []),
    ],
)
def test_lower_case_place_in_a_notebook(det: Detector, line: str, expected: list[tuple[str, str]]) -> None:
    page = [*NOTEBOOK[:2], line, *NOTEBOOK[3:]]
    places = [(t, p) for t, p, d in found(det, page, ("contact",)) if d == "contact.place"]
    assert places == expected


def test_lower_case_place_needs_a_notebook(det: Detector) -> None:
    page = [
        line[0].upper() + line[1:]
        for line in [*NOTEBOOK[:2], "jade back from seeing Tyrone at brackmoor.", *NOTEBOOK[3:]]
    ]
    assert not [t for t, _, d in found(det, page, ("contact",)) if d == "contact.place"]


def test_a_closing_word_inside_a_sentence_signs_nothing(det: Detector) -> None:
    lines = ["Please ring me on 01632 960779.", "", "I will post it with kind regards to Corinne Marsh tomorrow."]
    assert _phone(det, lines, "01632 960779") is None


@pytest.mark.parametrize("carer_role", ["foster-carer", "kinship-carer", "special-guardian", "adoptive-parent"])
def test_a_carers_private_home_where_the_requester_was_placed_is_withheld_everywhere(carer_role: str) -> None:
    """Negative of the requester's own place: a foster family's farm is the carers' private home. The requester's
    mention of it (their placement) is withheld too, because it is tied to the carers elsewhere."""
    from sarkit.decide import harmonise
    from sarkit.roles import PRIVATE_HOME_CARERS

    assert carer_role in PRIVATE_HOME_CARERS
    props = [
        _prop("s1", "Wrenfold Farm", "jade", "contact.place", "keep", "subject"),
        _prop("c1", "Wrenfold Farm", "carol", "contact.place", "redact", "known-family"),
    ]
    changed = {p.id: p.action for p in harmonise(props, "jade", frozenset({"carol"}))}  # type: ignore[arg-type]
    final = {p.id: changed.get(p.id, p.action) for p in props}  # type: ignore[attr-defined]
    assert final == {"s1": "redact", "c1": "redact"}
    # without the carer's home known, the requester's own placement would be kept everywhere
    changed = {p.id: p.action for p in harmonise(props, "jade")}  # type: ignore[arg-type]
    assert {p.id: changed.get(p.id, p.action) for p in props} == {"s1": "keep", "c1": "keep"}  # type: ignore[attr-defined]


# ---------------------------------------------------------------- a possessor in the row above owns its own row only


@pytest.mark.parametrize(
    ("rows", "place", "who"),
    [
        # "(mother's home)" tells whose the address is; the school on the next row is the child's of the form
        (
            ["Child | MARSH, Jade", "Address | 12 Heron Close, Oakby (mother's home)", "School | Oakby Primary School"],
            "Oakby Primary School",
            "jade",
        ),
        (
            ["Young person | MARSH, Jade", "Address | 12 Heron Close (Gary's flat)", "School | Oakby Primary School"],
            "Oakby Primary School",
            "jade",
        ),
        # a person who is the row's value still owns the row below
        (["Name | PASK, Gary", "Workplace | Oakby Tyre Centre"], "Oakby Tyre Centre", "gary"),
    ],
)
def test_a_possessor_in_the_row_above_owns_only_its_row(det: Detector, rows: list[str], place: str, who: str) -> None:
    assert (place, who, "contact.place") in found(det, rows, ("contact",))
