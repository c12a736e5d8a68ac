"""The current-state view (ADR 0019) answers exactly as folding does, as time passes and events
arrive, across a rules adoption and a framework adoption mid-history; rebuild reproduces it."""

from __future__ import annotations

import json

from report_story import record_story

from ledger.bootstrap import open_views
from ledger.projections.accounts import account_gaps, every_gaps, fold_state, relationship_map
from ledger.projections.current import NEVER
from ledger.projections.reports import Answers
from ledger.projections.timeline import micros
from ledger.projections.worklist import due
from ledger.timeutil import parse_when

MOMENTS = ["2026-03-20", "2026-06-30", "2026-10-15", "2026-11-01", "2027-01-10", "2027-06-01", "2028-01-01"]


def scripted(r, tmp_path) -> None:
    """The report story on a ledger that started on rules version 1, adopting version 2 and a
    framework mid-history, with evidence that ages out of windows and goes stale."""
    r.ok("account", "add", "seed", "--name", "Seed", "--at", "2026-01-01")
    r.created_before_rules_v2()
    record_story(r)
    for day in ("2026-03-01", "2026-03-03", "2026-03-05"):
        r.ok("feedback", "initech/peter", "--about", "service", "--sentiment", "negative", "--at", day)
        r.ok("log", "umbrella/dan", "call", "--direction", "inbound", "--at", day)
    r.ok("rules", "adopt", "2", "--at", "2026-07-01", "--id", "rules-2")
    custom = r.ok("framework", "show", "--json").json
    custom["rows"] = [dict(row, action=row["action"] + " (playbook)") for row in custom["rows"]]
    (tmp_path / "fw.json").write_text(json.dumps(custom))
    r.ok("framework", "adopt", str(tmp_path / "fw.json"), "--at", "2026-09-01", "--id", "fw2")
    r.ok("milestone", "initech", "contract-signed", "--at", "2026-10-25")


KNOWN = micros(parse_when("2099-01-01"))  # as known now: everything recorded (events cannot be dated ahead)


def answers_about(store, day: str, current: bool) -> Answers:
    """Answers about ``day`` as if it were now (time passing is simulated: the ledger was written today)."""
    return Answers(store, micros(parse_when(day)), KNOWN, current=current)


def every_answer(found: Answers) -> dict:
    accounts = found.store.accounts()
    return {"list": found.listing(), "due": due(found), "gaps": [account_gaps(found, a) for a in accounts],
            "maps": [relationship_map(found, a) for a in accounts], "stale": found.listing(stale=30),
            "quadrant": found.listing(quadrant="high-advocate"), "stage": found.listing(stage_name="engagement")}


def worklist(found: Answers) -> dict:
    """`due` and `gaps` as the commands ask them: every account at once (read together), one
    account, another number of days for gone cold."""
    return {"due": due(found), "due initech": due(found, "initech"), "due cold 10": due(found, cold_days=10),
            "gaps": every_gaps(found), "gaps cold 10": every_gaps(found, 10)}


def test_the_view_answers_as_folding_does_as_time_passes_and_events_arrive(relledger, tmp_path):
    scripted(relledger, tmp_path)
    store = open_views(str(relledger.path))
    store.catch_up()
    for n, day in enumerate(MOMENTS):
        if n == 3:  # events arriving between reads mark the rows they change
            relledger.ok("log", "umbrella/bob", "meeting", "--at", "2026-10-30")
            relledger.ok("milestone", "umbrella", "long-term-commitment", "--at", "2026-10-31")
            store.catch_up()
        assert every_answer(answers_about(store, day, True)) == every_answer(answers_about(store, day, False)), day
    store.close()


def test_due_and_gaps_from_the_view_are_those_folding_gives_at_the_same_instant(relledger, tmp_path):
    scripted(relledger, tmp_path)
    relledger.ok("review", "initech", "--note", "quarterly", "--at", "2026-03-01")
    store = open_views(str(relledger.path))
    store.catch_up()
    for day in MOMENTS:
        viewed, folded = worklist(answers_about(store, day, True)), worklist(answers_about(store, day, False))
        assert viewed == folded, day
        assert viewed["due"] and viewed["gaps"], day  # something to compare
    store.close()


