"""Generate two fresh hand-written evaluation cases (fr-01, fr-02) with truth.json.

    .venv/bin/python benchmarks/fresh/make_fresh.py          # writes benchmarks/fresh/cases/
    .venv/bin/python benchmarks/corpus_score.py --root benchmarks/fresh/cases --misses

Written without reading sarkit's detection code or word lists, in styles the other corpora do not use:
a children's home daily log with shift handovers and residents by nickname, a front-door contact log,
an e-mail chain with a school (DOCX), an upper-case police command-and-control log (scanned PNG), LAC
review minutes with an attendee table, a health-visitor record (image-only PDF), a foster carer's
diary in lower case (DOCX), a school nurse letter (scan), a YOT report, and a care leaver's pathway
plan. Everything is fictional: phones from Ofcom's drama ranges, NHS numbers starting 999 with a valid
check digit, NI numbers QQ, postcode areas ZV and XK (not in use), e-mail at example.org/.net/.com or at
the made-up councils (wrexford, pellington .gov.uk).

The truth is hand-tagged per document (redact items with kind and person, explicit keep items); the
names of registered people are also found by the exact-match pass of benchmarks/heldout/make_cases.py,
whose truth rules (keep counts leave out any sentence holding a redacted sensitive phrase) are reused.
Scanned pages are checked with the scorer's OCR: keep counts are capped at what OCR reads, and a redact
item OCR cannot read is an error here (so the figure is never inflated by an unreadable scan).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pymupdf

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "heldout"))
sys.path.insert(0, str(HERE.parent))
import make_cases as mc  # noqa: E402
import scoring  # noqa: E402
from make_cases import K, P, R, Tbl, nhs, person  # noqa: E402,F401


@dataclass
class FDoc(mc.Doc):
    date: str = "2024-01-01"
    kind: str = "pdf"  # pdf | docx | png | scanpdf


class FreshWriter(mc.HeldoutWriter):
    def para(self, p: P, x: float = mc.MARGIN, width: float | None = None) -> None:
        if p.style == "mono":
            self.lines(p.text, x=x, width=width or self.width, font="cour", size=9.5, gap=3.0)
        elif p.style == "line":  # an e-mail header line: tight, no gap
            self.lines(p.text, x=x, width=width or self.width, font="helv", size=9.5, gap=0.5)
        else:
            super().para(p, x, width)


def render_pdf(doc: FDoc, date: dt.date, creator: str) -> bytes:
    w = FreshWriter()
    for b in doc.blocks:
        if isinstance(b, Tbl):
            w.table(b)
        elif isinstance(b, mc.Form):
            w.form(b)
        elif isinstance(b, mc.Break):
            w.new_page()
        else:
            w.para(b)
    return w.finish_doc(doc, date, creator)


def render_scan(pdf: bytes, seed: int, angle: float, dpi: int, specks: int = 1500) -> bytes:
    """The first page, slightly rotated, rasterised in grey with sparse speckle noise (one per `specks` pixels)."""
    src = pymupdf.open(stream=pdf, filetype="pdf")
    out = pymupdf.open()
    page = out.new_page(width=mc.A4[0], height=mc.A4[1])
    page.draw_rect(page.rect, color=None, fill=(1, 1, 1))
    page.show_pdf_page(page.rect, src, 0, rotate=angle)
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    rng = random.Random(seed)
    for _ in range(pix.width * pix.height // specks):
        pix.set_pixel(rng.randrange(pix.width), rng.randrange(pix.height), (rng.choice((0, 90, 160)),))
    data = pix.tobytes("png")
    src.close()
    out.close()
    return data


def ocr_text(png: bytes) -> str:
    """The scorer's reading of a scanned output: 300 dpi PDF page, tesseract."""
    with pymupdf.open() as d:
        img = pymupdf.open(stream=png, filetype="png")
        r = img[0].rect
        page = d.new_page(width=mc.A4[0], height=mc.A4[1])
        page.insert_image(page.rect if r.width > 0 else r, stream=png)
        pix = page.get_pixmap(dpi=300).tobytes("png")
    done = subprocess.run(["tesseract", "stdin", "stdout", "-l", "eng"], input=pix, capture_output=True, check=False)
    return done.stdout.decode("utf-8", "replace")


