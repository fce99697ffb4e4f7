"""A digest of everything the full detector finds, to show a change to detection leaves its output unchanged.

    .venv/bin/python benchmarks/detect_same.py                       # digest over every case found
    .venv/bin/python benchmarks/detect_same.py --dump /tmp/m.txt     # also every mention, one a line (for diff)
    .venv/bin/python benchmarks/detect_same.py --cache DIR           # ingest cache (default: /tmp/sarkit-detect-same)

Reads every document of every case of ../shared/corpus, ../shared/corpus-hand and benchmarks/heldout/cases
(those present) as ingest produces it (scanned pages through OCR; the cache makes later runs quick), runs
one `Detector` per case over the pages of its documents in order, and prints the number of mentions per
case and a sha256 of every field of every mention (doc, page, start, end, text, kind, person, rule,
unregistered key, qualifier, via, candidates). Run it before and after a change: the digests must match.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sarkit.decide import rules_dir  # noqa: E402
from sarkit.detect import Detector  # noqa: E402
from sarkit.errors import DocumentError  # noqa: E402
from sarkit.ingest import read_document  # noqa: E402
from sarkit.manifest import load_manifest  # noqa: E402
from sarkit.text import page_text  # noqa: E402

SHARED = REPO.parent / "shared"
ROOTS = (SHARED / "corpus", SHARED / "corpus-hand", REPO / "benchmarks" / "heldout" / "cases")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/sarkit-detect-same"))
    ap.add_argument("--dump", type=Path, default=None)
    args = ap.parse_args(argv)
    cases = [c for root in ROOTS if root.is_dir() for c in sorted(root.iterdir()) if (c / "case.yaml").is_file()]
    if not cases:
        print("skipped: no case folder found")
        return 0
    total = hashlib.sha256()
    lines: list[str] = []
    n_pages = n_mentions = 0
    for case in cases:
        man = load_manifest(case / "case.yaml")
        det = Detector(man, rules_dir())
        h = hashlib.sha256()
        count = 0
        for f in sorted(p for p in (case / "documents").rglob("*") if p.is_file()):
            name = f.relative_to(case / "documents").as_posix()
            try:
                doc = read_document(f, name, args.cache / case.parent.name / case.name, None)
            except DocumentError as exc:
                line = f"{case.name}\t{name}\tunreadable\t{exc}"
                h.update(line.encode())
                lines.append(line)
                continue
            for pg in doc.pages:
                n_pages += 1
                for m in det.detect_page(doc.id, pg.index, page_text(pg)):
                    line = "\t".join(
                        map(
                            repr,
                            (
                                case.name,
                                name,
                                m.page,
                                m.start,
                                m.end,
                                m.text,
                                m.kind,
                                m.person,
                                m.detector,
                                m.unregistered,
                                m.qualifier,
                                m.via,
                                m.candidates,
                            ),
                        )
                    )
                    h.update(line.encode() + b"\n")
                    lines.append(line)
                    count += 1
        n_mentions += count
        total.update(h.digest())
        print(f"{case.parent.name}/{case.name}: {count} mentions  {h.hexdigest()[:16]}")
    print(f"{len(cases)} cases, {n_pages} pages, {n_mentions} mentions, digest {total.hexdigest()}")
    if args.dump:
        args.dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
