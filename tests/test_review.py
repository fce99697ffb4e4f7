"""The review session logic (sarkit.review.session) and decisions as files, on a generated case.

The case is built by code: a real PDF made with PyMuPDF, read by sarkit's ingest; proposals are made
by the rule set from mentions built here, so the tests do not depend on the detectors.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner

from sarkit.case import Case, private_dir
from sarkit.decide import apply_person_rules, decide_one, effective_actions, load_rules, person_key, undecided
from sarkit.errors import SarkitError
from sarkit.ledger import Ledger
from sarkit.manifest import load_manifest
from sarkit.models import Document, Mention, Page, Word
from sarkit.render import rects_for_span
from sarkit.review.cli import group
from sarkit.review.files import export_decisions, import_decisions
from sarkit.review.session import ReviewSession, find_all
from sarkit.text import page_text

MANIFEST = """\
# A generated test case: every person is fictional.
sarkit: 1
reference: SAR-TEST-0001
received: 2026-01-05
rules: uk-dpa2018
people:
  - id: amy
    name: Amy Stone
    role: subject
  # the mother
  - id: sue
    name: Sue Stone
    role: mother
    aliases: [Mum]
    known: true
  - id: kate
    name: Kate Bell
    role: social-worker
"""

LINES = [
    "Visit by Kate Bell to Amy Stone at home.",
    "Sue Stone said she was tired. Mum lives at 4 Oak Road now.",
    "A man called Rob Hart was present. Rob Hart left early.",
    "Kate Bell will visit again next week.",
]

# (text, occurrence, kind, person, unregistered key, detector)
MENTIONS = [
    ("Kate Bell", 0, "name", "kate", None, "name.full"),
    ("Amy Stone", 0, "name", "amy", None, "name.full"),
    ("Sue Stone", 0, "name", "sue", None, "name.full"),
    ("Mum", 0, "name", "sue", None, "kinship"),
    ("4 Oak Road", 0, "contact", "sue", None, "contact.address"),
    ("Rob Hart", 0, "name", None, "hart", "name.unregistered"),
    ("Rob Hart", 1, "name", None, "hart", "name.unregistered"),
    ("Kate Bell", 1, "name", "kate", None, "name.full"),
]


def make_pdf(path: Path, lines: list[str]) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for i, line in enumerate(lines):
        page.insert_text((60, 80 + 20 * i), line, fontsize=11)
    doc.save(path)
    doc.close()


def pdf_reader(path: Path, name: str, workdir: Path, password: str | None = None) -> Document:
    """A small reader of a text PDF's words (stands in for sarkit.ingest while these tests run on their own)."""
    pages = []
    with pymupdf.open(path) as doc:
        for pg in doc:
            lines: dict[tuple[int, int], int] = {}
            words = []
            for x0, y0, x1, y1, text, block, line, _ in pg.get_text("words", sort=True):
                n = lines.setdefault((block, line), len(lines))
                words.append(Word(text, x0, y0, x1, y1, block, n))
            pages.append(Page(pg.number, pg.rect.width, pg.rect.height, tuple(words)))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Document(digest, name, "pdf", tuple(pages), path)


def add_document(
    case: Case, name: str, lines: list[str], mentions: list[tuple], source: Path | None = None, reader=None
) -> str:  # type: ignore[no-untyped-def]
    """Write a PDF (or copy `source`), read it, store proposals for `mentions` as propose would."""
    if source is not None:
        shutil.copyfile(source, case.documents_dir / name)
    else:
        make_pdf(case.documents_dir / name, lines)
    manifest = load_manifest(case.manifest)
    rules = load_rules(manifest.rules)
    private_dir(case.cache)
    doc = (reader or pdf_reader)(case.documents_dir / name, name, case.cache)
    pt = page_text(doc.pages[0])
    items = []
    for text, nth, kind, person, unreg, detector in mentions:
        start, end = find_all(pt.text, text)[nth]
        m = Mention(doc.id, 0, start, end, pt.text[start:end], kind, person, detector, unregistered=unreg, via="named")
        items.append((decide_one(m, manifest, rules), rects_for_span(pt, start, end), text))
    ledger = Ledger.open(case.state)
    try:
        run = ledger.next_run()
        with ledger.transaction():
            ledger.record_document(doc, run)
            ledger.replace_proposals(doc.id, items, run)
    finally:
        ledger.close()
    return doc.id


