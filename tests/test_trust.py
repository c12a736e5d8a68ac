"""Issue 15, as a tester would check it: tampering with plain SQL on the file, kept heads,
blobs bound to their events, erasure that completes or says it did not, keys apart."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import keys
from ledger.chain import chain_rows
from ledger.identity import subject_id
from ledger.recorder import StoredRow

CHANNEL = "dinner at his home"


@pytest.fixture
def story(acme):
    """A scripted ledger: Jane's call, feedback (fb, with a channel), assessment; a goal."""
    acme.ok("log", "acme/jane", "call", "--outcome", "answered", "--note", "Renewal plans", "--id", "c1", "--at", "2026-02-01")
    acme.ok("feedback", "acme/jane", "--about", "product", "--sentiment", "negative", "--note", "Too slow",
            "--channel", CHANNEL, "--id", "fb", "--at", "2026-02-02")
    acme.ok("assess", "acme/jane", "power=high", "--reason", "Signs budgets", "--id", "as1", "--at", "2026-02-03")
    acme.ok("goal", "add", "acme", "Expand to the EU team", "--target", "2099-01-01", "--id", "g1")
    return acme


def sql(ledger, statement: str, params=()):
    with sqlite3.connect(ledger.path) as conn:
        return conn.execute(statement, params).fetchall()


def position(ledger, event_id: str) -> int:
    stream, version = sql(ledger, "SELECT originator_id, originator_version FROM event_ids WHERE id=?", (event_id,))[0]
    return sql(ledger, "SELECT rowid FROM stored_events WHERE originator_id=? AND originator_version=?", (stream, version))[0][0]


def state(ledger, event_id: str) -> dict:
    return json.loads(sql(ledger, "SELECT state FROM stored_events WHERE rowid=?", (position(ledger, event_id),))[0][0])


def put_state(ledger, event_id: str, new: dict) -> None:
    sql(ledger, "UPDATE stored_events SET state=? WHERE rowid=?", (json.dumps(new).encode(), position(ledger, event_id)))


def rechain(ledger) -> None:
    """What a careful attacker does next: recompute the whole chain so it is consistent again."""
    rows = sql(ledger, "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events ORDER BY rowid")
    linked = chain_rows((0, bytes(32)), [(r[0], StoredRow(*r[1:])) for r in rows])
    sql(ledger, "DELETE FROM event_chain")
    with sqlite3.connect(ledger.path) as conn:
        conn.executemany("INSERT INTO event_chain VALUES (?, ?, ?)", linked)


def raw_bytes(path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name))


def test_an_untouched_ledger_verifies_with_its_event_count_and_head(story):
    run = story.ok("verify")
    head = story.ok("status", "--json").json["head"]
    assert run.out == f"verified 6 events; head {head}\n"
    assert story.ok("verify", "--json").json == {"ok": True, "events": 6, "head": head, "problem": None}


def test_a_changed_sentiment_is_named_by_its_event_and_position(story):
    changed = state(story, "fb") | {"sentiment": "positive"}
    put_state(story, "fb", changed)
    run = story("verify")
    assert run.code == 1 and run.err.count("\n") == 1
    assert f"event fb at position {position(story, 'fb')} was changed or moved" in run.err


def test_a_deleted_event_is_named_by_its_position(story):
    gone = position(story, "c1")
    sql(story, "DELETE FROM stored_events WHERE rowid=?", (gone,))
    assert f"an event at position {gone} was deleted" in story("verify").err
    sql(story, "DELETE FROM event_chain WHERE position=?", (gone,))
    run = story("verify")
    assert run.code == 1 and f"event fb at position {gone + 1} follows deleted events" in run.err


def test_an_inserted_event_is_named(story):
    sql(story, "INSERT INTO stored_events SELECT originator_id, 99, topic, state FROM stored_events WHERE rowid=?",
        (position(story, "c1"),))
    run = story("verify")
    assert run.code == 1 and "at position 7 was inserted (it is not in the chain)" in run.err


