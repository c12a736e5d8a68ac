"""Inline SVG charts for the report: the power x perception quadrant chart, the trend and the
stage timeline. Plain string building; colours come from CSS classes so dark mode and print
restyle them, and every chart carries a title and a description (its text alternative).
"""

from __future__ import annotations

import math
from html import escape

QUADRANTS = {  # quadrant -> (column, row) in the grid: perception left to right, power bottom to top
    "high-detractor": (0, 0), "high-advocate": (1, 0), "low-detractor": (0, 1), "low-advocate": (1, 1),
}
QUADRANT_TITLES = {"high-detractor": "High power · detractor", "high-advocate": "High power · advocate",
                   "low-detractor": "Low power · detractor", "low-advocate": "Low power · advocate"}
BANDS = [("high", "potential", 3), ("med", "potential", 2), ("low", "potential", 1),
         ("low", "risk", -1), ("moderate", "risk", -2), ("high", "risk", -3)]
CROWDED = 6  # more contacts than this: labels under the markers, no dates on the moves
STAGES = ("courting", "dating", "engagement", "long-term", "ended")


def band_class(band: dict | None) -> str:
    """The CSS class colouring a band: b-p3 (high potential) ... b-r3 (high risk), b-none."""
    if not band:
        return "b-none"
    for level, kind, score in BANDS:
        if (band["level"], band["kind"]) == (level, kind):
            return f"b-{kind[0]}{abs(score)}"
    return "b-none"


def band_tag(band: dict | None) -> str:
    """The band as a signed score ('+3', '−2'), '?' when unclassified: shown beside each marker."""
    if not band or band.get("score") is None:
        return "?"
    return f"+{band['score']}" if band["score"] > 0 else f"−{-band['score']}"


def marker(x: float, y: float, r: float, dims: dict, band: dict | None, title: str = "") -> str:
    """A contact's marker: circle if they would take our call, square if not, triangle if unknown;
    filled when active, hollow when passive, dashed when activity is unknown; band as colour."""
    fill = {"active": "filled", "passive": "hollow"}.get(dims.get("activity") or "", "hollow unknown")
    cls = f'mk {band_class(band)} {fill}'
    tip = f"<title>{escape(title)}</title>" if title else ""
    relationship = dims.get("relationship")
    if relationship == "yes":
        return f'<circle class="{cls}" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}">{tip}</circle>'
    if relationship == "no":
        s = r * 0.9
        return f'<rect class="{cls}" x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}">{tip}</rect>'
    pts = f"{x:.1f},{y - r * 1.15:.1f} {x + r * 1.1:.1f},{y + r * 0.8:.1f} {x - r * 1.1:.1f},{y + r * 0.8:.1f}"
    return f'<polygon class="{cls}" points="{pts}">{tip}</polygon>'


class Grid:
    """Where each contact sits: the same slot in whichever quadrant, so paths stay parallel."""

    def __init__(self, count: int, left: float, top: float, width: float, height: float, head: float, strip: float = 40):
        self.cols = max(1, min(4, math.ceil(math.sqrt(count))))
        self.rows = max(1, math.ceil(count / self.cols))
        self.left, self.top, self.qw, self.qh, self.head = left, top, width / 2, height / 2, head
        self.count, self.strip = count, strip

    def spot(self, index: int, quadrant: str | None) -> tuple[float, float]:
        col, row = index % self.cols, index // self.cols
        if quadrant not in QUADRANTS:  # the unclassified strip under the grid
            return self.left + (index + 0.5) * 2 * self.qw / max(1, self.count), self.top + 2 * self.qh + self.strip
        qx, qy = QUADRANTS[quadrant]
        x = self.left + qx * self.qw + (col + 0.5) * self.qw / self.cols
        y = self.top + qy * self.qh + self.head + (row + 0.5) * (self.qh - self.head) / self.rows
        return x, y


def svg_open(cls: str, width: float, height: float, key: str, title: str, desc: str) -> str:
    """An inline chart's opening: an image whose name and description are its title and desc."""
    return (f'<svg class="{cls}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{key}-t {key}-d" '
            f'xmlns="http://www.w3.org/2000/svg"><title id="{key}-t">{escape(title)}</title><desc id="{key}-d">{escape(desc)}</desc>')


