"""`sarkit batch ROOT --cluster ADDRESS`: the same per-case function, run on an existing Dask cluster.

Dask's scheduler does the scheduling (no home-made one): each case is one task calling
`sarkit.batch.run_case`, exactly what a local batch runs in its worker processes. The workers
must see ROOT at the same path (a shared filesystem) and have the same sarkit installed
(`pip install sarkit[cluster]`). A task that fails, or whose worker dies, is that case's failure,
with one sentence; the other cases go on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from .batch import CaseOutcome, run_case
from .errors import SarkitError
from .parallel import allow_children


def case_task(path: str, root: str, accept: bool, actor: str, today: dt.date, workers: int) -> dict:
    """Runs on a Dask worker: one case, its outcome as a plain dict (cheap to send back)."""
    import os
    from dataclasses import asdict

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    allow_children()  # Dask worker processes are daemonic; sarkit parses files in isolated children
    return asdict(run_case(Path(path), Path(root), accept, actor, today, workers))


def _client(address: str, timeout: str = "20s"):  # type: ignore[no-untyped-def]
    try:
        from distributed import Client
    except ImportError:
        raise SarkitError("--cluster needs the Dask extra: pip install 'sarkit[cluster]'.") from None
    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise SarkitError(f"cannot reach the Dask scheduler at {address} ({exc.__class__.__name__}).") from None


def run_on_cluster(
    address: str,
    cases: list[Path],
    root: Path,
    accept: bool,
    actor: str,
    today: dt.date,
    on_done: Callable[[CaseOutcome, int, int], None] | None = None,
    workers_per_case: int = 1,
) -> dict[Path, CaseOutcome]:
    """Submit one task per case to the scheduler at address; collect outcomes as they complete."""
    from distributed import as_completed

    client = _client(address)
    results: dict[Path, CaseOutcome] = {}
    try:
        futures = {
            client.submit(
                case_task, str(p), str(root), accept, actor, today, workers_per_case, pure=False, key=f"sarkit-case-{i}"
            ): p
            for i, p in enumerate(cases)
        }
        for fut in as_completed(futures):
            path = futures[fut]
            rel = path.relative_to(root).as_posix() or "."
            try:
                outcome = CaseOutcome(**fut.result())
            except Exception as exc:  # noqa: BLE001 - a lost worker or a bug costs this case only
                outcome = CaseOutcome(
                    case=rel, status="failed", reason=f"the cluster could not run this case ({exc.__class__.__name__})"
                )
            results[path] = outcome
            if on_done:
                on_done(outcome, len(results), len(cases))
    finally:
        client.close()
    return results
