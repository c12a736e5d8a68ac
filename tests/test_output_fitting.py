"""Issue 14, item 5, as "How we will check" says: every line a read prints fits the width in
display cells (headings, footers, prose and key/value lines too), with long notes holding
newlines and tabs, CJK names, emoji and combining marks; a pipe with COLUMNS unset is never
cut, nor is CSV, TSV or JSON; colour for risk and potential only on a terminal without
NO_COLOR; long output paged on a terminal only (a real pseudo-terminal, a fake PAGER)."""

from __future__ import annotations

import os
import pty
import shutil
import struct
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.cli.output import SGR, display_width, one_line
from conftest import LedgerCLI

NOTE = ("Line one of a long note\twith a tab, then 价格 talk 🎉 and cafe\u0301.\n" * 40)[:2000]
NAME = "李小龍 the very long-named 总经理 🎉 Zoë"


def build(cli: LedgerCLI) -> LedgerCLI:
    """A small ledger full of wide, combining and multi-line text."""
    for args in [
        ("account", "add", "acme", "--name", "Acme 株式会社アクメ with a long legal name", "--at", "2026-01-01", "--id", "acme"),
        ("contact", "add", "acme/li", "--name", NAME, "--title", "总经理 and a long title e\u0301", "--role", "champion",
         "--at", "2026-01-02", "--id", "li"),
        ("contact", "add", "acme/jane", "--name", "Jane\tDoe", "--title", "CTO", "--role", "economic-buyer",
         "--reports-to", "acme/li", "--at", "2026-01-02", "--id", "jane"),
        ("log", "acme/li", "meeting", "--note", NOTE, "--at", "2026-01-05", "--id", "m1"),
        ("log", "acme/jane", "call", "--direction", "inbound", "--note", "short", "--at", "2026-01-06", "--id", "c1"),
        ("assess", "acme/li", "power=high", "perception=advocate", "relationship=yes", "activity=active",
         "--reason", NOTE, "--at", "2026-01-07", "--id", "a1"),
        ("assess", "acme/jane", "power=high", "perception=detractor", "--reason", "Worried 🙁", "--at", "2026-01-07", "--id", "a2"),
        ("feedback", "acme/jane", "--about", "product", "--sentiment", "negative", "--note", NOTE,
         "--at", "2026-01-09", "--id", "f1"),
        ("goal", "add", "acme", "Grow the 价格 deal\ninto a multi-year agreement with procurement sign-off",
         "--target", "2026-06-01", "--at", "2026-01-08", "--id", "g1"),
        ("initiative", "add", "g1", "Run a workshop with the 价格 team\tand the sponsor about the long tail",
         "--owner", "王小明", "--due", "2026-02-01", "--contact", "acme/li", "--at", "2026-01-10", "--id", "i1"),
        ("review", "acme", "--note", NOTE, "--at", "2026-01-11", "--id", "r1"),
    ]:
        cli.ok(*args)
    return cli


@pytest.fixture(scope="module")
def crowded(tmp_path_factory) -> LedgerCLI:
    return build(LedgerCLI(tmp_path_factory.mktemp("fit") / "ledger.db"))


AT = ("--at", "2026-03-01")
READS = [("list",), ("history", "acme/li"), ("history", "acme/jane"), ("map", "acme"), ("gaps",), ("due",),
         ("show", "acme/li"), ("show", "acme"), ("trend", "acme/li"), ("trend", "--account", "acme"),
         ("why", "acme/li"), ("why", "acme/jane"), ("why", "acme"), ("review", "acme", "--since-last"),
         ("status",), ("plan", "acme")]


def lines_too_wide(text: str, limit: int) -> list[str]:
    return [line for line in text.splitlines() if display_width(line) > limit or "\t" in line or "\r" in line]


@pytest.mark.parametrize("limit", [80, 40])
@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_every_line_a_read_prints_fits_the_width_in_display_cells(crowded, args, limit):
    at = () if args == ("status",) else AT
    out = crowded.ok(*args, *at, env={"COLUMNS": str(limit)}).out
    assert out.strip()
    assert lines_too_wide(out, limit) == []


@pytest.mark.parametrize("args", [("history", "acme/li"), ("why", "acme/li"), ("map", "acme")], ids=" ".join)
def test_free_text_that_does_not_fit_ends_with_an_ellipsis(crowded, args):
    out = crowded.ok(*args, *AT, env={"COLUMNS": "40"}).out
    assert any(line.endswith("…") for line in out.splitlines())


def test_a_note_with_newlines_and_tabs_stays_on_its_own_row_of_the_history(crowded):
    out = crowded.ok("history", "acme/li", *AT, env={"COLUMNS": None}).out
    table = out.split("\n\nmoves")[0].splitlines()[1:]
    assert [row.split()[3] for row in table] == ["contact", "interaction", "assessment"]


def test_a_pipe_with_columns_unset_is_never_cut(crowded):
    out = crowded.ok("history", "acme/li", *AT, env={"COLUMNS": None}).out
    assert one_line(NOTE) in out and "…" not in out


