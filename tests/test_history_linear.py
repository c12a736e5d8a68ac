"""`history` walks a contact's moments without classifying from scratch at each one (issue 12):
the values from running totals (rules version 1) and from the fold (version 2), and the
positions built from them, are exactly what ``classify`` and ``stage`` give at every moment."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.framework import DIMENSION_ORDER, builtin_framework
from ledger.projections.classification import Timeline, classify, evidence_rules
from ledger.projections.contact import ContactView
from ledger.projections.evidence import Timeline2
from ledger.projections.timeline import DAY, in_valid_order
from ledger.rules import builtin_rules

FRAMEWORK = builtin_framework()
START = 1_767_225_600_000_000  # 2026-01-01

INTERACTION = st.fixed_dictionaries({
    "type": st.just("interaction"), "kind": st.sampled_from(["call", "email", "meeting"]),
    "direction": st.sampled_from(["outbound", "inbound"]),
    "outcome": st.sampled_from([None, "answered", "returned", "unanswered", "declined", "held"])})
FEEDBACK = st.fixed_dictionaries({
    "type": st.just("feedback"), "about": st.sampled_from(["product", "service", "you", "company"]),
    "sentiment": st.sampled_from(["positive", "neutral", "negative"])})
VALUES = {"power": ["low", "high"], "relationship": ["yes", "no"], "activity": ["active", "passive"],
          "perception": ["advocate", "detractor"]}
ASSESSMENT = st.fixed_dictionaries({"type": st.just("assessment"), "dimensions": st.sampled_from(DIMENSION_ORDER).flatmap(
    lambda d: st.fixed_dictionaries({d: st.sampled_from(VALUES[d])}))})
ROLES = st.fixed_dictionaries({"type": st.just("roles"), "roles": st.lists(st.sampled_from(
    ["decision-maker", "economic-buyer", "champion", "user"]), max_size=2)})
EVENT = st.tuples(st.integers(0, 400), st.one_of(INTERACTION, FEEDBACK, ASSESSMENT, ROLES))


def records(drawn: list[tuple[int, dict]]) -> list[dict]:
    found = [{"id": "reg", "type": "contact", "handle": "acme/jane", "occurred": START, "recorded": START, "by": "t",
              "roles": []}]
    for n, (day, fields) in enumerate(drawn):
        when = START + day * DAY + n
        found.append({"id": f"e{n}", "handle": "acme/jane", "occurred": when, "recorded": when, "by": "t", **fields})
    return in_valid_order(found)


def moments(history: list[dict]) -> list[int]:
    """Every event, a microsecond either side, and every window edge (version 1's change points)."""
    edges = {r["occurred"] + d * DAY + s for r in history for d in (30, 60, 90, 180) for s in (-1, 0, 1)}
    return sorted({r["occurred"] + s for r in history for s in (-1, 0, 1)} | edges)


@settings(max_examples=60, deadline=None)
@given(drawn=st.lists(EVENT, max_size=40))
def test_version_1_values_from_running_totals_are_those_the_window_scans_give(drawn):
    history = records(drawn)
    line = Timeline(history, evidence_rules(1))
    for point in moments(history):
        assert line.values(point) == {d: s.value if s else None for d, s in line.signals(point).items()}, point


@settings(max_examples=40, deadline=None)
@given(drawn=st.lists(EVENT, max_size=40))
def test_version_2_values_are_those_its_signals_give(drawn):
    history = records(drawn)
    line = Timeline2(history, builtin_rules(2))
    for point in moments(history):
        assert line.values(point) == {d: s.value if s else None for d, s in line.signals(point).items()}, point


@settings(max_examples=40, deadline=None)
@given(drawn=st.lists(EVENT, max_size=30), version=st.sampled_from([1, 2]))
def test_a_position_is_the_action_quadrant_and_stage_that_classify_gives(drawn, version):
    history = records(drawn)
    rules = evidence_rules(1) if version == 1 else builtin_rules(2)
    view = ContactView("acme/jane", history, lambda _: rules, lambda _: FRAMEWORK)
    for point in moments(history):
        c = classify(view.timeline(point), point, FRAMEWORK)
        expected = {"action": c["action"] or "unclassified", "quadrant": c["quadrant"], "stage": view.stage(point)["value"]}
        assert view.position(point) == expected, point
