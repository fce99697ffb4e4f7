"""Pale writing on a page image: light-grey or faint text, at any angle, that Tesseract misses as it is.

Tesseract binarises a page with one global threshold, chosen between the paper and the dark ink, so writing
in light grey (a pencilled note, a faint stamp, a watermark of a name) falls on the paper's side and is
lost; its layout analysis also reads only lines near the horizontal (or turned by 90, 180, 270 degrees),
so a note written at 30 degrees is lost as well. This module finds such writing and reads it on its own:

1. The page is rendered in grey at PALE_DPI and cut into TILE-pixel tiles. The paper's level is the most
   common grey. A tile is pale when it holds no dark ink (nothing darker than paper - DARK) and at least
   PALE_PIXELS pixels darker than paper - FAINT; a pale tile beside a dark one is left out (the grey edge
   of black letters).
2. Pale tiles within two tiles of each other form a region; a region of at least MIN_TILES tiles, at
   most MAX_SHARE of the page, and more than one tile thick (MIN_SPREAD: not a rule, a fold or the shadow
   of the scanner's edge) is read (at most MAX_REGIONS regions, the largest first).
3. The direction of a region's writing is the long axis of its tiles (second moments). The region is
   rendered at READ_DPI turned so that axis is horizontal (and, if that reads worse, upside down), every
   pixel darker than paper - FAINT made black and the rest white, and read by Tesseract as one block; when
   that reads fewer than GOOD_READ letters, it is read upside down too and the better reading kept. A region
   that words the page's own OCR read already cover (KNOWN_SHARE of it) is not read again (ingest).

The words come back with boxes in page coordinates (the upright box around each turned word), so ingest can
redact them and verify can look for values in them. Cost: one render at PALE_DPI per page tested; Tesseract
runs only for a page with a pale region.
"""

from __future__ import annotations

import math
import os
import subprocess
from collections.abc import Callable, Sequence

import pymupdf

PALE_DPI = 72
TILE = 6  # pixels at PALE_DPI (2 mm)
DARK = 90  # levels below the paper: ink
FAINT = 18  # levels below the paper: a mark at all
PALE_PIXELS = 4
MIN_TILES = 6
MAX_SHARE = 0.3
MAX_REGIONS = 3
MIN_SPREAD = 0.2  # tiles squared: the least spread across a region's long axis (writing is two tiles high)
GOOD_READ = 4  # letters read with confidence: the region needs no second reading upside down
READ_DPI = 300
CONFIDENT = 70  # ingest: Tesseract's confidence a pale word needs to be read as text (real pale writing: 90+)
REREAD_SHARE = 0.3  # a pale word lying this much on a word already read is that word read again
KNOWN_SHARE = 0.25
PaleWord = tuple[float, float, float, float, str, int]  # x0, y0, x1, y1 in page coordinates, text, region


def _paper(pix: pymupdf.Pixmap) -> int:
    counts = pix.color_count(colors=True)
    if not counts:
        return 255
    best = max(counts.items(), key=lambda kv: kv[1])[0]
    return best[0] if isinstance(best, tuple | bytes) else int(best)


