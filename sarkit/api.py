"""The library surface: everything the command line does can be called from Python."""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .case import Case, private_dir
from .deadline import days_left, statutory_deadline, working_days_left
from .errors import SarkitError
from .ingest.probe import probe
from .ledger import Ledger
from .manifest import dump_new_manifest, load_manifest
from .models import Manifest
from .pipeline import bundle as _bundle
from .pipeline import propose as _propose
from .pipeline import verify as _verify
from .results import BundleResult, Progress, ProposeResult, VerifyResult
from .roles import ROLE_GROUPS


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (a container without a passwd entry)
        return f"uid-{os.getuid()}"


def init_case(path: Path, subject: str, reference: str | None = None, received: dt.date | None = None) -> Case:
    if (path / "case.yaml").exists():
        raise SarkitError(f"{path / 'case.yaml'} already exists: sarkit init never overwrites a manifest.")
    received = received or dt.date.today()
    reference = reference or f"SAR-{received.year}-0000"
    private_dir(path)
    private_dir(path / "documents")
    text = dump_new_manifest(subject, reference, received)
    target = path / "case.yaml"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    load_manifest(target)  # what init writes must validate
    return Case(path)


@dataclass
class DocumentInfo:
    name: str
    kind: str | None
    pages: int | None
    sha256: str
    size: int
    duplicate_of: str | None = None
    problem: str | None = None


@dataclass
class CheckResult:
    manifest: Manifest
    deadline: dt.date
    days_left: int
    working_days_left: int
    documents: list[DocumentInfo] = field(default_factory=list)

    def people_by_group(self) -> dict[str, list[tuple[str, str, str]]]:
        out: dict[str, list[tuple[str, str, str]]] = {g: [] for g in ROLE_GROUPS}
        for p in self.manifest.people:
            out[p.group].append((p.id, p.name, p.role))
        return {g: v for g, v in out.items() if v}


def check(path: Path, today: dt.date | None = None) -> CheckResult:
    case = Case.at(path)
    manifest = load_manifest(case.manifest)
    today = today or dt.date.today()
    deadline = statutory_deadline(manifest.received)
    result = CheckResult(manifest, deadline, days_left(deadline, today), working_days_left(deadline, today))
    known_pages: dict[str, int] = {}
    if (case.state / "ledger.sqlite").exists():
        led = Ledger.open(case.state)
        try:
            known_pages = {d.name: d.pages for d in led.documents() if d.pages is not None}
        finally:
            led.close()
    first_by_hash: dict[str, str] = {}
    passwords = dict(manifest.passwords)
    for f in case.document_files():
        name = case.rel(f)
        digest = hashlib.sha256(f.read_bytes()).hexdigest()
        kind, pages, problem = probe(f, passwords.get(name))
        info = DocumentInfo(
            name,
            kind,
            pages if pages is not None else known_pages.get(name),
            digest,
            f.stat().st_size,
            first_by_hash.get(digest),
            problem,
        )
        first_by_hash.setdefault(digest, name)
        result.documents.append(info)
    return result


def propose(
    path: Path, *, actor: str | None = None, progress: Progress | None = None, workers: int | None = None
) -> ProposeResult:
    """workers: processes for documents and page ranges (default: all cores)."""
    return _propose(Case.at(path), actor=actor or default_actor(), progress=progress, workers=workers)


def bundle(
    path: Path,
    *,
    actor: str | None = None,
    accept_proposals: bool = False,
    settings: Path | None = None,
    workers: int | None = None,
) -> BundleResult:
    return _bundle(
        Case.at(path),
        actor=actor or default_actor(),
        accept_proposals=accept_proposals,
        settings=settings,
        workers=workers,
    )


def verify(path: Path, *, actor: str | None = None, thorough: bool = False) -> VerifyResult:
    return _verify(Case.at(path), actor=actor or default_actor(), thorough=thorough)
