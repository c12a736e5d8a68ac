"""forget: personal data becomes unrecoverable; the anonymous history still counts."""

from __future__ import annotations

import sqlite3

import pytest

from ledger.identity import subject_id

SECRETS = [b"Jane Doe", b"Chief Technology Officer", b"prefers-whisky", b"Hates the new UI", b"Allergic to PowerPoint"]


@pytest.fixture
def jane(relledger):
    relledger.ok("account", "add", "acme", "--name", "Acme Corp")
    relledger.ok("contact", "add", "acme/jane", "--name", "Jane Doe", "--title", "Chief Technology Officer")
    relledger.ok("log", "acme/jane", "meeting", "--note", "Allergic to PowerPoint", "--tag", "prefers-whisky", "--at", "2026-02-01")
    relledger.ok("feedback", "acme/jane", "--about", "product", "--sentiment", "negative", "--note", "Hates the new UI", "--id", "fb")
    relledger.ok("assess", "acme/jane", "power=high", "perception=detractor", "--reason", "Jane Doe runs IT")
    relledger.ok("contact", "add", "acme/bob", "--name", "Bob Stone")
    return relledger


def raw_bytes(path) -> bytes:
    """The database file and its WAL, as a forensic byte search would read them."""
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_personal_data_is_never_stored_in_clear_text(jane):
    contents = raw_bytes(jane.path)
    assert not [s for s in SECRETS if s in contents]
    assert jane.ok("show", "acme/jane", "--json").json["name"] == "Jane Doe"


def jane_key(ledger) -> tuple[bytes, bytes]:
    """Jane's key as stored (wrapped) and unwrapped with the ledger key, through the read side."""
    from ledger.bootstrap import open_database
    from ledger.keys import read_keys

    db = open_database(str(ledger.path))
    try:
        stored = db.query("SELECT key FROM contact_keys WHERE originator_id=?", (subject_id("acme/jane").hex,))[0][0]
        return stored, read_keys(db).get(subject_id("acme/jane"))
    finally:
        db.close()


def test_forget_makes_the_personal_data_unrecoverable_even_from_the_raw_files(jane):
    jane_id, bob_id = subject_id("acme/jane").hex, subject_id("acme/bob").hex
    wrapped, key = jane_key(jane)
    assert len(key) == 32 and wrapped in raw_bytes(jane.path) and key not in raw_bytes(jane.path)
    assert jane.ok("forget", "acme/jane", "--yes").out == "forgot acme/jane\n"
    contents = raw_bytes(jane.path)
    assert not [s for s in SECRETS if s in contents]
    assert wrapped not in contents and key not in contents
    with sqlite3.connect(jane.path) as conn:
        keys = dict(conn.execute("SELECT originator_id, key FROM contact_keys"))
    assert keys[jane_id] is None and len(keys[bob_id]) == 62


def test_after_forget_no_command_shows_the_personal_data(jane):
    jane.ok("forget", "acme/jane", "--yes")
    outputs = jane.ok("show", "acme/jane").out + jane.ok("history", "acme/jane").out + jane.ok("history", "acme/jane", "--json").out
    assert not [s for s in SECRETS if s.decode() in outputs]
    assert "(forgotten)" in jane.ok("show", "acme/jane").out


def test_the_anonymous_history_still_counts_after_forget(jane):
    jane.ok("forget", "acme/jane", "--yes")
    card = jane.ok("show", "acme/jane", "--json").json
    assert (card["dimensions"]["power"], card["dimensions"]["perception"], card["forgotten"]) == ("high", "detractor", True)
    kinds = [(e["type"], e.get("kind")) for e in jane.ok("history", "acme/jane", "--json").json["events"]]
    assert ("interaction", "meeting") in kinds and ("feedback", None) in kinds
    assert jane.ok("status", "--json").json["by_type"]["forgotten"] == 1


def test_forget_leaves_everyone_elses_history_alone(jane):
    jane.ok("forget", "acme/jane", "--yes")
    assert jane.ok("show", "acme/bob", "--json").json["name"] == "Bob Stone"


def test_nothing_more_can_be_recorded_for_a_forgotten_contact(jane):
    jane.ok("forget", "acme/jane", "--yes")
    before = jane.event_count()
    run = jane("log", "acme/jane", "call")
    assert run.code == 1 and "contact 'acme/jane' has been forgotten" in run.err
    assert jane("respond", "fb", "--note", "sorry").code == 1
    assert jane.event_count() == before


def test_forget_asks_first_and_a_no_writes_nothing(jane):
    before = jane.event_count()
    run = jane("forget", "acme/jane", input="n\n")
    assert run.code == 1 and "Forget acme/jane?" in run.err and "Aborted: nothing written." in run.err
    assert jane.event_count() == before
    assert jane.ok("show", "acme/jane", "--json").json["name"] == "Jane Doe"
    assert jane.ok("forget", "acme/jane", input="y\n").out == "forgot acme/jane\n"


def test_forgetting_twice_is_harmless(jane):
    jane.ok("forget", "acme/jane", "--yes")
    assert jane.ok("forget", "acme/jane", "--yes").out == "forgot acme/jane (already forgotten; key destroyed)\n"
    assert jane.ok("status", "--json").json["by_type"]["forgotten"] == 1
