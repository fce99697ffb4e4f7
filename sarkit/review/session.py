"""The review session: the logic of `sarkit review`, with no terminal code (the screen is screen.py).

Everything a reviewer decides is written to the ledger at once, one committed transaction per step,
and everything the session shows is read back from the ledger: the only things held in memory are
the cursor, the filter and the navigation history. Where the reviewer is (the item, the view) is kept in
the ledger's meta table as they move, so quitting and coming back (or a SIGKILL) resumes there.

Whom a proposal is about (its person key), what accepting it decides and the person-level decisions
are sarkit.decide.people's: the same for the session, `decisions import` and `propose`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..case import Case, private_dir
from ..decide import RuleSet, decide_one, load_rules
from ..decide.people import ALL_KINDS, NOBODY, PERSON_ACTIONS, needs_decision, person_key, proposed_verdict, resolve
from ..errors import SarkitError
from ..ledger import UNDECIDED, Ledger, StoredProposal, now
from ..manifest import add_person, load_manifest
from ..models import KINDS, Decision, Document, Manifest, Mention, Proposal
from ..roles import ALL_ROLES
from ..text import PageText, page_text, rects_for_span

Reader = Callable[[Path, str, Path, "str | None"], Document]  # like sarkit.ingest.read_document
_TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "rev",
    "revd",
    "sir",
    "dame",
    "lady",
    "lord",
    "pc",
    "dc",
    "ds",
    "di",
    "sgt",
    "cllr",
}


# ---------------------------------------------------------------- what the screen shows


@dataclass(frozen=True)
class Item:
    stored: StoredProposal
    document: str  # document name (path under documents/)
    decision: Decision | None

    @property
    def proposal(self) -> Proposal:
        return self.stored.proposal

    @property
    def id(self) -> str:
        return self.stored.proposal.id


@dataclass
class PersonSummary:
    key: str
    name: str
    role: str  # role, or "unregistered"
    path: tuple[str, ...]
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, proposed action) -> mentions
    open: Counter[str] = field(default_factory=Counter)  # kind -> items still to decide
    review: Counter[str] = field(default_factory=Counter)  # kind -> open items proposed `review`
    decided: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, action in force) -> open items
    departs: Counter[str] = field(default_factory=Counter)  # kind -> open items decided unlike the proposal
    total: int = 0
    done: int = 0

    @property
    def registered(self) -> bool:
        return not self.key.startswith("?") and self.key != NOBODY


@dataclass(frozen=True)
class Context:
    line: int  # 1-based line on the page (0 when unknown)
    before: str
    span: str
    after: str


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    by_person: dict[str, tuple[int, int]]
    seconds_left: float | None


@dataclass(frozen=True)
class Filter:
    """Which items the item view goes through (and the people table counts)."""

    review: bool = False  # only items proposed `review`
    departures: bool = False  # only decisions that depart from the proposal
    doc: str | None = None  # one document (its id)
    person: str | None = None  # one person (a person key)
    kind: str | None = None  # with person: one row of the people table
    row: bool = False  # opened from a row (`i`): dropped when the row is done

    @property
    def active(self) -> bool:
        return self.review or self.departures or self.doc is not None or self.person is not None


@dataclass(frozen=True)
class Hit:
    """A place where searched text occurs, with what the ledger says about it."""

    doc: str
    document: str
    page: int
    start: int
    end: int
    text: str
    line: str  # the line around it (document text)
    status: str  # redacted | proposed | kept | to decide | missed
    rects: tuple[tuple[float, float, float, float], ...] = ()
    line_at: int = 0  # where the hit starts in `line`


@dataclass(frozen=True)
class PageView:
    """One page's text in reading order with the proposals on it."""

    doc: str
    document: str
    page: int  # zero-based
    pages: int
    text: str
    spans: tuple[tuple[int, int, str, str], ...]  # (start, end, state, proposal id); state as Hit.status
    scanned: bool


MAX_HITS = 2000