def make_case(root: Path, reader=None) -> Case:  # type: ignore[no-untyped-def]
    (root / "documents").mkdir(parents=True)
    (root / "case.yaml").write_text(MANIFEST, encoding="utf-8")
    case = Case.at(root)
    add_document(case, "2020-01-01 Visit.pdf", LINES, MENTIONS, reader=reader)
    return case


@pytest.fixture()
def case(tmp_path: Path) -> Case:
    return make_case(tmp_path / "case")


@pytest.fixture()
def session(case: Case):
    s = ReviewSession(case, "alice", reader=pdf_reader)
    yield s
    s.close()


def texts(items) -> list[str]:
    return [it.proposal.mention.text for it in items]


# ---------------------------------------------------------------- summary and queue


def test_summary_by_person_and_queue_order(session: ReviewSession) -> None:
    summary = {s.key: s for s in session.summary()}
    assert set(summary) == {"kate", "sue", "?hart"}  # the subject's own items need no decision
    assert summary["sue"].path == ("subject", "mother")
    assert summary["sue"].counts[("name", "keep")] == 2
    assert summary["sue"].counts[("contact", "redact")] == 1
    assert summary["?hart"].name == "Rob Hart" and summary["?hart"].role == "unregistered"
    assert [(s.key, k) for s, k in session.open_groups()] == [
        ("sue", "name"),
        ("sue", "contact"),
        ("kate", "name"),
        ("?hart", "name"),
    ]
    assert texts(session.queue()) == [
        "Kate Bell",
        "Sue Stone",
        "Mum",
        "4 Oak Road",
        "Rob Hart",
        "Rob Hart",
        "Kate Bell",
    ]
    assert session.item().proposal.mention.text == "Kate Bell"


def test_context_has_the_sentence_and_line(session: ReviewSession) -> None:
    it = next(i for i in session.items() if i.proposal.mention.text == "Mum")
    ctx = session.context(it)
    assert ctx.span == "Mum" and ctx.line == 2
    assert "Sue Stone said she was tired." in ctx.before and ctx.after.startswith(" lives at 4 Oak Road")


# ---------------------------------------------------------------- person-level decisions


@pytest.mark.parametrize(
    ("key", "kind", "action", "code", "expected"),
    [
        ("sue", "name", "accept", None, {"Sue Stone": ("keep", None), "Mum": ("keep", None)}),
        ("sue", "name", "redact", None, {"Sue Stone": ("redact", "TP"), "Mum": ("redact", "TP")}),
        (
            "sue",
            "*",
            "accept",
            None,
            {"Sue Stone": ("keep", None), "Mum": ("keep", None), "4 Oak Road": ("redact", "TP")},
        ),
        ("sue", "contact", "redact", "SH", {"4 Oak Road": ("redact", "SH")}),
        ("?hart", "name", "accept", None, {}),  # `review` items: accept leaves them for a person to look at
        ("?hart", "name", "redact", None, {"Rob Hart": ("redact", "TP")}),
    ],
)
def test_person_decision(session: ReviewSession, key, kind, action, code, expected) -> None:
    n = session.decide_person(key, kind, action, code)
    decided = {
        it.proposal.mention.text: (it.decision.action, it.decision.code) for it in session.items() if it.decision
    }
    assert decided == expected
    assert n == sum(1 for it in session.items() if it.decision)
    assert all(it.decision.source == "person-rule" for it in session.items() if it.decision)


