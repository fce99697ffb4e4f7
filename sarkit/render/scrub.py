"""What a redacted PDF must not carry besides its visible content: the hiding places of a name.

sarkit.render.redact removes the redacted words; these functions remove what a reader does not see but a
program reads, so nothing hidden in the source reaches the bundle:

- content that optional content hides (a layer switched off, or an optional-content membership dictionary
  such as ``/P /AllOff``) and that would show once the layers are stripped: removed, never made visible;
- text no reader sees: invisible (render mode 3), fully transparent, white on nothing, a few hundredths of
  an inch high, or clipped out of view by a clipping path: removed;
- metadata inside images (JPEG APPn and comment segments, JPEG 2000 XML/UUID boxes and codestream comments,
  an XMP stream on an image XObject) and on any other object (/Metadata, /PieceInfo): removed, the pixels
  kept as they are;
- text that marked content carries (/ActualText, /Alt, /E) in content streams and in property lists, named
  or written inside a page's resources: removed;
- text an opaque rectangle or an image drawn after it covers (an old black box over a label): removed;
- the text tags of ICC colour profiles (description, copyright): blanked; the samples of unfiltered inline
  images (bytes that can spell text in a content stream): compressed and hex-encoded, the pixels the same;
- the names of optional-content groups (what a layer panel shows): neutral; text written into the cell of a
  tiling pattern (a name repeated as a fill) or inside a Type3 glyph's procedure: removed;
- resource names with a run of four letters (a font called /BrianLewis in a page's resources): neutral
  ones, in the resource dictionary and the content streams that use it;
- font names: every embedded font renamed (BaseFont, FontName, FontFamily) and the names inside its program
  (TrueType/OpenType name table, CFF name index and every string but its glyph names, Type 1 clear-text names)
  blanked; a font that is not embedded and not one of the standard 14 gets a standard name, and the glyph names in
  its encoding that no standard glyph has become /.notdef.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

import pymupdf

Box = tuple[str, int, int, int, int]
STREAM_CAP = 32 * 1024 * 1024  # bytes: a stream that decompresses to more is not read here (a bomb)


def stream_bytes(doc: pymupdf.Document, xref: int, cap: int = STREAM_CAP) -> bytes | None:
    """A stream decompressed, or None when it would be bigger than cap (or uses a filter not read here and is
    large): sanitising never lets a decompression bomb fill the memory."""
    try:
        raw = doc.xref_stream_raw(xref) or b""
        kind, value = doc.xref_get_key(xref, "Filter")
        filt = [] if kind == "null" else value.replace("[", "").replace("]", "").split()
    except Exception:  # noqa: BLE001 - a damaged stream is not read
        return None
    if not filt:
        return raw if len(raw) <= cap else None
    if filt == ["/FlateDecode"]:
        d = zlib.decompressobj()
        try:
            out = d.decompress(raw, cap)
        except zlib.error:
            return None
        return None if d.unconsumed_tail else out
    return None  # another filter (or a chain): its output size cannot be bounded here, so it is not read


# ---------------------------------------------------------------- optional content


def _content_boxes(page: pymupdf.Page) -> set[Box]:
    boxes: set[Box] = set()
    for w in page.get_text("words", flags=0):
        boxes.add((w[4], round(w[0]), round(w[1]), round(w[2]), round(w[3])))
    for info in page.get_image_info():
        x0, y0, x1, y1 = info["bbox"]
        boxes.add(("\x00image", round(x0), round(y0), round(x1), round(y1)))
    try:
        drawings = page.get_drawings()
    except Exception:  # noqa: BLE001 - a damaged content stream: its words and images still count
        drawings = []
    for d in drawings:
        r = d.get("rect")
        if r is not None:
            boxes.add(("\x00path", round(r.x0), round(r.y0), round(r.x1), round(r.y1)))
    return boxes


def has_optional_content(doc: pymupdf.Document) -> bool:
    return doc.xref_get_key(doc.pdf_catalog(), "OCProperties")[0] != "null"


def hidden_content_areas(doc: pymupdf.Document) -> dict[int, list[pymupdf.Rect]]:
    """Boxes of the words, images and paths that show once optional content is stripped but not as the file is
    opened: whatever /OCProperties hides (layers off, /OCMD visibility policies and expressions). The file is
    compared with a copy of itself without /OCProperties, where a viewer shows everything."""
    if not has_optional_content(doc):
        return {}
    shown = [_content_boxes(page) for page in doc]
    bare = pymupdf.open("pdf", doc.tobytes(garbage=0))
    try:
        bare.xref_set_key(bare.pdf_catalog(), "OCProperties", "null")
        bare = pymupdf.open("pdf", bare.tobytes(garbage=0))
        hidden: dict[int, list[pymupdf.Rect]] = {}
        for page in bare:
            if page.number >= len(shown):
                break
            extra = _content_boxes(page) - shown[page.number]
            if extra:
                hidden[page.number] = [pymupdf.Rect(b[1:]) for b in extra]
        return hidden
    finally:
        bare.close()


# ---------------------------------------------------------------- text no reader sees

TINY = 1.5  # points: text whose box is lower than this is not read by anyone
_WHITE = 0.97


def _is_white(color: Iterable[float] | None) -> bool:
    c = tuple(color or ())
    return len(c) in (1, 3, 4) and (
        all(v >= _WHITE for v in c) if len(c) != 4 else all(v <= 1 - _WHITE for v in c)  # CMYK: no ink
    )


def _covered(rect: pymupdf.Rect, page: pymupdf.Page, fills: list[pymupdf.Rect] | None) -> bool:
    """Whether something is painted under rect (an image or a filled path that is not white)."""
    if fills is None:
        return True
    return any(rect.intersects(f) for f in fills)


def _painted_areas(page: pymupdf.Page) -> list[pymupdf.Rect] | None:
    """Rectangles of the images and of the non-white filled paths of a page (None: the page cannot be read)."""
    try:
        out = [pymupdf.Rect(i["bbox"]) for i in page.get_image_info()]
        for d in page.get_drawings():
            if d.get("fill") is not None and not _is_white(d.get("fill")):
                out.append(pymupdf.Rect(d["rect"]))
        return out
    except Exception:  # noqa: BLE001 - unknown: treat every white text as shown
        return None


_CLIP_OP = re.compile(rb"\bW\*?\s+n\b|\bDo\b")


def _may_clip_text(page: pymupdf.Page) -> bool:
    """Whether the page could clip text out of view: a clipping operator in its content, or an XObject drawn
    (a form's content is not read here)."""
    for xref in page.get_contents():
        data = stream_bytes(page.parent, xref)
        if data is None or _CLIP_OP.search(data):
            return True
    return False


_FAR = 1e6  # points: far beyond any page


def invisible_text_areas(page: pymupdf.Page, invisible: bool = True) -> list[pymupdf.Rect]:
    """Areas of a page (unturned) whose text no reader sees: text drawn wholly or partly outside the page
    (four strips around it); and, with ``invisible``, text that is invisible (render mode 3), fully
    transparent, white with nothing painted under it, tiny, or clipped out of view by a clipping path."""
    out: list[pymupdf.Rect] = []
    try:
        trace = page.get_texttrace()
    except Exception:  # noqa: BLE001 - a damaged content stream: nothing to say
        trace = []
    box = page.rect
    if not all(pymupdf.Rect(s["bbox"]) in box for s in trace):
        out += [
            pymupdf.Rect(-_FAR, -_FAR, _FAR, box.y0),
            pymupdf.Rect(-_FAR, box.y1, _FAR, _FAR),
            pymupdf.Rect(-_FAR, -_FAR, box.x0, _FAR),
            pymupdf.Rect(box.x1, -_FAR, _FAR, _FAR),
        ]
    if not invisible:
        return out
    fills: list[pymupdf.Rect] | None | bool = False  # not read yet
    for span in trace:
        rect = pymupdf.Rect(span["bbox"])
        if rect.is_empty and rect.height <= 0:
            continue
        kind = span.get("type", 0)
        hide = kind == 3 or span.get("opacity", 1) == 0 or min(rect.height, rect.width or rect.height) < TINY
        if not hide and kind == 0 and _is_white(span.get("color")):
            if fills is False:
                fills = _painted_areas(page)
            hide = not _covered(rect, page, fills if isinstance(fills, list) else None)
        if hide:
            out.append(rect & box if (rect & box).is_valid and not (rect & box).is_empty else rect)
    if not trace or not _may_clip_text(page):
        return out
    try:
        flags = pymupdf.TEXTFLAGS_WORDS & ~pymupdf.TEXT_CLIP
        every = {tuple(round(v, 1) for v in w[:4]) for w in page.get_text("words", flags=flags)}
        shown = {tuple(round(v, 1) for v in w[:4]) for w in page.get_text("words", flags=flags | pymupdf.TEXT_CLIP)}
    except Exception:  # noqa: BLE001
        every = shown = set()
    out.extend(pymupdf.Rect(b) for b in every - shown)
    return out


_OPAQUE = 0.9  # fill opacity from which a shape hides what is under it
_COVER_SHARE = 0.5  # a character is hidden when a cover holds its centre


def _is_rectangle(drawing: dict) -> bool:
    """A path that is one rectangle (or a four-sided figure filling its box): its box is what it paints."""
    items: list = drawing.get("items") or []
    if len(items) == 1:
        return items[0][0] in ("re", "qu")
    return len(items) == 4 and all(it[0] == "l" for it in items)


_ALPHA = re.compile(r"/(?:ca|CA)\s+([0-9.]+)|/SMask\s*(?!/None)[^\s/>]")


def _opaque_images(page: pymupdf.Page) -> set[tuple[float, ...]]:
    """The boxes of the page's images that surely hide what is under them: an image object with no soft mask
    or mask, on a page whose graphics states set no transparency (a translucent watermark over text hides
    nothing; inline images are left out too)."""
    doc = page.parent
    kind, value = doc.xref_get_key(page.xref, "Resources/ExtGState")
    states = doc.xref_object(int(value.split()[0]), compressed=True) if kind == "xref" else value
    for ref in re.findall(r"(\d+) 0 R", states if kind != "null" else ""):
        states += doc.xref_object(int(ref), compressed=True)
    if any(m.group(1) is None or float(m.group(1) or 1) < 1 for m in _ALPHA.finditer(states)):
        return set()
    out = set()
    for info in page.get_image_info(xrefs=True):
        x = info.get("xref", 0)
        if x and not info.get("has-mask") and all(doc.xref_get_key(x, k)[0] == "null" for k in ("SMask", "Mask")):
            out.add(tuple(round(v, 1) for v in info["bbox"]))
    return out


def covered_text_areas(page: pymupdf.Page, trace: list[dict] | None = None) -> list[pymupdf.Rect]:
    """The boxes of the characters that an opaque rectangle or an image drawn after them hides (an old black box
    drawn over a label, a white box over a name, a picture pasted over text): no reader sees them, every
    extractor reads them. A cover that is not a rectangle is left alone (its box is more than it paints)."""
    try:
        trace = page.get_texttrace() if trace is None else trace
        if not trace:
            return []
        covers: list[tuple[int, pymupdf.Rect]] = []
        for d in page.get_drawings():
            opacity = d.get("fill_opacity")
            if d.get("fill") is None or (opacity is not None and opacity < _OPAQUE) or not _is_rectangle(d):
                continue
            if d["rect"].get_area() > 4:
                covers.append((d["seqno"], pymupdf.Rect(d["rect"])))
        opaque = _opaque_images(page)
        for seqno, (kind, bbox) in enumerate(page.get_bboxlog()):
            if kind == "fill-image" and tuple(round(v, 1) for v in bbox) in opaque:
                covers.append((seqno, pymupdf.Rect(bbox)))
    except Exception:  # noqa: BLE001 - a damaged content stream: nothing to say (verify still checks)
        return []
    if not covers:
        return []
    first = min(span["seqno"] for span in trace)
    covers = [(s, r) for s, r in covers if s > first]
    out: list[pymupdf.Rect] = []
    for span in trace:
        sb = pymupdf.Rect(span["bbox"])
        later = [r for s, r in covers if s > span["seqno"] and r.intersects(sb)]
        for r in later:
            for ch in span["chars"]:
                b = pymupdf.Rect(ch[3])
                if b.is_empty:
                    continue
                centre = pymupdf.Point((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2)
                if centre in r:
                    # the middle of the character only: removing it never touches a neighbour
                    w, h = b.width * _COVER_SHARE / 2, b.height * _COVER_SHARE / 2
                    out.append(pymupdf.Rect(centre.x - w / 2, centre.y - h / 2, centre.x + w / 2, centre.y + h / 2))
    return out


def _covered_in_content(page: pymupdf.Page) -> list[pymupdf.Rect]:
    """covered_text_areas of the page's own content: annotations (a highlighter's box, drawn to multiply, is no
    cover) are left out by reading a copy of the page without them."""
    if page.first_annot is None and page.first_widget is None:
        return covered_text_areas(page)
    bare = pymupdf.open()
    try:
        bare.insert_pdf(page.parent, from_page=page.number, to_page=page.number, annots=False, widgets=False)
        return covered_text_areas(bare[0])
    except Exception:  # noqa: BLE001 - the copy failed: nothing removed (verify still checks)
        return []
    finally:
        bare.close()


def remove_invisible_text(page: pymupdf.Page, invisible: bool = True) -> int:
    """Remove the text of a page that no reader sees (invisible_text_areas, and with ``invisible`` the text an
    opaque rectangle or an image drawn after it covers: covered_text_areas); text only, images and paths stay.
    Returns how many areas were removed."""
    rotation = page.rotation
    if rotation:
        page.set_rotation(0)
    try:
        areas = invisible_text_areas(page, invisible)
        if invisible:
            areas += _covered_in_content(page)
        for rect in areas:
            page.add_redact_annot(rect, fill=False, cross_out=False)
        if areas:
            page.apply_redactions(
                images=pymupdf.PDF_REDACT_IMAGE_NONE,
                graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
                text=pymupdf.PDF_REDACT_TEXT_REMOVE,
            )
        return len(areas)
    finally:
        if rotation:
            page.set_rotation(rotation)


# ---------------------------------------------------------------- metadata inside images and objects

_KEEP_APP = {0xEE}  # APP14 (Adobe): how the colours are encoded


def strip_jpeg(data: bytes) -> bytes:
    """A JPEG without its APPn segments (EXIF, XMP, JFIF thumbnails, ICC names; APP14 kept) and comments; the
    compressed image itself unchanged. Unchanged when the data is not a JPEG this understands."""
    if not data.startswith(b"\xff\xd8"):
        return data
    out = bytearray(b"\xff\xd8")
    i, n = 2, len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            return data
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            out += data[i : i + 2]
            i += 2
            continue
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if length < 2 or i + 2 + length > n:
            return data
        segment = data[i : i + 2 + length]
        if marker == 0xDA:  # start of scan: the rest is image data
            out += data[i:]
            return bytes(out)
        if not ((0xE0 <= marker <= 0xEF and marker not in _KEEP_APP) or marker == 0xFE):
            out += segment
        i += 2 + length
    return data


_JP2_TEXT_BOXES = (b"xml ", b"uuid", b"uinf", b"ipr ")  # XML (XMP), vendor data, URLs, rights: text, not pixels


def strip_jpx(data: bytes) -> bytes:
    """A JPEG 2000 image without the text it carries: the payload of its XML, UUID, UUID-info and rights boxes
    and of every comment (COM) of its codestream's headers blanked in place (same length, so no box or tile
    length changes); the pixels unchanged. Unchanged when the data is not JPEG 2000 this understands."""
    out = bytearray(data)
    try:
        if data[:2] == b"\xff\x4f":  # a bare codestream
            _blank_j2k_comments(out, 0, len(data))
            return bytes(out)
        if data[4:8] != b"jP  ":
            return data
        i = 0
        while i + 8 <= len(data):
            size, kind, head = int.from_bytes(data[i : i + 4], "big"), data[i + 4 : i + 8], 8
            if size == 1:
                size, head = int.from_bytes(data[i + 8 : i + 16], "big"), 16
            elif size == 0:
                size = len(data) - i
            if size < head or i + size > len(data):
                return data
            if kind in _JP2_TEXT_BOXES:
                start = i + head + (16 if kind == b"uuid" else 0)  # a UUID box keeps its UUID
                out[start : i + size] = b" " * (i + size - start) if kind == b"xml " else bytes(i + size - start)
            elif kind == b"jp2c":
                _blank_j2k_comments(out, i + head, i + size)
            i += size
    except (IndexError, ValueError):
        return data
    return bytes(out)


def _blank_j2k_comments(out: bytearray, start: int, end: int) -> None:
    """Blank the text of every COM segment in the main header and the tile-part headers of a codestream."""
    i = start + 2  # after SOC
    tile_end = None
    while i + 4 <= end:
        if out[i] != 0xFF:
            return
        marker = out[i + 1]
        if marker == 0x93:  # SOD: tile data up to the end of the tile-part
            if tile_end is None:
                return
            i = tile_end
            tile_end = None
            continue
        if marker == 0xD9:  # EOC
            return
        length = int.from_bytes(out[i + 2 : i + 4], "big")
        if length < 2:
            return
        if marker == 0x90:  # SOT: Psot is the length of the whole tile-part from here (0: to the end)
            psot = int.from_bytes(out[i + 6 : i + 10], "big")
            tile_end = i + psot if psot else end
        elif marker == 0x64 and length > 4:  # COM: Lcom, Rcom, then the comment
            out[i + 6 : i + 2 + length] = b" " * (length - 4)
        i += 2 + length


# marked-content properties that carry text of their own: what a program reads instead of, or about, the glyphs
_MC_KEY = re.compile(rb"/(?:ActualText|Alt|E|T)(?=[\s(<])\s*(?=\(|<(?!<))")
_TEXT_KEY = re.compile(rb"/(?:ActualText|Alt|E)(?=[\s(<])\s*(?=\(|<(?!<))")  # in any object: nested ones too
_MC_KEYS = ("ActualText", "Alt", "E", "T")


def _string_end(data: bytes, i: int) -> int:
    """The position after the PDF string (literal, with balanced parentheses and escapes, or hex) at i."""
    if data[i : i + 1] == b"<":
        end = data.find(b">", i)
        return len(data) if end < 0 else end + 1
    depth = 0
    while i < len(data):
        c = data[i]
        if c == 0x5C:  # backslash: the next byte is escaped
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(data)


def drop_text_strings(data: bytes, key: re.Pattern[bytes] = _TEXT_KEY) -> bytes:
    """data without the string values (and their keys) of the text-carrying keys `key` matches."""
    out = bytearray()
    pos = 0
    for m in key.finditer(data):
        if m.start() < pos:  # inside a string removed already
            continue
        out += data[pos : m.start()]
        pos = _string_end(data, m.end())
    return bytes(out + data[pos:]) if pos else data


def _strip_marked_content(doc: pymupdf.Document, xref: int) -> None:
    """The /ActualText, /Alt, /E and /T strings of a content stream's marked-content properties removed."""
    data = stream_bytes(doc, xref)
    if not data or b"BDC" not in data:
        return
    clean = drop_text_strings(data, _MC_KEY)
    if clean != data:
        doc.update_stream(xref, clean)


def _strip_property_text(doc: pymupdf.Document, xref: int) -> None:
    """An object's /ActualText, /Alt and /E strings removed, wherever they are in it: its own keys, and the
    property lists written inside it (a page's /Resources /Properties << /MC0 << /ActualText (...) >> >>)."""
    for key in _MC_KEYS:
        if doc.xref_get_key(xref, key)[0] == "string":
            doc.xref_set_key(xref, key, "null")
    if doc.xref_is_stream(xref):  # its dictionary's own keys only: rewriting it would part it from its data
        return
    src = doc.xref_object(xref, compressed=True).encode("latin-1", "replace")
    clean = drop_text_strings(src)
    if clean != src:
        doc.update_object(xref, clean.decode("latin-1"))


def scrub_objects(doc: pymupdf.Document) -> None:
    """Metadata of every object (/Metadata, /PieceInfo), text carried by marked content (/ActualText, /Alt),
    JPEG segments of images, and font names removed."""
    fonts = 0
    contents = {x for page in doc for x in page.get_contents()}
    for xref in range(1, doc.xref_length()):
        try:
            obj = doc.xref_object(xref, compressed=True)
        except Exception:  # noqa: BLE001,S112 - a damaged object: the others are still cleaned
            continue
        try:
            if xref in contents or ("/Form" in obj and doc.xref_is_stream(xref)):
                _strip_marked_content(doc, xref)
                _encode_inline_images(doc, xref)
            elif "/ActualText" in obj or "/Alt" in obj:  # a property list (or a structure element), or an object
                _strip_property_text(doc, xref)  # with one inside it
            for key in ("Metadata", "PieceInfo", "LastModified"):
                if f"/{key}" in obj and doc.xref_get_key(xref, key)[0] != "null":
                    doc.xref_set_key(xref, key, "null")
            if "/Image" in obj and "/DCTDecode" in obj and doc.xref_get_key(xref, "Subtype")[1] == "/Image":
                if doc.xref_get_key(xref, "Filter")[1] in ("/DCTDecode", "[/DCTDecode]"):
                    _strip_image(doc, xref)
            elif "/Image" in obj and "/JPXDecode" in obj and doc.xref_get_key(xref, "Subtype")[1] == "/Image":
                if doc.xref_get_key(xref, "Filter")[1] in ("/JPXDecode", "[/JPXDecode]"):
                    _strip_image(doc, xref, jpx=True)
            elif "/N " in obj and doc.xref_is_stream(xref) and "/Subtype" not in obj:
                _blank_icc_text(doc, xref)
            elif "/OCG" in obj and doc.xref_get_key(xref, "Type")[1] == "/OCG":
                _rename_layer(doc, xref)
            elif "/PatternType" in obj and doc.xref_get_key(xref, "PatternType")[1] == "1":
                _strip_pattern_text(doc, xref)
            elif "/Font" in obj and doc.xref_get_key(xref, "Type")[1] == "/Font":
                fonts += 1
                _rename_font(doc, xref, fonts)
        except Exception:  # noqa: BLE001,S112 - a damaged object: the others are still cleaned
            continue


_ICC_TEXT_TYPES = (b"desc", b"text", b"mluc")


def blank_icc_text(data: bytes) -> bytes:
    """An ICC profile with the text of its text tags (description, copyright, device maker and model: 'desc',
    'text', 'mluc' types) blanked to zeros, the same length, the colour tables untouched; anything that is not
    a profile is returned as it is."""
    if len(data) < 132 or data[36:40] != b"acsp":
        return data
    out = bytearray(data)
    count = int.from_bytes(data[128:132], "big")
    for i in range(min(count, 1000)):
        at = 132 + 12 * i
        if at + 12 > len(data):
            break
        offset = int.from_bytes(data[at + 4 : at + 8], "big")
        size = int.from_bytes(data[at + 8 : at + 12], "big")
        if data[offset : offset + 4] in _ICC_TEXT_TYPES and offset + size <= len(data):
            out[offset + 8 : offset + size] = bytes(max(0, size - 8))
    return bytes(out)


def _blank_icc_text(doc: pymupdf.Document, xref: int) -> None:
    data = stream_bytes(doc, xref)
    if not data or data[36:40] != b"acsp":
        return
    clean = blank_icc_text(data)
    if clean != data:
        doc.update_stream(xref, clean)


_INLINE = re.compile(rb"(?<![A-Za-z0-9_])BI(\s.*?)(?<![A-Za-z0-9_])ID\s", re.S)
_COMPONENTS = {b"G": 1, b"DeviceGray": 1, b"RGB": 3, b"DeviceRGB": 3, b"CMYK": 4, b"DeviceCMYK": 4, b"I": 1}


def _inline_value(params: bytes, *keys: bytes) -> bytes | None:
    for key in keys:
        m = re.search(rb"/" + key + rb"(?![A-Za-z])\s*(/?[A-Za-z0-9.]+)", params)
        if m:
            return m.group(1).lstrip(b"/")
    return None


def encode_inline_images(data: bytes) -> bytes:
    """A content stream with each unfiltered inline image's samples compressed and hex-encoded (/F [/AHx /Fl]):
    the same pixels, but bytes that no longer spell out text someone wrote into them. An inline image whose
    length cannot be worked out (a filter, an unknown colour space) is left as it is."""
    out = bytearray()
    pos = 0
    for m in _INLINE.finditer(data):
        if m.start() < pos:
            continue
        params = m.group(1)
        if _inline_value(params, b"F", b"Filter") is not None:
            continue
        try:
            w = int(_inline_value(params, b"W", b"Width") or b"0")
            h = int(_inline_value(params, b"H", b"Height") or b"0")
            mask = _inline_value(params, b"IM", b"ImageMask") == b"true"
            bpc = 1 if mask else int(_inline_value(params, b"BPC", b"BitsPerComponent") or b"0")
            comps = 1 if mask else _COMPONENTS.get(_inline_value(params, b"CS", b"ColorSpace") or b"", 0)
        except ValueError:
            continue
        length = h * ((w * comps * bpc + 7) // 8)
        end = m.end() + length
        if not length or not re.match(rb"\s*EI(?![A-Za-z0-9_])", data[end : end + 8]):
            continue
        samples = data[m.end() : end]
        out += data[pos : m.start()] + b"BI" + params + b" /F [/AHx /Fl] ID "
        out += zlib.compress(samples).hex().encode() + b">"
        pos = end
    return bytes(out + data[pos:]) if pos else data


def _encode_inline_images(doc: pymupdf.Document, xref: int) -> None:
    data = stream_bytes(doc, xref)
    if not data or b"BI" not in data:
        return
    clean = encode_inline_images(data)
    if clean != data:
        doc.update_stream(xref, clean)


def _rename_layer(doc: pymupdf.Document, xref: int) -> None:
    """An optional-content group still named by the content keeps a neutral name and no usage details (who
    created it, for whom): its name is what a layer panel shows, and it can be a person's."""
    doc.xref_set_key(xref, "Name", "(Layer)")
    for key in ("Usage", "Intent"):
        if doc.xref_get_key(xref, key)[0] != "null":
            doc.xref_set_key(xref, key, "null")


_TEXT_OBJECT = re.compile(rb"(?<![A-Za-z0-9_])BT(?![A-Za-z0-9_]).*?(?<![A-Za-z0-9_])ET(?![A-Za-z0-9_])", re.S)


def _strip_pattern_text(doc: pymupdf.Document, xref: int) -> None:
    """The text objects of a tiling pattern's cell (or of a Type3 glyph) removed: text repeated as a fill is
    decoration, which no extractor reads in place and a redaction box over it does not reach (a name written
    into a pattern)."""
    data = stream_bytes(doc, xref)
    if not data or b"BT" not in data:
        return
    clean = _TEXT_OBJECT.sub(b" ", data)
    if clean != data:
        doc.update_stream(xref, clean)


def _strip_glyph_text(doc: pymupdf.Document, font: int) -> None:
    """The text objects inside a Type3 font's glyph procedures removed: a glyph that writes words with another
    font hides them a thousand times smaller than the page's text, where only a program reads them."""
    kind, value = doc.xref_get_key(font, "CharProcs")
    if kind == "xref":
        value = doc.xref_object(int(value.split()[0]), compressed=True)
    for proc in {int(x) for x in re.findall(r"(\d+) 0 R", value)}:
        _strip_pattern_text(doc, proc)


def _strip_image(doc: pymupdf.Document, xref: int, jpx: bool = False) -> None:
    raw = doc.xref_stream_raw(xref)
    clean = strip_jpx(raw) if jpx else strip_jpeg(raw)
    if clean != raw:
        parms = doc.xref_get_key(xref, "DecodeParms")
        doc.update_stream(xref, clean, compress=0)
        doc.xref_set_key(xref, "Filter", "/JPXDecode" if jpx else "/DCTDecode")
        if parms[0] != "null":
            doc.xref_set_key(xref, "DecodeParms", parms[1])


STANDARD_FONTS = frozenset(
    "Courier Courier-Bold Courier-BoldOblique Courier-Oblique Helvetica Helvetica-Bold Helvetica-BoldOblique "
    "Helvetica-Oblique Times-Roman Times-Bold Times-Italic Times-BoldItalic Symbol ZapfDingbats".split()
)


def _font_files(doc: pymupdf.Document, descriptor: int) -> list[int]:
    out = []
    for key in ("FontFile", "FontFile2", "FontFile3"):
        kind, value = doc.xref_get_key(descriptor, key)
        if kind == "xref":
            out.append(int(value.split()[0]))
    return out


def _descriptor(doc: pymupdf.Document, font: int) -> int:
    kind, value = doc.xref_get_key(font, "FontDescriptor")
    return int(value.split()[0]) if kind == "xref" else 0


def _rename_font(doc: pymupdf.Document, xref: int, n: int) -> None:
    """A neutral name for a font (and its descendant's and descriptor's), the names in its program blanked."""
    base = doc.xref_get_key(xref, "BaseFont")[1].lstrip("/")
    subtype = doc.xref_get_key(xref, "Subtype")[1]
    descriptors = [_descriptor(doc, xref)]
    kind, value = doc.xref_get_key(xref, "DescendantFonts")
    descendants: list[int] = []
    if kind == "array":
        descendants = [int(x) for x in re.findall(r"(\d+) 0 R", value)]
    elif kind == "xref":
        inner = doc.xref_object(int(value.split()[0]))
        descendants = [int(x) for x in re.findall(r"(\d+) 0 R", inner)]
    descriptors += [_descriptor(doc, d) for d in descendants]
    descriptors = [d for d in descriptors if d]
    embedded = any(_font_files(doc, d) for d in descriptors)
    if subtype == "/Type3":
        _strip_glyph_text(doc, xref)
        return
    if not embedded:
        _unknown_glyph_names(doc, xref)
        if base.split(",")[0] in STANDARD_FONTS or base.split("+")[-1] in STANDARD_FONTS:
            return
        new = "Helvetica"
    else:
        letters = "".join(chr(ord("A") + (n // 26**i) % 26) for i in range(6))
        new = f"{letters}+SarkitFont{n}"
    name = f"/{new}"
    if doc.xref_get_key(xref, "BaseFont")[0] != "null":
        doc.xref_set_key(xref, "BaseFont", name)
    for d in descendants:
        if doc.xref_get_key(d, "BaseFont")[0] != "null":
            doc.xref_set_key(d, "BaseFont", name)
    for d in descriptors:
        doc.xref_set_key(d, "FontName", name)
        if doc.xref_get_key(d, "FontFamily")[0] != "null":
            doc.xref_set_key(d, "FontFamily", "(SarkitFont)")
        for f in _font_files(doc, d):
            _blank_program(doc, f)


_GLYPH_NAME = re.compile(r"/([^\s/\[\]<>()]+)")


def _unknown_glyph_names(doc: pymupdf.Document, font: int) -> None:
    """A font with no program of its own draws a glyph by its standard name: a name in its encoding's
    /Differences that no standard glyph has (a person's name given to an unused code) draws nothing, and
    becomes /.notdef (the page looks the same)."""
    kind, value = doc.xref_get_key(font, "Encoding")
    holder, key = font, "Encoding"
    if kind == "xref":
        holder, key = int(value.split()[0]), ""
        value = doc.xref_object(holder, compressed=True)
    elif kind != "dict":
        return
    m = re.search(r"/Differences\s*\[([^\]]*)\]", value)
    if not m:
        return

    def known(g: re.Match[str]) -> str:
        name = g.group(1)
        return g.group(0) if pymupdf.mupdf.fz_unicode_from_glyph_name(name) != 0xFFFD else "/.notdef"

    diffs = _GLYPH_NAME.sub(known, m.group(1))
    if diffs != m.group(1):
        doc.xref_set_key(holder, f"{key}/Differences" if key else "Differences", f"[{diffs}]")


def _blank_program(doc: pymupdf.Document, xref: int) -> None:
    data = stream_bytes(doc, xref)
    if not data:
        return
    clean = blank_font_names(data)
    if clean != data:
        doc.update_stream(xref, clean)


def blank_font_names(data: bytes) -> bytes:
    """A font program with the names it carries blanked (same length, same structure)."""
    if data[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return _blank_sfnt(data)
    if data[:1] == b"\x01" and len(data) > 4:
        return _blank_cff(data)
    if data[:2] == b"%!":
        return _blank_type1(data)
    return data


def _blank_sfnt(data: bytes) -> bytes:
    out = bytearray(data)
    count = int.from_bytes(data[4:6], "big")
    for i in range(count):
        rec = 12 + 16 * i
        if rec + 16 > len(data):
            break
        tag = data[rec : rec + 4]
        offset = int.from_bytes(data[rec + 8 : rec + 12], "big")
        length = int.from_bytes(data[rec + 12 : rec + 16], "big")
        if offset + length > len(data):
            continue
        if tag == b"name" and length >= 6:
            storage = offset + int.from_bytes(data[offset + 4 : offset + 6], "big")
            for j in range(storage, offset + length):
                out[j] = 0x20 if out[j] else 0  # UTF-16 strings keep their zero bytes
        elif tag == b"CFF ":
            out[offset : offset + length] = _blank_cff(bytes(data[offset : offset + length]))
    return bytes(out)


def _read_index(data: bytes, pos: int) -> tuple[list[tuple[int, int]], int]:
    """The (start, end) of each item of a CFF INDEX at pos, and the position after it."""
    count = int.from_bytes(data[pos : pos + 2], "big")
    if count == 0:
        return [], pos + 2
    size = data[pos + 2]
    offs = [int.from_bytes(data[pos + 3 + k * size : pos + 3 + (k + 1) * size], "big") for k in range(count + 1)]
    base = pos + 3 + (count + 1) * size - 1
    return [(base + offs[k], base + offs[k + 1]) for k in range(count)], base + offs[-1]


def _dict_ops(data: bytes, start: int, end: int) -> dict[tuple[int, ...], list[int]]:
    """The operators of a CFF DICT with their integer operands (a real number counts as 0)."""
    out: dict[tuple[int, ...], list[int]] = {}
    operands: list[int] = []
    i = start
    while i < end:
        b = data[i]
        if b <= 21:
            op: tuple[int, ...] = (b,) if b != 12 else (12, data[i + 1])
            i += 1 if b != 12 else 2
            out[op] = operands
            operands = []
        elif b == 28:
            operands.append(int.from_bytes(data[i + 1 : i + 3], "big", signed=True))
            i += 3
        elif b == 29:
            operands.append(int.from_bytes(data[i + 1 : i + 5], "big", signed=True))
            i += 5
        elif b == 30:  # a real number: nibbles up to 0xf
            i += 1
            while i < end and (data[i] & 0x0F) != 0x0F and (data[i] >> 4) != 0x0F:
                i += 1
            i += 1
            operands.append(0)
        elif 32 <= b <= 246:
            operands.append(b - 139)
            i += 1
        elif 247 <= b <= 250:
            operands.append((b - 247) * 256 + data[i + 1] + 108)
            i += 2
        elif 251 <= b <= 254:
            operands.append(-(b - 251) * 256 - data[i + 1] - 108)
            i += 2
        else:
            i += 1
    return out


_NAME_OPS = {(0,), (1,), (2,), (3,), (4,), (12, 0), (12, 21), (12, 38)}  # version notice full family weight ...
_STD_STRINGS = 391  # string ids below this are the standard strings, not in the font's String INDEX


def _charset_sids(data: bytes, top: dict[tuple[int, ...], list[int]]) -> set[int]:
    """The string ids a font program needs: its glyph names (charset), the names its encoding supplements give,
    and a CID font's registry and ordering."""
    keep: set[int] = set()
    ros = top.get((12, 30))
    if ros:
        keep.update(ros[:2])
        return keep  # a CID font's charset holds CIDs, not names
    charset = (top.get((15,)) or [0])[-1]
    if charset > 2:
        glyphs = int.from_bytes(data[top[(17,)][-1] : top[(17,)][-1] + 2], "big")
        fmt, i, n = data[charset], charset + 1, 1
        while n < glyphs:
            if fmt == 0:
                keep.add(int.from_bytes(data[i : i + 2], "big"))
                i, n = i + 2, n + 1
            elif fmt in (1, 2):
                first = int.from_bytes(data[i : i + 2], "big")
                size = 1 if fmt == 1 else 2
                left = int.from_bytes(data[i + 2 : i + 2 + size], "big")
                keep.update(range(first, first + left + 1))
                i, n = i + 2 + size, n + left + 1
            else:
                raise ValueError("bad CFF charset")
    encoding = (top.get((16,)) or [0])[-1]
    if encoding > 1 and data[encoding] & 0x80:  # supplements: (code, glyph name) pairs after the codes
        fmt, count = data[encoding] & 0x7F, data[encoding + 1]
        i = encoding + 2 + (count if fmt == 0 else 2 * count)
        for k in range(data[i]):
            keep.add(int.from_bytes(data[i + 2 + 3 * k : i + 4 + 3 * k], "big"))
    return keep


def _blank_cff(data: bytes) -> bytes:
    """A CFF program with its names and free strings blanked: the Name INDEX, and every string of the String
    INDEX but the glyph names (charset, encoding supplements) and a CID font's registry and ordering, which
    rendering and text extraction need. Same length, same structure; unchanged when it cannot be parsed."""
    try:
        out = bytearray(data)
        pos = data[2]
        names, pos = _read_index(data, pos)
        for a, b in names:
            out[a:b] = b"F" * (b - a)
        tops, pos = _read_index(data, pos)
        strings, _ = _read_index(data, pos)
        keep: set[int] | None = set()
        named: set[int] = set()
        for a, b in tops:
            top = _dict_ops(data, a, b)
            named.update(v[-1] for op, v in top.items() if op in _NAME_OPS and v)
            try:
                if keep is not None:
                    keep |= _charset_sids(data, top)
            except (IndexError, ValueError, KeyError):
                keep = None  # glyph names unknown: only the Top DICT's names are blanked
        for k, (s, e) in enumerate(strings):
            sid = k + _STD_STRINGS
            if sid not in keep if keep is not None else sid in named:
                out[s:e] = b"F" * (e - s)
        return bytes(out)
    except (IndexError, ValueError):
        return data


_T1_NAMES = re.compile(
    rb"(/(?:FontName|FullName|FamilyName|Notice|Copyright|Weight)\s*)(\((?:[^()\\]|\\.)*\)|/[^\s/\[\]{}()<>]+)"
)


def _blank_type1(data: bytes) -> bytes:
    end = data.find(b"eexec")
    head = data if end < 0 else data[:end]

    def blank(m: re.Match[bytes]) -> bytes:
        value = m.group(2)
        filler = b"F" * (len(value) - 2)
        return m.group(1) + (
            value[:1] + filler + value[-1:] if value.startswith(b"(") else b"/" + b"F" * (len(value) - 1)
        )

    new_head = _T1_NAMES.sub(blank, head)
    return new_head + (b"" if end < 0 else data[end:])


# ---------------------------------------------------------------- resource names

_RESOURCE_KINDS = ("Font", "XObject", "ExtGState", "ColorSpace", "Pattern", "Shading", "Properties")
_WORDY = re.compile(r"[A-Za-z]{4,}")  # a run of letters that could spell a name; "F1", "Im0", "GS2" do not
_BASE14_SHORT = frozenset("helv heit hebo hebi cour coit cobo cobi tiro tibo tiit tibi symb zadb".split())
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.+-]+")  # written without #-escapes: found as it is in a content stream


_TOKEN = re.compile(r"<<|>>|\[|\]|\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|/[^\s/<>\[\]()]*|[^\s/<>\[\]()]+")


def _dict_entries(text: str) -> list[tuple[str, str]]:
    """(key, value text) of the top level of a PDF dictionary written as text ("<< /F1 5 0 R /CS0 /DeviceRGB >>");
    [] when it cannot be read (a nested string with parentheses, say: nothing is renamed then)."""
    body = text.strip()
    if not (body.startswith("<<") and body.endswith(">>")):
        return []
    body = body[2:-2]
    toks = list(_TOKEN.finditer(body))
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(toks):
        key = toks[i].group(0)
        if not key.startswith("/") or i + 1 >= len(toks):
            return []
        j = i + 1
        first = toks[j].group(0)
        if first in ("<<", "["):
            depth = 0
            while j < len(toks):
                t = toks[j].group(0)
                depth += t in ("<<", "[")
                depth -= t in (">>", "]")
                if depth == 0:
                    break
                j += 1
            if depth:
                return []
        elif first.isdigit() and j + 2 < len(toks) and toks[j + 1].group(0).isdigit() and toks[j + 2].group(0) == "R":
            j += 2
        out.append((key[1:], body[toks[i + 1].start() : toks[j].end()]))
        i = j + 1
    return out


def rename_resources(doc: pymupdf.Document) -> int:
    """Resource names that could spell someone's name (a font called /BrianLewis in a page's resources, and
    used as such in its content) get neutral ones, in the dictionary and in the content streams that use it.
    Names with no run of four letters are left as they are. Returns how many names were changed."""
    holders: list[tuple[int, list[int]]] = [(page.xref, page.get_contents()) for page in doc]
    for xref in range(1, doc.xref_length()):
        try:
            if doc.xref_is_stream(xref) and doc.xref_get_key(xref, "Resources")[0] != "null":
                holders.append((xref, [xref]))  # a form XObject or a pattern: its own content and resources
        except Exception:  # noqa: BLE001,S112 - a damaged object: the others are still renamed
            continue
    done: dict[tuple, dict[str, str]] = {}
    changed = 0
    for holder, streams in holders:
        try:
            res_kind, res_value = doc.xref_get_key(holder, "Resources")
            if res_kind == "null":
                continue
            renames: dict[str, str] = {}
            for cat in _RESOURCE_KINDS:
                kind, value = doc.xref_get_key(holder, f"Resources/{cat}")
                if kind == "null":
                    continue
                if kind == "xref":
                    ident: tuple = ("x", int(value.split()[0]))
                    value = doc.xref_object(ident[1], compressed=True)
                elif res_kind == "xref":
                    ident = ("r", int(res_value.split()[0]), cat)
                else:
                    ident = ("h", holder, cat)
                if ident in done:
                    renames.update(done[ident])
                    continue
                entries = _dict_entries(value)
                keys = {k for k, _ in entries}
                mine: dict[str, str] = {}
                for key, val in entries:
                    if not _WORDY.search(key) or key in _BASE14_SHORT or not _PLAIN_NAME.fullmatch(key):
                        continue
                    n = len(mine) + 1
                    while f"S{cat[0]}{n}" in keys:
                        n += 1
                    new = f"S{cat[0]}{n}"
                    keys.add(new)
                    if ident[0] == "x":
                        doc.xref_set_key(ident[1], new, val)
                        doc.xref_set_key(ident[1], key, "null")
                    elif ident[0] == "r":
                        doc.xref_set_key(ident[1], f"{cat}/{new}", val)
                        doc.xref_set_key(ident[1], f"{cat}/{key}", "null")
                    else:
                        doc.xref_set_key(holder, f"Resources/{cat}/{new}", val)
                        doc.xref_set_key(holder, f"Resources/{cat}/{key}", "null")
                    mine[key] = new
                done[ident] = mine
                renames.update(mine)
            if not renames:
                continue
            pattern = re.compile(
                rb"/(" + b"|".join(re.escape(k.encode()) for k in renames) + rb")(?=[\s/\[\]<>(){}%]|$)"
            )
            for xref in streams:
                data = stream_bytes(doc, xref)
                if data is None:
                    continue
                clean = pattern.sub(lambda m: b"/" + renames[m.group(1).decode()].encode(), data)
                if clean != data:
                    doc.update_stream(xref, clean)
            changed += len(renames)
        except Exception:  # noqa: BLE001,S112 - a damaged holder: verify still reads what is left
            continue
    return changed
