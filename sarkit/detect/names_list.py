"""The names lists: given names (with the pronoun they imply), surnames and the words about names that
are not names, read from redaction-rules/names/ (names.yaml, *given-names.tsv, *surnames.txt,
*ordinary-words.txt; see its LICENSE.md). Used by `recognisers/unregistered.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import SarkitError
from .lexicon import DEFAULT_RULES_DIR, _load_yaml

__all__ = ["NAMES_DIR", "NamesList", "load_names"]

NAMES_DIR = "names"


@dataclass(frozen=True, slots=True)
class NamesList:
    given: dict[str, str]  # casefolded given name -> she | he | they
    surnames: frozenset[str]  # casefolded
    ambiguous: frozenset[str]  # casefolded given names that are also ordinary words
    not_surnames: frozenset[str]
    form_labels: tuple[str, ...]
    signoffs: tuple[str, ...]
    roles: dict[str, str | None]  # role words -> implied pronoun
    determiners: tuple[str, ...]
    ordinary: frozenset[str] = frozenset()  # casefolded list names that are ordinary English words ("data")

    def weak_given(self, name: str) -> bool:
        """A given name that may be an ordinary word: a person only with a surname that is surely a name."""
        f = name.casefold()
        return f in self.ambiguous or f in self.ordinary or len(f) <= 2


def _read_list(path: Path, columns: int) -> list[list[str]]:
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        raise SarkitError(f"{path}: cannot be read.") from None
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            out.append((line.split("\t") + [""] * columns)[:columns])
    return out


def load_names(rules_dir: Path | None = None) -> NamesList:
    """The names lists and the unregistered-name lexicon from rules_dir/names (or the shipped default)."""
    d = Path(rules_dir or DEFAULT_RULES_DIR) / NAMES_DIR
    if not (d / "names.yaml").is_file():
        d = DEFAULT_RULES_DIR / NAMES_DIR
    cfg = _load_yaml(d / "names.yaml")
    given: dict[str, str] = {}
    for f in sorted(d.glob("*given-names.tsv")):
        for name, g in _read_list(f, 2):
            given.setdefault(name.casefold(), g if g in ("she", "he", "they") else "they")
    surnames = frozenset(n.casefold() for f in sorted(d.glob("*surnames.txt")) for (n,) in _read_list(f, 1))
    roles: dict[str, str | None] = {}
    for i, entry in enumerate(cfg.get("role_nouns") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("words"), list):
            raise SarkitError(f"{d / 'names.yaml'}: role_nouns entry {i + 1} needs a list 'words'.")
        for w in entry["words"]:
            roles.setdefault(" ".join(str(w).lower().split()), entry.get("pronoun"))

    def strs(key: str) -> tuple[str, ...]:
        val = cfg.get(key) or []
        if not isinstance(val, list):
            raise SarkitError(f"{d / 'names.yaml'}: field '{key}' must be a list.")
        return tuple(str(v) for v in val)

    return NamesList(
        given,
        surnames,
        frozenset(s.casefold() for s in strs("ambiguous_given")),
        frozenset(s.casefold() for s in strs("not_surnames")),
        strs("form_labels"),
        strs("signoffs"),
        roles,
        strs("role_determiners"),
        frozenset(n.casefold() for f in sorted(d.glob("*ordinary-words.txt")) for (n,) in _read_list(f, 1)),
    )