def test_a_view_made_before_the_worklist_columns_gets_them_and_answers_as_folding_does(relledger, tmp_path):
    scripted(relledger, tmp_path)
    store = open_views(str(relledger.path))
    store.catch_up()
    answers_about(store, "2026-10-15", True).listing()
    for column in ("owed", "work"):  # the layout before them
        store.db.run(f"ALTER TABLE view_contacts DROP COLUMN {column}")
    store.db.run("DROP INDEX view_contacts_registered")
    store.close()
    store = open_views(str(relledger.path))
    assert worklist(answers_about(store, "2026-10-15", True)) == worklist(answers_about(store, "2026-10-15", False))
    store.close()


def test_a_row_holds_its_answer_until_the_moment_it_names(relledger, tmp_path):
    scripted(relledger, tmp_path)
    store = open_views(str(relledger.path))
    store.catch_up()
    now = micros(parse_when("2026-10-15"))
    answers_about(store, "2026-10-15", True).current.refresh()
    expiry = dict(store.db.query("SELECT handle, expires FROM view_contacts"))
    assert expiry["initech/peter"] == micros(parse_when("2026-10-20"))  # his next record
    assert now < expiry["umbrella/bob"] < NEVER  # what was assessed on 2026-10-01 goes stale (or leaves a window)
    assert expiry["umbrella/dan"] == NEVER  # already stale: nothing ahead changes it
    for handle, moment in expiry.items():
        if moment == NEVER:
            continue
        held = fold_state(Answers(store, moment - 1, KNOWN), handle)
        assert held == fold_state(Answers(store, now, KNOWN), handle), handle
        assert fold_state(Answers(store, moment, KNOWN), handle) != held, handle
    store.close()


def test_rebuild_reproduces_the_view_exactly(relledger, tmp_path):
    scripted(relledger, tmp_path)
    store = open_views(str(relledger.path))
    store.catch_up()
    for day in MOMENTS[:4]:
        answers_about(store, day, True).listing()
    incremental = answers_about(store, MOMENTS[3], True).current
    incremental.refresh()
    before = incremental.dump()
    store.rebuild()
    rebuilt = answers_about(store, MOMENTS[3], True).current
    rebuilt.refresh()
    assert rebuilt.dump() == before
    store.close()



def test_work_rows_written_before_their_own_gaps_were_stored_give_the_same_gaps(relledger, tmp_path):
    scripted(relledger, tmp_path)
    store = open_views(str(relledger.path))
    store.catch_up()
    viewed = answers_about(store, "2026-10-15", True)
    stored = worklist(viewed)
    for handle, work, data in store.db.query("SELECT handle, work, data FROM view_contacts"):  # the layout before own_gaps
        row, state = json.loads(work), json.loads(data)
        assert "own_gaps" in row and "complaint_records" not in row, handle
        del row["own_gaps"]
        row["stale"] = state["stale"]
        row["complaint_records"] = [{k: c[k] for k in ("id", "occurred", "about", "sentiment")}
                                    for c in state["complaint_records"]]
        store.db.run("UPDATE view_contacts SET work = ? WHERE handle = ?", (json.dumps(row), handle))
    older = worklist(answers_about(store, "2026-10-15", True))
    assert stored == older == worklist(answers_about(store, "2026-10-15", False))
    store.close()


def _complaint_gaps(found: dict, handle: str) -> list[dict]:
    return [g for a in found["gaps"] for g in a["gaps"] if g["kind"] == "feedback-without-response" and handle in g["contacts"]]


def test_a_forgotten_contacts_gaps_from_the_view_are_those_folding_gives(relledger, tmp_path):
    scripted(relledger, tmp_path)
    store = open_views(str(relledger.path))
    store.catch_up()
    assert _complaint_gaps(worklist(answers_about(store, "2026-10-15", True)), "initech/peter")
    store.close()
    relledger.ok("forget", "initech/peter", "--yes")
    store = open_views(str(relledger.path))
    store.catch_up()
    for day in ("2026-10-15", "2027-06-01"):
        viewed, folded = worklist(answers_about(store, day, True)), worklist(answers_about(store, day, False))
        assert viewed == folded, day
        assert not _complaint_gaps(viewed, "initech/peter"), day
    store.close()
