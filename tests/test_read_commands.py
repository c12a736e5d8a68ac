"""show, why, history, list, trend, framework and rebuild, through the CLI, with --at and --as-of."""

from __future__ import annotations

import json
import sqlite3

import pytest

from ledger.bootstrap import open_views


@pytest.fixture
def story(acme):
    """Jane walked through several quadrants, with a back-dated event, a late correction and a retraction."""
    acme.ok("assess", "acme/jane", "relationship=no", "power=high", "perception=detractor", "activity=passive",
            "--at", "2026-02-01", "--id", "a1")                                               # Moderate risk
    acme.ok("log", "acme/jane", "email", "--direction", "inbound", "--at", "2026-02-10", "--id", "i1")
    acme.ok("feedback", "acme/jane", "--about", "product", "--sentiment", "negative", "--at", "2026-02-12", "--id", "f1")
    acme.ok("assess", "acme/jane", "perception=advocate", "--at", "2026-04-01", "--id", "a2")  # then retracted
    acme.ok("retract", "a2", "--reason", "Meant Bob", "--id", "r1")
    acme.ok("log", "acme/jane", "meeting", "--at", "2026-05-01", "--id", "m1")
    acme.ok("milestone", "acme", "contract-signed", "--at", "2026-06-01", "--id", "k1")
    return acme


def test_on_rules_version_1_interactions_and_feedback_alone_move_a_dimension(story):
    # a1 said passive; the inbound email and the feedback (no assessment) made her active
    story.created_before_rules_v2()
    shown = story.ok("show", "acme/jane", "--at", "2026-02-20", "--json").json
    assert shown["dimensions"]["activity"] == "active"
    assert shown["action"] == "High risk, improve perception"
    why = story.ok("why", "acme/jane", "--at", "2026-02-20", "--json").json
    activity = why["dimensions"]["activity"]
    assert {k: activity[k] for k in ("value", "source", "events", "since")} == {
        "value": "active", "source": "evidence", "events": ["i1", "f1"], "since": "2026-02-12T00:00:00+00:00"}
    assert why["rules"] == 1 and "inbound interactions and feedback" in activity["rule"]


def test_on_rules_version_2_one_contrary_signal_is_a_conflict_not_a_change(story):
    # a1 said no relationship and passive; one inbound email and one piece of feedback do not overturn it
    why = story.ok("why", "acme/jane", "--at", "2026-02-20", "--json").json
    assert why["rules"] == 2 and why["action"] == "Moderate risk, improve perception"
    assert [e["id"] for e in why["dimensions"]["relationship"]["conflicts"]] == ["i1"]
    assert [e["id"] for e in why["dimensions"]["activity"]["conflicts"]] == ["f1"]
    assert why["dimensions"]["perception"]["evidence"][1] == {
        "id": "f1", "type": "feedback", "occurred_at": "2026-02-12T00:00:00+00:00", "recorded_by": "tester",
        "what": "negative about product"}


def test_show_has_quadrant_band_and_stage(story):
    shown = story.ok("show", "acme/jane", "--at", "2026-06-02", "--json").json
    assert {k: shown[k] for k in ("handle", "quadrant", "stage")} == {
        "handle": "acme/jane", "quadrant": "high-detractor", "stage": "engagement"}
    assert shown["band"]["kind"] in ("risk", "potential")


def test_why_cites_the_framework_row_and_only_events_history_lists(story):
    why = story.ok("why", "acme/jane", "--json").json
    history_ids = {e["id"] for e in story.ok("history", "acme/jane", "--json").json["events"]}
    cited = {i for d in why["dimensions"].values() for i in d["events"]} | set(why["stage"]["events"])
    assert cited and cited <= history_ids
    assert why["framework"]["name"] == "customer-relationship-framework" and 1 <= why["framework"]["row"] <= 16
    assert why["stage"] == {"value": "engagement", "events": ["m1", "k1"],
                            "explanation": "engagement: contract signed (k1 on acme, 2026-06-01)"}


