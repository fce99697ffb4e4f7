"""Property tests (hypothesis): what must hold for ANY input, not just the ones we thought of.

- The manifest loader raises nothing but ManifestError (one line, naming the file) on any text.
- The detectors never crash on any text (random unicode, very long lines) and keep offsets inside it.
- No redacted value survives render -> verify, for random spans on generated pages; the words around
  them survive.
"""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import pymupdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sarkit.detect import Detector
from sarkit.errors import ManifestError
from sarkit.ingest.pdf import WORD_FLAGS, layout_words
from sarkit.manifest import parse_manifest
from sarkit.models import Manifest, Page, Person, Redaction, Word
from sarkit.render import rects_for_span, redact_pdf
from sarkit.resources import shipped_rules_dir
from sarkit.text import PageText, page_text
from sarkit.verify.check import verify_pdf

ROOT = Path(__file__).resolve().parents[1]
RULES = shipped_rules_dir()
PATH = Path("/cases/x/case.yaml")

# ---------------------------------------------------------------- the manifest loader

VALID = """\
sarkit: 1
reference: SAR-2026-0142
received: 2026-10-01
rules: uk-dpa2018
passwords:
  police/report.pdf: pw
people:
  - id: jane
    name: Jane Doe
    role: subject
    aliases: [Jane, Janey, JD]
    born: 2004-03-12
  - id: sharon
    name: Sharon Doyle
    role: mother
    aliases: [Mum, Ms Doyle, SD]
    known: true
  - id: lisa
    name: Lisa Grant
    role: adoptive-parent
    of: tom
  - id: tom
    name: Tom Doe
    role: sibling
    withheld: [Tom Grant]
    consent: refused
    pronouns: he
"""
_LINES = VALID.splitlines()
_TOKENS = [
    ":",
    "-",
    " ",
    "  ",
    "\n",
    "[",
    "]",
    "{",
    "}",
    "'",
    '"',
    "&a",
    "*a",
    "!!",
    "!!binary",
    "%",
    "#",
    "|",
    ">",
    "?",
    ",",
    "\t",
    "~",
    "null",
    "true",
    "2026-02-30",
    "1e9",
    "0x1F",
    "\x00",
    "\ufeff",
    "\u2028",
    "é",
    "people",
    "role",
    "subject",
    "id",
    "of",
    "known",
    "born",
    "sarkit",
    "<<",
    "---",
    "...",
    "@",
    "`",
]


def _mutate(draw_lines: list[str], edits: list[tuple[int, int, str]]) -> str:
    lines = list(draw_lines)
    for op, pos, token in edits:
        if not lines:
            lines.append(token)
            continue
        i = pos % len(lines)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[(pos * 7) % len(lines)])
        elif op == 2:
            line = lines[i]
            k = (pos // 3) % (len(line) + 1)
            lines[i] = line[:k] + token + line[k:]
        else:
            line = lines[i]
            k = (pos // 3) % (len(line) + 1)
            lines[i] = line[:k] + line[k + len(token) :]
    return "\n".join(lines) + "\n"


yamlish = st.builds(
    _mutate,
    st.just(_LINES),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10_000), st.sampled_from(_TOKENS)), max_size=8),
)


def _parses_or_one_sentence(text: str) -> None:
    try:
        parse_manifest(text, PATH)
    except ManifestError as exc:
        msg = exc.message
        assert msg and "\n" not in msg and "Traceback" not in msg
        assert str(PATH) in msg or PATH.name in msg


def test_the_unmutated_manifest_is_valid() -> None:
    m = parse_manifest(VALID, PATH)
    assert m.subject.id == "jane"


@settings(max_examples=300, deadline=None)
@given(yamlish)
def test_manifest_loader_on_mutated_manifests(text: str) -> None:
    _parses_or_one_sentence(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_manifest_loader_on_any_unicode(text: str) -> None:
    _parses_or_one_sentence(text)


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20) | st.dates(),
        lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=10), kids, max_size=4),
        max_leaves=20,
    )
)
def test_manifest_loader_on_any_yaml_value(value: object) -> None:
    """Any YAML document at all (as dumped by PyYAML), including ones with the right keys and wrong types."""
    import yaml

    base = {"sarkit": 1, "reference": "R", "received": dt.date(2026, 1, 1), "people": value}
    for doc in (value, base, {**base, "people": [{"id": "a", "name": "A B", "role": value}]}):
        _parses_or_one_sentence(yaml.safe_dump(doc, allow_unicode=True))


# ---------------------------------------------------------------- the detectors


def _person(pid: str, name: str, role: str, **kw: object) -> Person:
    return Person(id=pid, name=name, role=role, **kw)  # type: ignore[arg-type]


PEOPLE = (
    _person("jane", "Jane Doe", "subject", aliases=("Jane", "JD"), born=dt.date(2004, 3, 12), pronouns="she"),
    _person("sharon", "Sharon Doyle", "mother", aliases=("Mum", "Ms Doyle", "SD"), known=True),
    _person("tom", "Tom Doe", "sibling", aliases=("Tom",), withheld=("Tom Grant",), known=True),
    _person("lisa", "Lisa Grant", "adoptive-parent", of="tom"),
    _person("karen", "Karen Pike", "social-worker", aliases=("KP",)),
    _person("anita", "Anita Patel", "neighbour", referrer=True),
    _person("zoe", "Zoë Ñúñez-O'Brien", "family-friend", aliases=("Zoë",)),
)
MANIFEST = Manifest(PATH, 1, "SAR-1", dt.date(2026, 1, 1), "uk-dpa2018", PEOPLE)
DET = Detector(MANIFEST, RULES)

