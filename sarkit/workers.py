"""Worker processes, for every stage: untrusted work isolated in a child with a time and a memory limit.

ingest reads documents (and page ranges) this way, render redacts them, verify checks the bundle's files,
and batch shares the cores between cases (`default_workers`). A malformed PDF can make MuPDF loop,
allocate without bound or crash the interpreter. Each call forks a child (cheap on Linux: the parent's
imported modules are shared), caps its address space with RLIMIT_AS, and waits for one pickled answer
through a pipe. Whatever happens in the child costs that call only: the parent sees a typed exception.

No orphans: every child asks the kernel to kill it when its parent dies (prctl PR_SET_PDEATHSIG, Linux),
checks at once that the parent it was forked from is still there, and caps its CPU time as well as its
address space; the programs the children run (tesseract, pdftotext) are started the same way
(``die_with_parent`` as preexec_fn). A sarkit killed with SIGKILL mid-bundle leaves no process behind:
its workers die with it, and theirs with them.

Limits per document: ``stage_limit`` (sarkit.limits.STAGE_LIMITS: seconds to start, a page, at most; scaled by
$SARKIT_TIME_SCALE, or one flat limit from $SARKIT_DOC_TIMEOUT) and ``memory_limit_mb`` ($SARKIT_MEMORY_MB).
"""

from __future__ import annotations

import faulthandler
import gc
import multiprocessing
import os
import resource
import signal
import time
import traceback
from collections.abc import Callable, Generator, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from .limits import (  # noqa: F401  (re-exported: the stages import them from here)
    _limit_cpu,
    _watch_parent,
    allow_children,
    default_workers,
    die_with_parent,
    document_timeout,
    memory_limit_mb,
    stage_limit,
    time_scale,
)

T = TypeVar("T")


class IsolationError(Exception):
    """The isolated call did not return a result."""


class WorkerTimeout(IsolationError):
    """The child ran past its time limit and was killed (iter_isolated with a step: ``after`` the last item
    it sent, ``limit`` the seconds it had for the next)."""

    after: Any = None
    limit: float = 0.0


class WorkerMemoryError(IsolationError):
    """The child ran out of its memory allowance."""


class WorkerCrashed(IsolationError):
    """The child died without answering (segfault, abort, killed)."""

    def __init__(self, message: str, exitcode: int | None = None):
        super().__init__(message)
        self.exitcode = exitcode


class WorkerFailed(IsolationError):
    """The function raised an exception that could not be sent back as itself."""


def _looks_like_memory(exc: BaseException) -> bool:
    if isinstance(exc, MemoryError):
        return True
    text = f"{type(exc).__name__} {exc}".lower()
    return "errormemory" in text.replace(" ", "") or "malloc" in text or "out of memory" in text


def _child(
    conn: Connection,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    memory_mb: int,
    stream: bool,
    parent: int | None = None,
    cpu_seconds: float = 0.0,
) -> None:
    if not die_with_parent(parent) and parent is not None:
        _watch_parent(parent)
    faulthandler.disable()  # a crash here is reported by the parent, not dumped on the console
    gc.disable()  # a short-lived process: collecting cycles costs more than it saves
    try:
        _limit_cpu(cpu_seconds)
        if memory_mb > 0:
            limit = memory_mb * 1024 * 1024
            _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        if stream:
            for item in fn(*args):
                conn.send(("item", item))
            result = None
        else:
            result = fn(*args)
        message: tuple[str, Any] = ("ok", result)
    except BaseException as exc:  # noqa: BLE001 - everything must be reported to the parent
        if _looks_like_memory(exc):
            message = ("memory", None)
        else:
            message = ("error", exc)
    try:
        conn.send(message)
    except MemoryError:
        conn.send(("memory", None))
    except Exception:  # noqa: BLE001 - the exception itself did not pickle
        what = message[1]
        if message[0] == "error":
            detail = traceback.format_exception_only(type(what), what)[-1].strip()
        else:
            detail = "the result could not be sent"
        conn.send(("failed", detail[:300]))
    finally:
        conn.close()


def run_isolated(fn: Callable[..., T], *args: Any, timeout: float, memory_mb: int) -> T:
    """Call ``fn(*args)`` in a forked child and return its result.

    Raises WorkerTimeout, WorkerMemoryError, WorkerCrashed or WorkerFailed; an exception raised by
    ``fn`` that pickles is re-raised as itself. ``fn`` and its result must be picklable (the function
    by reference: a module-level function).
    """
    result: Any = None
    for kind, payload in _run(fn, args, timeout, memory_mb, stream=False):
        if kind == "result":
            result = payload
    return result  # type: ignore[no-any-return]


def iter_isolated(
    fn: Callable[..., Iterator[T]],
    *args: Any,
    timeout: float,
    memory_mb: int,
    step: Callable[[Any], float] | None = None,
) -> Generator[T, None, None]:
    """Like run_isolated for a generator function: yields its items as the child produces them.

    The parent works on the first items while the child computes the next; ``timeout`` covers the
    whole run. With ``step``, each item (None before the first) also sets how long the child may take to
    produce the next one (or to finish): an item that announces a document's work gives that document its
    own limit, and the exception that stops the run (WorkerTimeout, WorkerCrashed, the function's own) has
    ``after``: the last item received. Stopping the iteration early kills the child.
    """
    last: Any = None
    try:
        for kind, payload in _run(fn, args, timeout, memory_mb, stream=True, step=step):
            if kind == "item":
                last = payload
                yield payload
    except Exception as exc:
        if step is not None and getattr(exc, "after", None) is None:
            try:  # whatever stopped the child (a crash, an exception of its own) came after this item
                exc.after = last  # type: ignore[attr-defined]
            except AttributeError:
                pass
        raise


