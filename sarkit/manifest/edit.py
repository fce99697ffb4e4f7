"""Adding a person to case.yaml (the review's `+`) and taking them out again (its undo), keeping the file's comments,
order and indentation."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

from ..errors import ManifestError
from .load import _manifest, load_manifest
from .nodes import _SPEC, Invalid, _compose

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
    except Invalid as exc:
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
    except Invalid as exc:
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
