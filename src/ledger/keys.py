"""Per-subject encryption keys: the means of crypto-shredding (ADRs 0006 and 0015).

A subject's personal fields (a contact's, and the free text on an account's stream) are
sealed with its own AES-256-GCM key, bound to their event by associated data (stream,
version, event id). The keys are stored wrapped by the ledger key, which lives outside the
database (``ledger.ledgerkey``). ``forget`` overwrites the wrapped key with NULL (a
tombstone, so later writes cannot fall back to clear text) and then erases what the
database files kept of it, or raises ``ErasureIncompleteError`` saying it could not yet.
"""

from __future__ import annotations

import json
import os
from binascii import unhexlify
import time
from typing import Any
from uuid import UUID

from ledger.chain import stream_bytes
from ledger.errors import ErasureIncompleteError

FORGOTTEN = b""  # what ``get`` returns for a subject whose key was destroyed
DAMAGED = b"damaged"  # what ``get`` returns for a stored key that does not unwrap
SEALED_V2 = "v2:"  # sealed with associated data; older blobs are bare hex, sealed without
_V2_PREFIXES = (SEALED_V2, SEALED_V2.encode())  # a blob as text, or as bytes cut from the stored JSON
ERASE_MARK = "erase:"  # ledger_meta rows naming subjects whose forgotten event exists, until the key is gone
FORGOTTEN_TOPICS = "%:ContactForgotten"  # the topic of the event that forgets a subject (LIKE pattern)
_UNREAD = object()  # a key not looked up yet (None is a looked-up "no key")
ERASE_TRIES, ERASE_WAIT = 4, 3.0  # attempts to erase the leftovers, and the lock wait of each (seconds)