def test_swapped_blobs_fail_to_open_and_are_not_shown_as_each_others_notes(story):
    call, feedback = state(story, "c1"), state(story, "fb")
    put_state(story, "c1", call | {"_sealed": feedback["_sealed"]})
    put_state(story, "fb", feedback | {"_sealed": call["_sealed"]})
    assert "event c1 at position" in story("verify").err
    rechain(story)  # even with the chain made consistent again, the blobs do not open where they were moved
    run = story("verify")
    assert run.code == 1 and "event c1 at position 3 has sealed fields that cannot be opened (damaged or moved)" in run.err
    events = {e["id"]: e for e in story.ok("history", "acme/jane", "--json").json["events"]}
    assert events["c1"]["unreadable"] and events["fb"]["unreadable"] and events["c1"]["note"] is None
    assert "[unreadable" in story.ok("history", "acme/jane").out


def test_one_changed_byte_in_a_blob_still_exports_and_reads(story, tmp_path):
    blob = state(story, "fb")["_sealed"]
    put_state(story, "fb", state(story, "fb") | {"_sealed": blob[:-1] + ("0" if blob[-1] != "0" else "1")})
    run = story("export", "-o", str(tmp_path / "out.jsonl"))
    assert run.code == 0 and "1 damaged event(s): 1 exported without their sealed fields" in run.err
    lines = {json.loads(x)["id"]: json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()}
    assert lines["fb"]["unreadable"] is True and "note" not in lines["fb"] and lines["c1"]["note"] == "Renewal plans"
    assert story.ok("show", "acme/jane").code == 0 and story("verify").code == 1


def test_a_kept_head_proves_the_history_up_to_it_and_a_made_up_one_fails(story):
    kept = story.ok("status", "--json").json["head"]
    story.ok("log", "acme/jane", "email", "--id", "later")
    assert story.ok("verify", "--head", kept, "--json").json["kept_head"] == {
        "digest": kept, "found": True, "position": 6, "events": 6}
    made_up = "ab" * 32
    run = story("verify", "--head", made_up)
    assert run.code == 1 and f"the kept head {made_up} is not in this ledger's chain" in run.err
    assert "head: not a digest" in story("verify", "--head", "xyz").err


def test_a_consistent_rewrite_of_the_whole_chain_is_caught_only_by_a_kept_head(story):
    kept = story.ok("status", "--json").json["head"]
    put_state(story, "fb", state(story, "fb") | {"sentiment": "positive"})
    rechain(story)
    assert story("verify").code == 0
    assert story("verify", "--head", kept).code == 1


