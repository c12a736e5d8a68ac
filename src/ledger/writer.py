"""The one write path: decide a batch of commands, then write it in one transaction (ADR 0012).

``record_many`` decides each command against a ``LedgerState``, creates the keys of new
contacts, hands each event's idempotency digest to the mapper and appends the batch in one
transaction. The database's unique constraints (a stream position is taken once, an event id
is taken once, a reporting turn is taken once) re-check the rules' premises inside that
transaction: if another writer got
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
from pydantic_core import to_json as pydantic_json

from ledger import events as ev
from ledger.commands import Command, Decision
from ledger.facts import REFERENCES
from ledger.identity import subject_id
from ledger.errors import ConcurrencyError, LedgerError, LineError
from ledger.spool import Spooled
from ledger.state import LedgerState, content_digest, keyed_digest, secret_of
from ledger.timeutil import utcnow

RETRIES = 50
_HELD = {signal.SIGINT, signal.SIGTERM}
_REGISTERS = (ev.AccountRegistered, ev.ContactRegistered)
# Events whose rule reads other subjects' state (a new reporting line must not close a cycle
# through other contacts' lines): their writes take turns on REPORTING, so two writers that
# decided on the same lines cannot both commit (the second decides again, ADR 0012).
REPORTING = "reporting"
_SERIAL = (ev.ReportingLineSet,)


def decide_each(app: Any, state: LedgerState, commands: list[Command]) -> Iterator[tuple[Command, Decision | LedgerError]]:
    """Decide each command in order (each sees the ones decided before it); a refusal is yielded, not raised."""
    from ledger.decisions import decide

    now = utcnow()
    state.prefetch([c.id for c in commands if c.id] + [_reference(c) for c in commands])
    if len(commands) > 1:  # a single command looks its subject up when it needs it
        state.prefetch_subjects([c.handle for c in commands])
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
        """A new state; the reporting turns are read first, before anything the rules read."""
        self.turns = self.app.recorder.turns(REPORTING)
        # no fingerprints: what repeats an earlier command was found by the validation pass (or is stored by now)
        return LedgerState(self.app, fingerprints=False)

    def record_many(self, commands: list[Command],
                    on_commit: Callable[[list[Decision]], None] = lambda d: None) -> list[Decision]:
        """Decide and write the commands in one transaction, retrying on conflicts; returns the decisions."""
        for attempt in range(RETRIES):
            decisions = decide_all(self.app, self.state, commands)
            events = [d.event for d in decisions if not d.duplicate]
            turn = (REPORTING, self.turns + 1) if any(isinstance(e, _SERIAL) for e in events) else None
            try:
                _write(self.app, events, decisions, on_commit, self.snapshots, turn)
            except (IntegrityError, OperationalError) as exc:
                self.state = self._fresh()  # it took in events that were not written
                if isinstance(exc, OperationalError) and not _contention(exc):
                    raise
                time.sleep(random.uniform(0, 0.01 * (attempt + 1)))
                continue
            self.turns += turn is not None
            if len(self.state.ids) > 200_000:  # all of it is in the ledger now: start afresh, bounded memory
                self.state = self._fresh()
            return decisions
        raise ConcurrencyError(f"ledger: gave up after {RETRIES} conflicting writes; try again")

    def record_decided(self, items: list[Spooled], on_commit: Callable[[list[Decision]], None]) -> None:
        """Write events decided moments ago (spooled as their stored parts) as they are, if
        nobody has written since; else decide them again, from their commands."""
        unchanged = self.checked_at is not None and self._head() == self.checked_at
        if unchanged and not any(issubclass(s.parts.cls, _SERIAL) for s in items):
            try:
                _write_spooled(self.app, items, on_commit)
                self.checked_at = self._head()
                return
            except (IntegrityError, OperationalError) as exc:
                if isinstance(exc, OperationalError) and not _contention(exc):
                    raise
            unchanged = False
        self._decide_again(items, on_commit, unchanged)

    def _decide_again(self, items: list[Spooled], on_commit: Callable, unchanged: bool) -> None:
        """Decide spooled events again and write them (a batch with a reporting line takes its
        turn so); later batches go as they are only if nobody else wrote in the meantime."""
        if unchanged:
            self.state = self._fresh()  # the batches written as they were are not in it
        now = pydantic_json(utcnow())
        decisions = self.record_many([Command.of_event(s.parts.event(now), s.line, s.given) for s in items], on_commit)
        written = sum(not d.duplicate for d in decisions)
        head = self._head()
        self.checked_at = head if unchanged and head == self.checked_at + written else None

    def _head(self) -> int:
        return self.app.recorder.max_notification_id() or 0


def _contention(exc: Exception) -> bool:
    """Whether a database error is another writer in the way (worth a retry), not a broken database."""
    text = str(exc).lower()
    return any(word in text for word in ("lock", "busy", "serializ", "deadlock", "could not obtain"))


def _write(app: Any, events: list[ev.RecordedEvent], decisions: list[Decision], on_commit: Callable,
           snapshots: bool, turn: tuple[str, int] | None = None) -> None:
    def stored() -> list:
        for event in events:  # the key store caches each key (by its stream's int, no UUID hashing)
            app.mapper.digests[event.id] = content_digest(event, secret_of(app.keys, event.originator_id))
        return [app.mapper.to_stored_event(e) for e in events]

    try:
        _commit(app, [(type(e), e.originator_id) for e in events], stored, lambda: on_commit(decisions), turn, _named(events))
    except (IntegrityError, OperationalError):
        app.mapper.digests.clear()
        raise
    for event in events if snapshots else ():
        app.snapshot_if_due(event)


def _named(events: list[ev.RecordedEvent]) -> list[Any]:
    """The streams of the contacts events name besides their own subject (checked again
    inside the write transaction: none was forgotten meanwhile)."""
    return [subject_id(h) for e in events if type(e) is ev.InteractionRecorded for h in e.contacts[1:]]


def _named_spooled(items: list[Spooled]) -> list[Any]:
    """As ``_named``, for spooled events."""
    return [subject_id(h) for s in items for h in s.parts.named]


def _write_spooled(app: Any, items: list[Spooled], on_commit: Callable) -> None:
    """Store spooled events: each one's digest and sealing made with its subject's key, stamped now if need be."""
    def stored() -> list:
        now, assemble, keys = pydantic_json(utcnow()), app.mapper.assemble, app.keys
        return [assemble(s.parts, now, keyed_digest(s.digest_input, secret_of(keys, s.parts.stream))) for s in items]

    _commit(app, [(s.parts.cls, s.parts.stream) for s in items], stored,
            lambda: on_commit([Decision(s.parts) for s in items]), named=_named_spooled(items))


def _commit(app: Any, subjects: list[tuple[type, Any]], stored: Callable[[], list], done: Callable[[], None],
            turn: tuple[str, int] | None = None, named: list | None = None) -> None:
    """Make the keys of new subjects, store the events in one transaction (the recorder
    directly: EventStore.put would build a notification per event, unused), taking ``turn``
    in it and checking that no contact in ``named`` was forgotten meanwhile, destroy the keys
    of forgotten ones; signals held back throughout."""
    with held_signals():
        if new_subjects := [stream for cls, stream in subjects if cls in _REGISTERS]:
            app.keys.create_many(new_subjects)  # before sealing; a lost race shares the winner's key row
        if subjects:
            app.recorder.insert_events(stored(), turn=turn, named=named)
            app.committed += len(subjects)
        for cls, stream in subjects:
            if cls is ev.ContactForgotten:
                app.keys.destroy(stream)
        done()


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