class SQLiteKeyStore:
    """Wrapped keys in the ``contact_keys`` table of the ledger's own SQLite file."""

    P = "?"  # the driver's placeholder

    def __init__(self, datastore: Any):
        self.datastore = datastore
        self.ledger_key: bytes | None = None  # set by opening.unlock; None: a ledger from before wrapping
        self.key_file: str | None = None  # where the ledger key came from, when a file
        self._cache: dict[int, bytes | None] = {}  # by the UUID's int: a UUID hashes and compares in Python

    def get(self, subject_id: UUID) -> bytes | None:
        """The key; None when the subject has none yet; FORGOTTEN once destroyed."""
        found = self._cache.get(subject_id.int, _UNREAD)
        if found is _UNREAD:
            with self.datastore.transaction(commit=False) as c:
                c.execute(f"SELECT key FROM contact_keys WHERE originator_id={self.P}", (subject_id.hex,))
                row = c.fetchone()
            stored = None if row is None else (row["key"] if isinstance(row, dict) else row[0])
            found = None if row is None else unwrap(self.ledger_key, subject_id, stored)
            if found == FORGOTTEN and not self._forgotten(subject_id):
                found = DAMAGED  # a tombstone no forgotten event explains: the row was damaged
            self._cache[subject_id.int] = found
        return found

    def _forgotten(self, subject_id: UUID) -> bool:
        """Whether the subject's stream holds the event that forgot it."""
        from ledger.db import PostgresDB, SQLiteDB

        db = SQLiteDB if self.P == "?" else PostgresDB
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT 1 FROM {db.events} WHERE originator_id={self.P} AND topic LIKE {self.P} LIMIT 1",
                      (db.stream(subject_id), FORGOTTEN_TOPICS))
            return c.fetchone() is not None

    def create(self, subject_id: UUID) -> bytes:
        """Make a key for a new subject (kept if one exists already)."""
        self.create_many([subject_id])
        return self.get(subject_id)

    def create_many(self, subject_ids: list[UUID]) -> None:
        """Make keys for many new subjects in one transaction (existing keys are kept)."""
        with self.datastore.transaction(commit=True) as c:
            self._secure(c, True)
            c.executemany(f"INSERT INTO contact_keys VALUES ({self.P}, {self.P}) ON CONFLICT DO NOTHING",
                          [(s.hex, wrap(self.ledger_key, s, os.urandom(32))) for s in subject_ids])
            self._secure(c, False)
            stored = {}  # read back in the same transaction: a lost race keeps the winner's key
            for start in range(0, len(subject_ids), 500):
                chunk = [s.hex for s in subject_ids[start:start + 500]]
                c.execute(f"SELECT originator_id, key FROM contact_keys WHERE originator_id IN "
                          f"({', '.join([self.P] * len(chunk))})", chunk)
                stored.update(tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in c.fetchall())
        for subject in subject_ids:
            self._cache[subject.int] = unwrap(self.ledger_key, subject, stored[subject.hex]) if subject.hex in stored else _UNREAD

    def destroy(self, subject_id: UUID) -> None:
        """Overwrite the key with NULL for good, then erase what the database kept of it."""
        _CIPHERS.pop(self._cache.get(subject_id.int), None)
        with self.datastore.transaction(commit=True) as c:
            self._secure(c, True)
            c.execute(f"UPDATE contact_keys SET key=NULL WHERE originator_id={self.P}", (subject_id.hex,))
            self._secure(c, False)
        self._cache[subject_id.int] = FORGOTTEN
        self._erase_leftovers()
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"DELETE FROM ledger_meta WHERE name={self.P}", (ERASE_MARK + subject_id.hex,))

    def pending_erasures(self) -> list[UUID]:
        """Subjects whose forgotten event was written but whose key may not be gone (a crash)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT name FROM ledger_meta WHERE name >= {self.P} AND name < {self.P}", (ERASE_MARK, "erase;"))
            rows = c.fetchall()
        return [UUID((r["name"] if isinstance(r, dict) else r[0])[len(ERASE_MARK):]) for r in rows]

    def _secure(self, c: Any, on: bool) -> None:
        """Zero the bytes the key statements free (old key cells, split pages); only for
        them: the pooled connection goes on to write events, where it would cost."""
        c.execute(f"PRAGMA secure_delete={'ON' if on else 'OFF'}")

    def _erase_leftovers(self) -> None:
        """Checkpoint the WAL into the file and truncate it; a reader still using an older
        snapshot keeps the old page alive, so retry, then say the data is not erased yet."""
        import sqlite3

        conn = sqlite3.connect(self.datastore.pool.db_name, uri=True, timeout=ERASE_WAIT, isolation_level=None)
        try:
            for attempt in range(ERASE_TRIES):
                busy, log, done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                if busy == 0 and log == done:
                    return
                time.sleep(0.2 * attempt)
        finally:
            conn.close()
        raise ErasureIncompleteError("another process is reading the ledger, so the old key page is still in its "
                                     "write-ahead log")


class PostgresKeyStore(SQLiteKeyStore):
    """Wrapped keys in the ``contact_keys`` table of a PostgreSQL ledger.

    PostgreSQL has no secure_delete: the UPDATE leaves the old row version behind until a
    vacuum, so ``destroy`` runs ``VACUUM FULL contact_keys`` (which rewrites the table),
    with a lock timeout, and only once no other session holds a snapshot older than the
    UPDATE (a vacuum would have to keep the old row for it). Copies in PostgreSQL's WAL
    segments last until they are recycled (ADR 0006); they hold the key wrapped.
    """

    P = "%s"

    def _secure(self, c: Any, on: bool) -> None:
        pass

    def _erase_leftovers(self) -> None:
        with self.datastore.get_connection() as conn:
            conn.commit()
            conn.autocommit = True
            try:
                for attempt in range(ERASE_TRIES):
                    if self._vacuumed(conn):
                        return
                    time.sleep(0.2 * attempt)
            finally:
                conn.autocommit = False
        raise ErasureIncompleteError("another session holds a transaction that still sees the old key")

    @staticmethod
    def _vacuumed(conn: Any) -> bool:
        row = conn.execute("SELECT COUNT(*) AS n FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                           "AND datname = current_database() AND backend_type = 'client backend' "
                           "AND backend_xmin IS NOT NULL").fetchone()
        older = row["n"] if isinstance(row, dict) else row[0]
        if older:
            time.sleep(ERASE_WAIT / ERASE_TRIES)
            return False
        try:
            conn.execute(f"SET lock_timeout = '{int(ERASE_WAIT * 1000)}ms'")
            conn.execute("VACUUM FULL contact_keys")
            return True
        except Exception as exc:  # psycopg.errors.LockNotAvailable: a reader holds the table
            if "lock" not in str(exc).lower():
                raise
            return False
        finally:
            conn.execute("RESET lock_timeout")


# -- wrapping: per-subject keys under the ledger key ----------------------------------

WRAPPED = b"w1"  # wrapped keys start with this; 32 bytes alone are a key from before wrapping


def wrap(ledger_key: bytes | None, subject_id: UUID, key: bytes) -> bytes:
    """The subject key as stored: sealed under the ledger key, bound to the subject."""
    if ledger_key is None:
        return key
    nonce = os.urandom(12)
    return WRAPPED + nonce + _cipher(ledger_key).encrypt(nonce, key, subject_id.bytes)


def unwrap(ledger_key: bytes | None, subject_id: UUID, stored: Any) -> bytes:
    """The subject key from its stored form (FORGOTTEN for a tombstone)."""
    if not stored:
        return FORGOTTEN
    if not isinstance(stored, (bytes, bytearray, memoryview)):
        return DAMAGED  # a damaged row: text or a number where the key's bytes belong
    stored = bytes(stored)
    if len(stored) == 32:
        return stored
    if ledger_key is None or not stored.startswith(WRAPPED):
        return DAMAGED
    from cryptography.exceptions import InvalidTag

    try:
        return _cipher(ledger_key).decrypt(stored[2:14], stored[14:], subject_id.bytes)
    except (InvalidTag, ValueError):
        return DAMAGED


# -- sealing: personal fields under the subject key ----------------------------------

_CIPHERS: dict[bytes, Any] = {}  # key -> AESGCM: setting one up costs twice an encryption


def _cipher(key: bytes) -> Any:
    cipher = _CIPHERS.get(key)
    if cipher is None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if len(_CIPHERS) >= 20_000:
            _CIPHERS.clear()
        cipher = _CIPHERS[key] = AESGCM(key)
    return cipher


def associated(originator_id: Any, version: int, event_id: str) -> bytes:
    """The associated data binding a sealed blob to its event: stream, version, id."""
    return b"%s/%d/%s" % (stream_bytes(originator_id), version, event_id.encode())


def seal(key: bytes, plain: bytes, ad: bytes) -> str:
    """Encrypt personal fields (their JSON object) as one AES-GCM blob bound to ``ad``:
    'v2:' and the hex of a random 96-bit nonce and the ciphertext."""
    nonce = os.urandom(12)
    return SEALED_V2 + (nonce + _cipher(key).encrypt(nonce, plain, ad)).hex()


def unseal(key: bytes, blob: str, ad: bytes) -> dict[str, Any]:
    """Decrypt what ``seal`` produced (or a blob from before associated data, sealed
    without). Raises ``Unopenable`` when the blob is damaged, moved or not a blob."""
    try:
        fields = json.loads(opened(key, blob, ad))
    except ValueError:
        raise Unopenable("not a sealed blob") from None
    if not isinstance(fields, dict):
        raise Unopenable("not a sealed blob")
    return fields


def opened(key: bytes, blob: Any, ad: bytes) -> bytes:
    """The plain bytes of a sealed blob, its tag checked; or ``Unopenable``."""
    if key == DAMAGED:
        raise Unopenable("its subject's key is damaged")
    try:
        bound = blob[:3] in _V2_PREFIXES
        raw = unhexlify(blob[3:] if bound else blob)
        return (_CIPHERS.get(key) or _cipher(key)).decrypt(raw[:12], raw[12:], ad if bound else None)
    except Exception as exc:  # InvalidTag, or not hex, not a string, too short
        tampered = type(exc).__name__ == "InvalidTag"
        raise Unopenable("damaged or moved" if tampered else "not a sealed blob") from None


class Unopenable(Exception):
    """A sealed blob that cannot be opened with its subject's key and event."""


