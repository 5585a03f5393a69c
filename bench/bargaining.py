"""nposition's Pareto frontier and bargaining solutions against negmas, on large GENIUS domains.

    python bench/bargaining.py [--domains Energy AMPOvsCity AgentHp2] [--repeat 1]
                               [--negmas-python PATH | --skip-negmas] [--genius DIR]
                               [--timeout 900] [--json OUT.json]

For each GENIUS domain (a folder of ../shared/genius: one domain XML and one utility profile per
party) it runs each side in a fresh process of its own (this script again, as
`INTERPRETER bench/bargaining.py --worker SIDE SPEC.json OUT.json`), one after the other, and
measures the worker's wall time per phase and its peak resident memory (`ru_maxrss` from
`os.wait4`):

- nposition (run with this interpreter, `sys.executable`):
  import  = `nposition.formats.genius_import.import_genius` into a temp folder + `nposition.formats.case_file.load_case`;
  solve   = `Space` + `Valuation` (every party's utility of every package) + `disagreement` +
            `bargaining.bargain` (the Pareto frontier and the Nash, Kalai-Smorodinsky, egalitarian
            and utilitarian solutions).
- negmas 0.16 (run with `--negmas-python`, an interpreter of a venv of its own, default
  `bench/.negmas-venv/bin/python`; negmas is never a dependency of nposition):
  load    = `negmas.inout.load_genius_domain` + rebuilding the ufuns with GENIUS semantics (below);
  solve   = enumerating the outcome space + `pareto_frontier(ufuns, outcomes=...,
            sort_by_welfare=True)` (which evaluates every ufun on every outcome) + `nash_points` +
            `ks_points`.

The speed-up (solve) is negmas solve / nposition solve: both include evaluating the utilities,
neither includes reading the XML or importing modules (nposition imports numpy lazily: the worker
imports it before the timer). Peak memory is the whole process's (interpreter, imports and all).
The speed-up (process) compares whole processes as a user meets them: negmas's worker, start to
exit (interpreter, imports, reading the XML, the solve), against `nposition analyze --format
json` on the domain imported beforehand (the whole report, bargaining included; after one
untimed run that writes its bytecode), each the fastest of `--repeat`.

negmas 0.16's GENIUS reader keeps raw evaluations (it does not divide a discrete value's evaluation
by its issue's best one, as GENIUS does), reads an integer issue's linear evaluator as
`offset + slope * x` instead of `offset + slope * (x - lowerbound)`, and adds a constant
`DUMMY_ISSUE` (weight 1) when a profile's issue indices do not start at 1 (AMPOvsCity). Its
utilities are then not GENIUS's, and neither is its frontier. So the negmas worker rebuilds each
ufun, outside the solve timing, as a `LinearAdditiveUtilityFunction` of the same kinds of value
functions (`TableFun` tables divided by their best evaluation, `AffineFun` with the bias moved to
the lower bound, a clamped table only where the evaluator leaves [0, 1], the dummy issue kept at
weight 0) and with weights scaled as nposition scales utilities (best package = 1, reservation
divided by the same factor). Both sides then hold the same utilities and the same reservations.

Both sides keep only individually rational outcomes (every party at least its reservation) before
the frontier. The frontiers agree when they hold the same set of distinct utility vectors, each
matched within 1e-9 on every party (nposition keeps every package of a tied vector; negmas keeps
one). "yes, up to float ties" means every vector found on one side only is weakly dominated, within
1e-9, by the other side's frontier: a tie on paper that float rounding broke (negmas compares raw
float sums; nposition rounds utilities to a 1e-12 grid first). negmas's Nash and KS points are printed beside nposition's for information only: negmas
measures gains from the larger of the reservation and the party's minimum utility, and its KS
point minimises the spread of the gain ratios where nposition maximises the smallest one.

With `--repeat N` each side runs N times; the table shows each phase's fastest run and the
largest peak. A run over `--timeout` seconds is stopped: its solve time shows as "> N (stopped)",
the seconds it had spent solving, and its peak with a "+".
`--json` also writes every number, the frontiers' sizes and the solutions.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DOMAINS = ("Energy", "AMPOvsCity", "AgentHp2")
TOLERANCE = 1e-9
HERE = Path(__file__).resolve().parent
DEFAULT_GENIUS = HERE.parent.parent / "shared" / "genius"
DEFAULT_NEGMAS_PYTHON = HERE / ".negmas-venv" / "bin" / "python"
SIDES = ("nposition", "negmas")


# --- the domains -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Domain:
    """A GENIUS domain folder: the domain file, the profiles (sorted), its issues and size."""

    name: str
    domain: Path
    profiles: tuple[Path, ...]
    issues: tuple[str, ...]
    size: int


def find_domain(folder: Path) -> Domain:
    """The domain file is the one XML file with no <weight>; every other XML file is a profile."""
    files = sorted(folder.glob("*.xml"))
    if not files:
        raise SystemExit(f"{folder}: no GENIUS XML files")
    roots = {f: ET.parse(f).getroot() for f in files}
    domains = [f for f in files if roots[f].find(".//weight") is None]
    if len(domains) != 1:
        raise SystemExit(f"{folder}: expected one domain file (no <weight>), found {len(domains)}")
    root = roots[domains[0]]
    issues, size = [], 1
    for issue in root.iter("issue"):
        issues.append(issue.get("name", ""))
        low, high = issue.get("lowerbound"), issue.get("upperbound")
        if low is not None and high is not None:
            size *= int(high) - int(low) + 1
        else:
            size *= len(issue.findall("item"))
    profiles = tuple(f for f in files if f != domains[0])
    return Domain(folder.name, domains[0], profiles, tuple(issues), size)


# --- the workers (each runs in a process of its own) -------------------------------------------


def work_nposition(spec: dict[str, Any], partial: Path) -> dict[str, Any]:
    """Import, value, bargain; utilities reported in the order of `spec["profiles"]`."""
    import importlib

    import nposition
    from nposition.engine.bargaining import SOLUTIONS, bargain, disagreement
    from nposition.engine.space import Space
    from nposition.engine.utility import Valuation
    from nposition.formats.case_file import load_case
    from nposition.formats.genius_import import import_genius

    times: dict[str, float] = {}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "case"
        summary = import_genius(Path(spec["domain"]), [Path(p) for p in spec["profiles"]], folder)
        times["import_genius"] = time.perf_counter() - start
        case = load_case(folder)
    times["load_case"] = time.perf_counter() - start - times["import_genius"]
    importlib.import_module("numpy")  # nposition imports it lazily; untimed, as negmas's imports
    peak_after_import = _self_peak_mib()
    _checkpoint(partial, times)

    start = time.perf_counter()
    space = Space(case.issues)
    valuation = Valuation(space, case.parties)
    times["valuation"] = time.perf_counter() - start
    point = disagreement(case, space, valuation)
    result = bargain(valuation, space.full, point)
    times["bargain"] = time.perf_counter() - start - times["valuation"]

    ids = [p.id for p in case.parties]
    order = [ids.index(party) for party in summary.parties]  # case order -> profile order
    distinct = result.frontier.distinct()

    def reorder(utilities: Sequence[float]) -> list[float]:
        return [utilities[k] for k in order]

    return {
        "version": f"{nposition.__version__} (source {_source_digest(Path(nposition.__file__))})",
        "times": times,
        "import": times["import_genius"] + times["load_case"],
        "solve": times["valuation"] + times["bargain"],
        "peak_after_import_mib": peak_after_import,
        "parties": list(summary.parties),
        "disagreement": reorder(result.disagreement),
        "candidates": result.candidates,
        "frontier_packages": len(result.frontier),
        # one vector per distinct frontier point (ties counted above): a few hundred, not millions
        "frontier": [
            reorder([float(col[k]) for col in distinct.vectors]) for k in range(distinct.size)
        ],
        "solutions": {
            name: None if (p := result.solutions[name]) is None else reorder(p.utilities)
            for name in SOLUTIONS
        },
        "notes": list(summary.notes),
    }


def work_negmas(spec: dict[str, Any], partial: Path) -> dict[str, Any]:
    """Load with negmas' GENIUS reader, rebuild with GENIUS semantics, then frontier, Nash, KS."""
    import warnings

    import negmas
    from negmas.inout import load_genius_domain
    from negmas.preferences.ops import ks_points, nash_points, pareto_frontier

    warnings.simplefilter("ignore")  # negmas warns that large spaces are slow; we know
    times: dict[str, float] = {}
    start = time.perf_counter()
    scenario = load_genius_domain(
        Path(spec["domain"]),
        [Path(p) for p in spec["profiles"]],
        ignore_discount=True,
        safe_parsing=False,
    )
    times["load_genius_domain"] = time.perf_counter() - start
    notes: list[str] = []
    ufuns = [_genius_ufun(u, set(spec["issues"]), notes) for u in scenario.ufuns]
    times["genius_semantics"] = time.perf_counter() - start - times["load_genius_domain"]
    peak_after_import = _self_peak_mib()
    _checkpoint(partial, times)

    space = scenario.outcome_space
    start = time.perf_counter()
    outcomes = list(space.enumerate())
    times["enumerate"] = time.perf_counter() - start
    frontier, _ = pareto_frontier(ufuns, outcomes=outcomes, sort_by_welfare=True)
    times["pareto_frontier"] = time.perf_counter() - start - times["enumerate"]
    mid = time.perf_counter()
    nash = nash_points(ufuns, frontier, outcome_space=space)
    ks = ks_points(ufuns, frontier, outcome_space=space)
    times["nash_ks"] = time.perf_counter() - mid

    return {
        "version": negmas.__version__,
        "times": times,
        "import": times["load_genius_domain"] + times["genius_semantics"],
        "solve": time.perf_counter() - start,
        "peak_after_import_mib": peak_after_import,
        "outcomes": len(outcomes),
        "frontier_points": len(frontier),
        "disagreement": [float(u.reserved_value) for u in ufuns],
        "frontier": [[float(x) for x in p] for p in frontier],
        "solutions": {
            "nash": [[float(x) for x in p] for p, _ in nash],
            "kalai_smorodinsky": [[float(x) for x in p] for p, _ in ks],
        },
        "notes": notes,
    }


