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

A font whose program has no character map (a CID-keyed CFF font, a subset stripped of its cmap) cannot be
confirmed this way and is not counted; a glyph the program does not map (a small capital, a ligature, an
alternate) is not counted either.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pymupdf

MISMAPPED_MIN = 3  # letters whose mapping contradicts the font's own map that make a page need OCR
UNCONFIRMED_MIN = 3  # letters in fonts whose mapping nothing confirms that make a page need OCR
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


def unconfirmed_letters(
    page: pymupdf.Page, stop: int = UNCONFIRMED_MIN, trace: list[dict[str, Any]] | None = None
) -> int:
    """Letters on the page shown in a font whose mapping nothing can confirm (module docstring): a Type3 font
    (its glyphs are drawings, whatever its ToUnicode map says), or an embedded font whose program has no
    character map of its own (a bare CFF or TrueType program without a cmap); counting stops at `stop`."""
    doc = page.parent
    try:
        fonts = page.get_fonts(full=True)
        names: set[str] = set()
        for f in fonts:
            if f[2] == "Type3":
                names |= _font_names(doc, f[0]) | {_name(str(f[3])), _name(f"Type3 ({f[0]} 0 R)")}
        names |= {n for known, font in _fonts(doc, page) if font.cmapless() for n in known}
        if not names:
            return 0
        if trace is None:
            trace = page.get_texttrace()
    except Exception:  # noqa: BLE001 - a page MuPDF cannot trace: the other tests decide
        return 0
    count = 0
    for span in trace:
        if _name(str(span.get("font", ""))) not in names:
            continue
        count += sum(1 for c in span.get("chars", ()) if c[0] > 0 and chr(c[0]).isalpha())
        if count >= stop:
            return count
    return count
