"""Score sarkit on the synthetic corpus (or the example case) exactly as shared/corpus/README.md says.

    python benchmarks/corpus_score.py                       # every case under ../shared/corpus
    python benchmarks/corpus_score.py --root DIR --misses   # another corpus, listing what leaked or was lost
    python benchmarks/corpus_score.py --case examples/case --truth examples/case-truth.json
    python benchmarks/corpus_score.py --oracle              # validate the scorer with a perfect redactor

Each case is copied without truth.json to a temporary folder, then `sarkit propose CASE` and
`sarkit bundle CASE --accept-proposals` run as subprocesses, and bundle/documents/* is scored.
The listing of misses shows fictional data only; it is for developers.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scoring  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ROOT = REPO.parent / "shared" / "corpus"
SPINE = ("name", "contact", "identifier")
IMAGE_FORMATS = {"png", "jpg", "jpeg", "tif", "tiff"}


# ------------------------------------------------------------------ reading an output PDF


@dataclass
class Readings:
    visible: list[str] = field(default_factory=list)  # text layer readings (and OCR), for keeps and redacts
    hidden: list[str] = field(default_factory=list)  # metadata, annotations, bookmarks, forms, raw streams

    @property
    def all(self) -> list[str]:
        return self.visible + self.hidden


def _ocr_page(page: pymupdf.Page, dpi: int = 300) -> str:
    png = page.get_pixmap(dpi=dpi).tobytes("png")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "eng"], input=png, capture_output=True, env=env, check=False
    )
    return done.stdout.decode("utf-8", "replace")


def _printable(data: bytes) -> str | None:
    text = data.decode("latin-1")
    if not text:
        return None
    good = sum(ch.isprintable() or ch in "\n\r\t" for ch in text)
    return text if good / len(text) > 0.9 else None


_FONT_OR_IMAGE = re.compile(r"/Image|/Length1|/FontFile|/Subtype\s*/(Type1C|CIDFontType0C|OpenType)")


def _hidden_text(doc: pymupdf.Document) -> list[str]:
    parts: list[str] = [v for v in (doc.metadata or {}).values() if isinstance(v, str)]
    parts.append(doc.get_xml_metadata() or "")
    parts += [str(t[1]) for t in doc.get_toc(simple=True)]
    for page in doc:
        for annot in page.annots() or []:
            info = annot.info
            parts += [info.get("content", ""), info.get("title", ""), info.get("subject", "")]
        for widget in page.widgets() or []:
            parts += [str(widget.field_value or ""), widget.field_name or ""]
    for i in range(doc.embfile_count()):
        info = doc.embfile_info(i)
        parts += [info.get("filename", ""), info.get("description", "")]
        text = _printable(doc.embfile_get(i))
        if text:
            parts.append(text)
    for xref in range(1, doc.xref_length()):
        try:
            if not doc.xref_is_stream(xref):
                continue
            obj = doc.xref_object(xref, compressed=True)
            if _FONT_OR_IMAGE.search(obj):
                continue
            text = _printable(doc.xref_stream(xref) or b"")
        except Exception:  # a damaged stream is simply not read
            continue
        if text:
            parts.append(text)
    return parts


def read_output(path: Path, *, ocr: bool) -> Readings:
    """Every reading of one output PDF."""
    out = Readings()
    with pymupdf.open(path) as doc:
        out.visible += scoring.readings("\n".join(page.get_text() for page in doc))
        if ocr:
            out.visible += scoring.readings("\n".join(_ocr_page(page) for page in doc), ocr=True)
        out.hidden += [scoring.collapse(scoring.normalise_chars(t)) for t in _hidden_text(doc) if t]
    try:
        from pdfminer.high_level import extract_text

        out.visible += scoring.readings(extract_text(str(path)))
    except Exception as exc:  # pdfminer fails on some files; PyMuPDF's reading still counts
        print(f"  note: pdfminer could not read {path.name}: {type(exc).__name__}", file=sys.stderr)
    return out


def read_html(path: Path) -> Readings:
    raw = path.read_text(encoding="utf-8", errors="replace")
    text = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    return Readings(visible=scoring.readings(text), hidden=[scoring.collapse(html.unescape(raw))])


# ------------------------------------------------------------------ producing outputs


def output_name(name: str) -> str:
    return name if name.lower().endswith(".pdf") else name + ".pdf"


def source_group(path: Path, fmt: str) -> str:
    """'text' for a PDF with a text layer or a DOCX; 'scanned' for images and image-only PDFs."""
    if fmt in IMAGE_FORMATS or path.suffix.lower().lstrip(".") in IMAGE_FORMATS:
        return "scanned"
    if fmt == "docx" or path.suffix.lower() == ".docx":
        return "text"
    try:
        with pymupdf.open(path) as doc:
            return "text" if any(page.get_text().strip() for page in doc) else "scanned"
    except Exception:
        return "text"


def sarkit_command() -> list[str]:
    exe = REPO / ".venv" / "bin" / "sarkit"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "sarkit.cli"]


def run_sarkit(case: Path) -> str | None:
    """Run propose and bundle on a case copy; an error message, or None.

    Exit status 1 ("something needs a person") is normal here; a traceback or a missing bundle/ is not.
    """
    for args in (["propose", str(case)], ["bundle", str(case), "--accept-proposals"]):
        done = subprocess.run(sarkit_command() + args, capture_output=True, text=True, cwd=REPO, check=False)
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1][:200]
        if done.returncode not in (0, 1) or "Traceback (most recent call last)" in done.stderr:
            return f"sarkit {args[0]} exited {done.returncode}: {last}"
    if not (case / "bundle" / "documents").is_dir():
        return f"sarkit bundle wrote no bundle/documents/: {last}"
    return None


def _page_words_text(words: list) -> list[tuple[str, list[int]]]:
    """(text, char->word index map) for a page: words joined by spaces, and with end-of-line hyphens joined."""
    variants = []
    for dehyphen in (False, True):
        text, owner = "", []
        for i, w in enumerate(words):
            token = w[4]
            if i:
                prev = words[i - 1]
                joined = dehyphen and prev[4].endswith("-") and (prev[5], prev[6]) != (w[5], w[6])
                if joined:
                    text, owner = text[:-1], owner[:-1]
                else:
                    text += " "
                    owner.append(-1)
            text += token
            owner += [i] * len(token)
        variants.append((scoring.normalise_chars(text), owner))
    return variants


def oracle_redact(src: Path, dst: Path, items: list[str]) -> None:
    """Remove exactly the listed strings from a text PDF (whole words on their boxes), and its metadata."""
    with pymupdf.open(src) as doc:
        for page in doc:
            boxes: set[tuple[float, float, float, float]] = set()
            for order in (False, True):  # content order, and top-to-bottom order (tables read differently)
                words = page.get_text("words", sort=order)
                for text, owner in _page_words_text(words):
                    if len(text) != len(owner):  # a ligature changed the length
                        continue
                    for item in items:
                        for start, end in scoring.spans(item, text):
                            boxes.update(tuple(words[o][:4]) for o in owner[start:end] if o >= 0)
            for box in sorted(boxes):
                page.add_redact_annot(pymupdf.Rect(box), fill=(0, 0, 0))
            page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)
        doc.set_metadata({})
        doc.del_xml_metadata()
        doc.set_toc([])
        dst.parent.mkdir(parents=True, exist_ok=True)
        doc.save(dst, garbage=4, deflate=True, clean=True)


# ------------------------------------------------------------------ scoring


class Tally:
    def __init__(self) -> None:
        self.redact: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # kind -> [gone, total]
        self.keep = [0, 0]  # [survived, total]
        self.docs = 0
        self.missing = 0

    def add_redact(self, kind: str, gone: bool) -> None:
        self.redact[kind][0] += int(gone)
        self.redact[kind][1] += 1

    def pct(self, kinds: tuple[str, ...] | None = None) -> tuple[float | None, int]:
        rows = [v for k, v in self.redact.items() if kinds is None or k in kinds]
        gone, total = sum(r[0] for r in rows), sum(r[1] for r in rows)
        return (100.0 * gone / total if total else None), total

    def keep_pct(self) -> tuple[float | None, int]:
        return (100.0 * self.keep[0] / self.keep[1] if self.keep[1] else None), self.keep[1]

    def as_dict(self) -> dict:
        spine, n_spine = self.pct(SPINE)
        every, n_all = self.pct()
        keep, n_keep = self.keep_pct()
        return {
            "documents": self.docs,
            "missing_outputs": self.missing,
            "redact_gone_spine_pct": spine,
            "redact_spine_items": n_spine,
            "redact_gone_all_pct": every,
            "redact_items": n_all,
            "keep_survive_pct": keep,
            "keep_items": n_keep,
            "by_kind": {k: {"gone": v[0], "total": v[1]} for k, v in sorted(self.redact.items())},
        }


@dataclass
class Run:
    tallies: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def score_document(
    run: Run, scopes: list[str], name: str, entry: dict, out: Path | None, ocr: bool, list_misses: bool
) -> None:
    tags = entry.get("redact_tags", {})
    readings = read_output(out, ocr=ocr) if out is not None and out.exists() else None
    for scope in scopes:
        run.tallies[scope].docs += 1
        if readings is None:
            run.tallies[scope].missing += 1
    for item in entry.get("redact", []):
        kind = tags.get(item, {}).get("kind", "name")
        # a missing output is counted as a failure, never as a perfect redaction
        gone = readings is not None and not scoring.found(item, readings.all)
        for scope in scopes:
            run.tallies[scope].add_redact(kind, gone)
        if not gone and list_misses and readings is not None:
            where = "text" if scoring.found(item, readings.visible) else "hidden"
            run.misses.append(f"  LEAK  {name}: {item!r} ({kind}, {where})")
    for keep in entry.get("keep", []):
        n = scoring.kept(keep["text"], keep["count"], readings.visible) if readings else 0
        for scope in scopes:
            run.tallies[scope].keep[0] += n
            run.tallies[scope].keep[1] += keep["count"]
        if n < keep["count"] and list_misses:
            run.misses.append(f"  LOST  {name}: {keep['text']!r} {n}/{keep['count']} ({keep.get('kind', '?')})")
    if readings is None:
        run.notes.append(f"missing output for {name}")


def score_anywhere(run: Run, case_id: str, truth: dict, bundle: Path, list_misses: bool) -> None:
    items = truth.get("anywhere_redact", [])
    if not items or not bundle.exists():
        return
    files = sorted((bundle / "documents").rglob("*.pdf")) if (bundle / "documents").exists() else []
    if (bundle / "records.pdf").exists():
        files.append(bundle / "records.pdf")
    texts: list[str] = []
    for f in files:
        texts += read_output(f, ocr=False).all
    if (bundle / "records.html").exists():
        texts += read_html(bundle / "records.html").all
    leaked = [i for i in items if scoring.found(i, texts)]
    t = run.tallies[f"anywhere:{case_id}"]
    t.redact["anywhere"][0] += len(items) - len(leaked)
    t.redact["anywhere"][1] += len(items)
    if list_misses:
        run.misses += [f"  LEAK  (anywhere in bundle/) {i!r}" for i in leaked]


def score_case(run: Run, case_dir: Path, truth: dict, *, oracle: bool, ocr_mode: str, list_misses: bool) -> None:
    case_id = truth.get("case", case_dir.name)
    with tempfile.TemporaryDirectory(prefix="sarkit-bench-") as tmp:
        work = Path(tmp) / case_dir.name
        work.mkdir()
        shutil.copy2(case_dir / "case.yaml", work / "case.yaml")
        shutil.copytree(case_dir / "documents", work / "documents")
        bundle = work / "bundle"
        error = None
        if not oracle:
            error = run_sarkit(work)
            if error:
                run.notes.append(f"{case_id}: {error}")
        if list_misses:
            run.misses.append(f"{case_id}:")
        for name, entry in sorted(truth["documents"].items()):
            src = case_dir / "documents" / name
            fmt = entry.get("format", src.suffix.lstrip(".").lower())
            group = source_group(src, fmt)
            out = bundle / "documents" / output_name(name)
            if oracle:
                if group != "text" or fmt == "docx":
                    continue  # the oracle only redacts text PDFs
                oracle_redact(src, out, entry.get("redact", []))
            ocr = ocr_mode == "all" or (ocr_mode == "auto" and group == "scanned")
            scopes = ["overall", f"case:{case_id}", f"group:{group}"]
            score_document(run, scopes, name, entry, out, ocr, list_misses)
        if not oracle:
            score_anywhere(run, case_id, truth, bundle, list_misses)


# ------------------------------------------------------------------ report


def _fmt(p: float | None, n: int) -> str:
    return f"{'-':>6}" if p is None else f"{p:6.1f}% ({n})"


def print_table(run: Run) -> None:
    scopes = (
        ["overall"]
        + sorted(k for k in run.tallies if k.startswith("group:"))
        + sorted(k for k in run.tallies if k.startswith("case:"))
    )
    print(f"{'scope':34} {'docs':>4}  {'redact gone (n/c/i)':>20}  {'redact gone (all)':>18}  {'keep survive':>16}")
    for s in scopes:
        t = run.tallies[s]
        print(
            f"{s:34} {t.docs:>4}  {_fmt(*t.pct(SPINE)):>20}  {_fmt(*t.pct()):>18}  {_fmt(*t.keep_pct()):>16}"
            + (f"  missing outputs: {t.missing}" if t.missing else "")
        )
    overall = run.tallies["overall"]
    print("\nredact gone by kind (overall):")
    for kind, (gone, total) in sorted(overall.redact.items()):
        print(f"  {kind:12} {100.0 * gone / total:6.1f}% ({gone}/{total})")
    for group in ("group:text", "group:scanned"):
        if group in run.tallies:
            line = ", ".join(f"{k} {100.0 * g / n:.1f}%" for k, (g, n) in sorted(run.tallies[group].redact.items()))
            print(f"  {group[6:]:8} {line}")
    anywhere = [(k, v) for k, v in run.tallies.items() if k.startswith("anywhere:")]
    if anywhere:
        gone = sum(v.redact["anywhere"][0] for _, v in anywhere)
        total = sum(v.redact["anywhere"][1] for _, v in anywhere)
        print(f"\nanywhere_redact items absent from all of bundle/: {gone}/{total}")


def find_cases(args: argparse.Namespace) -> list[tuple[Path, Path]]:
    if args.case:
        case = Path(args.case)
        truth = Path(args.truth) if args.truth else case / "truth.json"
        return [(case, truth)]
    root = Path(args.root)
    return [(d, d / "truth.json") for d in sorted(root.iterdir()) if (d / "truth.json").exists()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", default=str(DEFAULT_ROOT), help="corpus root holding <case>/truth.json")
    ap.add_argument("--case", help="score one case folder instead of a corpus")
    ap.add_argument("--truth", help="truth.json for --case (default: CASE/truth.json)")
    ocr = ap.add_mutually_exclusive_group()
    ocr.add_argument(
        "--ocr",
        dest="ocr_mode",
        action="store_const",
        const="all",
        help="also OCR the outputs of text documents (slow)",
    )
    ocr.add_argument("--no-ocr", dest="ocr_mode", action="store_const", const="none", help="never OCR")
    ap.set_defaults(ocr_mode="auto")
    ap.add_argument(
        "--oracle",
        action="store_true",
        help="instead of sarkit, remove exactly the listed strings from text PDFs (validates the scorer)",
    )
    ap.add_argument("--misses", action="store_true", help="list leaked redact items and lost keeps per document")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = ap.parse_args(argv)
    if not args.case and not Path(args.root).exists():
        print(f"skipped: no corpus at {args.root}")
        return 0
    if args.case and not Path(args.case).exists():
        print(f"skipped: no case at {args.case}")
        return 0
    cases = find_cases(args)
    if not cases:
        print(f"skipped: no case with a truth.json under {args.root}")
        return 0
    run = Run()
    for case_dir, truth_path in cases:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        print(f"scoring {truth.get('case', case_dir.name)} ...", file=sys.stderr)
        score_case(run, case_dir, truth, oracle=args.oracle, ocr_mode=args.ocr_mode, list_misses=args.misses)
    if args.json:
        print(
            json.dumps(
                {
                    "mode": "oracle" if args.oracle else "sarkit",
                    "scores": {k: v.as_dict() for k, v in sorted(run.tallies.items())},
                    "notes": run.notes,
                },
                indent=2,
            )
        )
    else:
        print("mode: " + ("oracle (text PDFs only)" if args.oracle else "sarkit propose + bundle --accept-proposals"))
        print_table(run)
        for note in run.notes:
            print("note: " + note)
    if args.misses:
        print("\n".join(run.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
