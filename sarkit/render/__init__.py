"""render stage: redacted PDFs."""

from .redact import rects_for_span, redact_pdf

__all__ = ["rects_for_span", "redact_pdf"]
