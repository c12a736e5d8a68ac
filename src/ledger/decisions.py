"""The rules of what may be recorded: ``decide(state, command) -> Decision``, for every door (ADR 0012).

The CLI's commands, both passes of import and the demo all decide here, so an import line
gets the same decision and message as the equivalent command. Rules about time are
relative to the event's ``occurred_at``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from pydantic import ValidationError

from ledger import events as ev
from ledger.commands import Command, Decision
from ledger.errors import (
    ContactForgottenError,
    DuplicateHandleError,
    IdConflictError,
    InvalidInputError,
    NotRetractableError,
    UnknownEventError,
    UnknownHandleError,
)
from ledger.framework import framework_from_dict
from ledger.identity import subject_id
from ledger.state import LedgerState, fingerprint
from ledger.timeutil import not_in_future
from ledger.validation import check_dimensions, check_handle, check_key, invalid_input
from ledger.vocabulary import allowed

_NEEDS = {"contact": "contact", "account": "account", "account or contact": "account or contact"}


def a(noun: str) -> str:
    """'an account', 'a contact'."""
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def decide(state: LedgerState, command: Command, *, user: str, now: datetime, new_id: Callable[[], str]) -> Decision:
    """The event the command records, the one already recorded under its id, or a LedgerError."""
    cls = ev.EVENT_TYPES.get(command.type) if isinstance(command.type, str) else None
    if cls is None:
        raise InvalidInputError("type", f"'{command.type}' is not allowed; allowed: {allowed(ev.EVENT_TYPES)}")
    occurred = _times(command, now)
    handle, target = _subject_handle(state, command, cls.FACTS)
    subject = state.subject(handle) if handle else None
    normalise = NORMALISE.get(command.type)
    fields = normalise(state, handle, dict(command.fields)) if normalise else command.fields
    event = _build(cls, command, state, handle, subject, fields, occurred, now, user, new_id)
    if command.id and (known := state.known(command.id)) is not None:
        return _repeat(state, command, event, known)
    _check_subject(cls.FACTS.subject, handle, subject)
    if rule := RULES.get(command.type):
        rule(state, event, subject, target)
    state.apply(event)
    return Decision(event)


def _times(command: Command, now: datetime) -> datetime:
    occurred = command.occurred_at or now
    if occurred > now:
        not_in_future(occurred, field="at" if command.line is None else "occurred_at", now=now)
    if command.recorded_at is not None:
        not_in_future(command.recorded_at, field="recorded_at", now=now)
        if command.recorded_at < occurred:
            raise InvalidInputError("recorded_at", f"{command.recorded_at.isoformat()} is before occurred_at "
                                    f"{occurred.isoformat()}; an event is recorded once it has happened")
    return occurred


def _subject_handle(state: LedgerState, command: Command, facts) -> tuple[str | None, Any]:
    """The subject's handle (from the event referred to, when the command gives none) and that event."""
    handle = check_handle(command.handle) if command.handle is not None else None
    if facts.refers is None:
        if handle is None and facts.subject:
            raise InvalidInputError("handle", "missing")
        return handle, None
    field, kinds = facts.refers
    target_id = command.fields.get(field)
    check_key(target_id, field="event id")
    target = state.known(target_id)
    if target is None:
        raise UnknownEventError(target_id)
    if target.type not in kinds:
        raise NotRetractableError(f"event id: '{target_id}' is {a(target.type)}; expected {allowed(kinds)}")
    owner = state.owner(target.stream)
    if target.pending is None and target_id not in state.checked:
        state.stored(target_id)  # the event itself, not only its index entry
        state.checked.add(target_id)
    if handle is not None and owner is not None and owner.handle != handle:
        raise InvalidInputError(field, f"'{target_id}' belongs to {owner.handle}, not {handle}")
    return (owner.handle if owner else handle), target


