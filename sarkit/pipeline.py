"""The pipeline: ingest → detect → decide → (review) → render → verify.

Read this file first. Each stage is a package; this module only calls them in order
and keeps the ledger up to date. `batch.py` loops over the same calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .case import Case, private_dir
from .decide import decide, harmonise, load_rules, rules_dir
from .detect import Detector
from .errors import DocumentError, SarkitError
from .ingest import read_document
from .ledger import Ledger, case_lock
from .manifest import load_manifest
from .render import rects_for_span
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
    return pt.text[a: b if b != -1 else len(pt.text)][:400]


def propose(case: Case, *, actor: str, progress: Progress | None = None) -> ProposeResult:
    t0 = time.monotonic()
    manifest = load_manifest(case.manifest)
    rules = load_rules(manifest.rules)
    detector = Detector(manifest, rules_dir())
    files = case.document_files()
    if not files:
        raise SarkitError(f"{case.documents_dir} is empty: there is nothing to propose.")
    passwords = dict(manifest.passwords)
    result = ProposeResult()
    private_dir(case.state)
    private_dir(case.cache)
    with case_lock(case.state, "sarkit propose"):
        ledger = Ledger.open(case.state)
        try:
            run = ledger.next_run()
            ledger.event(actor, "propose-start", documents=len(files), rules=rules.name)
            for i, path in enumerate(files):
                name = case.rel(path)
                if progress:
                    progress("read", i, len(files))
                try:
                    doc = read_document(path, name, case.cache, passwords.get(name))
                except DocumentError as exc:
                    result.failures.append((name, exc.message))
                    ledger.record_failure(name, "", exc.message, run)
                    continue
                items = []
                for page in doc.pages:
                    pt = page_text(page)
                    for p in decide(detector.detect_page(doc.id, page.index, pt), manifest, rules):
                        m = p.mention
                        items.append((p, rects_for_span(pt, m.start, m.end), _context(pt, m.start, m.end)))
                with ledger.transaction():
                    ledger.record_document(doc, run)
                    ledger.replace_proposals(doc.id, items, run)
                result.documents += 1
                result.pages += len(doc.pages)
            ledger.forget_documents_except(case.rel(p) for p in files)
            with ledger.transaction():
                ledger.update_proposals(harmonise(sp.proposal for sp in ledger.proposals()))
            counts = ledger.proposal_counts()
            result.by_action, result.by_code = counts
            if progress:
                progress("read", len(files), len(files))
            result.seconds = time.monotonic() - t0
            ledger.event(actor, "propose", documents=result.documents, pages=result.pages,
                         failed=len(result.failures), proposals=sum(result.by_action.values()),
                         seconds=round(result.seconds, 2))
        finally:
            ledger.close()
    return result


from .bundle import BundleResult, VerifyResult, bundle, verify  # noqa: E402  (the last two stages)

__all__ = ["BundleResult", "ProposeResult", "VerifyResult", "bundle", "propose", "verify"]
