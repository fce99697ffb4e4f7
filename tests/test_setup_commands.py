"""Setting sarkit up at an authority: the settings file, its own rule sets ($SARKIT_RULES), and what each
command says when something is wrong."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sarkit.cli import main
from sarkit.render.letters import example_settings_path

SHIPPED_RULES = Path(__file__).resolve().parents[1] / "sarkit" / "data" / "redaction-rules"


def run(*args: object, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, [str(a) for a in args], env=env)
    return r.exit_code, r.stdout, r.stderr


def _own_settings() -> dict:
    """The example with every fictional detail replaced."""
    data = yaml.safe_load(example_settings_path().read_text())
    data["authority"].update(
        name="Northshire County Council",
        address=["Information Team", "County Hall", "Northtown", "NN1 1AA"],
        phone="01234 567890",
        email="sar@northshire.gov.uk",
        website="northshire.gov.uk",
    )
    data["signatory"]["title"] = "Northshire County Council"
    data["dpo"].update(email="dpo@northshire.gov.uk", address="County Hall, Northtown, NN1 1AA")
    data["corrections"]["email"] = "sar@northshire.gov.uk"
    data["support"][0] = {"name": "Northshire Leaving Care Team", "what": "Help.", "contact": "01234 567891"}
    return data


# ---------------------------------------------------------------- settings


def test_settings_example_prints_the_shipped_file_and_writes_a_new_one_only(tmp_path: Path) -> None:
    code, out, _ = run("settings", "example")
    assert code == 0 and out == example_settings_path().read_text()
    target = tmp_path / "authority.yaml"
    code, out, _ = run("settings", "example", "-o", target)
    assert code == 0 and target.read_text() == example_settings_path().read_text()
    assert "settings check" in out
    target.write_text("authority:\n  name: Ours\n")
    code, _, err = run("settings", "example", "-o", target)
    assert code == 2 and "already exists" in err and target.read_text() == "authority:\n  name: Ours\n"


def test_settings_check_lists_the_example_details_left(tmp_path: Path) -> None:
    own = tmp_path / "own.yaml"
    own.write_text(yaml.safe_dump(_own_settings()))
    code, out, err = run("settings", "check", own)
    assert code == 0, err
    assert "valid" in out
    partial = tmp_path / "partial.yaml"  # only the name: everything else still comes from the example
    partial.write_text("authority:\n  name: Northshire County Council\n")
    code, out, _ = run("settings", "check", partial)
    assert code == 1
    assert "authority.phone" in out and "authority.name" not in out and "support[1].name" in out


@pytest.mark.parametrize(
    "text, field",
    [
        ("authority:\n  phon: 01234 567890\n", "authority.phon"),
        ("authorty:\n  name: X\n", "authorty"),
        ("authority:\n  address: County Hall\n", "authority.address"),
        ("support:\n  - name: X\n    web: y\n", "support[1].web"),
        ("dpo:\n  email: [a, b]\n", "dpo.email"),
        ("- a list\n", "mapping"),
        ("authority: [\n", "YAML"),
    ],
)
def test_a_wrong_settings_file_is_one_sentence_naming_the_field(tmp_path: Path, text: str, field: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    code, _, err = run("settings", "check", bad)
    assert code == 2 and field in err and "Traceback" not in err
    assert err.startswith(f"sarkit: {bad}")


def test_bundle_refuses_a_misspelt_settings_file_before_doing_anything(demo_case: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("authority:\n  phon: 01234 567890\n")
    code, _, err = run("bundle", demo_case, "--settings", bad)
    assert code == 2 and "authority.phon" in err and "docs/settings.md" in err
    assert not (demo_case / "bundle").exists()


# ---------------------------------------------------------------- rule sets


def _authority_rules(folder: Path) -> Path:
    """An authority's rule set that removes everything it proposes with its own code."""
    folder.mkdir(parents=True, exist_ok=True)
    rules = yaml.safe_load((SHIPPED_RULES / "uk-dpa2018.yaml").read_text())
    rules["name"] = "northshire-2026"
    rules["codes"]["NS"] = {"plain": "Northshire's own reason.", "basis": "Northshire policy 4.2"}
    rules["default_codes"] = {k: "NS" for k in rules["default_codes"]}
    for cls in rules["classes"]:
        cls.pop("code", None)
        if cls["id"] != "subject":
            cls["actions"] = {k: "redact" for k in cls["actions"]}
    path = folder / "northshire-2026.yaml"
    path.write_text(yaml.safe_dump(rules, sort_keys=False))
    return path


