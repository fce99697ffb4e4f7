"""Hostile documents built by code: one per kind of hiding place for a protected name (issue 15).

Each builder writes one file that shows ordinary case-note text and hides NAME (or a disguised form of it)
in one trap, and returns the file's path. Used by test_verify_register.py.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from pathlib import Path

import docx
import pymupdf

FIRST, LAST = "Brian", "Lewis"
NAME = f"{FIRST} {LAST}"
BODY = "Home visit. The family were at home and the visit went well. Next visit in four weeks."
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _page(doc: pymupdf.Document) -> pymupdf.Page:
    page = doc.new_page()
    page.insert_text((72, 72), BODY, fontsize=10)
    return page


def _save(doc: pymupdf.Document, path: Path) -> Path:
    doc.save(path, garbage=3, deflate=True)
    doc.close()
    return path


def text_pdf(path: Path, text: str, fontfile: Path | None = None) -> Path:
    """An ordinary page showing `text` (the name written in some disguise) below the body."""
    doc = pymupdf.open()
    page = _page(doc)
    if fontfile is None:
        page.insert_text((72, 100), text, fontsize=11)
    else:
        page.insert_text((72, 100), text, fontsize=11, fontname="F9", fontfile=str(fontfile))
    return _save(doc, path)


def ocmd_alloff(path: Path) -> Path:
    """Text under an optional-content membership dictionary /P /AllOff of a group that is on: hidden."""
    doc = pymupdf.open()
    page = _page(doc)
    ocg = doc.add_ocg("Layer 1", on=True)
    ocmd = doc.set_ocmd(ocgs=[ocg], policy="AllOff")
    page.insert_text((72, 100), f"Referred by {NAME}.", fontsize=11, oc=ocmd)
    return _save(doc, path)


def clipped(path: Path) -> Path:
    """Text drawn inside a clip path that shows none of it."""
    doc = pymupdf.open()
    page = _page(doc)
    font = [f for f in page.get_fonts() if f[3] == "Helvetica"][0][4]  # the resource name of Helvetica
    xref = page.get_contents()[0]
    ops = f"\nq 0 0 1 1 re W n BT /{font} 11 Tf 72 700 Td ({NAME}) Tj ET Q\n".encode()
    doc.update_stream(xref, doc.xref_stream(xref) + ops)
    return _save(doc, path)


def page_label(path: Path) -> Path:
    doc = pymupdf.open()
    _page(doc)
    doc.set_page_labels([{"startpage": 0, "prefix": f"{NAME} ", "style": "D", "firstpagenum": 1}])
    return _save(doc, path)


def _jpeg(text: str = "scan") -> bytes:
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 120, 40), False)
    pix.set_rect(pix.irect, (235, 235, 235))
    return pix.tobytes("jpeg")


def _exif(text: str) -> bytes:
    """An APP1 Exif segment whose ImageDescription (0x010E) and Artist (0x013B) are text."""
    data = text.encode() + b"\x00"
    ifd_entries = 2
    data_offset = 8 + 2 + 12 * ifd_entries + 4
    tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", ifd_entries)
    for tag in (0x010E, 0x013B):
        tiff += struct.pack("<HHII", tag, 2, len(data), data_offset)
    tiff += struct.pack("<I", 0) + data
    body = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def _com(text: str) -> bytes:
    body = text.encode()
    return b"\xff\xfe" + struct.pack(">H", len(body) + 2) + body


def jpeg_with_metadata(path: Path, exif: bool = True, comment: bool = True) -> Path:
    """A photo on the page whose JPEG carries the name in EXIF and in a comment segment."""
    jpg = _jpeg()
    extra = (_exif(f"Photo of {NAME}") if exif else b"") + (_com(f"taken by {NAME}") if comment else b"")
    jpg = jpg[:2] + extra + jpg[2:]
    doc = pymupdf.open()
    page = _page(doc)
    page.insert_image(pymupdf.Rect(72, 120, 312, 200), stream=jpg)
    return _save(doc, path)


def xmp_on_image(path: Path) -> Path:
    """An XMP packet attached to an image XObject (/Metadata of the image, not of the document)."""
    doc = pymupdf.open()
    page = _page(doc)
    page.insert_image(pymupdf.Rect(72, 120, 312, 200), stream=_jpeg())
    img = page.get_images()[0][0]
    meta = doc.get_new_xref()
    doc.update_object(meta, "<< /Type /Metadata /Subtype /XML >>")
    xmp = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{NAME}</dc:creator></rdf:Description>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    doc.update_stream(meta, xmp.encode())
    doc.xref_set_key(img, "Metadata", f"{meta} 0 R")
    return _save(doc, path)


def font_named(path: Path) -> Path:
    """The font of the body text is called after the person (BaseFont /ABCDEF+BrianLewis)."""
    doc = pymupdf.open()
    page = _page(doc)
    xref = page.get_fonts()[0][0]
    doc.xref_set_key(xref, "BaseFont", f"/ABCDEF+{FIRST}{LAST}")
    return _save(doc, path)


def vector_outlines(path: Path) -> Path:
    """The name drawn as filled glyph outlines (no text at all), below ordinary text."""
    src = pymupdf.open()
    p = src.new_page(width=400, height=60)
    p.insert_text((10, 40), f"Referred by {NAME}", fontsize=20)
    svg = p.get_svg_image(text_as_path=True)
    shape = pymupdf.open(stream=svg.encode(), filetype="svg")
    shape_pdf = pymupdf.open("pdf", shape.convert_to_pdf())
    doc = pymupdf.open()
    page = _page(doc)
    page.show_pdf_page(pymupdf.Rect(72, 110, 472, 170), shape_pdf, 0)
    return _save(doc, path)


def identity_h_without_tounicode(path: Path) -> Path:
    """The name in an embedded Identity-H font whose ToUnicode map was removed: glyph ids, not letters."""
    doc = pymupdf.open()
    page = _page(doc)
    page.insert_text((72, 110), f"Referred by {NAME}", fontsize=20, fontname="F9", fontfile=str(DEJAVU))
    for f in page.get_fonts():
        if f[5] == "Identity-H":
            doc.xref_set_key(f[0], "ToUnicode", "null")
    return _save(doc, path)


def type3_without_tounicode(path: Path) -> Path:
    """The name in a Type3 font whose glyphs are drawings of the letters and which has no ToUnicode map:
    the character codes are 1, 2, 3 ... (no extractor can turn them into letters)."""
    letters = sorted(set(f"Referred by {NAME}".replace(" ", "")))
    codes = {ch: i + 1 for i, ch in enumerate(letters)}
    procs = {ch: _glyph_ops(ch) for ch in letters}
    helv = pymupdf.Font("helv")
    widths = {ch: round(helv.glyph_advance(ord(ch)) * 1000) for ch in letters}
    doc = pymupdf.open()
    page = _page(doc)
    char_procs = []
    for ch in letters:
        x = doc.get_new_xref()
        doc.update_object(x, "<< >>")
        doc.update_stream(x, f"{widths[ch]} 0 0 -200 1000 1000 d1\n{procs[ch]}".encode())
        char_procs.append((ch, x))
    names = " ".join(f"/g{codes[ch]}" for ch in letters)
    font = doc.get_new_xref()
    doc.update_object(
        font,
        "<< /Type /Font /Subtype /Type3 /FontBBox [0 -200 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] "
        f"/CharProcs << {' '.join(f'/g{codes[ch]} {x} 0 R' for ch, x in char_procs)} >> "
        f"/Encoding << /Type /Encoding /Differences [1 {names}] >> "
        f"/FirstChar 1 /LastChar {len(letters)} /Widths [{' '.join(str(widths[ch]) for ch in letters)}] >>",
    )
    res = doc.xref_get_key(page.xref, "Resources")
    if res[0] == "xref":
        rx = int(res[1].split()[0])
        doc.xref_set_key(rx, "Font/T3", f"{font} 0 R")
    else:
        doc.xref_set_key(page.xref, "Resources/Font/T3", f"{font} 0 R")
    out = []
    x0 = 72.0
    for word in f"Referred by {NAME}".split():
        hexs = "".join(f"{codes[ch]:02x}" for ch in word)
        out.append(f"BT /T3 20 Tf {x0:.1f} 650 Td <{hexs}> Tj ET")
        x0 += sum(widths[ch] for ch in word) * 0.02 + 6
    xref = page.get_contents()[0]
    doc.update_stream(xref, doc.xref_stream(xref) + ("\nq " + " ".join(out) + " Q\n").encode())
    return _save(doc, path)


def _glyph_ops(ch: str) -> str:
    """PDF path operators drawing the outline of ch (Helvetica) on a 1000-unit glyph grid, y up."""
    src = pymupdf.open()
    p = src.new_page(width=100, height=100)
    p.insert_text((10, 80), ch, fontsize=100)
    svg = p.get_svg_image(text_as_path=True)
    d = re.search(r'<path id="[^"]*" d="([^"]*)"', svg)
    ops: list[str] = []
    if d is None:
        return ""
    toks = re.findall(r"[MLHVCZmlhvcz]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?", d.group(1))
    cmd, x, y, i = "", 0.0, 0.0, 0
    while i < len(toks):
        t = toks[i]
        if t.isalpha():
            cmd = t.upper()
            i += 1
            if cmd == "Z":
                ops.append("h")
            continue
        n = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6}[cmd]
        v = [float(a) * 1000 for a in toks[i : i + n]]
        i += n
        if cmd == "H":
            x = v[0]
            ops.append(f"{x:.0f} {y:.0f} l")
        elif cmd == "V":
            y = v[0]
            ops.append(f"{x:.0f} {y:.0f} l")
        elif cmd == "C":
            x, y = v[4], v[5]
            ops.append(" ".join(f"{a:.0f}" for a in v) + " c")
        else:
            x, y = v
            ops.append(f"{x:.0f} {y:.0f} {'m' if cmd == 'M' else 'l'}")
            cmd = "L" if cmd == "M" else cmd
    ops.append("f")
    return "\n".join(ops)


def text_image(path: Path) -> Path:
    """A picture of a message (the name in pixels) on a page of ordinary text."""
    src = pymupdf.open()
    p = src.new_page(width=300, height=60)
    p.insert_text((10, 38), f"From: {NAME}", fontsize=22)
    png = p.get_pixmap(dpi=200).tobytes("png")
    doc = pymupdf.open()
    page = _page(doc)
    page.insert_image(pymupdf.Rect(72, 110, 372, 170), stream=png)
    return _save(doc, path)


def docx_text(path: Path, text: str) -> Path:
    d = docx.Document()
    d.add_paragraph(BODY)
    d.add_paragraph(text)
    d.save(str(path))
    return path


def docx_zero_width(path: Path) -> Path:
    """A zero-width space inside the surname, in one run of a DOCX."""
    return docx_text(path, f"Referred by {FIRST} {LAST[:2]}\u200b{LAST[2:]}.")


def docx_cyrillic(path: Path) -> Path:
    """Cyrillic look-alike letters in the name (В, е): the same picture, other characters."""
    return docx_text(path, "Referred by \u0412rian L\u0435wis.")


def pdf_cyrillic(path: Path) -> Path:
    return text_pdf(path, "Referred by \u0412rian L\u0435wis.", fontfile=DEJAVU)


def soft_hyphen(path: Path) -> Path:
    """The surname split by a soft hyphen at a line end."""
    doc = pymupdf.open()
    page = _page(doc)
    page.insert_text(
        (72, 100), f"Referred by {FIRST} {LAST[:2]}\u00ad", fontsize=11, fontname="F9", fontfile=str(DEJAVU)
    )
    page.insert_text((72, 114), f"{LAST[2:]} on Monday.", fontsize=11)
    return _save(doc, path)


# ---------------------------------------------------------------- traps of the second round (issue 15)


def tounicode_remapped(path: Path) -> Path:
    """The name in an embedded font whose ToUnicode map turns every glyph into another letter (ROT13): the
    page shows "Referred by Brian Lewis", every extractor reads "Ersreerq ol Oevna Yrjvf"."""
    import codecs

    doc = pymupdf.open()
    page = _page(doc)
    page.insert_text((72, 110), f"Referred by {NAME}", fontsize=20, fontname="F9", fontfile=str(DEJAVU))
    glyphs = {c[1]: c[0] for s in page.get_texttrace() if s["font"] != "Helvetica" for c in s["chars"]}
    pairs = "".join(f"<{g:04x}> <{ord(codecs.encode(chr(u), 'rot13')):04x}>\n" for g, u in sorted(glyphs.items()))
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <</Registry(Adobe)"
        "/Ordering(UCS)/Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{len(glyphs)} beginbfchar\n{pairs}endbfchar\nendcmap\n"
        "CMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    for f in page.get_fonts():
        if f[5] == "Identity-H":
            x = doc.get_new_xref()
            doc.update_object(x, "<< >>")
            doc.update_stream(x, cmap.encode())
            doc.xref_set_key(f[0], "ToUnicode", f"{x} 0 R")
    return _save(doc, path)


def _scan_page(doc: pymupdf.Document, draw: Callable[[pymupdf.Page], None], dpi: int = 150) -> pymupdf.Page:
    """A page that is one image: `draw` writes on a page that is then rendered in grey at dpi."""
    src = pymupdf.open()
    p = src.new_page()
    p.insert_text((72, 72), BODY, fontsize=10)
    p.insert_text((72, 90), "The children were well and the house was tidy.", fontsize=10)
    draw(p)
    png = p.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY).tobytes("png")
    page = doc.new_page(width=p.rect.width, height=p.rect.height)
    page.insert_image(page.rect, stream=png)
    return page


def pale_rotated_scan(path: Path) -> Path:
    """A scanned page with the name written in light grey, turned 30 degrees (a pencilled note)."""
    doc = pymupdf.open()

    def draw(p: pymupdf.Page) -> None:
        origin = pymupdf.Point(150, 400)
        p.insert_text(origin, f"Ring {NAME}", fontsize=22, color=(0.8, 0.8, 0.8), morph=(origin, pymupdf.Matrix(30)))

    _scan_page(doc, draw)
    return _save(doc, path)


def stamped_scan(path: Path) -> Path:
    """A scanned page showing the name, with a small digital stamp as its only text layer."""
    doc = pymupdf.open()
    page = _scan_page(doc, lambda p: p.insert_text((72, 130), f"Referred by {NAME} on Monday.", fontsize=12))
    page.insert_text((300, 30), "Scanned 2021-03-02 by Records Office, batch 7", fontsize=7, color=(0.3, 0.3, 0.3))
    return _save(doc, path)


def _jp2(xml: str = "", comment: str = "") -> bytes:
    """A small grey JPEG 2000 image (Pillow) with an XML box and a codestream comment holding text."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (120, 40), 230).save(buf, "JPEG2000")
    data = buf.getvalue()
    at = data.index(b"jp2c") - 4
    code = data[at + 8 :]
    siz = 4 + int.from_bytes(code[4:6], "big")  # SOC, then the SIZ segment
    com = comment.encode()
    code = code[:siz] + b"\xff\x64" + struct.pack(">HH", len(com) + 4, 1) + com + code[siz:]
    xml_box = struct.pack(">I", len(xml) + 8) + b"xml " + xml.encode() if xml else b""
    return data[:at] + xml_box + struct.pack(">I", len(code) + 8) + b"jp2c" + code


