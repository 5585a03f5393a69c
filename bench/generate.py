"""A seeded generator of synthetic cases, for benchmarks: N issues x K options, random rules.

    python bench/generate.py OUT_DIR --issues 10 --options 5 --red-lines 15 --preferences 5 --seed 1 [--v2]

writes OUT_DIR/<case>/ with case.yaml and one party file per party. Each red line is a random
test, a conjunction/disjunction of two tests, or a conditional (`when`); preferences are single
tests. The same arguments always give the same files.

With `--v2` the same case uses file format version 2: the last issue applies only when `i0 != o0`,
`i1` and `i2` carry values and a constraint caps their sum (`i1 + i2 <= K`), every third red line
has a fallback (itself or one more test, at half its cost), and each party's first preference is a
value function over `i1`. The rules are the same draws as without `--v2`.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import yaml

OPS = ("==", "!=", "in", "not in", "<=", ">=")


def _test(rng: random.Random, ideal: list[int], options: int, hold: bool = True) -> str:
    """A random test that excludes some option; when `hold`, the party's ideal package passes it."""
    i = rng.randrange(len(ideal))
    at = ideal[i] if hold else rng.randrange(options)
    others = [o for o in range(options) if o != at]
    op = rng.choice(OPS)
    if op == "==":
        return f"i{i} == o{at}"
    if op == "!=":
        return f"i{i} != o{rng.choice(others)}"
    if op in ("in", "not in"):
        extra = rng.sample(others, rng.randint(0, max(0, options - 3)))
        if op == "in":
            return f"i{i} in [{', '.join(f'o{o}' for o in sorted({at, *extra}))}]"
        return f"i{i} not in [{', '.join(f'o{o}' for o in sorted(set(extra) or {others[0]}))}]"
    if op == "<=":
        return f"i{i} <= o{rng.randint(at, options - 2)}" if at < options - 1 else f"i{i} >= o{at}"
    return f"i{i} >= o{rng.randint(1, at)}" if at > 0 else f"i{i} <= o{at}"


def _red_line(rng: random.Random, ideal: list[int], options: int) -> dict[str, Any]:
    """A red line the party's ideal package satisfies, so a party never contradicts itself."""
    shape = rng.random()
    if shape < 0.4:
        return {"require": _test(rng, ideal, options)}
    if shape < 0.55:
        return {"require": f"{_test(rng, ideal, options)} and {_test(rng, ideal, options)}"}
    if shape < 0.7:
        return {"require": f"{_test(rng, ideal, options)} or {_test(rng, ideal, options, False)}"}
    return {"when": _test(rng, ideal, options, False), "require": _test(rng, ideal, options)}


def generate(
    out: Path,
    *,
    issues: int,
    options: int,
    parties: int = 2,
    red_lines: int = 15,
    preferences: int = 5,
    seed: int = 1,
    v2: bool = False,
) -> Path:
    """Write a synthetic case folder and return it."""
    rng = random.Random(seed)
    name = f"synthetic-{issues}x{options}-s{seed}{'-v2' if v2 else ''}"
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    case = {
        "case": name,
        "title": f"Synthetic case, {issues} issues x {options} options (seed {seed})",
        "issues": [
            {
                "id": f"i{i}",
                "title": f"Issue {i}",
                "ordered": True,
                "options": [{"id": f"o{o}", "label": f"Option {o}"} for o in range(options)],
            }
            for i in range(issues)
        ],
        "status_quo": "no_agreement",
    }
    extra = random.Random(seed + 1_000_003)  # v2's own draws leave the rules as without it
    if v2:
        _make_v2(case, options)
    (folder / "case.yaml").write_text(yaml.safe_dump(case, sort_keys=False))
    source = {"who": "generator", "date": "2026", "quote": "synthetic", "paraphrase": True}
    for p in range(parties):
        ideal = [rng.randrange(options) for _ in range(issues)]
        rules: list[dict[str, Any]] = []
        while len(rules) < red_lines:
            rule = _red_line(rng, ideal, options)
            rules.append(
                {
                    "id": f"r{len(rules)}",
                    "kind": "red_line",
                    **rule,
                    "cost": rng.randint(1, 5),
                    "source": dict(source),
                }
            )
        for k in range(preferences):
            rules.append(
                {
                    "id": f"p{k}",
                    "kind": "preference",
                    "require": _test(rng, ideal, options, rng.random() < 0.7),
                    "weight": rng.randint(1, 5),
                    "source": dict(source),
                }
            )
        if v2:
            _rules_v2(rules, extra, ideal, options)
        party = {"party": f"party{p}", "name": f"Party {p}", "rules": rules}
        (folder / f"party{p}.yaml").write_text(yaml.safe_dump(party, sort_keys=False))
    return folder


def _make_v2(case: dict[str, Any], options: int) -> None:
    """A conditional last issue, values on i1 and i2, and a constraint on their sum."""
    issues = case["issues"]
    issues[-1]["applies_when"] = "i0 != o0"
    for issue in issues[1:3]:
        for o, option in enumerate(issue["options"]):
            option["value"] = o
    case["constraints"] = [
        {
            "id": "budget",
            "text": "The two amounts together stay within the budget",
            "require": f"i1 + i2 <= {options}",
        }
    ]


def _rules_v2(
    rules: list[dict[str, Any]], rng: random.Random, ideal: list[int], options: int
) -> None:
    """Fallbacks on every third red line; the first preference becomes a value function."""
    for k, rule in enumerate(r for r in rules if r["kind"] == "red_line"):
        if k % 3 == 0:
            weaker = f"({rule['require']}) or {_test(rng, ideal, options, False)}"
            rule["fallbacks"] = [{"require": weaker, "cost": rule["cost"] / 2}]
    first = next(r for r in rules if r["kind"] == "preference")
    del first["require"]
    up = ideal[1] >= options // 2  # more is better for a party whose ideal is high
    first["scores"] = {
        "issue": "i1",
        "options": {
            f"o{o}": round((o if up else options - 1 - o) / (options - 1), 3)
            for o in range(options)
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--issues", type=int, default=10)
    parser.add_argument("--options", type=int, default=5)
    parser.add_argument("--parties", type=int, default=2)
    parser.add_argument("--red-lines", type=int, default=15, help="per party")
    parser.add_argument("--preferences", type=int, default=5, help="per party")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--v2", action="store_true", help="file format version 2 features")
    args = parser.parse_args()
    folder = generate(
        args.out,
        issues=args.issues,
        options=args.options,
        parties=args.parties,
        red_lines=args.red_lines,
        preferences=args.preferences,
        seed=args.seed,
        v2=args.v2,
    )
    print(folder)


if __name__ == "__main__":
    main()