def test_at_and_as_of_disagree_exactly_where_a_retraction_falls(story):
    recorded_at = {e["id"]: e["recorded_at"] for e in story.ok("history", "acme/jane", "--json").json["events"]}
    before_retraction = recorded_at["a2"]  # a2 known, r1 not yet
    then = story.ok("show", "acme/jane", "--at", "2026-04-02", "--as-of", before_retraction, "--json").json
    now = story.ok("show", "acme/jane", "--at", "2026-04-02", "--json").json
    assert then["dimensions"]["perception"] == "advocate"
    assert now["dimensions"]["perception"] == "detractor"


def test_as_of_before_an_event_was_recorded_does_not_know_it(story):
    recorded = {e["id"]: e["recorded_at"] for e in story.ok("history", "acme/jane", "--json").json["events"]}
    early = story.ok("history", "acme/jane", "--as-of", recorded["i1"], "--json").json
    assert [e["id"] for e in early["events"]] == ["jane", "a1", "i1"]


def test_a_back_dated_event_recorded_today_changes_the_past(acme):
    acme.ok("assess", "acme/jane", "power=low", "--at", "2026-03-01", "--id", "a1")
    assert acme.ok("show", "acme/jane", "--at", "2026-03-15", "--json").json["dimensions"]["power"] == "low"
    acme.ok("assess", "acme/jane", "power=high", "--at", "2026-03-10", "--id", "a2")  # late correction
    assert acme.ok("show", "acme/jane", "--at", "2026-03-15", "--json").json["dimensions"]["power"] == "high"
    assert acme.ok("show", "acme/jane", "--at", "2026-03-05", "--json").json["dimensions"]["power"] == "low"


def test_history_shows_each_move_in_valid_time_order_with_account_milestones(story):
    story.created_before_rules_v2()
    history = story.ok("history", "acme/jane", "--json").json
    assert [e["id"] for e in history["events"]] == ["jane", "a1", "i1", "f1", "a2", "m1", "k1", "r1"]
    assert history["events"][4]["retracted_by"] == "r1" and history["events"][6]["handle"] == "acme"
    moves = history["transitions"]
    assert [m["at"][:10] for m in moves] == sorted(m["at"][:10] for m in moves)
    assert moves[0] == {"at": "2026-02-01T00:00:00+00:00", "event": "a1", "cause": "assessment",
                        "from": {"action": "unclassified", "quadrant": None, "stage": "courting"},
                        "to": {"action": "Moderate risk, improve perception", "quadrant": "high-detractor",
                               "stage": "courting"}}
    assert moves[1]["event"] == "f1" and moves[1]["to"]["action"] == "High risk, improve perception"
    dating = next(m for m in moves if m["event"] == "m1")
    assert (dating["from"]["stage"], dating["to"]["stage"]) == ("courting", "dating")


def test_an_account_has_a_stage_from_all_its_contacts_and_its_milestones(story):
    story.ok("contact", "add", "acme/bob", "--name", "Bob", "--at", "2026-01-03")
    before = story.ok("show", "acme", "--at", "2026-04-01", "--json").json
    assert (before["kind"], before["stage"], before["name"]) == ("account", "courting", "Acme Corp")
    after = story.ok("why", "acme", "--json").json
    assert (after["stage"], after["stage_events"]) == ("engagement", ["m1", "k1"])
    assert [c["handle"] for c in after["contacts"]] == ["acme/bob", "acme/jane"]
    assert story.ok("show", "acme").out.startswith("acme  Acme Corp\nstage  engagement: contract signed (k1 on acme")


def test_list_filters_by_account_action_quadrant_stage_and_staleness(story):
    story.ok("contact", "add", "acme/bob", "--name", "Bob", "--at", "2026-01-03")
    rows = story.ok("list", "--json").json
    # Bob was never met: he stays courting however far the account has gone (seed 003)
    assert [(r["handle"], r["stage"]) for r in rows] == [("acme/bob", "courting"), ("acme/jane", "engagement")]
    assert [r["handle"] for r in story.ok("list", "--quadrant", "high-detractor", "--json").json] == ["acme/jane"]
    assert [r["handle"] for r in story.ok("list", "--action", "unclassified", "--json").json] == ["acme/bob"]
    assert [r["handle"] for r in story.ok("list", "--stage", "courting", "--json").json] == ["acme/bob"]
    assert [r["handle"] for r in story.ok("list", "--stale", "30", "--json").json] == ["acme/bob", "acme/jane"]
    assert story.ok("list", "--at", "2026-01-02", "--json").json[0]["handle"] == "acme/jane"  # Bob not yet


