"""The one write path: decide a batch of commands, then write it in one transaction (ADR 0012).

``record_many`` decides each command against a ``LedgerState``, creates the keys of new
contacts, hands each event's idempotency digest to the mapper and appends the batch in one
transaction. The database's unique constraints (a stream position is taken once, an event id
is taken once) re-check the rules' premises inside that transaction: if another writer got
there first, the batch is decided again on fresh state (the one retry loop of the ledger),
where a lost race becomes the rule's own error (say, "handle: 'acme/jane' is already
registered"). Signals are held back while a batch commits, so an interrupt lands between
batches and the count of what was written is exact.
"""

from __future__ import annotations

import contextlib
import random
import signal
import time
from typing import Any, Callable, Iterator

from eventsourcing.persistence import IntegrityError, OperationalError

from ledger import events as ev
from ledger.commands import Command, Decision
from ledger.facts import REFERENCES
from ledger.identity import subject_id
from ledger.errors import ConcurrencyError, LedgerError, LineError
from ledger.state import LedgerState, content_digest, secret_of
from ledger.timeutil import utcnow

RETRIES = 50
_HELD = {signal.SIGINT, signal.SIGTERM}


def decide_each(app: Any, state: LedgerState, commands: list[Command]) -> Iterator[tuple[Command, Decision | LedgerError]]:
    """Decide each command in order (each sees the ones decided before it); a refusal is yielded, not raised."""
    from ledger.decisions import decide

    now = utcnow()
    state.prefetch([c.id for c in commands if c.id] + [_reference(c) for c in commands])
    for command in commands:
        try:
            yield command, decide(state, command, user=app.user, now=now, new_id=app.new_id)
        except LedgerError as exc:
            yield command, at_line(exc, command)


def decide_all(app: Any, state: LedgerState, commands: list[Command]) -> list[Decision]:
    """Decide each command in order; the first refusal is raised, naming the command's line."""
    decisions = []
    for _, outcome in decide_each(app, state, commands):
        if isinstance(outcome, LedgerError):
            raise outcome
        decisions.append(outcome)
    return decisions


class Writer:
    """Records commands for one application, keeping what it decided between batches."""

    def __init__(self, app: Any, checked_at: int | None = None, snapshots: bool = True):
        self.app = app
        self.snapshots = snapshots  # False for bulk writes: a stream snapshots on its next command (ADR 0005)
        self.state = self._fresh()
        self.checked_at = checked_at  # the ledger's head when the events to write were last decided in full

    def _fresh(self) -> LedgerState:
        # no fingerprints: what repeats an earlier command was found by the validation pass (or is stored by now)
        return LedgerState(self.app, fingerprints=False)

    def record_many(self, commands: list[Command],
                    on_commit: Callable[[list[Decision]], None] = lambda d: None) -> list[Decision]:
        """Decide and write the commands in one transaction, retrying on conflicts; returns the decisions."""
        for attempt in range(RETRIES):
            decisions = decide_all(self.app, self.state, commands)
            try:
                _write(self.app, [d.event for d in decisions if not d.duplicate], decisions, on_commit, self.snapshots)
            except (IntegrityError, OperationalError) as exc:
                self.app.mapper.digests.clear()
                self.state = self._fresh()  # it took in events that were not written
                if isinstance(exc, OperationalError) and not _contention(exc):
                    raise
                time.sleep(random.uniform(0, 0.01 * (attempt + 1)))
                continue
            if len(self.state.ids) > 200_000:  # all of it is in the ledger now: start afresh, bounded memory
                self.state = self._fresh()
            return decisions
        raise ConcurrencyError(f"ledger: gave up after {RETRIES} conflicting writes; try again")

    def record_decided(self, items: list[tuple[int, bool, ev.RecordedEvent]],
                       on_commit: Callable[[list[Decision]], None]) -> list[Decision]:
        """Write events decided moments ago as they are, if nobody has written since; else decide them again.
        Each item: the import line, whether it gave recorded_at (else the event is stamped now), the event."""
        if self.checked_at is not None and self._head() == self.checked_at:
            now = utcnow()
            decisions = [Decision(e if given else _stamped(e, now)) for _, given, e in items]
            try:
                _write(self.app, [d.event for d in decisions], decisions, on_commit, self.snapshots)
                self.checked_at = self._head()
                return decisions
            except (IntegrityError, OperationalError) as exc:
                self.app.mapper.digests.clear()
                if isinstance(exc, OperationalError) and not _contention(exc):
                    raise
        self.checked_at = None  # from now on, every batch is decided in full
        return self.record_many([Command.of_event(e, line, given) for line, given, e in items], on_commit)

    def _head(self) -> int:
        return self.app.recorder.max_notification_id() or 0


def _stamped(event: ev.RecordedEvent, now: Any) -> ev.RecordedEvent:
    """The event, recorded now. It was parsed from the spool for this batch alone and nothing
    else holds it, so the field is set in place (model_copy cost more than the rest of the
    batch's bookkeeping); ``now`` is an aware UTC datetime, as validation would make it."""
    event.__dict__["timestamp"] = now
    return event


def _contention(exc: Exception) -> bool:
    """Whether a database error is another writer in the way (worth a retry), not a broken database."""
    text = str(exc).lower()
    return any(word in text for word in ("lock", "busy", "serializ", "deadlock", "could not obtain"))


def _write(app: Any, events: list[ev.RecordedEvent], decisions: list[Decision], on_commit: Callable,
           snapshots: bool) -> None:
    with held_signals():
        if new_subjects := [e.originator_id for e in events if isinstance(e, (ev.AccountRegistered, ev.ContactRegistered))]:
            app.keys.create_many(new_subjects)  # before sealing; a lost race shares the winner's key row
        for event in events:  # the key store caches each key (by its stream's int, no UUID hashing)
            app.mapper.digests[event.id] = content_digest(event, secret_of(app.keys, event.originator_id))
        if events:  # the recorder directly: EventStore.put would build a notification per event, unused
            app.recorder.insert_events([app.mapper.to_stored_event(e) for e in events], named=_named(events))
            app.committed += len(events)
        for event in events:
            if isinstance(event, ev.ContactForgotten):
                app.keys.destroy(event.originator_id)
        on_commit(decisions)
    for event in events if snapshots else ():
        app.snapshot_if_due(event)


def _named(events: list[ev.RecordedEvent]) -> list[Any]:
    """The streams of the contacts events name besides their own subject (checked again
    inside the write transaction: none was forgotten meanwhile)."""
    return [subject_id(h) for e in events if type(e) is ev.InteractionRecorded for h in e.contacts[1:]]


@contextlib.contextmanager
def held_signals() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while a transaction commits (delivered right after)."""
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    except (AttributeError, ValueError, OSError):  # not the main thread, or no such call here
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def at_line(exc: LedgerError, command: Command) -> LedgerError:
    """The error, naming the import line it came from (if any)."""
    return exc if command.line is None else LineError(command.line, str(exc))


def _reference(command: Command) -> str | None:
    refers = REFERENCES.get(command.type) if isinstance(command.type, str) else None
    return command.fields.get(refers[0]) if refers else None
