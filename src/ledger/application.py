"""The ledger application: record commands as events, one stream per account or contact.

Each public method validates, then appends through ``_append``, which handles
idempotency keys, optimistic-concurrency retries and snapshots in one place.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import secrets
import time
from dataclasses import dataclass
from typing import Any, Callable

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, OperationalError
from pydantic import ValidationError

from ledger import events as ev
from ledger.domain import Subject, project_subject, subject_id
from ledger.framework import framework_from_dict
from ledger.identity import FRAMEWORK_STREAM, RULES_STREAM
from ledger.errors import (
    ConcurrencyError,
    ContactForgottenError,
    DuplicateHandleError,
    IdConflictError,
    InvalidInputError,
    NotRetractableError,
    UnknownEventError,
    UnknownHandleError,
)
from ledger.keys import FORGOTTEN, PostgresKeyStore, SQLiteKeyStore
from ledger.mapper import LedgerMapper
from ledger.planning import PlanningCommands
from ledger.timeutil import iso, not_in_future, utcnow
from ledger.validation import check_dimensions, check_handle, check_key, invalid_input
from ledger.vocabulary import allowed

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def new_event_id() -> str:
    """A short, copyable id: 10 characters of Crockford base32 (50 random bits)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(10))


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


@dataclass(frozen=True)
class Recorded:
    """What a record command did: the event, and whether it was already there."""

    event: ev.LedgerEvent
    duplicate: bool = False


