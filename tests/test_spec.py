"""The file-format declarations: the loader and the JSON Schemas derived from them agree.

Every bundled file is valid against its schema and loads without errors. Every invalid fixture
under `tests/data/invalid/` is classified: a mistake of shape (a key, a type, a range, a pattern
or a vocabulary) is refused by both the schema and the loader; any other mistake is one that a
schema cannot see (references between files, expressions, lints), and the schema accepts
the fixture's files while the loader refuses them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from nposition.formats import fields, spec
from nposition.formats.case_file import read_case
from nposition.formats.scenario_file import read_scenario
from nposition.formats.schema import Kind, schema_for
from nposition.model.case import RuleKind
from nposition.model.expectations import CheckKind
from nposition.workspace import Workspace

from .conftest import CASES, REPO

jsonschema = pytest.importorskip("jsonschema")

INVALID = Path(__file__).parent / "data" / "invalid"
BUNDLED_CASES = [*sorted(p for p in (REPO / "positions").iterdir() if p.is_dir()), CASES / "mini"]
# Cases that use every field of file format version 2 (their analysis is the engine's to test).
V2_CASES = [CASES / "wages"]
BUNDLED_FILES = [p for folder in BUNDLED_CASES + V2_CASES for p in sorted(folder.rglob("*.yaml"))]

# Fixtures whose mistake is one of shape: the schema refuses the files that expected.txt names.
SHAPE = {
    "bad-date": "a date not in the pattern",
    "cost-infinite": "a cost past the largest meaningful one (.inf)",
    "case-source-unknown-key": "an unknown key under case.source",
    "check-negative-zone-size": "zone_size_at_least out of range",
    "empty-file": "no mapping at all",
    "keyword-option": "an id that is a reserved word",
    "list-not-mapping": "a list where a mapping belongs",
    "missing-source": "a missing required key",
    "multiple-errors": "cost and date out of range and pattern (the unknown option aside)",
    "negative-cost": "cost out of range",
    "scenario-description-not-text": "a scenario description that is no text",
    "scenario-set-negative-cost": "a cost out of range in a scenario's set",
    "scenario-set-unknown-kind": "a kind outside the vocabulary in a scenario's set",
    "source-without-quote": "a source without its required quote",
    "unknown-key-typo": "an unknown key",
    "weight-on-red-line": "a field that the rule's kind does not take",
    "weight-zero": "weight out of range",
    "constraint-missing-text": "a constraint without its required text",
    "preference-when": "a field that the rule's kind does not take (a preference's when)",
    "preference-without-require": "neither of the rule's require and scores",
    "scores-on-red-line": "a field that the rule's kind does not take",
    "scores-and-require": "both of the rule's require and scores",
    "scores-out-of-range": "a score out of range",
    "fallbacks-on-preference": "a field that the rule's kind does not take",
    "fallback-with-when": "an unknown key in a fallback",
    "scenario-set-reservation-range": "a reservation out of range in a scenario's set",
    "scenario-set-rule-and-party": "a set that is neither a rule's nor a party's",
    "scenario-set-scores-and-require": "both require and scores in a scenario's set",
}
# Fixtures whose mistake a schema cannot see: it accepts every file, the loader does not.
BEYOND_SCHEMA = {
    "always-holds": "a lint over the outcome space",
    "self-contradiction": "a lint over the outcome space",
    "when-never-holds": "a lint over the outcome space",
    "constraints-clash": "a lint over the outcome space",
    "fallback-not-weaker": "a lint over the outcome space",
    "red-line-tests-issue-where-na": "a lint over the outcome space",
    "duplicate-option-id": "ids repeated among list items",
    "duplicate-rule-id": "ids repeated among list items",
    "duplicate-party": "ids repeated across files",
    "yaml-alias": "YAML readers expand aliases",
    "unknown-document": "a reference to case.yaml",
    "status-quo-missing-issue": "a reference to the case's issues",
    "unknown-issue": "inside an expression",
    "unknown-option": "inside an expression",
    "ordered-on-unordered": "inside an expression",
    "expr-keyword-as-issue": "inside an expression",
    "expr-missing-paren": "inside an expression",
    "expr-syntax": "inside an expression",
    "expr-syntax-block": "inside an expression",
    "expr-syntax-multiline": "inside an expression",
    "expr-syntax-quoted": "inside an expression",
    "value-on-unordered": "a rule across an issue's fields (values need ordered)",
    "value-missing": "a rule across the items of a list (all values or none)",
    "value-not-increasing": "an order among the items of a list",
    "applies-when-cycle": "references between expressions",
    "applies-when-self": "references between expressions",
    "applies-when-unknown-option": "inside an expression",
    "constraint-duplicate-id": "ids repeated among list items",
    "constraint-unknown-option": "inside an expression",
    "status-quo-missing-applicable-issue": "an expression evaluated on the status quo",
    "status-quo-option-where-na": "an expression evaluated on the status quo",
    "status-quo-na-always-applies": "a reference to the case's issues",
    "status-quo-breaks-constraint": "an expression evaluated on the status quo",
    "scores-unknown-option": "a reference to the case's issues",
    "scores-unknown-issue": "a reference to the case's issues",
    "fallback-costs-not-increasing": "an order among the items of a list",
    "fallback-costs-above-rule": "a comparison between fields",
    "scenario-set-preference-when": "the kind of the rule changed is in the party file",
    "scenario-set-unknown-party": "a reference to the case's parties",
    "scenario-set-red-line-without-require": "the rule changed is in another change",
    "scenario-set-cost-below-fallback": "the rule's cost is in the party file",
    "check-na-always-applies": "a reference to the case's issues",
}
# Fixtures whose broken file a YAML reader reads as another document: the loader alone sees it.
MISREAD = {
    "duplicate-key": "YAML readers keep the last of two equal keys (here a red line with a weight)",
}
# Fixtures whose broken file PyYAML's safe_load cannot read at all (so no schema sees it).
UNREADABLE = {
    "malformed-yaml": "not YAML",
    "unclosed-quote": "not YAML",
    "impossible-date": "PyYAML refuses 2024-02-30 as a date",
}


def kind_of(path: Path) -> Kind:
    """The kind of a position file, from its place in the case folder."""
    if path.name == "case.yaml":
        return Kind.CASE
    if path.name == "checks.yaml":
        return Kind.CHECKS
    return Kind.SCENARIO if path.parent.name == "scenarios" else Kind.PARTY


def as_json(path: Path) -> Any:
    """A YAML file as a JSON Schema validator sees it (dates as text, as editors read them)."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def schema_errors(path: Path) -> list[str]:
    """What the schema of the file's kind says against it (nothing when it is valid)."""
    validator = jsonschema.Draft202012Validator(schema_for(kind_of(path)))
    return [e.message for e in validator.iter_errors(as_json(path))]


