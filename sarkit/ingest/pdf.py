"""Words from a PDF with PyMuPDF, OCR for scanned pages, and images turned into PDFs.

The functions named ``*_in_child`` run inside sarkit.workers.run_isolated: they parse
untrusted bytes. They return plain tuples (cheap to pickle); the parent builds the dataclasses.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pymupdf

from ..glyphs import (
    MISMAPPED_MIN,
    UNCONFIRMED_MIN,
    mismapped_letters,
    unconfirmed_letters,
    unmapped_fonts_used,
    unturned_clip,
)
from ..legible import PARTIAL, ocr_reason, text_boxes, unmapped_regions
from ..pale import CONFIDENT, read_pale
from ..workers import die_with_parent

# (text, x0, y0, x1, y1, block, line)
RawWord = tuple[str, float, float, float, float, int, int]
# packed words, cheap to send between processes: texts, 4 floats a word, 2 ints a word, and the index of the
# first word read by OCR on a page that is not a scan (region_words: the words after it are OCR words)
Packed = tuple[list[str], bytes, bytes, int]
# (index, width, height, packed words, scanned, ocr_key or "" when no OCR is pending)
RawPage = tuple[int, float, float, Packed, bool, str]

OCR_DPI = 300
OCR_LANGUAGE = "eng"
# v2: --psm 1 retry of poorly read pages, trusted text layers; v4: pale writing; v5: no re-reads;
# v6: cell gaps measured in characters too (layout_words)
OCR_VERSION = "ocr-v6"
MAX_PIXELS = 200_000_000
# Word extraction without TEXT_PRESERVE_LIGATURES: MuPDF expands ligature glyphs (ﬁ -> fi), so the
# words equal the source words even when the PDF (e.g. our own DOCX rendering) draws ligatures.
WORD_FLAGS = pymupdf.TEXTFLAGS_WORDS & ~pymupdf.TEXT_PRESERVE_LIGATURES
# A gap wider than this many line heights separates two blocks on one visual line (table cells), when it is
# also wider than CELL_CHARS characters of the words on either side: OCR boxes of capitals are only as tall as
# the capitals, and a space of a typewriter-style font (a police printout in capitals) is wider than that.
CELL_GAP = 0.9
CELL_CHARS = 1.6
TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)


class ReadProblem(Exception):
    """Why a file cannot be read: a phrase that follows the file name ("is encrypted ...")."""

    def __init__(self, reason: str, page: int | None = None):
        super().__init__(reason, page)
        self.reason = reason
        self.page = page  # one-based, for the message


def quiet_mupdf() -> None:
    """MuPDF prints every repair warning of a damaged file on stderr; sarkit reports in sentences."""
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)


def find_tessdata() -> str | None:
    """The folder holding eng.traineddata: $TESSDATA_PREFIX first, then the usual places."""
    env = os.environ.get("TESSDATA_PREFIX")
    candidates = ([env, os.path.join(env, "tessdata")] if env else []) + list(TESSDATA_CANDIDATES)
    for cand in candidates:
        if cand and os.path.isfile(os.path.join(cand, f"{OCR_LANGUAGE}.traineddata")):
            return cand
    return None


# ---------------------------------------------------------------- layout


def _same_row(a: Sequence[float], b: Sequence[float]) -> bool:
    """b is on the same visual line as a, to its right."""
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    smaller = max(1e-6, min(a[3] - a[1], b[3] - b[1]))
    return overlap >= 0.5 * smaller and b[0] >= a[2] - 1.0


def layout_words(words: Iterable[Sequence]) -> list[RawWord]:
    """Renumber PyMuPDF words ``(x0, y0, x1, y1, text, block, line, wordno)`` in reading order.

    Blocks: a MuPDF block, split where a wide horizontal gap separates words of one visual line
    (table cells, form columns). Lines: page-unique, increasing; words on one visual line share a
    line number even across blocks, so a table row is one line of several blocks.
    """
    out: list[RawWord] = []
    append = out.append
    block = line = -1
    row_split = False
    pb = pl = -1
    px0 = py0 = px1 = py1 = 0.0
    plen = 0
    first = True
    for w in words:
        x0, y0, x1, y1, text, mb, ml = w[0], w[1], w[2], w[3], w[4], w[5], w[6]
        if not text or text.isspace():
            continue
        if first:
            block = line = 0
            first = False
        elif (mb == pb and ml == pl) or _same_row((px0, py0, px1, py1), (x0, y0, x1, y1)):
            h = y1 - y0
            ph = py1 - py0
            if ph > h:
                h = ph
            gap = x0 - px1
            if gap > CELL_GAP * (h if h > 1.0 else 1.0) and gap > CELL_CHARS * max(
                (x1 - x0) / len(text), (px1 - px0) / (plen or 1)
            ):
                block += 1
                row_split = True
        else:
            line += 1
            if mb != pb or row_split:
                block += 1
            row_split = False
        append((text, x0, y0, x1, y1, block, line))
        px0, py0, px1, py1, pb, pl, plen = x0, y0, x1, y1, mb, ml, len(text)
    return out


def pack_words(words: list[RawWord], ocr_from: int | None = None) -> Packed:
    """Words packed; `ocr_from`: the index of the first of them read by OCR on a page that is not a scan."""
    coords = array("d")
    ints = array("i")
    texts = []
    for t, x0, y0, x1, y1, b, ln in words:
        texts.append(t)
        coords.extend((x0, y0, x1, y1))
        ints.extend((b, ln))
    return texts, coords.tobytes(), ints.tobytes(), len(words) if ocr_from is None else ocr_from


def unpack_words(packed: Packed) -> Iterator[RawWord]:
    texts, cb, ib, _ = packed
    coords = array("d")
    coords.frombytes(cb)
    ints = array("i")
    ints.frombytes(ib)
    return zip(texts, coords[0::4], coords[1::4], coords[2::4], coords[3::4], ints[0::2], ints[1::2])


# ---------------------------------------------------------------- OCR cache


def ocr_key(doc: pymupdf.Document, page: pymupdf.Page) -> str:
    """sha256 of what the page shows: its content streams, its images' bytes, its size and rotation."""
    h = hashlib.sha256()
    h.update(f"{OCR_VERSION}|{ocr_engine()}|{OCR_LANGUAGE}|{OCR_DPI}|{tuple(page.rect)}|{page.rotation}".encode())
    h.update(page.read_contents())
    for img in page.get_images(full=True):
        h.update(doc.xref_stream_raw(img[0]) or b"")
    return h.hexdigest()


