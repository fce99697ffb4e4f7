"""The documentation in docs/ stays true: every file a message names exists, docs/cli.md lists exactly the
commands and options of the program, and the policy, roles, settings fields and report columns it describes
are those of the code and the shipped data."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from sarkit.cli import main

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"


def _text_files(*roots: Path) -> list[Path]:
    out = []
    for root in roots:
        paths = [root] if root.is_file() else sorted(root.rglob("*"))
        for p in paths:
            if p.is_file() and "__pycache__" not in p.parts and p.suffix in (".py", ".md", ".yaml", ".j2", ".txt", ""):
                out.append(p)
    return out


def test_every_docs_file_named_anywhere_exists() -> None:
    named: dict[str, set[str]] = {}
    tests = sorted((REPO / "tests").glob("*.py"))
    for path in _text_files(REPO / "sarkit", REPO / "README.md", REPO / "CHANGELOG.md", *tests, DOCS):
        for ref in re.findall(r"docs/([a-z][a-z0-9-]*\.md)", path.read_text(encoding="utf-8", errors="replace")):
            named.setdefault(ref, set()).add(path.relative_to(REPO).as_posix())
    for page in DOCS.glob("*.md"):  # links between the pages: (policy.md)
        for ref in re.findall(r"\]\(([\w.-]+\.md)\)", page.read_text(encoding="utf-8")):
            named.setdefault(ref, set()).add(page.relative_to(REPO).as_posix())
    assert {"case-folder.md", "policy.md", "cli.md", "settings.md"} <= set(named)
    missing = {ref: sorted(where) for ref, where in named.items() if not (DOCS / ref).is_file()}
    assert missing == {}


def test_nothing_points_at_a_spec_folder_the_repository_does_not_have() -> None:
    for path in _text_files(REPO / "sarkit", REPO / "README.md", REPO / "CHANGELOG.md"):
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            assert not re.search(r"\bspec/", line), f"{path.relative_to(REPO)}:{n}: {line.strip()}"


# ---------------------------------------------------------------- docs/cli.md and the program


def _commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    out: dict[str, click.Command] = {}
    for name, cmd in group.commands.items():
        path = f"{prefix}{name}"
        if isinstance(cmd, click.Group):
            out.update(_commands(cmd, path + " "))
        else:
            out[path] = cmd
    return out


def _options(cmd: click.Command) -> set[str]:
    return {o for p in cmd.params if isinstance(p, click.Option) for o in p.opts if o not in ("-h", "--help")}


def _sections(text: str) -> dict[str, str]:
    """docs/cli.md's sections by their heading: ### `sarkit decisions export` -> 'decisions export'."""
    out = {}
    for block in re.split(r"^(?=#{2,3} )", text, flags=re.M):
        m = re.match(r"### `sarkit ([a-z -]+)`", block)
        if m:
            out[m.group(1).strip()] = block
    return out


def test_cli_md_describes_every_command_and_option_and_no_other() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    sections = _sections(text)
    commands = _commands(main)
    assert set(sections) == set(commands)
    for path, cmd in commands.items():
        section = sections[path]
        for opt in _options(cmd):
            assert re.search(rf"`{re.escape(opt)}\b", section), (path, opt)
        rows = "\n".join(ln for ln in section.splitlines() if ln.startswith(("| `-", "`sarkit ")))  # usage, options
        named = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", rows))
        assert named <= _options(cmd), (path, named - _options(cmd))
    everywhere = text.split("## The steps of a request")[0]
    for opt in _options(main) | {"-h", "--help"}:
        assert f"`{opt}`" in everywhere, opt


def test_cli_md_matches_what_help_prints() -> None:
    """Every command that `sarkit --help` lists has a section, and every option its --help shows is in it."""
    sections = _sections((DOCS / "cli.md").read_text(encoding="utf-8"))
    top = CliRunner().invoke(main, ["--help"]).output
    listed = re.findall(r"^  ([a-z-]+)\s", top.split("Commands:")[1], flags=re.M)
    assert listed and all(any(s == c or s.startswith(c + " ") for s in sections) for c in listed)
    for path in sections:
        out = CliRunner().invoke(main, [*path.split(), "--help"]).output
        assert out.startswith("Usage: "), path
        for opt in re.findall(r"^\s+(?:-\w, )?(--[a-z-]+)", out, flags=re.M):
            if opt != "--help":
                assert f"`{opt}" in sections[path], (path, opt)


def test_readme_names_every_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for path in _commands(main):
        assert f"sarkit {path.split()[0]}" in readme, path


# ---------------------------------------------------------------- the facts the pages describe


