"""The words of the bundle around the records: authority settings and the Jinja2 templates in templates/.

Every template renders an HTML fragment (a <section>) used as it is in records.html and laid out by
PyMuPDF's Story in records.pdf, so both formats say the same thing.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from ..errors import SarkitError
from ..resources import data_dir
from .glossary import glossary_path

TEMPLATES = ("cover_letter", "before_you_read", "removed_parts", "own_account")


def templates_dir() -> Path:
    return data_dir("templates")


def example_settings_path() -> Path:
    return data_dir("settings") / "authority.example.yaml"


@lru_cache(maxsize=1)
def default_settings() -> dict[str, Any]:
    """The documented demo defaults: sarkit/data/settings/authority.example.yaml (`sarkit settings example`)."""
    path = example_settings_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        raise SarkitError(f"{path.name} could not be read as authority settings.") from None
    if not isinstance(raw, dict):
        raise SarkitError(f"{path.name}: authority settings must be a mapping.")
    return raw


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        elif v is not None:
            out[k] = copy.deepcopy(v)
    return out


def effective_settings(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """The authority's settings over the documented defaults (a key left out keeps its default)."""
    return _merge(default_settings(), settings or {})


SETTINGS_DOC = "see docs/settings.md (or run: sarkit docs settings)"


def read_settings(path: Path) -> dict[str, Any]:
    """An authority settings file as written (not merged with the defaults), checked against the example's
    fields: an unknown or misspelt field, or a list where a text belongs, is an error naming the field."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        raise SarkitError(f"{path} could not be read as authority settings (YAML).", hint=SETTINGS_DOC) from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise SarkitError(f"{path}: authority settings must be a mapping of fields such as `authority:`.")
    problem = _shape_problem(raw, default_settings(), "")
    if problem:
        raise SarkitError(f"{path}: {problem}.", hint=SETTINGS_DOC)
    return raw


def _shape_problem(value: Any, like: Any, where: str) -> str | None:
    """What is wrong with `value` where the example has `like` (None when nothing is)."""
    name = f"`{where}`" if where else "the file"
    if value is None:
        return None  # left empty: the default applies
    if isinstance(like, dict):
        if not isinstance(value, dict):
            return f"{name} must be a mapping of fields ({', '.join(like)})"
        for key, sub in value.items():
            path = f"{where}.{key}" if where else str(key)
            if key not in like:
                return f"`{path}` is not a settings field (fields here: {', '.join(like)})"
            problem = _shape_problem(sub, like[key], path)
            if problem:
                return problem
        return None
    if isinstance(like, list):
        if not isinstance(value, list):
            return f"{name} must be a list (one item a line, each starting with '- ')"
        item_like = like[0] if like else ""
        for i, item in enumerate(value, 1):
            problem = _shape_problem(item, item_like, f"{where}[{i}]")
            if problem:
                return problem
        return None
    if isinstance(value, dict | list):
        return f"{name} must be a single text"
    return None


def demo_values(settings: Mapping[str, Any] | list[Any], where: str = "") -> list[str]:
    """The fields of effective settings that still hold the fictional example authority's details."""
    out: list[str] = []
    items: Any = settings.items() if isinstance(settings, Mapping) else enumerate(settings, 1)
    for key, value in items:
        path = (f"{where}[{key}]" if isinstance(key, int) else f"{where}.{key}") if where else str(key)
        if isinstance(value, Mapping | list):
            out.extend(demo_values(value, path))
        elif any(mark in str(value) for mark in ("xample", "01632 96", "ZZ1 1ZZ")):
            out.append(path)
    return out


def load_settings(path: Path) -> dict[str, Any]:
    """Read an authority settings file, over the documented defaults (for callers that have a path)."""
    return effective_settings(read_settings(path))


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "lady", "lord"}
GREETINGS = ("first-name", "full-name")


def greeting(name: str, settings: Mapping[str, Any]) -> str:
    """The name the letter greets the requester by: their first name when the settings' letter.greeting is
    "first-name", else the name as the case gives it (the name they use: the manifest's requester)."""
    style = str((settings.get("letter") or {}).get("greeting") or "full-name")
    if style not in GREETINGS:
        raise SarkitError(f"authority settings: letter.greeting must be one of {', '.join(GREETINGS)}, not {style!r}.")
    words = name.split()
    if style == "first-name":
        rest = [w for w in words if w.rstrip(".").lower() not in _TITLES]
        if rest:
            return rest[0]
    return " ".join(words) or name


def signature(settings: Mapping[str, Any]) -> list[str]:
    """The lines under the letter: who signs, their title, the authority; each line once (a team whose title
    is the authority's name signs in two lines, not three)."""
    signatory = settings.get("signatory") or {}
    lines = [signatory.get("name"), signatory.get("title"), (settings.get("authority") or {}).get("name")]
    out: list[str] = []
    for line in lines:
        text = " ".join(str(line or "").split())
        if text and text.casefold() not in {o.casefold() for o in out}:
            out.append(text)
    return out


def render(name: str, settings: Mapping[str, Any], **values: Any) -> str:
    """Render templates/NAME.html.j2 with the settings and the values; an HTML fragment."""
    try:
        tpl = _env().get_template(f"{name}.html.j2")
        return tpl.render(**settings, **values)
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None)
        raise SarkitError(
            f"templates/{name}.html.j2{f', line {line}' if line else ''}: {exc.message or 'error'}.",
        ) from None


def own_words(authority: Mapping[str, Any] | None, titles: Iterable[str]) -> list[str]:
    """The text sarkit itself writes around the records: templates, glossary, authority settings, titles.

    Verify cannot check a redacted value that these words use ("Care", "Hope") in records.pdf/html.
    """
    out = [p.read_text(encoding="utf-8") for p in sorted(templates_dir().glob("*")) if p.is_file()]
    out.append(glossary_path().read_text(encoding="utf-8"))
    out.append(json.dumps(effective_settings(authority), ensure_ascii=False, default=str))
    out.extend(titles)
    return out