def pale_regions(page: pymupdf.Page) -> list[tuple[pymupdf.Rect, float]]:
    """The regions of pale writing on the page (module docstring, steps 1-2): (box in page coordinates as
    shown, angle of the writing in degrees, clockwise from the horizontal)."""
    pix = page.get_pixmap(dpi=PALE_DPI, colorspace=pymupdf.csGRAY, alpha=False)
    w, h, stride = pix.width, pix.height, pix.stride
    data = bytes(pix.samples)
    paper = _paper(pix)
    dark_level, faint_level = paper - DARK, paper - FAINT
    if faint_level <= 0:
        return []
    is_dark = bytes(1 if v < dark_level else 0 for v in range(256))
    is_faint = bytes(1 if v < faint_level else 0 for v in range(256))
    tw, th = (w + TILE - 1) // TILE, (h + TILE - 1) // TILE
    pale: dict[tuple[int, int], int] = {}
    dark: set[tuple[int, int]] = set()
    for ty in range(th):
        rows = [data[y * stride : y * stride + w] for y in range(ty * TILE, min(h, (ty + 1) * TILE))]
        for tx in range(tw):
            tile = b"".join(r[tx * TILE : (tx + 1) * TILE] for r in rows)
            if tile.translate(is_dark).count(1):
                dark.add((tx, ty))
                continue
            n = tile.translate(is_faint).count(1)
            if n >= PALE_PIXELS:
                pale[(tx, ty)] = n
    for t in list(pale):
        if any((t[0] + dx, t[1] + dy) in dark for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            del pale[t]
    regions = []
    seen: set[tuple[int, int]] = set()
    for start in pale:
        if start in seen:
            continue
        group, todo = [], [start]
        seen.add(start)
        while todo:
            t = todo.pop()
            group.append(t)
            for dx in range(-2, 3):
                for dy in range(-2, 3):
                    nb = (t[0] + dx, t[1] + dy)
                    if nb in pale and nb not in seen:
                        seen.add(nb)
                        todo.append(nb)
        if len(group) >= MIN_TILES:
            regions.append(group)
    regions.sort(key=len, reverse=True)
    out = []
    sx, sy = page.rect.width / max(1, w), page.rect.height / max(1, h)
    for group in regions[:MAX_REGIONS]:
        xs = [t[0] for t in group]
        ys = [t[1] for t in group]
        x0, y0, x1, y1 = min(xs) * TILE, min(ys) * TILE, (max(xs) + 1) * TILE, (max(ys) + 1) * TILE
        box = pymupdf.Rect(x0 * sx, y0 * sy, x1 * sx, y1 * sy)
        box = (box + (-6, -6, 6, 6)) & page.rect
        if abs(box) > MAX_SHARE * abs(page.rect):
            continue
        wts = [pale[t] for t in group]
        tot = sum(wts)
        mx = sum(x * k for x, k in zip(xs, wts)) / tot
        my = sum(y * k for y, k in zip(ys, wts)) / tot
        cxx = sum(k * (x - mx) ** 2 for x, k in zip(xs, wts)) / tot
        cyy = sum(k * (y - my) ** 2 for y, k in zip(ys, wts)) / tot
        cxy = sum(k * (x - mx) * (y - my) for x, y, k in zip(xs, ys, wts)) / tot
        minor = (cxx + cyy) / 2 - math.sqrt(((cxx - cyy) / 2) ** 2 + cxy**2)  # spread across the writing
        if minor < MIN_SPREAD:  # one tile thick: a rule, a fold, the shadow of the scanner's edge
            continue
        angle = math.degrees(0.5 * math.atan2(2 * cxy, cxx - cyy))
        out.append((box, angle))
    return out


def _tsv_words(tsv: str) -> list[tuple[int, int, int, int, str, float]]:
    out = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            left, top, width, height = (int(c) for c in cols[6:10])
            conf = float(cols[10])
        except ValueError:
            continue
        out.append((left, top, width, height, cols[11].strip(), conf))
    return out


def _tesseract(png: bytes, tessdata: str | None, timeout: float, preexec: Callable[[], object] | None) -> str:
    cmd = ["tesseract", "stdin", "stdout", "-l", "eng", "--psm", "6", "--dpi", str(READ_DPI)]
    if tessdata:
        cmd[3:3] = ["--tessdata-dir", tessdata]
    run = subprocess.run(
        [*cmd, "tsv"],
        input=png,
        capture_output=True,
        timeout=timeout,
        env=dict(os.environ, OMP_THREAD_LIMIT="1"),
        check=False,
        preexec_fn=preexec,
    )
    return run.stdout.decode("utf-8", "replace") if run.returncode == 0 else ""


def _read_turned(
    page: pymupdf.Page,
    box: pymupdf.Rect,
    angle: float,
    paper: int,
    tessdata: str | None,
    timeout: float,
    preexec: Callable[[], object] | None,
    region: int,
    min_conf: float = 30,
) -> list[PaleWord]:
    zoom = READ_DPI / 72
    mat = pymupdf.Matrix(zoom, zoom) * pymupdf.Matrix(-angle)
    # the box as shown on the page; get_pixmap's clip is in the same coordinates for an unrotated page
    pix = page.get_pixmap(matrix=mat, clip=box, colorspace=pymupdf.csGRAY, alpha=False)
    level = paper - FAINT
    table = bytes(0 if v < level else 255 for v in range(256))
    samples = bytes(pix.samples).translate(table)
    bw = pymupdf.Pixmap(pymupdf.csGRAY, pix.width, pix.height, samples, 0)
    words = _tsv_words(_tesseract(bw.tobytes("png"), tessdata, timeout, preexec))
    # pixel (px, py) of the render is the point (px + x0, py + y0) * ~mat, (x0, y0) the render's origin
    inv = ~mat
    out: list[PaleWord] = []
    for left, top, width, height, text, conf in words:
        if conf < min_conf or not any(ch.isalnum() for ch in text):
            continue
        corners = [
            pymupdf.Point(pix.x + x, pix.y + y) * inv
            for x, y in ((left, top), (left + width, top), (left, top + height), (left + width, top + height))
        ]
        r = pymupdf.Rect(corners[0], corners[0])
        for c in corners[1:]:
            r |= c
        out.append((r.x0, r.y0, r.x1, r.y1, text, region))
    return out


def _score(words: list[PaleWord]) -> int:
    return sum(sum(ch.isalpha() for ch in w[4]) for w in words)


def _known(box: pymupdf.Rect, known: Sequence[Sequence[float]]) -> bool:
    """Words already read cover KNOWN_SHARE of the region or more: the page's own OCR read its writing."""
    covered = sum(abs(box & pymupdf.Rect(k[:4])) for k in known)
    return covered >= KNOWN_SHARE * max(1e-6, abs(box))


def read_pale(
    page: pymupdf.Page,
    tessdata: str | None = None,
    timeout: float = 60.0,
    preexec: Callable[[], object] | None = None,
    known: Sequence[Sequence[float]] = (),
    min_conf: float = 30,
) -> list[PaleWord]:
    """The words of the page's pale writing (module docstring): (x0, y0, x1, y1, text, region), boxes in the
    page's unrotated coordinates (those of its text and annotations); [] when there is none or Tesseract is
    missing. `known`: boxes of words the page's own OCR read (in the same coordinates); a region they cover is
    not read again, and a word that lies on one of them is dropped (_reread). `min_conf`: Tesseract's confidence
    a word needs (verify keeps the low default, to fail closed; ingest asks for CONFIDENT, so that fragments of
    shaded cells read at the pale threshold do not become text that detection reads)."""
    if page.rotation:  # a page turned by /Rotate is read unturned: the writing's angle is found either way
        copy = pymupdf.open()
        copy.insert_pdf(page.parent, from_page=page.number, to_page=page.number)
        page = copy[0]
        page.set_rotation(0)
    regions = [(box, angle) for box, angle in pale_regions(page) if not known or not _known(box, known)]
    if not regions:
        return []
    pix = page.get_pixmap(dpi=PALE_DPI, colorspace=pymupdf.csGRAY, alpha=False)
    paper = _paper(pix)
    out: list[PaleWord] = []
    for n, (box, angle) in enumerate(regions):
        best: list[PaleWord] = []
        for turn in (angle, angle + 180):
            try:
                words = _read_turned(page, box, turn, paper, tessdata, timeout, preexec, n, min_conf)
            except (OSError, subprocess.SubprocessError):
                return out
            if _score(words) > _score(best):
                best = words
            if _score(best) >= GOOD_READ:
                break
        out.extend(w for w in best if not _reread(w, known))
    return out


def _reread(word: PaleWord, known: Sequence[Sequence[float]]) -> bool:
    """A word of a pale region that lies on a word the page's own OCR read (REREAD_SHARE of its box or more):
    dark writing read again through the pale threshold (often as fragments), not pale writing."""
    box = pymupdf.Rect(word[:4])
    covered = sum(abs(box & pymupdf.Rect(k[:4])) for k in known)
    return covered >= REREAD_SHARE * max(1e-6, abs(box))
