"""The classification framework (seed 000) as versioned data.

The table lives in ``frameworks/v1.json``; this module only loads and queries it, with
the standard library alone, so read commands can classify without heavy imports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ledger.vocabulary import DIMENSIONS

DIMENSION_ORDER = ("relationship", "power", "perception", "activity")


@dataclass(frozen=True)
class Framework:
    """One version of the 16-row table mapping four dimension values to an action."""

    name: str
    version: int
    source: str
    rows: tuple[dict, ...]

    def row_for(self, cell: dict[str, str]) -> dict | None:
        """The row matching the four values, or None when any is unknown."""
        key = tuple(cell.get(d) for d in DIMENSION_ORDER)
        for row in self.rows:
            if tuple(row[d] for d in DIMENSION_ORDER) == key:
                return row
        return None

    def action_for(self, cell: dict[str, str]) -> str:
        """The action text, or 'unclassified (missing: ...)' naming unknown dimensions."""
        row = self.row_for(cell)
        if row is not None:
            return row["action"]
        missing = [d for d in DIMENSION_ORDER if cell.get(d) is None]
        return "unclassified (missing: " + ", ".join(missing) + ")"


def framework_from_dict(doc: dict) -> Framework:
    """Build and check a framework: a name and 16 rows, each combination once, each with an action."""
    if not isinstance(doc, dict) or not isinstance(doc.get("name"), str) or not doc["name"].strip():
        raise ValueError("it needs a non-empty 'name'")
    rows = doc.get("rows")
    if not isinstance(rows, (list, tuple)) or not all(isinstance(r, dict) for r in rows):
        raise ValueError("'rows' must be a list of objects")
    for number, row in enumerate(rows, 1):
        for dim in DIMENSION_ORDER:
            if row.get(dim) not in DIMENSIONS[dim]:
                raise ValueError(f"row {number}: '{dim}' must be one of {', '.join(DIMENSIONS[dim])}")
        if not isinstance(row.get("action"), str) or not row["action"].strip():
            raise ValueError(f"row {number}: 'action' must be a non-empty text")
    if len(rows) != 16 or len({tuple(r[d] for d in DIMENSION_ORDER) for r in rows}) != 16:
        raise ValueError("a framework needs 16 rows, one per combination of the four dimensions")
    numbered = tuple(dict(r, row=r.get("row", n)) for n, r in enumerate(rows, 1))
    return Framework(doc["name"], int(doc.get("version", 1)), doc.get("source", ""), numbered)


@lru_cache(maxsize=None)
def builtin_framework(version: int = 1) -> Framework:
    """The framework shipped with relledger (seed 000's table, verbatim)."""
    text = resources.files("ledger").joinpath(f"frameworks/v{version}.json").read_text("utf-8")
    return framework_from_dict(json.loads(text))
