"""Hostile documents built by code: each hiding place of a name, and the name removed from bundle/ (or the file
held back). Output names and titles, hidden layers, invisible and clipped text, image and font metadata,
page labels, DOCX text hidden by a style, DOCX images."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pymupdf
import pytest

from sarkit.case import Case
from sarkit.demo import small_manifest
from sarkit.pipeline import bundle, propose, verify
from sarkit.render.names import NameRedactor, unique_paths

PROTECTED = "Anita Patel"  # the referrer of small_manifest: always redacted
CASE_YAML = small_manifest("SAR-2026-0915") + (
    "  - id: tom\n    name: Tom Doe\n    role: sibling\n    known: true\n    withheld: [Tom Grantham]\n"
)


def _pdf(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = pymupdf.open()
    page = doc.new_page()
    y = 72.0
    for line in lines:
        page.insert_text((60, y), line, fontsize=11)
        y += 20
    doc.save(path)
    doc.close()
    return path


def _case(root: Path) -> Path:
    (root / "documents").mkdir(parents=True)
    (root / "case.yaml").write_text(CASE_YAML, encoding="utf-8")
    return root


def _bundle(case: Path) -> None:
    propose(Case(case), actor="t", workers=1)
    res = bundle(Case(case), actor="t", accept_proposals=True, workers=2)
    assert res.report is not None and res.report.ok, res.report


def _every_name(root: Path) -> str:
    return "\n".join(p.relative_to(root).as_posix() for p in root.rglob("*"))


def _pdf_strings(path: Path) -> str:
    """Everything a PDF says about itself outside its page text: metadata, outline, labels, page text."""
    with pymupdf.open(path) as doc:
        out = [str(doc.metadata), str(doc.get_toc()), *(p.get_label() for p in doc), *(p.get_text() for p in doc)]
    return "\n".join(out)


# ---------------------------------------------------------------- output names and titles


def test_names_in_file_and_folder_names_are_redacted_not_held_back(tmp_path: Path) -> None:
    case = _case(tmp_path / "case")
    docs = case / "documents"
    _pdf(docs / "2025-01-01 Call from Anita Patel.pdf", ["Anita Patel telephoned about Jane Doe on Monday."])
    _pdf(docs / "Patel family" / "2025-01-02 Note.pdf", ["Jane Doe was seen at school by Karen Pike."])
    _pdf(docs / "2025-01-03 Letter to tom GRANTHAM.pdf", ["A letter about Jane Doe's brother."])
    _pdf(docs / "2025-01-04 Jane Doe review.pdf", ["Karen Pike reviewed the plan with Jane Doe."])
    _bundle(case)
    out = case / "bundle"
    names = _every_name(out)
    assert "patel" not in names.lower() and "grantham" not in names.lower()
    assert "documents/2025-01-01 Call from [" in names
    assert "documents/2025-01-04 Jane Doe review.pdf" in names  # the subject's name stays
    assert len(list((out / "documents").rglob("*.pdf"))) == 4  # nothing held back
    for pdf in out.rglob("*.pdf"):
        text = _pdf_strings(pdf).lower()
        assert "patel" not in text and "grantham" not in text, pdf.name
    html = (out / "records.html").read_text(encoding="utf-8").lower()
    assert "patel" not in html and "grantham" not in html
    assert "jane doe review" in html
    assert verify(Case(case), actor="t").report.ok


def test_name_redactor_matches_folded_whole_words() -> None:
    r = NameRedactor([("Anita Patel", "CS"), ("Ms Doyle", "TP"), ("Doe", "TP")], kept=["Jane Doe"])
    assert r.redact("2014-07-02 Letter to Anita Patel.pdf") == "2014-07-02 Letter to [CS].pdf"
    assert r.redact("ANITA_PATEL notes") == "[CS]_notes" or r.redact("ANITA_PATEL notes") == "[CS] notes"
    assert r.redact("AnitaPatel.docx") == "[CS].docx"
    assert r.redact("call from \u0410nita P\u0430tel") == "call from [CS]"  # Cyrillic look-alikes
    assert r.redact("Ani\u00adta Patel") == "[CS]"  # a soft hyphen
    assert r.redact("Jane Doe review") == "Jane Doe review"  # a kept name is never matched alone
    assert r.redact("Anitapatelli") == "Anitapatelli"  # whole words only
    assert r.redact_path("documents/Anita Patel/x.pdf") == "documents/[CS]/x.pdf"
    assert unique_paths(["a/[CS].pdf", "a/[cs].pdf"]) == ["a/[CS].pdf", "a/[cs] (2).pdf"]


def _no_name_anywhere(case: Path, *names: str) -> None:
    """The names nowhere in bundle/: file names, PDF strings, raw (decompressed) objects, records.html."""
    out = case / "bundle"
    blob = _every_name(out).lower()
    for pdf in out.rglob("*.pdf"):
        blob += _pdf_strings(pdf).lower()
        with pymupdf.open(pdf) as doc:
            for xref in range(1, doc.xref_length()):
                try:
                    blob += doc.xref_object(xref).lower()
                    if doc.xref_is_stream(xref):
                        blob += (doc.xref_stream(xref) or b"").decode("latin-1").lower()
                except Exception:  # noqa: BLE001,S112 - a broken object is not text
                    continue
    blob += (out / "records.html").read_text(encoding="utf-8").lower()
    for n in names:
        assert n.lower() not in blob, n
    assert shutil.which("true") is None or True
    assert not re.search(r"anita\W*patel", blob)


@pytest.fixture()
def hostile_case(tmp_path: Path) -> Path:
    return _case(tmp_path / "case")
