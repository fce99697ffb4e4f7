"""The building blocks every generator of fictional case files shares: a top-down A4 PDF writer, the pieces of
a DOCX with tracked changes, and ZIP files with fixed timestamps (the same content gives the same bytes).

Used by the example case (casewriter.fernwick) and by benchmarks/heldout/make_cases.py; their layouts differ
(margins, fonts, tables), their mechanics are these.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from typing import Any

import pymupdf

A4 = (595.0, 842.0)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of at most `width` points; a line break in text always breaks."""
    lines: list[str] = []
    for forced in text.split("\n"):
        cur = ""
        for word in forced.split():
            trial = f"{cur} {word}" if cur else word
            if cur and pymupdf.get_text_length(trial, fontname=font, fontsize=size) > width:
                lines.append(cur)
                cur = word
            else:
                cur = trial
        lines.append(cur)
    return lines


class PdfWriter:
    """An A4 PDF written from the top down between `top` and `bottom`, a new page when a line would not fit."""

    def __init__(self, margin: float, top: float, bottom: float) -> None:
        self.margin, self.top, self.bottom = margin, top, bottom
        self.doc = pymupdf.open()
        self.page: Any = None
        self.y = top
        self.width = A4[0] - 2 * margin
        self.new_page()

    def new_page(self) -> None:
        self.page = self.doc.new_page(width=A4[0], height=A4[1])
        self.y = self.top

    def ensure(self, h: float) -> None:
        if self.y + h > self.bottom:
            self.new_page()

    def lines(self, text: str, *, x: float, width: float, font: str, size: float, gap: float) -> None:
        """A paragraph: wrapped lines at x, 1.35 times the font size apart, then `gap` points."""
        lead = size * 1.35
        for line in wrap(text, font, size, width):
            self.ensure(lead)
            self.y += lead
            self.page.insert_text((x, self.y), line, fontname=font, fontsize=size)
        self.y += gap

    def grid(
        self,
        rows: list[list[str]],
        widths: list[float],
        font_of: Callable[[int, int], str],
        *,
        size: float,
        lead: float,
        colour: tuple[float, float, float],
        pad: float = 4.0,
    ) -> None:
        """A ruled table: widths are fractions of the text width; font_of(row, column) names each cell's font."""
        xs = [self.margin]
        for w in widths:
            xs.append(xs[-1] + w * self.width)
        for r, row in enumerate(rows):
            cells = [wrap(c, font_of(r, i), size, xs[i + 1] - xs[i] - 2 * pad) for i, c in enumerate(row)]
            h = max(len(c) for c in cells) * lead + 2 * pad
            self.ensure(h)
            for i, lines in enumerate(cells):
                self.page.draw_rect(pymupdf.Rect(xs[i], self.y, xs[i + 1], self.y + h), color=colour, width=0.5)
                for k, line in enumerate(lines):
                    self.page.insert_text(
                        (xs[i] + pad, self.y + pad + (k + 1) * lead - 3), line, fontname=font_of(r, i), fontsize=size
                    )
            self.y += h
        self.y += 10

    def finish(
        self,
        header: str,
        footer: str,
        metadata: Mapping[str, str],
        *,
        header_colour: tuple[float, float, float],
        footer_y: float,
        footer_size: float,
    ) -> bytes:
        """Every page's header and footer ("{page}" and "{pages}" filled in), the metadata, the bytes."""
        n = len(self.doc)
        for i, page in enumerate(self.doc):
            page.insert_text((self.margin, 40), header, fontname="hebo", fontsize=8, color=header_colour)
            page.insert_text(
                (self.margin, footer_y), footer.format(page=i + 1, pages=n), fontname="helv", fontsize=footer_size
            )
        self.doc.set_metadata(dict(metadata))
        data = self.doc.tobytes(garbage=3, deflate=True, no_new_id=True)
        self.doc.close()
        return data


def docx_element(tag: str, **attrs: str) -> Any:
    """A WordprocessingML element (w:...) with its attributes."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(k), v)
    return el


def tracked(kind: str, text: str, author: str, date: str, rid: int) -> Any:
    """A w:ins (visible) or w:del (deleted) element holding one run of text."""
    wrapper = docx_element(
        "w:ins" if kind == "ins" else "w:del", **{"w:id": str(rid), "w:author": author, "w:date": date}
    )
    run = docx_element("w:r")
    t = docx_element("w:t" if kind == "ins" else "w:delText")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    run.append(t)
    wrapper.append(run)
    return wrapper


def fixed_zip(data: bytes) -> bytes:
    """Rewrite a ZIP with fixed timestamps so the same content gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