def png_to_pdf(png: bytes) -> bytes:
    with pymupdf.open() as d:
        page = d.new_page(width=mc.A4[0], height=mc.A4[1])
        page.insert_image(page.rect, stream=png)
        d.set_metadata({})
        return d.tobytes(garbage=3, deflate=True, no_new_id=True)


def build_case(case: mc.Case, root: Path) -> dict:
    dest = root / case.id
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "documents").mkdir(parents=True)
    yaml_text = mc.manifest_yaml(case).replace("Held-out simulation case", "Fresh hand-written evaluation case")
    (dest / "case.yaml").write_text(yaml_text, encoding="utf-8")
    documents: dict[str, dict] = {}
    for i, doc in enumerate(case.docs):
        assert isinstance(doc, FDoc)
        date = dt.date.fromisoformat(doc.date)
        ocr = None
        if doc.kind == "docx":
            data, visible, pages = mc.render_docx(doc, date)
            hidden = mc.docx_hidden(doc)
            fmt = "docx"
        else:
            pdf = render_pdf(doc, date, case.creator)
            visible, pages = mc.pdf_text(pdf)
            hidden = f"{doc.title}\n{doc.author}"
            data, fmt = pdf, "pdf"
            if doc.kind in ("png", "scanpdf"):
                assert pages == 1, f"{doc.name}: a scan must be one page"
                png = render_scan(pdf, seed=mc.hash_seed(case.id, i), angle=0.9, dpi=210)
                ocr = scoring.readings(ocr_text(png), ocr=True)
                hidden = ""
                data, fmt = (png, "png") if doc.kind == "png" else (png_to_pdf(png), "pdf")
        (dest / "documents" / doc.name).write_bytes(data)
        truth = mc.doc_truth(case, doc, visible, hidden, pages, fmt)
        if ocr is not None:  # what the scorer's OCR cannot read is not counted
            for k in truth["keep"]:
                k["count"] = min(k["count"], max(scoring.count_in(k["text"], r) for r in ocr))
            truth["keep"] = [k for k in truth["keep"] if k["count"]]
            unread = [t for t in truth["redact"] if not scoring.found(t, ocr)]
            if unread:
                print(f"  warning {case.id}/{doc.name}: OCR cannot read redact items {unread}", file=sys.stderr)
        documents[doc.name] = truth
    anywhere = mc.anywhere_items(documents)
    people = {p["id"]: {"name": p["name"], "role": p["role"], "ref": p.get("ref", p["role"])} for p in case.people}
    for n, u in enumerate(case.unregistered):
        people[u["id"]] = {"name": u["name"], "role": "other", "ref": "unreg"}
    truth_all = {
        "case": case.id,
        "set": "fresh-hand",
        "documents": documents,
        "anywhere_redact": list(anywhere),
        "anywhere_tags": anywhere,
        "people": people,
    }
    (dest / "truth.json").write_text(json.dumps(truth_all, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return truth_all


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(HERE / "cases"))
    args = ap.parse_args(argv)
    root = Path(args.out)
    root.mkdir(parents=True, exist_ok=True)
    sys.modules.setdefault("make_fresh", sys.modules[__name__])  # one FDoc class when run as a script
    from fresh_cases import all_cases

    for case in all_cases():
        truth = build_case(case, root)
        n_red = sum(len(d["redact"]) for d in truth["documents"].values())
        n_keep = sum(k["count"] for d in truth["documents"].values() for k in d["keep"])
        print(f"{case.id}: {len(truth['documents'])} documents, {n_red} redact items, {n_keep} keep occurrences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
