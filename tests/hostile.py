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


# ---------------------------------------------------------------- every other hiding place (benchmarks/redteam.py)
# The kinds issue 15 counts as handled (annotations, links, outlines, metadata, forms, attachments, layers,
# white, tiny and covered text, incremental updates, JavaScript, ligatures, rotated text ...) and every
# other place a PDF or DOCX can keep a name, one builder each.

LIG_FIRST, LIG_LAST = "Fiona", "Griffin"  # a protected name with an "ffi" ligature in it
LIG_NAME = f"{LIG_FIRST} {LIG_LAST}"


def _doc_page() -> tuple[pymupdf.Document, pymupdf.Page]:
    doc = pymupdf.open()
    return doc, _page(doc)


def _append_ops(page: pymupdf.Page, ops: str) -> None:
    """Content operators in a stream of their own, appended to the page's contents."""
    doc = page.parent
    x = doc.get_new_xref()
    doc.update_object(x, "<< >>")
    doc.update_stream(x, ops.encode("latin-1"))
    doc.xref_set_key(page.xref, "Contents", "[" + " ".join(f"{c} 0 R" for c in [*page.get_contents(), x]) + "]")


def _helv(page: pymupdf.Page) -> str:
    return [f for f in page.get_fonts() if f[3] == "Helvetica"][0][4]


def annot_text(path: Path) -> Path:
    doc, page = _doc_page()
    a = page.add_text_annot((300, 72), f"Ring {NAME} back")
    a.set_info(title=NAME, subject=f"Call from {NAME}")
    a.update()
    return _save(doc, path)


def annot_freetext(path: Path) -> Path:
    doc, page = _doc_page()
    page.add_freetext_annot(pymupdf.Rect(72, 120, 400, 150), f"Referred by {NAME}", fontsize=11)
    return _save(doc, path)


def annot_highlight_popup(path: Path) -> Path:
    doc, page = _doc_page()
    a = page.add_highlight_annot(page.search_for("Home visit")[0])
    a.set_info(content=f"This came from {NAME}", title=NAME)
    a.set_popup(pymupdf.Rect(300, 100, 500, 200))
    a.update()
    return _save(doc, path)


def annot_hidden(path: Path) -> Path:
    doc, page = _doc_page()
    a = page.add_freetext_annot(pymupdf.Rect(72, 120, 400, 150), f"Informant {NAME}", fontsize=11)
    a.set_flags(pymupdf.PDF_ANNOT_IS_HIDDEN)
    a.update()
    return _save(doc, path)


def annot_redact_unapplied(path: Path) -> Path:
    """A redaction annotation never applied: the text under it stays, its overlay text names the person."""
    doc, page = _doc_page()
    page.insert_text((72, 130), f"Referred by {NAME}.", fontsize=11)
    page.add_redact_annot(page.search_for(NAME)[0], text=f"was {NAME}", fill=(0, 0, 0))
    return _save(doc, path)


def annot_stamp(path: Path) -> Path:
    doc, page = _doc_page()
    a = page.add_stamp_annot(pymupdf.Rect(300, 100, 500, 160), stamp=0)
    a.set_info(content=f"Approved by {NAME}", title=NAME)
    a.update()
    return _save(doc, path)


def link_uri(path: Path) -> Path:
    doc, page = _doc_page()
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 60, 300, 75),
                      "uri": f"https://social.example.org/{FIRST.lower()}-{LAST.lower()}"})  # fmt: skip
    return _save(doc, path)


def link_launch(path: Path) -> Path:
    doc, page = _doc_page()
    page.insert_link({"kind": pymupdf.LINK_LAUNCH, "from": pymupdf.Rect(72, 60, 300, 75),
                      "file": f"C:/Referrals/{NAME}.docx"})  # fmt: skip
    return _save(doc, path)


def outline(path: Path) -> Path:
    doc, _ = _doc_page()
    doc.set_toc([[1, "Home visit", 1], [2, f"Referral by {NAME}", 1]])
    return _save(doc, path)


def named_destination(path: Path) -> Path:
    doc, page = _doc_page()
    names = doc.get_new_xref()
    doc.update_object(names, f"<< /Names [({FIRST}{LAST}) [{page.xref} 0 R /Fit]] >>")
    doc.xref_set_key(doc.pdf_catalog(), "Names", f"<< /Dests {names} 0 R >>")
    return _save(doc, path)


def doc_metadata(path: Path) -> Path:
    doc, _ = _doc_page()
    doc.set_metadata({"author": NAME, "title": f"Notes by {NAME}", "subject": NAME, "keywords": NAME})
    return _save(doc, path)


def info_custom_key(path: Path) -> Path:
    doc, _ = _doc_page()
    doc.xref_set_key(-1, "Info", "<< /Reviewer (" + NAME + ") /Producer (Word) >>")
    return _save(doc, path)


