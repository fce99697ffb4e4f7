"""Regenerate the fictional example case: examples/case/ (case.yaml + documents/) and examples/case-truth.json.

Usage: python examples/make_example.py
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from casewriter import build_demo_case  # noqa: E402


def main() -> None:
    case = HERE / "case"
    shutil.rmtree(case / "documents", ignore_errors=True)
    (case / "case.yaml").unlink(missing_ok=True)
    truth = build_demo_case(case)
    (HERE / "case-truth.json").write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {case} ({len(truth['documents'])} documents) and {HERE / 'case-truth.json'}")


if __name__ == "__main__":
    main()
