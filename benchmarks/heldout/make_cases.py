"""Generate the held-out simulation corpus: three fictional case folders with truth.json.

    .venv/bin/python benchmarks/heldout/make_cases.py            # writes benchmarks/heldout/cases/
    .venv/bin/python benchmarks/heldout/make_cases.py --out DIR

Written independently of ../shared/corpus and the example case (examples/casewriter/fernwick.py): new
councils, places, people, sentences and layouts, to find where sarkit fails to generalise. Everything is
invented: phones from Ofcom's drama ranges, NHS numbers starting 999 with a valid modulus-11 check digit,
NI numbers with the prefix QQ, postcode areas that do not exist (QX, FX, WQ), e-mail at example.org/.net/.com.

The truth follows shared/corpus/README.md ("How the truth follows the policy"): per person and per kind, from the
register. Name forms of people whose names are redacted are found automatically in each document; keep counts are
computed from the visible text with every sentence holding a redacted sensitive phrase or tracked deletion left out.
The output is byte-for-byte deterministic. The PDF, DOCX and ZIP mechanics are the example's
(examples/casewriter/writers.py); the layouts are this corpus's own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import scoring  # noqa: E402
from casewriter.writers import A4, PdfWriter, fixed_zip, tracked, wrap  # noqa: E402  (shared with the example)

HERE = Path(__file__).resolve().parent
PROFESSIONAL = {
    "social-worker", "team-manager", "iro", "personal-adviser", "teacher", "head-teacher", "health-visitor",
    "school-nurse", "nurse", "gp", "doctor", "therapist", "police-officer", "solicitor", "guardian", "interpreter",
    "professional",
}  # fmt: skip
FAMILY_OR_CARER = {
    "mother", "father", "parent", "step-parent", "sibling", "half-sibling", "step-sibling", "grandparent", "aunt",
    "uncle", "cousin", "partner-of-parent", "relative", "foster-carer", "kinship-carer", "special-guardian",
    "adoptive-parent", "residential-worker",
}  # fmt: skip
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr", "PC", "DC", "DS")


# ------------------------------------------------------------------ identifiers


def nhs(nine: str) -> str:
    """An NHS number '999 xxx xxxx' from nine digits starting 999, with its modulus-11 check digit."""
    digits = [int(c) for c in nine]
    total = sum(d * w for d, w in zip(digits, range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    if check == 10:
        raise ValueError(f"{nine} has no valid check digit")
    s = nine + str(check)
    return f"{s[:3]} {s[3:6]} {s[6:]}"


# ------------------------------------------------------------------ document model


@dataclass
class P:
    text: str
    style: str = "p"  # title | h | p | bullet | small
    ins: str = ""  # DOCX: tracked insertion appended (visible)
    dele: str = ""  # DOCX: tracked deletion appended (never visible)
    comment: tuple[str, str] | None = None  # DOCX: (text, author)


@dataclass
class Tbl:
    rows: list[list[str]]
    widths: list[float]
    header: bool = True


@dataclass
class Form:
    pairs: list[tuple[str, str]]
    label_width: float = 130.0  # PDF: label column; 0 = "Label: value" on one line


@dataclass
class Cols:
    left: list[P]
    right: list[P]


@dataclass
class Addr:
    lines: list[str]
    right: bool = False


@dataclass
class Break:
    pass


@dataclass
class Doc:
    name: str
    type: str
    title: str
    author: str
    header: str
    footer: str  # "{page}" / "{pages}" filled in for PDFs
    blocks: list
    redact: dict[str, tuple[str, str]] = field(default_factory=dict)  # text -> (kind, person)
    keep: list[tuple[str, str, str]] = field(default_factory=list)  # (text, kind, person)
    scan: bool = False  # render to a noisy, slightly rotated PNG


def R(kind: str, person: str, *texts: str) -> dict[str, tuple[str, str]]:
    return {t: (kind, person) for t in texts}


def K(kind: str, person: str, *texts: str) -> list[tuple[str, str, str]]:
    return [(t, kind, person) for t in texts]


@dataclass
class Case:
    id: str
    reference: str
    received: dt.date
    council: str
    people: list[dict]
    unregistered: list[dict]  # {"id", "name", "forms": [...]}
    docs: list[Doc]
    creator: str


# ------------------------------------------------------------------ PDF writer

MARGIN = 54.0
TOP = 80.0
BOTTOM = 770.0


class HeldoutWriter(PdfWriter):
    """The shared top-down writer (casewriter.writers) with this corpus's layouts: forms, two columns, addresses."""

    def __init__(self) -> None:
        super().__init__(MARGIN, TOP, BOTTOM)

    def para(self, p: P, x: float = MARGIN, width: float | None = None) -> None:
        font, size, gap = {
            "title": ("hebo", 15.0, 8.0),
            "h": ("hebo", 11.0, 3.0),
            "small": ("helv", 8.5, 4.0),
        }.get(p.style, ("tiro" if p.style == "serif" else "helv", 10.0, 6.0))
        if p.style == "h":
            self.y += 4
        text = ("- " + p.text) if p.style == "bullet" else p.text
        self.lines(text, x=x, width=width or self.width, font=font, size=size, gap=gap)

    def table(self, t: Tbl) -> None:
        def font_of(r: int, i: int) -> str:
            return "hebo" if t.header and r == 0 else "helv"

        self.grid(t.rows, t.widths, font_of, size=9.0, lead=11.5, colour=(0.4, 0.4, 0.4))

    def form(self, f: Form) -> None:
        size, lead = 9.5, 13.0
        for label, value in f.pairs:
            if f.label_width:
                lines = wrap(value, "helv", size, self.width - f.label_width)
                self.ensure(lead * len(lines))
                self.page.insert_text((MARGIN, self.y + lead), label, fontname="hebo", fontsize=size)
                for k, line in enumerate(lines):
                    self.page.insert_text(
                        (MARGIN + f.label_width, self.y + lead * (k + 1)), line, fontname="helv", fontsize=size
                    )
                self.y += lead * len(lines)
            else:
                for line in wrap(f"{label}: {value}", "helv", size, self.width):
                    self.ensure(lead)
                    self.y += lead
                    self.page.insert_text((MARGIN, self.y), line, fontname="helv", fontsize=size)
        self.y += 8

    def cols(self, c: Cols) -> None:
        gap = 18.0
        w = (self.width - gap) / 2
        start_page, start_y = self.page, self.y
        for p in c.left:
            self.para(p, MARGIN, w)
        end_left = (self.page.number, self.y)
        self.page, self.y = start_page, start_y
        for p in c.right:
            self.para(p, MARGIN + w + gap, w)
        if (self.page.number, self.y) < end_left:
            self.page, self.y = self.doc[end_left[0]], end_left[1]

    def addr(self, a: Addr) -> None:
        size, lead = 10.0, 13.0
        for line in a.lines:
            x = MARGIN
            if a.right:
                x = A4[0] - MARGIN - pymupdf.get_text_length(line, fontname="helv", fontsize=size)
            self.y += lead
            self.page.insert_text((x, self.y), line, fontname="helv", fontsize=size)
        self.y += 12

    def finish_doc(self, doc: Doc, date: dt.date, creator: str) -> bytes:
        stamp = date.strftime("D:%Y%m%d090000Z")
        metadata = {
            "title": doc.title,
            "author": doc.author,
            "subject": "",
            "keywords": "",
            "creator": creator,
            "producer": creator,
            "creationDate": stamp,
            "modDate": stamp,
        }
        return self.finish(
            doc.header, doc.footer, metadata, header_colour=(0.5, 0, 0), footer_y=A4[1] - 34, footer_size=7.5
        )


def render_pdf(doc: Doc, date: dt.date, creator: str) -> bytes:
    w = HeldoutWriter()
    for b in doc.blocks:
        if isinstance(b, Break):
            w.new_page()
        elif isinstance(b, Tbl):
            w.table(b)
        elif isinstance(b, Form):
            w.form(b)
        elif isinstance(b, Cols):
            w.cols(b)
        elif isinstance(b, Addr):
            w.addr(b)
        else:
            w.para(b)
    return w.finish_doc(doc, date, creator)


def pdf_text(data: bytes) -> tuple[str, int]:
    with pymupdf.open(stream=data, filetype="pdf") as d:
        return "\n".join(p.get_text() for p in d), len(d)


