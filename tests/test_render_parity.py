"""Format parity: every report renders as table, JSON and Markdown, and the values the JSON holds
show in the table and the Markdown too, so a field cannot appear in one format and not another."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nposition.formats.genius_import import import_genius
from nposition.model.case import number
from nposition.render import Format, emit, table
from nposition.render.json import data
from nposition.workspace import Workspace

from .conftest import CASES, REPO, TESTS

KURIL = REPO / "positions" / "kuril"
MINI = CASES / "mini"
KURIL_PACKAGE = (
    "sovereignty_recognition=dispute_acknowledged",
    "islands_transferred=habomai_shikotan",
    "transfer_nature=administrative_only",
    "base_restrictions=political_assurance",
    "handover_timing=after_treaty",
    "legal_basis=declaration_1956",
    "joint_activity=joint_projects",
)


def _reports(folder: Path) -> Iterator[tuple[str, Callable[[], Any]]]:
    """Every report of a case, by name, computed when asked (the workspace caches analyses)."""
    ws = Workspace.at(folder)
    first, last = ws.scenario_names[0], ws.scenario_names[-1]
    yield "validate", ws.validate
    yield "show", ws.show
    for party in sorted(p.stem for p in folder.glob("*.yaml") if p.stem not in ("case", "checks")):
        yield f"show {party}", lambda party=party: ws.show(party)
    yield "analyze", ws.analysis
    yield "analyze --sensitivity", lambda: ws.analysis(sensitivity_runs=5, seed=1)
    for name in ws.scenario_names:
        yield f"analyze --scenario {name}", lambda name=name: ws.analysis(name)
    yield "compare", ws.compare
    yield f"diff baseline {first}", lambda: ws.diff("baseline", first)
    yield f"diff {first} {last}", lambda: ws.diff(first, last)
    yield "explain partial", lambda: ws.explain([_first_option(ws)])
    yield "explain none", lambda: ws.explain([], last)
    yield "check", ws.check


def _first_option(ws: Workspace) -> str:
    issue = ws.base.issues[0]
    return f"{issue.id}={issue.options[-1].id}"


REPORTS: dict[str, Callable[[], Any]] = {
    **{f"kuril {name}": build for name, build in _reports(KURIL)},
    **{f"mini {name}": build for name, build in _reports(MINI)},
    "kuril explain full": lambda: Workspace.at(KURIL).explain(list(KURIL_PACKAGE)),
    "invalid validate": Workspace.at(TESTS / "data" / "invalid" / "multiple-errors").validate,
}


def _render(report: Any, fmt: Format, monkeypatch: pytest.MonkeyPatch) -> str:
    # Plain tables wrap long cells; unwrapped, a value reads as one string in the text.
    monkeypatch.setattr(table, "MAX_CELL", 10_000)
    out = io.StringIO()
    emit(report, fmt, out)
    return out.getvalue()


# --- the values of each report's JSON that a reader must find in every format ---------------


def _packages(p: dict[str, str] | None) -> list[str]:
    # an issue that does not apply is null in JSON and left out of a package in tables (DESIGN 2.1)
    return [f"{issue}={option}" for issue, option in (p or {}).items() if option is not None]


def _point(point: dict[str, Any] | None) -> list[str]:
    if point is None:
        return []
    return _packages(point["package"]) + [f"{u:.3f}" for u in point["utilities"].values()]


def _zone(z: dict[str, Any]) -> list[str]:
    values = [f"{z['size']:,}"]
    for box in z["boxes"]:
        values += [
            f"{issue} {'in' if len(o) > 1 else '='} {', '.join(o)}" for issue, o in box.items()
        ]
    for p in z["packages"]:
        values += [*p, *p.values()]
    return values


def _conflict(c: dict[str, Any]) -> list[str]:
    return [*c["rules"], *c["issues"], *(s["who"] for s in c["sources"])]


def _concession(c: dict[str, Any]) -> list[str]:
    values = [*c["drop"], str(c["cost"]), f"{c['zone_size']:,}", *_packages(c["best_package"])]
    return values + [f"{u:.3f}" for u in (c["best_utilities"] or {}).values()]


def _analysis(a: dict[str, Any]) -> list[str]:
    values = [a["case"], a["title"], a["verdict"], f"{a['space']['size']:,}"]
    values += [v for v in (a["scenario"], a["scenario_title"]) if v]
    for p in a["parties"]:
        values += [p["id"], p["name"], f"{p['acceptable']:,}", str(p["red_lines"])]
    for i in a["issues"]:
        values += [i["id"], i["status"], *i["common"]]
    values += _zone(a["zone"])
    for c in a["conflicts"]:
        values += _conflict(c)
    for c in a["concessions"]:
        values += _concession(c)
    if s := a["solutions"]:
        values += [*s["concession"], f"{s['candidates']:,}", f"{s['pareto_size']:,}"]
        values += [str(d) for d in s["disagreement"].values()]
        for name in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
            values += _point(s[name])
    if s := a["sensitivity"]:
        values += [str(s["runs"]), str(s["seed"])]
        for n in s["nash"]:
            values += [*_packages(n["package"]), str(n["count"])]
    return values


def _comparison(c: list[dict[str, Any]]) -> list[str]:
    values = [c[0]["case"]]
    for a in c:
        values += [a["scenario"] or "baseline", f"{a['zone']['size']:,}"]
        values += [a["scenario_title"]] if a["scenario_title"] else []
        values += [f"{p['acceptable']:,}" for p in a["parties"]]
        if a["concessions"]:
            values += [*a["concessions"][0]["drop"], str(a["concessions"][0]["cost"])]
        if a["solutions"]:
            values += _point(a["solutions"]["nash"])
    return values


def _diff(d: dict[str, Any]) -> list[str]:
    values = [d["case"], d["a"], d["b"]]
    values += [f"{d['zone_size'][k]:,} package" for k in "ab"]
    values += [f"{d['conflict_count']['a']} -> {d['conflict_count']['b']}"]
    for r in d["rules"]:
        values += [r["rule"], r["change"], *r["before"].splitlines(), *r["after"].splitlines()]
    values += _zone(d["entering"]) if d["entering"]["size"] else []
    values += _zone(d["leaving"]) if d["leaving"]["size"] else []
    for c in d["conflicts_resolved"] + d["conflicts_new"]:
        values += _conflict(c)
    for c in d["concessions_gone"] + d["concessions_new"]:
        values += _concession(c)
    for s in d["solutions"].values():
        if s["changed"]:
            values += _point(s["a"]) + _point(s["b"])
    return values


def _explanation(e: dict[str, Any]) -> list[str]:
    values = [e["case"], *_packages(e["package"]), *e["free"], f"{e['accepted_by_all']:,}"]
    values += [e["scenario"]] if e["scenario"] else []
    values += [f"{e['completions']:,}"] if e["free"] else []
    for p in e["parties"]:
        values += [p["id"], p["name"]]
        values += [f"{p['accepted']:,}"] if e["free"] else []
        values += [f"{p['utility']:.3f}"] if p["utility"] is not None else []
        for r in p["rules"]:
            values += [r["rule"].split("/")[1], r["status"], r["text"], r["require"]]
            values += [r["source"]["who"]]
            values += [r["when"]] if r["when"] else []
            values += [f"{r['broken_in']:,}"] if e["free"] else []
    return values


def _issues(c: dict[str, Any]) -> list[str]:
    values = [c["case"], c["title"], c["description"], f"{c['size']:,}"]
    for i in c["issues"]:
        values += [i["id"], i["title"], i["description"]]
        for o in i["options"]:
            values += [o["id"], o["label"]]
    for p in c["parties"]:
        values += [p["id"], p["name"], p["as_of"], str(p["red_lines"]), str(p["preferences"])]
    for d in c["documents"]:
        values += [d["id"], d["title"], d["date"], d["note"]]
    values += _packages(c["status_quo"])
    return values


def _party(p: dict[str, Any]) -> list[str]:
    values = [p["id"], p["name"], p["as_of"]]
    values += [str(p["reservation"])] if p["reservation"] is not None else []
    for r in p["rules"]:
        values += [r["id"], r["kind"].replace("_", " "), r["text"], r["require"]]
        values += [r["when"]] if r["when"] else []
        values += [str(r["cost"]) if "cost" in r else str(r["weight"])]
        s = r["source"]
        values += [s["who"], s["date"], s["where"], s["quote"], s["document"], s["url"]]
    return values


def _checks(r: dict[str, Any]) -> list[str]:
    values = [r["case"], r["file"], f"{r['passed']} passed", f"{r['failed']} failed"]
    for c in r["checks"]:
        values += [c["id"], c["scenario"], c["expected"], c["found"]]
        values += ["pass" if c["passed"] else "fail"]
    return values


def _validation(v: dict[str, Any]) -> list[str]:
    values = [v["case"], f"{v['errors']} error", f"{v['warnings']} warning"]
    values += ["invalid" if v["errors"] else "valid"]
    for p in v["problems"]:
        values += [f"{p['file']}:{p['line']}:{p['column']}", p["message"], p["detail"]]
    return values


def _summary(s: dict[str, Any]) -> list[str]:
    values = [s["case"], s["out"], f"{len(s['issues'])} issues", *s["parties"], f"{s['size']:,}"]
    return values + s["notes"]


VALUES: dict[str, Callable[[Any], list[str]]] = {
    "Analysis": _analysis,
    "Comparison": _comparison,
    "Diff": _diff,
    "Explanation": _explanation,
    "IssuesView": _issues,
    "PartyView": _party,
    "CheckReport": _checks,
    "Validation": _validation,
    "ImportSummary": _summary,
}


def _assert_parity(report: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _render(report, Format.JSON, monkeypatch)
    parsed = json.loads(text)
    assert parsed == data(report)
    values = [v for v in VALUES[type(report).__name__](parsed) if v]
    assert values
    for fmt in (Format.TABLE, Format.MARKDOWN):
        shown = _render(report, fmt, monkeypatch)
        missing = [v for v in values if v not in shown]
        assert not missing, f"{fmt.value} lacks {missing[:5]}"


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_format_shows_the_json_values(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each report's JSON parses and its key values appear in the table and the Markdown too."""
    _assert_parity(REPORTS[name](), monkeypatch)


def test_import_summary_in_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The import-genius summary, notes included, is a report like the others in every format."""
    folder = TESTS / "data" / "genius" / "Laptop"
    profiles = [folder / "laptop_buyer_utility.xml", folder / "laptop_seller_utility.xml"]
    summary = import_genius(folder / "laptop_domain.xml", profiles, tmp_path / "laptop")
    assert summary.notes  # the Laptop profiles' weights do not sum to 1
    _assert_parity(summary, monkeypatch)


def test_the_analysis_json_has_the_case_title() -> None:
    """The analyze JSON carries the case title, which the table's heading shows."""
    result = Workspace.at(MINI).analysis()
    assert data(result)["title"] == "A small two-party trade deal"


def test_json_numbers_are_formatted_in_one_place() -> None:
    """Results hold raw numbers; the JSON shows integral ones as ints and others to 6 decimals."""
    result = Workspace.at(KURIL).analysis()
    assert result.solutions is not None
    raw = next(iter(result.solutions.disagreement.values()))
    assert isinstance(raw, float)
    shown = data(result)["solutions"]["disagreement"]
    assert list(shown.values()) == [number(d) for d in result.solutions.disagreement.values()]
