"""verify stage: reopen the bundle and prove that nothing redacted can be recovered."""

from .check import EXTRACTORS, records_offenders, verify_bundle, verify_file, verify_folders, verify_pdf
from .fanout import check_bundle, extractors, offenders_isolated, verify_all
from .match import Matcher
from .protected import register_values
from .values import CaseValues, KeptIndex, values_per_file

__all__ = [
    "EXTRACTORS",
    "CaseValues",
    "KeptIndex",
    "Matcher",
    "check_bundle",
    "extractors",
    "offenders_isolated",
    "records_offenders",
    "register_values",
    "values_per_file",
    "verify_all",
    "verify_bundle",
    "verify_file",
    "verify_folders",
    "verify_pdf",
]
