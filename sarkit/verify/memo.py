"""Pages verify found clean in an earlier round of the same `bundle`, by a digest of everything they are.

`bundle` verifies its staging folder, withholds the pages where a value was found (sarkit.render.withhold),
and verifies again. The second round used to read every page of the mended file again, though only the
withheld pages changed. A page is now skipped in a later round only when it is provably the same page, read
for the same values by the same readings:

- its key (`page_key`) is a digest of the page object and everything it refers to, followed through
  references by value (content streams and every stream decoded: fonts, their ToUnicode maps, images,
  forms, annotations), of the attributes it inherits from the page tree (Resources, MediaBox, CropBox,
  Rotate), of the document's optional-content configuration (which hides content from PyMuPDF and
  pdftotext), of the values searched for and of the readings asked for, and of this module's version;
- the page-level readings (both extractors, OCR of pages that need it, annotations, links, covered and
  off-page text) are functions of those inputs alone, so the same key gives the same readings and the same
  (absent) findings;
- only a page with no finding at all is kept, and only when no reading of its piece failed;
- a page with form fields has no key (a field's full name is read through its parent fields, outside the
  page), nor has a page whose objects cannot be read;
- the file's own readings (metadata, every object and stream, image metadata, font names, page labels,
  layers, its path) are read again in every round: the memo only covers readings of one page.

The memo lives for one `bundle` run (a private folder, emptied when the run starts and ends); `sarkit verify`
never uses it. A planted value changes the page's content or a stream it uses, so its key: it is read again.
"""

from __future__ import annotations

import hashlib
import os
import re
import zlib
from collections.abc import Sequence
from pathlib import Path

import pymupdf

from .shown import _Digest, _inherited

MEMO_VERSION = b"sarkit-verify-page-memo-1"
_INHERITED = ("Resources", "MediaBox", "CropBox", "Rotate")
_ANY_REF = re.compile(rb"\b\d+ (\d+) R\b")


class _Strict(_Digest):
    """shown's digest by value, stricter and independent of how the file was written:

    - the page's dictionary and a stream's by their keys in sorted order, entries whose value is null left out
      (a page copied into a new file has its keys reordered and its null entries dropped; a stream written
      compressed gains a /Filter); other objects as written;
    - a stream by its data: as stored, with its filters, or, when it has no filter or only /FlateDecode, by
      the bytes that filter gives, decoded by Python's zlib (strict: the whole stream, nothing after it), so
      the same data stored compressed or not is the same; a stream with any other filter or a damaged one
      counts by its bytes as stored;
    - a reference of another generation than 0 (which the digest would not follow) leaves no key."""

    def text(self, obj: bytes) -> bytes:
        if any(m.group(1) != b"0" for m in _ANY_REF.finditer(obj)):
            raise ValueError("a reference the digest does not follow")
        return super().text(obj)

    def xref(self, xref: int) -> bytes:
        if xref in self.done:
            return self.done[xref]
        if xref in self.open or not 0 < xref < self.doc.xref_length():
            return b"cycle"
        self.open.add(xref)
        doc = self.doc
        h = hashlib.sha256()
        if not doc.xref_is_stream(xref):  # as written (a page copied elsewhere keeps its other objects' text)
            h.update(self.text(doc.xref_object(xref, compressed=True).encode("latin-1", "replace")))
            self.open.discard(xref)
            self.done[xref] = h.digest()
            return self.done[xref]
        keys = doc.xref_get_keys(xref)
        body = None
        if doc.xref_is_stream(xref):
            raw = doc.xref_stream_raw(xref) or b""
            body = _plain(raw, doc.xref_get_key(xref, "Filter"), doc.xref_get_key(xref, "DecodeParms"))
            h.update(b"stream\0" if body is not None else b"stored\0")
        skip = {"Parent", "Length", "StructParent", "StructParents"}
        if body is not None:
            skip |= {"Filter", "DecodeParms"}
        if keys:
            for key in sorted(keys):
                if key in skip:
                    continue
                kind, value = doc.xref_get_key(xref, key)
                if kind == "null":  # an entry whose value is null is no entry (PDF 7.3.7)
                    continue
                h.update(b"\0/" + key.encode("latin-1", "replace") + b"\0")
                h.update(self.text(f"{kind}:{value}".encode("latin-1", "replace")))
        else:
            h.update(self.text(doc.xref_object(xref, compressed=True).encode("latin-1", "replace")))
        if doc.xref_is_stream(xref):
            h.update(b"\0data\0")
            h.update(body if body is not None else raw)
        self.open.discard(xref)
        self.done[xref] = h.digest()
        return self.done[xref]


