"""Where sarkit's data lives: rule sets, lexicons, names lists, the glossary, templates, the example
settings and the documentation ship inside the package (`sarkit/data/`) and are found through
importlib.resources, so a wheel on an offline machine works as well as a clone.

An authority can add rule sets and lexicons of its own without touching the installation: a folder
named by `$SARKIT_RULES` is searched before the shipped `redaction-rules/` (a file there with the
same name as a shipped one takes its place). A case folder's own files are never searched: the rule
set is the authority's policy, not a case's (docs/policy.md, "Your own rule set").
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


def rule_files() -> list[tuple[str, Path, bool]]:
    """Every rule set and lexicon file sarkit can see: (file name, path, in use), in search order.

    A file is not in use when a folder searched earlier has one of the same name; the names lists
    (`names/`) are taken as a whole from the first folder whose `names/` has a names.yaml."""
    folders = [d for d in rules_dirs() if d.is_dir()]
    names_from = next((d for d in folders if (d / "names" / "names.yaml").is_file()), None)
    seen: set[str] = set()
    out = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".yaml", ".yml", ".txt", ".tsv", ".md"):
                rel = path.relative_to(folder).as_posix()
                used = folder == names_from if rel.startswith("names/") else rel not in seen
                out.append((rel, path, used))
                seen.add(rel)
    return out


def docs_dir() -> Path | None:
    """The documentation: shipped in the package by the build (setup.py), or docs/ of a checkout."""
    shipped = Path(str(files("sarkit").joinpath("data", "docs")))
    if shipped.is_dir():
        return shipped
    checkout = Path(__file__).resolve().parent.parent / "docs"
    return checkout if checkout.is_dir() else None
