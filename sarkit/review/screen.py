"""The review screen: full-screen rich drawing and single-keystroke input over a ReviewSession.

Every frame is exactly as tall and as wide as the window (read again at every frame, and redrawn when the
window is resized): a title line, the view, a status line and the keys. Tables scroll under their column
titles and keep the selected row in sight. Document text is drawn as plain text (never as markup), with
control characters made blank. Every key that decides calls the session, which commits to the ledger
before the screen is drawn again.

The screen talks to a Terminal: `Tty` is the real one (cbreak mode, the alternate screen, SIGWINCH);
`Script` plays a list of keys and keeps the frames as text, for tests and the keystroke benchmark.
"""

from __future__ import annotations

import io
import os
import select
import signal
import termios
import tty
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Protocol, Self

from rich.console import Console
from rich.text import Text

from ..errors import SarkitError
from ..roles import ROLE_GROUPS
from .session import (
    ALL_KINDS,
    NOBODY,
    Filter,
    Hit,
    Item,
    ReviewSession,
    format_seconds,
    guess_kind,
    person_key,
)

# ---------------------------------------------------------------- terminals


class Terminal(Protocol):
    def key(self) -> str:
        """The next key: a character, or a name (enter, esc, up, down, left, right, home, end, pgup, pgdn,
        delete, insert, backspace, tab, f1 … f12, resize, unknown). Raises EOFError when input ends."""
        ...

    def size(self) -> tuple[int, int]:
        """(columns, rows) of the window now."""
        ...

    def show(self, lines: Sequence[Text]) -> None:
        """Draw one frame: exactly as many lines as the window has rows, none wider than it."""
        ...


_CSI_TILDE = {
    "1": "home",
    "7": "home",
    "4": "end",
    "8": "end",
    "2": "insert",
    "3": "delete",
    "5": "pgup",
    "6": "pgdn",
    "11": "f1",
    "12": "f2",
    "13": "f3",
    "14": "f4",
    "15": "f5",
    "17": "f6",
    "18": "f7",
    "19": "f8",
    "20": "f9",
    "21": "f10",
    "23": "f11",
    "24": "f12",
}
_CSI_FINAL = {
    "A": "up",
    "B": "down",
    "C": "right",
    "D": "left",
    "H": "home",
    "F": "end",
    "Z": "btab",
    "P": "f1",
    "Q": "f2",
    "R": "f3",
    "S": "f4",
}


def decode_keys(buf: bytes, final: bool) -> tuple[list[str], bytes]:
    """Keys at the start of `buf`, and the bytes left over (an incomplete sequence, unless `final`)."""
    keys: list[str] = []
    i = 0
    n = len(buf)
    while i < n:
        b = buf[i]
        if b == 0x1B:
            if i + 1 >= n:
                if not final:
                    break
                keys.append("esc")
                i += 1
                continue
            nxt = buf[i + 1]
            if nxt == ord("["):
                j = i + 2
                if j < n and buf[j] == ord("["):  # the Linux console's F1-F5: ESC [ [ A
                    if j + 1 >= n:
                        if not final:
                            break
                        keys.append("unknown")
                        i = n
                        continue
                    keys.append({"A": "f1", "B": "f2", "C": "f3", "D": "f4", "E": "f5"}.get(chr(buf[j + 1]), "unknown"))
                    i = j + 2
                    continue
                while j < n and not 0x40 <= buf[j] <= 0x7E:
                    j += 1
                if j >= n:
                    if not final and n - i < 32:
                        break
                    keys.append("unknown")
                    i = n
                    continue
                params, fin = buf[i + 2 : j].decode("ascii", "replace"), chr(buf[j])
                if fin == "~":
                    keys.append(_CSI_TILDE.get(params.split(";")[0], "unknown"))
                else:
                    keys.append(_CSI_FINAL.get(fin, "unknown"))
                i = j + 1
                continue
            if nxt == ord("O"):
                if i + 2 >= n:
                    if not final:
                        break
                    keys.append("unknown")
                    i = n
                    continue
                keys.append(_CSI_FINAL.get(chr(buf[i + 2]), "unknown"))
                i += 3
                continue
            keys.append("unknown")  # Alt + a key
            i += 2
            continue
        if b in (0x0D, 0x0A):
            keys.append("enter")
            i += 2 if b == 0x0D and i + 1 < n and buf[i + 1] == 0x0A else 1
            continue
        if b in (0x7F, 0x08):
            keys.append("backspace")
            i += 1
            continue
        if b == 0x09:
            keys.append("tab")
            i += 1
            continue
        if b < 0x20:
            keys.append("ctrl-" + chr(b + 0x60))
            i += 1
            continue
        length = 1 if b < 0xC0 else 2 if b < 0xE0 else 3 if b < 0xF0 else 4
        if i + length > n and not final:
            break
        keys.append(buf[i : i + length].decode("utf-8", "replace"))
        i += length
    return keys, buf[i:]


class Tty:
    """The real terminal: cbreak mode (Ctrl-C still interrupts), the alternate screen, the cursor hidden,
    and a redraw whenever the window changes size (SIGWINCH)."""

    def __init__(self, fd: int, out: int | None = None, color_system: str | None = "standard"):
        self.fd = fd
        self.out = out if out is not None else fd
        self.saved: list[Any] | None = None
        self._buf = b""
        self._keys: list[str] = []
        self._resized = False
        self._pipe: tuple[int, int] | None = None
        self._old_handler: Any = None
        self._old_int: Any = None
        self._console = Console(
            file=io.StringIO(),
            force_terminal=True,
            color_system=color_system,  # type: ignore[arg-type]
            highlight=False,
            markup=False,
            emoji=False,
            legacy_windows=False,
        )

    def __enter__(self) -> Self:
        self.saved = termios.tcgetattr(self.fd)
        tty.setcbreak(self.fd)
        r, w = os.pipe()
        os.set_blocking(r, False)
        os.set_blocking(w, False)
        self._pipe = (r, w)
        self._old_handler = signal.signal(signal.SIGWINCH, self._on_resize)
        # Ctrl-C ends the session (every decision is already saved) even when sarkit was started where
        # SIGINT is ignored or blocked (a background job of a script, which then hands it the terminal)
        self._old_int = signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        self._write("\x1b[?1049h\x1b[?25l\x1b[?7l\x1b[2J")
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self._write("\x1b[?7h\x1b[?25h\x1b[0m\x1b[?1049l")
        if self._old_handler is not None:
            signal.signal(signal.SIGWINCH, self._old_handler)
        if self._old_int is not None:
            signal.signal(signal.SIGINT, self._old_int)
        if self._pipe is not None:
            for p in self._pipe:
                os.close(p)
            self._pipe = None
        if self.saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)

    def _on_resize(self, signum: int, frame: Any) -> None:
        if self._pipe is not None:
            try:
                os.write(self._pipe[1], b"r")
            except OSError:
                pass

    def _write(self, s: str) -> None:
        data = s.encode("utf-8", "replace")
        while data:
            n = os.write(self.out, data)
            data = data[n:]

    def size(self) -> tuple[int, int]:
        try:
            sz = os.get_terminal_size(self.out)
        except OSError:
            return 80, 24
        return sz.columns or 80, sz.lines or 24

    def _fill(self, timeout: float | None) -> bool:
        """Wait for input or a resize; False when nothing came within the timeout."""
        fds = [self.fd] + ([self._pipe[0]] if self._pipe else [])
        ready = select.select(fds, [], [], timeout)[0]
        if self._pipe and self._pipe[0] in ready:
            try:
                while os.read(self._pipe[0], 64):
                    pass
            except BlockingIOError:
                pass
            self._resized = True
        if self.fd in ready:
            data = os.read(self.fd, 1024)
            if not data:
                raise EOFError
            self._buf += data
        return bool(ready)

    def key(self) -> str:
        while True:
            if self._resized:
                self._resized = False
                return "resize"
            if self._keys:
                return self._keys.pop(0)
            if self._buf:
                keys, rest = decode_keys(self._buf, final=False)
                if not keys and rest:  # an incomplete sequence: wait a moment for the rest of it
                    if not self._fill(0.05):
                        keys, rest = decode_keys(self._buf, final=True)
                    else:
                        continue
                self._buf = rest
                self._keys.extend(keys)
                if self._keys:
                    continue
            self._fill(None)

    def show(self, lines: Sequence[Text]) -> None:
        cols, rows = self.size()
        con = self._console
        con.file = io.StringIO()
        con.width = cols
        parts = ["\x1b[H"]
        for i, line in enumerate(lines[:rows]):
            con.file = buf = io.StringIO()
            con.print(crop(line, cols), end="", no_wrap=True, overflow="crop", crop=True, soft_wrap=True)
            parts.append(buf.getvalue())
            parts.append("\x1b[0m\x1b[K")
            if i < min(len(lines), rows) - 1:
                parts.append("\r\n")
        self._write("".join(parts))


