"""Cold start: nposition commands on the bundled Kuril case against `import typer, rich, yaml`.

Run from the repository root with the environment nposition is installed in:

    python bench/startup.py [--runs 31]

The budget (issue 8) is `validate` and `analyze --format json` within 1.3x of the floor, the
median of interleaved runs. The runs share a cache folder of their own (NPOSITION_CACHE_DIR, a
fresh temporary folder), filled by the warm-up round, as the runs of a CI job fill theirs; the
`--no-cache` rows read every file afresh, as the first run of a job does. Each run is a fresh process with its output to /dev/null (not a
terminal, so tables are drawn as to a pipe); every round runs the floor and each command, in an
order rotated from round to round, so machine noise hits all of them alike. The wall time is the
budget's measure; the CPU time (user + system of the child) is shown beside it as a steadier
reading on a busy machine. The exit status is 1 when a budgeted command is over the budget.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

BUDGET = 1.3
FLOOR = "import typer, rich, yaml"
NPOSITION = [sys.executable, "-m", "nposition", "--case", "kuril"]
COMMANDS = {
    FLOOR: [sys.executable, "-c", FLOOR],
    "validate": [*NPOSITION, "validate"],
    "analyze --format json": [*NPOSITION, "analyze", "--format", "json"],
    "analyze (table to a pipe)": [*NPOSITION, "analyze"],
    "validate --no-cache": [*NPOSITION, "--no-cache", "validate"],
    "analyze --format json --no-cache": [*NPOSITION, "--no-cache", "analyze", "--format", "json"],
}
BUDGETED = ("validate", "analyze --format json")


class Run(NamedTuple):
    wall: float
    cpu: float
    status: int


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: list[str]) -> Run:
    """One fresh process: its wall time, its CPU time and its exit status."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    return Run(wall, _children_cpu() - cpu, done.returncode)


def compile_bytecode() -> None:
    """Compile nposition's bytecode, as a pip install does, so no run pays for compiling.

    An editable checkout may have none, or stale files (PYTHONDONTWRITEBYTECODE is set here),
    which would charge compilation to every run of nposition and not to the floor.
    """
    import nposition

    compileall.compile_dir(Path(nposition.__file__).parent, quiet=1)


def measure(runs: int) -> dict[str, list[Run]]:
    """`runs` interleaved rounds of every command, after one warm-up round that checks them."""
    for cmd in COMMANDS.values():  # warm the file cache; a failing command is no timing
        if (status := run(cmd).status) != 0:
            sys.exit(f"`{' '.join(cmd)}` exited {status}; fix it before timing it")
    results: dict[str, list[Run]] = {name: [] for name in COMMANDS}
    names = list(COMMANDS)
    for i in range(runs):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            results[name].append(run(COMMANDS[name]))
    return results


def report(results: dict[str, list[Run]]) -> bool:
    """Print the table; True when every budgeted command is within the budget."""
    wall = {name: statistics.median(r.wall for r in rs) for name, rs in results.items()}
    cpu = {name: statistics.median(r.cpu for r in rs) for name, rs in results.items()}
    labels = {name: name if name == FLOOR else f"nposition {name}" for name in COMMANDS}
    width = max(map(len, labels.values())) + 2
    print(f"median of {len(results[FLOOR])} interleaved runs; budget: {BUDGET}x the floor")
    print(f"{'command':<{width}}{'wall ms':>9}{'ratio':>7}{'cpu ms':>9}{'ratio':>7}  budget")
    within = True
    for name, label in labels.items():
        ratio = wall[name] / wall[FLOOR]
        verdict = "floor" if name == FLOOR else ""
        if name in BUDGETED:
            verdict = "ok" if ratio <= BUDGET else "OVER"
            within = within and ratio <= BUDGET
        print(
            f"{label:<{width}}{wall[name] * 1000:>9.1f}{ratio:>7.2f}"
            f"{cpu[name] * 1000:>9.1f}{cpu[name] / cpu[FLOOR]:>7.2f}  {verdict}"
        )
    return within


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31, help="interleaved rounds (default 31)")
    args = parser.parse_args()
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="nposition-cache-") as cache:
        os.environ["NPOSITION_CACHE_DIR"] = cache
        os.environ.pop("NPOSITION_NO_CACHE", None)
        within = report(measure(args.runs))
    sys.exit(0 if within else 1)


if __name__ == "__main__":
    main()
