"""Cases bundled for the paper and screen checks (test_paper.py, test_html_a11y.py).

- "example": examples/case, as `make demo` bundles it;
- "generated": a case built here by code to strain the layout: a short alias in small type (boxes too
  small for their label), a ruled table with a bold header row, a heading, a page dense with glossary
  terms, a US Letter page, a landscape page, a page taller than A4, a Word document with a heading, a
  table and a long e-mail address, and a scanned image;
- "dev-s1-c03": a case of the shared development corpus, when ../shared is there (copied without its
  truth.json).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pymupdf

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV_CASE = SHARED / "corpus" / "dev-s1-c03"

MANIFEST = """\
sarkit: 1
reference: SAR-2026-0555
received: 2026-01-05
rules: uk-dpa2018
people:
- id: kai
  name: Kai Morgan
  role: subject
  aliases: [Kai]
  pronouns: he
- id: dana
  name: Dana Morgan
  role: mother
  aliases: [Mum, Ms Morgan, DM]
  known: true
  pronouns: she
- id: lee
  name: Lee Ashworth
  role: neighbour
  aliases: [Mr Ashworth, LA]
  referrer: true
  pronouns: he
- id: bo
  name: Bo Tran
  role: other-child
  aliases: [Bo]
  pronouns: he
- id: rhona
  name: Rhona Quigley
  role: social-worker
  aliases: [Ms Quigley, RQ]
  pronouns: she
"""

TERMS_TEXT = (
    "Kai is a CLA and the IRO chaired his review. The PEP was agreed at school. A MASH check followed a "
    "s.47 enquiry. Kai was a CIN before. CAMHS saw him twice. His PA helped with the pathway plan. The "
    "core group met, and a strategy meeting was held. Respite was offered. Bo was also at the review."
)


def _text_page(doc: pymupdf.Document, width: float, height: float, lines: list[str], size: float = 11) -> None:
    page = doc.new_page(width=width, height=height)
    y = 72.0
    for line in lines:
        page.insert_text((60, y), line, fontsize=size)
        y += size * 1.4


def _wrap(text: str, width: int = 90) -> list[str]:
    out, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*out, line]


def _contact_log(path: Path) -> None:
    """A4: a bold heading, a ruled table with a bold header row, glossary terms, a short alias in small type."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((60, 70), "Contact Log", fontname="hebo", fontsize=16)
    cols, rows = [60, 160, 300, 535], [90, 110, 130, 150]
    for y in rows:
        page.draw_line((cols[0], y), (cols[-1], y), color=(0.3, 0.3, 0.3), width=0.6)
    for x in cols:
        page.draw_line((x, rows[0]), (x, rows[-1]), color=(0.3, 0.3, 0.3), width=0.6)
    cells = [
        ["Date", "Who came", "How it went"],
        ["01/03/2015", "Kai and Mum", "Contact with Mum went well"],
        ["08/03/2015", "Kai and Bo", "Bo left early"],
    ]
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            font = "hebo" if r == 0 else "helv"
            page.insert_text((cols[c] + 4, rows[r] + 14), text, fontname=font, fontsize=10)
    y = 180.0
    for line in _wrap(TERMS_TEXT):
        page.insert_text((60, y), line, fontsize=10.5)
        y += 15
    page.insert_text((60, y + 10), "Seen by Bo and LA at the gate.", fontsize=7)  # small type: tiny boxes
    page.insert_text((60, 800), "Fernvale Council - Contact Log - page 1", fontsize=8)
    doc.save(path)


def _odd_sizes(path: Path) -> None:
    """A US Letter page, a landscape A4 page and a page taller than A4."""
    doc = pymupdf.open()
    _text_page(doc, 612, 792, ["Letter size page. Lee Ashworth called about Kai.", "The IRO was told."])
    _text_page(doc, 842, 595, ["A landscape page about Kai. Bo Tran was there.", "The PEP was reviewed."])
    _text_page(doc, 595, 1200, ["A long page. Dana Morgan and Kai met Bo at the contact centre."] * 3)
    doc.save(path)


def _visit_docx(path: Path) -> None:
    """A Word document: a heading, a table with a header row, a long e-mail address."""
    d = docx.Document()
    d.add_heading("Home visit", level=1)
    d.add_paragraph("Rhona Quigley visited Kai at home. Bo Tran was visiting too.")
    table = d.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for r, row in enumerate(
        [["Name", "Relationship", "Notes"], ["Kai Morgan", "Subject", "Well"], ["Bo", "Friend", "Quiet"]]
    ):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.text = text
            if r == 0:
                cell.paragraphs[0].runs[0].bold = True
    d.add_heading("Next steps", level=2)
    d.add_paragraph("Write to leaving-care-team-duty-contact-address@fernvale-borough-council.example.gov.uk soon.")
    d.save(path)


def _scan(path: Path) -> None:
    """A scanned page: an image of typed text (read by OCR when the case is proposed)."""
    src = pymupdf.open()
    page = src.new_page()
    for i, line in enumerate(["Date / time     06/08/2015 13:06", "Kai was seen at home.", "The IRO was told."]):
        page.insert_text((72, 100 + 30 * i), line, fontsize=14)
    page.get_pixmap(dpi=150).save(path)


def build_generated_case(root: Path) -> Path:
    (root / "documents").mkdir(parents=True)
    (root / "case.yaml").write_text(MANIFEST, encoding="utf-8")
    _contact_log(root / "documents" / "2015-03-01 Contact Log.pdf")
    _odd_sizes(root / "documents" / "2016-05-02 Sizes.pdf")
    _visit_docx(root / "documents" / "2017-06-03 Home Visit.docx")
    _scan(root / "documents" / "2018-02-02 Police Notification.png")
    return root


def prepare(name: str, root: Path) -> Path | None:
    """A fresh copy of the named case under root (None when it is the dev case and ../shared is absent)."""
    case = root / name
    if name == "example":
        shutil.copytree(REPO / "examples" / "case", case, ignore=shutil.ignore_patterns(".sarkit", "bundle", "reports"))
    elif name == "generated":
        build_generated_case(case)
    elif name == "dev-s1-c03":
        if not DEV_CASE.is_dir():
            return None
        shutil.copytree(DEV_CASE, case)
        (case / "truth.json").unlink(missing_ok=True)
    else:
        raise ValueError(name)
    return case


def bundled(name: str, root: Path) -> Path | None:
    """The named case proposed and bundled with --accept-proposals (None when it is not available)."""
    from sarkit import api

    case = prepare(name, root)
    if case is None:
        return None
    api.propose(case, actor="tester")
    api.bundle(case, actor="tester", accept_proposals=True)
    return case
