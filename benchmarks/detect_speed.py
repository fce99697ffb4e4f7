"""Detection speed with and without issue 6's additions (sensitive statements, unregistered names, companions).

    .venv/bin/python benchmarks/detect_speed.py            # the pages of ../shared/corpus (text layers; cached)

Reads every document of every case once (ingest, outside the timing), then times `Detector.detect_page`
over all pages: the full detector, and the spine alone (no extra page detectors, the spine's own
title-and-surname finder instead of the unregistered-names module). Prints pages/s and the ratio.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sarkit.decide import rules_dir  # noqa: E402
from sarkit.detect import Detector  # noqa: E402
from sarkit.ingest import read_document  # noqa: E402
from sarkit.manifest import load_manifest  # noqa: E402
from sarkit.text import page_text  # noqa: E402

ROOT = REPO.parent / "shared" / "corpus"


def spine_only(det: Detector) -> Detector:
    """The same detector with issue 6's additions switched off."""
    det.extra = ()

    def old_find(doc, page, pt, ctx, known):  # type: ignore[no-untyped-def]
        return det._find_unregistered(doc, page, pt.text, list(known))

    det.unregistered.find = old_find  # type: ignore[method-assign]
    return det


def main() -> int:
    if not ROOT.is_dir():
        print(f"skipped: {ROOT} not found")
        return 0
    cases = []
    with tempfile.TemporaryDirectory() as cache:
        for case in sorted(p for p in ROOT.iterdir() if (p / "case.yaml").is_file()):
            man = load_manifest(case / "case.yaml")
            pages = []
            for f in sorted((case / "documents").iterdir()):
                doc = read_document(f, f.name, Path(cache) / case.name, None)
                pages += [(doc.id, pg.index, page_text(pg)) for pg in doc.pages]
            cases.append((man, pages))
    n = sum(len(p) for _, p in cases)
    results = {}
    for label in ("spine", "full", "spine", "full"):  # twice each, interleaved; the best counts
        total = 0.0
        for man, pages in cases:
            det = Detector(man, rules_dir())
            if label == "spine":
                spine_only(det)
            t0 = time.perf_counter()
            for doc_id, index, pt in pages:
                det.detect_page(doc_id, index, pt)
            total += time.perf_counter() - t0
        results[label] = min(total, results.get(label, total))
    for label, t in results.items():
        print(f"{label:6} {n} pages in {t:.3f} s: {n / t:.0f} pages/s")
    print(f"ratio full/spine: {results['full'] / results['spine']:.2f}x (target: within 2x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
