"""Throughput of the whole propose + bundle path against the floor of PyMuPDF alone (issue 7).

    python benchmarks/throughput.py --pages 2000

Generates a large fictional case (the demo register, text PDFs of case-note pages with about ten
redactable items a page: names, phones, postcodes, dates of birth, e-mails), then prints side by side:
pages/s of propose and of bundle --accept-proposals with 1 and 2 workers, the floor (PyMuPDF opening
the same files, extracting words, applying the same number of redactions and saving), the speed-up
from 1 to 2 workers, and the peak memory (RSS of this process and all its children, sampled).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import pymupdf

FILLER = [
    "The plan was reviewed and the actions from the last meeting were agreed.",
    "School attendance has improved this term and the tutor reports good progress.",
    "The pathway plan will be updated before the next review meeting.",
    "Contact arrangements were discussed and will continue as before.",
    "The placement remains stable and no concerns were raised during the visit.",
    "Health appointments are up to date; the dental check is booked.",
]
ITEMS = [  # each line carries one or two redactable items of people the policy protects
    "Dean Pryce phoned the office on 07700 900{n3} asking for an update.",
    "Ms Sowerby said she had seen a car outside 14 Larch Close, VX4 {d}QT again.",
    "Graham Farrant can be reached at graham.farrant{n2}@example.com about Ellie.",
    "Wayne Tillett, date of birth 02/06/1979, was seen at the property on {dd}/0{d}/2019.",
    "Harvey Quinn was with Jordan at the park; his mother is Lorraine Bickerstaff.",
    "Colette Draper asked that her number 07700 900{n3} is not shared with the family.",
    "Ruth Farrant and Graham Farrant attended the contact session at Brookvale Primary School.",
    "Brenda Sowerby rang the duty line from 01632 960{n3} about the noise.",
]


def make_large_case(dest: Path, pages: int, pages_per_doc: int = 250, seed: int = 1) -> int:
    """A case folder at dest: the demo manifest and `pages` text pages in PDFs of pages_per_doc pages.

    Returns the number of item lines written (about ten a page).
    """
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
    from casewriter import build_demo_case

    build_demo_case(dest)
    docs = dest / "documents"
    shutil.rmtree(docs)
    docs.mkdir()
    rnd = random.Random(seed)
    items = 0
    left, k = pages, 0
    while left > 0:
        n = min(pages_per_doc, left)
        doc = pymupdf.open()
        for p in range(n):
            page = doc.new_page(width=595, height=842)
            lines = [f"OFFICIAL-SENSITIVE  Case ref 4418203  Page {p + 1}", "Case Note: Jordan Pryce", ""]
            for i in range(36):
                if i % 4 == 1 or i % 4 == 3 and i < 24:
                    tpl = rnd.choice(ITEMS)
                    lines.append(
                        tpl.format(
                            n3=rnd.randint(100, 999),
                            n2=rnd.randint(10, 99),
                            d=rnd.randint(1, 9),
                            dd=rnd.randint(10, 28),
                        )
                    )
                    items += 1
                else:
                    lines.append(rnd.choice(FILLER))
            page.insert_text((56, 60), "\n".join(lines), fontname="helv", fontsize=9.5, lineheight=1.55)
        (docs / f"2019-{k % 12 + 1:02d}-{k % 28 + 1:02d} Case Notes part {k + 1:03d}.pdf").write_bytes(
            doc.tobytes(garbage=3, deflate=True)
        )
        doc.close()
        left -= n
        k += 1
    return items


class PeakRSS:
    """Peak memory of this process and all its descendants, sampled every 50 ms from /proc.

    Two sums are kept: `peak` adds up each process's resident set (RSS), which counts a page shared by
    a forked worker and its parent once in each, so it overstates; `peak_pss` adds up the proportional
    set sizes (PSS: a shared page divided among the processes sharing it), the memory the machine
    really gives the tree. `largest` is the biggest single process's RSS.
    """

    def __init__(self) -> None:
        self.peak = 0
        self.peak_pss = 0
        self.largest = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _sizes(pid: int) -> tuple[int, int]:
        """(RSS, PSS) of a process in bytes."""
        rss = pss = 0
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
        return rss, pss

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.05):
            parent: dict[int, int] = {}
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry}/stat") as fh:
                        fields = fh.read().rsplit(")", 1)[1].split()
                    parent[int(entry)] = int(fields[1])
                except (OSError, IndexError, ValueError):
                    continue
            total = total_pss = 0
            for pid in parent:
                p = pid
                while p and p != me and p in parent:
                    p = parent[p]
                if p != me:
                    continue
                try:
                    rss, pss = self._sizes(pid)
                except (OSError, ValueError):
                    continue
                total += rss
                total_pss += pss
                self.largest = max(self.largest, rss)
            self.peak = max(self.peak, total)
            self.peak_pss = max(self.peak_pss, total_pss)


def floor(case: Path, redactions_per_page: float) -> float:
    """Seconds for PyMuPDF alone: words of every page, then the same number of redactions, applied, saved."""
    out = Path(tempfile.mkdtemp(prefix="sarkit-floor-"))
    t0 = time.monotonic()
    for f in sorted((case / "documents").glob("*.pdf")):
        doc = pymupdf.open(f)
        for page in doc:
            words = page.get_text("words")
            n = min(len(words), round(redactions_per_page))
            for w in words[:: max(1, len(words) // max(1, n))][:n]:
                page.add_redact_annot(pymupdf.Rect(w[:4]), fill=(0.9, 0.9, 0.9))
            page.apply_redactions()
        doc.save(out / f.name, garbage=1, deflate=True)
        doc.close()
    seconds = time.monotonic() - t0
    shutil.rmtree(out)
    return seconds


def run(case: Path, workers: int) -> tuple[float, float, int, int, PeakRSS]:
    """(propose seconds, bundle seconds, pages, redactions, memory peaks) on a fresh copy of the case."""
    from sarkit.case import Case
    from sarkit.pipeline import bundle, propose

    for d in (".sarkit", "bundle", "reports"):
        shutil.rmtree(case / d, ignore_errors=True)
    with PeakRSS() as mem:
        t0 = time.monotonic()
        res = propose(Case(case), actor="bench", workers=workers)
        t1 = time.monotonic()
        b = bundle(Case(case), actor="bench", accept_proposals=True, workers=workers)
        t2 = time.monotonic()
    if res.failures or (b.report is not None and not b.report.ok):
        raise SystemExit(
            f"the run did not complete: {len(res.failures)} failures, {len(b.report.leaks) if b.report else 0} leaks"
        )
    return t1 - t0, t2 - t1, res.pages, b.redactions, mem


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--pages-per-doc", type=int, default=250)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--keep", type=Path, default=None, help="build the case here and keep it")
    args = ap.parse_args()
    case = args.keep or Path(tempfile.mkdtemp(prefix="sarkit-bench-")) / "case"
    t = time.monotonic()
    items = make_large_case(case, args.pages, args.pages_per_doc)
    print(
        f"generated {args.pages} pages, {items} item lines, in {time.monotonic() - t:.1f} s "
        f"(load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores)"
    )
    rows = {}
    for w in args.workers:
        rows[w] = run(case, w)
        p_s, b_s, pages, reds, mem = rows[w]
        print(
            f"workers={w}: propose {pages / p_s:7.1f} pages/s ({p_s:.1f} s); bundle --accept-proposals "
            f"{pages / b_s:7.1f} pages/s ({b_s:.1f} s); whole path {pages / (p_s + b_s):6.1f} pages/s; "
            f"{reds} redactions; peak memory of the process tree {mem.peak_pss / 2**20:.0f} MB "
            f"(PSS; RSS summed {mem.peak / 2**20:.0f} MB; largest process {mem.largest / 2**20:.0f} MB; target < 1 GB "
            "at 5,000 pages)"
        )
    p_s, b_s, pages, reds, _ = rows[args.workers[0]]
    fl = floor(case, reds / max(1, pages))
    print(f"floor (PyMuPDF alone, 1 process): {pages / fl:7.1f} pages/s ({fl:.1f} s)")
    for w, (p_s, b_s, pages, _, _) in rows.items():
        print(f"  workers={w}: whole path is {100 * fl / (p_s + b_s):.0f}% of the floor (target >= 50%)")
    if 1 in rows and 2 in rows:
        one, two = rows[1][0] + rows[1][1], rows[2][0] + rows[2][1]
        print(
            f"speed-up 1 -> 2 workers: {one / two:.2f}x (target >= 1.7x); propose {rows[1][0] / rows[2][0]:.2f}x, "
            f"bundle {rows[1][1] / rows[2][1]:.2f}x"
        )
    if not args.keep:
        shutil.rmtree(case.parent)


if __name__ == "__main__":
    main()
