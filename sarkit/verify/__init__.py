"""verify stage: reopen the bundle and prove that nothing redacted can be recovered."""

from .check import EXTRACTORS, records_offenders, verify_bundle, verify_file, verify_folders, verify_pdf
from .match import Matcher

__all__ = [
    "EXTRACTORS",
    "records_offenders",
    "Matcher",
    "verify_bundle",
    "verify_file",
    "verify_folders",
    "verify_pdf",
]
