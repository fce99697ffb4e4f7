"""Click commands of the review stage: `review` and `decisions export|import`.

Plain click objects: the main command group adds them with `main.add_command(...)`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..api import default_actor
from ..case import Case
from ..cli_support import case_arg, handle_errors
from ..errors import ExitCode, SarkitError

F = TypeVar("F", bound=Callable[..., Any])

reviewer_opt = click.option("--reviewer", default=None, help="Who is reviewing (default: the login name).")


def _reviewer(name: str | None) -> str:
    return name or default_actor()


@click.command()
@case_arg
@reviewer_opt
@click.option("--second-check", is_flag=True, help="Show only what another reviewer decided, to confirm or change it.")
@handle_errors
def review(case: Path, reviewer: str | None, second_check: bool) -> None:
    """The interactive review in the terminal; every decision is saved as it is made."""
    c = Case.at(case)
    if not sys.stdin.isatty():
        raise SarkitError(
            f"sarkit review {case} needs a terminal: use sarkit bundle {case} --accept-proposals to take every "
            f"proposal as decided, or sarkit decisions import {case} FILE to load decisions from a CSV file.",
            ExitCode.BAD_INPUT,
        )
    from ..ledger import case_lock
    from .screen import Screen, Tty
    from .session import ReviewSession

    with case_lock(c.state, "sarkit review"):
        session = ReviewSession(c, _reviewer(reviewer), second_check)
        try:
            out = sys.stdout.fileno() if sys.stdout.isatty() else sys.stdin.fileno()
            with Tty(sys.stdin.fileno(), out) as term:
                Screen(session, term).run()
            pr = session.progress()
        finally:
            session.close()
    click.echo(f"Saved: {pr.done} of {pr.total} items decided. Run sarkit review {case} again to resume.")
    if pr.done < pr.total:
        sys.exit(int(ExitCode.NEEDS_PERSON))


@click.group()
def decisions() -> None:
    """Decisions as CSV files: export them to check or prepare outside the terminal, import them back."""


@decisions.command("export")
@case_arg
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the CSV here (default: standard output).",
)
@handle_errors
def export_cmd(case: Path, output: Path | None) -> None:
    """Write every proposal that needs a person, with the decision in force, as CSV."""
    from .files import export_decisions

    text = export_decisions(Case.at(case), output)
    if output is None:
        sys.stdout.write(text)


@decisions.command("import")
@case_arg
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@reviewer_opt
@handle_errors
def import_cmd(case: Path, file: Path, reviewer: str | None) -> None:
    """Load decisions from a CSV (proposal, decision keep|redact|accept, optional code); all or nothing."""
    from ..ledger import case_lock
    from .files import import_decisions

    c = Case.at(case)
    with case_lock(c.state, "sarkit decisions import"):
        res = import_decisions(c, file, _reviewer(reviewer))
    extra = f" ({res.matched_by_content} matched by document content and text)" if res.matched_by_content else ""
    click.echo(f"Imported {res.decisions} decisions from {res.rows} rows of {file.name}{extra}.")


def group() -> click.Group:
    """A stand-alone group with the review commands (python -m sarkit.review)."""

    @click.group()
    @click.option("-v", "--verbose", is_flag=True, help="Show a traceback on errors.")
    def main(verbose: bool) -> None:
        os.umask(0o077)

    main.add_command(review)
    main.add_command(decisions)
    return main
