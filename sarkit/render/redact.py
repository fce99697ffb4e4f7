"""True removal of redacted areas from a PDF, and sanitising of everything else a PDF can carry.

The spans to remove come from word boxes (sarkit.text.PageText), never from a text search. For each
page every redaction annotation is added first and applied once; then the whole file is sanitised
(metadata, XMP, annotations, links, forms, attachments, JavaScript, outline, thumbnails, hidden
layers, structure tree) and written atomically.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pymupdf

from ..errors import DocumentError
from ..models import Redaction, Word
from ..text import word_box
from .ocr_layer import OcrUnavailable, OcrWord, is_scan, ocr_words, strip_text, write_layer
from .paper import MIN_LABEL, label_floor
from .scrub import hidden_content_areas, remove_invisible_text, rename_resources, scrub_objects
from .sweep import Sweep

Rect = tuple[float, float, float, float]

FILL = (0.82, 0.82, 0.82)  # pale grey box
LABEL_COLOUR = (0.25, 0.25, 0.25)  # dark grey reason code
LABEL_FONT = "helv"
LABEL_MAX_SIZE = 8.0
CAP = 0.72  # the height of a capital letter as a share of the font size (the codes are capitals)
# shares of a word box's height above and below its letters' ink (the box runs from the font's ascender to its
# descender; capitals and ascenders stop about a quarter below its top), for keeping a tab clear of words
INK_TOP = 0.18
INK_BOTTOM = 0.04
TAB_SHIFTS = (0.0, 1.0, 2.0)  # points a tab may stand off its box to clear a neighbour's letters
LANG = "en-GB"
PRODUCER = "sarkit"

# catalog keys that can carry names, code or hidden content; none of them is needed by a redacted copy
_CATALOG_KEYS = (
    "Names",
    "Dests",
    "OpenAction",
    "AA",
    "Outlines",
    "AcroForm",
    "OCProperties",
    "Metadata",
    "StructTreeRoot",
    "MarkInfo",
    "PieceInfo",
    "Threads",
    "URI",
    "SpiderInfo",
    "Perms",
    "Collection",
    "Legal",
    "Requirements",
    "AF",
    "PageMode",
    "PageLabels",
    "OutputIntents",
)
# page keys with the same risk
_PAGE_KEYS = ("Annots", "Thumb", "AA", "PieceInfo", "B", "Metadata", "AF", "StructParents", "Tabs", "OutputIntents")


def _swept(page: pymupdf.Page, sweep: Sweep, planned: Sequence[Rect]) -> list[tuple[pymupdf.Rect, str]]:
    """Boxes for occurrences of the sweep's values that no planned box covers (one box per word)."""
    words = [Word(t, x0, y0, x1, y1, b, ln) for x0, y0, x1, y1, t, b, ln, _ in page.get_text("words")]
    out = []
    for idx, code, _pid in sweep.find(words):
        for i in idx:
            box = word_box(words[i])
            cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            if not any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in planned):
                out.append((pymupdf.Rect(box) & _unrotated_rect(page), code))
    return [(r, c) for r, c in out if not r.is_empty]


def _swept_scan(
    words: Sequence[OcrWord], sweep: Sweep, planned: Sequence[Rect], bounds: pymupdf.Rect
) -> list[tuple[pymupdf.Rect, str]]:
    """Boxes for the occurrences of the sweep's values among the OCR words of a redacted scan that no box covers
    yet: the words a text page's sweep finds in its text (_swept), read on the pixels instead."""
    ws = [Word(t, x0, y0, x1, y1, 0, 0, True) for x0, y0, x1, y1, t in words]
    out: list[tuple[pymupdf.Rect, str]] = []
    for idx, code, _pid in sweep.find(ws):
        for i in idx:
            box = word_box(ws[i])
            cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            if not any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in planned):
                rect = _over_scan(pymupdf.Rect(box), True) & bounds
                if not rect.is_empty:
                    out.append((rect, code))
    return out


def _unrotated_rect(page: pymupdf.Page) -> pymupdf.Rect:
    """The page's area in unrotated coordinates (page.rect is the page as shown, turned by /Rotate)."""
    r = page.rect * page.derotation_matrix
    r.normalize()
    return r


# On a scan, a box drawn from OCR word boxes (tight to the ink, padded by text.PAD_Y) grows by this share of its
# height above and below: the anti-aliased edge of the ink goes too, and the lines above and below (about half a
# line height away) keep their words.
SCAN_GROW = 0.12


