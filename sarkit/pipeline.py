"""The pipeline: ingest → detect → decide → (review) → render → verify.

Read this file first. Each stage is a package; this module only calls them in order
and keeps the ledger up to date. `batch.py` loops over the same calls.

`propose` works page by page: `propose_page` is the whole of detection for one page. The
documents (and the page ranges of a large PDF) are handed to worker processes
(sarkit.parallel); this process is the one writer of the ledger.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from .case import Case, private_dir, tighten
from .decide import childhood_home, decide, harmonise, load_rules, rules_dir
from .decide.rules import RuleSet
from .detect import Detector
from .errors import SarkitError
from .ledger import Ledger, case_lock
from .manifest import load_manifest
from .models import Manifest, Page
from .parallel import Item, default_workers, plan_units, run_units
from .render import rects_for_span
from .review.session import apply_person_rules
from .text import PageText, page_text

Progress = Callable[[str, int, int], None]  # (stage, done, total): counts only, never names or text


@dataclass
class ProposeResult:
    documents: int = 0
    pages: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (document name, one sentence)
    by_action: dict[str, int] = field(default_factory=dict)
    by_code: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _context(pt: PageText, start: int, end: int) -> str:
    """The line(s) around a mention, for the reviewer."""
    a = pt.text.rfind("\n", 0, start) + 1
    b = pt.text.find("\n", end)
    return pt.text[a : b if b != -1 else len(pt.text)][:400]


def propose_page(detector: Detector, manifest: Manifest, rules: RuleSet, doc_id: str, page: Page) -> list[Item]:
    """detect → decide for one page; each proposal with its boxes on the page and its context line."""
    pt = page_text(page)
    return [
        (p, rects_for_span(pt, p.mention.start, p.mention.end), _context(pt, p.mention.start, p.mention.end))
        for p in decide(detector.detect_page(doc_id, page.index, pt), manifest, rules)
    ]


def propose(case: Case, *, actor: str, progress: Progress | None = None, workers: int | None = None) -> ProposeResult:
    t0 = time.monotonic()
    manifest = load_manifest(case.manifest)
    rules = load_rules(manifest.rules)
    page_fn = partial(propose_page, Detector(manifest, rules_dir()), manifest, rules)
    files = case.document_files()
    if not files:
        raise SarkitError(f"{case.documents_dir} is empty: there is nothing to propose.")
    passwords = dict(manifest.passwords)
    units = plan_units((f, case.rel(f), passwords.get(case.rel(f))) for f in files)
    result = ProposeResult()
    private_dir(case.state)
    private_dir(case.cache)
    with case_lock(case.state, "sarkit propose"):
        ledger = Ledger.open(case.state)
        try:
            run = ledger.next_run()
            ledger.event(actor, "propose-start", documents=len(files), rules=rules.name)
            total_pages = sum(u.pages for u in units if u.stop is None) + sum(
                u.stop - u.start for u in units if u.stop is not None
            )
            pages_seen = [0]

            def on_pages(n: int) -> None:
                pages_seen[0] += n
                if progress:
                    progress("pages", pages_seen[0], max(total_pages, pages_seen[0]))

            for out in run_units(units, case.cache, page_fn, workers or default_workers(), on_pages):
                if out.doc is None:
                    result.failures.append((out.name, out.failure))
                    ledger.record_failure(out.name, out.digest, out.failure, run)
                else:
                    with ledger.transaction():
                        ledger.record_document(out.doc, run)
                        ledger.replace_proposals(out.doc.id, out.items, run)
                    result.documents += 1
                    result.pages += len(out.doc.pages)
                if progress:
                    progress("read", result.documents + len(result.failures), len(files))
            ledger.forget_documents_except(case.rel(p) for p in files)
            dates = {d.id: dt.date.fromisoformat(d.date) if d.date else None for d in ledger.documents()}
            with ledger.transaction():  # case-wide passes: the requester's childhood home, then one answer per detail
                # each reads only the proposals it can change, not the whole case's
                subject_contacts = ledger.proposals(kinds=("contact",), person=manifest.subject.id)
                ledger.update_proposals(
                    childhood_home((sp.proposal for sp in subject_contacts), dates, manifest, rules)
                )
                del subject_contacts
                ledger.update_proposals(
                    harmonise(sp.proposal for sp in ledger.proposals(kinds=("contact", "identifier")))
                )
            apply_person_rules(ledger, actor)  # a reviewer's per-person decisions cover new proposals too
            result.by_action, result.by_code = ledger.proposal_counts()
            tighten(case.state)  # the ledger's journal files and the cache: owner only, whatever the umask
            result.seconds = time.monotonic() - t0
            ledger.event(
                actor,
                "propose",
                documents=result.documents,
                pages=result.pages,
                failed=len(result.failures),
                proposals=sum(result.by_action.values()),
                seconds=round(result.seconds, 2),
            )
        finally:
            ledger.close()
    return result


from .bundle import BundleResult, VerifyResult, bundle, verify  # noqa: E402  (the last two stages)

__all__ = ["BundleResult", "ProposeResult", "VerifyResult", "bundle", "propose", "propose_page", "verify"]