def test_person_rule_decides_later_proposals_but_not_item_decisions(case: Case, session: ReviewSession) -> None:
    session.decide_person("sue", "name", "redact")
    # a later propose run finds "Sue Stone" in a new document; and one item is decided by hand first
    add_document(
        case,
        "2021-02-02 Note.pdf",
        ["Sue Stone phoned. Kate Bell called back."],
        [("Sue Stone", 0, "name", "sue", None, "name.full"), ("Kate Bell", 0, "name", "kate", None, "x")],
    )
    ledger = Ledger.open(case.state)
    try:
        rules = load_rules(load_manifest(case.manifest).rules)
        assert apply_person_rules(ledger, "propose-bot", rules) == 1
        assert apply_person_rules(ledger, "propose-bot", rules) == 0  # idempotent
        new = [sp for sp in ledger.proposals() if sp.proposal.mention.text == "Sue Stone"]
        decisions = ledger.latest_decisions()
        assert all(decisions[sp.proposal.id].action == "redact" for sp in new)
        assert {decisions[sp.proposal.id].source for sp in new} == {"person-rule"}
    finally:
        ledger.close()


def test_the_ledger_reads_a_document_or_a_kind_at_a_time(case: Case, session: ReviewSession) -> None:
    """bundle, verify and the case-wide passes read the ledger a document (or a kind) at a time: the filtered
    reads give exactly the matching part of the whole-case reads, decisions and undos included."""
    session.goto(next(it.id for it in session.items() if it.proposal.mention.text == "Mum"))
    session.flip()
    session.goto(next(it.id for it in session.items() if it.proposal.mention.text == "4 Oak Road"))
    session.flip()
    session.undo()
    other = add_document(
        case,
        "2021-02-02 Note.pdf",
        ["Sue Stone phoned from 4 Oak Road."],
        [("Sue Stone", 0, "name", "sue", None, "name.full"), ("4 Oak Road", 0, "contact", "sue", None, "x")],
    )
    ledger = Ledger.open(case.state)
    try:
        every = ledger.proposals()
        decided = ledger.latest_decisions()
        docs = {sp.proposal.mention.doc for sp in every}
        assert other in docs and len(docs) == 2
        for doc in docs:
            mine = {sp.proposal.id for sp in every if sp.proposal.mention.doc == doc}
            assert {sp.proposal.id for sp in ledger.proposals(doc=doc)} == mine
            assert ledger.latest_decisions(doc=doc) == {k: v for k, v in decided.items() if k in mine}
        assert sum(len(ledger.latest_decisions(doc=d)) for d in docs) == len(decided) == 1  # the undo cleared one
        contacts = ledger.proposals(kinds=("contact",), person="sue")
        assert [sp.proposal.mention.text for sp in contacts] == ["4 Oak Road", "4 Oak Road"]
        assert {sp.proposal.id for sp in ledger.proposals(kinds=("contact", "identifier"))} == {
            sp.proposal.id for sp in every if sp.proposal.mention.kind in ("contact", "identifier")
        }
    finally:
        ledger.close()


def test_later_person_decision_overrides_person_rule_not_item_decision(session: ReviewSession) -> None:
    session.goto(next(it.id for it in session.items() if it.proposal.mention.text == "Mum"))
    session.flip()  # Mum: redact, by hand
    session.decide_person("sue", "name", "accept")
    session.decide_person("sue", "name", "redact")
    d = {it.proposal.mention.text: it.decision for it in session.items() if it.decision}
    assert d["Sue Stone"].action == "redact" and d["Sue Stone"].source == "person-rule"
    assert d["Mum"].source == "review"


# ---------------------------------------------------------------- item decisions


def current_text(s: ReviewSession) -> str:
    return s.item().proposal.mention.text


def test_accept_flip_code_skip_and_back(session: ReviewSession) -> None:
    assert current_text(session) == "Kate Bell"
    d = session.accept()
    assert (d.action, d.code, d.source, d.by) == ("keep", None, "review", "alice")
    assert current_text(session) == "Sue Stone"
    d = session.flip()
    assert (d.action, d.code) == ("redact", "TP")
    assert current_text(session) == "Mum"
    session.skip()
    assert current_text(session) == "4 Oak Road"
    d = session.change_code("LPP")  # a reviewer-only code
    assert (d.action, d.code) == ("redact", "LPP")
    session.back()
    assert current_text(session) == "4 Oak Road"
    session.back()
    assert current_text(session) == "Mum"
    session.back()
    assert current_text(session) == "Sue Stone"
    d = session.flip()  # redact -> keep again
    assert (d.action, d.code) == ("keep", None)
    with pytest.raises(SarkitError):
        session.change_code("NOPE")


