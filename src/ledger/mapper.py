"""Converts pydantic events to eventsourcing's StoredEvent and back.

eventsourcing 9.5's wheel has no pydantic support, so this mapper does what its Mapper
does (topics, ``class_version``, ``upcast_vN_vN+1``) for pydantic models, and seals each
event's PERSONAL fields with the subject's key, bound to the event (ADRs 0006, 0015): a
blob that cannot be opened loads as an event with its personal fields empty, ``redacted``,
and its id in ``unreadable``, never an exception. The event id and the
idempotency digest ride along on the StoredEvent for the recorder's id index; the
application hands the digest over in ``digests`` (a private attribute on every event
would cost each model construction several microseconds). An event is stored from its
``Parts`` (clear body, personal fields' JSON, timestamp), which an import makes once, in its
validation pass, and spools for the write pass.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic, resolve_topic
from pydantic_core import to_json as pydantic_json

from ledger.errors import ContactForgottenError, LedgerError
from ledger.events import LedgerEvent, RecordedEvent
from ledger.identity import subject_id
from ledger.keys import DAMAGED, FORGOTTEN, Unopenable, associated, seal
from ledger.sealing import open_layers, others, seal_layers

SEALED = "_sealed"
STORE_EXCLUDED = {"originator_id", "originator_version", "redacted"}  # the stored event's own columns, or set on load


@dataclass(frozen=True)
class IndexedStoredEvent(StoredEvent):
    """A StoredEvent that also carries the event's id and idempotency digest."""

    ref: str | None = None
    digest: str | None = None


class LedgerMapper(Mapper):
    """Pydantic events and snapshots to stored JSON, with per-contact sealing."""

    def __init__(self, keys: Any):
        self.keys = keys
        self.digests: dict[str, str] = {}  # event id -> idempotency digest, until the event is stored
        self.unreadable: dict[str, str] = {}  # event id -> why its sealed fields could not be opened
        self.transcoder = self.compressor = self.cipher = None

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        """Serialise (straight to JSON, in pydantic's Rust core), seal personal fields, and
        attach the id for the index."""
        if not isinstance(domain_event, RecordedEvent):  # a snapshot: stored as it is
            body = domain_event.__pydantic_serializer__.to_json(domain_event, exclude=STORE_EXCLUDED)
            return StoredEvent(originator_id=domain_event.originator_id, originator_version=domain_event.originator_version,
                               topic=get_topic(type(domain_event)), state=_with(body, _version_extra(type(domain_event))))
        return self.assemble(parts_of(domain_event), b"", self.digests.pop(domain_event.id, None))

    def assemble(self, parts: Parts, timestamp: bytes, digest: str | None) -> IndexedStoredEvent:
        """The stored event from its parts: personal fields sealed, the timestamp (``parts``'
        own, else ``timestamp``, already JSON) and the class version added to the clear body."""
        extra = b'"timestamp":' + (parts.timestamp or timestamp)
        if parts.plain is not None:
            sealed = self._seal(parts)
            extra += b',"%s":"%s"' % (SEALED.encode(), sealed.encode())
        return IndexedStoredEvent(originator_id=parts.stream, originator_version=parts.version, topic=get_topic(parts.cls),
                                  state=_with(parts.body, extra + _version_extra(parts.cls)), ref=parts.id, digest=digest)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        """Load, unseal (or redact when forgotten), upcast, validate."""
        cls = resolve_topic(stored_event.topic)
        state = json.loads(stored_event.state)
        if SEALED in state:
            self._unseal(cls, stored_event, state)
        from_version = state.pop("class_version", 1)
        while from_version < getattr(cls, "class_version", 1):
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
            from_version += 1
        state["originator_id"] = stored_event.originator_id
        state["originator_version"] = stored_event.originator_version
        if state.get("id") not in self.unreadable:
            return cls.model_validate(state)
        return _validate_unreadable(cls, state)

    def _seal(self, parts: Parts) -> str:
        """The personal fields sealed with the subject's key, and, for an interaction with
        several contacts, with every other named contact's key in turn (ADR 0017)."""
        key, ad = self._key(parts.stream, parts.handle), associated(parts.stream, parts.version, parts.id)
        if parts.named:
            return seal_layers([key] + [self._key(subject_id(h), h) for h in parts.named], parts.plain, ad)
        return seal(key, parts.plain, ad)

    def _key(self, stream: Any, handle: str | None) -> bytes:
        """The key to seal an event's personal fields with (made now for a subject without one)."""
        key = self.keys.get(stream)
        if key is None:  # an account from before account keys, or an imported one
            key = self.keys.create(stream)
        if key == FORGOTTEN:
            raise ContactForgottenError(handle)
        if key == DAMAGED:
            raise LedgerError(f"handle: the stored key of '{handle}' is damaged; nothing more can be sealed for "
                              "it (run 'relledger verify')")
        return key

    def _unseal(self, cls: type, stored: StoredEvent, state: dict) -> None:
        key = self.keys.get(stored.originator_id)
        blob = state.pop(SEALED)
        if key and key != FORGOTTEN:
            ad = associated(stored.originator_id, stored.originator_version, str(state.get("id")))
            try:
                fields = open_layers(self.keys.get, key, blob, ad, others(state))
                if fields is not None:
                    state.update(fields)
                    return
            except Unopenable as exc:
                self.unreadable[str(state.get("id"))] = str(exc)
        state.update({f: None for f in cls.PERSONAL})
        state["redacted"] = True


