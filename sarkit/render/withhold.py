"""Proportionate holding back: a page that cannot be proven clean is withheld as a page, not the document.

When verification finds a value on some pages of a redacted document (and nowhere else in it: not in its
metadata or structure), those pages are replaced by a page of the same size that says, visibly, that the
page was withheld and why; the rest of the document still goes to the requester. The replacement page is
drawn from nothing but sarkit's own sentence, so it cannot carry anything of the original. The document is
then checked again like any other; if it still fails, it is held back whole as before.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pymupdf

from ..models import Leak

NOTE = (
    "Page {page} of this document has been withheld: sarkit could not prove that it is free of information "
    "that must be redacted. Ask the records team for a copy checked by a person."
)


_WHOLE_FILE = ("metadata", "attachment", "xmp", "unverified", "missing", "withheld", "name", "folder")


def pages_to_withhold(leaks: Iterable[Leak], file: str, page_count: int) -> list[int] | None:
    """The zero-based pages of file to withhold, or None when withholding pages cannot make it clean (a finding
    about the whole file, such as its metadata or its name; no finding on a page; findings on every page).

    A finding in the file's objects or streams that names no page may come from the content of those pages:
    the mended file is verified again, and held back whole if it still fails."""
    pages: set[int] = set()
    for lk in leaks:
        if lk.file != file:
            continue
        if lk.where in _WHOLE_FILE:
            return None
        if lk.page is not None:
            pages.add(int(lk.page))
    if not pages or len(pages) >= page_count or any(not 0 <= p < page_count for p in pages):
        return None
    return sorted(pages)


def withhold_pages(path: Path, pages: Iterable[int]) -> None:
    """Rewrite path with each of pages replaced by a visible note of the same size (written atomically)."""
    wanted = set(pages)
    src = pymupdf.open(path, filetype="pdf")
    out = pymupdf.open()
    try:
        for page in src:
            if page.number not in wanted:
                out.insert_pdf(src, from_page=page.number, to_page=page.number)
                continue
            rect = page.rect
            note = out.new_page(width=rect.width, height=rect.height)
            box = pymupdf.Rect(48, 72, max(96.0, rect.width - 48), max(144.0, rect.height - 72))
            note.insert_textbox(box, NOTE.format(page=page.number + 1), fontsize=12, fontname="helv")
        out.set_metadata({k: v for k, v in (src.metadata or {}).items() if k in ("title", "producer") and v})
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            out.save(tmp, garbage=3, deflate=True)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    finally:
        out.close()
        src.close()


def page_count(path: Path) -> int:
    try:
        with pymupdf.open(path, filetype="pdf") as doc:
            return int(doc.page_count)
    except Exception:  # noqa: BLE001 - an unreadable file cannot be mended page by page
        return 0