def test_forget_with_a_reader_holding_a_transaction_says_the_data_is_not_erased_yet(story, monkeypatch):
    monkeypatch.setattr(keys, "ERASE_TRIES", 2)
    monkeypatch.setattr(keys, "ERASE_WAIT", 0.1)
    story.ok("log", "acme/jane", "call", "--note", "warm the WAL")
    reader = sqlite3.connect(story.path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM contact_keys").fetchall()
    wrapped = sql(story, "SELECT key FROM contact_keys WHERE originator_id=?", (subject_id("acme/jane").hex,))[0][0]
    run = story("forget", "acme/jane", "--yes")
    assert run.code == 1 and "forget: not erased yet" in run.err and "run the same forget again" in run.err
    assert wrapped in raw_bytes(story.path)
    reader.close()
    assert story.ok("forget", "acme/jane", "--yes").code == 0
    assert wrapped not in raw_bytes(story.path)


def test_after_forget_the_chain_still_verifies_and_the_channel_is_nowhere_in_the_files(story):
    assert CHANNEL.encode() not in raw_bytes(story.path)
    story.ok("forget", "acme/jane", "--yes")
    assert story.ok("verify").out.startswith("verified 7 events")
    assert CHANNEL.encode() not in raw_bytes(story.path) and b"Expand to the EU" not in raw_bytes(story.path)
    assert story.ok("plan", "acme", "--json").json["goals"][0]["text"] == "Expand to the EU team"


def test_a_crash_between_the_forgotten_event_and_the_key_destruction_leaves_nothing_readable(story):
    from ledger.bootstrap import open_ledger

    app = open_ledger(str(story.path), "t", create=False)
    app.keys.destroy = lambda subject: None  # the process dies after the event commits, before the key goes
    app.forget("acme/jane")
    app.close()
    assert story.ok("show", "acme/jane", "--json").json["name"] is None
    story.ok("account", "add", "other", "--name", "O")  # the next open for writing repairs it
    assert sql(story, "SELECT key FROM contact_keys WHERE originator_id=?", (subject_id("acme/jane").hex,)) == [(None,)]
    assert sql(story, "SELECT COUNT(*) FROM ledger_meta WHERE name LIKE 'erase:%'") == [(0,)]


def test_new_ledger_files_and_directories_are_readable_by_the_owner_only(relledger, tmp_path, private_config):
    where = tmp_path / "new" / "dir" / "ledger.db"
    relledger.ok("account", "add", "acme", "--name", "Acme", env={"RELLEDGER_DB": str(where)})
    for path in [where] + [p for p in where.parent.iterdir() if p.name.startswith("ledger.db-")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(where.parent.stat().st_mode) == stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    (key_file,) = (private_config / "relledger" / "keys").iterdir()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == stat.S_IMODE(key_file.parent.parent.stat().st_mode) == 0o700


def test_the_database_file_alone_reveals_no_personal_data_and_asks_for_its_key(story, tmp_path, monkeypatch):
    copy = tmp_path / "elsewhere" / "copy.db"
    copy.parent.mkdir()
    with sqlite3.connect(story.path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(story.path, copy)
    contents = copy.read_bytes()
    for secret in (b"Jane Doe", b"CTO", b"Renewal plans", b"Too slow", CHANNEL.encode(), b"Signs budgets", b"Expand to the EU"):
        assert secret not in contents
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "another-home"))
    run = story("show", "acme/jane", env={"RELLEDGER_DB": str(copy)})
    assert run.code == 1 and run.err.count("\n") == 1 and "ledger key: missing for this ledger" in run.err


def test_relledger_key_opens_the_ledger_for_a_team_and_a_wrong_one_is_one_clear_error(story, monkeypatch, tmp_path):
    secret = story.ok("key", "show", "--secret", "--json").json["secret"]
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "teammate"))
    assert story.ok("show", "acme/jane", "--json", env={"RELLEDGER_KEY": secret}).json["name"] == "Jane Doe"
    run = story("show", "acme/jane", env={"RELLEDGER_KEY": "00" * 32})
    assert run.code == 1 and "RELLEDGER_KEY: this key does not open the ledger" in run.err
    assert "RELLEDGER_KEY: not a ledger key" in story("log", "acme/jane", "call", env={"RELLEDGER_KEY": "nope"}).err


def test_rotating_the_ledger_key_keeps_everything_readable_and_retires_the_old_key(story):
    old = story.ok("key", "show", "--secret", "--json").json["secret"]
    run = story.ok("key", "rotate")
    assert run.out.startswith("rotated the ledger key; the new key is in ")
    assert story.ok("key", "show", "--secret", "--json").json["secret"] != old
    assert story.ok("show", "acme/jane", "--json").json["name"] == "Jane Doe"
    assert "does not open the ledger" in story("show", "acme/jane", env={"RELLEDGER_KEY": old}).err
    assert story.ok("verify").code == 0


def test_a_ledger_from_before_the_chain_is_chained_on_its_next_write_with_the_same_head(story):
    head = story.ok("status", "--json").json["head"]
    sql(story, "DROP TABLE event_chain")
    sql(story, "DELETE FROM ledger_meta WHERE name='chained'")
    assert "the ledger has no chain yet" in story("verify").err
    story.ok("account", "add", "later", "--name", "Later")
    assert story.ok("verify", "--head", head).code == 0


