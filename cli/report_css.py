"""The report's one stylesheet: screen, dark mode (prefers-color-scheme, or class="dark"), and A4 print."""

from __future__ import annotations

LIGHT = """
  --bg: #ffffff; --fg: #1d2433; --muted: #586275; --line: #d5dae3; --panel: #f4f6f9;
  --p3: #1a3f7a; --p2: #2f6fc4; --p1: #6fa0dc; --r1: #d9a21b; --r2: #e0702a; --r3: #c0392b; --none: #8a93a3;
  --q-ha: #eaf4ec; --q-hd: #fbeceb; --q-la: #eef3fa; --q-ld: #f7f3ea;
  --zone-p: #eef3fa; --zone-r: #fbf0ee; --accent: #2f5f9e; --bad: #b3261e; --warn: #8a5a00; --good: #1e6b3a;
  --st-courting: #d3dbe8; --st-dating: #a9c0e4; --st-engagement: #4f83cc; --st-long-term: #2a5694; --st-ended: #9a9a9a;
"""

DARK = """
  --bg: #12161c; --fg: #e4e8ef; --muted: #a3acbb; --line: #343c4a; --panel: #1b212a;
  --p3: #7db4ff; --p2: #4f8ee0; --p1: #6d87a8; --r1: #e5b53c; --r2: #f08a45; --r3: #ff6b5e; --none: #7d8696;
  --q-ha: #18281d; --q-hd: #2e1c1c; --q-la: #18212e; --q-ld: #27231a;
  --zone-p: #18212e; --zone-r: #2a1d1c; --accent: #8ab4f8; --bad: #ff8a80; --warn: #f0c060; --good: #7fd39a;
  --st-courting: #3a4558; --st-dating: #4c6386; --st-engagement: #4f83cc; --st-long-term: #8ab4f8; --st-ended: #666;
"""

