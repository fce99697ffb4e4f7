"""Fictional case folders written by code, for the example, the tests and the benchmarks; never part of sarkit.

- `build_demo_case(dest)`: the complete example case (fernwick.py), as committed in examples/case/;
- `small_manifest(reference)`: a minimal valid case.yaml for tests that bring their own documents;
- writers.py: the PDF, DOCX and ZIP building blocks shared with benchmarks/heldout/make_cases.py.

Tests and benchmarks put examples/ on sys.path and `import casewriter`.
"""

from __future__ import annotations

from .fernwick import build_demo_case

__all__ = ["build_demo_case", "small_manifest"]


def small_manifest(reference: str, *, referrer: str = "Anita Patel", passwords: dict[str, str] | None = None) -> str:
    """A minimal valid case.yaml (subject, known mother, referrer neighbour, social worker) for tests and
    benchmarks that bring their own documents."""
    lines = ["sarkit: 1", f"reference: {reference}", "received: 2026-01-05", "rules: uk-dpa2018"]
    if passwords:
        lines.append("passwords:")
        lines += [f"  {name}: {pw}" for name, pw in passwords.items()]
    lines += [
        "people:",
        "  - id: jane",
        "    name: Jane Doe",
        "    role: subject",
        "    aliases: [Jane]",
        "  - id: sharon",
        "    name: Sharon Doyle",
        "    role: mother",
        "    aliases: [Mum, Ms Doyle]",
        "    known: true",
        "  - id: anita",
        f"    name: {referrer}",
        "    role: neighbour",
        "    referrer: true",
        "  - id: karen",
        "    name: Karen Pike",
        "    role: social-worker",
    ]
    return "\n".join(lines) + "\n"
