"""Issue 14: find subjects by what a user remembers, and shell completion read from the ledger."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.projections.search import fold, score


@pytest.fixture
def people(acme):
    acme.ok("contact", "add", "acme/joe", "--name", "José Álvarez", "--title", "Head of Procurement")
    acme.ok("contact", "add", "acme/ann", "--name", "Ann Lee", "--title", "Procurement analyst")
    acme.ok("account", "add", "globex", "--name", "Globex Industries")
    acme.ok("contact", "add", "globex/maria", "--name", "Maria Ruiz", "--title", "VP Engineering")
    return acme


def handles(run) -> list[str]:
    return [r["handle"] for r in run.json]


def test_find_matches_a_first_name_ignoring_case_and_accents(people):
    assert handles(people.ok("find", "JOSE", "--json")) == ["acme/joe"]
    assert handles(people.ok("find", "jane", "--json")) == ["acme/jane"]


def test_find_matches_a_word_of_the_title_with_whole_words_before_fragments(people):
    assert handles(people.ok("find", "procurement", "--json")) == ["acme/ann", "acme/joe"]
    assert handles(people.ok("find", "cto", "--json")) == ["acme/jane"]


def test_find_matches_an_account_name_and_lists_the_account_first(people):
    found = handles(people.ok("find", "globex industries", "--json"))
    assert found == ["globex", "globex/maria"]


def test_find_prints_a_table_naming_what_matched(people):
    out = people.ok("find", "maria").out.splitlines()
    assert out[0].split() == ["handle", "name", "title", "account", "matched"]
    assert out[1].startswith("globex/maria") and out[1].rstrip().endswith("handle")


def test_a_forgotten_contact_never_matches(people):
    people.ok("forget", "acme/joe", "--yes")
    assert people.ok("find", "jose", "--json").json == []
    assert people.ok("find", "acme/joe", "--json").json == []


def test_find_on_an_empty_text_is_one_line_error(people):
    run = people("find", "  ")
    assert run.code == 2 and run.err.count("\n") == 1 and "TEXT" in run.err


def test_find_without_a_ledger_finds_nothing_and_creates_nothing(relledger):
    assert relledger.ok("find", "x").out.strip() == "no matches"
    assert not relledger.path.exists()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=20))
def test_find_never_writes_and_answers_any_text(acme, text):
    before = acme.event_count()
    run = acme("find", text)
    assert run.code in (0, 2) and acme.event_count() == before
    assert run.code == 0 or run.err.count("\n") == 1


def test_folding_drops_case_and_accents_and_scores_whole_then_word_then_inside():
    assert fold("ÁLVAREZ Ñandú") == "alvarez nandu"
    assert [score("ann", v) for v in ("Ann", "Ann Lee", "Joanna", "Bob")] == [0, 1, 2, None]


def complete(env: dict, line: str) -> list[str]:
    words = line.split(" ")
    env = {**os.environ, **env, "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1),
           "_RELLEDGER_COMPLETE": "bash_complete"}
    done = subprocess.run([sys.executable, "-m", "ledger", *words[1:]], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and done.stderr == ""
    return [line.split(",", 1)[1] for line in done.stdout.splitlines() if line]


def test_bash_completion_of_show_acme_j_offers_the_matching_handles(people):
    people.ok("forget", "acme/ann", "--yes")
    env = {"RELLEDGER_DB": str(people.path)}
    assert complete(env, "relledger show acme/j") == ["acme/jane", "acme/joe"]
    assert complete(env, "relledger show acme/") == ["acme/jane", "acme/joe"]


def test_completion_offers_accounts_for_account_parameters_and_ids_for_respond(people):
    people.ok("feedback", "acme/jane", "--about", "product", "--sentiment", "negative", "--id", "fb1")
    env = {"RELLEDGER_DB": str(people.path)}
    assert complete(env, "relledger map ") == ["acme", "globex"]
    assert complete(env, "relledger list --account g") == ["globex"]
    assert complete(env, "relledger respond f") == ["fb1"]


def test_completion_without_a_ledger_offers_nothing_and_creates_nothing(tmp_path):
    assert complete({"RELLEDGER_DB": str(tmp_path / "none.db")}, "relledger show a") == []
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_clicks_script_for_each_shell(relledger, shell):
    out = relledger.ok("completion", shell).out
    assert "_RELLEDGER_COMPLETE" in out and f"{shell}_complete" in out


def test_completion_reads_the_ledger_named_after_the_command(people, tmp_path):
    env = {"RELLEDGER_DB": str(tmp_path / "none.db")}
    assert complete(env, f"relledger show --ledger {people.path} acme/ja") == ["acme/jane"]