def _genius_ufun(ufun: Any, issues: set[str], notes: list[str]) -> Any:
    """A negmas linear-additive ufun rebuilt with GENIUS's (and nposition's) utilities.

    Each discrete table is divided by its best evaluation (0 throughout when that is below 1e-5),
    an integer issue's linear evaluator is read from the lower bound and clamped to [0, 1], issues
    negmas added (not in the domain file) get weight 0, the weights are normalised to sum 1 and
    then divided by the best package's utility, and the reservation is divided by that too
    (clamped to [0, 1]), as `nposition.formats.genius_import` and `nposition.engine.utility` do.
    """
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import AffineFun, LinearFun, TableFun

    if not isinstance(ufun, LinearAdditiveUtilityFunction):
        raise SystemExit(f"{ufun.name}: negmas read a {type(ufun).__name__}, not a linear ufun")
    values, weights, best_values = [], [], []
    for issue, fun, weight in zip(ufun.issues, ufun.values, ufun.weights, strict=True):
        if issue.name not in issues:
            notes.append(f"{ufun.name}: negmas's extra issue {issue.name!r} set to weight 0")
            values.append(fun)
            weights.append(0.0)
            best_values.append(0.0)
            continue
        if isinstance(fun, TableFun):
            top = max(fun.mapping.values())
            scale = 1 / top if top >= 1e-5 else 0.0
            table = {k: v * scale for k, v in fun.mapping.items()}
            values.append(TableFun(table))
            best_values.append(max(table.values()))
        elif isinstance(fun, AffineFun | LinearFun):
            bias = getattr(fun, "bias", 0.0)
            low, high = issue.min_value, issue.max_value
            ends = (bias, bias + fun.slope * (high - low))
            if min(ends) >= 0 and max(ends) <= 1:
                values.append(AffineFun(slope=fun.slope, bias=bias - fun.slope * low))
                best_values.append(max(ends))
            else:
                table = {
                    x: min(1.0, max(0.0, bias + fun.slope * (x - low)))
                    for x in range(low, high + 1)
                }
                notes.append(f"{ufun.name}: {issue.name!r} clamped to [0, 1], as a table")
                values.append(TableFun(table))
                best_values.append(max(table.values()))
        else:
            raise SystemExit(f"{ufun.name}: {issue.name!r} has an unsupported {type(fun).__name__}")
        weights.append(float(weight))
    total = sum(weights)
    weights = [w / total for w in weights]
    best = sum(w * v for w, v in zip(weights, best_values, strict=True))
    reservation = float(ufun.reserved_value)
    if 0 < best < 1 - 1e-12:
        reservation /= best
    if best > 0:
        weights = [w / best for w in weights]
    return LinearAdditiveUtilityFunction(
        values=values,
        weights=weights,
        outcome_space=ufun.outcome_space,
        reserved_value=min(1.0, max(0.0, reservation)),
        name=ufun.name,
    )


