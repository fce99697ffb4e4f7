"""verify stage: reopen the bundle and prove that nothing redacted can be recovered."""

from .check import EXTRACTORS, shown_in, verify_bundle, verify_file, verify_pdf
from .fanout import check_bundle, extractors, verify_all
from .match import Matcher
from .values import CaseValues, KeptIndex, values_per_file

__all__ = [
    "EXTRACTORS",
    "CaseValues",
    "KeptIndex",
    "Matcher",
    "check_bundle",
    "extractors",
    "shown_in",
    "values_per_file",
    "verify_all",
    "verify_bundle",
    "verify_file",
    "verify_pdf",
]
