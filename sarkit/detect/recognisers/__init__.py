"""The recognisers of a case, in the order they run over a page (see `sarkit.detect` for the protocol).

A recogniser sees every mention of those above it, so order matters: the recognisers of people come
first, then those that attribute details to the people found, then those that read whole sentences
about them. A new recogniser is one new module here and one line below.
"""

from __future__ import annotations

from ..base import Recogniser
from .companions import Companions
from .contacts import Contacts
from .forms import FormRows
from .identifiers import Identifiers
from .informal import InformalNames
from .kinship import Kinship
from .localities import Localities
from .misspelt import MisspeltNames
from .names import RegisteredNames
from .nicknames import OrdinaryWordNames
from .notebook import NotebookPlaces
from .places import Places
from .references import References
from .sensitive import SensitiveDetector
from .unregistered import UnregisteredNames

__all__ = ["RECOGNISERS"]

RECOGNISERS: tuple[Recogniser, ...] = (
    # people
    RegisteredNames,  # names of the register: "Jane Doe", "DOE, Jane", "J.D.", aliases, withheld names
    MisspeltNames,  # "Mrs Storrey" for Storey: names of the register one letter wrong, after the exact ones
    Kinship,  # "Mum", "Tom's mother": after RegisteredNames (the possessor is a name found before)
    UnregisteredNames,  # people the register lacks: after the registered ones (their text is taken)
    InformalNames,  # "a man called Ricky", "Nanny Jan", "the Kellys", "callum": after UnregisteredNames
    OrdinaryWordNames,  # "spider hanging round the gate asking ... told him": a nickname that is an English word
    # details of the people above
    Contacts,  # phone, e-mail, handle, address line, postcode
    Identifiers,  # NI and NHS numbers, case numbers, dates of birth: after Contacts (a phone is no NHS number)
    References,  # "Our ref: BAN/2291", "COLLAR NO : 3310", "(2104878)", "WQ57 XHT": after Identifiers
    FormRows,  # "PNC ID | 03/118274K": a reference in the value cell of a form's labelled row, after References
    Places,  # schools, workplaces, home towns
    Companions,  # "the lady at number 14" in the sentence of a protected person
    Localities,  # "in Thornley", "the Lowfield estate", "Ashby Street", "14 FLEECE LANE": after Companions
    NotebookPlaces,  # "kacey at oakmere" on a page written in lower case
    # statements about the people above
    SensitiveDetector,  # health, offending, sexual life, ... clauses and whom they are about
)