def _source_digest(init: Path) -> str:
    """A short hash of the package's .py files: which code was measured, in a moving checkout."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(init.parent.rglob("*.py")):
        digest.update(path.relative_to(init.parent).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def _checkpoint(partial: Path, times: dict[str, float]) -> None:
    """What a run stopped at the timeout still reports: the phases done, when solving began."""
    partial.write_text(json.dumps({"times": times, "solve_started": time.time()}))


def _self_peak_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_main(side: str, spec_path: str, out_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    partial = Path(out_path + ".partial")
    work = work_nposition if side == "nposition" else work_negmas
    result = work(spec, partial)
    Path(out_path).write_text(json.dumps(result))


# --- running and comparing ---------------------------------------------------------------------


@dataclass
class Run:
    """One side's outcome on one domain, over the repeats."""

    side: str
    data: dict[str, Any] | None = None  # the first run's worker output
    times: dict[str, float] = field(default_factory=dict)  # fastest of the repeats, per phase
    import_s: float = math.inf
    solve_s: float = math.inf
    peak_mib: float = 0.0
    stopped_after: float | None = None  # solve seconds when a run was stopped at the timeout
    process_s: float = math.inf  # the worker's whole process, start to exit (fastest)
    analyze_s: float = math.inf  # nposition: `analyze --format json`, a whole process (fastest)
    analyze_mib: float = 0.0
    error: str | None = None
    skipped: str | None = None

    def ok(self) -> bool:
        return self.data is not None and self.stopped_after is None and self.error is None


