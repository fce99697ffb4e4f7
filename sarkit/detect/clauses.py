"""A light clause analysis without a parser: the grammatical subject of a clause and the class of its verb.

A clause (from `attribution.split_clauses`) is read as:  [connective] [adverbial] SUBJECT [auxiliaries,
adverbs] VERB ...  The subject is the first person reference (a name, a kinship term, a pronoun, or a
possessive such as "her breathing" / "Donna's drinking", which makes the possessor the subject), or a
word that is not a person ("the flat", "there", "it"). A clause that opens with a verb has no subject
of its own (it continues the one before: "... and held her by the throat").

The verb after the subject falls in one of four classes, read from the word lists of sensitive.yaml:

- routine: a professional's or anyone's everyday action (visited, attended, rang, collected): not a
  statement about the person's private life;
- speech: said, told, reported ...: the content that follows is a clause of its own, about its own
  subject ("X said that Y ..." is about Y);
- cognition: believed, thought, felt ...: what the person believes is their state, content included;
- other: a state, behaviour, history or circumstance of the subject.

Plain functions over offsets; the word lists come from `ClauseWords`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from ..frozen import quick_init

__all__ = ["ClauseWords", "Reading", "read_clause", "tokens"]

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)*")
# a page split at its tokens (gap, token, gap, ..., gap); the same tokens as _TOKEN, each run taken whole at once
# (nothing follows a token in the pattern that a shorter run could let match)
_TOKEN_SPLIT = re.compile(r"([A-Za-z0-9]++(?:['\u2019][A-Za-z]++)*+)")
PERSON_PRONOUNS = {"i", "he", "she", "they", "we", "you", "hes", "shes", "theyre"}
POSSESSIVES = {"her", "his", "their", "my", "your", "our"}
NON_PERSON = {"it", "there", "this", "that", "these", "those", "nothing", "no", "everything", "something", "which"}
_CONTRACTION = re.compile(r"['\u2019](?:s|d|ll|re|ve|m)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ClauseWords:
    """Word classes of the clause analysis (lower case)."""

    openers: frozenset[str]  # connectives a clause may open with (and, but, that, when ...)
    auxiliaries: frozenset[str]
    adverbs: frozenset[str]
    routine: frozenset[str]
    speech: frozenset[str]
    cognition: frozenset[str]
    listeners: frozenset[str]  # the object of a speech verb before its content ("told me", "told officers")
    adverbials: frozenset[str]  # words that open an adverbial before the subject (in, on, during, yesterday)


@quick_init
@dataclass(frozen=True, slots=True)
class Reading:
    """What a clause says, as far as its words show."""

    subject: tuple[int, int] | None  # the span of the subject word(s); None: the clause opens with its verb
    person: bool  # the subject is a person (a name, kinship term, pronoun or possessive)
    possessive: bool  # "her breathing": the person is the possessor
    pred: int  # offset where the predicate starts (after the subject)
    verb: str  # the main verb (lower case), "" when there is none
    verb_class: str  # routine | speech | cognition | other | none
    content: int | None  # after a speech verb: where the reported content starts


# the tokens of the last page read: (text, token starts, token ends, tokens, the tokens in lower case); clauses of
# one page share them
_page: tuple[str, list[int], list[int], list[tuple[int, int, str]], list[str]] | None = None


def tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The tokens of text[start:end], as `_TOKEN.finditer(text, start, end)` finds them.

    The page's tokens are found once and sliced: where no token of the page runs across start or end, a
    search from start finds the page's tokens from there (a search resumes at each token's end) and stops
    where they do. Otherwise (a span that cuts a word) the span is searched on its own."""
    return tokens_low(text, start, end)[0]


def tokens_low(text: str, start: int, end: int) -> tuple[list[tuple[int, int, str]], list[str]]:
    """`tokens(text, start, end)` and each token's text in lower case."""
    global _page
    page = _page
    if page is None or page[0] is not text:
        page = _page = page_tokens(text)
    _, starts, ends, toks, lows = page
    i = bisect.bisect_right(ends, start)  # the first token that ends after start
    j = bisect.bisect_left(starts, end)  # the first token that starts at or after end
    if (i < len(toks) and starts[i] < start) or (i < j and ends[j - 1] > end):
        own = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text, start, end)]
        return own, [t[2].lower() for t in own]
    return toks[i:j], lows[i:j]