def jpx_with_metadata(path: Path) -> Path:
    """A JPEG 2000 photo whose XML box and codestream comment name the person."""
    doc = pymupdf.open()
    page = _page(doc)
    xmp = f"<x:xmpmeta xmlns:x='adobe:ns:meta/'><dc:creator>{NAME}</dc:creator></x:xmpmeta>"
    page.insert_image(pymupdf.Rect(72, 120, 312, 200), stream=_jp2(xmp, f"taken by {NAME}"))
    return _save(doc, path)


def property_actualtext(path: Path) -> Path:
    """Marked content whose property list, written inside the page's resources, carries the name as
    /ActualText (what a program reads instead of the glyphs), with nested parentheses in the string."""
    doc = pymupdf.open()
    page = _page(doc)
    font = [f for f in page.get_fonts() if f[3] == "Helvetica"][0][4]
    res = doc.xref_get_key(page.xref, "Resources")
    holder, key = (int(res[1].split()[0]), "Properties") if res[0] == "xref" else (page.xref, "Resources/Properties")
    doc.xref_set_key(holder, key, f"<< /MC0 << /ActualText (Visit \\(by {NAME}\\) (ok)) >> >>")
    xref = page.get_contents()[0]
    ops = f"\n/Span /MC0 BDC BT /{font} 11 Tf 72 400 Td (Visit) Tj ET EMC\n".encode()
    doc.update_stream(xref, doc.xref_stream(xref) + ops)
    return _save(doc, path)


