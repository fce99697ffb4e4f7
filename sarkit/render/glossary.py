"""The glossary of care terms: loading the shipped data file and finding terms in text.

Plain Python (no PDF library): the records renderer feeds it the text of the redacted documents.
A variant matches on word boundaries; a space or hyphen inside a variant matches any run of spaces and
hyphens. Abbreviations (two or more capitals, no small letters) match only as written, other variants in
any case, unless the entry says `case: sensitive` or `case: insensitive`.

A term with several senses is resolved by the words around it and by the document it is in: each sense
scores PHRASE_WEIGHT for each of its phrases that holds the match ("have contact", "date of contact"),
one for each of its context words near the match, and TITLE_WEIGHT when the document's title has one of
its document words ("MASH"); the highest score wins, and the first sense is the default. Every sense has a
label, shown with the term in the headings ("Contact (family time)").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import SarkitError
from ..resources import rules_dirs, shipped_rules_dir

CONTEXT_WINDOW = 300  # characters either side of a match searched for context words
PHRASE_WEIGHT = 3.0  # a phrase around the match ("have contact") says most
TITLE_WEIGHT = 1.5  # the document's title ("MASH Contact") says more than one word nearby


def glossary_path() -> Path:
    """glossary.yaml: the authority's own ($SARKIT_RULES) if it has one, else the shipped one."""
    return next(
        (d / "glossary.yaml" for d in rules_dirs() if (d / "glossary.yaml").is_file()),
        shipped_rules_dir() / "glossary.yaml",
    )


@dataclass(frozen=True, slots=True)
class Sense:
    meaning: str
    context: tuple[str, ...] = ()
    label: str = ""  # a few words that tell this sense from the others: "family time"
    phrases: tuple[str, ...] = ()  # phrases that hold the term and mean this sense: "have contact"
    documents: tuple[str, ...] = ()  # words of a document's title that point to this sense: "MASH"


@dataclass(frozen=True, slots=True)
class Term:
    key: str  # stable slug, used for anchors: "cla-lac"
    term: str  # heading shown in the glossary
    variants: tuple[str, ...]
    senses: tuple[Sense, ...]
    case: str = "auto"


@dataclass(frozen=True, slots=True)
class Hit:
    """One match of a term in a text: character span and the sense chosen."""

    term: Term
    sense: int
    start: int
    end: int

    @property
    def meaning(self) -> str:
        return self.term.senses[self.sense].meaning

    @property
    def entry(self) -> tuple[str, int]:
        return (self.term.key, self.sense)

    @property
    def heading(self) -> str:
        return heading(self.term, self.sense)


def heading(term: Term, sense: int) -> str:
    """How an entry is headed: the term, and the sense's label when the term has several senses."""
    if len(term.senses) < 2:
        return term.term
    return f"{term.term} ({term.senses[sense].label or f'meaning {sense + 1}'})"


_WORD = re.compile(r"\w+")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "term"


def _is_abbreviation(variant: str) -> bool:
    letters = [c for c in variant if c.isalpha()]
    return sum(c.isupper() for c in letters) >= 2 and not any(c.islower() for c in letters)


def _variant_pattern(variant: str) -> str:
    parts = re.split(r"[\s\-]+", variant.strip())
    return r"[\s\-]+".join(re.escape(p) for p in parts if p)


def _word_pattern(words: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + _variant_pattern(words) + r"(?!\w)", re.IGNORECASE)


def _compile(term: Term) -> list[re.Pattern[str]]:
    out = []
    for v in term.variants:
        sensitive = term.case == "sensitive" or (term.case == "auto" and _is_abbreviation(v))
        flags = 0 if sensitive else re.IGNORECASE
        out.append(re.compile(r"(?<![\w&+])" + _variant_pattern(v) + r"(?![\w&+]|-\w)", flags))
    return out


