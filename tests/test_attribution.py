"""Attribution: who a clause is about (names, pronouns, kinship terms, elided subjects), table-driven."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_detect import make_page

from sarkit.detect import Detector
from sarkit.detect.attribution import sentences, split_clauses
from sarkit.detect.context import PageContext
from sarkit.models import Manifest, Person
from sarkit.resources import shipped_rules_dir

RULES = shipped_rules_dir()


def P(pid: str, name: str, role: str, **kw: object) -> Person:
    return Person(id=pid, name=name, role=role, **kw)  # type: ignore[arg-type]


PEOPLE = (
    P("jane", "Jane Doe", "subject", aliases=("Jane",), born=dt.date(2004, 3, 12), pronouns="she"),
    P("sharon", "Sharon Doyle", "mother", aliases=("Mum", "Ms Doyle"), known=True),
    P("mark", "Mark Doe", "father", aliases=("Dad", "Mr Doe")),
    P("tom", "Tom Doe", "sibling", aliases=("Tom",), known=True, pronouns="he"),
    P("karen", "Karen Pike", "social-worker", aliases=("Karen",), pronouns="she"),
    P("gp", "Amir Shah", "gp", aliases=("Dr Shah",), pronouns="he"),
)
MANIFEST = Manifest(Path("case.yaml"), 1, "SAR-1", dt.date(2026, 1, 1), "uk-dpa2018", PEOPLE)


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector(MANIFEST, RULES)


def sensitive_about(det: Detector, lines: list[str]) -> list[tuple[str | None, str]]:
    pt = make_page(lines)
    return [(m.person or m.unregistered, m.text) for m in det.detect_page("d", 0, pt) if m.kind == "sensitive"]


# (text, the person the sensitive clause is attributed to, a word the span must contain)
CASES = [
    ("Sharon Doyle has been diagnosed with depression.", "sharon", "depression"),  # named
    ("Mum came to the meeting with Tom and said that she takes sertraline.", "sharon", "sertraline"),  # she, by gender
    ("Mum came to the meeting with Jane and said that she takes sertraline.", "sharon", "sertraline"),  # third party
    ("Tom came to the meeting with Mum and said that he was arrested last week.", "tom", "arrested"),  # he
    ("Jane said she worries about Mum because Mum drinks heavily.", "sharon", "drinks"),  # because-clause
    ("Jane knows that Dad received a caution for theft and wants to talk about it.", "mark", "caution"),  # that-clause
    ("Tom attends college and was arrested for shoplifting.", "tom", "shoplifting"),  # elided subject
    ("Dad, who lives nearby, has debts of several thousand pounds.", "mark", "debts"),  # apposition
    ("Mum has been spending time with Mr Walsh, who is a heroin user.", "walsh", "heroin"),  # who -> nearest
    ("Mum was tired. She said she had relapsed into drug use.", "sharon", "drug"),  # previous sentence
    ("Dad has been\n\nmisusing alcohol since the separation.", "mark", "alcohol"),  # wrapped cell
]


@pytest.mark.parametrize(("text", "who", "word"), CASES)
def test_attribution_of_sensitive_clause(det: Detector, text: str, who: str, word: str) -> None:
    found = sensitive_about(det, text.split("\n"))
    assert any(p == who and word in t for p, t in found), found


def test_attribution_does_not_swallow_the_names_that_open_the_clause(det: Detector) -> None:
    found = sensitive_about(det, ["Ms Doyle took an overdose of paracetamol in the spring."])
    assert found == [("sharon", "took an overdose of paracetamol in the spring")]


def test_the_clause_not_the_paragraph(det: Detector) -> None:
    found = sensitive_about(det, ["Jane enjoys football and wants to be a nurse, but Dad is in prison for burglary."])
    assert found == [("mark", "is in prison for burglary")]


def test_via_records_how_the_person_was_found(det: Detector) -> None:
    pt = make_page(["Mum came to the meeting with Tom and said that she takes sertraline."])
    m = next(m for m in det.detect_page("d", 0, pt) if m.kind == "sensitive")
    assert "pronoun" in m.via


def test_split_clauses_and_sentence_joining() -> None:
    import re

    rx = re.compile(r"[,;:]\s|(?<!\w)(?P<w>and|because)(?!\w)")
    text = "Mum drinks, and Dad hits her because he is angry"
    spans = [text[a:b] for a, b in split_clauses(text, 0, len(text), rx)]
    assert spans == ["Mum drinks", "and Dad hits her", "because he is angry"]
    pt = make_page(["Dad has been", "", "misusing alcohol.", "", "Next one."])
    ctx = PageContext.build(pt)
    joined = [pt.text[a:b].strip() for a, b in sentences(ctx)]
    assert joined[0].startswith("Dad has been") and "misusing" in joined[0]
