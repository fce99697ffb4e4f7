"""Search-and-redact end to end: a string detection missed is found across the case from the review screen
(keys played through a Script terminal), redacted with one decision, bundled; `sarkit verify` exits 0 and
the string is gone from every document of the bundle (PyMuPDF's text of every output file).

Once on a generated case (a nickname, "Lozza", in two documents) and once on a copy of a dev case of
../shared/corpus (skipped when it is absent), where the string is chosen by code: a word of the documents
that no proposal covers, in the most documents.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections import defaultdict
from pathlib import Path

import pymupdf
import pytest

from sarkit.case import Case
from sarkit.review.screen import Screen, Script
from sarkit.review.session import ReviewSession

sys.path.insert(0, str(Path(__file__).parent))
from cli_helpers import run_sarkit
from test_review import make_big_case

SHARED = Path(__file__).resolve().parents[2] / "shared"


def search_and_redact(case: Case, text: str, person: str) -> tuple[int, list[str]]:
    """Drive the review screen: / TEXT Enter, r, the person's number Enter, Enter (the suggested code), q."""
    s = ReviewSession(case, "officer")
    try:
        number = [p.id for p in s.manifest.people].index(person) + 1 if person != "-" else len(s.manifest.people) + 1
        keys = ["/", *text, "enter", "r", *str(number), "enter", "enter", "q"]
        term = Script(keys, (80, 24))
        Screen(s, term).run()
        assert term.used == len(keys)
        hits = s.search(text)
        return len(hits), sorted({h.document for h in hits})
    finally:
        s.close()


def bundle_and_verify(case: Case) -> None:
    res = run_sarkit("bundle", str(case.root), "--accept-proposals", "--workers", "1")
    assert res.returncode == 0, res.stdout + res.stderr
    res = run_sarkit("verify", str(case.root))
    assert res.returncode == 0, res.stdout + res.stderr


def assert_gone(case: Case, text: str) -> int:
    """The text is in no file of bundle/documents, nor in records.pdf. Returns the files checked."""
    pat = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, text.split())) + r"(?!\w)", re.IGNORECASE)
    files = sorted((case.root / "bundle" / "documents").rglob("*.pdf")) + [case.root / "bundle" / "records.pdf"]
    for f in files:
        with pymupdf.open(f) as doc:
            body = " ".join(page.get_text() for page in doc)
        assert not pat.search(" ".join(body.split())), f"{f.name} still shows the searched text"
    return len(files)


def test_search_and_redact_a_missed_nickname_generated_case(tmp_path: Path) -> None:
    from sarkit.ingest import read_document

    case = make_big_case(tmp_path / "case", reader=read_document)
    places, docs = search_and_redact(case, "Lozza", "tom")
    assert places == 2 and len(docs) == 2
    s = ReviewSession(case, "officer")
    try:
        assert {h.status for h in s.search("Lozza")} == {"redacted"}
        manual = [sp.proposal for sp in s.ledger.proposals() if sp.proposal.mention.detector == "manual"]
        assert len(manual) == 2 and {p.mention.person for p in manual} == {"tom"}
        assert all(s.ledger.proposal(p.id).rects for p in manual)  # type: ignore[union-attr]
        assert len({step["seq"] for step in s.ledger.review_steps("officer")}) == 1  # one decision, one undo
    finally:
        s.close()
    bundle_and_verify(case)
    assert assert_gone(case, "Lozza") == 3


def _generated_text(case: Case) -> str:
    """What the bundle's own pages (letter, guide, glossary) may carry: case.yaml, the templates, the settings."""
    import sarkit

    data = Path(sarkit.__file__).parent / "data"
    parts = [case.manifest.read_text(encoding="utf-8")]
    for sub in ("templates", "settings"):
        parts += [f.read_text(encoding="utf-8") for f in sorted((data / sub).iterdir()) if f.is_file()]
    parts.append((data / "redaction-rules" / "glossary.yaml").read_text(encoding="utf-8"))
    return "\n".join(parts).casefold()


def _missed_word(case: Case) -> tuple[str, int]:
    """A capitalised word of at least five letters that no proposal covers anywhere, in the most documents
    (and in none of the bundle's own pages, so that only the documents can carry it)."""
    s = ReviewSession(case, "officer")
    try:
        in_docs: dict[str, set[str]] = defaultdict(set)
        manifest_text = _generated_text(case)
        for doc_id, _, _ in s.documents():
            for pt in s.page_texts(doc_id):
                for mt in re.finditer(r"\b[A-Z][a-z]{4,}\b", pt.text):
                    in_docs[mt.group()].add(doc_id)
        for word, docs in sorted(in_docs.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            if word.casefold() in manifest_text:
                continue
            hits = s.search(word)
            if hits and all(h.status == "missed" for h in hits):
                return word, len(docs)
        raise AssertionError("no word of the case is left unproposed")
    finally:
        s.close()


def test_search_and_redact_on_a_dev_case(tmp_path: Path) -> None:
    src = SHARED / "corpus" / "dev-s1-c02"
    if not (src / "case.yaml").is_file():
        pytest.skip("../shared/corpus is absent")
    root = tmp_path / "case"
    shutil.copytree(src, root, ignore=shutil.ignore_patterns("truth.json", ".sarkit", "bundle", "reports"))
    res = run_sarkit("propose", str(root), "--workers", "1")
    assert res.returncode == 0, res.stdout + res.stderr
    case = Case.at(root)
    word, ndocs = _missed_word(case)
    assert ndocs >= 2
    places, docs = search_and_redact(case, word, "-")
    assert len(docs) == ndocs and places >= ndocs
    bundle_and_verify(case)
    assert assert_gone(case, word) == 7
