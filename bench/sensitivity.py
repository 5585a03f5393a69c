"""The cost of one `--sensitivity` run: re-solving the bargaining under perturbed weights.

    python bench/sensitivity.py [--positions DIR] [--case kuril] [--runs 1000] [--repeat 3]
    python bench/sensitivity.py --genius ../shared/genius/AMPOvsCity --runs 20

Loads the case once and times `reports.sensitivity.sensitivity` over the packages `analyze`
bargains over (the zone, or the cheapest concession's zone), in this process: the fastest of
`--repeat` sweeps of `--runs` runs, per run, after one untimed run that fills the caches a sweep
keeps (the space's bitsets, the preferences' cells, the batches of packages). `--genius FOLDER`
imports a GENIUS domain first (the profiles in file name order). Run it against another checkout
with `PYTHONPATH=that/checkout python bench/sensitivity.py ...` from outside this one.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from nposition.engine.space import Space
from nposition.formats.case_file import load_case
from nposition.formats.genius_import import import_genius
from nposition.reports.analysis import analyze, concession_zone
from nposition.reports.sensitivity import sensitivity

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--positions", type=Path, default=HERE.parent / "positions")
    parser.add_argument("--case", default="kuril")
    parser.add_argument("--genius", type=Path, metavar="FOLDER", help="a GENIUS domain folder")
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.genius:
            files = sorted(args.genius.glob("*.xml"))
            domain = next(f for f in files if b"<weight" not in f.read_bytes())
            folder = Path(tmp) / args.genius.name.lower()
            import_genius(domain, [f for f in files if f != domain], folder)
        else:
            folder = args.positions / args.case
        case = load_case(folder)
    space = Space.of(case, limit=10**10)
    result = analyze(case, space=space)
    bits = space.all_of(case.red_lines)
    if not bits and result.concessions:
        bits = concession_zone(case, space, result.concessions[0])
    sensitivity(case, space, bits, 1, 0)
    best = float("inf")
    for k in range(args.repeat):
        start = time.perf_counter()
        sensitivity(case, space, bits, args.runs, k + 1)
        best = min(best, (time.perf_counter() - start) / args.runs)
    name = args.genius.name if args.genius else args.case
    print(
        f"{name}: {space.size:,} packages, {bits.bit_count():,} bargained over; "
        f"{best * 1000:.3f} ms a run (fastest of {args.repeat} x {args.runs} runs)"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
