"""Hostile and careless input: every class of attack or slip found so far, kept green from here on.

Each test names the class it guards. Bad input is exit 2 with a located message, never a traceback
(exit 3), a hang, a wrong answer with exit 0, or a damaged file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nposition.cli import app, global_options_first

from .conftest import CASES, REPO

GENIUS = Path(__file__).parent / "data" / "genius" / "Laptop"
runner = CliRunner()


def run(*args: str, positions: Path = CASES, case: str = "mini"):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--positions", str(positions), "--case", case, *args])


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the mini case."""
    return Path(shutil.copytree(CASES / "mini", tmp_path / "mini"))


CODE = "import sys; from nposition.cli import main; sys.argv[0] = 'nposition'; main()"


def cli(*args: str, stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    """The installed entry point in a fresh process (for what only a real process shows)."""
    return subprocess.run(
        [sys.executable, "-c", CODE, *args],
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        cwd=REPO,
        check=False,
    )


# --- files that are not files ------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_profile_is_refused_not_read(tmp_path: Path) -> None:
    """A FIFO named like a GENIUS profile is refused at once (reading it would block forever)."""
    fifo = tmp_path / "profile.xml"
    os.mkfifo(fifo)
    result = runner.invoke(
        app,
        [
            "import-genius",
            str(GENIUS / "laptop_domain.xml"),
            str(fifo),
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 2
    assert f"{fifo}: not a regular file (a pipe, device or socket)" in result.stderr
    assert not (tmp_path / "o").exists()


def test_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    """A profile that links to /dev/zero is refused before a single byte is read."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    link = tmp_path / "zero.xml"
    link.symlink_to("/dev/zero")
    result = runner.invoke(
        app,
        [
            "import-genius",
            str(GENIUS / "laptop_domain.xml"),
            str(link),
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 2
    assert "not a regular file" in result.stderr


# --- the environment ---------------------------------------------------------------------------


def test_max_packages_env_with_a_unicode_digit(monkeypatch: pytest.MonkeyPatch) -> None:
    """NPOSITION_MAX_PACKAGES=² passes str.isdigit() but is no number: exit 2, not a crash."""
    monkeypatch.setenv("NPOSITION_MAX_PACKAGES", "²")
    result = run("analyze")
    assert result.exit_code == 2
    assert "NPOSITION_MAX_PACKAGES='²': expected a positive whole number" in result.stderr


def test_output_to_a_full_disk_is_exit_2() -> None:
    """A report written to a full disk (/dev/full) is a clear message and exit 2, not a bug."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        done = cli("validate", stdout=full)
    assert done.returncode == 2, done.stderr
    assert "cannot write the output: No space left on device" in done.stderr


def test_closed_stdout_is_exit_2() -> None:
    """Started with standard output closed, a command says so on stderr and exits 2."""
    command = f'exec "{sys.executable}" -c "$0" validate >&-'
    done = subprocess.run(
        ["sh", "-c", command, CODE.replace('"', "'")],
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "standard output is closed" in done.stderr


def test_broken_pipe_is_not_an_internal_error() -> None:
    """A reader that goes away early (`| head`) never turns into exit 3 or a traceback."""
    with subprocess.Popen(
        [sys.executable, "-c", CODE, "compare", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdout.read(1)
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        code = proc.wait(timeout=60)
    assert code in (0, 141), stderr
    assert "Traceback" not in stderr
    assert "internal error" not in stderr


# --- outputs that would damage inputs ----------------------------------------------------------


def test_junit_over_the_checks_file_is_refused(mini: Path) -> None:
    """`check --junit` onto the checks file (or any input of the case) is refused, file intact."""
    checks = mini / "checks.yaml"
    before = checks.read_bytes()
    for target in (checks, mini / "buyer.yaml"):
        result = run("check", "--junit", str(target), positions=mini.parent)
        assert result.exit_code == 2
        assert target.read_bytes() == before if target == checks else True
    result = run("check", "--junit", str(checks.with_suffix(".xml")), positions=mini.parent)
    assert result.exit_code in (0, 1), result.output
    assert checks.read_bytes() == before


def test_junit_needs_an_xml_suffix(mini: Path) -> None:
    """A JUnit report goes to a .xml file; anything else is refused before anything is written."""
    result = run("check", "--junit", str(mini / "report.txt"), positions=mini.parent)
    assert result.exit_code == 2
    assert "the JUnit report must be .xml" in result.stderr
    assert not (mini / "report.txt").exists()


def test_force_onto_a_symlink_is_refused(tmp_path: Path) -> None:
    """`import-genius --out LINK --force` refuses a symbolic link and changes nothing."""
    real = tmp_path / "real"
    real.mkdir()
    (real / "case.yaml").write_text("old")
    link = tmp_path / "link"
    link.symlink_to(real)
    result = runner.invoke(app, [*_laptop(link), "--force"])
    assert result.exit_code == 2
    assert "is a symbolic link" in result.stderr
    assert link.is_symlink()
    assert (real / "case.yaml").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_force_keeps_what_the_import_does_not_own(tmp_path: Path) -> None:
    """A re-import with --force replaces the imported files and keeps checks, scenarios and .git."""
    out = tmp_path / "laptop"
    assert runner.invoke(app, _laptop(out)).exit_code == 0
    (out / "checks.yaml").write_text("checks: []\n")
    (out / "scenarios").mkdir()
    (out / "scenarios" / "s.yaml").write_text("scenario: s\n")
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    result = runner.invoke(app, [*_laptop(out), "--force"])
    assert result.exit_code == 0, result.output
    assert (out / "checks.yaml").read_text() == "checks: []\n"
    assert (out / "scenarios" / "s.yaml").read_text() == "scenario: s\n"
    assert (out / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["laptop"]


def _laptop(out: Path) -> list[str]:
    return [
        "import-genius",
        str(GENIUS / "laptop_domain.xml"),
        str(GENIUS / "laptop_buyer_utility.xml"),
        str(GENIUS / "laptop_seller_utility.xml"),
        "--out",
        str(out),
    ]


# --- scenario files that would be silently ignored ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("baseline.yaml", "'baseline' is the case as written, not a scenario; rename the file"),
        ("seller-flexible.yml", "scenario 'seller-flexible' is also seller-flexible.yaml"),
    ],
)
def test_shadowed_scenario_files_are_errors(mini: Path, name: str, message: str) -> None:
    """A scenario file that another name would hide is an error, from validate and from analyze."""
    shutil.copy(mini / "scenarios" / "seller-flexible.yaml", mini / "scenarios" / name)
    result = run("validate", positions=mini.parent)
    assert result.exit_code == 2
    assert message in result.output
    result = run("analyze", "--scenario", "seller-flexible", positions=mini.parent)
    assert result.exit_code == 2
    assert message in result.stderr


# --- arguments ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["../mini", "..", "mini/../mini", ""])
def test_case_outside_the_positions_folder_is_refused(case: str) -> None:
    """`--case` names a folder inside the positions folder, never a path out of it."""
    result = run("analyze", case=case)
    assert result.exit_code == 2
    assert "give the name of a case folder inside" in result.stderr


def test_empty_case_id_is_refused(tmp_path: Path) -> None:
    """`import-genius --id ''` is an error, not a silent fall-back to the folder name."""
    result = runner.invoke(app, [*_laptop(tmp_path / "x"), "--id", ""])
    assert result.exit_code == 2
    assert "the case id must not be empty" in result.stderr


def test_sensitivity_runs_are_capped() -> None:
    """`--sensitivity 1000000000` is refused at once instead of running for days."""
    result = run("analyze", "--sensitivity", "1000000000")
    assert result.exit_code == 2
    assert "0<=x<=100000" in result.output


def test_global_options_after_the_command() -> None:
    """`nposition analyze --case mini --positions DIR` works as if the options came first."""
    argv = ["analyze", "--format", "json", "--case", "mini", f"--positions={CASES}", "--debug"]
    assert global_options_first(argv) == [
        "--case",
        "mini",
        f"--positions={CASES}",
        "--debug",
        "analyze",
        "--format",
        "json",
    ]
    assert global_options_first(["--case", "analyze", "analyze"]) == [
        "--case",
        "analyze",
        "analyze",
    ]
    done = cli("analyze", "--format", "json", "--positions", str(CASES), "--case", "mini")
    assert done.returncode == 0, done.stderr
    assert '"case": "mini"' in done.stdout


# --- lints a modeller wants --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "date: 2024-01-01, where: Memo",
            "date: 2024-02-01, where: Memo",
            "the source is dated 2024-02-01, after the party's as_of 2024-01-03",
        ),
        (
            "date: 2024-01-01, where: Memo",
            "date: 2999-01-01, where: Memo",
            "the source is dated 2999-01-01, in the future",
        ),
        (
            'quote: "Never at the high price."',
            'quote: "Paraphrase: never at the high price."',
            "the quote reads as a paraphrase; mark it with `paraphrase: true`",
        ),
    ],
)
def test_doubtful_sources_are_warned(mini: Path, old: str, new: str, message: str) -> None:
    """A source dated after the party's as_of or in the future, or a paraphrase filed as a quote."""
    buyer = mini / "buyer.yaml"
    buyer.write_text(buyer.read_text().replace(old, new))
    result = run("validate", positions=mini.parent)
    assert f"buyer.yaml:5:5: warning: rule 'not-high' of buyer: {message}" in result.output
    assert run("validate", "--strict", positions=mini.parent).exit_code == 2


def test_validate_prints_problems_on_stderr(mini: Path) -> None:
    """`validate` writes located problems to stderr and only its verdict to stdout (JSON: stdout)."""
    buyer = mini / "buyer.yaml"
    buyer.write_text(buyer.read_text().replace("require: price < high", "require: price < hihg"))
    result = run("validate", positions=mini.parent)
    assert result.exit_code == 2
    assert "unknown option 'hihg'" in result.stderr
    assert "unknown option 'hihg'" not in result.stdout
    assert "case 'mini': invalid (1 error, 0 warnings)" in result.stdout
    assert (
        "unknown option 'hihg'" in run("validate", "--format", "json", positions=mini.parent).stdout
    )


# --- checks that could pass falsely ------------------------------------------------------------


def _checks(mini: Path, body: str) -> Path:
    (mini / "checks.yaml").write_text("checks:\n" + body)
    return mini


def test_no_conflict_over_rules_that_contain_a_conflict_fails(mini: Path) -> None:
    """`no_conflict` over several red lines that clash (a conflict among more) fails, by meaning."""
    _checks(
        mini,
        "  - id: c\n    scenario: buyer-hardline\n"
        "    no_conflict: [buyer/low-only, seller/not-low, buyer/not-high]\n",
    )
    result = run("check", positions=mini.parent)
    assert result.exit_code == 1, result.output
    assert "no package satisfies them together" in result.stdout


def test_conflict_is_decided_by_meaning_not_by_the_list_of_minimal_conflicts(mini: Path) -> None:
    """`conflict` over a clashing set that is not minimal passes: those lines cannot all hold."""
    _checks(
        mini,
        "  - id: c\n    scenario: buyer-hardline\n"
        "    conflict: [buyer/low-only, seller/not-low, buyer/not-high]\n",
    )
    assert run("check", positions=mini.parent).exit_code == 0


def test_cut_short_enumeration_fails_a_cost_check_loudly(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the search for concessions stops at its limit, a cost expectation fails and says why."""
    from nposition.engine import conflicts

    monkeypatch.setattr(conflicts, "DEFAULT_MAX_SETS", 1)
    monkeypatch.setattr(conflicts.dualize, "__defaults__", (1,))
    _checks(
        mini,
        "  - id: c\n    scenario: buyer-hardline\n    concession_cost_at_most: 2\n",
    )
    result = run("check", "--format", "json", positions=mini.parent)
    assert result.exit_code == 1, result.output
    assert "stopped at its limit" in result.stdout


# --- reports that mislead a newcomer -----------------------------------------------------------


def test_sensitivity_accounts_for_every_run() -> None:
    """Every run is in the sensitivity table (no solution too), and 1 in 200 is not shown as 0%."""
    from nposition.render.analysis_views import _sensitivity, share
    from nposition.reports.results import Package
    from nposition.reports.sensitivity import Sensitivity, Tally

    s = Sensitivity(200, 0, 0.5, 1.5, (Tally(Package(("a",), ("x",)), 150),), 1)
    rows = _sensitivity(s).rows
    assert sum(int(r[1].text) for r in rows) == 200
    assert [r[2].text for r in rows][-2:] == ["other packages", "no solution"]
    assert share(1, 200) == "0.5%"
    assert share(1, 5000) == "<0.1%"
    assert share(0, 200) == "0%"


# --- numbers past what means anything ----------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    weight: 2\n", "    weight: 1.0e+308\n", "weight 1e+308 must be > 0 and <= 1e+06"),
        ("    cost: 2\n", "    cost: 1.0e+308\n", "cost 1e+308 must be between 0 and 1e+06"),
    ],
)
def test_huge_weights_and_costs_are_refused(mini: Path, old: str, new: str, message: str) -> None:
    """Weights and costs past a million are refused where written, before any sum can overflow."""
    buyer = mini / "buyer.yaml"
    buyer.write_text(buyer.read_text().replace(old, new, 1))
    result = run("analyze", "--format", "json", positions=mini.parent)
    assert result.exit_code == 2
    assert message in result.stderr


def test_genius_profile_with_huge_weights_imports_as_with_normal_ones(tmp_path: Path) -> None:
    """Issue weights of 1e308 (which overflow a plain sum) give the same utilities as weights 1."""
    import re

    for name, weight in (("huge", "1e308"), ("plain", "1")):
        folder = tmp_path / name
        shutil.copytree(GENIUS, folder)
        for profile in ("laptop_buyer_utility.xml", "laptop_seller_utility.xml"):
            path = folder / profile
            text = re.sub(
                r'(<weight index="\d+" value=")[^"]*"', rf'\g<1>{weight}"', path.read_text()
            )
            path.write_text(text)
        result = runner.invoke(
            app,
            [
                "import-genius",
                str(folder / "laptop_domain.xml"),
                str(folder / "laptop_buyer_utility.xml"),
                str(folder / "laptop_seller_utility.xml"),
                "--out",
                str(tmp_path / f"{name}-case"),
            ],
        )
        assert result.exit_code == 0, result.output
    from nposition.render.json import data
    from nposition.workspace import Workspace

    huge = data(Workspace.at(tmp_path / "huge-case").analysis())
    plain = data(Workspace.at(tmp_path / "plain-case").analysis())
    assert huge["solutions"] == plain["solutions"]
    assert huge["parties"] == plain["parties"]


# --- files far under every limit that used to take minutes -------------------------------------


def test_thousands_of_options_and_rules_load(tmp_path: Path) -> None:
    """A case of 5,000 options and 2,500 rules loads and validates (bench/loader.py times it:
    reading is near-linear in the file's size, with no duplicate check or line count per item)."""
    sys.path.insert(0, str(REPO / "bench"))
    from loader import write_case  # the benchmark's own generator

    write_case(tmp_path / "big", 5000)
    result = run("validate", positions=tmp_path, case="big")
    assert result.exit_code == 0, result.output
    assert "case 'big': valid" in result.stdout


@pytest.fixture
def wages(tmp_path: Path) -> Path:
    """A writable copy of the version-2 wages case."""
    return Path(shutil.copytree(CASES / "wages", tmp_path / "wages"))


def test_constraint_testing_an_issue_where_it_does_not_apply_is_warned(wages: Path) -> None:
    """A constraint that removes packages only because it tests an n/a issue is warned, with
    the rewrite that limits it to where the issue applies."""
    case = wages / "case.yaml"
    case.write_text(
        case.read_text().replace(
            "require: wage_increase == pct_6 -> pension_rise == pen_0",
            "require: reopener != inflation_trigger or wage_increase <= pct_2",
        )
    )
    result = run("validate", positions=wages.parent, case="wages")
    assert "constraint 'budget' tests issue 'reopener'" not in result.output  # `!=` is true on n/a
    case.write_text(
        case.read_text().replace(
            "require: reopener != inflation_trigger or wage_increase <= pct_2",
            "require: reopener == none or wage_increase <= pct_2",
        )
    )
    result = run("validate", positions=wages.parent, case="wages")
    assert "constraint 'budget' tests issue 'reopener', which is n/a" in result.stderr
    assert "write `require: (term == two_years) -> (reopener == none" in result.stderr


def test_dated_scenario_keeping_a_later_source_is_warned(mini: Path) -> None:
    """A scenario dated before a rule's source warns: a snapshot holds positions of its date only."""
    path = mini / "scenarios" / "seller-flexible.yaml"
    path.write_text(path.read_text().replace("changes:", "as_of: 2023-06-01\nchanges:", 1))
    result = run("validate", positions=mini.parent)
    assert "scenario 'seller-flexible' is dated 2023-06-01, but keeps rule" in result.stderr


def test_strict_validation_says_invalid(mini: Path) -> None:
    """With --strict a warning is an error in the report itself, not only in the exit code."""
    buyer = mini / "buyer.yaml"
    buyer.write_text(
        buyer.read_text().replace("date: 2024-01-01, where: Memo", "date: 2999-01-01, where: Memo")
    )
    result = run("validate", "--strict", "--format", "json", positions=mini.parent)
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert (report["ok"], report["errors"], report["warnings"]) == (
        False,
        2,
        0,
    )  # future, after as_of


# --- control characters in what a position file says -------------------------------------------


def test_control_characters_never_reach_a_terminal_or_an_xml_file(mini: Path) -> None:
    """An escape sequence in a name, a text or a check is shown as `\\x1b` in tables, Markdown,
    error messages and JUnit, and every output file parses."""
    from xml.etree import ElementTree as ET

    buyer = mini / "buyer.yaml"
    text = buyer.read_text().replace("name: Buyer", 'name: "Buyer\\e[2J\\x01"')
    buyer.write_text(text.replace("text: The price must not be high", 'text: "High\\e]0;x\\a"'))
    checks = mini / "checks.yaml"
    checks.write_text(
        checks.read_text().replace(
            "because: Medium price, slow delivery, basic warranty suits both.",
            'because: "Medium\\e[31m price suits both."',
        )
    )
    for fmt in ("table", "markdown"):
        for command in (["analyze"], ["show", "buyer"], ["explain", "price=low"]):
            out = run(*command, "--format", fmt, positions=mini.parent).stdout
            assert "\x1b" not in out
            assert "\x01" not in out
            assert "\x07" not in out
    junit = mini / "report.xml"
    result = run("check", "--junit", str(junit), positions=mini.parent)
    assert "\x1b" not in result.output
    ET.parse(junit)
    plot = mini / "p.svg"
    assert run("plot", "--out", str(plot), positions=mini.parent).exit_code == 0
    ET.parse(plot)
    buyer.write_text(text.replace("require: price < high", 'require: "price < \\e[2Jhigh"'))
    result = run("validate", positions=mini.parent)
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert "\\x1b" in result.stderr


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            "buyer/fast-delivery",
            "'buyer/fast-delivery' is a preference; conflict is about red lines",
        ),
        ("seller/basic-means-slow", "scenario 'seller-flexible' drops 'seller/basic-means-slow'"),
    ],
)
def test_conflict_names_what_is_wrong_with_a_rule(mini: Path, rule: str, message: str) -> None:
    """Naming a preference, or a rule the scenario drops, says so (not "unknown red line")."""
    _checks(
        mini, f"  - id: c\n    scenario: seller-flexible\n    conflict: [{rule}, buyer/not-high]\n"
    )
    result = run("check", positions=mini.parent)
    assert result.exit_code == 2
    assert message in result.stderr


# --- the second red team's classes -------------------------------------------------------------


def test_empty_blocking_is_checked_and_empty_by_is_an_error(mini: Path) -> None:
    """`blocking: []` means nobody blocks (and is evaluated); `by: []` is a located error."""
    _checks(mini, "  - id: nobody\n    scenario: buyer-hardline\n    blocking: []\n")
    result = run("check", "--format", "json", positions=mini.parent)
    assert json.loads(result.stdout)["checks"][0]["id"] == "nobody"
    _checks(mini, "  - id: c\n    reachable: {package: {price: low}, by: []}\n")
    result = run("check", positions=mini.parent)
    assert result.exit_code == 2
    assert "name at least one party" in result.stderr


def test_a_case_whose_constraints_leave_no_package_is_refused(wages: Path) -> None:
    """Constraints that no package satisfies: analyze, check and scenarios exit 2, no crash."""
    case = wages / "case.yaml"
    case.write_text(
        case.read_text().replace(
            "require: wage_increase == pct_6 -> pension_rise == pen_0",
            "require: wage_increase == pct_6 and wage_increase == pct_0",
        )
    )
    for args in (
        ["analyze"],
        ["check"],
        ["analyze", "--scenario", "new-chief-executive"],
        ["validate"],
    ):
        result = run(*args, positions=wages.parent, case="wages")
        assert result.exit_code == 2, (args, result.output)
        assert "internal error" not in result.output


def test_values_past_what_a_number_holds_exactly_are_refused(wages: Path) -> None:
    """An option value with more significant digits than a double keeps is refused, located."""
    case = wages / "case.yaml"
    case.write_text(case.read_text().replace("value: 6}", "value: 6.0000000000000001}"))
    result = run("validate", positions=wages.parent, case="wages")
    assert result.exit_code == 2
    assert "has more than 15 significant digits" in result.stderr


def test_a_scenario_cannot_leave_a_fallback_stronger_than_its_rule(wages: Path) -> None:
    """A scenario that sets a rule's requirement past its fallback is an error, as in the file."""
    (wages / "scenarios" / "tight.yaml").write_text(
        "scenario: tight\ntitle: T\nrationale: R\nchanges:\n"
        "  - set: {rule: union/match-inflation, require: wage_increase >= pct_0}\n"
    )
    result = run("analyze", "--scenario", "tight", positions=wages.parent, case="wages")
    assert result.exit_code == 2
    assert "fallback 1" in result.stderr


def test_party_files_in_any_case_are_read_and_hidden_ones_ignored(mini: Path) -> None:
    """`SELLER.YAML` is a party file; `.seller.yaml` and `._buyer.yaml` are not read."""
    (mini / "seller.yaml").rename(mini / "SELLER.YAML")
    (mini / "._buyer.yaml").write_bytes(b"\x00\x05\x16\x07")
    result = run("analyze", "--format", "json", positions=mini.parent)
    assert result.exit_code == 0, result.output
    assert [p["id"] for p in json.loads(result.stdout)["parties"]] == ["buyer", "seller"]


def test_numbers_with_thousands_of_digits_are_refused(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 5,000-digit literal or NPOSITION_MAX_PACKAGES is a located error, not a crash."""
    buyer = mini / "buyer.yaml"
    buyer.write_text(
        buyer.read_text().replace("require: price < high", f"require: {'9' * 5000} > 0")
    )
    result = run("validate", positions=mini.parent)
    assert result.exit_code == 2
    assert "number with more than 30 digits" in result.stderr
    monkeypatch.setenv("NPOSITION_MAX_PACKAGES", "9" * 5000)
    assert run("analyze").exit_code == 2


def test_markup_in_a_name_is_text_at_a_terminal(mini: Path) -> None:
    """A party named `[/oops]` prints as is in a rich terminal table (no markup, no crash)."""
    import io

    from nposition.render.table import write
    from nposition.workspace import Workspace

    buyer = mini / "buyer.yaml"
    buyer.write_text(buyer.read_text().replace("name: Buyer", 'name: "[/oops] [bold]x"'))

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    write(Workspace.at(mini).show("buyer"), out)
    assert "[/oops] [bold]x" in out.getvalue()


def test_an_ascii_terminal_gets_escapes_not_a_crash() -> None:
    """With an ASCII output encoding, the bundled case's dashes print as escapes, exit 0."""
    done = subprocess.run(
        [sys.executable, "-c", CODE, "--case", "backstop", "analyze"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "\\u2013" in done.stdout


def test_a_search_for_concessions_that_explodes_stops_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twelve binary issues with opposite red lines: the search stops at its budget (seconds, not
    minutes), marks itself incomplete, and a zone check does not wait for it."""
    folder = tmp_path / "h"
    folder.mkdir()
    n = 12
    issues = "".join(
        f"  - {{id: i{k}, title: I, options: [{{id: o0, label: A}}, {{id: o1, label: B}}]}}\n"
        for k in range(n)
    )
    (folder / "case.yaml").write_text(f"case: h\ntitle: H\nissues:\n{issues}")
    for party, option in (("p1", "o0"), ("p2", "o1")):
        rules = "".join(
            f"  - {{id: r{k}{x}, kind: red_line, text: T, require: i{k} == {option}, "
            "source: {who: W, date: 2024-01-01, quote: Q}}\n"
            for k in range(n)
            for x in "ab"
        )
        (folder / f"{party}.yaml").write_text(f"party: {party}\nname: {party}\nrules:\n{rules}")
    (folder / "checks.yaml").write_text("checks:\n  - {id: z, zone: empty}\n")
    assert run("check", positions=tmp_path, case="h").exit_code == 0
    from nposition.engine import conflicts

    monkeypatch.setattr(conflicts, "MAX_WORK", 50_000)  # the budget itself; 2,000,000 takes seconds
    result = run("analyze", "--format", "json", positions=tmp_path, case="h")
    assert json.loads(result.stdout)["complete"] is False


def test_junit_survives_characters_xml_cannot_hold(mini: Path) -> None:
    """A check id with U+FFFF or a control character still gives a well-formed JUnit file."""
    from xml.etree import ElementTree as ET

    _checks(mini, '  - id: "bad\\uffff\\x01"\n    zone: empty\n')
    junit = mini / "r.xml"
    assert run("check", "--junit", str(junit), positions=mini.parent).exit_code == 1
    ET.parse(junit)


def test_import_never_replaces_its_own_inputs(tmp_path: Path) -> None:
    """A domain or profile inside --out is refused: --force would replace it with the case."""
    out = tmp_path / "laptop"
    shutil.copytree(GENIUS, out)
    before = sorted(p.name for p in out.iterdir())
    args = [
        "import-genius",
        *(str(out / n) for n in ("laptop_domain.xml", "laptop_buyer_utility.xml")),
        "--out",
        str(out),
        "--force",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "is inside --out" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == before


def test_seed_without_sensitivity_is_refused() -> None:
    """`--seed` alone would be silently ignored; it is a usage error instead."""
    result = run("analyze", "--seed", "3")
    assert result.exit_code == 2
    assert "--seed only applies with --sensitivity" in result.stderr


def test_json_stays_valid_json_on_an_ascii_terminal_and_escapes_c1(mini: Path) -> None:
    """JSON is valid on an ASCII output (escapes instead of `\\xe9`), and C1 controls and line
    separators are escaped in it rather than written raw."""
    buyer = mini / "buyer.yaml"
    buyer.write_text(buyer.read_text().replace("name: Buyer", 'name: "Caf\\xe9\\x9b2J"'))
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CODE,
            "--positions",
            str(mini.parent),
            "--case",
            "mini",
            "show",
            "-f",
            "json",
        ],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["parties"][0]["name"] == "Caf\xe9\x9b2J"
    out = run("show", "-f", "json", positions=mini.parent).stdout
    assert "\x9b" not in out