def _cache_path(ocr_dir: str, key: str) -> Path:
    return Path(ocr_dir) / f"{key}.json"


def load_cached_ocr(ocr_dir: str | None, key: str) -> list[RawWord] | None:
    if not ocr_dir:
        return None
    path = _cache_path(ocr_dir, key)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [(str(t), float(a), float(b), float(c), float(d), int(k), int(n)) for t, a, b, c, d, k, n in data]
    except (OSError, ValueError, TypeError):
        return None


def store_cached_ocr(ocr_dir: str, key: str, words: list[RawWord]) -> None:
    path = _cache_path(ocr_dir, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(words), encoding="utf-8")
    os.replace(tmp, path)


# ---------------------------------------------------------------- pages


def _image_coverage(page: pymupdf.Page) -> float:
    area = abs(page.rect) or 1.0
    covered = 0.0
    for info in page.get_image_info():
        r = pymupdf.Rect(info["bbox"]) & page.rect
        covered += abs(r)
    return min(1.0, covered / area)


STAMP_SHARE = 0.03  # share of the page the words of a scan's stamp or header cover at most


def _needs_ocr(page: pymupdf.Page, words: list[RawWord]) -> bool:
    """A scan: no text layer (or a few stray words) over an image that covers much of the page, or an image
    over half the page or more whose words cover less than STAMP_SHARE of it: a digital stamp ("Scanned
    2021-03-02 by Records") or header written over a scan, which says nothing of what the image shows."""
    coverage = _image_coverage(page)
    if len(words) >= 5:
        if coverage < 0.5:
            return False
        area = sum(max(0.0, w[3] - w[1]) * max(0.0, w[4] - w[2]) for w in words)
        return area < STAMP_SHARE * (abs(page.rect) or 1.0)
    return coverage >= 0.5 or (not words and coverage >= 0.2)