class ReviewSession:
    """A reviewer's session over a case's ledger. Every method that decides commits before it returns."""

    def __init__(
        self,
        case: Case,
        reviewer: str,
        second_check: bool = False,
        *,
        ledger: Ledger | None = None,
        reader: Reader | None = None,
    ):
        """`reader` re-reads a document for its page text (default: sarkit.ingest.read_document, cached)."""
        self.case = case
        self._reader = reader
        self.reviewer = reviewer
        self.second_check = second_check
        self.manifest: Manifest = load_manifest(case.manifest)
        self.rules: RuleSet = load_rules(self.manifest.rules)
        self.ledger = ledger or Ledger.open(case.state)
        self.ledger.ensure_review_schema()
        self._pages: dict[str, list[PageText]] = {}  # document id -> page texts (a few documents at a time)
        self._history: list[str] = []
        self._started = time.monotonic()
        self._item_steps = 0
        self._items: list[Item] | None = None
        self._firsts: dict[str, Decision] | None = None
        self.filter = Filter()
        self.row_done: str | None = None  # set when a row filter was dropped because the row is done
        self.current: str | None = None
        self.ledger.event(reviewer, "review-start", second_check=second_check)
        saved = self.saved_position()
        pid = saved.get("item") if saved else None
        self.current = pid if isinstance(pid, str) and self.item(pid) is not None else self._first_pending()

    def close(self) -> None:
        self.ledger.close()

    def _changed(self) -> None:
        self._items = None
        self._firsts = None

    # ------------------------------------------------------------ reading the ledger

    def doc_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for d in self.ledger.documents():
            if d.status == "read":
                names.setdefault(d.id, d.name)
        return names

    def items(self) -> list[Item]:
        """Every proposal that needs a person, in document / page / offset order, with its decision in force.

        A span the reviewer widened is shown as its widened proposal only (the original is folded into it)."""
        if self._items is not None:
            return self._items
        names = self.doc_names()
        decisions = self.ledger.latest_decisions()
        stored = [sp for sp in self.ledger.proposals() if needs_decision(sp.proposal, self.rules)]
        live = {sp.proposal.id for sp in stored}
        out = [
            Item(sp, names.get(sp.proposal.mention.doc, sp.proposal.mention.doc), decisions.get(sp.proposal.id))
            for sp in stored
            if _widened_to(decisions.get(sp.proposal.id)) not in live
        ]
        out.sort(
            key=lambda it: (
                it.document,
                it.proposal.mention.page,
                it.proposal.mention.start,
                it.proposal.mention.end,
                it.id,
            )
        )
        self._items = out
        return out

    def pending(self, item: Item) -> bool:
        """Still waiting for this reviewer: undecided, or (second check) decided by someone else, unconfirmed."""
        d = item.decision
        if not self.second_check:
            return d is None
        return d is not None and d.by != self.reviewer and d.source != "second-check"

    def first_decision(self, item: Item) -> Decision | None:
        """Second check: the decision the first reviewer made (the one being checked, or checked already)."""
        d = item.decision
        if d is None or d.source != "second-check":
            return d
        if self._firsts is None:
            self._firsts = checked_decisions(self.ledger)
        return self._firsts.get(item.id)

    def departs(self, item: Item) -> bool:
        """The decision (second check: the first reviewer's) is not what the proposal says."""
        d = self.first_decision(item) if self.second_check else item.decision
        if d is None:
            return False
        act, code = proposed_verdict(item.proposal, self.rules)
        return d.action != act or (d.action == "redact" and (d.code or code) != code)

    def matches(self, it: Item, flt: Filter | None = None) -> bool:
        f = flt or self.filter
        m = it.proposal.mention
        if f.review and it.proposal.action != "review":
            return False
        if f.departures and not self.departs(it):
            return False
        if f.doc is not None and m.doc != f.doc:
            return False
        if f.person is not None and person_key(m) != f.person:
            return False
        return f.kind is None or m.kind == f.kind

    def visible(self) -> list[Item]:
        """The items the filter lets through."""
        if not self.filter.active:
            return self.items()
        return [it for it in self.items() if self.matches(it)]

    def _wanted(self, it: Item) -> bool:
        return self.pending(it) or self.filter.departures

    def queue(self) -> list[Item]:
        return [it for it in self.visible() if self._wanted(it)]

    def _first_pending(self, after: str | None = None) -> str | None:
        items = self.visible()
        ids = [it.id for it in items]
        start = ids.index(after) + 1 if after in ids else 0
        for it in items[start:] + items[:start]:
            if self._wanted(it) and it.id != after:
                return it.id
        return None

    def item(self, pid: str | None = None) -> Item | None:
        pid = pid or self.current
        if pid is None:
            return None
        found = next((it for it in self.items() if it.id == pid), None)
        if found is None:  # a widened original: its widened proposal
            prior = self.ledger._prior_decision(pid)
            note = str(prior.get("note") or "") if prior else ""
            wid = note.removeprefix("widened to ") if note.startswith("widened to ") else None
            found = next((it for it in self.items() if it.id == wid), None) if wid else None
        return found

    def position(self) -> tuple[int, int]:
        """(1-based position of the current item among the visible ones, how many are visible)."""
        items = self.visible()
        ids = [it.id for it in items]
        return (ids.index(self.current) + 1 if self.current in ids else 0), len(items)

    def person_name(self, key: str, items: Iterable[Item] = ()) -> str:
        if key == NOBODY:
            return "(no one in particular)"
        if key.startswith("?"):
            names = self.unregistered_names(key, items)
            return names[0] if names else _title_case(key[1:])
        try:
            return self.manifest.person(key).name
        except KeyError:
            return key

    def unregistered_names(self, key: str, items: Iterable[Item] = ()) -> list[str]:
        """The name-like texts of an unregistered person's *name* mentions, the most frequent first.

        A clause attributed to them (a sensitive statement) is never taken for a name."""
        texts: Counter[str] = Counter()
        for it in items or self.items():
            m = it.proposal.mention
            if person_key(m) == key and m.kind == "name":
                t = " ".join(m.text.split())
                if plausible_name(t):
                    texts[t] += 1
        return sorted(texts, key=lambda t: (-texts[t], -len(t), t))

    def summary(self) -> list[PersonSummary]:
        """Proposals by person: name, role, relation path, counts by kind and proposed action, what is left."""
        items = self.visible()
        out: dict[str, PersonSummary] = {}
        for it in items:
            m = it.proposal.mention
            key = person_key(m)
            s = out.get(key)
            if s is None:
                path: tuple[str, ...] = ()
                if key.startswith("?") or key == NOBODY:
                    role = "unregistered" if key != NOBODY else "-"
                else:
                    try:
                        role, path = self.manifest.person(key).role, self.manifest.relation_path(key)
                    except KeyError:
                        role, path = "?", ()
                s = out[key] = PersonSummary(key, self.person_name(key, items), role, path)
            s.counts[(m.kind, it.proposal.action)] += 1
            s.total += 1
            if self.pending(it):
                s.open[m.kind] += 1
                if it.proposal.action == "review":
                    s.review[m.kind] += 1
                if it.decision is not None:
                    s.decided[(m.kind, it.decision.action)] += 1
                    if self.departs(it):
                        s.departs[m.kind] += 1
            else:
                s.done += 1
        order = {p.id: i for i, p in enumerate(self.manifest.people)}
        return sorted(
            out.values(), key=lambda s: (s.key.startswith("?") or s.key == NOBODY, order.get(s.key, 0), s.key)
        )

    def open_groups(self) -> list[tuple[PersonSummary, str]]:
        """(person, kind) pairs with items still to decide: the rows of the first screen."""
        return [(s, k) for s in self.summary() for k in KINDS if s.open.get(k)]

    def progress(self) -> Progress:
        """Items decided of the items to decide (second check: items confirmed of the items decided by others)."""
        items = self.items()
        if self.second_check:
            items = [
                it for it in items if it.decision is not None and (self.pending(it) or it.decision.by == self.reviewer)
            ]
        per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        done = 0
        for it in items:
            key = person_key(it.proposal.mention)
            per[key][1] += 1
            if not self.pending(it):
                per[key][0] += 1
                done += 1
        left = len(items) - done
        pace = (time.monotonic() - self._started) / self._item_steps if self._item_steps else None
        return Progress(
            done, len(items), {k: (v[0], v[1]) for k, v in per.items()}, left * pace if pace is not None else None
        )

    # ------------------------------------------------------------ navigation (memory, and the place to resume)

    def set_filter(self, flt: Filter) -> None:
        """Go through other items; the current one stays if the filter lets it through."""
        self.filter = flt
        self.row_done = None
        cur = self.item()
        if cur is None or not self.matches(cur) or not self._wanted(cur):
            self.current = self._first_pending()

    def open_row(self, key: str, kind: str) -> None:
        """The items of one row of the people table, from its first one still to decide."""
        self.set_filter(Filter(person=key, kind=kind, row=True))

    def drop_row_filter(self) -> None:
        if self.filter.row:
            self.set_filter(Filter())

    def advance(self) -> str | None:
        """Move to the next pending item after the current one (skip): nothing is written."""
        if self.current is not None:
            self._history.append(self.current)
        nxt = self._first_pending(self.current)
        if nxt is None and self.filter.row:  # the row is done: on with the rest of the case
            s = self.filter
            self.filter = Filter()
            self.row_done = f"{self.person_name(s.person or NOBODY)} · {s.kind}"
            nxt = self._first_pending(self.current)
        self.current = nxt
        return self.current

    skip = advance

    def back(self) -> str | None:
        """Go back to the item shown before this one (decided or not), to look at it or decide it again."""
        while self._history:
            pid = self._history.pop()
            if self.item(pid) is not None:
                self.current = self.item(pid).id  # type: ignore[union-attr]
                break
        return self.current

    def goto(self, pid: str) -> None:
        if self.current is not None and self.current != pid:
            self._history.append(self.current)
        self.current = pid

    def step(self, delta: int) -> str | None:
        """The next (delta 1) or previous (-1) visible item, decided or not; Home/End with a large delta."""
        items = self.visible()
        if not items:
            return self.current
        ids = [it.id for it in items]
        i = ids.index(self.current) if self.current in ids else (-1 if delta > 0 else len(ids))
        j = max(0, min(len(ids) - 1, i + delta))
        if ids[j] != self.current:
            self.goto(ids[j])
        return self.current

    def remember(self, **where: Any) -> None:
        """Keep where this reviewer is (the current item, the view), to resume there next time."""
        import json

        value = json.dumps({"item": self.current, **where}, sort_keys=True)
        key = f"review-position:{self.reviewer}:{int(self.second_check)}"
        if self.ledger.get_meta(key) != value:  # survives a SIGKILL (WAL); a power cut may lose the last move
            self.ledger.db.execute("PRAGMA synchronous=NORMAL")
            try:
                self.ledger.set_meta(key, value)
            finally:
                self.ledger.db.execute("PRAGMA synchronous=FULL")

    def saved_position(self) -> dict[str, Any]:
        import json

        raw = self.ledger.get_meta(f"review-position:{self.reviewer}:{int(self.second_check)}")
        try:
            value = json.loads(raw) if raw else {}
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    # ------------------------------------------------------------ deciding items

    def _decision(self, p: Proposal, action: str, code: str | None, note: str = "") -> Decision:
        source = "second-check" if self.second_check else "review"
        return Decision(p.id, action, code if action == "redact" else None, self.reviewer, now(), source, note)

    def _commit_item(self, step: str, decision: Decision, first: Decision | None = None) -> None:
        self.ledger.record_step(self.reviewer, step, [decision], item=decision.proposal)
        if self.second_check:
            with self.ledger.transaction():
                self.ledger.event(
                    self.reviewer,
                    "second-check",
                    proposal=decision.proposal,
                    action=decision.action,
                    code=decision.code,
                    note=decision.note,
                    first_by=first.by if first else None,
                    first_action=first.action if first else None,
                    first_code=first.code if first else None,
                    first_at=first.at if first else None,
                )
        self._changed()
        self._item_steps += 1
        self.advance()

    def _current_or_fail(self) -> Item:
        it = self.item()
        if it is None:
            raise SarkitError("There is no item to decide: every proposal is decided.")
        return it

    def verdict(self, it: Item) -> tuple[str, str | None]:
        """The decision in force, or what accepting the proposal would decide."""
        if it.decision is not None:
            return it.decision.action, it.decision.code
        return proposed_verdict(it.proposal, self.rules)

    def accept_target(self, it: Item | None = None) -> tuple[str, str | None]:
        """What `a` decides for an item: the proposal (second check: the first decision, confirmed)."""
        it = it or self._current_or_fail()
        if self.second_check and it.decision is not None:
            first = self.first_decision(it) or it.decision
            return first.action, first.code
        return proposed_verdict(it.proposal, self.rules)

    def flip_target(self, it: Item | None = None) -> tuple[str, str | None]:
        it = it or self._current_or_fail()
        act, _ = self.verdict(it)
        p = it.proposal
        if act == "keep":
            return "redact", p.code or self.rules.default_code(p.mention.kind)
        return "keep", None

    def accept(self) -> Decision:
        """Accept the proposal (second check: confirm the decision in force)."""
        it = self._current_or_fail()
        act, code = self.accept_target(it)
        note = "confirmed" if self.second_check and it.decision is not None else ""
        d = self._decision(it.proposal, act, code, note)
        self._commit_item("accept", d, self.first_decision(it) if self.second_check else None)
        return d

    def flip(self) -> Decision:
        """Redact ↔ keep."""
        it = self._current_or_fail()
        act, code = self.flip_target(it)
        d = self._decision(it.proposal, act, code, "flipped")
        self._commit_item("flip", d, self.first_decision(it) if self.second_check else None)
        return d

    def codes(self) -> list[str]:
        return [c.code for c in self.rules.codes]

    def change_code(self, code: str) -> Decision:
        """Redact with another reason code of the rule set (reviewer-only codes included)."""
        if code not in self.codes():
            raise SarkitError(f"{self.rules.path}: the rule set has no reason code '{code}'.")
        it = self._current_or_fail()
        d = self._decision(it.proposal, "redact", code, "code changed")
        self._commit_item("code", d, self.first_decision(it) if self.second_check else None)
        return d

    def undo(self) -> dict[str, Any] | None:
        """Take back this reviewer's last step (a decision, a person-level decision, a widen, a manual redaction,
        a search-and-redact, an addition to the register: case.yaml is put back as it was)."""
        last = self.ledger.last_step(self.reviewer)
        if last is None:
            return None
        if last["step"] == "add-person" and last.get("manifest_before") is not None:
            self._unregister(last)
        step = self.ledger.undo_step(self.reviewer)
        self._changed()
        if step is None:
            return None
        target = step.get("item") or next(iter(step["prior"]), None)
        it = self.item(target) if target else None
        if it is not None and (self.pending(it) or step["step"] in ("widen", "shrink")):
            self.goto(it.id)
        elif self.current is None or self.item(self.current) is None:
            self.current = self._first_pending()
        return step

    # ------------------------------------------------------------ pages (re-read from the cached rendering)

    def page_texts(self, doc_id: str) -> list[PageText]:
        """Every page of a document as the ledger's proposals see it (OCR words for scans, from the cache)."""
        if doc_id not in self._pages:
            doc = self._document(doc_id)
            if len(self._pages) >= 8:  # a few documents at a time: a large case is never all in memory
                self._pages.pop(next(iter(self._pages)))
            self._pages[doc_id] = [page_text(pg) for pg in doc.pages]
        return self._pages[doc_id]

    def page_text(self, doc_id: str, page: int) -> PageText:
        pages = self.page_texts(doc_id)
        if not 0 <= page < len(pages):
            raise SarkitError(f"{self.doc_names().get(doc_id, doc_id)} has no page {page + 1}.")
        return pages[page]

    def _document(self, doc_id: str) -> Any:
        if self._reader is None:
            from ..ingest import read_document

            self._reader = read_document

        name = next((d.name for d in self.ledger.documents() if d.id == doc_id and d.status == "read"), None)
        if name is None:
            raise SarkitError(
                f"{self.case.state}: the ledger names a document that is no longer in the case; "
                "run sarkit propose again."
            )
        private_dir(self.case.cache)
        return self._reader(
            self.case.documents_dir / name, name, self.case.cache, dict(self.manifest.passwords).get(name)
        )

    def context(self, it: Item, lines_around: int = 1) -> Context:
        """The span with its sentence and a line of context either side (document text: escape before printing)."""
        m = it.proposal.mention
        try:
            pt = self.page_text(m.doc, m.page)
            text = pt.text
            if text[m.start : m.end] != m.text and " ".join(text[m.start : m.end].split()) != " ".join(m.text.split()):
                raise ValueError("page changed")
        except Exception:  # noqa: BLE001 - the document cannot be re-read: show what the ledger keeps
            ctx = it.stored.context
            i = ctx.find(m.text)
            if i < 0:
                return Context(0, "", m.text, "")
            return Context(0, ctx[:i], m.text, ctx[i + len(m.text) :])
        a, b = _context_bounds(text, m.start, m.end, lines_around)
        line = pt.line_of(m.start)
        return Context(line + 1 if line >= 0 else 0, text[a : m.start], text[m.start : m.end], text[m.end : b])

    def _rects(self, pt: PageText, start: int, end: int) -> tuple[tuple[float, float, float, float], ...]:
        return tuple(tuple(r) for r in rects_for_span(pt, start, end))  # type: ignore[misc]

    def documents(self) -> list[tuple[str, str, int]]:
        """(document id, name, pages) of every document read, in name order."""
        return [(d.id, d.name, d.pages or 0) for d in self.ledger.documents() if d.status == "read"]

    def page_view(self, doc_id: str, page: int) -> PageView:
        """A page's text with every proposal on it and the state its decision gives it."""
        pt = self.page_text(doc_id, page)
        decisions = {it.id: it for it in self.items() if it.proposal.mention.doc == doc_id}
        spans = []
        for sp in self.ledger.proposals(doc=doc_id):
            m = sp.proposal.mention
            if m.page != page or m.end > len(pt.text):
                continue
            it = decisions.get(sp.proposal.id)
            if it is None and needs_decision(sp.proposal, self.rules):
                continue  # folded into a widened span
            spans.append((m.start, m.end, self._state(sp.proposal, it.decision if it else None), sp.proposal.id))
        spans.sort()
        doc = next((d for d in self.ledger.documents() if d.id == doc_id), None)
        scanned = page in _json_list(doc.scanned) if doc else False
        name = doc.name if doc else doc_id
        return PageView(doc_id, name, page, len(self.page_texts(doc_id)), pt.text, tuple(spans), scanned)

    def _state(self, p: Proposal, d: Decision | None) -> str:
        if d is not None:
            return "redacted" if d.action == "redact" else "kept"
        if not needs_decision(p, self.rules):
            return "kept" if p.action == "keep" else "redacted"
        return "to decide" if p.action == "review" else ("proposed" if p.action == "redact" else "proposed keep")

    # ------------------------------------------------------------ widen / shrink

    def widen(self) -> Proposal:
        """Redact the whole sentence around the current span: a new proposal (detector manual.widen), decided
        redact, which takes the original's place on screen (the original is decided redact with a note naming
        it). The widened item becomes the current one."""
        it = self._current_or_fail()
        m = it.proposal.mention
        pt = self.page_text(m.doc, m.page)
        a, b = _sentence_bounds(pt.text, m.start, m.end)
        if (a, b) == (m.start, m.end):
            raise SarkitError(f"{it.document}, page {m.page + 1}: the span is already the whole sentence.")
        code = (
            (it.decision.code if it.decision and it.decision.code else None)
            or it.proposal.code
            or self.rules.default_code(m.kind)
        )
        wm = replace(m, start=a, end=b, text=pt.text[a:b], detector="manual.widen", via="widened")
        wid = _manual_id("manual.widen", wm)
        wp = Proposal(
            wid,
            wm,
            "redact",
            code,
            self.rules.code(code).basis,
            "manual",
            f"Widened by {self.reviewer} to the whole sentence.",
            it.proposal.path,
        )
        decisions = [
            Decision(wid, "redact", code, self.reviewer, now(), "review", f"widened from {it.id}"),
            Decision(it.id, "redact", code, self.reviewer, now(), "review", f"widened to {wid}"),
        ]
        self.ledger.record_step(
            self.reviewer,
            "widen",
            decisions,
            new_proposals=[(wp, self._rects(pt, a, b), pt.text[a:b][:400])],
            item=it.id,
        )
        self._changed()
        self._item_steps += 1
        self.current = wid
        return wp

    def shrink(self) -> bool:
        """Take a widened span back to the original: the widened proposal is retired, the original undecided."""
        it = self._current_or_fail()
        if it.proposal.mention.detector == "manual.widen":
            wid = it.id
            original = (it.decision.note.removeprefix("widened from ") if it.decision else "") or None
        else:
            note = it.decision.note if it.decision else ""
            if not note.startswith("widened to "):
                return False
            wid, original = note.removeprefix("widened to "), it.id
        decisions = (
            [Decision(original, "undecided", None, self.reviewer, now(), "review", "shrunk")] if original else []
        )
        self.ledger.record_step(self.reviewer, "shrink", decisions, retire=[wid], item=original)
        self._changed()
        if original:
            self.current = original
        return True

    # ------------------------------------------------------------ redacting what detection missed

    def suggested_code(self, key: str, kind: str) -> str:
        """The reason code the rule set gives this person's information of this kind (a referrer's: the
        confidential-source code), or the kind's default code when the rule set would keep it."""
        person = key if key not in (NOBODY, "") and not key.startswith("?") else None
        unreg = key[1:] if key.startswith("?") else None
        m = Mention("", 0, 0, 0, "", kind, person, "manual", unregistered=unreg)
        try:
            p = decide_one(m, self.manifest, self.rules)
        except KeyError:
            return self.rules.default_code(kind)
        return p.code if p.action != "keep" and p.code else self.rules.default_code(kind)

    def find_on_page(self, doc_id: str, page: int, text: str) -> list[tuple[int, int]]:
        return _find(self.page_text(doc_id, page).text, text)

    def search(self, query: str) -> list[Hit]:
        """Every place in every document where `query` occurs: words, case and line breaks ignored, or a regular
        expression written /like this/. Read from the same page words as the proposals (OCR words for scans),
        so a redaction of a hit covers the right boxes."""
        query = query.strip()
        if not query:
            return []
        hits: list[Hit] = []
        for doc_id, name, _ in self.documents():
            try:
                pages = self.page_texts(doc_id)
            except SarkitError:
                continue
            props = [sp for sp in self.ledger.proposals(doc=doc_id)]
            items = {it.id: it for it in self.items() if it.proposal.mention.doc == doc_id}
            for i, pt in enumerate(pages):
                found = _find(pt.text, query)
                if not found:
                    continue
                on_page = [sp for sp in props if sp.proposal.mention.page == i]
                for a, b in found:
                    state = self._hit_state(on_page, items, a, b)
                    rects = self._rects(pt, a, b)
                    line, at = _line_around(pt.text, a, b), a - (pt.text.rfind("\n", 0, a) + 1)
                    hits.append(Hit(doc_id, name, i, a, b, pt.text[a:b], line, state, rects, at))
                    if len(hits) >= MAX_HITS:
                        return hits
        return hits

    def _hit_state(self, on_page: Sequence[StoredProposal], items: Mapping[str, Item], a: int, b: int) -> str:
        states = []
        for sp in on_page:
            m = sp.proposal.mention
            if m.start < b and m.end > a:
                it = items.get(sp.proposal.id)
                covers = m.start <= a and m.end >= b
                states.append((covers, self._state(sp.proposal, it.decision if it else None)))
        if any(c and s == "redacted" for c, s in states):
            return "redacted"
        for s in ("to decide", "proposed", "kept", "proposed keep"):
            if any(x == s for _, x in states):
                return "kept" if s == "proposed keep" else s
        return "missed"

    def redact_hits(self, hits: Sequence[Hit], code: str, person: str = NOBODY, kind: str | None = None) -> int:
        """Redact these places with a reason code, about a person (a register id, an unregistered key or '-'):
        one step (one undo), one committed transaction. Places already redacted are left as they are."""
        if code not in self.codes():
            raise SarkitError(f"{self.rules.path}: the rule set has no reason code '{code}'.")
        todo = [h for h in hits if h.status != "redacted"]
        if not todo:
            return 0
        reg = person if person not in (NOBODY, "") and not person.startswith("?") else None
        if reg is not None and reg not in {p.id for p in self.manifest.people}:
            raise SarkitError(f"{self.case.manifest}: no one in the register has the id '{person}'.")
        unreg = person[1:] if person.startswith("?") else None
        path = self.manifest.relation_path(reg) if reg else ()
        basis = self.rules.code(code).basis
        new, decisions, at = [], [], now()
        for h in todo:
            k = kind or guess_kind(h.text)
            mm = Mention(h.doc, h.page, h.start, h.end, h.text, k, reg, "manual", unregistered=unreg, via="manual")
            pid = _manual_id("manual", mm)
            why = f"Added by {self.reviewer}: the detector missed it."
            p = Proposal(pid, mm, "redact", code, basis, "manual", why, path)
            new.append((p, h.rects, h.line))
            decisions.append(Decision(pid, "redact", code, self.reviewer, at, "manual", "manual redaction"))
        docs = sorted({h.doc for h in todo})
        self.ledger.record_step(
            self.reviewer, "manual", decisions, new_proposals=new, doc=docs[0], docs=len(docs), person=person, code=code
        )
        self._changed()
        return len(todo)

    def hits_on_page(self, doc_id: str, page: int, spans: Iterable[tuple[int, int]]) -> list[Hit]:
        pt = self.page_text(doc_id, page)
        props = [sp for sp in self.ledger.proposals(doc=doc_id) if sp.proposal.mention.page == page]
        items = {it.id: it for it in self.items() if it.proposal.mention.doc == doc_id}
        name = self.doc_names().get(doc_id, doc_id)
        return [
            Hit(
                doc_id,
                name,
                page,
                a,
                b,
                pt.text[a:b],
                _line_around(pt.text, a, b),
                self._hit_state(props, items, a, b),
                self._rects(pt, a, b),
                a - (pt.text.rfind("\n", 0, a) + 1),
            )
            for a, b in spans
        ]

    def manual(
        self, text: str, kind: str | None = None, code: str | None = None, person: str | None = None
    ) -> list[Proposal]:
        """Redact every word-bounded occurrence of `text` on the current item's page (the detector missed it),
        about `person` (default: no one) with `code` (default: what the rule set gives that person)."""
        it = self._current_or_fail()
        m = it.proposal.mention
        spans = self.find_on_page(m.doc, m.page, text)
        if not spans:
            raise SarkitError(f"{it.document}, page {m.page + 1}: the text typed does not appear on this page.")
        person = person or NOBODY
        hits = [replace(h, status="missed") for h in self.hits_on_page(m.doc, m.page, spans)]
        k = kind or guess_kind(text)
        self.redact_hits(hits, code or self.suggested_code(person, k), person, k)
        return [
            sp.proposal
            for sp in self.ledger.proposals(doc=m.doc)
            if sp.proposal.mention.detector == "manual"
            and sp.proposal.mention.page == m.page
            and (sp.proposal.mention.start, sp.proposal.mention.end) in spans
        ]

    # ------------------------------------------------------------ warnings

    def warnings(self, it: Item, action: str) -> list[str]:
        """Why deciding `action` for this item contradicts a flag of the register (empty when it does not)."""
        if action != "keep":
            return []
        m = it.proposal.mention
        out = []
        person = None
        if m.person:
            try:
                person = self.manifest.person(m.person)
            except KeyError:
                person = None
        what = {"name": "name", "contact": "contact details", "identifier": "identifier", "sensitive": "information"}
        detail = what.get(m.kind, m.kind)
        if m.qualifier == "withheld" or (
            person is not None and " ".join(m.text.split()).casefold() in {w.casefold() for w in person.withheld}
        ):
            who = person.name if person else "someone"
            out.append(f"'{' '.join(m.text.split())}' is a withheld name of {who}: it is always redacted.")
        if person is not None:
            if person.referrer:
                out.append(f"{person.name} gave information in confidence: keeping their {detail} may show who.")
            if person.risk and m.kind == "contact":
                out.append(f"{person.name} is flagged risk: their contact details must never be disclosed.")
            if person.consent == "refused":
                out.append(f"{person.name} refused consent to the disclosure of their information.")
        return out

    def row_warnings(self, key: str, kind: str, action: str) -> list[str]:
        """The warnings a person-level decision would raise, each once."""
        if action != "keep":
            return []
        seen: dict[str, None] = {}
        for it in self.items():
            if person_key(it.proposal.mention) == key and kind in (ALL_KINDS, it.proposal.mention.kind):
                for w in self.warnings(it, action):
                    seen.setdefault(w, None)
        return list(seen)

    # ------------------------------------------------------------ person-level decisions

    def decide_person(self, key: str, kind: str, action: str, code: str | None = None) -> int:
        """Decide every item of a person and kind ('*' for every kind) that no one decided item by item, and
        keep the rule so that later proposals for the same person and kind get it too. One transaction.

        `accept` leaves `review` items open: a person must look at each of them."""
        return self.decide_people([key], kind, action, code)

    def decide_people(self, keys: Sequence[str], kind: str, action: str, code: str | None = None) -> int:
        if action not in PERSON_ACTIONS:
            raise SarkitError(f"'{action}' is not a person-level action (one of {', '.join(PERSON_ACTIONS)}).")
        if kind != ALL_KINDS and kind not in KINDS:
            raise SarkitError(f"'{kind}' is not a kind of information (one of {', '.join(KINDS)}).")
        if code is not None and code not in self.codes():
            raise SarkitError(f"{self.rules.path}: the rule set has no reason code '{code}'.")
        at = now()
        decisions = []
        wanted = set(keys)
        for it in self.visible():
            p = it.proposal
            key = person_key(p.mention)
            if key not in wanted or kind not in (ALL_KINDS, p.mention.kind):
                continue
            if self.second_check:
                if not self.pending(it):
                    continue
                act, c = (
                    (it.decision.action, it.decision.code)
                    if action == "accept" and it.decision
                    else resolve(p, action, code, self.rules)
                )
                decisions.append(Decision(p.id, act, c, self.reviewer, at, "second-check", "confirmed by person"))
            elif it.decision is None or it.decision.source == "person-rule":
                if action == "accept" and p.action == "review":
                    continue
                act, c = resolve(p, action, code, self.rules)
                decisions.append(Decision(p.id, act, c, self.reviewer, at, "person-rule", f"{key} {kind} {action}"))
        if self.second_check or len(wanted) != 1 or (self.filter.active and not self.filter.row):
            rule = None  # a decision on part of a person's items (one document, say) is no rule for later ones
        else:
            rule = (keys[0], kind, action, code)
        people = keys[0] if len(keys) == 1 else f"{len(keys)} people"
        self.ledger.record_step(
            self.reviewer, "person", decisions, person_rule=rule, person=people, kind=kind, action=action, code=code
        )
        self._changed()
        cur = self.item(self.current) if self.current else None
        if cur is None or not self._wanted(cur):
            self.current = self._first_pending(self.current)
        return len(decisions)

    def accept_table(self) -> tuple[int, int]:
        """Accept every row of the people table as proposed (`review` items stay open): one step.
        Returns (items decided, review items left)."""
        keys = list(dict.fromkeys(ps.key for ps, _ in self.open_groups()))
        if not keys:
            return 0, 0
        n = self.decide_people(keys, ALL_KINDS, "accept")
        return n, sum(1 for it in self.queue() if it.proposal.action == "review")

    # ------------------------------------------------------------ the register

    def register_name(self, key: str) -> str:
        """The name an unregistered person would be added under (from their name mentions only)."""
        names = self.unregistered_names(key)
        return _strip_title(names[0]) if names else _title_case(key[1:])

    def add_to_register(self, key: str, role: str, name: str | None = None) -> str:
        """Write an unregistered person into case.yaml, then re-decide their proposals with the rule set.

        Returns the register id. The old proposals are retired; new ones (about the registered person) take
        their place, undecided. case.yaml is written atomically and `undo` puts it back as it was. A person
        already registered under that name is used as they are (nothing is written to case.yaml)."""
        if not key.startswith("?"):
            raise SarkitError(f"{self.case.manifest}: this person is already in the register.")
        if role not in ALL_ROLES or role == "subject":
            raise SarkitError(
                f"{self.case.manifest}: '{role}' is not a role of the register "
                "(the roles are listed in docs/case-folder.md)."
            )
        name = " ".join((name or self.register_name(key)).split())
        if not plausible_name(name):
            raise SarkitError(
                f"'{name}' does not look like a person's name: type the name as it usually appears "
                "(words starting with a capital letter)."
            )
        old = [it for it in self.items() if person_key(it.proposal.mention) == key]
        self.manifest = load_manifest(self.case.manifest)
        same = next((p for p in self.manifest.people if p.name.casefold() == name.casefold()), None)
        before: str | None = None
        after_hash = ""
        if same is not None:
            pid = same.id
        else:
            pid = _unique_id(_slug(name) or "person", {p.id for p in self.manifest.people})
            aliases = [t for t in self.unregistered_names(key, old) if t.casefold() != name.casefold()][:8]
            entry: dict[str, Any] = {"id": pid, "name": name, "role": role}
            if aliases:
                entry["aliases"] = aliases
            before = self.case.manifest.read_text(encoding="utf-8")
            add_person(self.case.manifest, entry)
            after_hash = hashlib.sha256(self.case.manifest.read_bytes()).hexdigest()
            self.manifest = load_manifest(self.case.manifest)
        new = []
        for it in old:
            mm = replace(it.proposal.mention, person=pid, unregistered=None, via="register")
            new.append((decide_one(mm, self.manifest, self.rules), it.stored.rects, it.stored.context))
        self.ledger.record_step(
            self.reviewer,
            "add-person",
            [],
            new_proposals=new,
            retire=[it.id for it in old],
            person=pid,
            role=role,
            manifest_before=before,
            manifest_after=after_hash,
        )
        self._changed()
        if self.current is None or self.item(self.current) is None:
            self.current = self._first_pending()
        return pid

    def _unregister(self, step: dict[str, Any]) -> None:
        """Undo an addition to the register: case.yaml as it was before (or, edited since, without the person)."""
        from ..manifest import remove_person, write_atomic

        path = self.case.manifest
        current = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""
        if current == step.get("manifest_after"):
            write_atomic(path, step["manifest_before"])
        else:
            remove_person(path, step["person"])
        self.manifest = load_manifest(path)


