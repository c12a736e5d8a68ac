"""Facts about each event type live in one place (ledger.facts, carried by the class); history shows every type."""

from __future__ import annotations

import json

from ledger import events as ev
from ledger.facts import FACTS, TYPES, summary
from ledger.transfer import CSV_COLUMNS
from test_transfer import full  # noqa: F401  (the fixture is reused)

SUBJECTS = {"account", "contact", "account or contact", "new account", "new contact", ""}


def all_event_classes(base=ev.RecordedEvent) -> set[type]:
    found = set()
    for cls in base.__subclasses__():
        if cls.__module__ == "ledger.events":
            found.add(cls)
        found |= all_event_classes(cls)
    return found - {ev.LedgerEvent}


def test_every_event_class_has_its_facts_and_every_fact_a_class():
    classes = all_event_classes()
    assert {cls.type for cls in classes} == set(TYPES) == set(ev.EVENT_TYPES)
    for cls in classes:
        facts = cls.FACTS
        assert facts is TYPES[cls.type] and facts.topic == cls.__name__, cls
        own = tuple(k for k in cls.model_fields if k not in ev.LedgerEvent.model_fields)
        assert facts.fields == own, f"{cls.type}: fields {facts.fields} != the model's {own}"
        assert set(facts.personal) <= set(own) and cls.PERSONAL == facts.personal
        assert facts.subject in SUBJECTS and facts.summary, cls.type
        assert facts.refers is None or facts.refers[0] in own
        assert (facts.subject == "") == bool(facts.stream), f"{cls.type}: a type without a subject names its own stream"


def test_summaries_name_only_fields_of_their_type():
    for facts in FACTS:
        names = {part.split("}")[0].split("?")[0] for piece in facts.summary for part in piece.split("{")[1:]}
        assert names <= set(facts.fields), facts.type


def test_csv_columns_are_derived_and_cover_every_field():
    assert {f for facts in FACTS for f in facts.fields} <= set(CSV_COLUMNS)
    assert CSV_COLUMNS[:7] == ["type", "id", "contact", "account", "occurred_at", "recorded_at", "recorded_by"]


def test_history_shows_the_details_of_every_type(full):
    full.ok("contact", "reports-to", "acme/bob", "-", "--at", "2026-03-05")
    full.ok("rules", "adopt", "2", "--at", "2026-03-06")
    lines = [json.loads(line) for line in full.ok("export").out.splitlines()]
    assert {line["type"] for line in lines} == set(TYPES)
    for line in lines:
        assert summary(line), line
    text = full.ok("history", "acme/bob", "--at", "2026-10-01").out
    assert "reports to acme/jane" in text and "reports to nobody we know of" in text
    jane = full.ok("history", "acme/jane", "--at", "2026-10-01").out
    assert "roles now champion" in jane and "call outbound answered - Intro [q1]" in jane
