"""Where the time of `propose` and `bundle --accept-proposals` goes, stage by stage, for a few files.

Each file (a PDF, a DOCX, an image) is put alone into a case (the minimal case of benchmarks/wild.py) and the two
commands are run in this process through sarkit.pipeline, with timers wrapped around the functions of each stage:

  propose   ingest (a unit read by its worker: text, OCR, detection), of which ingest-ocr (Tesseract on scanned
            pages) and detect (detect -> decide of a page), then the case-wide passes
  bundle    add (redactions and sweep per document), redact (the redaction workers, with OCR of redacted
            scans), records (records.pdf/html), verify (check_bundle: every file with every extractor), of which
            verify-ocr (Tesseract on pages that need it, and how many came from the verify OCR cache), offenders,
            publish and reports

Prints, per stage: calls, wall seconds and CPU seconds (this process and its waited-for children, Tesseract
included) for the stages that run in this process; wall seconds summed over calls for those that run in
workers (ingest-ocr, detect, verify-ocr: in parallel, so they can add up to more than the stage around them).
Timings are noisy on a shared machine: compare before/after back to back, and read the CPU figures.

    .venv/bin/python benchmarks/stages.py FILE [FILE ...] [--workers N] [--json OUT]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "examples"))
from casewriter import small_manifest  # noqa: E402

LOG: Path | None = None  # each timed call appends "stage<TAB>wall<TAB>note" here (workers too: they are forked)


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _note(stage: str, wall: float, cpu: float | None, note: str = "") -> None:
    if LOG is None:
        return
    with open(LOG, "a", encoding="utf-8") as fh:
        fh.write(f"{stage}\t{wall:.4f}\t{'' if cpu is None else f'{cpu:.4f}'}\t{note}\n")


def _timed(stage: str, fn: Callable[..., Any], *, in_parent: bool) -> Callable[..., Any]:
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        t0, c0 = time.monotonic(), _cpu() if in_parent else 0.0
        try:
            return fn(*args, **kwargs)
        finally:
            _note(stage, time.monotonic() - t0, (_cpu() - c0) if in_parent else None)

    return run


def _timed_iter(stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """A generator in the parent: the wall time between its first and last item, and the CPU over it."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        t0, c0 = time.monotonic(), _cpu()
        try:
            yield from fn(*args, **kwargs)
        finally:
            _note(stage, time.monotonic() - t0, _cpu() - c0)

    return run


def instrument() -> None:
    """Wrap the functions of each stage (before any worker is forked, so the workers run the wrapped ones)."""
    from sarkit import pipeline
    from sarkit.ingest import pdf as ingest_pdf
    from sarkit.ingest import units
    from sarkit.render import staging
    from sarkit.verify import check, fanout

    pipeline.run_units = _timed_iter("propose: ingest (read+ocr+detect)", pipeline.run_units)
    pipeline.case_wide_passes = _timed("propose: case-wide passes", pipeline.case_wide_passes, in_parent=True)
    pipeline.propose_page = _timed("  detect (per page, in workers)", pipeline.propose_page, in_parent=False)
    ingest_pdf.ocr_page_in_child = _timed(
        "  ingest-ocr (per page, in workers)", ingest_pdf.ocr_page_in_child, in_parent=False
    )
    units.read_unit = _timed("  read_unit (per unit, in workers)", units.read_unit, in_parent=False)
    S = staging.Staging
    S.add = _timed("bundle: add (redactions, sweep)", S.add, in_parent=True)  # type: ignore[method-assign]
    S.redact = _timed("bundle: redact", S.redact, in_parent=True)  # type: ignore[method-assign]
    S.build_records = _timed("bundle: records build", S.build_records, in_parent=True)  # type: ignore[method-assign]
    S.withhold_pages = _timed("bundle: withhold pages", S.withhold_pages, in_parent=True)  # type: ignore[method-assign]
    S.publish = _timed("bundle: publish", S.publish, in_parent=True)  # type: ignore[method-assign]
    pipeline.check_bundle = _timed("bundle: verify (check_bundle)", pipeline.check_bundle, in_parent=True)
    pipeline.offenders_isolated = _timed("bundle: records offenders", pipeline.offenders_isolated, in_parent=True)
    pipeline.write_reports = _timed("bundle: reports", pipeline.write_reports, in_parent=True)
    fanout.verify_file = _timed("  verify_file (per file or piece, in workers)", fanout.verify_file, in_parent=False)
    tess = check._tesseract_text

    @functools.wraps(tess)
    def ocr(page: Any, *args: Any, **kwargs: Any) -> str:
        hits = [0]
        cached = check._ocr_cached

        def counting(image: bytes, args: Any) -> str | None:
            got = cached(image, args)
            hits[0] += got is not None
            return got

        check._ocr_cached = counting
        t0 = time.monotonic()
        try:
            return tess(page, *args, **kwargs)
        finally:
            check._ocr_cached = cached
            _note("  verify-ocr (per page, in workers)", time.monotonic() - t0, None, "cached" if hits[0] else "")

    check._tesseract_text = ocr


