"""Drawing a plot as a standalone SVG document: one panel per pair of parties, and a legend."""

from __future__ import annotations

import textwrap
from html import escape
from typing import TYPE_CHECKING

from nposition.engine.bargaining import Solution
from nposition.render.blocks import SOLUTION_NAMES
from nposition.reports.plot import GRID, pairs

if TYPE_CHECKING:
    from nposition.reports.plot import Picture

PANEL = 460  # pixels per panel side, plot area (GRID cells of 4 px)
MARGIN = 60
LEGEND = 300  # pixels for the legend column
COLUMNS = 3  # panels per row
NOTHING_TO_MARK = "no package gives every party at least its reservation"
MARKER_RADII = (10, 7.5, 5, 2.5)  # concentric, so coinciding solutions all show
COLOURS = {
    Solution.NASH: "#d62728",
    Solution.KALAI_SMORODINSKY: "#9467bd",
    Solution.EGALITARIAN: "#2ca02c",
    Solution.UTILITARIAN: "#ff7f0e",
}
MARKERS = {key: (SOLUTION_NAMES[key], colour) for key, colour in COLOURS.items()}


class _Frame:
    """Where one panel sits: utilities in [0, 1] to pixels."""

    def __init__(self, left: int, top: int) -> None:
        self.left, self.top = left, top

    def x(self, u: float) -> float:
        return round(self.left + u * PANEL, 1)

    def y(self, u: float) -> float:
        return round(self.top + (1 - u) * PANEL, 1)


