"""What `plot` shows: packages, the zone, the Pareto frontier and the solutions, per pair of parties.

Two parties give one panel (first party across, second up); more parties give one panel per
pair. Packages are counted per cell of a density grid, so the picture stays small whatever the
size of the space; `render/svg.py` draws it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nposition.engine.bargaining import Bargain, Point, bargain, disagreement
from nposition.engine.space import Space
from nposition.engine.utility import Valuation
from nposition.errors import UsageError
from nposition.model.case import Case

if TYPE_CHECKING:
    from nposition.reports.analysis import Analysis

GRID = 115  # density cells per axis of a panel


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
    from nposition.reports.analysis import concession_zone

    cheapest = analysis.concessions[0] if not analysis.zone.size and analysis.concessions else None
    if cheapest is None:
        zone, label = space.all_of(case.red_lines), "zone of agreement"
    else:
        zone, label = concession_zone(case, space, cheapest), f"zone if: {cheapest.describe()}"
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
    panels = pairs(len(valuation.parties))
    size = 0
    if valuation.large:
        import numpy as np

        counts = {panel: np.zeros((GRID + 1) ** 2, dtype=np.int64) for panel in panels}
        for values in valuation.batches(bits):  # a chunk at a time: no whole-space array
            size += values.size
            grid = [np.round(np.asarray(u) * GRID).astype(np.int64) for u in values.by_party]
            for a, b in panels:
                counts[a, b] += np.bincount(
                    grid[a] * (GRID + 1) + grid[b], minlength=(GRID + 1) ** 2
                )
        return Layer(
            size,
            {
                panel: {
                    (int(c) // (GRID + 1) / GRID, int(c) % (GRID + 1) / GRID): int(found[c])
                    for c in np.flatnonzero(found)
                }
                for panel, found in counts.items()
            },
        )
    values = valuation.values(bits)
    rounded = [[round(float(u) * GRID) / GRID for u in party] for party in values.by_party]
    layer: dict[tuple[int, int], dict[tuple[float, float], int]] = {}
    for a, b in panels:
        found: dict[tuple[float, float], int] = {}
        for key in zip(rounded[a], rounded[b], strict=True):
            found[key] = found.get(key, 0) + 1
        layer[(a, b)] = dict(sorted(found.items()))
    return Layer(values.size, layer)


def pairs(parties: int) -> list[tuple[int, int]]:
    """The panels: one per pair of parties."""
    return list(itertools.combinations(range(parties), 2))


def solution_points(pic: Picture) -> Sequence[Point]:
    """The solutions drawn (for tests and summaries)."""
    return [p for p in pic.result.solutions.values() if p is not None]
