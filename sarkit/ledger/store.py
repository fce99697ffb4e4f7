"""The ledger: the only state of a case, an SQLite database in CASE/.sarkit/.

Documents by content hash, proposals, decisions and audit events. WAL mode and one
committed transaction per decision, so a decision confirmed on screen survives a
SIGKILL. Re-running `propose` replaces proposals but never touches decisions.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from ..errors import SarkitError
from ..models import Decision, Document, Proposal
from .schema import (
    INSERT_PROPOSAL,
    SCHEMA,
    SCHEMA_VERSION,
    UNDECIDED,
    Placed,
    StoredDocument,
    StoredProposal,
    now,
    proposal_row,
    row_to_proposal,
)


class Store:
    """The connection, runs and events, documents, proposals and decisions: what propose, bundle and verify
    read and write. The review's own tables are steps.py's (Ledger)."""

    def __init__(self, db: sqlite3.Connection, path: Path):
        self.db = db
        self.path = path

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, state_dir: Path) -> Self:
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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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

    def replace_proposals(self, doc_id: str, items: Sequence[Placed], run: int) -> None:
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
        return [row_to_proposal(r) for r in self.db.execute(sql, args)]

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
        return row_to_proposal(r) if r else None

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

    def item_numbers(self, *, doc: str | None = None) -> dict[str, int]:
        """Each proposal's item number (of one document's proposals, with doc): the short number the review
        screen, `decisions export` and reports/schedule.csv all show for it. A proposal is numbered the first
        time numbers are asked for after it was made, after every proposal numbered before, in the order the
        case reads (document name, page, place on the page); a number never changes and is never reused."""
        with self.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO items(proposal)"
                " SELECT p.id FROM proposals p LEFT JOIN items i ON i.proposal = p.id"
                " LEFT JOIN documents d ON d.id = p.doc WHERE i.proposal IS NULL"
                " GROUP BY p.id ORDER BY MIN(d.name), p.page, p.start, p.id"
            )
        if doc is None:
            rows = self.db.execute("SELECT proposal, number FROM items")
        else:
            rows = self.db.execute(
                "SELECT i.proposal, i.number FROM items i JOIN proposals p ON p.id = i.proposal WHERE p.doc=?", (doc,)
            )
        return {r[0]: int(r[1]) for r in rows}

    def _insert_decisions(self, decisions: Sequence[Decision]) -> None:
        self.db.executemany(
            "INSERT INTO decisions(proposal, action, code, by, at, source, note) VALUES(?,?,?,?,?,?,?)",
            [(d.proposal, d.action, d.code, d.by, d.at, d.source, d.note) for d in decisions],
        )
        for d in decisions:
            self.event(d.by, "decision", proposal=d.proposal, action=d.action, code=d.code, source=d.source)

    def _insert_proposals(self, items: Sequence[Placed], run: int) -> None:
        self.db.executemany(INSERT_PROPOSAL, [proposal_row(item, run) for item in items])
