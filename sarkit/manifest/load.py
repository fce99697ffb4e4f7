"""The case manifest, case.yaml: loading and validating it (see docs/ for the reference).

Validation works on PyYAML's node graph (nodes.py) so that every error can name the line at fault.
Every error is a ManifestError with one sentence naming the file and line.
"""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from ..models import Manifest
from .nodes import (
    _INT,
    _NULL,
    _RULES,
    DEFAULT_RULES,
    VERSION,
    Invalid,
    _compose,
    _date,
    _error,
    _is_null,
    _items,
    _line,
    _required,
    _text,
)
from .people import _people


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
    except Invalid as exc:
        raise _error(path, exc.line, exc.reason) from None


def _manifest(root: MappingNode, path: Path) -> Manifest:
    top = {key: (key_node, value) for key, key_node, value in _items(root, "the manifest")}
    version = _version(top)
    reference = _text(_required(top, "reference", 1), "reference")
    received = _date(_required(top, "received", 1), "received")
    rules = DEFAULT_RULES
    if "rules" in top and not _is_null(top["rules"][1]):
        rules = _text(top["rules"][1], "rules")
        if not _RULES.fullmatch(rules):
            raise Invalid(_line(top["rules"][1]), "`rules` must be the name of a rule set such as uk-dpa2018")
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


def _version(top: dict[str, tuple[ScalarNode, Node]]) -> int:
    node = _required(top, "sarkit", 1)
    if not (isinstance(node, ScalarNode) and node.tag == _INT):
        raise Invalid(_line(node), f"`sarkit` must be the manifest version number, {VERSION}")
    version = int(str(node.value)) if str(node.value).isdigit() else -1
    if version != VERSION:
        raise Invalid(
            _line(node),
            f"manifest version `sarkit: {node.value}` is not supported (this sarkit reads version {VERSION})",
        )
    return version


def _passwords(node: Node) -> tuple[tuple[str, str], ...]:
    if _is_null(node):
        return ()
    if not isinstance(node, MappingNode):
        raise Invalid(_line(node), "`passwords` must map document paths (under documents/) to their passwords")
    pairs: list[tuple[str, str]] = []
    for key, key_node, value in _items(node, "`passwords`"):
        doc = key.strip().replace("\\", "/")
        if not doc or doc.startswith("/") or ".." in doc.split("/"):
            raise Invalid(_line(key_node), "every key of `passwords` must be a path relative to documents/")
        if not isinstance(value, ScalarNode) or value.tag == _NULL or str(value.value) == "":
            raise Invalid(_line(value), "every password in `passwords` must be a non-empty text")
        pairs.append((doc, str(value.value)))
    return tuple(pairs)