def xmp_document(path: Path) -> Path:
    doc, _ = _doc_page()
    doc.set_xml_metadata(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:creator><rdf:Seq><rdf:li>{NAME}</rdf:li></rdf:Seq></dc:creator>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    return _save(doc, path)


def xmp_on_page(path: Path) -> Path:
    doc, page = _doc_page()
    meta = doc.get_new_xref()
    doc.update_object(meta, "<< /Type /Metadata /Subtype /XML >>")
    doc.update_stream(meta, f"<x:xmpmeta><dc:creator>{NAME}</dc:creator></x:xmpmeta>".encode())
    doc.xref_set_key(page.xref, "Metadata", f"{meta} 0 R")
    return _save(doc, path)


def piece_info(path: Path) -> Path:
    doc, page = _doc_page()
    doc.xref_set_key(page.xref, "PieceInfo", f"<< /Editor << /Private (last edit by {NAME}) >> >>")
    return _save(doc, path)


def form_text_field(path: Path) -> Path:
    doc, page = _doc_page()
    w = pymupdf.Widget()
    w.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    w.field_name = "referrer"
    w.field_label = f"Referrer ({NAME})"
    w.field_value = NAME
    w.rect = pymupdf.Rect(72, 140, 300, 160)
    page.add_widget(w)
    return _save(doc, path)


def form_choice_field(path: Path) -> Path:
    doc, page = _doc_page()
    w = pymupdf.Widget()
    w.field_type = pymupdf.PDF_WIDGET_TYPE_LISTBOX
    w.field_name = "contact"
    w.choice_values = ["Nobody", NAME]
    w.field_value = "Nobody"
    w.rect = pymupdf.Rect(72, 140, 300, 190)
    page.add_widget(w)
    return _save(doc, path)


def embedded_file(path: Path) -> Path:
    doc, _ = _doc_page()
    doc.embfile_add("referral.txt", f"Referral from {NAME}.".encode(), filename="referral.txt", desc=f"by {NAME}")
    return _save(doc, path)


def file_attachment_annot(path: Path) -> Path:
    doc, page = _doc_page()
    page.add_file_annot((300, 72), f"Referral from {NAME}.".encode(), f"{FIRST}-{LAST}.txt", desc=NAME)
    return _save(doc, path)


def hidden_layer(path: Path) -> Path:
    doc, page = _doc_page()
    ocg = doc.add_ocg("notes", on=False)
    page.insert_text((72, 160), f"Source: {NAME}", fontsize=11, oc=ocg)
    return _save(doc, path)


def layer_name(path: Path) -> Path:
    """A visible layer called after the person, holding only ordinary text."""
    doc, page = _doc_page()
    ocg = doc.add_ocg(f"Notes from {NAME}", on=True)
    page.insert_text((72, 160), "The house was tidy.", fontsize=11, oc=ocg)
    return _save(doc, path)


def white_text(path: Path) -> Path:
    doc, page = _doc_page()
    page.insert_text((72, 160), f"Informant {NAME}", fontsize=11, color=(1, 1, 1))
    return _save(doc, path)


def tiny_text(path: Path) -> Path:
    doc, page = _doc_page()
    page.insert_text((72, 160), f"Informant {NAME}", fontsize=0.8)
    return _save(doc, path)


def invisible_render_mode(path: Path) -> Path:
    doc, page = _doc_page()
    page.insert_text((72, 160), f"Informant {NAME}", fontsize=11, render_mode=3)
    return _save(doc, path)


def off_page_text(path: Path) -> Path:
    doc, page = _doc_page()
    page.insert_text((page.rect.width + 40, 160), f"Informant {NAME}", fontsize=11)
    return _save(doc, path)


def text_under_image(path: Path) -> Path:
    doc, page = _doc_page()
    page.insert_text((72, 160), f"Informant {NAME}", fontsize=11)
    page.insert_image(pymupdf.Rect(60, 140, 320, 175), stream=_jpeg())
    return _save(doc, path)


def text_under_white_box(path: Path) -> Path:
    doc, page = _doc_page()
    page.insert_text((72, 160), f"Informant {NAME}", fontsize=11)
    page.draw_rect(pymupdf.Rect(60, 145, 320, 170), color=None, fill=(1, 1, 1))
    return _save(doc, path)


def incremental_update(path: Path) -> Path:
    doc, page = _doc_page()
    page.insert_text((72, 130), f"Reported by {NAME}.", fontsize=11)
    doc.set_metadata({"author": NAME})
    doc.save(path)
    doc.close()
    doc = pymupdf.open(path)
    page = doc[0]
    for r in page.search_for(NAME):
        page.add_redact_annot(r)
    page.apply_redactions()
    page.insert_text((72, 130), "Reported by a neighbour.", fontsize=11)
    doc.set_metadata({"author": "Records Team"})
    doc.saveIncr()
    doc.close()
    return path


def javascript(path: Path) -> Path:
    doc, page = _doc_page()
    js = doc.get_new_xref()
    doc.update_object(js, f"<</S/JavaScript/JS(app.alert\\('{NAME}'\\);)>>")
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", f"{js} 0 R")
    doc.xref_set_key(page.xref, "AA", f"<</O<</S/JavaScript/JS(console.println\\('{NAME}'\\))>>>>")
    return _save(doc, path)


def ligature(path: Path) -> Path:
    """The name written with the "ffi" ligature character (U+FB03): Gri\ufb03n."""
    return text_pdf(path, f"Referred by {LIG_FIRST} Gri\ufb03n on Monday.", fontfile=DEJAVU)


def rotated_text(path: Path) -> Path:
    doc, page = _doc_page()
    page.insert_text((500, 500), f"Referred by {NAME}", fontsize=11, rotate=90)
    return _save(doc, path)


def letter_by_letter(path: Path) -> Path:
    """Each letter of the name placed on its own (no spaces in the text, gaps by position)."""
    doc, page = _doc_page()
    page.insert_text((72, 130), "Referred by", fontsize=11)
    font = pymupdf.Font("helv")
    x = 135.0
    for ch in NAME:
        page.insert_text((x, 130), ch, fontsize=11)
        x += font.text_length(ch, fontsize=11) + 0.4
    return _save(doc, path)


def thumbnail(path: Path) -> Path:
    doc, page = _doc_page()
    src = pymupdf.open()
    sp = src.new_page(width=200, height=60)
    sp.insert_text((10, 30), NAME, fontsize=14)
    pix = sp.get_pixmap(dpi=72)
    xref = doc.get_new_xref()
    doc.update_object(xref, f"<</Type/XObject/Subtype/Image/Width {pix.width}/Height {pix.height}"
                            "/ColorSpace/DeviceRGB/BitsPerComponent 8>>")  # fmt: skip
    doc.update_stream(xref, pix.samples)
    doc.xref_set_key(page.xref, "Thumb", f"{xref} 0 R")
    return _save(doc, path)


def alt_text_struct(path: Path) -> Path:
    """A tagged PDF whose structure tree gives a figure the name as /Alt and /ActualText."""
    doc, page = _doc_page()
    elem = doc.get_new_xref()
    root = doc.get_new_xref()
    doc.update_object(root, f"<< /Type /StructTreeRoot /K {elem} 0 R >>")
    doc.update_object(elem, f"<< /Type /StructElem /S /Figure /P {root} 0 R /Pg {page.xref} 0 R "
                            f"/Alt (Photo of {NAME}) /T ({NAME}) /K 0 >>")  # fmt: skip
    doc.xref_set_key(doc.pdf_catalog(), "StructTreeRoot", f"{root} 0 R")
    doc.xref_set_key(doc.pdf_catalog(), "MarkInfo", "<< /Marked true >>")
    return _save(doc, path)


def content_comment(path: Path) -> Path:
    """A comment in the page's content stream (% to the end of the line): never drawn."""
    doc, page = _doc_page()
    _append_ops(page, f"% written by {NAME}\nq Q\n")
    doc.save(path, garbage=0, deflate=False)  # nothing cleaned on saving
    doc.close()
    return path


def orphan_object(path: Path) -> Path:
    """An object nothing refers to, kept in the file."""
    doc, _ = _doc_page()
    x = doc.get_new_xref()
    doc.update_object(x, f"<< /Note (draft by {NAME}) >>")
    doc.save(path, garbage=0)
    doc.close()
    return path


def resource_name(path: Path) -> Path:
    """The font's resource name on the page is the person's name (/BrianLewis)."""
    doc, page = _doc_page()
    old = _helv(page)
    font = doc.xref_get_key(page.xref, "Resources/Font/" + old)
    res = doc.xref_get_key(page.xref, "Resources")
    key = f"Font/{FIRST}{LAST}"
    if res[0] == "xref":
        doc.xref_set_key(int(res[1].split()[0]), key, font[1])
    else:
        doc.xref_set_key(page.xref, "Resources/" + key, font[1])
    _append_ops(page, f"BT /{FIRST}{LAST} 11 Tf 72 160 Td (The house was tidy.) Tj ET\n")
    return _save(doc, path)


def form_xobject_text(path: Path) -> Path:
    """The name drawn as text inside a form XObject (visible, but not in the page's own stream)."""
    src = pymupdf.open()
    sp = src.new_page(width=300, height=40)
    sp.insert_text((5, 25), f"Referred by {NAME}", fontsize=11)
    doc, page = _doc_page()
    page.show_pdf_page(pymupdf.Rect(72, 120, 372, 160), src, 0)
    return _save(doc, path)


def light_watermark(path: Path) -> Path:
    doc, page = _doc_page()
    origin = pymupdf.Point(150, 500)
    page.insert_text(origin, NAME, fontsize=40, color=(0.85, 0.85, 0.85), morph=(origin, pymupdf.Matrix(30)))
    return _save(doc, path)


def plain_scan(path: Path) -> Path:
    doc = pymupdf.open()
    _scan_page(doc, lambda p: p.insert_text((72, 130), f"Referred by {NAME} on Monday.", fontsize=12), dpi=200)
    return _save(doc, path)


def signature_image(path: Path) -> Path:
    """A signature (the name in an italic hand) as a picture at the foot of a page of text."""
    src = pymupdf.open()
    p = src.new_page(width=240, height=50)
    p.insert_text((8, 34), NAME, fontsize=24, fontname="tiit")
    png = p.get_pixmap(dpi=200).tobytes("png")
    doc, page = _doc_page()
    page.insert_text((72, 110), "Signed:", fontsize=11)
    page.insert_image(pymupdf.Rect(72, 115, 312, 165), stream=png)
    return _save(doc, path)


# ---------------------------------------------------------------- over-caution (nothing to hide, or little)


def old_black_box(path: Path) -> Path:
    """A page redacted long ago with a black box drawn over a label (the label's text still under it)."""
    doc, page = _doc_page()
    page.insert_text((72, 130), "Telephone: 01632 960 001", fontsize=11)
    page.draw_rect(pymupdf.Rect(70, 119, 220, 134), color=None, fill=(0, 0, 0))
    page.insert_text((72, 160), "The children were well.", fontsize=11)
    return _save(doc, path)


def pattern_fill(path: Path) -> Path:
    """A box filled with a tiling pattern whose cell writes the name: the name shows, repeated."""
    doc, page = _doc_page()
    font = _helv(page)
    font_ref = doc.xref_get_key(page.xref, "Resources/Font/" + font)[1]
    pat = doc.get_new_xref()
    doc.update_object(
        pat,
        "<< /Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 120 20] /XStep 120 /YStep 20 "
        f"/Resources << /Font << /{font} {font_ref} >> >> >>",
    )
    doc.update_stream(pat, f"BT /{font} 9 Tf 2 6 Td ({NAME}) Tj ET".encode())
    res = doc.xref_get_key(page.xref, "Resources")
    holder, key = (int(res[1].split()[0]), "Pattern/P0") if res[0] == "xref" else (page.xref, "Resources/Pattern/P0")
    doc.xref_set_key(holder, key, f"{pat} 0 R")
    _append_ops(page, "q /Pattern cs /P0 scn 72 300 360 100 re f Q\n")
    return _save(doc, path)


# ---------------------------------------------------------------- DOCX: every part of the package

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_patch(
    path: Path,
    body: str = "",
    parts: dict[str, str] | None = None,
    rels: list[tuple[str, str, str]] | None = None,
    types: list[tuple[str, str]] | None = None,
    build: Callable[[docx.document.Document], None] | None = None,
) -> Path:
    """A DOCX of BODY's paragraph, with `body` (raw WordprocessingML) inserted before the section properties,
    extra parts, relationships of the main part (id, type, target) and content types (part, type)."""
    import zipfile

    d = docx.Document()
    d.add_paragraph(BODY)
    if build is not None:
        build(d)
    d.save(str(path))
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml" and body:
                i = data.rindex(b"<w:sectPr")
                data = data[:i] + body.encode() + data[i:]
            if item.filename == "word/_rels/document.xml.rels" and rels:
                add = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{g}"/>' for i, t, g in rels)
                data = data.replace(b"</Relationships>", add.encode() + b"</Relationships>")
            if item.filename == "[Content_Types].xml" and types:
                add = "".join(f'<Override PartName="{p}" ContentType="{c}"/>' for p, c in types)
                data = data.replace(b"</Types>", add.encode() + b"</Types>")
            zout.writestr(item, data)
        for name, xml in (parts or {}).items():
            zout.writestr(name, xml)
    tmp.replace(path)
    return path


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def docx_comment(path: Path) -> Path:
    def build(d: docx.document.Document) -> None:
        p = d.paragraphs[0]
        d.add_comment(p.runs, text=f"Check this with {NAME}.", author=NAME, initials="BL")

    return _docx_patch(path, build=build)


def docx_tracked_deletion(path: Path) -> Path:
    return _docx_patch(
        path,
        '<w:p><w:r><w:t xml:space="preserve">The referral was made by </w:t></w:r>'
        f'<w:del w:id="901" w:author="{NAME}" w:date="2025-03-03T10:00:00Z"><w:r><w:delText>{NAME}</w:delText>'
        '</w:r></w:del><w:ins w:id="902" w:author="Records" w:date="2025-03-03T10:00:00Z"><w:r><w:t>a neighbour'
        "</w:t></w:r></w:ins><w:r><w:t>.</w:t></w:r></w:p>",
    )


def docx_tracked_insertion(path: Path) -> Path:
    return _docx_patch(
        path,
        '<w:p><w:r><w:t xml:space="preserve">The referral was made by </w:t></w:r>'
        f'<w:ins w:id="902" w:author="Records" w:date="2025-03-03T10:00:00Z"><w:r><w:t>{NAME}</w:t></w:r></w:ins>'
        "<w:r><w:t>.</w:t></w:r></w:p>",
    )


def docx_moved_from(path: Path) -> Path:
    return _docx_patch(
        path,
        '<w:p><w:moveFrom w:id="903" w:author="Records" w:date="2025-03-03T10:00:00Z"><w:r><w:t>'
        f"Referred by {NAME}.</w:t></w:r></w:moveFrom></w:p>",
    )


def docx_header_footer(path: Path) -> Path:
    def build(d: docx.document.Document) -> None:
        d.sections[0].header.paragraphs[0].text = f"Case note typed for {NAME}"
        d.sections[0].footer.paragraphs[0].text = f"Copy to {NAME}"

    return _docx_patch(path, build=build)


def docx_footnote(path: Path) -> Path:
    notes = (
        f'<w:footnotes {W_NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        '</w:footnote><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>'
        f"Source: {NAME}.</w:t></w:r></w:p></w:footnote></w:footnotes>"
    )
    ends = (
        f'<w:endnotes {W_NS}><w:endnote w:id="1"><w:p><w:r><w:endnoteRef/></w:r><w:r><w:t>'
        f"Told by {NAME}.</w:t></w:r></w:p></w:endnote></w:endnotes>"
    )
    return _docx_patch(
        path,
        '<w:p><w:r><w:t>A referral was made.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>'
        '<w:r><w:endnoteReference w:id="1"/></w:r></w:p>',
        parts={"word/footnotes.xml": notes, "word/endnotes.xml": ends},
        rels=[("rIdF1", f"{REL}/footnotes", "footnotes.xml"), ("rIdE1", f"{REL}/endnotes", "endnotes.xml")],
        types=[("/word/footnotes.xml", f"{CT}.footnotes+xml"), ("/word/endnotes.xml", f"{CT}.endnotes+xml")],
    )


def docx_text_box(path: Path) -> Path:
    box = (
        '<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        '<mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" style="width:200pt;height:40pt">'
        f"<v:textbox><w:txbxContent><w:p><w:r><w:t>Call {NAME} first.</w:t></w:r></w:p></w:txbxContent>"
        "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    return _docx_patch(path, box)


def docx_core_properties(path: Path) -> Path:
    def build(d: docx.document.Document) -> None:
        cp = d.core_properties
        cp.author = NAME
        cp.last_modified_by = NAME
        cp.title = f"Notes by {NAME}"
        cp.comments = NAME
        cp.keywords = NAME

    return _docx_patch(path, build=build)


def docx_custom_properties(path: Path) -> Path:
    import zipfile

    custom = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Referrer">'
        f"<vt:lpwstr>{NAME}</vt:lpwstr></property></Properties>"
    )
    _docx_patch(
        path,
        parts={"docProps/custom.xml": custom},
        types=[("/docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml")],
    )
    tmp = path.with_suffix(".tmp")  # the company in the application properties too
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/app.xml":
                data = data.replace(b"</Properties>", f"<Company>{NAME} Ltd</Company></Properties>".encode())
            zout.writestr(item, data)
    tmp.replace(path)
    return path


def _png(text: str = "", size: tuple[int, int] = (300, 60)) -> bytes:
    src = pymupdf.open()
    p = src.new_page(width=size[0], height=size[1])
    if text:
        p.insert_text((10, size[1] * 0.65), text, fontsize=22)
    return p.get_pixmap(dpi=100).tobytes("png")


def docx_image_alt_text(path: Path) -> Path:
    import io

    def build(d: docx.document.Document) -> None:
        d.add_picture(io.BytesIO(_png()))
        d.add_paragraph("The end of the note.")

    _docx_patch(path, build=build)
    import zipfile

    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = re.sub(rb'<wp:docPr id="(\d+)" name="[^"]*"',
                              f'<wp:docPr id="\\1" name="{NAME}" descr="Photo of {NAME}" title="{NAME}"'.encode(),
                              data)  # fmt: skip
            zout.writestr(item, data)
    tmp.replace(path)
    return path


def docx_image_exif(path: Path) -> Path:
    """A photo in a DOCX whose JPEG names the person in EXIF and a comment."""
    import io

    jpg = _jpeg()
    jpg = jpg[:2] + _exif(f"Photo of {NAME}") + _com(f"taken by {NAME}") + jpg[2:]

    def build(d: docx.document.Document) -> None:
        d.add_picture(io.BytesIO(jpg))
        d.add_paragraph("The end of the note.")

    return _docx_patch(path, build=build)


def docx_image_text(path: Path) -> Path:
    """A screenshot in a DOCX: the name in pixels."""
    import io

    def build(d: docx.document.Document) -> None:
        d.add_picture(io.BytesIO(_png(f"From: {NAME}")))
        d.add_paragraph("The end of the note.")

    return _docx_patch(path, build=build)


def docx_image_plain(path: Path) -> Path:
    """A DOCX with an ordinary picture (no name anywhere): over-caution if the document is lost."""
    import io

    def build(d: docx.document.Document) -> None:
        d.add_picture(io.BytesIO(_png()))
        d.add_paragraph("The end of the note.")

    return _docx_patch(path, build=build)


def docx_hyperlink(path: Path) -> Path:
    return _docx_patch(
        path,
        f'<w:p><w:hyperlink xmlns:r="{REL}" r:id="rIdH1" w:tooltip="Profile of {NAME}"><w:r><w:t>her profile'
        "</w:t></w:r></w:hyperlink></w:p>",
        rels=[("rIdH1", f"{REL}/hyperlink", f'https://social.example.org/{FIRST}{LAST}" TargetMode="External')],
    )


def docx_vanish(path: Path) -> Path:
    return _docx_patch(
        path,
        '<w:p><w:r><w:t xml:space="preserve">The house was tidy. </w:t></w:r>'
        f"<w:r><w:rPr><w:vanish/></w:rPr><w:t>Referred by {NAME}.</w:t></w:r></w:p>",
    )


def docx_web_hidden(path: Path) -> Path:
    return _docx_patch(
        path,
        '<w:p><w:r><w:t xml:space="preserve">The house was tidy. </w:t></w:r>'
        f"<w:r><w:rPr><w:webHidden/></w:rPr><w:t>Referred by {NAME}.</w:t></w:r></w:p>",
    )


def docx_style_hidden(path: Path) -> Path:
    from docx.enum.style import WD_STYLE_TYPE

    def build(d: docx.document.Document) -> None:
        secret = d.styles.add_style("Secret", WD_STYLE_TYPE.CHARACTER)
        secret.font.hidden = True
        para = d.add_paragraph("The house was tidy. ")
        para.add_run(f"Referred by {NAME}.", style="Secret")

    return _docx_patch(path, build=build)


def docx_field_code(path: Path) -> Path:
    return _docx_patch(
        path,
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> MERGEFIELD Referrer \\* {FIRST}{LAST} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>the referrer</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        f'<w:p><w:fldSimple w:instr=" AUTHOR {FIRST}{LAST} "><w:r><w:t>an author</w:t></w:r></w:fldSimple></w:p>',
    )


def docx_content_control(path: Path) -> Path:
    return _docx_patch(
        path,
        f'<w:sdt><w:sdtPr><w:alias w:val="{NAME}"/><w:tag w:val="{FIRST}{LAST}"/></w:sdtPr>'
        "<w:sdtContent><w:p><w:r><w:t>The house was tidy.</w:t></w:r></w:p></w:sdtContent></w:sdt>",
    )


def docx_bookmark(path: Path) -> Path:
    return _docx_patch(
        path,
        f'<w:p><w:bookmarkStart w:id="5" w:name="{FIRST}_{LAST}"/><w:r><w:t>The house was tidy.</w:t></w:r>'
        '<w:bookmarkEnd w:id="5"/></w:p>',
    )


def docx_doc_variable(path: Path) -> Path:
    import zipfile

    _docx_patch(path)
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/settings.xml":
                i = data.rindex(b"</w:settings>")
                data = data[:i] + f'<w:docVars><w:docVar w:name="who" w:val="{NAME}"/></w:docVars>'.encode() + data[i:]
            zout.writestr(item, data)
    tmp.replace(path)
    return path


def docx_custom_xml(path: Path) -> Path:
    return _docx_patch(
        path,
        parts={"customXml/item9.xml": f"<referral><by>{NAME}</by></referral>"},
        rels=[("rIdX1", f"{REL}/customXml", "../customXml/item9.xml")],
    )


def docx_embedded_object(path: Path) -> Path:
    return _docx_patch(
        path,
        parts={"word/embeddings/oleObject1.bin": f"Referral from {NAME}, 12 Quarry Lane." * 3},
        rels=[("rIdO1", f"{REL}/oleObject", "embeddings/oleObject1.bin")],
        types=[("/word/embeddings/oleObject1.bin", "application/vnd.openxmlformats-officedocument.oleObject")],
    )


def docx_white_text(path: Path) -> Path:
    return _docx_patch(
        path, f'<w:p><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>Informant {NAME}</w:t></w:r></w:p>'
    )


def docx_tiny_text(path: Path) -> Path:
    return _docx_patch(path, f'<w:p><w:r><w:rPr><w:sz w:val="2"/></w:rPr><w:t>Informant {NAME}</w:t></w:r></w:p>')


def docx_split_runs(path: Path) -> Path:
    """The name cut into three runs of different formatting."""
    return _docx_patch(
        path,
        '<w:p><w:r><w:t xml:space="preserve">Referred by Bri</w:t></w:r><w:r><w:rPr><w:b/></w:rPr>'
        '<w:t xml:space="preserve">an Le</w:t></w:r><w:r><w:t>wis on Monday.</w:t></w:r></w:p>',
    )


def docx_table_cell(path: Path) -> Path:
    def build(d: docx.document.Document) -> None:
        t = d.add_table(rows=2, cols=2)
        t.cell(0, 0).text, t.cell(0, 1).text = "Role", "Name"
        t.cell(1, 0).text, t.cell(1, 1).text = "Referrer", NAME

    return _docx_patch(path, build=build)


def docx_lower_case(path: Path) -> Path:
    return docx_text(path, f"Referred by {NAME.lower()} on Monday.")


def output_intent(path: Path) -> Path:
    """An output intent (the catalog's /OutputIntents) whose description strings name the person."""
    doc, _ = _doc_page()
    doc.xref_set_key(
        doc.pdf_catalog(),
        "OutputIntents",
        f"[<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier ({NAME}) /Info (proof for {NAME}) >>]",
    )
    return _save(doc, path)


def icc_profile_text(path: Path) -> Path:
    """An image in an ICCBased colour space whose profile's description and copyright tags name the person."""
    doc, page = _doc_page()
    page.insert_image(pymupdf.Rect(72, 120, 312, 200), stream=_jpeg())
    img = page.get_images()[0][0]
    desc = f"Profile made by {NAME}".encode()
    icc = (
        bytearray(128) + b"\x00\x00\x00\x01" + b"desc" + (144).to_bytes(4, "big") + (len(desc) + 12).to_bytes(4, "big")
    )
    icc += b"desc" + b"\x00" * 4 + (len(desc) + 1).to_bytes(4, "big") + desc + b"\x00"
    icc[0:4] = len(icc).to_bytes(4, "big")
    icc[12:20] = b"mntrRGB "
    icc[36:40] = b"acsp"
    x = doc.get_new_xref()
    doc.update_object(x, "<< /N 3 /Alternate /DeviceRGB >>")
    doc.update_stream(x, bytes(icc))
    doc.xref_set_key(img, "ColorSpace", f"[/ICCBased {x} 0 R]")
    return _save(doc, path)


def differences_glyph_names(path: Path) -> Path:
    """A font encoding whose /Differences gives unused codes glyph names that spell the person's name."""
    doc, page = _doc_page()
    font = [f for f in page.get_fonts() if f[3] == "Helvetica"][0][0]
    doc.xref_set_key(
        font, "Encoding", f"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [1 /{FIRST}{LAST}] >>"
    )
    return _save(doc, path)


def inline_image_text(path: Path) -> Path:
    """An inline image (BI ... ID ... EI in the content stream) whose data bytes spell the name."""
    doc, page = _doc_page()
    data = f"Photo of {NAME}".encode().ljust(32, b" ")[:32]
    ops = b"q 64 0 0 8 72 300 cm BI /W 32 /H 1 /CS /G /BPC 8 ID " + data + b" EI Q\n"
    _append_ops(page, ops.decode("latin-1"))
    return _save(doc, path)


def type3_glyph_with_text(path: Path) -> Path:
    """A Type3 font whose one glyph's procedure writes the name with an ordinary font (text inside a glyph)."""
    doc, page = _doc_page()
    helv = [f for f in page.get_fonts() if f[3] == "Helvetica"][0][0]
    proc = doc.get_new_xref()
    doc.update_object(proc, "<< >>")
    doc.update_stream(proc, f"600 0 d0 BT /H 80 Tf 0 0 Td ({NAME}) Tj ET".encode())
    font = doc.get_new_xref()
    doc.update_object(
        font,
        "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] "
        f"/CharProcs << /g1 {proc} 0 R >> /Encoding << /Type /Encoding /Differences [1 /g1] >> "
        f"/FirstChar 1 /LastChar 1 /Widths [600] /Resources << /Font << /H {helv} 0 R >> >> >>",
    )
    res = doc.xref_get_key(page.xref, "Resources")
    holder, key = (int(res[1].split()[0]), "Font/T3") if res[0] == "xref" else (page.xref, "Resources/Font/T3")
    doc.xref_set_key(holder, key, f"{font} 0 R")
    _append_ops(page, "BT /T3 11 Tf 72 300 Td <01> Tj ET\n")
    return _save(doc, path)


def transparent_text(path: Path) -> Path:
    """Text drawn with a graphics state whose fill alpha is 0 (/ca 0): nothing shows."""
    doc, page = _doc_page()
    page.insert_text((72, 160), f"Informant {NAME}", fontsize=11, fill_opacity=0)
    return _save(doc, path)


def clip_mode_text(path: Path) -> Path:
    """Text in render mode 7 (added to the clip, never painted) with nothing drawn after it."""
    doc, page = _doc_page()
    _append_ops(page, f"q BT 7 Tr /{_helv(page)} 11 Tf 72 400 Td (Informant {NAME}) Tj ET Q\n")
    return _save(doc, path)


def squeezed_text(path: Path) -> Path:
    """Text squeezed to a hundredth of its width (horizontal scaling 1 %): a hairline on the page."""
    doc, page = _doc_page()
    _append_ops(page, f"BT 1 Tz /{_helv(page)} 11 Tf 72 400 Td (Informant {NAME}) Tj ET\n")
    return _save(doc, path)


def outside_crop_box(path: Path) -> Path:
    """Text on the media box but outside the crop box: no viewer shows it."""
    doc, page = _doc_page()
    page.insert_text((72, 780), f"Informant {NAME}", fontsize=11)
    page.set_cropbox(pymupdf.Rect(0, 0, page.rect.width, 700))
    return _save(doc, path)


def trailing_bytes(path: Path) -> Path:
    """Bytes after the end of the file (%%EOF) that name the person."""
    doc, _ = _doc_page()
    _save(doc, path)
    with path.open("ab") as f:
        f.write(f"\n% draft prepared by {NAME}\n".encode())
    return path


def docx_first_page_header(path: Path) -> Path:
    def build(d: docx.document.Document) -> None:
        sec = d.sections[0]
        sec.different_first_page_header_footer = True
        sec.first_page_header.paragraphs[0].text = f"Prepared for {NAME}"
        d.settings.odd_and_even_pages_header_footer = True
        sec.even_page_footer.paragraphs[0].text = f"Copy to {NAME}"

    return _docx_patch(path, build=build)


def docx_attached_template(path: Path) -> Path:
    """settings.xml points at a template in the author's profile folder (a path with their name)."""
    import zipfile

    _docx_patch(path)
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/settings.xml":
                data = re.sub(rb"(<w:settings[^>]*>)", rb'\1<w:attachedTemplate r:id="rIdT1"/>', data, count=1)
                if b"xmlns:r=" not in data[:2000]:
                    data = data.replace(b"<w:settings ", f'<w:settings xmlns:r="{REL}" '.encode(), 1)
            zout.writestr(item, data)
        if "word/_rels/settings.xml.rels" not in zin.namelist():
            zout.writestr(
                "word/_rels/settings.xml.rels",
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                f'relationships"><Relationship Id="rIdT1" Type="{REL}/attachedTemplate" '
                f'Target="file:///C:/Users/{FIRST}.{LAST}/Templates/Note.dotm" TargetMode="External"/></Relationships>',
            )
    tmp.replace(path)
    return path


def docx_thumbnail(path: Path) -> Path:
    """The package's thumbnail (docProps/thumbnail.jpeg) shows the name."""
    import zipfile

    _docx_patch(path, types=[])
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "_rels/.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdTh" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
                    b'metadata/thumbnail" Target="docProps/thumbnail.png"/></Relationships>',
                )
            if item.filename == "[Content_Types].xml" and b'Extension="png"' not in data:
                data = data.replace(b"</Types>", b'<Default Extension="png" ContentType="image/png"/></Types>')
            zout.writestr(item, data)
        zout.writestr("docProps/thumbnail.png", _png(f"From: {NAME}"))
    tmp.replace(path)
    return path


