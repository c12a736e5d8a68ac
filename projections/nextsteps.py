"""Next steps with a contact (ADR 0020), read from the event records: which are open at a
moment, when the next one falls due, and their text (sealed: read with the contact's key)."""

from __future__ import annotations

from datetime import datetime

from ledger.projections.timeline import iso, knowledge, micros

CLOSING = ("next-done", "next-dropped")
TYPES = ("next",) + CLOSING


def due_at(record: dict) -> int:
    """A step record's due moment, in microseconds."""
    return micros(datetime.fromisoformat(record["due"]))


def open_steps(records: list[dict], at: int) -> list[dict]:
    """The steps set by ``at`` and not done or dropped by then, the soonest due first (no text)."""
    closed = {r["step"] for r in records if r["type"] in CLOSING and r["occurred"] <= at}
    steps = [{"id": r["id"], "handle": r["handle"], "due": iso(due_at(r)), "set_at": iso(r["occurred"])}
             for r in records if r["type"] == "next" and r["occurred"] <= at and r["id"] not in closed]
    return sorted(steps, key=lambda s: (s["due"], s["id"]))


def next_due(records: list[dict], at: int) -> int | None:
    """The first moment after ``at`` when an open step falls due (a moment its answer changes)."""
    ahead = [micros(datetime.fromisoformat(s["due"])) for s in open_steps(records, at)]
    return min((when for when in ahead if when > at), default=None)


def with_texts(db, steps: list[dict]) -> list[dict]:
    """The steps with their ``text`` (None once the contact was forgotten)."""
    from ledger.projections.personal import personal_fields

    texts = personal_fields(db, sorted({s["handle"] for s in steps})) if steps else {}
    return [{**s, "text": texts.get(s["id"], {}).get("text")} for s in steps]


def step_list(answers, handle: str | None = None) -> list[dict]:
    """Open steps at ``at`` as known at ``as_of`` (of one contact, or of an account's contacts,
    or of every contact not forgotten), the soonest due first, each saying whether it is due."""
    if handle is not None and not answers.is_account(handle):
        found = open_steps(answers.contact_rows(handle)[1], answers.at)
    elif handle is not None:
        answers.require_account(handle)
        found = open_where(answers, "account = ?", (handle,))
    else:
        found = open_where(answers, "1 = 1")
    steps = sorted(found, key=lambda s: (s["due"], s["id"]))
    return [{**s, "is_due": due_now(s, answers.at)} for s in with_texts(answers.store.db, steps)]


def open_where(answers, where: str, params: tuple = ()) -> list[dict]:
    """Open steps at ``at`` as known at ``as_of`` among the step records ``where`` selects
    (SQL on the records' columns, e.g. ``account IS NULL``), of contacts not forgotten."""
    rows = answers.store.records(f"type IN ('next', 'next-done', 'next-dropped') AND {where}", params)
    return [s for s in open_steps(knowledge(rows, answers.as_of)[0], answers.at) if _live(answers, s["handle"])]


def due_now(step: dict, at: int) -> bool:
    """Whether the step has fallen due by ``at``."""
    return micros(datetime.fromisoformat(step["due"])) <= at


def _live(answers, handle: str) -> bool:
    subject = answers.store.subject(handle)
    return subject is not None and not (subject["forgotten"] and subject["forgotten"] <= answers.as_of)