def run_worker(
    python: str, side: str, spec: Path, out: Path, timeout: float, env: dict[str, str]
) -> tuple[dict[str, Any] | None, float, str | None, float]:
    """Run one worker process: (its output, peak MiB, None or an error or 'stopped', its wall
    seconds, start to exit)."""
    cmd = [python, str(Path(__file__).resolve()), "--worker", side, str(spec), str(out)]
    partial = Path(f"{out}.partial")
    out.unlink(missing_ok=True)
    partial.unlink(missing_ok=True)
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            wall = time.perf_counter() - start
            if pid:
                break
            if wall > timeout:
                os.kill(proc.pid, signal.SIGKILL)
                now = time.time()
                _, status, usage = os.wait4(proc.pid, 0)
                done = json.loads(partial.read_text()) if partial.exists() else {}
                done["solving_for"] = now - done.get("solve_started", now - wall)
                return done, usage.ru_maxrss / 1024, "stopped", wall
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        peak = usage.ru_maxrss / 1024
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace").strip().splitlines()[-15:]
            return None, peak, f"exit {proc.returncode}:\n    " + "\n    ".join(tail), wall
    return json.loads(out.read_text()), peak, None, wall


def measure(side: str, python: str, domain: Domain, repeat: int, timeout: float, tmp: Path) -> Run:
    run = Run(side)
    spec = tmp / f"{domain.name}.json"
    spec.write_text(
        json.dumps(
            {
                "domain": str(domain.domain),
                "profiles": [str(p) for p in domain.profiles],
                "issues": list(domain.issues),
            }
        )
    )
    env = dict(os.environ)
    if side == "nposition":
        raw = env.get("NPOSITION_MAX_PACKAGES", "")
        if not raw.isdigit() or int(raw) < domain.size:
            env["NPOSITION_MAX_PACKAGES"] = str(max(domain.size, 50_000_000))
    for _ in range(repeat):
        data, peak, error, wall = run_worker(
            python, side, spec, tmp / f"{domain.name}-{side}.out.json", timeout, env
        )
        run.peak_mib = max(run.peak_mib, peak)
        if error == "stopped" and data is not None:
            run.times = data.get("times", {})
            run.import_s = sum(run.times.values()) if run.times else math.inf
            run.solve_s = run.stopped_after = data["solving_for"]  # a lower bound
            return run
        if error is not None or data is None:
            run.error = error
            return run
        run.data = run.data or data
        run.process_s = min(run.process_s, wall)
        run.import_s = min(run.import_s, data["import"])
        run.solve_s = min(run.solve_s, data["solve"])
        for phase, seconds in data["times"].items():
            run.times[phase] = min(run.times.get(phase, math.inf), seconds)
    if side == "nposition":
        _time_analyze(run, python, domain, repeat, tmp, env)
    return run


