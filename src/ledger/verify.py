"""``relledger verify``: walk the chain and the events, and name the first that is wrong.

Reads through the read side's database handle (``ledger.db``): no event machinery. Each
event is checked against its chain row (present, next in sequence, digest recomputed from
the stored bytes); each sealed blob is opened with its subject's key and the event's
associated data (ADR 0015). Events of forgotten contacts have no key and are not damage.
"""

from __future__ import annotations

import json
from binascii import unhexlify
from hashlib import sha256
from dataclasses import dataclass, field
from typing import Any, Callable

from ledger.chain import CHAIN_TABLE, GENESIS, LINK_FORMAT, link, stream_bytes


@dataclass
class Verdict:
    """What a walk found: how many events, the head, and the first problem (if any)."""

    events: int = 0
    head: str | None = None
    problem: dict | None = None
    kept_head: dict | None = None
    seen: set = field(default_factory=set, repr=False)

    @property
    def ok(self) -> bool:
        return self.problem is None and (self.kept_head is None or self.kept_head["found"])

    def report(self) -> dict:
        data = {"ok": self.ok, "events": self.events, "head": self.head, "problem": self.problem}
        if self.kept_head is not None:
            data["kept_head"] = self.kept_head
        return data


def head(db) -> str | None:
    """The chain's newest digest (hex), or None (no events yet, or a ledger not yet chained)."""
    if not db.exists(CHAIN_TABLE):
        return None
    rows = db.query(f"SELECT digest FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1")
    return bytes(rows[0][0]).hex() if rows else None


def key_location(db) -> str | None:
    """Where the ledger key is looked for (without reading it): RELLEDGER_KEY or its file."""
    import os

    from ledger.ledgerkey import ENV_KEY, key_path, meta

    ledger_id = meta(db.query).get("ledger_id")
    if ledger_id is None:
        return None
    return ENV_KEY if os.environ.get(ENV_KEY) else key_path(ledger_id)


def verify(db, opener: Callable[[Any, int, dict], str | None], kept: str | None = None, page: int = 5000) -> Verdict:
    """Walk every event in notification order; stop at the first problem. ``opener(stream,
    version, state)`` returns why a sealed blob cannot be opened, or None."""
    verdict, kept_bytes = Verdict(), _kept(kept)
    if kept is not None:
        verdict.kept_head = {"digest": kept, "found": False}
    if not db.exists(CHAIN_TABLE):
        verdict.problem = {"position": None, "id": None, "what": "has no chain yet (the next record command adds it)"}
        return verdict
    orphans = [r[0] for r in db.query(_ORPHANS.format(e=db.events, p=db.position))]
    seq, digest, start = 0, GENESIS, 0
    while verdict.problem is None:
        rows = db.query(_WALK.format(e=db.events, p=db.position), (start, page))
        if not rows:
            break
        seq, digest = _page(verdict, rows, seq, digest, orphans, opener, kept_bytes)
        start = rows[-1][0]
    if verdict.problem is None and orphans:
        verdict.problem = {"position": orphans[0], "id": None, "what": "was deleted (its chain entry remains)"}
    verdict.head = digest.hex() if seq else None
    return verdict


def _page(verdict: Verdict, rows: list, seq: int, digest: bytes, orphans: list, opener, kept: bytes | None):
    """Check a page of rows: a lean loop for the sound ones, ``_check`` to say what is wrong."""
    for row in rows:
        position, stream, version, topic, state, chained_seq, chained = row
        sound = type(state) is bytes and type(topic) is str and chained_seq == seq + 1 and not (orphans and orphans[0] < position)
        mine = sha256(LINK_FORMAT % (digest, seq + 1, stream_bytes(stream), version, topic.encode(), state)).digest() \
            if sound else None  # link(), inlined: the hot loop
        if not sound or mine != chained or (b'"_sealed"' in state and opener(stream, version, state)):
            problem, seq, digest = _check(row, seq, digest, orphans, opener)
            if problem:
                verdict.problem = problem
                break
        else:
            seq, digest = seq + 1, mine
        verdict.events += 1
        if digest == kept:
            verdict.kept_head.update(found=True, position=position, events=verdict.events)
    return seq, digest


_WALK = ("SELECT e.{p}, e.originator_id, e.originator_version, e.topic, e.state, c.seq, c.digest FROM {e} e "
         f"LEFT JOIN {CHAIN_TABLE} c ON c.position = e.{{p}} WHERE e.{{p}} > ? ORDER BY e.{{p}} LIMIT ?")
_ORPHANS = (f"SELECT c.position FROM {CHAIN_TABLE} c LEFT JOIN {{e}} e ON e.{{p}} = c.position "
            "WHERE e.{p} IS NULL ORDER BY c.position")