def _over_scan(rect: pymupdf.Rect, scan: bool) -> pymupdf.Rect:
    """On a scan, a box a little taller than its OCR word boxes, so the pixels of the whole word go too. (Words
    of a scanned page are OCR words or a trusted layer's, never trimmed like a text page's: text.word_box.)"""
    if not scan:
        return rect
    grow = rect.height * SCAN_GROW
    return pymupdf.Rect(rect.x0, rect.y0 - grow, rect.x1, rect.y1 + grow)


# ---------------------------------------------------------------- the label

_LABEL_FONT = pymupdf.Font(LABEL_FONT)


def _label_height(code: str) -> float:
    """The height of a label's ink per point of font size: capitals only need their cap height."""
    return CAP if code == code.upper() else 1.0


def label_size(code: str, rect: pymupdf.Rect, floor: float = MIN_LABEL) -> float:
    """A font size at which the reason code fits inside the box (0 when it does not fit at `floor` or more)."""
    if not code:
        return 0.0
    unit = _LABEL_FONT.text_length(code, fontsize=1.0) or 1.0
    size = min(LABEL_MAX_SIZE, (rect.width - 1.0) / unit, (rect.height - 0.6) / _label_height(code))
    return size if size >= floor else 0.0


def _tab(code: str, size: float) -> tuple[float, float]:
    """Width and height of the small pale tab that carries a label beside a box too small for it."""
    return _LABEL_FONT.text_length(code, fontsize=size) + 2.0, size * _label_height(code) + 2.0


def _tab_places(box: pymupdf.Rect, w: float, h: float) -> list[pymupdf.Rect]:
    """Where a tab may go, best first: above the box, below it, after it, before it; each touching the box
    or standing off it by up to two points."""
    cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    out = []
    for d in TAB_SHIFTS:
        for dx in (0.0, w / 2 - box.width / 2, box.width / 2 - w / 2):  # centred, then flush right, flush left
            out.append(pymupdf.Rect(cx - w / 2 + dx, box.y0 - h - d, cx + w / 2 + dx, box.y0 - d))
            out.append(pymupdf.Rect(cx - w / 2 + dx, box.y1 + d, cx + w / 2 + dx, box.y1 + h + d))
        out.append(pymupdf.Rect(box.x1 + d, cy - h / 2, box.x1 + w + d, cy + h / 2))
        out.append(pymupdf.Rect(box.x0 - w - d, cy - h / 2, box.x0 - d, cy + h / 2))
    return out


def _ink(word: Sequence[Any]) -> pymupdf.Rect:
    """Where a remaining word's letters are: its box without the empty strips above and below them."""
    x0, y0, x1, y1 = (float(v) for v in word[:4])
    return pymupdf.Rect(x0, y0 + INK_TOP * (y1 - y0), x1, y1 - INK_BOTTOM * (y1 - y0))


def _place_tabs(page: pymupdf.Page, boxes: list, floor: float) -> list[tuple[pymupdf.Rect, str, float]]:
    """Tabs for the boxes too small for their label at `floor` points: each goes beside its box where it
    covers no remaining word, no other box and no other tab, inside the page. A box with no such place keeps
    no label (records.html names the reason of every removed part)."""
    small = [(rect, code) for rect, code, size in boxes if code and not size]
    if not small:
        return []
    area = page.rect
    taken = [_ink(w) for w in page.get_text("words")] + [pymupdf.Rect(r) for r, _, _ in boxes]
    out = []
    for rect, code in small:
        w, h = _tab(code, floor)
        for place in _tab_places(pymupdf.Rect(rect), w, h):
            if place in area and not any(place.intersects(t) for t in taken):
                out.append((place, code, floor))
                taken.append(place)
                break
    return out


def _add_box(page: pymupdf.Page, rect: pymupdf.Rect, code: str) -> None:
    """A redaction annotation of rect on a turned page: MuPDF paints the pale box and prints the reason code
    when it is applied (on an unturned page, _remove and _paint do both, faster)."""
    size = label_size(code, rect, label_floor(page.rect.width, page.rect.height))
    if size:
        page.add_redact_annot(
            rect,
            text=code,
            fontname=LABEL_FONT,
            fontsize=size,
            align=pymupdf.TEXT_ALIGN_CENTER,
            fill=FILL,
            text_color=LABEL_COLOUR,
            cross_out=False,
        )
    else:
        page.add_redact_annot(rect, fill=FILL, cross_out=False)


_IMAGES = pymupdf.PDF_REDACT_IMAGE_PIXELS  # image pixels under a box are overwritten
_GRAPHICS = pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_COVERED  # line art wholly under a box goes
_TEXT = pymupdf.PDF_REDACT_TEXT_REMOVE  # text under a box goes