def _unreadable_text(page: pymupdf.Page, words: list[RawWord]) -> bool:
    """Text whose letters no extractor reads right (sarkit.glyphs): a Type3 font without a ToUnicode map, a font
    of glyph ids without one (Identity-H), characters without Unicode, a font whose text mapping reads other
    letters than its glyphs show, or letters in a font whose mapping nothing confirms and OCR did not confirm.
    The page is read by OCR, so detection sees what a reader sees."""
    if not words:
        return False
    if unmapped_fonts_used(page, strict=False):
        return True
    if any("\ufffd" in w[0] for w in words):
        return True
    return mismapped_letters(page) >= MISMAPPED_MIN or unconfirmed_letters(page) >= UNCONFIRMED_MIN


def has_invisible_layer(page: pymupdf.Page) -> bool:
    """A scan that carries a text layer: an image covers half the page or more and every piece of text
    on it is invisible (render mode 3 or fully transparent), as OCR software writes it.

    What the reader sees on such a page is the image, so the layer is only used when it agrees with
    our own OCR of the image (see layer_agreement); otherwise the page is OCRed again.
    """
    if _image_coverage(page) < 0.5:
        return False
    spans = page.get_texttrace()
    return bool(spans) and all(s.get("type") == 3 or s.get("opacity", 1) == 0 for s in spans)


def _check_ocr_size(page: pymupdf.Page) -> None:
    scale = OCR_DPI / 72.0
    if page.rect.width * scale * page.rect.height * scale > MAX_PIXELS:
        raise ReadProblem("has a page too large to read as a scan (over 200 megapixels)", page.number + 1)


def open_pdf(path: str, password: str | None) -> pymupdf.Document:
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # noqa: BLE001 - MuPDF raises several types for a broken file
        raise ReadProblem("is damaged and cannot be opened") from exc
    if doc.needs_pass:
        if not password:
            raise ReadProblem("is encrypted: add its password to case.yaml")
        if not doc.authenticate(password):
            raise ReadProblem("is encrypted and the password in case.yaml does not open it")
    if doc.page_count == 0:
        raise ReadProblem("has no pages")
    return doc


def is_encrypted(doc: pymupdf.Document) -> bool:
    meta = doc.metadata or {}
    return bool(meta.get("encryption")) or doc.is_encrypted


def iter_pages(doc: pymupdf.Document, ocr_dir: str | None, ocr: bool = True) -> Iterator[RawPage]:
    """Words of every page; scanned pages get cached OCR words, or an ocr key when OCR is pending."""
    for i in range(doc.page_count):
        try:
            page = doc.load_page(i)
            words = layout_words(page.get_text("words", flags=WORD_FLAGS))
            width, height = float(page.rect.width), float(page.rect.height)
            if not ocr or not (_needs_ocr(page, words) or has_invisible_layer(page) or _unreadable_text(page, words)):
                key = partial_key(doc, page) if ocr else ""
                cached = load_cached_ocr(ocr_dir, key) if key else None
                extra = cached or []
                packed = pack_words(words + extra, ocr_from=len(words))
                yield (i, width, height, packed, False, key if cached is None else "")
                continue
            _check_ocr_size(page)
            key = ocr_key(doc, page)
        except ReadProblem:
            raise
        except Exception as exc:  # noqa: BLE001
            raise ReadProblem("cannot be read", i + 1) from exc
        cached = load_cached_ocr(ocr_dir, key)
        if cached is not None:
            yield (i, width, height, pack_words(cached), True, "")
        else:
            yield (i, width, height, pack_words([]), True, key)


