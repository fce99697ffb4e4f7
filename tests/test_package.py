"""sarkit as a package, not a checkout: the sdist and the wheel are built the way `python -m build` builds them
(the wheel from the sdist), the wheel is installed into a fresh virtual environment, and the installed program
runs propose, bundle and verify on a copy of the example case, with its data found inside the installation.

Offline and quick: the build uses the setuptools and build of the test environment (no build isolation, which
would fetch setuptools), and the fresh environment gets the wheel with --no-deps and sees the test environment's
installed dependencies through a .pth line (that adds their folder to sys.path without running the .pth files
in it, so the checkout's editable sarkit stays out of sight).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "case"
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
NOT_BUILT = {".git", ".venv", "build", "dist", "examples", "tests", "benchmarks"}  # at the top of the checkout
ANYWHERE = shutil.ignore_patterns("__pycache__", "*.egg-info", ".pytest_cache", ".hypothesis")


def _not_copied(folder: str, names: list[str]) -> set[str]:
    top = NOT_BUILT if Path(folder) == REPO else set()
    return set(ANYWHERE(folder, names)) | (top & set(names))


def _run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sdist and the wheel, built from a copy of the checkout as a fresh clone would have it."""
    tmp = tmp_path_factory.mktemp("package")
    src = tmp / "src"
    shutil.copytree(REPO, src, ignore=_not_copied)
    r = _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp / "dist"), str(src)])
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    (sdist,) = (tmp / "dist").glob("sarkit-*.tar.gz")
    (wheel,) = (tmp / "dist").glob("sarkit-*.whl")
    return sdist, wheel


@pytest.fixture(scope="module")
def installed(built: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed: its bin/ folder."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    r = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert r.returncode == 0, r.stderr
    py = venv / "bin" / "python"
    r = _run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", str(built[1])])
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    site = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip())
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "_sarkit_test_dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))
    return venv / "bin"


def _env() -> dict[str, str]:
    """The environment without anything that would point sarkit at the checkout or an authority's files."""
    drop = ("PYTHONPATH", "SARKIT_RULES", "SARKIT_SETTINGS", "VIRTUAL_ENV")
    return {k: v for k, v in os.environ.items() if k not in drop}


def test_the_wheel_carries_every_data_file_and_the_documentation(built: tuple[Path, Path]) -> None:
    sdist, wheel = built
    names = set(zipfile.ZipFile(wheel).namelist())
    data = [p for p in (REPO / "sarkit" / "data").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert len(data) >= 15  # rule sets, lexicons, names lists, glossary, templates, example settings
    missing = [p.relative_to(REPO).as_posix() for p in data if p.relative_to(REPO).as_posix() not in names]
    assert missing == []
    docs = sorted((REPO / "docs").glob("*.md"))
    assert {"case-folder.md", "policy.md", "cli.md", "settings.md", "ledger-and-reports.md"} <= {p.name for p in docs}
    for page in docs:
        assert f"sarkit/data/docs/{page.name}" in names
        assert zipfile.ZipFile(wheel).read(f"sarkit/data/docs/{page.name}") == page.read_bytes()
    with tarfile.open(sdist) as tar:
        in_sdist = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {f"docs/{p.name}" for p in docs} <= in_sdist
    assert "setup.py" in in_sdist and "MANIFEST.in" in in_sdist


def test_the_installed_program_says_its_version(installed: Path, tmp_path: Path) -> None:
    r = _run([str(installed / "sarkit"), "--version"], cwd=tmp_path, env=_env())
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"sarkit, version {VERSION}"
    r = _run([str(installed / "python"), "-c", "import sarkit; print(sarkit.__file__)"], cwd=tmp_path, env=_env())
    assert Path(r.stdout.strip()).is_relative_to(installed.parent), r.stdout + r.stderr


def test_the_installed_program_runs_the_example_case(installed: Path, tmp_path: Path) -> None:
    """propose, bundle and verify on a copy of examples/case, every file they need read from the installation."""
    case = tmp_path / "case"
    shutil.copytree(EXAMPLE, case, ignore=shutil.ignore_patterns(".sarkit", "bundle", "reports"))
    sarkit = str(installed / "sarkit")
    for args in (["propose"], ["bundle", "--accept-proposals"], ["verify"]):
        r = _run([sarkit, args[0], str(case), *args[1:]], cwd=tmp_path, env=_env())
        assert r.returncode == 0, (args, r.stderr[-2000:])
        assert "Traceback" not in r.stderr
    assert (case / "bundle" / "records.pdf").is_file() and (case / "reports" / "schedule.csv").is_file()


def test_the_installed_program_shows_its_settings_rules_and_documentation(installed: Path, tmp_path: Path) -> None:
    sarkit = str(installed / "sarkit")
    r = _run([sarkit, "settings", "example"], cwd=tmp_path, env=_env())
    assert r.returncode == 0 and r.stdout == (REPO / "sarkit/data/settings/authority.example.yaml").read_text()
    r = _run([sarkit, "rules", "show", "uk-dpa2018"], cwd=tmp_path, env=_env())
    assert r.returncode == 0 and r.stdout == (REPO / "sarkit/data/redaction-rules/uk-dpa2018.yaml").read_text()
    r = _run([sarkit, "docs", "case-folder", "--path"], cwd=tmp_path, env=_env())
    assert r.returncode == 0 and Path(r.stdout.strip()).is_relative_to(installed.parent), r.stdout + r.stderr
    r = _run([sarkit, "docs", "policy"], cwd=tmp_path, env=_env())
    assert r.returncode == 0 and r.stdout == (REPO / "docs" / "policy.md").read_text()
