"""Typed data that flows between the pipeline stages.

One coordinate system: PDF points, zero-based page numbers. Every document,
whatever its source format, is read as a PDF (a DOCX is first rendered to one),
so a span of page text maps straight to word boxes on the page that is redacted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .frozen import quick_init
from .roles import GROUP_OF_ROLE, ROLE_PRONOUNS

# ---------------------------------------------------------------- the case


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    role: str
    of: str | None = None  # id of the person this role is relative to; None = the subject
    aliases: tuple[str, ...] = ()
    known: bool = False
    consent: str = "none"  # none | given | refused
    referrer: bool = False
    deceased: bool = False
    risk: bool = False
    withheld: tuple[str, ...] = ()
    pronouns: str | None = None  # she | he | they | None (unknown)
    born: dt.date | None = None
    line: int = 0  # line of case.yaml where this person starts

    @property
    def group(self) -> str:
        return GROUP_OF_ROLE[self.role]

    @property
    def effective_pronouns(self) -> str | None:
        return self.pronouns or ROLE_PRONOUNS.get(self.role)


@dataclass(frozen=True, slots=True)
class Manifest:
    path: Path
    version: int
    reference: str
    received: dt.date
    rules: str
    people: tuple[Person, ...]
    # per-document passwords for encrypted PDFs, keyed by path relative to documents/
    passwords: tuple[tuple[str, str], ...] = ()
    requester: str | None = None  # name to address the cover letter to (default: the subject)

    @property
    def subject(self) -> Person:
        return next(p for p in self.people if p.role == "subject")

    def person(self, pid: str) -> Person:
        for p in self.people:
            if p.id == pid:
                return p
        raise KeyError(pid)

    def relation_path(self, pid: str) -> tuple[str, ...]:
        """Roles from the subject to this person, e.g. ('subject', 'sibling', 'adoptive-parent')."""
        chain: list[str] = []
        seen: set[str] = set()
        cur: Person | None = self.person(pid)
        while cur is not None and cur.id not in seen and cur.role != "subject":
            seen.add(cur.id)
            chain.append(cur.role)
            cur = self.person(cur.of) if cur.of else None
        return ("subject", *reversed(chain))


# ---------------------------------------------------------------- ingest


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    block: int  # block number on the page (a paragraph, a table cell)
    line: int  # line number within the page, increasing in reading order
    ocr: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    index: int  # zero-based
    width: float
    height: float
    words: tuple[Word, ...]
    scanned: bool = False  # the page content is an image (OCR words)


@dataclass(frozen=True, slots=True)
class Document:
    id: str  # sha256 of the source file's bytes
    name: str  # path relative to CASE/documents, with forward slashes
    kind: str  # pdf | docx | image
    pages: tuple[Page, ...]
    pdf: Path  # the PDF that render redacts: the source itself for a PDF, a rendering for DOCX/images
    title: str = ""  # a title for the contents list (from the file name, never from metadata)
    date: dt.date | None = None

    @property
    def output_name(self) -> str:
        """bundle/documents/NAME: a PDF keeps its name, anything else gets .pdf added."""
        return self.name if self.name.lower().endswith(".pdf") else self.name + ".pdf"


@dataclass(frozen=True, slots=True)
class DocumentFailure:
    name: str
    reason: str  # one sentence, naming the file (and page); never document text


# ---------------------------------------------------------------- detect

KINDS = ("name", "contact", "identifier", "sensitive")


@quick_init  # built for each mention found: a quicker __init__ (sarkit.frozen)
@dataclass(frozen=True, slots=True)
class Mention:
    doc: str  # Document.id
    page: int
    start: int  # character offsets in the page text (sarkit.text.PageText)
    end: int
    text: str
    kind: str  # name | contact | identifier | sensitive
    person: str | None  # register id, or None when attributed to no registered person
    detector: str  # e.g. "name.full", "name.initials", "kinship", "id.phone", "id.nhs"
    unregistered: str | None = None  # grouping key of an unregistered person's name
    qualifier: str = ""  # extra facts for the rules: "withheld", "work", "personal"
    via: str = ""  # how the person was attributed: "named", "alias", "kinship", "same line", ...
    candidates: tuple[str, ...] = ()  # register ids the text could refer to, when more than one (a shared surname)


# ---------------------------------------------------------------- decide


ACTIONS = ("keep", "redact", "review")


@dataclass(frozen=True, slots=True)
class Proposal:
    id: str  # stable: the same mention in the same document always gets the same id
    mention: Mention
    action: str  # keep | redact | review
    code: str | None  # reason code when not kept (TP, TPS, CS, ...)
    basis: str  # legal basis of the code ("" when kept)
    rule: str  # id of the rule that decided
    why: str  # one line, for the reviewer and the schedule
    path: tuple[str, ...] = ()  # relation path from the subject, e.g. ("subject", "sibling", "adoptive-parent")


@dataclass(frozen=True, slots=True)
class Decision:
    proposal: str  # Proposal.id
    action: str  # keep | redact
    code: str | None
    by: str
    at: str  # ISO 8601 UTC
    source: str  # review | accept-all | import | manual
    note: str = ""


@dataclass(frozen=True, slots=True)
class Redaction:
    """One area to remove from an output page."""

    page: int
    rects: tuple[tuple[float, float, float, float], ...]
    code: str
    proposal: str


# ---------------------------------------------------------------- verify


@dataclass(frozen=True, slots=True)
class Leak:
    file: str  # path relative to bundle/
    page: int | None  # zero-based page, None for document-level places (metadata, attachments)
    where: str  # text | metadata | annotation | bookmark | attachment | form | xmp | hidden | overlay
    proposal: str  # proposal id whose value leaked (never the value itself)
    extractor: str = ""


@dataclass(frozen=True, slots=True)
class LeakReport:
    files: int
    values: int
    leaks: tuple[Leak, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.leaks
