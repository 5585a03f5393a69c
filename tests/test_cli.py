"""CLI behaviour: exit codes, formats and messages of every command, through typer's runner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nposition.cli import app
from nposition.formats.case_file import load_case
from nposition.render.json import data
from nposition.reports.analysis import analyze

runner = CliRunner()


def run(cases: Path, *args: str, case: str = "mini"):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--positions", str(cases), "--case", case, *args])


def test_version() -> None:
    """`--version` prints the package version and exits 0."""
    from nposition import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"nposition {__version__}"


def test_validate_ok(cases: Path) -> None:
    """A valid case validates with exit 0 and says so."""
    result = run(cases, "validate")
    assert result.exit_code == 0, result.output
    assert "case 'mini': valid (0 errors, 0 warnings)" in result.stdout


def test_validate_json_lists_problems(cases: Path, tmp_path: Path) -> None:
    """`validate --format json` gives file, line, column, severity and message of each problem."""
    shutil.copytree(cases / "mini", tmp_path / "mini")
    buyer = tmp_path / "mini" / "buyer.yaml"
    buyer.write_text(buyer.read_text().replace("require: price < high", "require: price < hihg"))
    result = run(tmp_path, "validate", "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["ok"] is False
    [problem] = data["problems"]
    assert problem["file"].endswith("buyer.yaml")
    assert (problem["line"], problem["column"], problem["severity"]) == (8, 22, "error")
    assert problem["message"] == (
        "rule 'not-high': unknown option 'hihg' for issue 'price' (did you mean 'high'?)"
    )


def test_validate_strict_fails_on_warnings(cases: Path, tmp_path: Path) -> None:
    """Warnings keep exit 0 unless --strict, which makes them exit 2."""
    shutil.copytree(cases / "mini", tmp_path / "mini")
    seller = tmp_path / "mini" / "seller.yaml"
    seller.write_text(
        seller.read_text().replace(
            "when: warranty == basic", "when: warranty == basic and warranty == none"
        )
    )
    assert run(tmp_path, "validate").exit_code == 0
    result = run(tmp_path, "validate", "--strict")
    assert result.exit_code == 2
    assert (
        "rule 'basic-means-slow' of seller never applies" in result.stderr
    )  # diagnostics go to stderr


def test_unknown_case_is_usage_error(cases: Path) -> None:
    """An unknown case name exits 2 with the known cases listed, no traceback."""
    result = run(cases, "analyze", case="nope")
    assert result.exit_code == 2
    assert "no case 'nope'" in result.stderr
    assert "known: mini" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_option_exits_2(cases: Path) -> None:
    """An unknown command-line option is a usage error (exit 2)."""
    result = run(cases, "analyze", "--bogus")
    assert result.exit_code == 2
    assert "No such option: --bogus" in result.output


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_show_formats(cases: Path, fmt: str) -> None:
    """`show` and `show PARTY` work in every format and name every rule with its source."""
    result = run(cases, "show", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "warranty" in result.stdout
    result = run(cases, "show", "seller", "--format", fmt)
    assert result.exit_code == 0, result.output
    for rule in ("not-low", "full-warranty-costs", "basic-means-slow", "high-price"):
        assert rule in result.stdout
    assert "Sales director" in result.stdout


def test_show_party_json_is_the_model(cases: Path) -> None:
    """`show PARTY --format json` lists the party's rules with kind, expression and source."""
    data = json.loads(run(cases, "show", "buyer", "--format", "json").stdout)
    assert [r["key"] for r in data["rules"]] == [
        "buyer/not-high",
        "buyer/warranty-needed",
        "buyer/fast-delivery",
        "buyer/low-price",
    ]
    first = data["rules"][0]
    assert (first["kind"], first["require"], first["cost"]) == ("red_line", "price < high", 2)
    assert data["rules"][2]["weight"] == 2
    assert data["rules"][2]["source"]["paraphrase"] is True


def test_show_unknown_party(cases: Path) -> None:
    """An unknown party exits 2 with a suggestion."""
    result = run(cases, "show", "buyr")
    assert result.exit_code == 2
    assert "unknown party 'buyr' (did you mean 'buyer'?)" in result.stderr


def test_analyze_json_matches_library(cases: Path) -> None:
    """The CLI's JSON is exactly the library result's serialization (parity)."""
    result = run(cases, "analyze", "--format", "json")
    assert result.exit_code == 0, result.output
    expected = data(analyze(load_case(cases / "mini")))
    assert json.loads(result.stdout) == expected


def test_analyze_json_is_deterministic(cases: Path) -> None:
    """Two runs give byte-identical JSON."""
    first = run(cases, "analyze", "--format", "json").stdout
    assert first == run(cases, "analyze", "--format", "json").stdout