def test_trend_has_every_period_from_the_first_event_with_a_direction(story):
    story.created_before_rules_v2()
    trend = story.ok("trend", "acme/jane", "--by", "month", "--at", "2026-06-30", "--json").json
    assert [p["start"] for p in trend["periods"]] == ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01",
                                                      "2026-05-01", "2026-06-01"]
    assert [p["interactions"] for p in trend["periods"]] == [0, 1, 0, 0, 1, 0]
    assert trend["periods"][0]["score"] is None and trend["periods"][1]["score"] == -3
    assert trend["direction"] in ("improving", "steady", "declining")
    text = story.ok("trend", "acme/jane", "--at", "2026-06-30").out
    assert text.startswith(f"acme/jane by month: {trend['direction']}  {trend['sparkline']}\n")


def test_account_trend_sums_interactions_over_its_contacts(story):
    trend = story.ok("trend", "--account", "acme", "--by", "quarter", "--at", "2026-06-30", "--json").json
    assert [p["start"] for p in trend["periods"]] == ["2026-01-01", "2026-04-01"]
    assert [p["interactions"] for p in trend["periods"]] == [1, 1]


def test_framework_show_prints_the_seed_table(relledger):
    table = relledger.ok("framework", "show", "--json").json
    assert (table["name"], table["version"], len(table["rows"])) == ("customer-relationship-framework", 1, 16)
    assert relledger.ok("framework", "show").out.splitlines()[2].split()[-4:] == ["Low", "risk,", "move", "on"]


def test_an_adopted_framework_applies_from_its_date_and_the_past_keeps_the_old_one(story, tmp_path):
    custom = story.ok("framework", "show", "--json").json
    custom["name"] = "our-playbook"
    custom["rows"] = [dict(r, action="Call the account lead") for r in custom["rows"]]
    path = tmp_path / "playbook.json"
    path.write_text(json.dumps(custom))
    story.ok("framework", "adopt", str(path), "--at", "2026-05-15", "--id", "fw2")
    assert story.ok("show", "acme/jane", "--json").json["framework"] == {"name": "our-playbook", "version": 2, "row": 10}
    assert story.ok("show", "acme/jane", "--json").json["action"] == "Call the account lead"
    past = story.ok("show", "acme/jane", "--at", "2026-05-01", "--json").json
    assert past["framework"]["version"] == 1 and past["action"] != "Call the account lead"
    assert story.ok("framework", "show", "--json").json["version"] == 2
    assert story.ok("list", "--json").json[0]["framework"] == {"name": "our-playbook", "version": 2}
    assert story.ok("history", "acme/jane", "--at", "2026-05-01", "--json").json["framework"]["version"] == 1
    periods = story.ok("trend", "acme/jane", "--json").json["periods"]
    assert (periods[3]["framework"]["version"], periods[5]["framework"]["version"]) == (1, 2)  # April, June


def test_a_bad_framework_file_is_refused_and_nothing_written(story, tmp_path):
    bad = tmp_path / "bad.json"
    before = story.event_count()
    for content, message in [("{", "file: not JSON"), ('{"name": "x", "rows": []}', "16 rows"),
                             ('{"name": "x", "rows": [{"relationship": "maybe"}]}', "row 1: 'relationship' must be")]:
        bad.write_text(content)
        run = story("framework", "adopt", str(bad))
        assert run.code == 1 and message in run.err and run.err.count("\n") == 1
    assert story("framework", "adopt", str(tmp_path / "missing.json")).code == 2
    assert story.event_count() == before


