"""Several people per interaction (ADR 0017): one event, one id, counted for each of them."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import LedgerCLI
from test_postgres import SERVER, pg  # noqa: F401  (the fixture is reused)

needs_postgres = pytest.mark.skipif(not SERVER, reason="RELLEDGER_TEST_POSTGRES_URL is not set")


@pytest.fixture
def team(acme: LedgerCLI) -> LedgerCLI:
    """acme with Jane (registered in January), Raj and Bo, and Wile at another account."""
    acme.ok("contact", "add", "acme/raj", "--name", "Raj Patel", "--at", "2026-01-03", "--id", "raj")
    acme.ok("contact", "add", "acme/bo", "--name", "Bo Berg", "--at", "2026-01-03", "--id", "bo")
    acme.ok("account", "add", "coyote", "--name", "Coyote", "--at", "2026-01-01")
    acme.ok("contact", "add", "coyote/wile", "--name", "Wile", "--at", "2026-01-04")
    return acme


def history(ledger: LedgerCLI, handle: str) -> list[dict]:
    return ledger.ok("history", handle, "--json").json["events"]


def interactions(ledger: LedgerCLI, handle: str) -> list[dict]:
    return [e for e in history(ledger, handle) if e["type"] == "interaction"]


def test_one_meeting_with_two_contacts_is_one_event_in_both_histories_and_both_are_dating(team):
    before = team.event_count()
    run = team.ok("log", "acme/jane", "acme/raj", "meeting", "--note", "pricing", "--at", "2026-02-01", "--json")
    assert team.event_count() == before + 1
    event_id = run.json["id"]
    for handle in ("acme/jane", "acme/raj"):
        (seen,) = interactions(team, handle)
        assert seen["id"] == event_id and seen["contacts"] == ["acme/jane", "acme/raj"] and seen["note"] == "pricing"
        assert team.ok("show", handle, "--json").json["stage"] == "dating"
    assert team.ok("show", "acme/bo", "--json").json["stage"] == "courting"


def test_the_table_history_names_everyone_met_once(team):
    team.ok("log", "acme/jane", "acme/raj", "acme/bo", "call", "--outcome", "answered", "--at", "2026-02-01")
    assert "for acme/jane, acme/raj, acme/bo" in team.ok("log", "acme/jane", "acme/raj", "acme/bo", "email").out
    text = team.ok("history", "acme/bo").out
    assert "with acme/jane, acme/raj, acme/bo" in text and "[acme/jane]" not in text


def test_each_named_contact_gets_the_evidence(team):
    team.ok("log", "acme/jane", "acme/raj", "call", "--outcome", "answered", "--at", "2026-02-01")
    for handle in ("acme/jane", "acme/raj"):
        shown = team.ok("show", handle, "--json").json
        assert shown["dimensions"]["relationship"] == "yes"
    assert team.ok("show", "acme/bo", "--json").json["dimensions"]["relationship"] != "yes"
    assert team.ok("rules", "adopt", "2").code == 0
    assert team.ok("show", "acme/raj", "--json").json["dimensions"]["relationship"] == "yes"


def test_list_refreshes_every_named_contact_of_the_current_state_view(team):
    before = {r["handle"]: r["stage"] for r in team.ok("list", "--json").json}
    assert before["acme/raj"] == before["acme/bo"] == "courting"
    team.ok("log", "acme/jane", "acme/raj", "acme/bo", "meeting", "--at", "2026-02-01")
    after = {r["handle"]: r["stage"] for r in team.ok("list", "--json").json}
    assert after["acme/raj"] == after["acme/bo"] == after["acme/jane"] == "dating"


def test_gaps_count_the_call_for_everyone_on_it(team):
    team.ok("log", "acme/jane", "acme/raj", "acme/bo", "call", "--outcome", "answered", "--at", "2026-02-01")
    (acme,) = team.ok("gaps", "--account", "acme", "--at", "2026-02-10", "--json").json
    kinds = {g["kind"]: g for g in acme["gaps"]}
    assert "single-threaded" not in kinds and "gone-cold" not in kinds


def test_a_contact_of_another_account_met_together_is_dating_and_so_is_its_account(team):
    team.ok("log", "acme/jane", "coyote/wile", "meeting", "--at", "2026-02-01")
    assert team.ok("show", "coyote/wile", "--json").json["stage"] == "dating"
    assert team.ok("show", "coyote", "--json").json["stage"] == "dating"
    assert "dating" in team.ok("report", "coyote").out and "dating" not in team.ok("report", "coyote", "--at", "2026-01-20").out
    assert sum(p["interactions"] for p in team.ok("trend", "coyote/wile", "--json").json["periods"]) == 1


def test_retracting_the_meeting_takes_it_back_for_everyone(team):
    meeting = team.ok("log", "acme/jane", "acme/raj", "meeting", "--at", "2026-02-01", "--json").json["id"]
    team.ok("list")
    team.ok("retract", meeting, "--reason", "wrong day")
    for handle in ("acme/jane", "acme/raj"):
        assert team.ok("show", handle, "--json").json["stage"] == "courting"
        assert interactions(team, handle)[0]["retracted_by"]
    assert {r["stage"] for r in team.ok("list", "--json").json} == {"courting"}


def test_the_same_command_again_is_already_recorded_and_other_contacts_under_its_id_are_refused(team):
    args = ("log", "acme/jane", "acme/raj", "meeting", "--at", "2026-02-01", "--id", "m1")
    team.ok(*args)
    again = team.ok(*args)
    assert "already recorded" in again.out + again.err
    other = team("log", "acme/jane", "acme/bo", "meeting", "--at", "2026-02-01", "--id", "m1")
    assert other.code != 0 and "id: 'm1' already names a different event" in other.err


def test_one_handle_keeps_its_form_and_its_messages(team):
    team.ok("log", "acme/jane", "call", "--at", "2026-02-01")
    assert interactions(team, "acme/jane")[0]["contacts"] == []
    assert "Missing argument 'KIND'" in team("log", "acme/jane").err
    assert "Missing argument 'HANDLE...'" in team("log").err
    assert "'KIND': 'acme/raj' is not one of" in team("log", "acme/jane", "acme/raj").err


BAD = [
    (["acme/jane", "acme/nobody"], "handle: no contact 'acme/nobody' in this ledger"),
    (["acme/jane", "acme/raj", "acme/jane"], "contacts: 'acme/jane' is named twice"),
    (["acme/jane", "acme"], "handle: 'acme' is an account; this needs a contact"),
    (["acme/jane", "Not A Handle"], "contacts: 'Not A Handle' is not a valid handle"),
    (["acme/jane", "acme/raj"], "handle: contact 'acme/raj' has been forgotten"),
    (["acme/raj", "acme/jane"], "handle: contact 'acme/raj' has been forgotten"),
]


@pytest.mark.parametrize("handles, message", BAD)
def test_a_bad_contact_among_several_is_refused_in_one_line_and_nothing_is_written(team, handles, message):
    team.ok("forget", "acme/raj", "--yes")
    before = team.event_count()
    run = team("log", *handles, "meeting", "--at", "2026-02-01")
    assert run.code != 0 and message in run.err and len(run.err.strip().splitlines()) == 1
    assert team.event_count() == before


def test_forgetting_any_named_contact_erases_the_shared_note_for_everyone(team):
    team.ok("log", "acme/jane", "acme/raj", "meeting", "--note", "Raj's divorce", "--tag", "private",
            "--at", "2026-02-01")
    team.ok("log", "acme/jane", "call", "--note", "only Jane", "--at", "2026-02-02")
    team.ok("forget", "acme/raj", "--yes")
    shared, own = interactions(team, "acme/jane")
    assert shared["note"] is None and shared["tags"] is None and shared["redacted"] is True
    assert own["note"] == "only Jane"
    assert team.ok("show", "acme/jane", "--json").json["stage"] == "dating"  # the anonymous history still counts
    assert team.ok("verify").code == 0
    exported = [json.loads(line) for line in team.ok("export").out.splitlines()]
    assert not any("divorce" in json.dumps(line) for line in exported)


def test_forgetting_the_first_contact_erases_it_too(team):
    team.ok("log", "acme/jane", "acme/raj", "meeting", "--note", "secret", "--at", "2026-02-01")
    team.ok("forget", "acme/jane", "--yes")
    (shared,) = interactions(team, "acme/raj")
    assert shared["note"] is None and shared["redacted"] is True


def _import(ledger: LedgerCLI, path, fmt: str):
    return ledger("import", str(path), "--format", fmt)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_and_import_carry_the_contacts_list(team, tmp_path, fmt):
    team.ok("log", "acme/jane", "acme/raj", "acme/bo", "meeting", "--note", "a; b\\c", "--at", "2026-02-01")
    team.ok("log", "acme/jane", "call", "--at", "2026-02-02")
    exported = tmp_path / f"out.{fmt}"
    exported.write_text(team.ok("export", "--format", fmt).out)
    copy = LedgerCLI(tmp_path / "copy.db")
    assert _import(copy, exported, fmt).code == 0
    for handle in ("acme/jane", "acme/raj", "acme/bo"):
        assert interactions(copy, handle)[0] == interactions(team, handle)[0]
    assert copy.ok("export", "--format", fmt).out == team.ok("export", "--format", fmt).out
    assert _import(copy, exported, fmt).code == 0 and copy.event_count() == team.event_count()


def test_an_import_line_may_name_the_contacts_without_contact(team, tmp_path):
    line = {"type": "interaction", "id": "m9", "contacts": ["acme/raj", "acme/bo"], "occurred_at": "2026-02-01",
            "kind": "meeting"}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(line) + "\n")
    assert _import(team, path, "jsonl").code == 0
    assert [e["id"] for e in interactions(team, "acme/bo")] == ["m9"]


def test_an_imported_shared_note_is_erased_when_any_named_contact_is_forgotten(team, tmp_path):
    line = {"type": "interaction", "id": "m8", "contacts": ["acme/jane", "acme/bo"], "occurred_at": "2026-02-01",
            "kind": "meeting", "note": "Bo's health"}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(line) + "\n")
    assert _import(team, path, "jsonl").code == 0
    assert interactions(team, "acme/jane")[0]["note"] == "Bo's health"
    team.ok("forget", "acme/bo", "--yes")
    (shared,) = interactions(team, "acme/jane")
    assert shared["note"] is None and shared["redacted"] is True


@pytest.mark.parametrize("fields, message", [
    ({"contact": "acme/jane", "contacts": ["acme/raj", "acme/jane"]}, "contacts: the first must be the contact"),
    ({"contacts": "acme/raj"}, "contacts: must be a list of contact handles"),
    ({"contacts": []}, "contacts: must be a list of contact handles"),
    ({"contacts": ["acme/raj", "acme/ghost"]}, ":1: handle: no contact 'acme/ghost'"),
])
def test_a_bad_contacts_list_in_an_import_line_is_refused_and_nothing_is_written(team, tmp_path, fields, message):
    line = {"type": "interaction", "id": "m9", "occurred_at": "2026-02-01", "kind": "meeting", **fields}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(line) + "\n")
    before = team.event_count()
    run = _import(team, path, "jsonl")
    assert run.code != 0 and message in run.err
    assert team.event_count() == before


def test_an_interaction_stored_before_several_contacts_reads_unchanged(team):
    team.ok("log", "acme/jane", "call", "--note", "old", "--at", "2026-02-01", "--id", "old")
    with sqlite3.connect(team.path) as conn:  # the stored shape of version 1: no contacts, no class_version
        (state,) = conn.execute("SELECT state FROM stored_events WHERE topic LIKE '%InteractionRecorded'").fetchone()
        old = json.loads(state)
        del old["contacts"], old["class_version"]
        conn.execute("UPDATE stored_events SET state=? WHERE topic LIKE '%InteractionRecorded'", (json.dumps(old),))
    team.ok("rebuild")
    (seen,) = interactions(team, "acme/jane")
    assert seen["note"] == "old" and seen["contacts"] == []
    assert "contacts" not in next(json.loads(x) for x in team.ok("export").out.splitlines() if '"old"' in x)


HANDLES = st.sampled_from(["acme/jane", "acme/raj", "acme/bo", "coyote/wile", "acme/gone", "acme/ghost", "acme"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(handles=st.lists(HANDLES, min_size=1, max_size=5))
def test_any_list_of_contacts_is_one_event_for_each_of_them_or_refused_in_one_line(team, handles):
    if team("history", "acme/gone", "--json").code != 0:  # once per example run: a forgotten contact
        team.ok("contact", "add", "acme/gone", "--name", "Gone", "--at", "2026-01-05")
        team.ok("forget", "acme/gone", "--yes")
    before = team.event_count()
    run = team("log", *handles, "meeting", "--at", "2026-02-01", "--json")
    valid = {"acme/jane", "acme/raj", "acme/bo", "coyote/wile"}
    if set(handles) <= valid and len(set(handles)) == len(handles):
        assert run.code == 0 and team.event_count() == before + 1
        for handle in handles:
            assert run.json["id"] in [e["id"] for e in interactions(team, handle)]
            assert team.ok("show", handle, "--json").json["stage"] == "dating"
    else:
        assert run.code != 0 and len(run.err.strip().splitlines()) == 1 and run.err.startswith("Error: ")
        assert team.event_count() == before


def lose_to_a_forget(location: str) -> None:
    """Decide a meeting with Jane and Raj, let another writer forget Raj first, then write:
    the write transaction finds the forgetting, and the meeting is decided again and refused."""
    from ledger.bootstrap import open_ledger
    from ledger.commands import Command
    from ledger.errors import ContactForgottenError
    from ledger.writer import Writer

    loser, other = open_ledger(location, "a", create=False), open_ledger(location, "b", create=False)
    writer = Writer(loser)
    assert not writer.state.subject("acme/raj").forgotten  # decided on this state (Raj's key read and kept)
    other.forget("acme/raj")
    meeting = Command("interaction", "acme/jane", {"kind": "meeting", "contacts": ("acme/jane", "acme/raj")}, "late")
    with pytest.raises(ContactForgottenError, match="'acme/raj' has been forgotten"):
        writer.record_many([meeting])
    loser.close(), other.close()


def test_a_contact_forgotten_after_the_decision_is_caught_inside_the_write(team):
    lose_to_a_forget(str(team.path))
    assert interactions(team, "acme/jane") == []


def _team_on(ledger: LedgerCLI) -> LedgerCLI:
    ledger.ok("account", "add", "acme", "--name", "Acme", "--at", "2026-01-01")
    for person in ("jane", "raj", "bo"):
        ledger.ok("contact", "add", f"acme/{person}", "--name", person.title(), "--at", "2026-01-02")
    return ledger


@needs_postgres
def test_one_meeting_with_two_contacts_on_postgresql_is_one_event_in_both_histories(pg):
    _team_on(pg)
    before = pg.event_count()
    meeting = pg.ok("log", "acme/jane", "acme/raj", "meeting", "--note", "n", "--at", "2026-02-01", "--json").json["id"]
    assert pg.event_count() == before + 1
    for handle in ("acme/jane", "acme/raj"):
        assert [e["id"] for e in interactions(pg, handle)] == [meeting]
        assert pg.ok("show", handle, "--json").json["stage"] == "dating"
    assert {r["handle"]: r["stage"] for r in pg.ok("list", "--json").json}["acme/bo"] == "courting"
    bad = pg("log", "acme/jane", "acme/ghost", "meeting")
    assert bad.code != 0 and "handle: no contact 'acme/ghost'" in bad.err and pg.event_count() == before + 1
    pg.ok("forget", "acme/raj", "--yes")
    assert interactions(pg, "acme/jane")[0]["note"] is None


@needs_postgres
def test_a_contact_forgotten_after_the_decision_is_caught_inside_the_write_on_postgresql(pg):
    _team_on(pg)
    lose_to_a_forget(pg.path)
    assert interactions(pg, "acme/jane") == []


def test_bash_completion_of_log_offers_handles_and_after_one_the_kinds_too(team):
    from test_find_and_completion import complete

    env = {"RELLEDGER_DB": str(team.path)}
    assert complete(env, "relledger log acme/r") == ["acme/raj"]
    assert complete(env, "relledger log acme/jane acme/b") == ["acme/bo"]
    assert complete(env, "relledger log acme/jane acme/raj m") == ["meeting", "message"]


def test_fields_sealed_for_several_contacts_open_only_with_every_key():
    import os
    from uuid import uuid4

    from ledger.keys import FORGOTTEN, Unopenable
    from ledger.sealing import open_layers, seal_layers

    first, *others = [os.urandom(32) for _ in range(3)]
    streams = [uuid4(), uuid4()]
    blob = seal_layers([first, *others], b'{"note": "n"}', b"ad")
    keys = dict(zip(streams, others))
    assert open_layers(keys.get, first, blob, b"ad", streams) == {"note": "n"}
    assert open_layers({**keys, streams[1]: FORGOTTEN}.get, first, blob, b"ad", streams) is None
    with pytest.raises(Unopenable):
        open_layers({**keys, streams[0]: os.urandom(32)}.get, first, blob, b"ad", streams)
    with pytest.raises(Unopenable):
        open_layers(keys.get, others[0], blob, b"ad", streams)


def test_views_from_before_several_contacts_on_a_read_only_ledger_are_read_as_they_are(team):
    from ledger.db import SQLiteDB
    from datetime import datetime, timezone

    from ledger.projections.reports import Answers
    from ledger.projections.timeline import micros
    from ledger.projections.views import ViewStore

    team.ok("log", "acme/jane", "call", "--outcome", "answered", "--at", "2026-02-01")
    team.ok("list")
    with sqlite3.connect(team.path) as conn:  # the views as the release before this one left them
        conn.execute("DROP TABLE view_participants")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store = ViewStore(SQLiteDB(str(team.path), read_only=True))
    now = micros(datetime.now(timezone.utc))
    answers = Answers(store, now, now)
    assert answers.show("acme/jane")["dimensions"]["relationship"] == "yes"
    store.close()