def named_files(name: str) -> set[Path]:
    """The files that the fixture's expected.txt names (relative to tests/data/invalid)."""
    lines = (INVALID / name / "expected.txt").read_text(encoding="utf-8").splitlines()
    return {INVALID / line.split(":", 1)[0] for line in lines if line and not line[0].isspace()}


def fixture_files(name: str) -> list[Path]:
    return sorted((INVALID / name).rglob("*.yaml"))


def fixtures() -> list[str]:
    return sorted(p.name for p in INVALID.iterdir() if p.is_dir())


# --- bundled files ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", BUNDLED_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_bundled_file_is_valid_against_its_schema(path: Path) -> None:
    """Every bundled YAML file (Kuril and the test cases) is valid against its kind's schema."""
    assert schema_errors(path) == []


@pytest.mark.parametrize("folder", BUNDLED_CASES, ids=lambda p: p.name)
def test_bundled_case_loads_without_errors(folder: Path) -> None:
    """Every bundled case, with its scenarios and checks, validates without an error."""
    assert Workspace.at(folder).validate().errors == 0


@pytest.mark.parametrize("folder", V2_CASES, ids=lambda p: p.name)
def test_version_2_case_and_scenarios_load_without_problems(folder: Path) -> None:
    """A case using every version-2 field, and each of its scenarios, loads without a problem."""
    case, problems = read_case(folder)
    assert problems == []
    assert case is not None
    for path in sorted((folder / "scenarios").glob("*.yaml")):
        assert read_scenario(path, case)[1] == []


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        (Kind.CASE, ("issues", "options", "value")),
        (Kind.CASE, ("issues", "applies_when")),
        (Kind.CASE, ("constraints", "source", "quote")),
        (Kind.PARTY, ("rules", "scores", "options")),
        (Kind.PARTY, ("rules", "fallbacks", "source", "who")),
        (Kind.SCENARIO, ("changes", "add", "fallbacks", "cost")),
        (Kind.SCENARIO, ("changes", "set", "scores", "issue")),
        (Kind.SCENARIO, ("changes", "set", "fallbacks", "require")),
        (Kind.SCENARIO, ("changes", "set", "source", "who")),
        (Kind.SCENARIO, ("changes", "set", "reservation")),
        (Kind.SCENARIO, ("changes", "set", "as_of")),
    ],
)
def test_schemas_cover_the_version_2_fields(kind: Kind, path: tuple[str, ...]) -> None:
    """Every field that version 2 adds is a declared, described property of its file's schema."""

    def step(node: dict[str, Any], name: str) -> dict[str, Any]:
        while "properties" not in node or name not in node["properties"]:
            if "items" in node:
                node = node["items"]
            elif "oneOf" in node:  # a set of a rule or of a party: the one that has the name
                node = next(n for n in node["oneOf"] if name in n.get("properties", {}))
            else:
                raise AssertionError(f"{name} is not declared")
        return dict(node["properties"][name])

    node = schema_for(kind)
    for name in path:
        node = step(node, name)
    assert node["description"]


# --- invalid fixtures ---------------------------------------------------------------------------


