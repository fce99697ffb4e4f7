"""Backlog runs: the same pipeline calls, looped over every case folder under a root.

Each case runs in its own worker process, so one bad case (an invalid manifest, a crash
inside a PDF library) is recorded with its one-sentence reason and the others go on.
A case already done and unchanged since (same documents, manifest, rule set, options)
is skipped, so an interrupted batch resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import multiprocessing.connection
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from . import __version__
from .case import Case
from .cluster import map_on_cluster
from .deadline import days_left, statutory_deadline
from .errors import SarkitError
from .manifest import load_manifest
from .pipeline import bundle, propose, verify
from .resources import rules_dirs
from .workers import allow_children, default_workers, die_with_parent

DONE_RECORD = "batch.json"  # in CASE/.sarkit/: the fingerprint of the last successful batch run


@dataclass
class CaseOutcome:
    case: str  # path relative to the batch root
    reference: str = ""
    status: str = "failed"  # done | proposed | skipped | needs-person | failed
    reason: str = ""  # one sentence when not done
    documents: int = 0
    pages: int = 0
    proposals: int = 0
    redactions: int = 0
    failed_documents: int = 0
    deadline: str = ""
    days_left: int | None = None
    overdue: bool = False
    seconds: float = 0.0


def discover(root: Path) -> list[Path]:
    """Every folder under root (root included) that has a case.yaml, in path order."""
    if not root.is_dir():
        raise SarkitError(f"{root} is not a directory of case folders.")
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and d not in ("bundle", "reports", "documents")
        )
        if "case.yaml" in filenames:
            found.append(Path(dirpath))
    return sorted(found)


def fingerprint(case: Case, accept: bool) -> str:
    """What a case's result depends on: its manifest, rule sets, documents, options and sarkit's version."""
    h = hashlib.sha256(f"{__version__}|{accept}".encode())
    h.update(case.manifest.read_bytes())
    for folder in rules_dirs():
        for rule_file in sorted(folder.rglob("*")):
            if rule_file.is_file():
                h.update(rule_file.read_bytes())
    if case.documents_dir.is_dir():
        for f in case.document_files():
            st = f.stat()
            h.update(f"{case.rel(f)}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()


def _deadline_fields(case: Case, out: CaseOutcome, today: dt.date) -> None:
    m = load_manifest(case.manifest)
    out.reference = m.reference
    deadline = statutory_deadline(m.received)
    out.deadline = deadline.isoformat()
    out.days_left = days_left(deadline, today)
    out.overdue = out.days_left < 0


def run_case(
    path: Path,
    root: Path,
    accept: bool,
    actor: str,
    today: dt.date,
    workers: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
) -> CaseOutcome:
    """propose, and with accept also bundle (which verifies) and verify: the same calls as the CLI.

    workers: processes for this case's documents and pages; progress: propose's (stage, done, total).
    """
    t0 = time.monotonic()
    case = Case(path)
    out = CaseOutcome(case=path.relative_to(root).as_posix() or ".")
    try:
        case = Case.at(path)
        _deadline_fields(case, out, today)
        fp = fingerprint(case, accept)
        record = case.state / DONE_RECORD
        if record.is_file() and json.loads(record.read_text()).get("fingerprint") == fp:
            prev = json.loads(record.read_text()).get("outcome", {})
            out.__dict__.update(
                {k: v for k, v in prev.items() if k in ("documents", "pages", "proposals", "redactions")}
            )
            out.status, out.reason = "skipped", "unchanged since the last batch run"
            return out
        res = propose(case, actor=actor, workers=workers, progress=progress)
        out.documents, out.pages = res.documents, res.pages
        out.proposals = sum(res.by_action.values())
        out.failed_documents = len(res.failures)
        if res.documents == 0:
            out.status, out.reason = "failed", f"no document could be read ({len(res.failures)} failed)"
            return out
        if not accept:
            out.status = "proposed"
        else:
            b = bundle(case, actor=actor, accept_proposals=True, workers=workers)
            out.redactions = b.redactions
            if b.report is not None and not b.report.ok:
                out.status, out.reason = (
                    "needs-person",
                    f"the bundle failed verification ({len(b.report.leaks)} findings)",
                )
                return out
            v = verify(case, actor=actor)
            if not v.report.ok:
                out.status, out.reason = "needs-person", f"verify found {len(v.report.leaks)} findings"
                return out
            out.status = "done"
            if b.withheld:
                out.status = "needs-person"
                out.reason = f"{len(b.withheld)} documents were held back from the bundle (failed verification)"
                return out
            if b.pages_withheld:
                out.status = "needs-person"
                out.reason = f"pages of {len(b.pages_withheld)} documents were withheld from the bundle"
                return out
        if res.failures:
            out.status = "needs-person"
            out.reason = f"{len(res.failures)} documents could not be read"
        else:
            record.write_text(json.dumps({"fingerprint": fp, "outcome": asdict(out)}))
    except SarkitError as exc:
        out.status, out.reason = "failed", exc.message
    except Exception as exc:  # noqa: BLE001 - a bug in one case must not stop the others
        out.status, out.reason = "failed", f"internal error ({exc.__class__.__name__})"
    finally:
        out.seconds = round(time.monotonic() - t0, 3)
    return out


def _child(
    conn, path: Path, root: Path, accept: bool, actor: str, today: dt.date, workers: int, parent: int | None = None
) -> None:  # pragma: no cover - runs in the forked case process
    die_with_parent(parent)  # a killed batch leaves no case process behind
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    seen = [0]

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "pages" and done > seen[0]:
            conn.send(("pages", done - seen[0]))
            seen[0] = done

    conn.send(("done", asdict(run_case(path, root, accept, actor, today, workers, progress))))
    conn.close()


def share_workers(free: int, waiting: int) -> int:
    """Processes for the next case: all that are free for one big case, one each when many cases wait."""
    return max(1, free // max(1, min(waiting, free)))


def run_batch(
    root: Path,
    *,
    workers: int | None = None,
    accept: bool = False,
    actor: str,
    today: dt.date | None = None,
    on_done: Callable[[CaseOutcome, int, int], None] | None = None,
    on_pages: Callable[[int], None] | None = None,
    cluster: str | None = None,
) -> list[CaseOutcome]:
    """Process every case under root and write ROOT/batch-report.json.

    `workers` processes are shared between cases and pages (see share_workers): many small cases run
    side by side, a big one alone gets them all for its pages. With `cluster` (a Dask scheduler address)
    the cases run on that cluster instead (sarkit.cluster). on_pages(n) reports pages read as they go.
    """
    cases = discover(root)
    today = today or dt.date.today()
    if cluster:
        results = _run_on_cluster(cluster, cases, root, accept, actor, today, on_done)
    else:
        results = _run_local(cases, root, accept, actor, today, max(1, workers or default_workers()), on_done, on_pages)
    ordered = [results[p] for p in cases]
    write_report(root, ordered, accept)
    return ordered


def _run_local(
    cases: list[Path],
    root: Path,
    accept: bool,
    actor: str,
    today: dt.date,
    workers: int,
    on_done: Callable[[CaseOutcome, int, int], None] | None,
    on_pages: Callable[[int], None] | None,
) -> dict[Path, CaseOutcome]:
    ctx = multiprocessing.get_context("fork")
    pending = list(cases)
    running: dict[Connection, tuple[Any, Path, int]] = {}
    results: dict[Path, CaseOutcome] = {}
    while pending or running:
        free = workers - sum(n for _, _, n in running.values())
        while pending and (free > 0 or not running):
            share = share_workers(max(1, free), len(pending))
            path = pending.pop(0)
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(child, path, root, accept, actor, today, share, os.getpid()))
            proc.start()
            child.close()
            running[parent] = (proc, path, share)
            free -= share
        for ready in multiprocessing.connection.wait(list(running), timeout=1.0):
            conn: Connection = ready  # type: ignore[assignment]  # wait() hands back the connections it was given
            proc, path, _ = running[conn]
            try:
                kind, data = conn.recv()
            except (EOFError, OSError):
                kind, data = "crashed", None
            if kind == "pages":
                if on_pages:
                    on_pages(data)
                continue
            del running[conn]
            proc.join(5)
            if kind == "done":
                outcome = CaseOutcome(**data)
            else:
                outcome = CaseOutcome(
                    case=path.relative_to(root).as_posix() or ".",
                    status="failed",
                    reason=f"the worker processing this case crashed (exit {proc.exitcode})",
                )
            results[path] = outcome
            if on_done:
                on_done(outcome, len(results), len(cases))
    return results


def case_task(path: str, root: str, accept: bool, actor: str, today: dt.date, workers: int) -> dict[str, Any]:
    """Runs on a Dask worker (sarkit.cluster): one case, its outcome as a plain dict (cheap to send back)."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    allow_children()  # Dask worker processes are daemonic; sarkit parses files in isolated children
    return asdict(run_case(Path(path), Path(root), accept, actor, today, workers))


