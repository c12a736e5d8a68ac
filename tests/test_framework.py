"""The framework table (seed 000) as data, and every row reachable from the CLI."""

from __future__ import annotations

import itertools

import pytest

from ledger.framework import DIMENSION_ORDER, builtin_framework, framework_from_dict

SEED_ROWS = [  # seed 000, in its order, texts verbatim
    ("no", "low", "detractor", "passive", "Low risk, move on"),
    ("no", "low", "detractor", "active", "Moderate risk, monitor perception"),
    ("no", "high", "detractor", "passive", "Moderate risk, improve perception"),
    ("no", "low", "advocate", "passive", "Low potential, activate"),
    ("yes", "low", "detractor", "passive", "Low risk, move on"),
    ("no", "high", "detractor", "active", "High risk, improve perception"),
    ("no", "high", "advocate", "passive", "Med potential, develop relationship"),
    ("no", "low", "advocate", "active", "Med potential, make a hero"),
    ("yes", "low", "detractor", "active", "Moderate risk, improve perception"),
    ("yes", "high", "detractor", "passive", "Moderate risk, improve perception"),
    ("yes", "low", "advocate", "passive", "Low potential, make a hero"),
    ("no", "high", "advocate", "active", "High potential, find a sponsor"),
    ("yes", "high", "detractor", "active", "High risk, improve perception"),
    ("yes", "high", "advocate", "passive", "Med potential, activate"),
    ("yes", "low", "advocate", "active", "Med potential, make a hero"),
    ("yes", "high", "advocate", "active", "High potential, leverage"),
]


def test_builtin_framework_is_the_seed_table_verbatim():
    framework = builtin_framework()
    assert (framework.name, framework.version) == ("customer-relationship-framework", 1)
    assert [tuple(r[d] for d in DIMENSION_ORDER) + (r["action"],) for r in framework.rows] == SEED_ROWS


def test_every_combination_of_the_four_dimensions_has_exactly_one_row():
    framework = builtin_framework()
    for cell in itertools.product(("no", "yes"), ("low", "high"), ("detractor", "advocate"), ("passive", "active")):
        assert framework.row_for(dict(zip(DIMENSION_ORDER, cell))) is not None


def test_an_unknown_dimension_leaves_the_contact_unclassified_naming_what_is_missing():
    action = builtin_framework().action_for({"relationship": "yes", "power": None, "perception": "advocate"})
    assert action == "unclassified (missing: power, activity)"


def test_a_table_with_a_missing_combination_is_refused():
    doc = {"name": "x", "version": 2, "rows": [dict(zip(DIMENSION_ORDER, r[:4]), action=r[4]) for r in SEED_ROWS[:15]]}
    with pytest.raises(ValueError, match="16 rows"):
        framework_from_dict(doc)


@pytest.mark.parametrize("row", range(1, 17))
def test_assessing_a_contact_into_each_row_shows_that_rows_action(acme, row):
    relationship, power, perception, activity, action = SEED_ROWS[row - 1]
    acme.ok("assess", "acme/jane", f"relationship={relationship}", f"power={power}",
            f"perception={perception}", f"activity={activity}", "--reason", "test")
    shown = acme.ok("show", "acme/jane", "--json").json
    assert shown["action"] == action
    assert shown["dimensions"] == dict(zip(DIMENSION_ORDER, (relationship, power, perception, activity)))
    assert shown["framework"]["row"] == row
