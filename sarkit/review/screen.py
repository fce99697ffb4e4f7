"""The review screen: rich output and single-keystroke input over a ReviewSession.

All document text is escaped (rich.markup.escape) before it is printed. Every key that decides calls the
session, which commits to the ledger before the screen is drawn again.
"""

from __future__ import annotations

import os
import select
import termios
import tty
from collections.abc import Callable
from types import TracebackType
from typing import Self

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import SarkitError
from ..roles import ROLE_GROUPS
from .session import ALL_KINDS, ReviewSession, format_seconds, person_key

PEOPLE_KEYS = [
    ("a / Enter", "accept this row: every item of this person and kind as proposed"),
    ("r", "redact every item of this row"),
    ("k", "keep every item of this row"),
    ("c", "redact every item of this row with another reason code"),
    ("A", "accept every kind of this person as proposed"),
    ("+", "add this unregistered person to the register"),
    ("↑ ↓ / j n", "move between rows"),
    ("i", "go through the items one by one"),
    ("u", "undo your last decision"),
    ("?", "help"),
    ("q", "quit (everything is saved; run review again to resume)"),
]
ITEM_KEYS = [
    ("a / Enter", "accept the proposal (second check: confirm the decision)"),
    ("f", "flip: redact ↔ keep"),
    ("c", "change the reason code (then its number)"),
    ("w", "widen the redaction to the whole sentence"),
    ("W", "shrink a widened span back"),
    ("m", "manual redaction: type text to redact on this page"),
    ("+", "add this unregistered person to the register"),
    ("s / Space", "skip (decide later)"),
    ("b", "go back to the previous item"),
    ("u", "undo your last decision"),
    ("p", "people summary"),
    ("?", "help"),
    ("q", "quit (everything is saved; run review again to resume)"),
]


class Keys:
    """Raw single keystrokes from a terminal (cbreak mode: no Enter needed, Ctrl-C still interrupts)."""

    def __init__(self, fd: int, console: Console):
        self.fd = fd
        self.console = console
        self.saved: list | None = None  # type: ignore[type-arg]

    def __enter__(self) -> Self:
        self.saved = termios.tcgetattr(self.fd)
        tty.setcbreak(self.fd)
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        if self.saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)

    def key(self) -> str:
        b = os.read(self.fd, 1)
        if not b:
            raise EOFError
        if b == b"\x1b":
            if select.select([self.fd], [], [], 0.05)[0]:
                seq = os.read(self.fd, 8)
                return {b"[A": "up", b"[B": "down", b"OA": "up", b"OB": "down"}.get(seq[:2], "esc")
            return "esc"
        if b in (b"\r", b"\n"):
            return "enter"
        if b[0] >= 0xC0:  # a multi-byte UTF-8 character
            more = 1 if b[0] < 0xE0 else 2 if b[0] < 0xF0 else 3
            b += os.read(self.fd, more)
        return b.decode("utf-8", "replace")

    def line(self, prompt: str) -> str:
        """A line of text (typed with echo, ended by Enter)."""
        if self.saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)
        try:
            return self.console.input(prompt)
        except EOFError:
            return ""
        finally:
            tty.setcbreak(self.fd)


