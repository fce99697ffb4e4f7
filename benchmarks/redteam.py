"""Red-team benchmark (issue 15): every kind of hiding place a PDF or DOCX offers, through sarkit, then an
independent scan of bundle/.

One case holds one hostile document per kind of trap (tests/hostile.py builds them: the 21 kinds issue 15 saw
leak, the kinds it counts as handled and every other hiding place of a PDF or DOCX, and the over-caution
cases), plus a clean note and a pair of notes where detection is made to miss a name in one of them (a leak
only in records.pdf). `sarkit propose`, `sarkit bundle --accept-proposals` and `sarkit verify` run as
subprocesses. Then bundle/ is scanned by a scanner written here, which imports nothing from sarkit:

- paths: every file and folder name under bundle/;
- PDFs: PyMuPDF's text, poppler's pdftotext and pdffonts, page labels, the outline, every object (hex strings
  and #-escaped names decoded), every decoded stream and every raw image stream, embedded files, and
  tesseract's OCR of every page (unless --no-ocr);
- records.html: the text, entities decoded.

Each reading is folded (NFKC, case, Cyrillic and Greek look-alikes, zero-width characters and soft hyphens
gone) and searched for each protected surname. Per kind it prints: removed (the output exists and the scan
finds nothing), held back (document / page), or LEAK (with where). A leak in records.pdf or records.html is
charged to the document it belongs to (by records.pdf's outline, by records.html's nearest heading).

    .venv/bin/python benchmarks/redteam.py [--no-ocr] [--thorough] [--keep DIR] [--only KIND ...] [--json]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pymupdf

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
import hostile  # noqa: E402  (the hostile builders, in tests/)

SARKIT = [sys.executable, "-m", "sarkit.cli"]
HAS_TESSERACT = shutil.which("tesseract") is not None
HAS_POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdffonts") is not None
NEEDS_DEJAVU = {
    "cyrillic-pdf",
    "soft-hyphen",
    "identity-h-no-tounicode",
    "tounicode-remapped",
    "cmapless-remapped",
    "ligature",
}

CASE_YAML = """\
sarkit: 1
reference: SAR-2026-0015
received: 2026-10-01
rules: uk-dpa2018
people:
  - id: jane
    name: Jane Doe
    role: subject
    aliases: [Jane]
    born: 2004-03-12
  - id: sharon
    name: Sharon Doe
    role: mother
    aliases: [Mum, Ms Doe]
    known: true
  - id: karen
    name: Karen Pike
    role: social-worker
  - id: brian
    name: Brian Lewis
    role: neighbour
    aliases: [Mr Lewis, BL]
    referrer: true
  - id: fiona
    name: Fiona Griffin
    role: neighbour
    referrer: true
"""
# protected surnames the scan looks for (the first names are common words in other names; surnames suffice)
TARGETS = ("lewis", "griffin", "pollard")
# the leak only in records.pdf: a name redacted in one note and (made) missed in the other
RECORDS_ONLY = {
    "records-only-leak": [
        ("2022-05-01 Note R01.pdf", "Jane was visited by Gary Pollard at home."),
        ("2022-05-02 Note R02.pdf", "Jane phoned Gary Pollard about school."),
    ]
}
CLEAN = "2019-12-31 Clean note C00.pdf"

# ---------------------------------------------------------------- folding, written here (not sarkit's)

LOOKALIKE = str.maketrans(
    {
        **dict(zip("АВЕКМНОРСТХаеорсухіјѕԁɡ", "ABEKMHOPCTXaeopcyxijsdg", strict=True)),
        **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοι", "ABEZHIKMNOPTYXaoi", strict=True)),
    }
)
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e]")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(LOOKALIKE)
    text = INVISIBLE.sub("", text)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def letters(text: str) -> str:
    """Only the letters, for readings that are text: "B. Le-\\nwis" is "blewis"."""
    return re.sub(r"[^a-z]", "", fold(text))


def loose(text: str) -> str:
    """For binary readings (raw streams): only separators a writer could slip in are dropped, so letters that
    happen to sit between bytes of an image do not join up into words."""
    return re.sub(r"[\s\x00_.\-]", "", fold(text))


def hits(text: str, binary: bool = False) -> set[str]:
    s = loose(text) if binary else letters(text)
    return {t for t in TARGETS if t in s}


# ---------------------------------------------------------------- building the case


def build_case(root: Path, only: set[str] | None) -> tuple[Path, dict[str, str]]:
    """The case folder and kind -> its document's name under documents/."""
    case = root / "case"
    (case / "documents").mkdir(parents=True)
    (case / "case.yaml").write_text(CASE_YAML, encoding="utf-8")
    kinds: dict[str, str] = {}
    dejavu = hostile.DEJAVU.is_file()
    groups = {**hostile.TRAPS, **hostile.HANDLED, **hostile.OVERCAUTION}
    for i, (kind, (name, build)) in enumerate(groups.items()):
        if kind in hostile.TRAPS:  # a code of its own after the date: T01 ...
            head, _, base = name.rpartition("/")
            base = re.sub(r"^(\d{4}-\d\d-\d\d) ", rf"\1 T{i + 1:02d} ", base)
            name = f"{head}/{base}" if head else base
        if only and kind not in only:
            continue
        if kind in NEEDS_DEJAVU and not dejavu:
            print(f"skipped {kind}: DejaVu font not installed")
            continue
        dest = case / "documents" / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        build(dest)
        kinds[kind] = name
    if not only or "records-only-leak" in only:
        for name, text in RECORDS_ONLY["records-only-leak"]:
            hostile.text_pdf(case / "documents" / name, text)
        kinds["records-only-leak"] = RECORDS_ONLY["records-only-leak"][1][0]
        kinds["records-only-redacted"] = RECORDS_ONLY["records-only-leak"][0][0]  # the note redacted as proposed
    hostile.text_pdf(case / "documents" / CLEAN, "Jane was seen at home with Ms Doe.")
    kinds["clean-note"] = CLEAN
    return case, kinds


