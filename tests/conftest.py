from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO / "examples"))  # casewriter: the fictional cases' writers (not part of sarkit)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A generated fictional case (built once per test session) and its truth."""
    from casewriter import build_demo_case

    root = tmp_path_factory.mktemp("demo") / "case"
    truth = build_demo_case(root)
    return root, truth


@pytest.fixture()
def demo_case(demo_template: tuple[Path, dict], tmp_path: Path) -> Path:
    """A fresh copy of the generated case that a test may change."""
    src, _ = demo_template
    dest = tmp_path / "case"
    shutil.copytree(src, dest)
    return dest


@pytest.fixture(scope="session")
def proposed_template(demo_template: tuple[Path, dict], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated case after `propose` (built once)."""
    from sarkit import api

    dest = tmp_path_factory.mktemp("proposed") / "case"
    shutil.copytree(demo_template[0], dest)
    api.propose(dest, actor="tester")
    return dest


@pytest.fixture()
def proposed_case(proposed_template: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "case"
    shutil.copytree(proposed_template, dest)
    return dest


@pytest.fixture(scope="session")
def paper_bundles(tmp_path_factory: pytest.TempPathFactory):
    """Cases proposed and bundled with --accept-proposals for the paper and screen checks, each built on first
    use (tests/paper_cases.py); a case that is not available (the dev corpus without ../shared) skips."""
    import paper_cases

    cache: dict[str, Path | None] = {}
    root = tmp_path_factory.mktemp("paper")

    def get(name: str) -> Path:
        if name not in cache:
            cache[name] = paper_cases.bundled(name, root)
        case = cache[name]
        if case is None:
            pytest.skip(f"{name} needs ../shared/corpus")
        return case

    return get