def test_analyze_table_and_markdown(cases: Path) -> None:
    """The table starts with the verdict; markdown has a heading and pipe tables."""
    table = run(cases, "analyze").stdout
    assert table.splitlines()[1].startswith("1 package satisfies the red lines of Buyer and Seller")
    markdown = run(cases, "analyze", "--format", "markdown").stdout
    assert markdown.startswith("## A small two-party trade deal (mini)")
    assert "| issue | buyer | seller | common | status |" in markdown


def test_fail_on_conflict(cases: Path, tmp_path: Path) -> None:
    """`--fail-on-conflict` exits 1 only when the zone is empty."""
    assert run(cases, "analyze", "--fail-on-conflict").exit_code == 0
    shutil.copytree(cases / "mini", tmp_path / "mini")
    seller = tmp_path / "mini" / "seller.yaml"
    seller.write_text(seller.read_text().replace("require: price >= mid", "require: price >= high"))
    result = run(tmp_path, "analyze", "--fail-on-conflict", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["zone"]["size"] == 0
    assert data["conflicts"][0]["rules"] == ["buyer/not-high", "seller/not-low"]


def test_explain_full_package(cases: Path) -> None:
    """`explain` on a full package reports each rule held or broken."""
    result = run(
        cases, "explain", "price=low", "delivery=fast", "warranty=basic", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    status = {r["rule"]: r["status"] for p in data["parties"] for r in p["rules"]}
    assert status["seller/not-low"] == "broken"
    assert status["seller/basic-means-slow"] == "broken"
    assert status["seller/full-warranty-costs"] == "n/a"
    assert status["buyer/not-high"] == "held"
    assert data["completions"] == 1
    assert data["accepted_by_all"] == 0


def test_explain_partial_package(cases: Path) -> None:
    """A partial package is explained over its completions."""
    data = json.loads(run(cases, "explain", "price=mid", "--format", "json").stdout)
    assert data["free"] == ["delivery", "warranty"]
    assert data["completions"] == 6
    assert data["accepted_by_all"] == 1
    status = {r["rule"]: r["status"] for p in data["parties"] for r in p["rules"]}
    assert status["buyer/warranty-needed"] == "depends"
    assert status["seller/full-warranty-costs"] == "depends"


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("pric=low", "unknown issue 'pric' (did you mean 'price'?)"),
        ("price=lo", "unknown option 'lo' for issue 'price' (did you mean 'low'?)"),
        ("price", "'price': expected ISSUE=OPTION"),
    ],
)
def test_explain_bad_package(cases: Path, arg: str, message: str) -> None:
    """A bad KEY=OPTION argument exits 2 with a precise message."""
    result = run(cases, "explain", arg)
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize("kind", ["case", "party", "scenario"])
def test_schema(kind: str) -> None:
    """`schema KIND` prints a JSON Schema object."""
    result = runner.invoke(app, ["schema", kind])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["$schema"].startswith("https://json-schema.org/")
    assert data["type"] == "object"


def test_space_too_large_is_refused(cases: Path) -> None:
    """A space over --max-packages is refused at once with exit 2."""
    result = (
        run(cases, "--max-packages", "10", "analyze")
        if False
        else runner.invoke(
            app, ["--positions", str(cases), "--case", "mini", "--max-packages", "10", "analyze"]
        )
    )
    assert result.exit_code == 2
    assert "the outcome space has 18 packages (3 x 2 x 3); the limit is 10" in result.stderr


def test_sensitivity_is_seeded(cases: Path) -> None:
    """`--sensitivity N --seed S` counts N runs, and the same seed gives the same JSON."""
    args = ("analyze", "--sensitivity", "30", "--seed", "7", "--format", "json")
    first = run(cases, *args).stdout
    assert first == run(cases, *args).stdout
    data = json.loads(first)["sensitivity"]
    assert data["runs"] == 30
    assert sum(n["count"] for n in data["nash"]) + data["no_solution"] == 30


def test_analyze_reports_solutions(cases: Path) -> None:
    """The zone's single package is every solution, and the frontier."""
    data = json.loads(run(cases, "analyze", "--format", "json").stdout)["solutions"]
    assert data["basis"] == "zone"
    assert data["pareto_size"] == 1
    deal = {"price": "mid", "delivery": "slow", "warranty": "basic"}
    for name in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
        assert data[name]["package"] == deal


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_compare_diff_check_formats(cases: Path, fmt: str) -> None:
    """compare, diff and check run in every format; check passes on the mini case's expectations."""
    for args in (("compare",), ("diff", "baseline", "buyer-hardline"), ("check",)):
        result = run(cases, *args, "--format", fmt)
        assert result.exit_code == 0, (args, result.output)