def test_undo_restores_previous_state(session: ReviewSession) -> None:
    first = session.item().id
    session.accept()
    session.undo()
    assert session.current == first and session.item().decision is None
    session.accept()
    session.goto(first)
    session.flip()  # keep -> redact, then undo back to the earlier keep
    session.undo()
    d = session.item(first).decision
    assert (d.action, d.source) == ("keep", "review")
    n = session.decide_person("sue", "*", "accept")
    assert n == 3
    session.undo()
    assert all(it.decision is None for it in session.items() if person_key(it.proposal.mention) == "sue")
    assert session.ledger.person_rules() == []
    assert session.undo() is not None  # the accept of the first item
    assert session.undo() is None
    assert all(it.decision is None for it in session.items())


def test_manual_redaction_creates_and_decides_proposals(session: ReviewSession) -> None:
    session.goto(next(it.id for it in session.items() if it.proposal.mention.text == "Rob Hart"))
    made = session.manual("was present")
    assert len(made) == 1 and made[0].mention.detector == "manual"
    sp = session.ledger.proposal(made[0].id)
    assert sp.rects and sp.proposal.mention.text == "was present"
    d = session.ledger.latest_decisions()[made[0].id]
    assert (d.action, d.source) == ("redact", "manual")
    assert len(session.manual("rob hart")) == 2  # every word-bounded occurrence on the page, any case
    with pytest.raises(Exception, match="does not appear"):
        session.manual("Hartley")
    eff = effective_actions(session.ledger.proposals(), session.ledger.latest_decisions())
    assert any(e.decision == "manual" and e.action == "redact" for e in eff)


def test_widen_and_shrink(session: ReviewSession) -> None:
    session.goto(next(it.id for it in session.items() if it.proposal.mention.text == "Mum"))
    original = session.current
    wp = session.widen()
    assert wp.mention.text == "Mum lives at 4 Oak Road now."
    assert wp.mention.detector == "manual.widen" and session.ledger.proposal(wp.id).rects
    decisions = session.ledger.latest_decisions()
    assert decisions[original].note == f"widened to {wp.id}" and decisions[wp.id].action == "redact"
    session.goto(original)
    assert session.shrink()
    assert session.ledger.proposal(wp.id).stale
    assert original not in session.ledger.latest_decisions()
    assert session.current == original


def test_quit_and_resume_from_the_ledger(case: Case) -> None:
    s = ReviewSession(case, "alice", reader=pdf_reader)
    s.accept()
    s.accept()
    s.skip()
    s.close()
    s2 = ReviewSession(case, "alice", reader=pdf_reader)
    try:
        assert current_text(s2) == "Mum"  # the first undecided item
        assert s2.progress().done == 2 and s2.progress().total == 7
        assert s2.undo() is not None  # undo reaches across sessions of the same reviewer
        assert s2.progress().done == 1
    finally:
        s2.close()


def test_progress_and_time_left(session: ReviewSession) -> None:
    assert session.progress().seconds_left is None
    session.accept()
    pr = session.progress()
    assert pr.done == 1 and pr.by_person["kate"] == (1, 2) and pr.seconds_left is not None


def test_second_check(case: Case) -> None:
    a = ReviewSession(case, "alice", reader=pdf_reader)
    a.accept()
    a.flip()
    a.decide_person("?hart", "name", "redact")
    a.close()
    b = ReviewSession(case, "bob", second_check=True, reader=pdf_reader)
    try:
        assert texts(b.queue()) == ["Kate Bell", "Sue Stone", "Rob Hart", "Rob Hart"]
        d = b.accept()
        assert (d.action, d.source, d.by, d.note) == ("keep", "second-check", "bob", "confirmed")
        d = b.flip()  # bob changes alice's redact of Sue Stone back to keep
        assert (d.action, d.source) == ("keep", "second-check")
        assert texts(b.queue()) == ["Rob Hart", "Rob Hart"]
        assert sum(1 for e in b.ledger.events() if e["event"] == "second-check") == 2
    finally:
        b.close()


