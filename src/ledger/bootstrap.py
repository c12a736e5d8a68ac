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
    from ledger.ledgerkey import xdg_dir

    return os.path.join(xdg_dir("XDG_DATA_HOME", os.path.join(".local", "share"), env), "relledger", "ledger.db")


def demo_location(env: Mapping[str, str] = os.environ) -> str:
    """The demo's own ledger, next to the default one: ``$XDG_DATA_HOME/relledger/demo.db``."""
    return os.path.join(os.path.dirname(default_location(env)), "demo.db")


def ledger_location(option: str | None, env: Mapping[str, str] = os.environ) -> str:
    """--ledger, else RELLEDGER_DB, else the default location."""
    chosen = option if option is not None else env.get(ENV_DB)
    if chosen is None:
        return default_location(env)
    if not chosen.strip():
        raise LedgerLocationError("ledger: the path is empty; give a file path (or unset RELLEDGER_DB)")
    if is_postgres(chosen):
        postgres_parts(chosen)  # refuse a malformed URL now
        return chosen
    if "://" in chosen:
        raise LedgerLocationError(f"ledger: '{chosen.split('://')[0]}://' is not supported; give a file path or a "
                                  "postgresql://USER@HOST[:PORT]/DB URL")
    return os.path.abspath(os.path.expanduser(chosen))


def is_postgres(location: str) -> bool:
    """Whether the location is a PostgreSQL URL."""
    return location.startswith(("postgresql://", "postgres://"))


def postgres_parts(url: str) -> dict[str, str]:
    """USER, PASSWORD, HOST, PORT and DB of a postgresql:// URL, or LedgerLocationError."""
    from urllib.parse import unquote, urlsplit

    shape = "postgresql://USER@HOST[:PORT]/DB"
    try:
        parts = urlsplit(url)
        port = parts.port or 5432
    except ValueError:
        raise LedgerLocationError(f"ledger: '{url}' is not a PostgreSQL URL like {shape} (bad port)") from None
    database = parts.path.lstrip("/")
    if not parts.hostname or not database or "/" in database or not parts.username:
        raise LedgerLocationError(f"ledger: '{url}' is not a PostgreSQL URL like {shape}")
    return {"POSTGRES_HOST": parts.hostname, "POSTGRES_PORT": str(port), "POSTGRES_DBNAME": database,
            "POSTGRES_USER": unquote(parts.username), "POSTGRES_PASSWORD": unquote(parts.password or "")}


def missing_ledger(location: str) -> LedgerLocationError:
    """The error for a command that needs a ledger where there is none yet."""
    return LedgerLocationError(f"ledger: no ledger at '{location}' yet (the first record command creates it)")


_PROBED: dict[str, object] = {}  # URL -> the probe's open connection, handed to the read side's first open


def _postgres_probe(url: str) -> str | None:
    """Connect once for a clear error; "current" when the ledger's tables exist, "older"
    when they lack the newer side tables, None when there is no ledger."""
    from ledger.db import PostgresDB

    from importlib.util import find_spec

    if find_spec("psycopg") is None:  # writes need it; reads call libpq directly (ledger.libpq), not importing it
        raise LedgerLocationError("ledger: PostgreSQL support is not installed; "
                                  "pip install 'relationship-ledger[postgres]'") from None
    try:
        db = _PROBED.pop(url, None) or PostgresDB(url)
    except Exception as exc:  # libpq's or psycopg's OperationalError and friends: say where and why
        parts = postgres_parts(url)
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise LedgerLocationError(f"ledger: cannot reach PostgreSQL at {parts['POSTGRES_HOST']}:{parts['POSTGRES_PORT']}"
                                  f"/{parts['POSTGRES_DBNAME']} ({reason})") from None
    try:
        events, chain = db.query("SELECT to_regclass('relledger_events') IS NOT NULL, to_regclass('event_chain') IS NOT NULL")[0]
    except BaseException:
        db.close()
        raise
    if not events:
        db.close()
        return None
    _PROBED[url] = db  # kept for the read that follows: one connection per command, not two
    return "current" if chain else "older"


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
    from ledger.db import PostgresDB, SQLiteDB

    if is_postgres(location):
        return _PROBED.pop(location, None) or PostgresDB(location)
    return SQLiteDB(location, read_only=read_only(location))


def open_views(location: str):
    """The read models of the ledger at ``location``; on a read-only ledger, only when they are current."""
    from ledger.projections.views import VIEWS, ViewStore

    db = open_database(location)
    if getattr(db, "read_only", False):
        behind = _views_behind(db, VIEWS)
        if behind:
            db.close()
            raise LedgerLocationError(f"ledger: '{location}' is read-only and its read models are {behind} event(s) "
                                      "behind; open it once where it can be written (or copy it) to bring them up to date")
    return ViewStore(db)


def _views_behind(db, views: tuple[str, ...]) -> int:
    head = db.query(f"SELECT COALESCE(MAX({db.position}), 0) FROM {db.events}")[0][0]
    if not db.exists("view_positions"):
        return head or 1
    positions = dict(db.query("SELECT view, position FROM view_positions"))
    return head - min(positions.get(v, 0) for v in views)


