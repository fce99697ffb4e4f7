"""Does a font's text mapping say what its glyphs show? The test for text that reads as other letters.

A PDF's text is what its fonts' mappings (ToUnicode, or the encoding's glyph names) say the character codes
are; what a reader sees is the glyph each code draws. A hostile file can map the glyphs of "Brian Lewis" to
"Oevna Yrjvf": every extractor then reads other letters, and a detector reading the text sees no name.

The test: for every character shown in an embedded font, PyMuPDF's text trace gives the Unicode value the
extractors read and the glyph id drawn. The font program has its own character map (Unicode -> glyph, the
TrueType/OpenType cmap, or for Type 1 and CFF fonts the map FreeType builds from the glyph names). When the
program maps the letter the extractor reads to another glyph, and maps the glyph drawn to another letter
(not the same letter in another case or with an accent), the mapping lies about that character. A page with
MISMAPPED_MIN or more such letters shows text no extractor reads: sarkit reads it by OCR (ingest, for
detection, and verify).

A glyph the program does not map (a small capital, a ligature, an alternate) is not counted.

A font whose program has no character map (a subset TrueType font written by ReportLab or Cairo, a CID-keyed or
bare CFF font), and a Type3 font (its glyphs are drawings), cannot be confirmed that way: their mapping is
confirmed by OCR instead, once per glyph for the whole file (`unconfirmed_letters`). A page that shows
UNCONFIRMED_MIN or more letters of such glyphs not confirmed yet has the region around them read by Tesseract;
every word OCR reads as the letters its mapping gives confirms its glyphs. A page left with UNCONFIRMED_MIN or
more unconfirmed letters after that shows text no extractor reads right, and is read by OCR like the others.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import pymupdf

MISMAPPED_MIN = 3  # letters whose mapping contradicts the font's own map that make a page need OCR
UNCONFIRMED_MIN = 3  # letters of glyphs whose mapping OCR has not confirmed that make a page need OCR
_PREFIX = re.compile(r"^[A-Z]{6}\+")


def unmapped_font(doc: pymupdf.Document, font: tuple, strict: bool = True) -> bool:
    """A font of page.get_fonts(full=True) whose codes no extractor can turn into letters: a Type3 font (its glyphs
    are drawings), or a font with no ToUnicode map whose encoding is Identity or that is composite (glyph ids,
    not letters). Not strict (ingest): a Type3 font only without a ToUnicode map, a composite font only with an
    Identity encoding (a predefined CJK encoding maps to Unicode through its character collection)."""
    xref, _ext, ftype, _base, _name, encoding = font[:6]
    if ftype == "Type3" and strict:
        return True
    if not xref:
        return False
    try:
        has_map = doc.xref_get_key(xref, "ToUnicode")[0] != "null"
    except Exception:  # noqa: BLE001
        return True
    if has_map:
        return False
    identity = str(encoding).startswith("Identity")
    if not strict:
        return ftype == "Type3" or identity
    return identity or ftype in ("Type0", "CIDFontType0", "CIDFontType2")


def unmapped_fonts_used(page: pymupdf.Page, strict: bool = True, trace: list[dict[str, Any]] | None = None) -> bool:
    """The page shows text in an unmapped font (unmapped_font). A font the page's resources list but its content
    does not use (one resource dictionary shared by every page of a merged file) does not count; when a font
    the text uses cannot be told by its name, every font listed counts."""
    doc = page.parent
    fonts = [f for f in page.get_fonts(full=True) if unmapped_font(doc, f, strict)]
    if not fonts:
        return False
    try:
        used = {_name(str(span.get("font", ""))) for span in (page.get_texttrace() if trace is None else trace)}
    except Exception:  # noqa: BLE001 - a page MuPDF cannot trace: every font listed counts
        return True
    if not used:
        return False
    known: set[str] = set()
    for f in page.get_fonts(full=True):
        known |= _font_names(doc, f[0]) | {_name(str(f[3])), _name(f"Type3 ({f[0]} 0 R)")}
    if used - known:
        return True
    return any(used & (_font_names(doc, f[0]) | {_name(str(f[3])), _name(f"Type3 ({f[0]} 0 R)")}) for f in fonts)


class _Font:
    """One embedded font program: its Unicode -> glyph map, and the reverse built on demand."""

    def __init__(self, font: pymupdf.Font):
        self.font = font
        self._reverse: dict[int, set[str]] | None = None
        self.verdicts: dict[tuple[str, int], bool | None] = {}
        self._cmapless: bool | None = None

    def cmapless(self) -> bool:
        """The program has no character map of its own (FreeType finds no Unicode map in it)."""
        if self._cmapless is None:
            try:
                self._cmapless = not self.font.valid_codepoints()
            except Exception:  # noqa: BLE001 - a damaged program: nothing confirms it
                self._cmapless = True
        return self._cmapless

    def glyph(self, ch: int) -> int:
        try:
            return int(self.font.has_glyph(ch))
        except Exception:  # noqa: BLE001 - a damaged program: nothing to compare with
            return 0

    def letters_of(self, gid: int) -> set[str]:
        if self._reverse is None:
            self._reverse = {}
            try:
                points = self.font.valid_codepoints()
            except Exception:  # noqa: BLE001
                points = []
            for cp in points[:70000]:
                g = self.glyph(cp)
                if g:
                    self._reverse.setdefault(g, set()).add(chr(cp))
        return self._reverse.get(gid, set())


def _base(ch: str) -> str:
    """A letter without case or accents: 'É' -> 'e'."""
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).casefold()


def _name(value: str) -> str:
    name = _PREFIX.sub("", value.lstrip("/"))
    name = re.sub(r"#([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), name)
    return re.sub(r"[\s,-]", "", name).casefold()


def _font_names(doc: pymupdf.Document, xref: int) -> set[str]:
    """The names MuPDF may give a font's spans: BaseFont of the font and of its descendant, FontName."""
    names: set[str] = set()
    todo = [xref]
    try:
        kind, val = doc.xref_get_key(xref, "DescendantFonts")
        todo += [int(x) for x in re.findall(r"(\d+) 0 R", val)] if kind in ("array", "xref") else []
        for x in list(todo):
            for key in ("BaseFont", "FontDescriptor/FontName"):
                k, v = doc.xref_get_key(x, key)
                if k == "name":
                    names.add(_name(v))
    except Exception:  # noqa: BLE001
        pass
    return names