def _build(cls, command, state, handle, subject, fields, occurred, now, user, new_id) -> ev.RecordedEvent:
    own = cls.FACTS.stream  # a stream of its own (the framework's), or the subject's
    stream = subject_id(own or handle)
    version = state.stream_version(own) if own else state.version(handle, subject)
    if command.id is not None:
        check_key(command.id)
    extra = {} if own else {"handle": handle}
    try:
        return cls(originator_id=stream, originator_version=version + 1, timestamp=command.recorded_at or now,
                   id=command.id or new_id(), occurred_at=occurred, recorded_by=command.recorded_by or user,
                   **extra, **fields)
    except ValidationError as exc:
        raise invalid_input(exc) from None
    except TypeError as exc:  # a field given twice or not by name
        raise InvalidInputError("value", str(exc)) from None


def _repeat(state: LedgerState, command: Command, event: ev.RecordedEvent, known) -> Decision:
    """A known id: the same command again writes nothing; other content is refused."""
    if known.stream != event.originator_id or known.type != event.type:
        raise IdConflictError(command.id)
    if known.pending is not None:
        if known.pending and known.pending == fingerprint(event):
            return Decision(event, duplicate=True)
        raise IdConflictError(command.id)
    if command.occurred_at is not None and known.digest is not None and known.digest == state.digest(event):
        return Decision(event, duplicate=True)
    stored = state.stored(command.id)
    if not _same_content(stored, event, timed=command.occurred_at is not None):
        raise IdConflictError(command.id)
    return Decision(stored, duplicate=True)


def _same_content(stored: ev.RecordedEvent, new: ev.RecordedEvent, *, timed: bool) -> bool:
    hidden = set(stored.PERSONAL) if stored.redacted else set()  # erased: only what is left can be compared
    mine = {k: v for k, v in new.payload().items() if k not in hidden}
    theirs = {k: v for k, v in stored.payload().items() if k not in hidden}
    return mine == theirs and getattr(stored, "handle", None) == getattr(new, "handle", None) and (
        not timed or stored.occurred_at == new.occurred_at)


def _check_subject(need: str, handle: str | None, subject) -> None:
    if need.startswith("new "):
        if subject is not None:
            raise DuplicateHandleError(handle)
        return
    if not need:
        return
    if subject is None:
        raise UnknownHandleError(handle, _NEEDS[need])
    if need in ("account", "contact") and subject.kind != need:
        raise InvalidInputError("handle", f"'{handle}' is {a(subject.kind)}; this needs {a(need)}")
    if subject.forgotten:
        raise ContactForgottenError(handle)


def require(state: LedgerState, handle: str, kind: str):
    """The subject, which must exist and be of ``kind`` ("account", "contact" or "account or contact")."""
    subject = state.subject(check_handle(handle))
    if subject is None:
        raise UnknownHandleError(handle, kind)
    if kind in ("account", "contact") and subject.kind != kind:
        raise InvalidInputError("handle", f"'{handle}' is {a(subject.kind)}; this needs {a(kind)}")
    return subject


# -- fields completed from the ledger -------------------------------------------------------

def _contact_fields(state: LedgerState, handle: str, fields: dict) -> dict:
    """The account defaults to the handle's prefix, which must then be an account."""
    if fields.get("account") is not None:
        require(state, fields["account"], "account")
    elif "/" in handle:
        prefix = handle.split("/")[0]
        found = state.subject(prefix)
        if found is None or found.kind != "account":
            raise InvalidInputError("account", f"no account '{prefix}' for '{handle}'; add it first "
                                    f"(relledger account add {prefix} --name NAME) or give --account")
        fields["account"] = prefix
    return fields


def _review_fields(state: LedgerState, handle: str, fields: dict) -> dict:
    if fields.get("every_months") is None:
        fields["every_months"] = state.review_every(handle) if handle and state.subject(handle) else 3
    return fields


def _framework_fields(state: LedgerState, handle, fields: dict) -> dict:
    if fields.get("version") is None:
        fields["version"] = state.stream_version(ev.FrameworkAdopted.FACTS.stream) + 2  # the built-in one is 1
    try:
        framework_from_dict(fields)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidInputError("framework", f"not a framework table: {exc}") from None
    return fields


MAX_CONTACTS = 50  # people named in one interaction


