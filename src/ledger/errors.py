"""Domain errors. The CLI turns each into a one-line message and a non-zero exit."""


class LedgerError(Exception):
    """Base class of every error the ledger reports to a user."""


class InvalidInputError(LedgerError):
    """A field's value is not allowed; the message names the field and what is allowed."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field = field


class UnknownHandleError(LedgerError):
    """No account or contact is registered under the handle."""

    def __init__(self, handle: str, kind: str = "account or contact"):
        super().__init__(f"handle: no {kind} '{handle}' in this ledger")
        self.handle = handle


class DuplicateHandleError(LedgerError):
    """The handle is already taken by an account or a contact."""

    def __init__(self, handle: str):
        super().__init__(f"handle: '{handle}' is already registered; handles are unique across accounts and contacts")


class UnknownEventError(LedgerError):
    """No event in the ledger has the id."""

    def __init__(self, event_id: str):
        super().__init__(f"event id: no event '{event_id}' in this ledger (see 'relledger history HANDLE')")


class IdConflictError(LedgerError):
    """An idempotency key was reused for different content."""

    def __init__(self, key: str):
        super().__init__(f"id: '{key}' already names a different event; keys are unique across the ledger")


class ContactForgottenError(LedgerError):
    """The contact's personal data was erased; nothing more can be recorded for it."""

    def __init__(self, handle: str):
        super().__init__(f"handle: contact '{handle}' has been forgotten; nothing more can be recorded for it")


class NotRetractableError(LedgerError):
    """The event cannot be retracted (already retracted, a registration, or a retraction)."""


class LedgerLocationError(LedgerError):
    """The ledger location (--ledger or RELLEDGER_DB) cannot be used."""


class ConcurrencyError(LedgerError):
    """Writers kept colliding; the command gave up after several retries."""


class ErasureIncompleteError(LedgerError):
    """The key was overwritten, but a copy may still be in a file of the ledger."""

    def __init__(self, why: str):
        super().__init__(f"forget: not erased yet: {why}; the personal data is still recoverable from the files. "
                         "Close other relledger sessions and run the same forget again to finish")


class LedgerKeyError(LedgerError):
    """The ledger key is missing, malformed or not this ledger's."""


class LineError(LedgerError):
    """A refusal of one line of an import file: the line's number and the rule's own message."""

    def __init__(self, line: int, reason: str):
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason
