"""The utility space as an SVG picture: packages, the zone, the Pareto frontier and the solutions.

Two parties give one panel (first party across, second up); more parties give one panel per
pair. Large spaces are drawn as a density grid, so the file stays small whatever the size.
"""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from nposition.engine.bargaining import Bargain, Point, bargain, disagreement
from nposition.engine.space import Space
from nposition.engine.utility import NUMPY_FROM, Valuation
from nposition.errors import UsageError
from nposition.model.case import Case

if TYPE_CHECKING:
    from nposition.reports.analysis import Analysis

PANEL = 460  # pixels per panel side, plot area
MARGIN = 60
GRID = 115  # density cells per axis (4 px each)
LEGEND = 300  # pixels for the legend column
MARKER_RADII = (10, 7.5, 5, 2.5)  # concentric, so coinciding solutions all show
MARKERS = {
    "nash": ("Nash", "#d62728"),
    "kalai_smorodinsky": ("Kalai-Smorodinsky", "#9467bd"),
    "egalitarian": ("egalitarian", "#2ca02c"),
    "utilitarian": ("utilitarian", "#ff7f0e"),
}


@dataclass(frozen=True, slots=True)
class Picture:
    """What a plot shows, computed once and drawn per panel."""

    title: str
    parties: tuple[str, ...]
    everything: Layer  # every package
    zone: Layer
    zone_label: str
    result: Bargain


def plot_case(case: Case, space: Space, analysis: Analysis) -> Picture:
    """The picture of a case: the zone, or the zone its cheapest concession opens when empty."""
    if len(case.parties) < 2:
        raise UsageError(f"case '{case.id}': a plot needs at least two parties (one per axis)")
    dropped = (
        analysis.concessions[0].drop if not analysis.zone.size and analysis.concessions else ()
    )
    zone = space.all_of([r for r in case.red_lines if r.key not in dropped])
    label = f"zone if {', '.join(dropped)} were dropped" if dropped else "zone of agreement"
    title = case.title + (f" (scenario {analysis.scenario})" if analysis.scenario else "")
    return picture(case, space, zone, label, title)


def picture(case: Case, space: Space, zone_bits: int, zone_label: str, title: str) -> Picture:
    """Utilities of every package and of the zone, and the bargaining over the zone."""
    valuation = Valuation(space, case.parties)
    result = bargain(valuation, zone_bits, disagreement(case, space, valuation))
    return Picture(
        title=title,
        parties=tuple(p.name for p in case.parties),
        everything=_layer(valuation, space.full),
        zone=_layer(valuation, zone_bits),
        zone_label=zone_label,
        result=result,
    )


@dataclass(frozen=True, slots=True)
class Layer:
    """A set of packages as drawn: per pair of parties, how many packages fall in each cell."""

    size: int
    cells: dict[tuple[int, int], dict[tuple[float, float], int]]