def _mupdf_page(page: pymupdf.Page) -> Any:
    """The page as MuPDF's own PDF page object, for _remove; None when this PyMuPDF does not offer it."""
    try:
        from pymupdf import mupdf

        return mupdf.pdf_page_from_fz_page(page.this)
    except Exception:  # noqa: BLE001 - another PyMuPDF build: the public calls are used instead
        return None


def _remove(page: pymupdf.Page, areas: Sequence[pymupdf.Rect]) -> None:
    """Remove for good what lies under each area of an unturned page, painting nothing.

    This is MuPDF's redaction (pdf_redact_page) with the options page.apply_redactions passes, driven
    directly: PyMuPDF's own calls spend more time on their Python bookkeeping of each annotation than
    MuPDF spends removing the content (a third of the time of a page of 30 boxes).
    """
    if not areas:
        return
    pp = _mupdf_page(page)
    if pp is None:
        for rect in areas:
            page.add_redact_annot(rect, fill=False, cross_out=False)
        page.apply_redactions(images=_IMAGES, graphics=_GRAPHICS, text=_TEXT)
        return
    from pymupdf import mupdf

    for r in areas:
        annot = mupdf.pdf_create_annot(pp, mupdf.PDF_ANNOT_REDACT)
        mupdf.pdf_set_annot_rect(annot, mupdf.FzRect(r[0], r[1], r[2], r[3]))
    opts = mupdf.PdfRedactOptions()
    opts.black_boxes = 0
    opts.image_method = _IMAGES
    opts.line_art = _GRAPHICS
    opts.text = _TEXT
    if not mupdf.pdf_redact_page(pp.doc(), pp, opts):
        raise RuntimeError("MuPDF could not apply the redactions")


# A path drawn under a box by this share of its own box or more, no taller than OUTLINE_HEIGHT times the box and no
# wider than the box and its height, is a letter drawn as an outline (sarkit.legible, step 4): it goes whole.
OUTLINE_SHARE = 0.5
OUTLINE_HEIGHT = 1.5


def _outlines(page: pymupdf.Page, boxes: Sequence[pymupdf.Rect]) -> list[pymupdf.Rect]:
    """The boxes of the paths that are letters drawn as outlines under the redaction boxes (OUTLINE_SHARE) but
    stick out of them: MuPDF removes a path only when a box covers it whole, so a letter whose edge passes its
    OCR word's box would stay. A table rule, a frame or a logo larger than the word is not such a path."""
    near = pymupdf.Rect(boxes[0])
    for box in boxes[1:]:
        near |= box
    paths = [pymupdf.Rect(b) for kind, b in page.get_bboxlog() if kind in ("fill-path", "stroke-path")]
    out = []
    for path in paths:
        if not path.intersects(near) or not abs(path):  # most paths of a page lie away from every box
            continue
        for box in boxes:
            if path in box or not path.intersects(box):
                continue
            if path.height > OUTLINE_HEIGHT * box.height or path.width > box.width + box.height:
                continue
            if abs(path & box) >= OUTLINE_SHARE * abs(path):
                out.append(path + (-0.5, -0.5, 0.5, 0.5))
                break
    return out


def _remove_outlines(page: pymupdf.Page, boxes: Sequence[pymupdf.Rect]) -> None:
    """Remove the paths of _outlines whole (nothing else: text and images under their boxes stay)."""
    extra = _outlines(page, boxes)
    if not extra:
        return
    for rect in extra:
        page.add_redact_annot(rect, fill=False, cross_out=False)
    page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=_GRAPHICS, text=pymupdf.PDF_REDACT_TEXT_NONE)


def _rgb(colour: tuple[float, float, float]) -> str:
    return " ".join(f"{c:g}" for c in colour)