class Ledger(PlanningCommands, Application):
    """The relationship ledger's write side."""

    name = "relledger"
    is_snapshotting_enabled = True
    snapshot_class = ev.Snapshot
    SNAPSHOT_INTERVAL = 100
    RETRIES = 50

    def __init__(self, env: dict[str, str], user: str):
        super().__init__(env)
        self.user = user

    def construct_mapper(self) -> LedgerMapper:
        postgres = type(self.factory).__module__.endswith("postgres")
        self.keys = (PostgresKeyStore if postgres else SQLiteKeyStore)(self.factory.datastore)
        return LedgerMapper(self.keys)

    # -- record commands -------------------------------------------------------------

    def register_account(self, handle: str, name: str, at=None, key=None) -> Recorded:
        """Add an account (a customer organisation); its key seals the free text of its plan."""
        create_key = lambda subject: self.keys.create(subject_id(handle))  # noqa: E731
        return self._append(handle, ev.AccountRegistered, key, at, new=True, prepare=create_key, name=name)

    def register_contact(self, handle, name, account=None, title=None, roles=(), at=None, key=None,
                         reports_to=None) -> Recorded:
        """Add a contact; the account defaults to the handle's prefix when that is an account."""
        account = self._account_for(handle, account)
        self._check_manager(handle, reports_to)
        create_key = lambda subject: self.keys.create(subject_id(handle))  # noqa: E731
        fields = dict(name=name, account=account, title=title, roles=tuple(roles), reports_to=reports_to)
        return self._append(handle, ev.ContactRegistered, key, at, new=True, prepare=create_key, **fields)

    def record_interaction(self, handle, kind, direction="outbound", outcome=None, note=None, tags=(), at=None, key=None):
        """Log a call, email, meeting, message, event or other interaction."""
        if outcome and direction == "inbound":
            raise InvalidInputError("outcome", "only an outbound attempt has an outcome (answered, returned, unanswered or declined)")
        fields = dict(kind=kind, direction=direction, outcome=outcome, note=note, tags=tuple(tags))
        return self._append(handle, ev.InteractionRecorded, key, at, contact=True, **fields)

    def receive_feedback(self, handle, about, sentiment, note=None, channel=None, at=None, key=None) -> Recorded:
        """Record what a contact said about us, our company, product or service."""
        fields = dict(about=about, sentiment=sentiment, note=note, channel=channel)
        return self._append(handle, ev.FeedbackReceived, key, at, contact=True, **fields)

    def respond(self, feedback_id: str, note: str, at=None, key=None) -> Recorded:
        """Record our response to a piece of feedback."""
        target = self._load(feedback_id, expect=("feedback",))
        return self._append(target.handle, ev.FeedbackAddressed, key, at, contact=True, feedback=feedback_id, note=note)

    def assess(self, handle: str, dimensions: dict[str, str], reason=None, at=None, key=None) -> Recorded:
        """Record a judgement of one or more of the four dimensions."""
        check_dimensions(dimensions)
        return self._append(handle, ev.DimensionAssessed, key, at, contact=True, dimensions=dimensions, reason=reason)

    def reach_milestone(self, handle: str, milestone: str, note=None, at=None, key=None) -> Recorded:
        """Record a milestone on an account or a contact."""
        return self._append(handle, ev.MilestoneReached, key, at, milestone=milestone, note=note)

    def retract(self, event_id: str, reason: str, at=None, key=None) -> Recorded:
        """Record that an earlier event was a mistake; it stops counting."""
        target = self._load(event_id, expect=ev.RETRACTABLE)
        not_yet = lambda subject: self._not_retracted(subject, event_id)  # noqa: E731
        return self._append(target.handle, ev.EntryRetracted, key, at, prepare=not_yet, target=event_id, reason=reason)

    def adopt_framework(self, doc: dict, at=None, key=None) -> Recorded:
        """Put a custom classification table (the built-in one's shape) in force."""
        occurred = not_in_future(at) if at else utcnow()
        fields = {"name": doc.get("name"), "source": doc.get("source", ""), "rows": doc.get("rows")}

        def build() -> ev.RecordedEvent:
            version = self._stream_version(FRAMEWORK_STREAM)
            try:
                framework_from_dict({**fields, "version": version + 2})
            except (KeyError, TypeError, ValueError) as exc:
                raise InvalidInputError("framework", f"not a framework table: {exc}") from None
            return self._build(ev.FrameworkAdopted, FRAMEWORK_STREAM, version, key, occurred, dict(fields, version=version + 2))

        return self._commit(build, key, FRAMEWORK_STREAM, {"type": "framework", "at": at and iso(at), **fields})

    def adopt_rules(self, version: int, doc: dict | None = None, at=None, key=None) -> Recorded:
        """Put evidence rules in force: built-in ``version`` (``doc`` None) or a custom document."""
        occurred = not_in_future(at) if at else utcnow()
        fields = {"version": version, "name": (doc or {}).get("name", "custom") if doc else "built-in", "rules": doc}
        build = lambda: self._build(ev.RulesAdopted, RULES_STREAM, self._stream_version(RULES_STREAM), key, occurred, fields)  # noqa: E731
        return self._commit(build, key, RULES_STREAM, {"type": "rules", "at": at and iso(at), **fields})

    def forget(self, handle: str) -> bool:
        """Erase a contact's personal data by destroying its key; False if already forgotten."""
        subject = self.subject(handle, kind="contact")
        if not subject.forgotten:
            self._append(handle, ev.ContactForgotten, None, None, contact=True)
        self.keys.destroy(subject.id)
        return not subject.forgotten

    # -- queries ---------------------------------------------------------------------

    def subject(self, handle: str, kind: str | None = None) -> Subject:
        """The account or contact, or UnknownHandleError."""
        subject = self._subject_or_none(check_handle(handle))
        if subject is None:
            raise UnknownHandleError(handle, kind or "account or contact")
        if kind and subject.kind != kind:
            raise InvalidInputError("handle", f"'{handle}' is {_a(subject.kind)}; this needs {_a(kind)}")
        return subject

    def stream(self, handle: str) -> list[ev.LedgerEvent]:
        """Every event of the subject, in the order recorded."""
        return list(self.events.get(self.subject(handle).id))

    def counts(self) -> dict[str, int]:
        """Events in the ledger by type."""
        topics = self.recorder.count_by_topic()
        return {cls.type: topics.get(f"{cls.__module__}:{cls.__qualname__}", 0) for cls in ev.EVENT_TYPES.values()}

    # -- the one way to append -------------------------------------------------------

    def _append(self, handle, cls, key, at, *, new=False, contact=False, prepare: Callable | None = None, **fields):
        check_handle(handle)
        occurred = not_in_future(at) if at else utcnow()

        def build() -> ev.LedgerEvent:
            subject = self._writable(handle, new=new, contact=contact)
            if prepare:
                prepare(subject)
            version = subject.version if subject else 0
            return self._build(cls, subject_id(handle), version, key, occurred, dict(fields, handle=handle))

        content = {"type": cls.type, "handle": handle, "at": at and iso(at), **fields}
        return self._commit(build, key, subject_id(handle), content)

    def _commit(self, build: Callable[[], ev.RecordedEvent], key, stream, content: dict) -> Recorded:
        """Build and save an event, retrying on conflicts; a known key returns what it recorded."""
        for attempt in range(self.RETRIES):
            if key and (done := self._already(check_key(key), stream, content)):
                return done
            event = build()
            if key:
                self.mapper.digests[event.id] = self._digest(stream, content)
            try:
                self.save(event)
            except (IntegrityError, OperationalError):
                time.sleep(random.uniform(0, 0.01 * (attempt + 1)))
                continue
            self._snapshot_if_due(event)
            return Recorded(event)
        raise ConcurrencyError(f"ledger: gave up after {self.RETRIES} conflicting writes; try again")

    def _build(self, cls, stream, version: int, key, occurred, fields: dict) -> ev.RecordedEvent:
        try:
            return cls(
                originator_id=stream, originator_version=version + 1, timestamp=utcnow(),
                id=key or new_event_id(), occurred_at=occurred, recorded_by=self.user, **fields,
            )
        except ValidationError as exc:
            raise invalid_input(exc) from None

    def _writable(self, handle: str, *, new: bool, contact: bool) -> Subject | None:
        subject = self._subject_or_none(handle)
        if new and subject is not None:
            raise DuplicateHandleError(handle)
        if not new and subject is None:
            raise UnknownHandleError(handle, "contact" if contact else "account or contact")
        if contact and subject.kind != "contact":
            raise InvalidInputError("handle", f"'{handle}' is an account; this needs a contact")
        if subject is not None and subject.forgotten:
            raise ContactForgottenError(handle)
        return subject

    def _already(self, key: str, stream, content: dict) -> Recorded | None:
        ref = self.recorder.select_ref(key)
        if ref is None:
            return None
        secret = self.keys.get(ref.originator_id)
        if secret != FORGOTTEN and (ref.originator_id != stream or self._digest(ref.originator_id, content) != ref.digest):
            raise IdConflictError(key)
        return Recorded(self._event_at(ref.originator_id, ref.originator_version), duplicate=True)

    def _digest(self, originator_id, content: dict) -> str:
        data = json.dumps(content, sort_keys=True, default=str).encode()
        secret = self.keys.get(originator_id)
        if secret:
            return hmac.new(secret, data, hashlib.sha256).hexdigest()
        return hashlib.sha256(data).hexdigest()

    def _load(self, event_id: str, expect: tuple[str, ...]) -> ev.LedgerEvent:
        ref = self.recorder.select_ref(check_key(event_id, field="event id"))
        if ref is None:
            raise UnknownEventError(event_id)
        event = self._event_at(ref.originator_id, ref.originator_version)
        if event.type not in expect:
            raise NotRetractableError(f"event id: '{event_id}' is {_a(event.type)}; expected {allowed(expect)}")
        return event

    def _stream_version(self, stream) -> int:
        last = self.recorder.select_events(stream, desc=True, limit=1)
        return last[0].originator_version if last else 0

    def _event_at(self, originator_id, version: int) -> ev.LedgerEvent:
        return next(iter(self.events.get(originator_id, gt=version - 1, lte=version)))

    @staticmethod
    def _not_retracted(subject: Subject, event_id: str) -> None:
        if event_id in subject.retracted:
            raise NotRetractableError(f"event id: '{event_id}' is already retracted")

    def _account_for(self, handle: str, account: str | None) -> str | None:
        if account is not None:
            self.subject(account, kind="account")
            return account
        prefix = check_handle(handle).split("/")[0] if "/" in handle else None
        found = prefix and self._subject_or_none(prefix)
        return prefix if found and found.kind == "account" else None

    def _subject_or_none(self, handle: str) -> Subject | None:
        try:
            return self.repository.get(subject_id(handle), projector_func=project_subject)
        except AggregateNotFoundError:
            return None

    def _snapshot_if_due(self, event: ev.RecordedEvent) -> None:
        """Snapshot a stream once it is SNAPSHOT_INTERVAL events past its latest snapshot
        (so streams written in bulk, without snapshots, heal on their next write)."""
        if event.originator_version < self.SNAPSHOT_INTERVAL or not isinstance(event, ev.LedgerEvent):
            return
        latest = self.snapshots.recorder.select_events(event.originator_id, desc=True, limit=1)
        if event.originator_version - (latest[0].originator_version if latest else 0) >= self.SNAPSHOT_INTERVAL:
            try:
                self.take_snapshot(event.originator_id, event.originator_version, projector_func=project_subject)
            except IntegrityError:
                pass  # another writer took the same snapshot
