"""Rule sets: redaction-rules/NAME.yaml (shipped in sarkit/data/, or in $SARKIT_RULES), validated into typed
models at load time.

An error names the file, the rule and the field. The engine (engine.py) knows no
role by name: rules speak of facts (group, known, referrer, consent, ...).

A proposal names the rule that made it: its class id, then "+" and the id of each modifier or
case-wide pass that changed it ("subject+subject-health"). `RuleSet.needs_decision` reads the
class back from that name: whether a proposal waits for a person is the class's `needs_decision`
field, never inferred from an id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import SarkitError
from ..models import ACTIONS, KINDS
from ..resources import RULES_ENV, rules_dirs
from ..roles import ROLE_GROUPS

FACTS: dict[str, type | tuple[str, ...]] = {
    "registered": bool,
    "named": bool,
    "group": tuple(ROLE_GROUPS),
    "of_subject": bool,
    "known": bool,
    "referrer": bool,
    "deceased": bool,
    "risk": bool,
    "consent": ("none", "given", "refused"),
    "kind": KINDS,
    "qualifier": (
        "",
        "withheld",
        "work",
        "personal",
        # categories of a sensitive statement (redaction-rules/sensitive.yaml)
        "health",
        "substance",
        "offending",
        "sexual",
        "ethnicity",
        "religion",
        "immigration",
        "finance",
    ),
}
QUALIFIED = ("work", "personal", "withheld", "default")
RULE_JOIN = "+"  # a proposal's rule: the class id, then RULE_JOIN and each modifier or pass that changed it


def class_id(rule: str) -> str:
    """The id of the class that made a proposal, from the proposal's rule ("subject+subject-health" -> "subject")."""
    return rule.split(RULE_JOIN, 1)[0]


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    plain: str
    basis: str
    reviewer_only: bool = False


@dataclass(frozen=True, slots=True)
class Condition:
    fact: str
    values: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class KindAction:
    """The action for one kind, possibly depending on the mention's qualifier."""

    default: str
    by_qualifier: tuple[tuple[str, str], ...] = ()

    def for_qualifier(self, qualifier: str) -> str:
        for q, a in self.by_qualifier:
            if q == qualifier:
                return a
        return self.default


@dataclass(frozen=True, slots=True)
class RuleClass:
    id: str
    when: tuple[Condition, ...]
    actions: tuple[tuple[str, KindAction], ...]
    code: str | None
    why: str
    needs_decision: bool = True  # False: its proposals are taken as decided (the requester's own information)

    def action(self, kind: str, qualifier: str) -> str:
        return dict(self.actions)[kind].for_qualifier(qualifier)


@dataclass(frozen=True, slots=True)
class Modifier:
    id: str
    when: tuple[Condition, ...]
    set: tuple[tuple[str, str], ...]  # kind (or "all") -> action
    change: tuple[tuple[str, str], ...]  # action -> action
    why: str


@dataclass(frozen=True, slots=True)
class RuleSet:
    name: str
    title: str
    path: Path
    codes: tuple[Code, ...]
    default_codes: tuple[tuple[str, str], ...]
    classes: tuple[RuleClass, ...]
    modifiers: tuple[Modifier, ...]

    def code(self, code: str) -> Code:
        for c in self.codes:
            if c.code == code:
                return c
        raise KeyError(code)

    def default_code(self, kind: str) -> str:
        return dict(self.default_codes)[kind]

    def needs_decision(self, rule: str) -> bool:
        """Whether a proposal made by `rule` waits for a person: its class says so; a proposal no class of this
        rule set made (a reviewer's manual redaction, "no-rule") always does."""
        cid = class_id(rule)
        cls = next((c for c in self.classes if c.id == cid), None)
        return cls.needs_decision if cls is not None else True


class RuleSetError(SarkitError):
    pass


def _fail(path: Path, where: str, msg: str) -> RuleSetError:
    return RuleSetError(f"{path.name}, {where}: {msg}")


def _conditions(path: Path, where: str, raw: Any) -> tuple[Condition, ...]:
    if not isinstance(raw, dict) or not raw:
        raise _fail(path, where, "field 'when' must be a mapping of facts to values.")
    out = []
    for fact, value in raw.items():
        if fact not in FACTS:
            raise _fail(path, where, f"'when' names an unknown fact '{fact}' (known: {', '.join(FACTS)}).")
        values = tuple(value) if isinstance(value, list) else (value,)
        allowed = FACTS[fact]
        for v in values:
            v = "" if v is None and fact == "qualifier" else v
            if allowed is bool and not isinstance(v, bool):
                raise _fail(path, where, f"fact '{fact}' takes true or false.")
            if isinstance(allowed, tuple) and v not in allowed:
                raise _fail(path, where, f"fact '{fact}' cannot be '{v}' (one of: {', '.join(map(str, allowed))}).")
        out.append(Condition(fact, tuple("" if v is None else v for v in values)))
    return tuple(out)


