"""The vocabulary of sensitive statements, compiled: `redaction-rules/sensitive.yaml` by category.

`load_sensitive` reads and validates the file (cues, patterns, routine phrases, clause words, relative
words, pronouns, the word classes of the clause analysis, the shorthand codes of forms); `find_cues`
finds the cues on a page, longest first, outside routine phrases. The recogniser that turns cues into
statements about people is `recognisers/sensitive.py`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SarkitError
from ..frozen import quick_init
from .clauses import ClauseWords
from .lexicon import (
    CASE_LOOKALIKES,
    DEFAULT_RULES_DIR,
    _find,
    _load_yaml,
    first_chars,
    required_word,
    word_alternation,
)

__all__ = [
    "SENSITIVE_FILE",
    "SUBJECT_CATEGORIES",
    "Cue",
    "SensitiveLexicon",
    "cue_regex",
    "find_cues",
    "load_sensitive",
]

SENSITIVE_FILE = "sensitive.yaml"
SUBJECT_CATEGORIES = ("health", "substance")  # the subject's own: proposed as keep with a note for the reviewer


@quick_init
@dataclass(frozen=True, slots=True)
class Cue:
    start: int
    end: int
    category: str


@dataclass(frozen=True, slots=True)
class CueIndex:
    """Cues indexed by their first word, so a page is scanned word by word, not cue by cue."""

    exact: dict[str, tuple[tuple[str, re.Pattern[str]], ...]]  # first word -> (category, anchored regex)
    stems: dict[str, tuple[tuple[str, re.Pattern[str]], ...]]  # stem of a one-word "x*" cue -> ...
    # free regular expressions, run over a page that holds the word every match of theirs holds (`required_word`)
    patterns: tuple[tuple[str, re.Pattern[str], str | None], ...]
    stem_lengths: tuple[int, ...] = ()


def _index(cats: list[tuple[str, tuple[str, ...], tuple[str, ...]]], path: Path) -> CueIndex:
    exact: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    stems: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    pats: list[tuple[str, re.Pattern[str], str | None]] = []
    for cat, cues, patterns in cats:
        for cue in cues:
            cue = " ".join(cue.split())
            first = re.match(r"\w+", cue)
            if not first:
                continue
            flags = re.IGNORECASE if cue == cue.lower() else 0
            rx = _compile(path, f"cue '{cue}'", _cue_piece(cue) + r"(?![\w])")
            rx = re.compile(rx.pattern, flags)
            key = first.group(0).lower()
            if cue.endswith("*") and first.end() == len(cue) - 1:
                stems.setdefault(key, []).append((cat, rx))
            else:
                exact.setdefault(key, []).append((cat, rx))
        for i, p in enumerate(patterns):
            rx = _compile(path, f"pattern {i + 1} of category '{cat}'", p)
            pats.append((cat, rx, required_word(rx)))
    return CueIndex(
        {k: tuple(v) for k, v in exact.items()},
        {k: tuple(v) for k, v in stems.items()},
        tuple(pats),
        tuple(sorted({len(k) for k in stems})),
    )


@dataclass(frozen=True, slots=True)
class SensitiveLexicon:
    categories: tuple[tuple[str, re.Pattern[str]], ...]  # category -> one regex of all its cues (for reference)
    routine: re.Pattern[str] | None
    routine_dotless: bool  # no routine phrase holds a full stop (find_cues searches for them between full stops)
    index: CueIndex
    clause_words: tuple[str, ...]
    relative_words: tuple[str, ...]
    pronouns: dict[str, tuple[str, ...]]
    words: ClauseWords | None = None  # clause analysis word classes (statements with no cue)
    role_codes: re.Pattern[str] | None = None  # shorthand for a party in a form ("A1", "IP", "susp")
    # open vocabularies (vocabularies/*.txt): first word -> (the words after it, category), longest first
    terms: dict[str, tuple[tuple[tuple[str, ...], str], ...]] | None = None
    # a word of a page -> its terms and cue candidates (`_word_cands`); filled as pages are read
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def _cue_piece(cue: str) -> str:
    cue = " ".join(cue.split())
    star = cue.endswith("*")
    base = cue.rstrip("*")
    esc = re.escape(base).replace(r"\ ", r"\s+").replace("'", "['\u2019]")
    if star:
        esc += r"[\w'\-]*"
    return esc


def cue_regex(cues: Sequence[str], patterns: Sequence[str] = ()) -> str:
    """One regex source for cue phrases: lower-case cues in any case, cues with capitals exactly."""
    lower = sorted({c for c in cues if c == c.lower()}, key=len, reverse=True)
    exact = sorted({c for c in cues if c != c.lower()}, key=len, reverse=True)
    parts = []
    if lower:
        parts.append("(?i:" + "|".join(_cue_piece(c) for c in lower) + ")")
    if exact:
        parts.append("|".join(_cue_piece(c) for c in exact))
    body = "|".join(parts) or "(?!)"
    # a word no cue starts with is passed over (in any case: a superset of both kinds of cue)
    look = first_chars([" ".join(c.split()) for c in cues])
    words = rf"(?<![\w\-]){f'(?i:{look})' if look else ''}(?:{body})(?![\w])"
    return "|".join([words, *patterns]) if patterns else words


def _strs(path: Path, data: Any, key: str) -> tuple[str, ...]:
    val = data.get(key) if isinstance(data, dict) else None
    if val is None:
        return ()
    if not isinstance(val, list) or not all(isinstance(v, str) for v in val):
        raise SarkitError(f"{path}: field '{key}' must be a list of strings.")
    return tuple(val)


def _compile(path: Path, where: str, src: str) -> re.Pattern[str]:
    try:
        return re.compile(src)
    except re.error as e:
        raise SarkitError(f"{path}: {where} is not a valid regular expression ({e.msg}).") from None


def load_sensitive(rules_dir: Path | None = None) -> SensitiveLexicon:
    """Load and validate sensitive.yaml from rules_dir (or the shipped default)."""
    path = _find(Path(rules_dir or DEFAULT_RULES_DIR), SENSITIVE_FILE)
    data = _load_yaml(path)
    cats = data.get("categories")
    if not isinstance(cats, dict) or not cats:
        raise SarkitError(f"{path}: field 'categories' must map each category to its cues.")
    compiled = []
    raw: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    for name, body in cats.items():
        if not isinstance(body, dict):
            raise SarkitError(f"{path}: category '{name}' must have 'cues' and/or 'patterns'.")
        cues = _strs(path, body, "cues")
        pats = _strs(path, body, "patterns")
        for i, p in enumerate(pats):
            _compile(path, f"pattern {i + 1} of category '{name}'", p)
        compiled.append((str(name), _compile(path, f"category '{name}'", cue_regex(cues, pats))))
        raw.append((str(name), cues, pats))
    routine = _strs(path, data, "routine")
    pron = data.get("pronouns") or {}
    if not isinstance(pron, dict) or set(pron) - {"she", "he", "they", "you"}:
        raise SarkitError(f"{path}: field 'pronouns' maps she, he, they and you to lists of words.")
    ca = data.get("clause_analysis")
    words = None
    if ca is not None:
        if not isinstance(ca, dict):
            raise SarkitError(f"{path}: field 'clause_analysis' maps word classes to lists of words.")
        fields = ("openers", "auxiliaries", "adverbs", "routine", "speech", "cognition", "listeners", "adverbials")
        words = ClauseWords(**{f: frozenset(w.lower() for w in _strs(path, ca, f)) for f in fields})
    codes = _strs(path, data, "role_codes")
    code_rx = re.compile(code_pattern(codes)) if codes else None
    terms = _vocabularies(path, data)
    lex = SensitiveLexicon(
        terms=terms,
        words=words,
        role_codes=code_rx,
        categories=tuple(compiled),
        routine=_compile(path, "field 'routine'", cue_regex(routine)) if routine else None,
        routine_dotless=not any("." in r for r in routine),
        clause_words=_strs(path, data, "clause_words"),
        relative_words=_strs(path, data, "relative_words"),
        pronouns={g: _strs(path, pron, g) for g in pron},
        index=_index(raw, path),
    )
    # the cases of a batch (or a benchmark) read the same rule set: an equal lexicon loaded before is returned,
    # so its word cache (`_word_cands`, a function of the lexicon alone) goes on serving the next case
    for prev in _LOADED:
        if prev == lex:  # every field but the cache
            return prev
    _LOADED.insert(0, lex)
    del _LOADED[_LOADED_LIMIT:]
    return lex


_LOADED: list[SensitiveLexicon] = []  # the lexicons loaded last, newest first
_LOADED_LIMIT = 4


_WORD = re.compile(r"\w+")
_JOIN = re.compile(r"[ \t]*\n?[ \t]*|[\-'\u2019]")  # what may lie between the words of a term


def _vocabularies(path: Path, data: Any) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]] | None:
    """The open vocabularies named by field 'vocabularies' (category -> files beside sensitive.yaml, one term a
    line), as a table of token sequences keyed by their first word."""
    voc = data.get("vocabularies")
    if voc is None:
        return None
    if not isinstance(voc, dict):
        raise SarkitError(f"{path}: field 'vocabularies' maps categories to lists of files.")
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for cat, files in voc.items():
        for name in _strs(path, voc, str(cat)):
            f = path.parent / name
            if not f.is_file():  # an authority's own sensitive.yaml may name the shipped files
                f = Path(DEFAULT_RULES_DIR) / name
            try:
                lines = f.read_text(encoding="utf-8").splitlines()
            except OSError:
                raise SarkitError(f"{path}: vocabulary file {name} of category '{cat}' cannot be read.") from None
            for line in lines:
                toks = tuple(_WORD.findall(line.lower()))
                if toks and not line.startswith("#"):
                    table.setdefault(toks[0], []).append((toks[1:], str(cat)))
    return {k: tuple(sorted(set(v), key=lambda t: -len(t[0]))) for k, v in table.items()}


def _term_at(
    text: str, words: list[re.Match[str]], i: int, cands: tuple[tuple[tuple[str, ...], str], ...]
) -> Cue | None:
    """The longest term of cands (the terms whose first word is words[i]) that the words from i spell."""
    n = len(words)
    w = words[i]
    for rest, cat in cands:
        k = len(rest)
        if i + k >= n:  # the term runs past the last word of the page
            continue
        ok = True
        prev = w
        for j, tok in enumerate(rest):
            nxt = words[i + 1 + j]
            if nxt.group(0).lower() != tok or not _JOIN.fullmatch(text, prev.end(), nxt.start()):
                ok = False
                break
            prev = nxt
        if ok:
            return Cue(w.start(), prev.end(), cat)
    return None


def code_pattern(codes: Sequence[str]) -> str:
    r"""The pattern of the role codes ("A1", "O1", "susp"), longest first, with no word character or slash on either
    side: `(?<![\w/])(?:A1|...)(?![\w/])`, opening with their first letters where they all open with one
    (`lexicon.word_alternation`: the same matches, without trying the lookbehind at every place of a page)."""
    alts = [re.escape(c) for c in sorted(codes, key=len, reverse=True)]
    start = word_alternation(alts, r"\w/", ignore_case=False) or rf"(?<![\w/])(?:{'|'.join(alts)})"
    return rf"{start}(?![\w/])"


def _find_end(text: str, char: str, start: int) -> int:
    """The offset of the first `char` at or after start, else the end of text."""
    at = text.find(char, start)
    return len(text) if at < 0 else at


_NO_CANDS: tuple[tuple[str, re.Pattern[str]], ...] = ()
_CACHE_LIMIT = 200_000  # words remembered per lexicon (a word's candidates never change)


def _word_cands(
    word: str, lex: SensitiveLexicon
) -> tuple[tuple[tuple[tuple[str, ...], str], ...] | None, tuple[tuple[str, re.Pattern[str]], ...]]:
    """A word's vocabulary terms (by its first word) and its cue candidates (exact first word, then stems by
    length), as `find_cues` reads them; cached per lexicon, since most words of a page recur."""
    hit = lex.cache.get(word)
    if hit is None:
        idx = lex.index
        low = word.lower()
        cands = list(idx.exact.get(low, ()))
        for k in idx.stem_lengths:
            if k > len(low):
                break
            cands.extend(idx.stems.get(low[:k], ()))
        hit = (lex.terms.get(low) if lex.terms else None), (tuple(cands) if cands else _NO_CANDS)
        if len(lex.cache) >= _CACHE_LIMIT:
            lex.cache.clear()
        lex.cache[word] = hit
    return hit


def find_cues(text: str, lex: SensitiveLexicon) -> list[Cue]:
    """Cue matches of every category, longest first where they overlap, outside routine phrases."""
    idx = lex.index
    terms: list[Cue] = []  # the open vocabularies' cues come first (the order of equal cues below)
    raw: list[Cue] = []
    words = list(_WORD.finditer(text))
    cache = lex.cache
    for i, w in enumerate(words):
        word = w[0]  # (the match's text: a subscript is quicker than a call of group)
        hit = cache.get(word)  # (most words of a page are known: the call below is made for a new word only)
        term_cands, cands = hit if hit is not None else _word_cands(word, lex)
        if term_cands:
            cue = _term_at(text, words, i, term_cands)
            if cue is not None:
                terms.append(cue)
        if not cands:
            continue
        pos = w.start()
        if pos and text[pos - 1] == "-":
            continue
        best: Cue | None = None
        for cat, rx in cands:
            m = rx.match(text, pos)
            if m and (best is None or m.end() > best.end):
                best = Cue(pos, m.end(), cat)
        if best is not None:
            raw.append(best)
    raw = terms + raw
    # (a page holding a letter that matches an ASCII one only when case is ignored is searched with every pattern)
    low = text.lower() if idx.patterns and not CASE_LOOKALIKES.search(text) else None
    for cat, rx, needs in idx.patterns:
        if needs is not None and low is not None and needs not in low:
            continue  # the page lacks a word every match holds
        raw.extend(Cue(m.start(), m.end(), cat) for m in rx.finditer(text) if m.end() > m.start())
    # routine phrases only matter around a cue: a page without one is not searched for them
    if lex.routine is not None and raw:
        # a routine phrase with no full stop in it never runs across one: the phrases around a cue are those found
        # in the stretch of text between the full stops on either side of it (a search of the page goes on from a
        # phrase's end, so it finds the same ones there), which is all that is searched
        segments: dict[tuple[int, int], tuple[list[int], list[tuple[int, int]]]] = {}
        kept = []
        for c in raw:
            seg = (text.rfind(".", 0, c.start) + 1, _find_end(text, ".", c.start)) if lex.routine_dotless else (0, -1)
            found = segments.get(seg)
            if found is None:
                spans = [m.span() for m in lex.routine.finditer(text, seg[0], seg[1] if seg[1] >= 0 else len(text))]
                found = segments[seg] = ([a for a, _ in spans], spans)
            starts, routine = found
            k = bisect.bisect_right(starts, c.start) - 1  # the last routine phrase starting at or before the cue
            if k < 0 or not any(routine[j][1] >= c.end for j in range(max(0, k - 2), k + 1)):
                kept.append(c)
        raw = kept
    out: list[Cue] = []
    for c in sorted(raw, key=lambda c: (c.start, -c.end)):
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out