def ocr_engine() -> str:
    """ "cli" when the tesseract program is installed, else "mupdf" (PyMuPDF's built-in Tesseract).

    The built-in OCR lays a page out as one block (like ``--psm 6``) and drops whole rows of ruled
    tables in scanned forms (a referrer's name in a MASH contact record); the tesseract program with
    automatic page segmentation (``--psm 3``) reads them. Both give words with boxes.
    """
    return "cli" if shutil.which("tesseract") else "mupdf"


def scan_dpi(page: pymupdf.Page, limit: int = OCR_DPI) -> int:
    """The resolution to OCR a scanned page at: its largest image's own pixel density, at most ``limit``.

    Rendering above the scan's own resolution adds pixels, not detail, and costs OCR time; an image file
    without resolution metadata (read as 72 or 96 dpi, a page of many inches) is read at its own pixels.
    """
    best = 0.0
    native = float(limit)
    for info in page.get_image_info():
        r = pymupdf.Rect(info["bbox"])
        if r.is_empty or abs(r) <= best:
            continue
        best = abs(r)
        native = (info.get("width", 0) * info.get("height", 0) / max(1e-6, r.width * r.height)) ** 0.5 * 72
    return max(36, min(limit, round(native)))


def _page_image(page: pymupdf.Page, dpi: int) -> tuple[bytes, float, float]:
    """The page rendered in grey as PNG bytes, and its pixel size in points. (Tesseract reads a PNG on its
    standard input faster than the same pixels as PGM, which costs more than the PNG encoding.)"""
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    data = pix.tobytes("png")
    sx = page.rect.width / max(1, pix.width)
    sy = page.rect.height / max(1, pix.height)
    return data, sx, sy


def run_tesseract(image: bytes, tessdata: str, psm: int, dpi: int, timeout: float) -> str:
    """Tesseract's TSV for one page image, one thread (OMP_THREAD_LIMIT=1: faster per page, and pages run in
    parallel instead). Raises ReadProblem when Tesseract fails."""
    cmd = ["tesseract", "stdin", "stdout", "--tessdata-dir", tessdata, "-l", OCR_LANGUAGE, "--psm", str(psm)]
    if dpi >= 150:  # a physical resolution; below it the page's resolution is unknown and Tesseract estimates it
        cmd += ["--dpi", str(dpi)]
    cmd.append("tsv")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    proc = subprocess.run(
        cmd, input=image, capture_output=True, timeout=timeout, env=env, check=False, preexec_fn=die_with_parent
    )
    if proc.returncode != 0:
        raise ReadProblem("could not be read by OCR")
    return proc.stdout.decode("utf-8", "replace")


def tsv_quality(tsv: str) -> tuple[float, float]:
    """(confident words, mean confidence) of a Tesseract TSV: words of two letters or digits or more, the
    confident ones weighted by their confidence. An upside-down page reads as garbage of low confidence."""
    confs: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or sum(ch.isalnum() for ch in cols[11]) < 2:
            continue
        try:
            confs.append(float(cols[10]))
        except ValueError:
            continue
    if not confs:
        return 0.0, 0.0
    return sum(c for c in confs if c >= 60) / 100.0, sum(confs) / len(confs)


# Below this mean word confidence (or with fewer confident words than this), the page is read again with
# orientation detection (--psm 1), which turns pages scanned at 90/180/270 degrees; the better reading wins.
RETRY_MEAN_CONF = 70.0
RETRY_MIN_WORDS = 3.0


def ocr_tsv(image: bytes, tessdata: str, dpi: int, timeout: float) -> str:
    """Read a page image: automatic layout (--psm 3), and when that reads poorly, with orientation detection."""
    t0 = time.monotonic()
    tsv = run_tesseract(image, tessdata, 3, dpi, timeout)
    words, mean = tsv_quality(tsv)
    if mean >= RETRY_MEAN_CONF and words >= RETRY_MIN_WORDS:
        return tsv
    left = timeout - (time.monotonic() - t0)
    if left <= 1:
        return tsv
    try:
        other = run_tesseract(image, tessdata, 1, dpi, left)
    except ReadProblem:
        return tsv
    return other if tsv_quality(other)[0] > words else tsv


