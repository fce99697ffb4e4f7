"""`sarkit review` driven in a real pseudo-terminal (pexpect), read back through a terminal emulator (pyte).

Every test runs at 80×24 and at 160×45. After every key the helper checks each frame the program drew:
exactly as many lines as the window has rows, none wider than the window, and the title on the first row
and the keys on the last (had anything scrolled, they would not be there). Each bug of issue 16 has its
regression test here, named in the test's docstring.
"""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sarkit.case import Case
from sarkit.decide import effective_actions, load_rules, undecided
from sarkit.ledger import Ledger
from sarkit.manifest import load_manifest

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")
from wcwidth import wcswidth  # noqa: E402 - pyte's own dependency

sys.path.insert(0, str(Path(__file__).parent))
from test_review import make_big_case, make_case

ROOT = Path(__file__).resolve().parents[1]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 45), id="160x45")]
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")
KEY = {
    "esc": "\x1b",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "pgdn": "\x1b[6~",
    "pgup": "\x1b[5~",
    "delete": "\x1b[3~",
    "f1": "\x1bOP",
    "enter": "\r",
}


class Term:
    """A review session in a pty, with what a terminal of that size would show."""

    def __init__(
        self,
        case: Case,
        size: tuple[int, int],
        *extra: str,
        reviewer: str = "alice",
        preexec_fn: Callable[[], None] | None = None,
    ):
        cols, rows = size
        env = {**os.environ, "TERM": "xterm", "PYTHONPATH": str(ROOT)}
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "sarkit.review", "review", str(case.root), "--reviewer", reviewer, *extra],
            env=env,
            dimensions=(rows, cols),
            timeout=20,
            preexec_fn=preexec_fn,
        )
        self.child.delaybeforesend = None
        self.size = size
        self.sizes = {size}
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = b""
        self.checked = 0  # frames of `raw` checked so far
        self.frames = 0
        self._text: str | None = None

    # -------------------------------------------------------- reading

    def _read(self, timeout: float) -> bool:
        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return False
        self.raw += data
        self.stream.feed(data)
        self._text = None
        self._check_frames()
        return True

    def _check_frames(self, final: bool = False) -> None:
        parts = self.raw.split(b"\x1b[H")
        complete = parts[1:] if final else parts[1:-1]
        for part in complete[self.checked :]:
            text = _ANSI.sub("", part.decode("utf-8", "replace"))
            if final:
                text = text.split("\x1b", 1)[0]
            lines = text.split("\r\n")
            assert any(len(lines) == rows and all(wcswidth(ln) <= cols for ln in lines) for cols, rows in self.sizes), (
                f"a frame does not fit the window ({len(lines)} lines, widest {max(map(wcswidth, lines))})"
            )
        self.checked = len(complete)
        self.frames = len(parts) - 1

    @property
    def display(self) -> list[str]:
        return self.text.split("\n")

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "\n".join(self.screen.display)
        return self._text

    def wait(self, *texts: str, timeout: float = 30, new_frame: bool = True) -> None:
        """Until a whole frame (drawn after now, with new_frame) shows every one of `texts`; check its layout."""
        start = self.frames if new_frame else -1
        deadline = time.monotonic() + timeout
        while True:
            if self.frames > start and self._complete() and all(t in self.text for t in texts):
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"never showed {texts!r}; the screen:\n{self.text}")
            self._read(0.1)
        self.assert_layout()

    def _complete(self) -> bool:
        """The last frame drawn has all its lines (the screen shows that frame and nothing older)."""
        last = self.raw.rsplit(b"\x1b[H", 1)[-1]
        return last.count(b"\r\n") == self.size[1] - 1 and last.endswith(b"\x1b[K")

    def assert_layout(self) -> None:
        d = self.display
        assert d[0].startswith("sarkit "), f"the title line scrolled away:\n{self.text}"
        assert "? help" in d[-1], f"the keys line is not on the last row:\n{self.text}"

    # -------------------------------------------------------- writing

    def send(self, *keys: str, then: str | tuple[str, ...] = ()) -> None:
        """Press keys (names as in KEY, or text) one at a time, each answered by one new frame; then check
        that the screen shows `then`."""
        expect = (then,) if isinstance(then, str) else then
        for k in keys:
            start = self.frames
            self.child.send(KEY.get(k, k))
            deadline = time.monotonic() + 30
            while not (self.frames > start and self._complete()):
                assert time.monotonic() < deadline, f"no frame after {k!r}; the screen:\n{self.text}"
                self._read(0.1)
        if expect:
            self.wait(*expect, new_frame=False)
        self.assert_layout()

    def resize(self, size: tuple[int, int]) -> None:
        """Change the window (the program gets SIGWINCH) and wait for a whole frame of the new size."""
        cols, rows = size
        self.sizes.add(size)
        self.size = size
        start = self.frames
        self.screen.resize(rows, cols)
        self._text = None
        self.child.setwinsize(rows, cols)
        deadline = time.monotonic() + 30
        while True:
            self._read(0.1)
            if self.frames > start and self._complete():
                break
            assert time.monotonic() < deadline, "no frame of the new size"
        self.assert_layout()

    def quit(self) -> int:
        self.child.send("q")
        self.child.expect(pexpect.EOF)
        self.raw += self.child.before or b""
        self.child.close()
        return int(self.child.exitstatus or 0)

    def row_of(self, text: str) -> int:
        return next(i for i, line in enumerate(self.display) if text in line)


