"""Per-contact encryption keys: the means of crypto-shredding (ADR 0006).

A contact's personal fields are sealed with its own AES-256-GCM key. ``forget``
overwrites the key with NULL (a tombstone, so later writes cannot fall back to clear
text) under ``PRAGMA secure_delete`` and truncates the WAL, leaving only ciphertext.
"""

from __future__ import annotations

import json
import os
from typing import Any
from uuid import UUID

FORGOTTEN = b""  # what ``get`` returns for a contact whose key was destroyed


class SQLiteKeyStore:
    """Keys in the ``contact_keys`` table of the ledger's own SQLite file."""

    P = "?"  # the driver's placeholder

    def __init__(self, datastore: Any):
        self.datastore = datastore
        self._cache: dict[UUID, bytes | None] = {}

    def get(self, subject_id: UUID) -> bytes | None:
        """The key; None when the subject has none (accounts); FORGOTTEN once destroyed."""
        if subject_id not in self._cache:
            with self.datastore.transaction(commit=False) as c:
                c.execute(f"SELECT key FROM contact_keys WHERE originator_id={self.P}", (subject_id.hex,))
                row = c.fetchone()
            key = None if row is None else (row["key"] if isinstance(row, dict) else row[0])
            self._cache[subject_id] = None if row is None else (bytes(key) if key else FORGOTTEN)
        return self._cache[subject_id]

    def create(self, subject_id: UUID) -> bytes:
        """Make a key for a new contact (kept if one exists already)."""
        self.create_many([subject_id])
        return self.get(subject_id)

    def create_many(self, subject_ids: list[UUID]) -> None:
        """Make keys for many new contacts in one transaction (existing keys are kept)."""
        with self.datastore.transaction(commit=True) as c:
            c.executemany(f"INSERT INTO contact_keys VALUES ({self.P}, {self.P}) ON CONFLICT DO NOTHING",
                          [(s.hex, os.urandom(32)) for s in subject_ids])
        for subject in subject_ids:
            self._cache.pop(subject, None)

    def destroy(self, subject_id: UUID) -> None:
        """Overwrite the key with NULL for good, then erase what the database kept of it."""
        _CIPHERS.pop(self._cache.get(subject_id), None)
        self._before_destroy()
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"UPDATE contact_keys SET key=NULL WHERE originator_id={self.P}", (subject_id.hex,))
        self._erase_leftovers()
        self._cache[subject_id] = FORGOTTEN

    def _before_destroy(self) -> None:
        with self.datastore.get_connection(commit=True) as conn:
            conn.cursor().execute("PRAGMA secure_delete=ON")  # zero the freed bytes

    def _erase_leftovers(self) -> None:
        with self.datastore.get_connection(commit=True) as conn:
            conn.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no old copy left in the WAL


class PostgresKeyStore(SQLiteKeyStore):
    """Keys in the ``contact_keys`` table of a PostgreSQL ledger.

    PostgreSQL has no secure_delete: the UPDATE leaves the old row version behind until a
    vacuum, so ``destroy`` runs ``VACUUM FULL contact_keys`` (which rewrites the table)
    with autocommit on. Copies in PostgreSQL's WAL segments last until they are recycled
    (ADR 0006).
    """

    P = "%s"

    def _before_destroy(self) -> None:
        pass

    def _erase_leftovers(self) -> None:
        with self.datastore.get_connection() as conn:
            conn.commit()
            conn.autocommit = True
            try:
                conn.execute("VACUUM FULL contact_keys")
            finally:
                conn.autocommit = False


_CIPHERS: dict[bytes, Any] = {}  # key -> AESGCM: setting one up costs twice an encryption


def _cipher(key: bytes) -> Any:
    cipher = _CIPHERS.get(key)
    if cipher is None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if len(_CIPHERS) >= 20_000:
            _CIPHERS.clear()
        cipher = _CIPHERS[key] = AESGCM(key)
    return cipher


def seal(key: bytes, plain: bytes) -> str:
    """Encrypt personal fields (their JSON object) as one AES-GCM blob: random 96-bit nonce
    and ciphertext, hex."""
    nonce = os.urandom(12)
    return (nonce + _cipher(key).encrypt(nonce, plain, None)).hex()


def unseal(key: bytes, blob: str) -> dict[str, Any]:
    """Decrypt what ``seal`` produced."""
    raw = bytes.fromhex(blob)
    return json.loads(_cipher(key).decrypt(raw[:12], raw[12:], None))
