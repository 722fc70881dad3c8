"""Charts as SVG drawn here, so that the app needs nothing from the internet: points over periods, each a link."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from html import escape
from typing import Any

WIDTH, HEIGHT = 760, 300
_LEFT, _RIGHT, _TOP, _BOTTOM = 72, 16, 18, 56
CONFLICT = "#c0392b"  # the red of a conflict everywhere in the app (app.css .s-conflict)
COLOURS = ("#2471a3", "#239b56", "#b9770e", "#7d3c98", "#148f77", "#566573", "#1a5276", "#a04000")
_SCALES = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))


def nice(v: float) -> str:
    a = abs(v)
    for scale, name in _SCALES:
        if a >= scale:
            return f"{v / scale:.4g}{name}"
    return f"{v:.4g}"


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi == lo:
        return [lo]
    step = (hi - lo) / (n - 1)
    return [lo + i * step for i in range(n)]


def line_chart(points: Sequence[dict[str, Any]], *, title: str, unit: str, label_of=None,
               conflict_label: str = "conflict", derived_label: str = "derived") -> str:
    """An SVG line chart of facts (dicts with period, period order key, value, region, id, doc_id, text).

    x: the periods in order (categories); y: values; one line and colour per series (the `series` key);
    each point links to the fact's sentence in its report and has a tooltip; a point whose `status` is conflict
    is ringed in red (the series' colours avoid that red) and its tooltip says so. A derived point (computed by
    the checks, in no report's text) is drawn hollow and its tooltip says so; a series whose points are all
    plans (`plan`) is drawn dashed.
    """
    periods = sorted({(p["period_start"], p["period"]) for p in points})
    xs = {per: i for i, (_s, per) in enumerate(periods)}
    values = [float(p["value"]) for p in points]
    lo, hi = min(values + [0.0]), max(values + [0.0])
    if hi == lo:
        hi = lo + 1
    pw, ph = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM

    def x(per: str) -> float:
        n = len(periods)
        return _LEFT + (pw * (xs[per] + 0.5) / n)

    def y(v: float) -> float:
        return _TOP + ph * (1 - (v - lo) / (hi - lo))

    out = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
           f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for t in _ticks(lo, hi):
        ty = y(t)
        out.append(f'<line class="grid" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}"/>'
                   f'<text class="tick" x="{_LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end">{escape(nice(t))}</text>')
    if lo < 0 < hi:
        out.append(f'<line class="zero" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}"/>')
    for _s, per in periods:
        out.append(f'<text class="tick" x="{x(per):.1f}" y="{HEIGHT - _BOTTOM + 16}" text-anchor="middle">'
                   f'{escape(per)}</text>')
    out.append(f'<text class="unit" x="{_LEFT}" y="{_TOP - 4}">{escape(unit)}</text>')
    series: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in points:
        series[p["series"]].append(p)
    legend_y = HEIGHT - 14
    legend_x = _LEFT
    for i, (name, pts) in enumerate(sorted(series.items())):
        colour = COLOURS[i % len(COLOURS)]
        pts = sorted(pts, key=lambda p: (p["period_start"], p["period"]))
        if len(pts) > 1:
            path = " ".join(f"{x(p['period']):.1f},{y(float(p['value'])):.1f}" for p in pts)
            dashed = " plan" if all(p.get("plan") for p in pts) else ""
            out.append(f'<polyline class="series{dashed}" fill="none" stroke="{colour}" points="{path}"/>')
        for p in pts:
            tip = f"{p['period']} {name}: {p['text']} — {p.get('doc', '')}"
            status = p.get("status")
            mark = ""
            if status == "conflict":  # whatever the series' colour: a larger point ringed in red, so it cannot be missed
                tip += f" — {conflict_label}"
                mark = f' stroke="{CONFLICT}" stroke-width="3"'
            fill = colour
            if p.get("derived"):
                tip += f" — {derived_label}"
                fill = "#fff"
                # app.css strokes every point white, over a stroke attribute: the ring takes the circle's colour instead
                # (svg.chart a.point.derived circle: currentColor; an inline style would be refused by the CSP)
                mark = mark or f' color="{colour}"'
            classes = "point" + (f" s-{status}" if status else "") + (" derived" if p.get("derived") else "")
            # a derived point is in no report's text: its link goes to its own page, which names its sources
            href = p.get("href") or (f"/facts/{int(p['id'])}" if p.get("derived")
                                     else f"/documents/{int(p['doc_id'])}#f{int(p['id'])}")
            out.append(f'<a class="{classes}" href="{href}" '
                       f'data-fact="{int(p["id"] or 0)}" data-status="{escape(status or "")}">'
                       f'<circle cx="{x(p["period"]):.1f}" cy="{y(float(p["value"])):.1f}" '
                       f'r="{7 if status == "conflict" else 5}" fill="{fill}"{mark}>'
                       f'<title>{escape(tip)}</title></circle></a>')
        out.append(f'<rect x="{legend_x}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>'
                   f'<text class="legend" x="{legend_x + 14}" y="{legend_y}">{escape(name)}</text>')
        legend_x += 24 + 12 * min(len(name), 20)
    out.append("</svg>")
    return "".join(out)