def render_scan(pdf: bytes, seed: int, angle: float = 1.3, dpi: int = 220) -> bytes:
    """A scanned page: the first page of pdf, slightly rotated, rasterised, with speckle noise."""
    src = pymupdf.open(stream=pdf, filetype="pdf")
    out = pymupdf.open()
    page = out.new_page(width=A4[0], height=A4[1])
    page.draw_rect(page.rect, color=None, fill=(1, 1, 1))
    page.show_pdf_page(page.rect, src, 0, rotate=angle)
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    rng = random.Random(seed)
    for _ in range(pix.width * pix.height // 400):
        x, y = rng.randrange(pix.width), rng.randrange(pix.height)
        v = rng.choice((0, 60, 110, 170))
        pix.set_pixel(x, y, (v,))
    data = pix.tobytes("png")
    src.close()
    out.close()
    return data


# ------------------------------------------------------------------ DOCX writer


def render_docx(doc: Doc, date: dt.date) -> tuple[bytes, str, int]:
    """(bytes, visible text, pages) of the DOCX; the header and footer count once."""
    import docx
    from docx.oxml.ns import qn

    d = docx.Document()
    when = dt.datetime(date.year, date.month, date.day, 10, 30)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    cp = d.core_properties
    cp.author = doc.author
    cp.last_modified_by = doc.author
    cp.title = doc.title
    cp.created = when
    cp.modified = when
    cp.last_printed = when
    cp.revision = 3
    section = d.sections[0]
    section.header.paragraphs[0].text = doc.header
    section.footer.paragraphs[0].text = doc.footer
    visible = [doc.header]
    rid = 700
    for b in doc.blocks:
        if isinstance(b, Break):
            d.add_page_break()
        elif isinstance(b, (Tbl, Form)):
            rows = b.rows if isinstance(b, Tbl) else [[k, v] for k, v in b.pairs]
            table = d.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    run = table.cell(r, c).paragraphs[0].add_run(value)
                    run.bold = (isinstance(b, Tbl) and b.header and r == 0) or (isinstance(b, Form) and c == 0)
                    visible.append(value)
        elif isinstance(b, P):
            if b.style == "title":
                p = d.add_heading(b.text, 0)
            elif b.style == "h":
                p = d.add_heading(b.text, 1)
            elif b.style == "bullet":
                p = d.add_paragraph(b.text, style="List Bullet")
            else:
                p = d.add_paragraph(b.text)
            visible.append(b.text + b.ins)
            if b.ins:
                rid += 1
                p._p.append(tracked("ins", b.ins, doc.author, stamp, rid))
            if b.dele:
                rid += 1
                p._p.append(tracked("del", b.dele, doc.author, stamp, rid))
            if b.comment:
                text, author = b.comment
                initials = "".join(w[0] for w in author.split())
                c = d.add_comment(p.runs, text=text, author=author, initials=initials)
                c._comment_elm.set(qn("w:date"), stamp)
        else:
            raise TypeError(f"{doc.name}: block {type(b).__name__} not supported in DOCX")
    visible.append(doc.footer)
    buf = io.BytesIO()
    d.save(buf)
    pages = 1 + sum(isinstance(b, Break) for b in doc.blocks)
    return fixed_zip(buf.getvalue()), "\n".join(visible), pages


# ------------------------------------------------------------------ the policy, applied to the register


def status(p: dict) -> str:
    """'keep' (name kept), 'redact' (everything redacted) or 'skip' (deceased: not scored)."""
    if p.get("deceased"):
        return "skip"
    if p["role"] == "subject" or p.get("consent") == "given":
        return "keep"
    if p.get("consent") == "refused" or p.get("referrer"):
        return "redact"
    if p["role"] in PROFESSIONAL:
        return "keep"
    if p["role"] in FAMILY_OR_CARER and not p.get("of") and p.get("known"):
        return "keep"
    return "redact"


def split_name(name: str) -> tuple[str, str]:
    parts = name.split()
    return parts[0], parts[-1]


def kept_forms(p: dict) -> list[str]:
    first, last = split_name(p["name"])
    forms = [p["name"], first, p["name"].upper(), f"{last.upper()}, {first}", *p.get("aliases", ())]
    return list(dict.fromkeys(forms))


def redacted_forms(p: dict, kept_surnames: set[str]) -> list[str]:
    first, last = split_name(p["name"])
    forms = [p["name"], first, p["name"].upper(), f"{last.upper()}, {first}", *p.get("aliases", ())]
    if last not in kept_surnames:
        forms += [last, last.upper()] + [f"{t} {last}" for t in ("Mr", "Mrs", "Ms", "Miss")]
    return list(dict.fromkeys(forms))


def withheld_forms(p: dict, kept_surnames: set[str], kept_words: set[str]) -> list[str]:
    out = []
    for name in p.get("withheld", ()):
        first, last = split_name(name)
        out += [name, name.upper()]
        if first not in kept_words:
            out.append(first)
        if last not in kept_surnames:
            out += [last, last.upper()]
    return out


# ------------------------------------------------------------------ truth


def readings(raw: str) -> list[str]:
    return scoring.readings(raw)


def count(item: str, text: str) -> int:
    return scoring.count_in(item, text)


def sentences_without(text: str, items: list[str]) -> str:
    parts = re.split(r"(?<=[.!?])\s+", text)
    return " ".join(p for p in parts if not any(scoring.count_in(i, p, redact=True) for i in items))


def block_pieces(doc: Doc, header_copies: int) -> list[str]:
    """The visible text of a document as separate pieces (paragraph, cell, form value), so that a sensitive
    sentence never swallows a neighbouring table cell when keep counts leave it out."""
    pieces: list[str] = []
    for n in range(header_copies):
        pieces += [doc.header, doc.footer.format(page=n + 1, pages=header_copies)]
    for b in doc.blocks:
        if isinstance(b, P):
            pieces.append(b.text + b.ins)
        elif isinstance(b, Tbl):
            pieces += [c for row in b.rows for c in row]
        elif isinstance(b, Form):
            pieces += [f"{k}: {v}" for k, v in b.pairs]
        elif isinstance(b, Cols):
            pieces += [p.text for p in b.left + b.right]
        elif isinstance(b, Addr):
            pieces += b.lines
    return [p for p in pieces if p.strip()]


def doc_truth(case: Case, doc: Doc, visible_raw: str, hidden_raw: str, pages: int, fmt: str) -> dict:
    people = {p["id"]: p for p in case.people}
    kept_people = [p for p in case.people if status(p) == "keep"]
    kept_surnames = {split_name(p["name"])[1] for p in kept_people}
    kept_words = {w for p in kept_people for f in kept_forms(p) for w in f.split()}
    vis = readings(visible_raw)
    everything = readings(visible_raw + "\n" + hidden_raw)
    tags = {t: {"kind": k, "person": pid} for t, (k, pid) in doc.redact.items()}
    # keep: explicit items plus every kept name form the document shows
    keep_specs = list(doc.keep)
    for p in kept_people:
        for f in kept_forms(p):
            if any(count(f, r) for r in vis) and not any(f == k[0] for k in keep_specs):
                keep_specs.append((f, "name", p["id"]))
    auto: list[tuple[str, str]] = []
    for p in case.people:
        if status(p) == "redact":
            auto += [(f, p["id"]) for f in redacted_forms(p, kept_surnames)]
        auto += [(f, p["id"]) for f in withheld_forms(p, kept_surnames, kept_words)]
    for u in case.unregistered:
        auto += [(f, "unregistered") for f in u["forms"]]
    keep_texts = [k[0] for k in keep_specs]
    for form, pid in auto:
        if form in tags or any(form in k or k in form for k in keep_texts):
            continue
        if any(scoring.count_in(form, r) for r in everything):
            tags[form] = {"kind": "name", "person": pid}
    for item, tag in tags.items():
        if not any(scoring.count_in(item, r) for r in everything):
            raise AssertionError(f"{case.id}/{doc.name}: redact item not in the document: {item!r}")
        for k in keep_texts:
            if item in k or k in item or item.upper() in k:
                raise AssertionError(f"{case.id}/{doc.name}: redact {item!r} overlaps keep {k!r}")
        if tag["person"] not in people and tag["person"] != "unregistered":
            raise AssertionError(f"{case.id}/{doc.name}: unknown person {tag['person']!r}")
    whole = [t for t, v in tags.items() if v["kind"] in ("sensitive", "deleted")]
    pieces = block_pieces(doc, pages if fmt != "docx" else 1)
    countable = [" \n ".join(sentences_without(r, whole) for piece in pieces for r in readings(piece)[:1])]
    keep = []
    for text, kind, person in keep_specs:
        n = min(max(count(text, r) for r in countable), max(count(text, r) for r in vis))
        if n:
            keep.append({"text": text, "count": n, "kind": kind, "person": person})
        elif (text, kind, person) in doc.keep and not any(count(text, r) for r in vis):
            raise AssertionError(f"{case.id}/{doc.name}: keep item not in the document: {text!r}")
    return {"redact": list(tags), "keep": keep, "redact_tags": tags, "pages": pages, "format": fmt, "type": doc.type}


def manifest_yaml(case: Case) -> str:
    head = {"sarkit": 1, "reference": case.reference, "received": case.received, "rules": "uk-dpa2018"}
    people = []
    for p in case.people:
        q = {k: v for k, v in p.items() if k != "ref"}
        for k in ("born",):
            if k in q:
                q[k] = dt.date.fromisoformat(q[k])
        people.append(q)
    body = yaml.safe_dump(head, sort_keys=False) + yaml.safe_dump(
        {"people": people}, sort_keys=False, default_flow_style=None, width=120
    )
    return "# Held-out simulation case for sarkit. All people, places and numbers are fictional.\n" + body


def docx_hidden(doc: Doc) -> str:
    """What a DOCX holds that its reader must not show: title, author, tracked deletions, comments."""
    return "\n".join(
        [doc.title, doc.author]
        + [b.dele for b in doc.blocks if isinstance(b, P) and b.dele]
        + [b.comment[0] for b in doc.blocks if isinstance(b, P) and b.comment]
    )


def anywhere_items(documents: dict[str, dict]) -> dict[str, dict[str, str]]:
    """The names, contacts and identifiers to redact that no keep item holds (nor is held in one): each must be
    absent from the whole bundle (truth.json's `anywhere_redact`), with its tag."""
    all_keep = {k["text"] for d in documents.values() for k in d["keep"]}
    anywhere: dict[str, dict[str, str]] = {}
    for d in documents.values():
        for text, tag in d["redact_tags"].items():
            if tag["kind"] in ("name", "contact", "identifier") and not any(
                text in k or k in text or text.upper() in k for k in all_keep
            ):
                anywhere.setdefault(text, tag)
    return anywhere


def build_case(case: Case, root: Path) -> dict:
    dest = root / case.id
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "documents").mkdir(parents=True)
    (dest / "case.yaml").write_text(manifest_yaml(case), encoding="utf-8")
    documents: dict[str, dict] = {}
    for i, doc in enumerate(case.docs):
        date = dt.date.fromisoformat(doc.name[:10])
        if doc.name.endswith(".docx"):
            data, visible, pages = render_docx(doc, date)
            hidden = docx_hidden(doc)
            fmt = "docx"
        else:
            pdf = render_pdf(doc, date, case.creator)
            visible, pages = pdf_text(pdf)
            hidden = f"{doc.title}\n{doc.author}"
            if doc.scan:
                data, fmt, hidden = render_scan(pdf, seed=hash_seed(case.id, i)), "png", ""
            else:
                data, fmt = pdf, "pdf"
        (dest / "documents" / doc.name).write_bytes(data)
        documents[doc.name] = doc_truth(case, doc, visible, hidden, pages, fmt)
    anywhere = anywhere_items(documents)
    people = {p["id"]: {"name": p["name"], "role": p["role"], "ref": p.get("ref", p["role"])} for p in case.people}
    for n, u in enumerate(case.unregistered):
        people["unregistered" if n == 0 else f"unregistered-{n + 1}"] = {
            "name": u["name"],
            "role": "other",
            "ref": "unreg",
        }
    truth = {
        "case": case.id,
        "set": "heldout-sim",
        "documents": documents,
        "anywhere_redact": list(anywhere),
        "anywhere_tags": anywhere,
        "people": people,
    }
    (dest / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return truth


def hash_seed(case_id: str, i: int) -> int:
    return sum(ord(c) * (k + 1) for k, c in enumerate(case_id)) * 100 + i


# ------------------------------------------------------------------ the cases
# (content below)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(HERE / "cases"))
    args = ap.parse_args(argv)
    root = Path(args.out)
    root.mkdir(parents=True, exist_ok=True)
    for case in all_cases():
        truth = build_case(case, root)
        n_red = sum(len(d["redact"]) for d in truth["documents"].values())
        n_keep = sum(k["count"] for d in truth["documents"].values() for k in d["keep"])
        print(f"{case.id}: {len(truth['documents'])} documents, {n_red} redact items, {n_keep} keep occurrences")
    return 0


def person(pid: str, name: str, role: str, *aliases: str, **flags) -> dict:
    p: dict = {"id": pid, "name": name, "role": role, "aliases": list(aliases)}
    p.update(flags)
    return p


# ------------------------------------------------------------------ case 1: Harrowdale (QX)


def case_harrowdale() -> Case:
    nhs_k, nhs_t = nhs("999412736"), nhs("999580214")
    mail = "harrowdale.example.org"
    people = [
        person("keeley", "Keeley Dunmore", "subject", "Keeley", "Kee", "KD", born="2006-02-14", pronouns="she"),
        person("tanya", "Tanya Dunmore", "mother", "Mam", "Tanya", "Ms Dunmore", "TD", known=True, born="1984-09-03"),
        person(
            "lee",
            "Lee O'Neill",
            "father",
            "Lee",
            "Mr O'Neill",
            known=False,
            risk=True,
            born="1981-11-30",
            pronouns="he",
        ),
        person(
            "jayden",
            "Jayden Dunmore",
            "sibling",
            "Jayden",
            "JD",
            known=True,
            withheld=["Kian Ashworth-Cole"],
            born="2010-05-21",
            pronouns="he",
        ),
        person(
            "miriam",
            "Miriam Ashworth-Cole",
            "adoptive-parent",
            "Miriam",
            "Mrs Ashworth-Cole",
            of="jayden",
            pronouns="she",
        ),
        person(
            "stuart",
            "Stuart Ashworth-Cole",
            "adoptive-parent",
            "Stuart",
            "Mr Ashworth-Cole",
            of="jayden",
            pronouns="he",
        ),
        person(
            "edna",
            "Edna Pickering",
            "grandparent",
            "Nana",
            "Nana Edna",
            "Edna",
            known=True,
            deceased=True,
            pronouns="she",
        ),
        person("rhona", "Rhona Baxter", "foster-carer", "Rhona", "Mrs Baxter", known=True, pronouns="she"),
        person("clive", "Clive Baxter", "foster-carer", "Clive", "Mr Baxter", known=True, pronouns="he"),
        person(
            "wes",
            "Wes Kirkbride",
            "partner-of-parent",
            "Wes",
            "Mr Kirkbride",
            "stepdad",
            known=True,
            born="1979-06-08",
            pronouns="he",
        ),
        person("tyler", "Tyler McAndrew", "other-child", "Tyler", pronouns="he"),
        person("doreen", "Doreen Halsall", "neighbour", "Doreen", "Mrs Halsall", referrer=True, pronouns="she"),
        person(
            "paulette", "Paulette Greaves", "family-friend", "Paulette", "Ms Greaves", consent="given", pronouns="she"
        ),
        person(
            "darren",
            "Darren Tonks",
            "uncle",
            "Darren",
            "Uncle Darren",
            "Mr Tonks",
            known=True,
            consent="refused",
            pronouns="he",
        ),
        person("abigail", "Abigail Fenwick", "social-worker", "Abigail", "Ms Fenwick", "AF", pronouns="she"),
        person("rajesh", "Rajesh Menon", "iro", "Mr Menon", "RM", pronouns="he"),
        person("claire", "Claire Whitlow", "teacher", "Mrs Whitlow", "CW", pronouns="she"),
        person("ifeoma", "Ifeoma Okonjo", "gp", "Dr Okonjo", pronouns="she"),
        person("martin", "Martin Sayle", "police-officer", "DC Sayle", pronouns="he"),
        person("jamie", "Jamie Ruddock", "personal-adviser", "Jamie", "JR", pronouns="they"),
    ]
    unregistered = [
        {"name": "Shelley Brannigan", "forms": ["Shelley Brannigan", "Shelley", "Brannigan", "Ms Brannigan"]},
        {"name": "Mr Pashley", "forms": ["Mr Pashley", "Pashley"]},
    ]
    footer_mash = "OFFICIAL-SENSITIVE | Harrowdale MBC Children's Services | Case ref 6093114 | Page {page} of {pages}"
    docs = [
        Doc(
            "2012-03-06 MASH Contact Record.pdf",
            "mash_contact",
            "MASH Contact Record",
            "MASH Duty",
            "HARROWDALE METROPOLITAN BOROUGH COUNCIL - MULTI-AGENCY SAFEGUARDING HUB",
            footer_mash,
            [
                P("MASH Contact Record", "title"),
                Form(
                    [
                        ("Child", "DUNMORE, Keeley"),
                        ("Date of birth", "14/02/2006"),
                        ("Case ref", "6093114"),
                        ("Address", "27 Foxglove Terrace, Ebbersby, QX4 7LP (mother's home)"),
                        ("School", "Ebbersby Primary School"),
                        ("Date of contact", "06/03/2012"),
                    ]
                ),
                P("Referrer details", "h"),
                Tbl(
                    [["Name", "Relationship to child", "Telephone"], ["Doreen Halsall", "Neighbour", "07700 900317"]],
                    [0.4, 0.3, 0.3],
                ),
                P("Household", "h"),
                Tbl(
                    [
                        ["Name", "Relationship", "DOB"],
                        ["Tanya Dunmore", "Mother", "03/09/1984"],
                        ["Jayden Dunmore", "Brother", "21/05/2010"],
                        ["Lee O'Neill", "Father (not in household)", "30/11/1981"],
                    ],
                    [0.4, 0.35, 0.25],
                ),
                P("Reason for contact", "h"),
                P(
                    "Mrs Halsall lives next door and rang the MASH line at 19:40. She said she heard shouting through "
                    "the wall for most of the evening and saw Keeley, aged six, sitting on the front step without a "
                    "coat. Keeley's mam had not answered the door when the caller knocked."
                ),
                P(
                    "The caller believes that Tanya has been struggling since the birth of Jayden and mentioned "
                    "postnatal depression. She also said that a man she called Lee visits late at night and that he "
                    "smokes cannabis every day."
                ),
                P("Doreen asked that her details are not passed to the family."),
                P("MASH decision", "h"),
                P(
                    "Checks completed with police and health. DC Sayle confirmed one previous domestic incident at the "
                    "address. Decision: pass to the Assessment Team for a single assessment; allocated to Abigail "
                    "Fenwick."
                ),
            ],
            redact={
                **R("contact", "tanya", "27 Foxglove Terrace", "QX4 7LP"),
                **R("contact", "doreen", "07700 900317"),
                **R("identifier", "tanya", "03/09/1984"),
                **R("identifier", "jayden", "21/05/2010"),
                **R("identifier", "lee", "30/11/1981"),
                **R("sensitive", "tanya", "postnatal depression"),
                **R("sensitive", "lee", "smokes cannabis every day"),
            },
            keep=K("identifier", "keeley", "14/02/2006", "6093114") + K("contact", "keeley", "Ebbersby Primary School"),
        ),
        Doc(
            "2012-03-20 Strategy Discussion Minutes.pdf",
            "strategy_minutes",
            "Strategy discussion",
            "A Fenwick",
            "OFFICIAL-SENSITIVE - Strategy Discussion - Keeley DUNMORE",
            "Harrowdale MBC | minutes taken by Abigail Fenwick | {page}/{pages}",
            [
                P("Strategy Discussion - Minutes", "title"),
                Form(
                    [
                        ("Child", "Keeley DUNMORE"),
                        ("Date", "20/03/2012, 10:00, Ebbersby Hub"),
                        ("Chair", "Team manager (by phone)"),
                    ],
                    label_width=0,
                ),
                P("Attendees", "h"),
                Tbl(
                    [
                        ["Name", "Role", "Agency"],
                        ["Abigail Fenwick", "Social worker", "Harrowdale Children's Services"],
                        ["DC Martin Sayle", "Police", "Public Protection Unit"],
                        ["Dr I. Okonjo", "GP", "Moorside Surgery"],
                        ["Claire Whitlow", "Class teacher", "Ebbersby Primary School"],
                    ],
                    [0.35, 0.25, 0.4],
                ),
                P("Information shared", "h"),
                P(
                    "Police: DC Sayle reported that Lee O'Neill was released from prison in January after he served 18 "
                    "months for robbery. Tanya told police that she does not want him at the house."
                ),
                P(
                    "Health: Dr Okonjo said Keeley's immunisations are up to date and that she has eczema, which is "
                    "managed with creams. Tanya Dunmore's NHS number is " + nhs_t + " and she has missed her last two "
                    "appointments with the perinatal mental health team."
                ),
                P(
                    "Education: Mrs Whitlow said Keeley's attendance is 81% this term and that she is often hungry "
                    "at lunchtime."
                ),
                P(
                    "The family friend Paulette Greaves has offered to help with school runs; Ms "
                    "Greaves can be reached "
                    "on 01632 960781."
                ),
                P(
                    "Mr Pashley, who lives across the road, told police that Shelley Brannigan, a friend of Tanya's, "
                    "often stays overnight. Shelley is known to have a drink problem."
                ),
                P("Decision", "h"),
                P(
                    "Threshold for s.47 enquiries met. Abigail to visit jointly with DC Sayle within "
                    "24 hours. KD to be "
                    "seen alone."
                ),
                Break(),
                P("Actions", "h"),
                Tbl(
                    [
                        ["Action", "Who", "By"],
                        ["Joint home visit", "AF / DC Sayle", "21/03/2012"],
                        ["Request health records", "Dr Okonjo", "27/03/2012"],
                        ["Check Lee O'Neill's current address", "DC Sayle", "22/03/2012"],
                    ],
                    [0.5, 0.3, 0.2],
                ),
            ],
            redact={
                **R("sensitive", "lee", "served 18 months for robbery"),
                **R("identifier", "tanya", nhs_t),
                **R("sensitive", "tanya", "perinatal mental health team"),
                **R("sensitive", "unregistered", "drink problem"),
            },
            keep=K("name", "ifeoma", "Dr I. Okonjo")
            + K("contact", "paulette", "01632 960781")
            + K("sensitive", "keeley", "eczema")
            + K("contact", "keeley", "Ebbersby Primary School"),
        ),
        Doc(
            "2014-07-02 Letter to Ms Dunmore.pdf",
            "letter",
            "Letter",
            "Abigail Fenwick",
            "OFFICIAL",
            "Harrowdale MBC is a data controller. Our privacy notice is at harrowdale.example.org/privacy",
            [
                Addr(
                    [
                        "Harrowdale Metropolitan Borough Council",
                        "Children's Services, Civic Centre",
                        "Tollgate Moor",
                        "Tel: 0113 496 0215",
                    ],
                    right=True,
                ),
                Addr(["Ms T. Dunmore", "27 Foxglove Terrace", "Ebbersby", "QX4 7LP"]),
                P("Our ref: AF/6093114"),
                P("2 July 2014"),
                P("Dear Ms Dunmore,", "serif"),
                P("Re: Keeley and Jayden", "h"),
                P(
                    "Thank you for meeting me on Monday. I am writing to confirm what we agreed about family time now "
                    "that Keeley is living with Mr and Mrs Baxter. Keeley will see you every other Saturday at the "
                    "family centre, and her brother will join when he is well enough.",
                    "serif",
                ),
                P(
                    "As we discussed, the rent arrears of £1,900 on your tenancy are a matter for you and the housing "
                    "office, but I have passed on the number of the debt advice service.",
                    "serif",
                ),
                P(
                    "I know you were upset that Darren Tonks will not be supervising contact. Mr Tonks has told us he "
                    "does not want his details shared with you, and we have to respect that.",
                    "serif",
                ),
                P(
                    "If you need to reach me, my direct line is 0113 496 0215 or you can email "
                    f"abigail.fenwick@{mail}.",
                    "serif",
                ),
                P("Yours sincerely,", "serif"),
                P("Abigail Fenwick\nSocial Worker, Children in Care Team", "serif"),
                P("cc: Mrs R. Baxter (foster carer)", "small"),
            ],
            redact={
                **R("contact", "tanya", "27 Foxglove Terrace", "QX4 7LP"),
                **R("sensitive", "tanya", "rent arrears of £1,900"),
            },
            keep=K("contact", "abigail", "0113 496 0215", f"abigail.fenwick@{mail}")
            + K("name", "tanya", "Ms T. Dunmore")
            + K("name", "rhona", "Mrs R. Baxter")
            + K("identifier", "keeley", "6093114"),
        ),
        Doc(
            "2016-11-09 Chronology.pdf",
            "chronology",
            "Chronology",
            "A Fenwick",
            "OFFICIAL-SENSITIVE",
            "Chronology | KEELEY DUNMORE | 6093114 | Page {page} of {pages}",
            [
                P("Chronology of Significant Events - Keeley Dunmore", "title"),
                Tbl(
                    [
                        ["Date", "Event", "Source"],
                        [
                            "06/03/2012",
                            "Referral from neighbour about shouting and Keeley left outside. NFA by police.",
                            "MASH",
                        ],
                        ["20/03/2012", "Strategy discussion; s.47 enquiry started. Father released on licence.", "CSC"],
                        [
                            "11/04/2012",
                            "Child protection conference: Keeley and Jayden made subject to CP plans (neglect).",
                            "CP Unit",
                        ],
                        [
                            "03/09/2013",
                            "Keeley accommodated under s.20 and placed with Rhona and Clive Baxter at Holly "
                            "Bank Farm, Nether Tolley, QX6 3RH.",
                            "CSC",
                        ],
                        [
                            "15/01/2014",
                            "Jayden placed for adoption. He is now known as Kian Ashworth-Cole and attends "
                            "St Oswin's Academy.",
                            "Adoption Team",
                        ],
                        ["02/07/2014", "Letter to mother confirming family time arrangements.", "CSC"],
                        [
                            "19/05/2015",
                            "Tanya's new partner Wes Kirkbride (DOB 08/06/1979) assessed as a contact "
                            "supervisor; he works at Brindle's Scrapyard.",
                            "CSC",
                        ],
                        ["22/02/2016", "Tyler McAndrew (14) placed with the Baxters as a second foster child.", "CSC"],
                        ["30/06/2016", "Nana Edna died. The funeral was held at Ebbersby crematorium.", "CSC"],
                        [
                            "08/11/2016",
                            "Police notification: Lee O'Neill arrested for breach of a non-molestation order.",
                            "Police",
                        ],
                    ],
                    [0.15, 0.67, 0.18],
                ),
                P("Chronology maintained by A. Fenwick; quality checked by Rajesh Menon (IRO)."),
            ],
            redact={
                **R("contact", "rhona", "Holly Bank Farm", "QX6 3RH"),
                **R("contact", "jayden", "St Oswin's Academy"),
                **R("identifier", "wes", "08/06/1979"),
                **R("contact", "wes", "Brindle's Scrapyard"),
                **R("sensitive", "lee", "breach of a non-molestation order"),
            },
            keep=K("name", "abigail", "A. Fenwick") + K("identifier", "keeley", "6093114"),
        ),
        Doc(
            "2019-05-14 Police Notification.png",
            "police_notification",
            "Police notification",
            "PPU",
            "HARROWDALE POLICE - PUBLIC PROTECTION UNIT",
            "Form PPN1 (rev 2018)",
            [
                P("Domestic Abuse Notification to Children's Services", "title"),
                Form(
                    [
                        ("Notifying officer", "DC Martin Sayle, Public Protection Unit"),
                        ("Date of incident", "12/05/2019"),
                        ("Location", "Flat 3, Mercer House, Culverdean QX9 2DW"),
                        ("Suspect", "O'NEILL, Lee"),
                        ("Victim", "Shelley Brannigan"),
                        ("Child linked", "Keeley Dunmore (in care)"),
                    ],
                    label_width=150,
                ),
                P(
                    "Officers attended after a 999 call. Lee O'Neill had been drinking and had punched the victim. He "
                    "was arrested for assault occasioning actual bodily harm."
                ),
                P(
                    "Keeley was not present; she remains in foster care. Her social worker Abigail Fenwick has been "
                    "informed."
                ),
            ],
            redact={
                **R("contact", "lee", "Flat 3, Mercer House", "QX9 2DW"),
                **R("sensitive", "lee", "assault occasioning actual bodily harm"),
            },
            scan=True,
        ),
        Doc(
            "2021-01-18 CLA Review.docx",
            "cla_review",
            "CLA review",
            "Rajesh Menon",
            "OFFICIAL-SENSITIVE | Looked After Review",
            "Harrowdale MBC Independent Reviewing Service | Case ref 6093114",
            [
                P("Looked After Child Review", "title"),
                Form(
                    [
                        ("Young person", "Keeley Dunmore"),
                        ("Date of birth", "14/02/2006"),
                        ("Placement", "Holly Bank Farm (Rhona and Clive Baxter)"),
                        ("IRO", "Rajesh Menon"),
                        ("Social worker", "Abigail Fenwick"),
                    ]
                ),
                Tbl(
                    [
                        ["Name", "Role", "Present"],
                        ["Keeley", "Young person", "Yes"],
                        ["Rhona Baxter", "Foster carer", "Yes"],
                        ["Tanya Dunmore", "Mother", "By phone"],
                        ["Jamie Ruddock", "Personal adviser", "Yes"],
                        ["Claire Whitlow", "Designated teacher, Tollgate Moor High School", "Yes"],
                    ],
                    [0.3, 0.5, 0.2],
                ),
                P("Placement", "h"),
                P(
                    "Keeley says she feels settled with Rhona and Clive and wants to stay until she is eighteen. Tyler "
                    "also lives in the placement and he is prescribed melatonin for his sleep."
                ),
                P(
                    "Rhona said the referral that started all this came from next door.",
                    dele=" Mrs Halsall (07700 900317) rang the MASH about the shouting.",
                    comment=("Check with legal before sharing referrer detail - AF", "Abigail Fenwick"),
                ),
                P("Health", "h"),
                P(
                    "Keeley had her annual health assessment in December. She is still being seen for eczema and is "
                    "registered with Dr Okonjo."
                ),
                P(
                    "Keeley's mam told the review she has been diagnosed with fibromyalgia and is waiting for a hip "
                    "operation."
                ),
                P("Family time", "h"),
                P(
                    "Keeley sees Mam once a month. Family time with her stepdad Wes has been positive. Uncle Darren "
                    "has asked not to be involved.",
                    ins=" Keeley would like to see her brother again.",
                ),
                P(
                    "Paulette Greaves, a family friend, has agreed to be named in Keeley's records. Paulette told the "
                    "review she is in recovery from alcohol dependency and wants to be a positive adult in Keeley's "
                    "life."
                ),
                P("Education", "h"),
                P("Mrs Whitlow reported that Keeley is predicted good grades and wants to train as a hairdresser."),
                P("Decisions", "h"),
                P("Plan for permanence: long-term fostering with the Baxters.", "bullet"),
                P("RM to write to Keeley with the outcome within 20 working days.", "bullet"),
            ],
            redact={
                **R("contact", "rhona", "Holly Bank Farm"),
                **R("sensitive", "tyler", "prescribed melatonin for his sleep"),
                **R("sensitive", "tanya", "diagnosed with fibromyalgia"),
                **R("deleted", "doreen", "Mrs Halsall (07700 900317) rang the MASH about the shouting."),
                **R("contact", "doreen", "07700 900317"),
            },
            keep=K("identifier", "keeley", "14/02/2006", "6093114")
            + K("contact", "keeley", "Tollgate Moor High School")
            + K("sensitive", "keeley", "eczema", "train as a hairdresser")
            + K("sensitive", "paulette", "recovery from alcohol dependency"),
        ),
        Doc(
            "2023-06-30 Email re move.pdf",
            "email",
            "RE: Keeley - move to Larch Court",
            "Jamie Ruddock",
            "Printed by A.Fenwick 30/06/2023 15:12",
            "Outlook - Harrowdale MBC",
            [
                Form(
                    [
                        ("From", f"Jamie Ruddock <jamie.ruddock@{mail}>"),
                        ("Sent", "30 June 2023 14:07"),
                        ("To", f"Abigail Fenwick <abigail.fenwick@{mail}>"),
                        ("Cc", f"Leaving Care Duty <lcduty@{mail}>"),
                        ("Subject", "RE: Keeley - move to Larch Court"),
                    ],
                    label_width=60,
                ),
                P("Hi Abigail,"),
                P(
                    "Quick update on KD. The tenancy at Flat 12, Larch Court, 4 Swale Road, Tollgate Moor QX2 8NB "
                    "starts on 17 July and Keeley has signed the licence agreement."
                ),
                P(
                    "She asked me to make sure her dad is not told where she is living, so I have flagged the address "
                    "on the system. Her mam's partner, Wes, has offered to help with the move."
                ),
                P(
                    "Also, Shelley Brannigan turned up at the office asking for Keeley's new number. I didn't give it. "
                    "Keeley's number stays 07700 900562."
                ),
                P("Thanks,\nJamie"),
                P(
                    f"Jamie Ruddock (they/them)\nPersonal Adviser, Leaving Care Service\nHarrowdale Metropolitan "
                    f"Borough Council\nT: 020 7946 0332 | E: jamie.ruddock@{mail}"
                ),
                P(
                    "This email and any attachments are confidential and intended for the named recipient only.",
                    "small",
                ),
            ],
            keep=K("contact", "keeley", "Flat 12, Larch Court", "QX2 8NB", "07700 900562")
            + K("contact", "jamie", "020 7946 0332", f"jamie.ruddock@{mail}")
            + K("contact", "abigail", f"abigail.fenwick@{mail}"),
        ),
        Doc(
            "2024-02-12 Pathway Plan.pdf",
            "pathway_plan",
            "Pathway plan",
            "Jamie Ruddock",
            "Harrowdale MBC - Leaving Care Service - Pathway Plan",
            "OFFICIAL-SENSITIVE | 6093114 | {page}",
            [
                P("Pathway Plan - Keeley Dunmore", "title"),
                Form(
                    [
                        ("Name", "Keeley Dunmore"),
                        ("Date of birth", "14/02/2006"),
                        ("NHS number", nhs_k),
                        ("NI number", "QQ 41 27 93 C"),
                        ("Address", "Flat 12, Larch Court, 4 Swale Road, Tollgate Moor QX2 8NB"),
                        ("Mobile", "07700 900562"),
                        ("Email", "keeley.d2006@example.com"),
                        ("Personal adviser", "Jamie Ruddock, 020 7946 0332"),
                    ]
                ),
                Cols(
                    [
                        P("Where I live", "h"),
                        P(
                            "I moved into my own flat in July. The flat is warm and I like being "
                            "near the bus station. My "
                            "PA helps me with the bills."
                        ),
                        P("My health", "h"),
                        P("I still get eczema when I am stressed. I registered with the surgery on Swale Road."),
                    ],
                    [
                        P("My family", "h"),
                        P(
                            "I see Mam most weekends. She has moved to 8 Pendle Close, Culverdean, and her mobile is "
                            "07700 900418. I do not want any contact with my dad."
                        ),
                        P(
                            "My brother was adopted and I have a letterbox arrangement with his "
                            "adoptive parents, Miriam "
                            "and Stuart."
                        ),
                    ],
                ),
                P("Education, training and employment", "h"),
                P(
                    "Keeley has started a Level 2 hairdressing course at Tollgate Moor College. Paulette helps her "
                    "budget for equipment."
                ),
                P("Risks", "h"),
                P("Lee O'Neill remains subject to a restraining order and must not know Keeley's address."),
                P("The plan was agreed by KD and JR on 12/02/2024; next review by Rajesh Menon in six months."),
            ],
            redact={**R("contact", "tanya", "8 Pendle Close", "07700 900418")},
            keep=K("identifier", "keeley", "14/02/2006", nhs_k, "QQ 41 27 93 C", "6093114")
            + K(
                "contact",
                "keeley",
                "Flat 12, Larch Court",
                "QX2 8NB",
                "07700 900562",
                "keeley.d2006@example.com",
                "Tollgate Moor College",
            )
            + K("contact", "jamie", "020 7946 0332")
            + K("sensitive", "keeley", "eczema"),
        ),
    ]
    return Case(
        "hx-c01-harrowdale",
        "SAR-2026-5512",
        dt.date(2026, 2, 9),
        "Harrowdale MBC",
        people,
        unregistered,
        docs,
        "Harrowdale ChildView export",
    )


# ------------------------------------------------------------------ case 2: Caddenshire (FX)


def case_caddenshire() -> Case:
    nhs_r = nhs("999263817")
    mail = "caddenshire.example.net"
    people = [
        person("reuben", "Reuben Smith-Jones", "subject", "Reuben", "Reubs", "RSJ", born="2005-08-09", pronouns="he"),
        person(
            "joanne",
            "Joanne Smith-Jones",
            "mother",
            "Mum",
            "Jo",
            "Ms Smith-Jones",
            "JSJ",
            known=True,
            born="1986-01-17",
        ),
        person(
            "aaron",
            "Aaron Kalinowski",
            "father",
            "Aaron",
            "Mr Kalinowski",
            "AK",
            known=False,
            born="1983-04-02",
            pronouns="he",
        ),
        person(
            "ruby",
            "Ruby-Mae Smith-Jones",
            "half-sibling",
            "Ruby-Mae",
            known=True,
            withheld=["Isla Fairbrother"],
            born="2012-10-11",
            pronouns="she",
        ),
        person("gwen", "Gwen Fairbrother", "adoptive-parent", "Gwen", "Mrs Fairbrother", of="ruby", pronouns="she"),
        person("martyn", "Martyn Fairbrother", "adoptive-parent", "Martyn", "Mr Fairbrother", of="ruby", pronouns="he"),
        person(
            "craig",
            "Craig Pollitt",
            "step-parent",
            "Craig",
            "Mr Pollitt",
            "stepdad",
            known=True,
            born="1980-02-26",
            pronouns="he",
        ),
        person(
            "bernard", "Bernard Hulme", "grandparent", "Grandad", "Bernie", known=True, deceased=True, pronouns="he"
        ),
        person("yvonne", "Yvonne Asante", "foster-carer", "Yvonne", "Mrs Asante", known=True, pronouns="she"),
        person("kwame", "Kwame Asante", "foster-carer", "Kwame", "Mr Asante", known=True, pronouns="he"),
        person("liam", "Liam Prestwich", "other-child", "Liam", pronouns="he"),
        person("irene", "Irene Scully", "neighbour", "Irene", "Mrs Scully", referrer=True, pronouns="she"),
        person(
            "sandra", "Sandra Okoro", "family-friend", "Sandra", "Ms Okoro", consent="given", risk=True, pronouns="she"
        ),
        person("kerry", "Kerry Lomax", "family-friend", "Kerry", "Ms Lomax", consent="refused", pronouns="she"),
        person("owain", "Owain Price", "social-worker", "Owain", "Mr Price", "OP", pronouns="he"),
        person("beverley", "Beverley Nuttall", "iro", "Mrs Nuttall", "BN", pronouns="she"),
        person("tom", "Tom Haworth", "teacher", "Mr Haworth", "Mr T. Haworth", pronouns="he"),
        person("sunita", "Sunita Bhatt", "gp", "Dr Bhatt", pronouns="she"),
        person("gareth", "Gareth Lund", "police-officer", "PC Lund", pronouns="he"),
        person("nadia", "Nadia Farouk", "personal-adviser", "Nadia", "Ms Farouk", "NF", pronouns="she"),
    ]
    unregistered = [
        {"name": "Chantelle Birtles", "forms": ["Chantelle Birtles", "Chantelle", "Birtles"]},
        {"name": "Mrs Ogden", "forms": ["Mrs Ogden", "Ogden"]},
        {"name": "Magda Kalinowska", "forms": ["Magda Kalinowska", "Magda", "Kalinowska"]},
    ]
    docs = [
        Doc(
            "2013-09-02 Initial Contact.docx",
            "mash_contact",
            "Front Door contact",
            "Front Door Duty",
            "OFFICIAL-SENSITIVE | Caddenshire Front Door",
            "Caddenshire County Council - Children and Families | Ref 40172286",
            [
                P("Front Door Contact Record", "title"),
                Form(
                    [
                        ("Child", "Reuben SMITH-JONES"),
                        ("DOB", "09/08/2005"),
                        ("Ref", "40172286"),
                        ("Home address", "Flat 6, Gorse Court, Wrenfold FX3 9QE"),
                        ("Contact date", "02/09/2013"),
                    ]
                ),
                Tbl(
                    [["Referrer", "Relationship", "Phone"], ["Irene Scully", "Neighbour (flat 5)", "01632 960447"]],
                    [0.4, 0.35, 0.25],
                ),
                P("Details of concern", "h"),
                P("Mrs Scully reported that Reuben, who is eight, has been coming to her door asking for food."),
                P(
                    "Reuben's father, Aaron, has started staying at the flat again and the caller believes he is "
                    "using spice."
                ),
                P("The caller also said that Aaron overstayed his visa and is frightened of being deported."),
                P("Reuben's half-sister Ruby-Mae is a baby and was seen in a dirty nappy on the landing."),
                P(
                    "Mrs Scully does not want Jo to know she called.",
                    dele=" She works nights at the Saltmarsh Green care home.",
                    comment=("Referrer asked for anonymity - do not disclose", "Owain Price"),
                ),
                P("Outcome", "h"),
                P(
                    "Allocated to Owain Price (Social Worker) for a child and family assessment. Mr "
                    "Price will visit on "
                    "04/09/2013."
                ),
            ],
            redact={
                **R("contact", "joanne", "Flat 6, Gorse Court", "FX3 9QE"),
                **R("contact", "irene", "01632 960447"),
                **R("sensitive", "aaron", "using spice"),
                **R("sensitive", "aaron", "overstayed his visa"),
                **R("deleted", "irene", "She works nights at the Saltmarsh Green care home."),
            },
            keep=K("identifier", "reuben", "09/08/2005", "40172286"),
        ),
        Doc(
            "2013-10-15 Child Protection Conference.pdf",
            "cp_conference",
            "ICPC minutes",
            "Beverley Nuttall",
            "OFFICIAL-SENSITIVE - NOT TO BE SHARED WITHOUT THE CHAIR'S AGREEMENT",
            "Caddenshire CC | ICPC minutes | Ref 40172286 | p.{page}",
            [
                P("Initial Child Protection Conference", "title"),
                Form(
                    [
                        ("Children", "Reuben Smith-Jones (09/08/2005); Ruby-Mae Smith-Jones (11/10/2012)"),
                        ("Chair", "Beverley Nuttall, Conference Chair"),
                    ],
                    label_width=0,
                ),
                Tbl(
                    [
                        ["Name", "Agency / relationship", "Attended"],
                        ["Joanne Smith-Jones", "Mother", "Yes"],
                        ["Craig Pollitt", "Mother's partner", "Yes"],
                        ["Owain Price", "Caddenshire Children's Services", "Yes"],
                        ["PC Gareth Lund", "Caddenshire Police", "Report only"],
                        ["Dr Sunita Bhatt", "Wrenfold Medical Practice", "Yes"],
                        ["Mr T. Haworth", "Saltmarsh Green Primary", "Yes"],
                    ],
                    [0.35, 0.45, 0.2],
                ),
                P("Summary of concerns", "h"),
                P(
                    "Owain Price summarised the assessment. The home conditions have been poor on four visits. JSJ "
                    "accepts that she has been finding it hard to cope."
                ),
                P(
                    "PC Lund's report states that Aaron Kalinowski has previous convictions for supplying class A "
                    "drugs and was last arrested in June."
                ),
                P("Dr Bhatt said that Joanne is on a methadone script and attends the Wrenfold recovery service."),
                P(
                    "Mr Haworth said Reubs is a bright boy who loves football, but his attendance is 74%. He has been "
                    "taking food from other children's lunch boxes."
                ),
                P("Craig told the conference he is a practising Muslim and that he wants to support Jo."),
                P(
                    "A family friend, Kerry Lomax, has offered respite at weekends. Ms Lomax declined to have her "
                    "contact details shared."
                ),
                P("Ms Smith-Jones's mobile: 07700 900129."),
                P("Decision", "h"),
                P("Reuben and Ruby-Mae to be subject to child protection plans under the category of neglect."),
            ],
            redact={
                **R("identifier", "ruby", "11/10/2012"),
                **R("sensitive", "aaron", "supplying class A drugs"),
                **R("sensitive", "joanne", "methadone script"),
                **R("sensitive", "craig", "practising Muslim"),
                **R("contact", "joanne", "07700 900129"),
            },
            keep=K("identifier", "reuben", "09/08/2005", "40172286")
            + K("contact", "reuben", "Saltmarsh Green Primary"),
        ),
        Doc(
            "2015-04-30 Health Assessment.pdf",
            "health_assessment",
            "Initial health assessment",
            "LAC Health",
            "CONFIDENTIAL - HEALTH",
            "Caddenshire Looked After Children's Health Service | {page} of {pages}",
            [
                P("Initial Health Assessment (Looked After Child)", "title"),
                Form(
                    [
                        ("Name", "SMITH-JONES, Reuben"),
                        ("Date of birth", "09/08/2005"),
                        ("NHS number", nhs_r),
                        ("Placement", "with foster carers Yvonne and Kwame Asante"),
                        ("Carer address", "14 Juniper Rise, Saltmarsh Green, FX7 2LU"),
                        ("GP", "Dr Sunita Bhatt, Wrenfold Medical Practice, 01632 960215"),
                        ("Assessed by", "LAC nurse on behalf of the health team"),
                    ],
                    label_width=150,
                ),
                P("Health history", "h"),
                P("Reuben was born at 36 weeks. Mum has hepatitis C and is being treated at the liver clinic."),
                P("Reuben has mild asthma and a peanut allergy; he carries an adrenaline pen."),
                P("Family history: his father Aaron has type 2 diabetes."),
                P(
                    "Another child in the placement, Liam Prestwich, has recently been diagnosed with epilepsy and "
                    "Reuben worries about him."
                ),
                P("Emotional health", "h"),
                P("Reuben's SDQ score is 19. He misses Ruby-Mae and his mum. He said Yvonne makes him feel safe."),
                P("Recommendations", "h"),
                P("Dental check within 3 months.", "bullet"),
                P("Review asthma plan with Dr Bhatt.", "bullet"),
            ],
            redact={
                **R("contact", "yvonne", "14 Juniper Rise", "FX7 2LU"),
                **R("sensitive", "joanne", "hepatitis C"),
                **R("sensitive", "aaron", "type 2 diabetes"),
                **R("sensitive", "liam", "diagnosed with epilepsy"),
            },
            keep=K("identifier", "reuben", "09/08/2005", nhs_r)
            + K("contact", "sunita", "01632 960215")
            + K("sensitive", "reuben", "peanut allergy"),
        ),
        Doc(
            "2017-08-21 Case Note.pdf",
            "case_note",
            "Case note",
            "Owain Price",
            "Caddenshire County Council - Case Recording System",
            "Printed 02/09/2023 by N. Farouk - Ref 40172286",
            [
                Form(
                    [("Case note type", "Statutory visit"), ("Worker", "Owain Price"), ("Child", "Reuben Smith-Jones")],
                    label_width=0,
                ),
                P(
                    "I visited Reuben at Mr and Mrs Asante's home. Reuben showed me the bike that "
                    "Kwame helped him fix. "
                    "He said he had a good summer and went to the seaside with Liam and Yvonne."
                ),
                P(
                    "Reuben talked about his stepdad Craig, who is now married to his mum. He said Craig's new job at "
                    "Harcastle Haulage means he works away a lot."
                ),
                P(
                    "Reuben said that his mum's friend Chantelle Birtles had messaged him on Instagram. Chantelle's "
                    "handle is @chantybee_89."
                ),
                P(
                    "Mum told me by phone that Sandra Okoro, who consented to being named in Reuben's file, has been "
                    "very supportive. Sandra's new address is 3 Weavers Yard, Hobb's End FX8 4AN and she asked that "
                    "it is not shared. Ms Okoro's phone is 07700 900693."
                ),
                P(
                    "Reuben asked whether he could see his dad. I explained that Mr Kalinowski is on remand at HMP "
                    "Wrenfold."
                ),
                P("Actions: OP to arrange life story work with Reuben before the end of September."),
            ],
            redact={
                **R("contact", "craig", "Harcastle Haulage"),
                **R("contact", "unregistered", "@chantybee_89"),
                **R("contact", "sandra", "3 Weavers Yard", "FX8 4AN", "07700 900693"),
                **R("sensitive", "aaron", "on remand at HMP Wrenfold"),
            },
            keep=K("identifier", "reuben", "40172286"),
        ),
        Doc(
            "2022-03-09 Email from PA.pdf",
            "email",
            "Reuben - college place and ID",
            "Nadia Farouk",
            "Nadia Farouk - Printed 09/03/2022",
            "Page {page}",
            [
                Form(
                    [
                        ("From", f"Nadia Farouk <nadia.farouk@{mail}>"),
                        ("To", "Owain Price"),
                        ("Cc", "Beverley Nuttall; Leaving Care Admin"),
                        ("Date", "Wed 09/03/2022 11:52"),
                        ("Subject", "Reuben - college place and ID"),
                    ],
                    label_width=55,
                ),
                P("Owain,"),
                P(
                    "Reuben has accepted a place on the motor vehicle course at Wrenfold College "
                    "starting in September. "
                    "He has his provisional licence and his NI number (QQ 62 18 40 A) is now on file."
                ),
                P(
                    "He wants to find out more about his dad's side of the family. Aaron's sister Magda Kalinowska has "
                    "written to him via the team, but I have not passed the letter on yet."
                ),
                P(
                    "His mum has asked again for his address. Reuben does not want her to have it at the moment, so "
                    "please don't share 41 Tannery Lane with anyone."
                ),
                P("Kind regards,\nNadia"),
                P(
                    f"Nadia Farouk | Personal Adviser | Caddenshire Leaving Care Service\nTel 01632 960588 | "
                    f"nadia.farouk@{mail}"
                ),
                P("CAUTION: This email may contain personal data. If received in error please delete it.", "small"),
            ],
            keep=K("contact", "reuben", "Wrenfold College", "41 Tannery Lane")
            + K("identifier", "reuben", "QQ 62 18 40 A")
            + K("contact", "nadia", "01632 960588", f"nadia.farouk@{mail}"),
        ),
        Doc(
            "2023-10-27 Pathway Plan Review.docx",
            "pathway_plan",
            "Pathway plan review",
            "Nadia Farouk",
            "Caddenshire County Council - Pathway Plan Review",
            "OFFICIAL-SENSITIVE | Reuben Smith-Jones | 40172286",
            [
                P("Pathway Plan Review", "title"),
                Form(
                    [
                        ("Young person", "Reuben Smith-Jones"),
                        ("Date of birth", "09/08/2005"),
                        ("Address", "41 Tannery Lane, Wrenfold FX1 6HD"),
                        ("Mobile", "07700 900245"),
                        ("Email", "reubs.sj@example.com"),
                        ("Personal adviser", "Nadia Farouk (NF)"),
                    ]
                ),
                P("Health", "h"),
                P(
                    "Reuben uses his inhaler less now. He has been referred for talking therapy for anxiety, which he "
                    "is happy for the plan to record."
                ),
                P("Family", "h"),
                P(
                    "Reuben sees his mum and Craig every few weeks. He knows his half-sister Ruby-Mae was adopted and "
                    "now lives with her adoptive family under the name Isla Fairbrother."
                ),
                P(
                    "Ruby-Mae's adoptive parents send a letter each summer.",
                    dele=" Gwen and Martyn Fairbrother live in Hobb's End.",
                    comment=("Letterbox only - do not name adopters", "Nadia Farouk"),
                ),
                P("Reuben said his mum's old friend Kerry sometimes messages him; he does not want contact with her."),
                P("Mrs Ogden, who used to live below Mum, told Reuben that his dad had been deported to Poland."),
                P("Money", "h"),
                P("Reuben has £340 of rent arrears and is paying back £5 a week."),
                Tbl(
                    [
                        ["Action", "Who", "By"],
                        ["Book driving test", "Reuben", "12/2023"],
                        ["Budgeting session", "NF", "11/2023"],
                        ["Review plan", "Mrs Nuttall", "04/2024"],
                    ],
                    [0.5, 0.3, 0.2],
                ),
            ],
            redact={
                **R("sensitive", "aaron", "deported to Poland"),
                **R("deleted", "gwen", "Gwen and Martyn Fairbrother live in Hobb's End."),
            },
            keep=K("identifier", "reuben", "09/08/2005", "40172286")
            + K("contact", "reuben", "41 Tannery Lane", "FX1 6HD", "07700 900245", "reubs.sj@example.com")
            + K("sensitive", "reuben", "talking therapy for anxiety", "£340 of rent arrears"),
        ),
    ]
    return Case(
        "hx-c02-caddenshire",
        "SAR-2026-3307",
        dt.date(2026, 4, 14),
        "Caddenshire CC",
        people,
        unregistered,
        docs,
        "Caddenshire Mosaic export",
    )


# ------------------------------------------------------------------ case 3: Ravensmoor (WQ)


def case_ravensmoor() -> Case:
    nhs_s = nhs("999734102")
    mail = "ravensmoor.example.com"
    people = [
        person("shannon", "Shannon McGovern", "subject", "Shannon", "Shan", "SMcG", born="2007-12-01", pronouns="she"),
        person(
            "louise",
            "Louise McGovern",
            "mother",
            "Mum",
            "Louise",
            "Ms McGovern",
            "LMcG",
            known=True,
            risk=True,
            born="1988-05-19",
        ),
        person(
            "dominic",
            "Dominic Varga",
            "father",
            "Dominic",
            "Dom",
            "Mr Varga",
            known=False,
            born="1985-07-07",
            pronouns="he",
        ),
        person("connor", "Connor McGovern", "sibling", "Connor", known=True, born="2003-03-15", pronouns="he"),
        person(
            "poppy",
            "Poppy McGovern",
            "sibling",
            "Poppy",
            known=True,
            withheld=["Ella Trelawney"],
            born="2011-06-30",
            pronouns="she",
        ),
        person("fiona", "Fiona Trelawney", "adoptive-parent", "Fiona", "Mrs Trelawney", of="poppy", pronouns="she"),
        person("hugh", "Hugh Trelawney", "adoptive-parent", "Hugh", "Mr Trelawney", of="poppy", pronouns="he"),
        person(
            "patricia", "Patricia Lyle", "grandparent", "Nana Pat", "Nana", known=True, deceased=True, pronouns="she"
        ),
        person("bridget", "Bridget Oyelaran", "foster-carer", "Bridget", "Mrs Oyelaran", known=True, pronouns="she"),
        person(
            "jason",
            "Jason Threlfall",
            "partner-of-parent",
            "Jason",
            "Mr Threlfall",
            known=False,
            born="1990-10-22",
            pronouns="he",
        ),
        person("kacey", "Kacey Dobbs", "other-child", "Kacey", pronouns="she"),
        person("alan", "Alan Ince", "neighbour", "Alan", "Mr Ince", "Mr A. Ince", referrer=True, pronouns="he"),
        person(
            "marguerite", "Marguerite Osei", "family-friend", "Marguerite", "Mrs Osei", consent="given", pronouns="she"
        ),
        person(
            "tracy", "Tracy-Ann Holt", "aunt", "Tracy-Ann", "Auntie Tracy", "Ms Holt", known=True, consent="refused"
        ),
        person("ben", "Ben Ashdown", "social-worker", "Ben", "Mr Ashdown", "BA", pronouns="he"),
        person("gill", "Gill Rowntree", "team-manager", "Gill", "GR", pronouns="she"),
        person("farah", "Farah Qureshi", "iro", "Ms Qureshi", "FQ", pronouns="she"),
        person("debbie", "Debbie Catterall", "school-nurse", "Nurse Catterall", pronouns="she"),
        person("karen", "Karen Whitby", "police-officer", "DS Whitby", pronouns="she"),
        person("lewis", "Lewis Maddox", "personal-adviser", "Lewis", "Mr Maddox", pronouns="he"),
    ]
    unregistered = [
        {"name": "Rochelle Ainsworth", "forms": ["Rochelle Ainsworth", "Rochelle", "Ainsworth"]},
        {"name": "Mr Bellamy", "forms": ["Mr Bellamy", "Bellamy"]},
    ]
    ref = "RC/2231-0457"
    docs = [
        Doc(
            "2014-01-10 Referral Form.pdf",
            "referral",
            "Referral form",
            "Front Door",
            "RAVENSMOOR COUNCIL - CHILDREN'S SERVICES FRONT DOOR",
            f"OFFICIAL-SENSITIVE     Ref: {ref}     Page {{page}} of {{pages}}",
            [
                P("Referral Form", "title"),
                Form(
                    [
                        ("Referral received", "10/01/2014 08:55"),
                        ("Child's name", "Shannon McGOVERN"),
                        ("Date of birth", "01/12/2007"),
                        ("Siblings", "Connor (10), Poppy (2)"),
                        ("Address", "Flat 21, Ashby Heights, Kelderby WQ2 5NS"),
                        ("Referrer", "Mr A. Ince, neighbour, 01632 960903"),
                        ("Referrer consents to be named", "No"),
                    ],
                    label_width=0,
                ),
                P("Reason for referral", "h"),
                P(
                    "The referrer says that the children's mother Louise has a new boyfriend, Jason "
                    "Threlfall, and that "
                    "there are loud arguments most nights. He saw Shannon, aged six, walking to the corner shop alone "
                    "at 10pm."
                ),
                P("He believes Jason deals cocaine from the flat."),
                P(
                    "Mr Ince also mentioned that Louise is a Jehovah's Witness and has stopped going to meetings since "
                    "she met Jason."
                ),
                P(
                    "He said Rochelle Ainsworth, a friend of Louise's, looks after the children sometimes and is often "
                    "drunk."
                ),
                P("Front door decision", "h"),
                P(
                    "RAG rating amber. Passed to the Assessment Team and allocated to Ben Ashdown. GR (Team Manager) "
                    "agreed the decision at 12:10."
                ),
            ],
            redact={
                **R("contact", "louise", "Flat 21, Ashby Heights", "WQ2 5NS"),
                **R("contact", "alan", "01632 960903"),
                **R("sensitive", "jason", "deals cocaine from the flat"),
                **R("sensitive", "louise", "Jehovah's Witness"),
                **R("sensitive", "unregistered", "often drunk"),
            },
            keep=K("identifier", "shannon", "01/12/2007", ref),
        ),
        Doc(
            "2014-02-03 Assessment.docx",
            "assessment",
            "Child and family assessment",
            "Ben Ashdown",
            "Ravensmoor Council | Child and Family Assessment",
            f"Shannon McGovern | Ref: {ref}",
            [
                P("Child and Family Assessment", "title"),
                Tbl(
                    [
                        ["Name", "Relationship", "DOB", "Notes"],
                        ["Shannon McGovern", "Subject", "01/12/2007", "Attends Nettlebank Primary"],
                        ["Louise McGovern", "Mother", "19/05/1988", "Main carer"],
                        ["Connor McGovern", "Brother", "15/03/2003", "-"],
                        ["Poppy McGovern", "Sister", "30/06/2011", "-"],
                        ["Jason Threlfall", "Mother's partner", "22/10/1990", "Lives in the home"],
                        ["Dominic Varga", "Father", "07/07/1985", "Whereabouts unknown"],
                    ],
                    [0.3, 0.25, 0.2, 0.25],
                ),
                P("The child's views", "h"),
                P(
                    "Shannon said she loves her Mum and her older brother Connor. She said Jason shouts a lot and she "
                    "hides under the bed with Poppy."
                ),
                P("Parenting capacity", "h"),
                P("Louise told me she has bipolar disorder and stopped taking her lithium last year."),
                P("She has debts of around £6,000 on catalogues and with a doorstep lender."),
                P(
                    "Louise agreed that Jason should not be left alone with the children.",
                    comment=("Is this agreement recorded in the safety plan? GR", "Gill Rowntree"),
                ),
                P("Family and environmental factors", "h"),
                P(
                    "Shannon's dad, Dominic Varga, has not seen the children since 2012. Police records show he was "
                    "convicted of arson in 2010."
                ),
                P(
                    "The neighbour who made the referral is known to the family.",
                    dele=" It was Alan Ince from flat 22.",
                ),
                P("Auntie Tracy has offered to help but does not want her details shared with Louise."),
                P("Analysis", "h"),
                P("Shannon's needs are not being met consistently. Recommend a child in need plan. BA 03/02/2014."),
            ],
            redact={
                **R("identifier", "louise", "19/05/1988"),
                **R("identifier", "connor", "15/03/2003"),
                **R("identifier", "poppy", "30/06/2011"),
                **R("identifier", "jason", "22/10/1990"),
                **R("identifier", "dominic", "07/07/1985"),
                **R("sensitive", "louise", "bipolar disorder"),
                **R("sensitive", "louise", "debts of around £6,000"),
                **R("sensitive", "dominic", "convicted of arson"),
                **R("deleted", "alan", "It was Alan Ince from flat 22."),
            },
            keep=K("identifier", "shannon", "01/12/2007", ref) + K("contact", "shannon", "Nettlebank Primary"),
        ),
        Doc(
            "2016-06-22 LAC Review Minutes.pdf",
            "cla_review",
            "LAC review",
            "Farah Qureshi",
            "Ravensmoor Council - Independent Reviewing Service - OFFICIAL-SENSITIVE",
            f"LAC review | Shannon McGovern | {ref} | {{page}}/{{pages}}",
            [
                P("Looked After Child Review Minutes", "title"),
                Form(
                    [
                        ("Child", "Shannon McGovern"),
                        ("Review", "Second review"),
                        ("Chair", "Farah Qureshi (IRO)"),
                        ("Venue", "Oxley Fold Family Centre"),
                    ],
                    label_width=120,
                ),
                Tbl(
                    [
                        ["Name", "Role", "Present"],
                        ["Shannon", "Young person", "Part"],
                        ["Bridget Oyelaran", "Foster carer", "Yes"],
                        ["Ben Ashdown", "Social worker", "Yes"],
                        ["Debbie Catterall", "School nurse", "Report"],
                        ["Louise McGovern", "Mother", "No - sent views"],
                    ],
                    [0.4, 0.35, 0.25],
                ),
                P("Placement", "h"),
                P(
                    "Shannon has lived with Bridget at 7 Wren Gardens, Oxley Fold WQ8 3JD since March. Mrs Oyelaran "
                    "described her as funny and kind."
                ),
                P(
                    "Kacey Dobbs, who also lives with Bridget, has been excluded from school for carrying a knife, and "
                    "Shannon has been upset by this."
                ),
                P("Health", "h"),
                P(
                    "Nurse Catterall reported that Shannon's growth is on track. Shannon is being seen by CAMHS for "
                    "nightmares and has agreed for this to be shared."
                ),
                P("Family time", "h"),
                P(
                    "Shannon sees Mum fortnightly at the family centre. Louise's new address is not to be shared "
                    "because of the risk from Jason Threlfall."
                ),
                P("Poppy was placed for adoption in May. Shannon will have letterbox contact with Mrs Trelawney."),
                P("Her older brother Connor, now thirteen, said he wants to see more of his sister."),
                P(
                    "Marguerite Osei, a family friend who agreed to be named, takes Shannon swimming on Sundays; Mrs "
                    "Osei's number is 07700 900771."
                ),
                P("Decisions", "h"),
                P("Shannon to remain with Bridget.", "bullet"),
                P("FQ to write to Shannon with the outcome.", "bullet"),
            ],
            redact={
                **R("contact", "bridget", "7 Wren Gardens", "WQ8 3JD"),
                **R("sensitive", "kacey", "carrying a knife"),
            },
            keep=K("identifier", "shannon", ref)
            + K("contact", "marguerite", "07700 900771")
            + K("sensitive", "shannon", "seen by CAMHS for nightmares"),
        ),
        Doc(
            "2018-09-14 Chronology.pdf",
            "chronology",
            "Chronology",
            "Ben Ashdown",
            f"CHRONOLOGY - McGOVERN, Shannon - {ref}",
            "Ravensmoor Council Children's Services | Page {page} of {pages}",
            [
                P("Chronology", "title"),
                Tbl(
                    [
                        ["Date", "Event", "Recorded by"],
                        [
                            "10/01/2014",
                            "Referral from neighbour (A.I.) about arguments and Shannon out alone.",
                            "Front Door",
                        ],
                        ["03/02/2014", "Assessment completed; CIN plan.", "B. Ashdown"],
                        [
                            "28/11/2015",
                            "Police called: Jason THRELFALL charged with assault; Shannon and Poppy present.",
                            "DS Whitby",
                        ],
                        [
                            "01/03/2016",
                            "Shannon and Poppy accommodated (s.20). Shannon placed with Bridget Oyelaran.",
                            "B. Ashdown",
                        ],
                        ["16/05/2016", "Poppy placed for adoption; new name Ella Trelawney.", "Adoption Team"],
                        ["22/06/2016", "LAC review. Plan: long-term fostering.", "F. Qureshi"],
                        ["04/02/2017", "Nana Pat passed away.", "B. Ashdown"],
                        ["19/10/2017", "Mum moved to a refuge out of area (address withheld - risk).", "B. Ashdown"],
                        [
                            "14/09/2018",
                            "Dominic Varga wrote asking for contact; he is living at 56 Cinder Street, "
                            "Kelderby WQ4 9HB. Request declined.",
                            "G. Rowntree",
                        ],
                    ],
                    [0.16, 0.64, 0.2],
                ),
            ],
            redact={
                **R("name", "alan", "A.I."),
                **R("sensitive", "jason", "charged with assault"),
                **R("contact", "dominic", "56 Cinder Street", "WQ4 9HB"),
            },
            keep=K("name", "ben", "B. Ashdown")
            + K("name", "farah", "F. Qureshi")
            + K("name", "gill", "G. Rowntree")
            + K("identifier", "shannon", ref),
        ),
        Doc(
            "2020-11-05 School Nurse Letter.png",
            "letter",
            "School nurse letter",
            "Debbie Catterall",
            "",
            "",
            [
                Addr(["Ravensmoor School Nursing Service", "Kelderby Health Centre", "Tel 0113 496 0734"], right=True),
                Addr(["Mrs B. Oyelaran", "7 Wren Gardens", "Oxley Fold", "WQ8 3JD"]),
                P("5 November 2020"),
                P("Dear Mrs Oyelaran,"),
                P(f"Re: Shannon McGovern, DOB 01/12/2007, NHS No. {nhs_s}", "h"),
                P(
                    "Thank you for bringing Shannon to the drop-in clinic. As agreed, I have referred her to the "
                    "eating disorders service and will see her again in four weeks."
                ),
                P(
                    "Shannon mentioned that her mum has been admitted to hospital under section 2 of the Mental "
                    "Health Act. I have not recorded any further details here."
                ),
                P("Yours sincerely,"),
                P("Debbie Catterall\nSchool Nurse"),
            ],
            redact={
                **R("contact", "bridget", "7 Wren Gardens", "WQ8 3JD"),
                **R("sensitive", "louise", "section 2 of the Mental Health Act"),
            },
            keep=K("name", "bridget", "Mrs B. Oyelaran")
            + K("contact", "debbie", "0113 496 0734")
            + K("identifier", "shannon", "01/12/2007", nhs_s)
            + K("sensitive", "shannon", "eating disorders service"),
            scan=True,
        ),
        Doc(
            "2022-07-19 Email.pdf",
            "email",
            "Shan - staying put / Connor",
            "Lewis Maddox",
            "Mail - Ben Ashdown - Outlook",
            "{page}",
            [
                Form(
                    [
                        ("From", f"Lewis Maddox <lewis.maddox@{mail}>"),
                        ("To", f"Ben Ashdown <ben.ashdown@{mail}>"),
                        ("Cc", "Farah Qureshi"),
                        ("Sent", "19 July 2022 09:14"),
                        ("Subject", "Shan - staying put / Connor"),
                    ],
                    label_width=50,
                ),
                P("Morning Ben,"),
                P(
                    "Shan wants to stay put with Bridget after her 18th and Bridget is happy with that. I've started "
                    "the paperwork."
                ),
                P(
                    "Connor rang me. Their older brother is now 19 and sofa-surfing; he gave his number as "
                    "07700 900356 and asked me to pass it to Shannon."
                ),
                P(
                    "One more thing: Mr Bellamy from the allotments rang to say Dom has been seen in Kelderby again. "
                    "I've let DS Whitby know."
                ),
                P("Tracy-Ann Holt has refused again to let us share anything she told us."),
                P("Cheers,\nLewis"),
                P(
                    f"Lewis Maddox\nPersonal Adviser | Ravensmoor Leaving Care Team\n020 7946 0518 | "
                    f"lewis.maddox@{mail}"
                ),
            ],
            redact={**R("contact", "connor", "07700 900356")},
            keep=K("contact", "lewis", "020 7946 0518", f"lewis.maddox@{mail}")
            + K("contact", "ben", f"ben.ashdown@{mail}"),
        ),
        Doc(
            "2024-04-08 Pathway Plan.pdf",
            "pathway_plan",
            "Pathway plan",
            "Lewis Maddox",
            "Ravensmoor Council - Leaving Care",
            f"Pathway Plan | {ref} | page {{page}}",
            [
                P("Pathway Plan", "title"),
                Form(
                    [
                        ("Name", "Shannon McGovern"),
                        ("Date of birth", "01/12/2007"),
                        ("Address", "Room 4, Heron House, 12 Mill Race, Kelderby WQ2 7EL"),
                        ("Mobile", "07700 900614"),
                        ("NI number", "QQ 19 83 52 B"),
                        ("Personal adviser", "Lewis Maddox - 020 7946 0518"),
                    ],
                    label_width=130,
                ),
                Cols(
                    [
                        P("About me", "h"),
                        P(
                            "I am 16 and I live in supported lodgings. I am doing my GCSE resits and I want to be a "
                            "midwife."
                        ),
                        P("Health", "h"),
                        P("I am still working with the eating disorders team and I feel better than last year."),
                    ],
                    [
                        P("People who matter to me", "h"),
                        P(
                            "Bridget is still like a mum to me. I see Connor most weekends. Mum "
                            "lives in another town and "
                            "we talk on the phone."
                        ),
                        P("Money", "h"),
                        P("I get £60 a week. Lewis is helping me open a bank account."),
                    ],
                ),
                P("Worries", "h"),
                P(
                    "Jason Threlfall was released from prison in January. Shannon has been told what to do if he "
                    "contacts her."
                ),
                P("Shannon knows that Poppy now lives with the Trelawney family."),
                P("Signed: Shannon McGovern (young person); Lewis Maddox (PA); 08/04/2024"),
            ],
            keep=K("identifier", "shannon", "01/12/2007", "QQ 19 83 52 B", ref)
            + K("contact", "shannon", "12 Mill Race", "WQ2 7EL", "07700 900614")
            + K("contact", "lewis", "020 7946 0518")
            + K("sensitive", "shannon", "eating disorders team", "be a midwife"),
        ),
    ]
    return Case(
        "hx-c03-ravensmoor",
        "SAR-2026-7740",
        dt.date(2026, 5, 20),
        "Ravensmoor Council",
        people,
        unregistered,
        docs,
        "Ravensmoor LiquidLogic export",
    )


def all_cases() -> list[Case]:
    return [case_harrowdale(), case_caddenshire(), case_ravensmoor()]


if __name__ == "__main__":
    sys.exit(main())
