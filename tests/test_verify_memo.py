"""A later verify round of the same bundle skips a page only when it is provably the page found clean before.

Real PDFs built here (pages of ordinary text, one with a picture), the real extractors and Tesseract, a real
memo folder; the mended file is made by sarkit's own withhold_pages, and the changes a round must notice are
made to the file between the rounds: a name written on a page, a picture on the page replaced, an annotation
added, another value looked for.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest

from sarkit.render.withhold import withhold_pages
from sarkit.verify import check, verify_file
from sarkit.verify.fanout import extractors
from sarkit.verify.memo import PageMemo, new_digest, page_key, reading_context

HAS_TESSERACT = shutil.which("tesseract") is not None
pytestmark = pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract not installed")

NAME = ("p-1", "Wilhelmina Stroud")
LINES = [
    "The family met the worker at the community centre on Tuesday.",
    "Orchard Lane was closed, so the visit was moved to the library.",
    "The children played while the plan for the summer was agreed.",
    "A review meeting was booked for the end of next month.",
]


def _picture(text: str) -> bytes:
    src = pymupdf.open()
    p = src.new_page(width=320, height=60)
    p.insert_text((10, 38), text, fontsize=22)
    return p.get_pixmap(dpi=200).tobytes("png")


def _document(path: Path) -> Path:
    """Four pages of ordinary text; the second also shows a picture of ordinary words."""
    doc = pymupdf.open()
    for n, line in enumerate(LINES):
        page = doc.new_page(width=612, height=792)
        page.insert_text((72, 90), line, fontsize=12)
        page.insert_text((72, 760), f"Page {n + 1}", fontsize=9)
        if n == 1:
            page.insert_image(pymupdf.Rect(72, 120, 392, 180), stream=_picture("Bring the forms"))
    doc.save(path)
    return path


@pytest.fixture
def memo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PageMemo:
    folder = tmp_path / "memo"
    folder.mkdir()
    m = PageMemo(folder)
    monkeypatch.setattr(check, "PAGE_MEMO", m)
    return m


def _verify(path: Path, values: list[tuple[str, str]]) -> set[tuple[int | None, str]]:
    leaks = verify_file(path, values, rel="documents/notes.pdf", extractors=extractors())
    return {(lk.page, lk.proposal) for lk in leaks}


def _keys(path: Path, values: list[tuple[str, str]]) -> list[str | None]:
    with pymupdf.open(path) as doc:
        context = reading_context(doc, values, extractors())
        digest = new_digest(doc)
        return [page_key(digest, doc, pno, context) for pno in range(doc.page_count)]


def _write_on_page(doc: pymupdf.Document) -> None:
    doc[2].insert_text((72, 300), f"Ask {NAME[1]} about the forms.", fontsize=12)


def _replace_picture(doc: pymupdf.Document) -> None:
    xref = doc[1].get_images()[0][0]
    doc[1].replace_image(xref, stream=_picture(NAME[1]))


def _annotate(doc: pymupdf.Document) -> None:
    doc[3].add_text_annot((300, 300), f"Call {NAME[1]}")


def _save_changed(path: Path, change: Callable[[pymupdf.Document], None]) -> None:
    with pymupdf.open(path) as doc:
        change(doc)
        doc.save(path, incremental=True, encryption=pymupdf.PDF_ENCRYPT_KEEP)


@pytest.mark.parametrize(
    ("change", "page"),
    [
        (_write_on_page, 2),  # the page's own content stream
        (_replace_picture, 1),  # a stream the page uses (its content stream is unchanged)
        (_annotate, 3),  # an annotation added to the page
    ],
)
def test_a_value_planted_after_the_first_round_is_found(
    tmp_path: Path, memo: PageMemo, change: Callable[[pymupdf.Document], None], page: int
) -> None:
    path = _document(tmp_path / "notes.pdf")
    assert _verify(path, [NAME]) == set()  # the first round: every page clean, and remembered
    assert all(memo.clean(k) for k in _keys(path, [NAME]))
    _save_changed(path, change)
    keys = _keys(path, [NAME])
    assert not memo.clean(keys[page])  # the changed page is read again ...
    assert (page, NAME[0]) in _verify(path, [NAME])  # ... and the name is found on it


def test_the_same_pages_looked_at_for_another_value_are_read_again(tmp_path: Path, memo: PageMemo) -> None:
    path = _document(tmp_path / "notes.pdf")
    assert _verify(path, [NAME]) == set()
    lane = ("p-2", "Orchard Lane")  # on page 2 from the start: not looked for in the first round
    assert not any(memo.clean(k) for k in _keys(path, [NAME, lane]))
    assert (1, "p-2") in _verify(path, [NAME, lane])


def test_after_withholding_only_the_withheld_pages_are_read_again(tmp_path: Path, memo: PageMemo) -> None:
    path = _document(tmp_path / "notes.pdf")
    _save_changed(path, _write_on_page)
    assert (2, NAME[0]) in _verify(path, [NAME])  # the first round finds the name on page 3 (and in its stream)
    before = _keys(path, [NAME])
    assert [memo.clean(k) for k in before] == [True, True, False, True]
    withhold_pages(path, [2])  # sarkit's own mending: page 3 becomes a note, the file is written anew
    after = _keys(path, [NAME])
    assert [memo.clean(k) for k in after] == [True, True, False, True]  # the others are provably the same
    assert after[0] == before[0] and after[2] != before[2]
    assert _verify(path, [NAME]) == set()
    assert all(memo.clean(k) for k in _keys(path, [NAME]))


def test_without_a_memo_every_page_is_read(tmp_path: Path) -> None:
    assert check.PAGE_MEMO is None  # sarkit verify, and bundle outside its rounds, read everything
    path = _document(tmp_path / "notes.pdf")
    assert _verify(path, [NAME]) == set()
    _save_changed(path, _write_on_page)
    assert (2, NAME[0]) in _verify(path, [NAME])


# ---------------------------------------------------------------- through bundle's rounds


def _redact_then_plant(src, dest, redactions, **kw):  # noqa: ANN001, ANN003 - stands in for redact_pdf in a worker
    """redact_pdf, then a redacted name written again on the second page of one document (a redaction miss)."""
    from sarkit.render import redact as real

    real.redact_pdf(src, dest, redactions, **kw)
    if "Note 1" in str(src):
        with pymupdf.open(dest) as doc:
            doc[1].insert_text((60, 700), "Anita Patel telephoned again.", fontsize=11)
            doc.saveIncr()


def _withhold_then_plant(path: Path, pages: list[int]) -> None:
    """sarkit's withhold_pages, then the name written on a page that the first round found clean."""
    withhold_pages(path, pages)
    with pymupdf.open(path) as doc:
        doc[2].insert_text((60, 700), "Anita Patel called later.", fontsize=11)
        doc.saveIncr()


@pytest.mark.parametrize(("plant_later", "held"), [(False, []), (True, ["2025-01-02 Note 1.pdf"])])
def test_bundle_reads_again_a_page_changed_after_the_first_round(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plant_later: bool, held: list[str]
) -> None:
    from test_crash_safety import make_case

    from sarkit.case import Case
    from sarkit.pipeline import bundle, propose

    case = make_case(tmp_path / "case", documents=2, pages=3)
    propose(Case(case), actor="t", workers=2)
    monkeypatch.setattr("sarkit.render.jobs.redact_pdf", _redact_then_plant)
    if plant_later:
        monkeypatch.setattr("sarkit.render.staging.withhold_pages", _withhold_then_plant)
    res = bundle(Case(case), actor="t", accept_proposals=True, workers=2)
    assert res.pages_withheld == [("2025-01-02 Note 1.pdf", [1])]
    assert [name for name, _ in res.withheld] == held  # the page changed after the first round was read again
    assert res.report is not None and res.report.ok
    assert not (case / ".sarkit" / "cache" / "verify-pages").exists()  # the memo lives for one bundle only
    for out in (case / "bundle").rglob("*.pdf"):
        with pymupdf.open(out) as doc:
            assert all("patel" not in page.get_text().lower() for page in doc)
