"""Sensitive statements: each category about a third party, and the negatives (the subject's own, routine work)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from sarkit.decide import decide, load_rules
from sarkit.detect import RECOGNISERS, Detector
from sarkit.detect.recognisers.companions import Companions
from sarkit.detect.recognisers.sensitive import SensitiveDetector
from sarkit.detect.sensitive_lexicon import find_cues, load_sensitive
from sarkit.errors import SarkitError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_attribution import MANIFEST, RULES, make_page  # noqa: E402


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector(MANIFEST, RULES)


def sensitive(det: Detector, text: str) -> list:
    return [m for m in det.detect_page("d", 0, make_page(text.split("\n"))) if m.kind == "sensitive"]


CATEGORIES = [
    ("health", "Dad has been diagnosed with bipolar disorder."),
    ("health", "Mum is pregnant and due in March."),
    ("health", "Dad takes citalopram every morning."),
    ("substance", "Mum smokes cannabis most evenings."),
    ("offending", "Dad was convicted of assault in 2019."),
    ("offending", "Mum was arrested after an incident in town."),
    ("offending", "Dad served two years in prison."),
    ("sexual", "Mum has been working as a sex worker."),
    ("ethnicity", "Dad is of mixed heritage."),
    ("religion", "Mum converted to Islam last year."),
    ("immigration", "Dad is awaiting a decision from the Home Office on his asylum claim."),
    ("finance", "Mum has rent arrears and a visit from bailiffs."),
]


@pytest.mark.parametrize(("category", "text"), CATEGORIES)
def test_each_category_about_a_third_party(det: Detector, category: str, text: str) -> None:
    found = sensitive(det, text)
    assert len(found) == 1, found
    m = found[0]
    assert m.person in ("sharon", "mark") and m.qualifier == category
    assert not m.text.startswith(("Mum", "Dad"))  # the opening name is not swallowed


def test_policy_decides_known_family_review_unknown_redact(det: Detector) -> None:
    rules = load_rules("uk-dpa2018", RULES)
    mum = decide(sensitive(det, "Mum has been diagnosed with depression."), MANIFEST, rules)
    dad = decide(sensitive(det, "Dad has been diagnosed with depression."), MANIFEST, rules)
    assert [p.action for p in mum] == ["review"] and [p.action for p in dad] == ["redact"]
    assert dad[0].code == "TPS"


def test_subject_health_is_kept_with_a_note(det: Detector) -> None:
    rules = load_rules("uk-dpa2018", RULES)
    found = sensitive(det, "Jane has been diagnosed with asthma and uses an inhaler.")
    assert found and all(m.person == "jane" for m in found)
    props = decide(found, MANIFEST, rules)
    assert all(p.action == "keep" for p in props)
    assert "health professional" in props[0].why


@pytest.mark.parametrize(
    "text",
    [
        "Jane was arrested for shoplifting.",  # the subject's own offending: theirs, nothing proposed
        "Dr Shah prescribed antibiotics.",  # a professional's routine action: about no third party
        "Karen completed the health assessment with Jane.",  # routine phrase
        "Jane was taken into police protection.",  # routine phrase about the subject
        "The health visitor saw Mum at home.",  # a role word, not health information
        "Mum brought soft drinks to the family time.",  # an ordinary word
    ],
)
def test_negatives_propose_nothing_to_redact(det: Detector, text: str) -> None:
    rules = load_rules("uk-dpa2018", RULES)
    assert all(p.action == "keep" for p in decide(sensitive(det, text), MANIFEST, rules))


# A form's label naming a reference, its value in the next cell or line: the value is an identifier, the label
# no statement. The same words saying something of the person still are one.
FORM_LABELS = [
    (["SUSPECT", "Name | DOE, Mark", "DOB | 05/09/1966", "PNC ID | 03/118274K", "Address | 4 Oak Road"], None),
    (["Father", "Name | DOE, Mark", "Prisoner number | A1234BC"], None),
    (["Mark Doe: PNC checks show a conviction for ABH in 2015."], "mark"),
    (["Name | DOE, Mark", "PNC ID | none held, convicted of theft 2012"], "mark"),
]


@pytest.mark.parametrize(("lines", "person"), FORM_LABELS)
def test_a_reference_label_is_no_statement(det: Detector, lines: list[str], person: str | None) -> None:
    found = [m for m in det.detect_page("d", 0, make_page(lines)) if m.kind == "sensitive"]
    assert [m.person for m in found] == ([person] if person else []), [(m.text, m.person) for m in found]
    ids = [m.text for m in det.detect_page("d", 0, make_page(lines)) if m.kind == "identifier"]
    assert person or ids  # the value itself is still found, as an identifier


def test_mixed_statement_keeps_the_subjects_part(det: Detector) -> None:
    text = "Mum told the social worker that Jane had been left alone because Dad was drunk."
    found = sensitive(det, text)
    assert [(m.person, m.text) for m in found] == [("mark", "was drunk")]


def test_cue_syntax_case_and_stars(tmp_path: Path) -> None:
    lex = load_sensitive(RULES)
    cats = {c.category for c in find_cues("She was diagnosed and the Home Office wrote; home office hours.", lex)}
    assert cats == {"health", "immigration"}
    (tmp_path / "sensitive.yaml").write_text("categories: {x: {cues: [a], patterns: ['(']}}\n")
    with pytest.raises(SarkitError, match="not a valid regular expression"):
        load_sensitive(tmp_path)


def test_speed_with_additions_is_measured(det: Detector) -> None:
    """Prints detection time per page with and without issue 6's additions (no timed assertion)."""
    pt = make_page(["Mum came to the meeting with Jane and said that she takes sertraline. " * 6, ""] * 20)
    t0 = time.perf_counter()
    for _ in range(5):
        det.detect_page("d", 0, pt)
    full = (time.perf_counter() - t0) / 5
    base = Detector(MANIFEST, RULES, recognisers=[r for r in RECOGNISERS if r not in (Companions, SensitiveDetector)])
    t0 = time.perf_counter()
    for _ in range(5):
        base.detect_page("d", 0, pt)
    spine = (time.perf_counter() - t0) / 5
    print(f"\ndetect_page: {full * 1000:.1f} ms with sensitive + companions, {spine * 1000:.1f} ms without")


@pytest.mark.parametrize(
    ("lines", "person"),
    [
        (["Dear Ms Doyle,", "As we discussed, the rent arrears on your tenancy are a matter for you."], "sharon"),
        (["Dear Jane,", "You told me about your diagnosis of asthma last week."], None),  # the subject's own: kept
    ],
)
def test_you_in_a_letter_is_its_addressee(det: Detector, lines: list[str], person: str | None) -> None:
    found = sensitive(det, "\n".join(lines))
    if person is None:
        assert all(m.person in (None, MANIFEST.subject.id) for m in found)
    else:
        assert [m.person for m in found] == [person]


def test_a_paragraph_opening_with_a_pronoun_refers_to_the_paragraph_before(det: Detector) -> None:
    found = sensitive(det, "Ms Doyle came to the office on Monday.\n\nShe has debts of around £6,000 with a lender.")
    assert [m.person for m in found] == ["sharon"]
