"""What verification looks for: the values each file of a bundle must not reveal.

Gathered from the effective actions a document at a time (`CaseValues.add`): each document's redacted
values, less those the same document also shows in a kept mention; for records.pdf and records.html,
every document's values that no kept mention of the case, none of sarkit's own words and none of the
redacted documents themselves show (`values_per_file`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..decide import Effective
from .check import shown_in

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
    check (document_values) and the texts of every kept mention in the case."""

    by_doc: dict[str, list[Value]] = field(default_factory=dict)
    kept: set[str] = field(default_factory=set)

    def add(self, doc: str, effective: Sequence[Effective]) -> None:
        vals = document_values(effective)
        if vals or any(e.action != "keep" for e in effective):
            self.by_doc[doc] = vals
        self.kept.update(e.stored.proposal.mention.text for e in effective if e.action == "keep")

    def of(self, doc: str) -> list[Value]:
        """One document's values (render sweeps them: redacted wherever else they show in that document)."""
        return self.by_doc.get(doc, [])


def values_per_file(
    values: CaseValues,
    files: Mapping[str, Mapping[str, object]],
    own_words: Iterable[str] = (),
    folder: Path | None = None,
) -> tuple[dict[str, list[Value]], list[Value]]:
    """Values each file must not reveal: a document its own; records.pdf/html every document's.

    A value kept in any document of the case cannot be checked in the whole-case files, nor can one
    that sarkit's own words around the records use (the letter, the guides, the glossary, the
    authority's details, the documents' titles): "Care" or "Hope" there says nothing about anyone.
    records.pdf and records.html are made from the redacted documents in `folder`: a value that one of
    them shows (a phrase redacted in one document as a give-away, left in another where it is not) is
    that document's to answer for, checked there with that document's own values.
    """
    per_file = {f: values.by_doc.get(str(info["doc"]), []) for f, info in files.items()}
    kept = KeptIndex([*values.kept, *own_words])
    everywhere = {v for vals in values.by_doc.values() for v in vals if v[1] not in kept}
    if folder is not None:
        shown = shown_in([folder / f for f in files if (folder / f).is_file()], sorted(everywhere))
        everywhere = {v for v in everywhere if v[0] not in shown}
    whole_case = sorted(everywhere)
    for name in WHOLE_CASE_FILES:
        per_file[name] = whole_case
    return per_file, []