def page_tokens(text: str) -> tuple[str, list[int], list[int], list[tuple[int, int, str]], list[str]]:
    """(text, token starts, token ends, tokens, the tokens in lower case) of a whole page, as `_TOKEN.finditer`
    finds them: the page split at its tokens holds the gaps and the tokens in turn, and the running sum of their
    lengths gives where each starts (no match object made for each token)."""
    parts = _TOKEN_SPLIT.split(text)
    offsets = list(accumulate(map(len, parts), initial=0))
    words = parts[1::2]
    starts = offsets[1:-1:2]
    ends = offsets[2::2]
    return text, starts, ends, list(zip(starts, ends, words)), list(map(str.lower, words))


def _base(tok: str) -> str:
    low = tok.lower().replace("\u2019", "'")
    return _CONTRACTION.sub("", low) if "'" in low else low  # (a contraction needs its apostrophe)


def _span_at(spans: Sequence[tuple[int, int]], at: int) -> tuple[int, int] | None:
    """The first of spans holding offset at."""
    for a, b in spans:
        if a <= at < b:
            return a, b
    return None


def read_clause(
    text: str,
    start: int,
    end: int,
    person_spans: Sequence[tuple[int, int]],
    words: ClauseWords,
) -> Reading:
    """Read the clause text[start:end]; person_spans are the person references inside it (names, kinship
    terms, pronouns), sorted."""
    toks, lows = tokens_low(text, start, end)
    n = len(toks)
    verbs = _verbs(words)
    i = 0
    while i < n and lows[i] in words.openers:
        i += 1
    subject: tuple[int, int] | None = None
    person = possessive = False
    # the subject: the first word, or a person within a short opening adverbial ("In January she ...")
    limit = min(n, i + 6)
    j = i
    adverbial = False
    while j < limit:
        s, e, w = toks[j]
        low = lows[j]
        span = _span_at(person_spans, s) if person_spans else None
        if span is not None:
            k = j
            while k < len(toks) and toks[k][0] < span[1]:
                k += 1
            after = text[span[1] : span[1] + 2]
            if low in POSSESSIVES or after in ("'s", "\u2019s") and not _is_verb_s(text, span[1], words):
                owned = next(((a, b) for a, b in person_spans if k < len(toks) and a <= toks[k][0] < b), None)
                if owned is not None:  # "her mum", "Keeley's mam", "his father Aaron": the relative is the subject
                    span = owned
                    while k < len(toks) and toks[k][0] < span[1]:
                        k += 1
                    nxt = next(((a, b) for a, b in person_spans if k < len(toks) and a <= toks[k][0] < b), None)
                    if nxt is not None:  # "his father Aaron"
                        while k < len(toks) and toks[k][0] < nxt[1]:
                            k += 1
                else:
                    possessive = True  # "her breathing", "Donna's drinking": the possessor's state
                    k = _skip_noun(lows, k, words)
            subject, person, j = (span[0], span[1]), True, k
            break
        if _base(w) in PERSON_PRONOUNS:
            subject, person, j = (s, e), True, j + 1
            break
        if low in verbs:
            break  # the clause opens with its verb: no subject of its own
        if j == i and _opens_with_verb(toks, lows, i, words):
            break  # "... and held her by the throat", "..., denied assault": the subject is carried over
        if j == i and (low in words.adverbials or low[:1].isdigit()):
            adverbial = True
        if not adverbial:
            subject, j = (s, e), _skip_noun(lows, j + 1, words)  # a subject that is not a person
            break
        j += 1
    if subject is None:
        j = i
    # the verb group
    k = j
    while k < n and (lows[k] in words.auxiliaries or _is_adverb_low(lows[k], words)):
        k += 1
    pred = toks[j][0] if j < len(toks) else end
    if k >= len(toks):
        return Reading(subject, person, possessive, pred, "", "none", None)
    verb = toks[k][2].lower().replace("\u2019", "'")
    cls = "other"
    content = None
    passive = any(low in _BE for low in lows[j:k]) and (verb.endswith(("ed", "en", "wn")) or verb in _PARTICIPLES)
    if verb in words.routine and (not passive or verb in _CALLED):
        # "was seen by the crisis team": something done to the person; "would be called back": a call
        cls = "routine"
    elif verb in words.speech and not passive:  # "has been admitted to hospital" is not speech
        cls = "speech"
        m = k + 1
        if m < n and lows[m] in words.listeners:
            m += 1
        elif m + 2 < n and lows[m] in _DETERMINERS and _base(toks[m + 2][2]) in PERSON_PRONOUNS:
            m += 2  # "told the review she ..."
        if m < n and lows[m] == "that":
            m += 1
        content = toks[m][0] if m < len(toks) else None
    elif verb in words.cognition:
        cls = "cognition"
    return Reading(subject, person, possessive, pred, verb, cls, content)