def test_a_ledger_from_before_the_ledger_key_gets_one_and_its_old_blobs_still_read(story):
    from ledger.keys import read_keys
    from ledger.bootstrap import open_database

    key_file = story.ok("key", "show", "--json").json["key"]
    db = open_database(str(story.path))
    raw = {sid: read_keys(db).get(__import__("uuid").UUID(sid)) for (sid,) in db.query("SELECT originator_id FROM contact_keys")}
    db.close()
    with sqlite3.connect(story.path) as conn:  # as an older version stored them: keys in the clear, no ledger key
        conn.executemany("UPDATE contact_keys SET key=? WHERE originator_id=?", [(k, s) for s, k in raw.items()])
        conn.execute("DELETE FROM ledger_meta WHERE name IN ('ledger_id', 'key_check')")
    os.remove(key_file)
    assert story.ok("show", "acme/jane", "--json").json["name"] == "Jane Doe"  # read as it was
    story.ok("log", "acme/jane", "call")  # the first write wraps the keys under a new ledger key
    assert all(len(k) == 62 for (k,) in sql(story, "SELECT key FROM contact_keys"))
    assert story.ok("history", "acme/jane", "--json").json["events"][1]["note"] == "Renewal plans"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """One scripted ledger and its key directory, copied for each corruption below."""
    from conftest import LedgerCLI

    base = tmp_path_factory.mktemp("pristine")
    ledger = LedgerCLI(base / "ledger.db")
    env = {"XDG_CONFIG_HOME": str(base / "config")}
    for args in (["account", "add", "acme", "--name", "Acme"], ["contact", "add", "acme/jane", "--name", "Jane Doe"],
                 ["log", "acme/jane", "call", "--note", "Renewal plans", "--id", "c1"],
                 ["feedback", "acme/jane", "--about", "product", "--sentiment", "negative", "--channel", CHANNEL],
                 ["goal", "add", "acme", "Expand", "--target", "2099-01-01"]):
        ledger.ok(*args, env=env)
    with sqlite3.connect(ledger.path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return base


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_random_single_byte_corruption_never_produces_a_traceback(pristine, tmp_path_factory, data):
    from conftest import LedgerCLI

    work = tmp_path_factory.mktemp("corrupt")
    shutil.copy(pristine / "ledger.db", work / "ledger.db")
    ledger = LedgerCLI(work / "ledger.db")
    ledger.env["XDG_CONFIG_HOME"] = str(pristine / "config")
    rows = sql(ledger, "SELECT rowid, state FROM stored_events")
    rowid, blob = data.draw(st.sampled_from(rows))
    at = data.draw(st.integers(0, len(blob) - 1))
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != blob[at]))
    sql(ledger, "UPDATE stored_events SET state=? WHERE rowid=?", (blob[:at] + bytes([byte]) + blob[at + 1:], rowid))
    run = ledger("verify")
    assert run.code == 1 and run.err.startswith("Error: verify: ") and run.err.count("\n") == 1
    assert ledger("export", "-o", str(work / "out.jsonl")).code == 0
    for args in (["history", "acme/jane"], ["show", "acme/jane"], ["plan", "acme"], ["status"]):
        assert ledger(*args).code in (0, 1)  # a clean answer or one clear line; LedgerCLI re-raises any traceback


def test_a_damaged_stored_key_shows_its_events_as_unreadable_and_verify_names_them(story):
    jane = subject_id("acme/jane").hex
    (wrapped,) = sql(story, "SELECT key FROM contact_keys WHERE originator_id=?", (jane,))[0]
    sql(story, "UPDATE contact_keys SET key=? WHERE originator_id=?", (wrapped[:-1] + bytes([wrapped[-1] ^ 1]), jane))
    run = story("verify")
    assert run.code == 1 and "event jane at position 2 has sealed fields that cannot be opened (its subject's key is damaged)" in run.err
    assert story.ok("show", "acme/jane", "--json").json["name"] is None
    assert story.ok("show", "acme/jane").out.startswith("acme/jane  (unreadable: see 'relledger verify')")
    assert all(e.get("unreadable") for e in story.ok("history", "acme/jane", "--json").json["events"] if e["handle"] == "acme/jane")
    refused = story("log", "acme/jane", "call", "--note", "more")
    assert refused.code == 1 and "the stored key of 'acme/jane' is damaged" in refused.err


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1))
def test_any_wrong_relledger_key_is_one_clear_line_and_writes_nothing(story, text):
    before = story.event_count()
    run = story("log", "acme/jane", "call", env={"RELLEDGER_KEY": text})
    assert run.code == 1 and run.err.count("\n") == 1 and "RELLEDGER_KEY: " in run.err
    assert story.event_count() == before


def test_a_rotation_stopped_before_its_rename_is_finished_on_the_next_open(story):
    old = story.ok("key", "show", "--secret", "--json").json
    story.ok("key", "rotate")
    new = story.ok("key", "show", "--secret", "--json").json["secret"]
    os.replace(old["key"], old["key"] + ".new")  # the new key still staged, the old one in place
    with open(old["key"], "w") as handle:
        handle.write(old["secret"] + "\n")
    assert story.ok("show", "acme/jane", "--json").json["name"] == "Jane Doe"
    assert open(old["key"]).read().strip() == new and not os.path.exists(old["key"] + ".new")
