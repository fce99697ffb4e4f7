"""The case manifest, case.yaml: loading and validating it, a starter file, adding a person.

The contract is spec/case-folder.md. Validation works on PyYAML's node graph
(``yaml.compose``) so that every error can name the line at fault; values are
built from the nodes here, never by PyYAML's constructor, so text fields stay
text (``reference: 0142`` keeps its zero, a password ``1234`` stays a string).

Every error is a ManifestError with one sentence naming the file and line. Errors
quote keys, roles, ids and the like, never names, aliases, dates of birth or passwords.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import ManifestError
from .models import Manifest, Person
from .roles import ALL_ROLES, GROUP_OF_ROLE

VERSION = 1
DEFAULT_RULES = "uk-dpa2018"
CONSENTS = ("none", "given", "refused")
PRONOUNS = ("she", "he", "they")

_ID = re.compile(r"[a-z0-9-]+")
_RULES = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_BOOL_VALUES = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}
_PRONOUN_FORMS = {"she/her": "she", "he/him": "he", "they/them": "they"}
_SPEC = "see spec/case-folder.md"


class _Invalid(Exception):
    """A validation failure: the line (1-based, or None for the whole file) and the reason."""

    def __init__(self, line: int | None, reason: str):
        super().__init__(reason)
        self.line = line
        self.reason = reason


def _error(path: Path | str, line: int | None, reason: str) -> ManifestError:
    where = f"{path}, line {line}" if line else f"{path}"
    return ManifestError(f"{where}: {reason}.", hint=_SPEC)


def _line(node: Node) -> int:
    return node.start_mark.line + 1


# ---------------------------------------------------------------- loading


def load_manifest(path: Path) -> Manifest:
    """Read and validate CASE/case.yaml; raise ManifestError (one sentence, file and line) if invalid."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _error(path, None, "no such file (create one with `sarkit init`)") from None
    except IsADirectoryError:
        raise _error(path, None, "is a folder, not a manifest file") from None
    except UnicodeDecodeError:
        raise _error(path, None, "is not UTF-8 text") from None
    except OSError as exc:
        raise _error(path, None, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    return parse_manifest(text, path)


def parse_manifest(text: str, path: Path) -> Manifest:
    """Validate the text of a manifest; `path` is the file it came from (named in errors, kept in Manifest)."""
    root = _compose(text, path)
    try:
        return _manifest(root, Path(path))
    except _Invalid as exc:
        raise _error(path, exc.line, exc.reason) from None


def _compose(text: str, path: Path | str) -> MappingNode:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line, problem = _yaml_problem(exc)
        raise _error(path, line, f"this is not valid YAML ({problem})") from None
    except yaml.YAMLError:
        raise _error(path, None, "this is not valid YAML (it contains characters YAML does not allow)") from None
    if root is None:
        raise _error(
            path, None, "the manifest is empty (it needs at least `sarkit: 1`, `reference`, `received` and `people`)"
        )
    if not isinstance(root, MappingNode):
        raise _error(path, _line(root), "the manifest must be a mapping of keys such as `sarkit: 1` and `people:`")
    return root


def _yaml_problem(exc: yaml.MarkedYAMLError) -> tuple[int | None, str]:
    """The line and a short description of a YAML syntax error, without quoting the file's content."""
    problem = exc.problem or "unexpected content"
    mark = exc.problem_mark or exc.context_mark
    unclosed = "end of stream" in problem or "<stream end>" in problem
    if unclosed and exc.context and exc.context_mark is not None:
        # an unclosed bracket or quote: the useful line is where it was opened
        opened = re.sub(r"^while (parsing|scanning) ", "", exc.context)
        return exc.context_mark.line + 1, f"{opened} that starts here is never closed"
    if "<block" in problem:
        return (mark.line + 1 if mark else None), "the indentation does not line up with the lines above"
    if "\\t" in problem:
        return (mark.line + 1 if mark else None), "a tab character, indent with spaces instead"

    def quoted(m: re.Match[str]) -> str:
        return m.group(0) if re.fullmatch(r"[^\w]*|<[\w ]+>", m.group(2)) else "something"

    problem = re.sub(r"(['\"])(.*?)\1", quoted, problem).strip()
    return (mark.line + 1 if mark else None), problem


def _items(node: MappingNode, what: str) -> Iterator[tuple[str, ScalarNode, Node]]:
    """The (key, key node, value node) pairs of a mapping, refusing non-text and repeated keys."""
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag == _NULL:
            raise _Invalid(_line(key_node), f"every key of {what} must be a plain word")
        key = str(key_node.value)
        if key in seen:
            raise _Invalid(_line(key_node), f"the key `{key}` appears twice in {what} (first on line {seen[key]})")
        seen[key] = _line(key_node)
        yield key, key_node, value_node


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL


def _text(node: Node, key: str) -> str:
    """A non-empty single-line text value; numbers and the like are taken as written."""
    if not isinstance(node, ScalarNode):
        raise _Invalid(_line(node), f"`{key}` must be a single value, not a list or a mapping")
    value = str(node.value).strip()
    if node.tag == _NULL or not value:
        raise _Invalid(_line(node), f"`{key}` is empty")
    if "\n" in value:
        raise _Invalid(_line(node), f"`{key}` must be on one line")
    return value


def _bool(node: Node, key: str) -> bool:
    if isinstance(node, ScalarNode) and node.tag == _BOOL:
        return _BOOL_VALUES[str(node.value).lower()]
    raise _Invalid(_line(node), f"`{key}` must be true or false")


def _date(node: Node, key: str) -> dt.date:
    if isinstance(node, ScalarNode) and _DATE.fullmatch(str(node.value).strip()):
        try:
            return dt.date.fromisoformat(str(node.value).strip())
        except ValueError:
            pass
    raise _Invalid(_line(node), f"`{key}` is not a valid date (write it as YYYY-MM-DD, for example 2026-10-01)")


def _texts(node: Node, key: str) -> tuple[str, ...]:
    if _is_null(node):
        return ()
    if not isinstance(node, SequenceNode):
        raise _Invalid(_line(node), f"`{key}` must be a list, written like [First, Second]")
    return tuple(_list_item(item, key) for item in node.value)


def _list_item(node: Node, key: str) -> str:
    if not isinstance(node, ScalarNode) or node.tag == _NULL or not str(node.value).strip():
        raise _Invalid(_line(node), f"every item of `{key}` must be a non-empty text")
    value = str(node.value).strip()
    if "\n" in value:
        raise _Invalid(_line(node), f"every item of `{key}` must be on one line")
    return value


def _choice(node: Node, key: str, choices: tuple[str, ...], forms: dict[str, str] | None = None) -> str:
    value = str(node.value).strip().lower() if isinstance(node, ScalarNode) else ""
    value = (forms or {}).get(value, value)
    if value not in choices:
        allowed = ", ".join(choices[:-1]) + " or " + choices[-1]
        raise _Invalid(_line(node), f"`{key}` must be {allowed}")
    return value


@dataclass
class _Draft:
    """A person as read, before the register-wide checks (of, cycles, the subject)."""

    fields: dict[str, Any]
    line: int
    lines: dict[str, int] = field(default_factory=dict)


def _manifest(root: MappingNode, path: Path) -> Manifest:
    top = {key: (key_node, value) for key, key_node, value in _items(root, "the manifest")}
    version = _version(top)
    reference = _text(_required(top, "reference", 1), "reference")
    received = _date(_required(top, "received", 1), "received")
    rules = DEFAULT_RULES
    if "rules" in top and not _is_null(top["rules"][1]):
        rules = _text(top["rules"][1], "rules")
        if not _RULES.fullmatch(rules):
            raise _Invalid(_line(top["rules"][1]), "`rules` must be the name of a rule set such as uk-dpa2018")
    people = _people(top)
    passwords = _passwords(top["passwords"][1]) if "passwords" in top else ()
    requester = None
    if "requester" in top and not _is_null(top["requester"][1]):
        requester = _text(top["requester"][1], "requester")
    return Manifest(
        path=path,
        version=version,
        reference=reference,
        received=received,
        rules=rules,
        people=people,
        passwords=passwords,
        requester=requester,
    )


def _required(top: dict[str, tuple[ScalarNode, Node]], key: str, line: int) -> Node:
    if key not in top:
        raise _Invalid(line, f"the required key `{key}` is missing")
    return top[key][1]


def _version(top: dict[str, tuple[ScalarNode, Node]]) -> int:
    node = _required(top, "sarkit", 1)
    if not (isinstance(node, ScalarNode) and node.tag == _INT):
        raise _Invalid(_line(node), f"`sarkit` must be the manifest version number, {VERSION}")
    version = int(str(node.value)) if str(node.value).isdigit() else -1
    if version != VERSION:
        raise _Invalid(
            _line(node),
            f"manifest version `sarkit: {node.value}` is not supported (this sarkit reads version {VERSION})",
        )
    return version


def _passwords(node: Node) -> tuple[tuple[str, str], ...]:
    if _is_null(node):
        return ()
    if not isinstance(node, MappingNode):
        raise _Invalid(_line(node), "`passwords` must map document paths (under documents/) to their passwords")
    pairs: list[tuple[str, str]] = []
    for key, key_node, value in _items(node, "`passwords`"):
        doc = key.strip().replace("\\", "/")
        if not doc or doc.startswith("/") or ".." in doc.split("/"):
            raise _Invalid(_line(key_node), "every key of `passwords` must be a path relative to documents/")
        if not isinstance(value, ScalarNode) or value.tag == _NULL or str(value.value) == "":
            raise _Invalid(_line(value), "every password in `passwords` must be a non-empty text")
        pairs.append((doc, str(value.value)))
    return tuple(pairs)


# ---------------------------------------------------------------- the people register


def _people(top: dict[str, tuple[ScalarNode, Node]]) -> tuple[Person, ...]:
    node = _required(top, "people", 1)
    if not isinstance(node, SequenceNode) or not node.value:
        raise _Invalid(_line(node), "`people` must be a list of people, starting with the subject")
    drafts = [_person(item) for item in node.value]
    ids = _check_ids(drafts)
    subject = _check_subject(drafts, _line(top["people"][0]))
    _check_of(drafts, ids, subject)
    people = []
    for d in drafts:
        f = d.fields
        if f.get("of") == subject.fields["id"]:
            f["of"] = None  # `of: <subject>` says the same as no `of`
        group = GROUP_OF_ROLE[f["role"]]
        f.setdefault("known", group in ("subject", "professional"))
        people.append(Person(line=d.line, **f))
    return tuple(people)


_BOOL_FIELDS = ("known", "referrer", "deceased", "risk")
_LIST_FIELDS = ("aliases", "withheld")


def _person(node: Node) -> _Draft:
    if not isinstance(node, MappingNode):
        raise _Invalid(_line(node), "each person in `people` must be a mapping with `id`, `name` and `role`")
    draft = _Draft(fields={}, line=_line(node))
    values = {}
    for key, _key_node, value in _items(node, "this person"):
        values[key] = value
        draft.lines[key] = _line(value)
    for key in ("id", "name", "role"):
        if key not in values:
            raise _Invalid(draft.line, f"this person has no `{key}`")
    f = draft.fields
    f["id"] = _text(values["id"], "id")
    if not _ID.fullmatch(f["id"]):
        raise _Invalid(_line(values["id"]), "`id` must use only lower-case letters, digits and hyphens")
    f["name"] = _text(values["name"], "name")
    role = _text(values["role"], "role").lower()
    if role not in ALL_ROLES:
        raise _Invalid(_line(values["role"]), f'role "{_safe(role)}" is not a known role ({_SPEC})')
    f["role"] = role
    _optional_fields(values, f)
    return draft


def _optional_fields(values: dict[str, Node], f: dict[str, Any]) -> None:
    for key, node in values.items():
        if _is_null(node):
            continue  # `born:` with nothing after it: not given
        if key == "of":
            f["of"] = _text(node, "of")
        elif key in _LIST_FIELDS:
            f[key] = _texts(node, key)
        elif key in _BOOL_FIELDS:
            f[key] = _bool(node, key)
        elif key == "consent":
            f["consent"] = _choice(node, "consent", CONSENTS)
        elif key == "pronouns":
            f["pronouns"] = _choice(node, "pronouns", PRONOUNS, _PRONOUN_FORMS)
        elif key == "born":
            f["born"] = _date(node, "born")
        # other keys: fields of a later manifest version, ignored


def _safe(value: str) -> str:
    """A short, printable rendering of a non-personal value (a role, an id) for a message."""
    value = re.sub(r"[^\w .-]", "?", value)
    return value if len(value) <= 40 else value[:37] + "..."


def _check_ids(drafts: list[_Draft]) -> dict[str, _Draft]:
    ids: dict[str, _Draft] = {}
    for d in drafts:
        pid = d.fields["id"]
        if pid in ids:
            raise _Invalid(d.lines["id"], f'the id "{pid}" is already used by the person on line {ids[pid].line}')
        ids[pid] = d
    return ids


def _check_subject(drafts: list[_Draft], people_line: int) -> _Draft:
    subjects = [d for d in drafts if d.fields["role"] == "subject"]
    if not subjects:
        raise _Invalid(people_line, "no person has `role: subject`, and exactly one must")
    if len(subjects) > 1:
        second = subjects[1]
        raise _Invalid(
            second.lines["role"],
            f"a second person has `role: subject` (the first is on line {subjects[0].line}), and only one may",
        )
    subject = subjects[0]
    if subject.fields.get("of"):
        raise _Invalid(subject.lines["of"], "the subject cannot have `of` (everyone else is related to the subject)")
    return subject


def _check_of(drafts: list[_Draft], ids: dict[str, _Draft], subject: _Draft) -> None:
    for d in drafts:
        target = d.fields.get("of")
        if target is not None and target not in ids:
            raise _Invalid(d.lines["of"], f"`of: {_safe(target)}` names no one in `people`")
    for d in drafts:
        chain = [d.fields["id"]]
        cur = d.fields.get("of")
        while cur is not None:
            if cur in chain:
                loop = " -> ".join([*chain[chain.index(cur) :], cur])
                raise _Invalid(d.lines["of"], f"`of` goes round in a circle ({loop})")
            chain.append(cur)
            cur = ids[cur].fields.get("of")


# ---------------------------------------------------------------- a starter manifest for `sarkit init`


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def subject_id(name: str) -> str:
    """A register id from a name: its first word in lower case ("Jane Doe" -> "jane"), else a slug of it all."""
    words = name.split()
    for candidate in (_slug(words[0]) if words else "", _slug(name)):
        if candidate:
            return candidate
    return "subject"


def _yaml_text(value: str) -> str:
    """A YAML scalar that reads back as exactly this text: plain when safe, else double-quoted (JSON)."""
    plain = re.fullmatch(r"[A-Za-z][A-Za-z0-9 .'()/_-]*", value) and not value.endswith(" ")
    if plain and yaml.safe_load(value) == value:
        return value
    return '"' + "".join(_escape(ch) for ch in value) + '"'


def _escape(ch: str) -> str:
    """One character inside a YAML double-quoted scalar: printable ASCII as is, anything else escaped."""
    if ch in '"\\':
        return "\\" + ch
    if " " <= ch <= "~":
        return ch
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


_EXAMPLE_IDS = {"sharon", "tom", "lisa", "karen", "anita"}

_STARTER = """\
# The case manifest for sarkit (spec/case-folder.md). Fill in the people register,
# then run `sarkit check` on this folder. Lines starting with # are comments.
sarkit: 1
reference: {reference}
received: {received}            # the day the valid request arrived; the response is due a calendar month later
rules: uk-dpa2018               # the rule set in redaction-rules/
# requester: Full Name          # who the cover letter is addressed to (default: the subject)
# passwords:                    # passwords of encrypted PDFs, by their path under documents/
#   police/report.pdf: the-password
people:
  - id: {sid}
    name: {name}
    role: subject               # exactly one person is the subject
    aliases: []                 # other ways the records refer to them, e.g. [Jane, Janey, JD]
    # born: 2004-03-12
    # pronouns: she             # she, he or they
  ## Examples (fictional): remove the "# " in front of a block to use it, then change the details.
  ## Roles: spec/case-folder.md. `known: true` = the subject already knows this person.
  # - id: sharon
  #   name: Sharon Doyle
  #   role: mother               # relation to `of` (default: the subject)
  #   aliases: [Mum, Ms Doyle, SD]
  #   known: true
  # - id: tom
  #   name: Tom Doe
  #   role: sibling
  #   aliases: [Tom, TD]
  #   withheld: [Tom Grant]      # names always redacted, such as an adoptive name
  #   known: true
  # - id: lisa
  #   name: Lisa Grant
  #   role: adoptive-parent
  #   of: tom                    # Tom's adoptive parent, not the subject's
  # - id: karen
  #   name: Karen Pike
  #   role: social-worker        # a professional acting in that capacity
  #   aliases: [KP]
  # - id: anita
  #   name: Anita Patel
  #   role: neighbour
  #   referrer: true             # gave information in confidence
  #   consent: none              # none, given or refused (to disclosure of their information)
"""


def dump_new_manifest(subject: str, reference: str, received: dt.date) -> str:
    """The text of a commented starter case.yaml for `sarkit init`; it loads with load_manifest as written."""
    name = " ".join(subject.split())
    if not name:
        raise ManifestError("The subject's name must not be empty.")
    reference = reference.strip()
    if not reference or "\n" in reference:
        raise ManifestError("The request reference must be one non-empty line.")
    sid = subject_id(name)
    if sid in _EXAMPLE_IDS:
        sid += "-subject"
    return _STARTER.format(
        reference=_yaml_text(reference),
        received=received.isoformat(),
        sid=sid,
        name=_yaml_text(name),
    )


# ---------------------------------------------------------------- adding a person


_PERSON_ORDER = (
    "id",
    "name",
    "role",
    "of",
    "aliases",
    "withheld",
    "known",
    "consent",
    "referrer",
    "deceased",
    "risk",
    "pronouns",
    "born",
)


def _round_trip(text: str) -> tuple[Any, Any]:
    """A ruamel.yaml round-trip loader/dumper set to the file's own indentation, and the loaded data."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    _, indent, block_seq_indent = load_yaml_guess_indent(text)
    ry = YAML(typ="rt")
    ry.preserve_quotes = True
    ry.width = 4096
    block_seq_indent = block_seq_indent or 0
    sequence = indent if indent else 2 + block_seq_indent  # column of a key after "- ", from the dash's parent
    ry.indent(mapping=max(sequence - block_seq_indent, 1), sequence=sequence, offset=block_seq_indent)
    ry.explicit_start = text.lstrip().startswith("---")
    return ry, ry.load(text)


def _person_node(person: dict[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    ordered = sorted(person, key=lambda k: _PERSON_ORDER.index(k) if k in _PERSON_ORDER else len(_PERSON_ORDER))
    out = CommentedMap()
    for key in ordered:
        value = person[key]
        if isinstance(value, list | tuple):
            seq = CommentedSeq(value)
            seq.fa.set_flow_style()
            value = seq
        out[key] = value
    return out


def add_person(path: Path, person: dict[str, Any]) -> None:
    """Append a person to `people:` in case.yaml, keeping its comments and order.

    The file is validated before and after; if the result would be invalid a ManifestError is
    raised and the file is left untouched. The write is atomic and keeps the file's permissions.
    """
    from ruamel.yaml.error import YAMLError

    path = Path(path)
    load_manifest(path)  # an invalid file is reported as it stands
    text = path.read_text(encoding="utf-8-sig")
    ry, data = _round_trip(text)
    if "line" in person:
        raise ManifestError(f"{path}: cannot add the person, `line` is not a field of case.yaml.")
    data["people"].append(_person_node(person))
    buf = io.StringIO()
    try:
        ry.dump(data, buf)
    except YAMLError:  # ruamel's RepresenterError: a value YAML cannot hold
        raise ManifestError(f"{path}: cannot add the person, one of its values cannot be written as YAML.") from None
    new_text = buf.getvalue()
    try:
        _manifest(_compose(new_text, path), path)
    except _Invalid as exc:
        raise ManifestError(f"{path}: cannot add the person, {exc.reason}.", hint=_SPEC) from None
    _write_atomic(path, new_text)


def remove_person(path: Path, pid: str) -> None:
    """Take the person with this id out of `people:` in case.yaml (an addition taken back), keeping the rest
    of the file, its comments and order. Validated before it is written, atomically; a person the file no
    longer holds is nothing to do."""
    from ruamel.yaml.error import YAMLError

    path = Path(path)
    load_manifest(path)
    text = path.read_text(encoding="utf-8-sig")
    ry, data = _round_trip(text)
    people = data["people"]
    at = next((i for i, p in enumerate(people) if isinstance(p, dict) and p.get("id") == pid), None)
    if at is None:
        return
    _keep_trailing_comment(people, at)
    del people[at]
    buf = io.StringIO()
    try:
        ry.dump(data, buf)
    except YAMLError:
        raise ManifestError(f"{path}: cannot take the person out, the file cannot be written back.") from None
    new_text = buf.getvalue()
    try:
        _manifest(_compose(new_text, path), path)
    except _Invalid as exc:
        raise ManifestError(f"{path}: cannot take {pid} out of the register, {exc.reason}.", hint=_SPEC) from None
    _write_atomic(path, new_text)


def _keep_trailing_comment(people: Any, at: int) -> None:
    """The comment lines after a person's entry belong to what follows it (ruamel keeps them on the entry's
    last key): before the entry goes, they move to the entry before it."""
    removed = people[at]
    keys = list(removed.keys()) if hasattr(removed, "ca") else []
    tok = removed.ca.items.get(keys[-1], [None, None, None, None])[2] if keys else None
    if tok is None or at == 0 or not hasattr(people[at - 1], "ca") or not list(people[at - 1].keys()):
        return
    prev = people[at - 1]
    entry = prev.ca.items.setdefault(list(prev.keys())[-1], [None, None, None, None])
    while len(entry) < 3:
        entry.append(None)
    if entry[2] is None:
        entry[2] = tok
    else:
        entry[2].value = entry[2].value.rstrip("\n") + "\n" + tok.value.lstrip("\n")


def write_atomic(path: Path, text: str) -> None:
    """Replace a file's text in one step (a temporary file renamed over it), keeping its permissions."""
    _write_atomic(Path(path), text)


def _write_atomic(path: Path, text: str) -> None:
    mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
