"""Personal fields sealed for several subjects at once (ADR 0017): an interaction with several
contacts is sealed under each named contact's key in turn, the event's own subject's
outermost, so opening it takes every one of those keys and forgetting any one of the
contacts erases it, by the same key destruction as their own events (ADR 0006).

A layer's plain text is ``{"_sealed": INNER}``; the innermost holds the fields themselves.
"""

from __future__ import annotations

import json
from typing import Callable, Iterable
from uuid import UUID

from ledger.identity import subject_id
from ledger.keys import DAMAGED, FORGOTTEN, Unopenable, seal, unseal

LAYER = "_sealed"


def others(state: dict) -> list[UUID]:
    """The streams of the contacts named after the event's own subject (none for one contact)."""
    contacts = state.get("contacts") or ()
    return [subject_id(h) for h in contacts[1:]] if isinstance(contacts, (list, tuple)) else []


def seal_layers(keys: list[bytes], plain: bytes, ad: bytes) -> str:
    """``plain`` sealed under every key, the first outermost."""
    blob = seal(keys[-1], plain, ad)
    for key in reversed(keys[:-1]):
        blob = seal(key, json.dumps({LAYER: blob}).encode(), ad)
    return blob


def open_layers(key_of: Callable[[UUID], bytes | None], first: bytes, blob: str, ad: bytes,
                streams: Iterable[UUID]) -> dict | None:
    """The fields under every layer; None when a named contact's key is destroyed (forgotten);
    ``Unopenable`` when a layer is damaged or a key is missing or damaged."""
    fields = unseal(first, blob, ad)
    for stream in streams:
        inner = fields.get(LAYER)
        key = key_of(stream)
        if key == FORGOTTEN:
            return None
        if not isinstance(inner, str) or key is None or key == DAMAGED or len(fields) != 1:
            raise Unopenable("a layer for another contact is missing or damaged")
        fields = unseal(key, inner, ad)
    return fields
