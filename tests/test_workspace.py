"""The workspace: one entry point that reads each file of a case once and caches what it computes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nposition.cli import app
from nposition.errors import LoadError, UsageError
from nposition.formats.yamlio import Reader
from nposition.workspace import Workspace

from .conftest import CASES, REPO

KURIL = REPO / "positions" / "kuril"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts how often each YAML file is read from disk (the cache of parsed files off)."""
    monkeypatch.setenv("NPOSITION_NO_CACHE", "1")
    counts: Counter[str] = Counter()
    load = Reader.load

    def counting(self: Reader):  # type: ignore[no-untyped-def]
        counts[
            Path(self.path).name
            if self.path.parent.name != "scenarios"
            else f"scenarios/{self.path.name}"
        ] += 1
        return load(self)

    monkeypatch.setattr(Reader, "load", counting)
    return counts


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["compare"],
        ["validate"],
        ["diff", "baseline", "russian-openings"],
        ["analyze", "--scenario", "snapshot-1956"],
        ["plot", "--out", "{tmp}/p.svg"],
    ],
)
def test_every_file_is_read_once(reads: Counter[str], args: list[str], tmp_path: Path) -> None:
    """A command reads each file of the case at most once, however many times it needs it."""
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = CliRunner().invoke(app, ["--positions", str(KURIL.parent), *argv])
    assert result.exit_code in (0, 1), result.output
    assert reads, "nothing was read"
    assert {name: n for name, n in reads.items() if n > 1} == {}


def test_check_reads_every_scenario_it_names() -> None:
    """`check` on the bundled case reads each scenario named in checks.yaml once, and analyses
    only those that a concession-cost expectation needs."""
    ws = Workspace.at(KURIL)
    report = ws.check()
    named = {o.expectation.scenario for o in report.outcomes} - {"baseline"}
    assert named
    assert set(ws._scenarios) == named
    costed = {
        o.expectation.scenario
        for o in report.outcomes
        if o.expectation.kind == "concession_cost_at_most"
    }
    assert {key[0] or "baseline" for key in ws._analyses} == costed


def test_analysis_is_cached_per_scenario_and_limit() -> None:
    """Asking the same question twice returns the same result object, computed once."""
    ws = Workspace.at(CASES / "mini")
    assert ws.analysis() is ws.analysis("baseline")
    assert ws.analysis(limit=0) is not ws.analysis()


def test_unknown_scenario_is_a_usage_error() -> None:
    """Naming a scenario the case lacks is a usage error with a suggestion, from every question."""
    ws = Workspace.at(CASES / "mini")
    for ask in (ws.case, ws.analysis, ws.plot, ws.scenario):
        with pytest.raises(UsageError, match="did you mean 'seller-flexible'"):
            ask("seller-flexibel")


def test_broken_case_raises_load_error_but_validates(tmp_path: Path) -> None:
    """A case with errors cannot be analysed (LoadError) but `validate` reports its problems."""
    import shutil

    shutil.copytree(CASES / "mini", tmp_path / "mini")
    buyer = tmp_path / "mini" / "buyer.yaml"
    buyer.write_text(buyer.read_text().replace("require: price < high", "require: price < hihg"))
    ws = Workspace.at(tmp_path / "mini")
    with pytest.raises(LoadError):
        ws.analysis()
    assert ws.validate().errors == 1
