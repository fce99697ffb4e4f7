"""Hostile and broken files from the wild through `sarkit propose` and `sarkit bundle --accept-proposals`.

Every file of the wild corpus (default ../shared/corpus-wild/dev, or --dir) is put into a case of its own
(a minimal valid case.yaml), and the two commands run as subprocesses with a wall-clock guard, two cases at a
time. One case per file attributes a crash, a hang or a memory peak to its file. With --combined, all files
also go into one case, as an officer would have them.

Prints: files, processed, rejected with a clear sentence, crashes (a traceback, an exit status other than
0/1/2, or a rejection that is not one sentence naming the file), hangs (guard exceeded), bundles that failed
verification, and peak memory (the largest resident set of sarkit and its workers, from wait4).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "examples"))
from casewriter import small_manifest  # noqa: E402  (the fictional cases' writers, in examples/)

DEFAULT_DIR = REPO.parent / "shared" / "corpus-wild" / "dev"
SARKIT = [sys.executable, "-m", "sarkit.cli"]

CASE_YAML = small_manifest("SAR-WILD-0001")

_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")


@dataclass
class Run:
    """One sarkit command: exit status (None when the guard killed it), output, seconds, peak memory."""

    status: int | None
    stdout: str
    stderr: str
    seconds: float
    maxrss_kb: int


@dataclass
class Outcome:
    name: str
    verdict: str = ""  # processed | rejected | crash | hang
    detail: str = ""
    seconds: float = 0.0
    maxrss_kb: int = 0
    verify_failed: bool = False
    stray_output: bool = False  # --json stdout was not pure JSON
    runs: list[str] = field(default_factory=list)


def run_guarded(args: list[str], guard: float, env: dict[str, str]) -> Run:
    """Run a command in its own process group; kill the group when the guard is exceeded.

    Waits with wait4 so the peak resident set of the command and its waited-for children is known.
    """
    import subprocess

    t0 = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=env, start_new_session=True, cwd=REPO)
        status: int | None = None
        maxrss = 0
        while True:
            pid, wstatus, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status = os.waitstatus_to_exitcode(wstatus)
                maxrss = usage.ru_maxrss
                break
            if time.monotonic() - t0 > guard:
                os.killpg(proc.pid, signal.SIGKILL)
                _, _, usage = os.wait4(proc.pid, 0)
                maxrss = usage.ru_maxrss
                break
            time.sleep(0.05)
        proc.returncode = status if status is not None else -9  # keep Popen from waiting again
        try:  # workers left behind by a killed command
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out.seek(0)
        err.seek(0)
        return Run(
            status,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            time.monotonic() - t0,
            maxrss,
        )


def is_one_sentence(message: str, name: str) -> bool:
    """One line, naming the file, ending with a full stop, with no second sentence and no traceback."""
    if "\n" in message.strip() or "Traceback" in message or len(message) > 400:
        return False
    label = f"documents/{name}"
    if label not in message:
        return False
    rest = message.replace(label, "FILE")
    return rest.rstrip().endswith(".") and not _SENTENCE_BREAK.search(rest.rstrip()[:-1])


def _crashed(run: Run) -> str:
    if run.status is None:
        return ""
    if run.status not in (0, 1, 2):
        return f"exit status {run.status}"
    if "Traceback" in run.stderr or "internal error" in run.stderr:
        return "traceback or internal error"
    return ""


def _json(run: Run) -> dict:
    """The JSON document on stdout; stray lines before it (MuPDF messages) are tolerated but counted."""
    i = run.stdout.find("{")
    try:
        return json.loads(run.stdout[i:]) if i >= 0 else {}
    except ValueError:
        return {}


def _stray(run: Run) -> bool:
    try:
        json.loads(run.stdout)
        return False
    except ValueError:
        return True


def make_case(root: Path, files: list[Path]) -> Path:
    case = root
    (case / "documents").mkdir(parents=True)
    (case / "case.yaml").write_text(CASE_YAML, encoding="utf-8")
    for f in files:
        shutil.copy2(f, case / "documents" / f.name)
    return case


def run_case(case: Path, names: list[str], guard: float, env: dict[str, str]) -> list[Outcome]:
    """propose + bundle --accept-proposals on one case; an outcome per document."""
    outcomes = {n: Outcome(n) for n in names}
    prop = run_guarded([*SARKIT, "propose", str(case), "--json"], guard, env)
    peak = prop.maxrss_kb
    secs = prop.seconds

    def settle(verdict: str, detail: str) -> list[Outcome]:
        for o in outcomes.values():
            if not o.verdict:
                o.verdict, o.detail = verdict, detail
            o.seconds, o.maxrss_kb = secs, peak
        return list(outcomes.values())

    if prop.status is None:
        return settle("hang", f"propose ran past {guard:g} s")
    crash = _crashed(prop)
    data = _json(prop)
    if crash or not data:
        return settle("crash", f"propose: {crash or 'no JSON output'}: {prop.stderr.strip()[-300:]}")
    stray = _stray(prop)
    failed: dict[str, str] = data.get("failed", {})
    for name, message in failed.items():
        o = outcomes.get(name)
        if o is None:
            continue
        if is_one_sentence(message, name):
            o.verdict, o.detail = "rejected", message
        else:
            o.verdict, o.detail = "crash", f"not one sentence: {message[:200]!r}"
    if data.get("documents", 0) == 0:
        return settle("crash", "propose read nothing and reported no reason")
    # bundle without --json: its text output names leaks by file, page and check (never the text)
    bun = run_guarded([*SARKIT, "bundle", str(case), "--accept-proposals"], guard, env)
    peak = max(peak, bun.maxrss_kb)
    secs += bun.seconds
    if bun.status is None:
        return settle("hang", f"bundle ran past {guard:g} s")
    crash = _crashed(bun)
    if crash or bun.status == 2:
        return settle("crash", f"bundle: {crash or 'refused'}: {bun.stderr.strip()[-300:]}")
    verified = bun.status == 0
    leaks = sorted(
        {
            re.sub(r", page \d+", "", ln.split(", proposal")[0])
            for ln in (bun.stdout + bun.stderr).splitlines()
            if ln.lstrip().startswith("LEAK")
        }
    )
    for o in outcomes.values():
        o.stray_output = stray
        if not o.verdict:
            o.verdict = "processed"
            o.verify_failed = not verified
            if not verified:
                o.detail = "bundle failed verification: " + "; ".join(leaks)[:300]
    return settle("processed", "")


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1", TMPDIR=str(tmp), PYTHONPATH=str(REPO))
    return env


def per_file(files: list[Path], work: Path, guard: float, workers: int) -> list[Outcome]:
    env = _env(work)

    def one(f: Path) -> Outcome:
        case = make_case(work / f"case-{files.index(f):04d}", [f])
        try:
            return run_case(case, [f.name], guard, env)[0]
        finally:
            shutil.rmtree(case, ignore_errors=True)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, files))


def combined(files: list[Path], work: Path, guard: float) -> list[Outcome]:
    case = make_case(work / "case-all", files)
    try:
        return run_case(case, [f.name for f in files], guard, _env(work))
    finally:
        shutil.rmtree(case, ignore_errors=True)


def summary(outcomes: list[Outcome], wall: float, label: str) -> dict[str, object]:
    count = {v: sum(1 for o in outcomes if o.verdict == v) for v in ("processed", "rejected", "crash", "hang")}
    return {
        "mode": label,
        "files": len(outcomes),
        "processed": count["processed"],
        "rejected_with_sentence": count["rejected"],
        "crashes": count["crash"],
        "hangs": count["hang"],
        "verify_failed": sum(1 for o in outcomes if o.verify_failed),
        "stray_stdout_in_json": sum(1 for o in outcomes if o.stray_output),
        "peak_memory_mb": round(max((o.maxrss_kb for o in outcomes), default=0) / 1024, 1),
        "slowest_s": round(max((o.seconds for o in outcomes), default=0), 1),
        "wall_s": round(wall, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="folder of wild files")
    ap.add_argument("--guard", type=float, default=300.0, help="wall-clock limit per command, seconds")
    ap.add_argument("--workers", type=int, default=2, help="cases at a time in the per-file run")
    ap.add_argument("--combined", action="store_true", help="also run every file in one case")
    ap.add_argument("--only", default="", help="only files whose name contains this")
    ap.add_argument("--json", dest="json_out", type=Path, default=None, help="write every outcome here")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every file's outcome")
    args = ap.parse_args(argv)
    if not args.dir.is_dir():
        print(f"wild: {args.dir} does not exist.", file=sys.stderr)
        return 2
    files = sorted(p for p in args.dir.iterdir() if p.is_file() and p.suffix.lower() != ".tsv" and args.only in p.name)
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="sarkit-wild-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o700)
        t0 = time.monotonic()
        outs = per_file(files, work, args.guard, args.workers)
        results["per_file"] = summary(outs, time.monotonic() - t0, "one case per file")
        all_outcomes = {"per_file": outs}
        if args.combined:
            t0 = time.monotonic()
            comb = combined(files, work, max(args.guard, 60.0 * 10))
            results["combined"] = summary(comb, time.monotonic() - t0, "all files in one case")
            all_outcomes["combined"] = comb
    for label, outs in all_outcomes.items():
        bad = [o for o in outs if o.verdict in ("crash", "hang") or o.verify_failed]
        if args.verbose:
            for o in outs:
                print(f"{label:9} {o.verdict:9} {o.seconds:6.1f}s {o.maxrss_kb // 1024:5d}MB  {o.name}  {o.detail}")
        elif bad:
            for o in bad:
                print(f"{label:9} {o.verdict:9} {o.name}: {o.detail}")
    for label, s in results.items():
        print(f"\n[{s['mode']}]")
        for k, v in s.items():
            if k != "mode":
                print(f"  {k:24} {v}")
    if args.json_out:
        args.json_out.write_text(
            json.dumps({k: [vars(o) for o in v] for k, v in all_outcomes.items()} | {"summary": results}, indent=1),
            encoding="utf-8",
        )
    failed = any(s["crashes"] or s["hangs"] for s in results.values())  # type: ignore[index]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
