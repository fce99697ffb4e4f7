"""Crash-safe state: SIGKILL at random moments never corrupts the ledger or loses a confirmed decision.

- `sarkit propose` killed (with its workers) after random delays, several times: the ledger passes
  `PRAGMA integrity_check`, and the next run completes with the same proposals as an uninterrupted run.
- A process writing decisions with `Ledger.decide` is killed between decisions: every decision whose
  transaction returned is in the ledger.
- Two sarkit processes on one case: the second gets one sentence and exit status 2, the ledger stays sound.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pymupdf
import pytest
from casewriter import small_manifest

from sarkit.ledger import Ledger

REPO = Path(__file__).resolve().parents[1]
KILLS = 4
SEED = 20260105

CASE_YAML = small_manifest("SAR-2026-0777")

LINES = [
    "Home visit to Jane Doe by Karen Pike; Sharon Doyle was present.",
    "Anita Patel telephoned the duty desk about Jane at 07700 900123.",
    "Mum said that Ms Doyle would bring Jane to the review on Tuesday.",
    "Karen Pike spoke with Anita Patel, who asked not to be named.",
]


def make_case(root: Path, documents: int = 8, pages: int = 4) -> Path:
    docs = root / "documents"
    docs.mkdir(parents=True)
    (root / "case.yaml").write_text(CASE_YAML, encoding="utf-8")
    for d in range(documents):
        doc = pymupdf.open()
        for p in range(pages):
            page = doc.new_page()
            y = 72.0
            for i in range(30):
                page.insert_text((60, y), f"{d}.{p}.{i} " + LINES[(d + p + i) % len(LINES)], fontsize=10)
                y += 22
        doc.save(docs / f"2025-01-{d + 1:02d} Note {d}.pdf")
        doc.close()
    return root


def sarkit_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "sarkit.cli", *args]


def env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO), OMP_THREAD_LIMIT="1")


def integrity(case: Path) -> str:
    db = sqlite3.connect(case / ".sarkit" / "ledger.sqlite")
    try:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        db.close()


def proposals(case: Path) -> set[tuple]:
    ledger = Ledger.open(case / ".sarkit")
    try:
        return {
            (sp.proposal.id, sp.proposal.action, sp.proposal.code, sp.proposal.mention.text)
            for sp in ledger.proposals()
        }
    finally:
        ledger.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """The case after one uninterrupted propose, and how long it took."""
    case = make_case(tmp_path_factory.mktemp("crash") / "ref")
    t0 = time.monotonic()
    r = subprocess.run(
        sarkit_cmd("propose", str(case)), capture_output=True, text=True, env=env(), timeout=300, check=False
    )
    assert r.returncode == 0, r.stderr
    return case, time.monotonic() - t0


def test_propose_killed_at_random_moments(reference: tuple[Path, float], tmp_path: Path) -> None:
    ref_case, duration = reference
    case = tmp_path / "case"
    shutil.copytree(ref_case / "documents", case / "documents")
    shutil.copy(ref_case / "case.yaml", case / "case.yaml")
    rng = random.Random(SEED)
    for _ in range(KILLS):
        proc = subprocess.Popen(
            sarkit_cmd("propose", str(case)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env(),
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.3, max(0.4, duration * 0.9)))
        os.killpg(proc.pid, signal.SIGKILL)  # sarkit and its parsing workers, no clean-up of any kind
        proc.wait()
        if (case / ".sarkit" / "ledger.sqlite").exists():
            assert integrity(case) == "ok"
    r = subprocess.run(
        sarkit_cmd("propose", str(case)), capture_output=True, text=True, env=env(), timeout=300, check=False
    )
    assert r.returncode == 0, r.stderr
    assert integrity(case) == "ok"
    assert proposals(case) == proposals(ref_case)


DECIDER = """
import sys
from pathlib import Path
from sarkit.ledger import Ledger, now
from sarkit.models import Decision

ledger = Ledger.open(Path(sys.argv[1]))
for pid in sys.argv[2:]:
    ledger.decide(Decision(pid, "redact", "TP", "tester", now(), "review"))
    sys.stdout.write(pid + "\\n")
    sys.stdout.flush()
ledger.close()
"""


def test_decisions_written_before_a_kill_survive(reference: tuple[Path, float], tmp_path: Path) -> None:
    ref_case, _ = reference
    case = tmp_path / "case"
    shutil.copytree(ref_case, case)
    ids = sorted(p[0] for p in proposals(case))
    assert len(ids) > 40
    rng = random.Random(SEED)
    confirmed: list[str] = []
    for round_ in range(3):
        batch = ids[round_ * len(ids) // 3 : (round_ + 1) * len(ids) // 3]
        proc = subprocess.Popen(
            [sys.executable, "-c", DECIDER, str(case / ".sarkit"), *batch], stdout=subprocess.PIPE, text=True, env=env()
        )
        assert proc.stdout is not None
        stop_after = rng.randint(1, max(1, len(batch) - 2))
        for _ in range(stop_after):
            line = proc.stdout.readline().strip()
            if not line:
                break
            confirmed.append(line)
        proc.send_signal(signal.SIGKILL)  # between (or during) later decisions
        rest = proc.stdout.read()  # any decision confirmed before the kill landed
        confirmed.extend(x for x in rest.split() if x)
        proc.wait()
        assert integrity(case) == "ok"
    ledger = Ledger.open(case / ".sarkit")
    try:
        decided = ledger.latest_decisions()
    finally:
        ledger.close()
    assert confirmed
    missing = [pid for pid in confirmed if pid not in decided]
    assert not missing


HOLDER = """
import sys, time
from pathlib import Path
from sarkit.ledger import case_lock
with case_lock(Path(sys.argv[1]), "sarkit propose"):
    print("locked", flush=True)
    time.sleep(60)
"""


def test_second_process_gets_one_sentence(reference: tuple[Path, float], tmp_path: Path) -> None:
    ref_case, _ = reference
    case = tmp_path / "case"
    shutil.copytree(ref_case, case)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(case / ".sarkit")], stdout=subprocess.PIPE, text=True, env=env()
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        for cmd in (("propose", str(case)), ("bundle", str(case), "--accept-proposals")):
            r = subprocess.run(sarkit_cmd(*cmd), capture_output=True, text=True, env=env(), timeout=120, check=False)
            assert r.returncode == 2, (cmd, r.stdout, r.stderr)
            lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
            assert len(lines) == 1 and "in use by another sarkit process" in lines[0], r.stderr
            assert "Traceback" not in r.stderr
    finally:
        holder.kill()
        holder.wait()
    assert integrity(case) == "ok"
    assert proposals(case) == proposals(ref_case)


def test_two_real_propose_runs_at_once(reference: tuple[Path, float], tmp_path: Path) -> None:
    """Started together: one runs, the other either waits its turn out (finished first) or is refused cleanly."""
    ref_case, _ = reference
    case = tmp_path / "case"
    shutil.copytree(ref_case / "documents", case / "documents")
    shutil.copy(ref_case / "case.yaml", case / "case.yaml")
    procs = [
        subprocess.Popen(
            sarkit_cmd("propose", str(case)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env()
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]
    codes = sorted(c for c, _ in results)
    assert codes in ([0, 0], [0, 2]), results
    for code, err in results:
        assert "Traceback" not in err
        if code == 2:
            assert "in use by another sarkit process" in err
    assert integrity(case) == "ok"
    assert proposals(case) == proposals(ref_case)
