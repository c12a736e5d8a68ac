"""The pydantic mapper: topics, sealing, upcasting, aware UTC."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import ClassVar
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from pydantic import ValidationError

from ledger import events as ev
from ledger.keys import FORGOTTEN
from ledger.mapper import LedgerMapper

NOW = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)


class FakeKeys:
    """Hand-written key store: a dict."""

    def __init__(self, keys=None):
        self.keys = keys or {}

    def get(self, subject_id):
        return self.keys.get(subject_id)

    def create(self, subject_id):
        return self.keys.setdefault(subject_id, bytes(range(32)))


def contact_registered(originator_id, **fields):
    base = dict(originator_id=originator_id, originator_version=1, timestamp=NOW, id="c1", handle="acme/jane",
                occurred_at=NOW, recorded_by="tester", name="Jane Doe", title="CTO")
    return ev.ContactRegistered(**(base | fields))


class InteractionRecordedV2(ev.InteractionRecorded):
    """A later version of an event that added a field; old records are upcast."""

    class_version: ClassVar[int] = 2
    minutes: int

    @staticmethod
    def upcast_v1_v2(state: dict) -> None:
        state["minutes"] = 0


def test_personal_fields_are_sealed_with_the_contacts_key_and_come_back():
    subject = uuid4()
    mapper = LedgerMapper(FakeKeys({subject: bytes(32)}))
    stored = mapper.to_stored_event(contact_registered(subject))
    state = json.loads(stored.state)
    assert "name" not in state and "title" not in state and b"Jane" not in stored.state
    assert stored.ref == "c1" and stored.topic == "ledger.events:ContactRegistered"
    assert mapper.to_domain_event(stored) == contact_registered(subject)


def test_a_subject_without_a_key_is_stored_in_clear():
    account = ev.AccountRegistered(originator_id=uuid4(), originator_version=1, timestamp=NOW, id="a1",
                                   handle="acme", occurred_at=NOW, recorded_by="t", name="Acme Corp")
    assert b"Acme Corp" in LedgerMapper(FakeKeys()).to_stored_event(account).state


def test_a_destroyed_key_loads_the_event_redacted():
    subject = uuid4()
    keys = FakeKeys({subject: bytes(32)})
    stored = LedgerMapper(keys).to_stored_event(contact_registered(subject))
    keys.keys[subject] = FORGOTTEN
    loaded = LedgerMapper(keys).to_domain_event(stored)
    assert (loaded.name, loaded.title, loaded.redacted, loaded.handle) == (None, None, True, "acme/jane")


def test_old_versions_of_an_event_are_upcast_on_load():
    v1 = {"timestamp": NOW.isoformat(), "id": "i1", "handle": "acme/jane", "occurred_at": NOW.isoformat(),
          "recorded_by": "t", "kind": "call", "direction": "outbound", "outcome": None, "note": None, "tags": []}
    topic = f"{__name__}:InteractionRecordedV2"
    stored = StoredEvent(originator_id=uuid4(), originator_version=2, topic=topic, state=json.dumps(v1).encode())
    event = LedgerMapper(FakeKeys()).to_domain_event(stored)
    assert isinstance(event, InteractionRecordedV2) and event.minutes == 0


def test_new_events_record_their_class_version():
    event = InteractionRecordedV2(originator_id=uuid4(), originator_version=2, timestamp=NOW, id="i1", handle="a",
                                  occurred_at=NOW, recorded_by="t", kind="call", minutes=5)
    assert json.loads(LedgerMapper(FakeKeys()).to_stored_event(event).state)["class_version"] == 2


def test_naive_datetimes_are_refused_and_offsets_become_utc():
    with pytest.raises(ValidationError):
        contact_registered(uuid4(), occurred_at=datetime(2026, 3, 1, 12))
    event = contact_registered(uuid4(), occurred_at="2026-03-01T14:00:00+02:00")
    assert event.occurred_at == NOW and event.occurred_at.tzinfo == timezone.utc


def test_a_sealed_versioned_event_stores_what_model_dump_says_and_comes_back():
    subject = uuid4()
    mapper = LedgerMapper(FakeKeys({subject: bytes(32)}))
    event = InteractionRecordedV2(originator_id=subject, originator_version=2, timestamp=NOW, id="i1", handle="a/b",
                                  occurred_at=NOW, recorded_by="t", kind="call", note="Café — 東京", tags=("x",),
                                  minutes=5)
    state = json.loads(mapper.to_stored_event(event).state)
    expected = event.model_dump(mode="json", exclude={"originator_id", "originator_version", "redacted", "note", "tags"})
    sealed = state.pop("_sealed")
    assert state.pop("class_version") == 2 and sealed.startswith("v2:") and set(sealed[3:]) <= set("0123456789abcdef")
    assert state == expected
    assert mapper.to_domain_event(mapper.to_stored_event(event)) == event


def test_mapper_hands_the_idempotency_digest_to_the_stored_event_once():
    mapper = LedgerMapper(FakeKeys())
    event = contact_registered(uuid4())
    mapper.digests[event.id] = "d1"
    assert mapper.to_stored_event(event).digest == "d1"
    assert mapper.to_stored_event(event).digest is None and not mapper.digests
