"""The case folder (docs/case-folder.md): where everything of one request lives."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import SarkitError

PRIVATE_DIR = 0o700


@dataclass(frozen=True)
class Case:
    root: Path

    @property
    def manifest(self) -> Path:
        return self.root / "case.yaml"

    @property
    def documents_dir(self) -> Path:
        return self.root / "documents"

    @property
    def state(self) -> Path:
        return self.root / ".sarkit"

    @property
    def cache(self) -> Path:
        return self.state / "cache"

    @property
    def bundle(self) -> Path:
        return self.root / "bundle"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @classmethod
    def at(cls, path: str | os.PathLike[str]) -> Case:
        root = Path(path)
        if not root.is_dir():
            raise SarkitError(f"{root} is not a case folder: no such directory.")
        if not (root / "case.yaml").is_file():
            raise SarkitError(f"{root} is not a case folder: it has no case.yaml (run sarkit init to create one).")
        return cls(root)

    def document_files(self) -> list[Path]:
        """Every file under documents/, sub-folders included, in path order; hidden files skipped."""
        d = self.documents_dir
        if not d.is_dir():
            raise SarkitError(f"{d} does not exist: put the exported records in documents/.")
        files = [
            p for p in d.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(d).parts)
        ]
        return sorted(files, key=lambda p: p.relative_to(d).as_posix())

    def rel(self, path: Path) -> str:
        return path.relative_to(self.documents_dir).as_posix()


PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """Create (or tighten) a directory readable by its owner only; folders it creates on the way are private too."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for p in reversed(missing):
        p.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        os.chmod(p, PRIVATE_DIR)
    os.chmod(path, PRIVATE_DIR)
    return path


def tighten(root: Path) -> None:
    """Make a tree sarkit wrote readable by its owner only, whatever the process umask was."""
    if not root.exists():
        return
    os.chmod(root, PRIVATE_DIR if root.is_dir() else PRIVATE_FILE)
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            os.chmod(os.path.join(dirpath, d), PRIVATE_DIR)
        for f in filenames:
            os.chmod(os.path.join(dirpath, f), PRIVATE_FILE)
