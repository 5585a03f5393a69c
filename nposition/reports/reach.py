"""What it would take to get a given deal: the cheapest concessions under which some package of
a target's form is acceptable to every party, and who would have to give way."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from nposition.engine.bargaining import Point
from nposition.engine.levels import relaxations, relaxed_zones
from nposition.engine.space import Space
from nposition.engine.utility import Valuation
from nposition.errors import UsageError
from nposition.model.case import Case
from nposition.reports.analysis import best_package, concession_of, rank, utility_point, view
from nposition.reports.explain import impossible
from nposition.reports.results import Concession, Package, package_of


class Reach(NamedTuple):
    """The answer of `nposition reach`: how far the target is, and the ways to get there."""

    case: str
    scenario: str | None
    target: Package
    completions: int  # existing packages of the target's form
    in_zone: int  # of them, acceptable to every party already
    by: tuple[str, ...]  # concessions only by these parties (all when empty)
    concessions: tuple[Concession, ...]
    complete: bool  # the search finished within its limit
    others_block: bool  # with `by`: the other parties' red lines alone exclude the target


def reach(
    case: Case,
    space: Space,
    fixed: Mapping[int, int],
    scenario: str | None = None,
    by: Sequence[str] = (),
    limit: int = 10,
) -> Reach:
    """Every minimal relaxation under which some completion of `fixed` is in the zone."""
    completions = space.fixing(fixed)
    target = package_of(case, fixed)
    if not completions:
        raise UsageError(impossible(case, space, fixed, target))
    red = list(case.red_lines)
    in_zone = (completions & space.all_of(red)).bit_count()
    movable = [r for r in red if not by or r.party in by]
    within = completions & space.all_of([r for r in red if by and r.party not in by])
    concessions: list[Concession] = []
    complete = True
    if not in_zone and within:
        valuation = Valuation(space, case.parties)
        found, complete = relaxations(space, movable, within=within)
        zones = relaxed_zones(space, movable, (r.levels for r in found), within)
        for relaxation, bits in zip(found, zones, strict=True):
            index = best_package(valuation, bits)
            best = (
                None
                if index is None
                else utility_point(case, space, Point(index, valuation.of(index)))
            )
            zone = view(case, space, bits, limit)
            concessions.append(concession_of(case, movable, relaxation, zone, best))
        concessions.sort(key=rank)
    return Reach(
        case.id,
        scenario,
        target,
        completions.bit_count(),
        in_zone,
        tuple(by),
        tuple(concessions),
        complete,
        bool(by) and not in_zone and not within,
    )
