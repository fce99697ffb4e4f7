"""What the three commands return: counts and findings for the console, --json and the library's callers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .models import LeakReport

Progress = Callable[[str, int, int], None]  # (stage, done, total): counts only, never names or text


@dataclass
class ProposeResult:
    documents: int = 0
    pages: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (document name, one sentence)
    by_action: dict[str, int] = field(default_factory=dict)
    by_code: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class BundleResult:
    documents: int = 0
    pages: int = 0
    redactions: int = 0
    kept: int = 0
    by_code: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    withheld: list[tuple[str, str]] = field(default_factory=list)  # documents held back: (name, why)
    report: LeakReport | None = None
    pages_withheld: list[tuple[str, list[int]]] = field(default_factory=list)  # (name, zero-based pages)
    seconds: float = 0.0
    path: Path | None = None


@dataclass
class VerifyResult:
    report: LeakReport
    seconds: float = 0.0
