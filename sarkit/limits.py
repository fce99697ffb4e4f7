"""The limits every worker lives under, and how many workers there are.

No orphans: every worker asks the kernel to kill it when its parent dies (prctl PR_SET_PDEATHSIG, Linux;
a watching thread elsewhere) and caps its CPU time; the programs workers run (tesseract, pdftotext) are
started with ``die_with_parent`` as preexec_fn.

Limits per document: ``stage_limit`` gives each stage's wall-clock limit for one document (or a piece of
one): seconds to start, plus seconds a page, at most a ceiling (STAGE_LIMITS), all multiplied by
$SARKIT_TIME_SCALE (a slow machine: 2); $SARKIT_DOC_TIMEOUT (seconds) replaces them with one flat limit for
every document in every stage, and $SARKIT_DOC_TIMEOUT_READ, _REDACT, _RECORDS or _VERIFY with one for that
stage only. ``memory_limit_mb`` reads $SARKIT_MEMORY_MB. A document past a limit is held back (or left out
of the records) with one sentence naming it and the stage; the rest goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import threading
import time
from typing import Any

PR_SET_PDEATHSIG = 1


def _load_libc() -> Any:
    """The C library, loaded once in the parent (so that a preexec_fn in a forked child only makes a call)."""
    try:
        import ctypes
        import ctypes.util

        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except (OSError, AttributeError):
        return None


_LIBC: Any = _load_libc() if hasattr(os, "fork") else None


def die_with_parent(parent: int | None = None) -> bool:
    """Ask the kernel to SIGKILL this process when its parent dies; exit now if the parent is already gone.

    ``parent``: the pid this process was forked from (then a parent that died before the request took
    effect is noticed). Usable as a subprocess preexec_fn. False where prctl is unavailable.
    """
    done = False
    try:
        if _LIBC is not None:
            done = _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):  # not Linux: _watch_parent notices a dead parent instead
        pass
    if parent is not None and os.getppid() != parent:
        os._exit(1)
    return done


def _watch_parent(parent: int) -> None:
    """A daemon thread that ends this process when its parent is gone (where PR_SET_PDEATHSIG is missing)."""

    def loop() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=loop, daemon=True, name="sarkit-parent-watch").start()


def document_timeout(default: float) -> float:
    """The wall-clock limit for one document in a stage: $SARKIT_DOC_TIMEOUT when set, else ``default``."""
    return _seconds("SARKIT_DOC_TIMEOUT") or default


# The wall-clock limit of one document (or piece of one) in each stage, in seconds: (to start, a page, at most).
# The pages of a document are what its work grows with (OCR of a scanned page: seconds; a page of text:
# milliseconds); the ceiling keeps one document from holding a stage for long whatever its size (ingest
# reads a long PDF in ranges of 100 pages, verify checks one in pieces: each range or piece has its own).
STAGE_LIMITS: dict[str, tuple[float, float, float]] = {
    "read": (120.0, 10.0, 1200.0),  # ingest: text, OCR of scanned pages (two readings, pale writing), detection
    "redact": (60.0, 6.0, 300.0),  # redaction, OCR of redacted scans, reading back for the records
    "records": (30.0, 1.0, 120.0),  # one step of records.pdf/html: a document read or its pages drawn
    "verify": (60.0, 6.0, 240.0),  # every reading of one file or piece, OCR of the pages that need it
}


def time_scale() -> float:
    """$SARKIT_TIME_SCALE: every stage's default limits multiplied by it (a positive number; 1 when unset)."""
    return _seconds("SARKIT_TIME_SCALE") or 1.0


def _seconds(name: str) -> float:
    """A positive number of seconds (or a factor) from the environment; 0 when unset or not one."""
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else 0.0
    except ValueError:
        value = 0.0
    return value if value > 0 else 0.0


def stage_limit(stage: str, pages: int) -> float:
    """The wall-clock limit for one document (or piece) of ``pages`` pages in a stage (STAGE_LIMITS), unless
    $SARKIT_DOC_TIMEOUT_<STAGE> or $SARKIT_DOC_TIMEOUT sets a flat one."""
    flat = _seconds(f"SARKIT_DOC_TIMEOUT_{stage.upper()}")
    if flat:
        return flat
    start, per_page, most = STAGE_LIMITS[stage]
    return document_timeout(min(most, start + per_page * max(1, pages)) * time_scale())


def memory_limit_mb(default: int) -> int:
    """The address-space limit of one worker, in MB: $SARKIT_MEMORY_MB when set, else ``default``."""
    raw = os.environ.get("SARKIT_MEMORY_MB", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


def _limit_cpu(seconds: float) -> None:
    """Cap this process's CPU time a little above its wall-clock limit (a worker that spins is stopped
    even if its parent cannot act); SIGXCPU at the soft limit, SIGKILL at the hard one."""
    if seconds <= 0 or seconds == float("inf"):
        return
    soft = int(seconds) + 30
    _s, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    new_hard = hard if hard != resource.RLIM_INFINITY else soft + 10
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, new_hard))
    except (ValueError, OSError):
        pass


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def allow_children() -> None:
    """Let this (daemonic) worker process start the isolated children that sarkit forks to parse files.

    multiprocessing refuses children to a daemonic process only so that they are not orphaned; sarkit's
    children are always waited for or killed by their parent.
    """
    proc = multiprocessing.current_process()
    if proc.daemon and getattr(proc, "_popen", None) is None:
        proc.daemon = False
