"""The bundle while it is built: a private staging folder beside the ledger, the documents that go into it,
then bundle/ once it is verified, or .sarkit/bundle-rejected/ when it is not.

Nothing here decides or verifies: `pipeline.bundle` hands in each document's effective actions (decide)
and the values verify will look for, and takes verify's findings back to hold a document out.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from ..case import Case, private_dir, tighten
from ..decide import Effective, RuleSet
from ..errors import SarkitError
from ..ingest import title_and_date
from ..ledger import StoredDocument, now
from ..models import LeakReport, Manifest, Redaction
from ..workers import IsolationError, WorkerMemoryError, WorkerTimeout, iter_isolated, memory_limit_mb, run_isolated
from .jobs import (
    RECORDS_MEMORY_MB,
    REDACT_MEMORY_MB,
    ReadJob,
    RedactJob,
    records_timeout,
    redact_all,
    redact_timeout,
    reread,
)
from .names import NameRedactor, register_values, unique_paths, word_like
from .records import RecordDoc, RecordPages, build_records_steps, in_order, reasons
from .withhold import page_count, pages_to_withhold, withhold_pages

BUNDLE_RECORD = "bundle.json"  # in .sarkit/: what the current bundle was built from


@dataclass
class Tally:
    """What went into the bundle (documents later held back included), for the result and summary.txt."""

    documents: int = 0
    pages: int = 0
    redactions: int = 0  # parts taken out: redactions with a place on the page (a schedule row each)
    kept: int = 0
    by_code: dict[str, int] = field(default_factory=dict)  # parts taken out by reason code
    codes: Counter[str | None] = field(default_factory=Counter)  # parts taken out by reason code
    decisions: Counter[str] = field(default_factory=Counter)  # parts taken out by how they were decided
    review_items: int = 0  # proposals the rules left for a person to look at ("review")
    review_unseen: int = 0  # of those, the ones decided in bulk or by default: no person looked at each


@dataclass
class Staging:
    """The bundle being built in CASE/.sarkit/bundle-staging/ (documents/, records.pdf, records.html)."""

    state: Path
    ocr_cache: Path
    files: dict[str, dict[str, object]] = field(default_factory=dict)  # path in the bundle -> {doc, name}
    records: list[RecordDoc] = field(default_factory=list)
    jobs: list[RedactJob] = field(default_factory=list)
    read: dict[str, RecordPages] = field(default_factory=dict)  # what the redacting workers read back
    withheld: list[tuple[str, str]] = field(default_factory=list)  # documents held back: (name, why)
    pages_withheld: list[tuple[str, list[int]]] = field(default_factory=list)  # (name, zero-based pages)
    redacted: dict[str, str] = field(default_factory=dict)  # every redacted value of the case -> its code
    mended: set[str] = field(default_factory=set)  # documents whose leaked pages were withheld once already
    sheets: dict[str, tuple[int, int]] = field(default_factory=dict)  # records.pdf pages showing each document
    tally: Tally = field(default_factory=Tally)

    @property
    def folder(self) -> Path:
        return self.state / "bundle-staging"

    @property
    def parts(self) -> Path:  # the documents' sections of records.html, while it is built
        return self.state / "bundle-parts"

    @classmethod
    def start(cls, case: Case) -> Staging:
        """A fresh, private staging folder (what an earlier bundle left there or held back is removed)."""
        staging = cls(case.state, case.cache / "ocr-layer")
        for old_dir in (staging.folder, case.state / "bundle-withheld"):
            if old_dir.exists():
                shutil.rmtree(old_dir)
        private_dir(staging.folder)
        private_dir(staging.folder / "documents")
        return staging

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        shutil.rmtree(self.parts, ignore_errors=True)

    def add(self, d: StoredDocument, effective: Sequence[Effective], sweep: Iterable[tuple[str, str]]) -> None:
        """Plan one document: its redactions (boxes with reason codes), the values swept wherever else they show
        in it ((proposal id, text): verify's values for it), its entry in the records."""
        out_name = d.name if d.name.lower().endswith(".pdf") else d.name + ".pdf"
        reds = [
            Redaction(e.stored.proposal.mention.page, e.stored.rects, e.code or "TP", e.stored.proposal.id)
            for e in effective
            if e.action == "redact" and e.stored.rects
        ]
        dest = self.folder / "documents" / out_name  # renamed by name_outputs, once every redacted value is known
        code_of = {e.stored.proposal.id: e.code or "TP" for e in effective}
        swept = tuple((text, code_of[pid], pid) for pid, text in sweep)
        title = f"Your records: {d.title or out_name}"
        self.jobs.append(
            RedactJob(Path(d.pdf or ""), dest, tuple(reds), title, d.name, swept, self.ocr_cache, pages=d.pages or 0)
        )
        for e in effective:
            if e.action != "keep":
                self.redacted.setdefault(" ".join(e.stored.proposal.mention.text.split()), e.code or "TP")
        self.files["documents/" + out_name] = {"doc": d.id, "name": d.name}
        self.records.append(
            RecordDoc(
                "documents/" + out_name,
                d.title or "",
                dt.date.fromisoformat(d.date) if d.date else None,
                d.kind or "pdf",
                tuple((r.page, rect, r.code) for r in reds for rect in r.rects),
                tuple(json.loads(d.scanned or "[]")),
                tuple(Counter(r.code for r in reds).items()),  # parts, counted as the schedule counts them
            )
        )
        t = self.tally
        t.documents += 1
        t.pages += d.pages or 0
        t.redactions += len(reds)
        t.kept += sum(1 for e in effective if e.action == "keep")
        t.codes.update(r.code for r in reds)
        t.decisions.update(e.decision for e in effective if e.action == "redact" and e.stored.rects)
        reviews = [e for e in effective if e.stored.proposal.action == "review"]
        t.review_items += len(reviews)
        t.review_unseen += sum(1 for e in reviews if not e.seen)
        for r in reds:
            t.by_code[r.code] = t.by_code.get(r.code, 0) + 1

    def discard(self) -> None:
        shutil.rmtree(self.folder)

    def name_outputs(self, manifest: Manifest, rules: RuleSet, kept: Iterable[str]) -> None:
        """Every output path, folder and title redacted like the text (sarkit.render.names): a redacted value of
        the case, or a protected name of the register, becomes its code ("Letter to [TP].pdf")."""
        protected, kept_names = register_values(manifest, rules)
        names = NameRedactor([*self.redacted.items(), *protected], [*kept, *kept_names], word_like())
        old = [j.dest.relative_to(self.folder).as_posix() for j in self.jobs]
        new = unique_paths([names.redact_path(rel) for rel in old])
        jobs, records, files = [], [], {}
        for j, rec, before, after in zip(self.jobs, self.records, old, new):
            title = names.redact(rec.title or title_and_date(before)[0])
            dest = self.folder / after
            private_dir(dest.parent)
            jobs.append(replace(j, dest=dest, title=f"Your records: {title}"))
            records.append(replace(rec, out_name=after, title=title))
            files[after] = {**self.files[before], "title": title}
        self.jobs, self.records, self.files = jobs, records, files

    def titles(self) -> list[str]:
        """The documents' titles as the bundle shows them."""
        return [r.title for r in self.records]

    def redact(self, rules: RuleSet, workers: int) -> None:
        """Redact every document (one worker each, with its limits); each worker reads its document back for the
        records. A document that cannot be redacted within its limits is held back, alone, with one sentence."""
        if self.parts.exists():
            shutil.rmtree(self.parts)
        private_dir(self.parts)
        short = reasons(self.records, rules)
        anchors = {rec.out_name: anchor for anchor, rec in in_order(self.records)}
        jobs = [
            replace(j, record=ReadJob(self.folder, rec, anchors[rec.out_name], short, self.parts))
            for j, rec in zip(self.jobs, self.records)
        ]
        self.jobs = jobs
        self.read, failed = redact_all(jobs, workers)
        if failed and len(failed) == len(jobs):
            name, why = next(iter(failed.items()))
            raise SarkitError(f"documents/{name} could not be redacted ({why}): no bundle was written.")
        for job in jobs:
            if job.name in failed:
                out = job.dest.relative_to(self.folder).as_posix()
                self.files.pop(out, None)
                self.records = [r for r in self.records if r.out_name != out]
                self.withheld.append((job.name, failed[job.name]))

    def withhold_pages(self, report: LeakReport, failed: Iterable[str]) -> list[tuple[str, list[int]]]:
        """Withhold the pages of the failed documents that verification found values on, when only pages are at
        fault (sarkit.render.withhold), and read each mended document again for the records. Each document is
        mended once; returns (file, pages) of those mended now."""
        by_out = {j.record.rec.out_name: j for j in self.jobs if j.record is not None}
        mended: list[tuple[str, list[int]]] = []
        for f in failed:
            if f in self.mended:
                continue
            self.mended.add(f)
            path = self.folder / f
            pages = pages_to_withhold(report.leaks, f, page_count(path))
            job = by_out.get(f)
            if pages is None or job is None:
                continue
            try:
                run_isolated(
                    withhold_pages, path, pages,
                    timeout=redact_timeout(job.pages), memory_mb=memory_limit_mb(REDACT_MEMORY_MB),
                )  # fmt: skip
                self.read[f] = reread(job)
            except Exception:  # noqa: BLE001 - the document is then held back whole, as before
                continue
            mended.append((f, pages))
            self.pages_withheld.append((str(self.files[f]["name"]), pages))
        return mended

    def page_counts(self) -> dict[str, int]:
        """Each document's pages, by its path in the bundle (what its time limits grow with)."""
        return {j.dest.relative_to(self.folder).as_posix(): j.pages for j in self.jobs}

    def build_records(self, manifest: Manifest, rules: RuleSet, authority: Mapping[str, Any] | None) -> None:
        """records.pdf and records.html from the redacted documents still in the bundle, built in a worker with a
        time limit for each document's step (render.jobs.records_timeout) and a memory limit. A document whose
        step passes its limit (or crashes the worker) is left out of the records, named with one sentence, and
        the records are built again without it; `sheets` tells verify which pages of records.pdf show which
        document."""
        pages = self.page_counts()
        while True:
            total = sum(pages.get(r.out_name, 1) for r in self.records)

            def step(item: Any) -> float:
                if isinstance(item, tuple) and item[0] in ("read", "draw"):
                    return records_timeout(pages.get(item[1], 1))
                return records_timeout(total)  # the front matter (before the first item), the finishing

            try:
                for kind, value in iter_isolated(
                    _records_steps,
                    self.folder, self.records, manifest, rules, authority, dt.date.today(), self.read,
                    timeout=sum(2 * step(("draw", r.out_name)) for r in self.records) + 3 * step(None),
                    memory_mb=memory_limit_mb(RECORDS_MEMORY_MB), step=step,
                ):  # fmt: skip
                    if kind == "sheets":
                        self.sheets = dict(value)
                tighten(self.folder)
                return
            except Exception as exc:  # noqa: BLE001 - a step past a limit, a crashed worker, a damaged page
                after = getattr(exc, "after", None)
                if not (isinstance(after, tuple) and after[0] in ("read", "draw")):
                    raise SarkitError(
                        f"records.pdf could not be built ({_records_failure(exc)}): no bundle was written."
                    ) from None
                what = "reading it" if after[0] == "read" else "drawing its pages"
                self.leave_out_of_records([after[1]], why=f"{what} for them {_records_failure(exc)}")

    def withhold(self, failed: Iterable[str], timed_out: Iterable[str] = ()) -> None:
        """Hold documents back from the bundle (kept for inspection in .sarkit/bundle-withheld/); timed_out: those
        whose check passed its time limit."""
        held = private_dir(self.state / "bundle-withheld")
        failed = list(failed)
        late = set(timed_out)
        for f in failed:
            os.replace(self.folder / f, held / Path(f).name)
            why = "checking it passed the time limit per document" if f in late else "it failed verification"
            self.withheld.append((str(self.files.pop(f)["name"]), why))
            _remove_empty_folders(self.folder / f, self.folder / "documents")
        self.records = [r for r in self.records if r.out_name not in failed]

    def leave_out_of_records(self, names: Iterable[str], why: str = "") -> None:
        """Build records.pdf/html without these documents (they show a value redacted elsewhere in the case, or
        `why`); they stay in documents/ and are named for a person."""
        names = list(names)
        why = "left out of records.pdf and records.html: " + (why or "it shows a value redacted elsewhere in the case")
        for f in names:
            self.withheld.append((str(self.files[f]["name"]), why))
        self.records = [r for r in self.records if r.out_name not in names]

    def reject(self) -> Path:
        """A bundle that failed verification goes to .sarkit/bundle-rejected/, never to bundle/."""
        rejected = self.state / "bundle-rejected"
        if rejected.exists():
            shutil.rmtree(rejected)
        self.folder.rename(rejected)
        return rejected

    def publish(self, bundle: Path, *, by: str, accept_proposals: bool, settings: Path | None) -> None:
        """Move the verified staging folder into place as bundle/, with the record of what it was built from."""
        record = {
            "built": now(),
            "by": by,
            "accept_proposals": accept_proposals,
            "files": self.files,
            "settings": str(settings.resolve()) if settings else None,
            "withheld": self.withheld,
        }
        path = self.state / BUNDLE_RECORD
        path.write_text(json.dumps(record, indent=1), encoding="utf-8")
        tighten(path)
        old = self.state / "bundle-old"
        if old.exists():
            shutil.rmtree(old)
        if bundle.exists():
            bundle.rename(old)
        self.folder.rename(bundle)
        if old.exists():
            shutil.rmtree(old)


def _records_steps(
    folder: Path,
    records: Sequence[RecordDoc],
    manifest: Manifest,
    rules: RuleSet,
    authority: Mapping[str, Any] | None,
    today: dt.date,
    read: Mapping[str, RecordPages],
) -> Iterator[tuple[str, Any]]:
    """render.records.build_records_steps with positional arguments (what a worker is given)."""
    return build_records_steps(folder, records, manifest, rules, authority, today=today, pages=read)


def _records_failure(exc: BaseException) -> str:
    """Why a step of building the records failed, as a clause."""
    if isinstance(exc, WorkerTimeout):
        return f"passed the limit of {exc.limit or 0:g} s per document"
    if isinstance(exc, WorkerMemoryError):
        return f"needed more than the limit of {memory_limit_mb(RECORDS_MEMORY_MB)} MB of memory"
    if isinstance(exc, IsolationError):
        return "crashed the worker (the file is probably damaged)"
    if isinstance(exc, SarkitError):
        return exc.message.rstrip(".")
    return f"failed ({exc.__class__.__name__}: the file is probably damaged)"


def _remove_empty_folders(path: Path, top: Path) -> None:
    """The folders of a document held back, now empty, up to (not including) top: a folder's name can name
    someone too."""
    parent = path.parent
    while parent != top and top in parent.parents:
        try:
            parent.rmdir()
        except OSError:  # not empty
            return
        parent = parent.parent


@dataclass(frozen=True)
class BundleRecord:
    """What bundle/ was built from (.sarkit/bundle.json): its files, the options, the authority's settings."""

    files: dict[str, dict[str, object]]
    accept_proposals: bool
    settings: Path | None
    withheld: tuple[tuple[str, str], ...] = ()  # documents held back or left out of the records: (name, why)


def read_bundle_record(case: Case) -> BundleRecord:
    path = case.state / BUNDLE_RECORD
    if not case.bundle.is_dir() or not path.is_file():
        raise SarkitError(f"{case.root} has no bundle to verify: run sarkit bundle first.")
    record = json.loads(path.read_text(encoding="utf-8"))
    settings = record.get("settings")
    return BundleRecord(
        record["files"],
        bool(record.get("accept_proposals")),
        Path(settings) if settings else None,
        tuple((str(n), str(w)) for n, w in record.get("withheld", ())),
    )
