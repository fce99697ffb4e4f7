"""Every reading of an output file besides its text: what a determined reader can get out of it.

check.py reads each PDF's text with two extractors and searches its metadata, bookmarks, annotations,
form fields, attachments and the literal strings of its streams. This module adds the places that held
names in hostile documents:

- every object dictionary with PDF names made readable (#xx escapes, CamelCase: "/ABCDEF+SharonDoyle")
  and every string decoded (literal escapes, octal, hex strings, UTF-16);
- every stream decoded in full, not only the strings of content streams (an XMP packet on an image);
- the metadata segments of every JPEG image (EXIF, XMP, comment: APPn and COM segments), and printable
  runs of any other image's encoded data (JPEG 2000 boxes);
- the names inside every embedded font program (printable and UTF-16 runs: a TrueType name table, a CFF
  or Type 1 FontName), besides the BaseFont/FontName keys of the font dictionaries;
- page labels (the prefixes and every page's label), optional-content group names and layer configs;
- the file's own path under bundle/ (file and folder names), see `path_reading`.

And a test for which pages must be OCRed (`ocr_reason`), because they show text no extractor can map:
a page is OCRed when
1. an image covers half of it or more (a scan), or any image covers at least IMAGE_MIN of it (a signature,
   a screenshot, a photographed note on a text page), or
2. its text uses a Type3 font (glyphs are drawings: their mapping says nothing), or a font with no ToUnicode
   map whose encoding is Identity or custom (glyph ids, not letters) - a font its resources list but its text
   does not use (one resource dictionary shared by all the pages of a merged file) does not count - or
   extracted characters are U+FFFD or private-use (no Unicode), or
3. a font's text mapping contradicts its own glyphs: MISMAPPED_MIN or more letters the extractors read as
   other letters than the font program draws (sarkit.glyphs: a ToUnicode map that turns "Lewis" into
   "Yrjvf"), or
4. rendered ink lies outside everything the extractor maps: the page is rendered in grey at INK_DPI, the
   boxes of every extracted text span and of every drawing that cannot be a letter (rectangles: boxes,
   rules, redaction boxes; stroked straight lines: table borders, underlines) are blanked, and INK_MIN or
   more dark pixels (< INK_LEVEL) remain: text drawn as vector outlines (curves or filled polygons), a
   shading, anything else that shows shapes no extractor reads. A page whose drawings are all of the
   first kind and that has no shading is not rendered: nothing on it can be ink outside the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pymupdf

from ..glyphs import MISMAPPED_MIN, mismapped_letters, unmapped_fonts_used
from .normalise import split_names

IMAGE_MIN = 0.002  # share of the page an image must cover to be read by OCR on a text page
INK_DPI = 40
INK_LEVEL = 200  # grey level below which a pixel is ink
INK_MIN = 24  # dark pixels outside mapped text and straight-edged drawings that make a page need OCR
STREAM_MAX = 8 << 20  # bytes of one decoded stream searched
Reading = tuple[str, int | None, str, str]  # (where, page, extractor, text)

_PRINTABLE = re.compile(rb"[\x20-\x7e\x80-\xff]{3,}")
_ASCII = re.compile(rb"[\x20-\x7e]{4,}")
_UTF16LE = re.compile(rb"(?:[\x20-\x7e]\x00){3,}")
_UTF16BE = re.compile(rb"(?:\x00[\x20-\x7e]){3,}")
_LITERAL = re.compile(r"\((?:\\.|[^\\)])*\)", re.S)
_HEX = re.compile(r"<([0-9A-Fa-f\s]{4,})>")
_SPACE = re.compile(r"\s")
_ESC = re.compile(r"\\([0-7]{1,3}|.)", re.S)
_ESC_MAP = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "\n": "", "\r": ""}


def printable(data: bytes, ascii_only: bool = False) -> str:
    """The text-like runs of binary data: 8-bit runs (as latin-1 and as UTF-8; ASCII only for font programs,
    whose names are ASCII or UTF-16) and UTF-16 runs, one a line."""
    runs = (_ASCII if ascii_only else _PRINTABLE).findall(data)
    out = [r.decode("latin-1") for r in runs]
    out += [r.decode("utf-8", "replace") for r in runs if not r.isascii()]
    out += [r.decode("utf-16-le") for r in _UTF16LE.findall(data)]
    out += [r.decode("utf-16-be") for r in _UTF16BE.findall(data)]
    return "\n".join(out)


def _string_bytes(raw: bytes) -> str:
    if raw[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return raw.decode("utf-16", "replace")
    if raw[:3] == b"\xef\xbb\xbf":
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")


def _unescape(body: str) -> bytes:
    def sub(m: re.Match[str]) -> str:
        g = m.group(1)
        if g[0] in "01234567":
            return chr(int(g, 8) & 0xFF)
        return _ESC_MAP.get(g, g)

    return _ESC.sub(sub, body).encode("latin-1", "replace")


def pdf_strings(text: str, encoded_only: bool = False) -> str:
    """Every literal and hex string in PDF syntax, decoded (escapes, octal, UTF-16 with a BOM), one a line;
    with encoded_only, of the literal strings only those with an escape or a BOM (check.py's raw check reads
    the others as they are)."""
    out = [
        _string_bytes(_unescape(m.group(0)[1:-1]))
        for m in _LITERAL.finditer(text)
        if not encoded_only or "\\" in m.group(0) or m.group(0)[1:3] in ("\xfe\xff", "\xff\xfe")
    ]
    for h in _HEX.findall(text):
        try:
            raw = bytes.fromhex(h)
        except ValueError:  # odd number of digits: a final 0 is implied
            raw = bytes.fromhex(_SPACE.sub("", h) + "0")
        if raw[:2] in (b"\xfe\xff", b"\xff\xfe") or raw[:3] == b"\xef\xbb\xbf":
            out.append(_string_bytes(raw))
        else:
            out.append(raw.decode("latin-1"))
            if b"\x00" in raw and len(raw) % 2 == 0:
                out.append(raw.decode("utf-16-be", "replace"))
    return "\n".join(out)


def jpeg_metadata(data: bytes) -> bytes:
    """The APPn (EXIF, XMP, ICC, ...) and COM segments of a JPEG, up to the start of the scan."""
    out = []
    i = 2
    n = len(data)
    while i + 4 <= n and data[i] == 0xFF:
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD9, 0xDA):
            break
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            out.append(data[i + 4 : i + 2 + length])
        i += 2 + max(length, 2)
    return b"\n".join(out)


_SFNT_TABLES = (b"name", b"post", b"CFF ", b"CFF2")  # names, glyph names, a CFF font's name and strings


def font_names_part(data: bytes) -> bytes:
    """The parts of a font program where names are written: for TrueType/OpenType the name, post and CFF
    tables (not the glyph data, whose bytes only look like text by chance); a Type 1 or bare CFF program
    whole (its names and strings are most of what is not charstrings)."""
    if data[:1] == b"\x01" and len(data) > 4:  # a bare CFF program (FontFile3 /Type1C, /CIDFontType0C)
        cff = _cff_names(data)
        if cff is not None:
            return cff
    if data[:2] == b"%!":  # Type 1: the clear-text part, before the encrypted charstrings
        end = data.find(b"eexec")
        return data if end < 0 else data[:end]
    if len(data) < 12 or data[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true", b"typ1"):
        return data
    try:
        count = int.from_bytes(data[4:6], "big")
        parts = []
        for i in range(count):
            rec = data[12 + 16 * i : 28 + 16 * i]
            tag, off, length = rec[:4], int.from_bytes(rec[8:12], "big"), int.from_bytes(rec[12:16], "big")
            if tag in _SFNT_TABLES:
                parts.append(data[off : off + length])
        return b"\n".join(parts)
    except Exception:  # noqa: BLE001 - a damaged table directory: the whole program
        return data


def _cff_index(data: bytes, pos: int) -> tuple[list[bytes], int]:
    count = int.from_bytes(data[pos : pos + 2], "big")
    if count == 0:
        return [], pos + 2
    size = data[pos + 2]
    if not 1 <= size <= 4:
        raise ValueError("bad CFF offset size")
    offs = [int.from_bytes(data[pos + 3 + i * size : pos + 3 + (i + 1) * size], "big") for i in range(count + 1)]
    base = pos + 2 + (count + 1) * size
    return [data[base + a : base + b] for a, b in zip(offs, offs[1:])], base + offs[-1]


def _cff_names(data: bytes) -> bytes | None:
    """The Name INDEX and String INDEX of a CFF program (font names, glyph names, notices), or None."""
    try:
        names, pos = _cff_index(data, data[2])
        _top, pos = _cff_index(data, pos)
        strings, _ = _cff_index(data, pos)
    except (ValueError, IndexError):
        return None
    return b"\n".join([*names, *strings])


def _font_files(doc: pymupdf.Document) -> set[int]:
    out: set[int] = set()
    for xref in range(1, doc.xref_length()):
        try:
            if doc.xref_get_key(xref, "Type") != ("name", "/FontDescriptor"):
                continue
            for key in ("FontFile", "FontFile2", "FontFile3"):
                kind, val = doc.xref_get_key(xref, key)
                if kind == "xref":
                    out.add(int(val.split()[0]))
        except Exception:  # noqa: BLE001 - a damaged object holds no font
            continue
    return out


_NAME = re.compile(r"/[^\s/<>\[\]()%{}]+")

# The PDF format's own names (keys, filters, colour spaces, encodings, blend modes, the standard 14 fonts):
# syntax, not text. Left out of the "pdf-names" reading whole, so a person called Gray is not
# found in every /DeviceGray, nor one called Helvetica in every standard font; a name made of a person's name
# (/ABCDEF+BrianLewis, /Gray-Bold) is still read.
PDF_VOCABULARY = frozenset(
    """
    DeviceGray DeviceRGB DeviceCMYK CalGray CalRGB CalCMYK Lab ICCBased Indexed Pattern Separation DeviceN
    FlateDecode DCTDecode JPXDecode LZWDecode ASCII85Decode ASCIIHexDecode RunLengthDecode CCITTFaxDecode
    JBIG2Decode Crypt Fl AHx A85 LZW RL CCF DCT ImageMask Decode DecodeParms Interpolate SMask SMaskInData Mask
    Normal Compatible Multiply Screen Overlay Darken Lighten ColorDodge ColorBurn HardLight SoftLight Difference
    Exclusion Hue Saturation Color Luminosity Alpha Transparency Knockout Isolated
    WinAnsiEncoding MacRomanEncoding MacExpertEncoding StandardEncoding PDFDocEncoding Identity Identity-H
    Identity-V Differences ToUnicode CIDSystemInfo CIDToGIDMap Registry Ordering Supplement Adobe UCS
    Times-Roman Times-Bold Times-Italic Times-BoldItalic Helvetica Helvetica-Bold Helvetica-Oblique
    Helvetica-BoldOblique Courier Courier-Bold Courier-Oblique Courier-BoldOblique Symbol ZapfDingbats
    Type0 Type1 Type1C Type3 TrueType CIDFontType0 CIDFontType0C CIDFontType2 MMType1 OpenType FontFile FontFile2
    FontFile3 FontDescriptor FontBBox FontMatrix FontName FontFamily FontStretch FontWeight BaseFont
    DescendantFonts Widths FirstChar LastChar MissingWidth ItalicAngle Ascent Descent CapHeight XHeight StemV
    StemH Leading AvgWidth MaxWidth CharSet CharProcs
    Catalog Pages Page Kids Parent Count Resources ProcSet PDF Text ImageB ImageC ImageI MediaBox CropBox
    BleedBox TrimBox ArtBox Rotate Contents Annots Group XObject Image Form BBox Matrix ExtGState Shading
    Properties Font ColorSpace BitsPerComponent Width Height Length Filter Subtype Type Outlines Names Dests
    Metadata XML Info Title Author Subject Keywords Creator Producer CreationDate ModDate Trapped
    Link Border Rect Action URI GoTo GoToR Launch Dest Fit FitH FitV FitB FitBH FitBV FitR XYZ Widget Annot
    StructTreeRoot StructParents StructParent MarkInfo Marked ParentTree RoleMap ClassMap Lang ViewerPreferences
    OCProperties OCGs OCG OCMD AllOn AnyOn AllOff AnyOff ON OFF Order Usage View Print Export Intent Design
    Span Artifact Figure Table TR TD TH Sect Part Document Div Caption Note Reference Lbl LBody LI L P H H1 H2
    H3 H4 H5 H6 Layout Pagination Header Footer Watermark Background Top Bottom Left Right
    OpenAction AA AcroForm PieceInfo Threads SpiderInfo Perms Collection Legal Requirements AF PageMode
    PageLabels Thumb Tabs
    """.split()
)
_TEXT_STREAM = re.compile(r"/Type\s*/Metadata|/Subtype\s*/XML|/Type\s*/EmbeddedFile")


def document_readings(doc: pymupdf.Document) -> Iterator[Reading]:
    """The readings of a PDF's objects, streams, images, fonts, labels and layers (module docstring).

    Readings of syntax and binary data (PDF names, font programs, image segments) are marked by their
    extractor ("pdf-names", "font-program", "image"): check.py looks for no value shorter than four letters in
    them, where "BS" is a key (/BS) or a run of bytes, not someone's initials."""
    fonts = _font_files(doc)
    names: list[str] = []
    strings: list[str] = []
    size = 0
    for xref in range(1, doc.xref_length()):
        try:
            obj = doc.xref_object(xref, compressed=False)
        except Exception:  # noqa: BLE001
            continue
        names.append(split_names(" ".join(n for n in _NAME.findall(obj) if n[1:] not in PDF_VOCABULARY)))
        strings.append(pdf_strings(obj))
        size += len(obj)
        if size > 1 << 20:
            yield "objects", None, "pdf-names", "\n".join(names)
            yield "objects", None, "pdf-strings", "\n".join(strings)
            names, strings, size = [], [], 0
        try:
            if not doc.xref_is_stream(xref):
                continue
            if doc.xref_is_image(xref):
                raw = doc.xref_stream_raw(xref) or b""
                if raw[:2] == b"\xff\xd8":
                    yield "image-metadata", None, "image", printable(jpeg_metadata(raw))
                elif "/JPXDecode" in obj:
                    yield "image-metadata", None, "image", printable(raw[: 1 << 20])
                continue
            data = (doc.xref_stream(xref) or b"")[:STREAM_MAX]
        except Exception:  # noqa: BLE001 - an undecodable stream: its raw bytes are still searched by check.py
            continue
        if xref in fonts:
            yield "font", None, "font-program", split_names(printable(font_names_part(data), ascii_only=True))
        elif _TEXT_STREAM.search(obj):  # XMP, XML, an attachment: text through and through
            yield "stream", None, "stream", data.decode("utf-8") if _is_utf8(data) else printable(data)
        else:  # content streams, CMaps, forms: their strings, decoded
            yield "stream", None, "stream-strings", pdf_strings(data.decode("latin-1"), encoded_only=True)
    if names:
        yield "objects", None, "pdf-names", "\n".join(names)
        yield "objects", None, "pdf-strings", "\n".join(strings)
    yield from _label_readings(doc)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _label_readings(doc: pymupdf.Document) -> Iterator[Reading]:
    try:
        rules = doc.get_page_labels()
    except Exception:  # noqa: BLE001
        rules = []
    if rules:
        yield "page-label", None, "objects", "\n".join(str(r.get("prefix", "")) for r in rules)
        labels = []
        for page in doc:
            try:
                labels.append(page.get_label())
            except Exception:  # noqa: BLE001
                continue
        yield "page-label", None, "objects", "\n".join(labels)
    try:
        ocgs = doc.get_ocgs() or {}
        names = [str(v.get("name", "")) for v in ocgs.values()]
        names += [str(c.get("text", "")) for c in (doc.layer_ui_configs() or ())]
        names += [str(c.get("name", "")) + "\n" + str(c.get("creator", "")) for c in (doc.get_layers() or ())]
    except Exception:  # noqa: BLE001
        names = []
    if any(n.strip() for n in names):
        yield "optional-content", None, "objects", "\n".join(names)


