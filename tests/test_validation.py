"""`nposition validate` over every file of a case, and the JSON Schemas against the bundled files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from nposition.formats.schema import Kind, schema_for
from nposition.workspace import Workspace

from .conftest import CASES, REPO


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the mini case."""
    return Path(shutil.copytree(CASES / "mini", tmp_path / "mini"))


def messages(folder: Path) -> list[str]:
    return [str(p) for p in Workspace.at(folder).validate().problems]


def test_validate_reads_scenarios_and_checks(mini: Path) -> None:
    """Broken scenarios and a broken checks file are validation errors, each located."""
    (mini / "scenarios" / "empty.yaml").write_text("")
    (mini / "scenarios" / "typo.yaml").write_text(
        "scenario: typo\ntitle: T\nrationale: R\nchanges:\n  - drop: buyer/not-hihg\n"
    )
    (mini / "scenarios" / "clash.yaml").write_text(
        "scenario: clash\ntitle: T\nrationale: R\nchanges:\n"
        "  - set: {rule: seller/not-low, require: price == low and price == high}\n"
    )
    (mini / "checks.yaml").write_text("checks:\n  - {id: a, zone: maybe}\n")
    found = messages(mini)
    assert Workspace.at(mini).validate().errors == 4, found
    assert any(m.endswith("scenarios/empty.yaml: file is empty") for m in found)
    assert any("typo.yaml:5:11: unknown rule 'buyer/not-hihg'" in m for m in found)
    assert any("scenario 'clash': party 'seller' contradicts itself" in m for m in found)
    assert any(
        "checks.yaml:2:19: check 'a': zone must be empty or nonempty, not 'maybe'" in m
        for m in found
    )


def test_checks_are_read_against_their_scenario(mini: Path) -> None:
    """A check may name a rule that only its scenario adds."""
    assert Workspace.at(mini).validate().problems == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("checks:\n  - {id: a, conflict: []}\n", "check 'a': conflict needs at least one rule"),
        ("checks: []\n", "the checks list is empty: nothing would be verified"),
    ],
)
def test_empty_checks_are_errors(mini: Path, text: str, message: str) -> None:
    """An empty conflict list or an empty checks file is an error, never a silent pass."""
    (mini / "checks.yaml").write_text(text)
    assert any(message in m for m in messages(mini))


def test_deep_implication_chains_are_refused() -> None:
    """Nested '->' chains deep enough to exhaust recursion are a located error, not a crash."""
    from nposition.model import expr

    inner = "x == a"
    for _ in range(48):
        inner = "(" + " -> ".join(["x == a"] * 49 + [inner]) + ")"
    with pytest.raises(expr.ExprError, match="nested too deeply"):
        expr.parse(inner)


def test_max_packages_env_must_be_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    """A junk NPOSITION_MAX_PACKAGES is a usage error, not silently ignored."""
    from nposition.errors import UsageError
    from nposition.limits import max_packages

    monkeypatch.setenv("NPOSITION_MAX_PACKAGES", "abc")
    with pytest.raises(UsageError, match="NPOSITION_MAX_PACKAGES='abc'"):
        max_packages()
    monkeypatch.setenv("NPOSITION_MAX_PACKAGES", "1000")
    assert max_packages() == 1000


def test_compare_reports_every_broken_scenario(mini: Path) -> None:
    """`compare` lists the problems of all broken scenarios, not only the first."""
    from nposition.errors import LoadError

    for name in ("a", "b"):
        (mini / "scenarios" / f"{name}.yaml").write_text(
            f"scenario: {name}\ntitle: T\nrationale: R\nchanges:\n  - drop: buyer/nope\n"
        )
    with pytest.raises(LoadError) as info:
        Workspace.at(mini).compare()
    assert {Path(p.location.path).name for p in info.value.problems} == {"a.yaml", "b.yaml"}


BUNDLED = [
    (Kind.CASE, "case.yaml"),
    (Kind.PARTY, "japan.yaml"),
    (Kind.PARTY, "russia.yaml"),
    (Kind.CHECKS, "checks.yaml"),
    *(
        (Kind.SCENARIO, f"scenarios/{p.name}")
        for p in sorted((REPO / "positions/kuril/scenarios").glob("*.yaml"))
    ),
]


@pytest.mark.parametrize(("kind", "name"), BUNDLED)
def test_schemas_accept_the_bundled_files(kind: Kind, name: str) -> None:
    """Every bundled file is valid against the schema `nposition schema` prints for its kind."""
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(
        json.dumps(yaml.safe_load((REPO / "positions/kuril" / name).read_text()), default=str)
    )
    jsonschema.validate(data, schema_for(kind))


def test_schema_rejects_a_typo() -> None:
    """The party schema flags an unknown key, as the loader does."""
    jsonschema = pytest.importorskip("jsonschema")
    party = yaml.safe_load((CASES / "mini" / "buyer.yaml").read_text())
    party["rules"][0]["wieght"] = 2
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(json.loads(json.dumps(party, default=str)), schema_for(Kind.PARTY))