def read_only(location: str) -> bool:
    """Whether an existing SQLite ledger cannot be written (a read-only mount, or no permission)."""
    if is_postgres(location) or not os.path.isfile(location):
        return False
    return not (os.access(location, os.W_OK) and os.access(os.path.dirname(location) or ".", os.W_OK))


def refuse_writes_if_read_only(location: str) -> None:
    """Writes on a read-only ledger are refused, saying why (reads still work)."""
    if read_only(location):
        raise LedgerLocationError(f"ledger: '{location}' is read-only (a read-only file system or no write permission); "
                                  "reads work, writes are refused")


def ledger_exists(location: str) -> bool:
    """Whether the ledger has been created (the first write creates it)."""
    return bool(_postgres_probe(location)) if is_postgres(location) else os.path.isfile(location)


def check_ledger_file(location: str) -> None:
    """Refuse a file that exists but is not a relledger ledger (nothing is written to it)."""
    import sqlite3

    if is_postgres(location) or not os.path.isfile(location) or os.path.getsize(location) == 0:
        return
    try:
        conn = sqlite3.connect(f"file:{location}?{'immutable=1' if read_only(location) else 'mode=ro'}", uri=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise LedgerLocationError(f"ledger: '{location}' is not an SQLite database") from None
    if tables and "stored_events" not in tables:
        raise LedgerLocationError(f"ledger: '{location}' is an SQLite database but not a relledger ledger")


def open_ledger(location: str, user: str = "reader", *, create: bool) -> Ledger:
    """The application on the ledger at ``location`` (SQLite file or PostgreSQL URL), created when asked."""
    if is_postgres(location):
        return _open_postgres(location, user, create=create)
    if os.path.isdir(location):
        raise LedgerLocationError(f"ledger: '{location}' is a directory; give a file path")
    if not create and not os.path.exists(location):
        raise missing_ledger(location)
    check_ledger_file(location)
    refuse_writes_if_read_only(location)
    new = not os.path.exists(location) or os.path.getsize(location) == 0
    parent = os.path.dirname(location) or "."
    try:
        _create_private(location)
    except OSError as exc:
        raise LedgerLocationError(f"ledger: cannot create '{exc.filename or parent}': {exc.strerror}") from None
    from ledger.application import Ledger

    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": location,
        "SQLITE_LOCK_TIMEOUT": "30",
        "APPLICATION_RECORDER_TOPIC": "ledger.recorder:LedgerSQLiteRecorder",
    }
    try:
        app = Ledger(env=env, user=user)
    except Exception as exc:  # sqlite3 raises plain errors for unusable files
        _discard_new(location, new)
        raise LedgerLocationError(f"ledger: cannot open '{location}': {exc}") from None
    if new:
        from ledger.meta import mark_created

        mark_created(location)
    try:
        return _ready_for_writing(app)
    except BaseException:
        _discard_new(location, new)  # e.g. a malformed RELLEDGER_KEY: no ledger file is left behind
        raise


def _discard_new(location: str, new: bool) -> None:
    """Remove a ledger file this open created, while it holds no event."""
    import sqlite3

    if not new:
        return
    conn = sqlite3.connect(location)
    try:
        if conn.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0]:
            return
    except sqlite3.Error:
        pass  # no events table: nothing was written
    finally:
        conn.close()
    for path in (location, location + "-wal", location + "-shm"):
        if os.path.exists(path):
            os.remove(path)


def _create_private(location: str) -> None:
    """A new ledger file readable by its owner only, in directories only its owner can
    enter; SQLite gives the WAL and SHM files the database file's permissions."""
    from ledger.ledgerkey import make_private_dirs

    make_private_dirs(os.path.dirname(location))
    if not os.path.exists(location):
        try:
            os.close(os.open(location, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass  # another writer created it first


def _ready_for_writing(app: Ledger) -> Ledger:
    """Unlock the keys and bring a ledger written by an older version up to date before
    anything is written (ADR 0015); a missing ledger key is one clear error."""
    from ledger.opening import prepare

    try:
        prepare(app)
    except BaseException:
        app.close()
        raise
    return app


def _open_postgres(url: str, user: str, *, create: bool) -> Ledger:
    import time

    from ledger.application import Ledger

    exists = _postgres_probe(url)
    if not exists and not create:
        raise missing_ledger(url)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "CREATE_TABLE": "no" if exists == "current" else "yes",  # concurrent DDL collides on PostgreSQL: only when needed
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_LOCK_TIMEOUT": "30",
        "POSTGRES_POOL_SIZE": "2",
        "APPLICATION_RECORDER_TOPIC": "ledger.pg_recorder:LedgerPostgresRecorder",
        **postgres_parts(url),
    }
    for attempt in range(5):
        try:
            app = Ledger(env=env, user=user)
            if not exists:
                from ledger.meta import mark_created

                mark_created(url)
            break
        except Exception:  # two first writers creating the tables at once: the loser retries
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))
            env["CREATE_TABLE"] = "no" if _postgres_probe(url) == "current" else "yes"
    return _ready_for_writing(app)
