"""Ordinary words and the cue words around names: what tells a name from a word, and a person from a place.

The Philter idea for clinical notes, applied to case records: a capitalised (or, in notes written in
lower case, any) word that is neither an ordinary English word, nor a term of the glossary, nor a known
safe word, standing where a name can stand, is a candidate name. `Words` holds those lists once per
case (`case.shared(Words)`): redaction-rules/words/english-words.txt (from SCOWL, see its LICENSE.md),
words/context.yaml (cue words), the single words of glossary.yaml, and the names lists of names/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import SarkitError
from .base import CaseData
from .lexicon import DEFAULT_RULES_DIR, _load_yaml, alternation
from .names_list import NamesList, load_names

__all__ = ["Words", "WORDS_DIR"]

WORDS_DIR = "words"
_WORD = re.compile(r"[\w'\u2019\-]+")


def _rules_file(rules_dir: Path, name: str) -> Path:
    own = Path(rules_dir) / WORDS_DIR / name
    return own if own.is_file() else DEFAULT_RULES_DIR / WORDS_DIR / name


def _read_words(path: Path) -> frozenset[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        raise SarkitError(f"{path}: cannot be read.") from None
    return frozenset(w for w in (line.split("#", 1)[0].strip().casefold() for line in lines) if w)


def _glossary_words(rules_dir: Path) -> frozenset[str]:
    path = Path(rules_dir) / "glossary.yaml"
    if not path.is_file():
        path = DEFAULT_RULES_DIR / "glossary.yaml"
    if not path.is_file():
        return frozenset()
    data: dict[str, Any] = _load_yaml(path)
    out: set[str] = set()
    for t in data.get("terms") or []:
        if not isinstance(t, dict):
            continue
        for v in [t.get("term", "")] + list(t.get("variants") or []):
            for w in re.split(r"[\s/()]+", str(v)):
                if w:
                    out.add(w.casefold())
    return frozenset(out)


# a bracket or an aside between commas right after a word: "(neighbour)", "(DOB 14.02.88)", ", her partner,"
_ASIDE = re.compile(r"[ \t]*(?:\([^()\n]{1,40}\)|,[^,;:!?()\n]{1,40},)")
_POSSESSIVE_AFTER = re.compile(r"['\u2019](?:s(?![\w'\u2019])|(?=[ \t]))")
_NEXT_WORD = re.compile(r"[ \t]+([\w'\u2019]+)")
_WORD_BEFORE = re.compile(r"([\w'\u2019]+)[ \t,]+$")


class Words:
    """The word lists and cue words of a case (built once: `case.shared(Words)`)."""

    def __init__(self, case: CaseData):
        rules = case.rules_dir
        self.english = _read_words(_rules_file(rules, "english-words.txt"))
        path = _rules_file(rules, "context.yaml")
        cfg = _load_yaml(path)

        def strs(key: str) -> tuple[str, ...]:
            val = cfg.get(key) or []
            if not isinstance(val, list):
                raise SarkitError(f"{path}: field '{key}' must be a list.")
            return tuple(str(v) for v in val)

        self.person_after = frozenset(w.casefold() for w in strs("person_after"))
        self.person_before = frozenset(w.casefold() for w in strs("person_before"))
        self.weak_after = frozenset(w.casefold() for w in strs("weak_after"))
        self.weak_before = frozenset(w.casefold() for w in strs("weak_before"))
        self.not_person_after = frozenset(w.casefold() for w in strs("not_person_after"))
        self.introducers = strs("introducers")
        self.bracket_nouns = strs("bracket_nouns")
        self.name_prefixes = strs("name_prefixes")
        self.family_nouns = strs("family_nouns")
        self.safe = frozenset(w.casefold() for w in strs("safe_words"))
        self.english = self.english | frozenset(w.casefold() for w in strs("informal_words"))
        self.place_before = strs("place_before")
        self.locality_suffixes = strs("locality_suffixes")
        self.place_nouns_after = strs("place_nouns_after")
        self.building_words = strs("building_words")
        self.place_name_endings = frozenset(w.casefold() for w in strs("place_name_endings"))
        self.reference_cues = strs("reference_cues")
        self.police_reference_cues = strs("police_reference_cues")
        self.vehicle_cues = strs("vehicle_cues")
        self.officer_ranks = strs("officer_ranks")
        self.carer_words = strs("carer_words")
        self.owner_after = strs("owner_after")
        self.letter_reference_cues = strs("letter_reference_cues")
        self.concerning_labels = strs("concerning_labels")
        self.authority_roles = frozenset(strs("authority_roles"))
        self.writer_labels = strs("writer_labels")
        self.sign_offs = strs("sign_offs")
        self.person_acts = frozenset(w.casefold() for w in strs("person_acts"))
        self.acting_nouns = frozenset(w.casefold() for w in strs("acting_nouns"))
        self.sentence_openers = frozenset(w.casefold() for w in strs("sentence_openers"))
        self.verb_particles = frozenset(w.casefold() for w in strs("verb_particles"))
        self.glossary = _glossary_words(rules)
        self.names: NamesList = load_names(rules)
        registered: set[str] = set()
        for p in case.manifest.people:
            for n in [p.name, *p.aliases, *p.withheld]:
                registered.update(t.casefold() for t in n.split())
        self.registered = frozenset(registered)
        self.place_before_re = re.compile(r"(?<![\w])" + alternation(list(self.place_before)) + r"[ \t]+$", re.I)

    # ------------------------------------------------------------ single words

    def ordinary(self, word: str) -> bool:
        """An ordinary English word (any case), a glossary term or a known safe word."""
        f = word.casefold().replace("\u2019", "'")
        if f.endswith("'s"):
            f = f[:-2]
        return f in self.english or f in self.glossary or f in self.safe or (f.endswith("s") and f[:-1] in self.english)

    def transposed_word(self, word: str) -> bool:
        """Two neighbouring letters swapped make it an ordinary word: a typing slip ("thier", "freind")."""
        f = word.casefold()
        return len(f) >= 4 and any(f[:i] + f[i + 1] + f[i] + f[i + 2 :] in self.english for i in range(len(f) - 1))

    def given(self, word: str) -> bool:
        return word.casefold() in self.names.given

    def surname(self, word: str) -> bool:
        return word.casefold() in self.names.surnames

    def name_like(self, word: str) -> bool:
        """A word that may be a name: letters, not ordinary, not a glossary term, not an abbreviation."""
        if len(word) < 2 or not word.replace("-", "").replace("'", "").isalpha():
            return False
        if word.isupper() and len(word) > 1 and not self.given(word) and not self.surname(word):
            return False  # ABH, PNC, CAMHS
        return not self.ordinary(word)

    # ------------------------------------------------------------ context

    def person_context(self, text: str, start: int, end: int, strong: bool = False) -> bool:
        """The words around text[start:end] make it a person: "lee rang", "told Grace", "Will's mum".
        strong: only the words that make an unknown word a person ("Deano kicked", not "Hexley is")."""
        after = text[end : end + 24]
        if _POSSESSIVE_AFTER.match(after):  # "Deano's", "the Joneses' car"; not "Rec'd"
            return True
        aside = _ASIDE.match(text, end, end + 64) if after[:2].strip()[:1] in ("(", ",") else None
        if aside:  # "Rose (neighbour) rang", "Will, her partner, said": the word after the aside
            after = text[aside.end() : aside.end() + 24]
        m = _NEXT_WORD.match(after)
        if m:
            w = m.group(1).casefold()
            if w in self.person_after and not (strong and w in self.weak_after):
                return True
        before = text[max(0, start - 24) : start]
        m = _WORD_BEFORE.search(before)
        if not m:
            return False
        w = m.group(1).casefold()
        return w in self.person_before and not (strong and w in self.weak_before)

    def function_word_after(self, text: str, end: int) -> bool:
        """The next word is one that makes a sentence's first word an ordinary word ("Will you", "Hope this")."""
        m = re.match(r"[ \t]+([\w']+)", text[end : end + 16])
        return bool(m and m.group(1).casefold() in self.not_person_after) or not m

    def after_place_word(self, text: str, start: int) -> bool:
        """text[start:] follows a preposition of place ("in", "at", "near")."""
        return bool(self.place_before_re.search(text[max(0, start - 12) : start]))
