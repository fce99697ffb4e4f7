"""Detection speed with and without issue 6's additions (sensitive statements, unregistered names, companions).

    .venv/bin/python benchmarks/detect_speed.py                        # the pages of ../shared/corpus (text layers)
    .venv/bin/python benchmarks/detect_speed.py --rounds 9             # best of 9 runs (default 5)
    .venv/bin/python benchmarks/detect_speed.py --repo ../wt-baseline  # time the sarkit of another checkout
    .venv/bin/python benchmarks/detect_speed.py --against ../wt-baseline --times 3   # both, back to back

Reads every document of every case once (ingest, outside the timing), then times `Detector.detect_page`
over all pages: the full detector (`Detector(manifest, rules)` as the CLI builds it), and the spine alone
(`SPINE`: no sensitive statements or companions, and the spine's own title-and-surname finder instead of the
unregistered-names recogniser; left out for a checkout without `sarkit/detect/recognisers/`). Prints, for
each, the best wall-clock time and the best CPU time of the process over the rounds, as pages/s.

`--repo DIR` imports sarkit from DIR instead of this checkout (ingest included), so one script times two
versions the same way. `--against DIR` runs the script on DIR and on this checkout alternately in child
processes (`--times` pairs) and prints the ratio of the full detector's pages/s, this checkout over DIR.
"""

from __future__ import annotations

import argparse
import importlib
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
ROOT = REPO.parent / "shared" / "corpus"


class TitledSurnames:
    """The spine's own finder of unregistered people before issue 6: a title and a capitalised word."""

    def __init__(self, case: Any):
        from sarkit.detect.lexicon import alternation

        titles = alternation(list(case.lex.titles) + [t.upper() for t in case.lex.titles], flexible_space=True)
        self.rx = re.compile(
            rf"(?<![\w'@.])(?P<title>{titles})\.?[ \t]+(?P<name>[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?|[A-Z]{{2,}})(?!\w|-\w)"
        )

    def detect(self, doc: str, page: int, pt: Any, ctx: Any, found: Sequence[Any]) -> list[Any]:
        from sarkit.models import Mention

        taken = sorted((m.start, m.end) for m in found)
        return [
            Mention(
                doc,
                page,
                m.start(),
                m.end(),
                m.group(0),
                "name",
                None,
                "name.title",
                m["name"].lower(),
                via="unregistered",
            )
            for m in self.rx.finditer(pt.text)
            if not any(s < m.end() and m.start() < e for s, e in taken)
        ]


def spine() -> tuple[Any, ...] | None:
    """The detector with issue 6's additions switched off (None for a checkout without its recognisers)."""
    try:
        rec = importlib.import_module("sarkit.detect.recognisers")
    except ImportError:
        return None
    mods = {n: importlib.import_module(f"sarkit.detect.recognisers.{n}") for n in ("names", "kinship", "contacts")}
    mods |= {n: importlib.import_module(f"sarkit.detect.recognisers.{n}") for n in ("identifiers", "places")}
    del rec
    return (
        mods["names"].RegisteredNames,
        mods["kinship"].Kinship,
        TitledSurnames,
        mods["contacts"].Contacts,
        mods["identifiers"].Identifiers,
        mods["places"].Places,
    )


def time_detection(rounds: int) -> dict[str, tuple[int, float, float]]:
    """{label: (pages, best wall seconds, best CPU seconds)} of the full detector and the spine."""
    from sarkit.decide import rules_dir
    from sarkit.detect import Detector
    from sarkit.ingest import read_document
    from sarkit.manifest import load_manifest
    from sarkit.text import page_text

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
    spine_rs = spine()
    labels = ("spine", "full") if spine_rs is not None else ("full",)
    best: dict[str, tuple[float, float]] = {}
    for _ in range(rounds):  # interleaved; the best counts
        for label in labels:
            wall = cpu = 0.0
            for man, pages in cases:
                rs = {} if label == "full" else {"recognisers": spine_rs}
                det = Detector(man, rules_dir(), **rs)
                t0, c0 = time.perf_counter(), time.process_time()
                for doc_id, index, pt in pages:
                    det.detect_page(doc_id, index, pt)
                wall += time.perf_counter() - t0
                cpu += time.process_time() - c0
            w0, c0_ = best.get(label, (wall, cpu))
            best[label] = (min(wall, w0), min(cpu, c0_))
    return {label: (n, w, c) for label, (w, c) in best.items()}


def against(other: Path, times: int, rounds: int) -> int:
    """This checkout and `other`, alternately in child processes; the ratio of the full detector's speed."""
    ratios = []
    for _ in range(times):
        figs = {}
        for name, repo in (("other", other), ("this", REPO)):
            cmd = [sys.executable, __file__, "--repo", str(repo), "--rounds", str(rounds)]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
            print(f"{name} ({repo}):\n{out}", end="")
            m = re.search(r"^full .*?: (\d+) pages/s.*?CPU (\d+) pages/s", out, re.MULTILINE)
            assert m, out
            figs[name] = (int(m[1]), int(m[2]))
        ratio = (figs["this"][0] / figs["other"][0], figs["this"][1] / figs["other"][1])
        ratios.append(ratio)
        print(f"ratio this/other, full detector: wall {ratio[0]:.0%}, CPU {ratio[1]:.0%}\n")
    print("ratios (wall, CPU): " + ", ".join(f"{w:.0%}/{c:.0%}" for w, c in ratios))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", type=Path, default=REPO, help="the checkout whose sarkit is timed")
    ap.add_argument("--rounds", type=int, default=5, help="runs of each detector; the best counts")
    ap.add_argument("--against", type=Path, default=None, help="another checkout to time alternately with this")
    ap.add_argument("--times", type=int, default=2, help="with --against: pairs of runs")
    args = ap.parse_args(argv)
    if not ROOT.is_dir():
        print(f"skipped: {ROOT} not found")
        return 0
    if args.against is not None:
        return against(args.against.resolve(), args.times, args.rounds)
    sys.path.insert(0, str(args.repo.resolve()))
    results = time_detection(args.rounds)
    for label, (n, wall, cpu) in results.items():
        print(f"{label:6} {n} pages in {wall:.3f} s: {n / wall:.0f} pages/s", end=" ")
        print(f"(CPU {cpu:.3f} s: CPU {n / cpu:.0f} pages/s)")
    if "spine" in results:
        print(f"ratio full/spine: {results['full'][1] / results['spine'][1]:.2f}x (target: within 2x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