def path_reading(rel: str) -> str:
    """A file's path under bundle/ as words: folders and name, separators and CamelCase split."""
    return split_names(rel.replace("/", " / "))


# ---------------------------------------------------------------- which pages need OCR


def ocr_reason(page: pymupdf.Page) -> str | None:
    """Why this page must be read by OCR, or None (module docstring: the test, in order)."""
    area = abs(page.rect) or 1.0
    for info in page.get_image_info():
        covered = abs(pymupdf.Rect(info["bbox"]) & page.rect)
        if covered >= 0.5 * area:
            return "scan"
        if covered >= IMAGE_MIN * area:
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
    if _ink_outside(page, trace) >= INK_MIN:
        return "ink"
    return None


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


def _ink_outside(page: pymupdf.Page, trace: list) -> int:
    """Dark pixels of the page rendered at INK_DPI outside the extracted characters and the drawings that
    cannot be letters; 0 without rendering when every drawing is such and nothing is shaded."""
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
        return 0
    for span in trace:
        blank += [pymupdf.Rect(b) for b in _runs(span.get("chars", ()), float(span.get("size", 0) or 0))]
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
    return buf.translate(_INK_TABLE).count(1)


_INK_TABLE = bytes(1 if i < INK_LEVEL else 0 for i in range(256))
