"""Which pages show text no extractor can map, and where: the OCR test of ingest and verify.

A PDF's text extractors read the characters its fonts map to Unicode. A reader sees more: letters in images,
letters drawn as vector outlines, glyphs whose mapping is missing or lies. Verify OCRs a page (the
"ocr-unmapped" reading, on by default) and ingest reads it by OCR (so detection proposes what a reader sees)
when this test flags it. A page is flagged (`ocr_reason`, in this order) when

1. an image covers half of it or more ("scan"), or any image covers at least IMAGE_MIN of it ("image": a
   signature, a screenshot, a photographed note, a logo on a text page), or
2. its text uses a Type3 font (glyphs are drawings: their mapping says nothing), or a font with no ToUnicode
   map whose encoding is Identity or custom (glyph ids, not letters) - a font its resources list but its text
   does not use (one resource dictionary shared by all the pages of a merged file) does not count - or
   extracted characters are U+FFFD or private-use (no Unicode) ("unmapped-font", "unmapped-glyphs"), or
3. a font's text mapping contradicts its own glyphs: MISMAPPED_MIN or more letters the extractors read as
   other letters than the font program draws (sarkit.glyphs: a ToUnicode map that turns "Lewis" into
   "Yrjvf") ("remapped-font"), or UNCONFIRMED_MIN or more letters are shown in fonts that have nothing to
   confirm their mapping by (a Type3 font, a program without a character map of its own) and OCR of the words
   they are in did not read them as mapped (sarkit.glyphs.unconfirmed_letters: once per glyph per file)
   ("unconfirmed-font"), or
4. rendered ink lies outside everything the extractor maps ("ink"): the page is rendered in grey at INK_DPI,
   the boxes of every visible extracted character run (invisible text - render mode 3 or transparent - hides
   nothing) and of every drawing that cannot be a letter (rectangles: boxes, rules, redaction boxes; stroked
   straight lines: table borders, underlines; the outline of a rounded frame) are blanked, and INK_MIN or
   more dark pixels (< INK_LEVEL) remain: text drawn as vector outlines (curves or filled polygons), a
   shading, anything else that shows shapes no extractor reads. A page whose drawings are all of the
   first kind and that has no shading is not rendered: nothing on it can be ink outside the text.

Where (`unmapped_regions`, for reasons "scan", "image" and "ink" on a page ingest does not OCR whole): the box
of every image of IMAGE_MIN of the page or more, and the box of every cluster of the ink of step 4 (ink pixels
within INK_GAP pixels of each other, INK_REGION_MIN pixels or more). Ingest OCRs those regions only, with the
page's visible text blanked (sarkit.ingest.pdf.region_words), and adds the words read to the page's words.
"""

from __future__ import annotations

import pymupdf

from .glyphs import MISMAPPED_MIN, UNCONFIRMED_MIN, mismapped_letters, unconfirmed_letters, unmapped_fonts_used

IMAGE_MIN = 0.002  # share of the page an image must cover to be read by OCR on a text page
INK_DPI = 40
INK_LEVEL = 200  # grey level below which a pixel is ink
INK_MIN = 24  # dark pixels outside mapped text and straight-edged drawings that make a page need OCR
INK_GAP = 4  # pixels at INK_DPI (7 points): ink this close is one region (the letters of a line of words)
INK_REGION_MIN = 6  # ink pixels a region needs (a speck holds no word)
PARTIAL = ("scan", "image", "ink")  # reasons for which ingest reads the regions (unmapped_regions) by OCR


def ocr_reason(page: pymupdf.Page) -> str | None:
    """Why this page must be read by OCR, or None (module docstring: the test, in order)."""
    area = abs(page.rect) or 1.0
    largest = max((abs(pymupdf.Rect(i["bbox"]) & page.rect) for i in page.get_image_info()), default=0.0)
    if largest >= 0.5 * area:
        return "scan"
    if largest >= IMAGE_MIN * area:
        return "image"
    try:
        trace = page.get_texttrace()
    except Exception:  # noqa: BLE001 - a page MuPDF cannot trace shows something no extractor reads
        return "unmapped-glyphs"
    if unmapped_fonts_used(page, trace=trace):
        return "unmapped-font"
    for span in trace:
        if any(c[0] == 0xFFFD or 0xE000 <= c[0] <= 0xF8FF for c in span.get("chars", ())):
            return "unmapped-glyphs"
    if trace and mismapped_letters(page, trace=trace) >= MISMAPPED_MIN:
        return "remapped-font"
    if trace and unconfirmed_letters(page, trace=trace) >= UNCONFIRMED_MIN:
        return "unconfirmed-font"
    if _ink_outside(page, trace) >= INK_MIN:
        return "ink"
    return None