def _plain(raw: bytes, filt: tuple[str, str], parms: tuple[str, str]) -> bytes | None:
    """A stream's data when it has no filter or only /FlateDecode without parameters (decoded strictly), else None."""
    if parms[0] != "null" and parms[1].replace(" ", "") not in ("<<>>", "[<<>>]", "[]", "[null]"):
        return None
    if filt[0] == "null":
        return raw
    if filt[1].replace(" ", "") not in ("/FlateDecode", "[/FlateDecode]"):
        return None
    try:
        inflate = zlib.decompressobj()
        data = inflate.decompress(raw)
    except zlib.error:
        return None
    if not inflate.eof or inflate.unused_data.strip():
        return None
    return data


def reading_context(doc: pymupdf.Document, values: Sequence[tuple[str, str]], extractors: Sequence[str]) -> bytes:
    """What a page's readings depend on besides the page: the values, the readings, the document's layers."""
    h = hashlib.sha256(MEMO_VERSION)
    for pid, text in sorted(set(values)):
        h.update(b"\0v\0" + pid.encode("utf-8", "replace") + b"\0" + text.encode("utf-8", "replace"))
    h.update(b"\0x\0" + "\0".join(extractors).encode())
    kind, value = doc.xref_get_key(doc.pdf_catalog(), "OCProperties")
    h.update(b"\0oc\0" + _Strict(doc).text(f"{kind}:{value}".encode("latin-1", "replace")))
    return h.digest()


def new_digest(doc: pymupdf.Document) -> _Digest:
    """The digest of a document's objects that page_key uses (one per document opened: it remembers)."""
    return _Strict(doc)


def page_key(digest: _Digest, doc: pymupdf.Document, pno: int, context: bytes) -> str | None:
    """The page's key (module docstring), or None when the page cannot have one."""
    try:
        page = doc[pno]
        if page.first_widget is not None:
            return None
        h = hashlib.sha256(context)
        for key in sorted(doc.xref_get_keys(page.xref)):  # the page's own entries (its keys in any order)
            if key not in ("Parent", "StructParents", *_INHERITED):
                kind, value = doc.xref_get_key(page.xref, key)
                if kind == "null":  # an entry whose value is null is no entry (PDF 7.3.7)
                    continue
                h.update(b"\0/" + key.encode("latin-1", "replace") + b"\0")
                h.update(digest.text(f"{kind}:{value}".encode("latin-1", "replace")))
        for key in _INHERITED:
            h.update(b"\0" + key.encode() + b"\0" + digest.text(_inherited(doc, page.xref, key)))
        return h.hexdigest()
    except Exception:  # noqa: BLE001 - no key: the page is read
        return None


class PageMemo:
    """The keys of pages found clean, as empty files in a private folder shared by the workers of a bundle."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def clean(self, key: str | None) -> bool:
        return key is not None and self._path(key).is_file()

    def keep(self, key: str | None) -> None:
        if key is None:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(mode=0o700, exist_ok=True)
            part = path.with_name(f"{key}.{os.getpid()}.part")
            part.write_bytes(b"")
            os.replace(part, path)
        except OSError:  # a memo that cannot be written costs time only
            pass