_WORDS = [
    "Sharon",
    "Doyle",
    "Mum",
    "Jane",
    "Doe",
    "Tom",
    "Grant",
    "Lisa",
    "Anita",
    "Patel",
    "Karen",
    "Pike",
    "KP",
    "SD",
    "Zoë",
    "Ñúñez-O'Brien",
    "07700",
    "900123",
    "BK10",
    "9ST",
    "01/02/1980",
    "QQ123456C",
    "999 123 4567",
    "Flat",
    "12",
    "Quarry",
    "Lane",
    "Mr",
    "Ms",
    "Dr",
    "DOYLE,",
    "Sharon's",
    "jane@example.com",
    "diagnosed",
    "with",
    "depression",
    "the",
    "said",
    "she",
    "he",
    "her",
    "his",
    "maternal",
    "grandmother",
    "(",
    ")",
    "-",
    "—",
    "…",
    "ﬁ",
    "\u00ad",
    "\u200b",
    "İ",
    "ß",
    "ǅ",
    "١٢٣",
    "漢字",
    "🙂",
]


def _page_from_tokens(lines: list[list[str]]) -> PageText:
    words: list[Word] = []
    y = 40.0
    for ln, toks in enumerate(lines):
        x = 40.0
        for t in toks:
            if not t or t.isspace():
                continue
            w = 5.0 * len(t)
            words.append(Word(t, x, y, x + w, y + 10, 0, ln))
            x += w + 3
        y += 12
    return page_text(Page(0, 595, 842, tuple(words)))


def _check_mentions(pt: PageText) -> None:
    for m in DET.detect_page("d", 0, pt):
        assert 0 <= m.start < m.end <= len(pt.text)
        assert m.text == pt.text[m.start : m.end]
        assert m.kind in ("name", "contact", "identifier", "sensitive")


_token = st.sampled_from(_WORDS) | st.text(min_size=1, max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_token, max_size=25), max_size=12))
def test_detectors_on_random_unicode_tokens(lines: list[list[str]]) -> None:
    _check_mentions(_page_from_tokens(lines))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.sampled_from(_WORDS), min_size=500, max_size=3000))
def test_detectors_on_very_long_lines(tokens: list[str]) -> None:
    _check_mentions(_page_from_tokens([tokens]))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=600))
def test_detectors_on_raw_unicode_text(text: str) -> None:
    """Whatever a broken text layer produces, split on whitespace into words."""
    _check_mentions(_page_from_tokens([line.split() for line in text.splitlines()]))


# ---------------------------------------------------------------- render -> verify


def _vocab(n: int) -> list[str]:
    """n distinct pronounceable words, none inside another."""
    cons, vows = "bdfgklmnprstvz", "aeiou"
    out = []
    for i in range(n):
        a, b, c = i % len(cons), (i // len(cons)) % len(vows), (i // (len(cons) * len(vows))) % len(cons)
        out.append((cons[a] + vows[b] + cons[c] + vows[(a + b) % 5] + "x" + string.ascii_lowercase[i % 26]).title())
    return out


VOCAB = _vocab(400)


def _ingest(page: pymupdf.Page) -> PageText:
    """The words as sarkit's PDF ingest lays them out."""
    words = layout_words(page.get_text("words", flags=WORD_FLAGS))
    return page_text(
        Page(
            page.number,
            page.rect.width,
            page.rect.height,
            tuple(Word(t, x0, y0, x1, y1, b, ln) for t, x0, y0, x1, y1, b, ln in words),
        )
    )


@st.composite
def pages_and_spans(draw: st.DrawFn) -> tuple[list[list[str]], float, float, list[tuple[int, int]]]:
    nlines = draw(st.integers(1, 8))
    per_line = draw(st.lists(st.integers(1, 8), min_size=nlines, max_size=nlines))
    total = sum(per_line)
    chosen = draw(st.permutations(VOCAB).map(lambda v: v[:total]))
    lines, k = [], 0
    for n in per_line:
        lines.append(chosen[k : k + n])
        k += n
    size = draw(st.sampled_from([6.0, 9.0, 11.0, 14.0]))
    leading = draw(st.sampled_from([1.15, 1.4, 2.0]))
    spans = draw(st.lists(st.tuples(st.integers(0, total - 1), st.integers(0, 3)), min_size=1, max_size=4))
    return lines, size, leading, [(a, min(total - 1, a + b)) for a, b in spans]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(pages_and_spans())
def test_no_redacted_value_survives_render_and_verify(tmp_path_factory, case) -> None:  # type: ignore[no-untyped-def]
    lines, size, leading, spans = case
    tmp = tmp_path_factory.mktemp("prop")
    src, out = tmp / "src.pdf", tmp / "out.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    y = 60.0
    for words in lines:
        page.insert_text((50, y), " ".join(words), fontsize=size)
        y += size * leading
    doc.save(src)
    with pymupdf.open(src) as d:
        pt = _ingest(d[0])
    doc.close()
    assert pt.text.split() == [w for line in lines for w in line]
    redacted: set[int] = set()
    reds, values = [], []
    for n, (a, b) in enumerate(spans):
        start, end = pt.starts[a], pt.ends[b]
        reds.append(Redaction(0, rects_for_span(pt, start, end), "TP", f"p{n}"))
        for i in range(a, b + 1):
            redacted.add(i)
            values.append((f"w{n}-{i}", pt.words[i].text))
        values.append((f"p{n}", " ".join(pt.text[start:end].split())))
    redact_pdf(src, out, reds)
    leaks = verify_pdf(out, values, rel="out.pdf", extractors=("pymupdf", "pdfminer"))
    assert not leaks, leaks
    with pymupdf.open(out) as d:
        text = d[0].get_text()
    for i, w in enumerate(pt.words):
        if i not in redacted:
            assert w.text in text, f"{w.text} (not redacted) was removed"
