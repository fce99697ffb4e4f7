"""Reading case.yaml as PyYAML's node graph (``yaml.compose``), so that every error names its line.

Values are built from the nodes here, never by PyYAML's constructor, so text fields stay text
(``reference: 0142`` keeps its zero, a password ``1234`` stays a string). Errors quote keys, roles,
ids and the like, never names, aliases, dates of birth or passwords.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import ManifestError

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
_SPEC = "see docs/case-folder.md (or run: sarkit docs case-folder)"


class Invalid(Exception):
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
            raise Invalid(_line(key_node), f"every key of {what} must be a plain word")
        key = str(key_node.value)
        if key in seen:
            raise Invalid(_line(key_node), f"the key `{key}` appears twice in {what} (first on line {seen[key]})")
        seen[key] = _line(key_node)
        yield key, key_node, value_node


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL


def _text(node: Node, key: str) -> str:
    """A non-empty single-line text value; numbers and the like are taken as written."""
    if not isinstance(node, ScalarNode):
        raise Invalid(_line(node), f"`{key}` must be a single value, not a list or a mapping")
    value = str(node.value).strip()
    if node.tag == _NULL or not value:
        raise Invalid(_line(node), f"`{key}` is empty")
    if "\n" in value:
        raise Invalid(_line(node), f"`{key}` must be on one line")
    return value


def _bool(node: Node, key: str) -> bool:
    if isinstance(node, ScalarNode) and node.tag == _BOOL:
        return _BOOL_VALUES[str(node.value).lower()]
    raise Invalid(_line(node), f"`{key}` must be true or false")


def _date(node: Node, key: str) -> dt.date:
    if isinstance(node, ScalarNode) and _DATE.fullmatch(str(node.value).strip()):
        try:
            return dt.date.fromisoformat(str(node.value).strip())
        except ValueError:
            pass
    raise Invalid(_line(node), f"`{key}` is not a valid date (write it as YYYY-MM-DD, for example 2026-10-01)")


def _texts(node: Node, key: str) -> tuple[str, ...]:
    if _is_null(node):
        return ()
    if not isinstance(node, SequenceNode):
        raise Invalid(_line(node), f"`{key}` must be a list, written like [First, Second]")
    return tuple(_list_item(item, key) for item in node.value)


def _list_item(node: Node, key: str) -> str:
    if not isinstance(node, ScalarNode) or node.tag == _NULL or not str(node.value).strip():
        raise Invalid(_line(node), f"every item of `{key}` must be a non-empty text")
    value = str(node.value).strip()
    if "\n" in value:
        raise Invalid(_line(node), f"every item of `{key}` must be on one line")
    return value


def _choice(node: Node, key: str, choices: tuple[str, ...], forms: dict[str, str] | None = None) -> str:
    value = str(node.value).strip().lower() if isinstance(node, ScalarNode) else ""
    value = (forms or {}).get(value, value)
    if value not in choices:
        allowed = ", ".join(choices[:-1]) + " or " + choices[-1]
        raise Invalid(_line(node), f"`{key}` must be {allowed}")
    return value


def _required(top: dict[str, tuple[ScalarNode, Node]], key: str, line: int) -> Node:
    if key not in top:
        raise Invalid(line, f"the required key `{key}` is missing")
    return top[key][1]
