"""The recognisers of a case, in the order they run over a page (see `sarkit.detect` for the protocol).

A recogniser sees every mention of those above it, so order matters: the recognisers of people come
first, then those that attribute details to the people found, then those that read whole sentences
about them. A new recogniser is one new module here and one line below.
"""

from __future__ import annotations

from ..base import Recogniser
from .companions import Companions
from .contacts import Contacts
from .identifiers import Identifiers
from .kinship import Kinship
from .names import RegisteredNames
from .places import Places
from .sensitive import SensitiveDetector
from .unregistered import UnregisteredNames

__all__ = ["RECOGNISERS"]

RECOGNISERS: tuple[Recogniser, ...] = (
    # people
    RegisteredNames,  # names of the register: "Jane Doe", "DOE, Jane", "J.D.", aliases, withheld names
    Kinship,  # "Mum", "Tom's mother": after RegisteredNames (the possessor is a name found before)
    UnregisteredNames,  # people the register lacks: after the registered ones (their text is taken)
    # details of the people above
    Contacts,  # phone, e-mail, handle, address line, postcode
    Identifiers,  # NI and NHS numbers, case numbers, dates of birth: after Contacts (a phone is no NHS number)
    Places,  # schools, workplaces, home towns
    Companions,  # "the lady at number 14" in the sentence of a protected person
    # statements about the people above
    SensitiveDetector,  # health, offending, sexual life, ... clauses and whom they are about
)
