"""Inline SVG charts over time: the account's trend per period and its stage timeline."""

from __future__ import annotations

from datetime import date
from html import escape

from ledger.cli.report_svg import svg_open

_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_SCORE_LABELS = {3: "+3 high potential", 1: "+1 low potential", 0: "0", -1: "−1 low risk", -3: "−3 high risk"}


def _period_label(start: str, by: str, first: bool, x: float) -> str:
    """The period's name, with the year on a second line for the first period and each new year."""
    d = date.fromisoformat(start)
    name = f"Q{(d.month - 1) // 3 + 1}" if by == "quarter" else f"{d.day} {_MONTHS[d.month - 1]}" if by == "week" \
        else _MONTHS[d.month - 1]
    new_year = first or (d.month == 1 and d.day <= 7)
    return name + (f'<tspan x="{x:.1f}" dy="14">{d.year}</tspan>' if new_year else "")


def trend_chart(account: str, trend: dict) -> str:
    """Mean band score per period as a line (−3 high risk .. +3 high potential) and interactions as bars."""
    periods = trend["periods"]
    left, top, width, height, lane = 132, 10, 496, 160, 50
    step = width / max(1, len(periods))
    y_of = lambda s: top + (3 - s) * height / 6  # noqa: E731
    parts = [svg_open("trend", 640, top + height + lane + 48, f"t-{account}",
                      f"{account}: mean band score and interactions per {trend['by']}, {trend['direction']}",
                      describe_trend(trend))]
    parts += _score_axis(left, top, width, height, y_of)
    parts += _score_line(periods, left, step, y_of)
    parts += _interaction_bars(periods, left, step, top + height + 8, lane - 8)
    every = max(1, round(len(periods) / 8))
    for i, p in enumerate(periods):
        if i % every == 0:
            x = left + (i + 0.5) * step
            parts.append(f'<text class="axis" x="{x:.1f}" y="{top + height + lane + 16}" '
                         f'text-anchor="middle">{_period_label(p["start"], trend["by"], i == 0, x)}</text>')
    parts.append(f'<text class="axis" x="{left - 6}" y="{top + height + lane - 4}" text-anchor="end">interactions</text>')
    return "".join(parts) + "</svg>"


def _score_axis(left: float, top: float, width: float, height: float, y_of) -> list[str]:
    parts = [f'<rect class="zone-potential" x="{left}" y="{top}" width="{width}" height="{height / 2}"/>',
             f'<rect class="zone-risk" x="{left}" y="{top + height / 2}" width="{width}" height="{height / 2}"/>']
    for score in range(-3, 4):
        parts.append(f'<line class="{"zero" if score == 0 else "gridline"}" x1="{left}" x2="{left + width}" '
                     f'y1="{y_of(score):.1f}" y2="{y_of(score):.1f}"/>')
        if score in _SCORE_LABELS:
            parts.append(f'<text class="axis" x="{left - 6}" y="{y_of(score) + 4:.1f}" text-anchor="end">{_SCORE_LABELS[score]}</text>')
    return parts


def _score_line(periods: list[dict], left: float, step: float, y_of) -> list[str]:
    parts, run = [], []
    for i, p in enumerate(periods + [{"score": None}]):
        if p["score"] is not None:
            run.append(f"{left + (i + 0.5) * step:.1f},{y_of(p['score']):.1f}")
            continue
        if len(run) > 1:
            parts.append(f'<polyline class="score" points="{" ".join(run)}"/>')
        run = []
    for i, p in enumerate(periods):
        if p["score"] is not None:
            tip = f"{p['start']}: score {p['score']:+g}, {p.get('classified', '?')} classified contact(s)"
            parts.append(f'<circle class="score-dot" cx="{left + (i + 0.5) * step:.1f}" cy="{y_of(p["score"]):.1f}" '
                         f'r="4"><title>{escape(tip)}</title></circle>')
    return parts


def _interaction_bars(periods: list[dict], left: float, step: float, top: float, lane: float) -> list[str]:
    most = max([p["interactions"] for p in periods] + [1])
    parts = []
    for i, p in enumerate(periods):
        h = lane * p["interactions"] / most
        x = left + i * step + step * 0.2
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{top + lane - h:.1f}" width="{step * 0.6:.1f}" height="{h:.1f}">'
                     f'<title>{p["start"]}: {p["interactions"]} interaction(s)</title></rect>')
        if p["interactions"] and step >= 18:
            parts.append(f'<text class="barval" x="{x + step * 0.3:.1f}" y="{top + lane - h - 2:.1f}" '
                         f'text-anchor="middle">{p["interactions"]}</text>')
    return parts


def describe_trend(trend: dict) -> str:
    """The trend in words, period by period."""
    return "; ".join(f"{p['start']}: score {'none' if p['score'] is None else format(p['score'], '+g')}, "
                     f"{p['interactions']} interaction(s)" for p in trend["periods"]) + f". Direction: {trend['direction']}."


def stage_timeline(account: str, spans: list[dict]) -> str:
    """The stages from registration to now as one bar, each stage a labelled segment."""
    left, width = 8, 624
    first, last = date.fromisoformat(spans[0]["from"]), date.fromisoformat(spans[-1]["to"])
    days = max(1, (last - first).days)
    x_of = lambda d: left + width * (date.fromisoformat(d) - first).days / days  # noqa: E731
    desc = "; ".join(f"{s['stage']} from {s['from']} to {s['to']}" + (f" ({s['event']})" if s["event"] else "") for s in spans)
    parts, last_date_x = [svg_open("timeline", 640, 78, f"s-{account}", f"{account}: stages over time", desc)], -100.0
    for s in spans:
        x1, x2 = x_of(s["from"]), max(x_of(s["to"]), x_of(s["from"]) + 3)
        parts += _segment(s, x1, x2, left + width)
        if x1 - last_date_x >= 90:
            parts.append(f'<text class="axis" {_anchor(x1, left + width)} y="52">{s["from"]}</text>')
            last_date_x = x1
    if left + width - last_date_x >= 180:
        parts.append(f'<text class="axis" x="{left + width}" y="52" text-anchor="end">{spans[-1]["to"]}</text>')
    return "".join(parts) + "</svg>"


def _segment(span: dict, x1: float, x2: float, right: float) -> list[str]:
    """One stage: its bar, and its name inside when it fits, else under the bar."""
    name = escape(span["stage"])
    parts = [f'<rect class="stage st-{name}" x="{x1:.1f}" y="8" width="{x2 - x1:.1f}" height="26">'
             f'<title>{name}: {span["from"]} to {span["to"]}</title></rect>']
    if x2 - x1 >= 8.5 * len(name) + 12:
        return parts + [f'<text class="stage-label" x="{x1 + 6:.1f}" y="27">{name}</text>']
    return parts + [f'<text class="axis" {_anchor(x1, right)} y="70">{name}</text>']


def _anchor(x: float, right: float) -> str:
    """Position a label at ``x``, or end it at the right edge when it would run past it."""
    return f'x="{x:.1f}"' if right - x >= 80 else f'x="{right:.1f}" text-anchor="end"'
