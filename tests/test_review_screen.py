"""The review screen and the session's new capabilities without a pty: keys decoded, every frame fits any
window, filters, resume, warnings, search, widen, the register, second-check records (fast tests; the real
terminal is tests/test_review_pty.py)."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest
from rich.text import Text

from sarkit.case import Case
from sarkit.decide import apply_person_rules
from sarkit.errors import SarkitError
from sarkit.ledger import Ledger
from sarkit.manifest import load_manifest
from sarkit.review.files import export_decisions
from sarkit.review.screen import Screen, Script, decode_keys, fit_columns
from sarkit.review.session import Filter, ReviewSession, plausible_name

sys.path.insert(0, str(Path(__file__).parent))
from test_review import make_big_case, make_case, pdf_reader


@pytest.fixture()
def big(tmp_path: Path) -> Case:
    return make_big_case(tmp_path / "case", reader=pdf_reader)


@pytest.fixture()
def s(big: Case):
    session = ReviewSession(big, "alice", reader=pdf_reader)
    yield session
    session.close()


def item_of(session: ReviewSession, text: str):  # type: ignore[no-untyped-def]
    return next(it for it in session.items() if it.proposal.mention.text == text)


# ---------------------------------------------------------------- keys


@pytest.mark.parametrize(
    ("data", "final", "keys", "rest"),
    [
        (b"\x1b[A\x1b[B\x1b[C\x1b[D", False, ["up", "down", "right", "left"], b""),
        (b"\x1b[H\x1b[F\x1b[1~\x1b[4~\x1bOH\x1bOF", False, ["home", "end", "home", "end", "home", "end"], b""),
        (b"\x1b[5~\x1b[6~\x1b[3~\x1b[2~", False, ["pgup", "pgdn", "delete", "insert"], b""),
        (b"\x1bOP\x1b[11~\x1b[[A", False, ["f1", "f1", "f1"], b""),
        (b"\x1b[1;5A", False, ["up"], b""),
        (b"\x1b", False, [], b"\x1b"),  # maybe the start of a sequence: wait for the rest
        (b"\x1b", True, ["esc"], b""),
        (b"\x1b[", False, [], b"\x1b["),
        (b"a\x1b[Bk", False, ["a", "down", "k"], b""),
        (b"\r\n\r\x7f\t\x15", False, ["enter", "enter", "backspace", "tab", "ctrl-u"], b""),
        ("é→".encode()[:3], False, ["é"], "→".encode()[:1]),
        (b"\x1b[99~\x1bx", False, ["unknown", "unknown"], b""),
    ],
)
def test_decode_keys(data: bytes, final: bool, keys: list[str], rest: bytes) -> None:
    assert decode_keys(data, final) == (keys, rest)


def test_fit_columns() -> None:
    assert fit_columns([5, 10, 5], [1, 3, 1], 40) == [5, 10, 5]
    w = fit_columns([5, 30, 20], [1, 8, 8], 40)
    assert sum(w) + 2 <= 40 and all(x >= m for x, m in zip(w, [1, 8, 8], strict=True))
    assert sum(x for x in fit_columns([5, 30, 20], [5, 20, 20], 30) if x) <= 30


# ---------------------------------------------------------------- frames fit any window

TOUR = [
    *"jjjjk",
    "end",
    "pgup",
    "home",
    "?",
    "down",
    "x",
    "+",
    "esc",
    "i",
    "right",
    "v",
    "right",
    "[",
    "m",
    *"Lozza",
    "enter",
    "n",
    "esc",
    "esc",
    "/",
    *"tom",
    "enter",
    "down",
    "x",
    "v",
    "esc",
    "r",
    "esc",
    "esc",
    "F",
    "down",
    "enter",
    "f1",
    "q",
]


@pytest.mark.parametrize("size", [(80, 24), (160, 45), (40, 12), (20, 5), (200, 3), (1, 1)])
def test_every_frame_fits_the_window(s: ReviewSession, size: tuple[int, int]) -> None:
    term = Script(TOUR, size)
    Screen(s, term).run()
    assert term.used == len(TOUR)
    cols, rows = size
    for frame in term.frames:
        assert len(frame) == rows
        assert all(Text(line).cell_len <= cols for line in frame)
    if rows >= 24:
        modes = {f[0].split(" · ")[1] for f in term.frames if " · " in f[0]}
        assert modes >= {"People", "Items", "Pages", "Search", "Help"}


def test_a_clause_never_shows_as_a_name_and_lines_never_break(s: ReviewSession) -> None:
    term = Script(["end"], (80, 24))
    Screen(s, term).run()
    screen = term.screen
    assert "▶ Stacey Patel" in screen and "who" not in screen


# ---------------------------------------------------------------- people screen keys


def test_people_keys_move_and_never_decide(s: ReviewSession) -> None:
    keys = ["esc", "left", "right", "delete", "pgdn", "pgup", "home", "end", "f5", "home", "j", "k"]
    term = Script(keys, (80, 24))
    sc = Screen(s, term)
    sc.run()
    assert sc.mode == "people" and all(" · People · " in f[0] for f in term.frames)
    assert s.ledger.latest_decisions() == {}
    said = ["\n".join(f) for f in term.frames[1:]]
    assert "there is nothing to close here" in said[0]  # Esc
    assert "'left' does nothing here" in said[1] and "'f5' does nothing here" in said[8]
    assert "▶ Sue Stone" in said[-1] and "name" in next(ln for ln in term.frames[-1] if "▶" in ln)


def test_messages_say_one_item(s: ReviewSession) -> None:
    rows = [(ps.name, k) for ps, k in s.open_groups()]
    down = rows.index(("Kate Bell", "name"))
    term = Script(["j"] * down + ["a"], (80, 24))
    Screen(s, term).run()
    assert "saved: 1 item of Kate Bell (name) as proposed" in term.screen


def test_accept_leaves_review_items_and_the_table_accepts_everything_else(s: ReviewSession) -> None:
    done, review = s.accept_table()
    assert review == 2 and done == len(s.items()) - 2
    assert {it.proposal.action for it in s.queue()} == {"review"}


def test_person_rule_accept_does_not_cover_later_review_proposals(s: ReviewSession) -> None:
    s.decide_person("?stacey patel", "*", "accept")
    assert s.ledger.latest_decisions() == {}
    assert apply_person_rules(s.ledger, "bot", s.rules) == 0


# ---------------------------------------------------------------- filters, jumps, resume


def test_filters(s: ReviewSession) -> None:
    s.set_filter(Filter(review=True))
    assert {it.proposal.action for it in s.visible()} == {"review"} and s.item().proposal.action == "review"
    note = next(d for d, name, _ in s.documents() if "Note" in name)
    s.set_filter(Filter(doc=note))
    assert {it.document for it in s.visible()} == {"2020-02-02 Note.pdf"}
    s.set_filter(Filter(person="tom"))
    assert {it.proposal.mention.person for it in s.visible()} == {"tom"}
    s.set_filter(Filter())
    s.goto(item_of(s, "Mum").id)
    s.flip()  # keep -> redact: departs from the proposal
    s.set_filter(Filter(departures=True))
    assert [it.proposal.mention.text for it in s.visible()] == ["Mum"] and s.item().proposal.mention.text == "Mum"


def test_row_filter_goes_on_with_the_case_when_the_row_is_done(s: ReviewSession) -> None:
    s.open_row("tom", "contact")
    assert s.item().proposal.mention.text == "9 Elm Street"
    s.accept()
    assert not s.filter.active and s.row_done == "Tom Reed · contact" and s.item() is not None


def test_resume_where_the_reviewer_was(big: Case) -> None:
    a = ReviewSession(big, "alice", reader=pdf_reader)
    term = Script(["i", "right", "right", "q"], (80, 24))
    Screen(a, term).run()
    where = a.item().id
    a.close()
    b = ReviewSession(big, "alice", reader=pdf_reader)
    try:
        assert b.current == where
        assert Screen(b, Script()).mode == "items"
    finally:
        b.close()
    c = ReviewSession(big, "carol", reader=pdf_reader)  # another reviewer starts at the beginning
    try:
        assert c.current != where and Screen(c, Script()).mode == "people"
    finally:
        c.close()


# ---------------------------------------------------------------- decisions that contradict a flag


def test_warnings(big: Case, s: ReviewSession) -> None:
    assert s.warnings(item_of(s, "07700 900123"), "keep") == [
        "Pat Lane gave information in confidence: keeping their contact details may show who."
    ]
    assert "flagged risk" in s.warnings(item_of(s, "9 Elm Street"), "keep")[0]
    assert s.warnings(item_of(s, "9 Elm Street"), "redact") == []
    assert s.warnings(item_of(s, "Tom Reed"), "keep") == []  # a risk flag is about contact details
    assert s.row_warnings("pat", "*", "keep") and not s.row_warnings("sue", "*", "keep")
    # a withheld name kept
    text = big.manifest.read_text(encoding="utf-8").replace("    known: true\n    risk: true\n", "    known: true\n")
    big.manifest.write_text(text.replace("  - id: kate\n", "  - id: kate\n    withheld: [Kate Bell]\n"))
    s.manifest = load_manifest(big.manifest)
    assert "withheld name of Kate Bell" in s.warnings(item_of(s, "Kate Bell"), "keep")[0]


def test_flipping_a_referrers_phone_to_keep_asks_first(s: ReviewSession) -> None:
    s.open_row("pat", "contact")
    term = Script(["f", "n"], (80, 24))
    sc = Screen(s, term)
    sc.mode = "items"
    sc.run()
    assert "not saved" in term.screen and s.ledger.latest_decisions() == {}
    assert any("gave information in confidence" in "\n".join(f) for f in term.frames)
    term = Script(["f", "y"], (80, 24))
    sc.t = term
    sc.run()
    assert [d.action for d in s.ledger.latest_decisions().values()] == ["keep"]


# ---------------------------------------------------------------- widen


def test_widen_stays_and_does_not_add_to_the_total(big: Case, s: ReviewSession) -> None:
    total = s.progress().total
    s.goto(item_of(s, "Mum").id)
    original = s.current
    wp = s.widen()
    assert s.current == wp.id and s.item().proposal.mention.text == "Mum lives at 4 Oak Road now."
    assert s.progress().total == total
    assert s.item(original).id == wp.id  # going back to the original shows the widened span
    rows = list(csv.DictReader(io.StringIO(export_decisions(big))))
    texts = [r["text"] for r in rows]
    assert "Mum lives at 4 Oak Road now." in texts and "Mum" not in texts
    s.shrink()
    assert s.current == original and s.progress().total == total


# ---------------------------------------------------------------- the register


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Stacey Patel", True),
        ("Mary-Jane O'Neill", True),
        ("Ludwig van Beethoven", True),
        ("who has been misusing alcohol heavily", False),
        ("who", False),
        ("Stacey\nPatel has", False),
        ("Flat 4", False),
        ("", False),
    ],
)
def test_plausible_name(text: str, ok: bool) -> None:
    assert plausible_name(text) is ok


def test_add_to_register_takes_the_name_mentions_and_undo_puts_case_yaml_back(big: Case, s: ReviewSession) -> None:
    before = big.manifest.read_bytes()
    assert s.person_name("?stacey patel") == s.register_name("?stacey patel") == "Stacey Patel"
    with pytest.raises(SarkitError, match="does not look like a person's name"):
        s.add_to_register("?stacey patel", "neighbour", "who has been misusing alcohol heavily")
    assert big.manifest.read_bytes() == before
    pid = s.add_to_register("?stacey patel", "neighbour")
    p = load_manifest(big.manifest).person(pid)
    assert (p.name, p.aliases) == ("Stacey Patel", ())
    assert {it.proposal.mention.person for it in s.items() if "Stacey" in it.proposal.mention.text} == {pid}
    step = s.undo()
    assert step["step"] == "add-person" and big.manifest.read_bytes() == before
    assert any(it.proposal.mention.unregistered == "stacey patel" for it in s.items())
    # edited by hand in between: undo takes out only the person it added
    s.add_to_register("?stacey patel", "neighbour")
    big.manifest.write_text(big.manifest.read_text(encoding="utf-8") + "# a note\n", encoding="utf-8")
    s.undo()
    text = big.manifest.read_text(encoding="utf-8")
    assert "stacey-patel" not in text and "# a note" in text
    # the same name twice never makes two entries
    s.add_to_register("?stacey patel", "neighbour")
    assert [x.name for x in load_manifest(big.manifest).people].count("Stacey Patel") == 1


# ---------------------------------------------------------------- search, page view, manual redactions


def test_search_statuses_regex_and_errors(s: ReviewSession) -> None:
    assert [h.status for h in s.search("lozza")] == ["missed", "missed"]
    assert {h.status for h in s.search("Tom Reed")} == {"proposed keep"} or {
        h.status for h in s.search("Tom Reed")
    } <= {"kept", "proposed"}
    hits = s.search(r"/0\d{4} \d{6}/")
    assert [h.text for h in hits] == ["07700 900123"] and hits[0].status == "proposed"
    with pytest.raises(SarkitError, match="not a valid pattern"):
        s.search("/(/")
    assert s.search("   ") == []


def test_redact_hits_is_one_undoable_step_with_a_person_and_code(s: ReviewSession) -> None:
    hits = s.search("Lozza")
    assert s.suggested_code("pat", "name") == "CS" and s.suggested_code("tom", "name") == "TP"
    assert s.redact_hits(hits, "TP", "tom") == 2
    assert {h.status for h in s.search("Lozza")} == {"redacted"}
    assert s.redact_hits(s.search("Lozza"), "TP", "tom") == 0  # already redacted
    s.undo()
    assert {h.status for h in s.search("Lozza")} == {"missed"}
    with pytest.raises(SarkitError):
        s.redact_hits(hits, "NOPE", "tom")
    with pytest.raises(SarkitError):
        s.redact_hits(hits, "TP", "nobody-here")


def test_page_view_marks_each_proposal_by_its_decision(s: ReviewSession) -> None:
    visit = next(d for d, name, _ in s.documents() if "Visit" in name)
    s.goto(item_of(s, "4 Oak Road").id)
    s.accept()
    view = s.page_view(visit, 0)
    states = {view.text[a:b]: state for a, b, state, _ in view.spans}
    assert states["4 Oak Road"] == "redacted" and states["Amy Stone"] == "kept"
    assert states["Sue Stone"] == "proposed keep" and states["Stacey Patel"] == "to decide"


def test_second_check_records_both_reviewers(tmp_path: Path) -> None:
    case = make_case(tmp_path / "case")
    a = ReviewSession(case, "alice", reader=pdf_reader)
    a.decide_person("kate", "name", "accept")
    a.decide_person("sue", "name", "redact")
    a.close()
    b = ReviewSession(case, "bob", second_check=True, reader=pdf_reader)
    try:
        assert b.progress().total == 4 and b.progress().done == 0
        sue = item_of(b, "Sue Stone")
        assert b.departs(sue) and b.accept_target(sue) == ("redact", "TP")
        b.goto(sue.id)
        b.flip()  # bob changes alice's redact to keep
        b.goto(item_of(b, "Kate Bell").id)
        b.accept()
        first = b.first_decision(item_of(b, "Sue Stone"))
        assert first is not None and (first.by, first.action) == ("alice", "redact")
    finally:
        b.close()
    rows = {r["text"]: r for r in csv.DictReader(io.StringIO(export_decisions(case)))}
    assert (rows["Sue Stone"]["by"], rows["Sue Stone"]["checked_by"], rows["Sue Stone"]["check"]) == (
        "alice",
        "bob",
        "changed",
    )
    assert rows["Sue Stone"]["decision"] == "keep"
    assert rows["Mum"]["checked_by"] == "" and rows["Mum"]["by"] == "alice"
    ledger = Ledger.open(case.state)
    try:
        ev = [e for e in ledger.events() if e["event"] == "second-check"]
        assert [(e["actor"], e["first_by"], e["first_action"], e["action"]) for e in ev] == [
            ("bob", "alice", "redact", "keep"),
            ("bob", "alice", "keep", "keep"),
        ]
    finally:
        ledger.close()
