"""nposition's bargaining against a minimal numpy pass over the same GENIUS domain, whole processes.

    python bench/floor.py [--domains Energy AMPOvsCity AgentHp2] [--repeat 7] [--genius DIR]
    python bench/floor.py --solve DOMAIN_FOLDER         # the minimal pass alone, JSON on stdout

The minimal pass is what a numpy user would write to bargain over a GENIUS domain, and nothing
more: read the domain and profile XML (ElementTree), build one weighted value table per issue and
party, the utility grid by broadcasting those tables (float64), scale each party's best package to
1, keep the individually rational packages, filter the Pareto frontier (two parties: a sort by the
first utility and a running maximum of the second; more: the distinct rational vectors, then
elimination from the best sum down), and take the Nash product's argmax. It prints the frontier's
size and the Nash utilities. It has none of nposition's exactness (no 1e-12 grid, no exact
tie-breaks) and does nothing else nposition's `analyze` reports.

The driver imports each domain with `nposition import-genius` (untimed), then runs, interleaved,
`python bench/floor.py --solve FOLDER` and `nposition analyze --format json` on the imported case,
each in a fresh process (after one untimed warm-up of each, which also writes their bytecode),
`--repeat` times, and prints the median wall time, the largest peak
resident memory (`ru_maxrss` from `os.wait4`) and the ratio nposition / floor. It checks that both
found the same number of distinct frontier vectors and the same Nash utilities (within 5e-7: the JSON prints 6 decimals), so
the two did the same job.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_GENIUS = HERE.parent.parent / "shared" / "genius"
DOMAINS = ("Energy", "AMPOvsCity", "AgentHp2")


# --- the minimal pass --------------------------------------------------------------------------


def solve(folder: Path) -> dict[str, Any]:
    """Grid, rational filter, frontier and Nash over one GENIUS domain folder."""
    import xml.etree.ElementTree as ET

    import numpy as np

    files = sorted(folder.glob("*.xml"))
    roots = [ET.parse(f).getroot() for f in files]
    domain = next(r for r in roots if r.find(".//weight") is None)
    profiles = [r for r in roots if r is not domain]
    names, values = [], []
    for issue in domain.iter("issue"):
        names.append(issue.get("name"))
        if issue.get("lowerbound") is not None:
            values.append(
                list(range(int(issue.get("lowerbound")), int(issue.get("upperbound")) + 1))
            )
        else:
            values.append([item.get("value") for item in issue.findall("item")])
    utilities, reservations = [], []
    for profile in profiles:
        weights = {w.get("index"): float(w.get("value")) for w in profile.iter("weight")}
        tables = [np.zeros(len(v)) for v in values]
        for issue in profile.iter("issue"):
            k = names.index(issue.get("name"))
            evaluator = issue.find("evaluator")
            if evaluator is not None and evaluator.get("ftype") == "linear":
                low = values[k][0]
                offset, slope = float(evaluator.get("offset")), float(evaluator.get("slope"))
                score = np.clip(offset + slope * (np.array(values[k]) - low), 0, 1)
            else:
                evaluation = {
                    i.get("value"): float(i.get("evaluation")) for i in issue.findall("item")
                }
                top = max(evaluation.values())
                score = np.array([evaluation[v] / top if top >= 1e-5 else 0.0 for v in values[k]])
            tables[k] = weights[issue.get("index")] * score
        total = sum(weights[i.get("index")] for i in profile.iter("issue"))
        grid = np.zeros(())
        for table in tables:
            grid = grid[..., None] + table / total
        grid = grid.ravel()
        best = grid.max()
        grid = np.round(grid / best, 12)  # on a 1e-12 grid, so packages equal on paper tie
        reservation = profile.find(".//reservation")
        value = float(reservation.get("value")) if reservation is not None else 0.0
        reservations.append(min(1.0, max(0.0, value / best if 0 < best < 1 else value)))
        utilities.append(grid)
    rational = np.ones(len(utilities[0]), dtype=bool)
    for grid, d in zip(utilities, reservations, strict=True):
        rational &= grid >= d
    cols = [grid[rational] for grid in utilities]
    if len(cols) == 2:
        # Sort by the first utility (best first); per value of it, the best second; a package is
        # on the frontier when it has its group's best second and beats every group above.
        order = np.argsort(-cols[0])
        first, second = cols[0][order], cols[1][order]
        new = np.r_[True, first[1:] != first[:-1]]
        group = np.cumsum(new) - 1
        top = np.maximum.reduceat(second, np.flatnonzero(new))
        above = np.r_[-np.inf, np.maximum.accumulate(top)[:-1]]
        keep = (second == top[group]) & (second > above[group])
        vectors = np.unique(np.column_stack([first[keep], second[keep]]), axis=0)
        packages = int(keep.sum())
    else:
        # The distinct vectors (one integer key per row from each column's value codes), then
        # elimination from the best sum down.
        key = np.zeros(len(cols[0]), dtype=np.int64)
        for col in cols:
            values = np.unique(col)
            key = key * len(values) + np.searchsorted(values, col)
        keys = np.unique(key)
        group = np.searchsorted(keys, key)
        counts = np.bincount(group)
        at = np.empty(len(keys), dtype=np.int64)
        at[group] = np.arange(len(key))
        rest = np.column_stack([col[at] for col in cols])
        kept, packages = [], 0
        while len(rest):
            k = np.argmax(rest.sum(axis=1))
            top = rest[k].copy()
            below = np.all(rest <= top, axis=1)
            same = below & np.all(rest == top, axis=1)
            kept.append(top)
            packages += int(counts[same].sum())
            rest, counts = rest[~below], counts[~below]
        vectors = np.array(kept)
    gains = vectors - np.array(reservations)
    nash = vectors[np.argmax(np.prod(gains, axis=1))]
    return {
        "packages": len(utilities[0]),
        "candidates": int(rational.sum()),
        "frontier_packages": int(packages),
        "frontier_vectors": len(vectors),
        "nash": [float(x) for x in nash],
    }


# --- the driver --------------------------------------------------------------------------------


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, bytes]:
    """Wall seconds, peak RSS (MiB) and stdout of one whole process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed:\n{err.read().decode(errors='replace')}")
        out.seek(0)
        return wall, usage.ru_maxrss / 1024, out.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--solve", type=Path, metavar="FOLDER", help="run the minimal pass only")
    parser.add_argument("--domains", nargs="+", default=list(DOMAINS), metavar="NAME")
    parser.add_argument("--repeat", type=int, default=7, help="runs per side (default 7)")
    parser.add_argument("--genius", type=Path, default=DEFAULT_GENIUS, metavar="DIR")
    args = parser.parse_args()
    if args.solve:
        print(json.dumps(solve(args.solve)))
        return
    # Both sides run as installed code runs: from compiled bytecode (a warm-up run writes it,
    # even where PYTHONDONTWRITEBYTECODE is set for the shell).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NPOSITION_MAX_PACKAGES"] = str(10**9)
    print(
        "| domain | packages | floor s | floor MiB | nposition s | nposition MiB "
        "| nposition / floor | same frontier and Nash |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="nposition-floor-") as tmp:
        for name in args.domains:
            folder = args.genius / name
            files = sorted(folder.glob("*.xml"))
            domain = next(f for f in files if b"<weight" not in f.read_bytes())
            profiles = [str(f) for f in files if f != domain]
            case = name.lower()
            out = str(Path(tmp) / case)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "nposition",
                    "import-genius",
                    str(domain),
                    *profiles,
                    "-o",
                    out,
                ],
                check=True,
                capture_output=True,
            )
            floor_cmd = [sys.executable, str(Path(__file__).resolve()), "--solve", str(folder)]
            ours_cmd = [sys.executable, "-m", "nposition", "--positions", tmp, "--case", case]
            ours_cmd += ["analyze", "--format", "json"]
            timed(floor_cmd, env)  # warm-up: bytecode, file cache
            timed(ours_cmd, env)
            floor_s, ours_s, floor_mib, ours_mib = [], [], 0.0, 0.0
            for _ in range(args.repeat):
                wall, peak, floor_out = timed(floor_cmd, env)
                floor_s.append(wall)
                floor_mib = max(floor_mib, peak)
                wall, peak, ours_out = timed(ours_cmd, env)
                ours_s.append(wall)
                ours_mib = max(ours_mib, peak)
            floor = json.loads(floor_out)
            ours = json.loads(ours_out)["solutions"]
            nash = list(ours["nash"]["utilities"].values())
            same = ours["pareto_distinct"] == floor["frontier_vectors"] and all(
                abs(a - b) <= 5e-7 for a, b in zip(nash, floor["nash"], strict=True)
            )
            a, b = statistics.median(floor_s), statistics.median(ours_s)
            print(
                f"| {name} | {floor['packages']:,} | {a:.2f} | {floor_mib:.0f} | {b:.2f} "
                f"| {ours_mib:.0f} | {b / a:.2f}x | {'yes' if same else 'NO'} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
