"""How a page of a record sits on the paper of records.pdf: A4 throughout, the page-number band below.

Every page of records.pdf is A4 (portrait, or landscape for a page wider than it is tall), so the bundle
prints at actual size. A document's page is shown whole, scaled down when it does not fit above the band
(never up), and a "Words on this page" strip may take some of the room below it (records.py). The
reason labels printed in redaction boxes (redact.py) are sized from the smallest scale a page can be shown
at, so no label is smaller than MIN_LABEL points on the paper.
"""

from __future__ import annotations

A4 = (595.0, 842.0)  # points (210 x 297 mm, as PyMuPDF rounds it)
BAND = 24.0  # height of the page-number band at the foot of every page
MIN_LABEL = 6.0  # the smallest reason label on the paper, in points
NOTES_SHRINK = 0.86  # a page may be shown at this share of its fitted scale to make room for notes


def sheet(width: float, height: float) -> tuple[float, float]:
    """The A4 sheet a page of this size is shown on: landscape for a page wider than it is tall."""
    return (A4[1], A4[0]) if width > height else A4


def fit_scale(width: float, height: float) -> float:
    """The scale at which a page fits its sheet above the band (1 when it fits as it is)."""
    sw, sh = sheet(width, height)
    if width <= 0 or height <= 0:
        return 1.0
    return min(1.0, sw / width, (sh - BAND) / height)


def smallest_scale(width: float, height: float) -> float:
    """The smallest scale records.pdf shows a page of this size at (with notes below it)."""
    return fit_scale(width, height) * NOTES_SHRINK


def label_floor(width: float, height: float) -> float:
    """The smallest reason-label size on a page of this size that is still MIN_LABEL points on the paper."""
    return MIN_LABEL / smallest_scale(width, height) + 0.01
