"""Where sarkit's data lives: rule sets, lexicons, names lists, the glossary, templates and the example
settings ship inside the package (`sarkit/data/`) and are found through importlib.resources, so a wheel
on an offline machine works as well as a clone.

An authority can add rule sets and lexicons of its own without touching the installation: a folder
named by `$SARKIT_RULES` is searched before the shipped `redaction-rules/` (a file there with the
same name as a shipped one takes its place).
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from .errors import SarkitError

RULES_ENV = "SARKIT_RULES"


def data_dir(name: str) -> Path:
    """A folder of the shipped data: `redaction-rules`, `templates` or `settings`."""
    path = Path(str(files("sarkit").joinpath("data", name)))
    if not path.is_dir():
        raise SarkitError(f"{path} is missing: sarkit's installation is incomplete (reinstall the package).")
    return path


def shipped_rules_dir() -> Path:
    return data_dir("redaction-rules")


def rules_dirs() -> tuple[Path, ...]:
    """Folders searched for rule sets and lexicons, the authority's own first."""
    own = os.environ.get(RULES_ENV)
    shipped = shipped_rules_dir()
    if own and Path(own).expanduser().resolve() != shipped.resolve():
        return (Path(own).expanduser(), shipped)
    return (shipped,)


def rules_dir() -> Path:
    """The first folder searched for rule sets and lexicons ($SARKIT_RULES if set, else the shipped one)."""
    return rules_dirs()[0]