def _paint(page: pymupdf.Page, boxes: list, floor: float = MIN_LABEL, tabs: bool = True) -> None:
    """Each box filled pale grey (one content stream of rectangles appended to the page), then its reason
    code centred in it in dark grey: drawn last, so nothing covers them. On a text page (tabs), a box too
    small for a label of `floor` points gets its label on a pale tab beside it (_place_tabs); a scan has no
    words to keep clear of at this point, so there such a box keeps no label."""
    if not boxes:
        return
    placed = _place_tabs(page, boxes, floor) if tabs else []
    if not page.is_wrapped:
        page.wrap_contents()  # the page's own content may leave the graphics state changed: isolate it
    to_pdf = ~page.transformation_matrix  # page coordinates (y down) to the PDF's (y up)
    ops = ["q", f"{_rgb(FILL)} rg"]
    for rect, _, _ in [*boxes, *placed]:
        r = pymupdf.Rect(rect) * to_pdf
        r.normalize()
        ops.append(f"{r.x0:.3f} {r.y0:.3f} {r.width:.3f} {r.height:.3f} re f")
    ops.append("Q")
    doc = page.parent
    xref = doc.get_new_xref()
    doc.update_object(xref, "<<>>")
    doc.update_stream(xref, "\n".join(ops).encode("ascii"))
    contents = [*page.get_contents(), xref]
    doc.xref_set_key(page.xref, "Contents", "[" + " ".join(f"{x} 0 R" for x in contents) + "]")
    labelled = [(pymupdf.Rect(rect), code, size) for rect, code, size in [*boxes, *placed] if size]
    if not labelled:
        return
    tw = pymupdf.TextWriter(page.rect)
    for rect, code, size in labelled:
        width = _LABEL_FONT.text_length(code, fontsize=size)
        x = rect.x0 + (rect.width - width) / 2
        y = rect.y0 + (rect.height + size * _label_height(code)) / 2  # the baseline that centres the capitals
        tw.append((x, y), code, font=_LABEL_FONT, fontsize=size)
    tw.write_text(page, color=LABEL_COLOUR)


# ---------------------------------------------------------------- sanitising


def _remove_annotations(page: pymupdf.Page) -> None:
    for link in page.get_links():
        page.delete_link(link)
    widgets = list(page.widgets())
    for w in widgets:
        page.delete_widget(w)
    annots = list(page.annots())
    for a in annots:
        page.delete_annot(a)


def _sanitise(doc: pymupdf.Document, title: str) -> None:
    for page in doc:
        _remove_annotations(page)
        for key in _PAGE_KEYS:
            doc.xref_set_key(page.xref, key, "null")
    for name in list(doc.embfile_names()):
        doc.embfile_del(name)
    catalog = doc.pdf_catalog()
    for key in _CATALOG_KEYS:
        doc.xref_set_key(catalog, key, "null")
    doc.del_xml_metadata()
    trailer_info = doc.xref_get_key(-1, "Info")
    if trailer_info[0] == "xref":
        doc.xref_set_key(-1, "Info", "null")
    doc.set_metadata({"producer": PRODUCER, "title": title} if title else {"producer": PRODUCER})
    _strip_info(doc)
    doc.xref_set_key(catalog, "Lang", pymupdf.get_pdf_str(LANG))
    scrub_objects(doc)  # metadata in images and objects, font names
    rename_resources(doc)  # resource names that could spell a name


def _strip_info(doc: pymupdf.Document) -> None:
    """Leave only /Producer and /Title in the document information dictionary."""
    kind, value = doc.xref_get_key(-1, "Info")
    if kind != "xref":
        return
    xref = int(value.split()[0])
    for key in doc.xref_get_keys(xref):
        if key not in ("Producer", "Title"):
            doc.xref_set_key(xref, key, "null")


# ---------------------------------------------------------------- redact


def _open(src: Path, password: str | None) -> pymupdf.Document:
    try:
        doc = pymupdf.open(src, filetype="pdf")
    except Exception as exc:
        raise DocumentError(f"{src.name} could not be opened as a PDF.") from exc
    if doc.needs_pass and not doc.authenticate(password or ""):
        doc.close()
        raise DocumentError(f"{src.name} is encrypted and the password given for it does not open it.")
    return doc


def _by_page(redactions: Iterable[Redaction], pages: int, name: str) -> dict[int, list[Redaction]]:
    out: dict[int, list[Redaction]] = {}
    for r in redactions:
        if not 0 <= r.page < pages:
            raise DocumentError(f"{name} has no page {r.page + 1} for a redaction.")
        out.setdefault(r.page, []).append(r)
    return out


def _scan_words(page: pymupdf.Page, cache: Path | None, name: str) -> list[OcrWord]:
    """What OCR reads on a scanned page after its redactions: its invisible layer (sarkit.render.ocr_layer) and
    the words the sweep looks in."""
    try:
        return ocr_words(page, cache=cache)
    except OcrUnavailable:
        raise DocumentError(
            f"{name} (page {page.number + 1}) is a scan and could not be OCRed for its text layer: "
            "check that tesseract-ocr and tesseract-ocr-eng are installed."
        ) from None


