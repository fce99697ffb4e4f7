"""Detection: table-driven tests per detector, a property test, the dev corpus and a speed measurement."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sarkit.detect import RECOGNISERS, CaseData, Detector, named, nhs_valid, parse_date, resolve_overlaps
from sarkit.detect.context import PageContext
from sarkit.detect.recognisers.contacts import Contacts
from sarkit.detect.recognisers.unregistered import UnregisteredNames
from sarkit.models import Manifest, Mention, Page, Person, Word
from sarkit.resources import shipped_rules_dir
from sarkit.text import PageText, page_text

ROOT = Path(__file__).resolve().parents[1]
RULES = shipped_rules_dir()
SHARED = Path(__file__).resolve().parents[2] / "shared"


def make_page(lines: list[str]) -> PageText:
    """Lines of text to a PageText with fake boxes. "" starts a new block; " | " separates table cells,
    which sit on the same visual row, one block per cell."""
    words: list[Word] = []
    block, line_no, y = 0, 0, 50.0
    for line in lines:
        if line == "":
            block += 1
            y += 14
            continue
        cells = line.split(" | ")
        if len(cells) > 1:
            block += 1
        for ci, cell in enumerate(cells):
            x = 50.0 + ci * 180
            for tok in cell.split():
                w = 6.0 * len(tok)
                words.append(Word(tok, x, y, x + w, y + 10, block + ci, line_no))
                x += w + 4
            line_no += 1
        if len(cells) > 1:
            block += len(cells)
        y += 14
    return page_text(Page(0, 595, 842, tuple(words)))


def P(pid: str, name: str, role: str, **kw: object) -> Person:
    return Person(id=pid, name=name, role=role, **kw)  # type: ignore[arg-type]


PEOPLE = (
    P("jane", "Jane Doe", "subject", aliases=("Jane", "Janey", "JD"), born=dt.date(2004, 3, 12), pronouns="she"),
    P("sharon", "Sharon Doyle", "mother", aliases=("Ms Doyle", "SD"), known=True, born=dt.date(1980, 5, 1)),
    P("mark", "Mark Doe", "father", aliases=("Mark",)),
    P("tom", "Tom Doe", "sibling", aliases=("Tom", "TD"), withheld=("Tom Grant",), known=True, pronouns="he"),
    P("lisa", "Lisa Grant", "adoptive-parent", of="tom", pronouns="she"),
    P("karen", "Karen Pike", "social-worker", aliases=("KP",), pronouns="she"),
    P("anita", "Anita Patel", "neighbour", referrer=True, pronouns="she"),
    P("rose", "Rose Carter", "other-child", pronouns="she"),
    P("ann", "Ann Lee", "family-friend", pronouns="she"),
    P("will", "William Barker", "partner-of-parent", aliases=("Will",), pronouns="he"),
    P("edna", "Edna Doyle", "grandparent", aliases=("Nanna",), pronouns="she"),
    P("amy", "Amy Doe", "half-sibling", pronouns="she"),
    P("beth", "Beth Doe", "half-sibling", pronouns="she"),
    P("gary", "Gary Dowling", "uncle"),
)
MANIFEST = Manifest(Path("case.yaml"), 1, "SAR-1", dt.date(2026, 1, 1), "uk-dpa2018", PEOPLE)


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector(MANIFEST, RULES)


def found(det: Detector, lines: list[str]) -> set[tuple[str, str, str | None, str]]:
    pt = make_page(lines)
    ms = det.detect_page("doc", 0, pt)
    for m in ms:
        assert m.text == pt.text[m.start : m.end]
    return {(" ".join(m.text.replace("-\n", "").split()), m.kind, m.person, m.detector) for m in ms}


POSITIVE = [
    # names
    (["Sharon Doyle attended."], ("Sharon Doyle", "name", "sharon", "name.full")),
    (["SHARON DOYLE attended."], ("SHARON DOYLE", "name", "sharon", "name.full")),
    (["DOYLE, Sharon | Adult"], ("DOYLE, Sharon", "name", "sharon", "name.full")),
    (["Doyle, Sharon was present."], ("Doyle, Sharon", "name", "sharon", "name.full")),
    (["We met Sharon", "Doyle at home."], ("Sharon Doyle", "name", "sharon", "name.full")),
    (["Sharon's flat was cold."], ("Sharon", "name", "sharon", "name.first")),
    (["Ms Doyle said no."], ("Ms Doyle", "name", "sharon", "name.title")),
    (["Mrs Sharon Doyle said no."], ("Mrs Sharon Doyle", "name", "sharon", "name.title")),
    (["Dr Pike wrote."], ("Dr Pike", "name", "karen", "name.title")),
    (["Discussed with SD today."], ("SD", "name", "sharon", "name.initials")),
    (["Discussed with S.D., who agreed."], ("S.D.", "name", "sharon", "name.initials")),
    (["Discussed with S. D. today."], ("S. D.", "name", "sharon", "name.initials")),
    (["Spoke to Ms S.D. today."], ("Ms S.D.", "name", "sharon", "name.initials")),
    (["Karen Pike (KP) visited."], ("KP", "name", "karen", "name.initials")),
    (["Will came round."], ("Will", "name", "will", "name.alias")),
    (["Gary Dow-", "ling visited."], ("Gary Dowling", "name", "gary", "name.full")),
    (["The Pikes' car."], ("Pikes", "name", "karen", "name.surname")),
    (["Anita Patel rang.", "", "Patel said more."], ("Patel", "name", "anita", "name.surname")),
    (["ANITA rang."], ("ANITA", "name", "anita", "name.first")),
    (["Rose was upset."], ("Rose", "name", "rose", "name.first")),
    (["Ann Lee visited and Ann stayed."], ("Ann", "name", "ann", "name.first")),
    # a surname shared by the subject and her father: the nearest full name decides, else the subject
    (["Mark Doe rang. Doe said more."], ("Doe", "name", "mark", "name.surname")),
    (["Doe was seen."], ("Doe", "name", "jane", "name.surname")),
    (["Mr Doe did not attend."], ("Mr Doe", "name", "mark", "name.title")),
    # a title's or an initial's dot with the name glued to it (issue 15)
    (["Referred by Ms.Doyle on Monday."], ("Ms.Doyle", "name", "sharon", "name.title")),
    (["MS.DOYLE attended."], ("MS.DOYLE", "name", "sharon", "name.title")),
    (["Letter copied to G.Dowling."], ("G.Dowling", "name", "gary", "name.full")),
    (["Seen by A.PATEL at the door."], ("A.PATEL", "name", "anita", "name.full")),
    (["Rang K.Patel back."], ("K.Patel", "name", "anita", "name.surname")),  # another initial: the surname still
    (["Carer: Mrs.Ingram (foster carer)."], ("Mrs.Ingram", "name", None, "name.title")),
    # withheld names
    (["Tom Grant is settled."], ("Tom Grant", "name", "tom", "name.withheld")),
    # kinship
    (["Mum came to the review."], ("Mum", "name", "sharon", "kinship")),
    (["Jane said her mum was tired."], ("mum", "name", "sharon", "kinship")),
    (["Her mother was present."], ("mother", "name", "sharon", "kinship")),
    (["Nan came too."], ("Nan", "name", "edna", "kinship")),
    (["Her maternal grandmother visited."], ("maternal grandmother", "name", "edna", "kinship")),
    (["Nanna visited."], ("Nanna", "name", "edna", "name.alias")),
    (["Dad did not come."], ("Dad", "name", "mark", "kinship")),
    (["Her brother was at school."], ("brother", "name", "tom", "kinship")),
    (["Mum's partner was there."], ("Mum's partner", "name", "will", "kinship")),
    (["Tom's adoptive mother visited."], ("adoptive mother", "name", "lisa", "kinship")),
    # unregistered
    (["Mrs Ingram phoned."], ("Mrs Ingram", "name", None, "name.title")),
    # contact details
    (["Karen can be reached on 07700 900123."], ("07700 900123", "contact", "karen", "id.phone")),
    (["Sharon's number is 07700900123."], ("07700900123", "contact", "sharon", "id.phone")),
    (["Call Anita Patel on 01632 960 123 today."], ("01632 960 123", "contact", "anita", "id.phone")),
    (["Karen Pike on 020 7946 0886."], ("020 7946 0886", "contact", "karen", "id.phone")),
    (["Anita Patel: +44 7700 900123"], ("+44 7700 900123", "contact", "anita", "id.phone")),
    (
        ["Anita Patel can be contacted on 07700", "900672 or by email."],
        ("07700 900672", "contact", "anita", "id.phone"),
    ),
    (
        ["From: Karen Pike <karen.pike@brackenshire.gov.uk>"],
        ("karen.pike@brackenshire.gov.uk", "contact", "karen", "id.email"),
    ),
    (["Cc: anitapat77@example.org"], ("anitapat77@example.org", "contact", "anita", "id.email")),
    (
        ["Sharon has moved to Flat 22, 12 Quarry Lane, Ashcombe, BK10 9ST."],
        ("Flat 22, 12 Quarry Lane, Ashcombe", "contact", "sharon", "id.address"),  # the line runs to its town
    ),
    (
        ["Sharon has moved to Flat 22, 12 Quarry Lane, Ashcombe, BK10 9ST."],
        ("BK10 9ST", "contact", "sharon", "id.postcode"),
    ),
    (
        ["Anita Patel lives at 97", "Acorn Terrace, Kestle Cross."],
        ("97 Acorn Terrace", "contact", "anita", "id.address"),
    ),
    (["Mark Doe is living at 3 Mill View."], ("3 Mill View", "contact", "mark", "id.address")),
    (
        ["Placement | Lisa Grant", "Placement address | 127 Cedar Crescent, Millbrook, BK9 5QD"],
        ("127 Cedar Crescent, Millbrook", "contact", "lisa", "id.address"),
    ),
    (
        ["Name | Lisa Grant", "Address | 4 Oak Road", "Mobile | 07700 900111"],
        ("07700 900111", "contact", "lisa", "id.phone"),
    ),
    (
        ["Rose attends Millbrook Infant and Nursery School."],
        ("Millbrook Infant and Nursery School", "contact", "rose", "contact.place"),
    ),
    (
        ["Sharon works at the Asda distribution centre."],
        ("Asda distribution centre", "contact", "sharon", "contact.place"),
    ),
    (["Tom lives with Lisa Grant in Galloway Heath now."], ("Galloway Heath", "contact", "tom", "contact.place")),
    (
        ["Rose has started at Thornbury Vale Primary", "School and likes it."],
        ("Thornbury Vale Primary School", "contact", "rose", "contact.place"),
    ),
    # identifiers
    (["Name | Relationship | DOB", "Mark Doe | Father | 05/09/1966"], ("05/09/1966", "identifier", "mark", "id.dob")),
    (["Amy Doe (DOB 09/03/2005) is subject to a plan."], ("09/03/2005", "identifier", "amy", "id.dob")),
    (["Anita Patel, born 4 June 1970, rang."], ("4 June 1970", "identifier", "anita", "id.dob")),
    (["Date of birth | 01/05/1980"], ("01/05/1980", "identifier", "sharon", "id.dob")),
    (["Seen on 12/03/2004 at home."], ("12/03/2004", "identifier", "jane", "id.dob")),
    (["Jane's NHS number is 999 619 4175."], ("999 619 4175", "identifier", "jane", "id.nhs")),
    (["NHS: 9996194175 for Anita Patel"], ("9996194175", "identifier", "anita", "id.nhs")),
    (["Rose Carter (ID 9332764) attends school."], ("9332764", "identifier", "rose", "id.case")),
    (["NI number | QQ 52 43 44 C"], ("QQ 52 43 44 C", "identifier", None, "id.nino")),
    (["Anita Patel NI QQ123456A."], ("QQ123456A", "identifier", "anita", "id.nino")),
]


@pytest.mark.parametrize(("lines", "expected"), POSITIVE, ids=[e[1][0] + "-" + e[1][3] for e in POSITIVE])
def test_detects(det: Detector, lines: list[str], expected: tuple[str, str, str | None, str]) -> None:
    assert expected in found(det, lines)


NEGATIVE = [
    (["She rose early and will call."], "rose"),
    (["She rose early and will call."], "will"),
    (["Joanne visited."], "Ann"),
    (["The Grantham office."], "Grant"),
    (["The meeting was on 12/05/2019 at the office."], "12/05/2019"),
    (["NHS number 999 619 4176 (mistyped)."], "999 619 4176"),
    (["Her sister was at school."], "sister"),  # two half-sisters: ambiguous, not a name
    (["Case no. 1679872 | Page 1 of 1"], "1679872"),
    (["The review is in Year 8 of school."], "Year 8"),
    (["Name", "DOB", "Address", "School"], "Name DOB Address School"),
    (["karen.pike@brackenshire.gov.uk"], "Pike"),
    # a name glued to a dot that is no title's nor a lone initial's: a web address, an abbreviation
    (["See www.doyle-family.co.uk for photos."], "doyle"),
    (["Arrived approx.Rose Court at ten."], "Rose"),
    (["Email from Mrs.Patel@example.org today."], "Mrs.Patel"),
    (["Took the no.Will route."], "Will"),
    (["mark the register"], "mark"),
]


def test_an_unknown_given_name_is_no_registered_person(det: Detector) -> None:
    # "Joanne" names no one of the register (and "Ann" inside it is no match); since issue 13 a given name
    # where a person stands is an unregistered person for review
    assert {(f[0], f[2]) for f in found(det, ["Joanne visited."]) if f[1] == "name"} == {("Joanne", None)}


@pytest.mark.parametrize(("lines", "text"), NEGATIVE, ids=[n[1] for n in NEGATIVE])
def test_does_not_detect(det: Detector, lines: list[str], text: str) -> None:
    assert text not in {f[0] for f in found(det, lines)}


def _email(sender: str, body: str) -> list[str]:
    return [f"From: {sender}", "Sent: 03 May 2021 18:02", "To: Karen Pike", "", body]


# "my mum" belongs to whoever writes it: in a relative's e-mail the writer's mother, not the subject's
MY_KIN = [
    (_email("Edna Doyle", "My mum is in hospital so I cannot have Jane."), None),  # the grandmother's mother
    (_email("Gary Dowling", "My mum will have Jane on Saturday."), "edna"),  # the uncle's mother: the grandmother
    (_email("Tom Doe", "My mum said I can come to the review."), "sharon"),  # a brother shares the mother
    (_email("Jane Doe", "My mum is not well again."), "sharon"),  # the subject's own
    (_email("Karen Pike", "Jane told me my mum shouts at night."), "sharon"),  # a professional quotes the child
    (["Jane said my mum hits her."], "sharon"),  # no writer: the subject's records
]


@pytest.mark.parametrize(("lines", "who"), MY_KIN)
def test_my_mum_is_the_writers(det: Detector, lines: list[str], who: str | None) -> None:
    kin = [(m.text, m.person) for m in det.detect_page("doc", 0, make_page(lines)) if m.detector == "kinship"]
    assert kin == ([("mum", who)] if who else []), kin


QUALIFIERS = [
    (["Carole", "Social Worker | Children in Care Team | 01632 960088"], "01632 960088", "work"),
    (["Sharon Doyle works at a shop and her mobile is 07700 900939."], "07700 900939", "personal"),
    (["Karen Pike, the social worker, on 020 7946 0886."], "020 7946 0886", "work"),
    (["Email karen.pike@brackenshire.gov.uk"], "karen.pike@brackenshire.gov.uk", "work"),
    (["Email sharon@gmail.com"], "sharon@gmail.com", "personal"),
]


@pytest.mark.parametrize(("lines", "text", "qualifier"), QUALIFIERS)
def test_qualifiers(det: Detector, lines: list[str], text: str, qualifier: str) -> None:
    pt = make_page(lines)
    got = {m.text: m.qualifier for m in det.detect_page("d", 0, pt)}
    assert got[text] == qualifier


def test_withheld_qualifier_and_candidates(det: Detector) -> None:
    ms = det.detect_page("d", 0, make_page(["Tom Grant and Mark Doe. Doe left."]))
    by = {m.text: m for m in ms}
    assert by["Tom Grant"].qualifier == "withheld"
    assert set(by["Doe"].candidates) >= {"jane", "mark"}
    assert by["Doe"].via.startswith("shared name")


def test_sorted_and_no_uncovered_overlap(det: Detector) -> None:
    pt = make_page(["Sharon Doyle (SD), Flat 22, 12 Quarry Lane, BK10 9ST, 07700 900123, DOB 01/05/1980."])
    ms = det.detect_page("d", 0, pt)
    assert ms == sorted(ms, key=lambda m: (m.start, m.end))
    for kind in ("name", "contact", "identifier"):
        spans = [(m.start, m.end) for m in ms if m.kind == kind]
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_resolve_overlaps_trims() -> None:
    a = Mention("d", 0, 0, 10, "x" * 10, "contact", None, "id.address")
    b = Mention("d", 0, 5, 15, "y" * 10, "contact", None, "contact.place")
    c = Mention("d", 0, 2, 4, "zz", "contact", None, "id.phone")
    out = resolve_overlaps([b, c, a])
    assert [(m.start, m.end) for m in out] == [(0, 10), (10, 15)]


def test_helpers() -> None:
    assert nhs_valid("9996194175") and not nhs_valid("9996194176")
    assert parse_date("05/07/2003") == dt.date(2003, 7, 5)
    assert parse_date("5th July 2003") == dt.date(2003, 7, 5)
    assert parse_date("31/02/2003") is None


def test_a_new_recogniser_is_one_class_in_the_list() -> None:
    """A recogniser added to the registry sees what those before it found; its mentions come out with theirs."""
    seen: list[list[str]] = []

    class Vehicles:  # vehicle registrations, given to the person named before them
        def __init__(self, case: CaseData) -> None:
            self.rx = re.compile(r"\b[A-Z]{2}\d{2} ?[A-Z]{3}\b")

        def detect(
            self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]
        ) -> list[Mention]:
            people = named(found)
            seen.append([m.text for m in people])
            pid = people[0].person if people else None
            return [
                Mention(doc, page, m.start(), m.end(), m.group(0), "identifier", pid, "id.vehicle")
                for m in self.rx.finditer(pt.text)
            ]

    page = make_page(["Mark Doe drives AB12 CDE; his mobile is 07700 900123."])
    det = Detector(MANIFEST, RULES, recognisers=(*RECOGNISERS, Vehicles))
    got = {(m.text, m.person, m.detector) for m in det.detect_page("d", 0, page)}
    assert seen == [["Mark Doe"]]
    assert {("AB12 CDE", "mark", "id.vehicle"), ("07700 900123", "mark", "id.phone")} <= got
    # a list without a recogniser finds nothing of its kind
    det = Detector(MANIFEST, RULES, recognisers=[r for r in RECOGNISERS if r is not Contacts])
    assert not [m for m in det.detect_page("d", 0, page) if m.detector == "id.phone"]
    # sensitive statements read the state of the very unregistered-names recogniser the list runs
    assert sum(r is det.case.shared(UnregisteredNames) for r in det.recognisers) == 1


def test_lexicon_is_data(tmp_path: Path) -> None:
    """An authority extends the kinship lexicon without code: a new term resolves."""
    (tmp_path / "kinship.yaml").write_text(
        "terms:\n  - {terms: [mammy], roles: [mother], gender: she}\n", encoding="utf-8"
    )
    (tmp_path / "identifiers.yaml").write_text((RULES / "identifiers.yaml").read_text(), encoding="utf-8")
    d = Detector(MANIFEST, tmp_path)
    assert ("Mammy", "name", "sharon", "kinship") in found(d, ["Mammy came."])


def test_bad_lexicon_is_one_sentence(tmp_path: Path) -> None:
    from sarkit.errors import SarkitError

    (tmp_path / "kinship.yaml").write_text("terms:\n  - {terms: [mum], roles: [queen]}\n", encoding="utf-8")
    (tmp_path / "identifiers.yaml").write_text((RULES / "identifiers.yaml").read_text(), encoding="utf-8")
    with pytest.raises(SarkitError, match="kinship.yaml"):
        Detector(MANIFEST, tmp_path)


_alphabet = st.sampled_from(
    list("abcSDJMTdoyle 0179/.-,:@'\n|")
    + ["Sharon", "Doyle", "Mum", "07700", "BK10 9ST", "Flat", "Lane", "DOB", "Mr", "School", "-\n"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_alphabet, max_size=60).map("".join))
def test_never_raises_and_offsets_hold(text: str) -> None:
    det = _DET
    lines = text.split("\n")
    pt = make_page(lines)
    for m in det.detect_page("d", 0, pt):
        assert 0 <= m.start < m.end <= len(pt.text)
        assert m.text == pt.text[m.start : m.end]
        assert m.kind in ("name", "contact", "identifier", "sensitive")


_DET = Detector(MANIFEST, RULES)


# ------------------------------------------------------------------ the dev corpus


def _manifest_from(case: Path) -> Manifest:
    import yaml

    data = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    people = []
    for p in data["people"]:
        people.append(
            Person(
                id=p["id"],
                name=p["name"],
                role=p["role"],
                of=p.get("of"),
                aliases=tuple(p.get("aliases") or ()),
                known=bool(p.get("known", False)),
                consent=p.get("consent", "none"),
                referrer=bool(p.get("referrer", False)),
                deceased=bool(p.get("deceased", False)),
                risk=bool(p.get("risk", False)),
                withheld=tuple(p.get("withheld") or ()),
                pronouns=p.get("pronouns"),
                born=p.get("born"),
            )
        )
    return Manifest(case / "case.yaml", 1, data["reference"], data["received"], data["rules"], tuple(people))


def _pdf_pages(path: Path) -> list[PageText]:
    import pymupdf

    out = []
    with pymupdf.open(path) as doc:
        for i, pg in enumerate(doc):
            lines: dict[tuple[int, int], int] = {}
            words = []
            for x0, y0, x1, y1, t, b, ln, _ in pg.get_text("words"):
                key = (b, ln)
                lines.setdefault(key, len(lines))
                words.append(Word(t, x0, y0, x1, y1, b, lines[key]))
            out.append(page_text(Page(i, pg.rect.width, pg.rect.height, tuple(words))))
    return out


def _corpus_pages() -> list[tuple[Path, str, dict, list[PageText]]]:
    out = []
    for case in sorted((SHARED / "corpus").glob("dev-*")):
        truth = json.loads((case / "truth.json").read_text(encoding="utf-8"))
        for name, info in truth["documents"].items():
            if info.get("format") != "pdf":
                continue
            pages = _pdf_pages(case / "documents" / name)
            if sum(len(p.text) for p in pages) < 50:
                continue
            out.append((case, name, info, pages))
    return out


@pytest.mark.skipif(not SHARED.exists(), reason="/work/shared is absent")
def test_corpus_recall(capsys: pytest.CaptureFixture[str]) -> None:
    """Share of `redact` items (name/contact/identifier) covered by a mention the policy would redact."""
    per_case: dict[str, list[int]] = {}
    missed: list[str] = []
    dets: dict[Path, Detector] = {}
    for case, name, info, pages in _corpus_pages():
        if case not in dets:
            dets[case] = Detector(_manifest_from(case), RULES)
        det = dets[case]
        subject = det.subject.id
        covered: list[tuple[int, int]] = []
        texts = []
        base = 0
        for i, pt in enumerate(pages):
            for m in det.detect_page(name, i, pt):
                if m.kind in ("name", "contact", "identifier") and m.person != subject:
                    covered.append((base + m.start, base + m.end))
            texts.append(pt.text)
            base += len(pt.text) + 1
        joined = "\n".join(texts)
        for item, tag in info["redact_tags"].items():
            if tag["kind"] not in ("name", "contact", "identifier"):
                continue
            occ = _occurrences(joined, item)
            if not occ:
                continue  # not in the text layer (or only in capitals elsewhere)
            stats = per_case.setdefault(case.name, [0, 0])
            stats[1] += 1
            if all(any(s <= a and b <= e for s, e in covered) for a, b in occ):
                stats[0] += 1
            else:
                missed.append(f"{case.name}/{name}: {item!r} ({tag['person']})")
    total = [sum(v[0] for v in per_case.values()), sum(v[1] for v in per_case.values())]
    with capsys.disabled():
        print()
        for c, (hit, n) in sorted(per_case.items()):
            print(f"  {c}: {hit}/{n} redact items covered ({hit / max(n, 1):.0%})")
        print(f"  all: {total[0]}/{total[1]} ({total[0] / max(total[1], 1):.0%})")
        for m in missed:
            print("   missed", m)
    assert total[1] > 20
    assert total[0] / total[1] >= 0.85


def _occurrences(text: str, item: str) -> list[tuple[int, int]]:
    import re

    parts = [re.escape(p) for p in item.split()]
    rx = re.compile(r"(?<![\w])" + r"\s+".join(parts) + r"(?![\w])")
    return [m.span() for m in rx.finditer(text)]


@pytest.mark.skipif(not SHARED.exists(), reason="/work/shared is absent")
def test_speed_report(capsys: pytest.CaptureFixture[str]) -> None:
    """Pages per second over corpus-like pages (reported, not asserted)."""
    pages = _corpus_pages()
    if not pages:
        pytest.skip("no text PDFs in the corpus")
    case = pages[0][0]
    det = Detector(_manifest_from(case), RULES)
    pts = [pt for _, _, _, ps in pages for pt in ps]
    work = (pts * (300 // len(pts) + 1))[:300]
    t0 = time.perf_counter()
    n = sum(len(det.detect_page("d", i, pt)) for i, pt in enumerate(work))
    dt_s = time.perf_counter() - t0
    with capsys.disabled():
        print(f"\n  detection: {len(work)} pages, {n} mentions, {len(work) / dt_s:.0f} pages/s")
    assert n > 0


@pytest.mark.parametrize("text", ["Home: 27 Quarrymans Way, VX3\n5LD", "Home: 27 Quarrymans Way, VX3\n\n5LD"])
def test_postcode_wrapped_in_a_table_cell(text: str) -> None:
    from sarkit.decide import rules_dir
    from sarkit.detect.lexicon import load_lexicon

    lex = load_lexicon(rules_dir())
    assert [m.group(0).split() for m in lex.patterns["id.postcode"].finditer(text)] == [["VX3", "5LD"]]


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("Mum posts as @sharon_d_88 on Instagram.", "@sharon_d_88"),
        ("Write to sharon.doyle@example.com today.", None),  # an e-mail, not a handle
    ],
)
def test_social_media_handles(line: str, found: str | None) -> None:
    from sarkit.decide import rules_dir
    from sarkit.detect.lexicon import load_lexicon

    hits = [m.group(0) for m in load_lexicon(rules_dir()).patterns["id.handle"].finditer(line)]
    assert hits == ([found] if found else [])


@pytest.mark.parametrize(
    ("text", "found"), [("at QX9 2DW today", True), ("at Qx9 2DW today", True), ("at qx9 2dw", False)]
)
def test_postcode_with_a_misread_lower_case_letter(text: str, found: bool) -> None:
    from sarkit.decide import rules_dir
    from sarkit.detect.lexicon import load_lexicon

    assert bool(load_lexicon(rules_dir()).patterns["id.postcode"].search(text)) is found
