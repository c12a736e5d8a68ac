"""Converts pydantic events to eventsourcing's StoredEvent and back.

eventsourcing 9.5's wheel has no pydantic support, so this mapper does what its Mapper
does (topics, ``class_version``, ``upcast_vN_vN+1``) for pydantic models, and seals each
event's PERSONAL fields with the subject's key, bound to the event (ADRs 0006, 0015): a
blob that cannot be opened loads as an event with its personal fields empty, ``redacted``,
and its id in ``unreadable``, never an exception. The event id and the
idempotency digest ride along on the StoredEvent for the recorder's id index; the
application hands the digest over in ``digests`` (a private attribute on every event
would cost each model construction several microseconds).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic, resolve_topic

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
        cls = type(domain_event)
        sealed = self._seal(domain_event) if isinstance(domain_event, LedgerEvent) else None
        body = domain_event.__pydantic_serializer__.to_json(
            domain_event, exclude=_personal(cls)[1] if sealed else STORE_EXCLUDED)
        extra = b""
        if getattr(cls, "class_version", 1) > 1:
            extra += b',"class_version":%d' % cls.class_version
        if sealed:
            extra += b',"%s":"%s"' % (SEALED.encode(), sealed.encode())
        return IndexedStoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(cls),
            state=body[:-1] + extra + b"}" if len(body) > 2 else b"{" + extra[1:] + b"}",
            ref=getattr(domain_event, "id", None) if isinstance(domain_event, RecordedEvent) else None,
            digest=self.digests.pop(getattr(domain_event, "id", None), None),
        )

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

    def _seal(self, event: LedgerEvent) -> str | None:
        """The sealed blob of the event's personal fields; None when nothing is sealed."""
        if not event.PERSONAL:
            return None
        key = self._key(event.originator_id, event.handle)
        plain = event.__pydantic_serializer__.to_json(event, include=_personal(type(event))[0])
        ad = associated(event.originator_id, event.originator_version, event.id)
        if named := getattr(event, "contacts", ()):  # several contacts: every one's key is needed (ADR 0017)
            return seal_layers([key] + [self._key(subject_id(h), h) for h in named[1:]], plain, ad)
        return seal(key, plain, ad)

    def _key(self, stream: Any, handle: str) -> bytes:
        """The key to seal a subject's fields with, or the reason there is none."""
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


_PERSONAL: dict[type, tuple[set, set]] = {}


def _personal(cls: type) -> tuple[set, set]:
    """A class's personal fields, and what its stored clear JSON leaves out (built once)."""
    if cls not in _PERSONAL:
        _PERSONAL[cls] = (set(cls.PERSONAL), STORE_EXCLUDED | set(cls.PERSONAL))
    return _PERSONAL[cls]


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