class Glossary:
    """The terms, with compiled patterns."""

    def __init__(self, terms: Sequence[Term]):
        self.terms = tuple(terms)
        self._patterns = [(t, _compile(t)) for t in self.terms]
        # a cheap prefilter: a term can only occur in a text that has the first word of one of its variants
        self._first_words = [
            {m.group(0) for v in t.variants for m in [_WORD.search(v.casefold())] if m} for t in self.terms
        ]
        self._context = {
            t.key: [[_word_pattern(w) for w in s.context] for s in t.senses] for t in self.terms if len(t.senses) > 1
        }
        self._phrases = {
            t.key: [[_word_pattern(w) for w in s.phrases] for s in t.senses] for t in self.terms if len(t.senses) > 1
        }
        self._documents = {
            t.key: [[_word_pattern(w) for w in s.documents] for s in t.senses] for t in self.terms if len(t.senses) > 1
        }

    def __len__(self) -> int:
        return len(self.terms)

    def term(self, key: str) -> Term:
        for t in self.terms:
            if t.key == key:
                return t
        raise KeyError(key)

    def _sense(self, term: Term, text: str, start: int, end: int, title: str) -> int:
        if len(term.senses) == 1:
            return 0
        window = text[max(0, start - CONTEXT_WINDOW) : start] + " " + text[end : end + CONTEXT_WINDOW]
        scores = [float(sum(len(p.findall(window)) for p in pats)) for pats in self._context[term.key]]
        for i, pats in enumerate(self._phrases[term.key]):
            for p in pats:
                if any(m.start() <= start and end <= m.end() for m in p.finditer(text)):
                    scores[i] += PHRASE_WEIGHT
        if title:
            for i, pats in enumerate(self._documents[term.key]):
                if any(p.search(title) for p in pats):
                    scores[i] += TITLE_WEIGHT
        best = max(scores)
        return scores.index(best) if best > 0 else 0

    def find(self, text: str, title: str = "") -> list[Hit]:
        """Every match in text, in order; overlapping matches of one term keep the longest. title: the title
        of the document the text is from, which helps choose the sense of a term with several."""
        hits: list[Hit] = []
        words = set(_WORD.findall(text.casefold()))
        for (term, pats), first in zip(self._patterns, self._first_words):
            if first and first.isdisjoint(words):
                continue
            spans: list[tuple[int, int]] = []
            for pat in pats:
                spans.extend((m.start(), m.end()) for m in pat.finditer(text))
            spans.sort(key=lambda s: (s[0], -s[1]))
            last_end = -1
            for s, e in spans:
                if s < last_end:
                    continue
                hits.append(Hit(term, self._sense(term, text, s, e, title), s, e))
                last_end = e
        hits.sort(key=lambda h: (h.start, -h.end))
        return hits

    def occurring(self, texts: Iterable[str]) -> list[tuple[Term, int]]:
        """(term, sense) of every entry used in the texts, in glossary order."""
        used: set[tuple[str, int]] = set()
        for text in texts:
            used.update(h.entry for h in self.find(text))
        return [(t, i) for t in self.terms for i in range(len(t.senses)) if (t.key, i) in used]


def _words(raw: object, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(v, str) and v.strip() for v in raw):
        raise SarkitError(f"{where} must be a list of words.")
    return tuple(raw)


def _load_term(path: Path, i: int, raw: object) -> Term:
    where = f"{path.name}, term {i + 1}"
    if not isinstance(raw, dict) or not raw.get("term"):
        raise SarkitError(f"{where}: every term needs 'term'.")
    variants = raw.get("variants") or [raw["term"]]
    if not isinstance(variants, list) or not all(isinstance(v, str) and v.strip() for v in variants):
        raise SarkitError(f"{where}: 'variants' must be a list of words.")
    if raw.get("senses"):
        senses = tuple(
            Sense(
                str(s["meaning"]),
                _words(s.get("context"), f"{where}, 'context'"),
                str(s.get("label") or ""),
                _words(s.get("phrases"), f"{where}, 'phrases'"),
                _words(s.get("documents"), f"{where}, 'documents'"),
            )
            for s in raw["senses"]
            if isinstance(s, dict) and s.get("meaning")
        )
        if len(senses) > 1 and not all(s.label for s in senses):
            raise SarkitError(f"{where}: every sense of a term with several needs a 'label'.")
    elif raw.get("meaning"):
        senses = (Sense(str(raw["meaning"])),)
    else:
        senses = ()
    if not senses:
        raise SarkitError(f"{where}: every term needs a 'meaning' or 'senses'.")
    case = str(raw.get("case") or "auto")
    if case not in ("auto", "sensitive", "insensitive"):
        raise SarkitError(f"{where}: 'case' must be auto, sensitive or insensitive.")
    return Term(slug(str(raw["term"])), str(raw["term"]), tuple(variants), senses, case)


@lru_cache(maxsize=4)
def load_glossary(path: Path | None = None) -> Glossary:
    """Load and validate a glossary file (default: the shipped one)."""
    path = path or glossary_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        raise SarkitError(f"{path.name} could not be read as a glossary.") from None
    terms = [_load_term(path, i, t) for i, t in enumerate((raw or {}).get("terms") or [])]
    keys = [t.key for t in terms]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise SarkitError(f"{path.name}: the term '{min(dup)}' is listed twice.")
    return Glossary(terms)
