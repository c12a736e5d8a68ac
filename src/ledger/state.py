"""What ``decide`` reads: the ledger as stored, plus what was decided earlier in the same run.

One ``LedgerState`` serves one command, one import pass, or one write attempt; after a
conflicting write it is thrown away and the batch decided again on a fresh one, so the
rules always judge what is really in the ledger (ADR 0012).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from operator import attrgetter
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from ledger import events as ev
from ledger.domain import Subject, mutate, project_subject
from ledger.facts import TOPIC_TYPES
from ledger.identity import subject_id
from ledger.errors import LedgerError
from ledger.keys import FORGOTTEN

_CHANGING = (ev.AccountRegistered, ev.ContactRegistered, ev.EntryRetracted, ev.ContactForgotten, ev.RolesChanged,
             ev.ReportingLineSet, ev.InitiativeClosed, ev.NextStepDone,
             ev.NextStepDropped)  # the events ``mutate`` does more with than the version
_FIELDS: dict[type, Any] = {}  # event class -> getter of what a fingerprint covers
_CONTENT = {"originator_id", "originator_version", "timestamp", "recorded_by", "redacted"}
_ONE = _CONTENT | {"contacts"}


class Known(NamedTuple):
    """An event id in the ledger or decided earlier in this run: its type, stream, and content."""

    type: str
    stream: UUID
    digest: str | None  # the stored idempotency digest (None for old rows)
    pending: int | None = None  # decided in this run, not yet stored: its fingerprint (0: not kept)


class LedgerState:
    """Subjects and event ids, read once from the ledger and updated by ``apply``."""

    def __init__(self, app: Any, *, fingerprints: bool = True):
        self.app = app
        self.fingerprints = fingerprints  # to tell a repeated command from a clash within one run
        self.subjects: dict[str, Subject | None] = {}  # by handle (a str hashes faster than a UUID)
        self.handles: dict[UUID, str] = {}  # stream -> handle, for events referred to
        self.ids: dict[str, Known | None] = {}
        self.cadence: dict[str, int] = {}
        self.versions: dict[str, int] = {}  # streams moved on by events that change nothing else
        self.own: dict[str, int] = {}  # positions of the streams of their own ("@framework")
        self.checked: set[str] = set()  # stored events referred to, seen to be there
        self.set_at: dict[str, datetime] = {}  # next steps decided (or read) in this run -> when they were set

    def prefetch(self, event_ids: list[str]) -> None:
        """Look up, in one query, the ids these commands name or refer to."""
        wanted = [i for i in set(event_ids) if isinstance(i, str) and i not in self.ids]
        found = self.app.recorder.select_refs(wanted)
        for event_id in wanted:
            ref = found.get(event_id)
            self.ids[event_id] = ref and Known(TOPIC_TYPES.get(ref.topic.rpartition(":")[2], "?"), ref.originator_id, ref.digest)

    def prefetch_subjects(self, handles: list) -> None:
        """Find, in one query, which of these handles are not in the ledger (the others load when asked)."""
        wanted = {h: subject_id(h) for h in set(handles) if isinstance(h, str) and h not in self.subjects}
        present = self.app.recorder.streams_present(list(wanted.values())) if wanted else set()
        for handle, stream in wanted.items():
            if stream not in present:
                self.handles[stream] = handle
                self.subjects[handle] = None

    def subject(self, handle: str) -> Subject | None:
        """The account or contact under the handle, or None."""
        if handle not in self.subjects:
            stream = subject_id(handle)
            self.handles[stream] = handle
            new = not self.app.recorder.select_events(stream, desc=True, limit=1)  # one query for a new handle
            self.subjects[handle] = None if new else self.app.repository.get(stream, projector_func=project_subject)
        return self.subjects[handle]

    def owner(self, stream: UUID) -> Subject | None:
        """The subject of a stream (the one an event referred to lives in)."""
        if stream not in self.handles:
            try:
                found = self.app.repository.get(stream, projector_func=project_subject)
            except AggregateNotFoundError:
                return None
            self.handles[stream] = found.handle
            self.subjects.setdefault(found.handle, found)
        return self.subject(self.handles[stream])

    def version(self, handle: str, subject: Subject | None) -> int:
        """The stream's position: what the next event follows."""
        return self.versions.get(handle) or (subject.version if subject else 0)

    def known(self, event_id: str) -> Known | None:
        """The id's type and stream, or None when no event has it."""
        if event_id not in self.ids:
            self.prefetch([event_id])
        return self.ids[event_id]

    def stored(self, event_id: str) -> ev.RecordedEvent:
        """The stored event with this id (personal fields unsealed, or redacted)."""
        ref = self.app.recorder.select_ref(event_id)
        found = list(self.app.events.get(ref.originator_id, gt=ref.originator_version - 1, lte=ref.originator_version))
        if not found:
            raise LedgerError(f"event id: '{event_id}' is indexed but its event is missing; the ledger is damaged "
                              "(restore it from a backup or an export)")
        return found[0]

    def stream_version(self, name: str) -> int:
        """The position of a stream of its own, such as the framework's ("@framework")."""
        if name not in self.own:
            last = self.app.recorder.select_events(subject_id(name), desc=True, limit=1)
            self.own[name] = last[0].originator_version if last else 0
        return self.own[name]

    def review_every(self, handle: str) -> int:
        """The cadence of the account's latest review (3 months before the first)."""
        if handle not in self.cadence:
            reviews = [e for e in self.app.events.get(subject_id(handle)) if isinstance(e, ev.ReviewHeld)]
            self.cadence[handle] = reviews[-1].every_months if reviews else 3
        return self.cadence[handle]

    def digest(self, event: ev.RecordedEvent) -> str:
        """The idempotency digest of the event's content (keyed with the contact's key, if any)."""
        return content_digest(event, secret_of(self.app.keys, event.originator_id))

    def apply(self, event: ev.RecordedEvent) -> None:
        """Take a decided event into account for the commands that follow."""
        self.ids[event.id] = Known(event.type, event.originator_id, None, fingerprint(event) if self.fingerprints else 0)
        if event.FACTS.stream:
            self.own[event.FACTS.stream] = event.originator_version
            return
        handle = event.handle
        if isinstance(event, _CHANGING):  # the rest only move the stream on: no new state to build
            self.subjects[handle] = mutate(self.subject(handle), event)
            self.versions.pop(handle, None)
        else:
            self.versions[handle] = event.originator_version
        if isinstance(event, ev.ReviewHeld):
            self.cadence[handle] = event.every_months
        elif isinstance(event, ev.NextStepSet):
            self.set_at[event.id] = event.occurred_at

    def step_set_at(self, step_id: str) -> datetime:
        """When a next step was set (decided in this run, or stored)."""
        if step_id not in self.set_at:
            self.set_at[step_id] = self.stored(step_id).occurred_at
        return self.set_at[step_id]


