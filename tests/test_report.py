"""The shareable report (issue 13): content and structure of the HTML and Markdown, privacy,
the portfolio, and bad input (one line, non-zero exit, nothing written)."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_story import AT, FORGOTTEN, NAMES, TITLES, record_story

EXTERNAL = [r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", r"@import", r"<script", r"url\(\s*['\"]?\s*(https?:)?//",
            r"<link\b", r"<iframe", r"<object", r"<embed"]


@pytest.fixture
def story(relledger):
    record_story(relledger)
    return relledger


def html_of(r, tmp_path, *args: str) -> str:
    out = tmp_path / "report.html"
    done = r.ok("report", *args, "--at", AT, "-o", str(out))
    assert done.out == f"wrote the report on {args[0] if args[0] != '--all' else 'umbrella, initech'} to {out}\n"
    return out.read_text("utf-8")


def test_the_html_report_names_every_contact_the_plan_and_the_answers(story, tmp_path):
    page = html_of(story, tmp_path, "umbrella")
    for text in ("Alice Wong", "Chief Financial Officer", "Bob Stone", "Dan Ruiz", "umbrella/carol", "umbrella/dan",
                 "Renew for three years", "Executive dinner with the CFO", "Pilot the reporting module",
                 "Security questionnaire", "Pilot the reporting module with Bob", "High potential, leverage", "Low potential, make a hero"):
        assert text in page, text
    assert re.search(r'status-late">⚠ late</span></td><td>Executive dinner with the CFO', page)
    assert 'status-done">done</span></td><td>Security questionnaire' in page
    assert "engagement since 2026-03-01" in page and "2026-11-01 (overdue)" in page
    assert "multi-threaded" in page
    assert "feedback-without-response" not in page  # praise needs no response (rules v2)
    assert "make first two-way contact with umbrella/dan" in page


def test_the_html_is_one_self_contained_file_with_print_and_dark_styles(story, tmp_path):
    page = html_of(story, tmp_path, "umbrella")
    for pattern in EXTERNAL:
        assert not re.search(pattern, page, re.IGNORECASE), pattern
    assert page.startswith("<!doctype html>") and page.count("<style>") == 1
    assert "@page { size: A4;" in page and "@media print" in page and "prefers-color-scheme: dark" in page
    charts = re.findall(r'<svg class="(quadrant|trend|timeline)[^"]*"[^>]*role="img" aria-labelledby="([^"]+)"', page)
    assert sorted(kind for kind, _ in charts) == ["quadrant", "timeline", "trend"]
    for _, ids in charts:
        for ref in ids.split():
            assert re.search(rf'id="{re.escape(ref)}">[^<]+<', page), ref  # a title and a description with text


def test_the_quadrant_chart_places_each_contact_and_draws_moves_since_the_last_review(story, tmp_path):
    page = html_of(story, tmp_path, "umbrella")
    assert "since 2026-08-01 (last review)" in page
    desc = re.search(r'<desc id="q-umbrella-d">([^<]+)</desc>', page).group(1)
    assert "umbrella/alice: high-advocate, high potential, relationship yes, activity active; path " \
           "high-detractor (2026-08-01) → high-advocate (2026-09-20)" in desc  # the second praise overturns
    assert "umbrella/dan: unclassified" in desc
    assert page.count('<line class="move"') == 2  # alice up from detractor, bob out of the unclassified strip
    assert re.search(r'<circle class="mk b-p3 filled"[^>]*><title>umbrella/alice: high-advocate', page)
    assert re.search(r'<rect class="mk b-r1 hollow"[^>]*><title>umbrella/carol: low-detractor', page)
    assert re.search(r'<polygon class="mk b-none hollow unknown"[^>]*><title>umbrella/dan', page)


def test_since_moves_the_start_of_the_paths(story, tmp_path):
    page = html_of(story, tmp_path, "umbrella", "--since", "2026-01-01")
    assert "since 2026-01-01 (given)" in page
    assert "umbrella/alice moved to high-detractor on 2026-02-01" in page


def test_a_forgotten_contact_appears_only_by_handle(story, tmp_path):
    handle, name, title = FORGOTTEN
    page = html_of(story, tmp_path, "umbrella")
    markdown = story.ok("report", "umbrella", "--at", AT).out
    for text in (page, markdown):
        assert name not in text and title not in text and "Carol" not in text
        assert handle in text and "forgotten: personal data erased" in text


def test_redact_leaves_no_name_or_title_anywhere(story, tmp_path):
    page = html_of(story, tmp_path, "--all", "--redact")
    markdown = story.ok("report", "--all", "--redact", "--at", AT).out
    for text in (page, markdown):
        for secret in NAMES + TITLES:
            assert secret not in text, secret
        assert "umbrella/alice" in text and "Names and titles redacted" in text
        assert "Pilot the reporting module with umbrella/bob" in text and "Renew for three years" in text


def test_markdown_has_the_same_content_as_tables_and_a_mermaid_quadrant_chart(story):
    done = story.ok("report", "umbrella", "--at", AT)
    text = done.out
    block = re.search(r"```mermaid\n(quadrantChart\n.*?)```", text, re.S).group(1)
    points = re.findall(r"^    ([A-Za-z0-9 -]+): \[(0\.\d\d), (0\.\d\d)\]$", block, re.M)
    assert [p[0] for p in points] == ["alice plus 3", "bob plus 1", "carol minus 1"]
    alice = points[0]
    assert float(alice[1]) > 0.5 and float(alice[2]) > 0.5  # advocate (right), high power (top)
    assert "| Alice Wong (umbrella/alice · Chief Financial Officer) | high-advocate | high potential +3 |" in text
    assert "| ⚠ late | Executive dinner with the CFO | ann | 2026-09-01 | umbrella/alice |" in text
    assert "## Gaps (4)" in text and "## Due (3)" in text and "## Trend per month: improving" in text
    assert text.count("# ") >= 1 and text.startswith("# Relationship report: Umbrella Corporation (umbrella)\n")


def test_markdown_goes_to_a_file_with_o(story, tmp_path):
    out = tmp_path / "umbrella.md"
    story.ok("report", "umbrella", "--at", AT, "-o", str(out))
    assert out.read_text("utf-8") == story.ok("report", "umbrella", "--at", AT).out


def test_the_portfolio_ranks_both_accounts_by_risk_with_a_small_chart_each(story, tmp_path):
    page = html_of(story, tmp_path, "--all")
    assert page.index("1. <a href=\"#acct-umbrella\">") < page.index("2. <a href=\"#acct-initech\">")
    assert page.count('<svg class="quadrant small"') == 2 and page.count('<svg class="quadrant"') == 2
    assert '<b>accounts</b><span>2</span>' in page and '<b>contacts</b><span>5</span>' in page
    markdown = story.ok("report", "--all", "--at", AT).out
    assert "| 1 | Umbrella Corporation (umbrella) | at risk |" in markdown
    assert "| 2 | Initech (initech) |" in markdown and markdown.count("quadrantChart") == 2


def test_several_accounts_named_make_a_portfolio_too(story):
    text = story.ok("report", "initech", "umbrella", "initech", "--at", AT).out
    assert text.startswith("# Portfolio relationship report") and text.count("## Initech (initech)") == 1


def test_a_report_about_the_past_does_not_change_when_more_is_recorded(story, tmp_path):
    known = datetime.now(timezone.utc).isoformat()
    before = story.ok("report", "umbrella", "--at", "2026-09-01", "--as-of", known).out
    story.ok("log", "umbrella/dan", "call", "--outcome", "answered", "--at", "2026-08-20")
    assert story.ok("report", "umbrella", "--at", "2026-09-01", "--as-of", known).out == before
    assert story.ok("report", "umbrella", "--at", "2026-09-01").out != before


@pytest.mark.parametrize("args, message", [
    (["report", "nope", "-o", "{out}"], "Error: handle: no account 'nope' in this ledger\n"),
    (["report", "umbrella/alice", "-o", "{out}"], "Error: account: 'umbrella/alice' is a contact; this needs an account\n"),
    (["report", "umbrella", "--since", "2026-10-01", "--at", "2026-09-01", "-o", "{out}"],
     "Error: since: 2026-10-01 is after --at 2026-09-01; give an earlier moment\n"),
    (["report", "umbrella", "-o", "{tmp}/missing/r.html"], "Error: output: cannot write '{tmp}/missing/r.html': no such folder or no permission\n"),
    (["report", "umbrella", "-o", "{tmp}"], "Error: output: '{tmp}' is a directory; give a file name\n"),
    (["report", "umbrella", "-o", "{tmp}/ledger.db"], "Error: output: '{tmp}/ledger.db' is the ledger itself; give another file name\n"),
    (["report", "-o", "{out}"], "Error: give one or more ACCOUNT handles, or --all (see 'cli report --help')\n"),
    (["report", "umbrella", "--all", "-o", "{out}"], "Error: give one or more ACCOUNT handles, or --all (see 'cli report --help')\n"),
])
def test_bad_input_is_one_line_and_writes_nothing(story, tmp_path, args, message):
    out = tmp_path / "r.html"
    fill = lambda s: s.format(out=out, tmp=tmp_path)  # noqa: E731
    events = story.event_count()
    done = story(*map(fill, args))
    assert done.code != 0 and done.err == fill(message) and done.out == ""
    assert not out.exists() and story.event_count() == events


def test_no_accounts_is_one_line_and_writes_nothing(relledger, tmp_path):
    out = tmp_path / "r.html"
    for run in (relledger("report", "--all", "-o", str(out)), relledger("report", "acme", "-o", str(out))):
        assert run.code == 1 and run.err.count("\n") == 1 and not out.exists()
    relledger.ok("contact", "add", "solo", "--name", "Solo")  # a ledger with a contact and no account
    done = relledger("report", "--all", "-o", str(out))
    assert done.err == "Error: account: there are no accounts to report on\n" and not out.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(account=st.one_of(st.sampled_from(["umbrella", "initech", "nope", "umbrella/alice", "-x"]),
                         st.text(min_size=1, max_size=12).filter(lambda s: not s.startswith("-"))),  # -h is help
       since=st.one_of(st.none(), st.text(max_size=12), st.dates().map(str)),
       shape=st.sampled_from(["html", "markdown"]))
def test_any_account_or_since_is_a_report_or_one_line(story, tmp_path, account, since, shape):
    out = tmp_path / "h.out"
    out.unlink(missing_ok=True)
    args = ["report", account, "--format", shape, "--at", AT, "-o", str(out)] + (["--since", since] if since is not None else [])
    done = story(*args)
    if done.code == 0:
        assert out.exists() and account in ("umbrella", "initech")
    else:
        assert done.code in (1, 2) and done.err.count("\n") == 1 and done.err.startswith("Error: ") and not out.exists()


@pytest.mark.parametrize("since", ["2026-01-01", "2026-02-01", "2026-05-11", "2026-08-01", "2026-09-21", "2026-10-31"])
def test_transitions_since_a_moment_are_the_tail_of_all_transitions(story, since):
    from ledger.bootstrap import open_views
    from ledger.projections.movement import transitions
    from ledger.projections.reports import Answers
    from ledger.projections.timeline import micros
    from ledger.timeutil import parse_when

    views = open_views(str(story.path))
    views.catch_up()
    found, cut = Answers(views, micros(parse_when(AT, end_of_day=True)), micros(parse_when("2099-01-01"))), parse_when(since)
    for handle in ("umbrella/alice", "umbrella/bob", "umbrella/dan", "initech/peter"):
        view = found.view(handle)
        every = transitions(view, found.at)
        tail = [m for m in every if datetime.fromisoformat(m["at"]) > cut]
        assert transitions(view, found.at, since=micros(cut)) == tail, handle
    views.close()


def test_every_id_in_the_portfolio_page_is_unique_and_every_reference_resolves(story, tmp_path):
    page = html_of(story, tmp_path, "--all")
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    refs = re.findall(r'aria-labelledby="([^"]+)"', page)
    assert {r for ref in refs for r in ref.split()} | set(re.findall(r'url\(#([^)]+)\)', page)) <= set(ids)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.text("bcdfghjklmnpqrstvwxz", min_size=7, max_size=10).map(str.capitalize), min_size=2, max_size=2,
                      unique=True))
def test_redact_leaves_no_name_of_any_contact_even_in_the_plan(relledger, names):
    r = relledger
    if not r.path.exists():
        r.ok("account", "add", "acme", "--name", "Acme", "--at", "2026-01-01")
        r.ok("goal", "add", "acme", "Grow", "--target", "2027-01-01", "--at", "2026-01-01", "--id", "g")
    for i, name in enumerate(names):
        handle = f"acme/{name.lower()}-{i}"[:40]
        r.ok("contact", "add", handle, "--name", f"{name} Xq", "--title", f"Head of {name}", "--at", "2026-01-02", "--id", handle)
        r.ok("initiative", "add", "g", f"Lunch with {name}", "--owner", "ann", "--due", "2026-12-31", "--at", "2026-01-03",
             "--id", f"i-{handle}")
    for shape in ("html", "markdown"):
        text = r.ok("report", "acme", "--redact", "--format", shape).out
        assert not any(name in text for name in names), shape


def test_every_tag_of_the_page_is_closed_in_order(story, tmp_path):
    from html.parser import HTMLParser

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.open, self.wrong = [], []

        def handle_starttag(self, tag, attrs):
            if tag != "meta":
                self.open.append(tag)

        def handle_endtag(self, tag):
            if not self.open or self.open.pop() != tag:
                self.wrong.append((tag, self.getpos()))

    tags = Tags()
    tags.feed(html_of(story, tmp_path, "--all"))
    assert tags.wrong == [] and tags.open == []
