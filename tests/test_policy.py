"""The default policy (docs/policy.md), row by row, through the shipped rule set uk-dpa2018."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from sarkit.decide import decide_one, load_rules
from sarkit.decide.rules import RuleSetError
from sarkit.models import Manifest, Mention, Person

RULES = load_rules("uk-dpa2018")
KINDS = ("name", "contact", "identifier", "sensitive")


def manifest(*extra: Person) -> Manifest:
    people = (Person("jane", "Jane Doe", "subject", known=True), *extra)
    return Manifest(Path("case.yaml"), 1, "SAR-1", dt.date(2026, 10, 1), "uk-dpa2018", people)


def decide(person: Person | None, kind: str, qualifier: str = "", unregistered: str | None = None, *extra: Person):
    people = [person] if person and person.id != "jane" else []
    m = Mention("d", 0, 0, 4, "text", kind, person.id if person else None, "test", unregistered, qualifier)
    return decide_one(m, manifest(*people, *extra), RULES)


P = Person
SUBJECT = P("jane", "Jane Doe", "subject", known=True)
SW = P("karen", "Karen Pike", "social-worker", known=True)
MUM = P("sharon", "Sharon Doyle", "mother", known=True)
DAD_UNKNOWN = P("mark", "Mark Doe", "father")
CARER = P("marie", "Marie Chadwick", "foster-carer", known=True)
TOM = P("tom", "Tom Doe", "sibling", known=True, withheld=("Tom Grant",))
LISA = P("lisa", "Lisa Grant", "adoptive-parent", of="tom")
NEIGHBOUR = P("anita", "Anita Patel", "neighbour")
OTHER_CHILD = P("allan", "Allan Collins", "other-child")
REFERRER = P("brian", "Brian Lewis", "neighbour", referrer=True)
CONSENT = P("roy", "Roy Thompson", "family-friend", consent="given")
REFUSED = P("ann", "Ann Carr", "aunt", known=True, consent="refused")
DECEASED = P("toby", "Toby Morris", "grandparent", known=True, deceased=True)
RISK_CONSENT = P("dan", "Dan Hill", "father", known=True, consent="given", risk=True)

TABLE = [
    # person, expected actions for name, contact, identifier, sensitive
    (SUBJECT, ("keep", "keep", "keep", "keep")),
    (SW, ("keep", "keep", "redact", "redact")),
    (MUM, ("keep", "redact", "redact", "review")),
    (CARER, ("keep", "redact", "redact", "review")),
    (DAD_UNKNOWN, ("redact", "redact", "redact", "redact")),
    (NEIGHBOUR, ("redact", "redact", "redact", "redact")),
    (OTHER_CHILD, ("redact", "redact", "redact", "redact")),
    (REFERRER, ("redact", "redact", "redact", "redact")),
    (CONSENT, ("keep", "keep", "keep", "keep")),
    (REFUSED, ("redact", "redact", "redact", "redact")),
    (DECEASED, ("keep", "review", "review", "review")),
    (RISK_CONSENT, ("keep", "redact", "keep", "keep")),
]


@pytest.mark.parametrize("person,expected", TABLE, ids=[p.id for p, _ in TABLE])
@pytest.mark.parametrize("k", range(4), ids=KINDS)
def test_policy_table(person: Person, expected: tuple[str, ...], k: int) -> None:
    assert decide(person, KINDS[k]).action == expected[k]


def test_of_another_person_is_redacted_whatever_the_group() -> None:
    for kind in KINDS:
        p = decide(LISA, kind, "", None, TOM)
        assert p.action == "redact"
        assert p.rule == "related-to-another"
        assert p.path == ("subject", "sibling", "adoptive-parent")


def test_professional_personal_contact_is_redacted_work_contact_kept() -> None:
    assert decide(SW, "contact", "work").action == "keep"
    assert decide(SW, "contact", "personal").action == "redact"


def test_withheld_name_is_always_redacted_even_for_known_family() -> None:
    p = decide(TOM, "name", "withheld")
    assert (p.action, p.code) == ("redact", "TP")
    assert decide(TOM, "name").action == "keep"


def test_withheld_name_is_redacted_even_with_consent() -> None:
    friend = P("f", "F G", "family-friend", consent="given", withheld=("X Y",))
    assert decide(friend, "name", "withheld").action == "redact"


def test_unregistered_person() -> None:
    got = [decide(None, k, "", "russell kirby").action for k in KINDS]
    assert got == ["review", "redact", "redact", "review"]


def test_unattributed_identifier_is_redacted() -> None:
    p = decide(None, "identifier")
    assert (p.action, p.rule) == ("redact", "unattributed")


@pytest.mark.parametrize(
    "person,kind,code",
    [
        (REFERRER, "name", "CS"),
        (REFERRER, "contact", "CS"),
        (REFERRER, "sensitive", "CS"),
        (NEIGHBOUR, "name", "TP"),
        (MUM, "sensitive", "TPS"),
        (DAD_UNKNOWN, "identifier", "TP"),
        (NEIGHBOUR, "sensitive", "TPS"),
    ],
)
def test_reason_codes(person: Person, kind: str, code: str) -> None:
    p = decide(person, kind)
    assert p.code == code
    assert p.basis == RULES.code(code).basis


def test_kept_items_carry_no_code_and_every_proposal_explains_itself() -> None:
    p = decide(MUM, "name")
    assert p.code is None and p.basis == ""
    for person, _ in TABLE:
        for kind in KINDS:
            q = decide(person, kind)
            assert q.rule and q.why and "{" not in q.why


def test_reviewer_only_codes_are_never_proposed() -> None:
    reviewer_only = {c.code for c in RULES.codes if c.reviewer_only}
    assert reviewer_only == {"SH", "LPP", "ADP"}
    for person, _ in TABLE:
        for kind in KINDS:
            assert decide(person, kind).code not in reviewer_only


def test_proposal_ids_are_stable_and_distinct() -> None:
    a = decide(MUM, "name")
    assert a.id == decide(MUM, "name").id
    assert a.id != decide(MUM, "contact").id


@pytest.mark.parametrize(
    "body,fragment",
    [
        ("codes: {}\n", "default_codes"),
        ("codes: {TP: {plain: x}}\n", "code TP"),
        (
            "codes: {TP: {plain: x, basis: y}}\n"
            "default_codes: {name: TP, contact: TP, identifier: TP, sensitive: XX}\n",
            "'XX'",
        ),
        (
            "codes: {TP: {plain: x, basis: y}}\ndefault_codes: {name: TP, contact: TP, identifier: TP, sensitive: TP}\n"
            "classes:\n- id: c1\n  when: {colour: red}\n  actions: {name: keep, contact: keep,"
            " identifier: keep, sensitive: keep}\n",
            "class c1",
        ),
        (
            "codes: {TP: {plain: x, basis: y}}\ndefault_codes: {name: TP, contact: TP, identifier: TP, sensitive: TP}\n"
            "classes:\n- id: c2\n  when: {known: true}\n  actions: {name: hide, contact: keep,"
            " identifier: keep, sensitive: keep}\n",
            "'hide'",
        ),
        (
            "codes: {TP: {plain: x, basis: y}}\ndefault_codes: {name: TP, contact: TP, identifier: TP, sensitive: TP}\n"
            "classes:\n- id: c3\n  when: {known: true}\n  actions: {name: keep, contact: keep,"
            " identifier: keep, sensitive: keep}\n  needs_decision: maybe\n",
            "class c3: field 'needs_decision'",
        ),
        ("a: [\n", "not valid YAML"),
    ],
)
def test_rule_set_errors_name_file_rule_and_field(tmp_path: Path, body: str, fragment: str) -> None:
    (tmp_path / "bad.yaml").write_text(body)
    with pytest.raises(RuleSetError) as exc:
        load_rules("bad", tmp_path)
    msg = str(exc.value)
    assert msg.startswith("bad.yaml") and fragment in msg and "\n" not in msg


def test_a_class_says_whether_its_proposals_need_a_decision() -> None:
    """The rule set, not a rule id, says which proposals wait for a person: the subject's class does not;
    a modifier or a case-wide pass keeps its class's answer; a rule no class made (manual) always waits."""
    subject = decide(SUBJECT, "name")
    assert subject.rule == "subject" and not RULES.needs_decision(subject.rule)
    assert not RULES.needs_decision("subject+childhood-home")
    assert RULES.needs_decision(decide(MUM, "contact").rule)
    assert RULES.needs_decision("manual") and RULES.needs_decision("no-rule")
    renamed = dataclasses.replace(RULES, classes=tuple(dataclasses.replace(c, id="own-" + c.id) for c in RULES.classes))
    assert not renamed.needs_decision("own-subject")  # the field is read, not the id