def fingerprint(event: ev.RecordedEvent) -> int:
    """What makes two events the same command: type, stream, when it happened, the fields."""
    fields = _FIELDS.get(type(event)) or _FIELDS.setdefault(type(event), attrgetter("occurred_at", *event.FACTS.fields))
    try:
        return hash((event.type, getattr(event, "handle", None), fields(event)))
    except TypeError:  # a dict among the values (dimensions, framework rows)
        return hash((event.type, event.__pydantic_serializer__.to_json(event, exclude=_CONTENT)))


def secret_of(keys: Any, stream: UUID) -> bytes | None:
    """The key a digest is made with: the contact's own, None for accounts and the forgotten."""
    secret = keys.get(stream)
    return secret if secret and secret != FORGOTTEN else None


def content_digest(event: ev.RecordedEvent, secret: bytes | None) -> str:
    """Stored with each event: an HMAC (with the contact's key) or SHA-256 of its content."""
    return keyed_digest(digest_input(event), secret)


def digest_input(event: ev.RecordedEvent) -> bytes:
    """What the idempotency digest covers: the type and the content (not who recorded it, or when)."""
    one = event.type == "interaction" and not event.contacts  # as digested before several contacts (ADR 0017)
    return event.type.encode() + b"\0" + event.__pydantic_serializer__.to_json(event, exclude=_ONE if one else _CONTENT)


def keyed_digest(data: bytes, secret: bytes | None) -> str:
    """The digest of ``digest_input``'s bytes."""
    return hmac.digest(secret, data, "sha256").hex() if secret else hashlib.sha256(data).hexdigest()
