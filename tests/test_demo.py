"""The fictional example case: complete, deterministic, and its truth matches its documents."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import docx
import pymupdf
import pytest
import yaml
from casewriter import build_demo_case

from sarkit.roles import ALL_ROLES

REPO = Path(__file__).resolve().parents[1]
NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    case = tmp_path_factory.mktemp("demo") / "case"
    return case, build_demo_case(case)


WORKING = (".sarkit", "bundle", "reports")  # what running sarkit on a case writes into it


def _hashes(case: Path) -> dict[str, str]:
    """The case as generated: its files, without anything sarkit wrote when someone ran it on the case."""
    return {
        str(p.relative_to(case)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(case.rglob("*"))
        if p.is_file() and p.relative_to(case).parts[0] not in WORKING
    }


def _flat(s: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"(?<=\w)-\n(?=\w)", "", s)).strip()


def _source_text(path: Path) -> str:
    """Everything a document holds: PDF text and metadata; every DOCX part's XML text."""
    if path.suffix == ".pdf":
        with pymupdf.open(path) as doc:
            text = "\n".join(page.get_text() for page in doc)
            return _flat(text) + " " + " ".join(v for v in doc.metadata.values() if isinstance(v, str))
    parts = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                parts.append(re.sub(r"<[^>]+>", " ", z.read(name).decode("utf-8")))
    return " ".join(parts)


def test_case_layout_and_formats(built: tuple[Path, dict]) -> None:
    case, truth = built
    names = sorted(p.name for p in (case / "documents").iterdir())
    with_tables = 0
    assert names == sorted(truth["documents"])
    assert sum(n.endswith(".pdf") for n in names) >= 3
    assert sum(n.endswith(".docx") for n in names) >= 3
    for name in names:
        path = case / "documents" / name
        if name.endswith(".pdf"):
            with pymupdf.open(path) as doc:
                assert doc.page_count == truth["documents"][name]["pages"]
                assert all(page.get_text().strip() for page in doc)
                assert "OFFICIAL" in doc[0].get_text()
        else:
            d = docx.Document(str(path))
            assert d.core_properties.author
            assert d.sections[0].header.paragraphs[0].text
            with_tables += bool(d.tables)
    assert with_tables >= 2
    assert sorted(p.name for p in case.iterdir()) == ["case.yaml", "documents"]


def test_deterministic(built: tuple[Path, dict], tmp_path: Path) -> None:
    case, truth = built
    again = build_demo_case(tmp_path / "case")
    assert _hashes(tmp_path / "case") == _hashes(case)
    assert json.dumps(again, sort_keys=True) == json.dumps(truth, sort_keys=True)


def test_truth_strings_occur_in_sources(built: tuple[Path, dict]) -> None:
    case, truth = built
    for name, entry in truth["documents"].items():
        text = _source_text(case / "documents" / name)
        for item in entry["redact"]:
            assert _flat(item) in text, (name, item)
        for keep in entry["keep"]:
            assert keep["count"] >= 1
            assert keep["text"] in text, (name, keep["text"])
        for item in entry["redact"]:  # no redact string inside a keep string, nor the other way round
            assert not any(item in k["text"] or k["text"] in item for k in entry["keep"]), (name, item)
        assert set(entry["redact_tags"]) == set(entry["redact"])


def test_truth_is_rich(built: tuple[Path, dict]) -> None:
    _, truth = built
    kinds = {t["kind"] for d in truth["documents"].values() for t in d["redact_tags"].values()}
    assert kinds == {"name", "contact", "identifier", "sensitive", "deleted"}
    assert truth["anywhere_redact"]
    assert "unregistered" in truth["people"]


def test_docx_tracked_changes_and_comments(built: tuple[Path, dict]) -> None:
    case, truth = built
    found_del = found_ins = found_comment = False
    for name, entry in truth["documents"].items():
        if not name.endswith(".docx"):
            continue
        d = docx.Document(str(case / "documents" / name))
        body = d.element.body
        dels = ["".join(t.text for t in e.iter(NS + "delText")) for e in body.iter(NS + "del")]
        found_ins |= bool(list(body.iter(NS + "ins")))
        found_comment |= bool(d.comments and len(list(d.comments)))
        for text in dels:
            found_del = True
            tagged = [t for t, v in entry["redact_tags"].items() if v["kind"] == "deleted"]
            assert text.strip() in tagged
            referrers = {p for p, v in truth["people"].items() if v["ref"] == "ref"}
            assert any(entry["redact_tags"][t]["person"] in referrers for t in tagged)
    assert found_del and found_ins and found_comment


def test_fictional_numbers(built: tuple[Path, dict]) -> None:
    case, _ = built
    text = " ".join(_source_text(p) for p in sorted((case / "documents").iterdir()))
    for phone in re.findall(r"\b0\d{3,4} ?\d{6}\b", text):
        assert phone.replace(" ", "").startswith(("07700900", "01632960")), phone
    for email in re.findall(r"[\w.+-]+@[\w.-]+", text):
        assert email.split("@")[1].endswith(("example.com", "example.org", "example.net")), email
    nhs = re.findall(r"\b999 \d{3} \d{4}\b", text)
    assert nhs
    for n in nhs:
        digits = [int(c) for c in n.replace(" ", "")]
        check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1))) % 11
        assert (0 if check == 11 else check) == digits[9]
    assert re.search(r"\bQQ \d\d \d\d \d\d [A-D]\b", text)


def test_manifest_structure(built: tuple[Path, dict]) -> None:
    case, truth = built
    data = yaml.safe_load((case / "case.yaml").read_text())
    assert data["sarkit"] == 1 and data["reference"] and data["rules"] == "uk-dpa2018"
    people = data["people"]
    ids = [p["id"] for p in people]
    assert len(ids) == len(set(ids))
    assert [p["role"] for p in people].count("subject") == 1
    assert all(p["role"] in ALL_ROLES for p in people)
    assert all(p.get("of") in ids for p in people if p.get("of"))
    roles = {p["role"] for p in people}
    assert {
        "mother",
        "father",
        "half-sibling",
        "sibling",
        "adoptive-parent",
        "grandparent",
        "foster-carer",
        "partner-of-parent",
        "other-child",
        "neighbour",
        "family-friend",
        "social-worker",
        "iro",
        "teacher",
        "gp",
        "police-officer",
        "personal-adviser",
        "health-visitor",
    } <= roles
    assert any(p.get("withheld") for p in people)
    assert any(p.get("deceased") for p in people)
    assert any(p.get("risk") for p in people)
    assert {p.get("consent") for p in people} >= {"given", "refused"}
    assert any(p.get("referrer") for p in people)
    assert set(truth["people"]) - {"unregistered"} == set(ids)


def test_manifest_loads_with_sarkit(built: tuple[Path, dict]) -> None:
    manifest = pytest.importorskip("sarkit.manifest")
    case, _ = built
    m = manifest.load_manifest(case / "case.yaml")
    assert m.subject.name == "Jordan Pryce"
    assert len(m.people) == len(yaml.safe_load((case / "case.yaml").read_text())["people"])


def test_committed_example_is_current(built: tuple[Path, dict]) -> None:
    example = REPO / "examples" / "case"
    if not (example / "case.yaml").exists():
        pytest.skip("examples/case has not been generated")
    case, truth = built
    assert _hashes(example) == _hashes(case)
    assert json.loads((REPO / "examples" / "case-truth.json").read_text()) == truth
