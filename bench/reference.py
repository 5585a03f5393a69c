"""Record the outputs that must not change, or check the current code against a recording.

    python bench/reference.py record DIR [--genius ../shared/genius] [--only NAME ...]
    python bench/reference.py check DIR  [--genius ../shared/genius] [--only NAME ...]

A change to the engine that is meant to be a pure speed-up must leave every output byte-identical:
frontiers, ties and the four solutions included. `record` writes, one file per output, the
`analyze` JSON and table of every GENIUS domain in `--genius` (imported with `import-genius`, the
profiles in file name order), `--sensitivity` on a few of them, the bundled cases `kuril` and
`backstop` under every scenario, `reach`, `compare` and `plot` on Kuril, and generated cases
(`bench/generate.py`) large enough for the numpy paths. `check` produces the same outputs again
and lists every one that differs (exit 1), naming the command that made it.

Each output is made by a fresh `python -m nposition` process with this interpreter. Run one of
these at a time: the largest domain (AgentHp2, 5.8 million packages) takes a few seconds.
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # a sibling script, found through the sys.path line above

HERE = Path(__file__).resolve().parent
DEFAULT_GENIUS = HERE.parent.parent / "shared" / "genius"
POSITIONS = HERE.parent / "positions"
SENSITIVITY = {"Laptop": 20, "CameraB": 20, "Travel": 3}  # runs, with --seed 3
PICTURE = "{picture}"  # stands for a temporary .svg file, whose contents are the output
# Generated cases: (issues, options, parties, red lines, preferences, v2), past NUMPY_FROM (65,536
# packages); with few red lines the zone is large enough for the numpy frontier too.
GENERATED = (
    (7, 5, 2, 15, 5, False),
    (7, 5, 2, 15, 5, True),
    (7, 5, 3, 15, 5, True),
    (8, 4, 3, 15, 5, False),
    (7, 5, 2, 1, 8, False),
    (7, 5, 3, 1, 8, True),
    (8, 5, 2, 0, 8, False),
    (8, 5, 2, 0, 8, True),
    (8, 4, 3, 0, 8, False),
)


def domain_files(folder: Path) -> tuple[Path, list[Path]]:
    """A GENIUS folder's domain file (the XML without <weight>) and its profiles, sorted."""
    files = sorted(folder.glob("*.xml"))
    domains = [f for f in files if b"<weight" not in f.read_bytes()]
    if len(domains) != 1:
        raise SystemExit(f"{folder}: expected one domain file, found {len(domains)}")
    return domains[0], [f for f in files if f != domains[0]]


def outputs(genius: Path, work: Path, only: set[str]) -> Iterator[tuple[str, list[str]]]:
    """(output name, nposition arguments) for every recorded output; cases are set up in `work`."""
    imported = work / "genius"
    if genius.is_dir():
        for folder in sorted(p for p in genius.iterdir() if p.is_dir()):
            if only and folder.name not in only:
                continue
            domain, profiles = domain_files(folder)
            case = folder.name.lower()
            _run(["import-genius", str(domain), *map(str, profiles), "--out", str(imported / case)])
            base = ["--positions", str(imported), "--case", case, "analyze"]
            yield f"genius-{case}.json", [*base, "--format", "json"]
            yield f"genius-{case}.txt", base
            if folder.name in SENSITIVITY:
                runs = str(SENSITIVITY[folder.name])
                yield (
                    f"genius-{case}-sensitivity.json",
                    [*base, "--sensitivity", runs, "--seed", "3", "--format", "json"],
                )
            if folder.name in ("CameraB", "Energy"):
                yield f"genius-{case}.svg", [*base[:-1], "plot", "--out", PICTURE]
    for case in ("kuril", "backstop"):
        if only and case not in only:
            continue
        base = ["--positions", str(POSITIONS), "--case", case]
        yield f"{case}.json", [*base, "analyze", "--format", "json"]
        yield f"{case}.txt", [*base, "analyze"]
        yield f"{case}-compare.json", [*base, "compare", "--format", "json"]
        for scenario in sorted((POSITIONS / case / "scenarios").glob("*.yaml")):
            yield (
                f"{case}-{scenario.stem}.json",
                [*base, "analyze", "--scenario", scenario.stem, "--format", "json"],
            )
        yield f"{case}.svg", [*base, "plot", "--out", PICTURE]
    if not only or "kuril" in only:
        base = ["--positions", str(POSITIONS), "--case", "kuril"]
        yield (
            "kuril-sensitivity.json",
            [*base, "analyze", "--sensitivity", "20", "--seed", "3", "--format", "json"],
        )
        for target in ("islands_transferred=habomai_shikotan", "islands_transferred=all_four"):
            yield f"kuril-reach-{target.split('=')[1]}.json", [*base, "reach", target, "-f", "json"]
    generated = work / "generated"
    for issues, options, parties, red_lines, preferences, v2 in GENERATED:
        root = generated / f"p{parties}-r{red_lines}-q{preferences}"
        folder = generate(
            root,
            issues=issues,
            options=options,
            parties=parties,
            red_lines=red_lines,
            preferences=preferences,
            seed=1,
            v2=v2,
        )
        name = f"{folder.name}-p{parties}-r{red_lines}-q{preferences}"
        if only and name not in only and "generated" not in only:
            continue
        base = ["--positions", str(root), "--case", folder.name, "analyze"]
        yield f"generated-{name}.json", [*base, "--format", "json"]
        if parties == 2 and red_lines:
            yield (
                f"generated-{name}-sensitivity.json",
                [*base, "--sensitivity", "3", "--seed", "3", "--format", "json"],
            )


def _run(args: list[str]) -> bytes:
    """The stdout of `nposition ARGS` in a fresh process (exit 0 or 1 both count), or the
    picture it writes where PICTURE stands for the file."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    with tempfile.TemporaryDirectory() as tmp:
        picture = Path(tmp) / "plot.svg"
        command = [str(picture) if a == PICTURE else a for a in args]
        done = subprocess.run(
            [sys.executable, "-m", "nposition", *command], capture_output=True, env=env, check=False
        )
        if done.returncode not in (0, 1):
            raise SystemExit(f"nposition {' '.join(args)} failed:\n{done.stderr.decode()}")
        return picture.read_bytes() if PICTURE in args else done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("mode", choices=("record", "check"))
    parser.add_argument("dir", type=Path)
    parser.add_argument("--genius", type=Path, default=DEFAULT_GENIUS, metavar="DIR")
    parser.add_argument("--only", nargs="+", default=[], metavar="NAME")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    different = 0
    with tempfile.TemporaryDirectory(prefix="nposition-ref-") as tmp:
        for name, command in outputs(args.genius, Path(tmp), set(args.only)):
            out = _run(command)
            path = args.dir / name
            if args.mode == "record":
                path.write_bytes(out)
                print(f"recorded {name} ({len(out):,} bytes)", flush=True)
                continue
            if not path.exists():
                print(f"MISSING  {name}: not in {args.dir}", flush=True)
                different += 1
            elif path.read_bytes() != out:
                different += 1
                print(f"DIFFERS  {name}: nposition {' '.join(command)}", flush=True)
                old = path.read_text(errors="replace").splitlines()
                new = out.decode(errors="replace").splitlines()
                for line in list(difflib.unified_diff(old, new, "recorded", "now", n=1))[:20]:
                    print(f"    {line}")
            else:
                print(f"same     {name}", flush=True)
    if args.mode == "check":
        print(f"{different} output(s) differ" if different else "every output is byte-identical")
        sys.exit(1 if different else 0)


if __name__ == "__main__":
    main()