def miss_in_records_only(case: Path) -> None:
    """Detection made to miss the name in the second note of the pair (a redaction miss, as in the wild)."""
    with sqlite3.connect(case / ".sarkit" / "ledger.sqlite") as db:
        row = db.execute("SELECT id FROM documents WHERE name LIKE '%R02%'").fetchone()
        if row:
            db.execute("DELETE FROM proposals WHERE doc = ? AND text LIKE '%Pollard%'", (row[0],))


def run(*args: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1", PYTHONPATH=str(REPO))
    return subprocess.run([*SARKIT, *args], capture_output=True, text=True, timeout=timeout, env=env)


# ---------------------------------------------------------------- the independent scanner

HEX = re.compile(rb"<([0-9A-Fa-f\s]{4,})>")
NAME_ESC = re.compile(r"#([0-9A-Fa-f]{2})")


def _hex_strings(obj: str) -> str:
    out = []
    for m in HEX.finditer(obj.encode("latin-1", "replace")):
        raw = bytes.fromhex(re.sub(rb"\s", b"", m.group(1)).decode()) if len(m.group(1).strip()) % 2 == 0 else b""
        if raw.startswith(b"\xfe\xff"):
            out.append(raw[2:].decode("utf-16-be", "replace"))
        else:
            out.append(raw.decode("latin-1"))
    return "\n".join(out)


def _ocr(png: bytes) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    r = subprocess.run(["tesseract", "stdin", "stdout"], input=png, capture_output=True, timeout=300, env=env)
    return r.stdout.decode("utf-8", "replace")


def scan_pdf(path: Path, ocr: bool, pool: ThreadPoolExecutor) -> dict[int, set[str]]:
    """page number (0-based; -1 for the file as a whole) -> the readings where a target was found."""
    found: dict[int, set[str]] = defaultdict(set)

    def note(page: int, where: str, text: str, binary: bool = False) -> None:
        for t in hits(text, binary):
            found[page].add(f"{where}:{t}")

    jobs = []
    with pymupdf.open(path) as doc:
        for i, page in enumerate(doc):
            note(i, "text", page.get_text())
            note(i, "text-raw", page.get_text("rawdict", flags=0).__repr__())
            note(i, "page-label", page.get_label())
            if ocr:
                jobs.append((i, pool.submit(_ocr, page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY).tobytes("png"))))
        note(-1, "outline", repr(doc.get_toc(simple=False)))
        note(-1, "metadata", repr(doc.metadata) + (doc.get_xml_metadata() or ""))
        for n in range(doc.embfile_count()):
            note(-1, "embedded-file", repr(doc.embfile_info(n)) + doc.embfile_get(n).decode("latin-1"))
        for xref in range(1, doc.xref_length()):
            try:
                obj = doc.xref_object(xref, compressed=True)
            except Exception:  # noqa: BLE001 - a broken object is not text
                continue
            note(-1, "objects", obj + NAME_ESC.sub(lambda m: chr(int(m.group(1), 16)), obj) + _hex_strings(obj))
            if not doc.xref_is_stream(xref):
                continue
            try:
                data = doc.xref_stream(xref) or b""
            except Exception:  # noqa: BLE001 - an undecodable stream: its raw bytes below
                data = b""
            raw = doc.xref_stream_raw(xref) or b""
            for blob, where in ((data, "stream"), (raw, "raw-stream")):
                for enc in ("latin-1", "utf-16-le", "utf-16-be"):
                    note(-1, where, blob.decode(enc, "replace"), binary=True)
    if HAS_POPPLER:
        for tool, where in ((["pdftotext", "-q", str(path), "-"], "pdftotext"), (["pdffonts", str(path)], "fonts")):
            r = subprocess.run(tool, capture_output=True, timeout=120)
            note(-1, where, r.stdout.decode("utf-8", "replace"))
    for i, job in jobs:
        note(i, "ocr", job.result())
    return found