def _time_analyze(
    run: Run, python: str, domain: Domain, repeat: int, tmp: Path, env: dict[str, str]
) -> None:
    """`nposition analyze --format json` on the imported domain as a user runs it: a whole
    process (after one untimed run that also writes the bytecode), the fastest of `repeat`."""
    case = tmp / "cases" / domain.name.lower()
    subprocess.run(
        [python, "-m", "nposition", "import-genius", str(domain.domain)]
        + [str(p) for p in domain.profiles]
        + ["--out", str(case), "--force"],
        check=True,
        capture_output=True,
        env=env,
    )
    cmd = [python, "-m", "nposition", "--positions", str(case.parent), "--case", case.name]
    cmd += ["analyze", "--format", "json"]
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for k in range(repeat + 1):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            run.error = f"`{' '.join(cmd)}` failed"
            return
        if k:
            run.analyze_s = min(run.analyze_s, time.perf_counter() - start)
            run.analyze_mib = max(run.analyze_mib, usage.ru_maxrss / 1024)


def distinct(vectors: Sequence[Sequence[float]], tol: float = TOLERANCE) -> list[tuple[float, ...]]:
    """The vectors with near-duplicates (within `tol` on every coordinate) kept once, sorted."""
    kept: list[tuple[float, ...]] = []
    for v in sorted(tuple(x) for x in vectors):
        if not any(_close(v, w, tol) for w in _near(kept, v, tol)):
            kept.append(v)  # v sorts after every kept vector: `kept` stays sorted
    return kept


def unmatched(
    a: Sequence[tuple[float, ...]], b: Sequence[tuple[float, ...]], tol: float = TOLERANCE
) -> list[tuple[float, ...]]:
    """The vectors of `a` with no vector of `b` within `tol` on every coordinate."""
    ordered = sorted(b)
    return [v for v in a if not any(_close(v, w, tol) for w in _near(ordered, v, tol))]


def _near(ordered: Sequence[tuple[float, ...]], v: tuple[float, ...], tol: float) -> Any:
    """The vectors of a sorted list whose first coordinate is within `tol` of v's."""
    lo = bisect.bisect_left(ordered, (v[0] - tol,))
    hi = bisect.bisect_right(ordered, (v[0] + tol, math.inf))
    return ordered[lo:hi]


def _tie(v: Sequence[float], frontier: Sequence[Sequence[float]], tol: float = TOLERANCE) -> bool:
    """Whether some vector of `frontier` is at least `v` on every party, within `tol`."""
    return any(all(x >= y - tol for x, y in zip(w, v, strict=True)) for w in frontier)


