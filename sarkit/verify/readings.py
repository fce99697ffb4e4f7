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

Which pages must be OCRed because they show text no extractor can map (`ocr_reason`) is decided by the
test in sarkit.legible, which ingest runs too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pymupdf

from ..legible import ocr_reason as ocr_reason  # the test of which pages verify OCRs (re-exported)
from .normalise import split_names

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
        elif data[36:40] == b"acsp":  # an ICC colour profile: its description and copyright tags are text
            yield "image-metadata", None, "image", printable(data)
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
