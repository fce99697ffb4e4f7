"""Pages that show another page, and what a page draws, as a digest: so verify OCRs each drawing once.

records.pdf shows every page of the bundle's documents on a sheet of its own (sarkit.render.records: the page
as a form XObject, the way PyMuPDF's show_pdf_page draws one page on another, with a band and notes around
it). OCR of the whole sheet reads the same drawing as the document's page a second time, at another scale,
and again whenever the band changes (the sheets are renumbered when pages are withheld).

Verify still reads every pixel, and trusts nothing the renderer says:

- ``shown_pages``: a page that draws a form XObject which only draws another form (a page shown on the sheet)
  is read in parts: each shown page as a page of its own (its drawing at its own size, nothing else), and the
  sheet with those forms emptied (the band, the notes, anything else on it). Each part is tested and OCRed
  as a page is (sarkit.verify.readings.ocr_reason): together they show everything the sheet shows.
- ``drawing_key``: a digest of everything a page (or a shown page) draws: its content stream, and every
  object it uses, followed through references, by value (streams decoded), with its box. Two drawings with
  the same digest render the same pixels at the same resolution, so what Tesseract read on one is what it
  reads on the other (check.py keeps the OCR by this key as well as by the exact image). A page with
  annotations, a rotation, a crop box or optional content has no key: its pixels depend on more than
  its drawing, and it is read by its image as before.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

import pymupdf

_REF = re.compile(rb"(\d+) 0 R")
_SKIP_KEYS = re.compile(rb"/(Parent|Length|StructParents?|StructParent)\s+(\d+ 0 R|\d+)")
_DO = re.compile(rb"^\s*/([^\s/\[\]()<>{}%]+)\s+Do\s*$")


class _Digest:
    """Digests of a document's objects by value (memoised; a cycle is cut where it closes)."""

    def __init__(self, doc: pymupdf.Document):
        self.doc = doc
        self.done: dict[int, bytes] = {}
        self.open: set[int] = set()

    def text(self, obj: bytes) -> bytes:
        """An object's text with every reference replaced by the digest of what it refers to."""
        obj = _SKIP_KEYS.sub(b"", obj)
        return _REF.sub(lambda m: b"<" + self.xref(int(m.group(1))).hex().encode() + b">", obj)

    def xref(self, xref: int) -> bytes:
        if xref in self.done:
            return self.done[xref]
        if xref in self.open or not 0 < xref < self.doc.xref_length():
            return b"cycle"
        self.open.add(xref)
        h = hashlib.sha256()
        h.update(self.text(self.doc.xref_object(xref, compressed=True).encode("latin-1", "replace")))
        if self.doc.xref_is_stream(xref):
            h.update(b"\0stream\0")
            h.update(self.doc.xref_stream(xref) or b"")
        self.open.discard(xref)
        self.done[xref] = h.digest()
        return self.done[xref]


def _key_value(doc: pymupdf.Document, xref: int, key: str) -> bytes:
    kind, value = doc.xref_get_key(xref, key)
    return f"{kind}:{value}".encode("latin-1", "replace")


def _box(value: bytes) -> tuple[float, ...] | None:
    try:
        nums = tuple(round(float(v), 3) for v in value.split(b":", 1)[1].strip(b"[] ").split())
    except ValueError:
        return None
    return nums if len(nums) == 4 else None


def drawing_key(doc: pymupdf.Document, page: pymupdf.Page) -> str | None:
    """The digest of what a page draws (module docstring), or None when its pixels depend on more than that."""
    try:
        if page.rotation or page.first_annot is not None or page.first_widget is not None:
            return None
        if doc.get_ocgs() or page.cropbox != page.mediabox:
            return None
        box = _box(_key_value(doc, page.xref, "MediaBox"))
        if box is None:
            return None
        resources = _inherited(doc, page.xref, "Resources")
        return _key(_Digest(doc), page.read_contents(), resources, box)
    except Exception:  # noqa: BLE001 - no key: the page is read by its image
        return None


def _inherited(doc: pymupdf.Document, xref: int, key: str) -> bytes:
    seen = set()
    while xref and xref not in seen:
        seen.add(xref)
        kind, value = doc.xref_get_key(xref, key)
        if kind != "null":
            return f"{kind}:{value}".encode("latin-1", "replace")
        kind, value = doc.xref_get_key(xref, "Parent")
        xref = int(value.split()[0]) if kind == "xref" else 0
    return b"null:null"


def _key(digest: _Digest, contents: bytes, resources: bytes, box: tuple[float, ...]) -> str:
    h = hashlib.sha256(b"sarkit-drawing-1\0")
    h.update(repr(box).encode())
    h.update(b"\0")
    h.update(digest.text(resources))
    h.update(b"\0")
    h.update(contents)
    return h.hexdigest()