def visible(span: dict) -> bool:
    """A span of the text trace a reader can see: not render mode 3, not transparent."""
    return span.get("type") != 3 and (span.get("opacity", 1) or 0) > 0


def text_boxes(trace: list) -> list[pymupdf.Rect]:
    """The boxes of the visible characters of a text trace, one per run on one baseline (_runs)."""
    out: list[pymupdf.Rect] = []
    for span in trace:
        if visible(span):
            out += [pymupdf.Rect(b) for b in _runs(span.get("chars", ()), float(span.get("size", 0) or 0))]
    return out


def _runs(chars: tuple, size: float) -> list[tuple[float, float, float, float]]:
    """The boxes of a traced span's visible characters, one per run on one baseline (a span of the trace may
    cover many lines: its own box would blank the space between them)."""
    out: list[tuple[float, float, float, float]] = []
    x0 = y0 = x1 = y1 = lx = ly = 0.0
    started = False
    gap = 3 * size + 1
    for c in chars:
        if c[0] < 0 or chr(c[0]).isspace():
            continue
        (ox, oy), (a, b, cc, d) = c[2], c[3]
        if started and abs(oy - ly) < 0.5 and 0 <= ox - lx <= gap:
            x0, y0, x1, y1 = min(x0, a), min(y0, b), max(x1, cc), max(y1, d)
        else:
            if started:
                out.append((x0, y0, x1, y1))
            x0, y0, x1, y1, started = a, b, cc, d, True
        lx, ly = ox, oy
    if started:
        out.append((x0, y0, x1, y1))
    return out


def _blankable(d: dict) -> bool:
    """A drawing that cannot be a letter: rectangles (boxes, rules, redaction boxes) and stroked straight
    lines (table borders, underlines). A filled polygon or anything with curves may be a glyph's outline."""
    items = d.get("items", ())
    if all(item[0] in ("re", "qu") for item in items):
        return True
    return d.get("type") == "s" and all(item[0] == "l" for item in items)


def _rounded_frame(d: dict) -> bool:
    """A rounded rectangle (a box around a listing, a callout): horizontal and vertical lines joined by four
    curved corners, each corner small beside the box. Only its outline is blanked (`_frame_parts`), never what
    it encloses: a box around a name drawn as outlines still leaves the name's ink."""
    items = d.get("items", ())
    kinds = [item[0] for item in items]
    if kinds.count("c") != 4 or any(k not in ("l", "c") for k in kinds) or len(kinds) > 9:
        return False
    box = pymupdf.Rect(d["rect"])
    small = max(2.0, 0.25 * min(box.width, box.height))
    for item in items:
        if item[0] == "l":
            a, b = item[1], item[2]
            if abs(a.x - b.x) > 0.5 and abs(a.y - b.y) > 0.5:  # not horizontal or vertical
                return False
        else:
            corner = pymupdf.Rect(item[1], item[1]) | item[2] | item[3] | item[4]
            if corner.width > small or corner.height > small:
                return False
    return True


def _frame_parts(d: dict) -> list[pymupdf.Rect]:
    """The outline of a rounded frame: a strip as wide as its line along each side, and its four corners."""
    box = pymupdf.Rect(d["rect"])
    line = float(d.get("width") or 1.0) / 2 + 0.5
    corners = [pymupdf.Rect(item[1], item[1]) | item[4] for item in d["items"] if item[0] == "c"]
    return [
        pymupdf.Rect(box.x0 - line, box.y0 - line, box.x1 + line, box.y0 + line),
        pymupdf.Rect(box.x0 - line, box.y1 - line, box.x1 + line, box.y1 + line),
        pymupdf.Rect(box.x0 - line, box.y0 - line, box.x0 + line, box.y1 + line),
        pymupdf.Rect(box.x1 - line, box.y0 - line, box.x1 + line, box.y1 + line),
        *(pymupdf.Rect(c.x0 - line, c.y0 - line, c.x1 + line, c.y1 + line) for c in corners),
    ]


