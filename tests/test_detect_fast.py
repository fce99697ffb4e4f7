"""The shortcuts that make detection fast find exactly what the long way finds.

- the clause analysis slices a page's tokens instead of searching each clause;
- alternations of literal words open with a lookahead of their first characters;
- sentences with no cue, no reference, no pronoun and no subject carried into them are not read;
- the cue candidates of each word are remembered per lexicon.
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

import pytest

from sarkit.detect import Detector
from sarkit.detect import clauses as clauses_mod
from sarkit.detect.attribution import Attributor
from sarkit.detect.lexicon import alternation, first_chars
from sarkit.detect.sensitive_lexicon import find_cues, load_sensitive

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_attribution import MANIFEST, RULES, make_page  # noqa: E402
from test_statements import ATTRIBUTION, PLAIN, PLAIN_NEGATIVE  # noqa: E402

TRICKY = [
    "don't it's9 O'Neill\u2019s  a-b (x) 12ab cd\u2019ef' g",
    "Mum's flat; she\u2019d  been. A1:O1 x9y 'quoted' end",
    "\u212aelvin \u017fo \u0130stanbul caf\u00e9 na\u00efve",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tokens_of_any_span_are_those_a_search_of_the_span_finds(text: str) -> None:
    other = "another page: " + text  # the page's tokens are replaced when another page is read
    for start in range(len(text) + 1):
        for end in range(len(text) + 1):
            expected = [(m.start(), m.end(), m.group(0)) for m in clauses_mod._TOKEN.finditer(text, start, end)]
            assert clauses_mod.tokens(text, start, end) == expected, (start, end)
        clauses_mod.tokens(other, 0, len(other))


WORDS = ["kelvin", "so", "istanbul", "'n' that", "Mum", "mum's partner", "caf\u00e9", "\u00e9cole", "-ish"]
TEXTS = [
    "\u212aelvin and \u017fo, \u0130stanbul, 'n' that, \u2019n\u2019 that,",
    "MUM, Mum's partner, CAF\u00c9, \u00c9cole -ish",
    "kelvin KELVIN So sO istanbul ISTANBUL Caf\u00e9 \u00e9COLE mum mUM -ISH",
]


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_a_first_character_lookahead_changes_no_match(flags: int) -> None:
    plain = "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(WORDS, key=len, reverse=True)) + ")"
    assert first_chars(WORDS) and alternation(WORDS).startswith(first_chars(WORDS))
    fast = re.compile(rf"(?<![\w]){alternation(WORDS)}(?!\w)", flags)
    slow = re.compile(rf"(?<![\w]){plain}(?!\w)", flags)
    for text in TEXTS:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)]
        assert fast.findall(text)  # the texts do hold words of the list


def test_no_lookahead_where_a_word_is_not_literal_at_its_start() -> None:
    assert first_chars(["abc", ""]) == "" and first_chars([" x"]) == "" and first_chars(["*"]) == ""


def _every_sentence(clauses):  # type: ignore[no-untyped-def]
    @functools.wraps(clauses)
    def read_all(self, ctx, refs, only=None, cues=None):  # type: ignore[no-untyped-def]
        return clauses(self, ctx, refs, only=only, cues=None)

    return read_all


PAGES = [
    [t for t, *_ in PLAIN],
    [t for t in PLAIN_NEGATIVE],
    [t for t, *_ in ATTRIBUTION],
    [
        "Mum came to the door.",
        "The house was cold. Heating off. Bins overflowing.",
        "",
        "Visit notes continue on the next page. Nothing further.",
        "She has been drinking again. The flat smelt of cannabis.",
        "Plan reviewed. Next visit in two weeks.",
        "Dad | was arrested for assault | 2019",
        "Tom | no concerns | 2020",
    ],
    # a subject carried into a sentence with no one named and no cue; a paragraph that opens with a pronoun
    ["Dad came to the door. Could not stand up straight."],
    ["Mum opened the door.", "", "She had not slept for four nights."],
    ["Tom was quiet.", "", "He keeps the curtains closed all day."],
]


@pytest.mark.parametrize("lines", PAGES)
def test_sentences_left_out_change_nothing(monkeypatch: pytest.MonkeyPatch, lines: list[str]) -> None:
    pt = make_page(lines)
    fast = Detector(MANIFEST, RULES).detect_page("d", 0, pt)
    monkeypatch.setattr(Attributor, "clauses", _every_sentence(Attributor.clauses))
    slow = Detector(MANIFEST, RULES).detect_page("d", 0, pt)
    assert fast == slow
    assert any(m.kind == "sensitive" for m in fast) or lines is PAGES[1]


def test_remembered_cue_candidates_give_the_same_cues() -> None:
    text = " ".join(t for t, *_ in PLAIN + ATTRIBUTION) + " HEROIN heroin Heroin self-harm SELF-HARM overdosed"
    lex = load_sensitive(RULES)
    first = find_cues(text, lex)
    assert lex.cache  # the words are remembered
    assert find_cues(text, lex) == first == find_cues(text, load_sensitive(RULES))
    words = {text[c.start : c.end].lower() for c in first}
    assert {"heroin", "overdosed"} <= words