def test_rebuild_recreates_identical_views(story):
    story.ok("status")  # catch up incrementally, in several calls already made by the fixture
    store = open_views(str(story.path))
    incremental = store.dump()
    assert story.ok("rebuild").out == f"rebuilt views from {story.event_count()} events\n"
    assert store.dump() == incremental
    store.close()


def test_a_catch_up_far_behind_builds_the_same_views_and_their_indexes_again(story):
    story.ok("status")
    store = open_views(str(story.path))
    incremental = store.dump()
    for table in ("view_events", "view_subjects", "view_positions"):
        store.db.run(f"DELETE FROM {table}")
    store.BULK = 1  # as if a bulk import had left it far behind
    assert store.catch_up() == story.event_count()
    assert store.dump() == incremental
    indexes = {r[0] for r in store.db.query("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"view_events_subject", "view_events_frameworks"} <= indexes
    store.close()


def test_rebuild_moves_views_of_an_older_layout_to_the_current_one(story):
    show = story.ok("show", "acme/jane").out
    with sqlite3.connect(story.path) as conn:  # the layout before view_events was keyed by rowid
        conn.execute("DROP TABLE view_events")
        conn.execute("CREATE TABLE view_events (notification_id BIGINT PRIMARY KEY, event_id TEXT NOT NULL, "
                     "type TEXT NOT NULL, subject TEXT, account TEXT, occurred BIGINT NOT NULL, "
                     "recorded BIGINT NOT NULL, recorded_by TEXT NOT NULL, data TEXT NOT NULL)")
    story.ok("rebuild")
    with sqlite3.connect(story.path) as conn:
        layout = conn.execute("SELECT sql FROM sqlite_master WHERE name='view_events'").fetchone()[0]
    assert "notification_id INTEGER PRIMARY KEY" in layout
    assert story.ok("show", "acme/jane").out == show


def test_a_read_processes_only_what_its_views_have_not_seen(story):
    story.ok("show", "acme/jane")
    store = open_views(str(story.path))
    assert store.catch_up() == 0
    story.ok("log", "acme/jane", "call")
    assert store.catch_up() == 1
    store.close()


def test_status_shows_each_views_position(story):
    status = story.ok("status", "--json").json
    assert status["views"] == {"events": status["events"], "subjects": status["events"]}


def test_views_hold_no_personal_data(acme):
    acme.ok("log", "acme/jane", "call", "--note", "Secret plans")
    acme.ok("show", "acme/jane")
    with sqlite3.connect(acme.path) as conn:
        rows = conn.execute("SELECT data FROM view_events").fetchall()
    assert not [r for r in rows if "Secret" in r[0] or "Jane Doe" in r[0] or "CTO" in r[0]]


@pytest.mark.parametrize("args,message", [
    (["show", "acme/jane", "--at", "soon"], "'--at': 'soon' is not an ISO 8601"),
    (["why", "acme/jane", "--as-of", "2026-13-01"], "'--as-of': '2026-13-01' is not an ISO 8601"),
    (["list", "--quadrant", "middle"], "'--quadrant': 'middle' is not one of"),
    (["list", "--stage", "married"], "'--stage': 'married' is not one of"),
    (["list", "--stale", "-3"], "'--stale': -3 is not in the range x>=0"),
    (["list", "--account", "nope"], "handle: no account 'nope'"),
    (["trend"], "give a contact HANDLE or --account A"),
    (["trend", "acme/jane", "--account", "acme"], "give a contact HANDLE or --account A"),
    (["trend", "acme/jane", "--by", "year"], "'--by': 'year' is not one of"),
    (["trend", "--account", "acme/jane"], "account: 'acme/jane' is a contact"),
    (["show", "acme/jane", "--as-of", "2025-01-01"], "handle: no contact 'acme/jane'"),
])
def test_bad_read_input_is_refused_in_one_line(acme, args, message):
    before = acme.event_count()
    run = acme(*args)
    assert run.code != 0 and run.out == "" and run.err.count("\n") == 1 and message in run.err, run.err
    assert acme.event_count() == before
