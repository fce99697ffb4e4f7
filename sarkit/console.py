"""Everything printed to the terminal. Counts, ids and file names only: never document text.

(The register names shown by `check` are the officer's own manifest, printed on request.)
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

if TYPE_CHECKING:
    from .api import CheckResult
    from .results import BundleResult, ProposeResult, VerifyResult

LEFT_OUT = "left out of records.pdf and records.html"  # render.staging.leave_out_of_records


def quiet_libraries() -> None:
    """MuPDF reports damaged files on stdout; sarkit reports them itself, in one sentence."""
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    # PyMuPDF's own notices ("cannot set rect ...") go to a quiet logger, not to stdout
    pymupdf.set_messages(pylogging=True, pylogging_name="sarkit.pymupdf", pylogging_level=logging.DEBUG)


class Output:
    def __init__(self, as_json: bool = False):
        self.as_json = as_json
        self.out = Console(highlight=False, soft_wrap=True)
        if not self.out.is_terminal:  # a log file or a pipe: do not squeeze tables into 80 columns
            self.out = Console(highlight=False, soft_wrap=True, width=160)
        self.err = Console(stderr=True, highlight=False)

    def say(self, text: str) -> None:
        if not self.as_json:
            self.out.print(escape(text))

    def json(self, data: Any) -> None:
        sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")

    def _bar(self) -> Progress:
        """A transient progress bar on stderr: description, bar, done/total, time left."""
        return Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=self.err,
            transient=True,
        )

    @contextmanager
    def progress(self, label: str) -> Iterator[Any]:
        """A progress callback (stage, done, total): a bar on a terminal, nothing otherwise."""
        if self.as_json or not self.err.is_terminal:
            yield None
            return
        with self._bar() as bar:
            task = bar.add_task(label, total=None)

            def update(stage: str, done: int, total: int) -> None:
                if stage == "pages":  # pages read so far, of those known (a DOCX counts once rendered)
                    bar.update(task, completed=done, total=total)

            yield update

    @contextmanager
    def batch_progress(self) -> Iterator[Any]:
        """Cases done, pages, pages per second and time left: a live bar on a terminal, plain log lines otherwise.

        Yields a callback on_done(outcome, done, total) with an attribute `pages(n)` for pages read as they go.
        Counts only: never a name or any document text.
        """
        state = {"pages": 0, "t0": time.monotonic(), "live": False}

        def rate() -> float:
            return state["pages"] / max(1e-6, time.monotonic() - state["t0"])

        def count(o: Any) -> None:
            if not state["live"] and o.status != "skipped":  # no live page counts (a cluster): count at the end
                state["pages"] += o.pages

        def line(o: Any, done: int, total: int) -> str:
            count(o)
            return f"case {done}/{total}: {o.status}; {state['pages']} pages, {rate():.1f} pages/s"

        def add_pages(n: int) -> None:
            state["live"] = True
            state["pages"] += n

        if self.as_json or not self.err.is_terminal:

            def plain(o: Any, done: int, total: int) -> None:
                if not self.as_json:
                    print(f"[{time.strftime('%H:%M:%S')}] {line(o, done, total)}", file=sys.stderr, flush=True)

            plain.pages = add_pages  # type: ignore[attr-defined]
            yield plain
            return
        with self._bar() as bar:
            task = bar.add_task("Cases", total=None)

            def describe() -> str:
                return f"Cases; {state['pages']} pages, {rate():.1f} pages/s"

            def update(o: Any, done: int, total: int) -> None:
                count(o)
                bar.update(task, completed=done, total=total, description=describe())

            def live_pages(n: int) -> None:
                add_pages(n)
                bar.update(task, description=describe())

            update.pages = live_pages  # type: ignore[attr-defined]
            yield update

    # ------------------------------------------------------------ per command

    def batch(self, outcomes: Any, report_path: Any) -> None:
        t = Table(title="Batch")
        for col in ("reference", "pages", "proposals", "status", "deadline", "days left", "note"):
            t.add_column(col)
        for o in outcomes:
            left = "" if o.days_left is None else (f"[red]{o.days_left} OVERDUE[/]" if o.overdue else str(o.days_left))
            t.add_row(
                escape(o.reference or "?"), str(o.pages), str(o.proposals), o.status, o.deadline, left, escape(o.reason)
            )
        self.out.print(t)
        ok = sum(1 for o in outcomes if o.status in ("done", "proposed", "skipped"))
        self.out.print(f"{ok} of {len(outcomes)} cases succeeded; report: {escape(str(report_path))}")

    def check(self, res: CheckResult) -> None:
        m = res.manifest
        self.out.print(
            f"[bold]{escape(m.reference)}[/] received {m.received:%d %B %Y}; "
            f"statutory deadline [bold]{res.deadline:%A %d %B %Y}[/] "
            f"({res.days_left} days, {res.working_days_left} working days left)"
        )
        t = Table(title="Documents", show_lines=False)
        for col in ("document", "type", "pages", "sha256", "note"):
            t.add_column(col)
        for d in res.documents:
            note = d.problem or (f"duplicate of {d.duplicate_of}" if d.duplicate_of else "")
            t.add_row(
                escape(d.name), d.kind or "?", str(d.pages) if d.pages is not None else "–", d.sha256[:12], escape(note)
            )
        self.out.print(t)
        p = Table(title="People register")
        for col in ("group", "id", "name", "role"):
            p.add_column(col)
        for group, people in res.people_by_group().items():
            for pid, name, role in people:
                p.add_row(group, pid, escape(name), role)
        self.out.print(p)

    def propose(self, res: ProposeResult) -> None:
        for name, reason in res.failures:
            self.err.print(f"skipped: {escape(reason)}")
        total = sum(res.by_action.values())
        acts = ", ".join(f"{n} {a}" for a, n in sorted(res.by_action.items()))
        codes = ", ".join(f"{c} {n}" for c, n in sorted(res.by_code.items()))
        self.out.print(
            f"Read {res.documents} documents ({res.pages} pages) in {res.seconds:.1f} s; "
            f"{len(res.failures)} could not be read."
        )
        self.out.print(f"Proposals: {total} ({acts or 'none'}); reason codes: {codes or 'none'}.")

    def bundle(self, res: BundleResult) -> None:
        for name, reason in res.skipped:
            self.err.print(f"not in bundle: {escape(reason or name)}")
        if res.report is not None and not res.report.ok:
            self.leaks(res.report)
            self.err.print(
                f"The bundle was NOT written: it failed verification. It is kept for inspection "
                f"in {escape(str(res.path))}."
            )
            return
        for name, pages in res.pages_withheld:
            which = ", ".join(str(p + 1) for p in pages)
            self.err.print(
                f"withheld from documents/{escape(name)}: page{'s' if len(pages) > 1 else ''} {which}, which could "
                "not be proven free of redacted information (each replaced by a note); it needs a person."
            )
        for name, reason in res.withheld:
            if reason.startswith(LEFT_OUT):  # still in documents/, only not in records.pdf/html
                self.err.print(
                    f"documents/{escape(name)} is in the bundle but was {escape(reason)}; it needs a person."
                )
                continue
            self.err.print(
                f"held back from the bundle: documents/{escape(name)} ({escape(reason)}); it is kept for "
                "inspection in .sarkit/bundle-withheld/ and needs a person."
            )
        codes = ", ".join(f"{c} {n}" for c, n in sorted(res.by_code.items()))
        self.out.print(
            f"Bundle written to {escape(str(res.path))}: {res.documents} documents, {res.pages} pages, "
            f"{res.redactions} redactions ({codes or 'none'}); verified, in {res.seconds:.1f} s."
        )

    def verify(self, res: VerifyResult) -> None:
        r = res.report
        if r.ok:
            self.out.print(
                f"Verified: {r.files} files, {r.values} redacted values checked with two extractors; "
                f"nothing redacted can be recovered ({res.seconds:.1f} s)."
            )
        else:
            self.leaks(r)

    def leaks(self, report: Any) -> None:
        for lk in report.leaks:
            page = f", page {lk.page + 1}" if lk.page is not None else ""
            self.err.print(
                f"LEAK: {escape(lk.file)}{page}: {lk.where}"
                f"{' (' + lk.extractor + ')' if lk.extractor else ''}"
                f"{', proposal ' + lk.proposal if lk.proposal else ''}"
                f"{': checking it passed the time limit per document' if lk.extractor == 'timeout' else ''}"
            )
        self.err.print(f"{len(report.leaks)} findings in {report.files} files.")