def _close(a: Sequence[float], b: Sequence[float], tol: float) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def compare(np_run: Run, ng_run: Run) -> dict[str, Any]:
    """Frontier agreement (distinct utility vectors within TOLERANCE) and the solutions."""
    assert np_run.data is not None
    assert ng_run.data is not None
    ours = distinct(np_run.data["frontier"])
    theirs = distinct(ng_run.data["frontier"])
    only_ours, only_theirs = unmatched(ours, theirs), unmatched(theirs, ours)
    same_reservations = _close(np_run.data["disagreement"], ng_run.data["disagreement"], TOLERANCE)
    solutions = {}
    for name, found in ng_run.data["solutions"].items():
        mine = np_run.data["solutions"][name]
        solutions[name] = {
            "nposition": mine,
            "negmas": found,
            "agree": mine is not None and any(_close(mine, p, TOLERANCE) for p in found),
        }
    # A vector on one frontier only, weakly dominated within TOLERANCE by the other frontier, is
    # a tie that float rounding broke differently on the two sides, not a disagreement.
    real = [v for v in only_ours if not _tie(v, theirs)] + [
        v for v in only_theirs if not _tie(v, ours)
    ]
    return {
        "agree": not only_ours and not only_theirs,
        "agree_up_to_ties": not real,
        "nposition_distinct": len(ours),
        "negmas_distinct": len(theirs),
        "only_nposition": [{"utilities": v, "tie": _tie(v, theirs)} for v in only_ours[:5]],
        "only_negmas": [{"utilities": v, "tie": _tie(v, ours)} for v in only_theirs[:5]],
        "only_nposition_count": len(only_ours),
        "only_negmas_count": len(only_theirs),
        "same_reservations": same_reservations,
        "solutions": solutions,
    }


# --- reporting ---------------------------------------------------------------------------------


def _seconds(run: Run, attr: str) -> str:
    if run.skipped:
        return "skipped"
    if run.stopped_after is not None:
        if attr == "import_s":
            return "> timeout (stopped)" if math.isinf(run.import_s) else f"{run.import_s:.2f}"
        return f"> {run.stopped_after:.0f} (stopped)"
    if run.error:
        return "failed"
    return f"{getattr(run, attr):.2f}"


def _peak(run: Run) -> str:
    if run.skipped or run.error:
        return "-"
    return f"{run.peak_mib:.0f}" + ("+" if run.stopped_after is not None else "")


def _ratio(np_run: Run, ng_run: Run) -> str:
    if np_run.error or ng_run.skipped or ng_run.error:
        return "-"
    if np_run.stopped_after is not None and ng_run.stopped_after is not None:
        return "?"
    if ng_run.stopped_after is not None:
        return f"> {ng_run.solve_s / np_run.solve_s:.0f}x"
    if np_run.stopped_after is not None:
        return f"< {ng_run.solve_s / np_run.solve_s:.2f}x"
    return f"{ng_run.solve_s / np_run.solve_s:.1f}x"


def _whole(seconds: float) -> str:
    return "-" if math.isinf(seconds) else f"{seconds:.2f}"


def _process_ratio(np_run: Run, ng_run: Run) -> str:
    """negmas's whole worker process over nposition's `analyze` process."""
    if math.isinf(np_run.analyze_s) or math.isinf(ng_run.process_s):
        return "-"
    return f"{ng_run.process_s / np_run.analyze_s:.1f}x"


def _vec(v: Sequence[float] | None) -> str:
    return "none" if v is None else "(" + ", ".join(f"{x:.6f}" for x in v) + ")"