def _check(row, seq: int, digest: bytes, orphans: list, opener) -> tuple[dict | None, int, bytes]:
    position, stream, version, topic, state, chained_seq, chained = row
    state = state.encode() if isinstance(state, str) else bytes(state)  # SQL may have left text behind
    if orphans and orphans[0] < position:
        return {"position": orphans[0], "id": None, "what": "was deleted (its chain entry remains)"}, seq, digest
    if chained_seq is None:
        return _at(position, state, "was inserted (it is not in the chain)"), seq, digest
    if chained_seq != seq + 1:
        what = "follows deleted events" if chained_seq > seq + 1 else "is out of sequence (moved or inserted)"
        return _at(position, state, f"{what}: chain entry {chained_seq} where {seq + 1} was expected"), seq, digest
    try:
        mine = link(digest, seq + 1, stream, version, topic, state)
        sound = isinstance(chained, (bytes, memoryview)) and mine == bytes(chained)
    except (TypeError, ValueError, AttributeError):  # SQL left a column of the wrong type: not what was stored
        sound = False
    if not sound:
        return _at(position, state, "was changed or moved (its digest does not match its stored bytes)"), seq, digest
    if b'"_sealed"' in state and (why := opener(stream, version, state)):
        return _at(position, state, f"has sealed fields that cannot be opened ({why})"), seq + 1, mine
    return None, seq + 1, mine


def _at(position: int, state: bytes, what: str) -> dict:
    return {"position": position, "id": _event_id(state), "what": what}


def opener(keys) -> Callable[[Any, int, bytes], str | None]:
    """Why a stored event's sealed blob cannot be opened with its subject's key and the
    event's associated data, or None (also for a forgotten subject: its key is gone). The
    tag is checked; the plain text is not decoded (the hot loop of a verify)."""
    from uuid import UUID

    from ledger.keys import FORGOTTEN, Unopenable, _cipher, associated

    subjects: dict[Any, tuple[bytes, Any]] = {}  # stream -> (associated data's prefix, key, cipher)
    keys.load_all()

    def subject(stream: Any) -> tuple:
        sid = stream if isinstance(stream, UUID) else UUID(str(stream))
        key = keys.get(sid)
        return associated(sid, 0, "")[:-2], key, _cipher(key) if key and len(key) == 32 else None

    def why(stream: Any, version: int, state: bytes) -> str | None:
        prefix, key, cipher = subjects.get(stream) or subjects.setdefault(stream, subject(stream))
        if key == FORGOTTEN:
            return None
        parts = _sealed_parts(state)
        try:
            if parts is None or cipher is None:
                return _slow(key, prefix, version, state)
            raw = unhexlify(parts[1])
            cipher.decrypt(raw[:12], raw[12:], b"%s%d/%s" % (prefix, version, parts[0]))
        except Unopenable as exc:
            return str(exc)
        except Exception as exc:  # InvalidTag, or not hex, too short
            return "damaged or moved" if type(exc).__name__ == "InvalidTag" else "not a sealed blob"
        return None

    return why


def _slow(key: bytes | None, prefix: bytes, version: int, state: bytes) -> str | None:
    """The blob check for a state not in the mapper's shape (or an old or damaged key)."""
    from pydantic_core import from_json

    from ledger.keys import opened

    try:
        fields = from_json(state)
        event_id, blob = str(fields["id"]).encode(), fields["_sealed"]
    except (ValueError, KeyError, TypeError):
        return "its stored JSON does not read"
    if key is None:
        return "its subject has no key"
    opened(key, blob, b"%s%d/%s" % (prefix, version, event_id))
    return None


def _sealed_parts(state: bytes) -> tuple[bytes, bytes] | None:
    """The id and the hex of a 'v2:' blob, found in the stored bytes without decoding them
    all (a quote inside a JSON string is escaped, so '"id":"' can only be a key); None when
    the state is not in the mapper's one-key-each shape, to be decoded in full instead."""
    i, j = state.find(b'"id":"'), state.find(b'"_sealed":"v2:')
    if i < 0 or j < 0 or state.find(b'"id":"', i + 1) >= 0 or state.find(b'"_sealed":', j + 1) >= 0:
        return None
    i, j = i + 6, j + 14
    return state[i:state.index(b'"', i)], state[j:state.index(b'"', j)]


def _event_id(state: bytes) -> str | None:
    try:
        found = json.loads(state).get("id")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None


def _kept(kept: str | None) -> bytes | None:
    if kept is None:
        return None
    try:
        value = bytes.fromhex(kept.strip())
    except ValueError:
        value = b""
    if len(value) != 32:
        from ledger.errors import InvalidInputError

        raise InvalidInputError("head", "not a digest: give the 64 hex characters 'status' printed as the head")
    return value