def _action(path: Path, where: str, value: str) -> str:
    if value not in ACTIONS:
        raise _fail(path, where, f"action '{value}' is not one of {', '.join(ACTIONS)}.")
    return value


def load_rules(name: str, directory: Path | None = None) -> RuleSet:
    """The rule set NAME from `directory`, or else from the folders of `rules_dirs()` (the authority's first)."""
    folders = (directory,) if directory else rules_dirs()
    path = next((d / f"{name}.yaml" for d in folders if (d / f"{name}.yaml").is_file()), folders[0] / f"{name}.yaml")
    if not path.is_file():
        where = " or ".join(str(d) for d in folders)
        raise RuleSetError(
            f"No rule set named '{name}': there is no {name}.yaml in {where}.",
            hint=f"An authority's own rule sets go in one folder named by ${RULES_ENV}; "
            "see docs/policy.md (or run: sarkit docs policy).",
        )
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise RuleSetError(f"{path.name}, line {line + 1 if line is not None else '?'}: not valid YAML.") from None
    if not isinstance(raw, dict):
        raise RuleSetError(f"{path.name}: a rule set must be a mapping.")

    codes = []
    for code, body in (raw.get("codes") or {}).items():
        if not isinstance(body, dict) or not body.get("plain") or not body.get("basis"):
            raise _fail(path, f"code {code}", "every code needs 'plain' (text for the requester) and 'basis'.")
        codes.append(Code(str(code), str(body["plain"]), str(body["basis"]), bool(body.get("reviewer_only", False))))
    known_codes = {c.code for c in codes}

    def check_code(where: str, code: Any) -> str:
        if code not in known_codes:
            raise _fail(path, where, f"code '{code}' is not defined under 'codes'.")
        return str(code)

    dc = raw.get("default_codes") or {}
    default_codes = []
    for kind in KINDS:
        if kind not in dc:
            raise _fail(path, "default_codes", f"no code for kind '{kind}'.")
        default_codes.append((kind, check_code("default_codes", dc[kind])))

    classes = []
    for i, body in enumerate(raw.get("classes") or []):
        rid = str(body.get("id") or f"#{i + 1}")
        where = f"class {rid}"
        acts = body.get("actions")
        if not isinstance(acts, dict) or set(acts) != set(KINDS):
            raise _fail(path, where, f"field 'actions' must give an action for each kind: {', '.join(KINDS)}.")
        actions = []
        for kind in KINDS:
            a = acts[kind]
            if isinstance(a, dict):
                bad = set(a) - set(QUALIFIED)
                if bad or "default" not in a:
                    raise _fail(path, where, f"actions.{kind} takes 'default' and qualifiers {', '.join(QUALIFIED)}.")
                ka = KindAction(
                    _action(path, where, a["default"]),
                    tuple((q, _action(path, where, v)) for q, v in a.items() if q != "default"),
                )
            else:
                ka = KindAction(_action(path, where, a))
            actions.append((kind, ka))
        code = check_code(where, body["code"]) if body.get("code") else None
        needs = body.get("needs_decision", True)
        if not isinstance(needs, bool):
            raise _fail(path, where, "field 'needs_decision' takes true or false.")
        classes.append(
            RuleClass(
                rid,
                _conditions(path, where, body.get("when")),
                tuple(actions),
                code,
                str(body.get("why") or rid),
                needs,
            )
        )
    if not classes:
        raise _fail(path, "classes", "a rule set needs at least one class.")

    modifiers = []
    for i, body in enumerate(raw.get("modifiers") or []):
        rid = str(body.get("id") or f"#{i + 1}")
        where = f"modifier {rid}"
        sets = body.get("set") or {}
        for k, v in sets.items():
            if k != "all" and k not in KINDS:
                raise _fail(path, where, f"'set' names an unknown kind '{k}'.")
            _action(path, where, v)
        changes = body.get("change") or {}
        for k, v in changes.items():
            _action(path, where, k)
            _action(path, where, v)
        if not sets and not changes:
            raise _fail(path, where, "a modifier needs 'set' or 'change'.")
        modifiers.append(
            Modifier(
                rid,
                _conditions(path, where, body.get("when")),
                tuple(sets.items()),
                tuple(changes.items()),
                str(body.get("why") or rid),
            )
        )

    return RuleSet(
        str(raw.get("name") or name),
        str(raw.get("title") or ""),
        path,
        tuple(codes),
        tuple(default_codes),
        tuple(classes),
        tuple(modifiers),
    )
