"""One sarkit process on a case at a time: a lock file beside the ledger."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import CaseLockedError, ExitCode


@contextmanager
def case_lock(state_dir: Path, what: str) -> Iterator[None]:
    """Only one sarkit process works on a case at a time; the second gets a clear sentence."""
    state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(state_dir / "lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CaseLockedError(
                f"{state_dir.parent} is in use by another sarkit process; wait for it to finish and run {what} again.",
                ExitCode.BAD_INPUT,
            ) from None
        yield
    finally:
        os.close(fd)
