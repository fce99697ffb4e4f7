"""Exit codes and the one exception type the CLI turns into a sentence."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    NEEDS_PERSON = 1  # ran, but something needs a person (undecided items, a leak, a failed case)
    BAD_INPUT = 2  # invalid manifest, unreadable case folder, bad usage


class SarkitError(Exception):
    """An error the user can act on: one sentence, naming the file (and line or page) at fault.

    The message must never contain document text or personal data beyond the file name.
    """

    def __init__(self, message: str, code: ExitCode = ExitCode.BAD_INPUT, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class ManifestError(SarkitError):
    pass


class DocumentError(SarkitError):
    """A single document could not be read; in a case, it is reported and skipped."""


class CaseLockedError(SarkitError):
    pass
