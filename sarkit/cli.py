"""The command line (docs/cli.md): parses options, calls api.py, prints results."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__, api
from .cli_setup import docs, rules, settings
from .cli_support import case_arg, handle_errors
from .console import Output, quiet_libraries
from .errors import ExitCode, SarkitError
from .review.cli import decisions, review

F = TypeVar("F", bound=Callable[..., Any])


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date (use YYYY-MM-DD).") from None


json_opt = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
actor_opt = click.option("--reviewer", "actor", default=None, help="Who is running this (default: login name).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Show a traceback on errors.")
@click.version_option(__version__, prog_name="sarkit")
def main(verbose: bool) -> None:
    """sarkit: answer subject access requests for children's social care records."""
    os.umask(0o077)  # case data is private: everything sarkit creates is readable by its owner only
    quiet_libraries()  # MuPDF would print its repair messages on stdout, corrupting --json


@main.command()
@case_arg
@click.option("--subject", required=True, help="Full name of the person who asked for their records.")
@click.option("--reference", default=None, help="The authority's request reference.")
@click.option("--received", default=None, help="Date the valid request was received (YYYY-MM-DD).")
@handle_errors
def init(case: Path, subject: str, reference: str | None, received: str | None) -> None:
    """Create a case folder with a manifest to fill in."""
    api.init_case(case, subject, reference, _date(received))
    out = Output()
    out.say(f"Created {case}/case.yaml and {case}/documents/.")
    out.say("Next: add the people of the case to case.yaml, put the records in documents/, run sarkit check.")


@main.command()
@case_arg
@json_opt
@handle_errors
def check(case: Path, as_json: bool) -> None:
    """Validate the manifest, list the documents found, show the statutory deadline."""
    res = api.check(case)
    out = Output(as_json)
    if as_json:
        out.json(
            {
                "reference": res.manifest.reference,
                "received": res.manifest.received.isoformat(),
                "deadline": res.deadline.isoformat(),
                "days_left": res.days_left,
                "working_days_left": res.working_days_left,
                "documents": [vars(d) for d in res.documents],
                "people": {
                    g: [{"id": i, "name": n, "role": r} for i, n, r in v] for g, v in res.people_by_group().items()
                },
            }
        )
    else:
        out.check(res)
    if any(d.problem for d in res.documents):
        sys.exit(int(ExitCode.NEEDS_PERSON))


@main.command()
@case_arg
@click.option("--workers", type=click.IntRange(1, 256), default=None, help="Worker processes (default: all cores).")
@json_opt
@actor_opt
@handle_errors
def propose(case: Path, workers: int | None, as_json: bool, actor: str | None) -> None:
    """Read every document, find mentions, apply the rule set, store proposals."""
    out = Output(as_json)
    with out.progress("Reading pages") as progress:
        res = api.propose(case, actor=actor, progress=progress, workers=workers)
    if as_json:
        out.json(
            {
                "documents": res.documents,
                "pages": res.pages,
                "failed": dict(res.failures),
                "by_action": res.by_action,
                "by_code": res.by_code,
                "seconds": round(res.seconds, 3),
            }
        )
    else:
        out.propose(res)
    if res.documents == 0:
        raise SarkitError(f"No document in {case}/documents could be read.")
    if res.failures:
        sys.exit(int(ExitCode.NEEDS_PERSON))


@main.command()
@case_arg
@click.option(
    "--accept-proposals",
    is_flag=True,
    help="Take every proposal as decided ('review' items count as redactions); recorded in the audit trail.",
)
@click.option(
    "--settings",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    envvar="SARKIT_SETTINGS",
    default=None,
    help="The authority's settings file (name, address, contacts, support services); "
    "default: $SARKIT_SETTINGS, else the fictional example (sarkit settings example).",
)
@click.option("--workers", type=click.IntRange(1, 256), default=None, help="Worker processes (default: all cores).")
@json_opt
@actor_opt
@handle_errors
def bundle(
    case: Path, accept_proposals: bool, settings: Path | None, workers: int | None, as_json: bool, actor: str | None
) -> None:
    """Produce bundle/ (records.pdf, records.html, documents/) and reports/ from the decisions, then verify it."""
    out = Output(as_json)
    res = api.bundle(case, actor=actor, accept_proposals=accept_proposals, settings=settings, workers=workers)
    if as_json:
        out.json(
            {
                "documents": res.documents,
                "pages": res.pages,
                "redactions": res.redactions,
                "by_code": res.by_code,
                "skipped": dict(res.skipped),
                "withheld": dict(res.withheld),
                "pages_withheld": {name: [p + 1 for p in pages] for name, pages in res.pages_withheld},
                "path": str(res.path),
                "verified": bool(res.report and res.report.ok),
                "leaks": [asdict(lk) for lk in (res.report.leaks if res.report else ())],
                "seconds": round(res.seconds, 3),
            }
        )
    else:
        out.bundle(res)
    if (res.report is not None and not res.report.ok) or res.withheld or res.pages_withheld:
        sys.exit(int(ExitCode.NEEDS_PERSON))


@main.command()
@case_arg
@click.option("--thorough", is_flag=True, help="Also read every page with pdfminer.six and OCR (slower).")
@json_opt
@actor_opt
@handle_errors
def verify(case: Path, thorough: bool, as_json: bool, actor: str | None) -> None:
    """Prove that nothing redacted can be recovered from bundle/."""
    out = Output(as_json)
    res = api.verify(case, actor=actor, thorough=thorough)
    if as_json:
        out.json(
            {
                "ok": res.report.ok,
                "files": res.report.files,
                "values": res.report.values,
                "leaks": [asdict(lk) for lk in res.report.leaks],
                "seconds": round(res.seconds, 3),
            }
        )
    else:
        out.verify(res)
    if not res.report.ok:
        sys.exit(int(ExitCode.NEEDS_PERSON))


@main.command()
@click.argument("root", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=None,
    help="Worker processes, shared between cases and pages (default: all cores).",
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
    default=None,
    help="Run the cases on an existing Dask cluster (tcp://host:8786); needs sarkit[cluster].",
)
@click.option("--accept-proposals", is_flag=True, help="Also bundle (taking every proposal as decided) and verify.")
@json_opt
@actor_opt
@handle_errors
def batch(
    root: Path, workers: int | None, cluster: str | None, accept_proposals: bool, as_json: bool, actor: str | None
) -> None:
    """Every case folder under ROOT: propose, and bundle and verify when accepted."""
    from .batch import run_batch

    out = Output(as_json)
    with out.batch_progress() as on_done:
        outcomes = run_batch(
            root,
            workers=workers,
            accept=accept_proposals,
            actor=actor or api.default_actor(),
            on_done=on_done,
            on_pages=getattr(on_done, "pages", None),
            cluster=cluster,
        )
    if as_json:
        out.json([vars(o) for o in outcomes])
    else:
        out.batch(outcomes, root / "batch-report.json")
    if not outcomes:
        raise SarkitError(f"{root} holds no case folder (a folder with a case.yaml).")
    if any(o.status not in ("done", "proposed", "skipped") for o in outcomes):
        sys.exit(int(ExitCode.NEEDS_PERSON))


main.add_command(review)
main.add_command(decisions)
main.add_command(settings)
main.add_command(rules)
main.add_command(docs)


if __name__ == "__main__":  # pragma: no cover
    main()