def _interaction_fields(state: LedgerState, handle: str, fields: dict) -> dict:
    """Several contacts (ADR 0017): a list of distinct handles, the first being the event's
    ``handle``; one contact is stored as none (the handle alone)."""
    given = fields.get("contacts") or ()
    if isinstance(given, str) or not isinstance(given, (list, tuple)):
        raise InvalidInputError("contacts", "must be a list of contact handles, e.g. [\"acme/jane\", \"acme/raj\"]")
    contacts = tuple(check_handle(h, "contacts") for h in given)
    if contacts and contacts[0] != handle:
        raise InvalidInputError("contacts", f"the first must be the contact the event is recorded for, '{handle}'")
    if len(contacts) > MAX_CONTACTS:
        raise InvalidInputError("contacts", f"{len(contacts)} named; at most {MAX_CONTACTS} per interaction")
    seen = set()
    for h in contacts:
        if h in seen:
            raise InvalidInputError("contacts", f"'{h}' is named twice; name each person once")
        seen.add(h)
    return {**fields, "contacts": contacts if len(contacts) > 1 else ()}


NORMALISE = {"contact": _contact_fields, "interaction": _interaction_fields, "review": _review_fields, "framework": _framework_fields}


# -- rules beyond the fields' own -----------------------------------------------------------

def _contact(state: LedgerState, event: ev.ContactRegistered, subject, target) -> None:
    _no_cycle(state, event.handle, event.reports_to)


def _reporting(state: LedgerState, event: ev.ReportingLineSet, subject, target) -> None:
    _no_cycle(state, event.handle, event.reports_to)


def _no_cycle(state: LedgerState, handle: str, manager: str | None) -> None:
    seen = {handle}
    while manager is not None:
        if manager in seen:
            raise InvalidInputError("reports-to", f"'{manager}' would make a reporting cycle")
        seen.add(manager)
        manager = require(state, manager, "contact").reports_to


def _interaction(state, event: ev.InteractionRecorded, subject, target) -> None:
    if event.outcome and event.direction == "inbound":
        raise InvalidInputError("outcome", "only an outbound attempt has an outcome (answered, returned, unanswered or declined)")
    for handle in event.contacts[1:]:  # the first is the subject, checked already
        other = require(state, handle, "contact")
        if other.forgotten:
            raise ContactForgottenError(handle)


def _assessment(state, event: ev.DimensionAssessed, subject, target) -> None:
    check_dimensions(event.dimensions)


def _retraction(state, event: ev.EntryRetracted, subject, target) -> None:
    if event.target in subject.retracted:
        raise NotRetractableError(f"event id: '{event.target}' is already retracted")


def _initiative(state: LedgerState, event: ev.InitiativeAdded, subject, target) -> None:
    day = event.occurred_at.date()
    if event.due < day:
        raise InvalidInputError("due", f"{event.due.isoformat()} is in the past; a new initiative needs a due date "
                                f"from the day it is added ({day.isoformat()}) on")
    for handle in event.contacts:
        if require(state, handle, "contact").account != event.handle:
            raise InvalidInputError("contact", f"'{handle}' is not a contact of {event.handle}")


def _closing(state, event: ev.InitiativeClosed, subject, target) -> None:
    if event.initiative in subject.closed:
        raise InvalidInputError("initiative", f"'{event.initiative}' is already done or dropped")


def _next_step(state, event: ev.NextStepSet, subject, target) -> None:
    day = event.occurred_at.date()
    if event.due.date() < day:
        raise InvalidInputError("due", f"{event.due.isoformat()} is before the day the step is set ({day.isoformat()}); "
                                "give a due date from that day on")


def _step_closing(state: LedgerState, event: ev.NextStepDone | ev.NextStepDropped, subject, target) -> None:
    if event.step in subject.closed:
        raise InvalidInputError("step", f"'{event.step}' is already done or dropped")
    set_at = state.step_set_at(event.step)
    if event.occurred_at < set_at:
        raise InvalidInputError("step", f"'{event.step}' was set at {set_at.isoformat()}; it cannot be closed "
                                f"before that (at {event.occurred_at.isoformat()})")


RULES: dict[str, Callable] = {
    "contact": _contact, "reporting": _reporting, "interaction": _interaction, "assessment": _assessment,
    "retraction": _retraction, "initiative": _initiative, "initiative-closed": _closing,
    "next": _next_step, "next-done": _step_closing, "next-dropped": _step_closing,
}
