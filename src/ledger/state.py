"""What ``decide`` reads: the ledger as stored, plus what was decided earlier in the same run.

One ``LedgerState`` serves one command, one import pass, or one write attempt; after a
conflicting write it is thrown away and the batch decided again on a fresh one, so the
rules always judge what is really in the ledger (ADR 0012).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from ledger import events as ev
from ledger.domain import Subject, mutate, project_subject
from ledger.facts import TOPIC_TYPES
from ledger.identity import FRAMEWORK_STREAM, subject_id
from ledger.keys import FORGOTTEN

_CONTENT = {"originator_id", "originator_version", "timestamp", "recorded_by", "redacted"}


class Known(NamedTuple):
    """An event id in the ledger or decided earlier in this run: its type, stream, and content."""

    type: str
    stream: UUID
    digest: str | None  # the stored idempotency digest (None for old rows)
    pending: int | None = None  # fingerprint of an event decided in this run, not yet stored


class LedgerState:
    """Subjects and event ids, read once from the ledger and updated by ``apply``."""

    def __init__(self, app: Any):
        self.app = app
        self.subjects: dict[UUID, Subject | None] = {}
        self.ids: dict[str, Known | None] = {}
        self.cadence: dict[UUID, int] = {}
        self.framework: int | None = None

    def prefetch(self, event_ids: list[str]) -> None:
        """Look up, in one query, the ids these commands name or refer to."""
        wanted = [i for i in set(event_ids) if isinstance(i, str) and i not in self.ids]
        found = self.app.recorder.select_refs(wanted)
        for event_id in wanted:
            ref = found.get(event_id)
            self.ids[event_id] = ref and Known(TOPIC_TYPES.get(ref.topic.rpartition(":")[2], "?"), ref.originator_id, ref.digest)

    def subject(self, handle: str) -> Subject | None:
        return self.subject_by_id(subject_id(handle))

    def subject_by_id(self, stream: UUID) -> Subject | None:
        if stream not in self.subjects:
            try:
                self.subjects[stream] = self.app.repository.get(stream, projector_func=project_subject)
            except AggregateNotFoundError:
                self.subjects[stream] = None
        return self.subjects[stream]

    def known(self, event_id: str) -> Known | None:
        """The id's type and stream, or None when no event has it."""
        if event_id not in self.ids:
            self.prefetch([event_id])
        return self.ids[event_id]

    def stored(self, event_id: str) -> ev.RecordedEvent:
        """The stored event with this id (personal fields unsealed, or redacted)."""
        ref = self.app.recorder.select_ref(event_id)
        return next(iter(self.app.events.get(ref.originator_id, gt=ref.originator_version - 1, lte=ref.originator_version)))

    def framework_version(self) -> int:
        if self.framework is None:
            last = self.app.recorder.select_events(FRAMEWORK_STREAM, desc=True, limit=1)
            self.framework = last[0].originator_version if last else 0
        return self.framework

    def review_every(self, handle: str) -> int:
        """The cadence of the account's latest review (3 months before the first)."""
        stream = subject_id(handle)
        if stream not in self.cadence:
            reviews = [e for e in self.app.events.get(stream) if isinstance(e, ev.ReviewHeld)]
            self.cadence[stream] = reviews[-1].every_months if reviews else 3
        return self.cadence[stream]

    def digest(self, event: ev.RecordedEvent) -> str:
        """The idempotency digest of the event's content (keyed with the contact's key, if any)."""
        return stored_digest(self.app.keys, event)

    def apply(self, event: ev.RecordedEvent) -> None:
        """Take a decided event into account for the commands that follow."""
        self.ids[event.id] = Known(event.type, event.originator_id, None, fingerprint(event))
        if event.originator_id == FRAMEWORK_STREAM:
            self.framework = event.originator_version
            return
        self.subjects[event.originator_id] = mutate(self.subject_by_id(event.originator_id), event)
        if isinstance(event, ev.ReviewHeld):
            self.cadence[event.originator_id] = event.every_months


def fingerprint(event: ev.RecordedEvent) -> int:
    """What makes two events the same command: type, stream, when it happened, the fields."""
    return hash((event.type, event.originator_id, event.__pydantic_serializer__.to_json(event, exclude=_CONTENT)))


def stored_digest(keys: Any, event: ev.RecordedEvent) -> str:
    """Stored with each event: an HMAC (the contact's key) or SHA-256 of its content."""
    secret = keys.get(event.originator_id)
    secret = secret if secret and secret != FORGOTTEN else None
    data = event.type.encode() + b"\0" + event.__pydantic_serializer__.to_json(event, exclude=_CONTENT)
    return hmac.new(secret, data, hashlib.sha256).hexdigest() if secret else hashlib.sha256(data).hexdigest()