def ledger_of(case: Case) -> Ledger:
    return Ledger.open(case.state)


def decisions(case: Case) -> dict[str, list[tuple[str, str | None, str]]]:
    """text of the proposal -> [(action, code, source)], for the decisions in force."""
    ledger = ledger_of(case)
    try:
        out: dict[str, list[tuple[str, str | None, str]]] = {}
        for pid, d in ledger.latest_decisions().items():
            sp = ledger.proposal(pid)
            if sp is not None and not sp.stale:
                out.setdefault(" ".join(sp.proposal.mention.text.split()), []).append((d.action, d.code, d.source))
        return out
    finally:
        ledger.close()


@pytest.fixture()
def big(tmp_path: Path) -> Case:
    from sarkit.ingest import read_document

    return make_big_case(tmp_path / "case", reader=read_document)


# ---------------------------------------------------------------- the people screen


@pytest.mark.parametrize("size", SIZES)
def test_people_screen_fits_moves_and_adds_to_the_register(big: Case, size: tuple[int, int]) -> None:
    """Bugs 1 (a clause taken for a name), 2 (undo after + left case.yaml changed), 3 (the people screen
    taller than the window), 4 (keys that jumped to the item view; k kept a row); resize live."""
    before = big.manifest.read_bytes()
    t = Term(big, size)
    t.wait("People: decide per person and kind", "Sue Stone")
    # bug 3: 21 rows; at 80×24 the table scrolls under its column titles, the ▶ row always in sight
    t.send("end", then="▶ Stacey Patel")
    assert "person" in t.text and "kind" in t.text
    if size == (80, 24):
        assert "Sue Stone" not in t.text  # scrolled: the first rows gave way, the titles did not
    t.send("home", then="▶ Sue Stone")
    # bug 4: these keys stay on the people screen and say so; F1 is help; k moves up and keeps nothing
    for k in ("esc", "left", "right", "delete"):
        t.send(k, then="People: decide")
    t.send("f1", then="Keys (any other key goes back)")
    t.send("x", then="People: decide")
    t.send("pgdn", then="People: decide")
    t.send("home", "j", then="▶ Sue Stone")
    assert "contact" in t.display[t.row_of("▶")]
    t.send("k", then="▶ Sue Stone")
    assert "name" in t.display[t.row_of("▶")]
    assert decisions(big) == {}  # moving never decides
    # resize live, both ways
    other = (160, 45) if size == (80, 24) else (80, 24)
    t.resize(other)
    assert "▶ Sue Stone" in t.text
    t.resize(size)
    assert "▶ Sue Stone" in t.text
    # bug 1: the unregistered person's row shows their name, never the clause attributed to them
    t.send("end", then="▶ Stacey Patel")
    assert "who" not in t.text
    t.send("+", then="Role of Stacey Patel")
    t.send(*"neighbour", then="neighbour (other)")
    t.send("enter", then="Enter keeps 'Stacey Patel'")
    t.send("enter", then="added to case.yaml as stacey-patel")
    m = load_manifest(big.manifest)
    sp = m.person("stacey-patel")
    assert sp.name == "Stacey Patel" and sp.role == "neighbour"
    assert not any("who" in a for a in sp.aliases)
    # bug 2: undo puts case.yaml back exactly; adding again adds one entry
    t.send("u", then="undone: stacey-patel added to the register")
    assert big.manifest.read_bytes() == before
    t.send("end", then="▶ Stacey Patel")
    t.send("+", then="Role of Stacey Patel")
    t.send(*"neighbour", "enter", then="Enter keeps")
    t.send("enter", then="added to case.yaml")
    assert [p.name for p in load_manifest(big.manifest).people].count("Stacey Patel") == 1
    assert t.quit() == 1