class Script:
    """A terminal that plays keys from a list and keeps each frame as plain text lines."""

    def __init__(self, keys: Iterable[str] = (), size: tuple[int, int] = (80, 24)):
        self.keys = list(keys)
        self.cols, self.rows = size
        self.frames: list[list[str]] = []
        self.used = 0

    def key(self) -> str:
        if self.used >= len(self.keys):
            raise EOFError
        k = self.keys[self.used]
        self.used += 1
        return k

    def size(self) -> tuple[int, int]:
        return self.cols, self.rows

    def show(self, lines: Sequence[Text]) -> None:
        self.frames.append([ln.plain for ln in lines])

    @property
    def screen(self) -> str:
        return "\n".join(self.frames[-1]) if self.frames else ""


# ---------------------------------------------------------------- drawing helpers


def clean(s: str) -> str:
    """Document text made safe to draw: control characters (tabs, form feeds, escapes) become spaces."""
    return "".join(ch if ch == "\n" or (ch.isprintable() and ch != "\x1b") else " " for ch in s)


def crop(line: Text, width: int) -> Text:
    t = line.copy()
    t.truncate(max(width, 0), overflow="ellipsis")
    return t


def compact(text: str) -> tuple[str, list[int]]:
    """Page text with its blank lines between blocks taken out (a table is a block per cell), and where each
    character (and the end) of the page text is in it."""
    out: list[str] = []
    at: list[int] = []
    for i, ch in enumerate(text):
        at.append(len(out))
        if ch == "\n" and i > 0 and text[i - 1] == "\n":
            continue
        out.append(ch)
    at.append(len(out))
    return "".join(out), at


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def fit_columns(widths: Sequence[int], mins: Sequence[int], total: int) -> list[int]:
    """Column widths that fit `total` cells (one space between columns): the widest columns give way first,
    none below its minimum; the last columns are dropped (width 0) only when even the minimums do not fit."""
    w = list(widths)
    gaps = len(w) - 1

    def used() -> int:
        return sum(w) + sum(1 for x in w[1:] if x) if any(w) else 0

    while used() > total:
        flex = [i for i in range(len(w)) if w[i] > mins[i]]
        if not flex:
            break
        i = max(flex, key=lambda j: w[j] - mins[j])
        w[i] -= 1
    i = len(w) - 1
    while used() > total and i > 0:
        w[i] = 0
        i -= 1
    del gaps
    return w


def table_line(cells: Sequence[Text | str], widths: Sequence[int], style: str = "") -> Text:
    out = Text(style=style)
    first = True
    for cell, w in zip(cells, widths, strict=False):
        if w <= 0:
            continue
        if not first:
            out.append(" ")
        first = False
        t = cell.copy() if isinstance(cell, Text) else Text(clean(str(cell)).replace("\n", " "))
        t.truncate(w, overflow="ellipsis", pad=True)
        out.append_text(t)
    return out


def scroll(top: int, cursor: int, height: int, count: int) -> int:
    """The first row to show so that the cursor row is in sight."""
    if height <= 0:
        return 0
    top = min(top, max(0, count - height))
    if cursor < top:
        top = cursor
    elif cursor >= top + height:
        top = cursor - height + 1
    return max(0, top)


STATE_STYLE = {
    "redacted": "bold white on red",
    "kept": "bold green",
    "proposed": "black on bright_yellow",
    "proposed keep": "green",
    "to decide": "bold black on yellow",
    "missed": "bold black on cyan",
    "found": "black on cyan",
    "selected": "bold white on blue",
}

# ---------------------------------------------------------------- keys (help and legend)

PEOPLE_KEYS = [
    ("a / Enter", "accept this row as proposed (its `review` items stay open: you look at each)"),
    ("A", "accept every row of this person as proposed (review items stay open)"),
    ("*", "accept every row of the table as proposed (review items stay open)"),
    ("r", "redact every item of this row"),
    ("K", "keep every item of this row (warns when a flag says otherwise)"),
    ("c", "redact every item of this row with another reason code"),
    ("+", "add this unregistered person to the register (case.yaml; u undoes it)"),
    ("↑ ↓ / k j", "move between rows"),
    ("PgUp PgDn Home End", "move a page, to the first or last row"),
    ("i", "go through the items of this row one by one"),
    ("v", "read the pages"),
    ("/", "search every document and redact what detection missed"),
    ("F", "filter: review items, departures, one document, one person"),
    ("u", "undo your last step"),
    ("? / F1", "help"),
    ("q", "quit (everything is saved; run review again to resume)"),
]
ITEM_KEYS = [
    ("a / Enter", "accept the proposal (second check: confirm the first decision)"),
    ("f", "flip: redact ↔ keep"),
    ("c", "change the reason code"),
    ("w", "widen the redaction to the whole sentence"),
    ("W", "shrink a widened span back"),
    ("m", "mark text on this page to redact (asks for a code and a person)"),
    ("+", "add this unregistered person to the register"),
    ("s / Space", "skip (decide later)"),
    ("b", "go back to the item shown before"),
    ("← →", "previous / next item (decided or not)"),
    ("Home End", "first / last item"),
    ("v", "read this page"),
    ("p", "people"),
    ("/", "search every document"),
    ("F", "filter: review items, departures, one document, one person"),
    ("Esc", "clear the filter"),
    ("u", "undo your last step"),
    ("? / F1", "help"),
    ("q", "quit (everything is saved; run review again to resume)"),
]
PAGE_KEYS = [
    ("← →", "previous / next page"),
    ("[ ]", "previous / next document"),
    ("↑ ↓ / k j", "scroll"),
    ("PgUp PgDn Home End", "scroll a screen, to the top or bottom"),
    ("m", "find text on this page to redact"),
    ("n N", "next / previous place found"),
    ("r", "redact the place found (asks for a person and a code)"),
    ("R", "redact every place found on this page"),
    ("i", "the items of this page"),
    ("p", "people"),
    ("/", "search every document"),
    ("Esc", "clear what was found, then back"),
    ("u", "undo your last step"),
    ("? / F1", "help"),
    ("q", "quit (everything is saved)"),
]
SEARCH_KEYS = [
    ("↑ ↓ / k j", "move between places"),
    ("x / Space", "leave this place out, or put it back (places kept by a decision start left out)"),
    ("r", "redact every place not left out (one decision: asks for a person and a code)"),
    ("v / Enter", "read the page of this place"),
    ("/", "search again"),
    ("Esc", "back"),
    ("u", "undo your last step"),
    ("? / F1", "help"),
    ("q", "quit (everything is saved)"),
]
MODES = ("people", "items", "page", "search")