def report(rows: list[dict[str, Any]]) -> str:
    header = (
        "| domain | packages | parties | nposition import s | nposition solve s "
        "| nposition peak MiB | negmas load s | negmas solve s | negmas peak MiB "
        "| speed-up (solve) | nposition analyze s (process) | negmas process s "
        "| speed-up (process) | frontiers agree |"
    )
    lines = [header, "|" + "---|" * header.count(" | ") + "---|"]
    for row in rows:
        np_run, ng_run, domain = row["nposition"], row["negmas"], row["domain"]
        cmp = row.get("compare")
        agree = "-"
        if cmp is not None:
            agree = "yes" if cmp["agree"] else "NO"
            if not cmp["agree"] and cmp["agree_up_to_ties"]:
                agree = "yes, up to float ties"
        if cmp is not None:
            agree += f" ({cmp['nposition_distinct']} vs {cmp['negmas_distinct']} vectors)"
        lines.append(
            f"| {domain.name} | {domain.size:,} | {len(domain.profiles)} "
            f"| {_seconds(np_run, 'import_s')} | {_seconds(np_run, 'solve_s')} | {_peak(np_run)} "
            f"| {_seconds(ng_run, 'import_s')} | {_seconds(ng_run, 'solve_s')} | {_peak(ng_run)} "
            f"| {_ratio(np_run, ng_run)} | {_whole(np_run.analyze_s)} "
            f"| {_whole(ng_run.process_s)} | {_process_ratio(np_run, ng_run)} | {agree} |"
        )
    return "\n".join(lines)


def details(row: dict[str, Any]) -> list[str]:
    np_run, ng_run, domain = row["nposition"], row["negmas"], row["domain"]
    out = [f"{domain.name}:"]
    for run in (np_run, ng_run):
        if run.skipped:
            out.append(f"  {run.side}: skipped ({run.skipped})")
            continue
        if run.error:
            out.append(f"  {run.side}: FAILED {run.error}")
            continue
        if run.stopped_after is not None:
            phases = "".join(f"{k} {v:.2f} s, " for k, v in run.times.items())
            out.append(
                f"  {run.side}: {phases}solve stopped after {run.stopped_after:.0f} s; "
                f"peak so far {run.peak_mib:.0f} MiB"
            )
            continue
        assert run.data is not None
        phases = ", ".join(f"{k} {v:.2f} s" for k, v in run.times.items())
        out.append(
            f"  {run.side} {run.data['version']}: {phases}; peak {run.peak_mib:.0f} MiB "
            f"({run.data['peak_after_import_mib']:.0f} MiB after import)"
        )
        for note in run.data["notes"]:
            out.append(f"    note: {note}")
    if np_run.ok():
        data = np_run.data
        out.append(
            f"  nposition: parties {', '.join(data['parties'])}; disagreement "
            f"{_vec(data['disagreement'])}; {data['candidates']:,} rational packages; "
            f"frontier {data['frontier_packages']:,} packages"
        )
        for name, point in data["solutions"].items():
            out.append(f"    {name}: {_vec(point)}")
    if ng_run.ok():
        data = ng_run.data
        out.append(
            f"  negmas: disagreement {_vec(data['disagreement'])}; "
            f"frontier {data['frontier_points']:,} points"
        )
    cmp = row.get("compare")
    if cmp is not None:
        out.append(
            f"  frontier: {cmp['nposition_distinct']} distinct vectors (nposition) vs "
            f"{cmp['negmas_distinct']} (negmas); {cmp['only_nposition_count']} only in nposition, "
            f"{cmp['only_negmas_count']} only in negmas; same reservations: "
            f"{cmp['same_reservations']}"
        )
        tie = " (a float tie: weakly dominated, within 1e-9, by the other side's frontier)"
        for side in ("nposition", "negmas"):
            for v in cmp[f"only_{side}"]:
                out.append(f"    only in {side}: {_vec(v['utilities'])}{tie if v['tie'] else ''}")
    solutions = cmp["solutions"] if cmp is not None else {}
    if cmp is None and ng_run.ok():
        solutions = {k: {"negmas": v, "agree": None} for k, v in ng_run.data["solutions"].items()}
    for name, sol in solutions.items():
        theirs = "; ".join(_vec(p) for p in sol["negmas"][:3]) or "none"
        more = f" (+{len(sol['negmas']) - 3} more)" if len(sol["negmas"]) > 3 else ""
        verdict = {True: " - same as nposition's", False: " - differs from nposition's"}
        out.append(f"  negmas {name}: {theirs}{more}{verdict.get(sol['agree'], '')}")
    return out