def test_policy_md_gives_every_code_of_the_shipped_rule_set_as_it_is() -> None:
    from sarkit.decide.rules import load_rules

    text = (DOCS / "policy.md").read_text(encoding="utf-8")
    rules = load_rules("uk-dpa2018")
    for code in rules.codes:
        row = next((ln for ln in text.splitlines() if ln.startswith(f"| `{code.code}` |")), None)
        assert row is not None, code.code
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1] == code.plain and cells[2] == code.basis, code.code
        assert ("reviewer only" in cells[3]) == code.reviewer_only, code.code
    table = text.split("### Classes, in order")[1].split("###")[0]
    assert re.findall(r"^\| `([a-z-]+)` \|", table, flags=re.M) == [c.id for c in rules.classes]
    flags = text.split("### Then the flags, in this order")[1].split("###")[0]
    assert len(re.findall(r"^\d\. ", flags, flags=re.M)) == len(rules.modifiers)


def test_the_rule_set_example_in_policy_md_loads(tmp_path: Path) -> None:
    from sarkit.decide.rules import load_rules

    text = (DOCS / "policy.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", text, flags=re.S) if b.startswith("name:"))
    (tmp_path / "northshire-2026.yaml").write_text(block, encoding="utf-8")
    rs = load_rules("northshire-2026", tmp_path)
    assert rs.name == "northshire-2026" and len(rs.classes) == 3


def test_case_folder_md_lists_every_role_in_its_group_and_every_field() -> None:
    from sarkit.manifest.edit import _PERSON_ORDER
    from sarkit.roles import ROLE_GROUPS

    text = (DOCS / "case-folder.md").read_text(encoding="utf-8")
    for group, roles in ROLE_GROUPS.items():
        row = next(ln for ln in text.splitlines() if ln.startswith(f"| {group} |"))
        assert set(re.findall(r"`([a-z-]+)`", row)) == set(roles), group
    for field in (*_PERSON_ORDER, "sarkit", "reference", "received", "rules", "requester", "passwords", "people"):
        assert f"| `{field}` |" in text, field


def test_the_case_yaml_example_in_case_folder_md_is_valid(tmp_path: Path) -> None:
    from sarkit.manifest import parse_manifest

    text = (DOCS / "case-folder.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", text, flags=re.S) if b.startswith("sarkit: 1"))
    assert parse_manifest(block, tmp_path / "case.yaml").subject.id == "jane"


def test_settings_md_describes_every_field_of_the_example() -> None:
    from sarkit.render.letters import default_settings

    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    for section, value in default_settings().items():
        assert f"### {section}\n" in text, section
        part = text.split(f"### {section}\n")[1].split("\n### ")[0]
        fields = value if isinstance(value, dict) else (value[0] if value and isinstance(value[0], dict) else {})
        for field in fields:
            assert f"| `{field}` |" in part, (section, field)


@pytest.mark.parametrize(
    "heading, columns",
    [
        ("### schedule.csv", "sarkit.render.reports:SCHEDULE_COLUMNS"),
        ("## The decisions CSV", "sarkit.review.files:COLUMNS"),
    ],
)
def test_ledger_and_reports_md_lists_the_columns_in_order(heading: str, columns: str) -> None:
    import importlib

    module, name = columns.split(":")
    expected = list(getattr(importlib.import_module(module), name))
    text = (DOCS / "ledger-and-reports.md").read_text(encoding="utf-8")
    part = text.split(heading)[1].split("\n## ")[0].split("\n### ")[0]
    listed = [c for row in re.findall(r"^\| (`.*?) \|", part, flags=re.M) for c in re.findall(r"`([a-z_0-9]+)`", row)]
    assert listed == expected


def test_ledger_and_reports_md_batch_report_has_every_field() -> None:
    import dataclasses

    from sarkit.batch import CaseOutcome

    text = (DOCS / "ledger-and-reports.md").read_text(encoding="utf-8")
    example = text.split("## batch-report.json")[1].split("```json\n")[1].split("```")[0]
    data = yaml.safe_load(example)  # JSON is YAML
    assert set(data) == {"root", "finished", "accept_proposals", "cases"}
    assert list(data["cases"][0]) == [f.name for f in dataclasses.fields(CaseOutcome)]


def test_sarkit_docs_lists_and_prints_every_page() -> None:
    out = CliRunner().invoke(main, ["docs"])
    assert out.exit_code == 0
    for page in DOCS.glob("*.md"):
        assert re.search(rf"^{re.escape(page.stem)}\s", out.output, flags=re.M), page.stem
        shown = CliRunner().invoke(main, ["docs", page.stem])
        assert shown.exit_code == 0 and shown.output == page.read_text(encoding="utf-8")
    bad = CliRunner().invoke(main, ["docs", "nonsense"])
    assert bad.exit_code == 2 and "case-folder" in bad.output
