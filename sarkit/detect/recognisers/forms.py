"""Reference numbers in the label/value rows of forms and printouts (kind `identifier`).

A police notification, a referral form or a case-system printout is a table of rows: a label cell on the
left ("Occurrence no.", "PNC ID", "Collar no.", "Case ref") and its value in the next cell on the same
visual row ("AC/09/061984", "03/118274K", "2287"). The page text puts each cell in its own block, so a
label and its value are not one phrase for `references.References`; here the cells of each visual row are
read as label and value. A value is the first code of the value cell that has the shape of a reference
(three digits or more, letters, digits, / and -; not a date or a year). It is attributed like any detail
(`details.DetailOwner`: the person of its row, its block, or the name row above in the form); one tied to
no one is proposed unattributed when its label is a police, prison or court reference, as in references.py.
Detector id.reference.
Data: redaction-rules/words/context.yaml (`reference_cues`, `police_reference_cues`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...models import Mention
from ...text import PageText
from ..base import CaseData, named
from ..context import PageContext
from ..details import DetailOwner
from ..lexicon import alternation
from ..words import Words

__all__ = ["FormRows"]

_VALUE = re.compile(r"(?=[A-Z0-9/\-]*\d{3})[A-Z0-9](?:[A-Z0-9/\-]{1,18}[A-Z0-9])?(?![\w/\-])")
_NOT_REFERENCE = re.compile(r"(?:19|20)\d\d|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{3,4}hrs?")


class FormRows:
    """A PageDetector: the value cell of a row whose label cell names a reference number."""

    def __init__(self, case: CaseData):
        w = case.shared(Words)
        self.owner = case.shared(DetailOwner)
        cues = list(w.reference_cues) + list(w.police_reference_cues)
        self._police = re.compile(
            rf"(?:{alternation(list(w.police_reference_cues))})\.?[ \t]*(?:no\.?|number|#)?[ \t]*[:.#]?", re.IGNORECASE
        )
        self._label = re.compile(rf"(?:{alternation(cues)})\.?[ \t]*(?:no\.?|number|#)?[ \t]*[:.#]?", re.IGNORECASE)

    def detect(self, doc: str, page: int, pt: PageText, ctx: PageContext, found: Sequence[Mention]) -> list[Mention]:
        text = pt.text
        people = named(found)
        taken = [(m.start, m.end) for m in found if m.kind in ("identifier", "contact")]
        out: list[Mention] = []
        for row in ctx.rows:
            cells = _cells(pt, row)
            for label, value in zip(cells, cells[1:]):
                label_text = " ".join(pt.words[i].text for i in label)
                if len(label_text) > 40 or not self._label.fullmatch(label_text):
                    continue
                s = pt.starts[value[0]]
                m = _VALUE.match(text, s)
                if m is None or _NOT_REFERENCE.fullmatch(m.group(0)):
                    continue
                e = m.end()
                if any(a < e and s < b for a, b in taken):
                    continue
                pid, via = self.owner.attribute(ctx, s, e, people)
                if pid is None and not self._police.fullmatch(label_text):
                    continue  # a council's "Ref" tied to no one: the subject's own file, most often
                via = via or "unattributed"
                out.append(Mention(doc, page, s, e, text[s:e], "identifier", pid, "id.reference", via=via))
                taken.append((s, e))
        return out


def _cells(pt: PageText, row: list[int]) -> list[list[int]]:
    """The words of a visual row grouped into cells: runs of words of one block, left to right."""
    words = pt.words
    cells: list[list[int]] = []
    cur: list[int] = []
    block = None  # the block of the cell being read (of its last word)
    for i in row:
        b = words[i].block
        if cells and b == block:
            cur.append(i)
        else:
            cur = [i]
            cells.append(cur)
            block = b
    return cells