def _fonts(doc: pymupdf.Document, page: pymupdf.Page) -> list[tuple[set[str], _Font]]:
    cache: dict[int, tuple[set[str], _Font] | None] = doc.__dict__.setdefault("_sarkit_glyph_fonts", {})
    out = []
    for f in page.get_fonts(full=True):
        xref = f[0]
        if xref not in cache:
            cache[xref] = None
            try:
                _name_, _ext, _type, buf = doc.extract_font(xref)[:4]
                if buf:
                    font = pymupdf.Font(fontbuffer=buf)
                    names = _font_names(doc, xref) | {_name(font.name)}
                    cache[xref] = (names, _Font(font))
            except Exception:  # noqa: BLE001 - a program FreeType cannot load: nothing to compare with
                cache[xref] = None
        known = cache[xref]
        if known is not None:
            out.append(known)
    return out


def _disagrees(font: _Font, ch: str, gid: int) -> bool | None:
    """True when the program maps ch to another glyph and gid to other letters only; None when unknown."""
    key = (ch, gid)
    if key not in font.verdicts:
        font.verdicts[key] = _verdict(font, ch, gid)
    return font.verdicts[key]


def _verdict(font: _Font, ch: str, gid: int) -> bool | None:
    own = font.glyph(ord(ch))
    if not own:
        return None
    if own == gid:
        return False
    shown = font.letters_of(gid)
    if not shown:
        return None
    want = _base(ch)
    return not any(want and want in _base(s) for s in shown)


