"""The case manifest, case.yaml: loading and validating it (load.py, nodes.py, people.py), a starter file
(starter.py), adding a person (edit.py)."""

from .edit import add_person, remove_person, write_atomic
from .load import load_manifest, parse_manifest
from .nodes import CONSENTS, DEFAULT_RULES, PRONOUNS, VERSION
from .starter import dump_new_manifest, subject_id

__all__ = [
    "CONSENTS",
    "DEFAULT_RULES",
    "PRONOUNS",
    "VERSION",
    "add_person",
    "dump_new_manifest",
    "load_manifest",
    "parse_manifest",
    "remove_person",
    "subject_id",
    "write_atomic",
]