def checked_decisions(ledger: Ledger) -> dict[str, Decision]:
    """For each proposal whose decision in force is a second check: the first reviewer's decision it checked
    (confirmed or changed). An undo of the check, or a later first-review decision, clears it."""
    in_force: dict[str, Decision] = {}
    first: dict[str, Decision] = {}
    for r in ledger.db.execute("SELECT * FROM decisions ORDER BY seq"):
        pid = r["proposal"]
        if r["action"] == UNDECIDED:
            in_force.pop(pid, None)
            first.pop(pid, None)
            continue
        d = Decision(pid, r["action"], r["code"], r["by"], r["at"], r["source"], r["note"])
        prev = in_force.get(pid)
        if d.source == "second-check":
            if prev is not None and prev.source != "second-check":
                first[pid] = prev
        else:
            first.pop(pid, None)
        in_force[pid] = d
    return {pid: d for pid, d in first.items() if in_force[pid].source == "second-check"}


# ---------------------------------------------------------------- helpers (plain text)


def _widened_to(d: Decision | None) -> str | None:
    return d.note.removeprefix("widened to ") if d is not None and d.note.startswith("widened to ") else None


def _json_list(raw: str | None) -> list[int]:
    import json

    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _manual_id(detector: str, m: Mention) -> str:
    return hashlib.sha256(f"{detector}|{m.doc}|{m.page}|{m.start}|{m.end}|{m.kind}".encode()).hexdigest()[:16]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _unique_id(base: str, taken: set[str]) -> str:
    pid, n = base, 2
    while pid in taken:
        pid, n = f"{base}-{n}", n + 1
    return pid


