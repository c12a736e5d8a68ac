"""What happens when a ledger is opened for writing, before anything is written (ADR 0015).

- The ledger key is found (or, for a new ledger or one from before it, created) and the
  subject keys are wrapped with it.
- A ledger from before the chain is chained from its first event.
- A subject whose forgotten event exists but whose key survived (a crash between the two)
  loses its key now.

Each step runs under the write lock and re-checks inside it, so concurrent openers agree.
"""

from __future__ import annotations

import os
import uuid
from typing import Mapping

from ledger import ledgerkey


def prepare(app, env: Mapping[str, str] = os.environ) -> None:
    """Bring the ledger up to date and unlock its keys."""
    unlock(app, env)
    app.recorder.ensure_chained()
    for subject in app.keys.pending_erasures():
        app.keys.destroy(subject)


def unlock(app, env: Mapping[str, str] = os.environ) -> str:
    """Give the key store the ledger key, creating it first when the ledger has none; returns
    where the key is."""
    found = ledgerkey.meta(app.recorder._rows)
    if "ledger_id" not in found:
        with app.recorder.write_locked() as c:
            found = _meta(c)
            if "ledger_id" not in found:
                found = _first_key(c, app.recorder.P, env)
    app.keys.ledger_key, source = ledgerkey.find_key(found, env)
    app.keys.key_file = None if source == ledgerkey.ENV_KEY else source
    return source


def rotate(app, env: Mapping[str, str] = os.environ) -> tuple[str, bytes]:
    """Wrap every subject key with a new ledger key; returns where the new key is and the key.
    The new key file is written (as KEY.new) before the database changes, and renamed after."""
    source = unlock(app, env)
    found = ledgerkey.meta(app.recorder._rows)
    ledger_id, old = found["ledger_id"], app.keys.ledger_key
    new, staged = ledgerkey.new_key(ledger_id, env, suffix=".new")
    with app.recorder.write_locked() as c:
        _rewrap(c, app.recorder.P, old, new, ledger_id)
    final = ledgerkey.key_path(ledger_id, env)
    os.replace(staged, final)
    app.keys.ledger_key = new
    app.keys._cache.clear()
    return (final if source != ledgerkey.ENV_KEY else ledgerkey.ENV_KEY), new


def _meta(c) -> dict[str, str]:
    c.execute("SELECT name, value FROM ledger_meta WHERE name IN ('ledger_id', 'key_check')")
    return {(r["name"] if hasattr(r, "keys") else r[0]): (r["value"] if hasattr(r, "keys") else r[1]) for r in c.fetchall()}


def _first_key(c, p: str, env: Mapping[str, str]) -> dict[str, str]:
    """A ledger without a ledger key: make one (its file first), then wrap the keys it has."""
    ledger_id = uuid.uuid4().hex
    key, _ = ledgerkey.new_key(ledger_id, env)
    _rewrap(c, p, None, key, ledger_id, insert=True)
    return _meta(c)


def _rewrap(c, p: str, old: bytes | None, new: bytes, ledger_id: str, insert: bool = False) -> None:
    if p == "?":
        c.execute("PRAGMA secure_delete=ON")  # the old stored forms are zeroed, not left in free space
    c.execute("SELECT originator_id, key FROM contact_keys WHERE key IS NOT NULL")
    rows = [(r["originator_id"], r["key"]) if hasattr(r, "keys") else (r[0], r[1]) for r in c.fetchall()]
    c.executemany(f"UPDATE contact_keys SET key={p} WHERE originator_id={p}",
                  ledgerkey.rewrap(rows, old, new))
    if p == "?":
        c.execute("PRAGMA secure_delete=OFF")
    check = ledgerkey.check_value(new, ledger_id)
    if insert:
        c.executemany(f"INSERT INTO ledger_meta VALUES ({p}, {p})", [("ledger_id", ledger_id), ("key_check", check)])
    else:
        c.execute(f"UPDATE ledger_meta SET value={p} WHERE name='key_check'", (check,))