def mismapped_letters(page: pymupdf.Page, stop: int = MISMAPPED_MIN, trace: list[dict[str, Any]] | None = None) -> int:
    """Letters on the page whose text mapping contradicts the font program's own map (module docstring);
    counting stops at `stop`. `trace`: the page's get_texttrace(), when the caller has it."""
    doc = page.parent
    try:
        fonts = _fonts(doc, page)
        if not fonts:
            return 0
        if trace is None:
            trace = page.get_texttrace()
    except Exception:  # noqa: BLE001 - a page MuPDF cannot trace: the other tests decide
        return 0
    count = 0
    seen: dict[tuple[str, str, int], bool] = {}
    for span in trace:
        name = _name(str(span.get("font", "")))
        cands = [f for names, f in fonts if name in names]
        if not cands:
            continue
        for c in span.get("chars", ()):
            ch, gid = chr(c[0]), c[1]
            if gid <= 0 or not ch.isalpha():
                continue
            key = (name, ch, gid)
            if key not in seen:
                lie = False
                for f in cands:
                    v = _disagrees(f, ch, gid)
                    if v is False:  # one font of that name draws this letter: the mapping holds
                        lie = False
                        break
                    lie = lie or bool(v)
                seen[key] = lie
            if seen[key]:
                count += 1
                if count >= stop:
                    return count
    return count


def _unconfirmable_fonts(doc: pymupdf.Document, page: pymupdf.Page) -> dict[str, str]:
    """The fonts of the page whose mapping nothing in the file confirms - Type3 fonts and embedded programs
    without a character map - by every name the text trace may give them (_name) -> the key their glyphs are
    confirmed under: the font's xref, for the whole file; or, when other fonts of the page go by that name too
    (which one a span uses cannot be told), the page and the name, so what OCR confirms holds on this page only."""
    _fonts(doc, page)  # loads the page's programs into the cache, by font xref
    programs: dict[int, tuple[set[str], _Font] | None] = doc.__dict__.get("_sarkit_glyph_fonts", {})
    xrefs: dict[str, set[int]] = {}
    doubtful: set[str] = set()
    for f in page.get_fonts(full=True):
        xref, ftype, base = f[0], f[2], str(f[3])
        program = programs.get(xref)
        keys = _font_names(doc, xref) | ({_name(base)} if base else set()) | (program[0] if program else set())
        if ftype == "Type3":
            keys.add(_name(f"Type3 ({xref} 0 R)"))
        for key in keys:
            xrefs.setdefault(key, set()).add(xref)
            if ftype == "Type3" or (program is not None and program[1].cmapless()):
                doubtful.add(key)
    return {k: str(next(iter(xrefs[k]))) if len(xrefs[k]) == 1 else f"p{page.number}:{k}" for k in doubtful}


_CONFUSED = str.maketrans("1i|I0", "lllLo")  # shapes Tesseract and fonts confuse: not a lie about a letter


def _token(text: str) -> str:
    """A word as compared with OCR's reading: letters and digits, without accents (Tesseract's English model
    reads "é" as "e"), with shapes it confuses made one, in one case."""
    return "".join(_base(ch) for ch in text if ch.isalnum()).translate(_CONFUSED).casefold()


class _Confirmed:
    """Per file: the glyphs (font xref, glyph id) whose mapping OCR has confirmed."""

    def __init__(self) -> None:
        self.glyphs: set[tuple[str, int]] = set()