def test_add_unregistered_person_to_register(case: Case, session: ReviewSession) -> None:
    pid = session.add_to_register("?hart", "family-friend")
    assert pid == "rob-hart"
    text = case.manifest.read_text(encoding="utf-8")
    assert "# the mother" in text and "rob-hart" in text  # comments kept
    m = load_manifest(case.manifest)
    assert m.person("rob-hart").role == "family-friend"
    items = [it for it in session.items() if it.proposal.mention.text == "Rob Hart"]
    assert len(items) == 2 and all(it.proposal.mention.person == "rob-hart" for it in items)
    assert all(it.proposal.action == "redact" for it in items)  # re-decided by the rule set (other group)
    assert not any(person_key(it.proposal.mention) == "?hart" for it in session.items())
    with pytest.raises(SarkitError):
        session.add_to_register("sue", "mother")


# ---------------------------------------------------------------- decisions as files


def test_export_import_roundtrip(case: Case, tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(export_decisions(case))))
    assert len(rows) == 7 and rows[0]["decision"] == ""
    for r in rows:
        r["decision"] = "redact" if r["text"] == "Rob Hart" else "accept"
    rows[1]["decision"], rows[1]["decided_code"] = "redact", "SH"
    f = tmp_path / "d.csv"
    with f.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    res = import_decisions(case, f, "carol")
    assert res.decisions == 7
    again = list(csv.DictReader(io.StringIO(export_decisions(case))))
    assert [r["decision"] for r in again].count("redact") >= 3
    assert again[1]["decided_code"] == "SH" and again[1]["by"] == "carol"
    ledger = Ledger.open(case.state)
    try:
        rules = load_rules(load_manifest(case.manifest).rules)
        assert undecided(effective_actions(ledger.proposals(), ledger.latest_decisions()), rules) == []
    finally:
        ledger.close()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("proposal,decision\nnope,keep\n", "line 2: proposal 'nope' is not in this case"),
        ("proposal,decision\n{id},maybe\n", "line 2: decision 'maybe' is not one of"),
        ("proposal,decision,code\n{id},keep,\n{id},redact,XX\n", "line 3: reason code 'XX'"),
        ("id,verdict\n{id},keep\n", "line 1: the header needs"),
    ],
)
def test_import_errors_name_the_line_and_import_nothing(case: Case, tmp_path: Path, body, message) -> None:
    ledger = Ledger.open(case.state)
    pid = next(sp.proposal.id for sp in ledger.proposals() if sp.proposal.mention.text == "Kate Bell")
    ledger.close()
    f = tmp_path / "bad.csv"
    f.write_text(body.format(id=pid), encoding="utf-8")
    result = CliRunner().invoke(group(), ["decisions", "import", str(case.root), str(f)])
    assert result.exit_code == 2
    assert message in result.output and "nothing was imported" in result.output or "header" in message
    assert len(result.output.strip().splitlines()) == 1
    ledger = Ledger.open(case.state)
    assert ledger.latest_decisions() == {}
    ledger.close()


def test_sibling_case_reuses_decisions_by_content(tmp_path: Path) -> None:
    first = make_case(tmp_path / "first")
    s = ReviewSession(first, "alice", reader=pdf_reader)
    s.decide_person("sue", "*", "redact")
    s.close()
    exported = export_decisions(first)
    # the sibling's case: same documents, but the proposals carry other ids (here: other people keys)
    second = tmp_path / "second"
    (second / "documents").mkdir(parents=True)
    (second / "case.yaml").write_text(MANIFEST, encoding="utf-8")
    sib = Case.at(second)
    other = [(t, n, k, "kate" if p == "sue" else p, u, d) for t, n, k, p, u, d in MENTIONS]
    add_document(sib, "2020-01-01 Visit.pdf", LINES, other, source=first.documents_dir / "2020-01-01 Visit.pdf")
    f = tmp_path / "first.csv"
    f.write_text(exported, encoding="utf-8")
    res = import_decisions(sib, f, "bob")
    assert res.matched_by_content == 3
    ledger = Ledger.open(sib.state)
    try:
        d = ledger.latest_decisions()
        assert sorted(ledger.proposal(pid).proposal.mention.text for pid in d) == ["4 Oak Road", "Mum", "Sue Stone"]
        assert {x.action for x in d.values()} == {"redact"}
    finally:
        ledger.close()


