"""case.yaml: validation with line numbers, defaults, extensions, the starter file, add_person."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sarkit.errors import ExitCode, ManifestError
from sarkit.manifest import add_person, dump_new_manifest, load_manifest, parse_manifest, subject_id

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS_MANIFESTS = sorted((SHARED / "corpus").glob("*/case.yaml")) if SHARED.exists() else []

SPEC_EXAMPLE = """\
sarkit: 1                      # manifest version
reference: SAR-2026-0142       # the authority's request reference
received: 2026-10-01           # date the valid request was received (deadline = +1 calendar month)
rules: uk-dpa2018              # name of a rule set in redaction-rules/ (this is the default)
people:
  - id: jane                   # stable id, [a-z0-9-]+
    name: Jane Doe             # full name as it usually appears
    role: subject              # exactly one person is the subject
    aliases: [Jane, Janey, JD] # other ways the records refer to this person
    born: 2004-03-12
  - id: sharon
    name: Sharon Doyle
    role: mother               # relation to `of` (default: the subject)
    aliases: [Mum, Ms Doyle, SD]
    known: true                # the subject already knows who this person is
  - id: tom
    name: Tom Doe
    role: sibling
    aliases: [Tom, TD]
    withheld: [Tom Grant]      # names of this person that are always redacted (e.g. an adoptive name)
    known: true
  - id: lisa
    name: Lisa Grant
    role: adoptive-parent
    of: tom                    # Lisa is Tom's adoptive parent, not the subject's
  - id: karen
    name: Karen Pike
    role: social-worker        # a professional acting in that capacity
    aliases: [KP]
  - id: anita
    name: Anita Patel
    role: neighbour
    referrer: true             # made a referral / gave information in confidence
    consent: none              # none | given | refused  (to disclosure of their information)