class Screen:
    def __init__(self, session: ReviewSession, console: Console, keys: Keys):
        self.s = session
        self.c = console
        self.keys = keys
        self.mode = "people" if session.open_groups() else "items"
        self.row = 0
        self.message = ""
        self.prev_mode = self.mode

    # ------------------------------------------------------------ drawing

    def header(self) -> None:
        pr = self.s.progress()
        pct = (100 * pr.done // pr.total) if pr.total else 100
        what = "second check" if self.s.second_check else "review"
        self.c.print(
            f"[bold]sarkit {what}[/] {escape(self.s.manifest.reference)} · reviewer "
            f"{escape(self.s.reviewer)} · [bold]{pr.done}/{pr.total}[/] decided ({pct}%) · "
            f"time left ~ {format_seconds(pr.seconds_left)}"
        )
        if self.message:
            self.c.print(f"[green]{escape(self.message)}[/]")

    def draw_people(self) -> None:
        rows = self.s.open_groups()
        self.row = max(0, min(self.row, len(rows) - 1))
        t = Table(title="People: decide per person and kind", show_lines=False)
        for col in ("", "person", "role", "relation", "kind", "mentions (proposed)", "left", "done"):
            t.add_column(col)
        for i, (ps, kind) in enumerate(rows):
            props = ", ".join(f"{n} {a}" for (k, a), n in sorted(ps.counts.items()) if k == kind)
            rel = " → ".join(ps.path) if ps.path else "-"
            t.add_row(
                "▶" if i == self.row else "",
                escape(ps.name),
                ps.role,
                escape(rel),
                kind,
                props,
                str(ps.open[kind]),
                f"{ps.done}/{ps.total}",
            )
        self.c.print(t)
        if not rows:
            self.c.print("No person-level decisions left. Press i for the items, q to quit.")
        self.c.print(_keyline(PEOPLE_KEYS))

    def draw_item(self) -> None:
        it = self.s.item()
        if it is None:
            self.c.print("[bold]Every item is decided.[/] Next: sarkit bundle CASE. (u undo · p people · q quit)")
            return
        p, m = it.proposal, it.proposal.mention
        ctx = self.s.context(it)
        line = f" · line {ctx.line}" if ctx.line else ""
        self.c.print(f"[bold]{escape(it.document)}[/] · page {m.page + 1}{line}")
        self.c.print("─" * 60)
        self.c.print(f"{escape(ctx.before)}[reverse bold]{escape(ctx.span)}[/reverse bold]{escape(ctx.after)}")
        self.c.print("─" * 60)
        key = person_key(m)
        who = self.s.person_name(key, [it])
        rel = " → ".join(p.path) if p.path else ("unregistered" if key.startswith("?") else "-")
        role = (
            "unregistered"
            if key.startswith("?")
            else (self.s.manifest.person(key).role if key in {x.id for x in self.s.manifest.people} else "-")
        )
        self.c.print(f"Person: [bold]{escape(who)}[/] · role {role} · {escape(rel)}")
        self.c.print(f"Kind: {m.kind} · detector {escape(m.detector)}")
        self.c.print(f"Proposed: [bold]{p.action}[/] · code {p.code or '-'} · rule {escape(p.rule)}")
        self.c.print(f"Why: {escape(p.why)}")
        d = it.decision
        self.c.print(f"Decision: {d.action + ' ' + (d.code or '') + ' by ' + escape(d.by) if d else 'undecided'}")
        if key.startswith("?"):
            self.c.print("Not in the register: press + to add this person.")
        self.c.print(_keyline(ITEM_KEYS))

    def draw(self) -> None:
        self.c.clear()
        self.header()
        if self.mode == "help":
            t = Table(title="Keys")
            t.add_column("key")
            t.add_column("does")
            for k, d in PEOPLE_KEYS if self.prev_mode == "people" else ITEM_KEYS:
                t.add_row(escape(k), escape(d))
            self.c.print(t)
            self.c.print("Press any key to go back.")
        elif self.mode == "people":
            self.draw_people()
        else:
            self.draw_item()

    # ------------------------------------------------------------ the loop

    def run(self) -> None:
        self.prev_mode = self.mode
        while True:
            self.draw()
            k = self.keys.key()
            if self.mode == "help":
                self.mode = self.prev_mode
                continue
            if k == "q":
                return
            if k == "?":
                self.prev_mode, self.mode = self.mode, "help"
                continue
            try:
                (self.on_people if self.mode == "people" else self.on_item)(k)
            except SarkitError as exc:
                self.message = exc.message

    def _code_key(self) -> str | None:
        codes = self.s.codes()
        self.c.print("Reason code: " + "  ".join(f"[bold]{i + 1}[/] {c}" for i, c in enumerate(codes)))
        k = self.keys.key()
        return codes[int(k) - 1] if k.isdigit() and 0 < int(k) <= len(codes) else None

    def on_people(self, k: str) -> None:
        rows = self.s.open_groups()
        if k in ("i", "esc"):
            self.mode = "items"
            return
        if k == "u":
            self.message = "undone" if self.s.undo() else "nothing to undo"
            return
        if not rows:
            return
        if k in ("down", "j", "n"):
            self.row = min(self.row + 1, len(rows) - 1)
            return
        if k in ("up", "K", "P"):
            self.row = max(self.row - 1, 0)
            return
        ps, kind = rows[self.row]
        action: tuple[str, str, str | None] | None = None
        if k in ("a", "enter"):
            action = (kind, "accept", None)
        elif k == "r":
            action = (kind, "redact", None)
        elif k == "k":
            action = (kind, "keep", None)
        elif k == "A":
            action = (ALL_KINDS, "accept", None)
        elif k == "c":
            code = self._code_key()
            action = (kind, "redact", code) if code else None
        elif k == "+":
            self.add_person(ps.key, ps.name)
            return
        if action is not None:
            n = self.s.decide_person(ps.key, *action)
            self.message = (
                f"saved: {n} items of {ps.name} ({action[0] if action[0] != ALL_KINDS else 'all kinds'}): "
                f"{action[1]}{' ' + action[2] if action[2] else ''}"
            )
            if not self.s.open_groups():
                self.mode = "items"

    def on_item(self, k: str) -> None:
        acts: dict[str, Callable[[], object]] = {
            "a": self.s.accept,
            "enter": self.s.accept,
            "f": self.s.flip,
            "w": self.s.widen,
        }
        if k == "p":
            self.mode = "people"
            return
        if k == "u":
            self.message = "undone" if self.s.undo() else "nothing to undo"
            return
        if k == "b":
            self.s.back()
            self.message = ""
            return
        it = self.s.item()
        if it is None:
            return
        if k in ("s", " "):
            self.s.skip()
            self.message = "skipped"
        elif k in acts:
            r = acts[k]()
            self.message = f"saved: {_describe(r)}"
        elif k == "W":
            self.message = "saved: shrunk back to the original span" if self.s.shrink() else "nothing to shrink"
        elif k == "c":
            code = self._code_key()
            if code:
                self.message = f"saved: {_describe(self.s.change_code(code))}"
        elif k == "m":
            text = self.keys.line("Text to redact on this page (Enter to cancel): ").strip()
            if text:
                n = len(self.s.manual(text))
                self.message = (
                    f"saved: {n} manual redaction{'s' if n != 1 else ''} on page {it.proposal.mention.page + 1}"
                )
        elif k == "+":
            key = person_key(it.proposal.mention)
            if key.startswith("?"):
                self.add_person(key, self.s.person_name(key, [it]))

    def add_person(self, key: str, name: str) -> None:
        if not key.startswith("?"):
            self.message = "this person is already in the register"
            return
        self.c.print("Roles: " + "; ".join(f"{g}: {', '.join(r)}" for g, r in ROLE_GROUPS.items() if g != "subject"))
        role = self.keys.line(f"Role of {escape(name)} (Enter to cancel): ").strip()
        if not role:
            return
        new_name = self.keys.line("Full name as it usually appears (Enter to keep it as shown): ").strip()
        pid = self.s.add_to_register(key, role, new_name or None)
        self.message = f"saved: added {pid} ({role}) to case.yaml; their items were decided again by the rules"


def _keyline(keys: list[tuple[str, str]]) -> str:
    return "[dim]" + " · ".join(f"{escape(k)} {escape(d.split(':')[0].split(' (')[0])}" for k, d in keys) + "[/dim]"


def _describe(r: object) -> str:
    action = getattr(r, "action", None)
    if action:
        return f"{action}{' ' + r.code if getattr(r, 'code', None) else ''}"  # type: ignore[attr-defined]
    return "widened to the whole sentence"
