"""Lexicons and patterns for detection, loaded from YAML data files in the rules directory.

`kinship.yaml` holds kinship terms and the roles they stand for; `identifiers.yaml` holds
titles, identifier patterns, street suffixes, place words and the cue words that qualify
contact details. An authority extends these files; the code only compiles them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from re import _constants, _parser  # type: ignore[attr-defined]  # to read a pattern's parts (required_word)
from typing import Any

import yaml

from ..errors import SarkitError
from ..resources import shipped_rules_dir
from ..roles import ALL_ROLES

DEFAULT_RULES_DIR = shipped_rules_dir()
KINSHIP_FILE = "kinship.yaml"
IDENTIFIERS_FILE = "identifiers.yaml"

# regex pieces the contact and place recognisers share
BLOCK_SPACE = r"(?:[ \t]*\n[ \t]*|[ \t]+)"  # whitespace within one block
CAP_WORD = r"[A-Z][A-Za-z'\-]*\.?"  # a capitalised word


@dataclass(frozen=True, slots=True)
class KinTerm:
    term: str  # lower case, single spaces
    roles: tuple[str, ...]
    gender: str | None  # she | he | None


@dataclass(frozen=True, slots=True)
class Lexicon:
    kin_terms: tuple[KinTerm, ...]
    determiners: tuple[str, ...]
    titles: tuple[str, ...]
    title_gender: dict[str, str]
    patterns: dict[str, re.Pattern[str]]
    unit_words: tuple[str, ...]
    street_suffixes: tuple[str, ...]
    dob_cues: tuple[str, ...]
    place_suffixes: tuple[str, ...]
    place_nouns: tuple[str, ...]
    place_cues: tuple[str, ...]
    residence_cues: tuple[str, ...]
    place_cue_patterns: tuple[re.Pattern[str], ...]
    work_cues: tuple[str, ...]
    personal_cues: tuple[str, ...]
    work_domains: tuple[str, ...]
    personal_domains: tuple[str, ...]
    person_labels: tuple[str, ...]
    letter_openings: tuple[str, ...] = ()
    letter_closings: tuple[str, ...] = ()
    organisation_words: tuple[str, ...] = ()
    not_initials: tuple[str, ...] = ()


# Defaults for an authority's identifiers.yaml written before these lists existed (sarkit's own file has them).
LETTER_OPENINGS = ("Dear",)
LETTER_CLOSINGS = ("Yours sincerely", "Yours faithfully", "Kind regards", "Best wishes", "Regards")
NOT_INITIALS = ("ID", "GP", "PC", "IP", "NFA", "DOB", "NHS", "ABH")
ORGANISATION_WORDS = ("Centre", "Clinic", "Surgery", "Practice", "Hospital", "Team", "Services", "Council", "School")


def _find(rules_dir: Path, name: str) -> Path:
    for d in (rules_dir, DEFAULT_RULES_DIR):
        if (d / name).is_file():
            return d / name
    raise SarkitError(f"{rules_dir / name}: the detection lexicon file is missing.")


def _load_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        line = getattr(getattr(e, "problem_mark", None), "line", -1) + 1
        raise SarkitError(f"{path}, line {line}: not valid YAML.") from None
    except OSError:
        raise SarkitError(f"{path}: cannot be read.") from None
    if not isinstance(data, dict):
        raise SarkitError(f"{path}: must be a mapping of lists.")
    return data


def _strs(path: Path, data: dict[str, Any], key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    val = data.get(key, list(default))
    if not isinstance(val, list) or not all(isinstance(v, str) for v in val):
        raise SarkitError(f"{path}: field '{key}' must be a list of strings.")
    return tuple(val)


def _compile(path: Path, key: str, pattern: object) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise SarkitError(f"{path}: pattern '{key}' must be a string.")
    try:
        return re.compile(pattern)
    except re.error as e:
        raise SarkitError(f"{path}: pattern '{key}' is not a valid regular expression ({e.msg}).") from None


def _kin_terms(path: Path, data: dict[str, Any]) -> tuple[KinTerm, ...]:
    out: list[KinTerm] = []
    for i, entry in enumerate(data.get("terms") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("terms"), list):
            raise SarkitError(f"{path}: term entry {i + 1} needs a list 'terms'.")
        roles = tuple(entry.get("roles") or ())
        bad = [r for r in roles if r not in ALL_ROLES]
        if not roles or bad:
            raise SarkitError(f"{path}: term entry {i + 1} has an unknown or missing role.")
        gender = entry.get("gender")
        if gender not in (None, "she", "he", "they"):
            raise SarkitError(f"{path}: term entry {i + 1} has gender other than she, he or they.")
        for t in entry["terms"]:
            out.append(KinTerm(" ".join(str(t).lower().split()), roles, gender))
    return tuple(out)


def load_lexicon(rules_dir: Path) -> Lexicon:
    """Load and validate kinship.yaml and identifiers.yaml from rules_dir (or the shipped defaults)."""
    kpath = _find(rules_dir, KINSHIP_FILE)
    kin = _load_yaml(kpath)
    ipath = _find(rules_dir, IDENTIFIERS_FILE)
    ids = _load_yaml(ipath)
    pats = ids.get("patterns") or {}
    if not isinstance(pats, dict):
        raise SarkitError(f"{ipath}: field 'patterns' must be a mapping.")
    for need in ("id.phone", "id.email", "id.postcode", "id.nino", "id.nhs", "date"):
        if need not in pats:
            raise SarkitError(f"{ipath}: pattern '{need}' is missing.")
    addr = ids.get("address") or {}
    tg = ids.get("title_gender") or {}
    return Lexicon(
        kin_terms=_kin_terms(kpath, kin),
        determiners=_strs(kpath, kin, "determiners"),
        titles=_strs(ipath, ids, "titles"),
        title_gender={str(k): str(v) for k, v in tg.items()},
        patterns={k: _compile(ipath, k, v) for k, v in pats.items()},
        unit_words=_strs(ipath, addr, "unit_words"),
        street_suffixes=_strs(ipath, addr, "street_suffixes"),
        dob_cues=_strs(ipath, ids, "dob_cues"),
        place_suffixes=_strs(ipath, ids, "place_suffixes"),
        place_nouns=_strs(ipath, ids, "place_nouns"),
        place_cues=_strs(ipath, ids, "place_cues"),
        residence_cues=_strs(ipath, ids, "residence_cues"),
        place_cue_patterns=tuple(_compile(ipath, "place_cue_patterns", p) for p in ids.get("place_cue_patterns") or []),
        work_cues=_strs(ipath, ids, "work_cues"),
        personal_cues=_strs(ipath, ids, "personal_cues"),
        work_domains=_strs(ipath, ids, "work_domains"),
        personal_domains=_strs(ipath, ids, "personal_domains"),
        person_labels=_strs(ipath, ids, "person_labels"),
        letter_openings=_strs(ipath, ids, "letter_openings", LETTER_OPENINGS),
        letter_closings=_strs(ipath, ids, "letter_closings", LETTER_CLOSINGS),
        organisation_words=_strs(ipath, ids, "organisation_words", ORGANISATION_WORDS),
        not_initials=_strs(ipath, ids, "not_initials", NOT_INITIALS),
    )


def alternation(words: tuple[str, ...] | list[str], flexible_space: bool = True) -> str:
    """A regex alternation of literal phrases, longest first; spaces match any whitespace."""
    parts = alternatives(words, flexible_space)
    if not parts:
        return "(?!)"
    return first_chars(words) + "(?:" + "|".join(parts) + ")"


def alternatives(words: Sequence[str], flexible_space: bool = True) -> list[str]:
    """The alternatives of `alternation(words)`, in its order: literal phrases, longest first."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        esc = re.escape(w)
        parts.append(esc.replace(r"\ ", r"\s+") if flexible_space else esc)
    return parts


