"""A sample of real hostile and broken files (../shared/corpus-wild/dev) through propose + bundle.

The whole directory is benchmarks/wild.py's job; this is the quick guard for `make test`: exit status 0 or 1,
never a traceback, each refused file one sentence naming it, and the bundle verified.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from casewriter import small_manifest
from cli_helpers import run_sarkit

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
WILD = SHARED / "corpus-wild" / "dev"

SAMPLE = [
    "fmtc__T03_001_no-cross-reference-table.pdf",  # repaired on open
    "fmtc__text_only.docx",  # an old .doc renamed
    "pdfjs__issue6010_2.pdf",  # encrypted, no password
    "pdfjs__issue18986.pdf",  # zero pages
    "pdfjs__opt_demo.pdf",  # JavaScript and a form
    "pdfjs__noembed-sjis.pdf",  # CJK without embedded font
    "qpdf__add-attachments-1.pdf",  # an attachment
    "qpdf__field-types.pdf",  # form fields
    "qpdf__pages-loop.pdf",  # a page tree that loops
    "qpdf__deep-pages.pdf",  # a page tree too deep to read
    "pydocx__hdr-header-footer.docx",  # a real DOCX with headers
]

CASE_YAML = small_manifest("SAR-WILD-0002")

pytestmark = pytest.mark.skipif(not WILD.is_dir(), reason="../shared/corpus-wild is absent")


def _one_sentence(message: str, name: str) -> bool:
    label = f"documents/{name}"
    rest = message.replace(label, "FILE").rstrip()
    return (
        label in message
        and "\n" not in message.strip()
        and "Traceback" not in message
        and rest.endswith(".")
        and not re.search(r"[.!?]\s+[A-Z]", rest[:-1])
    )


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_sarkit(*args, timeout=600)


def _json(stdout: str) -> dict:
    """The JSON document in stdout (tolerating stray lines before it; test_json_output_is_clean is strict)."""
    i = stdout.find("{")
    assert i >= 0, stdout[-2000:]
    return json.loads(stdout[i:])


def _case(tmp_path: Path) -> tuple[Path, list[Path]]:
    files = [WILD / n for n in SAMPLE if (WILD / n).is_file()]
    assert files
    case = tmp_path / "case"
    (case / "documents").mkdir(parents=True)
    (case / "case.yaml").write_text(CASE_YAML, encoding="utf-8")
    for f in files:
        shutil.copy(f, case / "documents" / f.name)
    return case, files


def test_wild_sample_through_propose_and_bundle(tmp_path: Path) -> None:
    case, files = _case(tmp_path)
    prop = _run("propose", str(case), "--json")
    assert prop.returncode in (0, 1), prop.stderr
    assert "Traceback" not in prop.stderr and "internal error" not in prop.stderr, prop.stderr
    data = _json(prop.stdout)
    failed: dict[str, str] = data["failed"]
    for name, message in failed.items():
        assert _one_sentence(message, name), (name, message)
    assert data["documents"] + len(failed) == len(files)
    assert "pdfjs__issue6010_2.pdf" not in {f.name for f in files} or "encrypted" in failed["pdfjs__issue6010_2.pdf"]

    bun = _run("bundle", str(case), "--accept-proposals", "--json")
    assert bun.returncode in (0, 1), bun.stderr
    assert "Traceback" not in bun.stderr and "internal error" not in bun.stderr, bun.stderr
    out = _json(bun.stdout)
    assert out["verified"], out["leaks"]
    produced = {p.name for p in (case / "bundle" / "documents").iterdir()}
    for f in files:
        if f.name not in failed:
            assert (f.name if f.suffix == ".pdf" else f.name + ".pdf") in produced, f.name


def test_json_output_is_clean(tmp_path: Path) -> None:
    case, _ = _case(tmp_path)
    for args in (("propose", str(case), "--json"), ("bundle", str(case), "--accept-proposals", "--json")):
        r = _run(*args)
        json.loads(r.stdout)
        assert "MuPDF" not in r.stdout + r.stderr
