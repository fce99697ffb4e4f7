"""Limits per document in every stage, and no orphans.

- `sarkit bundle` killed with SIGKILL while its workers redact, or while they verify the bundle: within a
  few seconds no process of its session is left (its workers die with it, and theirs with them).
- A document whose records.pdf pages cannot be drawn, or checked by verify, within their limit is left out
  of the records (named); one whose own check passes its limit is held back; the rest of the bundle is made.
- A document whose redaction passes its time limit is held back with one sentence naming it, the stage
  and the limit; the rest of the bundle goes on and verifies.
- The limits of the workers themselves: a child that spins past its limit is stopped, one that asks for
  more memory than allowed is reported as such.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_crash_safety import make_case, sarkit_cmd

from sarkit.case import Case
from sarkit.pipeline import bundle, propose, verify
from sarkit.workers import (
    WorkerMemoryError,
    WorkerTimeout,
    die_with_parent,
    document_timeout,
    map_isolated,
    run_isolated,
)

REPO = Path(__file__).resolve().parents[1]


def _session_processes(sid: int) -> list[int]:
    """Live (not zombie) processes of session sid, from /proc."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        state, session = fields[0], int(fields[3])
        if session == sid and state not in ("Z", "X"):
            out.append(int(entry.name))
    return out


def _children_of(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _big_case(root: Path) -> Path:
    """Documents that each take a worker some seconds to redact (many pages full of names)."""
    make_case(root, documents=4, pages=60)
    return root


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("stage", ["redact", "verify"])
def test_sigkill_mid_bundle_leaves_no_process(tmp_path: Path, stage: str) -> None:
    """Killed while its workers redact, or once records.pdf is built, while its workers verify the bundle."""
    case = _big_case(tmp_path / "case")
    ready = case / ".sarkit" / "bundle-staging" / "records.pdf"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    run = subprocess.run(sarkit_cmd("propose", str(case)), capture_output=True, text=True, env=env, cwd=REPO)
    assert run.returncode == 0, run.stderr
    proc = subprocess.Popen(
        sarkit_cmd("bundle", str(case), "--accept-proposals", "--workers", "2"),
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        workers: list[int] = []
        while time.monotonic() < deadline and proc.poll() is None:
            if stage == "verify" and not ready.exists():
                time.sleep(0.02)
                continue
            workers = _children_of(proc.pid)
            if workers:
                time.sleep(0.3)  # let them get going (and fork their own children)
                workers = _children_of(proc.pid)
                if workers:
                    break
            time.sleep(0.02)
        assert workers and proc.poll() is None, "the bundle never had a worker to orphan"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        left = _session_processes(proc.pid)
        give_up = time.monotonic() + 5
        while left and time.monotonic() < give_up:
            time.sleep(0.1)
            left = _session_processes(proc.pid)
        assert left == [], f"processes left behind after SIGKILL: {left}"
    finally:
        for pid in _session_processes(proc.pid):
            os.kill(pid, signal.SIGKILL)


def _slow_redact(src, dest, redactions, **kw):  # noqa: ANN001, ANN003 - stands in for redact_pdf in a worker
    """redact_pdf, except that one document never finishes (as a PDF that makes MuPDF loop would)."""
    from sarkit.render import redact as real

    if "Note 1" in str(src):
        while True:
            time.sleep(1)
    return real.redact_pdf(src, dest, redactions, **kw)


def test_a_document_past_its_redaction_limit_is_held_back_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = make_case(tmp_path / "case", documents=3, pages=2)
    propose(Case(case), actor="t", workers=2)
    monkeypatch.setattr("sarkit.render.jobs.redact_pdf", _slow_redact)
    monkeypatch.setenv("SARKIT_DOC_TIMEOUT", "15")
    t0 = time.monotonic()
    res = bundle(Case(case), actor="t", accept_proposals=True, workers=2)
    assert time.monotonic() - t0 < 120
    assert res.withheld == [("2025-01-02 Note 1.pdf", "redacting it passed the limit of 15 s per document")]
    assert res.report is not None and res.report.ok
    out = sorted(p.name for p in (case / "bundle" / "documents").iterdir())
    assert out == ["2025-01-01 Note 0.pdf", "2025-01-03 Note 2.pdf"]
    monkeypatch.delenv("SARKIT_DOC_TIMEOUT")
    leaks = verify(Case(case), actor="t").report.leaks  # verify names the document held back, and only it
    assert [(lk.file, lk.where) for lk in leaks] == [("documents/2025-01-02 Note 1.pdf", "withheld")]


def test_held_back_document_is_one_sentence_on_the_console(tmp_path: Path) -> None:
    from io import StringIO

    from rich.console import Console

    from sarkit.console import Output
    from sarkit.pipeline import BundleResult

    out = Output(False)
    buf = StringIO()
    out.err = Console(file=buf, width=400)
    out.out = Console(file=StringIO(), width=400)
    out.bundle(BundleResult(withheld=[("a.pdf", "redacting it passed the limit of 15 s per document")]))
    line = buf.getvalue().strip()
    assert line.count(". ") == 0 and line.endswith(".")
    assert "documents/a.pdf" in line and "redacting" in line and "15 s" in line

    buf.truncate(0)
    buf.seek(0)
    why = "left out of records.pdf and records.html: drawing its pages for them passed the limit of 61 s per document"
    out.bundle(BundleResult(withheld=[("b.pdf", why)]))
    line = buf.getvalue().strip()
    assert "\n" not in line and line.count(". ") == 0 and line.endswith(".")
    assert line.startswith("documents/b.pdf is in the bundle but was left out of records.pdf") and "61 s" in line


def _spin() -> None:
    while True:
        pass


def _grab(mb: int) -> int:
    return len(bytearray(mb * 1024 * 1024))


def _sleep_then(seconds: float, value: int) -> int:
    time.sleep(seconds)
    return value


def test_workers_are_stopped_at_their_limits() -> None:
    t0 = time.monotonic()
    with pytest.raises(WorkerTimeout):
        run_isolated(_spin, timeout=1.0, memory_mb=0)
    assert time.monotonic() - t0 < 30
    with pytest.raises(WorkerMemoryError):
        run_isolated(_grab, 4096, timeout=60, memory_mb=1024)
    got = dict(map_isolated(_sleep_then, [(30, 1), (0, 2)], workers=2, timeout=60, memory_mb=0, timeouts=[1, 60]))
    assert isinstance(got[0], WorkerTimeout) and got[1] == 2


def test_document_timeout_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SARKIT_DOC_TIMEOUT", raising=False)
    assert document_timeout(120) == 120
    monkeypatch.setenv("SARKIT_DOC_TIMEOUT", "7.5")
    assert document_timeout(120) == 7.5
    monkeypatch.setenv("SARKIT_DOC_TIMEOUT", "nonsense")
    assert document_timeout(120) == 120


def _orphan_probe(conn_path: str) -> None:
    """In a forked child: start a grandchild that would outlive us, and write its pid down."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], preexec_fn=die_with_parent)
    Path(conn_path).write_text(str(child.pid))
    time.sleep(120)


def test_a_program_run_by_a_worker_dies_with_it(tmp_path: Path) -> None:
    import multiprocessing

    note = tmp_path / "pid"
    proc = multiprocessing.get_context("fork").Process(target=_orphan_probe, args=(str(note),))
    proc.start()
    for _ in range(200):
        if note.exists() and note.read_text():
            break
        time.sleep(0.05)
    grandchild = int(note.read_text())
    proc.kill()
    proc.join()
    for _ in range(100):
        try:
            stat = Path(f"/proc/{grandchild}/stat").read_text()
        except OSError:
            break
        if stat[stat.rindex(")") + 2] in "ZX":
            break
        time.sleep(0.05)
    else:
        os.kill(grandchild, signal.SIGKILL)
        pytest.fail("the program started with die_with_parent outlived its parent")


# ---------------------------------------------------------------- the records and verify stages


def _slow_pages(out, staging, d, *args):  # noqa: ANN001, ANN002 - stands in for records._document_pages
    """records._document_pages, except that one document's sheets never finish drawing."""
    if "Note 1" in d.rec.out_name:
        while True:
            time.sleep(1)
    return _REAL_PAGES(out, staging, d, *args)


def _damaged_pages(out, staging, d, *args):  # noqa: ANN001, ANN002 - stands in for records._document_pages
    """records._document_pages, except that one document's pages make MuPDF fail (a damaged page)."""
    if "Note 1" in d.rec.out_name:
        raise RuntimeError("code=2: damaged content stream")
    return _REAL_PAGES(out, staging, d, *args)


def _shows_document_1(path: Path, pages) -> bool:  # noqa: ANN001
    """A page of path (of pages, if given) shows a line of document 1 (its lines start "1.0.0", "1.1.0" ...)."""
    import pymupdf

    with pymupdf.open(path) as doc:
        numbers = pages if pages is not None else range(doc.page_count)
        return any(re.search(r"(?m)^1\.[01]\.\d", doc[p].get_text()) for p in numbers)


def _slow_reading(path: Path, pages=None):  # noqa: ANN001 - stands in for verify's PyMuPDF reader
    """verify's PyMuPDF reading, except that it never finishes on the pages that show document 1 (their
    lines start "1.0.0", "1.1.0" ...) in SLOW_FILE."""
    if path.name == os.environ["SLOW_FILE"] and _shows_document_1(path, pages):
        while True:
            time.sleep(1)
    yield from _REAL_READER(path, pages)


from sarkit.render.records import _document_pages as _REAL_PAGES  # noqa: E402
from sarkit.verify.check import EXTRACTORS  # noqa: E402

_REAL_READER = EXTRACTORS["pymupdf"]


def _bundle_with_limit(case: Path) -> object:
    t0 = time.monotonic()
    res = bundle(Case(case), actor="t", accept_proposals=True, workers=2)
    assert time.monotonic() - t0 < 240
    return res


def _three_documents(root: Path) -> Path:
    case = make_case(root, documents=3, pages=2)
    propose(Case(case), actor="t", workers=2)
    return case


def _records_text(case: Path) -> str:
    import pymupdf

    with pymupdf.open(case / "bundle" / "records.pdf") as doc:
        return "".join(p.get_text() for p in doc)


def test_a_document_past_its_records_limit_is_left_out_of_them_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _three_documents(tmp_path / "case")
    monkeypatch.setattr("sarkit.render.records._document_pages", _slow_pages)
    monkeypatch.setenv("SARKIT_DOC_TIMEOUT", "15")
    res = _bundle_with_limit(case)
    assert res.withheld == [
        (
            "2025-01-02 Note 1.pdf",
            "left out of records.pdf and records.html: drawing its pages for them passed the limit of 15 s "
            "per document",
        )
    ]
    assert res.report is not None and res.report.ok
    out = sorted(p.name for p in (case / "bundle" / "documents").iterdir())
    assert out == ["2025-01-01 Note 0.pdf", "2025-01-02 Note 1.pdf", "2025-01-03 Note 2.pdf"]
    text = _records_text(case)
    assert re.search(r"(?m)^0\.0\.\d", text) and re.search(r"(?m)^2\.0\.\d", text)
    assert not re.search(r"(?m)^1\.[01]\.\d", text)


def test_a_document_that_fails_in_the_records_is_left_out_of_them_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _three_documents(tmp_path / "case")
    monkeypatch.setattr("sarkit.render.records._document_pages", _damaged_pages)
    res = _bundle_with_limit(case)
    assert res.withheld == [
        (
            "2025-01-02 Note 1.pdf",
            "left out of records.pdf and records.html: drawing its pages for them failed (RuntimeError: the file "
            "is probably damaged)",
        )
    ]
    assert res.report is not None and res.report.ok
    assert len(list((case / "bundle" / "documents").iterdir())) == 3
    assert not re.search(r"(?m)^1\.[01]\.\d", _records_text(case))


def test_a_document_whose_records_pages_pass_the_verify_limit_is_left_out_of_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _three_documents(tmp_path / "case")
    monkeypatch.setitem(EXTRACTORS, "pymupdf", _slow_reading)
    monkeypatch.setenv("SLOW_FILE", "records.pdf")
    monkeypatch.setenv("SARKIT_DOC_TIMEOUT", "15")
    res = _bundle_with_limit(case)
    assert res.withheld == [
        (
            "2025-01-02 Note 1.pdf",
            "left out of records.pdf and records.html: checking its pages in records.pdf passed the time limit",
        )
    ]
    assert res.report is not None and res.report.ok
    assert len(list((case / "bundle" / "documents").iterdir())) == 3
    text = _records_text(case)
    assert re.search(r"(?m)^0\.0\.\d", text) and re.search(r"(?m)^2\.0\.\d", text)
    assert not re.search(r"(?m)^1\.[01]\.\d", text)


def test_a_document_past_its_verify_limit_is_held_back_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = _three_documents(tmp_path / "case")
    monkeypatch.setitem(EXTRACTORS, "pymupdf", _slow_reading)
    monkeypatch.setenv("SLOW_FILE", "2025-01-02 Note 1.pdf")
    monkeypatch.setenv("SARKIT_DOC_TIMEOUT", "15")
    res = _bundle_with_limit(case)
    assert res.withheld == [("2025-01-02 Note 1.pdf", "checking it passed the time limit per document")]
    assert res.report is not None and res.report.ok
    out = sorted(p.name for p in (case / "bundle" / "documents").iterdir())
    assert out == ["2025-01-01 Note 0.pdf", "2025-01-03 Note 2.pdf"]
    assert not re.search(r"(?m)^1\.[01]\.\d", _records_text(case))


# ---------------------------------------------------------------- the limits per stage, on real files


@pytest.mark.parametrize(
    ("stage", "pages", "env", "expected"),
    [
        ("verify", 1, {}, 66.0),  # a minute to start, six seconds a page
        ("verify", 25, {}, 210.0),
        ("verify", 400, {}, 240.0),  # the ceiling, whatever the size
        ("redact", 14, {}, 144.0),
        ("redact", 429, {}, 300.0),
        ("records", 10, {}, 40.0),
        ("read", 100, {}, 1120.0),
        ("read", 0, {}, 130.0),  # a document of unknown size counts as one page
        ("verify", 25, {"SARKIT_TIME_SCALE": "2"}, 420.0),  # a slow machine
        ("verify", 25, {"SARKIT_TIME_SCALE": "nonsense"}, 210.0),
        ("verify", 25, {"SARKIT_DOC_TIMEOUT": "30"}, 30.0),  # one flat limit, every stage
        ("redact", 25, {"SARKIT_DOC_TIMEOUT": "30", "SARKIT_DOC_TIMEOUT_VERIFY": "5"}, 30.0),
        ("verify", 25, {"SARKIT_DOC_TIMEOUT": "30", "SARKIT_DOC_TIMEOUT_VERIFY": "5"}, 5.0),  # this stage only
        ("verify", 25, {"SARKIT_DOC_TIMEOUT_VERIFY": "-1"}, 210.0),
    ],
)
def test_each_stage_has_a_limit_that_grows_with_pages_to_a_ceiling(
    monkeypatch: pytest.MonkeyPatch, stage: str, pages: int, env: dict[str, str], expected: float
) -> None:
    from sarkit.limits import stage_limit

    for name in ("SARKIT_TIME_SCALE", "SARKIT_DOC_TIMEOUT", "SARKIT_DOC_TIMEOUT_VERIFY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert stage_limit(stage, pages) == pytest.approx(expected)


def _scanned(path: Path, pages: int) -> Path:
    """A PDF of page images only (what a scanner makes): each page's words are read by OCR, seconds a page."""
    import pymupdf

    out = pymupdf.open()
    for p in range(pages):
        src = pymupdf.open()
        page = src.new_page()
        y = 72.0
        for i in range(30):
            page.insert_text(
                (60, y), f"Scan {p}.{i}: the family was seen at home and the visit went well.", fontsize=11
            )
            y += 22
        png = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY).tobytes("png")
        target = out.new_page()
        target.insert_image(target.rect, stream=png)
    out.save(path)
    return path


def _case_with_a_scan(root: Path) -> Path:
    case = make_case(root, documents=1, pages=1)
    _scanned(case / "documents" / "2025-02-01 Scanned letter.pdf", 8)
    return case


def _run(args: list[str], extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, PYTHONPATH=str(REPO), OMP_THREAD_LIMIT="1", COLUMNS="400", **extra)
    return subprocess.run(sarkit_cmd(*args), capture_output=True, text=True, env=environment, timeout=600)


def test_a_document_past_its_reading_limit_is_skipped_by_propose_alone(tmp_path: Path) -> None:
    """A real scan that takes longer to OCR than a tiny reading limit: skipped with one sentence naming it,
    the stage and the limit; the other document is read."""
    case = _case_with_a_scan(tmp_path / "case")
    run = _run(["propose", str(case)], {"SARKIT_DOC_TIMEOUT_READ": "4"})
    assert run.returncode in (0, 1), run.stderr
    lines = [ln for ln in (run.stdout + run.stderr).splitlines() if "Scanned letter" in ln]
    assert len(lines) == 1, run.stdout + run.stderr
    assert "documents/2025-02-01 Scanned letter.pdf" in lines[0] and "reading it passed the limit of 4 s" in lines[0]
    assert "Traceback" not in run.stderr
    res = propose(Case(case), actor="t", workers=2)  # no limit set: both are read
    assert res.documents == 2 and not res.failures


def test_a_document_past_its_verify_limit_is_held_back_and_the_bundle_goes_on(tmp_path: Path) -> None:
    """The same scan, read (OCR) by propose, then checked by bundle's verify with a tiny limit for that stage only:
    held back with one sentence; the text document is bundled and verified; `verify` names the one held back."""
    case = _case_with_a_scan(tmp_path / "case")
    propose(Case(case), actor="t", workers=2)
    t0 = time.monotonic()
    run = _run(["bundle", str(case), "--accept-proposals"], {"SARKIT_DOC_TIMEOUT_VERIFY": "5"})
    assert time.monotonic() - t0 < 240
    assert "Traceback" not in run.stderr
    said = [ln for ln in (run.stdout + run.stderr).splitlines() if "Scanned letter" in ln]
    assert said and all("documents/2025-02-01 Scanned letter.pdf" in ln for ln in said), run.stdout + run.stderr
    assert any("time limit" in ln for ln in said)
    out = sorted(p.name for p in (case / "bundle" / "documents").iterdir())
    assert out == ["2025-01-01 Note 0.pdf"]
    leaks = verify(Case(case), actor="t").report.leaks
    assert {(lk.file, lk.where) for lk in leaks} == {("documents/2025-02-01 Scanned letter.pdf", "withheld")}
