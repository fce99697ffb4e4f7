"""The benchmark's matching rules (shared/corpus/README.md, "How output is matched"), table-driven."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import scoring  # noqa: E402


def one(raw: str, *, ocr: bool = False) -> list[str]:
    return scoring.readings(raw, ocr=ocr)


@pytest.mark.parametrize(
    ("item", "raw", "leaked"),
    [
        ("Ann", "Joanne came to the meeting", False),  # word boundaries
        ("Ann", "Ann came to the meeting", True),
        ("Ann", "Ann's coat", True),  # possessive
        ("Lewis", "LEWIS, Brian", True),  # a redact item also matches in capitals
        ("Lewis", "lewis", False),  # but not in lower case
        ("Brian Lewis", "Brian\nLewis was seen", True),  # line breaks joined
        ("Brian Lewis", "Brian   Lewis", True),  # spaces collapsed
        ("Fairclough", "Naomi Fair-\nclough", True),  # hyphen at a line end joined (second reading)
        ("07700 900491", "Tel: 07700900491", True),  # 6+ digits: spaces ignored
        ("07700 900491", "Tel: 07700-900-491", True),  # ... and punctuation
        ("999 451 9786", "NHS 9994519786.", True),
        ("999 451 9786", "NHS 99945197861", False),  # digits must not run on
        ("05/12/1984", "DOB 05 12 1984", True),
        ("BK10 9ST", "BK109ST", False),  # fewer than six digits: no compact match
        ("ann.lee@example.com", "ann. lee@example. com", True),  # e-mail: spaces ignored
        ("ann.lee@example.com", "ANN.LEE@EXAMPLE.COM", True),
        ("Kyle", "K\ufb01yle", False),
        ("office", "the o\ufb03ce", True),  # ligature normalised
        ("Mr O'Neil", "Mr O\u2019Neil", True),  # curly quote normalised
        ("Sam Patel", "Sam\u00a0Patel", True),  # odd space normalised
    ],
)
def test_redact_matching(item: str, raw: str, leaked: bool) -> None:
    assert scoring.found(item, one(raw)) is leaked


@pytest.mark.parametrize(
    ("item", "count", "raw", "ocr", "survived"),
    [
        ("Amanda", 3, "Amanda and Amanda", False, 2),
        ("Amanda", 1, "Amanda and Amanda", False, 1),  # capped at count
        ("Amanda", 2, "AMANDA and amanda", False, 0),  # keep items are case-sensitive
        ("Amanda", 2, "Joamanda Amandas", False, 0),  # word boundaries
        ("I want to go home", 1, "| want to go home", True, 1),  # OCR "|" for "I"
        ("I want to go home", 1, "| want to go home", False, 0),  # only in OCR text
        ("a | b", 1, "a | b", True, 0),  # "|" put right only where it stands alone ... then reads "a I b"
        ("Lynn Watts", 2, "Lynn\nWatts and Lynn Wa-\ntts", False, 2),  # best reading: hyphen join
        ("999 451 9786", 1, "9994519786", False, 1),
    ],
)
def test_keep_counting(item: str, count: int, raw: str, ocr: bool, survived: int) -> None:
    assert scoring.kept(item, count, one(raw, ocr=ocr)) == survived


def test_best_of_readings() -> None:
    readings = one("Sam Sam") + one("Sam")
    assert scoring.kept("Sam", 5, readings) == 2


def test_ocr_pipe_in_word_kept() -> None:
    assert scoring.fix_ocr_pipes("a||b | c |x") == "a||b I c |x"


@pytest.mark.parametrize(
    ("item", "compact"),
    [
        ("07700 900491", True),
        ("QQ 52 43 44 C", True),
        ("a.b@example.org", True),
        ("BK10 9ST", False),
        ("12345", False),
        ("Flat 16, 11 Beech Avenue", False),
    ],
)
def test_compact_items(item: str, compact: bool) -> None:
    assert scoring.is_compact_item(item) is compact


def test_spans_for_oracle() -> None:
    text = "TT rang. Mitty and Watts. tt"
    assert scoring.spans("TT", text) == [(0, 2)]
    assert scoring.spans("Watts", text) == [(19, 24)]
