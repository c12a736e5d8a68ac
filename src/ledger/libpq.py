"""The read side's PostgreSQL connection: libpq itself through ctypes (issue 12).

Importing psycopg costs a read about 150 ms (its adapters, errors, asyncio, zoneinfo, decimal,
importlib.metadata), more than the rest of the command. The read side needs a handful of
libpq calls (connect, execute with text parameters, read text results), so it calls libpq
directly: the system's ``libpq.so.5``, else the copy psycopg-binary ships. Writes still go
through eventsourcing's PostgreSQL recorder (psycopg). Without a loadable libpq, ``load``
returns None and the read side uses psycopg.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
from typing import Any, Iterator
from uuid import UUID

_OK = (1, 2)  # PGRES_COMMAND_OK, PGRES_TUPLES_OK
_INT, _BOOL, _BYTEA, _FLOAT, _UUID = {20, 21, 23, 26}, 16, 17, {700, 701}, 2950
_LIB: list = []


class PostgresError(Exception):
    """An error libpq reported (connecting, or a statement)."""


def load():
    """libpq, or None when neither the system's nor psycopg-binary's can be loaded."""
    if not _LIB:
        _LIB.append(_open())
    return _LIB[0]


def _open():
    for path in ["libpq.so.5"] + _bundled():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name, res, args in _SIGNATURES:
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = res, args
        return lib
    return None


def _bundled() -> list[str]:
    from importlib.util import find_spec

    try:
        spec = find_spec("psycopg_binary")
    except (ImportError, ValueError):
        return []
    folder = os.path.dirname(os.path.dirname(spec.origin)) if spec and spec.origin else None
    return sorted(glob.glob(os.path.join(folder, "psycopg_binary.libs", "libpq-*.so*"))) if folder else []


_P, _C, _I = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
_SIGNATURES = [
    ("PQconnectdb", _P, [_C]), ("PQstatus", _I, [_P]), ("PQerrorMessage", _C, [_P]), ("PQfinish", None, [_P]),
    ("PQexecParams", _P, [_P, _C, _I, _P, ctypes.POINTER(_C), _P, _P, _I]), ("PQexec", _P, [_P, _C]),
    ("PQresultStatus", _I, [_P]), ("PQresultErrorMessage", _C, [_P]), ("PQntuples", _I, [_P]),
    ("PQnfields", _I, [_P]), ("PQftype", ctypes.c_uint, [_P, _I]), ("PQgetvalue", _P, [_P, _I, _I]),
    ("PQgetlength", _I, [_P, _I, _I]), ("PQgetisnull", _I, [_P, _I, _I]), ("PQclear", None, [_P]),
    ("PQescapeLiteral", _P, [_P, _C, ctypes.c_size_t]), ("PQfreemem", None, [_P]),
]


class Connection:
    """One autocommit connection: ``execute`` returns the rows (tuples of Python values)."""

    def __init__(self, lib, conninfo: str, timeout: int = 5):
        self.lib = lib
        sep = "&" if "?" in conninfo else "?"
        self.pg = lib.PQconnectdb(f"{conninfo}{sep}connect_timeout={timeout}".encode())
        if lib.PQstatus(self.pg) != 0:  # CONNECTION_OK
            message = (lib.PQerrorMessage(self.pg) or b"").decode(errors="replace").strip()
            lib.PQfinish(self.pg)
            self.pg = None
            raise PostgresError(message or "cannot connect")
        self.execute("SET client_min_messages TO warning")  # no NOTICE on stderr (IF NOT EXISTS)

    def execute(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        """Run one statement (``$1``... placeholders, text parameters); its rows."""
        values = (ctypes.c_char_p * max(1, len(params)))(*[_text(v) for v in params])
        res = self.lib.PQexecParams(self.pg, sql.encode(), len(params), None, values, None, None, 0)
        return self._rows(res)

    def script(self, sql: str) -> None:
        """Run several statements (parameters already quoted) in one round trip."""
        self._rows(self.lib.PQexec(self.pg, sql.encode()))

    def literal(self, value: Any) -> str:
        """``value`` as an SQL literal."""
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, (int, float)):
            return repr(value)
        if isinstance(value, (bytes, bytearray, memoryview)):
            return f"'\\x{bytes(value).hex()}'::bytea"
        raw = str(value).encode()
        quoted = self.lib.PQescapeLiteral(self.pg, raw, len(raw))
        if not quoted:
            raise PostgresError((self.lib.PQerrorMessage(self.pg) or b"").decode(errors="replace").strip())
        try:
            return ctypes.string_at(quoted).decode()
        finally:
            self.lib.PQfreemem(quoted)

    def _rows(self, res) -> list[tuple]:
        lib = self.lib
        try:
            if not res or lib.PQresultStatus(res) not in _OK:
                source = lib.PQresultErrorMessage(res) if res else lib.PQerrorMessage(self.pg)
                raise PostgresError((source or b"").decode(errors="replace").strip() or "statement failed")
            types = [lib.PQftype(res, c) for c in range(lib.PQnfields(res))]
            return [tuple(None if lib.PQgetisnull(res, r, c) else
                          _value(ctypes.string_at(lib.PQgetvalue(res, r, c), lib.PQgetlength(res, r, c)), t)
                          for c, t in enumerate(types)) for r in range(lib.PQntuples(res))]
        finally:
            if res:
                lib.PQclear(res)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")

    def close(self) -> None:
        if self.pg:
            self.lib.PQfinish(self.pg)
            self.pg = None


def _text(value: Any) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return b"t" if value else b"f"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return b"\\x" + bytes(value).hex().encode()
    return str(value).encode()


def _value(raw: bytes, oid: int) -> Any:
    if oid in _INT:
        return int(raw)
    if oid == _BOOL:
        return raw == b"t"
    if oid == _BYTEA:
        return bytes.fromhex(raw[2:].decode()) if raw.startswith(b"\\x") else raw
    if oid in _FLOAT:
        return float(raw)
    if oid == _UUID:
        return UUID(raw.decode())
    return raw.decode()


def placeholders(sql: str) -> str:
    """``?`` placeholders as libpq's ``$1``, ``$2``..."""
    parts = sql.split("?")
    return "".join(p + (f"${n}" if n < len(parts) else "") for n, p in enumerate(parts, 1))


def inline(conn: Connection, sql: str, row: tuple | list) -> str:
    """One statement with its ``?`` placeholders replaced by the row's values as literals."""
    parts = sql.split("?")
    return "".join(p + (conn.literal(row[n]) if n < len(row) else "") for n, p in enumerate(parts))
