"""The people register of case.yaml: each person read, then the register-wide checks (ids, the one
subject, `of` and its circles)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..models import Person
from ..roles import ALL_ROLES, GROUP_OF_ROLE
from .nodes import (
    _ID,
    _PRONOUN_FORMS,
    CONSENTS,
    PRONOUNS,
    Invalid,
    _bool,
    _choice,
    _date,
    _is_null,
    _items,
    _line,
    _required,
    _text,
    _texts,
)


@dataclass
class _Draft:
    """A person as read, before the register-wide checks (of, cycles, the subject)."""

    fields: dict[str, Any]
    line: int
    lines: dict[str, int] = field(default_factory=dict)


def _people(top: dict[str, tuple[ScalarNode, Node]]) -> tuple[Person, ...]:
    node = _required(top, "people", 1)
    if not isinstance(node, SequenceNode) or not node.value:
        raise Invalid(_line(node), "`people` must be a list of people, starting with the subject")
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
        raise Invalid(_line(node), "each person in `people` must be a mapping with `id`, `name` and `role`")
    draft = _Draft(fields={}, line=_line(node))
    values = {}
    for key, _key_node, value in _items(node, "this person"):
        values[key] = value
        draft.lines[key] = _line(value)
    for key in ("id", "name", "role"):
        if key not in values:
            raise Invalid(draft.line, f"this person has no `{key}`")
    f = draft.fields
    f["id"] = _text(values["id"], "id")
    if not _ID.fullmatch(f["id"]):
        raise Invalid(_line(values["id"]), "`id` must use only lower-case letters, digits and hyphens")
    f["name"] = _text(values["name"], "name")
    role = _text(values["role"], "role").lower()
    if role not in ALL_ROLES:
        raise Invalid(
            _line(values["role"]), f'role "{_safe(role)}" is not a known role (see the roles in docs/case-folder.md)'
        )
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
            raise Invalid(d.lines["id"], f'the id "{pid}" is already used by the person on line {ids[pid].line}')
        ids[pid] = d
    return ids


def _check_subject(drafts: list[_Draft], people_line: int) -> _Draft:
    subjects = [d for d in drafts if d.fields["role"] == "subject"]
    if not subjects:
        raise Invalid(people_line, "no person has `role: subject`, and exactly one must")
    if len(subjects) > 1:
        second = subjects[1]
        raise Invalid(
            second.lines["role"],
            f"a second person has `role: subject` (the first is on line {subjects[0].line}), and only one may",
        )
    subject = subjects[0]
    if subject.fields.get("of"):
        raise Invalid(subject.lines["of"], "the subject cannot have `of` (everyone else is related to the subject)")
    return subject


def _check_of(drafts: list[_Draft], ids: dict[str, _Draft], subject: _Draft) -> None:
    for d in drafts:
        target = d.fields.get("of")
        if target is not None and target not in ids:
            raise Invalid(d.lines["of"], f"`of: {_safe(target)}` names no one in `people`")
    for d in drafts:
        chain = [d.fields["id"]]
        cur = d.fields.get("of")
        while cur is not None:
            if cur in chain:
                loop = " -> ".join([*chain[chain.index(cur) :], cur])
                raise Invalid(d.lines["of"], f"`of` goes round in a circle ({loop})")
            chain.append(cur)
            cur = ids[cur].fields.get("of")