BASE = """
* { box-sizing: border-box; }
html { color-scheme: light dark; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.35rem; margin: 0; }
h3 { font-size: 1.05rem; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
p.meta, .muted { color: var(--muted); }
p.meta { margin: 0 0 18px; font-size: .9rem; }
section.account { margin-top: 36px; padding-top: 20px; border-top: 3px solid var(--line); }
section.account.single { margin-top: 0; padding-top: 0; border-top: 0; }
.account-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 10px 16px; }
.account-head + .meta { margin: 2px 0 0; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 10px; margin: 14px 0 6px; }
.fact { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
.fact b { display: block; font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 600; }
.fact span { font-size: 1rem; }
.fact span.reasons { display: block; font-size: .85rem; color: var(--muted); }
.badge { display: inline-block; border-radius: 999px; padding: 1px 10px; font-size: .85rem; font-weight: 600; border: 1.5px solid currentColor; }
.lvl-at-risk { color: var(--bad); } .lvl-watch { color: var(--warn); } .lvl-healthy { color: var(--good); }
.charts { display: grid; grid-template-columns: minmax(0, 1.05fr) minmax(0, 1fr); gap: 8px 28px; align-items: start; }
figure { margin: 0; }
figcaption { font-size: .85rem; color: var(--muted); margin-top: 4px; }
svg { display: block; width: 100%; height: auto; font-family: inherit; }
.legend { list-style: none; margin: 8px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: .8rem; color: var(--muted); }
.legend li { display: flex; align-items: center; gap: 4px; }
svg.icon { width: 16px; height: 16px; display: inline-block; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { font-size: .75rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); font-weight: 600; }
td.action { width: 42%; }
td.nowrap { white-space: nowrap; }
td .sub { display: block; color: var(--muted); font-size: .8rem; }
.handle { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .85em; }
.status { font-weight: 600; }
.status-late { color: var(--bad); } .status-done { color: var(--good); } .status-dropped { color: var(--muted); text-decoration: line-through; }
ul.items { margin: 0; padding-left: 20px; }
ul.items li { margin: 3px 0; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 0 28px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 14px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: var(--panel); }
.card h3 { margin: 0 0 6px; border: 0; padding: 0; }
.card h3 a { color: inherit; text-decoration: none; } .card h3 a:hover { text-decoration: underline; }
.card p.note { margin: 6px 0 0; }
.totals { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0; }
.note { font-size: .85rem; color: var(--muted); }
.mk { stroke-width: 2.5; }
.mk.filled { stroke: var(--bg); stroke-width: 1.5; }
.mk.hollow { fill: var(--bg); }
.mk.unknown { stroke-dasharray: 3 2; }
""" + "".join(
    f".mk.filled.b-{b} {{ fill: var(--{b}); }} .mk.hollow.b-{b} {{ stroke: var(--{b}); }}\n"
    for b in ("p3", "p2", "p1", "r1", "r2", "r3", "none")) + """
.qbg { stroke: var(--line); } .qbg.high-advocate { fill: var(--q-ha); } .qbg.high-detractor { fill: var(--q-hd); }
.qbg.low-advocate { fill: var(--q-la); } .qbg.low-detractor { fill: var(--q-ld); }
.strip { fill: none; stroke: var(--line); stroke-dasharray: 4 3; }
.divider { stroke: var(--muted); stroke-width: 1.2; }
.qtitle { font-size: 14px; font-weight: 600; fill: var(--muted); }
.axis { font-size: 13px; fill: var(--muted); }
.small .axis { font-size: 11px; }
.when { font-size: 11.5px; fill: var(--muted); paint-order: stroke; stroke: var(--bg); stroke-width: 3px; }
.label { font-size: 14px; fill: var(--fg); font-weight: 500; paint-order: stroke; stroke: var(--bg); stroke-width: 3px; }
.label .tag { font-weight: 700; }
.label.crowded { font-size: 12px; }
.move { stroke: var(--muted); stroke-width: 1.6; stroke-dasharray: 5 3; }
.arrowhead { fill: var(--muted); }
.origin { fill: none; stroke: var(--muted); stroke-width: 1.4; }
.zone-potential { fill: var(--zone-p); } .zone-risk { fill: var(--zone-r); }
.gridline { stroke: var(--line); stroke-width: 1; } .zero { stroke: var(--muted); stroke-width: 1.2; }
.score { fill: none; stroke: var(--accent); stroke-width: 2.5; }
.score-dot { fill: var(--accent); stroke: var(--bg); stroke-width: 1.5; }
.bar { fill: var(--none); opacity: .7; } .barval { font-size: 12px; fill: var(--muted); }
.stage { stroke: var(--bg); stroke-width: 1; }
""" + "".join(f".st-{s} {{ fill: var(--st-{s}); }}\n" for s in ("courting", "dating", "engagement", "long-term", "ended")) + """
.stage-label { font-size: 14px; font-weight: 600; fill: #1d2433; }
rect.st-engagement + .stage-label, rect.st-long-term + .stage-label, rect.st-ended + .stage-label { fill: #fff; }
.small-chart { max-width: 260px; }
@media (max-width: 820px) { .charts, .cols { grid-template-columns: 1fr; } }
"""

PRINT = """
@page { size: A4; margin: 14mm 12mm; }
@media print {
  :root { LIGHT }
  body { font-size: 9.5pt; background: #fff; }
  main { max-width: none; padding: 0; }
  section.account { break-before: page; border-top: 0; margin-top: 0; padding-top: 0; }
  section.portfolio + section.account, main > section.account:first-of-type { break-before: auto; }
  .charts { grid-template-columns: 1fr 1fr; gap: 4px 16px; }
  .facts { grid-template-columns: repeat(5, 1fr); }
  figure, tr, .card, .fact { break-inside: avoid; }
  h3 { break-after: avoid; margin-top: 16px; }
}
"""


def stylesheet() -> str:
    """The whole stylesheet: light by default, dark when the reader prefers it (or class="dark")."""
    return (":root {" + LIGHT + "}\n:root.dark {" + DARK + "}\n"
            "@media (prefers-color-scheme: dark) { :root:not(.light) {" + DARK + "} }\n"
            + BASE + PRINT.replace("LIGHT", LIGHT))
