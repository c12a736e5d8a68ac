"""The ledger key: kept outside the database, it wraps every subject key (ADR 0015).

Where it is: ``RELLEDGER_KEY`` (64 hex characters; for teams and CI), else the file
``$XDG_CONFIG_HOME/relledger/keys/LEDGER_ID.key`` (``~/.config/...`` when unset), readable
by its owner only. ``ledger_meta`` holds the ledger's random id (naming the file) and a
check value sealed under the key, so a wrong key is one clear error rather than
unreadable events. A copy of the database alone reveals no personal data.
"""

from __future__ import annotations

import os
import uuid
from typing import Any, Callable, Mapping

from ledger.errors import LedgerKeyError

ENV_KEY = "RELLEDGER_KEY"
CHECK = b"relledger ledger key"
Query = Callable[[str, tuple], list]


def key_path(ledger_id: str, env: Mapping[str, str] = os.environ) -> str:
    """The key file of a ledger."""
    return os.path.join(xdg_dir("XDG_CONFIG_HOME", ".config", env), "relledger", "keys", f"{ledger_id}.key")


def xdg_dir(name: str, default: str, env: Mapping[str, str] = os.environ) -> str:
    """An XDG base directory: the variable when it is an absolute path (the specification
    says to ignore a relative one, which would move with the working directory), else
    ``~/default``."""
    value = env.get(name) or ""
    return value if os.path.isabs(value) else os.path.join(os.path.expanduser("~"), default)


def parse_key(text: str, where: str) -> bytes:
    """A key from its 64 hex characters, or one clear error naming where it came from."""
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        key = b""
    if len(key) != 32:
        raise LedgerKeyError(f"{where}: not a ledger key; expected 64 hex characters (see 'relledger key show')")
    return key


def check_value(key: bytes, ledger_id: str) -> str:
    """What ledger_meta keeps to recognise the key: CHECK sealed under it, bound to the id."""
    from ledger.keys import _cipher

    nonce = os.urandom(12)
    return (nonce + _cipher(key).encrypt(nonce, CHECK, ledger_id.encode())).hex()


def opens(key: bytes, ledger_id: str, check: str) -> bool:
    """Whether the key is the one the check value was made with."""
    from cryptography.exceptions import InvalidTag

    from ledger.keys import _cipher

    raw = bytes.fromhex(check)
    try:
        return _cipher(key).decrypt(raw[:12], raw[12:], ledger_id.encode()) == CHECK
    except InvalidTag:
        return False


def meta(query: Query) -> dict[str, str]:
    """The ledger_meta rows (empty for a ledger from before them)."""
    try:
        return dict(query("SELECT name, value FROM ledger_meta WHERE name IN ('ledger_id', 'key_check')", ()))
    except Exception:  # no ledger_meta table: a ledger from before the ledger key
        return {}


def _refuse_damaged_meta(found: dict) -> None:
    """A ledger id and key check that are not text (or not hex) are a damaged ledger, said in one line."""
    check = found.get("key_check")
    try:
        sound = isinstance(found["ledger_id"], str) and isinstance(check, str) and len(bytes.fromhex(check)) > 12
    except ValueError:
        sound = False
    if not sound:
        raise LedgerKeyError("ledger key: the ledger's key record (ledger_meta: ledger_id, key_check) is damaged; "
                             "restore the database from a backup")


def find_key(found: dict[str, str], env: Mapping[str, str] = os.environ) -> tuple[bytes | None, str | None]:
    """The ledger key and where it came from; (None, None) for a ledger without one yet."""
    ledger_id = found.get("ledger_id")
    if ledger_id is None:
        return None, None
    _refuse_damaged_meta(found)
    if env.get(ENV_KEY):
        key = parse_key(env[ENV_KEY], ENV_KEY)
        if not opens(key, ledger_id, found["key_check"]):
            raise LedgerKeyError(f"{ENV_KEY}: this key does not open the ledger (rotated? 'relledger key show' "
                                 "where the key file is prints the current one)")
        return key, ENV_KEY
    path = key_path(ledger_id, env)
    for candidate in (path, path + ".new"):  # .new: a rotation that stopped before renaming
        if os.path.isfile(candidate):
            key = parse_key(_read(candidate), candidate)
            if opens(key, ledger_id, found["key_check"]):
                if candidate != path:
                    os.replace(candidate, path)
                return key, path
    raise LedgerKeyError(f"ledger key: missing for this ledger; expected the file {path} or {ENV_KEY} "
                         "(restore it from your backup: without it the personal data cannot be read)")


def new_key(ledger_id: str, env: Mapping[str, str] = os.environ, suffix: str = "") -> tuple[bytes, str]:
    """A key for a new (or rotated) ledger: RELLEDGER_KEY's when set and new, else a random
    one written to the key file (owner-only) before anything uses it."""
    if env.get(ENV_KEY) and not suffix:
        return parse_key(env[ENV_KEY], ENV_KEY), ENV_KEY
    key = os.urandom(32)
    path = key_path(ledger_id, env) + suffix
    write_private(path, key.hex() + "\n")
    return key, path


def write_private(path: str, text: str) -> None:
    """Write a file readable by its owner only, in directories only its owner can enter."""
    make_private_dirs(os.path.dirname(path))
    tmp = f"{path}.{uuid.uuid4().hex}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def make_private_dirs(path: str) -> None:
    """Create the directory and any missing parents, each readable by its owner only
    (directories that exist already are left as they are)."""
    if not path or os.path.isdir(path):
        return
    make_private_dirs(os.path.dirname(path))
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    os.chmod(path, 0o700)  # the umask may have taken bits away, never added: this only narrows


def _read(path: str) -> str:
    try:
        with open(path, encoding="ascii") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise LedgerKeyError(f"{path}: cannot read the ledger key ({getattr(exc, 'strerror', None) or exc})") from None


def rewrap(rows: list[tuple[Any, Any]], old: bytes | None, new: bytes) -> list[tuple[bytes, str]]:
    """(new stored key, subject hex) for stored keys, unwrapped with ``old`` and wrapped with ``new``."""
    from ledger.keys import DAMAGED, unwrap, wrap

    out = []
    for subject, stored in rows:
        sid = uuid.UUID(str(subject))
        key = unwrap(old, sid, stored)
        if key == DAMAGED:
            raise LedgerKeyError(f"ledger key: the stored key of subject {sid.hex} is damaged; nothing was changed "
                                 "(run 'relledger verify')")
        out.append((wrap(new, sid, key), sid.hex))
    return out
