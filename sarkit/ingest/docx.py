"""Read a Word (.docx) file's visible text from its XML parts and render it to a PDF ourselves.

Why not LibreOffice: it prints tracked deletions and insertions and copies the author into the
PDF, costs about 260 MB to install and about 2 s a file. Rendering ourselves (simple HTML laid out
by ``pymupdf.Story``) puts exactly the text we resolved, and therefore detect on, into the PDF
that is redacted: tracked changes resolved to the final text (insertions in, deletions and
moved-from text out), no document properties, no comment or revision authors, no hidden text (hidden
in a run or by a style: w:vanish, w:webHidden, w:specVanish, white or sub-1.5 pt text). Images are not
carried over: each leaves a visible "[image removed: picture]" in its place, never a silent gap.

What is read: the body (paragraphs, tables incl. nested, content controls, text boxes), the
headers and footers of every section (drawn in a band at the top and bottom of every page),
footnotes and endnotes ("Notes") and comments ("Comments in the original document") at the end.

Story draws ligature glyphs (ﬁ) into the text layer; sarkit.ingest reads words with ligatures
expanded, so the extracted words equal the source words.
"""

from __future__ import annotations

import html
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymupdf

from ..fold import INVISIBLE
from .pdf import ReadProblem

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# containers whose children are inline content of the same paragraph
_INLINE_RECURSE = {_w(t) for t in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo")}
# content that is not in the final text
_DROPPED = {_w(t) for t in ("del", "moveFrom")}
_BLOCK_RECURSE = {_w(t) for t in ("customXml", "ins", "moveTo")}

PAGE = pymupdf.paper_rect("a4")
MARGIN_X = 56.0
BODY = pymupdf.Rect(MARGIN_X, 70, PAGE.width - MARGIN_X, PAGE.height - 64)
HEADER_BAND = pymupdf.Rect(MARGIN_X, 18, PAGE.width - MARGIN_X, 64)
FOOTER_BAND = pymupdf.Rect(MARGIN_X, PAGE.height - 58, PAGE.width - MARGIN_X, PAGE.height - 14)

CSS = """
body { font-family: sans-serif; font-size: 10.5pt; line-height: 1.3; }
h1 { font-size: 16pt; margin: 8pt 0 6pt 0; }
h2 { font-size: 13.5pt; margin: 8pt 0 5pt 0; }
h3, h4, h5, h6 { font-size: 11.5pt; margin: 6pt 0 4pt 0; }
p { margin: 0 0 5pt 0; }
table { border-collapse: collapse; margin: 2pt 0 8pt 0; width: 100%; }
td { border: 0.6pt solid #444; padding: 3pt 7pt; vertical-align: top; }
td p { margin: 0 0 2pt 0; }
ul, ol { margin: 0 0 5pt 0; }
div.textbox { border: 0.6pt solid #888; padding: 3pt 7pt; margin: 2pt 0 6pt 0; }
p.band { font-size: 8.5pt; margin: 0 0 1pt 0; }
"""


@dataclass
class _Ctx:
    styles: dict[str, str]  # styleId -> lower-case style name
    comment_numbers: dict[str, int] = field(default_factory=dict)
    hidden_styles: frozenset[str] = frozenset()  # styleIds whose text is hidden (vanish, webHidden, ...)
    hidden_default: bool = False  # the document's default run properties hide text


@dataclass
class DocxContent:
    """The HTML of what a DOCX shows: body (with notes and comments sections), header and footer."""

    body: str
    header: str
    footer: str


# ---------------------------------------------------------------- inline content


def _on(el: Any, tag: str) -> bool:
    """A run property toggle (w:b, w:i, ...) is on when present and not w:val=0/false/none."""
    if el is None:
        return False
    prop = el.find(_w(tag))
    if prop is None:
        return False
    return prop.get(_w("val"), "true").lower() not in ("0", "false", "off", "none")


def _alternate(el: Any) -> Any | None:
    """mc:AlternateContent: the first mc:Choice, else the mc:Fallback (never both: they duplicate)."""
    for child in el:
        if child.tag == f"{{{MC}}}Choice":
            return child
    for child in el:
        if child.tag == f"{{{MC}}}Fallback":
            return child
    return None


def _textboxes(el: Any) -> Iterator[Any]:
    """Top-level w:txbxContent elements under el (one branch of each mc:AlternateContent)."""
    for child in el:
        if child.tag == f"{{{MC}}}AlternateContent":
            pick = _alternate(child)
            if pick is not None:
                yield from _textboxes(pick)
        elif child.tag == _w("txbxContent"):
            yield child
        else:
            yield from _textboxes(child)


_HIDING = ("vanish", "webHidden", "specVanish")
_NO_INVISIBLES = {ord(ch): None for ch in INVISIBLE}
IMAGE_PLACEHOLDER = "[image removed: {what}]"


def _hides(rpr: Any) -> bool | None:
    """Whether run properties hide text (True), show it explicitly (False) or say nothing (None).

    Hidden: w:vanish, w:webHidden or w:specVanish on; white text (w:color FFFFFF), or text under 1.5 pt."""
    if rpr is None:
        return None
    said: bool | None = None
    for tag in _HIDING:
        prop = rpr.find(_w(tag))
        if prop is not None:
            if _on(rpr, tag):
                return True
            said = False
    color = rpr.find(_w("color"))
    if color is not None and (color.get(_w("val")) or "").upper() == "FFFFFF":
        return True
    size = rpr.find(_w("sz"))
    if size is not None and (size.get(_w("val")) or "").isdigit() and int(size.get(_w("val"))) < 3:
        return True
    return said


def _image_kind(el: Any) -> str:
    """'picture' or 'embedded object' when el (w:drawing, w:pict, w:object) shows an image; '' otherwise."""
    tag = el.tag
    for d in el.iter():
        name = d.tag if isinstance(d.tag, str) else ""
        if name.endswith("}blip") or name.endswith("}imagedata"):
            return "embedded object" if tag == _w("object") else "picture"
    return "embedded object" if tag == _w("object") else ""


class _Para:
    """Collects the HTML of one paragraph's runs and the text boxes anchored in it."""

    def __init__(self, ctx: _Ctx, hidden: bool = False):
        self.ctx = ctx
        self.hidden = hidden  # the paragraph's style hides its text
        self.parts: list[str] = []
        self.boxes: list[Any] = []
        self.visible = False

    def _hidden(self, rpr: Any) -> bool:
        own = _hides(rpr)
        if own is not None:
            return own
        style = rpr.find(_w("rStyle")) if rpr is not None else None
        if style is not None and style.get(_w("val"), "") in self.ctx.hidden_styles:
            return True
        return self.hidden or self.ctx.hidden_default

    def walk(self, el: Any) -> None:
        for child in el:
            tag = child.tag
            if tag == _w("r"):
                self.run(child)
            elif tag in _DROPPED:
                continue
            elif tag in _INLINE_RECURSE:
                self.walk(child)
            elif tag == _w("sdt"):
                content = child.find(_w("sdtContent"))
                if content is not None:
                    self.walk(content)
            elif tag == f"{{{MC}}}AlternateContent":
                pick = _alternate(child)
                if pick is not None:
                    self.walk(pick)

    def run(self, r: Any) -> None:
        rpr = r.find(_w("rPr"))
        if self._hidden(rpr):  # hidden in Word (directly or by a style): never shown in the bundle either
            return
        text: list[str] = []
        for child in r:
            tag = child.tag
            if tag == _w("t"):  # characters that show nothing (a zero-width space in a name) are not rendered
                text.append(html.escape((child.text or "").translate(_NO_INVISIBLES)))
            elif tag in (_w("tab"), _w("ptab")):
                text.append(" ")
            elif tag in (_w("br"), _w("cr")):
                if child.get(_w("type")) not in ("page", "column"):
                    text.append("<br/>")
                else:
                    text.append(" ")
            elif tag == _w("noBreakHyphen"):
                text.append("-")
            elif tag in (_w("footnoteReference"), _w("endnoteReference")):
                prefix = "" if tag == _w("footnoteReference") else "e"
                text.append(f"[{prefix}{html.escape(child.get(_w('id'), ''))}]")
            elif tag == _w("commentReference"):
                num = self.ctx.comment_numbers.get(child.get(_w("id"), ""))
                if num is not None:
                    text.append(f"[C{num}]")
            elif tag in (_w("drawing"), _w("pict"), _w("object"), f"{{{MC}}}AlternateContent"):
                self.boxes.extend(_textboxes(child) if tag != f"{{{MC}}}AlternateContent" else _alt_boxes(child))
                pick = _alternate(child) if tag == f"{{{MC}}}AlternateContent" else child
                what = _image_kind(pick) if pick is not None else ""
                if what:  # an image is not carried into the bundle: a visible note says one was here
                    text.append(f" {html.escape(IMAGE_PLACEHOLDER.format(what=what))} ")
            # w:delText, w:instrText, w:delInstrText, w:softHyphen, w:sym, w:footnoteRef ... are not shown
        chunk = "".join(text)
        if not chunk:
            return
        if chunk.replace("<br/>", "").strip():
            self.visible = True
        for on, open_tag, close_tag in (
            (_on(rpr, "b"), "<b>", "</b>"),
            (_on(rpr, "i"), "<i>", "</i>"),
            (_u_on(rpr), "<u>", "</u>"),
            (_on(rpr, "strike") or _on(rpr, "dstrike"), "<s>", "</s>"),
        ):
            if on:
                chunk = f"{open_tag}{chunk}{close_tag}"
        self.parts.append(chunk)


def _alt_boxes(el: Any) -> list[Any]:
    pick = _alternate(el)
    return list(_textboxes(pick)) if pick is not None else []


def _u_on(rpr: Any) -> bool:
    if rpr is None:
        return False
    u = rpr.find(_w("u"))
    return u is not None and u.get(_w("val"), "single") != "none"


# ---------------------------------------------------------------- blocks


def _style_name(p: Any, ctx: _Ctx) -> str:
    ppr = p.find(_w("pPr"))
    if ppr is None:
        return ""
    style = ppr.find(_w("pStyle"))
    if style is None:
        return ""
    sid = style.get(_w("val"), "")
    return ctx.styles.get(sid, sid.lower())


def _para_style_id(p: Any) -> str:
    ppr = p.find(_w("pPr"))
    style = ppr.find(_w("pStyle")) if ppr is not None else None
    return style.get(_w("val"), "") if style is not None else ""


def _heading_level(style: str) -> int:
    if style == "title":
        return 1
    m = re.fullmatch(r"heading\s*(\d)", style)
    return min(6, int(m.group(1))) if m else 0


def _is_list(p: Any, style: str) -> bool:
    ppr = p.find(_w("pPr"))
    return (ppr is not None and ppr.find(_w("numPr")) is not None) or style.startswith("list")


def _align(p: Any) -> str:
    ppr = p.find(_w("pPr"))
    jc = ppr.find(_w("jc")) if ppr is not None else None
    val = jc.get(_w("val"), "") if jc is not None else ""
    return {"center": "center", "right": "right", "end": "right"}.get(val, "")


def blocks_html(el: Any, ctx: _Ctx) -> str:
    """HTML for the block-level children of a body, cell, header, note, comment or text box."""
    out: list[str] = []
    list_items: list[str] = []
    list_tag = "ul"

    def flush() -> None:
        if list_items:
            out.append(f"<{list_tag}>" + "".join(list_items) + f"</{list_tag}>")
            list_items.clear()

    for child in el:
        tag = child.tag
        if tag == _w("p"):
            para = _Para(ctx, _para_style_id(child) in ctx.hidden_styles)
            para.walk(child)
            style = _style_name(child, ctx)
            inner = "".join(para.parts)
            if para.visible and _is_list(child, style):
                new_tag = "ol" if "number" in style else "ul"
                if list_items and new_tag != list_tag:
                    flush()
                list_tag = new_tag
                list_items.append(f"<li>{inner}</li>")
            else:
                flush()
                if para.visible:
                    level = _heading_level(style)
                    align = _align(child)
                    attr = f' style="text-align: {align}"' if align else ""
                    tag_name = f"h{level}" if level else "p"
                    out.append(f"<{tag_name}{attr}>{inner}</{tag_name}>")
            if para.boxes:
                flush()
                for box in para.boxes:
                    inner_box = blocks_html(box, ctx)
                    if inner_box:
                        out.append(f'<div class="textbox">{inner_box}</div>')
        elif tag == _w("tbl"):
            flush()
            out.append(_table_html(child, ctx))
        elif tag == _w("sdt"):
            flush()
            content = child.find(_w("sdtContent"))
            if content is not None:
                out.append(blocks_html(content, ctx))
        elif tag in _BLOCK_RECURSE:
            flush()
            out.append(blocks_html(child, ctx))
        elif tag == f"{{{MC}}}AlternateContent":
            pick = _alternate(child)
            if pick is not None:
                flush()
                out.append(blocks_html(pick, ctx))
    flush()
    return "".join(out)


def _rows(tbl: Any) -> Iterator[Any]:
    for child in tbl:
        if child.tag == _w("tr"):
            trpr = child.find(_w("trPr"))
            if trpr is not None and trpr.find(_w("del")) is not None:
                continue  # a tracked row deletion
            yield child
        elif child.tag in (_w("sdt"),):
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _rows(content)
        elif child.tag in (_w("customXml"), _w("ins"), _w("moveTo")):
            yield from _rows(child)


def _cells(tr: Any) -> Iterator[Any]:
    for child in tr:
        if child.tag == _w("tc"):
            yield child
        elif child.tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _cells(content)
        elif child.tag in (_w("customXml"), _w("ins"), _w("moveTo")):
            yield from _cells(child)


def _table_html(tbl: Any, ctx: _Ctx) -> str:
    rows: list[str] = []
    for tr in _rows(tbl):
        cells: list[str] = []
        for tc in _cells(tr):
            tcpr = tc.find(_w("tcPr"))
            span = 1
            merged_continue = False
            if tcpr is not None:
                gs = tcpr.find(_w("gridSpan"))
                if gs is not None and (gs.get(_w("val")) or "").isdigit():
                    span = max(1, min(64, int(gs.get(_w("val")))))
                vm = tcpr.find(_w("vMerge"))
                merged_continue = vm is not None and vm.get(_w("val"), "continue") == "continue"
            inner = "" if merged_continue else blocks_html(tc, ctx)
            colspan = f' colspan="{span}"' if span > 1 else ""
            cells.append(f"<td{colspan}>{inner or '&#160;'}</td>")
        if cells:
            rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>" + "".join(rows) + "</table>" if rows else ""


# ---------------------------------------------------------------- parts


def _element(part: Any) -> Any:
    el = getattr(part, "element", None)
    if el is not None:
        return el
    from docx.oxml import parse_xml

    return parse_xml(part.blob)


def _styles(document: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        root = document.styles.element
    except Exception:  # noqa: BLE001 - a missing or odd styles part only loses headings
        return out
    for st in root.iter(_w("style")):
        sid = st.get(_w("styleId"))
        name = st.find(_w("name"))
        if sid and name is not None:
            out[sid] = (name.get(_w("val")) or sid).lower()
    return out


def _hidden_styles(document: Any) -> tuple[frozenset[str], bool]:
    """The styleIds whose run properties (or those of a style they are based on) hide text, and whether the
    document's default run properties do."""
    try:
        root = document.styles.element
    except Exception:  # noqa: BLE001 - no styles part: nothing hidden by a style
        return frozenset(), False
    own: dict[str, bool | None] = {}
    based: dict[str, str] = {}
    for st in root.iter(_w("style")):
        sid = st.get(_w("styleId"))
        if not sid:
            continue
        own[sid] = _hides(st.find(_w("rPr")))
        base = st.find(_w("basedOn"))
        if base is not None and base.get(_w("val")):
            based[sid] = base.get(_w("val"))
    default = False
    for rpr_default in root.iter(_w("rPrDefault")):
        default = bool(_hides(rpr_default.find(_w("rPr"))))
    hidden = set()
    for sid in own:
        seen: set[str] = set()
        cur: str | None = sid
        verdict: bool | None = None
        while cur is not None and cur not in seen and verdict is None:
            seen.add(cur)
            verdict = own.get(cur)
            cur = based.get(cur)
        if verdict:
            hidden.add(sid)
    return frozenset(hidden), default


def _header_footer_parts(document: Any) -> tuple[list[Any], list[Any]]:
    """Header and footer elements of every section, in section order, each part once."""
    headers: list[Any] = []
    footers: list[Any] = []
    seen: set[str] = set()
    related = document.part.related_parts
    for sect in document.element.body.iter(_w("sectPr")):
        for ref in sect:
            if ref.tag not in (_w("headerReference"), _w("footerReference")):
                continue
            rid = ref.get(f"{{{R}}}id")
            if not rid or rid in seen or rid not in related:
                continue
            seen.add(rid)
            (headers if ref.tag == _w("headerReference") else footers).append(_element(related[rid]))
    return headers, footers


def _related(document: Any, kind: str) -> Any | None:
    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype.endswith("/" + kind):
            return _element(rel.target_part)
    return None


def _notes_html(root: Any | None, tag: str, prefix: str, ctx: _Ctx) -> list[str]:
    out: list[str] = []
    if root is None:
        return out
    for note in root.findall(_w(tag)):
        if note.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        inner = blocks_html(note, ctx)
        if inner:
            out.append(f"<p><b>[{prefix}{html.escape(note.get(_w('id'), ''))}]</b></p>{inner}")
    return out


def _dedupe(htmls: list[str]) -> str:
    seen: list[str] = []
    for h in htmls:
        if h and h not in seen:
            seen.append(h)
    return "".join(seen)


def _band_html(inner: str) -> str:
    return re.sub(r"<(p|h\d)( [^>]*)?>", r'<p class="band">', re.sub(r"</h\d>", "</p>", inner))


def read_docx(path: str) -> DocxContent:
    """The HTML of everything a DOCX shows (see the module docstring). Raises ReadProblem."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(path)
    except (KeyError, PackageNotFoundError, ValueError) as exc:
        raise ReadProblem("is not a readable Word document") from exc
    except Exception as exc:  # noqa: BLE001 - lxml and zipfile errors on a damaged file
        raise ReadProblem("is damaged and cannot be read as a Word document") from exc
    hidden, hidden_default = _hidden_styles(document)
    ctx = _Ctx(styles=_styles(document), hidden_styles=hidden, hidden_default=hidden_default)
    comments = _related(document, "comments")
    if comments is not None:
        for n, c in enumerate(comments.findall(_w("comment")), start=1):
            ctx.comment_numbers[c.get(_w("id"), "")] = n
    body = blocks_html(document.element.body, ctx)
    notes = _notes_html(_related(document, "footnotes"), "footnote", "", ctx)
    notes += _notes_html(_related(document, "endnotes"), "endnote", "e", ctx)
    if notes:
        body += "<h2>Notes</h2>" + "".join(notes)
    if comments is not None:
        parts = []
        for c in comments.findall(_w("comment")):
            inner = blocks_html(c, ctx)
            if inner:
                parts.append(f"<p><b>[C{ctx.comment_numbers[c.get(_w('id'), '')]}]</b></p>{inner}")
        if parts:
            body += "<h2>Comments in the original document</h2>" + "".join(parts)
    headers, footers = _header_footer_parts(document)
    header = _dedupe([blocks_html(h, ctx) for h in headers])
    footer = _dedupe([blocks_html(f, ctx) for f in footers])
    return DocxContent(body=body, header=header, footer=footer)


# ---------------------------------------------------------------- rendering


def _fits(fragment: str, rect: pymupdf.Rect) -> bool:
    story = pymupdf.Story(html=fragment, user_css=CSS)
    more, _ = story.place(rect)
    return not more


def _draw_band(dev: Any, fragment: str, rect: pymupdf.Rect) -> None:
    story = pymupdf.Story(html=fragment, user_css=CSS)
    story.place(rect)
    story.draw(dev)


def render_html(content: DocxContent) -> bytes:
    """Lay out the content on A4 pages, header and footer bands on every page. Returns PDF bytes."""
    header = _band_html(content.header)
    footer = _band_html(content.footer)
    body = content.body
    # a header or footer too big for its band goes into the flow once, so no text is lost
    if header and not _fits(header, HEADER_BAND):
        body, header = content.header + body, ""
    if footer and not _fits(footer, FOOTER_BAND):
        body, footer = body + content.footer, ""
    if not body.strip():
        body = "<p>&#160;</p>"
    story = pymupdf.Story(html=body, user_css=CSS)
    buf = io.BytesIO()
    writer = pymupdf.DocumentWriter(buf)
    more = 1
    pages = 0
    while more:
        dev = writer.begin_page(PAGE)
        more, _filled = story.place(BODY)
        if header:  # drawn first, so it is read first
            _draw_band(dev, header, HEADER_BAND)
        story.draw(dev)
        if footer:
            _draw_band(dev, footer, FOOTER_BAND)
        writer.end_page()
        pages += 1
        if pages > 5000:
            raise ReadProblem("is too long to lay out (over 5,000 pages)")
    writer.close()
    doc = pymupdf.open("pdf", buf.getvalue())
    doc.set_metadata({})
    doc.del_xml_metadata()
    return doc.tobytes(garbage=3, deflate=True, no_new_id=True)


def render_docx_in_child(src: str, out: str) -> None:
    """Read a DOCX and write its rendering to ``out`` (atomically)."""
    data = render_html(read_docx(src))
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
