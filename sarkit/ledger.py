"""The ledger: the only state of a case, an SQLite database in CASE/.sarkit/.

Documents by content hash, proposals, decisions and audit events. WAL mode and one
committed transaction per decision, so a decision confirmed on screen survives a
SIGKILL. Re-running `propose` replaces proposals but never touches decisions.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CaseLockedError, ExitCode, SarkitError
from .models import Decision, Document, Mention, Proposal

SCHEMA_VERSION = 1
UNDECIDED = "undecided"  # a decision row with this action takes back the decision before it (undo)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents(
    name TEXT PRIMARY KEY,          -- path relative to documents/
    id TEXT NOT NULL,               -- sha256 of the file's bytes
    kind TEXT, pages INTEGER, pdf TEXT, title TEXT, date TEXT,
    scanned TEXT NOT NULL DEFAULT '[]',  -- JSON list of zero-based pages that are scans
    status TEXT NOT NULL,           -- read | failed
    error TEXT,                     -- one sentence when failed
    run INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_id ON documents(id);
CREATE TABLE IF NOT EXISTS proposals(
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL, page INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL, kind TEXT NOT NULL, person TEXT, unregistered TEXT,
    detector TEXT NOT NULL, qualifier TEXT NOT NULL, via TEXT NOT NULL,
    action TEXT NOT NULL, code TEXT, basis TEXT NOT NULL, rule TEXT NOT NULL, why TEXT NOT NULL,
    path TEXT NOT NULL, rects TEXT NOT NULL, context TEXT NOT NULL DEFAULT '',
    stale INTEGER NOT NULL DEFAULT 0, run INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS proposals_doc ON proposals(doc, page);
CREATE TABLE IF NOT EXISTS decisions(
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal TEXT NOT NULL, action TEXT NOT NULL, code TEXT,
    by TEXT NOT NULL, at TEXT NOT NULL, source TEXT NOT NULL, note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS decisions_proposal ON decisions(proposal);
CREATE TABLE IF NOT EXISTS events(
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL, actor TEXT NOT NULL, event TEXT NOT NULL, data TEXT NOT NULL
);
"""


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class StoredProposal:
    proposal: Proposal
    rects: tuple[tuple[float, float, float, float], ...]
    context: str
    stale: bool


@dataclass(frozen=True, slots=True)
class StoredDocument:
    name: str
    id: str
    kind: str | None
    pages: int | None
    pdf: str | None
    title: str | None
    date: str | None
    scanned: str
    status: str
    error: str | None