def cff_font_program(name: str = f"{FIRST}{LAST}") -> bytes:
    """An OpenType (CFF) font of a few glyphs, one with a custom glyph name, whose CFF String INDEX holds
    `name` (as BaseFontName, which nothing shows), built with fontTools."""
    import io

    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    letters = "BHLaeinrsw"
    names = [".notdef", "space", *letters, "uni0411"]
    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): c for c in letters} | {32: "space", 0x411: "uni0411"})
    charstrings = {}
    for g in names:
        pen = T2CharStringPen(600, None)
        if g not in (".notdef", "space"):
            for pt in ((50, 0), (550, 0), (550, 700), (50, 700)):
                (pen.lineTo if pt != (50, 0) else pen.moveTo)(pt)
            pen.closePath()
        charstrings[g] = pen.getCharString()
    fb.setupCFF("Plain", {"FullName": "Plain", "BaseFontName": name}, charstrings, {})
    fb.setupHorizontalMetrics({g: (600, 50) for g in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Plain", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    out = io.BytesIO()
    fb.save(out)
    return out.getvalue()


def cff_string(path: Path) -> Path:
    """Body text in an embedded CFF font whose String INDEX carries the name outside the Top DICT's names."""
    doc = pymupdf.open()
    page = _page(doc)
    page.insert_font(fontname="F7", fontbuffer=cff_font_program())
    page.insert_text((72, 120), "Ben was seen", fontname="F7", fontsize=12)
    return _save(doc, path)


# kind of trap -> (file name under documents/, builder)
TRAPS: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "ocmd-alloff": ("2020-01-01 Note A.pdf", ocmd_alloff),
    "clipped-text": ("2020-01-02 Note B.pdf", clipped),
    "page-label": ("2020-01-03 Note C.pdf", page_label),
    "jpeg-exif-com": ("2020-01-04 Note D.pdf", jpeg_with_metadata),
    "xmp-on-image": ("2020-01-05 Note E.pdf", xmp_on_image),
    "font-name": ("2020-01-06 Note F.pdf", font_named),
    "lower-case": ("2020-01-07 Note G.pdf", lambda p: text_pdf(p, f"Referred by {NAME.lower()}.")),
    "mrs-dot-surname": ("2020-01-08 Note H.pdf", lambda p: text_pdf(p, f"Referred by Mr.{LAST} on Monday.")),
    "initial-dot-surname": (
        "2020-01-09 Note I.pdf",
        lambda p: text_pdf(p, f"Referred by {FIRST[0]}.{LAST} on Monday."),
    ),
    "profile-url": ("2020-01-10 Note J.pdf", lambda p: text_pdf(p, f"See facebook.com/{FIRST.lower()}.{LAST.lower()}")),
    "soft-hyphen": ("2020-01-11 Note K.pdf", soft_hyphen),
    "cyrillic-pdf": ("2020-01-12 Note L.pdf", pdf_cyrillic),
    "cyrillic-docx": ("2020-01-13 Note M.docx", docx_cyrillic),
    "zero-width-docx": ("2020-01-14 Note N.docx", docx_zero_width),
    "vector-outlines": ("2020-01-15 Note O.pdf", vector_outlines),
    "type3-no-tounicode": ("2020-01-16 Note P.pdf", type3_without_tounicode),
    "identity-h-no-tounicode": ("2020-01-17 Note Q.pdf", identity_h_without_tounicode),
    "text-image": ("2020-01-18 Note R.pdf", text_image),
    "file-name": (f"2020-01-19 Letter from {NAME}.pdf", lambda p: text_pdf(p, "Letter received.")),
    "folder-name": (f"{NAME}/2020-01-20 Note.pdf", lambda p: text_pdf(p, "Letter received.")),
    "tounicode-remapped": ("2020-01-21 Note S.pdf", tounicode_remapped),
    "pale-rotated-scan": ("2020-01-22 Note T.pdf", pale_rotated_scan),
    "stamped-scan": ("2020-01-23 Note U.pdf", stamped_scan),
    "jpx-metadata": ("2020-01-24 Note V.pdf", jpx_with_metadata),
    "property-actualtext": ("2020-01-25 Note W.pdf", property_actualtext),
    "cff-string-index": ("2020-01-26 Note X.pdf", cff_string),
}


def cmapless_remapped(path: Path) -> Path:
    """tounicode_remapped with the font program's own character map and glyph names removed (as ReportLab writes
    its subsets): no map in the program to confirm the lying ToUnicode map by, only the glyphs' shapes."""
    return strip_cmap(tounicode_remapped(path))


def strip_cmap(path: Path) -> Path:
    """Every Identity-H TrueType font of the file's first page without its cmap table and glyph names (FreeType
    would build a map from them)."""
    import io

    from fontTools.ttLib import TTFont

    with pymupdf.open(path) as doc:
        for f in doc[0].get_fonts(full=True):
            if f[5] != "Identity-H":
                continue
            desc = doc.xref_get_key(f[0], "DescendantFonts")[1]
            cid = int(re.findall(r"(\d+) 0 R", desc)[0])
            fd = int(doc.xref_get_key(cid, "FontDescriptor")[1].split()[0])
            ff = int(doc.xref_get_key(fd, "FontFile2")[1].split()[0])
            font = TTFont(io.BytesIO(doc.xref_stream(ff)))
            del font["cmap"]
            font["post"].formatType = 3.0
            out = io.BytesIO()
            font.save(out)
            doc.update_stream(ff, out.getvalue())
            doc.xref_set_key(ff, "Length1", str(len(out.getvalue())))
        doc.saveIncr()
    return path


TRAPS["cmapless-remapped"] = ("2020-01-27 Note Y.pdf", cmapless_remapped)
