"""Issue 14, item 8 (ADR 0018): proof of concept, go-live and renewal move the stage."""

from __future__ import annotations

import pytest


@pytest.fixture
def met(acme):
    acme.ok("log", "acme/jane", "meeting", "--at", "2026-02-01")
    return acme


def stage(run, handle, at):
    shown = run.ok("show", handle, "--at", at, "--json").json
    return {"value": shown["stage"], "events": shown.get("stage_events"), "explanation": shown.get("explanation")}


@pytest.mark.parametrize("milestone", ["proof-of-concept", "go-live", "renewal"])
def test_an_engagement_milestone_on_the_account_engages_a_contact_already_met(met, milestone):
    met.ok("milestone", "acme", milestone, "--at", "2026-03-01", "--id", "m1")
    assert stage(met, "acme/jane", "2026-02-15")["value"] == "dating"
    assert stage(met, "acme/jane", "2026-03-02")["value"] == "engagement"
    after = stage(met, "acme", "2026-03-02")
    assert after["value"] == "engagement" and after["events"][-1] == "m1"


def test_the_explanation_names_the_milestone_that_moved_the_stage(met):
    met.ok("milestone", "acme", "proof-of-concept", "--at", "2026-03-01", "--id", "poc")
    assert stage(met, "acme", "2026-03-02")["explanation"] == "engagement: proof of concept (poc on acme, 2026-03-01)"


def test_a_renewal_of_an_engagement_is_the_long_term_commitment(met):
    met.ok("milestone", "acme", "contract-signed", "--at", "2026-03-01")
    met.ok("milestone", "acme", "go-live", "--at", "2026-05-01")
    assert stage(met, "acme", "2026-05-02")["value"] == "engagement"
    met.ok("milestone", "acme", "renewal", "--at", "2026-09-01", "--id", "r1")
    assert stage(met, "acme", "2026-09-02")["value"] == "long-term"
    assert stage(met, "acme/jane", "2026-09-02")["value"] == "long-term"


def test_go_live_after_an_end_restarts_nothing_but_a_renewal_does(met):
    met.ok("milestone", "acme", "contract-signed", "--at", "2026-03-01")
    met.ok("milestone", "acme", "ended", "--at", "2026-04-01")
    met.ok("milestone", "acme", "go-live", "--at", "2026-04-10")
    assert stage(met, "acme", "2026-04-11")["value"] == "ended"
    met.ok("milestone", "acme", "renewal", "--at", "2026-05-01")
    assert stage(met, "acme", "2026-05-02")["value"] == "engagement"


def test_a_proof_of_concept_within_long_term_moves_nothing(met):
    met.ok("milestone", "acme", "long-term-commitment", "--at", "2026-03-01")
    met.ok("milestone", "acme", "proof-of-concept", "--at", "2026-04-01")
    assert stage(met, "acme", "2026-04-02")["value"] == "long-term"
