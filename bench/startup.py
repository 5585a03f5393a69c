"""Cold start: median wall time of nposition commands against `import typer, rich, yaml`.

Run from the repository root with the environment nposition is installed in:

    python bench/startup.py [--runs 21]

Each command runs in a fresh process, interleaved with the floor so machine noise hits both.
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

FLOOR = [sys.executable, "-c", "import typer, rich, yaml"]
COMMANDS = {
    "validate": [sys.executable, "-m", "nposition", "validate"],
    "show": [sys.executable, "-m", "nposition", "show", "russia"],
    "analyze": [sys.executable, "-m", "nposition", "analyze"],
    "analyze --format json": [sys.executable, "-m", "nposition", "analyze", "--format", "json"],
}


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    # A pip-installed package has its bytecode compiled at install time; an editable checkout may
    # not (e.g. under PYTHONDONTWRITEBYTECODE), which would charge compilation to every run.
    import nposition

    compileall.compile_dir(Path(nposition.__file__).parent, quiet=1)
    for cmd in [FLOOR, *COMMANDS.values()]:  # warm the file cache
        wall(cmd)
    floor: list[float] = []
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        floor.append(wall(FLOOR))
        for name, cmd in COMMANDS.items():
            times[name].append(wall(cmd))
    base = statistics.median(floor)
    print(f"{'command':<28}{'median ms':>10}{'ratio':>8}")
    print(f"{'import typer, rich, yaml':<28}{base * 1000:>10.1f}{1:>8.2f}")
    for name, values in times.items():
        m = statistics.median(values)
        print(f"{'nposition ' + name:<28}{m * 1000:>10.1f}{m / base:>8.2f}")


if __name__ == "__main__":
    main()
