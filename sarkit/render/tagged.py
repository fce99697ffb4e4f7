"""The structure tree of records.pdf beyond its own pages: the pages of the records as figures, their notes
as paragraphs, and everything sarkit prints around them (page numbers) as artifacts.

WeasyPrint writes records.pdf's own pages (front.py) as tagged PDF: headings, paragraphs, lists, tables
and links in a structure tree. The pages of the records are added to that file by PyMuPDF, which writes
no structure, so this module marks their content by hand: each added content stream is wrapped in a
marked-content sequence (`/Figure <</MCID 0>> BDC ... EMC`), and a structure element that points to it
is added to the tree (a Figure with alternative text, a P for the "Words on this page" notes), in reading
order before the own-account section. Page numbers are wrapped as pagination artifacts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pymupdf

ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"


def contents(page: pymupdf.Page) -> list[int]:
    return list(page.get_contents())


def wrap(doc: pymupdf.Document, xrefs: Sequence[int], start: bytes, end: bytes = b"\nEMC\n") -> None:
    """Put content streams inside one marked-content sequence (each stream opens and closes it)."""
    for xref in xrefs:
        doc.update_stream(xref, start + doc.xref_stream(xref) + end)


def as_artifact(doc: pymupdf.Document, xrefs: Sequence[int]) -> None:
    wrap(doc, xrefs, ARTIFACT)


def _refs(value: str) -> list[int]:
    return [int(x) for x in re.findall(r"(\d+) 0 R", value)]


def _keys(nums: str) -> list[int]:
    """The keys of a number tree's /Nums array: [key value key value ...], a value an array or a reference."""
    tokens = re.findall(r"\[|\]|\d+ \d+ R|\d+", nums)
    keys, depth, expect_key = [], 0, True
    for tok in tokens:
        if tok == "[":
            depth += 1
            if depth == 2:
                expect_key = True  # the array is the value: the next token at depth 1 is a key
            continue
        if tok == "]":
            depth -= 1
            continue
        if depth == 1:
            if expect_key and " " not in tok:
                keys.append(int(tok))
                expect_key = False
            else:
                expect_key = True
    return keys


def _text(value: str) -> str:
    return pymupdf.get_pdf_str(value)


class Tree:
    """The structure tree WeasyPrint wrote, for adding elements to it. before: the page (xref) whose content
    the new sections come before in reading order (the own-account page); None: at the end."""

    def __init__(self, doc: pymupdf.Document, before: int | None = None):
        self.doc = doc
        kind, value = doc.xref_get_key(doc.pdf_catalog(), "StructTreeRoot")
        if kind != "xref":
            raise ValueError("the PDF has no structure tree")
        self.root = _refs(value)[0]
        self.parent_tree = _refs(doc.xref_get_key(self.root, "ParentTree")[1])[0]
        self.top = _refs(doc.xref_get_key(self.root, "K")[1])[0]  # the Document element
        self.next_key = max(_keys(doc.xref_get_key(self.parent_tree, "Nums")[1]), default=-1) + 1
        self._nums: list[str] = []
        kids = _refs(doc.xref_get_key(self.top, "K")[1])
        self._at = next((i for i, k in enumerate(kids) if before is not None and self._page(k) == before), len(kids))

    def _page(self, elem: int, depth: int = 0) -> int | None:
        """The page (xref) an element's content starts on: its /Pg, or its first child's."""
        kind, value = self.doc.xref_get_key(elem, "Pg")
        if kind == "xref":
            return _refs(value)[0]
        if depth > 50:
            return None
        for kid in _refs(self.doc.xref_get_key(elem, "K")[1]):
            if self.doc.xref_get_key(kid, "S")[0] != "null":
                got = self._page(kid, depth + 1)
                if got is not None:
                    return got
        return None

    def _new(self, body: str) -> int:
        xref = self.doc.get_new_xref()
        self.doc.update_object(xref, body)
        return xref

    def section(self, title: str) -> int:
        """A new Sect in the Document element, after those already added, before the page `before`'s."""
        sect = self._new(f"<< /Type /StructElem /S /Sect /T {_text(title)} /P {self.top} 0 R /K [] >>")
        kids = _refs(self.doc.xref_get_key(self.top, "K")[1])
        kids.insert(self._at, sect)
        self._at += 1
        self.doc.xref_set_key(self.top, "K", "[" + " ".join(f"{k} 0 R" for k in kids) + "]")
        return sect

    def page(self, sect: int, page: pymupdf.Page, alt: str, notes: bool) -> None:
        """Tag one page of a record: MCID 0 is its picture (a Figure with alt), MCID 1 its notes (a P)."""
        elems = [
            self._new(f"<< /Type /StructElem /S /Figure /P {sect} 0 R /Pg {page.xref} 0 R /K 0 /Alt {_text(alt)} >>")
        ]
        if notes:
            elems.append(self._new(f"<< /Type /StructElem /S /P /P {sect} 0 R /Pg {page.xref} 0 R /K 1 >>"))
        kids = _refs(self.doc.xref_get_key(sect, "K")[1]) + elems
        self.doc.xref_set_key(sect, "K", "[" + " ".join(f"{k} 0 R" for k in kids) + "]")
        key = self.next_key
        self.next_key += 1
        self.doc.xref_set_key(page.xref, "StructParents", str(key))
        self.doc.xref_set_key(page.xref, "Tabs", "/S")
        self._nums.append(f"{key} [" + " ".join(f"{e} 0 R" for e in elems) + "]")

    def close(self) -> None:
        """Write the new pages' entries into the parent tree."""
        if not self._nums:
            return
        nums = self.doc.xref_get_key(self.parent_tree, "Nums")[1].strip()
        body = nums[1:-1] if nums.startswith("[") else nums
        self.doc.xref_set_key(self.parent_tree, "Nums", "[" + body + " " + " ".join(self._nums) + "]")
        self.doc.xref_set_key(self.root, "ParentTreeNextKey", str(self.next_key))
        self._nums = []
