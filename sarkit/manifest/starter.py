"""A starter case.yaml for `sarkit init`: the subject filled in, the other roles as commented examples."""

from __future__ import annotations

import datetime as dt
import re

import yaml

from ..errors import ManifestError


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
# The case manifest for sarkit (every field: `sarkit docs case-folder`). Fill in the people
# register, then run `sarkit check` on this folder. Lines starting with # are comments.
sarkit: 1
reference: {reference}
received: {received}            # the day the valid request arrived; the response is due a calendar month later
rules: uk-dpa2018               # the rule set (`sarkit rules list` shows those installed)
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
  ## Roles: `sarkit docs case-folder`. `known: true` = the subject already knows this person.
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
        sid=_yaml_text(sid),  # an id such as "null" (from "Null") must stay a text
        name=_yaml_text(name),
    )
