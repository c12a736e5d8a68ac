"""What every command shares: the ledger location, the user, and the opened application."""

from __future__ import annotations

import os

from ledger import bootstrap
from ledger.errors import UnknownHandleError


def _absent(path: str) -> list[str]:
    """``path`` and its ancestors that do not exist yet, deepest first."""
    found = []
    while path and not os.path.exists(path) and path != os.path.dirname(path):
        found.append(path)
        path = os.path.dirname(path)
    return found


class LedgerContext:
    """Resolves --ledger/--as lazily, so a command that fails early opens nothing."""

    def __init__(self, ledger_path: str | None, as_user: str | None):
        self._ledger_path = ledger_path
        self._as_user = as_user
        self._app = None
        self._views = None
        self._created = False
        self._new_dirs: list[str] = []  # directories this command may create, deepest first
        self.report = None  # an import's progress, for the message after an interrupt

    def use_demo_ledger(self) -> None:
        """Point this command at the demo's own ledger unless --ledger named one (never
        RELLEDGER_DB: that is the user's ledger, which the demo keeps out of)."""
        if self._ledger_path is None:
            self._ledger_path = bootstrap.demo_location()

    @property
    def location(self) -> str:
        """The ledger file in use."""
        return bootstrap.ledger_location(self._ledger_path)

    def writer(self, *, create: bool = False, missing: Exception | None = None):
        """The application for a record command; only registrations may create the file."""
        user = bootstrap.current_user(self._as_user)
        if not create and not bootstrap.ledger_exists(self.location):
            raise missing or UnknownHandleError("?")
        return self._open(create=True, user=user)

    def reader(self, *, missing: Exception):
        """The application for a read of the whole ledger (export): the writer's, or, on a
        read-only ledger, one that writes nothing."""
        if self._app is None and bootstrap.ledger_exists(self.location) and bootstrap.read_only(self.location):
            from ledger.reading import open_read_only

            self._app = open_read_only(self.location)
        return self._app or self.writer(missing=missing)

    def views(self, missing: Exception | None, *, catch_up: bool = True):
        """The read models, caught up; ``missing`` is raised when there is no ledger yet."""
        if not bootstrap.ledger_exists(self.location):
            if missing is None:
                return None
            raise missing
        if self._views is None:
            bootstrap.check_ledger_file(self.location)
            self._views = bootstrap.open_views(self.location)
        if catch_up and not getattr(self._views.db, "read_only", False):
            self._views.catch_up()
        return self._views

    def _open(self, *, create: bool, user: str):
        if self._app is None:
            self._created = create and not bootstrap.is_postgres(self.location) and not bootstrap.ledger_exists(self.location)
            if self._created:
                from ledger.ledgerkey import key_path

                self._new_dirs = _absent(os.path.dirname(os.path.abspath(self.location))) + _absent(os.path.dirname(key_path("-")))
            self._app = bootstrap.open_ledger(self.location, user, create=create)
        return self._app

    def discard_if_created(self) -> None:
        """After a refused command, remove the ledger file (and its new key file) if this
        command created it."""
        if not self._created or (self._app is not None and sum(self._app.counts().values()) != 0):
            return
        if self._app is not None:  # else opening was refused: whatever is at the location is not ours
            key_file = self._app.keys.key_file
            self.close()
            for path in [self.location + suffix for suffix in ("", "-wal", "-shm")] + [key_file]:
                if path and os.path.exists(path):
                    os.remove(path)
        for directory in self._new_dirs:  # the directories it made for them, if left empty
            try:
                os.rmdir(directory)
            except OSError:
                pass

    def interrupted(self) -> str:
        """What an interrupt leaves behind, in one line."""
        written = self.report.written if self.report is not None else (self._app.committed if self._app else 0)
        if written == 0:
            self.discard_if_created()
            return "interrupted: nothing written"
        if self.report is not None:
            return (f"interrupted after {written:,} of {self.report.total:,} events; "
                    "run the same import again to finish")
        return "interrupted after the event was recorded"

    def close(self) -> None:
        """Release the database (called when the command ends)."""
        if self._views is not None:
            self._views.close()
            self._views = None
        if self._app is not None:
            self._app.close()
            self._app = None
