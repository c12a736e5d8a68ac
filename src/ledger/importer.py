"""The import pipeline: validate every line against a simulated ledger, then write in batches."""

from __future__ import annotations

import random
import time
from typing import Callable

from eventsourcing.persistence import IntegrityError, OperationalError

from ledger.errors import LedgerError
from ledger.events import GLOBAL_STREAMS
from ledger.identity import subject_id
from ledger.transfer import ACCOUNT_ONLY, CONTACT_ONLY, REFERENCES, Item, Report, build, parse, read_lines
from ledger.vocabulary import TOPIC_TYPES


class Simulation:
    """What the ledger would hold after the lines so far: handles, ids and their types."""

    def __init__(self, app):
        self.app = app
        self.subjects: dict[str, dict] = {}  # handle -> {"kind", "forgotten"}
        self.ids: dict[str, tuple[str, str | None]] = {}  # id -> (type, handle)
        self.refs: dict = {}  # prefetched id -> EventRef for ids in the ledger
        self.prefetched: set[str] = set()

    def prefetch(self, items: list[Item]) -> None:
        """Look up, in one query, every id these lines name or refer to."""
        wanted = {i.id for i in items} | {i.fields.get(REFERENCES[i.type][0]) for i in items if i.type in REFERENCES}
        wanted = [w for w in wanted if isinstance(w, str) and w not in self.prefetched]
        self.refs.update(self.app.recorder.select_refs(wanted))
        self.prefetched.update(wanted)

    def subject(self, handle: str) -> dict | None:
        if handle not in self.subjects:
            found = self.app._subject_or_none(handle)
            self.subjects[handle] = {"kind": found.kind, "forgotten": found.forgotten} if found else None
        return self.subjects[handle]

    def event(self, event_id: str) -> tuple[str, str | None] | None:
        if event_id not in self.ids:
            ref = self.refs.get(event_id) if event_id in self.prefetched else self.app.recorder.select_ref(event_id)
            if ref is None:
                return None
            kind = TOPIC_TYPES.get(ref.topic.rpartition(":")[2], "?")
            handle = None if kind in GLOBAL_STREAMS else self.app._event_at(ref.originator_id, ref.originator_version).handle
            self.ids[event_id] = (kind, handle)
        return self.ids[event_id]

    def check(self, item: Item) -> bool:
        """Raise for a line that cannot be recorded; False when its id is already in the ledger."""
        known = self.event(item.id)
        if known is not None:
            if item.id in self._seen or known[0] != item.type:
                raise LedgerError(f"id: '{item.id}' already names {'an earlier line' if item.id in self._seen else 'a ' + known[0]}")
            return False
        self._check_subject(item)
        self._check_reference(item)
        self._apply(item)
        return True

    @property
    def _seen(self) -> set[str]:
        return self.__dict__.setdefault("_seen_ids", set())

    def _check_subject(self, item: Item) -> None:
        if item.type in GLOBAL_STREAMS:
            return
        subject = self.subject(item.handle)
        if item.type in ("account", "contact"):
            if subject is not None:
                raise LedgerError(f"handle: '{item.handle}' is already registered")
            for key, kind in (("account", "account"), ("reports_to", "contact")):
                target = item.fields.get(key) if item.type == "contact" else None
                if target and (self.subject(target) or {}).get("kind") != kind:
                    raise LedgerError(f"{key}: no {kind} '{target}'")
            return
        if subject is None:
            raise LedgerError(f"handle: no account or contact '{item.handle}'")
        need = "contact" if item.type in CONTACT_ONLY else "account" if item.type in ACCOUNT_ONLY else None
        if need and subject["kind"] != need:
            raise LedgerError(f"handle: '{item.handle}' is not {'a contact' if need == 'contact' else 'an account'}")
        if subject["forgotten"]:
            raise LedgerError(f"handle: contact '{item.handle}' has been forgotten")

    def _check_reference(self, item: Item) -> None:
        if item.type not in REFERENCES:
            return
        key, kinds = REFERENCES[item.type]
        target = self.event(item.fields.get(key, ""))
        if target is None or target[0] not in kinds:
            raise LedgerError(f"{key}: '{item.fields.get(key)}' is not {' or '.join(kinds)} in the ledger or earlier in the file")
        if target[1] != item.handle:
            raise LedgerError(f"{key}: '{item.fields.get(key)}' belongs to {target[1]}, not {item.handle}")

    def _apply(self, item: Item) -> None:
        self._seen.add(item.id)
        self.ids[item.id] = (item.type, item.handle)
        if item.type in ("account", "contact"):
            self.subjects[item.handle] = {"kind": item.type, "forgotten": False}
        elif item.type == "forgotten":
            self.subjects[item.handle]["forgotten"] = True


def validate(app, path: str, fmt: str, report: Report, chunk: int = 1000) -> list[int]:
    """Check every line; returns the numbers of the lines to write."""
    simulation, good, parsed = Simulation(app), [], []
    for number, obj, error in read_lines(path, fmt):
        report.lines += 1
        try:
            if error:
                raise LedgerError(error)
            parsed.append(parse(number, obj))
        except LedgerError as exc:
            report.errors.append((number, str(exc)))
        if len(parsed) >= chunk:
            _check_chunk(simulation, parsed, good, report)
            parsed = []
    _check_chunk(simulation, parsed, good, report)
    report.errors.sort()
    return good


def _check_chunk(simulation: Simulation, items: list[Item], good: list[int], report: Report) -> None:
    simulation.prefetch(items)
    for item in items:
        try:
            if simulation.check(item):
                good.append(item.line)
            else:
                report.already += 1
        except LedgerError as exc:
            report.errors.append((item.line, str(exc)))


def write(app, path: str, fmt: str, wanted: set[int], report: Report, batch: int = 1000,
          progress: Callable[[int], None] = lambda n: None) -> None:
    """Write the wanted lines in batches, one transaction each; ids already present are skipped."""
    pending: list[Item] = []
    versions: dict = {}  # stream -> last version, kept across batches (re-read after a conflict)
    for number, obj, _ in read_lines(path, fmt):
        if number in wanted:
            pending.append(parse(number, obj, check=False))  # validated in the first pass; built once below
        if len(pending) >= batch:
            _save(app, pending, report, versions)
            progress(len(pending))
            pending = []
    if pending:
        _save(app, pending, report, versions)
        progress(len(pending))


def _save(app, items: list[Item], report: Report, versions: dict) -> None:
    for attempt in range(app.RETRIES):
        present = app.recorder.select_refs([i.id for i in items])
        todo = [i for i in items if i.id not in present]
        events = []
        for item in todo:
            stream = GLOBAL_STREAMS.get(item.type) or subject_id(item.handle)
            if stream not in versions:
                versions[stream] = app._stream_version(stream)
            events.append(build(item, stream, versions[stream], app.user))
            versions[stream] += 1
        if new_subjects := [e.originator_id for e in events if e.type in ("account", "contact")]:
            app.keys.create_many(new_subjects)  # before the events: sealing needs them
        try:
            app.events.put(events)  # one transaction; no per-event protocol checks as in app.save()
        except (IntegrityError, OperationalError):
            versions.clear()  # another writer moved some stream: read the versions again
            time.sleep(random.uniform(0, 0.01 * (attempt + 1)))
            continue
        for item in todo:
            if item.type == "forgotten":
                app.keys.destroy(subject_id(item.handle))
        report.written += len(events)
        report.already += len(items) - len(todo)
        return
    raise LedgerError("import: gave up after repeated conflicting writes; run it again to resume")