class Parts(NamedTuple):
    """An event as its stored bytes before sealing: the clear JSON body (without the
    timestamp and the personal fields) and the personal fields' JSON (None: nothing sealed).
    The import spools these, so the write pass neither parses nor serialises an event."""

    cls: type
    stream: UUID
    version: int
    id: str
    handle: str | None
    timestamp: bytes  # JSON; b"": stamped when written
    body: bytes
    plain: bytes | None
    named: tuple[str, ...] = ()  # the other contacts an interaction names (their keys seal it too)

    def event(self, timestamp: bytes) -> RecordedEvent:
        """The event itself again (to decide it afresh)."""
        data = json.loads(self.body) | (json.loads(self.plain) if self.plain is not None else {})
        data.update(originator_id=self.stream, originator_version=self.version,
                    timestamp=json.loads(self.timestamp or timestamp))
        return self.cls.model_validate(data)


_EXCLUDED: dict[type, tuple[set, set | None]] = {}


def parts_of(event: RecordedEvent, timestamp: bool = True) -> Parts:
    """The event's parts (``timestamp`` False: left to be stamped when written)."""
    cls = type(event)
    if cls not in _EXCLUDED:
        personal = set(cls.PERSONAL) if isinstance(event, LedgerEvent) and cls.PERSONAL else None
        _EXCLUDED[cls] = (STORE_EXCLUDED | {"timestamp"} | (personal or set()), personal)
    exclude, personal = _EXCLUDED[cls]
    to_json = event.__pydantic_serializer__.to_json
    return Parts(cls, event.originator_id, event.originator_version, event.id, getattr(event, "handle", None),
                 pydantic_json(event.timestamp) if timestamp else b"", to_json(event, exclude=exclude),
                 to_json(event, include=personal) if personal else None, tuple(getattr(event, "contacts", ())[1:]))


_VERSION_EXTRA: dict[type, bytes] = {}


def _version_extra(cls: type) -> bytes:
    if cls not in _VERSION_EXTRA:
        _VERSION_EXTRA[cls] = b',"class_version":%d' % cls.class_version if getattr(cls, "class_version", 1) > 1 else b""
    return _VERSION_EXTRA[cls]


def _with(body: bytes, extra: bytes) -> bytes:
    """The JSON object ``body`` with ``extra`` (members, comma-separated) added."""
    extra = extra.removeprefix(b",")
    if not extra:
        return body
    return body[:-1] + b"," + extra + b"}" if len(body) > 2 else b"{" + extra + b"}"


def _validate_unreadable(cls: type, state: dict) -> Any:
    """An event whose sealed fields did not open: validated with stand-ins for the personal
    text its class requires, which are then emptied."""
    from pydantic import ValidationError

    try:
        return cls.model_validate(state)
    except ValidationError as exc:
        required = {e["loc"][0] for e in exc.errors() if e["loc"] and e["loc"][0] in cls.PERSONAL}
        if not required:
            raise
    stand_ins = dict.fromkeys(required, "-")
    return cls.model_validate(state | stand_ins).model_copy(update=dict.fromkeys(stand_ins))
