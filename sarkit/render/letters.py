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
    """The documented demo defaults: settings/authority.example.yaml."""
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


def load_settings(path: Path) -> dict[str, Any]:
    """Read an authority settings file (for callers that have a path rather than a dict)."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        raise SarkitError(f"{Path(path).name} could not be read as authority settings.") from None
    if raw is not None and not isinstance(raw, dict):
        raise SarkitError(f"{Path(path).name}: authority settings must be a mapping.")
    return effective_settings(raw)


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
