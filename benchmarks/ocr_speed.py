"""Seconds per scanned page: `sarkit propose` against plain `tesseract` on the same page images, in one run.

    python benchmarks/ocr_speed.py              # the corpus scans (../shared/corpus), else generated scans
    python benchmarks/ocr_speed.py --generated  # generated scans only
    python benchmarks/ocr_speed.py --pages 8    # how many generated pages

1. The page images are collected: every scanned page of the corpus (PNG files and image-only PDFs; the
   embedded image of a PDF page is extracted as it is stored), or generated A4 pages of text at 300 dpi.
2. Plain tesseract: `tesseract IMAGE stdout` on each image, one after another, OMP_THREAD_LIMIT=1.
3. sarkit: a case folder holding those images as documents, `sarkit propose CASE` as a subprocess with an
   empty cache (everything included: start-up, OCR, detection, the ledger). Target: ratio <= 1.2.
4. Parallel OCR: one multi-page image-only PDF of all the pages, read by sarkit.ingest.read_document with
   ocr_workers=1 and then 2 (empty caches). Target: speed-up >= 1.8x on two cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pymupdf

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPUS = REPO.parent / "shared" / "corpus"
ENV = dict(os.environ, OMP_THREAD_LIMIT="1")

MANIFEST = """sarkit: 1
reference: SAR-BENCH-1
received: 2026-01-05
people:
  - id: jane
    name: Jane Doe
    role: subject
  - id: sharon
    name: Sharon Doyle
    role: mother
"""


def corpus_images(out: Path) -> list[Path]:
    """Every scanned page of the corpus as an image file (PNG files as they are, PDF page images extracted)."""
    images: list[Path] = []
    for src in sorted(CORPUS.glob("*/documents/*")):
        if src.suffix.lower() in (".png", ".jpg", ".jpeg", ".tif", ".tiff"):
            dest = out / f"{len(images):03d}{src.suffix.lower()}"
            shutil.copy(src, dest)
            images.append(dest)
        elif src.suffix.lower() == ".pdf":
            with pymupdf.open(src) as doc:
                if any(p.get_text().strip() for p in doc):
                    continue
                for page in doc:
                    for img in page.get_images(full=True):
                        info = doc.extract_image(img[0])
                        dest = out / f"{len(images):03d}.{info['ext']}"
                        dest.write_bytes(info["image"])
                        images.append(dest)
                        break
    return images


def generated_images(out: Path, pages: int) -> list[Path]:
    """A4 pages of case-note text rendered at 300 dpi in grey (PNG with its resolution)."""
    images = []
    for n in range(pages):
        doc = pymupdf.open()
        page = doc.new_page(width=595, height=842)
        text = " ".join(
            f"Visit {n}.{i}: Jane Doe was seen at home with Sharon Doyle; the flat was clean and warm, and the "
            f"social worker will call again on 0{i % 9 + 1}/0{n % 9 + 1}/2012."
            for i in range(14)
        )
        page.insert_textbox(pymupdf.Rect(60, 60, 535, 780), text, fontsize=11, fontname="tiro")
        pix = page.get_pixmap(dpi=300, colorspace=pymupdf.csGRAY)
        pix.set_dpi(300, 300)
        dest = out / f"{n:03d}.png"
        pix.save(dest)
        images.append(dest)
    return images


def time_tesseract(images: list[Path]) -> float:
    t0 = time.perf_counter()
    for img in images:
        subprocess.run(["tesseract", str(img), "stdout"], capture_output=True, env=ENV, check=True)
    return time.perf_counter() - t0


def sarkit_command() -> list[str]:
    exe = REPO / ".venv" / "bin" / "sarkit"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "sarkit.cli"]


def time_propose(images: list[Path], work: Path) -> float:
    case = work / "case"
    (case / "documents").mkdir(parents=True)
    (case / "case.yaml").write_text(MANIFEST, encoding="utf-8")
    for i, img in enumerate(images):  # documents are image files, or PDFs built from the extracted images
        if img.suffix in (".png", ".jpg", ".jpeg", ".tif", ".tiff"):
            shutil.copy(img, case / "documents" / f"scan {i:03d}{img.suffix}")
        else:
            image_pdf([img], case / "documents" / f"scan {i:03d}.pdf")
    t0 = time.perf_counter()
    run = subprocess.run([*sarkit_command(), "propose", str(case)], capture_output=True, env=ENV, check=False)
    seconds = time.perf_counter() - t0
    if run.returncode not in (0, 1):
        sys.exit(f"sarkit propose failed ({run.returncode}): {run.stderr.decode(errors='replace')[-400:]}")
    return seconds


def image_pdf(images: list[Path], dest: Path) -> Path:
    """An image-only PDF with one page per image, the page size from the image's resolution."""
    doc = pymupdf.open()
    for img in images:
        with pymupdf.open(img) as src:
            doc.insert_pdf(pymupdf.open("pdf", src.convert_to_pdf()))
    doc.save(dest)
    return dest


def time_workers(pdf: Path, work: Path, workers: int) -> float:
    from sarkit.ingest import read_document

    cache = work / f"cache-{workers}"
    t0 = time.perf_counter()
    read_document(pdf, pdf.name, cache, ocr_workers=workers)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--generated", action="store_true", help="use generated scans even when the corpus is present")
    ap.add_argument("--pages", type=int, default=8, help="generated pages (default 8)")
    args = ap.parse_args(argv)
    if not shutil.which("tesseract"):
        print("tesseract is not installed: nothing to measure")
        return 0
    with tempfile.TemporaryDirectory(prefix="sarkit-ocr-speed-") as tmp:
        work = Path(tmp)
        (work / "images").mkdir()
        use_corpus = CORPUS.is_dir() and not args.generated
        images = corpus_images(work / "images") if use_corpus else generated_images(work / "images", args.pages)
        source = "corpus scans" if use_corpus else "generated scans"
        n = len(images)
        print(f"{n} scanned pages ({source}), {os.cpu_count()} cores")
        tess = time_tesseract(images)
        prop = time_propose(images, work)
        print(f"plain tesseract   {tess / n:6.2f} s/page")
        print(f"sarkit propose    {prop / n:6.2f} s/page   ratio {prop / tess:.2f}  (target <= 1.20)")
        pdf = image_pdf(images, work / "all.pdf")
        one = time_workers(pdf, work, 1)
        two = time_workers(pdf, work, 2)
        print(f"read_document, 1 OCR worker  {one / n:6.2f} s/page")
        print(f"read_document, 2 OCR workers {two / n:6.2f} s/page   speed-up {one / two:.2f}x  (target >= 1.80)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