def test_an_authoritys_rule_set_in_sarkit_rules_is_used_by_propose(demo_case: Path, tmp_path: Path) -> None:
    own = tmp_path / "authority-rules"
    _authority_rules(own)
    manifest = demo_case / "case.yaml"
    manifest.write_text(manifest.read_text().replace("rules: uk-dpa2018", "rules: northshire-2026"))
    code, _, err = run("propose", demo_case, "--json", env={"SARKIT_RULES": ""})
    assert code == 2 and "northshire-2026" in err and "SARKIT_RULES" in err and "docs/policy.md" in err
    code, out, err = run("propose", demo_case, "--json", "--workers", "1", env={"SARKIT_RULES": str(own)})
    assert code == 0, err
    result = json.loads(out)
    assert set(result["by_code"]) == {"NS"} and result["by_action"]["redact"] > 0


def test_a_rule_set_in_the_case_folder_is_not_read(demo_case: Path) -> None:
    """Policy is the authority's: a rule file inside a case folder is never picked up."""
    _authority_rules(demo_case / "redaction-rules")
    manifest = demo_case / "case.yaml"
    manifest.write_text(manifest.read_text().replace("rules: uk-dpa2018", "rules: northshire-2026"))
    code, _, err = run("check", demo_case)
    assert code == 0, err
    code, _, err = run("propose", demo_case, env={"SARKIT_RULES": ""})
    assert code == 2 and "No rule set named 'northshire-2026'" in err


def test_rules_list_show_and_check(tmp_path: Path) -> None:
    own = tmp_path / "authority-rules"
    _authority_rules(own)
    (own / "kinship.yaml").write_text((SHIPPED_RULES / "kinship.yaml").read_text() + "# ours\n")
    code, out, err = run("rules", "list", env={"SARKIT_RULES": str(own)})
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(str(own)) and "$SARKIT_RULES" in lines[0]
    kinship = [ln.split() for ln in lines if "kinship.yaml" in ln]
    assert kinship == [["in", "use", "kinship.yaml", str(own)], ["unused", "kinship.yaml", str(SHIPPED_RULES)]]
    assert any("northshire-2026.yaml" in ln and "in use" in ln for ln in lines)
    code, out, _ = run("rules", "show", "kinship.yaml", env={"SARKIT_RULES": str(own)})
    assert code == 0 and out.endswith("# ours\n")
    code, out, _ = run("rules", "show", "uk-dpa2018", env={"SARKIT_RULES": ""})
    assert code == 0 and out == (SHIPPED_RULES / "uk-dpa2018.yaml").read_text()
    code, _, err = run("rules", "show", "nothing-like-this")
    assert code == 2 and "sarkit rules list" in err
    code, out, err = run("rules", "check", own / "northshire-2026.yaml")
    assert code == 0 and "valid rule set 'northshire-2026'" in out, err
    code, out, _ = run("rules", "check", "uk-dpa2018", env={"SARKIT_RULES": ""})
    assert code == 0 and "subject, referrer, professional" in out


def test_rules_check_names_the_mistake(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    text = (SHIPPED_RULES / "uk-dpa2018.yaml").read_text().replace("when: {group: professional}", "when: {grup: x}")
    bad.write_text(text)
    code, _, err = run("rules", "check", bad)
    assert code == 2 and "broken.yaml, class professional" in err and "grup" in err
    code, _, err = run("rules", "check", tmp_path / "absent.yaml")
    assert code == 2 and "no such file" in err


def test_batch_sees_a_change_in_the_authoritys_rules(demo_case: Path, tmp_path: Path, monkeypatch) -> None:
    from sarkit.batch import fingerprint
    from sarkit.case import Case

    own = tmp_path / "authority-rules"
    path = _authority_rules(own)
    monkeypatch.setenv("SARKIT_RULES", str(own))
    before = fingerprint(Case.at(demo_case), True)
    assert fingerprint(Case.at(demo_case), True) == before
    path.write_text(path.read_text().replace("Northshire policy 4.2", "Northshire policy 4.3"))
    assert fingerprint(Case.at(demo_case), True) != before


def test_version_is_the_package_version() -> None:
    import tomllib
    from importlib.metadata import version

    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"sarkit, version {version('sarkit')}"
    assert version("sarkit") == pyproject["project"]["version"]


def test_settings_example_file_written_is_readable_by_the_team(tmp_path: Path) -> None:
    """Settings are shared by the authority's officers (unlike case data, which is private)."""
    target = tmp_path / "authority.yaml"
    assert run("settings", "example", "-o", target)[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
