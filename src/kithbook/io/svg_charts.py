"""Charts drawn as inline SVG on the server: no script, no CDN, prints as it shows.
Every label is escaped here, so callers may embed the result as markup."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

PALETTE = ("#d9822b", "#1f5fa8", "#2b8a3e", "#8a3ab9", "#b3261e", "#00838f", "#6d4c41",
           "#5c6bc0")
FONT = 'font-family="system-ui, sans-serif"'


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" aria-label="{escape(title)}"><title>{escape(title)}'
            f'</title>{"".join(body)}</svg>')


def progress_bars(title: str, rows: Sequence[tuple[str, float | None, float | None]],
                  *, width: int = 640) -> str:
    """One bar per row: progress toward the target (1.0 = target), with a tick where
    the plan says it should be today. Bars stop at 150%."""
    label_w, bar_w, row_h = 210, width - 270, 26
    height = 30 + row_h * max(len(rows), 1)
    scale = bar_w / 1.5
    body = [f'<text x="0" y="16" font-size="13" font-weight="600" {FONT}>{escape(title)}'
            '</text>']
    x0 = label_w
    body.append(f'<line x1="{x0 + scale:.1f}" y1="22" x2="{x0 + scale:.1f}" y2="{height}" '
                'stroke="#1d2733" stroke-dasharray="3,3"/>')
    body.append(f'<text x="{x0 + scale:.1f}" y="{height - 2}" font-size="10" '
                f'text-anchor="middle" {FONT}>target</text>')
    if not rows:
        body.append(f'<text x="{x0}" y="44" font-size="12" fill="#6b7785" {FONT}>'
                    'No objectives yet.</text>')
    for i, (label, progress, expected) in enumerate(rows):
        y = 26 + i * row_h
        shown = label if len(label) <= 32 else label[:31] + "…"
        body.append(f'<text x="0" y="{y + 14}" font-size="12" {FONT}>{escape(shown)}</text>')
        body.append(f'<rect x="{x0}" y="{y + 3}" width="{bar_w}" height="14" fill="#eef2f6"/>')
        if progress is not None:
            w = max(0.0, min(progress, 1.5)) * scale
            color = "#2b8a3e" if progress >= (expected or 0) * 0.9 else "#b3261e"
            body.append(f'<rect x="{x0}" y="{y + 3}" width="{w:.1f}" height="14" '
                        f'fill="{color}"/>')
            body.append(f'<text x="{x0 + bar_w + 6}" y="{y + 14}" font-size="11" {FONT}>'
                        f'{progress:.0%}</text>')
        else:
            body.append(f'<text x="{x0 + 4}" y="{y + 14}" font-size="11" fill="#6b7785" '
                        f'{FONT}>no data</text>')
        if expected is not None:
            ex = x0 + max(0.0, min(expected, 1.5)) * scale
            body.append(f'<line x1="{ex:.1f}" y1="{y}" x2="{ex:.1f}" y2="{y + 20}" '
                        'stroke="#d9822b" stroke-width="2"/>')
    return _svg(width, height + 4, body, title)


def paired_bars(title: str, groups: Sequence[tuple[str, float, float]],
                labels: tuple[str, str] = ("committed", "delivered"), *,
                width: int = 640) -> str:
    """Two bars per group (committed against delivered), on one scale."""
    height = 200
    top = max([max(a, b) for _, a, b in groups] + [1.0])
    n = max(len(groups), 1)
    slot = (width - 40) / n
    bw = min(40.0, slot / 3)
    base = height - 40
    body = [f'<text x="0" y="16" font-size="13" font-weight="600" {FONT}>{escape(title)}'
            '</text>',
            f'<line x1="30" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#c5cfd9"/>']
    for i, (name, a, b) in enumerate(groups):
        x = 40 + i * slot + slot / 2 - bw
        for j, (v, color) in enumerate(((a, "#c5cfd9"), (b, "#1f5fa8"))):
            h = (base - 30) * (v / top)
            body.append(f'<rect x="{x + j * bw:.1f}" y="{base - h:.1f}" width="{bw - 2:.1f}" '
                        f'height="{h:.1f}" fill="{color}"/>')
        body.append(f'<text x="{x + bw:.1f}" y="{base + 16}" font-size="11" '
                    f'text-anchor="middle" {FONT}>{escape(name[:24])}</text>')
    body.append(f'<rect x="{width - 190}" y="6" width="10" height="10" fill="#c5cfd9"/>'
                f'<text x="{width - 176}" y="15" font-size="11" {FONT}>{escape(labels[0])}'
                f'</text><rect x="{width - 100}" y="6" width="10" height="10" '
                f'fill="#1f5fa8"/><text x="{width - 86}" y="15" font-size="11" {FONT}>'
                f'{escape(labels[1])}</text>')
    return _svg(width, height, body, title)


def radar(title: str, axes: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
          *, size: int = 360, low: float = 1.0, high: float = 5.0) -> str:
    """A spider chart: one polygon per side over the same axes (ratings 1-5)."""
    cx, cy, r = size / 2, size / 2 + 10, size / 2 - 70
    n = max(len(axes), 3)
    body = [f'<text x="0" y="16" font-size="13" font-weight="600" {FONT}>{escape(title)}'
            '</text>']

    def point(i: int, v: float) -> tuple[float, float]:
        ang = -math.pi / 2 + 2 * math.pi * i / n
        rr = r * (v - low) / (high - low)
        return cx + rr * math.cos(ang), cy + rr * math.sin(ang)

    for level in (2, 3, 4, 5):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, level) for i in range(n)))
        body.append(f'<polygon points="{pts}" fill="none" stroke="#dde3ea"/>')
    for i, name in enumerate(axes):
        x, y = point(i, high + 0.35)
        anchor = "middle" if abs(x - cx) < 10 else ("start" if x > cx else "end")
        body.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="10" text-anchor="{anchor}" '
                    f'{FONT}>{escape(name)}</text>')
    if not series:
        body.append(f'<text x="{cx}" y="{cy}" font-size="12" text-anchor="middle" '
                    f'fill="#6b7785" {FONT}>No side has enough answers yet.</text>')
    for k, (name, values) in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (
            point(i, v if v is not None else low) for i, v in enumerate(values)))
        body.append(f'<polygon points="{pts}" fill="{color}" fill-opacity="0.15" '
                    f'stroke="{color}" stroke-width="2"/>')
        body.append(f'<rect x="6" y="{size - 14 - 14 * (len(series) - 1 - k)}" width="10" '
                    f'height="10" fill="{color}"/><text x="20" '
                    f'y="{size - 5 - 14 * (len(series) - 1 - k)}" font-size="11" {FONT}>'
                    f'{escape(name)}</text>')
    return _svg(size, size + 20, body, title)


def trend_line(title: str, points: Sequence[tuple[str, float | None]], *,
               width: int = 640, height: int = 160) -> str:
    """Scores 0-100 over time, with the category bands' floors as guides."""
    body = [f'<text x="0" y="16" font-size="13" font-weight="600" {FONT}>{escape(title)}'
            '</text>']
    left, right, top, bottom = 30, width - 10, 26, height - 24
    for floor in (35, 50, 65, 80):
        y = bottom - (bottom - top) * floor / 100
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" '
                    f'stroke="#eef2f6"/><text x="2" y="{y + 3:.1f}" font-size="9" '
                    f'fill="#6b7785" {FONT}>{floor}</text>')
    n = len(points)
    xy = []
    for i, (label, v) in enumerate(points):
        x = left + (right - left) * (i / (n - 1) if n > 1 else 0.5)
        body.append(f'<text x="{x:.1f}" y="{height - 6}" font-size="10" text-anchor="middle" '
                    f'{FONT}>{escape(label)}</text>')
        if v is not None:
            y = bottom - (bottom - top) * v / 100
            xy.append((x, y))
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#d9822b"/>')
    if len(xy) >= 2:
        body.append('<polyline points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
                    + '" fill="none" stroke="#d9822b" stroke-width="2"/>')
    return _svg(width, height, body, title)


