"""Big accounts (issue 12, item 5): the answers that stream an account's contacts one chunk or
one contact at a time (map, gaps, trend --account, the report) equal those that hold them all."""

from __future__ import annotations

from collections import Counter

import pytest
from test_current_view import MOMENTS, answers_about, scripted

from ledger.bootstrap import open_views
from ledger.projections import report_summary
from ledger.projections.account_trend import account_periods
from ledger.projections.accounts import each_state, states
from ledger.projections.coverage import coverage
from ledger.projections.movement import account_periods as all_at_once, contact_periods, period_starts
from ledger.projections.report import report
from ledger.projections.worklist import due


@pytest.fixture
def store(relledger, tmp_path):
    scripted(relledger, tmp_path)
    views = open_views(str(relledger.path))
    views.catch_up()
    yield views
    views.close()


def test_the_view_streamed_in_small_chunks_is_the_view_read_at_once(store):
    found = answers_about(store, MOMENTS[3], True)
    for account in store.accounts():
        assert list(found.current.stream(account, chunk=1)) == found.current.states(account)
        assert list(found.current.stream(account, chunk=2)) == found.current.states(account)


def test_streamed_states_about_now_are_the_folded_ones(store):
    for day in MOMENTS:
        for account in store.accounts():
            assert list(each_state(answers_about(store, day, True), account)) == \
                states(answers_about(store, day, False), account), (day, account)


@pytest.mark.parametrize("by", ["week", "month", "quarter"])
def test_the_account_trend_one_contact_at_a_time_is_the_trend_of_all_contacts_at_once(store, by):
    for day in MOMENTS:
        found = answers_about(store, day, False)
        for account in store.accounts():
            starts = period_starts(found.require_account(account), found.at, by)
            every = [contact_periods(found.view(h), starts, found.at) for h in store.contacts(account)]
            assert account_periods(found, account, starts) == all_at_once(every), (day, account)


def test_coverage_with_a_limit_keeps_the_first_gaps_and_counts_every_one(store):
    for day in MOMENTS:
        found = answers_about(store, day, True)
        for account in store.accounts():
            rows = states(found, account)
            full = coverage(rows, found.rules)
            for limit in (1, 2, 3):
                cut = coverage(iter(rows), found.rules, limit=limit)
                assert cut["gaps"] == full["gaps"][:limit]
                assert cut["gap_total"] == len(full["gaps"])
                assert cut["gap_counts"] == dict(Counter(g["kind"] for g in full["gaps"]))
                assert cut["strength_total"] == len(full["strengths"])


def test_a_page_on_more_contacts_than_it_shows_keeps_the_most_at_risk_and_counts_them_all(store):
    for day in MOMENTS[2:5]:
        found = answers_about(store, day, True)
        for account in store.accounts():
            whole, cut = report_summary.summary(found, account, 1000), report_summary.summary(found, account, 2)
            assert whole["due"] == due(found, account)
            assert {k: v for k, v in cut["counts"].items() if k != "shown"} == \
                {k: v for k, v in whole["counts"].items() if k != "shown"}
            assert cut["counts"]["contacts"] == len(states(found, account))
            ranked = sorted(whole["contacts"], key=report_summary._at_risk_first)
            assert cut["contacts"] == (ranked[:2] if len(ranked) > 2 else whole["contacts"])
            assert cut["due"] == whole["due"][:2]
            assert cut["coverage"]["gaps"] == whole["coverage"]["gaps"][:2]


def test_the_report_on_a_big_account_says_how_many_it_shows_of_how_many(store, monkeypatch):
    from ledger.cli.report_markdown import render

    monkeypatch.setattr(report_summary, "LIMIT", 1)
    found = answers_about(store, MOMENTS[3], True)
    account = max(store.accounts(), key=lambda a: len(store.contacts(a)))
    total = len(states(found, account))
    page = report(found, [account])["pages"][0]
    assert len(page["contacts"]) == 1 and page["counts"]["contacts"] == total > 1
    text = render(report(found, [account]))
    assert f"Contacts (1 of {total:,}, most at risk first)" in text
    assert f"{total:,} contacts (" in text


def test_the_stage_from_milestones_and_meetings_alone_is_the_stage_from_every_record(store):
    from ledger.projections.account_trend import stage_records
    from ledger.projections.stage import account_changes
    from ledger.projections.timeline import knowledge

    for day in MOMENTS:
        for as_of in (day, "2099-01-01"):
            found = answers_about(store, day, False)
            found.as_of = answers_about(store, as_of, False).at
            for account in store.accounts():
                every = knowledge([r for r in store.account_records(account) if r["recorded"] <= found.as_of], found.as_of)[0]
                assert account_changes(stage_records(found, account), account) == account_changes(every, account)
