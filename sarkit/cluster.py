"""`sarkit batch ROOT --cluster ADDRESS`: the same per-case function, run on an existing Dask cluster.

Dask's scheduler does the scheduling (no home-made one): each case is one task calling
`sarkit.batch.case_task`, exactly what a local batch runs in its worker processes. The workers
must see ROOT at the same path (a shared filesystem) and have the same sarkit installed
(`pip install sarkit[cluster]`). A task that fails, or whose worker dies, is that case's failure,
with one sentence; the other cases go on. This module knows Dask, not cases: batch.py hands it
the function and its calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .errors import SarkitError


def _client(address: str, timeout: str = "20s"):  # type: ignore[no-untyped-def]
    try:
        from distributed import Client
    except ImportError:
        raise SarkitError("--cluster needs the Dask extra: pip install 'sarkit[cluster]'.") from None
    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise SarkitError(f"cannot reach the Dask scheduler at {address} ({exc.__class__.__name__}).") from None


def map_on_cluster(
    address: str, fn: Callable[..., Any], calls: list[tuple[Any, ...]]
) -> Iterator[tuple[int, Any | BaseException]]:
    """Submit fn(*args) for every args of calls to the scheduler at address; yield (index into calls, result or
    the exception) as each task completes. A lost worker or a bug costs that call only."""
    from distributed import as_completed

    client = _client(address)
    try:
        futures = {client.submit(fn, *args, pure=False, key=f"sarkit-case-{i}"): i for i, args in enumerate(calls)}
        for fut in as_completed(futures):
            try:
                res = fut.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker or a bug costs this call only
                res = exc
            yield futures[fut], res
    finally:
        client.close()