def unconfirmed_letters(
    page: pymupdf.Page,
    least: int = UNCONFIRMED_MIN,
    trace: list[dict[str, Any]] | None = None,
    read: Callable[[pymupdf.Page, list[pymupdf.Rect]], list[tuple[float, float, float, float, str]]] | None = None,
) -> int:
    """Letters on the page whose mapping nothing confirms (module docstring).

    A letter is shown in a Type3 font or an embedded font whose program has no character map. Its glyph is
    confirmed when OCR (`read`: the text read in each of some boxes of the page, sarkit.glyphs.read_words by
    default) reads a word it is part of as the same letters the mapping gives (case, 1/l/I/| and 0/o aside).
    Only when the page shows `least` or more letters of glyphs not confirmed yet are words read: COVER words
    for each such glyph (_cover), in one run; what is confirmed holds for the rest of the file, so a file of
    one such font costs a reading or two, not one a page. Returns the letters still unconfirmed after that."""
    doc = page.parent
    try:
        fonts = _unconfirmable_fonts(doc, page)
        if not fonts:
            return 0
        if trace is None:
            trace = page.get_texttrace()
    except Exception:  # noqa: BLE001 - a page MuPDF cannot trace: the other tests decide
        return 0
    state: _Confirmed = doc.__dict__.setdefault("_sarkit_confirmed", _Confirmed())
    words: list[tuple[str, list[tuple[str, int]], pymupdf.Rect]] = []  # text, glyphs, box
    pending = 0
    for span in trace:
        name = _name(str(span.get("font", "")))
        if name not in fonts:
            continue
        xref = fonts[name]
        text, box = "", pymupdf.Rect()
        glyphs: list[tuple[str, int]] = []
        chars = span.get("chars", ())
        gap = _spacing(chars) + WORD_GAP * float(span.get("size", 0) or 0)
        last = None
        for c in (*chars, (32, 0, (0, 0), (0, 0, 0, 0))):
            ch = chr(c[0]) if c[0] > 0 else " "
            # a word ends at a space, and where the next letter starts a line or stands apart (words placed
            # by position, without space characters)
            apart = last is not None and (abs(c[2][1] - last[2][1]) > 0.5 or not -gap <= c[3][0] - last[3][2] <= gap)
            if ch.isspace() or apart:
                if glyphs:
                    words.append((text, glyphs, box))
                text, box, glyphs, last = "", pymupdf.Rect(), [], None
                if ch.isspace():
                    continue
            last = c
            text += ch
            box |= pymupdf.Rect(c[3])
            if ch.isalpha():
                glyphs.append((xref, c[1]))
                if glyphs[-1] not in state.glyphs:
                    pending += 1
    if pending < least:
        return pending
    todo = _cover([w for w in words if any(g not in state.glyphs for g in w[1])], state.glyphs)
    try:
        seen = (read or read_words)(page, [w[2] for w in todo])
    except Exception:  # noqa: BLE001 - OCR that cannot run confirms nothing
        seen = []
    found: dict[str, list[tuple[float, float]]] = {}
    for x0, y0, x1, y1, t in seen:
        found.setdefault(_token(t), []).append(((x0 + x1) / 2, (y0 + y1) / 2))
    for text, glyphs, box in todo:
        grow = max(1.0, box.height)
        near = found.get(_token(text), ())
        if any(box.x0 - grow <= cx <= box.x1 + grow and box.y0 - grow <= cy <= box.y1 + grow for cx, cy in near):
            state.glyphs.update(glyphs)
    return sum(1 for _t, glyphs, _b in words for g in glyphs if g not in state.glyphs)