def _run_on_cluster(
    address: str,
    cases: list[Path],
    root: Path,
    accept: bool,
    actor: str,
    today: dt.date,
    on_done: Callable[[CaseOutcome, int, int], None] | None,
) -> dict[Path, CaseOutcome]:
    """One task per case on the Dask scheduler at address; a task that fails is that case's failure."""
    calls = [(str(p), str(root), accept, actor, today, 1) for p in cases]
    results: dict[Path, CaseOutcome] = {}
    for index, res in map_on_cluster(address, case_task, calls):
        path = cases[index]
        if isinstance(res, BaseException):
            rel = path.relative_to(root).as_posix() or "."
            outcome = CaseOutcome(
                case=rel, status="failed", reason=f"the cluster could not run this case ({res.__class__.__name__})"
            )
        else:
            outcome = CaseOutcome(**res)
        results[path] = outcome
        if on_done:
            on_done(outcome, len(results), len(cases))
    return results


def write_report(root: Path, ordered: list[CaseOutcome], accept: bool) -> None:
    report = {
        "root": str(root),
        "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "accept_proposals": accept,
        "cases": [asdict(o) for o in ordered],
    }
    tmp = root / ".batch-report.json.tmp"
    tmp.write_text(json.dumps(report, indent=1), encoding="utf-8")
    os.replace(tmp, root / "batch-report.json")
