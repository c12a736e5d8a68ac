"""Issue 14, item 7: the global --ledger and --as are accepted after the command too."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def test_ledger_after_the_command_names_the_ledger(acme, tmp_path):
    acme.env.pop("RELLEDGER_DB")
    acme.env["RELLEDGER_DB"] = str(tmp_path / "elsewhere.db")
    assert acme.ok("show", "acme/jane", "--ledger", str(acme.path), "--json").json["handle"] == "acme/jane"
    assert not (tmp_path / "elsewhere.db").exists()


def test_as_after_the_command_records_who_recorded(acme):
    acme.ok("log", "acme/jane", "call", "--as", "ann", "--at", "2026-02-01")
    events = acme.ok("history", "acme/jane", "--json").json["events"]
    assert events[-1]["by"] == "ann"


def test_as_before_the_command_still_works_and_agrees_with_after(acme):
    acme.ok("--as", "bo", "log", "acme/jane", "call", "--as", "bo", "--at", "2026-02-01")
    assert acme.ok("history", "acme/jane", "--json").json["events"][-1]["by"] == "bo"


def test_two_different_values_before_and_after_are_one_line_and_nothing_written(acme):
    before = acme.event_count()
    run = acme("--as", "bo", "log", "acme/jane", "call", "--as", "ann")
    assert run.code == 2 and run.err.count("\n") == 1 and "'--as'" in run.err and "give it once" in run.err
    assert acme.event_count() == before


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=12).filter(lambda s: s.strip() and not s.startswith("-")))
def test_a_name_after_the_command_never_leaves_a_traceback(acme, name):
    run = acme("log", "acme/jane", "call", "--as", name, "--at", "2026-02-01")
    assert run.code == 0 or (run.err.count("\n") == 1 and "Traceback" not in run.err)