def _ocr_words_cli(page: pymupdf.Page, tessdata: str, timeout: float, dpi: int = OCR_DPI) -> list[tuple]:
    dpi = scan_dpi(page, dpi)
    image, sx, sy = _page_image(page, dpi)
    tsv = ocr_tsv(image, tessdata, dpi, timeout)
    return unturn(page, parse_tsv(tsv, sx, sy, page.rect.x0, page.rect.y0))


def unturn(page: pymupdf.Page, words: list[tuple]) -> list[tuple]:
    """OCR reads the page as shown; a page with /Rotate has its words, and its redactions, in unrotated
    coordinates (those of the page's text and of PyMuPDF's annotations)."""
    if not page.rotation:
        return words
    m = page.derotation_matrix
    out = []
    for x0, y0, x1, y1, *rest in words:  # PyMuPDF's word tuples: (x0, y0, x1, y1, text, block, line, word)
        r = pymupdf.Rect(x0, y0, x1, y1) * m
        out.append((r.x0, r.y0, r.x1, r.y1, *rest))
    return out


def parse_tsv(tsv: str, sx: float, sy: float, ox: float = 0.0, oy: float = 0.0) -> list[tuple]:
    """Tesseract TSV rows of words as PyMuPDF-style word tuples in page coordinates.

    A tesseract paragraph becomes a block; (block, paragraph, line) a line. With --psm 1 on a turned page,
    Tesseract gives the boxes in the coordinates of the image as it was passed, so they need no turning.
    """
    words: list[tuple] = []
    blocks: dict[tuple[int, int], int] = {}
    lines: dict[tuple[int, int, int], int] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        try:
            b, par, ln, wn, left, top, w, h = (int(c) for c in cols[2:10])
        except ValueError:
            continue
        bk = blocks.setdefault((b, par), len(blocks))
        lk = lines.setdefault((b, par, ln), len(lines))
        words.append((ox + left * sx, oy + top * sy, ox + (left + w) * sx, oy + (top + h) * sy, text, bk, lk, wn))
    return words


