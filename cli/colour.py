"""Colour for risk and potential, on a terminal only.

Renderers mark text with ``paint``; ``finish`` keeps the marks as ANSI colour when colour is
on and removes them otherwise. Colour is on with ``--color always``; with ``auto`` (the
default) only when standard output is a terminal and NO_COLOR is unset or empty
(https://no-color.org); never with ``--color never``. Escapes take no cells, so fitting the
width is unchanged (ledger.cli.output.display_width).
"""

from __future__ import annotations

import os
import sys

import click

from ledger.cli.output import SGR

RED, YELLOW, GREEN = "31", "33", "32"


def paint(text: str, colour: str | None) -> str:
    """``text`` marked with ``colour`` (None leaves it plain)."""
    return f"\x1b[{colour}m{text}\x1b[0m" if colour and text else text


def tone(text: str | None) -> str | None:
    """The colour of an action, band or quadrant: high risk red, other risk yellow, potential green."""
    low = (text or "").lower()
    if "risk" in low or "detractor" in low:
        return RED if low.startswith("high") else YELLOW
    if "potential" in low or "advocate" in low:
        return GREEN
    return None


def painted(text: str | None) -> str:
    """``text`` in its own tone."""
    return paint(text or "", tone(text))


def enabled(env: dict = os.environ) -> bool:
    """Whether this command's output gets colour."""
    ctx = click.get_current_context(silent=True)
    choice = ctx.meta.get("relledger.colour", "auto") if ctx else "auto"
    if choice != "auto":
        return choice == "always"
    return not env.get("NO_COLOR") and sys.stdout.isatty()


def finish(text: str) -> str:
    """``text`` with its colour marks kept (colour on) or removed."""
    return text if "\x1b" not in text or enabled() else SGR.sub("", text)
