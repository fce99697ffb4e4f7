"""The bundle's names and titles redacted like its text: no redacted value in a file name, a folder name, a title,
a contents line, a bookmark, a heading or an aria-label.

A document's file name often names someone ("2014-07-02 Letter to Sharon Doyle.pdf"). Its output name, its
title and everything made from them are rewritten with each redacted value replaced by its reason code
("2014-07-02 Letter to [TP].pdf"), instead of the document being held back.

Which values: every value the case's decisions redact, in any document, and every name, alias and withheld
name of a person of the register whose name the rule set does not keep (asked of sarkit.decide, so no role is
named here). Matching is on whole words, case-insensitive and folded (sarkit.fold: look-alike letters,
invisible characters, accents; "SharonDoyle", "sharon_doyle" and "sharondoyle" are the name too). A value
that is also a kept name or words of one (the subject's surname, shared by a protected relative) is only
matched in a form that goes beyond it.

presidio-anonymizer does the rewriting: the spans found become its recogniser results, one fixed "replace"
operator per reason code; overlapping spans are joined first, so no character of a value survives.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..fold import word_spans

TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr")
Span = tuple[int, int, str]  # start, end in the text, reason code


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(w for w, _, _ in word_spans(text))


@lru_cache(maxsize=1)
def _engine() -> Any:
    from presidio_anonymizer import AnonymizerEngine

    return AnonymizerEngine()


class NameRedactor:
    """Finds redacted values in short texts (names, titles) and replaces them with their reason codes."""

    def __init__(
        self, values: Iterable[tuple[str, str]], kept: Iterable[str] = (), wordlike: frozenset[str] = frozenset()
    ):
        """values: (text, reason code) of everything redacted; kept: texts of kept names (never matched alone);
        wordlike: casefolded words that are also ordinary words ("summer", "hope"): such a value on its own is
        matched only where it is written with a capital ("Summer"), not in "School report summer 2014"."""
        kept_grams: set[tuple[str, ...]] = set()
        for text in kept:
            toks = _tokens(text)
            for i in range(len(toks)):
                for j in range(i + 1, min(len(toks), i + 8) + 1):
                    kept_grams.add(toks[i:j])
        self._first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._compact: dict[str, str] = {}
        self._capital: set[str] = set()  # single words matched only when capitalised
        seen: set[tuple[str, ...]] = set()
        for text, code in values:
            toks = _tokens(text)
            if not toks or toks in seen or toks in kept_grams:
                continue
            if len(toks) == 1 and (len(toks[0]) < 2 or toks[0].isdigit() or toks[0] in TITLES):
                continue
            if len(toks) == 2 and toks[0] in TITLES and (toks[1],) in kept_grams:
                continue  # "Ms Doe" may be the subject: only the fuller forms of the name are matched
            seen.add(toks)
            if len(toks) == 1 and toks[0] in wordlike:
                self._capital.add(toks[0])
            self._first.setdefault(toks[0], []).append((toks, code))
            joined = "".join(toks)
            if len(toks) >= 2 and len(joined) >= 6 and not joined.isdigit():
                self._compact.setdefault(joined, code)

    def __bool__(self) -> bool:
        return bool(self._first)

    def spans(self, text: str) -> list[Span]:
        """Where redacted values are in text, as non-overlapping spans (overlaps joined, the longer code kept)."""
        words = word_spans(text)
        found: list[Span] = []
        for i, (w, start, _end) in enumerate(words):
            for toks, code in self._first.get(w, ()):
                k = len(toks)
                if k == 1 and w in self._capital and not text[start : start + 1].isupper():
                    continue
                if i + k <= len(words) and all(words[i + j][0] == toks[j] for j in range(k)):
                    found.append((start, words[i + k - 1][2], code))
            code_c = self._compact.get(w)
            if code_c is not None:
                found.append((start, words[i][2], code_c))
        found.sort()
        merged: list[Span] = []
        for start, end, code in found:
            if merged and start <= merged[-1][1]:
                a, b, c = merged[-1]
                keep = code if end - start > b - a else c
                merged[-1] = (a, max(b, end), keep)
            else:
                merged.append((start, end, code))
        return merged

    def redact(self, text: str) -> str:
        """text with every redacted value replaced by "[CODE]" (presidio-anonymizer's replace operator)."""
        spans = self.spans(text)
        if not spans:
            return text
        from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

        results = [RecognizerResult(code, a, b, 1.0) for a, b, code in spans]
        operators = {code: OperatorConfig("replace", {"new_value": f"[{code}]"}) for _, _, code in spans}
        return str(_engine().anonymize(text, results, operators, merge_entities_with_spaces=False).text)

    def redact_path(self, rel: str) -> str:
        """A relative path (documents/FOLDER/NAME.pdf) with every component redacted; never empty, never '..'."""
        parts = []
        for part in rel.split("/"):
            new = self.redact(part).replace("/", "_").strip()
            parts.append(new if new not in ("", ".", "..") else "_")
        return posixpath.join(*parts)


def unique_paths(paths: Sequence[str]) -> list[str]:
    """paths with a number added before the extension to each one that repeats an earlier one (case-insensitive,
    as two redacted names can become one: "Letter to [TP].pdf")."""
    seen: set[str] = set()
    out = []
    for p in paths:
        cand, n = p, 1
        stem, ext = posixpath.splitext(p)
        if stem.lower().endswith(".docx") or stem.lower().endswith(".doc"):
            stem, inner = posixpath.splitext(stem)
            ext = inner + ext
        while cand.casefold() in seen:
            n += 1
            cand = f"{stem} ({n}){ext}"
        seen.add(cand.casefold())
        out.append(cand)
    return out


def word_like() -> frozenset[str]:
    """Casefolded words that are names and ordinary words alike: the names list's ambiguous given names and
    ordinary words, and the lower-case words of the system dictionary when one is installed."""
    from ..detect.names_list import load_names

    out: set[str] = set()
    try:
        names = load_names()
        out.update(names.ambiguous)
        out.update(names.ordinary)
    except Exception:  # noqa: BLE001 - no names list: the dictionary alone
        pass
    for path in (Path("/usr/share/dict/words"), Path("/usr/share/dict/british-english")):
        try:
            out.update(w for w in path.read_text(encoding="utf-8", errors="replace").split() if w.islower())
        except OSError:
            continue
    return frozenset(out)


def register_values(manifest: Any, rules: Any) -> tuple[list[tuple[str, str]], list[str]]:
    """(protected, kept): (text, reason code) of every name, alias and withheld name of the register that the rule
    set does not keep, and the names and aliases it keeps, asked of the rule set through sarkit.decide."""
    from ..decide.engine import decide_one
    from ..models import Mention

    protected: list[tuple[str, str]] = []
    kept: list[str] = []
    for p in manifest.people:
        m = Mention("", 0, 0, 0, p.name, "name", p.id, "bundle.names")
        got = decide_one(m, manifest, rules)
        if got.action == "keep":
            kept.extend([p.name, *p.aliases])
        else:
            code = got.code or "TP"
            protected.extend((t, code) for t in (p.name, *p.aliases))
            toks = p.name.split()
            if len(toks) >= 2:
                protected.extend((f"{t} {toks[-1]}", code) for t in ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr"))
                if len(toks[-1]) >= 3:
                    protected.append((toks[-1], code))  # the surname alone, unless a kept name has it
        if p.withheld:
            m = Mention("", 0, 0, 0, p.withheld[0], "name", p.id, "bundle.names", qualifier="withheld")
            w = decide_one(m, manifest, rules)
            if w.action != "keep":
                protected.extend((t, w.code or "TP") for t in p.withheld)
    return protected, kept