def _strip_title(text: str) -> str:
    words = " ".join(text.split()).split(" ")
    while len(words) > 1 and words[0].rstrip(".").lower() in _TITLES:
        words = words[1:]
    return " ".join(words)


def _title_case(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split())


_NAME_WORD = re.compile(r"[^\W\d_][\w'’.\-]*")


def plausible_name(text: str) -> bool:
    """A person's name as a register holds it: one line of at most six words of letters (with ' - .), the
    first one or more capitalised. A clause ("who has been misusing …") is not a name."""
    words = text.split()
    if not 1 <= len(words) <= 6 or "\n" in text.strip() or len(text) > 80:
        return False
    if not all(_NAME_WORD.fullmatch(w) for w in words):
        return False
    capitalised = [w for w in words if w[0].isupper()]
    return bool(capitalised) and words[0][0].isupper() and len(capitalised) >= len(words) - 2


def guess_kind(text: str) -> str:
    """The kind of information of a span a reviewer redacts by hand: only a label for the schedule."""
    t = " ".join(text.split())
    digits = sum(ch.isdigit() for ch in t)
    if "@" in t or (digits >= 6 and len(t.split()) <= 4):
        return "contact" if "@" in t or digits >= 10 else "identifier"
    if digits:
        return "identifier"
    return "sensitive" if len(t.split()) > 4 else "name"