def svg(pic: Picture) -> str:
    """The picture as a standalone SVG document: panels in rows of at most three, a legend."""
    panels = pairs(len(pic.parties))
    columns = min(len(panels), COLUMNS)
    rows = -(-len(panels) // columns)
    cell_w, cell_h = PANEL + MARGIN, PANEL + MARGIN + 40  # room for two lines of axis label
    width = MARGIN + columns * cell_w + LEGEND
    height = MARGIN + 20 + rows * cell_h
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        *(
            f'<text x="{MARGIN}" y="{22 + 18 * k}" font-size="15" font-weight="bold">{escape(line)}</text>'
            for k, line in enumerate(textwrap.wrap(plain(pic.title), (width - MARGIN) // 9)[:2])
        ),
    ]
    for k, (a, b) in enumerate(panels):
        row, column = divmod(k, columns)
        frame = _Frame(MARGIN + column * cell_w, MARGIN + 20 + row * cell_h)
        parts += _axes(pic, a, b, frame)
        parts += _cells(pic, a, b, frame)
        parts += _frontier(pic, a, b, frame)
        parts += _markers(pic, a, b, frame)
    parts.extend(_legend(pic, MARGIN + columns * cell_w, MARGIN + 20))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def plain(value: str) -> str:
    """Text for the picture: control characters (which XML 1.0 cannot hold) as spaces."""
    return "".join(" " if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 else c for c in value)


def _label(value: str, width: int = PANEL) -> list[str]:
    """An axis label wrapped to the panel's width (about 7 px a character), two lines at most."""
    lines = textwrap.wrap(plain(value), max(10, width // 7)) or [""]
    if len(lines) > 2:
        lines = [lines[0], lines[1][: max(1, width // 7 - 1)] + "…"]
    return lines


def _axes(pic: Picture, a: int, b: int, f: _Frame) -> list[str]:
    left, top = f.left, f.top
    out = [
        f'<rect x="{left}" y="{top}" width="{PANEL}" height="{PANEL}" fill="#fafafa" stroke="#444"/>'
    ]
    for t in (0, 0.25, 0.5, 0.75, 1):
        out.append(
            f'<line x1="{f.x(t)}" y1="{top}" x2="{f.x(t)}" y2="{top + PANEL}" stroke="#e5e5e5"/>'
        )
        out.append(
            f'<line x1="{left}" y1="{f.y(t)}" x2="{left + PANEL}" y2="{f.y(t)}" stroke="#e5e5e5"/>'
        )
        out.append(f'<text x="{f.x(t)}" y="{top + PANEL + 16}" text-anchor="middle">{t:g}</text>')
        out.append(f'<text x="{left - 6}" y="{f.y(t) + 4}" text-anchor="end">{t:g}</text>')
    for k, line in enumerate(_label(f"utility of {pic.parties[a]}")):
        out.append(
            f'<text x="{left + PANEL / 2}" y="{top + PANEL + 34 + 14 * k}" text-anchor="middle">'
            f"{escape(line)}</text>"
        )
    for k, line in enumerate(_label(f"utility of {pic.parties[b]}")):
        out.append(
            f'<text transform="translate({left - 44 + 13 * k},{top + PANEL / 2}) rotate(-90)" '
            f'text-anchor="middle">{escape(line)}</text>'
        )
    if all(p is None for p in pic.result.solutions.values()):
        out.append(
            f'<text x="{left + PANEL / 2}" y="{top + 24}" text-anchor="middle" fill="#444">'
            f"{escape(NOTHING_TO_MARK)}</text>"
        )
    return out


def _cells(pic: Picture, a: int, b: int, f: _Frame) -> list[str]:
    """Every package in grey, the zone in blue, as density cells."""
    out = []
    cell = PANEL / GRID
    for layer, colour, size in ((pic.everything, "#bbbbbb", cell), (pic.zone, "#1f77b4", 2 * cell)):
        for (ua, ub), count in layer.cells[(a, b)].items():
            opacity = min(1.0, 0.35 + 0.15 * count)
            out.append(
                f'<rect x="{f.x(ua) - size / 2:.1f}" y="{f.y(ub) - size / 2:.1f}" width="{size:.1f}" '
                f'height="{size:.1f}" fill="{colour}" fill-opacity="{opacity:.2f}"/>'
            )
    return out


def _frontier(pic: Picture, a: int, b: int, f: _Frame) -> list[str]:
    """The Pareto frontier (a line with two parties) and the no-agreement point."""
    out = []
    frontier = sorted({(p.utilities[a], p.utilities[b]) for p in pic.result.frontier})
    if len(pic.parties) == 2 and len(frontier) > 1:
        path = " ".join(f"{f.x(u):.1f},{f.y(v):.1f}" for u, v in frontier)
        out.append(f'<polyline points="{path}" fill="none" stroke="#d62728" stroke-width="1.5"/>')
    # Rings while they can be told apart; dense frontiers (three or more parties) as small dots.
    ring = len(frontier) <= 200
    for u, v in frontier:
        out.append(
            f'<circle cx="{f.x(u)}" cy="{f.y(v)}" r="3.5" fill="none" stroke="#d62728" stroke-width="1.5"/>'
            if ring
            else f'<circle cx="{f.x(u)}" cy="{f.y(v)}" r="1.3" fill="#d62728"/>'
        )
    d = pic.result.disagreement
    out.append(_cross(f.x(d[a]), f.y(d[b])))
    out.append(f'<text x="{f.x(d[a]) + 8}" y="{f.y(d[b]) - 6}">no agreement</text>')
    return out


def _markers(pic: Picture, a: int, b: int, f: _Frame) -> list[str]:
    """One marker and label per bargaining solution; coinciding labels are stacked."""
    out = []
    placed: dict[tuple[float, float], int] = {}
    for (key, (label, colour)), radius in zip(MARKERS.items(), MARKER_RADII, strict=True):
        point = pic.result.solutions.get(key)
        if point is None:
            continue
        px, py = f.x(point.utilities[a]), f.y(point.utilities[b])
        shift = placed.get((px, py), 0)
        placed[(px, py)] = shift + 1
        out.append(f'<circle cx="{px}" cy="{py}" r="{radius}" fill="{colour}" stroke="white"/>')
        # Labels go right of the marker, or left of it in the right half, to stay in the panel.
        right = px < f.left + PANEL * 0.55
        tx, anchor = (px + 14, "start") if right else (px - 14, "end")
        ty = min(py + 4 + 14 * shift, f.top + PANEL - 4)
        out.append(
            f'<text x="{tx}" y="{ty}" text-anchor="{anchor}" fill="{colour}" font-weight="bold">{label}</text>'
        )
    return out


def _cross(cx: float, cy: float) -> str:
    return (
        f'<path d="M{cx - 6},{cy - 6} L{cx + 6},{cy + 6} M{cx - 6},{cy + 6} L{cx + 6},{cy - 6}" '
        'stroke="black" stroke-width="2"/>'
    )


def _legend(pic: Picture, left: int, top: int) -> list[str]:
    rows: list[tuple[str, str]] = [
        (
            '<rect width="10" height="10" fill="#bbbbbb"/>',
            f"all packages ({pic.everything.size:,})",
        ),
        (
            '<rect width="10" height="10" fill="#1f77b4"/>',
            f"{plain(pic.zone_label)} ({pic.zone.size:,})",
        ),
        (
            '<circle cx="5" cy="5" r="4" fill="none" stroke="#d62728" stroke-width="1.5"/>',
            f"Pareto frontier ({len(pic.result.frontier):,})",
        ),
        (
            '<path d="M0,0 L10,10 M0,10 L10,0" stroke="black" stroke-width="2"/>',
            "no agreement (reservations)",
        ),
    ]
    rows += [
        (
            f'<circle cx="5" cy="5" r="5" fill="{colour}"/>',
            label if pic.result.solutions.get(key) else f"{label}: none ({NOTHING_TO_MARK})",
        )
        for key, (label, colour) in MARKERS.items()
    ]
    out = []
    yy = top
    for mark, text in rows:
        out.append(f'<g transform="translate({left},{yy})">{mark}</g>')
        for line in textwrap.wrap(text, 40):
            out.append(f'<text x="{left + 16}" y="{yy + 10}">{escape(line)}</text>')
            yy += 15
        yy += 4
    return out
