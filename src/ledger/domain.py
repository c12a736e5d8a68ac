"""The write model: one stream per subject (account or contact), folded into a lean state.

The state holds what the invariants need and nothing personal, so snapshots never
contain personal data. Ids are ``uuid5`` of the handle, shared by accounts and contacts,
which makes handles unique across both without an index.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from ledger import events as ev


class Subject(BaseModel):
    """An account or a contact as the write side needs it."""

    model_config = ConfigDict(frozen=True)
    id: UUID
    version: int
    created_on: datetime
    modified_on: datetime
    kind: Literal["account", "contact"]
    handle: str
    account: str | None = None
    roles: tuple[str, ...] = ()
    reports_to: str | None = None
    forgotten: bool = False
    retracted: frozenset[str] = frozenset()
    closed: frozenset[str] = frozenset()  # initiatives and next steps done or dropped


def mutate(subject: Subject | None, event: ev.LedgerEvent | ev.Snapshot) -> Subject:
    """Apply one event (or a snapshot) to the state."""
    if isinstance(event, ev.Snapshot):
        return Subject.model_validate(event.state)
    if isinstance(event, (ev.AccountRegistered, ev.ContactRegistered)):
        kind = "account" if isinstance(event, ev.AccountRegistered) else "contact"
        return Subject(
            id=event.originator_id, version=event.originator_version, created_on=event.timestamp,
            modified_on=event.timestamp, kind=kind, handle=event.handle,
            account=getattr(event, "account", None), roles=getattr(event, "roles", ()),
            reports_to=getattr(event, "reports_to", None),
        )
    assert subject is not None, "a stream starts with a registration"
    changes: dict = {"version": event.originator_version, "modified_on": event.timestamp}
    if isinstance(event, ev.EntryRetracted):
        changes["retracted"] = subject.retracted | {event.target}
    elif isinstance(event, ev.ContactForgotten):
        changes["forgotten"] = True
    elif isinstance(event, ev.RolesChanged):
        changes["roles"] = event.roles
    elif isinstance(event, ev.ReportingLineSet):
        changes["reports_to"] = event.reports_to
    elif isinstance(event, ev.InitiativeClosed):
        changes["closed"] = subject.closed | {event.initiative}
    elif isinstance(event, (ev.NextStepDone, ev.NextStepDropped)):
        changes["closed"] = subject.closed | {event.step}
    return subject.model_copy(update=changes)


def project_subject(subject: Subject | None, events: Iterable[ev.LedgerEvent | ev.Snapshot]) -> Subject | None:
    """Fold a stream (optionally starting from a snapshot) into the state."""
    for event in events:
        subject = mutate(subject, event)
    return subject