# ---------------------------------------------------------------- the table


def main() -> int:  # noqa: C901, PLR0912, PLR0915 - one report, read top to bottom
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-ocr", action="store_true", help="the scanner reads no page by OCR")
    ap.add_argument("--thorough", action="store_true", help="also run sarkit verify --thorough")
    ap.add_argument("--keep", type=Path, help="build the case in DIR and keep it")
    ap.add_argument("--only", nargs="*", help="only these kinds")
    ap.add_argument("--workers", default="2", help="sarkit's --workers (default 2)")
    ap.add_argument("--json", action="store_true", help="the table as JSON")
    args = ap.parse_args()
    ocr = HAS_TESSERACT and not args.no_ocr
    if not HAS_TESSERACT:
        print("tesseract not installed: the scanner reads no page by OCR, sarkit's OCR traps are not measured")
    t0 = time.monotonic()
    root = args.keep or Path(tempfile.mkdtemp(prefix="redteam-"))
    if args.keep and root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    case, kinds = build_case(root, set(args.only) if args.only else None)
    timings = {}
    t = time.monotonic()
    p = run("propose", str(case), "--json", "--workers", args.workers)
    timings["propose"] = time.monotonic() - t
    if p.returncode not in (0, 1):
        print(f"propose failed ({p.returncode}): {p.stderr[-2000:]}")
        return 2
    miss_in_records_only(case)
    t = time.monotonic()
    b = run("bundle", str(case), "--accept-proposals", "--json", "--workers", args.workers)
    timings["bundle"] = time.monotonic() - t
    if b.returncode not in (0, 1):
        print(f"bundle failed ({b.returncode}): {b.stderr[-2000:]}")
        return 2
    res = json.loads(b.stdout)
    t = time.monotonic()
    v = run("verify", str(case), "--json")
    timings["verify"] = time.monotonic() - t
    vt = None
    if args.thorough:
        t = time.monotonic()
        vt = run("verify", str(case), "--thorough", "--json")
        timings["verify --thorough"] = time.monotonic() - t

    bundle = case / "bundle"
    held = {Path(n).name: why for n, why in res["withheld"].items()}
    held |= {Path(n).name: f"skipped: {why}" for n, why in res["skipped"].items()}
    pages_held = {Path(n).name: pages for n, pages in res["pages_withheld"].items()}
    code = {kind: re.search(r"[A-Z]\d\d", Path(name).name) for kind, name in kinds.items()}
    by_code = {m.group(0): kind for kind, m in code.items() if m}

    def kind_of(text: str) -> str | None:
        m = re.findall(r"\b([A-Z]\d\d)\b", text)
        return by_code.get(m[-1]) if m else None

    def kind_by_name(text: str) -> str | None:
        hit = [k for k, n in kinds.items() if Path(n).name in text or Path(n).stem in text]
        return hit[0] if hit else None

    t = time.monotonic()
    leaks: dict[str, set[str]] = defaultdict(set)
    outputs: dict[str, Path] = {}
    with ThreadPoolExecutor(2) as pool:
        for kind, name in kinds.items():
            m = code[kind]
            cands = [q for q in (bundle / "documents").rglob("*.pdf") if m and m.group(0) in q.name]
            if cands:
                outputs[kind] = cands[0]
                rel = cands[0].relative_to(bundle).as_posix()
                for t_ in hits(rel):
                    leaks[kind].add(f"path:{t_}")
                for page, wheres in scan_pdf(cands[0], ocr, pool).items():
                    leaks[kind] |= {w if page < 0 else f"{w}@p{page + 1}" for w in wheres}
        # folders (a held-back file's folder must not stay behind either)
        for folder in (q for q in bundle.rglob("*") if q.is_dir()):
            for t_ in hits(folder.name):
                leaks["folder-name"].add(f"folder:{t_}")
        # records.pdf: each page charged to the document the outline puts it in
        rp = bundle / "records.pdf"
        if rp.exists():
            with pymupdf.open(rp) as doc:
                toc = doc.get_toc()
            starts = sorted((entry[2] - 1, entry[1]) for entry in toc if entry[2] > 0)
            for page, wheres in scan_pdf(rp, ocr, pool).items():
                title = next((t_ for s, t_ in reversed(starts) if s <= page), "") if page >= 0 else ""
                kind = kind_of(title) or kind_by_name(title) or "records.pdf (not attributed)"
                leaks[kind] |= {f"records.pdf/{w}" for w in wheres}
        rh = bundle / "records.html"
        if rh.exists():
            text = html.unescape(rh.read_text(encoding="utf-8"))
            flat, offsets = letters_index(text)
            for target in TARGETS:
                for m in re.finditer(target, flat):
                    at = offsets[m.start()]
                    heads = re.findall(r"<h3[^>]*>(.*?)</h3>", text[:at])
                    kind = (kind_of(heads[-1]) or kind_by_name(heads[-1])) if heads else None
                    leaks[kind or "records.html (not attributed)"].add(f"records.html:{target}")
    timings["scan"] = time.monotonic() - t

    def leaks_elsewhere(kind: str) -> bool:
        """A leak of the pair's name besides the miss made on purpose in the second note's own output."""
        return any(w.startswith("records.") for w in leaks.get(kind, ()))

    rows = []
    for kind, name in kinds.items():
        if kind == "records-only-leak" and not leaks_elsewhere(kind):
            leaks.pop(kind, None)  # the note itself shows the name detection was made to miss: by design
        base = Path(name).name
        if kind in leaks:
            outcome = "LEAK"
        elif kind == "records-only-leak" and "records" in held.get(base, "") and not leaks_elsewhere(kind):
            outcome = "left out of the records (document flagged)"
        elif held.get(base, "").startswith("left out of records"):
            outcome = "left out of the records (document kept)"
        elif base in held:
            outcome = "held back (document)"
        elif base in pages_held or (kind in outputs and outputs[kind].name in pages_held):
            outcome = "held back (page)"
        elif kind in outputs:
            outcome = "removed" if kind not in ("clean-note",) else "kept"
        else:
            outcome = "missing (no output, not reported held back)"
        group = (
            "leak-21"
            if kind in hostile.TRAPS
            else "handled"
            if kind in hostile.HANDLED
            else "over-caution"
            if kind in hostile.OVERCAUTION or kind.startswith("records-only")
            else "control"
        )
        rows.append({"kind": kind, "group": group, "outcome": outcome, "where": sorted(leaks.get(kind, ()))})
    for extra in sorted(set(leaks) - set(kinds)):
        rows.append({"kind": extra, "group": "records", "outcome": "LEAK", "where": sorted(leaks[extra])})

    total = time.monotonic() - t0
    summary = {
        "verify_exit": v.returncode,
        "verify_thorough_exit": vt.returncode if vt else None,
        "bundle_exit": b.returncode,
        "seconds": {k: round(s, 1) for k, s in {**timings, "total": total}.items()},
        "counts": {
            o: sum(r["outcome"].startswith(o) for r in rows)
            for o in ("removed", "kept", "held back (document)", "held back (page)", "left out", "LEAK", "missing")
        },
    }
    if args.json:
        print(json.dumps({"rows": rows, **summary}, indent=1))
    else:
        width = max(len(r["kind"]) for r in rows)
        for group in ("leak-21", "handled", "over-caution", "control", "records"):
            sel = [r for r in rows if r["group"] == group]
            if not sel:
                continue
            print(f"\n== {group} ({len(sel)} kinds)")
            for r in sel:
                where = f"  [{', '.join(r['where'])}]" if r["where"] else ""
                why = held.get(Path(kinds.get(r["kind"], "")).name, "") if r["outcome"].startswith("held") else ""
                print(f"  {r['kind']:<{width}}  {r['outcome']}{where}{('  (' + why[:80] + ')') if why else ''}")
        print()
        print("totals:", ", ".join(f"{k} {n}" for k, n in summary["counts"].items()))
        print(
            f"bundle exit {b.returncode}, verify exit {v.returncode}"
            + (f", verify --thorough exit {vt.returncode}" if vt else "")
            + f"; OCR in the scan: {'yes' if ocr else 'no'}; poppler: {'yes' if HAS_POPPLER else 'no'}"
        )
        print("seconds:", ", ".join(f"{k} {s}" for k, s in summary["seconds"].items()))
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0


def letters_index(text: str) -> tuple[str, list[int]]:
    """The letters of text, folded, with the offset in text each came from."""
    out, where = [], []
    for i, ch in enumerate(text):
        for c in fold(ch):
            if "a" <= c <= "z":
                out.append(c)
                where.append(i)
    return "".join(out), where


if __name__ == "__main__":
    sys.exit(main())
