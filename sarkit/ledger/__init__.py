"""The ledger: the only state of a case, an SQLite database in CASE/.sarkit/ (store.py, steps.py)."""

from .lock import case_lock
from .schema import UNDECIDED, Placed, StoredDocument, StoredProposal, now
from .steps import Ledger

__all__ = ["UNDECIDED", "Ledger", "Placed", "StoredDocument", "StoredProposal", "case_lock", "now"]
