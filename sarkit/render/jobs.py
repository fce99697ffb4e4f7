"""Render's fan-out: each document redacted in its own worker process, then read back for the records.

`redact_all` runs one job per document, `workers` at a time (sarkit.workers.map_isolated), each with a time
and a memory limit (a document past one is held back with one sentence, the rest goes on); the worker that
redacts a document also reads the result back for records.pdf and records.html (render.records.read_record),
so a document is opened once more, never held.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import SarkitError
from ..models import Redaction
from ..workers import (
    WorkerCrashed,
    WorkerMemoryError,
    WorkerTimeout,
    map_isolated,
    memory_limit_mb,
    run_isolated,
    stage_limit,
)
from .records import RecordDoc, RecordPages, read_record
from .redact import redact_pdf
from .sweep import Sweep


@dataclass(frozen=True)
class RedactJob:
    src: Path
    dest: Path
    redactions: tuple[Redaction, ...]
    title: str
    name: str  # the source document's name, for a message
    sweep: tuple[tuple[str, str, str], ...] = ()  # (text, code, proposal id) redacted wherever they show
    ocr_cache: Path | None = None  # where the OCR of redacted scans is kept between bundles
    record: ReadJob | None = None  # then the redacted document is read back for records.pdf and .html
    pages: int = 0  # the document's page count: its time limit grows with it


@dataclass(frozen=True)
class ReadJob:
    """sarkit.render.records.read_record's arguments for a document once it is redacted."""

    staging: Path
    rec: RecordDoc
    anchor: str
    reasons: Mapping[str, str]
    parts: Path


def _redact(job: RedactJob) -> RecordPages | None:
    """Redact one document; then, if asked, read the result back for the records."""
    redact_pdf(job.src, job.dest, job.redactions, title=job.title, sweep=Sweep(job.sweep), ocr_cache=job.ocr_cache)
    r = job.record
    return read_record(r.staging, r.rec, r.anchor, r.reasons, r.parts) if r is not None else None


def redact_timeout(pages: int) -> float:
    """The wall-clock limit for redacting one document (and reading it back for the records)."""
    return stage_limit("redact", pages)  # a redacted scan is OCRed again: seconds a page


REDACT_MEMORY_MB = 3072


RECORDS_MEMORY_MB = 8192  # records.pdf holds every page of the bundle: more room than one document's redaction


def records_timeout(pages: int) -> float:
    """The wall-clock limit for one step of building records.pdf/html: reading a document not read yet, or
    drawing its pages on their sheets (its pages), and the front matter or the finishing (all the pages)."""
    return stage_limit("records", pages)


def _redact_failure(exc: BaseException, limit: float) -> str:
    """Why a document was held back from the bundle, as a clause for 'held back from the bundle: NAME (...)'."""
    if isinstance(exc, SarkitError):
        return exc.message.rstrip(".")
    if isinstance(exc, WorkerTimeout):
        return f"redacting it passed the limit of {limit:g} s per document"
    if isinstance(exc, WorkerMemoryError):
        return f"redacting it needed more than the limit of {memory_limit_mb(REDACT_MEMORY_MB)} MB of memory"
    if isinstance(exc, WorkerCrashed):
        return "it crashed the redaction (the file is probably damaged)"
    return f"it could not be redacted ({exc.__class__.__name__})"


def redact_all(jobs: Sequence[RedactJob], workers: int) -> tuple[dict[str, RecordPages], dict[str, str]]:
    """redact_pdf for every job, each document in its own child with a time and a memory limit, `workers` at a time.

    Returns what the jobs that asked for it read back for the records (RecordPages by out_name), and the
    documents that could not be redacted within their limits: {job.name: why}, a clause for one sentence.
    A failed document costs that document only; its partial output is removed.
    """
    read: dict[str, RecordPages] = {}
    failed: dict[str, str] = {}
    limits = [redact_timeout(j.pages) for j in jobs]
    memory = memory_limit_mb(REDACT_MEMORY_MB)
    calls = [(j,) for j in jobs]
    for index, res in map_isolated(
        _redact, calls, workers=max(1, workers), timeout=max(limits, default=1.0), memory_mb=memory, timeouts=limits
    ):
        job = jobs[index]
        if isinstance(res, BaseException):
            failed[job.name] = _redact_failure(res, limits[index])
            job.dest.unlink(missing_ok=True)
            continue
        if isinstance(res, RecordPages) and job.record is not None:
            read[job.record.rec.out_name] = res
    return read, failed


def reread(job: RedactJob) -> RecordPages:
    """Read a document of the staging folder again for the records (after pages of it were withheld), in a
    worker with the document's limits."""
    r = job.record
    if r is None:
        raise SarkitError(f"documents/{job.name} has nothing to be read for the records.")
    got = run_isolated(
        read_record, r.staging, r.rec, r.anchor, r.reasons, r.parts,
        timeout=redact_timeout(job.pages), memory_mb=memory_limit_mb(REDACT_MEMORY_MB),
    )  # fmt: skip
    return got