def redact_pdf(
    src: Path,
    dest: Path,
    redactions: Sequence[Redaction],
    *,
    password: str | None = None,
    title: str = "",
    ocr_layer: bool = True,
    ocr_cache: Path | None = None,
    sweep: Sweep | None = None,
) -> None:
    """Write dest: src with every redaction removed for good, boxed and labelled, and the file sanitised.

    Text under a box is removed, image pixels under it are overwritten, and filled line art wholly under
    it is removed. The file is written to a temporary file beside dest and moved onto it, so dest is never
    half written.

    Every scanned page (an image over most of the page, no visible text) loses any text layer it had and,
    after redaction, gets an invisible OCR layer of what remains visible (``ocr_layer=False`` skips both);
    ``ocr_cache`` is a folder where that OCR is kept by the page's pixels, so a second bundle is quick.

    ``sweep``: values redacted in this document; any other occurrence of them among a text page's words
    is boxed too (sweep.py says why).
    """
    src, dest = Path(src), Path(dest)
    pymupdf.TOOLS.mupdf_display_errors(False)  # repair warnings of a damaged source are not for the user's console
    pymupdf.TOOLS.mupdf_display_warnings(False)
    doc = _open(src, password)
    try:
        per_page = _by_page(redactions, doc.page_count, src.name)
        hidden = hidden_content_areas(doc)  # what optional content hides goes, never made visible
        scanned = {page.number for page in doc if is_scan(page)}  # read once: it renders every page's images
        for page in doc:  # text off the page, and (on a page that is not a scan) white, tiny, invisible or
            remove_invisible_text(page, invisible=page.number not in scanned)  # clipped text: no reader sees it
        scans = scanned if ocr_layer else set()
        swept = set(range(doc.page_count)) if sweep else set()
        for pno in sorted(set(per_page) | set(hidden) | scans | swept):
            page = doc[pno]
            scan = pno in scanned
            if pno in scans:
                strip_text(page)  # an old OCR layer of unknown quality goes; a fresh one is written below
            turned = bool(page.rotation)  # a turned page: MuPDF paints the boxes as it applies them
            areas: list[pymupdf.Rect] = list(hidden.get(pno, ()))  # removed, nothing painted
            painted: list[tuple[pymupdf.Rect, str, float]] = []  # (box, code, label size): removed and painted
            boxes: list[Rect] = []
            bounds = _unrotated_rect(page)  # redaction boxes, like words, are in unrotated coordinates
            floor = label_floor(page.rect.width, page.rect.height)  # the label's size on records.pdf's paper

            def box(rect: pymupdf.Rect, code: str) -> None:
                if turned:
                    _add_box(page, rect, code)
                else:
                    painted.append((rect, code, label_size(code, rect, floor)))
                boxes.append(tuple(rect))

            for red in per_page.get(pno, ()):
                for r in red.rects:
                    rect = _over_scan(pymupdf.Rect(r), scan) & bounds
                    if not rect.is_empty:
                        box(rect, red.code)
            if sweep and not scan:
                for rect, code in _swept(page, sweep, boxes):
                    box(rect, code)
            if boxes and not scan:  # letters drawn as outlines (read by OCR at ingest) go whole
                if turned:  # removed with the boxes (MuPDF applies a turned page's annotations at once)
                    areas.extend(_outlines(page, [pymupdf.Rect(b) for b in boxes]))
                else:
                    _remove_outlines(page, [pymupdf.Rect(b) for b in boxes])
            if turned:
                for rect in areas:
                    page.add_redact_annot(rect, fill=False, cross_out=False)
                page.apply_redactions(images=_IMAGES, graphics=_GRAPHICS, text=_TEXT)
            else:
                _remove(page, [*areas, *(rect for rect, _, _ in painted)])
                _paint(page, painted, floor, tabs=not scan)
            if pno in scans:
                words = _scan_words(page, ocr_cache, src.name)
                if sweep and not turned:
                    extra = _swept_scan(words, sweep, boxes, bounds)
                    if extra:  # a value withheld elsewhere in the document, still legible on this scan
                        _remove(page, [rect for rect, _ in extra])
                        labelled = [(rect, code, label_size(code, rect, floor)) for rect, code in extra]
                        _paint(page, labelled, floor, tabs=False)
                        boxes.extend(tuple(rect) for rect, _ in extra)
                write_layer(page, words, boxes)
        for page in doc:
            if page.rotation:
                page.remove_rotation()  # bake the turn into the content: what is shown stays, /Rotate goes
        _sanitise(doc, title)
        _save_atomic(doc, dest)
    finally:
        doc.close()


def _save_atomic(doc: pymupdf.Document, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        # garbage=1 drops every object nothing refers to (the old content of a redacted page among them);
        # deduplicating (3, 4) saves little and grows with the square of the objects: minutes at 5,000 pages
        doc.save(tmp, garbage=1, deflate=True, clean=True, incremental=False, encryption=pymupdf.PDF_ENCRYPT_NONE)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