@pytest.mark.parametrize("fmt,sep", [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_are_never_cut_and_keep_the_note_whole(crowded, fmt, sep):
    from test_output_formats import parse

    out = crowded.ok("history", "acme/li", "--format", fmt, *AT, env={"COLUMNS": "40"}).out
    rows = parse(out, sep)
    assert rows[1]["note"] == NOTE and rows[0]["name"] == NAME


def test_tsv_is_one_record_a_line_with_tabs_and_newlines_escaped(crowded):
    out = crowded.ok("history", "acme/li", "--format", "tsv", *AT).out
    lines = out.splitlines()
    assert len(lines) == 1 + 3 and all(line.count("\t") == lines[0].count("\t") for line in lines)
    assert "\\n" in lines[2] and "\\t" in lines[2]


def test_json_is_never_cut(crowded):
    events = crowded.ok("history", "acme/li", "--json", *AT, env={"COLUMNS": "40"}).json["events"]
    assert events[1]["note"] == NOTE


def test_wide_names_keep_the_columns_after_them_aligned(acme):
    acme.ok("contact", "add", "acme/li", "--name", "李小龍 e\u0301 🎉", "--role", "coach", "--at", "2026-01-03")
    out = acme.ok("map", "acme", "--at", "2026-01-04", env={"COLUMNS": None}).out
    rows = [line for line in out.splitlines() if line.startswith("  acme/")]
    starts = {display_width(row[: row.index("undecided")]) for row in rows}
    assert len(rows) == 2 and len(starts) == 1, out


# colour: risk red or yellow, potential green; on a terminal only, never with NO_COLOR

def test_colour_always_marks_risk_red_and_potential_green_and_lines_still_fit(crowded):
    out = crowded.ok("list", "--color", "always", *AT, env={"COLUMNS": "60"}).out
    jane, li = [line for line in out.splitlines() if line.startswith("acme/")]
    assert "\x1b[31m" in jane and "\x1b[32m" in li and "\x1b[32m" not in jane
    assert lines_too_wide(out, 60) == []


@pytest.mark.parametrize("env", [{}, {"NO_COLOR": "1"}, {"NO_COLOR": "anything"}])
def test_no_colour_when_piped_or_with_no_color_set(crowded, env):
    for args in [("list",), ("show", "acme/jane"), ("map", "acme"), ("due",)]:
        assert "\x1b" not in crowded.ok(*args, *AT, env=env).out


def test_colour_never_is_plain_text(crowded):
    assert "\x1b" not in crowded.ok("list", "--color", "never", *AT).out


def test_colour_escapes_take_no_cells():
    assert display_width("\x1b[31mHigh risk\x1b[0m") == len("High risk")
    assert SGR.sub("", "\x1b[32mok\x1b[0m") == "ok"


def test_control_characters_in_free_text_are_escaped_not_sent_to_the_terminal(relledger):
    relledger.ok("account", "add", "acme", "--name", "Acme \x1b[2J corp", "--at", "2026-01-01")
    out = relledger.ok("show", "acme", "--color", "always").out
    assert "\x1b[2J" not in out and "\\x1b[2J" in out


# a real terminal: a pseudo-terminal of 80x6 cells

def on_terminal(cli: LedgerCLI, args: list[str], env: dict, rows: int = 6, cols: int = 80) -> str:
    """Run relledger with its standard streams on a pseudo-terminal; what the terminal showed."""
    import fcntl
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "PAGER")}
    proc = subprocess.Popen([sys.executable, "-m", "ledger", *args], stdin=slave, stdout=slave, stderr=slave,
                            env={**base, **cli.env, "TERM": "dumb", **env})
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    return b"".join(chunks).decode().replace("\r\n", "\n")


@pytest.fixture
def fake_pager(tmp_path):
    """A PAGER that marks every line it shows."""
    script = tmp_path / "pager"
    script.write_text("#!/bin/sh\nsed 's/^/PAGED: /'\n")
    script.chmod(0o755)
    return str(script)


@pytest.mark.slow
def test_on_a_terminal_long_output_goes_through_the_pager(crowded, fake_pager):
    shown = on_terminal(crowded, ["why", "acme/li", *AT], {"PAGER": fake_pager})
    assert shown.count("PAGED: ") > 6 and "PAGED: acme/li" in shown


@pytest.mark.slow
def test_on_a_terminal_no_pager_and_short_output_are_printed_directly(crowded, fake_pager):
    assert "PAGED" not in on_terminal(crowded, ["why", "acme/li", "--no-pager", *AT], {"PAGER": fake_pager})
    assert "PAGED" not in on_terminal(crowded, ["show", "acme/jane", *AT], {"PAGER": fake_pager}, rows=40)


@pytest.mark.slow
def test_on_a_terminal_colour_is_on_and_no_color_turns_it_off(crowded):
    coloured = on_terminal(crowded, ["list", "--no-pager", *AT], {})
    assert "\x1b[31m" in coloured and "\x1b[32m" in coloured
    assert "\x1b[3" not in on_terminal(crowded, ["list", "--no-pager", *AT], {"NO_COLOR": "1"})


@pytest.mark.slow
def test_on_a_terminal_of_40_cells_every_line_fits(crowded):
    shown = on_terminal(crowded, ["map", "acme", "--no-pager", *AT], {}, cols=40)
    assert "acme/li" in shown and lines_too_wide(shown, 40) == []


def test_the_pager_is_never_used_off_a_terminal(crowded, fake_pager):
    assert "PAGED" not in crowded.ok("why", "acme/li", *AT, env={"PAGER": fake_pager, "LINES": "3"}).out


@settings(deadline=None)
@given(st.lists(st.tuples(st.text(max_size=12), st.sampled_from(["", "31", "32", "33"]))), st.integers(2, 40))
def test_a_coloured_line_is_cut_by_its_visible_cells_and_keeps_its_text(parts, limit):
    from ledger.cli.colour import paint
    from ledger.cli.output import clip

    line = "".join(paint(text, colour or None) for text, colour in parts)
    cut = clip(line, limit)
    plain, shown = SGR.sub("", line), SGR.sub("", cut)
    assert display_width(cut) <= limit
    assert shown == plain or (shown.endswith("…") and plain.startswith(shown[:-1]))
    assert cut.count("\x1b[0m") >= cut.count("\x1b[3")  # every colour it opens is closed