class Ledger:
    def __init__(self, db: sqlite3.Connection, path: Path):
        self.db = db
        self.path = path

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, state_dir: Path) -> Ledger:
        state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = state_dir / "ledger.sqlite"
        try:
            db = sqlite3.connect(path, timeout=10, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            db.executescript(SCHEMA)
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta(key, value) VALUES('schema', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) > SCHEMA_VERSION:
                raise SarkitError(f"{path} was written by a newer sarkit (ledger schema {row[0]}); upgrade sarkit.")
        except sqlite3.DatabaseError as exc:
            raise SarkitError(f"{path} is not a readable sarkit ledger ({exc.__class__.__name__}).") from None
        db.row_factory = sqlite3.Row
        os.chmod(path, 0o600)
        return cls(db, path)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # ------------------------------------------------------------ runs and events

    def next_run(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key='run'").fetchone()
        run = int(row[0]) + 1 if row else 1
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES('run', ?)", (str(run),))
        return run

    def event(self, actor: str, event: str, **data: Any) -> None:
        self.db.execute(
            "INSERT INTO events(at, actor, event, data) VALUES(?,?,?,?)",
            (now(), actor, event, json.dumps(data, sort_keys=True, default=str)),
        )

    def events(self) -> list[dict[str, Any]]:
        return [
            {"seq": r["seq"], "at": r["at"], "actor": r["actor"], "event": r["event"], **json.loads(r["data"])}
            for r in self.db.execute("SELECT * FROM events ORDER BY seq")
        ]

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", (key, value))

    # ------------------------------------------------------------ documents

    def record_document(self, doc: Document, run: int) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO documents(name, id, kind, pages, pdf, title, date, scanned, status, error, run)"
            " VALUES(?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc.name,
                doc.id,
                doc.kind,
                len(doc.pages),
                str(doc.pdf),
                doc.title,
                doc.date.isoformat() if doc.date else None,
                json.dumps([p.index for p in doc.pages if p.scanned]),
                "read",
                None,
                run,
            ),
        )

    def record_failure(self, name: str, digest: str, reason: str, run: int) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO documents(name, id, kind, pages, pdf, title, date, status, error, run)"
            " VALUES(?,?,NULL,NULL,NULL,NULL,NULL,'failed',?,?)",
            (name, digest, reason, run),
        )

    def forget_documents_except(self, names: Iterable[str]) -> None:
        keep = set(names)
        for (name,) in self.db.execute("SELECT name FROM documents").fetchall():
            if name not in keep:
                self.db.execute("DELETE FROM documents WHERE name=?", (name,))
        # proposals of documents that are gone (or changed) stay, with their decisions, but no longer count
        self.db.execute("UPDATE proposals SET stale=1 WHERE doc NOT IN (SELECT id FROM documents WHERE status='read')")

    def documents(self) -> list[StoredDocument]:
        return [
            StoredDocument(**{k: r[k] for k in r.keys() if k != "run"})
            for r in self.db.execute("SELECT * FROM documents ORDER BY name")
        ]

    # ------------------------------------------------------------ proposals

    def replace_proposals(
        self, doc_id: str, items: Sequence[tuple[Proposal, Sequence[tuple[float, float, float, float]], str]], run: int
    ) -> None:
        """Store this run's proposals for a document; earlier ones that were not found again become stale.

        Decisions are never touched: a decision on a proposal that comes back keeps applying.
        """
        self.db.execute("UPDATE proposals SET stale=1 WHERE doc=? AND detector NOT LIKE 'manual%'", (doc_id,))
        self._insert_proposals(items, run)

    def proposals(
        self,
        *,
        include_stale: bool = False,
        doc: str | None = None,
        kinds: Sequence[str] | None = None,
        person: str | None = None,
    ) -> list[StoredProposal]:
        """The proposals (of one document, of some kinds of information, of one person), in reading order."""
        sql = "SELECT * FROM proposals"
        cond: list[str] = []
        args: list[Any] = []
        if not include_stale:
            cond.append("stale=0")
        if doc is not None:
            cond.append("doc=?")
            args.append(doc)
        if kinds is not None:
            cond.append(f"kind IN ({','.join('?' * len(kinds))})")
            args.extend(kinds)
        if person is not None:
            cond.append("person=?")
            args.append(person)
        if cond:
            sql += " WHERE " + " AND ".join(cond)
        sql += ' ORDER BY doc, page, start, "end", id'
        return [_row_to_proposal(r) for r in self.db.execute(sql, args)]

    def proposal_counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Current proposals by action and by reason code."""
        by_action = dict(self.db.execute("SELECT action, COUNT(*) FROM proposals WHERE stale=0 GROUP BY action"))
        by_code = dict(
            self.db.execute(
                "SELECT code, COUNT(*) FROM proposals"
                " WHERE stale=0 AND code IS NOT NULL AND action != 'keep' GROUP BY code"
            )
        )
        return by_action, by_code

    def update_proposals(self, changed: Iterable[Proposal]) -> None:
        """Change what earlier stages proposed (a case-wide pass); decisions are not touched."""
        self.db.executemany(
            "UPDATE proposals SET action=?, code=?, basis=?, rule=?, why=? WHERE id=?",
            [(p.action, p.code, p.basis, p.rule, p.why, p.id) for p in changed],
        )

    def proposal(self, pid: str) -> StoredProposal | None:
        r = self.db.execute("SELECT * FROM proposals WHERE id=?", (pid,)).fetchone()
        return _row_to_proposal(r) if r else None

    # ------------------------------------------------------------ decisions

    def decide(self, d: Decision) -> None:
        """One decision, one committed transaction."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO decisions(proposal, action, code, by, at, source, note) VALUES(?,?,?,?,?,?,?)",
                (d.proposal, d.action, d.code, d.by, d.at, d.source, d.note),
            )
            self.event(d.by, "decision", proposal=d.proposal, action=d.action, code=d.code, source=d.source)

    def latest_decisions(self, *, doc: str | None = None) -> dict[str, Decision]:
        """The decision in force for each proposal (of one document's proposals, with doc): the latest one;
        an 'undecided' row (an undo) clears it."""
        out: dict[str, Decision] = {}
        if doc is None:
            rows = self.db.execute("SELECT * FROM decisions ORDER BY seq")
        else:
            rows = self.db.execute(
                "SELECT d.* FROM decisions d JOIN proposals p ON p.id = d.proposal WHERE p.doc=? ORDER BY d.seq",
                (doc,),
            )
        for r in rows:
            if r["action"] == UNDECIDED:
                out.pop(r["proposal"], None)
                continue
            out[r["proposal"]] = Decision(
                r["proposal"], r["action"], r["code"], r["by"], r["at"], r["source"], r["note"]
            )
        return out

    # ------------------------------------------------------------ review (sarkit.review owns this block)

    REVIEW_SCHEMA = """
    CREATE TABLE IF NOT EXISTS person_rules(
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        person TEXT NOT NULL,           -- register id, '?'+unregistered key, or '-'
        kind TEXT NOT NULL,             -- name | contact | identifier | sensitive | '*' (every kind)
        action TEXT NOT NULL,           -- accept | keep | redact
        code TEXT, by TEXT NOT NULL, at TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE IF NOT EXISTS review_steps(
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        reviewer TEXT NOT NULL, at TEXT NOT NULL, step TEXT NOT NULL,
        data TEXT NOT NULL,             -- JSON: what undo needs (prior decisions, new/retired proposals, rule)
        undone INTEGER NOT NULL DEFAULT 0
    );
    """

    def ensure_review_schema(self) -> None:
        self.db.executescript(self.REVIEW_SCHEMA)

    def _prior_decision(self, pid: str) -> dict[str, Any] | None:
        r = self.db.execute("SELECT * FROM decisions WHERE proposal=? ORDER BY seq DESC LIMIT 1", (pid,)).fetchone()
        if r is None or r["action"] == UNDECIDED:
            return None
        return {k: r[k] for k in ("action", "code", "by", "at", "source", "note")}

    def _insert_decisions(self, decisions: Sequence[Decision]) -> None:
        self.db.executemany(
            "INSERT INTO decisions(proposal, action, code, by, at, source, note) VALUES(?,?,?,?,?,?,?)",
            [(d.proposal, d.action, d.code, d.by, d.at, d.source, d.note) for d in decisions],
        )
        for d in decisions:
            self.event(d.by, "decision", proposal=d.proposal, action=d.action, code=d.code, source=d.source)

    def _insert_proposals(
        self, items: Sequence[tuple[Proposal, Sequence[tuple[float, float, float, float]], str]], run: int
    ) -> None:
        self.db.executemany(
            'INSERT OR REPLACE INTO proposals(id, doc, page, start, "end", text, kind, person, unregistered,'
            " detector, qualifier, via, action, code, basis, rule, why, path, rects, context, stale, run)"
            " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?)",
            [
                (
                    p.id,
                    m.doc,
                    m.page,
                    m.start,
                    m.end,
                    m.text,
                    m.kind,
                    m.person,
                    m.unregistered,
                    m.detector,
                    m.qualifier,
                    m.via,
                    p.action,
                    p.code,
                    p.basis,
                    p.rule,
                    p.why,
                    json.dumps(p.path),
                    json.dumps([list(r) for r in rects]),
                    context,
                    run,
                )
                for p, rects, context in items
                for m in [p.mention]
            ],
        )

    def decide_many(self, decisions: Sequence[Decision], *, actor: str, event: str, **data: Any) -> None:
        """Many decisions (a person-level decision, an import) in ONE committed transaction, with one audit event."""
        with self.transaction():
            self._insert_decisions(decisions)
            self.event(actor, event, decisions=len(decisions), **data)

    def record_step(
        self,
        reviewer: str,
        step: str,
        decisions: Sequence[Decision] = (),
        *,
        new_proposals: Sequence[tuple[Proposal, Sequence[tuple[float, float, float, float]], str]] = (),
        retire: Sequence[str] = (),
        person_rule: tuple[str, str, str, str | None] | None = None,
        **data: Any,
    ) -> int:
        """One review step in ONE committed transaction, recorded with what `undo_step` needs to take it back.

        `person_rule` is (person key, kind, action, code); `retire` marks proposals stale (a shrunk span, a
        person re-decided after being added to the register); `new_proposals` are stored without touching others.
        """
        with self.transaction() as db:
            prior = {d.proposal: self._prior_decision(d.proposal) for d in decisions}
            rule_seq = None
            if person_rule is not None:
                cur = db.execute(
                    "INSERT INTO person_rules(person, kind, action, code, by, at) VALUES(?,?,?,?,?,?)",
                    (*person_rule, reviewer, now()),
                )
                rule_seq = cur.lastrowid
            if new_proposals:
                run_row = db.execute("SELECT value FROM meta WHERE key='run'").fetchone()
                self._insert_proposals(new_proposals, int(run_row[0]) if run_row else 0)
            for pid in retire:
                db.execute("UPDATE proposals SET stale=1 WHERE id=?", (pid,))
            self._insert_decisions(decisions)
            payload = {
                "prior": prior,
                "new": [p.id for p, _, _ in new_proposals],
                "retired": list(retire),
                "rule": rule_seq,
                **data,
            }
            cur = db.execute(
                "INSERT INTO review_steps(reviewer, at, step, data) VALUES(?,?,?,?)",
                (reviewer, now(), step, json.dumps(payload, sort_keys=True, default=str)),
            )
            self.event(
                reviewer,
                "review-" + step,
                decisions=len(decisions),
                step=cur.lastrowid,
                **{k: v for k, v in data.items() if k in ("person", "kind", "action", "code", "role")},
            )
            return int(cur.lastrowid or 0)

    def last_step(self, reviewer: str) -> dict[str, Any] | None:
        r = self.db.execute(
            "SELECT * FROM review_steps WHERE reviewer=? AND undone=0 ORDER BY seq DESC LIMIT 1", (reviewer,)
        ).fetchone()
        if r is None:
            return None
        return {"seq": r["seq"], "at": r["at"], "step": r["step"], **json.loads(r["data"])}

    def undo_step(self, reviewer: str) -> dict[str, Any] | None:
        """Take back this reviewer's last step in ONE transaction: each decision it made is replaced by the one
        in force before it (or 'undecided'), proposals it created are retired, ones it retired come back."""
        with self.transaction() as db:
            step = self.last_step(reviewer)
            if step is None:
                return None
            at = now()
            rows = []
            for pid, prev in step["prior"].items():
                if prev is None:
                    rows.append(Decision(pid, UNDECIDED, None, reviewer, at, "undo"))
                else:
                    rows.append(
                        Decision(
                            pid, prev["action"], prev["code"], prev["by"], prev["at"], prev["source"], prev["note"]
                        )
                    )
            self._insert_decisions(rows)
            for pid in step["new"]:
                db.execute("UPDATE proposals SET stale=1 WHERE id=?", (pid,))
            for pid in step["retired"]:
                db.execute("UPDATE proposals SET stale=0 WHERE id=?", (pid,))
            if step["rule"] is not None:
                db.execute("UPDATE person_rules SET active=0 WHERE seq=?", (step["rule"],))
            db.execute("UPDATE review_steps SET undone=1 WHERE seq=?", (step["seq"],))
            self.event(reviewer, "review-undo", step=step["seq"], what=step["step"], decisions=len(rows))
            return step

    def person_rules(self) -> list[dict[str, Any]]:
        """Active person-level decisions, newest first."""
        return [dict(r) for r in self.db.execute("SELECT * FROM person_rules WHERE active=1 ORDER BY seq DESC")]

    def review_steps(self, reviewer: str | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM review_steps", []
        if reviewer is not None:
            sql += " WHERE reviewer=?"
            args.append(reviewer)
        return [
            {
                "seq": r["seq"],
                "reviewer": r["reviewer"],
                "at": r["at"],
                "step": r["step"],
                "undone": r["undone"],
                **json.loads(r["data"]),
            }
            for r in self.db.execute(sql + " ORDER BY seq", args)
        ]


def _row_to_proposal(r: sqlite3.Row) -> StoredProposal:
    m = Mention(
        r["doc"],
        r["page"],
        r["start"],
        r["end"],
        r["text"],
        r["kind"],
        r["person"],
        r["detector"],
        r["unregistered"],
        r["qualifier"],
        r["via"],
    )
    p = Proposal(r["id"], m, r["action"], r["code"], r["basis"], r["rule"], r["why"], tuple(json.loads(r["path"])))
    rects = tuple(tuple(x) for x in json.loads(r["rects"]))
    return StoredProposal(p, rects, r["context"], bool(r["stale"]))  # type: ignore[arg-type]


@contextmanager
def case_lock(state_dir: Path, what: str) -> Iterator[None]:
    """Only one sarkit process works on a case at a time; the second gets a clear sentence."""
    state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(state_dir / "lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CaseLockedError(
                f"{state_dir.parent} is in use by another sarkit process; wait for it to finish and run {what} again.",
                ExitCode.BAD_INPUT,
            ) from None
        yield
    finally:
        os.close(fd)