def quadrant_chart(page: dict, small: bool = False) -> str:
    """The account's contacts on the power x perception grid, with their paths since ``page['since']``."""
    people = page["contacts"]
    strip = any(p["quadrant"] not in QUADRANTS for p in people) or any(
        pt["quadrant"] not in QUADRANTS for p in people for pt in p["path"])
    rows = math.ceil(len(people) / max(1, min(4, math.ceil(math.sqrt(len(people))))))
    gh = 170 if small else max(420, 2 * (rows * 62 + 26))  # room for a marker and its label per row
    left, top, gw = (22, 8, 210) if small else (44, 12, 586)
    grid = Grid(len(people), left, top, gw, gh, 0 if small else 26, 17 if small else 40)
    total = (20 if small else 50) + gh + ((28 if small else 56) if strip else 0)
    key = escape(f"q{'s' if small else ''}-{page['account']}")  # ids unique in a page holding both sizes
    parts = [svg_open("quadrant small" if small else "quadrant", 240 if small else 640, total, key, _chart_title(page),
                      describe(page)), _defs(key)] + _grid(left, top, gw, gh, small, total)
    if strip:
        parts += _strip(left, top + gh, gw, small)
    for i, p in enumerate(people):
        parts += _path(grid, i, p, key, small, dated=len(people) <= CROWDED)
    for i, p in enumerate(people):
        parts += _contact(grid, i, p, small)
    return "".join(parts) + "</svg>"


def _strip(left: float, bottom: float, gw: float, small: bool) -> list[str]:
    parts = [f'<rect class="strip" x="{left}" y="{bottom + 4}" width="{gw}" height="{24 if small else 50}"/>']
    if not small:
        parts.append(f'<text class="axis" x="{left + 6}" y="{bottom + 18}">unclassified: power or perception unknown</text>')
    return parts


def _chart_title(page: dict) -> str:
    return f"{page['account']}: where each contact stands on power and perception, and how they moved since {page['since']}"


def describe(page: dict) -> str:
    """The chart in words: every contact's quadrant, band, action and moves."""
    lines = []
    for p in page["contacts"]:
        band = f"{p['band']['level']} {p['band']['kind']}" if p["band"] else "no band"
        moves = " → ".join(f"{pt['quadrant'] or 'unclassified'} ({pt['at']})" for pt in p["path"])
        lines.append(f"{p['handle']}: {p['quadrant'] or 'unclassified'}, {band}, "
                     f"relationship {p['dimensions'].get('relationship') or 'unknown'}, "
                     f"activity {p['dimensions'].get('activity') or 'unknown'}" + (f"; path {moves}" if len(p["path"]) > 1 else ""))
    return ". ".join(lines) or "no contacts"


def _defs(key: str) -> str:
    return (f'<defs><marker id="arrow-{key}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto-start-reverse"><path class="arrowhead" d="M0,0 L10,5 L0,10 z"/></marker></defs>')


def _grid(left: float, top: float, gw: float, gh: float, small: bool, total: float) -> list[str]:
    parts = []
    for quadrant, (qx, qy) in QUADRANTS.items():
        x, y = left + qx * gw / 2, top + qy * gh / 2
        parts.append(f'<rect class="qbg {quadrant}" x="{x}" y="{y}" width="{gw / 2}" height="{gh / 2}"/>')
        if not small:
            parts.append(f'<text class="qtitle" x="{x + 8}" y="{y + 17}">{QUADRANT_TITLES[quadrant]}</text>')
    parts.append(f'<line class="divider" x1="{left + gw / 2}" y1="{top}" x2="{left + gw / 2}" y2="{top + gh}"/>')
    parts.append(f'<line class="divider" x1="{left}" y1="{top + gh / 2}" x2="{left + gw}" y2="{top + gh / 2}"/>')
    mid_y = top + gh / 2
    parts.append(f'<text class="axis" transform="translate({left - 8},{mid_y}) rotate(-90)" text-anchor="middle">'
                 f'{"power" if small else "power: low ⟶ high"}</text>')
    if not small:
        parts.append(f'<text class="axis" x="{left + gw / 2}" y="{total - 8}" text-anchor="middle">'
                     "perception: detractor ⟶ advocate</text>")
    return parts


