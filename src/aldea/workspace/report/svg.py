"""Small SVG charts for the printed report, drawn on the server without a browser.

Plotly's static export needs kaleido and a Chrome; a report needs five plain charts, so they
are drawn here as SVG text: numbers in, markup out (``mark_safe``: every label is escaped).
Coordinates are in the SVG's own units; the template sizes the charts in millimetres.
"""

from __future__ import annotations

import math
from html import escape

from django.utils.safestring import mark_safe

from aldea.territories.geo import light_geojson

INK, MUTED, GRID, ACCENT, SECOND, BAND = "#1d2b2f", "#5b6b70", "#d7dfe1", "#0f6e5a", "#c8553d", "#b7d8cf"
FONT = 'font-family="DejaVu Sans, sans-serif"'


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" {FONT} font-size="11">' + "".join(body) + "</svg>"
    )


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if raw <= step * m)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(k * step, 10) for k in range(first, last + 1)]


def _text(x, y, text, *, anchor="start", size=11, colour=INK, weight="normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{colour}" font-weight="{weight}">{escape(str(text))}</text>')


def line_band(points: list[tuple[float, float | None, float | None, float | None]], *, number,
              x_label: str, y_label: str, label: str, width: int = 640, height: int = 300) -> str:
    """A line with its confidence band: points are (x, y, low, high); a vertical dotted line
    before x = 0 (the start of treatment), and y = 0."""
    pts = [p for p in points if p[1] is not None]
    if not pts:
        return ""
    left, right, top, bottom = 70, 15, 15, 45
    xs = [p[0] for p in pts]
    lows = [p[2] if p[2] is not None else p[1] for p in pts]
    highs = [p[3] if p[3] is not None else p[1] for p in pts]
    ticks = _nice_ticks(min(0.0, min(lows)), max(0.0, max(highs)))
    y0, y1 = ticks[0], ticks[-1]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1

    def sx(x):
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def sy(y):
        return top + (y1 - y) / (y1 - y0) * (height - top - bottom)

    body = []
    for t in ticks:
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" '
                    f'stroke="{GRID}" stroke-width="0.6"/>')
        body.append(_text(left - 6, sy(t) + 4, number(t), anchor="end", colour=MUTED, size=10))
    band = [f"{sx(x):.1f},{sy(h):.1f}" for x, h in zip(xs, highs, strict=True)]
    band += [f"{sx(x):.1f},{sy(lo):.1f}" for x, lo in zip(xs[::-1], lows[::-1], strict=True)]
    body.append(f'<polygon points="{" ".join(band)}" fill="{BAND}" stroke="none"/>')
    body.append(f'<line x1="{left}" x2="{width - right}" y1="{sy(0):.1f}" y2="{sy(0):.1f}" '
                f'stroke="{MUTED}" stroke-width="1"/>')
    if x0 < 0 <= x1:
        body.append(f'<line x1="{sx(-0.5):.1f}" x2="{sx(-0.5):.1f}" y1="{top}" y2="{height - bottom}" '
                    f'stroke="{MUTED}" stroke-dasharray="3,3"/>')
    line = " ".join(f"{sx(x):.1f},{sy(p[1]):.1f}" for x, p in zip(xs, pts, strict=True))
    body.append(f'<polyline points="{line}" fill="none" stroke="{ACCENT}" stroke-width="2"/>')
    body += [f'<circle cx="{sx(p[0]):.1f}" cy="{sy(p[1]):.1f}" r="2.2" fill="{ACCENT}"/>' for p in pts]
    step = max(1, round(len(xs) / 12))
    for x in xs[::step]:
        body.append(_text(sx(x), height - bottom + 15, int(x), anchor="middle", colour=MUTED, size=10))
    body.append(_text((left + width - right) / 2, height - 8, x_label, anchor="middle", colour=MUTED))
    body.append(f'<text transform="translate(14 {(top + height - bottom) / 2:.0f}) rotate(-90)" '
                f'text-anchor="middle" font-size="11" fill="{MUTED}">{escape(y_label)}</text>')
    return _svg(width, height, body, label)