# ---------------------------------------------------------------- items, pages, search


@pytest.mark.parametrize("size", SIZES)
def test_items_pages_and_search(big: Case, size: tuple[int, int]) -> None:
    """Bugs 5 (widen moved on and counted twice), 6 (a manual redaction asked for no code or person),
    8 (`i` ignored the selected row), 9 (1 items, undone without what, an old saved line, a referrer's
    phone kept without a warning, what `a` does on a review item shown only afterwards); the page view,
    search-and-redact across the case, filters."""
    t = Term(big, size)
    t.wait("People: decide per person and kind")
    # bug 8: i opens the selected row's items
    t.send("j", "j", "j", then="▶ Tom Reed")  # Sue name, Sue contact, Tom name, Tom contact
    assert "contact" in t.display[t.row_of("▶")]
    t.send("i", then="9 Elm Street")
    assert "Tom Reed" in t.text and "filter: Tom Reed · contact" in t.text
    # bug 9: keeping a risk person's address asks first; n cancels and nothing is saved
    t.send("f", then="Check before it is saved")
    assert "flagged risk" in t.text
    t.send("n", then="not saved")
    assert "9 Elm Street" not in decisions(big)
    t.send("a", then="saved: '9 Elm Street' redacted")
    assert "1 items" not in t.text
    t.send("s", then="Items")  # an old "saved:" line does not stay
    assert "saved:" not in t.text
    # a referrer's phone flipped to keep: warned
    t.send("p", then="People: decide")
    t.send("home", then="▶ Sue Stone")
    row = next(i for i, ln in enumerate(t.display) if "Pat Lane" in ln and "contact" in ln)
    steps = row - t.row_of("▶ Sue Stone")
    t.send(*(["j"] * steps), then="▶ Pat Lane")
    t.send("i", then="07700 900123")
    t.send("f", then="gave information in confidence")
    t.send("y", then="saved: '07700 900123' kept")
    t.send("u", then="undone: flip of '07700 900123'")
    # bug 9: on a review item, what `a` does is shown before it is pressed; bug 8 again
    t.send("p", "end", then="▶ Stacey Patel")
    t.send("i", then="a redacts it")
    # bug 5: widen stays on the widened span; the total does not grow; going back shows it
    t.send("esc", then="filter cleared")
    total = re.search(r"/(\d+) decided", t.display[0]).group(1)  # type: ignore[union-attr]
    t.send("w", then="widened to the whole sentence")
    assert "Stacey Patel who has been misusing alcohol heavily was there." in " ".join(t.display)
    assert f"/{total} decided" in t.display[0]
    t.send("right", "left", then="redact TPS by alice")
    assert "Stacey Patel who has been misusing" in " ".join(t.display)
    # bug 6: a manual redaction asks for a person and a code; the referrer's code is offered
    t.send("m", then="Find on this page")
    t.send(*"PL", "enter", then="1 place found")
    t.send("r", then="Whose information is 'PL'")
    t.send(*"pat", then="▶  4 Pat Lane")
    t.send("enter", then="Enter: CS, suggested")
    t.send("enter", then="saved: 1 redaction in 1 document, code CS, about Pat Lane")
    ledger = ledger_of(big)
    try:
        manual = [sp for sp in ledger.proposals() if sp.proposal.mention.detector == "manual"]
        assert [(sp.proposal.mention.text, sp.proposal.mention.person, sp.proposal.code) for sp in manual] == [
            ("PL", "pat", "CS")
        ]
    finally:
        ledger.close()
    # the page view: every proposal highlighted by its decision, page by page, document by document
    t.send("right", then="Note.pdf · page 1 of 1 · document 2 of 2")
    t.send("[", then="Visit.pdf · page 1 of 1 · document 1 of 2")
    t.send("esc", then="Items")
    # search the case: a nickname detection missed, in both documents; one decision redacts every place
    t.send("/", then="Search every document")
    t.send(*"lozza", "enter", then="2 places in 2 documents")
    assert "2 missed" in t.text
    t.send("r", then="Whose information is 'Lozza'")
    t.send(*"tom", "enter", then="Reason code")
    t.send("enter", then="saved: 2 redactions in 2 documents")
    assert "2 redacted" in t.text
    assert decisions(big)["Lozza"] == [("redact", "TP", "manual"), ("redact", "TP", "manual")]
    t.send("u", then="undone: 2 redactions you added")
    assert "Lozza" not in decisions(big)
    # filters: only review items
    t.send("esc", then="Items")
    t.send("F", then="Filter the items")
    t.send("enter", then="filter: review items")
    assert "sensitive" in t.text or "review" in t.text
    assert t.quit() == 1


