"""Render's fan-out: each document redacted in its own worker process, then read back for the records.

`redact_all` runs one job per document, `workers` at a time (sarkit.workers.map_isolated); the worker that
redacts a document also reads the result back for records.pdf and records.html (render.records.read_record),
so a document is opened once more, never held.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import SarkitError
from ..models import Redaction
from ..workers import map_isolated
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


def redact_all(jobs: Sequence[RedactJob], workers: int) -> dict[str, RecordPages]:
    """redact_pdf for every job, one child per document, `workers` at a time; the first failure is raised.

    Returns what the jobs that asked for it read back for the records (RecordPages by out_name). With one
    worker the documents are redacted in this process, one after another.
    """
    read: dict[str, RecordPages] = {}
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            got = _redact(job)
            if got is not None and job.record is not None:
                read[job.record.rec.out_name] = got
        return read
    timeout = 600.0 + max((len(j.redactions) for j in jobs), default=0) * 0.05
    for index, res in map_isolated(_redact, [(j,) for j in jobs], workers=workers, timeout=timeout, memory_mb=0):
        job = jobs[index]
        if isinstance(res, RecordPages) and job.record is not None:
            read[job.record.rec.out_name] = res
        if isinstance(res, BaseException):
            if isinstance(res, SarkitError):
                raise res
            raise SarkitError(
                f"documents/{jobs[index].name} could not be redacted ({res.__class__.__name__}): no bundle was written."
            )
    return read