def _run(
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    timeout: float,
    memory_mb: int,
    stream: bool,
    step: Callable[[Any], float] | None = None,
) -> Iterator[tuple[str, Any]]:
    ctx = multiprocessing.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(writer, fn, args, memory_mb, stream, os.getpid(), timeout), daemon=True)
    proc.start()
    writer.close()
    started = time.monotonic()
    deadline = started + timeout
    last: Any = None
    limit = step(None) if step is not None else timeout
    step_deadline = min(deadline, started + limit)
    finished = False
    try:
        while True:
            if not reader.poll(max(0.0, step_deadline - time.monotonic())):
                late = WorkerTimeout(f"no answer within {min(limit, timeout):g} s")
                late.after, late.limit = last, min(limit, timeout)
                raise late
            try:
                status, payload = reader.recv()
            except (EOFError, OSError):
                proc.join(5)
                code = proc.exitcode
                if code == -signal.SIGXCPU:
                    raise WorkerTimeout(f"its CPU time passed the limit of {timeout:g} s") from None
                raise WorkerCrashed(_describe_exit(code), code) from None
            if status != "item":
                finished = True
                break
            if step is not None:
                last, limit = payload, step(payload)
                step_deadline = min(deadline, time.monotonic() + limit)
            yield ("item", payload)
    finally:
        if finished:
            proc.join(2)
        if proc.is_alive():
            proc.kill()
            proc.join()
        reader.close()
    if status == "ok":
        yield ("result", payload)
        return
    if status == "memory":
        raise WorkerMemoryError("memory limit exceeded")
    if status == "error":
        raise payload
    raise WorkerFailed(str(payload))


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "the worker did not exit"
    if code < 0:
        try:
            return f"the worker was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"the worker was killed by signal {-code}"
    return f"the worker exited with status {code}"


def map_isolated(
    fn: Callable[..., T],
    calls: list[tuple[Any, ...]],
    *,
    workers: int,
    timeout: float,
    memory_mb: int,
    timeouts: Sequence[float] | None = None,
) -> Generator[tuple[int, T | BaseException], None, None]:
    """Run ``fn(*args)`` for every args of calls, each in its own forked child, at most ``workers`` at once.

    Yields ``(index into calls, result or exception)`` as each call finishes, in completion order. Each call
    has its own ``timeout`` (``timeouts[i]`` for call i when given) and memory limit; a failed call yields its
    exception (WorkerTimeout, WorkerCrashed, the function's own exception ...) and never stops the others.
    Children are forked from the calling thread only, and every child still running when the iteration stops
    is killed.
    """
    ctx = multiprocessing.get_context("fork")
    workers = max(1, workers)
    todo = list(enumerate(calls))[::-1]
    running: dict[Connection, tuple[int, Any, float]] = {}
    try:
        while todo or running:
            while todo and len(running) < workers:
                index, args = todo.pop()
                limit = timeouts[index] if timeouts is not None else timeout
                reader, writer = ctx.Pipe(duplex=False)
                proc = ctx.Process(
                    target=_child, args=(writer, fn, args, memory_mb, False, os.getpid(), limit), daemon=True
                )
                proc.start()
                writer.close()
                running[reader] = (index, proc, time.monotonic() + limit)
            now = time.monotonic()
            wait_for = max(0.0, min(d for _, _, d in running.values()) - now)
            ready = wait(list(running), timeout=wait_for)
            for ready_one in ready:
                reader = ready_one  # type: ignore[assignment]  # wait() hands back the connections it was given
                index, proc, _ = running.pop(reader)
                yield index, _collect(reader, proc)
            now = time.monotonic()
            for reader in [r for r, (_, _, d) in running.items() if d <= now]:
                index, proc, _ = running.pop(reader)
                _stop(reader, proc, grace=0)
                limit = timeouts[index] if timeouts is not None else timeout
                yield index, WorkerTimeout(f"no answer within {limit:g} s")
    finally:
        for reader, (_, proc, _) in running.items():
            _stop(reader, proc, grace=0)


def _collect(reader: Connection, proc: Any) -> Any:
    """The answer of a finished child of map_isolated: its result, or the exception to report."""
    try:
        status, payload = reader.recv()
    except (EOFError, OSError):
        proc.join(5)
        _stop(reader, proc)
        if proc.exitcode == -signal.SIGXCPU:
            return WorkerTimeout("its CPU time passed its limit")
        return WorkerCrashed(_describe_exit(proc.exitcode), proc.exitcode)
    _stop(reader, proc)
    if status == "ok":
        return payload
    if status == "memory":
        return WorkerMemoryError("memory limit exceeded")
    if status == "error":
        return payload
    return WorkerFailed(str(payload))


def _stop(reader: Connection, proc: Any, grace: float = 2.0) -> None:
    if grace > 0:
        proc.join(grace)
    if proc.is_alive():
        proc.kill()
        proc.join()
    reader.close()