def test_export_command_writes_a_file(case: Case, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(group(), ["decisions", "export", str(case.root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    header = out.read_text().splitlines()[0].split(",")
    assert header[:3] == ["proposal", "document", "page"] and "decided_code" in header


def test_review_without_a_terminal_exits_2(case: Case) -> None:
    result = CliRunner().invoke(group(), ["review", str(case.root)], input="")
    assert result.exit_code == 2
    assert "--accept-proposals" in result.output and "decisions import" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_on_a_really_proposed_case(tmp_path: Path) -> None:
    """The example case through the real propose: person-level decisions leave only the `review` items."""
    example = Path(__file__).resolve().parents[1] / "examples" / "case"
    if not (example / "case.yaml").is_file():
        pytest.skip("examples/case is absent")
    from sarkit.pipeline import propose

    root = tmp_path / "case"
    shutil.copytree(example, root, ignore=shutil.ignore_patterns(".sarkit", "bundle", "reports"))
    case = Case.at(root)
    propose(case, actor="test")
    s = ReviewSession(case, "alice")
    try:
        first = s.item()
        assert first is not None and s.context(first).span
        for key in dict.fromkeys(ps.key for ps, _ in s.open_groups()):
            s.decide_person(key, "*", "accept")
        left = s.queue()
        assert left and {it.proposal.action for it in left} == {"review"}  # looked at one by one
        for _ in left:
            s.accept()
        assert s.queue() == [] and s.item() is None
        assert undecided(effective_actions(s.ledger.proposals(), s.ledger.latest_decisions()), s.rules) == []
    finally:
        s.close()


def test_bundle_after_review_reflects_every_decision(proposed_case: Path) -> None:
    """A flipped item is kept in the bundle; a manual redaction is removed and verified."""
    import pymupdf

    from sarkit import api
    from sarkit.ledger import Ledger
    from sarkit.review.session import ReviewSession

    session = ReviewSession(Case(proposed_case), "officer")
    try:
        items = session.queue()
        flipped = next(
            it
            for it in items
            if it.proposal.action == "redact"
            and it.proposal.mention.kind == "name"
            and len(it.proposal.mention.text) > 5
        )
        session.goto(flipped.proposal.id)
        session.flip()
        kept_text = flipped.proposal.mention.text
        target = next(
            it
            for it in items
            if it.proposal.action == "keep"
            and it.proposal.mention.kind == "name"
            and it.proposal.mention.doc == flipped.proposal.mention.doc
            and it.proposal.mention.text != kept_text
            and " " in it.proposal.mention.text
        )
        session.goto(target.proposal.id)
        manual_text = target.proposal.mention.text
        session.manual(manual_text)
    finally:
        session.close()
    res = api.bundle(proposed_case, actor="officer", accept_proposals=True)
    assert res.report is not None and res.report.ok
    led = Ledger.open(proposed_case / ".sarkit")
    doc = next(d for d in led.documents() if d.id == flipped.proposal.mention.doc)
    led.close()
    out = proposed_case / "bundle" / "documents" / (doc.name if doc.name.endswith(".pdf") else doc.name + ".pdf")
    text = " ".join(pymupdf.open(out)[flipped.proposal.mention.page].get_text().split())
    assert " ".join(kept_text.split()) in text  # flipped to keep: still there
    page_text = " ".join(pymupdf.open(out)[target.proposal.mention.page].get_text().split())
    assert " ".join(manual_text.split()) not in page_text  # the manual redaction is gone
    assert api.verify(proposed_case, actor="officer").report.ok
    schedule = (proposed_case / "reports" / "schedule.csv").read_text()
    assert ",manual," in schedule


# ---------------------------------------------------------------- a larger generated case (the screen tests)

BIG_MANIFEST = """\
# A generated test case: every person is fictional.
sarkit: 1
reference: SAR-TEST-0002
received: 2026-01-05
rules: uk-dpa2018
people:
  - id: amy
    name: Amy Stone
    role: subject
  - id: sue
    name: Sue Stone
    role: mother
    aliases: [Mum]
    known: true
  - id: tom
    name: Tom Reed
    role: father
    known: true
    risk: true
  - id: pat
    name: Pat Lane
    role: neighbour
    referrer: true
    aliases: [PL]
  - id: kate
    name: Kate Bell
    role: social-worker
{extra}"""

EXTRA_PEOPLE = [
    ("Alan Brook", "teacher"),
    ("Beth Cole", "gp"),
    ("Carl Dunn", "neighbour"),
    ("Dina Ford", "nurse"),
    ("Evan Gray", "other-child"),
    ("Faye Hunt", "iro"),
    ("Glen Irwin", "family-friend"),
    ("Hana Jones", "therapist"),
    ("Ivan Kerr", "member-of-public"),
    ("Jill Lowe", "solicitor"),
    ("Karl Moss", "other-child"),
    ("Lily Nash", "health-visitor"),
]

BIG_VISIT = [
    "Visit by Kate Bell to Amy Stone at home.",
    "Sue Stone said she was tired. Mum lives at 4 Oak Road now.",
    "Stacey Patel who has been misusing alcohol heavily was there.",
    "Pat Lane phoned on 07700 900123 to raise concerns. PL asked not to be named.",
    "Tom Reed lives at 9 Elm Street. Lozza was at the house.",
]
BIG_VISIT_MENTIONS = [
    ("Kate Bell", 0, "name", "kate", None, "name.full"),
    ("Amy Stone", 0, "name", "amy", None, "name.full"),
    ("Sue Stone", 0, "name", "sue", None, "name.full"),
    ("Mum", 0, "name", "sue", None, "kinship"),
    ("4 Oak Road", 0, "contact", "sue", None, "contact.address"),
    ("Stacey Patel", 0, "name", None, "stacey patel", "name.unregistered"),
    ("who has been misusing alcohol heavily", 0, "sensitive", None, "stacey patel", "sensitive.health"),
    ("Pat Lane", 0, "name", "pat", None, "name.full"),
    ("07700 900123", 0, "contact", "pat", None, "id.phone"),
    ("Tom Reed", 0, "name", "tom", None, "name.full"),
    ("9 Elm Street", 0, "contact", "tom", None, "contact.address"),
]


def make_big_case(root: Path, reader=None) -> Case:  # type: ignore[no-untyped-def]
    """Two documents, seventeen people (a referrer, a risk flag, an unregistered person with a clause attributed
    to them), more rows than an 80×24 window holds, and a nickname ("Lozza") no proposal covers, in both."""
    (root / "documents").mkdir(parents=True)
    extra = "".join(
        f"  - id: {name.split()[0].lower()}\n    name: {name}\n    role: {role}\n" for name, role in EXTRA_PEOPLE
    )
    (root / "case.yaml").write_text(BIG_MANIFEST.format(extra=extra), encoding="utf-8")
    case = Case.at(root)
    add_document(case, "2020-01-01 Visit.pdf", BIG_VISIT, BIG_VISIT_MENTIONS, reader=reader)
    names = [n for n, _ in EXTRA_PEOPLE]
    note = ["Lozza came back on Friday with Tom Reed."] + [
        f"{a} met {b} about the plan." for a, b in zip(names[::2], names[1::2], strict=True)
    ]
    mentions = [("Tom Reed", 0, "name", "tom", None, "name.full")] + [
        (n, 0, "name", n.split()[0].lower(), None, "name.full") for n in names
    ]
    add_document(case, "2020-02-02 Note.pdf", note, mentions, reader=reader)
    return case
