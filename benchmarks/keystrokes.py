"""Keystrokes to review a case with every `review` item looked at, and to find and redact a missed name.

For each case of ../shared/corpus and ../shared/corpus-hand (skipped cleanly when absent): copy the case
without truth.json, run propose, then drive the real review screen (sarkit.review.screen.Screen over a
Script terminal, 80×24) with keys, the way a reviewer would:

1. the review pass: on the people screen `*` accepts every row as proposed; `review` items are never
   accepted that way, they stay open; `i` goes through them one at a time, each shown on screen before
   its key (`a`) is pressed (checked: the frame shows the item's text and its `review` proposal); `q`.
   Target: at least 10 times fewer keys than proposals.
2. search-and-redact: a name that the case's truth.json says must be redacted and that propose left
   unproposed somewhere (a "missed" name: the longest-lived miss is taken), found with `/`, the name and
   Enter; `r`; the person typed as their number in the list and Enter; Enter for the suggested code.
   Checked: every place of the name is redacted afterwards. The name itself is never printed.

    .venv/bin/python benchmarks/keystrokes.py [CORPUS] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sarkit.case import Case
from sarkit.decide.people import needs_decision
from sarkit.pipeline import propose
from sarkit.review.screen import Screen, Script
from sarkit.review.session import ReviewSession

TARGET = 10.0
SIZE = (80, 24)


def copy_case(src: Path, dest: Path) -> Case:
    dest.mkdir(parents=True)
    shutil.copy2(src / "case.yaml", dest / "case.yaml")
    shutil.copytree(src / "documents", dest / "documents")
    return Case.at(dest)


class Reviewer(Script):
    """A scripted reviewer: chooses each key from what the screen shows, and counts the keys."""

    def __init__(self) -> None:
        super().__init__((), SIZE)
        self.screen_obj: Screen | None = None
        self.looked_at: set[str] = set()
        self.pressed: list[str] = []

    def key(self) -> str:
        sc = self.screen_obj
        assert sc is not None
        s = sc.s
        shown = self.screen
        if sc.mode == "people":
            rows = s.open_groups()
            k = "*" if any(ps.open[kind] > ps.review[kind] for ps, kind in rows) else "i"
        else:
            it = s.item()
            if it is None:
                k = "q"
            else:
                text = " ".join(it.proposal.mention.text.split())[:20]
                assert text in " ".join(" ".join(shown.split("\n")).split()), "the item is not on the screen"
                assert "Proposed review" in shown and "a redacts it" in shown, "not a review item, or unexplained"
                self.looked_at.add(it.id)
                k = "a"
        self.pressed.append(k)
        return k


def review_pass(case: Case) -> tuple[int, int, int]:
    """(proposals, review items, keys) for a whole review with every review item looked at."""
    s = ReviewSession(case, "benchmark")
    try:
        proposals = len(s.ledger.proposals())
        review = [it.id for it in s.items() if it.proposal.action == "review"]
        term = Reviewer()
        sc = Screen(s, term)
        term.screen_obj = sc
        sc.run()
        assert not s.queue(), "items left after the review pass"
        assert set(review) <= term.looked_at, "a review item was decided without being shown"
        assert set(term.pressed) <= {"*", "i", "a", "q"}
        return proposals, len(review), len(term.pressed)
    finally:
        s.close()


def missed_name(case: Case, truth: dict) -> tuple[str, str] | None:  # type: ignore[type-arg]
    """A name truth.json says must be redacted, with places propose left unproposed (most places first)."""
    tags: dict[str, str] = {}
    for doc in truth.get("documents", {}).values():
        for text, tag in (doc.get("redact_tags") or {}).items():
            if tag.get("kind") == "name" and tag.get("person"):
                tags[text] = tag["person"]
    s = ReviewSession(case, "benchmark")
    try:
        people = {p.id for p in s.manifest.people}
        best: tuple[int, str, str] | None = None
        for text, person in sorted(tags.items()):
            if person not in people or len(text) < 3:
                continue
            hits = s.search(text)
            missed = sum(1 for h in hits if h.status == "missed")
            if missed and (best is None or missed > best[0]):
                best = (missed, text, person)
        return (best[1], best[2]) if best else None
    finally:
        s.close()


def search_and_redact(case: Case, text: str, person: str) -> tuple[int, int]:
    """(keys, places redacted) to find `text` across the case and redact every place for `person`."""
    s = ReviewSession(case, "benchmark")
    try:
        number = [p.id for p in s.manifest.people].index(person) + 1
        keys = ["/", *text, "enter", "r", *str(number), "enter", "enter", "q"]
        term = Script(keys, SIZE)
        Screen(s, term).run()
        assert term.used == len(keys)
        hits = s.search(text)
        assert hits and all(h.status == "redacted" for h in hits), "a place was left unredacted"
        manual = [sp for sp in s.ledger.proposals() if sp.proposal.mention.detector == "manual"]
        manual = [sp for sp in manual if needs_decision(sp.proposal, s.rules)]
        assert all(sp.proposal.mention.person == person for sp in manual)
        return len(keys) - 1, len(manual)  # `q` is not part of finding and redacting
    finally:
        s.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "corpus",
        nargs="*",
        type=Path,
        default=[ROOT.parent / "shared" / "corpus", ROOT.parent / "shared" / "corpus-hand"],
        help="folders of cases (default: ../shared/corpus and ../shared/corpus-hand)",
    )
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it (default: a temp dir)")
    args = ap.parse_args(argv)
    corpora = [c for c in args.corpus if c.is_dir()]
    if not corpora:
        print(f"skipped: no corpus at {', '.join(map(str, args.corpus))}")
        return 0
    cases = [p for c in corpora for p in sorted(c.iterdir()) if (p / "case.yaml").is_file()]
    work = args.keep or Path(tempfile.mkdtemp(prefix="sarkit-keys-"))
    print(f"{'case':<14}{'proposals':>10}{'review':>8}{'keys':>6}{'ratio':>7}   search-and-redact of a missed name")
    totals = [0, 0, 0]
    worst = float("inf")
    for src in cases:
        dest = work / src.name
        if dest.exists():
            shutil.rmtree(dest)
        case = copy_case(src, dest)
        propose(case, actor="benchmark")
        p, r, k = review_pass(case)
        totals = [totals[0] + p, totals[1] + r, totals[2] + k]
        worst = min(worst, p / k)
        found = "no truth.json" if not (src / "truth.json").is_file() else "no missed name"
        if (src / "truth.json").is_file():
            truth = json.loads((src / "truth.json").read_text(encoding="utf-8"))
            miss = missed_name(case, truth)
            if miss:
                keys, places = search_and_redact(case, *miss)
                found = f"{keys} keys for a {len(miss[0])}-character name: {places} place{'s' * (places != 1)} redacted"
        print(f"{src.name:<14}{p:>10}{r:>8}{k:>6}{p / k:>7.1f}   {found}")
    p, r, k = totals
    print(f"{'overall':<14}{p:>10}{r:>8}{k:>6}{p / k:>7.1f}")
    print(
        f"proposals per keystroke with every review item looked at: overall {p / k:.1f}, worst case {worst:.1f} "
        f"({'met' if worst >= TARGET else 'NOT met'}; target >= {TARGET:g} in every case)"
    )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