_BE = {"was", "were", "is", "are", "am", "be", "been", "being", "get", "got", "gets"}
_CALLED = {"called", "rung", "phoned", "texted", "emailed", "messaged", "written"}  # a passive that is only a message
_PARTICIPLES = {"seen", "taken", "made", "brought", "sent", "held", "kept", "met", "told", "found", "left", "put"}
_COORDINATORS = {"and", "but", "or", "then", "also", "so"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "some", "no", "any", "all", "both", "each"}


def _opens_with_verb(toks: list[tuple[int, int, str]], lows: list[str], i: int, words: ClauseWords) -> bool:
    """A clause whose first word is a verb: a past form ("denied", "held" after "and"), or any lower-case word
    that is no determiner or pronoun right after a coordinator ("and slurring")."""
    w = toks[i][2]
    low = lows[i]
    if not w[:1].islower() or low in _DETERMINERS or low in PERSON_PRONOUNS or low in POSSESSIVES:
        return False
    if low in NON_PERSON or low in words.adverbials:
        return False
    if low.endswith(("ed", "ing")) and len(low) > 4:
        return True  # "denied assault", "going yellow"
    return i > 0 and lows[i - 1] in _COORDINATORS


def _is_adverb_low(low: str, words: ClauseWords) -> bool:
    return low in words.adverbs or (low.endswith("ly") and len(low) > 4 and low not in words.routine)


# the words of a lexicon's four verb classes and auxiliaries, in one set (the last lexicon's, made once)
_verb_sets: tuple[ClauseWords, frozenset[str]] | None = None


def _verbs(words: ClauseWords) -> frozenset[str]:
    """words.auxiliaries | routine | speech | cognition."""
    global _verb_sets
    got = _verb_sets
    if got is None or got[0] is not words:
        got = _verb_sets = (words, words.auxiliaries | words.routine | words.speech | words.cognition)
    return got[1]


_VERB_S = re.compile(r"['\u2019]s\s+(\w+)")


def _is_verb_s(text: str, at: int, words: ClauseWords) -> bool:
    """Whether the "'s" at text[at:] is "is"/"has" ("she's been") rather than a possessive ("Donna's flat")."""
    m = _VERB_S.match(text[at:])
    if not m:
        return False
    nxt = m.group(1).lower()
    return nxt in words.auxiliaries or nxt in words.adverbs or nxt.endswith(("ed", "ing")) or nxt in ("on", "in", "at")


def _skip_noun(lows: list[str], k: int, words: ClauseWords) -> int:
    """Past a short noun phrase (up to three words) that stops at the first auxiliary or known verb."""
    n = 0
    verbs = _verbs(words)
    while k < len(lows) and n < 3:
        low = lows[k]
        if low in verbs:
            break
        if _is_adverb_low(low, words) and n:
            break
        k += 1
        n += 1
    return k