def profile(path: Path, work: Path, workers: int, keep: bool = False) -> dict[str, Any]:
    from sarkit.case import Case
    from sarkit.pipeline import bundle, propose

    global LOG
    case_dir = work / path.stem
    (case_dir / "documents").mkdir(parents=True)
    (case_dir / "case.yaml").write_text(small_manifest("SAR-STAGES-0001"), encoding="utf-8")
    shutil.copy2(path, case_dir / "documents" / path.name)
    LOG = work / f"{path.stem}.log"
    out: dict[str, Any] = {"file": path.name}
    case = Case.at(case_dir)
    for label, run in (
        ("propose", lambda: propose(case, actor="stages", workers=workers)),
        ("bundle", lambda: bundle(case, actor="stages", accept_proposals=True, workers=workers)),
    ):
        t0, c0 = time.monotonic(), _cpu()
        try:
            res = run()
            status = "ok"
            if label == "bundle":
                report = getattr(res, "report", None)
                status = "verified" if report is None or report.ok else "refused"
                held = [n for n, _ in getattr(res, "withheld", [])]
                pages = sum(len(p) for _, p in getattr(res, "pages_withheld", []))
                status += f", {len(held)} held back, {pages} pages withheld"
            elif label == "propose":
                status = f"{res.documents} read, {len(res.failures)} failed, {res.pages} pages"
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
            status = f"{type(exc).__name__}: {str(exc)[:160]}"
        out[label] = {"wall": round(time.monotonic() - t0, 1), "cpu": round(_cpu() - c0, 1), "status": status}
    stages: dict[str, dict[str, float]] = {}
    for line in LOG.read_text(encoding="utf-8").splitlines() if LOG.exists() else []:
        stage, wall, cpu, note = line.split("\t")
        s = stages.setdefault(stage, {"calls": 0, "wall": 0.0, "cpu": 0.0, "cached": 0})
        s["calls"] += 1
        s["wall"] += float(wall)
        s["cpu"] += float(cpu) if cpu else 0.0
        s["cached"] += note == "cached"
    out["stages"] = {k: {kk: round(vv, 1) for kk, vv in v.items()} for k, v in stages.items()}
    if not keep:
        shutil.rmtree(case_dir, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", dest="json_out", type=Path, default=None)
    ap.add_argument("--keep", type=Path, default=None, help="build the cases in this folder and keep them")
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    instrument()
    results = []
    with tempfile.TemporaryDirectory(prefix="sarkit-stages-") as tmp:
        os.chmod(tmp, 0o700)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
        for f in args.files:
            r = profile(f, args.keep or Path(tmp), args.workers, keep=bool(args.keep))
            results.append(r)
            print(f"\n{r['file']}  (load {os.getloadavg()[0]:.1f})", flush=True)
            for cmd in ("propose", "bundle"):
                c = r[cmd]
                print(f"  {cmd:44} wall {c['wall']:7.1f} s  cpu {c['cpu']:7.1f} s  {c['status']}")
            for stage, s in r["stages"].items():
                cpu = f"cpu {s['cpu']:7.1f} s" if s["cpu"] else " " * 15
                cached = f"  ({int(s['cached'])} from cache)" if s["cached"] else ""
                print(f"  {stage:44} wall {s['wall']:7.1f} s  {cpu}  calls {int(s['calls'])}{cached}")
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
