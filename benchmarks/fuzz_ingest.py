"""Fuzz the ingest: mutated corpus PDFs and DOCX through sarkit.ingest.read_document.

Each of --n mutants (default 200) is a corpus document (../shared/corpus/*/documents, or --dir) with random
byte flips, a truncation, or a duplicated chunk. Counts: read, refused with a clean one-sentence
DocumentError naming the file, and crashes (any other exception, or a message that is not one sentence;
target 0). Prints the time per file. Scanned documents are left out unless --with-scans (OCR is slow).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sarkit.errors import DocumentError
from sarkit.ingest import read_document

DEFAULT_DIR = REPO.parent / "shared" / "corpus"
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")


def sources(root: Path, with_scans: bool) -> list[Path]:
    import pymupdf

    out = []
    for p in sorted(root.rglob("*")):
        if p.suffix.lower() == ".docx":
            out.append(p)
        elif p.suffix.lower() == ".pdf":
            if not with_scans:
                with pymupdf.open(p) as doc:
                    if not doc[0].get_text("words"):
                        continue
            out.append(p)
    return out


def mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    kind = rng.choice(("flip", "truncate", "duplicate"))
    buf = bytearray(data)
    if kind == "flip":
        for _ in range(rng.randint(1, 32)):
            i = rng.randrange(len(buf))
            buf[i] = rng.randrange(256)
    elif kind == "truncate":
        buf = buf[: rng.randrange(1, len(buf))]
    else:
        a = rng.randrange(len(buf))
        b = min(len(buf), a + rng.randint(1, 4096))
        at = rng.randrange(len(buf))
        buf[at:at] = buf[a:b] * rng.randint(1, 8)
    return kind, bytes(buf)


def one_sentence(message: str, name: str) -> bool:
    label = f"documents/{name}"
    rest = message.replace(label, "FILE").rstrip()
    return (
        label in message
        and "\n" not in message.strip()
        and rest.endswith(".")
        and not _SENTENCE_BREAK.search(rest[:-1])
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="where the documents to mutate are")
    ap.add_argument("--n", type=int, default=200, help="number of mutants")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60.0, help="read_document time limit per file, seconds")
    ap.add_argument("--with-scans", action="store_true", help="also mutate scanned PDFs (OCR: slow)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if not args.dir.is_dir():
        print(f"fuzz_ingest: {args.dir} does not exist.", file=sys.stderr)
        return 2
    srcs = sources(args.dir, args.with_scans)
    if not srcs:
        print(f"fuzz_ingest: no PDF or DOCX under {args.dir}.", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    counts = {"read": 0, "refused": 0, "crash": 0}
    by_kind: dict[str, dict[str, int]] = {}
    times: list[float] = []
    crashes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="sarkit-fuzz-") as tmp:
        work = Path(tmp)
        for i in range(args.n):
            src = rng.choice(srcs)
            kind, data = mutate(src.read_bytes(), rng)
            name = f"mutant-{i:04d}{src.suffix.lower()}"
            path = work / name
            path.write_bytes(data)
            t0 = time.monotonic()
            try:
                read_document(path, name, work / "cache", timeout=args.timeout, memory_mb=1024)
                verdict = "read"
            except DocumentError as exc:
                verdict = "refused" if one_sentence(exc.message, name) else "crash"
                if verdict == "crash":
                    crashes.append(f"{name} ({kind} of {src.name}): not one sentence: {exc.message!r}")
            except Exception:  # noqa: BLE001 - exactly what this benchmark counts
                verdict = "crash"
                crashes.append(f"{name} ({kind} of {src.name}): {traceback.format_exc(limit=3)}")
            times.append(time.monotonic() - t0)
            counts[verdict] += 1
            by_kind.setdefault(kind, {"read": 0, "refused": 0, "crash": 0})[verdict] += 1
            path.unlink()
            if args.verbose:
                print(f"{name} {kind:9} {verdict:7} {times[-1]:6.2f}s  {src.name}")
    for c in crashes:
        print("CRASH", c)
    print(f"\nsources: {len(srcs)} documents; mutants: {args.n} (seed {args.seed})")
    for k, v in counts.items():
        print(f"  {k:8} {v}")
    for kind, v in sorted(by_kind.items()):
        print(f"  {kind:9} " + ", ".join(f"{k} {n}" for k, n in v.items()))
    print(f"  time per file: median {statistics.median(times):.2f} s, max {max(times):.2f} s, total {sum(times):.1f} s")
    return 1 if counts["crash"] else 0


if __name__ == "__main__":
    sys.exit(main())
