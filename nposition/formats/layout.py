"""Where a case's files live: the folder layout, named once."""

from __future__ import annotations

from pathlib import Path

from nposition.errors import Location, Problem, Severity, UsageError

CASE_FILE = "case.yaml"
CHECKS_FILE = "checks.yaml"
SCENARIO_DIR = "scenarios"
YAML_SUFFIXES = (".yaml", ".yml")
BASELINE = "baseline"  # the case as written; never a scenario file


def bundled_positions() -> Path:
    """The positions shipped with nposition: inside the wheel, or beside the package in a clone."""
    here = Path(__file__).resolve().parents[1]  # the package folder
    inside = here / "positions"
    return inside if inside.is_dir() else here.parent / "positions"


def find_case_dir(positions: Path | None, case: str) -> Path:
    """`--positions`, else `./positions` when it exists, else the bundled copy; then the case."""
    root = positions or (Path("positions") if Path("positions").is_dir() else bundled_positions())
    if not root.is_dir():
        raise UsageError(f"{root}: positions folder not found")
    if not case or case in (".", "..") or "/" in case or "\\" in case:
        raise UsageError(f"--case '{case}': give the name of a case folder inside {root}")
    folder = root / case
    if not (folder / CASE_FILE).is_file():
        known = sorted(p.name for p in root.iterdir() if (p / CASE_FILE).is_file())
        raise UsageError(
            f"{root}: no case '{case}' (a folder with {CASE_FILE}); "
            f"known: {', '.join(known) or 'none'}"
        )
    return folder


def party_files(case_dir: Path) -> list[Path]:
    """Every party file of a case: the YAML files beside case.yaml, other than checks.yaml."""
    skip = {CASE_FILE, CHECKS_FILE}
    return sorted(p for p in case_dir.iterdir() if _yaml(p) and p.name.lower() not in skip)


def _yaml(path: Path) -> bool:
    """A YAML file nposition reads: `.yaml` or `.yml` in any case, not hidden (`.x.yaml`, `._x`)."""
    return path.suffix.lower() in YAML_SUFFIXES and not path.name.startswith(".")


def scenario_files(case_dir: Path) -> tuple[dict[str, Path], list[Problem]]:
    """The scenario files of a case by name (the file name without its suffix), and the files
    that cannot be scenarios: one named `baseline`, or two that share a name."""
    folder = case_dir / SCENARIO_DIR
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return files, problems
    for path in sorted(folder.iterdir()):
        if not _yaml(path):
            continue
        if path.stem == BASELINE:
            problems.append(
                _problem(
                    path, f"'{BASELINE}' is the case as written, not a scenario; rename the file"
                )
            )
        elif path.stem in files:
            problems.append(
                _problem(
                    path,
                    f"scenario '{path.stem}' is also {files[path.stem].name}; keep one of the two",
                )
            )
        else:
            files[path.stem] = path
    return files, problems


def _problem(path: Path, message: str) -> Problem:
    return Problem(Location(str(path)), Severity.ERROR, message)
