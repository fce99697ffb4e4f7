"""render stage: the redacted documents, records.pdf and records.html in a staging folder, then bundle/ and reports/."""

from ..text import rects_for_span
from .redact import redact_pdf

__all__ = ["rects_for_span", "redact_pdf"]