def _form_key(digest: _Digest, doc: pymupdf.Document, xref: int) -> tuple[str, tuple[float, ...]] | None:
    """A form XObject as a page: its digest (as drawing_key gives for a page that draws the same), and its box."""
    box = _box(_key_value(doc, xref, "BBox"))
    kind, matrix = doc.xref_get_key(xref, "Matrix")
    if box is None or (kind != "null" and [float(v) for v in matrix.strip("[] ").split()] != [1, 0, 0, 1, 0, 0]):
        return None
    resources = _key_value(doc, xref, "Resources")
    return _key(digest, doc.xref_stream(xref) or b"", resources, box), box


def _shown_forms(doc: pymupdf.Document, page: pymupdf.Page) -> list[tuple[int, int]]:
    """(wrapper form, shown form) for every form the page draws that only draws another form (a page shown)."""
    out = []
    for xref, name, invoker, _bbox in page.get_xobjects():
        if invoker != 0 or doc.xref_get_key(xref, "Subtype")[1] != "/Form":
            continue
        m = _DO.match(doc.xref_stream(xref) or b"")
        if not m:
            continue
        kind, inner = doc.xref_get_key(xref, f"Resources/XObject/{m.group(1).decode('latin-1')}")
        if kind != "xref":
            continue
        shown = int(inner.split()[0])
        if doc.xref_get_key(shown, "Subtype")[1] == "/Form":
            out.append((xref, shown))
    return out


def _single_page(doc: pymupdf.Document, pno: int) -> pymupdf.Document:
    out = pymupdf.open()
    out.insert_pdf(doc, from_page=pno, to_page=pno, links=False, annots=False, widgets=False)
    return out


def shown_pages(doc: pymupdf.Document, pno: int) -> Iterator[tuple[pymupdf.Page, str | None]] | None:
    """None for a page that shows no other page; else its parts (module docstring): each shown page as a page of
    its own, with its drawing key, then the rest of the sheet (no key: read by its image). Each part is a page
    of a small in-memory document, valid while the iteration is at it."""
    page = doc[pno]
    try:
        forms = _shown_forms(doc, page)
    except Exception:  # noqa: BLE001 - read whole, as any page
        return None
    if not forms:
        return None
    return _parts(doc, pno, forms)


def _parts(doc: pymupdf.Document, pno: int, forms: list[tuple[int, int]]) -> Iterator[tuple[pymupdf.Page, str | None]]:
    digest = _Digest(doc)
    for _wrapper, shown in forms:
        keyed = _form_key(digest, doc, shown)
        box = keyed[1] if keyed else _box(_key_value(doc, shown, "BBox"))
        if box is None:
            box = tuple(doc[pno].mediabox)
        with _single_page(doc, pno) as one:
            sheet = one[0]
            # the copy's own objects: find the shown form again by the name the sheet draws it under
            copied = dict(_copied_forms(one, sheet))
            inner = copied.get(_name_of(doc, doc[pno], _wrapper))
            if inner is None:
                raise ValueError("the shown page was not copied")
            one.xref_set_key(sheet.xref, "MediaBox", f"[{' '.join(f'{v:g}' for v in box)}]")
            for k in ("CropBox", "TrimBox", "BleedBox", "ArtBox", "Rotate"):
                one.xref_set_key(sheet.xref, k, "null")
            one.xref_set_key(sheet.xref, "Resources", f"<</XObject<</Shown {inner} 0 R>>>>")
            contents = one.get_new_xref()
            one.update_object(contents, "<<>>")
            one.update_stream(contents, b"/Shown Do")
            one.xref_set_key(sheet.xref, "Contents", f"{contents} 0 R")
            one.xref_set_key(inner, "Matrix", "[1 0 0 1 0 0]")
            yield one[0], keyed[0] if keyed else None
    with _single_page(doc, pno) as rest:
        sheet = rest[0]
        for wrapper_name, _inner in _copied_forms(rest, sheet):
            for xref, name, invoker, _b in sheet.get_xobjects():
                if name == wrapper_name and invoker == 0:
                    rest.update_stream(xref, b"")
        yield rest[0], None


def _name_of(doc: pymupdf.Document, page: pymupdf.Page, xref: int) -> str:
    return next(name for x, name, invoker, _b in page.get_xobjects() if x == xref and invoker == 0)


def _copied_forms(doc: pymupdf.Document, page: pymupdf.Page) -> list[tuple[str, int]]:
    """(name the page draws the wrapper under, xref of the form it shows) in a copied page."""
    out = []
    for wrapper, shown in _shown_forms(doc, page):
        out.append((_name_of(doc, page, wrapper), shown))
    return out
