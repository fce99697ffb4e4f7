"""Parallel propose and bundle: the same proposals whatever the workers, ranges or crashes."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from sarkit import pipeline as pipeline_mod
from sarkit.case import Case
from sarkit.ingest import units
from sarkit.ledger import Ledger
from sarkit.pipeline import bundle, propose
from sarkit.verify import fanout

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "throughput.py"


def _bench():
    spec = importlib.util.spec_from_file_location("sarkit_bench_throughput", BENCH)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


@pytest.fixture(scope="module")
def big_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    case = tmp_path_factory.mktemp("big") / "case"
    _bench().make_large_case(case, pages=45, pages_per_doc=15)
    return case


def _copy(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".sarkit", "bundle", "reports"))
    return dest


def _proposals(case: Path) -> list[tuple]:
    led = Ledger.open(case / ".sarkit")
    try:
        return [(sp.proposal, tuple(map(tuple, sp.rects))) for sp in led.proposals()]
    finally:
        led.close()


def test_parallel_propose_equals_one_worker(big_template: Path, tmp_path: Path) -> None:
    one = _copy(big_template, tmp_path / "one")
    two = _copy(big_template, tmp_path / "two")
    r1 = propose(Case(one), actor="t", workers=1)
    r2 = propose(Case(two), actor="t", workers=2)
    assert (r1.documents, r1.pages) == (r2.documents, r2.pages) == (3, 45)
    assert r1.by_action == r2.by_action and sum(r1.by_action.values()) > 45 * 5
    assert _proposals(one) == _proposals(two)


def test_split_document_equals_unsplit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = tmp_path / "case"
    _bench().make_large_case(case, pages=50, pages_per_doc=50)
    whole = _copy(case, tmp_path / "whole")
    propose(Case(whole), actor="t", workers=2)  # small file: one unit, read by sarkit.ingest
    monkeypatch.setattr(units, "RANGE_PAGES", 15)
    monkeypatch.setattr(units, "PROBE_BYTES", 0)
    planned = units.plan_units([(f, f.name, None) for f in sorted((case / "documents").iterdir())])
    assert [(u.start, u.stop) for u in planned] == [(0, 15), (15, 30), (30, 45), (45, 50)]
    res = propose(Case(case), actor="t", workers=2)
    assert (res.documents, res.pages) == (1, 50)
    assert _proposals(case) == _proposals(whole)
    led = Ledger.open(case / ".sarkit")
    try:
        (doc,) = led.documents()
        assert doc.pages == 50 and doc.status == "read"
    finally:
        led.close()


def test_a_crashing_worker_costs_its_document_only(
    big_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _copy(big_template, tmp_path / "case")
    victim = sorted((case / "documents").iterdir())[1]
    digest = hashlib.sha256(victim.read_bytes()).hexdigest()
    real = pipeline_mod.propose_page

    def crashing(detector, manifest, rules, doc_id, page):  # type: ignore[no-untyped-def]
        if doc_id == digest and page.index == 3:
            os.abort()  # like a segfault inside a PDF library
        return real(detector, manifest, rules, doc_id, page)

    monkeypatch.setattr(pipeline_mod, "propose_page", crashing)
    res = propose(Case(case), actor="t", workers=2)
    assert res.documents == 2 and res.pages == 30
    assert [name for name, _ in res.failures] == [victim.name]
    reason = res.failures[0][1]
    assert "crashed" in reason and victim.name in reason and "\n" not in reason


def test_parallel_bundle_is_verified_and_equal(big_template: Path, tmp_path: Path) -> None:
    outs = {}
    for w in (1, 2):
        case = _copy(big_template, tmp_path / f"w{w}")
        propose(Case(case), actor="t", workers=w)
        b = bundle(Case(case), actor="t", accept_proposals=True, workers=w)
        assert b.report is not None and b.report.ok and b.documents == 3
        outs[w] = (b.redactions, sorted(p.name for p in (case / "bundle" / "documents").iterdir()))
    assert outs[1] == outs[2] and outs[1][0] > 0


def test_verify_all_finds_the_same_leaks_as_one_call(tmp_path: Path) -> None:
    import pymupdf

    from sarkit.verify import verify_bundle

    (tmp_path / "documents").mkdir()
    per_file = {}
    for i in range(4):
        doc = pymupdf.open()
        doc.new_page().insert_text((72, 72), f"Visible text {i} and 07700 900{100 + i}")
        doc.save(tmp_path / "documents" / f"d{i}.pdf")
        per_file[f"documents/d{i}.pdf"] = [(f"p{i}", f"07700 900{100 + i}")] if i % 2 else [("x", "absent")]
    (tmp_path / "notes.txt").write_text("07700 900101")
    one = verify_bundle(tmp_path, per_file, [("a", "07700 900101")], extractors=("pymupdf",))
    many = fanout.verify_all(tmp_path, per_file, [("a", "07700 900101")], extractors=("pymupdf",), workers=2)
    assert sorted(many.leaks, key=repr) == sorted(one.leaks, key=repr) and not one.ok
    assert (many.files, many.values) == (one.files, one.values)


def test_a_long_pdf_is_verified_in_pieces_with_the_same_findings(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A long PDF (records.pdf of a big case) is checked in page ranges by several workers: every finding of
    the whole-file check is found, on the right page, by the right extractor, and the file's own objects
    (its metadata here) are checked once."""
    import shutil

    import pymupdf

    from sarkit.verify import verify_bundle

    monkeypatch.setattr(fanout, "VERIFY_PAGES", 3)
    doc = pymupdf.open()
    for i in range(10):
        page = doc.new_page()
        page.insert_text((72, 72), f"Page {i}: " + ("Mr Dean Pryce called." if i in (1, 5, 9) else "a quiet visit."))
    doc.set_metadata({"author": "Dean Pryce"})
    doc.save(tmp_path / "records.pdf")
    per_file = {"records.pdf": [("p-dean", "Dean Pryce")]}
    extractors = ("pymupdf", "pdftotext") if shutil.which("pdftotext") else ("pymupdf", "pdfminer")
    one = verify_bundle(tmp_path, per_file, extractors=extractors)
    many = fanout.verify_all(tmp_path, per_file, extractors=extractors, workers=2)
    assert sorted(many.leaks, key=repr) == sorted(one.leaks, key=repr)
    assert {lk.page for lk in one.leaks if lk.where == "text"} == {1, 5, 9}
    assert {lk.extractor for lk in one.leaks if lk.where == "text"} == set(extractors)
    assert sum(1 for lk in many.leaks if lk.where == "metadata") == 1
    assert (many.files, many.values) == (one.files, one.values) == (1, 1)


def test_share_workers() -> None:
    from sarkit.batch import share_workers

    assert share_workers(4, 1) == 4  # one big case gets every process for its pages
    assert share_workers(4, 10) == 1  # many small cases run side by side
    assert share_workers(4, 2) == 2
