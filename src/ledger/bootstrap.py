"""The one wiring module: where the ledger lives, who is writing, and the app itself.

The CLI and the tests both go through here, so they run the same code. Only the
standard library is imported at module level; the application is imported on use.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Mapping

from ledger.errors import InvalidInputError, LedgerLocationError

if TYPE_CHECKING:
    from ledger.application import Ledger

ENV_DB = "RELLEDGER_DB"
ENV_USER = "RELLEDGER_USER"


def default_location(env: Mapping[str, str] = os.environ) -> str:
    """``$XDG_DATA_HOME/relledger/ledger.db``, or ``~/.local/share/relledger/ledger.db``."""
    base = env.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "relledger", "ledger.db")


def ledger_location(option: str | None, env: Mapping[str, str] = os.environ) -> str:
    """--ledger, else RELLEDGER_DB, else the default location."""
    chosen = option if option is not None else env.get(ENV_DB)
    if chosen is None:
        return default_location(env)
    if not chosen.strip():
        raise LedgerLocationError("ledger: the path is empty; give a file path (or unset RELLEDGER_DB)")
    if "://" in chosen:
        raise LedgerLocationError(f"ledger: '{chosen.split('://')[0]}://' ledgers are not supported yet; give a file path")
    return os.path.abspath(os.path.expanduser(chosen))


def current_user(option: str | None, env: Mapping[str, str] = os.environ) -> str:
    """--as, else RELLEDGER_USER, else the OS login."""
    user = option if option is not None else env.get(ENV_USER)
    if user is None:
        import getpass

        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = ""
    if not user.strip():
        raise InvalidInputError("as", "the recording user is empty; give --as NAME or set RELLEDGER_USER")
    return user.strip()


def open_database(location: str):
    """The read side's handle on the ledger's database (SQLite file or PostgreSQL URL)."""
    from ledger.db import SQLiteDB

    return SQLiteDB(location)


def open_views(location: str):
    """The read models of the ledger at ``location``."""
    from ledger.projections.views import ViewStore

    return ViewStore(open_database(location))


def ledger_exists(location: str) -> bool:
    """Whether the ledger file has been created (the first write creates it)."""
    return os.path.isfile(location)


def check_ledger_file(location: str) -> None:
    """Refuse a file that exists but is not a relledger ledger (nothing is written to it)."""
    import sqlite3

    if not os.path.isfile(location) or os.path.getsize(location) == 0:
        return
    try:
        conn = sqlite3.connect(f"file:{location}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise LedgerLocationError(f"ledger: '{location}' is not an SQLite database") from None
    if tables and "stored_events" not in tables:
        raise LedgerLocationError(f"ledger: '{location}' is an SQLite database but not a relledger ledger")


def open_ledger(location: str, user: str = "reader", *, create: bool) -> Ledger:
    """The application on the SQLite file at ``location``, creating it when asked."""
    if os.path.isdir(location):
        raise LedgerLocationError(f"ledger: '{location}' is a directory; give a file path")
    if not create and not os.path.exists(location):
        raise LedgerLocationError(f"ledger: no ledger at '{location}' yet (the first record command creates it)")
    check_ledger_file(location)
    parent = os.path.dirname(location) or "."
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as exc:
        raise LedgerLocationError(f"ledger: cannot create '{parent}': {exc.strerror}") from None
    from ledger.application import Ledger

    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": location,
        "SQLITE_LOCK_TIMEOUT": "30",
        "APPLICATION_RECORDER_TOPIC": "ledger.recorder:LedgerSQLiteRecorder",
    }
    try:
        return Ledger(env=env, user=user)
    except Exception as exc:  # sqlite3 raises plain errors for unusable files
        raise LedgerLocationError(f"ledger: cannot open '{location}': {exc}") from None
