"""Running the real sarkit program as a subprocess, as a user would (shared by the end-to-end tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_sarkit(*args: str, env: dict[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`python -m sarkit.cli ARGS` from the repository, one OCR thread; output captured as text."""
    env = env if env is not None else dict(os.environ, PYTHONPATH=str(REPO), OMP_THREAD_LIMIT="1")
    return subprocess.run(
        [sys.executable, "-m", "sarkit.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=REPO,
        check=False,
    )