# ---------------------------------------------------------------- second check


@pytest.mark.parametrize("size", SIZES)
def test_second_check(tmp_path: Path, size: tuple[int, int]) -> None:
    """Bug 7: the legend says confirm; the people table shows the first decisions and marks departures;
    the export and the audit trail keep both reviewers."""
    from sarkit.ingest import read_document
    from sarkit.review.files import export_decisions
    from sarkit.review.session import ReviewSession

    case = make_case(tmp_path / "case", reader=read_document)
    s = ReviewSession(case, "alice", reader=read_document)
    s.decide_person("sue", "name", "redact")  # departs from the proposal (keep)
    s.decide_person("kate", "name", "accept")
    s.close()
    t = Term(case, size, "--second-check", reviewer="bob")
    t.wait("sarkit second check", "People: decide")
    assert "2 redact !2 depart" in t.text
    t.send("j", then="▶ Kate Bell")
    t.send("i", then="a confirm: keep")
    assert re.search(r"First( decision)? +keep by alice", t.text)  # 160 columns: beside the proposal
    t.send("a", then="confirmed: 'Kate Bell' kept")
    assert t.quit() == 1
    rows = list(csv.DictReader(io.StringIO(export_decisions(case))))
    kate = next(r for r in rows if r["text"] == "Kate Bell" and r["checked_by"])
    assert (kate["by"], kate["checked_by"], kate["check"]) == ("alice", "bob", "confirmed")
    ledger = ledger_of(case)
    try:
        ev = next(e for e in ledger.events() if e["event"] == "second-check")
        assert (ev["actor"], ev["first_by"], ev["first_action"]) == ("bob", "alice", "keep")
    finally:
        ledger.close()


# ---------------------------------------------------------------- resume, Ctrl-C, kill -9


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def test_ctrl_c_ends_a_session_started_where_sigint_is_ignored(big: Case) -> None:
    """A background job of a script starts with SIGINT ignored (and a parent may block it): the session
    still ends on Ctrl-C once it has the terminal, with what was decided saved."""
    t = Term(big, (80, 24), preexec_fn=_ignore_sigint)
    t.wait("People: decide")
    t.send("a", then="saved: 2 items of Sue Stone (name) as proposed")
    t.child.sendintr()
    t.child.expect(pexpect.EOF)
    t.child.close()
    assert decisions(big)["Sue Stone"] == [("keep", None, "person-rule")]


@pytest.mark.parametrize("size", SIZES)
def test_resume_where_the_reviewer_stopped_after_ctrl_c_and_kill(big: Case, size: tuple[int, int]) -> None:
    """Bug 8: resume lands on the item where the reviewer stopped, not on the people screen; nothing shown as
    saved is lost on Ctrl-C or SIGKILL."""
    t = Term(big, size)
    t.wait("People: decide")
    t.send("a", then="saved: 2 items of Sue Stone (name) as proposed")
    t.send("i", then="4 Oak Road")
    t.send("a", then="saved: '4 Oak Road' redacted TP")
    t.send("right", then="Items")
    shown = next(ln for ln in t.display if ln.startswith("Person"))
    t.child.sendintr()  # Ctrl-C
    t.child.expect(pexpect.EOF)
    t.child.close()
    assert decisions(big)["4 Oak Road"] == [("redact", "TP", "review")]
    t = Term(big, size)
    t.wait("Items", shown)
    t.send("a", then="saved:")
    t.child.kill(signal.SIGKILL)
    t.child.close(force=True)
    d = decisions(big)
    assert d["Sue Stone"] == [("keep", None, "person-rule")] and d["4 Oak Road"] == [("redact", "TP", "review")]
    assert len(d) == 4  # 2 names of Sue, her address, and the item decided before the kill
    t = Term(big, size)
    t.wait("Items")
    t.send("p", then="People: decide")
    t.send("*", then="1 review item left for you to look at")
    t.send("i", then="a redacts it")
    t.send("a", then="Every item is decided")
    assert t.quit() == 0
    ledger = ledger_of(big)
    try:
        rules = load_rules(load_manifest(big.manifest).rules)
        assert undecided(effective_actions(ledger.proposals(), ledger.latest_decisions()), rules) == []
    finally:
        ledger.close()
