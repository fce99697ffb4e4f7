"""What every recogniser is (`PageDetector`) and what it compiles from (`CaseData`); see `sarkit.detect`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from pathlib import Path
from typing import Protocol, TypeVar, cast

from ..models import Manifest, Mention, Person
from ..text import PageText
from .context import PageContext
from .lexicon import Lexicon, load_lexicon

__all__ = ["CaseData", "PageDetector", "Recogniser", "named"]

T = TypeVar("T")


class CaseData:
    """What recognisers compile from, once per case: the register, the rules folder and its lexicons.

    `lex` is kinship.yaml and identifiers.yaml, loaded and checked here so a broken file is reported
    before any recogniser is built. A recogniser that reads another file of the rules folder loads it
    in its own constructor (`self.rules_dir`). `shared(factory)` builds an object once per case and
    hands the same one to everyone asking: recognisers themselves (the Detector builds its registry
    through it) and tables two recognisers use, so one recogniser can consult another's state.
    """

    def __init__(self, manifest: Manifest, rules_dir: Path):
        self.manifest = manifest
        self.rules_dir = Path(rules_dir)
        self.lex: Lexicon = load_lexicon(self.rules_dir)
        self.people: dict[str, Person] = {p.id: p for p in manifest.people}
        self.subject: Person = manifest.subject
        self._shared: dict[object, object] = {}

    def shared(self, factory: Callable[[CaseData], T]) -> T:
        """The one `factory(self)` of this case, built on first use."""
        if factory not in self._shared:
            self._shared[factory] = factory(self)
        return cast(T, self._shared[factory])


class PageDetector(Protocol):
    """A recogniser: finds one family of mentions on a page.

    `found` holds every mention the recognisers registered before this one returned for the same
    page, in registration order, not yet sorted or de-overlapped; read it, never keep or change it.
    Return new mentions only (offsets into pt.text); the Detector adds them to `found` for the next.
    Pages of a document come in order, so a recogniser may keep state from page to page of one
    document (reset it when `doc` changes).
    """

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        """New mentions on page `page` of document `doc`."""
        ...


# How a recogniser is registered: its class, built from the case's data (`Detector` calls it once per case).
Recogniser = Callable[[CaseData], PageDetector]


def named(found: Sequence[Mention]) -> list[Mention]:
    """The people named among `found` (kind `name`: registered and unregistered), in text order."""
    out = [m for m in found if m.kind == "name"]
    out.sort(key=_START)
    return out


_START = attrgetter("start")