def _spacing(chars: tuple) -> float:
    """The usual gap between two letters of a span (its letter spacing: 0 for most text), the median."""
    gaps = sorted(
        b[3][0] - a[3][2]
        for a, b in zip(chars, chars[1:])
        if a[0] > 32 and b[0] > 32 and abs(b[2][1] - a[2][1]) <= 0.5 and b[3][0] >= a[3][0]
    )
    return max(0.0, gaps[len(gaps) // 2]) if gaps else 0.0


WORD_GAP = 0.2  # a gap this share of the font size wider than the span's letter spacing parts two words
COVER = 2  # words read for each glyph not confirmed yet (one misread word leaves it to the other)
COVER_MAX = 80  # words read at most at once


def _cover(
    words: list[tuple[str, list[tuple[str, int]], pymupdf.Rect]], confirmed: set[tuple[str, int]]
) -> list[tuple[str, list[tuple[str, int]], pymupdf.Rect]]:
    """The words to read: each glyph not confirmed yet in COVER of them (longer words first: OCR reads a whole
    word better than a short one), COVER_MAX at most."""
    counts: dict[tuple[str, int], int] = {}
    out = []
    for w in sorted(words, key=lambda w: -len(set(w[1]) - confirmed)):
        if any(counts.get(g, 0) < COVER for g in w[1] if g not in confirmed):
            out.append(w)
            for g in set(w[1]):
                counts[g] = counts.get(g, 0) + 1
            if len(out) >= COVER_MAX:
                break
    return out


READ_DPI = 300
SHEET_MARGIN = 12  # white pixels around each word on the sheet


def unturned_clip(page: pymupdf.Page, boxes: Sequence[Any], margin: float) -> tuple[pymupdf.Page, pymupdf.Rect]:
    """The page as it lies unturned (a copy when it is turned, so that boxes in unrotated coordinates are where
    they are drawn) and the box around ``boxes`` grown by ``margin`` points, within the page."""
    if page.rotation:
        copy = pymupdf.open()
        copy.insert_pdf(page.parent, from_page=page.number, to_page=page.number)
        page = copy[0]
        page.set_rotation(0)
    clip = pymupdf.Rect(boxes[0])
    for b in boxes[1:]:
        clip |= b
    return page, (clip + (-margin, -margin, margin, margin)) & page.rect


def read_words(page: pymupdf.Page, boxes: list[pymupdf.Rect]) -> list[tuple[float, float, float, float, str]]:
    """What Tesseract reads in each of the boxes of the page (in the page's unrotated coordinates, those of the
    text trace): the page rendered once in grey at READ_DPI, each box cut out and the pieces stacked on one
    sheet, one a line, read as a block of text (one Tesseract run, however many boxes). Returns each box with
    the text read on its line; [] without the tesseract program."""
    if not boxes or not shutil.which("tesseract"):
        return []
    page, clip = unturned_clip(page, boxes, 2)
    if clip.is_empty:
        return []
    zoom = READ_DPI / 72
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=clip, colorspace=pymupdf.csGRAY, alpha=False)
    data, stride = bytes(pix.samples), pix.stride
    pieces = []
    for b in boxes:
        r = ((b + (-1, -1, 1, 1)) * pymupdf.Matrix(zoom, zoom)).irect & pix.irect
        x0, y0, x1, y1 = r.x0 - pix.x, r.y0 - pix.y, r.x1 - pix.x, r.y1 - pix.y
        pieces.append([data[y * stride + x0 : y * stride + x1] for y in range(y0, y1)] if x1 > x0 else [])
    width = max((len(p[0]) for p in pieces if p), default=0) + 2 * SHEET_MARGIN
    rows: list[bytes] = []
    spans = []  # the sheet rows of each piece
    blank = b"\xff" * width
    for piece in pieces:
        rows += [blank] * SHEET_MARGIN
        top = len(rows)
        rows += [b"\xff" * SHEET_MARGIN + line + b"\xff" * (width - SHEET_MARGIN - len(line)) for line in piece]
        spans.append((top, len(rows)))
    rows += [blank] * SHEET_MARGIN
    sheet = pymupdf.Pixmap(pymupdf.csGRAY, width, len(rows), b"".join(rows), 0)
    run = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "eng", "--psm", "6", "--dpi", str(READ_DPI), "tsv"],
        input=sheet.tobytes("png"),
        capture_output=True,
        timeout=120,
        env=dict(os.environ, OMP_THREAD_LIMIT="1"),
        check=False,
    )
    texts = [""] * len(boxes)
    for row in run.stdout.decode("utf-8", "replace").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            mid = int(cols[7]) + int(cols[9]) / 2
        except ValueError:
            continue
        for i, (top, bottom) in enumerate(spans):
            if top - SHEET_MARGIN / 2 <= mid < bottom + SHEET_MARGIN / 2:
                texts[i] += cols[11].strip()
                break
    return [(b.x0, b.y0, b.x1, b.y1, t) for b, t in zip(boxes, texts) if t]
