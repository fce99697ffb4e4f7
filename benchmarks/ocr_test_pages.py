"""How many pages the OCR test flags (sarkit.legible: text no extractor maps), and what reading them costs.

    python benchmarks/ocr_test_pages.py                     # dev corpus, hand corpus, held-out cases, wild dev
    python benchmarks/ocr_test_pages.py --dir DIR [--dir DIR]
    python benchmarks/ocr_test_pages.py --ocr               # also OCR the flagged regions, as ingest does

For every PDF (and every DOCX, rendered by sarkit's own renderer into a temporary folder, 60 s at most each)
under the folders, every page is put through the tests ingest and verify run:

- ingest-scan: what ingest OCRs whole (a scan, an invisible layer, text whose letters no extractor reads);
- the reason of sarkit.legible.ocr_reason (verify OCRs the page for each), and among them the pages ingest now
  reads in part (sarkit.legible.unmapped_regions: images and ink outside the extracted text);
- unconfirmed: pages left with letters in fonts with no character map of their own that OCR did not confirm
  (sarkit.glyphs.unconfirmed_letters), and the OCR readings that confirmation made (once per glyph per file).

Prints counts by folder and reason, the CPU seconds of the tests, the readings of font confirmation and with
--ocr the words of the partial OCR, each with its wall seconds and Tesseract's CPU seconds (children's CPU time,
less noisy on a shared machine). A file that cannot be opened is counted and skipped.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pymupdf

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sarkit import glyphs, legible  # noqa: E402
from sarkit.ingest import pdf as pdfmod  # noqa: E402

DEFAULT_DIRS = (
    REPO.parent / "shared" / "corpus",
    REPO.parent / "shared" / "corpus-hand",
    REPO / "benchmarks" / "heldout" / "cases",
    REPO.parent / "shared" / "corpus-wild" / "dev",
)

RENDER = (
    "import sys; from sarkit.ingest.pdf import quiet_mupdf; quiet_mupdf(); "
    "from sarkit.ingest.docx import render_docx_in_child; render_docx_in_child(sys.argv[1], sys.argv[2])"
)


def _pdfs(folder: Path, tmp: Path) -> list[tuple[str, Path]]:
    out = []
    for p in sorted(folder.rglob("*")):
        if not p.is_file():
            continue
        suffix = p.suffix.lower()
        if suffix == ".pdf":
            out.append((str(p.relative_to(folder)), p))
        elif suffix == ".docx":
            dest = tmp / f"{len(out)}.pdf"
            try:
                subprocess.run([sys.executable, "-c", RENDER, str(p), str(dest)], timeout=60, capture_output=True)
            except subprocess.TimeoutExpired:
                continue
            if dest.is_file():
                out.append((str(p.relative_to(folder)), dest))
    return out


READS = [0, 0.0, 0.0]  # OCR readings that confirm fonts without a map of their own: count, wall s, Tesseract CPU s
_read_words = glyphs.read_words


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed_read(page: pymupdf.Page, boxes: list[pymupdf.Rect]) -> list:
    t, c = time.monotonic(), _child_cpu()
    try:
        return _read_words(page, boxes)
    finally:
        READS[0] += 1
        READS[1] += time.monotonic() - t
        READS[2] += _child_cpu() - c


glyphs.read_words = _timed_read


def measure(folder: Path, ocr: bool, tmp: Path) -> None:
    READS[:] = [0, 0.0, 0.0]
    ocr_cpu = 0.0
    counts: Counter[str] = Counter()
    cpu = {"ingest-scan": 0.0, "ocr_reason": 0.0, "unconfirmed": 0.0}
    ocr_seconds = 0.0
    ocr_words = 0
    tessdata = pdfmod.find_tessdata()
    for rel, path in _pdfs(folder, tmp):
        try:
            doc = pymupdf.open(path, filetype="pdf")
            if doc.needs_pass:
                counts["files-unreadable"] += 1
                continue
        except Exception:  # noqa: BLE001
            counts["files-unreadable"] += 1
            continue
        counts["files"] += 1
        try:
            count = doc.page_count
        except Exception:  # noqa: BLE001
            counts["files-unreadable"] += 1
            continue
        for pno in range(count):
            try:
                page = doc.load_page(pno)
                counts["pages"] += 1
                t = time.process_time()
                words = pdfmod.layout_words(page.get_text("words", flags=pdfmod.WORD_FLAGS))
                whole = (
                    pdfmod._needs_ocr(page, words)
                    or pdfmod.has_invisible_layer(page)
                    or pdfmod._unreadable_text(page, words)
                )
                cpu["ingest-scan"] += time.process_time() - t
                counts["ingest-scan"] += whole
                t = time.process_time()
                reason = legible.ocr_reason(page)
                cpu["ocr_reason"] += time.process_time() - t
                counts[f"verify-ocr:{reason}"] += reason is not None
                t = time.process_time()
                unconfirmed = glyphs.unconfirmed_letters(page) >= glyphs.UNCONFIRMED_MIN
                cpu["unconfirmed"] += time.process_time() - t
                counts["unconfirmed"] += unconfirmed
                if whole or reason not in legible.PARTIAL:
                    continue
                t = time.process_time()
                regions = legible.unmapped_regions(page)
                cpu["ocr_reason"] += time.process_time() - t
                if not regions:
                    continue
                counts["ingest-partial"] += 1
                print(f"  partial: {rel} p{page.number + 1} {reason} regions={len(regions)}", flush=True)
                if ocr and tessdata:
                    t, c = time.monotonic(), _child_cpu()
                    got = pdfmod.region_words(page, regions, words, tessdata, 60.0)
                    ocr_seconds += time.monotonic() - t
                    ocr_cpu += _child_cpu() - c
                    ocr_words += len(got)
            except Exception as exc:  # noqa: BLE001
                counts["pages-failed"] += 1
                print(f"  failed: {rel} p{pno + 1}: {exc.__class__.__name__}", flush=True)
        doc.close()
    print(f"{folder}:")
    for key in sorted(counts):
        print(f"  {key:28} {counts[key]}")
    for key, val in cpu.items():
        print(f"  cpu {key:24} {val:.2f} s")
    print(f"  font confirmation OCR        {READS[0]} readings, {READS[1]:.2f} s, Tesseract CPU {READS[2]:.2f} s")
    if ocr:
        print(f"  partial OCR                  {ocr_seconds:.2f} s, Tesseract CPU {ocr_cpu:.2f} s, {ocr_words} words")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", action="append", type=Path)
    ap.add_argument("--ocr", action="store_true")
    args = ap.parse_args()
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    with tempfile.TemporaryDirectory() as tmp:
        for folder in args.dir or DEFAULT_DIRS:
            measure(folder, args.ocr, Path(tmp))


if __name__ == "__main__":
    main()
