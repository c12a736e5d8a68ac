"""Commands as data: what a door into the ledger (a CLI command, an import line, the demo) asks for.

A ``Command`` names an event type and carries what the user gave; ``ledger.decisions.decide``
turns it into the event to record (or refuses it), and ``ledger.writer.record_many`` writes
the decided events. See ADR 0012.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class Command:
    """Record one event of ``type`` for ``handle`` with ``fields``.

    ``handle`` may be None when the event's subject follows from the event it refers to
    (a response, a retraction, an initiative or its closing); ``id`` is the idempotency key
    (None: a new id); ``occurred_at`` None means now. ``recorded_at`` and ``recorded_by``
    come from import files (when and by whom first recorded); commands leave them None.
    """

    type: str
    handle: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    occurred_at: datetime | None = None
    recorded_at: datetime | None = None
    recorded_by: str | None = None
    line: int | None = None  # the import line it came from, for messages

    @classmethod
    def of_event(cls, event: Any, line: int | None = None, recorded_given: bool = False) -> "Command":
        """The command an event was decided from (to decide it again, on fresh state)."""
        fields = {name: getattr(event, name) for name in event.FACTS.fields}
        return cls(event.type, getattr(event, "handle", None), fields, event.id, event.occurred_at,
                   event.timestamp if recorded_given else None, event.recorded_by, line)


@dataclass(slots=True)
class Decision:
    """What ``decide`` made of a command: the event to write, or the one already recorded under its id."""

    event: Any
    duplicate: bool = False
    also: tuple["Decision", ...] = ()  # decided and written with it, all or nothing (a log's next step)
