"""What verification looks for: the values each file of a bundle must not reveal.

Gathered from the effective actions a document at a time (`CaseValues.add`): each document's redacted
values, less those the same document also shows in a kept mention; for records.pdf and records.html,
every document's values that no kept mention of the case and none of sarkit's own words show, whatever
the documents show (`values_per_file`). Every file is also checked for the register's protected forms
(`CaseValues.register`, sarkit.verify.protected), less those a kept mention shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..decide import Effective

Value = tuple[str, str]  # (proposal id, the redacted text)
WHOLE_CASE_FILES = ("records.pdf", "records.html")

_TOKENS = re.compile(r"\w+")
_MAX_NGRAM = 12


class KeptIndex:
    """Word sequences shown by kept mentions: a redacted value found among them cannot be checked as text.

    Matching is on whole words, ignoring case and punctuation (so "Doe" is inside the kept "Jane Doe").
    """

    def __init__(self, kept: Iterable[str]):
        self._grams: set[tuple[str, ...]] = set()
        for text in kept:
            toks = _TOKENS.findall(text.casefold())
            for i in range(len(toks)):
                for j in range(i + 1, min(len(toks), i + _MAX_NGRAM) + 1):
                    self._grams.add(tuple(toks[i:j]))

    def __contains__(self, value: str) -> bool:
        return tuple(_TOKENS.findall(value.casefold())) in self._grams


def document_values(effective: Iterable[Effective]) -> list[Value]:
    """(proposal id, text) of every value redacted in one document that must not be recoverable from it.

    A value that the same document also shows in a kept mention (a surname shared with
    the subject, say) cannot be checked as text and is left out.
    """
    kept: list[str] = []
    redacted: list[Value] = []
    for e in effective:
        m = e.stored.proposal.mention
        if e.action == "keep":
            kept.append(m.text)
        else:
            redacted.append((e.stored.proposal.id, " ".join(m.text.split())))
    index = KeptIndex(kept)
    seen: set[str] = set()
    out = []
    for pid, v in redacted:
        if v.strip() and v not in seen and v not in index:
            seen.add(v)
            out.append((pid, v))
    return out


@dataclass
class CaseValues:
    """What verification needs of the ledger, gathered a document at a time: each document's values to
    check (document_values), the texts of every kept mention in the case and of each document, and the
    register's protected forms (sarkit.verify.protected.register_values, set by the caller)."""

    by_doc: dict[str, list[Value]] = field(default_factory=dict)
    kept: set[str] = field(default_factory=set)
    kept_by_doc: dict[str, list[str]] = field(default_factory=dict)
    register: list[Value] = field(default_factory=list)
    statements: set[str] = field(default_factory=set)  # ids of the values that are what is said of someone

    def add(self, doc: str, effective: Sequence[Effective]) -> None:
        vals = document_values(effective)
        self.statements.update(
            e.stored.proposal.id
            for e in effective
            if e.action != "keep" and e.stored.proposal.mention.kind == "sensitive"
        )
        if vals or any(e.action != "keep" for e in effective):
            self.by_doc[doc] = vals
        kept = sorted({e.stored.proposal.mention.text for e in effective if e.action == "keep"})
        self.kept.update(kept)
        if kept:
            self.kept_by_doc[doc] = kept

    def of(self, doc: str) -> list[Value]:
        """One document's values (render sweeps them: redacted wherever else they show in that document)."""
        return self.by_doc.get(doc, [])


def _register_for(register: Sequence[Value], kept: KeptIndex) -> list[Value]:
    """The register's protected forms that no kept text shows (a reviewer kept it there)."""
    return [(k, v) for k, v in register if v not in kept]


def values_per_file(
    values: CaseValues,
    files: Mapping[str, Mapping[str, object]],
    own_words: Sequence[str] = (),
    titles: int = 0,
) -> tuple[dict[str, list[Value]], list[Value]]:
    """Values each file must not reveal: a document its own, and the register's forms its kept mentions do not
    show; records.pdf/html every document's values, and the register's forms no kept mention of the case shows.

    A value kept in any document of the case cannot be checked in the whole-case files, nor can one
    that sarkit's own words around the records use (the letter, the guides, the glossary, the
    authority's details, the documents' titles: the last `titles` of own_words): "Care" or "Hope" there
    says nothing about anyone. The register's forms are excused by sarkit's words but not by the titles (a
    name in a file name is a leak in records.pdf's contents as anywhere else). No value is excused in the
    records because a document shows it ("one leak hides others"): the bundle leaves that document out
    of the records instead (sarkit.verify.check.records_offenders). What is said of someone (a value of kind
    "sensitive": "was seen" in "Ben was seen") is withheld for its place in its document, not as words: it is
    checked in its own document, not looked for across the records, where "Jane was seen at home" in another
    document says it of no one withheld.
    """
    per_file: dict[str, list[Value]] = {}
    for f, info in files.items():
        doc = str(info["doc"])
        reg = _register_for(values.register, KeptIndex(values.kept_by_doc.get(doc, ())))
        per_file[f] = [*values.by_doc.get(doc, []), *reg]
    kept = KeptIndex([*values.kept, *own_words])
    everywhere = {
        v for vals in values.by_doc.values() for v in vals if v[1] not in kept and v[0] not in values.statements
    }
    reg = _register_for(values.register, KeptIndex([*values.kept, *own_words[: len(own_words) - titles]]))
    whole_case = sorted(everywhere) + reg
    for name in WHOLE_CASE_FILES:
        per_file[name] = whole_case
    return per_file, []