def hbars(title: str, rows: Sequence[tuple[str, float, str]], *, width: int = 420,
          color: str = "#1f5fa8", empty: str = "Nothing yet.") -> str:
    """One horizontal bar per row (label, value, the value as shown), on one scale
    from zero to the largest value. Narrow by default: it reads on a phone."""
    label_w, row_h = int(width * 0.34), 24
    bar_w = width - label_w - 84
    height = 30 + row_h * max(len(rows), 1)
    top = max([v for _, v, _ in rows] + [0.0])
    body = [f'<text x="0" y="16" font-size="13" font-weight="600" {FONT}>{escape(title)}'
            '</text>']
    if not rows:
        body.append(f'<text x="0" y="42" font-size="12" fill="#6b7785" {FONT}>'
                    f'{escape(empty)}</text>')
    for i, (label, value, shown) in enumerate(rows):
        y = 26 + i * row_h
        room = max(8, label_w // 7)
        name = label if len(label) <= room else label[:room - 1] + "…"
        w = bar_w * max(value, 0.0) / top if top > 0 else 0.0
        body.append(f'<text x="0" y="{y + 13}" font-size="12" {FONT}>{escape(name)}</text>')
        body.append(f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="14" '
                    f'fill="{color}"/>')
        body.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 13}" font-size="11" {FONT}>'
                    f'{escape(shown)}</text>')
    return _svg(width, height + 4, body, title)