def bars(rows: list[tuple[str, float]], *, number, label: str, width: int = 640,
         colour: str = ACCENT) -> str:
    """Horizontal bars with their values: one row per (label, value)."""
    if not rows:
        return ""
    row_h, left, right = 26, 200, 70
    height = row_h * len(rows) + 10
    top = max((v for _l, v in rows), default=0) or 1
    body = []
    for i, (name, value) in enumerate(rows):
        y = 5 + i * row_h
        w = max(0.0, value) / top * (width - left - right)
        body.append(_text(left - 8, y + 16, name, anchor="end"))
        body.append(f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{colour}"/>')
        body.append(_text(left + w + 6, y + 16, number(value), colour=MUTED))
    return _svg(width, height, body, label)


def columns(months: list[str], series: list[tuple[str, list[float], str]], *, label: str,
            width: int = 640, height: int = 220) -> str:
    """Grouped vertical columns per month (e.g. MSMEs reporting, by group), with a legend."""
    if not months:
        return ""
    left, right, top, bottom = 45, 10, 25, 40
    ticks = _nice_ticks(0, max((max(v) for _n, v, _c in series if v), default=1) or 1)
    y1 = ticks[-1]
    slot = (width - left - right) / len(months)
    bar = slot * 0.8 / max(len(series), 1)

    def sy(y):
        return top + (y1 - y) / y1 * (height - top - bottom)

    body = []
    for t in ticks:
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" '
                    f'stroke="{GRID}" stroke-width="0.6"/>')
        body.append(_text(left - 5, sy(t) + 4, f"{t:,.0f}", anchor="end", colour=MUTED, size=9))
    for j, (_name, values, colour) in enumerate(series):
        for i, v in enumerate(values):
            x = left + i * slot + slot * 0.1 + j * bar
            body.append(f'<rect x="{x:.1f}" y="{sy(v):.1f}" width="{bar:.1f}" '
                        f'height="{sy(0) - sy(v):.1f}" fill="{colour}"/>')
    step = max(1, round(len(months) / 12))
    for i in range(0, len(months), step):
        body.append(_text(left + (i + 0.5) * slot, height - bottom + 14, months[i], anchor="middle",
                          colour=MUTED, size=9))
    for j, (name, _v, colour) in enumerate(series):
        body.append(f'<rect x="{left + j * 170}" y="6" width="10" height="10" fill="{colour}"/>')
        body.append(_text(left + j * 170 + 14, 15, name, size=10))
    return _svg(width, height, body, label)


def lorenz(points: list[tuple[float, float]], *, x_label: str, y_label: str, label: str,
           size: int = 300) -> str:
    """A Lorenz curve against the line of equality (shares 0-1 on both axes)."""
    pts = [(p, s) for p, s in points if s is not None]
    if not pts:
        return ""
    left, top, edge = 45, 10, size - 55
    lo = min(0.0, min(s for _p, s in pts))

    def sx(p):
        return left + p * edge

    def sy(s):
        return top + (1 - s) / (1 - lo) * edge

    body = [f'<rect x="{left}" y="{top}" width="{edge}" height="{edge}" fill="none" stroke="{GRID}"/>',
            (f'<line x1="{sx(0)}" y1="{sy(0):.1f}" x2="{sx(1)}" y2="{sy(1):.1f}" stroke="{MUTED}" '
            'stroke-dasharray="3,3"/>')]
    line = " ".join(f"{sx(p):.1f},{sy(s):.1f}" for p, s in [(0.0, 0.0), *pts])
    body.append(f'<polyline points="{line}" fill="none" stroke="{SECOND}" stroke-width="2"/>')
    for v in (0, 0.5, 1):
        body.append(_text(sx(v), top + edge + 14, f"{v:.0%}", anchor="middle", colour=MUTED, size=9))
        body.append(_text(left - 4, sy(v) + 3, f"{v:.0%}", anchor="end", colour=MUTED, size=9))
    body.append(_text(left + edge / 2, size - 5, x_label, anchor="middle", colour=MUTED))
    body.append(f'<text transform="translate(10 {top + edge / 2:.0f}) rotate(-90)" text-anchor="middle" '
                f'font-size="11" fill="{MUTED}">{escape(y_label)}</text>')
    return _svg(size, size, body, label)


def village_map(points: list[tuple[float, float, str, str]], legend: list[tuple[str, str]], *,
                label: str, width: int = 640) -> str:
    """The country's state outlines (the shipped GeoJSON) with villages as points:
    (longitude, latitude, colour, name). Equirectangular, scaled by cos(latitude)."""
    import json

    states = json.loads(light_geojson("states").body)
    rings = []
    for feature in states["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings += [polygon[0] for polygon in polygons]
    lons = [x for ring in rings for x, *_ in ring]
    lats = [y for ring in rings for _x, y, *_ in ring]
    if not lons:
        return ""
    lon0, lon1, lat0, lat1 = min(lons), max(lons), min(lats), max(lats)
    k = math.cos(math.radians((lat0 + lat1) / 2))
    scale = (width - 20) / ((lon1 - lon0) * k)
    height = int((lat1 - lat0) * scale + 20 + 18 * len(legend))

    def xy(lon, lat):
        return 10 + (lon - lon0) * k * scale, 10 + (lat1 - lat) * scale

    body = []
    for ring in rings:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(lon, lat) for lon, lat, *_ in ring))
        body.append(f'<polygon points="{path}" fill="#eef3f1" stroke="#b9c6c9" stroke-width="0.5"/>')
    for lon, lat, colour, name in points:
        x, y = xy(lon, lat)
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}" stroke="#fff" '
                    f'stroke-width="1"><title>{escape(name)}</title></circle>')
    base = (lat1 - lat0) * scale + 24
    for i, (name, colour) in enumerate(legend):
        body.append(f'<circle cx="16" cy="{base + i * 18:.0f}" r="4.5" fill="{colour}"/>')
        body.append(_text(26, base + i * 18 + 4, name, size=10))
    return _svg(width, height, body, label)
