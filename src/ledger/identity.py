"""Stream ids: uuid5 of the handle, one namespace for accounts and contacts (ADR 0004)."""

from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5

LEDGER_NAMESPACE = uuid5(NAMESPACE_URL, "https://relledger.invalid/subject")


@lru_cache(maxsize=65_536)  # uuid5 hashes with SHA-1: a bulk import asks for the same few handles often
def subject_id(handle: str) -> UUID:
    """The stream id of an account or contact handle."""
    return uuid5(LEDGER_NAMESPACE, handle)