"""

HEAD = (
    "sarkit: 1\nreference: SAR-1\nreceived: 2026-10-01\npeople:\n  - id: jane\n    name: Jane Doe\n    role: subject\n"
)

NAMES = ("Jane Doe", "Sharon Doyle", "Tom Doe", "Ann Other", "s3cret")


def write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- valid manifests


def test_spec_example_loads_with_defaults(tmp_path: Path) -> None:
    m = load_manifest(write(tmp_path, SPEC_EXAMPLE))
    assert (m.version, m.reference, m.received, m.rules) == (1, "SAR-2026-0142", dt.date(2026, 10, 1), "uk-dpa2018")
    assert m.subject.id == "jane" and m.subject.aliases == ("Jane", "Janey", "JD")
    assert m.subject.born == dt.date(2004, 3, 12)
    by = {p.id: p for p in m.people}
    assert by["jane"].known is True  # the subject
    assert by["karen"].known is True  # a professional
    assert by["lisa"].known is False and by["anita"].known is False
    assert by["lisa"].of == "tom"
    assert by["tom"].withheld == ("Tom Grant",)
    assert by["anita"].referrer is True and by["anita"].consent == "none"
    assert by["sharon"].pronouns is None and by["sharon"].effective_pronouns == "she"
    assert by["tom"].pronouns is None and by["tom"].effective_pronouns is None
    assert [p.line for p in m.people] == [6, 11, 16, 22, 26, 30]
    assert m.relation_path("lisa") == ("subject", "sibling", "adoptive-parent")
    assert m.passwords == () and m.requester is None


def test_minimal_defaults(tmp_path: Path) -> None:
    m = load_manifest(write(tmp_path, HEAD + "  - id: ann\n    name: Ann Other\n    role: aunt\n"))
    ann = m.person("ann")
    assert m.rules == "uk-dpa2018"
    assert (ann.of, ann.aliases, ann.known, ann.consent, ann.referrer, ann.deceased, ann.risk) == (
        None,
        (),
        False,
        "none",
        False,
        False,
        False,
    )
    assert (ann.withheld, ann.pronouns, ann.born, ann.effective_pronouns) == ((), None, None, "she")


def test_explicit_flags_and_tolerant_forms(tmp_path: Path) -> None:
    text = HEAD + (
        "  - id: bo\n    name: Bo Smith\n    role: Neighbour\n    known: yes\n    consent: Given\n"
        "    deceased: true\n    risk: true\n    pronouns: they/them\n    born: '1980-02-29'\n"
        "    of: jane\n    future-field: {anything: [goes]}\n"
        "  - id: '007'\n    name: 1234\n    role: other\n    aliases: [0123, 'yes', no]\n    known:\n"
    )
    m = load_manifest(write(tmp_path, text))
    bo = m.person("bo")
    assert (bo.role, bo.known, bo.consent, bo.deceased, bo.risk, bo.pronouns) == (
        "neighbour",
        True,
        "given",
        True,
        True,
        "they",
    )
    assert bo.born == dt.date(1980, 2, 29)
    assert bo.of is None  # `of: <the subject>` is the same as no `of`
    other = m.person("007")
    assert other.name == "1234" and other.aliases == ("0123", "yes", "no")  # text stays text
    assert other.known is False  # empty value = not given


def test_extensions_passwords_and_requester(tmp_path: Path) -> None:
    text = (
        "sarkit: 1\nreference: 0142\nreceived: 2026-10-01\nrules: my-council.v2\nrequester: Ms J Doe\n"
        "passwords:\n  police/report.pdf: 0001234\n  'sub\\dir\\x.pdf': p@ss word\n"
        "unknown-top-level: [1, 2]\n"
        "people:\n  - id: jane\n    name: Jane Doe\n    role: subject\n"
    )
    m = load_manifest(write(tmp_path, text))
    assert m.reference == "0142" and m.rules == "my-council.v2" and m.requester == "Ms J Doe"
    assert m.passwords == (("police/report.pdf", "0001234"), ("sub/dir/x.pdf", "p@ss word"))


@pytest.mark.parametrize("path", CORPUS_MANIFESTS, ids=lambda p: p.parent.name)
def test_corpus_manifests_load(path: Path) -> None:
    m = load_manifest(path)
    assert m.subject.role == "subject"
    assert len({p.id for p in m.people}) == len(m.people)


@pytest.mark.parametrize("path", CORPUS_MANIFESTS, ids=lambda p: p.parent.name)
def test_corpus_manifests_take_a_new_person(tmp_path: Path, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    copy = write(tmp_path, text)
    add_person(copy, {"id": "zz-new", "name": "Zed New", "role": "member-of-public", "aliases": ["ZN"]})
    assert copy.read_text(encoding="utf-8").startswith(text)
    assert load_manifest(copy).people[-1].id == "zz-new"


def test_add_person_value_yaml_cannot_hold(tmp_path: Path) -> None:
    path = write(tmp_path, SPEC_EXAMPLE)
    with pytest.raises(ManifestError, match="cannot be written as YAML"):
        add_person(path, {"id": "ann", "name": "Ann Other", "role": "aunt", "aliases": [object()]})
    assert path.read_text() == SPEC_EXAMPLE


def test_corpus_present_or_skipped() -> None:
    if not CORPUS_MANIFESTS:
        pytest.skip("the shared corpus is not available")
    assert len(CORPUS_MANIFESTS) >= 1


# ---------------------------------------------------------------- invalid manifests
# Each case marks the line the error must name with "#!" (0 = no line).

INVALID: list[tuple[str, str, str]] = [
    ("yaml-syntax", HEAD + "  - id: ann\n    name: Ann Other\n   role: aunt #!\n", "not valid YAML"),
    (
        "yaml-unclosed",
        HEAD + "  - id: ann\n    name: Ann Other\n    aliases: [Ann, #!\n    role: aunt\n",
        "not valid YAML",
    ),
    ("tab", "sarkit: 1\nreference: SAR-1\n\treceived: 2026-10-01 #!\n", "not valid YAML"),
    ("empty", "", "empty"),
    ("not-mapping", "- sarkit: 1 #!\n", "must be a mapping"),
    ("no-version", "reference: SAR-1 #!\nreceived: 2026-10-01\npeople: []\n", "`sarkit` is missing"),
    ("version-2", "sarkit: 2 #!\nreference: SAR-1\n", "not supported"),
    ("version-text", "sarkit: one #!\nreference: SAR-1\n", "`sarkit` must be"),
    ("no-reference", "sarkit: 1 #!\nreceived: 2026-10-01\n", "`reference` is missing"),
    ("empty-reference", "sarkit: 1\nreference: #!\nreceived: 2026-10-01\n", "`reference` is empty"),
    ("no-received", "sarkit: 1 #!\nreference: SAR-1\npeople: []\n", "`received` is missing"),
    ("bad-received", "sarkit: 1\nreference: SAR-1\nreceived: 2026-13-01 #!\n", "`received` is not a valid date"),
    ("uk-received", "sarkit: 1\nreference: SAR-1\nreceived: 01/10/2026 #!\n", "`received` is not a valid date"),
    ("short-received", "sarkit: 1\nreference: SAR-1\nreceived: 2026-1-5 #!\n", "`received` is not a valid date"),
    ("datetime-received", "sarkit: 1\nreference: SAR-1\nreceived: 2026-10-01 10:00 #!\n", "not a valid date"),
    ("bad-rules", "sarkit: 1\nreference: SAR-1\nreceived: 2026-10-01\nrules: ../etc #!\npeople: []\n", "`rules`"),
    ("no-people", "sarkit: 1 #!\nreference: SAR-1\nreceived: 2026-10-01\n", "`people` is missing"),
    ("empty-people", "sarkit: 1\nreference: SAR-1\nreceived: 2026-10-01\npeople: [] #!\n", "must be a list of people"),
    (
        "people-mapping",
        "sarkit: 1\nreference: SAR-1\nreceived: 2026-10-01\npeople:\n  jane: x #!\n",
        "must be a list of people",
    ),
    ("person-scalar", HEAD + "  - Ann Other #!\n", "must be a mapping"),
    ("no-id", HEAD + "  - name: Ann Other #!\n    role: aunt\n", "has no `id`"),
    ("no-name", HEAD + "  - id: ann #!\n    role: aunt\n", "has no `name`"),
    ("no-role", HEAD + "  - id: ann #!\n    name: Ann Other\n", "has no `role`"),
    ("bad-id", HEAD + "  - id: Ann_1 #!\n    name: Ann Other\n    role: aunt\n", "`id` must use only"),
    (
        "unknown-role",
        HEAD + "  - id: ann\n    name: Ann Other\n    role: aunty #!\n",
        'role "aunty" is not a known role',
    ),
    ("role-list", HEAD + "  - id: ann\n    name: Ann Other\n    role: [aunt] #!\n", "`role` must be a single value"),
    (
        "two-subjects",
        HEAD + "  - id: ann\n    name: Ann Other\n    role: subject #!\n",
        "second person has `role: subject`",
    ),
    (
        "no-subject",
        (
            "sarkit: 1\nreference: SAR-1\nreceived: 2026-10-01\npeople: #!\n"
            "  - id: ann\n    name: Ann Other\n    role: aunt\n"
        ),
        "no person has `role: subject`",
    ),
    ("duplicate-id", HEAD + "  - id: jane #!\n    name: Ann Other\n    role: aunt\n", 'the id "jane" is already used'),
    ("of-no-one", HEAD + "  - id: ann\n    name: Ann Other\n    role: aunt\n    of: bob #!\n", "names no one"),
    ("of-self", HEAD + "  - id: ann\n    name: Ann Other\n    role: aunt\n    of: ann #!\n", "circle"),
    (
        "of-cycle",
        HEAD + "  - id: ann\n    name: Ann Other\n    role: aunt\n    of: bob #!\n"
        "  - id: bob\n    name: Bob Other\n    role: uncle\n    of: ann\n",
        "circle (ann -> bob -> ann)",
    ),
    (
        "subject-of",
        (
            "sarkit: 1\nreference: SAR-1\nreceived: 2026-10-01\npeople:\n  - id: jane\n    name: Jane Doe\n"
            "    role: subject\n    of: ann #!\n  - id: ann\n    name: Ann Other\n    role: aunt\n"
        ),
        "subject cannot have `of`",
    ),
    (
        "aliases-scalar",
        HEAD.replace("role: subject\n", "role: subject\n    aliases: Jane #!\n"),
        "`aliases` must be a list",
    ),
    (
        "aliases-item",
        HEAD.replace("role: subject\n", "role: subject\n    aliases:\n      - Jane\n      - {a: b} #!\n"),
        "every item of `aliases`",
    ),
    (
        "withheld-scalar",
        HEAD + "  - id: tom\n    name: Tom Doe\n    role: sibling\n    withheld: Tom Grant #!\n",
        "`withheld` must be a list",
    ),
    (
        "known-text",
        HEAD + "  - id: ann\n    name: Ann Other\n    role: aunt\n    known: maybe #!\n",
        "`known` must be true or false",
    ),
    (
        "known-quoted",
        HEAD + "  - id: ann\n    name: Ann Other\n    role: aunt\n    known: 'true' #!\n",
        "`known` must be true or false",
    ),
    ("risk-number", HEAD + "  - id: ann\n    name: Ann Other\n    role: aunt\n    risk: 1 #!\n", "`risk` must be"),
    (
        "consent",
        HEAD + "  - id: ann\n    name: Ann Other\n    role: aunt\n    consent: perhaps #!\n",
        "`consent` must be none, given or refused",
    ),
    (
        "pronouns",
        HEAD + "  - id: ann\n    name: Ann Other\n    role: aunt\n    pronouns: it #!\n",
        "`pronouns` must be she, he or they",
    ),
    (
        "born",
        HEAD + "  - id: ann\n    name: Ann Other\n    role: aunt\n    born: 2004-02-30 #!\n",
        "`born` is not a valid date",
    ),
    (
        "duplicate-key",
        HEAD + "  - id: ann\n    name: Ann Other\n    role: aunt\n    role: mother #!\n",
        "`role` appears twice",
    ),
    ("passwords-list", HEAD + "passwords: [s3cret] #!\n", "`passwords` must map"),
    ("password-empty", HEAD + "passwords:\n  a.pdf: #!\n", "non-empty"),
    ("password-path", HEAD + "passwords:\n  ../a.pdf: s3cret #!\n", "relative to documents/"),
    ("requester-list", HEAD + "requester: [Ann Other] #!\n", "`requester` must be a single value"),
]


def _expected_line(text: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if "#!" in line:
            return number
    return 0


@pytest.mark.parametrize(("text", "fragment"), [(t, f) for _, t, f in INVALID], ids=[i for i, _, _ in INVALID])
def test_invalid_manifest_is_one_sentence_naming_file_and_line(tmp_path: Path, text: str, fragment: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    message = str(info.value)
    line = _expected_line(text)
    prefix = f"{path}, line {line}: " if line else f"{path}: "
    assert message.startswith(prefix), message
    assert fragment in message
    assert info.value.code == ExitCode.BAD_INPUT
    # one sentence: a single full stop at the end, no line breaks, no traceback, no personal data
    body = message[len(prefix) :]
    assert body.endswith(".") and "\n" not in message and "Traceback" not in message
    assert not re.search(r"[.!?]\s", body), message
    assert not any(name in message for name in NAMES), message


def test_missing_file_and_bad_encoding(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match=r"case\.yaml: no such file"):
        load_manifest(tmp_path / "case.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"sarkit: 1\nreference: \xff\xfe\n")
    with pytest.raises(ManifestError, match=r"bad\.yaml: is not UTF-8 text\.$"):
        load_manifest(bad)
    with pytest.raises(ManifestError, match="is a folder"):
        load_manifest(tmp_path)


def test_parse_manifest_names_the_given_path() -> None:
    with pytest.raises(ManifestError, match=r"^somewhere/case\.yaml, line 3: "):
        parse_manifest("sarkit: 1\nreference: SAR-1\nreceived: soon\n", Path("somewhere/case.yaml"))


# ---------------------------------------------------------------- the starter manifest


def test_starter_manifest_loads(tmp_path: Path) -> None:
    text = dump_new_manifest("Jane Doe", "SAR-2026-0142", dt.date(2026, 10, 1))
    m = load_manifest(write(tmp_path, text))
    assert m.reference == "SAR-2026-0142" and m.received == dt.date(2026, 10, 1) and m.rules == "uk-dpa2018"
    assert [(p.id, p.name, p.role) for p in m.people] == [("jane", "Jane Doe", "subject")]


def test_starter_examples_load_when_uncommented(tmp_path: Path) -> None:
    text = dump_new_manifest("Jane Doe", "SAR-2026-0142", dt.date(2026, 10, 1))
    uncommented = text.replace("\n  # ", "\n  ").replace("\n    # ", "\n    ")
    assert uncommented != text
    m = load_manifest(write(tmp_path, uncommented))
    by = {p.id: p for p in m.people}
    assert set(by) == {"jane", "sharon", "tom", "lisa", "karen", "anita"}
    assert by["lisa"].of == "tom" and by["tom"].withheld and by["anita"].referrer
    assert by["jane"].born is not None and by["jane"].pronouns == "she"


def test_starter_subject_id_avoids_example_ids(tmp_path: Path) -> None:
    text = dump_new_manifest("Sharon Smith", "R1", dt.date(2026, 1, 31))
    uncommented = text.replace("\n  # ", "\n  ")
    m = load_manifest(write(tmp_path, uncommented))
    assert m.subject.id == "sharon-subject"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jane Doe", "jane"),
        ("  Zoë  O'Brien ", "zo"),
        ("Élodie Martin", "lodie"),
        ("李 小龍", "subject"),
        ("Mary-Jane Watson", "mary-jane"),
        ("123 Test", "123"),
    ],
)
def test_subject_id(name: str, expected: str) -> None:
    assert subject_id(name) == expected


@settings(max_examples=60, deadline=None)
@example(name="NULL", reference="0")  # the id "null" must not be read as YAML's null
@example(name="True Love", reference="no")
@given(
    name=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40).filter(
        lambda s: s.strip()
    ),
    reference=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=20).filter(
        lambda s: s.strip()
    ),
)
def test_starter_round_trips_any_name(name: str, reference: str) -> None:
    text = dump_new_manifest(name, reference, dt.date(2024, 2, 29))
    m = parse_manifest(text, Path("case.yaml"))
    assert m.subject.name == " ".join(name.split())
    assert m.reference == reference.strip()
    assert re.fullmatch(r"[a-z0-9-]+", m.subject.id)


def test_starter_refuses_empty_subject() -> None:
    with pytest.raises(ManifestError):
        dump_new_manifest("   ", "R1", dt.date(2026, 1, 1))


# ---------------------------------------------------------------- add_person


def test_add_person_keeps_comments_and_order(tmp_path: Path) -> None:
    path = write(tmp_path, SPEC_EXAMPLE)
    os.chmod(path, 0o640)
    add_person(
        path,
        {
            "id": "bob",
            "name": "Bob Stone",
            "role": "uncle",
            "aliases": ["Uncle Bob", "BS"],
            "known": True,
            "born": dt.date(1970, 5, 6),
        },
    )
    new = path.read_text()
    assert new.startswith(SPEC_EXAMPLE)  # every line, comment and alignment of the file is unchanged
    assert new[len(SPEC_EXAMPLE) :] == (
        "  - id: bob\n    name: Bob Stone\n    role: uncle\n    aliases: [Uncle Bob, BS]\n"
        "    known: true\n    born: 1970-05-06\n"
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    m = load_manifest(path)
    assert m.people[-1].id == "bob" and m.people[-1].born == dt.date(1970, 5, 6)
    assert [p.id for p in m.people][:6] == ["jane", "sharon", "tom", "lisa", "karen", "anita"]
    assert not list(tmp_path.glob(".case.yaml.*"))


def test_add_person_zero_offset_style(tmp_path: Path) -> None:
    text = (
        "# a comment\nsarkit: 1\nreference: SAR-1\nreceived: 2026-10-01\npeople:\n- id: jane\n  name: Jane Doe\n"
        "  role: subject   # the subject\n  aliases: [Jane]\n"
    )
    path = write(tmp_path, text)
    add_person(path, {"id": "ann", "role": "aunt", "name": "Ann Other", "of": "jane"})
    assert path.read_text() == text + "- id: ann\n  name: Ann Other\n  role: aunt\n  of: jane\n"


def test_add_person_to_starter(tmp_path: Path) -> None:
    path = write(tmp_path, dump_new_manifest("Jane Doe", "SAR-1", dt.date(2026, 10, 1)))
    before = path.read_text()
    add_person(path, {"id": "tom", "name": "Tom Doe", "role": "sibling", "withheld": ("Tom Grant",)})
    add_person(path, {"id": "lisa", "name": "Lisa Grant", "role": "adoptive-parent", "of": "tom"})
    after = path.read_text()
    assert all(line in after.splitlines() for line in before.splitlines())
    m = load_manifest(path)
    assert [p.id for p in m.people] == ["jane", "tom", "lisa"]
    assert m.person("tom").withheld == ("Tom Grant",) and m.person("lisa").of == "tom"


@pytest.mark.parametrize(
    ("person", "fragment"),
    [
        ({"id": "jane", "name": "Ann Other", "role": "aunt"}, 'the id "jane" is already used'),
        ({"id": "ann", "name": "Ann Other", "role": "aunty"}, 'role "aunty" is not a known role'),
        ({"id": "ann", "name": "Ann Other", "role": "aunt", "of": "nobody"}, "names no one"),
        ({"id": "ann", "name": "Ann Other", "role": "subject"}, "second person has `role: subject`"),
        ({"id": "ann", "name": "Ann Other"}, "has no `role`"),
        ({"id": "ann", "name": "Ann Other", "role": "aunt", "known": "maybe"}, "`known` must be true or false"),
        ({"id": "ann", "name": "Ann Other", "role": "aunt", "line": 3}, "`line` is not a field"),
    ],
)
def test_add_person_invalid_leaves_file_untouched(tmp_path: Path, person: dict, fragment: str) -> None:
    path = write(tmp_path, SPEC_EXAMPLE)
    with pytest.raises(ManifestError) as info:
        add_person(path, person)
    message = str(info.value)
    assert message.startswith(f"{path}: cannot add the person, ") and fragment in message
    assert message.endswith(".") and "Ann Other" not in message
    assert path.read_text() == SPEC_EXAMPLE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]


def test_add_person_to_invalid_file_reports_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  - id: ann\n    name: Ann Other\n    role: aunty\n")
    with pytest.raises(ManifestError, match=r"line 10: role \"aunty\""):
        add_person(path, {"id": "bob", "name": "Bob", "role": "uncle"})
