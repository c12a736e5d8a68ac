"""The ledger application: record commands as events, one stream per account or contact.

Each record method states its command as data (``ledger.commands.Command``) and hands it to
``record``: the rules decide it (``ledger.decisions``) and the one write path writes it
(``ledger.writer``), the same way an import line is decided and written (ADR 0012).
"""

from __future__ import annotations

import secrets
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError

from ledger import events as ev
from ledger.commands import Command, Decision
from ledger.domain import Subject, project_subject
from ledger.errors import InvalidInputError
from ledger.keys import PostgresKeyStore, SQLiteKeyStore
from ledger.mapper import LedgerMapper
from ledger.planning import PlanningCommands
from ledger.decisions import require

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def new_event_id() -> str:
    """A short, copyable id: 10 characters of Crockford base32 (50 random bits)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(10))


class Ledger(PlanningCommands, Application):
    """The relationship ledger's write side."""

    name = "relledger"
    is_snapshotting_enabled = True
    snapshot_class = ev.Snapshot
    SNAPSHOT_INTERVAL = 100
    new_id = staticmethod(new_event_id)

    def __init__(self, env: dict[str, str], user: str):
        super().__init__(env)
        self.user = user
        self.committed = 0  # events this application wrote (for what an interrupt leaves behind)

    def construct_mapper(self) -> LedgerMapper:
        postgres = type(self.factory).__module__.endswith("postgres")
        self.keys = (PostgresKeyStore if postgres else SQLiteKeyStore)(self.factory.datastore)
        return LedgerMapper(self.keys)

    # -- the one way in ------------------------------------------------------------------

    def record(self, command: Command) -> Decision:
        """Decide and write one command, all or nothing."""
        from ledger.writer import Writer

        return Writer(self).record_many([command])[0]

    # -- record commands -------------------------------------------------------------

    def register_account(self, handle: str, name: str, at=None, key=None) -> Decision:
        """Add an account (a customer organisation)."""
        return self.record(Command("account", handle, {"name": name}, key, at))

    def register_contact(self, handle, name, account=None, title=None, roles=(), at=None, key=None,
                         reports_to=None) -> Decision:
        """Add a contact; the account defaults to the handle's prefix, which must then be an account."""
        fields = dict(name=name, account=account, title=title, roles=tuple(roles), reports_to=reports_to)
        return self.record(Command("contact", handle, fields, key, at))

    def record_interaction(self, handle, kind, direction="outbound", outcome=None, note=None, tags=(), at=None, key=None,
                           contacts=(), next_step=None):
        """Log a call, email, meeting, message, event or other interaction (``contacts``: every
        person named, the first being ``handle``, when there are several; ``next_step``: (text,
        due), a next step set in the same write)."""
        fields = dict(kind=kind, direction=direction, outcome=outcome, note=note, tags=tuple(tags), contacts=tuple(contacts))
        command = Command("interaction", handle, fields, key, at)
        return self.record(command) if next_step is None else self.record_with_next_step(command, *next_step)

    def receive_feedback(self, handle, about, sentiment, note=None, channel=None, at=None, key=None) -> Decision:
        """Record what a contact said about us, our company, product or service."""
        fields = dict(about=about, sentiment=sentiment, note=note, channel=channel)
        return self.record(Command("feedback", handle, fields, key, at))

    def respond(self, feedback_id: str, note: str, at=None, key=None) -> Decision:
        """Record our response to a piece of feedback (on the stream of the contact who gave it)."""
        return self.record(Command("response", None, {"feedback": feedback_id, "note": note}, key, at))

    def assess(self, handle: str, dimensions: dict[str, str], reason=None, at=None, key=None) -> Decision:
        """Record a judgement of one or more of the four dimensions."""
        return self.record(Command("assessment", handle, {"dimensions": dimensions, "reason": reason}, key, at))

    def reach_milestone(self, handle: str, milestone: str, note=None, at=None, key=None) -> Decision:
        """Record a milestone on an account or a contact."""
        return self.record(Command("milestone", handle, {"milestone": milestone, "note": note}, key, at))

    def retract(self, event_id: str, reason: str, at=None, key=None) -> Decision:
        """Record that an earlier event was a mistake; it stops counting."""
        return self.record(Command("retraction", None, {"target": event_id, "reason": reason}, key, at))

    def adopt_framework(self, doc: Any, at=None, key=None) -> Decision:
        """Put a custom classification table (the built-in one's shape) in force."""
        if not isinstance(doc, dict):
            raise InvalidInputError("framework", "not a framework table: give a JSON object with 'name' and 'rows'")
        fields = {"name": doc.get("name"), "source": doc.get("source", ""), "rows": doc.get("rows")}
        return self.record(Command("framework", None, fields, key, at))

    def adopt_rules(self, version: int, doc: dict | None = None, at=None, key=None) -> Decision:
        """Put evidence rules in force: built-in ``version`` (``doc`` None) or a custom document."""
        fields = {"version": version, "name": (doc or {}).get("name", "custom") if doc else "built-in", "rules": doc}
        return self.record(Command("rules", None, fields, key, at))

    def forget(self, handle: str) -> bool:
        """Erase a contact's personal data by destroying its key; False if already forgotten."""
        subject = self.subject(handle, kind="contact")
        if not subject.forgotten:
            self.record(Command("forgotten", handle))  # its write destroys the key
        self.keys.destroy(subject.id)
        return not subject.forgotten

    # -- queries ---------------------------------------------------------------------

    def subject(self, handle: str, kind: str | None = None) -> Subject:
        """The account or contact, or UnknownHandleError (InvalidInputError when of another kind)."""
        from ledger.state import LedgerState

        return require(LedgerState(self), handle, kind or "account or contact")

    def stream(self, handle: str) -> list[ev.LedgerEvent]:
        """Every event of the subject, in the order recorded."""
        return list(self.events.get(self.subject(handle).id))

    def counts(self) -> dict[str, int]:
        """Events in the ledger by type."""
        topics = self.recorder.count_by_topic()
        return {cls.type: topics.get(f"{cls.__module__}:{cls.__qualname__}", 0) for cls in ev.EVENT_TYPES.values()}

    def snapshot_if_due(self, event: ev.RecordedEvent) -> None:
        """Snapshot a stream once it is SNAPSHOT_INTERVAL events past its latest snapshot
        (so streams written in bulk, without snapshots, heal on their next write)."""
        if event.originator_version < self.SNAPSHOT_INTERVAL or not isinstance(event, ev.LedgerEvent):
            return
        latest = self.snapshots.recorder.select_events(event.originator_id, desc=True, limit=1)
        if event.originator_version - (latest[0].originator_version if latest else 0) >= self.SNAPSHOT_INTERVAL:
            try:
                self.take_snapshot(event.originator_id, event.originator_version, projector_func=project_subject)
            except IntegrityError:
                pass  # another writer took the same snapshot