def _plain(run: Run) -> dict[str, Any]:
    """A run for --json: the numbers, without the frontier itself."""
    data = dict(run.data or {})
    data.pop("frontier", None)
    return {
        "side": run.side,
        "process_s": None if math.isinf(run.process_s) else run.process_s,
        "analyze_s": None if math.isinf(run.analyze_s) else run.analyze_s,
        "analyze_mib": run.analyze_mib,
        "import_s": None if math.isinf(run.import_s) else run.import_s,
        "solve_s": None if math.isinf(run.solve_s) else run.solve_s,
        "peak_mib": run.peak_mib,
        "times": run.times,
        "stopped_after": run.stopped_after,
        "error": run.error,
        "skipped": run.skipped,
        "data": data,
    }


def negmas_interpreter(args: argparse.Namespace) -> tuple[str | None, str]:
    """The negmas interpreter and negmas's version there, or None and why negmas is skipped."""
    if args.skip_negmas:
        return None, "--skip-negmas"
    python = Path(args.negmas_python) if args.negmas_python else DEFAULT_NEGMAS_PYTHON
    if not python.exists():
        return None, (
            f"no interpreter at {python}; create one with `python3 -m venv bench/.negmas-venv && "
            "bench/.negmas-venv/bin/pip install 'negmas==0.16.*'` or pass --negmas-python"
        )
    ask = "from importlib.metadata import version; print(version('negmas'))"
    found = subprocess.run([python, "-c", ask], capture_output=True, text=True, check=False)
    if found.returncode != 0:
        return None, f"negmas is not installed for {python}"
    return str(python), found.stdout.strip()


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--worker" and sys.argv[2] in SIDES:
        worker_main(*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--domains", nargs="+", default=list(DOMAINS), metavar="NAME")
    parser.add_argument("--repeat", type=int, default=1, help="runs per side (default 1)")
    parser.add_argument("--skip-negmas", action="store_true", help="run nposition only")
    parser.add_argument("--negmas-python", metavar="PATH", help="an interpreter with negmas")
    parser.add_argument("--genius", type=Path, default=DEFAULT_GENIUS, metavar="DIR")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per run (900)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    domains = [find_domain(args.genius / name) for name in args.domains]
    negmas_python, version = negmas_interpreter(args)
    if negmas_python is None:
        print(f"negmas side skipped: {version}", file=sys.stderr)

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="nposition-bench-") as tmp:
        for domain in domains:
            print(f"{domain.name} ({domain.size:,} packages) ...", file=sys.stderr, flush=True)
            np_run = measure(
                "nposition", sys.executable, domain, args.repeat, args.timeout, Path(tmp)
            )
            if negmas_python is None:
                ng_run = Run("negmas", skipped=version)
            else:
                ng_run = measure(
                    "negmas", negmas_python, domain, args.repeat, args.timeout, Path(tmp)
                )
            row: dict[str, Any] = {"domain": domain, "nposition": np_run, "negmas": ng_run}
            if np_run.ok() and ng_run.ok():
                row["compare"] = compare(np_run, ng_run)
            rows.append(row)
            for run in (np_run, ng_run):
                print(
                    f"  {run.side}: solve {_seconds(run, 'solve_s')}", file=sys.stderr, flush=True
                )

    versus = f"negmas {version} ({negmas_python})" if negmas_python else "negmas (not run)"
    print(f"\nnposition vs {versus}; seconds are the fastest of {args.repeat}")
    print(report(rows))
    print()
    for row in rows:
        print("\n".join(details(row)))
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "domain": r["domain"].name,
                        "packages": r["domain"].size,
                        "parties": len(r["domain"].profiles),
                        "nposition": _plain(r["nposition"]),
                        "negmas": _plain(r["negmas"]),
                        "compare": r.get("compare"),
                        "negmas_version": version if negmas_python else None,
                    }
                    for r in rows
                ],
                indent=2,
            )
        )
    if any(r["nposition"].error or r["negmas"].error for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
