"""An outside leak check: freelawproject's x-ray (0.4.0, its own PyMuPDF pin) on bundles sarkit produces.

x-ray runs in its own virtual environment (tests/.xray-venv, made on first use from the package registry;
git-ignored). The test first shows that x-ray DOES flag a name drawn over by a black rectangle, so a pass
means something; then it must find nothing in the bundle of a generated case, nor in the bundles of the
corpus cases (skipped when ../shared is absent). Skipped with a reason when the venv cannot be made.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from casewriter import small_manifest
from cli_helpers import run_sarkit

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
VENV = Path(os.environ.get("SARKIT_XRAY_VENV", REPO / "tests" / ".xray-venv"))
XRAY_PIN = "x-ray==0.4.0"

RUNNER = """
import asyncio, json, sys
import xray
out = {}
for path in sys.argv[1:]:
    found = asyncio.run(xray.inspect(path))
    out[path] = {str(k): [{"bbox": list(r["bbox"]), "chars": len(r.get("text", ""))} for r in v]
                 for k, v in found.items() if v}
print(json.dumps(out))
"""


def _venv_python() -> Path:
    return VENV / "bin" / "python"


@pytest.fixture(scope="session")
def xray_python() -> Path:
    py = _venv_python()
    ok = (
        py.exists() and subprocess.run([str(py), "-c", "import xray"], capture_output=True, check=False).returncode == 0
    )
    if not ok:
        try:
            if not py.exists():
                subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, capture_output=True, timeout=120)
            subprocess.run(
                [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", XRAY_PIN],
                check=True,
                capture_output=True,
                timeout=600,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            pytest.skip(f"cannot make the x-ray environment ({exc.__class__.__name__}: no registry?)")
    return py


def xray(py: Path, files: list[Path]) -> dict[str, dict]:
    """x-ray's findings per file (bbox and how many characters it read under it; never the text)."""
    r = subprocess.run(
        [str(py), "-c", RUNNER, *map(str, files)], capture_output=True, text=True, timeout=600, check=False
    )
    assert r.returncode == 0, r.stderr[-2000:]
    return {k: v for k, v in json.loads(r.stdout).items() if v}


def test_xray_flags_a_name_drawn_over(xray_python: Path, tmp_path: Path) -> None:
    bad = tmp_path / "drawn-over.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Referral made by Anita Patel on Monday", fontsize=12)
    hits = page.search_for("Anita Patel")
    page.draw_rect(hits[0] + (-1, -1, 1, 1), color=(0, 0, 0), fill=(0, 0, 0))
    doc.save(bad)
    doc.close()
    assert xray(xray_python, [bad]), "x-ray did not flag a name under a black box: the check below proves nothing"


CASE_YAML = small_manifest("SAR-2026-0555")


def _generated_case(root: Path) -> Path:
    import docx

    docs = root / "documents"
    docs.mkdir(parents=True)
    (root / "case.yaml").write_text(CASE_YAML, encoding="utf-8")
    doc = pymupdf.open()
    for p in range(3):
        page = doc.new_page()
        y = 72.0
        for i in range(20):
            line = [
                "Anita Patel rang about Jane Doe.",
                "Sharon Doyle (Mum) was seen at home.",
                "Karen Pike visited; Ms Doyle and Anita Patel were present.",
                "Jane said she was fine.",
            ][i % 4]
            page.insert_text((60, y), f"{p}.{i} {line}", fontsize=10 + (i % 3))
            y += 24
        page.draw_rect(pymupdf.Rect(50, 60, 545, 80), color=(0, 0, 0), width=0.5)  # a ruled box, not a cover
    doc.save(docs / "2025-01-02 Case notes.pdf")
    doc.close()
    d = docx.Document()
    d.add_heading("Visit record", 1)
    d.add_paragraph("Jane Doe was visited by Karen Pike. Sharon Doyle said Anita Patel had called.")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Referrer", "Anita Patel"
    t.cell(1, 0).text, t.cell(1, 1).text = "Mother", "Sharon Doyle"
    d.save(docs / "2025-02-03 Visit.docx")
    return root


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_sarkit(*args, timeout=900)


def _bundle(case: Path) -> list[Path]:
    r = _run("propose", str(case))
    assert r.returncode in (0, 1), r.stderr
    r = _run("bundle", str(case), "--accept-proposals")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    pdfs = sorted((case / "bundle").rglob("*.pdf"))
    assert pdfs
    return pdfs


def test_xray_finds_nothing_in_a_generated_bundle(xray_python: Path, tmp_path: Path) -> None:
    pdfs = _bundle(_generated_case(tmp_path / "case"))
    with pymupdf.open(tmp_path / "case" / "bundle" / "documents" / "2025-01-02 Case notes.pdf") as d:
        assert "Patel" not in d[0].get_text() and "Karen Pike" in d[0].get_text()  # something was redacted
    assert xray(xray_python, pdfs) == {}


CORPUS = SHARED / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_xray_finds_nothing_in_corpus_bundles(xray_python: Path, tmp_path: Path) -> None:
    """Every corpus case through `sarkit batch --accept-proposals` (two at a time), then x-ray on every PDF.

    A bundle that sarkit's own verify rejected is x-rayed too (from .sarkit/bundle-rejected): this test is
    about what x-ray sees; verify's verdict is checked by the corpus tests.
    """
    root = tmp_path / "corpus"
    for src in sorted(CORPUS.glob("dev-*")):
        shutil.copytree(src / "documents", root / src.name / "documents")
        shutil.copy(src / "case.yaml", root / src.name / "case.yaml")  # truth.json stays behind
    r = _run("batch", str(root), "--accept-proposals", "--workers", "2")
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    pdfs = []
    for case in sorted(root.glob("dev-*")):
        out = case / "bundle" if (case / "bundle").is_dir() else case / ".sarkit" / "bundle-rejected"
        found = sorted(out.rglob("*.pdf"))
        assert found, f"{case.name}: no bundle ({r.stdout[-1000:]})"
        pdfs.extend(found)
    assert xray(xray_python, pdfs) == {}