def _path(grid: Grid, index: int, person: dict, key: str, small: bool, dated: bool) -> list[str]:
    points = [grid.spot(index, pt["quadrant"]) for pt in person["path"]]
    parts = []
    for (x1, y1), (x2, y2), pt in zip(points, points[1:], person["path"][1:]):
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1
        trim = 6 if small else 14  # stop short of the markers
        sx, sy, ex, ey = x1 + dx * trim / length, y1 + dy * trim / length, x2 - dx * trim / length, y2 - dy * trim / length
        parts.append(f'<line class="move" x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" '
                     f'marker-end="url(#arrow-{key})"><title>{escape(person["handle"])} moved to '
                     f'{escape(pt["quadrant"] or "unclassified")} on {pt["at"]}</title></line>')
        if dated and not small:
            parts.append(f'<text class="when" x="{(sx + ex) / 2:.1f}" y="{(sy + ey) / 2 - 9:.1f}" '
                         f'text-anchor="middle">{_short_date(pt["at"])}</text>')
    for x, y in points[:-1] if len(points) > 1 else []:  # where they were: a small hollow ring each
        parts.append(f'<circle class="origin" cx="{x:.1f}" cy="{y:.1f}" r="{2 if small else 4}"/>')
    return parts


def _short_date(day: str) -> str:
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    return f"{int(day[8:10])} {months[int(day[5:7]) - 1]} {day[:4]}"


def _contact(grid: Grid, index: int, person: dict, small: bool) -> list[str]:
    x, y = grid.spot(index, person["quadrant"])
    tip = f"{person['handle']}: {person['quadrant'] or 'unclassified'}, {person['action']}"
    parts = [marker(x, y, 5 if small else 10, person["dimensions"], person["band"], tip)]
    if small:
        return parts
    label, tag = person["handle"].rpartition("/")[2], f'<tspan class="tag">{band_tag(person["band"])}</tspan>'
    if grid.count > CROWDED:  # under the marker (over it in odd columns, so neighbours never meet), cut to fit
        room = max(4, int(2 * grid.qw / grid.cols / 6.8) - 4)
        head = room // 2
        label = label if len(label) <= room else label[:head] + "…" + label[len(label) - (room - 1 - head):]
        dy = -15 if index % grid.cols % 2 else 24
        return parts + [f'<text class="label crowded" x="{x:.1f}" y="{y + dy:.1f}" text-anchor="middle">{escape(label)} {tag}</text>']
    right_edge = grid.left + 2 * grid.qw
    place = f'x="{x + 15:.1f}"' if x + 15 + 8.5 * len(label) + 28 <= right_edge else f'x="{x - 15:.1f}" text-anchor="end"'
    return parts + [f'<text class="label" {place} y="{y + 5:.1f}">{escape(label)} {tag}</text>']


def legend_icons() -> list[tuple[str, str]]:
    """(small SVG, meaning) pairs for the legend under a quadrant chart."""
    def icon(dims: dict, band: dict | None) -> str:
        return f'<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">{marker(12, 12, 8, dims, band)}</svg>'

    neutral = {"level": "med", "kind": "potential", "score": 2}
    items = [(icon({"relationship": "yes", "activity": "active"}, neutral), "would take our call (circle)"),
             (icon({"relationship": "no", "activity": "active"}, neutral), "would not (square)"),
             (icon({"relationship": None, "activity": "active"}, neutral), "relationship unknown (triangle)"),
             (icon({"relationship": "yes", "activity": "active"}, neutral), "active (filled)"),
             (icon({"relationship": "yes", "activity": "passive"}, neutral), "passive (hollow)"),
             (icon({"relationship": "yes", "activity": None}, neutral), "activity unknown (dashed)")]
    for level, kind, score in BANDS:
        band = {"level": level, "kind": kind, "score": score}
        items.append((icon({"relationship": "yes", "activity": "active"}, band), f"{band_tag(band)} {level} {kind}"))
    items.append((icon({"relationship": "yes", "activity": "active"}, None), "? unclassified"))
    return items
