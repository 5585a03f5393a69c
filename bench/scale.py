"""How `nposition analyze` scales: time and peak memory over generated cases of growing size.

    python bench/scale.py [--max-issues 10] [--options 5] [--red-lines 15] [--seed 1] [--v2] [--engine]

For each k from 4 to --max-issues, generates a case of k issues x --options options (two parties,
--red-lines red lines each, seeded) and times `nposition analyze --format json` in a fresh process,
reporting wall time and the child's peak resident memory.

`--v2` generates the same cases in file format version 2 (a conditional issue, a numeric
constraint, fallbacks, value functions: see `generate.py`); `raw` is then the raw space (the n/a
digit counted), `packages` the existing ones. `--engine` runs, instead of the CLI, the engine's
whole pipeline in a fresh process: the case loaded, `Space.of` (constraints included), `analyze`
on that space, and every minimal relaxation over the fallback levels (`relaxations` column).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # a sibling script, found through the sys.path line above

# The engine's pipeline on one case folder, as `--engine` runs it in a fresh process.
ENGINE = """\
import json, sys
from pathlib import Path
from nposition.engine.levels import relaxations
from nposition.engine.space import Space
from nposition.formats.case_file import load_case
from nposition.render.json import data
from nposition.reports.analysis import analyze
case = load_case(Path(sys.argv[1]))
space = Space.of(case)
out = data(analyze(case, space=space))
out["relaxations"] = len(relaxations(space, case.red_lines)[0])
print(json.dumps(out))
"""


def run(cmd: list[str], out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one command, its stdout sent to `out`."""
    start = time.perf_counter()
    with out.open("w") as handle:
        proc = subprocess.Popen(cmd, stdout=handle, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(
            f"{' '.join(cmd)} failed: {proc.stderr.read().decode() if proc.stderr else ''}"
        )
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-issues", type=int, default=4)
    parser.add_argument("--max-issues", type=int, default=10)
    parser.add_argument("--options", type=int, default=5)
    parser.add_argument("--red-lines", type=int, default=15, help="per party")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--v2", action="store_true", help="file format version 2 features")
    parser.add_argument("--engine", action="store_true", help="the engine's pipeline, not the CLI")
    parser.add_argument(
        "--reach",
        action="store_true",
        help="also time `reach i0=o1 i1=o2` (a two-issue target) and its ratio to analyze",
    )
    args = parser.parse_args()
    print(
        f"{'raw':>12} {'packages':>12} {'issues':>6} {'seconds':>8} {'peak MiB':>9} "
        f"{'conflicts':>9} {'concessions':>11} {'relaxations':>11} {'zone':>9}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for k in range(args.min_issues, args.max_issues + 1):
            folder = generate(
                root,
                issues=k,
                options=args.options,
                red_lines=args.red_lines,
                seed=args.seed,
                v2=args.v2,
            )
            out = root / f"{folder.name}.json"
            if args.engine:
                cmd = [sys.executable, "-c", ENGINE, str(folder)]
            else:
                cmd = [sys.executable, "-m", "nposition", "--positions", str(root)]
                cmd += ["--case", folder.name, "analyze", "--format", "json"]
            wall, peak = run(cmd, out)
            data = json.loads(out.read_text())
            raw = (
                args.options**k // args.options * (args.options + 1) if args.v2 else args.options**k
            )
            line = (
                f"{raw:>12,} {data['space']['size']:>12,} {k:>6} {wall:>8.2f} {peak:>9.0f} "
                f"{len(data['conflicts']):>9} {len(data['concessions']):>11} "
                f"{data.get('relaxations', '-'):>11} {data['zone']['size']:>9,}"
            )
            if args.reach and not args.engine:
                reach = [*cmd[:-3], "reach", "i0=o1", "i1=o2", "--format", "json"]
                seconds, reach_peak = run(reach, root / f"{folder.name}-reach.json")
                line += f"  reach {seconds:.2f} s, {reach_peak:.0f} MiB ({seconds / wall:.2f}x)"
            print(line)


if __name__ == "__main__":
    main()
