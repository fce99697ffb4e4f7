"""Flesch reading ease with a small syllable counter: for checking the bundle's own words are plain."""

from __future__ import annotations

import html
import re

_BLOCK = re.compile(r"</?(p|li|h[1-6]|tr|td|th|br|address|section|ul|table)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment; block ends become sentence ends, so address lines are not one long sentence."""
    text = _BLOCK.sub(".\n", fragment)
    text = html.unescape(_TAG.sub("", text))
    return re.sub(r"(\s*[.:]\s*)+\n", ".\n", text)


def syllables(word: str) -> int:
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", w)))


def flesch(text: str) -> float:
    """Flesch reading ease: 206.835 - 1.015 words/sentence - 84.6 syllables/word."""
    sentences = [s for s in re.split(r"[.!?;]+(?:\s|$)|\n", text) if re.search(r"[A-Za-z]", s)]
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", text)]
    if not words or not sentences:
        return 100.0
    syl = sum(syllables(w) for w in words)
    return 206.835 - 1.015 * len(words) / len(sentences) - 84.6 * syl / len(words)
