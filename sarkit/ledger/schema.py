"""The ledger's tables, and how a row becomes the typed data the stages use (and back)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Mention, Proposal

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
CREATE TABLE IF NOT EXISTS items(         -- the readable item number of each proposal: 1, 2, 3 ... in a case
    number INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, never changed once given
    proposal TEXT NOT NULL UNIQUE
);
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


def row_to_proposal(r: sqlite3.Row) -> StoredProposal:
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


Placed = tuple[Proposal, Sequence[tuple[float, float, float, float]], str]  # a proposal, its boxes, its context line
INSERT_PROPOSAL = (
    'INSERT OR REPLACE INTO proposals(id, doc, page, start, "end", text, kind, person, unregistered,'
    " detector, qualifier, via, action, code, basis, rule, why, path, rects, context, stale, run)"
    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?)"
)


def proposal_row(item: Placed, run: int) -> tuple[object, ...]:
    p, rects, context = item
    m = p.mention
    return (
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