def columns(title: str, points: Sequence[tuple[str, float, str]], *, width: int = 420,
            height: int = 180, color: str = "#d9822b", highlight: str | None = None) -> str:
    """One column per point (label, value, the value as shown), from zero; the
    `highlight` label's column is drawn darker."""
    left, right, top, bottom = 10, width - 10, 30, height - 30
    n = max(len(points), 1)
    slot = (right - left) / n
    peak = max([v for _, v, _ in points] + [0.0])
    body = [f'<text x="0" y="16" font-size="13" font-weight="600" {FONT}>{escape(title)}'
            '</text>',
            f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#c5cfd9"/>']
    for i, (label, value, shown) in enumerate(points):
        x = left + i * slot
        h = (bottom - top - 12) * (max(value, 0.0) / peak) if peak > 0 else 0.0
        fill = "#1d2733" if label == highlight else color
        body.append(f'<rect x="{x + slot * 0.15:.1f}" y="{bottom - h:.1f}" '
                    f'width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{fill}"/>')
        if value > 0:
            body.append(f'<text x="{x + slot / 2:.1f}" y="{bottom - h - 3:.1f}" '
                        f'font-size="9" text-anchor="middle" {FONT}>{escape(shown)}</text>')
        if n <= 12 or i % 2 == 0:
            body.append(f'<text x="{x + slot / 2:.1f}" y="{bottom + 14}" font-size="9" '
                        f'text-anchor="middle" {FONT}>{escape(label)}</text>')
    return _svg(width, height, body, title)


def spread(title: str, values: Sequence[tuple[str, float, bool]],
           box: tuple[float, float, float] | None, *, width: int = 420) -> str:
    """Estimates on one axis: a dot per answer (outliers in red, labelled), the box
    from the first to the third quartile with the median."""
    left, right, axis = 20, width - 20, 70
    nums = [v for _, v, _ in values]
    body = [f'<text x="0" y="16" font-size="13" font-weight="600" {FONT}>{escape(title)}'
            '</text>']
    if not nums:
        body.append(f'<text x="0" y="42" font-size="12" fill="#6b7785" {FONT}>'
                    'No estimates yet.</text>')
        return _svg(width, 110, body, title)
    lo, hi = min(nums), max(nums)
    if hi == lo:
        lo, hi = lo - 1, hi + 1

    def x(v: float) -> float:
        return left + (right - left) * (v - lo) / (hi - lo)

    body.append(f'<line x1="{left}" y1="{axis}" x2="{right}" y2="{axis}" stroke="#c5cfd9"/>')
    for v in (lo, hi):
        body.append(f'<text x="{x(v):.1f}" y="{axis + 32}" font-size="10" '
                    f'text-anchor="middle" {FONT}>{v:g}</text>')
    if box is not None:
        q1, median, q3 = box
        body.append(f'<rect x="{x(q1):.1f}" y="{axis - 14}" width="{max(x(q3) - x(q1), 1):.1f}"'
                    ' height="28" fill="#eef2f6" stroke="#1f5fa8"/>')
        body.append(f'<line x1="{x(median):.1f}" y1="{axis - 18}" x2="{x(median):.1f}" '
                    f'y2="{axis + 18}" stroke="#1f5fa8" stroke-width="3"/>')
        body.append(f'<text x="{x(median):.1f}" y="{axis - 22}" font-size="10" '
                    f'text-anchor="middle" {FONT}>median {median:g}</text>')
    for label, v, outlier in values:
        fill = "#b3261e" if outlier else "#2b8a3e"
        body.append(f'<circle cx="{x(v):.1f}" cy="{axis}" r="5" fill="{fill}" '
                    'fill-opacity="0.8"><title>' + escape(f"{label}: {v:g}") + '</title>'
                    '</circle>')
        if outlier:
            body.append(f'<text x="{x(v):.1f}" y="{axis + 20}" font-size="10" '
                        f'text-anchor="middle" fill="#b3261e" {FONT}>{escape(label)}</text>')
    return _svg(width, 110, body, title)
