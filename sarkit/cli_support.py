"""What every command of the command line shares: one error handler, common arguments."""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import ExitCode, SarkitError

F = TypeVar("F", bound=Callable[..., Any])

case_arg = click.argument("case", type=click.Path(path_type=Path, file_okay=False))


def handle_errors(fn: F) -> F:
    """One handler turns every error into one sentence and its exit code (a traceback only with -v)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        verbose = bool(ctx.find_root().params.get("verbose"))
        try:
            return fn(*args, **kwargs)
        except SarkitError as exc:
            if verbose:
                traceback.print_exc()
            click.echo(f"sarkit: {exc.message}", err=True)
            if exc.hint:
                click.echo(f"  {exc.hint}", err=True)
            ctx.exit(int(exc.code))
        except KeyboardInterrupt:
            click.echo("sarkit: interrupted; every decision already made is saved.", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # a bug: say so in one line, details with -v
            if verbose:
                traceback.print_exc()
            click.echo(
                f"sarkit: internal error ({exc.__class__.__name__}); run again with -v for details and report it.",
                err=True,
            )
            ctx.exit(int(ExitCode.NEEDS_PERSON))

    return wrapper  # type: ignore[return-value]
