"""Verify's fan-out: the files of a bundle, and page ranges of its long PDFs, checked by worker processes.

`check_bundle` is the stage's entry for a whole bundle folder (the staging folder while `bundle` builds
it, bundle/ for `verify`): the values per file (values.py), the extractors, the parallel check.

`verify_all` gives the same findings as one `verify_bundle` call over the folder; the files are planned
into groups of similar weight (pages), each group checked in its own child (sarkit.workers.map_isolated).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..models import Leak, LeakReport
from ..workers import WorkerTimeout, map_isolated, memory_limit_mb, stage_limit
from . import check
from .check import records_offenders, verify_bundle, verify_file, verify_folders
from .memo import PageMemo
from .values import WHOLE_CASE_FILES, CaseValues, values_per_file

VERIFY_MEMORY_MB = 3072


def verify_timeout(pages: int) -> float:
    """The wall-clock limit for checking one file (or piece of a long PDF) of the bundle."""
    return stage_limit("verify", pages)  # OCR of the pages that need it: seconds a page


VERIFY_PAGES = 25  # a PDF longer than this is checked in pieces of at most this many pages, by several workers
PIECE_MIN = 8  # the fewest pages of a piece: a PDF a little longer than VERIFY_PAGES is cut into 2 per worker

VerifyUnit = tuple[str, int, int]  # (file relative to the bundle, first page, page after the last); -1: whole


def _verify_units(
    bundle_dir: str,
    units: list[VerifyUnit],
    per_file: Mapping[str, Sequence[tuple[str, str]]],
    anywhere: Sequence[tuple[str, str]],
    extractors: tuple[str, ...],
) -> list[Any]:
    """The findings (Leaks) for some files, or page ranges of files, of bundle_dir."""
    out: list[Any] = []
    for rel, start, stop in units:
        pages = range(start, stop) if start >= 0 else None
        values = [*per_file.get(rel, ()), *anywhere]
        out.extend(verify_file(Path(bundle_dir, rel), values, rel=rel, extractors=extractors, pages=pages))
    return out


def _plan_verify(
    files: list[Path],
    root: Path,
    ranges: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    workers: int = 1,
) -> list[tuple[VerifyUnit, int]]:
    """Each file as one unit, a long PDF as pieces of VERIFY_PAGES pages, or fewer (PIECE_MIN or more) so that
    it makes two pieces per worker (the workers end together: a file of 65 pages, mostly OCRed, in pieces of 17
    rather than 25, 25 and 15); with each unit's weight (pages).
    ranges: for a file, the page ranges to check as units of their own (records.pdf: the pages that show
    each document, so each has its own time limit and a check that passes it names that document); the pages
    between them are units too."""
    import pymupdf

    out: list[tuple[VerifyUnit, int]] = []
    for f in files:
        rel = f.relative_to(root).as_posix()
        count = 0
        if f.suffix.lower() == ".pdf":
            try:
                with pymupdf.open(f, filetype="pdf") as doc:
                    count = doc.page_count
            except Exception:  # noqa: BLE001 - the check itself reports a file it cannot open
                count = 0
        cuts = _cuts((ranges or {}).get(rel, ()), count)
        if count > VERIFY_PAGES or len(cuts) > 1:
            size = min(VERIFY_PAGES, max(PIECE_MIN, -(-count // (2 * max(1, workers)))))
            out.extend(
                ((rel, a, min(stop, a + size)), min(size, stop - a))
                for start, stop in cuts
                for a in range(start, stop, size)
            )
        else:
            out.append(((rel, -1, -1), max(1, count, f.stat().st_size // 50_000)))
    return out


def _cuts(ranges: Sequence[tuple[int, int]], count: int) -> list[tuple[int, int]]:
    """The pages 0..count as consecutive ranges: those given (clipped, in order, not overlapping) and the gaps."""
    out: list[tuple[int, int]] = []
    at = 0
    for start, stop in sorted(ranges):
        start, stop = max(start, at), min(stop, count)
        if stop <= start:
            continue
        if start > at:
            out.append((at, start))
        out.append((start, stop))
        at = stop
    if at < count or not out:
        out.append((at, count))
    return out


def verify_all(
    bundle_dir: Path,
    per_file: Mapping[str, Sequence[tuple[str, str]]],
    anywhere: Sequence[tuple[str, str]] = (),
    *,
    extractors: Sequence[str],
    workers: int,
    ranges: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    shows: Mapping[str, Mapping[tuple[int, int], str]] | None = None,
) -> LeakReport:
    """verify_bundle, with the files (and the pieces of long PDFs) checked in groups by `workers` children.
    The same findings as one call (grouped by piece): a long PDF's pieces together are checked exactly as
    the whole file is. ranges: page ranges of a file checked as units of their own (`_plan_verify`); shows: for
    such a file, the file each range shows (records.pdf: a document's pages), checked after the files it shows.

    Every group is checked in a child with a time limit (its files' `verify_timeout`s) and a memory limit; a
    group that cannot be checked (its child crashed or passed a limit) is a finding for each of its files
    (on the first page of a piece, for a piece of a file).
    """
    bundle_dir = Path(bundle_dir)
    files = sorted(p for p in bundle_dir.rglob("*") if p.is_file()) if bundle_dir.is_dir() else []
    if not files:
        return verify_bundle(bundle_dir, per_file, anywhere, extractors=tuple(extractors))
    planned = _plan_verify(files, bundle_dir, ranges, workers)
    weight = dict(planned)
    alone = [u for u, _ in planned if u[0] in (ranges or {}) and u[1] >= 0]  # each checked in a child of its own
    apart = set(alone)
    groups = _balanced_groups([(u, w) for u, w in planned if u not in apart], 4 * max(1, workers))
    groups = sorted([g for g in groups if g] + [[u] for u in alone], key=lambda g: (g[0][0], g[0][1]))
    calls = [(str(bundle_dir), g, per_file, tuple(anywhere), tuple(extractors)) for g in groups]
    limits = [sum(verify_timeout(weight[u]) for u in g) for g in groups]
    memory = memory_limit_mb(VERIFY_MEMORY_MB)
    found: dict[int, list[Any]] = {}
    # the files whose pages show the others' (records.pdf: `ranges`) are checked after them, so that a page OCRed
    # for a document is not OCRed again, at the same time, for its sheet (check.py keeps OCR by drawing)
    later = [i for i, g in enumerate(groups) if any(u[0] in (ranges or {}) for u in g)]
    phases = [[i for i in range(len(groups)) if i not in set(later)], later]
    for n, phase in enumerate(p for p in phases if p):
        if n:  # a piece that shows only a file whose check failed is not checked: that file is held back
            phase = [i for i in phase if not _shows_failed(groups[i], found, shows)]
            for i in set(later) - set(phase):
                found[i] = [Leak(rel, s if s >= 0 else None, "unverified", "", "skipped") for rel, s, _ in groups[i]]
        for at, res in map_isolated(
            _verify_units, [calls[i] for i in phase], workers=max(1, workers), timeout=max(limits),
            memory_mb=memory, timeouts=[limits[i] for i in phase],
        ):  # fmt: skip
            index = phase[at]
            if isinstance(res, list):
                found[index] = res
            else:  # a file that cannot be checked within its limits fails: verify holds back, never passes
                why = "timeout" if isinstance(res, WorkerTimeout) else "none"
                found[index] = [
                    Leak(rel, start if start >= 0 else None, "unverified", "", why) for rel, start, _ in groups[index]
                ]
    leaks = tuple(dict.fromkeys(lk for i in range(len(groups)) for lk in found[i]))
    values = set(anywhere)
    for p in files:
        values.update(per_file.get(p.relative_to(bundle_dir).as_posix(), ()))
    return LeakReport(files=len(files), values=len(values), leaks=leaks)


def _shows_failed(
    group: list[VerifyUnit],
    found: Mapping[int, list[Any]],
    shows: Mapping[str, Mapping[tuple[int, int], str]] | None,
) -> bool:
    """Every unit of the group lies in a range that shows a file whose check could not be done (`verify_all`)."""
    failed = {lk.file for i in found for lk in found[i] if lk.where == "unverified"}
    if not failed or not shows:
        return False

    def shown(unit: VerifyUnit) -> str | None:
        rel, start, stop = unit
        for (a, b), name in (shows.get(rel) or {}).items():
            if start >= 0 and a <= start and stop <= b:
                return name
        return None

    return all(shown(u) in failed for u in group)


def _balanced_groups(units: list[tuple[VerifyUnit, int]], n: int) -> list[list[VerifyUnit]]:
    """Contiguous groups of units (in path and page order, so findings keep their order) of similar weight."""
    target = sum(w for _, w in units) / max(1, n)
    groups: list[list[VerifyUnit]] = [[]]
    acc = 0
    for unit, w in units:
        if groups[-1] and acc + w > target and len(groups) < n:
            groups.append([])
            acc = 0
        groups[-1].append(unit)
        acc += w
    return groups


def extractors(thorough: bool = False) -> tuple[str, ...]:
    """Two independent text extractors (the fast pair when poppler's pdftotext is installed), and OCR of every
    page that shows text no extractor can map (scans, images, unmapped fonts, vector outlines:
    sarkit.verify.readings.ocr_reason), so a value legible only in pixels is found; `thorough`: every
    extractor there is, and OCR of every rendered page."""
    pair = ("pymupdf", "pdftotext") if shutil.which("pdftotext") else ("pymupdf", "pdfminer")
    chosen: tuple[str, ...] = (*pair, "ocr-unmapped")
    if thorough:
        chosen = tuple(dict.fromkeys((*chosen, "pdfminer", "ocr")))
    return chosen


def check_bundle(
    folder: Path,
    values: CaseValues,
    files: Mapping[str, Mapping[str, object]],
    own_words: Sequence[str],
    *,
    extractors: Sequence[str],
    workers: int,
    titles: int = 0,
    ranges: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    shows: Mapping[str, Mapping[tuple[int, int], str]] | None = None,
    ocr_cache: Path | None = None,
    page_memo: Path | None = None,
) -> LeakReport:
    """The verify stage over one bundle folder (bundle/, or the staging folder before it is published):
    the values each file must not reveal (the last `titles` of own_words are the documents' titles),
    looked for by `workers` processes, and in the names of the folders; a file that `files` lists and the
    folder lacks is a finding too. ranges: page ranges of a file checked (and timed) as units of their own, and
    shows: the file each of them shows (verify_all);
    ocr_cache: a private folder where what Tesseract read on each page image is kept (check.OCR_CACHE);
    page_memo: a private folder of the pages found clean in earlier rounds of the same bundle (sarkit.verify.memo),
    which are not read again while they are provably the same."""
    per_file, anywhere = values_per_file(values, files, own_words, titles)
    missing = [f for f in per_file if not (folder / f).is_file()]
    before = check.OCR_CACHE, check.PAGE_MEMO
    check.OCR_CACHE = ocr_cache  # the workers, forked from here, read and keep their OCR there
    check.PAGE_MEMO = PageMemo(page_memo) if page_memo is not None else None
    try:
        report = verify_all(
            folder, per_file, anywhere, extractors=extractors, workers=workers, ranges=ranges, shows=shows
        )
    finally:
        check.OCR_CACHE, check.PAGE_MEMO = before
    extra = [
        *verify_folders(folder, per_file.get(WHOLE_CASE_FILES[0], [])),
        *(Leak(f, None, "missing", "") for f in missing),
    ]
    if extra:
        report = LeakReport(report.files, report.values, report.leaks + tuple(extra))
    return report


def offenders_isolated(
    folder: Path, names: Sequence[str], values: Sequence[tuple[str, str]], pages: Mapping[str, int], *, workers: int
) -> list[str]:
    """check.records_offenders, each document read by a worker with its time and memory limit
    (`verify_timeout` of its pages): a document that cannot be read within them counts as showing a value
    (verify holds back, never passes), so the records are built without it."""
    if not values:
        return []
    calls = [(folder, [name], values) for name in names]
    limits = [verify_timeout(pages.get(name, 1)) for name in names]
    out: set[str] = set()
    for index, res in map_isolated(
        records_offenders, calls, workers=max(1, workers), timeout=max(limits, default=1.0),
        memory_mb=memory_limit_mb(VERIFY_MEMORY_MB), timeouts=limits,
    ):  # fmt: skip
        out.update(res if isinstance(res, list) else [names[index]])
    return [n for n in names if n in out]