def _ink_mask(page: pymupdf.Page, trace: list) -> tuple[bytearray, int, int, pymupdf.Matrix] | None:
    """The page rendered in grey at INK_DPI with the visible text and the drawings that cannot be letters
    blanked white (bytes, width, height, page -> pixel matrix); None when every drawing is such and nothing is
    shaded (nothing can be ink outside the text, no rendering needed)."""
    drawings = page.get_drawings()
    blank: list[pymupdf.Rect] = []
    others = False
    for d in drawings:
        if _blankable(d):
            blank.append(pymupdf.Rect(d["rect"]))
        elif _rounded_frame(d):
            blank.extend(_frame_parts(d))
        else:
            others = True
    if not others and not any(kind == "fill-shade" for kind, _ in page.get_bboxlog()):
        return None
    blank += text_boxes(trace)
    scale = INK_DPI / 72
    pix = page.get_pixmap(dpi=INK_DPI, colorspace=pymupdf.csGRAY, alpha=False)
    w, h = pix.width, pix.height
    buf = bytearray(pix.samples)
    if pix.stride != w:
        buf = bytearray(b"".join(bytes(buf[y * pix.stride : y * pix.stride + w]) for y in range(h)))
    # boxes are in unrotated page space for get_text/get_drawings; the pixmap is of the rotated page
    mat = page.rotation_matrix * pymupdf.Matrix(scale, scale)
    white = b"\xff" * w
    for r in blank:
        rr = (r * mat) if page.rotation else pymupdf.Rect(r.x0 * scale, r.y0 * scale, r.x1 * scale, r.y1 * scale)
        x0, y0 = max(0, int(rr.x0) - 1), max(0, int(rr.y0) - 1)
        x1, y1 = min(w, int(rr.x1) + 2), min(h, int(rr.y1) + 2)
        if x1 <= x0 or y1 <= y0:
            continue
        for y in range(y0, y1):
            buf[y * w + x0 : y * w + x1] = white[: x1 - x0]
    return buf, w, h, mat


def _ink_outside(page: pymupdf.Page, trace: list) -> int:
    """Dark pixels of the page rendered at INK_DPI outside the visible extracted characters and the drawings
    that cannot be letters; 0 without rendering when every drawing is such and nothing is shaded."""
    mask = _ink_mask(page, trace)
    return 0 if mask is None else mask[0].translate(_INK_TABLE).count(1)


_INK_TABLE = bytes(1 if i < INK_LEVEL else 0 for i in range(256))


def _ink_clusters(buf: bytearray, w: int, h: int) -> list[tuple[int, int, int, int]]:
    """Boxes (pixels, x0 y0 x1 y1 exclusive) of the clusters of ink pixels of a blanked mask: cells of INK_GAP
    pixels that hold ink, joined to their eight neighbours; clusters of INK_REGION_MIN pixels or more."""
    cells: dict[tuple[int, int], int] = {}
    ink = buf.translate(_INK_TABLE)
    for y in range(h):
        row = ink[y * w : (y + 1) * w]
        x = row.find(1)
        while x >= 0:
            key = (x // INK_GAP, y // INK_GAP)
            cells[key] = cells.get(key, 0) + 1
            x = row.find(1, x + 1)
    out = []
    seen: set[tuple[int, int]] = set()
    for start in cells:
        if start in seen:
            continue
        seen.add(start)
        todo, group = [start], []
        while todo:
            c = todo.pop()
            group.append(c)
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    nb = (c[0] + dx, c[1] + dy)
                    if nb in cells and nb not in seen:
                        seen.add(nb)
                        todo.append(nb)
        if sum(cells[c] for c in group) < INK_REGION_MIN:
            continue
        xs, ys = [c[0] for c in group], [c[1] for c in group]
        out.append((min(xs) * INK_GAP, min(ys) * INK_GAP, (max(xs) + 1) * INK_GAP, (max(ys) + 1) * INK_GAP))
    return out


def unmapped_regions(page: pymupdf.Page) -> list[pymupdf.Rect]:
    """Where the page shows what no extractor maps (module docstring), in unrotated page coordinates (those of
    its words): the boxes of its images of IMAGE_MIN of the page or more, and of its clusters of ink outside
    the visible text."""
    area = abs(page.rect) or 1.0
    bounds = page.rect * page.derotation_matrix if page.rotation else page.rect
    bounds.normalize()
    out = []
    for info in page.get_image_info():
        box = pymupdf.Rect(info["bbox"]) & bounds
        if not box.is_empty and abs(box) >= IMAGE_MIN * area:
            out.append(box)
    try:
        trace = page.get_texttrace()
    except Exception:  # noqa: BLE001 - a page MuPDF cannot trace: the images only
        return out
    mask = _ink_mask(page, trace)
    if mask is None:
        return out
    buf, w, h, mat = mask
    inv = ~mat
    for x0, y0, x1, y1 in _ink_clusters(buf, w, h):
        box = pymupdf.Rect(x0, y0, x1, y1) * inv
        box.normalize()
        box = (box + (-2, -2, 2, 2)) & bounds
        if not box.is_empty and not any(box in r for r in out):
            out.append(box)
    return out