class ReadKeys:
    """Subject keys for the read side (a ``ledger.db`` handle), unwrapped with the ledger
    key; a subject with a pending erasure counts as forgotten already."""

    def __init__(self, db: Any):
        from ledger import ledgerkey

        self.db = db
        self.ledger_key, self.source = ledgerkey.find_key(ledgerkey.meta(db.query))
        self.marked = db.exists("ledger_meta")
        self._cache: dict[UUID, bytes | None] = {}

    def get(self, subject_id: UUID) -> bytes | None:
        if subject_id not in self._cache:
            rows = self.db.query("SELECT key FROM contact_keys WHERE originator_id=?", (subject_id.hex,))
            erasing = self.marked and self.db.query("SELECT 1 FROM ledger_meta WHERE name=?", (ERASE_MARK + subject_id.hex,))
            key = None if not rows else FORGOTTEN if erasing else unwrap(self.ledger_key, subject_id, rows[0][0])
            if key == FORGOTTEN and not erasing and not self._forgotten(subject_id):
                key = DAMAGED  # a tombstone no forgotten event explains: the row was damaged
            self._cache[subject_id] = key
        return self._cache[subject_id]

    def load_all(self) -> "ReadKeys":
        """Every subject's key in two queries (for a walk over the whole ledger)."""
        marked = {r[0] for r in self.db.query("SELECT name FROM ledger_meta WHERE name >= ? AND name < ?",
                                              (ERASE_MARK, "erase;"))} if self.marked else set()
        gone = {UUID(str(r[0])) for r in self.db.query(f"SELECT DISTINCT originator_id FROM {self.db.events} "
                                                        "WHERE topic LIKE ?", (FORGOTTEN_TOPICS,))}
        for stream, stored in self.db.query("SELECT originator_id, key FROM contact_keys"):
            subject = UUID(str(stream))
            forgotten = ERASE_MARK + subject.hex in marked
            key = FORGOTTEN if forgotten else unwrap(self.ledger_key, subject, stored)
            self._cache[subject] = DAMAGED if key == FORGOTTEN and subject not in gone else key
        return self

    def _forgotten(self, subject_id: UUID) -> bool:
        """Whether the subject's stream holds the event that forgot it."""
        return bool(self.db.query(f"SELECT 1 FROM {self.db.events} WHERE originator_id=? AND topic LIKE ? LIMIT 1",
                                  (self.db.stream(subject_id), FORGOTTEN_TOPICS)))

    def open(self, subject_id: UUID, version: int, state: dict, fields: tuple[str, ...]) -> dict:
        """The personal fields of a stored event's state: opened, or empty and marked
        ``redacted`` (forgotten) or ``unreadable`` (damaged or moved)."""
        if "_sealed" not in state:
            return {f: state.get(f) for f in fields}
        from ledger.sealing import open_layers, others  # several contacts: every one's key (ADR 0017)

        key = self.get(subject_id)
        try:
            ad = associated(subject_id, version, str(state.get("id")))
            if key and (opened := open_layers(self.get, key, state["_sealed"], ad, others(state))) is not None:
                return opened
        except Unopenable:
            return {**dict.fromkeys(fields), "redacted": True, "unreadable": True}
        return {**dict.fromkeys(fields), "redacted": True}


def read_keys(db: Any) -> ReadKeys:
    """The read-side keys of a database handle, made once per handle."""
    if getattr(db, "_read_keys", None) is None:
        db._read_keys = ReadKeys(db)
    return db._read_keys
