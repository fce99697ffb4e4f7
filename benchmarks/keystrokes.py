"""Keystrokes to review every proposal with person-level decisions first, against the number of proposals.

For each case of ../shared/corpus (skipped cleanly when absent): copy the case without truth.json, run
propose, then drive a ReviewSession the way the review screen does: on the first screen the cursor stands
on the first row (person × kind with undecided items), and one key (`a`: accept the row as proposed)
decides the row and moves the cursor to the next; when no row is left every item is decided, and `q`
quits. Also counted: one key per person (`A`: every kind of the person as proposed). An item-by-item
tool needs one key per proposal. Target: at least 10 times fewer keystrokes.

    .venv/bin/python benchmarks/keystrokes.py [CORPUS] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sarkit.case import Case
from sarkit.pipeline import propose
from sarkit.review.session import ReviewSession

TARGET = 10.0
KEYS_PER_ROW = 1
KEYS_TO_QUIT = 1  # `q`


def copy_case(src: Path, dest: Path) -> Case:
    dest.mkdir(parents=True)
    shutil.copy2(src / "case.yaml", dest / "case.yaml")
    shutil.copytree(src / "documents", dest / "documents")
    return Case.at(dest)


def review_by_person(case: Case) -> tuple[int, int, int, int]:
    """(proposals, proposals that need a person, rows person × kind, people) of a freshly proposed case.

    Decides every row as the screen does (`A` on each person: every kind as proposed, which decides the
    same items as `a` on each of that person's rows) and checks that nothing is left.
    """
    s = ReviewSession(case, "benchmark")
    try:
        proposals = len(s.ledger.proposals())
        needing = len(s.items())
        groups = s.open_groups()
        people = list(dict.fromkeys(ps.key for ps, _ in groups))
        for key in people:
            s.decide_person(key, "*", "accept")
        assert not s.queue(), "items left after person-level decisions"
        return proposals, needing, len(groups), len(people)
    finally:
        s.close()


def _line(name: str, p: int, n: int, rows: int, people: int, cases: int = 1) -> str:
    k_rows, k_people = rows * KEYS_PER_ROW + KEYS_TO_QUIT * cases, people + KEYS_TO_QUIT * cases
    return f"{name:<14}{p:>10}{n:>10}{rows:>6}{k_rows:>6}{p / k_rows:>7.1f}{people:>8}{k_people:>6}{p / k_people:>7.1f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it (default: a temp dir)")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"skipped: no corpus at {args.corpus}")
        return 0
    cases = sorted(p for p in args.corpus.iterdir() if (p / "case.yaml").is_file())
    work = args.keep or Path(tempfile.mkdtemp(prefix="sarkit-keys-"))
    totals = [0, 0, 0, 0]
    print(
        f"{'case':<14}{'proposals':>10}{'to decide':>10}{'rows':>6}{'keys':>6}{'ratio':>7}"
        f"{'people':>8}{'keys':>6}{'ratio':>7}"
    )
    for src in cases:
        dest = work / src.name
        if dest.exists():
            shutil.rmtree(dest)
        case = copy_case(src, dest)
        propose(case, actor="benchmark")
        counts = review_by_person(case)
        for i, v in enumerate(counts):
            totals[i] += v
        print(_line(src.name, *counts))
    print(_line("overall", *totals, cases=len(cases)))
    p, _, rows, people = totals
    by_row, by_person = p / (rows + KEYS_TO_QUIT * len(cases)), p / (people + KEYS_TO_QUIT * len(cases))
    print(
        f"proposals per keystroke, one key per person × kind (`a`): {by_row:.1f} "
        f"({'met' if by_row >= TARGET else 'NOT met'}); one key per person (`A`): {by_person:.1f} "
        f"({'met' if by_person >= TARGET else 'NOT met'}); target >= {TARGET:g}"
    )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