@dataclass
class Picker:
    """A list to choose from, drawn over the view: type to narrow it, ↑ ↓, Enter, Esc."""

    title: str
    options: list[tuple[str, str]]  # (value, label)
    default: int = 0
    typed: str = ""
    cursor: int = 0
    top: int = 0

    def shown(self) -> list[int]:
        q = self.typed.strip().casefold()
        if not q:
            return list(range(len(self.options)))
        exact = [i for i in range(len(self.options)) if str(i + 1) == q]
        rest = [
            i
            for i in range(len(self.options))
            if i not in exact and (str(i + 1).startswith(q) or q in self.options[i][1].casefold())
        ]
        return exact + rest


@dataclass
class Find:
    """What `m` found on the page shown."""

    query: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    at: int = 0


class Screen:
    def __init__(self, session: ReviewSession, term: Terminal):
        self.s = session
        self.t = term
        self.row = 0
        self.top = 0
        self.message: tuple[str, str] | None = None  # (text, style)
        self.prompt: tuple[str, str] | None = None  # (label, typed)
        self.picker: Picker | None = None
        self.confirm_lines: list[str] | None = None
        self.help_top = 0
        self.help_of = "people"
        self.stack: list[str] = []
        self.page: tuple[str, int] | None = None
        self.page_top = 0
        self.find: Find | None = None
        self.query = ""
        self.hits: list[Hit] = []
        self.left_out: set[int] = set()
        self.hit_row = 0
        self.hit_top = 0
        saved = session.saved_position()
        mode = saved.get("mode")
        self.mode = mode if mode in ("people", "items", "page") else ("people" if session.open_groups() else "items")
        if self.mode == "people" and not session.open_groups():
            self.mode = "items"
        page = saved.get("page")
        if self.mode == "page":
            docs = {d for d, _, _ in session.documents()}
            if isinstance(page, list) and len(page) == 2 and page[0] in docs and isinstance(page[1], int):
                self.page = (page[0], page[1])
            else:
                self.mode = "items"

    # ------------------------------------------------------------ frames

    def frame(self) -> list[Text]:
        cols, rows = self.t.size()
        cols, rows = max(cols, 1), max(rows, 1)
        title = self.title_line()
        status = self.status_line()
        legend = self.legend_line(cols)
        body_h = rows - 3
        if body_h < 0:
            lines = [status, title, legend][:rows]
        else:
            if self.picker is not None:
                body = self.picker_body(cols, body_h)
            elif self.confirm_lines is not None:
                body = self.confirm_body(cols, body_h)
            else:
                body = self.body(cols, body_h)
            body = body[:body_h] + [Text("")] * max(0, body_h - len(body))
            lines = [title, *body, status, legend]
        return [crop(ln, cols) for ln in lines]

    def draw(self) -> None:
        self.t.show(self.frame())

    def body(self, cols: int, h: int) -> list[Text]:
        if self.mode == "help":
            return self.help_body(cols, h)
        if self.mode == "people":
            return self.people_body(cols, h)
        if self.mode == "page":
            return self.page_body(cols, h)
        if self.mode == "search":
            return self.search_body(cols, h)
        return self.item_body(cols, h)

    def title_line(self) -> Text:
        pr = self.s.progress()
        pct = (100 * pr.done // pr.total) if pr.total else 100
        what = "second check" if self.s.second_check else "review"
        view = {
            "people": "People",
            "items": "Items",
            "page": "Pages",
            "search": "Search",
            "help": "Help",
        }[self.mode]
        t = Text()
        t.append(f"sarkit {what} ", style="bold")
        t.append(f"{clean(self.s.manifest.reference)} · {view} · ")
        t.append(f"{pr.done}/{pr.total} decided", style="bold")
        left = f" · ~{format_seconds(pr.seconds_left)} left" if pr.seconds_left is not None else ""
        t.append(f" ({pct}%){left} · {clean(self.s.reviewer)}")
        return t

    def status_line(self) -> Text:
        if self.prompt is not None:
            label, typed = self.prompt
            t = Text(label + " ", style="bold")
            t.append(clean(typed).replace("\n", " "))
            t.append("█")
            return t
        if self.message is not None:
            text, style = self.message
            return Text(clean(text).replace("\n", " "), style=style)
        f = self.filter_text()
        return Text(f"filter: {f} (Esc clears it)" if f else "", style="cyan")

    def filter_text(self) -> str:
        f = self.s.filter
        parts = []
        if f.review:
            parts.append("review items")
        if f.departures:
            parts.append("departures from the proposal")
        if f.doc:
            parts.append("document " + self.s.doc_names().get(f.doc, f.doc))
        if f.person:
            parts.append(self.s.person_name(f.person) + (f" · {f.kind}" if f.kind else ""))
        return ", ".join(parts)

    def legend_keys(self) -> list[tuple[str, str]]:
        if self.picker is not None:
            return [("type", "to narrow"), ("↑ ↓", "move"), ("Enter", "choose"), ("Esc", "cancel")]
        if self.confirm_lines is not None:
            return [("y", "go ahead"), ("any other key", "cancel")]
        if self.prompt is not None:
            return [("Enter", "done"), ("Esc", "cancel"), ("Backspace", "rub out")]
        if self.mode == "help":
            return [("↑ ↓", "scroll"), ("any other key", "back")]
        if self.mode == "people":
            verb = "confirm" if self.s.second_check else "accept"
            return [
                ("a", f"{verb} row"),
                ("A", f"{verb} person"),
                ("*", f"{verb} all"),
                ("r", "redact"),
                ("K", "keep"),
                ("c", "code"),
                ("↑↓ k j", "move"),
                ("i", "items"),
                ("v", "pages"),
                ("/", "search"),
                ("F", "filter"),
                ("u", "undo"),
                ("q", "quit"),
            ]
        if self.mode == "page":
            return [
                ("← →", "page"),
                ("[ ]", "document"),
                ("↑↓", "scroll"),
                ("m", "find & redact"),
                ("n", "next found"),
                ("r/R", "redact found"),
                ("i", "items"),
                ("/", "search"),
                ("Esc", "back"),
                ("u", "undo"),
                ("q", "quit"),
            ]
        if self.mode == "search":
            return [
                ("↑↓", "move"),
                ("x", "leave out"),
                ("r", "redact all"),
                ("v", "read page"),
                ("/", "search again"),
                ("Esc", "back"),
                ("u", "undo"),
                ("q", "quit"),
            ]
        it = self.s.item()
        a_label = "accept"
        if it is not None:
            act, code = self.s.accept_target(it)
            verb = "confirm" if self.s.second_check and it.decision is not None else "accept"
            a_label = f"{verb}: {act}{' ' + code if code and act == 'redact' else ''}"
        return [
            ("a", a_label),
            ("f", "flip"),
            ("c", "code"),
            ("w", "widen"),
            ("m", "mark"),
            ("s", "skip"),
            ("b", "back"),
            ("← →", "items"),
            ("v", "page"),
            ("p", "people"),
            ("/", "search"),
            ("F", "filter"),
            ("u", "undo"),
            ("q", "quit"),
        ]

    def legend_line(self, cols: int) -> Text:
        tail = Text("? help", style="dim")
        out = Text(style="dim")
        for k, d in self.legend_keys():
            piece = f"{k} {d} · "
            if out.cell_len + len(piece) + tail.cell_len > cols:
                break
            out.append(k, style="bold")
            out.append(f" {d} · ")
        out.append_text(tail)
        return out

    # ------------------------------------------------------------ people

    def people_rows(self) -> list[tuple[Any, str]]:
        return self.s.open_groups()

    def people_body(self, cols: int, h: int) -> list[Text]:
        rows = self.people_rows()
        self.row = max(0, min(self.row, len(rows) - 1))
        sc = self.s.second_check
        head = Text("People: decide per person and kind", style="bold")
        if sc:
            head.append(" · the first reviewer's decisions, departures from the proposal marked !", style="")
        lines = [head]
        if not rows:
            lines.append(Text("No person-level decisions left."))
            lines.append(Text("i: go through the items · v: read the pages · /: search · q: quit"))
            return lines
        titles = ["", "person", "role", "of", "kind", "decided (first)" if sc else "proposed", "left", "review", "done"]
        cells = []
        for i, (ps, kind) in enumerate(rows):
            if sc:
                what = ", ".join(f"{n} {a}" for (k, a), n in sorted(ps.decided.items()) if k == kind)
                if ps.departs.get(kind):
                    what += f" !{ps.departs[kind]} depart"
            else:
                what = ", ".join(f"{n} {a}" for (k, a), n in sorted(ps.counts.items()) if k == kind)
            cells.append(
                [
                    "▶" if i == self.row else " ",
                    " ".join(ps.name.split()),
                    ps.role,
                    " → ".join(ps.path[1:-1]) if len(ps.path) > 2 else "",
                    kind,
                    what,
                    str(ps.open[kind]),
                    str(ps.review[kind]) if ps.review.get(kind) else "",
                    f"{ps.done}/{ps.total}",
                ]
            )
        natural = [max(len(str(r[c])) for r in [titles, *cells]) for c in range(len(titles))]
        mins = [1, 10, 6, 2, 5, 8, 4, 6, 4]
        widths = fit_columns(natural, mins, cols)
        lines.append(table_line(titles, widths, style="bold underline"))
        height = h - len(lines)
        self.top = scroll(self.top, self.row, height, len(cells))
        for i in range(self.top, min(len(cells), self.top + height)):
            style = "reverse" if i == self.row else ""
            row = cells[i]
            line = table_line(row, widths, style=style)
            ps, kind = rows[i]
            if sc and ps.departs.get(kind) and i != self.row:
                line.stylize("yellow")
            lines.append(line)
        return lines

    # ------------------------------------------------------------ items

    def item_body(self, cols: int, h: int) -> list[Text]:
        it = self.s.item()
        lines: list[Text] = []
        if self.s.row_done:
            lines.append(Text(f"Done: {self.s.row_done}. On with the rest of the case.", style="green"))
        if it is None:
            if self.s.filter.active:
                lines.append(Text("No item left in this filter.", style="bold"))
                lines.append(Text("Esc: clear the filter · F: another filter · p: people · q: quit"))
            else:
                lines.append(Text("Every item is decided.", style="bold"))
                lines.append(Text("Next: sarkit bundle CASE. (u undo · v pages · / search · p people · q quit)"))
            return lines
        m = it.proposal.mention
        ctx = self.s.context(it)
        pos, count = self.s.position()
        where = Text(clean(it.document), style="bold")
        where.append(f" · page {m.page + 1}" + (f" · line {ctx.line}" if ctx.line else ""))
        where.append(f" · item {pos} of {count}" + (" in the filter" if self.s.filter.active else ""), style="dim")
        lines.append(where)
        info = self.item_info(it, cols)
        room = max(1, h - len(lines) - len(info) - 2)
        lines.append(Text("─" * min(cols, 100), style="dim"))
        lines.extend(self.context_lines(ctx.before, ctx.span, ctx.after, it, cols, room))
        lines.append(Text("─" * min(cols, 100), style="dim"))
        lines.extend(info)
        return lines

    def context_lines(self, before: str, span: str, after: str, it: Item, cols: int, room: int) -> list[Text]:
        state = self.s._state(it.proposal, it.decision)
        t = Text(clean(before))
        t.append(clean(span), style="reverse bold " + ("red" if state == "redacted" else ""))
        t.append(clean(after))
        con = Console(file=io.StringIO(), width=max(cols, 1))
        wrapped = list(t.wrap(con, max(cols, 1)))
        if len(wrapped) <= room:
            return wrapped
        a = len(clean(before))
        at = 0
        pos = 0
        for i, ln in enumerate(wrapped):  # the line the span starts on
            pos += len(ln.plain)
            if pos > a:
                at = i
                break
        start = max(0, min(at - room // 3, len(wrapped) - room))
        return wrapped[start : start + room]

    def item_info(self, it: Item, cols: int = 80) -> list[Text]:
        p, m = it.proposal, it.proposal.mention
        key = person_key(m)
        who = self.s.person_name(key, [it])
        out = []
        person = Text("Person   ", style="dim")
        person.append(clean(who), style="bold")
        if key.startswith("?"):
            person.append(" · not in the register (+ adds them)")
        elif key != NOBODY:
            try:
                pr = self.s.manifest.person(key)
                rel = " → ".join(p.path) if p.path else "-"
                person.append(f" · {pr.role} · {clean(rel)}")
                flags = [
                    f
                    for f, on in (
                        ("referrer", pr.referrer),
                        ("risk", pr.risk),
                        ("deceased", pr.deceased),
                        (f"consent {pr.consent}", pr.consent != "none"),
                        ("withheld names", bool(pr.withheld)),
                    )
                    if on
                ]
                if flags:
                    person.append(" · " + ", ".join(flags), style="bold magenta")
            except KeyError:
                pass
        out.append(person)
        out.append(Text(f"Kind     {m.kind} · found by {clean(m.detector)}", style=""))
        prop = Text("Proposed ", style="dim")
        prop.append(f"{p.action}", style="bold")
        prop.append(f" {p.code or ''} · rule {clean(p.rule)}")
        at_prop = len(out)
        out.append(prop)
        out.append(Text("Why      " + clean(p.why)))
        d = it.decision
        if self.s.second_check:
            first = self.s.first_decision(it)
            side = cols >= 110 and prop.cell_len <= cols // 2 - 2  # the proposal and the first decision side by side
            line = Text(" │ First decision ", style="dim") if side else Text("First    ", style="dim")
            if first is None:
                line.append("undecided")
            else:
                line.append(f"{first.action}{' ' + first.code if first.code else ''}", style="bold")
                line.append(f" by {clean(first.by)}")
                if self.s.departs(it):
                    line.append("  ! departs from the proposal", style="bold yellow")
            if side:
                prop.truncate(cols // 2 - 2, pad=True)
                out[at_prop] = Text.assemble(prop, line)
            else:
                out.append(line)
            if d is not None and d.source == "second-check":
                out.append(Text(f"Checked  {d.action}{' ' + d.code if d.code else ''} by {clean(d.by)}", style="green"))
        else:
            line = Text("Decision ", style="dim")
            if d is None:
                act, code = self.s.accept_target(it)
                line.append("undecided", style="bold")
                if p.action == "review":
                    line.append(f" · `review`: a redacts it ({code}), f keeps it", style="yellow")
                else:
                    line.append(f" · a: {act}{' ' + code if code and act == 'redact' else ''} as proposed")
            else:
                line.append(f"{d.action}{' ' + d.code if d.code else ''}", style="bold")
                line.append(f" by {clean(d.by)}")
                if self.s.departs(it):
                    line.append("  (departs from the proposal)", style="yellow")
            out.append(line)
        for w in self.s.warnings(it, it.decision.action) if it.decision else []:
            out.append(Text("Warning  " + w, style="bold red"))
        return out

    # ------------------------------------------------------------ pages

    def page_doc_index(self) -> tuple[list[tuple[str, str, int]], int]:
        docs = self.s.documents()
        ids = [d for d, _, _ in docs]
        assert self.page is not None
        return docs, ids.index(self.page[0]) if self.page[0] in ids else 0

    def page_body(self, cols: int, h: int) -> list[Text]:
        if self.page is None:
            return [Text("No document has been read: run sarkit propose first.")]
        view = self.s.page_view(*self.page)
        docs, di = self.page_doc_index()
        head = Text(clean(view.document), style="bold")
        head.append(f" · page {view.page + 1} of {view.pages} · document {di + 1} of {len(docs)}")
        if view.scanned:
            head.append(" · scan: the OCR text", style="magenta")
        key = Text("", style="dim")
        for state, label in (
            ("redacted", "redacted"),
            ("kept", "kept"),
            ("proposed", "proposed, undecided"),
            ("to decide", "review"),
            ("found", "found"),
        ):
            key.append(f" {label} ", style=STATE_STYLE[state])
            key.append(" ")
        lines = [head, key]
        shown, at = compact(view.text)
        t = Text(clean(shown))
        for a, b, state, _ in view.spans:
            t.stylize(STATE_STYLE.get(state, "reverse"), at[a], at[b])
        if self.find is not None:
            for i, (a, b) in enumerate(self.find.spans):
                t.stylize(STATE_STYLE["selected" if i == self.find.at else "found"], at[a], at[b])
        con = Console(file=io.StringIO(), width=max(cols, 1))
        wrapped = list(t.wrap(con, max(cols, 1)))
        height = max(1, h - len(lines))
        if self.find is not None and self.find.spans:  # keep the selected place in sight
            a = at[self.find.spans[self.find.at][0]]
            pos = 0
            for i, ln in enumerate(wrapped):
                pos += len(ln.plain) + (1 if ln.end == "\n" else 0)
                if pos > a:
                    self.page_top = scroll(self.page_top, i, height, len(wrapped))
                    break
        self.page_top = max(0, min(self.page_top, max(0, len(wrapped) - height)))
        lines.extend(wrapped[self.page_top : self.page_top + height])
        if not view.text.strip():
            lines.append(Text("(no text on this page)", style="dim"))
        return lines

    # ------------------------------------------------------------ search

    def search_body(self, cols: int, h: int) -> list[Text]:
        hits = self.hits
        docs = len({x.doc for x in hits})
        counts: dict[str, int] = {}
        for x in hits:
            counts[x.status] = counts.get(x.status, 0) + 1
        head = Text(f"'{clean(self.query)}': ", style="bold")
        head.append(f"{plural(len(hits), 'place')} in {plural(docs, 'document')}")
        if counts:
            head.append(" · " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
        if self.left_out:
            head.append(f" · {len(self.left_out)} left out")
        lines = [head]
        if not hits:
            lines.append(Text("Nothing found. /: search again · Esc: back"))
            return lines
        self.hit_row = max(0, min(self.hit_row, len(hits) - 1))
        titles = ["", "", "document", "page", "status", "where"]
        natural = [1, 1, min(28, max(len(x.document) for x in hits)), 4, 9, 80]
        widths = fit_columns(natural, [1, 1, 8, 4, 7, 10], cols)
        lines.append(table_line(titles, widths, style="bold underline"))
        height = max(1, h - len(lines))
        self.hit_top = scroll(self.hit_top, self.hit_row, height, len(hits))
        for i in range(self.hit_top, min(len(hits), self.hit_top + height)):
            x = hits[i]
            where = self.hit_context(x, widths[-1])
            row = [
                "▶" if i == self.hit_row else " ",
                "-" if i in self.left_out else "✓",
                x.document,
                str(x.page + 1),
                Text(x.status, style=STATE_STYLE.get(x.status, "")),
                where,
            ]
            lines.append(table_line(row, widths, style="reverse" if i == self.hit_row else ""))
        return lines

    def hit_context(self, x: Hit, width: int) -> Text:
        line = clean(x.line).replace("\n", " ")
        i = x.line_at
        if not 0 <= i < len(line):
            return Text(line)
        start = max(0, i - max(0, min(width // 3, width - len(x.text) - 2)))
        t = Text(("…" if start else "") + line[start:])
        off = (1 if start else 0) + i - start
        t.stylize("bold reverse", off, off + len(x.text))
        return t

    # ------------------------------------------------------------ help, pickers, confirmations

    def help_body(self, cols: int, h: int) -> list[Text]:
        keys = {"people": PEOPLE_KEYS, "items": ITEM_KEYS, "page": PAGE_KEYS, "search": SEARCH_KEYS}[self.help_of]
        if self.s.second_check and self.help_of == "items":
            keys = [("a / Enter", "confirm the first reviewer's decision"), *keys[1:]]
        if self.s.second_check and self.help_of == "people":
            keys = [
                ("a / Enter", "confirm the first reviewer's decisions of this row"),
                ("A", "confirm every row of this person"),
                ("*", "confirm every row of the table"),
                *keys[3:],
            ]
        head = Text("Keys (any other key goes back)", style="bold")
        kw = min(max(len(k) for k, _ in keys), max(cols // 3, 1))
        rows = [table_line([k, d], [kw, max(cols - kw - 1, 0)]) for k, d in keys]
        height = max(1, h - 1)
        self.help_top = max(0, min(self.help_top, max(0, len(rows) - height)))
        return [head, *rows[self.help_top : self.help_top + height]]

    def picker_body(self, cols: int, h: int) -> list[Text]:
        pk = self.picker
        assert pk is not None
        shown = pk.shown()
        pk.cursor = max(0, min(pk.cursor, len(shown) - 1))
        lines = [Text(pk.title, style="bold"), Text("> " + pk.typed + "█")]
        height = max(1, h - 2)
        pk.top = scroll(pk.top, pk.cursor, height, len(shown))
        for j in range(pk.top, min(len(shown), pk.top + height)):
            i = shown[j]
            t = Text(("▶ " if j == pk.cursor else "  ") + f"{i + 1:>2} ", style="reverse" if j == pk.cursor else "")
            t.append(clean(pk.options[i][1]).replace("\n", " "))
            lines.append(t)
        if not shown:
            lines.append(Text("  (nothing matches what you typed)", style="dim"))
        return lines

    def confirm_body(self, cols: int, h: int) -> list[Text]:
        lines = [Text("Check before it is saved:", style="bold red")]
        lines.extend(Text("• " + w, style="red") for w in self.confirm_lines or [])
        return lines

    # ------------------------------------------------------------ modal input

    def _key(self) -> str:
        while True:
            self.draw()
            k = self.t.key()
            if k != "resize":
                return k

    def ask(self, label: str, initial: str = "") -> str | None:
        """A line of text typed on the status line; None when cancelled with Esc."""
        typed = initial
        try:
            while True:
                self.prompt = (label, typed)
                k = self._key()
                if k == "enter":
                    return typed
                if k == "esc":
                    return None
                if k == "backspace":
                    typed = typed[:-1]
                elif k == "ctrl-u":
                    typed = ""
                elif len(k) == 1 and k.isprintable():
                    typed += k
        finally:
            self.prompt = None

    def pick(self, title: str, options: list[tuple[str, str]], default: int = 0) -> str | None:
        """Choose one of `options` (value, label); Enter takes the highlighted one (at first: the default)."""
        if not options:
            return None
        pk = Picker(title, options, default, cursor=default)
        self.picker = pk
        try:
            while True:
                k = self._key()
                shown = pk.shown()
                if k == "enter":
                    return options[shown[pk.cursor]][0] if shown else None
                if k == "esc":
                    return None
                if k in ("up", "btab"):
                    pk.cursor = max(0, pk.cursor - 1)
                elif k in ("down", "tab"):
                    pk.cursor = min(len(shown) - 1, pk.cursor + 1)
                elif k == "pgup":
                    pk.cursor = max(0, pk.cursor - 10)
                elif k == "pgdn":
                    pk.cursor = min(len(shown) - 1, pk.cursor + 10)
                elif k == "backspace":
                    pk.typed = pk.typed[:-1]
                    pk.cursor = 0 if pk.typed else pk.default
                elif len(k) == 1 and k.isprintable():
                    pk.typed += k
                    pk.cursor = 0
        finally:
            self.picker = None

    def confirm(self, warnings: list[str]) -> bool:
        """True when there is nothing to warn about, or the reviewer presses y after reading the warnings."""
        if not warnings:
            return True
        self.confirm_lines = warnings
        try:
            return self._key() in ("y", "Y")
        finally:
            self.confirm_lines = None

    def pick_code(self, suggested: str | None, what: str) -> str | None:
        codes = self.s.rules.codes
        options = [(c.code, f"{c.code:<4} {c.plain}{' (reviewer only)' if c.reviewer_only else ''}") for c in codes]
        ids = [c.code for c in codes]
        default = ids.index(suggested) if suggested in ids else 0
        hint = f" (Enter: {ids[default]}, suggested)" if suggested in ids else ""
        return self.pick(f"Reason code for {what}{hint}", options, default)

    def pick_person(self, default: str, what: str) -> str | None:
        options: list[tuple[str, str]] = []
        for p in self.s.manifest.people:
            flags = ", ".join(f for f, on in (("referrer", p.referrer), ("risk", p.risk)) if on)
            options.append((p.id, f"{p.name} · {p.role}{' · ' + flags if flags else ''}"))
        seen = set()
        for it in self.s.items():
            key = person_key(it.proposal.mention)
            if key.startswith("?") and key not in seen:
                seen.add(key)
                options.append((key, f"{self.s.person_name(key)} · not in the register"))
        options.append((NOBODY, "no one in particular"))
        values = [v for v, _ in options]
        d = values.index(default) if default in values else len(options) - 1
        return self.pick(f"Whose information is {what}? (Enter: {options[d][1].split(' · ')[0]})", options, d)

    # ------------------------------------------------------------ the loop

    def run(self) -> None:
        try:
            while True:
                self.draw()
                k = self.t.key()
                if k == "resize":
                    continue
                self.message = None
                if self.mode == "help":
                    if k in ("down", "j", "pgdn"):
                        self.help_top += 10 if k == "pgdn" else 1
                    elif k in ("up", "k", "pgup"):
                        self.help_top = max(0, self.help_top - (10 if k == "pgup" else 1))
                    else:
                        self.mode = self.stack.pop() if self.stack else "items"
                    continue
                if k == "q":
                    return
                try:
                    self.on_key(k)
                except SarkitError as exc:
                    self.message = (exc.message, "bold red")
                self.s.remember(
                    mode=self.mode if self.mode in ("people", "items", "page") else self.base_mode(),
                    page=list(self.page) if self.mode == "page" and self.page else None,
                )
        except (KeyboardInterrupt, EOFError):
            return

    def base_mode(self) -> str:
        for m in reversed(self.stack):
            if m in ("people", "items", "page"):
                return m
        return "items"

    def on_key(self, k: str) -> None:
        if k in ("?", "f1"):
            self.help_of, self.help_top = self.mode, 0
            self.stack.append(self.mode)
            self.mode = "help"
            return
        if k == "u":
            self.undo()
            return
        if k == "/":
            self.search()
            return
        handler = {
            "people": self.on_people,
            "items": self.on_item,
            "page": self.on_page,
            "search": self.on_search,
        }[self.mode]
        if not handler(k):
            name = {" ": "Space"}.get(k, k)
            self.message = (f"'{name}' does nothing here: ? lists the keys.", "yellow")

    def go(self, mode: str) -> None:
        if mode != self.mode:
            if self.mode in MODES:
                self.stack = [m for m in self.stack if m != mode][-8:] + [self.mode]
            self.mode = mode

    def go_back(self) -> None:
        while self.stack:
            m = self.stack.pop()
            if m != self.mode and m in MODES:
                self.mode = m
                return
        self.mode = "items"

    def undo(self) -> None:
        step = self.s.undo()
        self.message = (f"undone: {self.describe_step(step)}", "green") if step else ("nothing to undo", "yellow")

    def describe_step(self, step: dict[str, Any]) -> str:
        kind = step["step"]
        prior = list(step.get("prior") or {})
        if kind == "add-person":
            return f"{step.get('person')} added to the register (case.yaml is as it was)"
        if kind == "person":
            who = step.get("person", "")
            who = self.s.person_name(who) if who in {p.id for p in self.s.manifest.people} or who[:1] == "?" else who
            what = step.get("kind") if step.get("kind") != ALL_KINDS else "every kind"
            return f"{step.get('action')} of {plural(len(prior), 'item')} of {who} ({what})"
        if kind == "manual":
            return f"{plural(len(step.get('new') or []), 'redaction')} you added"
        if kind in ("widen", "shrink"):
            return "the widened span" if kind == "widen" else "the shrink"
        sp = self.s.ledger.proposal(step.get("item") or (prior[0] if prior else ""))
        text = " ".join(sp.proposal.mention.text.split()) if sp else "the item"
        return f"{kind} of '{text[:40]}'"

    # ------------------------------------------------------------ people keys

    def on_people(self, k: str) -> bool:
        rows = self.people_rows()
        n = len(rows)
        moves = {"down": 1, "j": 1, "up": -1, "k": -1, "pgdn": 10, "pgup": -10, "home": -(10**9), "g": -(10**9)}
        moves.update({"end": 10**9, "G": 10**9})
        if k in moves:
            self.row = max(0, min(n - 1, self.row + moves[k]))
            return True
        if k == "i":
            if rows:
                ps, kind = rows[self.row]
                self.s.open_row(ps.key, kind)
            self.go("items")
            return True
        if k == "v":
            self.open_page()
            return True
        if k == "F":
            self.choose_filter()
            return True
        if k == "esc":
            self.clear_filter()
            return True
        if k == "*":
            done, review = self.s.accept_table()
            self.message = (
                f"saved: {plural(done, 'item')} "
                + ("confirmed as first decided" if self.s.second_check else "accepted as proposed")
                + (f"; {plural(review, 'review item')} left for you to look at (i)" if review else "")
                + " (u undoes it)",
                "green",
            )
            self.after_rows()
            return True
        if not rows:
            return k in ("a", "enter", "A", "r", "K", "c", "+")
        ps, kind = rows[self.row]
        name = " ".join(ps.name.split())
        if k in ("a", "enter", "A"):
            which = ALL_KINDS if k == "A" else kind
            count = self.s.decide_person(ps.key, which, "accept")
            review = sum(ps.review.values()) if which == ALL_KINDS else ps.review.get(kind, 0)
            review = 0 if self.s.second_check else review  # a check confirms what the first reviewer looked at
            label = "every kind" if which == ALL_KINDS else kind
            if count == 0 and review:
                self.message = (
                    f"{name} · {label}: {plural(review, 'item is', 'items are')} `review`: look at each (i), "
                    "or decide the row with r or K.",
                    "yellow",
                )
            else:
                extra = f"; {plural(review, 'review item')} left for you to look at (i)" if review else ""
                how = "confirmed as first decided" if self.s.second_check else "as proposed"
                self.message = (f"saved: {plural(count, 'item')} of {name} ({label}) {how}{extra}", "green")
            self.after_rows()
            return True
        if k in ("r", "K", "c"):
            action = "keep" if k == "K" else "redact"
            code = None
            if k == "c":
                code = self.pick_code(self.s.suggested_code(ps.key, kind), f"every {kind} of {name}")
                if code is None:
                    return True
            if not self.confirm(self.s.row_warnings(ps.key, kind, action)):
                self.message = ("not saved: nothing was changed", "yellow")
                return True
            count = self.s.decide_person(ps.key, kind, action, code)
            verb = "kept" if action == "keep" else f"redacted{' ' + code if code else ''}"
            self.message = (f"saved: {plural(count, 'item')} of {name} ({kind}) {verb}", "green")
            self.after_rows()
            return True
        if k == "+":
            self.add_person(ps.key)
            return True
        return False

    def after_rows(self) -> None:
        rows = self.people_rows()
        self.row = max(0, min(self.row, len(rows) - 1))

    def clear_filter(self) -> None:
        if self.s.filter.active:
            self.s.set_filter(Filter())
            self.message = ("filter cleared", "green")
        else:
            self.message = ("Esc: there is nothing to close here (q quits).", "yellow")

    def choose_filter(self) -> None:
        f = self.s.filter
        options = [
            ("review", ("✓ " if f.review else "  ") + "only items proposed `review`"),
            ("departures", ("✓ " if f.departures else "  ") + "only decisions that depart from the proposal"),
            ("doc", ("✓ " if f.doc else "  ") + "one document…"),
            ("person", ("✓ " if f.person else "  ") + "one person…"),
            ("clear", "  clear every filter"),
        ]
        what = self.pick("Filter the items (and the people table)", options)
        if what is None:
            return
        if what == "review":
            f = Filter(not f.review, f.departures, f.doc, f.person, f.kind)
        elif what == "departures":
            f = Filter(f.review, not f.departures, f.doc, f.person, f.kind)
        elif what == "doc":
            docs = [(d, name) for d, name, _ in self.s.documents()]
            doc = self.pick("Which document?", docs)
            if doc is None:
                return
            f = Filter(f.review, f.departures, doc, f.person, f.kind)
        elif what == "person":
            keys = list(dict.fromkeys(person_key(it.proposal.mention) for it in self.s.items()))
            person = self.pick("Whose items?", [(k, self.s.person_name(k)) for k in keys])
            if person is None:
                return
            f = Filter(f.review, f.departures, f.doc, person, None)
        else:
            f = Filter()
        self.s.set_filter(f)
        self.message = (f"filter: {self.filter_text() or 'none'}", "green")

    def add_person(self, key: str) -> None:
        if not key.startswith("?"):
            self.message = ("This person is already in the register.", "yellow")
            return
        roles = [(r, f"{r} ({g})") for g, rs in ROLE_GROUPS.items() if g != "subject" for r in rs]
        name = self.s.register_name(key)
        role = self.pick(f"Role of {name} in the register (Esc: cancel)", roles)
        if role is None:
            self.message = ("not added: nothing was changed", "yellow")
            return
        typed = self.ask(f"Full name as it usually appears (Enter keeps '{name}'):")
        if typed is None:
            self.message = ("not added: nothing was changed", "yellow")
            return
        pid = self.s.add_to_register(key, role, typed.strip() or None)
        self.after_rows()
        self.message = (
            f"saved: {self.s.person_name(pid)} added to case.yaml as {pid} ({role}); their items were decided again "
            "by the rules (u undoes it)",
            "green",
        )

    # ------------------------------------------------------------ item keys

    def on_item(self, k: str) -> bool:
        self.s.row_done = None
        if k == "p":
            self.s.drop_row_filter()
            self.go("people")
            return True
        if k == "b":
            self.s.back()
            return True
        if k in ("left", "right", "home", "end"):
            self.s.step({"left": -1, "right": 1, "home": -(10**9), "end": 10**9}[k])
            return True
        if k == "F":
            self.choose_filter()
            return True
        if k == "esc":
            self.clear_filter()
            return True
        if k == "v":
            self.open_page()
            return True
        it = self.s.item()
        if it is None:
            return k in ("a", "enter", "f", "c", "w", "W", "m", "+", "s", " ")
        text = " ".join(it.proposal.mention.text.split())[:40]
        if k in ("s", " "):
            self.s.skip()
            self.message = (f"skipped '{text}'", "")
        elif k in ("a", "enter", "f"):
            act, code = self.s.flip_target(it) if k == "f" else self.s.accept_target(it)
            if not self.confirm(self.s.warnings(it, act)):
                self.message = ("not saved: nothing was changed", "yellow")
                return True
            d = self.s.flip() if k == "f" else self.s.accept()
            verb = "confirmed" if self.s.second_check and k != "f" else "saved"
            self.message = (f"{verb}: '{text}' {self.describe(d.action, d.code)}", "green")
        elif k == "c":
            code = self.pick_code(it.decision.code if it.decision else it.proposal.code, f"'{text}'")
            if code:
                d = self.s.change_code(code)
                self.message = (f"saved: '{text}' {self.describe(d.action, d.code)}", "green")
        elif k == "w":
            wp = self.s.widen()
            self.message = (f"saved: widened to the whole sentence, redacted {wp.code} (W shrinks it back)", "green")
        elif k == "W":
            ok = self.s.shrink()
            self.message = ("saved: shrunk back to the original span", "green") if ok else ("nothing to shrink", "")
        elif k == "m":
            m = it.proposal.mention
            self.open_page(m.doc, m.page)
            self.mark(default_person=person_key(m))
        elif k == "+":
            self.add_person(person_key(it.proposal.mention))
        else:
            return False
        return True

    @staticmethod
    def describe(action: str, code: str | None) -> str:
        return "kept" if action == "keep" else f"redacted{' ' + code if code else ''}"

    # ------------------------------------------------------------ page keys

    def open_page(self, doc: str | None = None, page: int | None = None) -> None:
        if doc is None:
            it = self.s.item()
            if it is not None:
                doc, page = it.proposal.mention.doc, it.proposal.mention.page
            elif self.page is not None:
                doc, page = self.page
            else:
                docs = self.s.documents()
                if not docs:
                    self.message = ("No document has been read: run sarkit propose first.", "yellow")
                    return
                doc, page = docs[0][0], 0
        if (doc, page) != self.page:
            self.page_top = 0
            self.find = None
        self.page = (doc, page or 0)
        self.go("page")

    def turn(self, delta: int, whole_document: bool = False) -> None:
        assert self.page is not None
        docs, di = self.page_doc_index()
        doc, page = self.page
        if whole_document:
            di = max(0, min(len(docs) - 1, di + delta))
            target = (docs[di][0], 0)
        else:
            pages = max(1, docs[di][2])
            page += delta
            if page < 0:
                if di == 0:
                    return
                di -= 1
                page = max(0, docs[di][2] - 1)
            elif page >= pages:
                if di >= len(docs) - 1:
                    return
                di, page = di + 1, 0
            target = (docs[di][0], page)
        if target != self.page:
            self.page, self.page_top = target, 0
            if self.find is not None:
                self.find = Find(self.find.query, self.s.find_on_page(*target, self.find.query))

    def on_page(self, k: str) -> bool:
        if self.page is None:
            return False
        if k in ("left", "h", "right", "l"):
            self.turn(-1 if k in ("left", "h") else 1)
        elif k in ("[", "<", "]", ">"):
            self.turn(-1 if k in ("[", "<") else 1, whole_document=True)
        elif k in ("up", "k", "down", "j", "pgup", "pgdn", "home", "end"):
            _, rows = self.t.size()
            d = {"up": -1, "k": -1, "down": 1, "j": 1, "pgup": -(rows - 6), "pgdn": rows - 6}
            d.update({"home": -(10**9), "end": 10**9})
            self.page_top = max(0, self.page_top + d[k])
            if self.find is not None:
                self.find = Find(self.find.query, [], 0)  # stop following the place found while scrolling
        elif k == "m":
            self.mark()
        elif k in ("n", "N"):
            if self.find is None or not self.find.spans:
                self.message = ("Nothing found on this page: m finds text to redact.", "yellow")
            else:
                self.find.at = (self.find.at + (1 if k == "n" else -1)) % len(self.find.spans)
        elif k in ("r", "R"):
            if self.find is None or not self.find.spans:
                self.message = ("Find the text first: m.", "yellow")
            else:
                spans = self.find.spans if k == "R" else [self.find.spans[self.find.at]]
                hits = self.s.hits_on_page(self.page[0], self.page[1], spans)
                self.redact(hits, self.default_person(self.find.query))
                self.find = None
        elif k == "i":
            doc, page = self.page
            self.s.set_filter(Filter(doc=doc))
            first = next((it for it in self.s.visible() if it.proposal.mention.page >= page), None)
            if first is not None:
                self.s.goto(first.id)
            self.go("items")
        elif k == "p":
            self.go("people")
        elif k == "esc":
            if self.find is not None:
                self.find = None
            else:
                self.go_back()
        else:
            return False
        return True

    def mark(self, default_person: str | None = None) -> None:
        assert self.page is not None
        text = self.ask("Find on this page (text, or /pattern/; Esc cancels):")
        if not text or not text.strip():
            return
        spans = self.s.find_on_page(self.page[0], self.page[1], text)
        if not spans:
            self.message = (f"'{text.strip()}' is not on this page.", "yellow")
            return
        self.find = Find(text.strip(), spans, 0)
        self._mark_person = default_person
        self.message = (
            f"{plural(len(spans), 'place')} found: n next · r redact this one · R redact all on this page · Esc clear",
            "cyan",
        )

    def default_person(self, text: str) -> str:
        """Whose information a typed text most likely is: a register person whose name or alias it is, or
        the person of the item the page was opened from."""
        t = " ".join(text.split()).casefold()
        for p in self.s.manifest.people:
            if t in {p.name.casefold(), *(a.casefold() for a in p.aliases), *(w.casefold() for w in p.withheld)}:
                return p.id
        return getattr(self, "_mark_person", None) or NOBODY

    def redact(self, hits: list[Hit], default_person: str) -> None:
        todo = [h for h in hits if h.status != "redacted"]
        if not todo:
            self.message = ("Already redacted: nothing to do.", "yellow")
            return
        what = f"'{clean(todo[0].text)[:30]}'" + (f" ({plural(len(todo), 'place')})" if len(todo) > 1 else "")
        person = self.pick_person(default_person, what)
        if person is None:
            self.message = ("not saved: nothing was changed", "yellow")
            return
        kind = guess_kind(todo[0].text)
        code = self.pick_code(self.s.suggested_code(person, kind), what)
        if code is None:
            self.message = ("not saved: nothing was changed", "yellow")
            return
        n = self.s.redact_hits(todo, code, person, kind)
        docs = len({h.doc for h in todo})
        self.message = (
            f"saved: {plural(n, 'redaction')} in {plural(docs, 'document')}, code {code}, "
            f"about {self.s.person_name(person)} (u undoes it)",
            "green",
        )

    # ------------------------------------------------------------ search keys

    def search(self) -> None:
        text = self.ask("Search every document for (text, or /pattern/; Esc cancels):", "")
        if not text or not text.strip():
            return
        self.query = text.strip()
        self.hits = self.s.search(self.query)
        self.left_out = {i for i, h in enumerate(self.hits) if h.status == "kept"}  # x puts one back
        self.hit_row = self.hit_top = 0
        self.go("search")
        if self.hits:
            todo = sum(1 for i, h in enumerate(self.hits) if h.status != "redacted" and i not in self.left_out)
            kept = f"; {len(self.left_out)} kept left out" if self.left_out else ""
            self.message = (f"r redacts {plural(todo, 'place')}{kept} · x leaves one out or puts it back", "cyan")

    def on_search(self, k: str) -> bool:
        n = len(self.hits)
        moves = {"down": 1, "j": 1, "up": -1, "k": -1, "pgdn": 10, "pgup": -10, "home": -(10**9), "end": 10**9}
        if k in moves:
            self.hit_row = max(0, min(n - 1, self.hit_row + moves[k]))
        elif k in ("x", " "):
            if n:
                self.left_out ^= {self.hit_row}
                self.hit_row = min(n - 1, self.hit_row + 1)
        elif k == "r":
            chosen = [h for i, h in enumerate(self.hits) if i not in self.left_out]
            if not chosen:
                self.message = ("No place to redact.", "yellow")
                return True
            self.redact(chosen, self.default_person(self.query))
            self.hits = self.s.search(self.query)
        elif k in ("v", "enter"):
            if n:
                h = self.hits[self.hit_row]
                self.open_page(h.doc, h.page)
                self.find = Find(self.query, self.s.find_on_page(h.doc, h.page, self.query))
                self.find.at = next((i for i, s in enumerate(self.find.spans) if s[0] == h.start), 0)
        elif k == "esc":
            self.go_back()
        else:
            return False
        return True