def docx_alt_chunk(path: Path) -> Path:
    """An altChunk: an HTML part Word shows in place (the reader may leave it out, never show it raw)."""
    return _docx_patch(
        path,
        f'<w:altChunk xmlns:r="{REL}" r:id="rIdA1"/>',
        parts={"word/chunk1.html": f"<html><body><p>Referred by {NAME}.</p></body></html>"},
        rels=[("rIdA1", f"{REL}/aFChunk", "chunk1.html")],
        types=[("/word/chunk1.html", "text/html")],
    )


def docx_glossary(path: Path) -> Path:
    """A glossary document (building blocks, never shown in the body) naming the person."""
    gloss = (
        f'<w:glossaryDocument {W_NS}><w:docParts><w:docPart><w:docPartPr><w:name w:val="Ref"/></w:docPartPr>'
        f"<w:docPartBody><w:p><w:r><w:t>Referred by {NAME}.</w:t></w:r></w:p></w:docPartBody></w:docPart>"
        "</w:docParts></w:glossaryDocument>"
    )
    return _docx_patch(
        path,
        parts={"word/glossary/document.xml": gloss},
        rels=[("rIdG1", f"{REL}/glossaryDocument", "glossary/document.xml")],
        types=[("/word/glossary/document.xml", f"{CT}.document.glossary+xml")],
    )


