"""detect stage: find mentions of people, contact details, identifiers and sensitive statements in page text.

    det = Detector(manifest, rules_dir)          # compile everything once per case
    mentions = det.detect_page(doc_id, page, pt) # sorted by (start, end), offsets into pt.text

The Detector is an ordered list of small recognisers (`recognisers.RECOGNISERS`), one per module of
`sarkit/detect/recognisers/`. For each page it builds the page's context (sentences, clauses, blocks,
table rows), runs the recognisers in order, each given every mention found before it on the page, and
within each kind drops the mentions inside another and trims partial overlaps (`resolve_overlaps`).
Kinds found: `name`, `contact`, `identifier`, `sensitive` (policy.md); each mention carries the id of
the rule that found it (`detector`, e.g. name.full, kinship, id.phone), which ledgers and schedules keep.

The protocol (`base.py`): a recogniser is a class built once per case from a `CaseData` (the manifest,
the rules folder and its lexicons, and `shared(factory)` for tables two recognisers use) with one method

    detect(doc, page, pt, ctx, found) -> list[Mention]

where `found` is every mention the recognisers before it returned for this page (`named(found)`: the
people among them, in text order). To add one: write `recognisers/<what>.py` with the class (its
docstring says what it finds and which files of redaction-rules/ it reads) and add the class to
`RECOGNISERS` at the place its inputs are ready. `Detector(..., recognisers=...)` runs another list
(a benchmark without some of them); `extra=` appends recognisers already built.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from ..models import Manifest, Mention
from ..text import PageText
from .base import CaseData, PageDetector, Recogniser, named
from .context import PageContext
from .recognisers import RECOGNISERS
from .recognisers.identifiers import nhs_valid, parse_date

__all__ = [
    "RECOGNISERS",
    "CaseData",
    "Detector",
    "PageDetector",
    "Recogniser",
    "named",
    "nhs_valid",
    "parse_date",
    "resolve_overlaps",
]


def resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Within a kind, drop mentions inside another and trim partial overlaps so no piece is uncovered."""
    out: list[Mention] = []
    last_end: dict[str, int] = {}
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        end = last_end.get(m.kind, -1)
        if m.end <= end:
            continue
        if m.start < end:
            text = m.text[end - m.start :]
            lead = len(text) - len(text.lstrip())
            start = end + lead
            if start >= m.end:
                continue
            m = dataclasses.replace(m, start=start, text=m.text[start - m.start :])
        out.append(m)
        last_end[m.kind] = m.end
    out.sort(key=lambda m: (m.start, m.end))
    return out


class Detector:
    """The recognisers of a case, compiled once from the manifest and the lexicon files of rules_dir."""

    def __init__(
        self,
        manifest: Manifest,
        rules_dir: Path,
        extra: Sequence[PageDetector] = (),
        recognisers: Sequence[Recogniser] = RECOGNISERS,
    ):
        self.manifest = manifest
        self.subject = manifest.subject
        self.case = CaseData(manifest, Path(rules_dir))
        self.recognisers: tuple[PageDetector, ...] = (*(self.case.shared(r) for r in recognisers), *extra)

    def detect_page(self, doc_id: str, page: int, pt: PageText) -> list[Mention]:
        """Every mention on one page, sorted by (start, end); offsets are into pt.text."""
        ctx = PageContext.build(pt)
        found: list[Mention] = []
        for r in self.recognisers:
            found += r.detect(doc_id, page, pt, ctx, found)
        n = len(pt.text)
        return resolve_overlaps([m for m in found if 0 <= m.start < m.end <= n])