def _layer(valuation: Valuation, bits: int) -> Layer:
    """Count the packages of `bits` per grid cell of each pair of parties' utilities."""
    values = valuation.values(bits)
    pairs = _pairs(len(valuation.parties))
    cells: dict[tuple[int, int], dict[tuple[float, float], int]] = {}
    if values.size >= NUMPY_FROM:
        import numpy as np

        grid = [np.round(np.asarray(u) * GRID).astype(np.int64) for u in values.by_party]
        for a, b in pairs:
            counts = np.bincount(grid[a] * (GRID + 1) + grid[b], minlength=(GRID + 1) ** 2)
            cells[(a, b)] = {
                (int(c) // (GRID + 1) / GRID, int(c) % (GRID + 1) / GRID): int(counts[c])
                for c in np.flatnonzero(counts)
            }
        return Layer(values.size, cells)
    rounded = [[round(float(u) * GRID) / GRID for u in party] for party in values.by_party]
    for a, b in pairs:
        found: dict[tuple[float, float], int] = {}
        for key in zip(rounded[a], rounded[b], strict=True):
            found[key] = found.get(key, 0) + 1
        cells[(a, b)] = dict(sorted(found.items()))
    return Layer(values.size, cells)


def _pairs(parties: int) -> list[tuple[int, int]]:
    """The panels: one per pair of parties."""
    return list(itertools.combinations(range(parties), 2))


def svg(pic: Picture) -> str:
    """The picture as a standalone SVG document."""
    pairs = _pairs(len(pic.parties))
    width = MARGIN + len(pairs) * (PANEL + MARGIN) + LEGEND
    height = PANEL + 2 * MARGIN + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        *(
            f'<text x="{MARGIN}" y="{22 + 18 * k}" font-size="15" font-weight="bold">{escape(line)}</text>'
            for k, line in enumerate(textwrap.wrap(pic.title, (width - MARGIN) // 9)[:2])
        ),
    ]
    for k, (a, b) in enumerate(pairs):
        parts.extend(_panel(pic, a, b, MARGIN + k * (PANEL + MARGIN), MARGIN + 20))
    parts.extend(_legend(pic, MARGIN + len(pairs) * (PANEL + MARGIN), MARGIN + 20))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _panel(pic: Picture, a: int, b: int, left: int, top: int) -> list[str]:
    def x(u: float) -> float:
        return round(left + u * PANEL, 1)

    def y(u: float) -> float:
        return round(top + (1 - u) * PANEL, 1)

    out = [
        f'<rect x="{left}" y="{top}" width="{PANEL}" height="{PANEL}" fill="#fafafa" stroke="#444"/>'
    ]
    for t in (0, 0.25, 0.5, 0.75, 1):
        out.append(
            f'<line x1="{x(t)}" y1="{top}" x2="{x(t)}" y2="{top + PANEL}" stroke="#e5e5e5"/>'
        )
        out.append(
            f'<line x1="{left}" y1="{y(t)}" x2="{left + PANEL}" y2="{y(t)}" stroke="#e5e5e5"/>'
        )
        out.append(f'<text x="{x(t)}" y="{top + PANEL + 16}" text-anchor="middle">{t:g}</text>')
        out.append(f'<text x="{left - 6}" y="{y(t) + 4}" text-anchor="end">{t:g}</text>')
    out.append(
        f'<text x="{left + PANEL / 2}" y="{top + PANEL + 36}" text-anchor="middle">'
        f"utility of {escape(pic.parties[a])}</text>"
    )
    out.append(
        f'<text transform="translate({left - 40},{top + PANEL / 2}) rotate(-90)" text-anchor="middle">'
        f"utility of {escape(pic.parties[b])}</text>"
    )
    cell = PANEL / GRID
    for layer, colour, size in ((pic.everything, "#bbbbbb", cell), (pic.zone, "#1f77b4", 2 * cell)):
        for (ua, ub), count in layer.cells[(a, b)].items():
            opacity = min(1.0, 0.35 + 0.15 * count)
            out.append(
                f'<rect x="{x(ua) - size / 2:.1f}" y="{y(ub) - size / 2:.1f}" width="{size:.1f}" '
                f'height="{size:.1f}" fill="{colour}" fill-opacity="{opacity:.2f}"/>'
            )
    frontier = sorted({(p.utilities[a], p.utilities[b]) for p in pic.result.frontier})
    if len(pic.parties) == 2 and len(frontier) > 1:
        path = " ".join(f"{x(u):.1f},{y(v):.1f}" for u, v in frontier)
        out.append(f'<polyline points="{path}" fill="none" stroke="#d62728" stroke-width="1.5"/>')
    # Rings while they can be told apart; dense frontiers (three or more parties) as small dots.
    ring = len(frontier) <= 200
    for u, v in frontier:
        out.append(
            f'<circle cx="{x(u)}" cy="{y(v)}" r="3.5" fill="none" stroke="#d62728" stroke-width="1.5"/>'
            if ring
            else f'<circle cx="{x(u)}" cy="{y(v)}" r="1.3" fill="#d62728"/>'
        )
    d = pic.result.disagreement
    out.append(_cross(x(d[a]), y(d[b])))
    out.append(f'<text x="{x(d[a]) + 8}" y="{y(d[b]) - 6}">no agreement</text>')
    placed: dict[tuple[float, float], int] = {}
    for (key, (label, colour)), radius in zip(MARKERS.items(), MARKER_RADII, strict=True):
        point = pic.result.solutions.get(key)
        if point is None:
            continue
        px, py = x(point.utilities[a]), y(point.utilities[b])
        shift = placed.get((px, py), 0)
        placed[(px, py)] = shift + 1
        out.append(f'<circle cx="{px}" cy="{py}" r="{radius}" fill="{colour}" stroke="white"/>')
        # Labels go right of the marker, or left of it in the right half, to stay in the panel.
        right = px < left + PANEL * 0.55
        tx, anchor = (px + 14, "start") if right else (px - 14, "end")
        ty = min(py + 4 + 14 * shift, top + PANEL - 4)
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
            f"{pic.zone_label} ({pic.zone.size:,})",
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
        (f'<circle cx="5" cy="5" r="5" fill="{colour}"/>', label)
        for label, colour in MARKERS.values()
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


def solution_points(pic: Picture) -> Sequence[Point]:
    """The solutions drawn (for tests and summaries)."""
    return [p for p in pic.result.solutions.values() if p is not None]
