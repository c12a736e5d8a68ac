"""Text output checks a report's strings in one loop and returns the report itself when all are
printable: the answer must be the walk's, whatever the data (control characters, nesting, tuples)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ledger.cli.output import columns, display_width
from ledger.cli.printable import _printable, printable

TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                    | st.dictionaries(TEXT, inner, max_size=4), max_leaves=20)


@given(DATA)
def test_printable_gives_what_the_walk_gives(data):
    assert printable(data) == _printable(data)
    assert type(printable(data)) is type(_printable(data))


def test_a_report_with_a_newline_or_a_tab_in_a_nested_list_is_made_one_line():
    report = [{"what": "ok", "ids": ["e1", "line\nbreak"]}, {"note": "tab\there"}]
    assert printable(report) == [{"what": "ok", "ids": ["e1", "line break"]}, {"note": "tab here"}]


def test_a_printable_report_is_returned_as_it_is():
    report = [{"what": "respond to e1", "ids": ["e1"], "risk": True, "days": 3, "due": None}]
    assert printable(report) is report


@given(st.lists(st.lists(TEXT.filter(str.isprintable), min_size=3, max_size=3), min_size=1, max_size=6))
def test_columns_line_up_every_column_but_the_last(rows):
    lines = columns(rows).split("\n")
    assert len(lines) == len(rows)
    widths = [max(display_width(r[i]) for r in rows) for i in range(2)]
    for row, line in zip(rows, lines):
        expected = "  ".join([row[0] + " " * (widths[0] - display_width(row[0])),
                              row[1] + " " * (widths[1] - display_width(row[1])), row[2]]).rstrip()
        assert line == expected
