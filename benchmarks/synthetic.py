"""A synthetic ledger for benchmarks, written through the real mapper and recorder.

Events are built as the application builds them (pydantic events, personal fields sealed
with each contact's key, ids indexed) but saved in batches of one transaction each, as a
bulk import would, instead of one command at a time.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from ledger import events as ev
from ledger.application import new_event_id
from ledger.bootstrap import open_ledger
from ledger.identity import subject_id

START = datetime(2025, 1, 1, tzinfo=timezone.utc)


def generate(path: str, contacts: int, events: int, batch: int = 5000, seed: int = 7) -> None:
    """Accounts of ten contacts each, then ``events`` events spread over the contacts."""
    rng = random.Random(seed)
    app = open_ledger(path, "bench", create=True)
    versions: dict[str, int] = {}
    pending: list = []

    def add(cls, handle: str, day: float, **fields) -> None:
        versions[handle] = versions.get(handle, 0) + 1
        when = START + timedelta(days=day)
        pending.append(cls(originator_id=subject_id(handle), originator_version=versions[handle], timestamp=when,
                           id=new_event_id(), handle=handle, occurred_at=when, recorded_by="bench", **fields))
        if len(pending) >= batch:
            app.save(*pending)
            pending.clear()

    handles = [f"acct{c // 10}/p{c}" for c in range(contacts)]
    for n in range(0, contacts, 10):
        add(ev.AccountRegistered, f"acct{n // 10}", 0, name=f"Account {n // 10}")
    for handle in handles:
        app.keys.create(subject_id(handle))
        add(ev.ContactRegistered, handle, 0, name=f"Person {handle}", account=handle.split("/")[0], title="Buyer")
    for n in range(max(0, events - contacts - contacts // 10)):
        handle, day = rng.choice(handles), 600 * n / max(1, events)
        roll = rng.random()
        if roll < 0.7:
            add(ev.InteractionRecorded, handle, day, kind=rng.choice(["call", "email", "meeting"]),
                direction=rng.choice(["outbound", "inbound"]), note="synthetic note")
        elif roll < 0.9:
            add(ev.FeedbackReceived, handle, day, about="product", sentiment=rng.choice(["positive", "negative"]))
        else:
            add(ev.DimensionAssessed, handle, day, dimensions={"power": rng.choice(["low", "high"])}, reason="r")
    if pending:
        app.save(*pending)
    app.close()