_SENTENCE_END = re.compile(r"[.!?](?=[\s\"')\]]|$)|\n\s*\n")


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): from after the previous sentence end (or blank line) to the next."""
    a = 0
    for mt in _SENTENCE_END.finditer(text, 0, start):
        a = mt.end()
    nxt = _SENTENCE_END.search(text, end)
    if nxt is None:
        b = len(text)
    else:
        b = nxt.end() if nxt.group() in ".!?" else nxt.start()
    while a < start and text[a].isspace():
        a += 1
    while b > end and text[b - 1].isspace():
        b -= 1
    return min(a, start), max(b, end)


def _context_bounds(text: str, start: int, end: int, lines: int = 1, cap: int = 600) -> tuple[int, int]:
    """The span's sentence and `lines` lines either side of the span's line(s)."""
    a = text.rfind("\n", 0, start) + 1
    for _ in range(lines):
        j = a - 1
        while j > 0 and text[j - 1] == "\n":  # a blank line between blocks counts as one break
            j -= 1
        if j <= 0:
            a = 0
            break
        a = text.rfind("\n", 0, j) + 1
    b = text.find("\n", end)
    b = len(text) if b == -1 else b
    for _ in range(lines):
        j = b
        while j < len(text) and text[j] == "\n":
            j += 1
        if j >= len(text):
            break
        nb = text.find("\n", j)
        b = len(text) if nb == -1 else nb
    sa, sb = _sentence_bounds(text, start, end)
    return max(min(a, sa), start - cap), min(max(b, sb), end + cap)


def find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Word-bounded, case-insensitive occurrences of `needle`, any run of spaces or line breaks between words."""
    words = needle.split()
    if not words:
        return []
    pat = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", re.IGNORECASE)
    return [(mt.start(), mt.end()) for mt in pat.finditer(text)]


def _find(text: str, query: str) -> list[tuple[int, int]]:
    """A search: words (find_all), or a regular expression written /like this/ (case-insensitive)."""
    q = query.strip()
    if len(q) > 2 and q.startswith("/") and q.endswith("/"):
        try:
            pat = re.compile(q[1:-1], re.IGNORECASE)
        except re.error as exc:
            raise SarkitError(f"'{q}' is not a valid pattern ({exc.msg}).") from None
        out = []
        for mt in pat.finditer(text):
            a, b = mt.span()
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b and b - a <= 400:
                out.append((a, b))
        return out
    from ..text import normalise

    return find_all(text, normalise(q))


def _line_around(text: str, a: int, b: int) -> str:
    s = text.rfind("\n", 0, a) + 1
    e = text.find("\n", b)
    return text[s : e if e != -1 else len(text)][:400]


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "unknown"
    return str(dt.timedelta(seconds=int(seconds)))


def decisions_for(items: Sequence[Item]) -> dict[str, Decision]:
    return {it.id: it.decision for it in items if it.decision is not None}
