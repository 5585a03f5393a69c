"""How `nposition analyze` scales: time and peak memory over generated cases of growing size.

    python bench/scale.py [--max-issues 10] [--options 5] [--red-lines 15] [--seed 1]

For each k from 4 to --max-issues, generates a case of k issues x --options options (two parties,
--red-lines red lines each, seeded) and times `nposition analyze --format json` in a fresh process,
reporting wall time and the child's peak resident memory.
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
    args = parser.parse_args()
    print(
        f"{'packages':>12} {'issues':>6} {'seconds':>8} {'peak MiB':>9} {'conflicts':>9} {'concessions':>11} {'zone':>9}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for k in range(args.min_issues, args.max_issues + 1):
            folder = generate(
                root, issues=k, options=args.options, red_lines=args.red_lines, seed=args.seed
            )
            out = root / f"{folder.name}.json"
            cmd = [
                sys.executable,
                "-m",
                "nposition",
                "--positions",
                str(root),
                "--case",
                folder.name,
            ]
            wall, peak = run([*cmd, "analyze", "--format", "json"], out)
            data = json.loads(out.read_text())
            print(
                f"{data['space']['size']:>12,} {k:>6} {wall:>8.2f} {peak:>9.0f} "
                f"{len(data['conflicts']):>9} {len(data['concessions']):>11} {data['zone']['size']:>9,}"
            )


if __name__ == "__main__":
    main()