def _token(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _matched_share(a: Sequence[RawWord], b: Sequence[RawWord]) -> float:
    """Share of the words of a (two characters or more) that b reads with the same letters at the same place:
    a word of b with the same token whose centre lies within the a-word's box grown by its height."""
    index: dict[str, list[tuple[float, float]]] = {}
    for w in b:
        t = _token(w[0])
        if len(t) >= 2:
            index.setdefault(t, []).append(((w[1] + w[3]) / 2, (w[2] + w[4]) / 2))
    total = hit = 0
    for w in a:
        t = _token(w[0])
        if len(t) < 2:
            continue
        total += 1
        grow = max(1.0, w[4] - w[2])
        if any(w[1] - grow <= cx <= w[3] + grow and w[2] - grow <= cy <= w[4] + grow for cx, cy in index.get(t, ())):
            hit += 1
    return hit / total if total else 1.0


def layer_agreement(layer: Sequence[RawWord], ocr: Sequence[RawWord]) -> float:
    """How far an existing text layer agrees with what OCR reads on the image, from 0 to 1.

    The smaller of: the share of the layer's words that OCR reads at the same place, and the share of
    OCR's words that the layer has at the same place. So a layer with wrong words, words that are not
    on the image, words at the wrong place, or missing text all score low.
    """
    if not any(len(_token(w[0])) >= 2 for w in layer):
        return 1.0 if not any(len(_token(w[0])) >= 2 for w in ocr) else 0.0
    return min(_matched_share(layer, ocr), _matched_share(ocr, layer))


# The test for an existing text layer on a scan: OCR the page at TEST_DPI (about a quarter of the pixels of a
# full reading) and use the layer only if layer_agreement is at least TRUST_LAYER; otherwise OCR in full.
# Low-resolution OCR misreads some words a good layer has right, hence a threshold below 1.
TEST_DPI = 150
TRUST_LAYER = 0.8


def _pale_words(page: pymupdf.Page, words: list[RawWord], tessdata: str, timeout: float) -> list[RawWord]:
    """Pale or slanted writing the page's OCR did not read (sarkit.pale), each region a block and line of its own
    after the page's words (both in unrotated page coordinates)."""
    known = [w[1:5] for w in words]
    pale = read_pale(page, tessdata, timeout, die_with_parent, known=known, min_conf=CONFIDENT)
    b0 = 1 + max((w[5] for w in words), default=-1)
    l0 = 1 + max((w[6] for w in words), default=-1)
    return [(t, x0, y0, x1, y1, b0 + n, l0 + n) for x0, y0, x1, y1, t, n in pale]


def ocr_page_in_child(
    pdf_path: str, index: int, key: str, ocr_dir: str | None, tessdata: str, timeout: float = 110.0
) -> list[RawWord]:
    """OCR one page (or accept its text layer, see TRUST_LAYER) and store the words in the cache; for a key of
    partial_key, the page's text-layer words and the words read in its regions (region_words)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    quiet_mupdf()
    doc = pymupdf.open(pdf_path, filetype="pdf")
    page = doc.load_page(index)
    if key.startswith(PART_KEY):
        return _partial_in_child(page, key, ocr_dir, tessdata, timeout)
    _check_ocr_size(page)
    t0 = time.monotonic()
    try:
        words: list[RawWord] | None = None
        layer = layout_words(page.get_text("words", flags=WORD_FLAGS)) if has_invisible_layer(page) else []
        if layer and ocr_engine() == "cli":
            test = layout_words(_ocr_words_cli(page, tessdata, timeout, TEST_DPI))
            if layer_agreement(layer, test) >= TRUST_LAYER:
                words = layer
        if words is None:
            left = max(1.0, timeout - (time.monotonic() - t0))
            if ocr_engine() == "cli":
                raw = _ocr_words_cli(page, tessdata, left)
            else:
                tp = page.get_textpage_ocr(language=OCR_LANGUAGE, dpi=OCR_DPI, full=True, tessdata=tessdata)
                raw = page.get_text("words", textpage=tp, flags=WORD_FLAGS)
            words = layout_words(raw)
        if ocr_engine() == "cli":
            words = words + _pale_words(page, words, tessdata, max(1.0, timeout - (time.monotonic() - t0)))
    except ReadProblem as exc:
        raise ReadProblem(exc.reason, index + 1) from None
    except subprocess.TimeoutExpired as exc:
        raise ReadProblem("took too long to read by OCR", index + 1) from exc
    except Exception as exc:  # noqa: BLE001
        raise ReadProblem("could not be read by OCR", index + 1) from exc
    if ocr_dir:
        store_cached_ocr(ocr_dir, key, words)
    return words


# ---------------------------------------------------------------- OCR of regions of a text page

PART_DPI = 300
PART_MIN_DPI = 150
PART_CONF = 50  # Tesseract's confidence a word read in a region needs (a logo reads as fragments below it)
PART_PSM = 11  # sparse text: every word Tesseract finds in the region, in no particular layout


PART_KEY = "part-"  # the cache key of a text page's region words begins so (ocr_page_in_child)


def partial_key(doc: pymupdf.Document, page: pymupdf.Page) -> str:
    """The OCR key of a text page that shows what no extractor maps (sarkit.legible: an image, vector outlines)
    in regions to read by OCR, or "" when the test flags nothing there, or when the tesseract program or its
    data is missing, or the page is too large (verify's OCR of the output still reads such a page, and holds
    the document back if a protected value shows)."""
    if ocr_reason(page) not in PARTIAL or ocr_engine() != "cli" or find_tessdata() is None:
        return ""
    regions = unmapped_regions(page)
    if not regions:
        return ""
    try:
        _check_ocr_size(page)
    except ReadProblem:
        return ""
    return PART_KEY + hashlib.sha256(f"{ocr_key(doc, page)}|{[tuple(r) for r in regions]}".encode()).hexdigest()


def _partial_in_child(
    page: pymupdf.Page, key: str, ocr_dir: str | None, tessdata: str, timeout: float
) -> list[RawWord]:
    """A text page's words and the words read in its regions (region_words); only the latter are cached. A
    reading that fails adds nothing (partial_key says why that is safe)."""
    words = layout_words(page.get_text("words", flags=WORD_FLAGS))
    try:
        found = region_words(page, unmapped_regions(page), words, tessdata, timeout)
    except (ReadProblem, OSError, subprocess.SubprocessError):
        return words
    if ocr_dir:
        store_cached_ocr(ocr_dir, key, found)
    return words + found


def region_words(
    page: pymupdf.Page, regions: Sequence[pymupdf.Rect], words: Sequence[RawWord], tessdata: str, timeout: float
) -> list[RawWord]:
    """OCR of the regions of a page (unrotated page coordinates): the box around them rendered in grey (at
    PART_DPI, or on a page with images at its largest image's own pixel density, PART_MIN_DPI at least) with
    the page's visible text blanked white (it is read already), read by Tesseract as sparse text;
    the words of PART_CONF or more with a letter or digit, each Tesseract line a line of its own after the
    page's words, in unrotated page coordinates. A word the page's text layer has at the same place (an
    invisible layer over an image) is left out."""
    # read unturned: regions, words and text boxes are all in unrotated coordinates
    page, clip = unturned_clip(page, regions, 3)
    if clip.is_empty:
        return []
    # an image's text is read at the image's own pixel density (rendering finer adds pixels, not detail), at
    # least PART_MIN_DPI; outlines at PART_DPI
    dpi = max(PART_MIN_DPI, scan_dpi(page, PART_DPI)) if page.get_image_info() else PART_DPI
    zoom = dpi / 72
    mat = pymupdf.Matrix(zoom, zoom)
    pix = page.get_pixmap(matrix=mat, clip=clip, colorspace=pymupdf.csGRAY, alpha=False)
    for box in text_boxes(page.get_texttrace()):
        if box.intersects(clip):
            pix.set_rect((box * mat).irect & pix.irect, (255,))
    tsv = run_tesseract(pix.tobytes("png"), tessdata, PART_PSM, dpi, timeout)
    b0 = 1 + max((w[5] for w in words), default=-1)
    l0 = 1 + max((w[6] for w in words), default=-1)
    read = []
    lines: dict[tuple[int, int, int], int] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not any(ch.isalnum() for ch in cols[11]):
            continue
        try:
            b, par, ln, left, top, w, h = (int(c) for c in (*cols[2:5], *cols[6:10]))
            conf = float(cols[10])
        except ValueError:
            continue
        if conf < PART_CONF:
            continue
        n = lines.setdefault((b, par, ln), len(lines))
        x0, y0 = (pix.x + left) / zoom, (pix.y + top) / zoom
        read.append((cols[11].strip(), x0, y0, (pix.x + left + w) / zoom, (pix.y + top + h) / zoom, b0 + n, l0 + n))
    layer = [w for w in words if len(_token(w[0])) >= 2]
    return [w for w in read if not layer or _matched_share([w], layer) < 1.0]


# ---------------------------------------------------------------- conversions


def image_to_pdf(src: str, out: str) -> None:
    """An image file (every frame of a TIFF) as an image-only PDF, page size from the image resolution."""
    try:
        img = pymupdf.open(src)
    except Exception as exc:  # noqa: BLE001
        raise ReadProblem("is not a readable image") from exc
    if img.page_count == 0:
        raise ReadProblem("has no pages")
    for i in range(img.page_count):
        for info in img.load_page(i).get_image_info():
            if int(info.get("width", 0)) * int(info.get("height", 0)) > MAX_PIXELS:
                raise ReadProblem("is too large an image to read (over 200 megapixels)", i + 1)
    try:
        data = img.convert_to_pdf()
    except Exception as exc:  # noqa: BLE001
        raise ReadProblem("is not a readable image") from exc
    _write_atomic(out, data)


def decrypt_pdf(doc: pymupdf.Document, out: str) -> None:
    """Save an opened (authenticated) PDF without encryption and without its metadata changes."""
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_NONE, garbage=1)
    _write_atomic(out, data)


def _write_atomic(out: str, data: bytes) -> None:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
