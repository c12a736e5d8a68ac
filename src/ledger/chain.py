"""The hash chain over stored events (ADR 0015).

Every stored event gets a row in ``event_chain``: its notification position, its sequence
number in the chain (1, 2, 3, ... with no gaps) and a SHA-256 digest over the previous
event's digest, that sequence number and the event's stored bytes (stream, version, topic
and the stored JSON, whose personal fields are ciphertext: ``forget`` changes no stored
byte, so it keeps the chain valid). The rows are written by the recorder in the same
transaction as the events, under the write lock, so concurrent writers chain in
notification order. Only the standard library is imported here.
"""

from __future__ import annotations

from hashlib import sha256 as _sha256
from typing import Any, Iterable, NamedTuple
from uuid import UUID

GENESIS = bytes(32)  # the "previous digest" of the first event
LINK_FORMAT = b"%s%d\x00%s\x00%d\x00%s\x00%s"  # previous digest, seq, stream, version, topic, stored JSON
CHAIN_TABLE = "event_chain"


_STREAMS: dict[int, tuple[str, bytes]] = {}  # stream's int -> its hex: UUID.hex, hash and == are Python code


def _stream(originator_id: UUID) -> tuple[str, bytes]:
    found = _STREAMS.get(originator_id.int)
    if found is None:
        if len(_STREAMS) >= 100_000:
            _STREAMS.clear()
        text = originator_id.hex
        found = _STREAMS[originator_id.int] = (text, text.encode())
    return found


def stream_text(originator_id: Any) -> str:
    """The stream id as SQLite stores it and as the chain and the sealing's associated data
    hash it: hex (PostgreSQL's uuid column gives a UUID, taken as its hex, so both agree)."""
    return _stream(originator_id)[0] if type(originator_id) is UUID else str(originator_id)


def stream_bytes(originator_id: Any) -> bytes:
    """``stream_text`` as bytes."""
    return _stream(originator_id)[1] if type(originator_id) is UUID else str(originator_id).encode()


def link(previous: bytes, seq: int, originator_id: Any, version: int, topic: str, state: bytes) -> bytes:
    """The digest of one event, chained to the one before it."""
    return _sha256(LINK_FORMAT % (previous, seq, stream_bytes(originator_id), version, topic.encode(), state)).digest()


def chain_rows(previous: tuple[int, bytes], positioned: Iterable[tuple[int, Any]]) -> list[tuple[int, int, bytes]]:
    """(position, seq, digest) rows for stored events at their notification positions,
    following ``previous`` (the last row's seq and digest; (0, GENESIS) for none)."""
    seq, digest = previous
    rows = []
    for position, s in positioned:  # link(), inlined: this runs for every event written
        seq += 1
        digest = _sha256(LINK_FORMAT % (digest, seq, stream_bytes(s.originator_id), s.originator_version,
                                    s.topic.encode(), s.state)).digest()
        rows.append((position, seq, digest))
    return rows


def last_link(cursor: Any) -> tuple[int, bytes]:
    """The chain's last (seq, digest), read with the write lock held."""
    cursor.execute(f"SELECT seq, digest FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1")
    row = cursor.fetchone()
    if row is None:
        return 0, GENESIS
    seq, digest = (row["seq"], row["digest"]) if isinstance(row, dict) or hasattr(row, "keys") else row
    return seq, bytes(digest)


class StoredRow(NamedTuple):
    """A stored event as read back for chaining or verifying."""

    originator_id: Any
    originator_version: int
    topic: str
    state: bytes
