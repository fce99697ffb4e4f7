"""Detection speed with and without issue 6's additions (sensitive statements, unregistered names, companions).

    .venv/bin/python benchmarks/detect_speed.py            # the pages of ../shared/corpus (text layers; cached)

Reads every document of every case once (ingest, outside the timing), then times `Detector.detect_page`
over all pages: the full detector (`RECOGNISERS`), and the spine alone (`SPINE`: no sensitive
statements or companions, and the spine's own title-and-surname finder instead of the unregistered-names
recogniser). Prints pages/s and the ratio.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sarkit.decide import rules_dir  # noqa: E402
from sarkit.detect import RECOGNISERS, CaseData, Detector  # noqa: E402
from sarkit.detect.context import PageContext  # noqa: E402
from sarkit.detect.lexicon import alternation  # noqa: E402
from sarkit.detect.recognisers.contacts import Contacts  # noqa: E402
from sarkit.detect.recognisers.identifiers import Identifiers  # noqa: E402
from sarkit.detect.recognisers.kinship import Kinship  # noqa: E402
from sarkit.detect.recognisers.names import RegisteredNames  # noqa: E402
from sarkit.detect.recognisers.places import Places  # noqa: E402
from sarkit.ingest import read_document  # noqa: E402
from sarkit.manifest import load_manifest  # noqa: E402
from sarkit.models import Mention  # noqa: E402
from sarkit.text import PageText, page_text  # noqa: E402

ROOT = REPO.parent / "shared" / "corpus"


class TitledSurnames:
    """The spine's own finder of unregistered people before issue 6: a title and a capitalised word."""

    def __init__(self, case: CaseData):
        titles = alternation(list(case.lex.titles) + [t.upper() for t in case.lex.titles], flexible_space=True)
        self.rx = re.compile(
            rf"(?<![\w'@.])(?P<title>{titles})\.?[ \t]+(?P<name>[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?|[A-Z]{{2,}})(?!\w|-\w)"
        )

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
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


# the detector with issue 6's additions switched off
SPINE = (RegisteredNames, Kinship, TitledSurnames, Contacts, Identifiers, Places)


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
            det = Detector(man, rules_dir(), recognisers=SPINE if label == "spine" else RECOGNISERS)
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