def first_chars(words: Sequence[str]) -> str:
    """A lookahead for the first characters of literal words or phrases, in either case (and a curly
    apostrophe for a straight one), to put right before their alternation: a place where none of them
    stands is passed over at once instead of trying each word. The words still decide what matches."""
    chars: set[str] = set()
    for w in words:
        if not w or w[0].isspace() or w[0] == "*":
            return ""  # an empty word matches anywhere; a leading space or a bare "*" is not literal
        for c in (w[0], w[0].lower(), w[0].upper(), *(("\u2019",) if w[0] == "'" else ())):
            if len(c) == 1:
                chars.add(c)
    return "(?=[" + "".join(re.escape(c) for c in sorted(chars)) + "])" if chars else ""


# the characters outside ASCII that a letter or digit matches when a pattern ignores case (tests/test_detect_fast.py
# finds them all): a page holding one of them is searched with every pattern
_LITERAL, _SUBPATTERN = _constants.LITERAL, _constants.SUBPATTERN
CASE_LOOKALIKES = re.compile("[\u0130\u0131\u017f\u212a]")


def capital_after(not_before: str) -> str:
    """`(?<![not_before])[A-Z]` written as `[A-Z](?<![not_before][A-Z])`: a capital letter with none of the
    characters of not_before (a class's contents) before it. The same matches; a pattern that opens with a
    character class lets `re` pass straight to the capitals instead of trying the lookbehind at every place."""
    return rf"[A-Z](?<![{not_before}][A-Z])"


