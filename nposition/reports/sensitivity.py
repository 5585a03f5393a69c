"""How robust the Nash solution is: re-solve under randomly perturbed preference weights."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nposition.engine.bargaining import bargain, disagreement
from nposition.engine.space import Space
from nposition.engine.utility import Valuation
from nposition.model.case import Case

LOW, HIGH = 0.5, 1.5  # each weight is multiplied by a factor drawn uniformly from [LOW, HIGH]
LISTED = 10


@dataclass(frozen=True, slots=True)
class Sensitivity:
    runs: int
    seed: int
    nash: tuple[
        tuple[dict[str, str], int], ...
    ]  # package and how many runs it was the Nash solution
    none: int  # runs with no individually rational package

    def to_dict(self) -> dict[str, Any]:
        return {
            "runs": self.runs,
            "seed": self.seed,
            "perturbation": f"each preference weight times a factor uniform in [{LOW}, {HIGH}]",
            "nash": [
                {"package": pkg, "count": n, "share": round(n / self.runs, 6)}
                for pkg, n in self.nash
            ],
            "no_solution": self.none,
        }


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
    for _ in range(runs):
        weights = {r.key: r.weight * rng.uniform(LOW, HIGH) for r in preferences}
        valuation = Valuation(space, case.parties, weights)
        nash = bargain(valuation, bits, disagreement(case, space, valuation)).solutions["nash"]
        if nash is None:
            none += 1
        else:
            counts[nash.index] += 1
        if step is not None:
            step()
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:LISTED]
    return Sensitivity(
        runs, seed, tuple((case.package_dict(space.package(i)), n) for i, n in ranked), none
    )