# kind -> (file name under documents/, builder): the kinds issue 15 counts as handled, and the others
HANDLED: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "annot-text": ("2021-02-01 Note H01.pdf", annot_text),
    "annot-freetext": ("2021-02-01 Note H02.pdf", annot_freetext),
    "annot-highlight-popup": ("2021-02-01 Note H03.pdf", annot_highlight_popup),
    "annot-hidden": ("2021-02-01 Note H04.pdf", annot_hidden),
    "annot-redact-unapplied": ("2021-02-01 Note H05.pdf", annot_redact_unapplied),
    "annot-stamp": ("2021-02-01 Note H06.pdf", annot_stamp),
    "link-uri": ("2021-02-01 Note H07.pdf", link_uri),
    "link-launch": ("2021-02-01 Note H08.pdf", link_launch),
    "outline-bookmark": ("2021-02-01 Note H09.pdf", outline),
    "named-destination": ("2021-02-01 Note H10.pdf", named_destination),
    "doc-metadata": ("2021-02-01 Note H11.pdf", doc_metadata),
    "info-custom-key": ("2021-02-01 Note H12.pdf", info_custom_key),
    "xmp-document": ("2021-02-01 Note H13.pdf", xmp_document),
    "xmp-on-page": ("2021-02-01 Note H14.pdf", xmp_on_page),
    "piece-info": ("2021-02-01 Note H15.pdf", piece_info),
    "form-text-field": ("2021-02-01 Note H16.pdf", form_text_field),
    "form-choice-field": ("2021-02-01 Note H17.pdf", form_choice_field),
    "embedded-file": ("2021-02-01 Note H18.pdf", embedded_file),
    "file-attachment-annot": ("2021-02-01 Note H19.pdf", file_attachment_annot),
    "hidden-layer": ("2021-02-01 Note H20.pdf", hidden_layer),
    "layer-name": ("2021-02-01 Note H21.pdf", layer_name),
    "white-text": ("2021-02-01 Note H22.pdf", white_text),
    "tiny-text": ("2021-02-01 Note H23.pdf", tiny_text),
    "invisible-render-mode": ("2021-02-01 Note H24.pdf", invisible_render_mode),
    "off-page-text": ("2021-02-01 Note H25.pdf", off_page_text),
    "text-under-image": ("2021-02-01 Note H26.pdf", text_under_image),
    "text-under-white-box": ("2021-02-01 Note H27.pdf", text_under_white_box),
    "incremental-update": ("2021-02-01 Note H28.pdf", incremental_update),
    "javascript": ("2021-02-01 Note H29.pdf", javascript),
    "ligature": ("2021-02-01 Note H30.pdf", ligature),
    "rotated-text": ("2021-02-01 Note H31.pdf", rotated_text),
    "letter-by-letter": ("2021-02-01 Note H32.pdf", letter_by_letter),
    "thumbnail": ("2021-02-01 Note H33.pdf", thumbnail),
    "struct-alt-text": ("2021-02-01 Note H34.pdf", alt_text_struct),
    "content-comment": ("2021-02-01 Note H35.pdf", content_comment),
    "orphan-object": ("2021-02-01 Note H36.pdf", orphan_object),
    "resource-name": ("2021-02-01 Note H37.pdf", resource_name),
    "form-xobject-text": ("2021-02-01 Note H38.pdf", form_xobject_text),
    "light-watermark": ("2021-02-01 Note H39.pdf", light_watermark),
    "plain-scan": ("2021-02-01 Note H40.pdf", plain_scan),
    "signature-image": ("2021-02-01 Note H41.pdf", signature_image),
    "output-intent": ("2021-02-01 Note H42.pdf", output_intent),
    "icc-profile-text": ("2021-02-01 Note H43.pdf", icc_profile_text),
    "differences-glyph-names": ("2021-02-01 Note H44.pdf", differences_glyph_names),
    "inline-image-bytes": ("2021-02-01 Note H45.pdf", inline_image_text),
    "type3-glyph-with-text": ("2021-02-01 Note H46.pdf", type3_glyph_with_text),
    "transparent-text": ("2021-02-01 Note H47.pdf", transparent_text),
    "clip-mode-text": ("2021-02-01 Note H48.pdf", clip_mode_text),
    "squeezed-text": ("2021-02-01 Note H49.pdf", squeezed_text),
    "outside-crop-box": ("2021-02-01 Note H50.pdf", outside_crop_box),
    "trailing-bytes": ("2021-02-01 Note H51.pdf", trailing_bytes),
    "docx-comment": ("2021-03-01 Note D01.docx", docx_comment),
    "docx-tracked-deletion": ("2021-03-01 Note D02.docx", docx_tracked_deletion),
    "docx-tracked-insertion": ("2021-03-01 Note D03.docx", docx_tracked_insertion),
    "docx-moved-from": ("2021-03-01 Note D04.docx", docx_moved_from),
    "docx-header-footer": ("2021-03-01 Note D05.docx", docx_header_footer),
    "docx-footnote-endnote": ("2021-03-01 Note D06.docx", docx_footnote),
    "docx-text-box": ("2021-03-01 Note D07.docx", docx_text_box),
    "docx-core-properties": ("2021-03-01 Note D08.docx", docx_core_properties),
    "docx-custom-app-properties": ("2021-03-01 Note D09.docx", docx_custom_properties),
    "docx-image-alt-text": ("2021-03-01 Note D10.docx", docx_image_alt_text),
    "docx-image-exif": ("2021-03-01 Note D11.docx", docx_image_exif),
    "docx-image-text": ("2021-03-01 Note D12.docx", docx_image_text),
    "docx-hyperlink": ("2021-03-01 Note D13.docx", docx_hyperlink),
    "docx-vanish": ("2021-03-01 Note D14.docx", docx_vanish),
    "docx-web-hidden": ("2021-03-01 Note D15.docx", docx_web_hidden),
    "docx-style-hidden": ("2021-03-01 Note D16.docx", docx_style_hidden),
    "docx-field-code": ("2021-03-01 Note D17.docx", docx_field_code),
    "docx-content-control": ("2021-03-01 Note D18.docx", docx_content_control),
    "docx-bookmark": ("2021-03-01 Note D19.docx", docx_bookmark),
    "docx-doc-variable": ("2021-03-01 Note D20.docx", docx_doc_variable),
    "docx-custom-xml": ("2021-03-01 Note D21.docx", docx_custom_xml),
    "docx-embedded-object": ("2021-03-01 Note D22.docx", docx_embedded_object),
    "docx-white-text": ("2021-03-01 Note D23.docx", docx_white_text),
    "docx-tiny-text": ("2021-03-01 Note D24.docx", docx_tiny_text),
    "docx-split-runs": ("2021-03-01 Note D25.docx", docx_split_runs),
    "docx-table-cell": ("2021-03-01 Note D26.docx", docx_table_cell),
    "docx-lower-case": ("2021-03-01 Note D27.docx", docx_lower_case),
    "docx-first-even-headers": ("2021-03-01 Note D28.docx", docx_first_page_header),
    "docx-attached-template": ("2021-03-01 Note D29.docx", docx_attached_template),
    "docx-thumbnail": ("2021-03-01 Note D30.docx", docx_thumbnail),
    "docx-alt-chunk": ("2021-03-01 Note D31.docx", docx_alt_chunk),
    "docx-glossary": ("2021-03-01 Note D32.docx", docx_glossary),
}
# over-caution: a document that should come out (redacted), not be held back
OVERCAUTION: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "old-black-box": ("2021-04-01 Note O01.pdf", old_black_box),
    "pattern-fill": ("2021-04-01 Note O02.pdf", pattern_fill),
    "docx-image-plain": ("2021-04-01 Note O03.docx", docx_image_plain),
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