def word_alternation(alternatives: Sequence[str], not_before: str, ignore_case: bool) -> str | None:
    """`(?<![not_before])(?:a|b|...)` for alternatives (regex text, in order of preference) that each open with an
    ASCII letter, written to open with a character class: `[first letters](?<![not_before][first letters])`,
    then the rest of each alternative, grouped by its first letter behind `(?<=[X])` (`(?<=[xX])` for a pattern
    compiled with ignore_case, which must say so). The same matches: only the alternatives of one group can
    match at a place, in their own order; re passes straight to the letters instead of trying the lookbehind and
    each alternative at every place. None when an alternative opens with anything else."""
    parts = letter_groups(alternatives, ignore_case)
    if parts is None:
        return None
    letters, rests = parts
    return f"[{letters}](?<![{not_before}][{letters}])(?:{rests})"


def letter_groups(alternatives: Sequence[str], ignore_case: bool) -> tuple[str, str] | None:
    """The parts of `word_alternation`: the first letters of the alternatives (a class's contents) and the rest of
    each alternative, grouped by its first letter behind `(?<=[X])`, joined with `|`. A pattern that opens with a
    class holding the letters may go on with `(?:rests)` for the alternatives (and other branches for the other
    characters of its class). None when an alternative opens with anything but an ASCII letter."""
    groups: dict[str, list[str]] = {}
    for alt in alternatives:
        if not (alt[:1].isascii() and alt[:1].isalpha()):
            return None
        groups.setdefault(alt[0].lower() if ignore_case else alt[0], []).append(alt[1:])
    if not groups:
        return None
    letters = "".join(sorted({c for k in groups for c in (k.lower(), k.upper())} if ignore_case else set(groups)))
    return letters, "|".join(f"(?<=[{k}])(?:{'|'.join(rs)})" for k, rs in groups.items())


def alternation_start(alternatives: Sequence[str], not_before: str, ignore_case: bool) -> str:
    """`(?<![not_before])(?:a|b|...)` for alternatives (regex text, in order of preference), opening with their
    first letters where they all open with one (`word_alternation`): the same matches."""
    fast = word_alternation(alternatives, not_before, ignore_case)
    return fast if fast is not None else rf"(?<![{not_before}])(?:{'|'.join(alternatives)})"


def word_start(words: Sequence[str], not_before: str, ignore_case: bool) -> str:
    """`(?<![not_before])` and `alternation(words)`: the words with none of the characters of not_before (a class's
    contents) before them, opening with their first letters where they all open with one (`word_alternation`)."""
    fast = word_alternation(alternatives(words), not_before, ignore_case)
    return fast if fast is not None else rf"(?<![{not_before}]){alternation(list(words))}"


def required_word(rx: re.Pattern[str]) -> str | None:
    """A run of ASCII letters and digits that every match of rx holds, in lower case (the longest one found in
    the pattern's main sequence and the groups of it), or None. A page whose lower-case text lacks it (and holds
    no `CASE_LOOKALIKES`) has no match of rx, in any case."""
    try:
        tree = _parser.parse(rx.pattern, rx.flags)
    except Exception:  # a pattern the parser of this Python reads otherwise: no shortcut
        return None
    best = ""

    def walk(items: Any) -> None:
        nonlocal best
        run = ""
        for op, av in items:
            if op is _LITERAL and chr(av).isascii() and chr(av).isalnum():
                run += chr(av).lower()
                best = max(best, run, key=len)
                continue
            run = ""
            if op is _SUBPATTERN:  # a group of the main sequence: its own sequence is in every match
                walk(av[-1])

    walk(tree)
    return best or None


def required_char(rx: re.Pattern[str]) -> str | None:
    """A character neither a letter nor a digit nor cased (as "@") that every match of rx holds (a literal of the
    pattern's main sequence or of the groups of it), or None: a page without it has no match of rx, in any case."""
    try:
        tree = _parser.parse(rx.pattern, rx.flags)
    except Exception:  # a pattern the parser of this Python reads otherwise: no shortcut
        return None

    def walk(items: Any) -> str | None:
        for op, av in items:
            if op is _LITERAL:
                c = chr(av)
                if not c.isalnum() and c.lower() == c.upper() == c.casefold():
                    return c
            elif op is _SUBPATTERN:  # a group of the main sequence: its own sequence is in every match
                found = walk(av[-1])
                if found is not None:
                    return found
        return None

    return walk(tree)