def test_compare_json_is_baseline_first(cases: Path) -> None:
    """`compare --format json` is a list of analyses, baseline first, then the scenarios by name."""
    data = json.loads(run(cases, "compare", "--format", "json").stdout)
    assert [d["scenario"] for d in data] == [None, "buyer-hardline", "seller-flexible"]
    assert [d["zone"]["size"] for d in data] == [1, 0, 2]
    assert data[1]["solutions"]["basis"] == "concession"


def test_diff_reports_changes(cases: Path) -> None:
    """`diff` lists changed rules, packages leaving the zone and the new conflict."""
    data = json.loads(run(cases, "diff", "baseline", "buyer-hardline", "--format", "json").stdout)
    assert [(r["rule"], r["change"]) for r in data["rules"]] == [
        ("buyer/low-only", "added"),
        ("buyer/warranty-needed", "changed"),
    ]
    assert data["leaving"]["size"] == 1
    assert data["entering"]["size"] == 0
    assert [c["rules"] for c in data["conflicts_new"]] == [["buyer/low-only", "seller/not-low"]]


def test_check_fails_on_a_false_expectation(cases: Path, tmp_path: Path) -> None:
    """A false expectation exits 1 and says what was found; a true one passes; JUnit XML parses."""
    import xml.etree.ElementTree as ET

    checks = tmp_path / "checks.yaml"
    checks.write_text(
        "checks:\n"
        "  - {id: wrong, zone: empty, because: deliberately false}\n"
        "  - {id: right, zone_size_at_least: 1}\n"
    )
    junit = tmp_path / "junit.xml"
    result = run(cases, "check", str(checks), "--junit", str(junit), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["passed"], data["failed"]) == (1, 1)
    wrong = data["checks"][0]
    assert (wrong["passed"], wrong["found"]) == (False, "zone of 1 package")
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    failure = suite.find("testcase[@name='wrong']/failure")
    assert failure is not None
    assert failure.get("message") == "expected zone empty; found zone of 1 package"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("checks:\n  - {id: a, zone: emtpy}\n", "zone must be empty or nonempty, not 'emtpy'"),
        (
            "checks:\n  - {id: a, scenario: seller-flexibel, zone: empty}\n",
            "unknown scenario 'seller-flexibel'",
        ),
        ("checks:\n  - {id: a, conflict: [buyer/not-hihg]}\n", "unknown red line 'buyer/not-hihg'"),
        (
            "checks:\n  - {id: a, acceptable: {party: sellr, package: {price: mid}}}\n",
            "unknown party 'sellr'",
        ),
        (
            "checks:\n  - {id: a, acceptable: {package: {prise: mid}}}\n",
            "unknown key 'prise' (did you mean 'price'?)",
        ),
        ("checks:\n  - {id: a, zone: empty, zone_size_at_least: 2}\n", "give exactly one of"),
        ("checks:\n  - {id: a, zone: empty, expect: x}\n", "unknown key 'expect'"),
    ],
)
def test_check_file_typos_exit_2(cases: Path, tmp_path: Path, text: str, message: str) -> None:
    """A typo in a checks file is a located error (exit 2), never a silent pass."""
    checks = tmp_path / "checks.yaml"
    checks.write_text(text)
    result = run(cases, "check", str(checks))
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert str(checks) in result.stderr


def test_a_check_without_party_speaks_of_all_parties_together(cases: Path, tmp_path: Path) -> None:
    """`unacceptable` without a party: no completion is acceptable to all of them at once, which
    the report says, not "to every party" (the seller alone rejects a low price here)."""
    checks = tmp_path / "checks.yaml"
    checks.write_text("checks:\n  - {id: a, unacceptable: {package: {price: low}}}\n")
    result = run(cases, "check", str(checks))
    assert result.exit_code == 0, result.output
    assert "not acceptable to all parties together" in result.output
    assert "every party" not in result.output
    checks.write_text("checks:\n  - {id: a, acceptable: {party: buyer, package: {price: low}}}\n")
    assert run(cases, "check", str(checks)).exit_code == 0


def test_the_verdict_under_by_names_who_concedes() -> None:
    """With --by, the verdict's cheapest concession is the one by those parties alone."""
    result = runner.invoke(app, ["analyze", "--by", "japan", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "The cheapest concession by japan alone is" in result.output
    plain = runner.invoke(app, ["analyze", "--format", "json"])
    assert "alone" not in plain.output.split('"verdict"')[1].split("\n")[0]