def test_every_invalid_fixture_is_classified() -> None:
    """Each folder under tests/data/invalid says whether a schema can see its mistake."""
    groups = (SHAPE, BEYOND_SCHEMA, MISREAD, UNREADABLE)
    classified = [name for group in groups for name in group]
    assert sorted(classified) == fixtures()


@pytest.mark.parametrize("name", sorted(SHAPE))
def test_shape_mistakes_are_refused_by_schema_and_loader(name: str) -> None:
    """The schema refuses exactly the files with the mistake, and the loader refuses the case."""
    refused = {path for path in fixture_files(name) if schema_errors(path)}
    assert refused == named_files(name)
    assert Workspace.at(INVALID / name).validate().errors > 0


@pytest.mark.parametrize("name", sorted(BEYOND_SCHEMA))
def test_other_mistakes_pass_the_schema_but_not_the_loader(name: str) -> None:
    """A mistake that no schema can see leaves every file schema-valid; the loader still finds it."""
    assert {p: schema_errors(p) for p in fixture_files(name)} == {
        p: [] for p in fixture_files(name)
    }
    assert Workspace.at(INVALID / name).validate().problems


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_files_are_refused_before_any_schema(name: str) -> None:
    """A file that safe_load cannot read is refused by the loader; the case's other files are valid."""
    for path in fixture_files(name):
        if path in named_files(name):
            with pytest.raises((yaml.YAMLError, ValueError)):
                as_json(path)
        else:
            assert schema_errors(path) == []
    assert Workspace.at(INVALID / name).validate().errors > 0


@pytest.mark.parametrize("name", sorted(MISREAD))
def test_misread_files_are_refused_by_the_loader(name: str) -> None:
    """A file that YAML readers take for another document is refused by the loader, which reads nodes."""
    assert all(schema_errors(p) == [] for p in fixture_files(name) if p not in named_files(name))
    assert Workspace.at(INVALID / name).validate().errors > 0


# --- the three places where the loader and the schema used to disagree ---------------------------


def test_scenario_description_and_set_kind_are_accepted_by_both(tmp_path: Path) -> None:
    """A scenario's `description` and a `set` of a rule's `kind` load and are schema-valid."""
    case = Path(shutil.copytree(CASES / "mini", tmp_path / "mini"))
    scenario = case / "scenarios" / "soft-floor.yaml"
    scenario.write_text(
        "scenario: soft-floor\ntitle: The seller's floor becomes a wish\nrationale: Testing.\n"
        "description: Notes beyond the rationale.\nchanges:\n"
        "  - set: {rule: seller/not-low, kind: preference, weight: 2}\n"
    )
    assert schema_errors(scenario) == []
    assert Workspace.at(case).validate().problems == ()
    assert Workspace.at(case).case("soft-floor").rule("seller/not-low").kind is RuleKind.PREFERENCE


def test_case_source_keys_are_declared() -> None:
    """Under `case.source` both the loader and the schema take exactly the declared keys."""
    source = schema_for(Kind.CASE)["properties"]["source"]
    assert source["additionalProperties"] is False
    assert list(source["properties"]) == list(spec.CASE_SOURCE.names)


# --- the declarations themselves ----------------------------------------------------------------


def test_vocabularies_come_from_the_model() -> None:
    """Rule kinds and check kinds in the declarations are exactly the model's enums."""
    assert spec.RULE_KIND.values == tuple(k.value for k in RuleKind)
    assert spec.check().exactly_one == tuple(k.value for k in CheckKind)
    assert set(spec.check().exactly_one) <= set(spec.check().names)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (spec.COST, -1.5, "cost -1.5 must be between 0 and 1e+06"),
        (spec.WEIGHT, 0, "weight 0 must be > 0 and <= 1e+06"),
        (spec.PARTY.field("reservation"), 1.5, "reservation 1.5 must be between 0 and 1"),
        (spec.check().field("zone_size_at_least"), -1, "zone_size_at_least -1 must be >= 0"),
    ],
)
def test_a_range_is_worded_once(field: fields.Field, value: float, message: str) -> None:
    """A range and its message live on the declared field; the bounds themselves are allowed."""
    assert field.bounds is not None
    assert field.bounds.problem(field.name, value) == message
    assert field.bounds.problem(field.name, 1) is None


@pytest.mark.parametrize("kind", list(Kind))
def test_every_property_has_a_description(kind: Kind) -> None:
    """Every key of every schema carries the one-line doc of its declaration."""

    def walk(node: Any, at: str) -> None:
        if isinstance(node, dict):
            for name, value in node.get("properties", {}).items():
                assert value.get("description"), f"{at}/{name}"
            for key, value in node.items():
                if key not in ("if", "then", "not"):  # conditions, not keys of a file
                    walk(value, f"{at}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{at}/{i}")

    walk(schema_for(kind), kind.value)


def test_declarations_load_without_the_check_kinds() -> None:
    """Reading a case imports the declarations but not the checks model (start-up stays cheap)."""
    code = "import sys, nposition.formats.case_file; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.split())
    assert "nposition.formats.spec" in loaded
    assert "nposition.model.expectations" not in loaded
