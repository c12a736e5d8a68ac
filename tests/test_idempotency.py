"""Repeating a record command with the same --id writes nothing more."""

from __future__ import annotations


def test_repeating_a_command_with_the_same_id_writes_nothing_and_says_so(acme):
    first = acme.ok("log", "acme/jane", "call", "--note", "hello", "--id", "crm-42")
    before = acme.event_count()
    again = acme.ok("log", "acme/jane", "call", "--note", "hello", "--id", "crm-42")
    assert first.out == "recorded interaction crm-42 for acme/jane\n"
    assert again.out == "already recorded: interaction crm-42 for acme/jane (nothing written)\n"
    assert acme.event_count() == before


def test_a_repeat_without_at_is_the_same_command_even_later(acme):
    acme.ok("feedback", "acme/jane", "--about", "you", "--sentiment", "positive", "--id", "f1")
    repeat = acme.ok("feedback", "acme/jane", "--about", "you", "--sentiment", "positive", "--id", "f1", "--json").json
    assert repeat["duplicate"] is True and repeat["id"] == "f1"


def test_the_same_id_with_different_content_is_refused(acme):
    acme.ok("log", "acme/jane", "call", "--note", "hello", "--id", "crm-42")
    before = acme.event_count()
    for args in (["log", "acme/jane", "call", "--note", "goodbye", "--id", "crm-42"],
                 ["log", "acme/jane", "email", "--note", "hello", "--id", "crm-42"],
                 ["assess", "acme/jane", "power=high", "--id", "crm-42"]):
        run = acme(*args)
        assert run.code == 1 and "id: 'crm-42' already names a different event" in run.err
    assert acme.event_count() == before


def test_ids_are_unique_across_the_whole_ledger(acme):
    acme.ok("contact", "add", "acme/bob", "--name", "Bob", "--id", "bob")
    acme.ok("log", "acme/jane", "call", "--id", "shared")
    run = acme("log", "acme/bob", "call", "--id", "shared")
    assert run.code == 1 and "already names a different event" in run.err


def test_registrations_are_idempotent_too(acme):
    again = acme.ok("contact", "add", "acme/jane", "--name", "Jane Doe", "--title", "CTO", "--role", "champion",
                    "--at", "2026-01-02", "--id", "jane")
    assert again.out == "already recorded: contact jane for acme/jane (nothing written)\n"


def test_a_repeated_retraction_with_its_id_is_not_an_error(acme):
    acme.ok("log", "acme/jane", "call", "--id", "c1")
    acme.ok("retract", "c1", "--reason", "wrong person", "--id", "r1")
    assert acme.ok("retract", "c1", "--reason", "wrong person", "--id", "r1").out.startswith("already recorded")
