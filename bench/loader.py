"""How reading a case scales with file size: `validate` on generated cases, doubling each time.

    python bench/loader.py [--start 5000] [--steps 4]

Each step writes a case with N options on one issue and N/2 preferences testing them, times
`nposition validate` in a fresh process, and prints the time and its ratio to the step before
(about 2 for work linear in the file size; 4 would be quadratic).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_case(folder: Path, options: int) -> None:
    """A case of one issue with `options` options, and a party with options/2 preferences."""
    folder.mkdir(parents=True, exist_ok=True)
    items = "\n".join(f"      - {{id: o{k}, label: O{k}}}" for k in range(options))
    (folder / "case.yaml").write_text(
        f"case: big\ntitle: Big\nissues:\n  - id: a\n    title: A\n    options:\n{items}\n"
        "  - id: b\n    title: B\n    options:\n      - {id: x}\n      - {id: y}\n"
    )
    rules = "\n".join(
        f"  - id: r{k}\n    kind: preference\n    require: a == o{k}\n"
        '    source: {who: W, date: 2020, quote: "q"}'
        for k in range(options // 2)
    )
    (folder / "p.yaml").write_text(f"party: p\nname: P\nrules:\n{rules}\n")
    (folder / "q.yaml").write_text(
        "party: q\nname: Q\nrules:\n  - id: r\n    kind: red_line\n    require: b == x\n"
        '    source: {who: W, date: 2020, quote: "q"}\n'
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=int, default=5000)
    parser.add_argument("--steps", type=int, default=4)
    args = parser.parse_args()
    previous = None
    print(f"{'options':>8} {'rules':>7} {'seconds':>8} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for step in range(args.steps):
            options = args.start * 2**step
            write_case(Path(tmp) / "big", options)
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "nposition", "--positions", tmp, "--case", "big", "validate"],
                check=True,
                capture_output=True,
            )
            seconds = time.perf_counter() - start
            ratio = f"{seconds / previous:.2f}" if previous else "-"
            print(f"{options:>8,} {options // 2:>7,} {seconds:>8.2f} {ratio:>6}")
            previous = seconds


if __name__ == "__main__":
    main()
