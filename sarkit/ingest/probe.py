"""A quick look at a document for `sarkit check`: its real type and page count, or the problem."""

from __future__ import annotations

from pathlib import Path

from ..errors import DocumentError


def _count_pages(src: str, kind: str, password: str | None) -> int | None:
    import pymupdf

    if kind == "docx":
        return None  # known only once rendered (sarkit propose)
    with pymupdf.open(src) as doc:
        if doc.needs_pass and not (password and doc.authenticate(password)):
            raise ValueError("encrypted")
        return doc.page_count


def probe(path: Path, password: str | None = None, *, timeout: float = 30) -> tuple[str | None, int | None, str | None]:
    """(kind, pages, problem): pages is None when unknown; problem is one sentence or None."""
    from . import _check_kind, _label, run_isolated, sniff

    name = path.name
    try:
        kind = _check_kind(path, name)
    except DocumentError as exc:
        return sniff(path) if path.stat().st_size else None, None, exc.message
    try:
        pages = run_isolated(_count_pages, str(path), kind, password, timeout=timeout, memory_mb=1024)
    except Exception as exc:  # noqa: BLE001 - one sentence, whatever went wrong
        if "encrypted" in str(exc):
            return kind, None, f"{_label(name)} is encrypted: give its password under passwords: in case.yaml."
        return kind, None, f"{_label(name)} cannot be read (it is probably damaged)."
    return kind, pages, None
