"""How robust the Nash solution is: re-solve under randomly perturbed preference weights."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from nposition.engine.bargaining import bargain, disagreement
from nposition.engine.space import Space
from nposition.engine.utility import Valuation
from nposition.model.case import Case
from nposition.reports.results import Package, package_of

if TYPE_CHECKING:
    from nposition.engine.grid import Basis

LOW, HIGH = 0.5, 1.5  # each weight is multiplied by a factor drawn uniformly from [LOW, HIGH]
LISTED = 10


class Tally(NamedTuple):
    """A package and in how many runs it was the Nash solution."""

    package: Package
    runs: int


class Sensitivity(NamedTuple):
    """How often each package was the Nash solution over runs with perturbed weights."""

    runs: int
    seed: int
    low: float  # each weight was multiplied by a factor drawn uniformly from [low, high]
    high: float
    nash: tuple[Tally, ...]  # the most frequent first, at most LISTED
    no_solution: int  # runs with no individually rational package


def sensitivity(
    case: Case,
    space: Space,
    bits: int,
    runs: int,
    seed: int,
    step: Callable[[], None] | None = None,
) -> Sensitivity:
    """Count how often each package of `bits` is the Nash solution over `runs` perturbations."""
    rng = random.Random(seed)
    preferences = [r for p in case.parties for r in p.preferences]
    counts: Counter[int] = Counter()
    none = 0
    basis: int | Basis = bits
    for _ in range(runs):
        weights = {r.key: r.weight * rng.uniform(LOW, HIGH) for r in preferences}
        valuation = Valuation(space, case.parties, weights)
        if valuation.large and isinstance(basis, int):
            from nposition.engine.grid import Basis  # numpy: large spaces only

            basis = Basis(space, bits, keep=True)  # the same packages every run: batched once
        nash = bargain(valuation, basis, disagreement(case, space, valuation)).solutions["nash"]
        if nash is None:
            none += 1
        else:
            counts[nash.index] += 1
        if step is not None:
            step()
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:LISTED]
    return Sensitivity(
        runs,
        seed,
        LOW,
        HIGH,
        tuple(Tally(package_of(case, space.package(i)), n) for i, n in ranked),
        none,
    )
