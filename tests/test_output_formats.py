"""Issue 14, item 5: --format table|json|csv|tsv on reads, and every line fitting the width."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.cli.output import clip, columns, display_width, fit, width

LONG = " ".join(["pricing discussion with procurement about the renewal terms"] * 4)


@pytest.fixture
def crowded(acme):
    acme.ok("contact", "add", "acme/li", "--name", "李小龍", "--title", "总经理 and a very long title indeed",
            "--at", "2026-01-03")
    acme.ok("log", "acme/li", "meeting", "--note", LONG, "--at", "2026-01-05")
    acme.ok("log", "acme/jane", "call", "--note", "short", "--at", "2026-01-06")
    return acme


def parse(text: str, sep: str) -> list[dict]:
    if sep == "\t":
        return parse_tsv(text)
    return list(csv.DictReader(io.StringIO(text), delimiter=sep))


def parse_tsv(text: str) -> list[dict]:
    """TSV as relledger writes it: one record a line, backslash escapes inside values."""
    import re

    def unescape(value: str) -> str:
        return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r"}.get(m[1], m[1]), value)

    header, *rows = [[unescape(v) for v in line.split("\t")] for line in text.splitlines()]
    return [dict(zip(header, row)) for row in rows]


@pytest.mark.parametrize("fmt,sep", [("csv", ","), ("tsv", "\t")])
def test_list_as_csv_and_tsv_has_one_header_row_named_by_the_json_keys(crowded, fmt, sep):
    as_json = crowded.ok("list", "--json").json
    rows = parse(crowded.ok("list", "--format", fmt).out, sep)
    assert list(rows[0]) == list(as_json[0])
    assert [r["handle"] for r in rows] == [r["handle"] for r in as_json] == ["acme/jane", "acme/li"]
    assert [r["stage"] for r in rows] == [r["stage"] for r in as_json]


@pytest.mark.parametrize("fmt,sep", [("csv", ","), ("tsv", "\t")])
def test_history_as_csv_lists_each_event_with_its_note_whole(crowded, fmt, sep):
    rows = parse(crowded.ok("history", "acme/li", "--format", fmt).out, sep)
    assert [r["type"] for r in rows] == ["contact", "interaction"]
    assert rows[1]["note"] == LONG and rows[0]["name"] == "李小龍"
    assert {"id", "type", "handle", "note"} <= set(rows[0])


def test_format_json_is_the_same_as_the_json_alias(crowded):
    assert crowded.ok("list", "--format", "json").json == crowded.ok("list", "--json").json


def test_json_alias_and_another_format_together_are_one_line_error(crowded):
    run = crowded("list", "--json", "--format", "csv")
    assert run.code == 2 and run.err.count("\n") == 1 and "--format" in run.err


@pytest.mark.parametrize("args", [("list",), ("history", "acme/li"), ("map", "acme"), ("gaps",), ("due",),
                                  ("show", "acme"), ("trend", "acme/li"), ("show", "acme/li"), ("why", "acme/li")])
def test_every_line_of_a_read_fits_80_columns(crowded, args):
    out = crowded.ok(*args, env={"COLUMNS": "80"}).out
    assert out.strip()
    assert all(display_width(line) <= 80 for line in out.splitlines()), out


def test_a_cut_line_ends_with_an_ellipsis_and_a_pipe_without_columns_is_never_cut(crowded):
    cut = crowded.ok("history", "acme/li", env={"COLUMNS": "60"}).out
    assert any(line.endswith("…") for line in cut.splitlines())
    whole = crowded.ok("history", "acme/li").out
    assert LONG.strip() in whole


def test_columns_align_by_display_width_with_wide_characters():
    text = columns([["name", "stage"], ["李小龍", "dating"], ["Jane", "courting"]])
    starts = [display_width(line[: line.index(word)]) for line, word in zip(text.splitlines(), ["stage", "dating", "courting"])]
    assert starts == [8, 8, 8]


def test_display_width_counts_wide_combining_and_emoji():
    assert display_width("abc") == 3
    assert display_width("李小龍") == 6
    assert display_width("e\u0301") == 1
    assert display_width("🙂") == 2


def test_width_is_columns_else_none_for_a_pipe():
    assert width({"COLUMNS": "80"}) == 80
    assert width({}) is None  # pytest's stdout is not a terminal


@settings(deadline=None)
@given(st.text(), st.integers(min_value=2, max_value=200))
def test_fit_keeps_every_line_within_the_width(text, limit):
    for line in fit(text, limit).split("\n"):
        assert display_width(line) <= limit


@settings(deadline=None)
@given(st.text(min_size=1), st.integers(min_value=2, max_value=50))
def test_clip_is_a_prefix_plus_an_ellipsis_or_the_text_itself(text, limit):
    cut = clip(text, limit)
    assert cut == text or (cut.endswith("…") and text.startswith(cut[:-1]))
