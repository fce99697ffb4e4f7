"""`sarkit review` driven in a real pseudo-terminal (pexpect): a whole review with quit, resume, undo,
a person-level decision, a manual redaction, adding an unregistered person, and a SIGKILL."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from sarkit.case import Case
from sarkit.decide import effective_actions, load_rules, undecided
from sarkit.ledger import Ledger
from sarkit.manifest import load_manifest

pexpect = pytest.importorskip("pexpect")
sys.path.insert(0, str(Path(__file__).parent))
from test_review import make_case

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 30


def spawn(case: Case, *extra: str):  # type: ignore[no-untyped-def]
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "160", "LINES": "50", "PYTHONPATH": str(ROOT)}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "sarkit.review", "review", str(case.root), "--reviewer", "alice", *extra],
        env=env,
        dimensions=(50, 160),
        timeout=TIMEOUT,
        encoding="utf-8",
    )
    return child


def decisions(case: Case) -> dict[str, tuple[str, str | None, str]]:
    """text of the proposal -> (action, code, source), for the decisions in force (the last one per text)."""
    ledger = Ledger.open(case.state)
    try:
        out = {}
        for pid, d in ledger.latest_decisions().items():
            sp = ledger.proposal(pid)
            if sp is not None and not sp.stale:
                out.setdefault(sp.proposal.mention.text, []).append((d.action, d.code, d.source))
        return out  # type: ignore[return-value]
    finally:
        ledger.close()


def test_review_in_a_pty(tmp_path: Path) -> None:
    from sarkit.ingest import read_document

    case = make_case(tmp_path / "case", reader=read_document)

    # --- first sitting: a person-level decision, item decisions, undo, a manual redaction, quit
    child = spawn(case)
    child.expect("People: decide per person and kind")
    child.send("a")  # first row: the mother's names, accepted as proposed
    child.expect(r"saved: 2 items of Sue Stone")
    child.send("i")
    child.expect("Proposed: ")
    child.send("a")  # Kate Bell: keep
    child.expect("saved: keep")
    child.expect("4 Oak Road")
    child.send("f")  # flip the address to keep ...
    child.expect("saved: keep")
    child.send("u")  # ... and undo it
    child.expect("undone")
    child.expect("4 Oak Road")
    child.send("a")
    child.expect("saved: redact TP")
    child.send("?")
    child.expect("manual redaction: type text")
    child.send("x")
    child.expect("Rob Hart")
    child.send("m")
    child.expect("Text to redact on this page")
    child.send("was present\r")
    child.expect("saved: 1 manual redaction on page 1")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1  # items are left
    d = decisions(case)
    assert d["Sue Stone"] == [("keep", None, "person-rule")] and d["Mum"] == [("keep", None, "person-rule")]
    assert d["4 Oak Road"] == [("redact", "TP", "review")]
    assert d["was present"] == [("redact", "TP", "manual")]

    # --- second sitting: resume, add the unregistered person to the register, decide one item, SIGKILL
    child = spawn(case)
    child.expect("People: decide per person and kind")
    child.send("i")
    child.expect("Not in the register: press \\+")
    child.send("+")
    child.expect("Role of")
    child.send("neighbour\r")
    child.expect("Full name")
    child.send("\r")
    child.expect("saved: added rob-hart")
    child.expect("Proposed: ")
    child.send("a")
    child.expect("saved: redact TP")
    child.kill(signal.SIGKILL)
    child.close(force=True)
    assert load_manifest(case.manifest).person("rob-hart").role == "neighbour"
    d = decisions(case)
    assert d["Rob Hart"] == [("redact", "TP", "review")]  # confirmed on screen before the kill: kept
    assert d["4 Oak Road"] == [("redact", "TP", "review")]

    # --- third sitting: finish
    child = spawn(case)
    child.expect("People: decide per person and kind")
    child.send("i")
    for _ in range(2):
        child.expect("Proposed: ")
        child.send("a")
        child.expect("saved: ")
    child.expect("Every item is decided")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    ledger = Ledger.open(case.state)
    try:
        eff = effective_actions(ledger.proposals(), ledger.latest_decisions())
        assert undecided(eff, load_rules(load_manifest(case.manifest).rules)) == []
        assert {e.stored.proposal.mention.text for e in eff if e.action == "redact"} >= {
            "4 Oak Road",
            "Rob Hart",
            "was present",
        }
    finally:
        ledger.close()


def test_second_check_in_a_pty(tmp_path: Path) -> None:
    from sarkit.ingest import read_document

    case = make_case(tmp_path / "case", reader=read_document)
    child = spawn(case)
    child.expect("People: decide per person and kind")
    child.send("A")  # every kind of the mother, as proposed
    child.expect("saved: 3 items of Sue Stone")
    child.send("q")
    child.expect(pexpect.EOF)
    env = {**os.environ, "TERM": "xterm", "PYTHONPATH": str(ROOT)}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "sarkit.review", "review", str(case.root), "--reviewer", "bob", "--second-check"],
        env=env,
        dimensions=(50, 160),
        timeout=TIMEOUT,
        encoding="utf-8",
    )
    child.expect("sarkit second check")
    child.send("i")
    child.expect("Decision: ")
    child.send("a")
    child.expect("saved: keep")
    child.send("q")
    child.expect(pexpect.EOF)
    ledger = Ledger.open(case.state)
    try:
        assert next(e for e in ledger.events() if e["event"] == "second-check")["actor"] == "bob"
        assert sum(1 for d in ledger.latest_decisions().values() if d.source == "second-check") == 1
    finally:
        ledger.close()
