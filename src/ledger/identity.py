"""Stream ids: uuid5 of the handle, one namespace for accounts and contacts (ADR 0004)."""

from uuid import NAMESPACE_URL, UUID, uuid5

LEDGER_NAMESPACE = uuid5(NAMESPACE_URL, "https://relledger.invalid/subject")
FRAMEWORK_STREAM = uuid5(LEDGER_NAMESPACE, "@framework")


def subject_id(handle: str) -> UUID:
    """The stream id of an account or contact handle."""
    return uuid5(LEDGER_NAMESPACE, handle)
