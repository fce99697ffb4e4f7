"""Commands for setting sarkit up at an authority: the settings file, the rule sets, the documentation.

They read only what is shipped with sarkit and the authority's own files; none touches a case folder.
An installed wheel carries everything they show, so they work on an offline machine without the repository.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .cli_support import handle_errors
from .errors import ExitCode, SarkitError


def _write_new(path: Path, text: str) -> None:
    """Write text to a file that must not exist yet (never overwrites an authority's file).

    Readable by everyone (644) despite sarkit's private umask: settings are shared by the authority's
    officers and hold no personal data."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise SarkitError(f"{path} already exists: sarkit never overwrites it (choose another name).") from None
    except OSError as exc:
        raise SarkitError(f"{path} cannot be written ({exc.strerror or type(exc).__name__}).") from None
    os.fchmod(fd, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


# ---------------------------------------------------------------- settings


@click.group()
def settings() -> None:
    """The authority's settings file: the details of the cover letter (docs/settings.md)."""


@settings.command("example")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write it to this new file instead of printing it.",
)
@handle_errors
def settings_example(output: Path | None) -> None:
    """Print the documented example settings file, to copy and edit."""
    from .render.letters import example_settings_path

    text = example_settings_path().read_text(encoding="utf-8")
    if output is None:
        click.echo(text, nl=False)
        return
    _write_new(output, text)
    click.echo(
        f"Wrote {output}: replace every value of the example authority, then run: sarkit settings check {output}"
    )


@settings.command("check")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@handle_errors
def settings_check(file: Path) -> None:
    """Read FILE as `bundle --settings FILE` would; list the fields still holding the example's details."""
    from .render.letters import demo_values, effective_settings, read_settings

    left = demo_values(effective_settings(read_settings(file)))
    if not left:
        click.echo(f"{file}: valid; no field holds the example authority's details.")
        return
    click.echo(f"{file}: valid, but {len(left)} fields still hold the example authority's details:")
    for field in left:
        click.echo(f"  {field}")
    click.echo("A field left out of the file takes the example's value: write your own in the file.")
    sys.exit(int(ExitCode.NEEDS_PERSON))


# ---------------------------------------------------------------- rules


@click.group()
def rules() -> None:
    """Rule sets and lexicons: which files sarkit uses, a copy to start your own (docs/policy.md)."""


@rules.command("list")
@handle_errors
def rules_list() -> None:
    """The folders searched ($SARKIT_RULES first) and every rule set and lexicon file found in them."""
    from .resources import RULES_ENV, rule_files, rules_dirs

    own = os.environ.get(RULES_ENV)
    for folder in rules_dirs():
        label = f"${RULES_ENV}" if own and folder == Path(own).expanduser() else "shipped with sarkit"
        missing = "" if folder.is_dir() else "  (no such folder)"
        click.echo(f"{folder}  ({label}){missing}")
    if not own:
        click.echo(f"(${RULES_ENV} is not set: only the shipped files are used)")
    click.echo("")
    for rel, path, used in rule_files():
        click.echo(f"  {'in use ' if used else 'unused '} {rel:34} {path.parent}")


@rules.command("show")
@click.argument("name")
@handle_errors
def rules_show(name: str) -> None:
    """Print a rule set (uk-dpa2018) or lexicon file (kinship.yaml, ...) as sarkit reads it."""
    from .resources import rule_files

    wanted = {name, f"{name}.yaml"}
    for rel, path, used in rule_files():
        if used and rel in wanted:
            click.echo(path.read_text(encoding="utf-8"), nl=False)
            return
    raise SarkitError(f"No rule set or lexicon named '{name}' (sarkit rules list shows them).")


@rules.command("check")
@click.argument("rule_set")
@handle_errors
def rules_check(rule_set: str) -> None:
    """Load RULE_SET (a name, or the path of a .yaml file) as propose would, and summarise it."""
    from .decide.rules import load_rules

    path = Path(rule_set)
    if rule_set.endswith((".yaml", ".yml")) or os.sep in rule_set or "/" in rule_set:
        if path.suffix != ".yaml":
            raise SarkitError(f"{path}: a rule set is a file whose name ends in .yaml.")
        if not path.is_file():
            raise SarkitError(f"{path}: no such file.")
        rs = load_rules(path.stem, path.parent)
    else:
        rs = load_rules(rule_set)
    click.echo(f"{rs.path}: valid rule set '{rs.name}' ({rs.title})")
    click.echo(f"  {len(rs.classes)} classes: {', '.join(c.id for c in rs.classes)}")
    click.echo(f"  {len(rs.modifiers)} modifiers: {', '.join(m.id for m in rs.modifiers)}")
    click.echo(f"  codes: {', '.join(c.code for c in rs.codes)}")
    if rs.name != rs.path.stem:
        click.echo(f"  note: its `name:` is '{rs.name}', but case.yaml names it by its file name, '{rs.path.stem}'")


# ---------------------------------------------------------------- docs


def _topics() -> dict[str, Path]:
    from .resources import docs_dir

    folder = docs_dir()
    if folder is None:
        raise SarkitError("The documentation is missing from this installation (reinstall sarkit).")
    return {p.stem: p for p in sorted(folder.glob("*.md"))}


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return ""


@click.command()
@click.argument("topic", required=False)
@click.option("--path", "show_path", is_flag=True, help="Print where the file is instead of its text.")
@handle_errors
def docs(topic: str | None, show_path: bool) -> None:
    """The documentation shipped with sarkit: the topics, or one topic's text (docs/TOPIC.md)."""
    topics = _topics()
    if topic is None:
        if show_path:
            click.echo(next(iter(topics.values())).parent)
            return
        width = max(len(t) for t in topics)
        for name, path in topics.items():
            click.echo(f"{name:{width}}  {_title(path)}")
        click.echo("\nsarkit docs TOPIC prints one; --path says where the files are.")
        return
    key = topic.removeprefix("docs/").removesuffix(".md")
    if key not in topics:
        raise SarkitError(f"No documentation topic '{topic}' (one of: {', '.join(topics)}).")
    if show_path:
        click.echo(topics[key])
        return
    text = topics[key].read_text(encoding="utf-8")
    if sys.stdout.isatty():
        click.echo_via_pager(text)
    else:
        click.echo(text, nl=False)
