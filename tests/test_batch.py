"""sarkit batch: many cases, one bad case never stops the others, unchanged cases are skipped."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sarkit import batch as batch_mod
from sarkit.batch import discover, run_batch
from sarkit.cli import main


@pytest.fixture()
def root(demo_template: tuple[Path, dict], tmp_path: Path) -> Path:
    r = tmp_path / "backlog"
    for name in ("a-case", "b-case"):
        shutil.copytree(demo_template[0], r / name)
    bad = r / "c-bad"
    (bad / "documents").mkdir(parents=True)
    (bad / "case.yaml").write_text("sarkit: 1\nreference: X\nreceived: not-a-date\npeople: []\n")
    return r


def test_discover_finds_case_folders_only(root: Path) -> None:
    assert [p.name for p in discover(root)] == ["a-case", "b-case", "c-bad"]


def test_batch_goes_on_after_a_bad_case_and_reports(root: Path) -> None:
    seen = []
    out = run_batch(root, workers=2, accept=True, actor="t", on_done=lambda o, d, t: seen.append((d, t)))
    status = {o.case: o.status for o in out}
    assert status == {"a-case": "done", "b-case": "done", "c-bad": "failed"}
    bad = next(o for o in out if o.case == "c-bad")
    assert "case.yaml, line" in bad.reason and "\n" not in bad.reason
    assert sorted(seen) == [(1, 3), (2, 3), (3, 3)]
    report = json.loads((root / "batch-report.json").read_text())
    assert [c["status"] for c in report["cases"]] == ["done", "done", "failed"]
    assert all((root / n / "bundle" / "documents").is_dir() for n in ("a-case", "b-case"))
    good = next(o for o in out if o.case == "a-case")
    assert good.pages > 0 and good.proposals > 0 and good.deadline and good.days_left is not None


def test_unchanged_cases_are_skipped_and_changed_ones_rerun(root: Path) -> None:
    run_batch(root, workers=2, accept=True, actor="t")
    again = {o.case: o for o in run_batch(root, workers=2, accept=True, actor="t")}
    assert again["a-case"].status == "skipped" and again["a-case"].pages > 0
    doc = sorted((root / "b-case" / "documents").iterdir())[0]
    os.utime(doc, ns=(doc.stat().st_atime_ns, doc.stat().st_mtime_ns + 10**9))
    third = {o.case: o for o in run_batch(root, workers=1, accept=True, actor="t")}
    assert third["a-case"].status == "skipped" and third["b-case"].status == "done"


def test_a_crashing_worker_costs_its_case_only(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = batch_mod.run_case

    def crashing(path: Path, *args: object) -> object:
        if path.name == "a-case":
            os.abort()  # like a segfault inside a PDF library
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(batch_mod, "run_case", crashing)
    out = {o.case: o for o in run_batch(root, workers=2, accept=False, actor="t")}
    assert out["a-case"].status == "failed" and "crashed" in out["a-case"].reason
    assert out["b-case"].status == "proposed"


def test_cli_batch_exit_status_and_plain_log(root: Path) -> None:
    r = CliRunner().invoke(main, ["batch", str(root), "--workers", "2"])
    assert r.exit_code == 1  # the bad case needs a person
    assert "case 3/3" in r.stderr
    shutil.rmtree(root / "c-bad")
    r = CliRunner().invoke(main, ["batch", str(root), "--workers", "1", "--json"])
    assert r.exit_code == 0, r.stderr
    assert {c["status"] for c in json.loads(r.stdout)} == {"skipped"}  # proposed by the first run, unchanged


def test_progress_and_report_carry_no_document_text(root: Path, demo_template: tuple[Path, dict]) -> None:
    r = CliRunner().invoke(main, ["batch", str(root), "--accept-proposals"])
    truth = demo_template[1]
    secrets = {s for d in truth["documents"].values() for s in d["redact"] if len(s) > 4}
    text = r.stdout + r.stderr + (root / "batch-report.json").read_text()
    assert not [s for s in secrets if s in text]


def test_empty_root_is_exit_2(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["batch", str(tmp_path)])
    assert r.exit_code == 2
