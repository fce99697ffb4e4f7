"""The review session: the logic of `sarkit review`, with no terminal code (the screen is screen.py).

Everything a reviewer decides is written to the ledger at once, one committed transaction per step,
and everything the session shows is read back from the ledger: the only things held in memory are
the cursor and the navigation history. Quitting and coming back (or a SIGKILL) resumes at the first
undecided item.

Whom a proposal is about (its person key), what accepting it decides and the person-level decisions
are sarkit.decide.people's: the same for the session, `decisions import` and `propose`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..case import Case, private_dir
from ..decide import RuleSet, decide_one, load_rules
from ..decide.people import ALL_KINDS, NOBODY, PERSON_ACTIONS, needs_decision, person_key, proposed_verdict, resolve
from ..errors import SarkitError
from ..ledger import Ledger, StoredProposal, now
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
        self._pages: dict[tuple[str, int], PageText] = {}
        self._docs: dict[str, Any] = {}
        self._history: list[str] = []
        self._started = time.monotonic()
        self._item_steps = 0
        self.current: str | None = None
        self.ledger.event(reviewer, "review-start", second_check=second_check)
        self.current = self._first_pending()

    def close(self) -> None:
        self.ledger.close()

    # ------------------------------------------------------------ reading the ledger

    def doc_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for d in self.ledger.documents():
            names.setdefault(d.id, d.name)
        return names

    def items(self) -> list[Item]:
        """Every proposal that needs a person, in document / page / offset order, with its decision in force."""
        names = self.doc_names()
        decisions = self.ledger.latest_decisions()
        out = [
            Item(sp, names.get(sp.proposal.mention.doc, sp.proposal.mention.doc), decisions.get(sp.proposal.id))
            for sp in self.ledger.proposals()
            if needs_decision(sp.proposal, self.rules)
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
        return out

    def pending(self, item: Item) -> bool:
        """Still waiting for this reviewer: undecided, or (second check) decided by someone else, unconfirmed."""
        d = item.decision
        if not self.second_check:
            return d is None
        return d is not None and d.by != self.reviewer and d.source != "second-check"

    def queue(self) -> list[Item]:
        return [it for it in self.items() if self.pending(it)]

    def _first_pending(self, after: str | None = None) -> str | None:
        items = self.items()
        ids = [it.id for it in items]
        start = ids.index(after) + 1 if after in ids else 0
        for it in items[start:] + items[:start]:
            if self.pending(it) and it.id != after:
                return it.id
        return None

    def item(self, pid: str | None = None) -> Item | None:
        pid = pid or self.current
        if pid is None:
            return None
        return next((it for it in self.items() if it.id == pid), None)

    def person_name(self, key: str, items: Iterable[Item] = ()) -> str:
        if key == NOBODY:
            return "(no one in particular)"
        if key.startswith("?"):
            texts = Counter(it.proposal.mention.text for it in items if person_key(it.proposal.mention) == key)
            return max(texts, key=lambda t: (texts[t], len(t))) if texts else key[1:]
        try:
            return self.manifest.person(key).name
        except KeyError:
            return key

    def summary(self) -> list[PersonSummary]:
        """Proposals by person: name, role, relation path, counts by kind and proposed action, what is left."""
        items = self.items()
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
        items = self.items()
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

    # ------------------------------------------------------------ navigation (memory only)

    def advance(self) -> str | None:
        """Move to the next pending item after the current one (skip): nothing is written."""
        if self.current is not None:
            self._history.append(self.current)
        self.current = self._first_pending(self.current)
        return self.current

    skip = advance

    def back(self) -> str | None:
        """Go back to the item shown before this one (decided or not), to look at it or decide it again."""
        if self._history:
            self.current = self._history.pop()
        return self.current

    def goto(self, pid: str) -> None:
        if self.current is not None and self.current != pid:
            self._history.append(self.current)
        self.current = pid

    # ------------------------------------------------------------ deciding items

    def _decision(self, p: Proposal, action: str, code: str | None, note: str = "") -> Decision:
        source = "second-check" if self.second_check else "review"
        return Decision(p.id, action, code if action == "redact" else None, self.reviewer, now(), source, note)

    def _commit_item(self, step: str, decision: Decision, **data: Any) -> None:
        self.ledger.record_step(self.reviewer, step, [decision], item=decision.proposal, **data)
        if self.second_check:
            with self.ledger.transaction():
                self.ledger.event(
                    self.reviewer,
                    "second-check",
                    proposal=decision.proposal,
                    action=decision.action,
                    code=decision.code,
                    note=decision.note,
                )
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

    def accept(self) -> Decision:
        """Accept the proposal (second check: confirm the decision in force)."""
        it = self._current_or_fail()
        if self.second_check and it.decision is not None:
            d = self._decision(it.proposal, it.decision.action, it.decision.code, "confirmed")
        else:
            act, code = proposed_verdict(it.proposal, self.rules)
            d = self._decision(it.proposal, act, code)
        self._commit_item("accept", d)
        return d

    def flip(self) -> Decision:
        """Redact ↔ keep."""
        it = self._current_or_fail()
        act, _ = self.verdict(it)
        p = it.proposal
        if act == "keep":
            d = self._decision(p, "redact", p.code or self.rules.default_code(p.mention.kind), "flipped")
        else:
            d = self._decision(p, "keep", None, "flipped")
        self._commit_item("flip", d)
        return d

    def codes(self) -> list[str]:
        return [c.code for c in self.rules.codes]

    def change_code(self, code: str) -> Decision:
        """Redact with another reason code of the rule set (reviewer-only codes included)."""
        if code not in self.codes():
            raise SarkitError(f"{self.rules.path}: the rule set has no reason code '{code}'.")
        it = self._current_or_fail()
        d = self._decision(it.proposal, "redact", code, "code changed")
        self._commit_item("code", d)
        return d

    def undo(self) -> dict[str, Any] | None:
        """Take back this reviewer's last step (a decision, a person-level decision, a widen, a manual redaction)."""
        step = self.ledger.undo_step(self.reviewer)
        if step is None:
            return None
        target = step.get("item") or next(iter(step["prior"]), None)
        if target and self.item(target) is not None and self.pending(self.item(target)):  # type: ignore[arg-type]
            self.goto(target)
        elif self.current is None or self.item(self.current) is None:
            self.current = self._first_pending()
        return step

    # ------------------------------------------------------------ pages (re-read from the cached rendering)

    def page_text(self, doc_id: str, page: int) -> PageText:
        key = (doc_id, page)
        if key not in self._pages:
            doc = self._document(doc_id)
            for pg in doc.pages:
                self._pages[(doc_id, pg.index)] = page_text(pg)
        return self._pages[key]

    def _document(self, doc_id: str) -> Any:
        if doc_id not in self._docs:
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
            self._docs[doc_id] = self._reader(
                self.case.documents_dir / name, name, self.case.cache, dict(self.manifest.passwords).get(name)
            )
        return self._docs[doc_id]

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

    # ------------------------------------------------------------ widen / shrink / manual

    def widen(self) -> Proposal:
        """Redact the whole sentence around the current span: a new proposal (detector manual.widen), decided
        redact; the original is decided redact with a note naming it."""
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
        self._item_steps += 1
        self.advance()
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
        if original:
            self.goto(original)
        return True

    def manual(self, text: str, kind: str | None = None, code: str | None = None) -> list[Proposal]:
        """Redact every word-bounded occurrence of `text` on the current item's page (the detector missed it)."""
        it = self._current_or_fail()
        m = it.proposal.mention
        kind = kind or m.kind
        code = code or self.rules.default_code(kind)
        pt = self.page_text(m.doc, m.page)
        spans = find_all(pt.text, text)
        if not spans:
            raise SarkitError(f"{it.document}, page {m.page + 1}: the text typed does not appear on this page.")
        new, decisions = [], []
        for a, b in spans:
            mm = Mention(m.doc, m.page, a, b, pt.text[a:b], kind, None, "manual", via="manual")
            pid = _manual_id("manual", mm)
            p = Proposal(
                pid,
                mm,
                "redact",
                code,
                self.rules.code(code).basis,
                "manual",
                f"Added by {self.reviewer}: the detector missed it.",
                (),
            )
            new.append((p, self._rects(pt, a, b), _line_around(pt.text, a, b)))
            decisions.append(Decision(pid, "redact", code, self.reviewer, now(), "manual", "manual redaction"))
        self.ledger.record_step(self.reviewer, "manual", decisions, new_proposals=new, page=m.page, doc=m.doc)
        return [p for p, _, _ in new]

    # ------------------------------------------------------------ person-level decisions

    def decide_person(self, key: str, kind: str, action: str, code: str | None = None) -> int:
        """Decide every item of a person and kind ('*' for every kind) that no one decided item by item, and
        keep the rule so that later proposals for the same person and kind get it too. One transaction."""
        if action not in PERSON_ACTIONS:
            raise SarkitError(f"'{action}' is not a person-level action (one of {', '.join(PERSON_ACTIONS)}).")
        if kind != ALL_KINDS and kind not in KINDS:
            raise SarkitError(f"'{kind}' is not a kind of information (one of {', '.join(KINDS)}).")
        if code is not None and code not in self.codes():
            raise SarkitError(f"{self.rules.path}: the rule set has no reason code '{code}'.")
        at = now()
        decisions = []
        for it in self.items():
            p = it.proposal
            if person_key(p.mention) != key or kind not in (ALL_KINDS, p.mention.kind):
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
                act, c = resolve(p, action, code, self.rules)
                decisions.append(Decision(p.id, act, c, self.reviewer, at, "person-rule", f"{key} {kind} {action}"))
        rule = None if self.second_check else (key, kind, action, code)
        self.ledger.record_step(
            self.reviewer, "person", decisions, person_rule=rule, person=key, kind=kind, action=action, code=code
        )
        cur = self.item(self.current) if self.current else None
        if cur is None or not self.pending(cur):
            self.current = self._first_pending(self.current)
        return len(decisions)

    # ------------------------------------------------------------ the register

    def add_to_register(self, key: str, role: str, name: str | None = None) -> str:
        """Write an unregistered person into case.yaml, then re-decide their proposals with the rule set.

        Returns the new register id. The old proposals are retired; new ones (about the registered person)
        take their place, undecided.
        """
        if not key.startswith("?"):
            raise SarkitError(f"{self.case.manifest}: this person is already in the register.")
        if role not in ALL_ROLES or role == "subject":
            raise SarkitError(
                f"{self.case.manifest}: '{role}' is not a role of the register (see spec/case-folder.md)."
            )
        old = [it for it in self.items() if person_key(it.proposal.mention) == key]
        texts = sorted({it.proposal.mention.text for it in old}, key=len, reverse=True)
        name = (name or _strip_title(texts[0] if texts else key[1:])).strip()
        pid = _unique_id(_slug(name) or "person", {p.id for p in self.manifest.people})
        aliases = [t for t in dict.fromkeys(" ".join(t.split()) for t in texts) if t != name][:8]
        entry: dict[str, Any] = {"id": pid, "name": name, "role": role}
        if aliases:
            entry["aliases"] = aliases
        add_person(self.case.manifest, entry)
        self.manifest = load_manifest(self.case.manifest)
        new = []
        for it in old:
            mm = replace(it.proposal.mention, person=pid, unregistered=None, via="register")
            new.append((decide_one(mm, self.manifest, self.rules), it.stored.rects, it.stored.context))
        self.ledger.record_step(
            self.reviewer, "add-person", [], new_proposals=new, retire=[it.id for it in old], person=pid, role=role
        )
        if self.current is None or self.item(self.current) is None:
            self.current = self._first_pending()
        return pid


# ---------------------------------------------------------------- helpers (plain text)


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
