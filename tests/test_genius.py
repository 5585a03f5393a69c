"""`nposition import-genius`: GENIUS/ANAC domains become cases whose utilities are GENIUS's own."""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from nposition.cli import app
from nposition.engine.space import Space
from nposition.engine.utility import Valuation
from nposition.errors import LoadError, SpaceTooLargeError, UsageError
from nposition.formats.case_file import load_case
from nposition.formats.genius_import import import_genius
from nposition.model.case import Case

GENIUS = Path(__file__).parent / "data" / "genius"
runner = CliRunner()

# folder: (domain file, profile files, packages in the GENIUS outcome space)
SMALL = {
    "Laptop": ("laptop_domain.xml", ("laptop_buyer_utility.xml", "laptop_seller_utility.xml"), 27),
    "ItexvsCypress": (
        "ItexvsCypress_domain.xml",
        ("ItexvsCypress_Cypress.xml", "ItexvsCypress_Itex.xml"),
        180,
    ),
    "EnglandZimbabwe": ("EnglandZimbabwe_domain.xml", ("England.xml", "Zimbabwe.xml"), 576),
    "Grocery": ("Grocery_domain.xml", ("Grocery_domain_mary.xml", "Grocery_domain_sam.xml"), 1600),
}
LARGE = {
    "CameraB": ("Camera-B-domain.xml", ("Camera-B-prof1.xml", "Camera-B-prof2.xml"), 3_600),
    "Travel": ("travel_domain.xml", ("travel_chox.xml", "travel_fanny.xml"), 188_160),
    "Energy": ("energy_domain.xml", ("energy_consumer.xml", "energy_distributor.xml"), 390_625),
    "AMPOvsCity": (
        "ampo_vs_city_template.xml",
        ("ampo_vs_city_ampo_space.xml", "ampo_vs_city_city_space.xml"),
        1_944_000,
    ),
    "AgentHp2": (
        "energy_grid_domain.xml",
        ("consumer.xml", "producer.xml", "provider.xml"),
        5_764_801,
    ),
}


def genius_utility(profile: Path) -> Callable[[dict[str, str]], float]:
    """GENIUS's additive utility of a profile, issue weights normalised to sum 1, from the XML."""
    root = ET.parse(profile).getroot()
    weights = {w.get("index"): float(w.get("value", "")) for w in root.iter("weight")}
    total = sum(weights.values())
    worth: dict[str, dict[str, float]] = {}
    for issue in root.iter("issue"):
        weight = weights[issue.get("index")] / total
        evaluator = issue.find("evaluator")
        if evaluator is not None:  # integer issue, linear evaluator
            low, high = int(issue.get("lowerbound", "")), int(issue.get("upperbound", ""))
            offset, slope = float(evaluator.get("offset", "")), float(evaluator.get("slope", ""))
            worth[issue.get("name", "")] = {
                str(x): weight * min(1.0, max(0.0, offset + slope * (x - low)))
                for x in range(low, high + 1)
            }
        else:
            evaluation = {
                i.get("value", ""): float(i.get("evaluation", "")) for i in issue.findall("item")
            }
            best = max(evaluation.values())
            worth[issue.get("name", "")] = {v: weight * e / best for v, e in evaluation.items()}
    return lambda package: sum(worth[issue][value] for issue, value in package.items())


def assert_utilities_match(
    case: Case, folder: Path, profiles: tuple[str, ...], best: tuple[float, ...] | None = None
) -> None:
    """Every package's utility to every party is its GENIUS utility over GENIUS's best (`best`)."""
    space = Space(case.issues)
    valuation = Valuation(space, case.parties)
    reference = [genius_utility(folder / f"{p.name}.xml") for p in case.parties]
    assert sorted(f"{p.name}.xml" for p in case.parties) == sorted(profiles)
    packages = list(itertools.product(*(range(len(i.options)) for i in case.issues)))
    assert len(packages) == space.size
    genius = [
        [
            ref({i.title: i.options[o].label for i, o in zip(case.issues, p, strict=True)})
            for p in packages
        ]
        for ref in reference
    ]
    assert [max(values) for values in genius] == pytest.approx(best or [1.0] * len(genius))
    for k, values in enumerate(genius):
        top = max(values)
        for package, value in zip(packages, values, strict=True):
            assert valuation.of(space.index(package))[k] == pytest.approx(value / top, abs=1e-9)


def run_import(
    folder: Path, domain: str, profiles: tuple[str, ...], out: Path, *extra: str
) -> Result:
    """`nposition import-genius` on files of one folder."""
    paths = [str(folder / domain), *(str(folder / p) for p in profiles)]
    return runner.invoke(app, ["import-genius", *paths, "--out", str(out), *extra])


@pytest.mark.parametrize("name", sorted(SMALL))
def test_small_domain_utilities_equal_genius(name: str, tmp_path: Path) -> None:
    """Each small domain imports to its GENIUS space size, and every utility equals GENIUS's."""
    domain, profiles, size = SMALL[name]
    folder = GENIUS / name
    summary = import_genius(folder / domain, [folder / p for p in profiles], tmp_path / "case")
    case = load_case(tmp_path / "case")
    assert summary.size == Space(case.issues).size == size
    assert all(p.reservation == 0 for p in case.parties)
    assert_utilities_match(case, folder, profiles)


def test_options_keep_genius_values_as_labels(tmp_path: Path) -> None:
    """Issue ids and option ids are slugs; titles and labels are GENIUS's names and values."""
    folder = GENIUS / "Laptop"
    domain, profiles, _ = SMALL["Laptop"]
    import_genius(folder / domain, [folder / p for p in profiles], tmp_path / "laptop")
    case = load_case(tmp_path / "laptop")
    monitor = case.issue("external_monitor")
    assert (monitor.title, monitor.ordered) == ("External Monitor", False)
    assert [(o.id, o.label) for o in monitor.options] == [
        ("19_lcd", "19'' LCD"),
        ("20_lcd", "20'' LCD"),
        ("23_lcd", "23'' LCD"),
    ]
    assert [p.id for p in case.parties] == ["laptop_buyer_utility", "laptop_seller_utility"]
    rule = case.rule("laptop_buyer_utility/laptop")
    assert rule.require is None
    assert rule.scores is not None
    assert rule.scores.scores == (12 / 30, 20 / 30, 30 / 30)  # evaluations over the best
    assert rule.source.who == "laptop_buyer_utility.xml"
    assert rule.source.paraphrase
    assert rule.source.quote == "issue weight 0.44519; scores dell 0.4, macintosh 0.666667, hp 1"


def test_cli_import_then_validate_and_analyze(tmp_path: Path) -> None:
    """import-genius writes a case that validate and analyze --format json accept."""
    domain, profiles, _ = SMALL["Laptop"]
    result = run_import(GENIUS / "Laptop", domain, profiles, tmp_path / "laptop")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"wrote case 'laptop' to {tmp_path / 'laptop'}: 3 issues, 2 parties "
        "(laptop_buyer_utility, laptop_seller_utility), 27 packages\n"
        f"note: {GENIUS / 'Laptop' / 'laptop_buyer_utility.xml'}: issue weights sum to "
        "1.00005180417; normalised to 1\n"
        f"note: {GENIUS / 'Laptop' / 'laptop_seller_utility.xml'}: issue weights sum to "
        "1.00005180417; normalised to 1\n"
    )
    assert result.stderr == ""
    base = ["--positions", str(tmp_path), "--case", "laptop"]
    result = runner.invoke(app, [*base, "validate"])
    assert result.exit_code == 0, result.output
    assert "case 'laptop': valid (0 errors, 0 warnings)" in result.stdout
    result = runner.invoke(app, [*base, "analyze", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["space"]["size"] == 27


def test_cli_json_summary(tmp_path: Path) -> None:
    """`--format json` prints the case, folder, issues, parties, space size and notes."""
    domain, profiles, _ = SMALL["ItexvsCypress"]
    out = tmp_path / "itex"
    result = run_import(
        GENIUS / "ItexvsCypress", domain, profiles, out, "--id", "itex-cypress", "-f", "json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "case": "itex-cypress",
        "out": str(out),
        "issues": ["price", "delivery", "payment", "returns"],
        "parties": ["itexvscypress_cypress", "itexvscypress_itex"],
        "size": 180,
        "notes": [],
    }
    assert load_case(out).id == "itex-cypress"


def test_output_is_deterministic(tmp_path: Path) -> None:
    """Two imports of the same files give byte-identical folders."""
    domain, profiles, _ = SMALL["Grocery"]
    folder = GENIUS / "Grocery"
    for out in ("one", "two"):
        import_genius(
            folder / domain, [folder / p for p in profiles], tmp_path / out, case="grocery"
        )
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert one == two
    assert sorted(one) == ["case.yaml", "grocery_domain_mary.yaml", "grocery_domain_sam.yaml"]


def leftovers(tmp_path: Path) -> list[str]:
    """The folders in tmp_path: a failed import must leave neither its folder nor a temporary."""
    return sorted(p.name for p in tmp_path.iterdir() if p.is_dir())


def test_malformed_xml_is_located(tmp_path: Path) -> None:
    """A truncated profile exits 2 at its line and column, and nothing is written."""
    broken = tmp_path / "broken.xml"
    text = (GENIUS / "Laptop" / "laptop_buyer_utility.xml").read_text()
    broken.write_text(
        text.replace('<weight index="1" value="0.4452125771655631">', "<weight index=1>")
    )
    domain = str(GENIUS / "Laptop" / "laptop_domain.xml")
    result = runner.invoke(
        app, ["import-genius", domain, str(broken), "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"{broken}:28:15: malformed XML: not well-formed (invalid token)\n"
        "error: 1 problem found; nothing was written\n"
    )
    assert leftovers(tmp_path) == []


def test_profile_of_another_domain(tmp_path: Path) -> None:
    """A Grocery profile given with the Laptop domain exits 2 saying so, and nothing is written."""
    grocery = GENIUS / "Grocery" / "Grocery_domain_mary.xml"
    laptop = GENIUS / "Laptop"
    args = [
        str(laptop / "laptop_domain.xml"),
        str(laptop / "laptop_buyer_utility.xml"),
        str(grocery),
    ]
    result = runner.invoke(app, ["import-genius", *args, "--out", str(tmp_path / "mixed")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{grocery}:1:1: none of its issues ('Bread type', 'Fruit', 'Snacks', 'Spreads', "
        "'Vegetables') is in the domain laptop_domain.xml: a profile of another domain?\n"
        "error: 1 problem found; nothing was written\n"
    )
    assert leftovers(tmp_path) == []


def test_profile_issues_are_checked_one_by_one(tmp_path: Path) -> None:
    """A renamed issue is unknown (with the closest name) and the domain's issue is missing."""
    profile = tmp_path / "buyer.xml"
    text = (GENIUS / "Laptop" / "laptop_buyer_utility.xml").read_text()
    profile.write_text(text.replace('name="Harddisk"', 'name="Hard disk"'))
    with pytest.raises(LoadError) as caught:
        import_genius(GENIUS / "Laptop" / "laptop_domain.xml", [profile], tmp_path / "out")
    assert [str(p) for p in caught.value.problems] == [
        f"{profile}:1:1: issue 'Harddisk' of the domain laptop_domain.xml is missing",
        f"{profile}:12:1: issue 'Hard disk' is not in the domain laptop_domain.xml "
        "(did you mean 'Harddisk'?)",
    ]


def test_unknown_value_suggests_the_closest(tmp_path: Path) -> None:
    """A misspelt value in a profile is an error naming the closest domain value."""
    profile = tmp_path / "buyer.xml"
    text = (GENIUS / "Laptop" / "laptop_buyer_utility.xml").read_text()
    profile.write_text(text.replace('value="Macintosh"', 'value="Macintosch"'))
    with pytest.raises(LoadError) as caught:
        import_genius(GENIUS / "Laptop" / "laptop_domain.xml", [profile], tmp_path / "out")
    assert [str(p) for p in caught.value.problems] == [
        f"{profile}:4:1: issue 'Laptop': value 'Macintosh' has no evaluation",
        f"{profile}:7:1: issue 'Laptop': value 'Macintosch' is not in the domain "
        "(did you mean 'Macintosh'?)",
    ]


BAD_INPUTS = {
    "real-issue": (
        "laptop_domain.xml",
        'name="Laptop" type="discrete" vtype="discrete"',
        'name="Laptop" type="real" vtype="real"',
        "issue 'Laptop': type 'real' is unsupported (discrete or integer only)",
    ),
    "duplicate-domain-value": (
        "laptop_domain.xml",
        'value="HP" cost="0" description="HP"',
        'value="Dell" cost="0" description="HP"',
        "issue 'Laptop': value 'Dell' is listed twice",
    ),
    "integer-in-profile": (
        "laptop_buyer_utility.xml",
        'etype="discrete" type="discrete" vtype="discrete" name="Harddisk"',
        'vtype="integer" name="Harddisk" lowerbound="1" upperbound="3"',
        "issue 'Harddisk' is a discrete issue in the domain, 'integer' here",
    ),
    "negative-evaluation": (
        "laptop_buyer_utility.xml",
        'evaluation="12"',
        'evaluation="-12"',
        "issue 'Laptop': value 'Dell' has a negative evaluation (-12)",
    ),
    "missing-weight": (
        "laptop_buyer_utility.xml",
        '<weight index="3" value="0.1767567099260568">',
        '<weight index="4" value="0.1767567099260568">',
        "issue 'External Monitor' has no <weight index=\"3\">",
    ),
    "not-a-number": (
        "laptop_buyer_utility.xml",
        '<weight index="3" value="0.1767567099260568">',
        '<weight index="3" value="heavy">',
        "weight 3: 'value' must be a finite number, not 'heavy'",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_messages(name: str, tmp_path: Path) -> None:
    """Each kind of bad domain or profile is one located error with a precise message."""
    target, old, new, message = BAD_INPUTS[name]
    for file in ("laptop_domain.xml", "laptop_buyer_utility.xml"):
        text = (GENIUS / "Laptop" / file).read_text()
        assert file != target or old in text
        (tmp_path / file).write_text(text.replace(old, new) if file == target else text)
    with pytest.raises(LoadError) as caught:
        import_genius(
            tmp_path / "laptop_domain.xml",
            [tmp_path / "laptop_buyer_utility.xml"],
            tmp_path / "out",
        )
    assert [p.message for p in caught.value.problems] == [message]
    assert caught.value.problems[0].location.path == str(tmp_path / target)
    assert leftovers(tmp_path) == []


def test_domain_given_as_profile(tmp_path: Path) -> None:
    """A domain file passed as a profile is named for what it is."""
    domain = GENIUS / "Laptop" / "laptop_domain.xml"
    with pytest.raises(
        LoadError, match=r"no <weight> element: a domain file rather than a utility"
    ):
        import_genius(domain, [domain], tmp_path / "out")


def test_existing_out_is_kept_unless_forced(tmp_path: Path) -> None:
    """A non-empty --out exits 2 untouched; --force replaces a case folder, never other folders."""
    domain, profiles, _ = SMALL["Laptop"]
    out = tmp_path / "laptop"
    out.mkdir()
    (out / "case.yaml").write_text("old")
    result = run_import(GENIUS / "Laptop", domain, profiles, out)
    assert result.exit_code == 2
    assert (
        result.stderr == f"error: {out}: exists and is not empty (--force replaces a case folder)\n"
    )
    assert [p.name for p in out.iterdir()] == ["case.yaml"]
    assert run_import(GENIUS / "Laptop", domain, profiles, out, "--force").exit_code == 0
    assert load_case(out).id == "laptop"
    other = tmp_path / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    result = run_import(GENIUS / "Laptop", domain, profiles, other, "--force")
    assert result.exit_code == 2
    assert f"{other}: holds no case.yaml; --force only replaces a case folder" in result.stderr
    assert (other / "keep.txt").read_text() == "mine"
    assert leftovers(tmp_path) == ["laptop", "notes"]


def test_missing_files_are_all_named(tmp_path: Path) -> None:
    """Every profile that cannot be read is named before exit 2; the readable ones are checked."""
    domain, profiles, _ = SMALL["Laptop"]
    result = run_import(
        GENIUS / "Laptop", domain, ("nope.xml", profiles[0], "gone.xml"), tmp_path / "x"
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"{GENIUS / 'Laptop' / 'gone.xml'}: file not found\n"
        f"{GENIUS / 'Laptop' / 'nope.xml'}: file not found\n"
        "error: 2 problems found; nothing was written\n"
    )
    assert leftovers(tmp_path) == []


def test_doctype_is_refused(tmp_path: Path) -> None:
    """An entity-expansion bomb is refused at its DOCTYPE, before any entity is expanded."""
    bomb = tmp_path / "bomb.xml"
    entities = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 10))
    bomb.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY e0 "x">{entities}]>\n<d>&e9;</d>'
    )
    with pytest.raises(LoadError, match=r"bomb.xml:2:13: DOCTYPE declarations are refused"):
        import_genius(bomb, [bomb], tmp_path / "out")
    assert leftovers(tmp_path) == []


# A small integer domain: offsets and slopes that clamp, a best package below 1, awkward values.
INTEGER_DOMAIN = """<negotiation_template><utility_space><objective index="0" name="root">
<issue index="1" name="Price" type="integer" lowerbound="-2" upperbound="3"/>
<issue index="2" name="Terms" type="discrete">
  <item index="1" value="3 day"/><item index="2" value="3+ day"/><item index="3" value="in"/>
</issue>
</objective></utility_space></negotiation_template>"""


def integer_profile(offset: float, slope: float, terms: tuple[int, int, int]) -> str:
    """A profile of INTEGER_DOMAIN: a linear evaluator on Price, evaluations of the Terms."""
    items = "".join(
        f'<item value="{v}" evaluation="{e}"/>'
        for v, e in zip(("3 day", "3+ day", "in"), terms, strict=True)
    )
    return f"""<utility_space><reservation value="0.34"/><objective index="0" name="root">
<issue index="1" name="Price" type="integer" lowerbound="-2" upperbound="3">
  <evaluator ftype="linear" offset="{offset}" slope="{slope}"/></issue>
<issue index="2" name="Terms" type="discrete">{items}</issue>
<weight index="1" value="0.6"/><weight index="2" value="0.2"/>
</objective></utility_space>"""


def test_integer_issues(tmp_path: Path) -> None:
    """Integer issues become ordered options v-2..v3; utilities match GENIUS; ids dodge keywords."""
    (tmp_path / "domain.xml").write_text(INTEGER_DOMAIN)
    (tmp_path / "buyer.xml").write_text(integer_profile(1.0, -0.3, (0, 5, 10)))
    (tmp_path / "seller.xml").write_text(integer_profile(0.2, 0.1, (4, 2, 0)))  # best price 0.7
    (tmp_path / "case.xml").write_text(integer_profile(0.5, 0.0, (1, 1, 1)))
    names = ["buyer.xml", "seller.xml", "case.xml"]
    summary = import_genius(
        tmp_path / "domain.xml", [tmp_path / n for n in names], tmp_path / "out"
    )
    case = load_case(tmp_path / "out")
    price, terms = case.issues
    assert price.ordered
    assert not terms.ordered
    assert [(o.id, o.label) for o in price.options] == [
        ("vneg2", "-2"),
        ("vneg1", "-1"),
        ("v0", "0"),
        ("v1", "1"),
        ("v2", "2"),
        ("v3", "3"),
    ]
    assert [o.id for o in terms.options] == ["3_day", "3_day_2", "in_"]
    assert summary.parties == ("buyer", "seller", "case_2")
    assert (tmp_path / "out" / "case_2.yaml").is_file()
    best = 0.75 * 0.7 + 0.25 * 1
    assert [p.id for p in case.parties] == ["buyer", "case_2", "seller"]
    assert_utilities_match(case, tmp_path, tuple(names), (1.0, 0.75 * 0.5 + 0.25, best))
    assert case.party("seller").reservation == pytest.approx(0.34 / best)
    assert case.party("buyer").reservation == 0.34
    assert any("the best package scores 0.775 in GENIUS" in n for n in summary.notes)


def test_space_over_the_limit_is_refused(tmp_path: Path) -> None:
    """An integer range whose space exceeds nposition's package limit exits 2 and says so."""
    (tmp_path / "domain.xml").write_text(
        INTEGER_DOMAIN.replace('upperbound="3"', 'upperbound="99"')
    )
    (tmp_path / "p.xml").write_text(integer_profile(1.0, -0.3, (0, 5, 10)))
    result = runner.invoke(
        app,
        [
            "--max-packages",
            "100",
            "import-genius",
            str(tmp_path / "domain.xml"),
            str(tmp_path / "p.xml"),
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 2
    assert "the domain has 306 packages (102 x 3), over nposition's limit of 100" in result.stderr
    with pytest.raises(SpaceTooLargeError, match="over nposition's limit of 100"):
        import_genius(tmp_path / "domain.xml", [tmp_path / "p.xml"], tmp_path / "out", limit=100)
    assert leftovers(tmp_path) == []


def test_no_profile_is_a_usage_error(tmp_path: Path) -> None:
    """The library refuses a domain without any profile."""
    with pytest.raises(UsageError, match="at least one utility profile"):
        import_genius(GENIUS / "Laptop" / "laptop_domain.xml", [], tmp_path / "out")


@pytest.mark.parametrize("name", sorted(LARGE))
def test_large_shared_domains_import(name: str, shared: Path, tmp_path: Path) -> None:
    """The larger ANAC domains in ../shared import to their GENIUS space sizes."""
    domain, profiles, size = LARGE[name]
    folder = shared / "genius" / name
    summary = import_genius(folder / domain, [folder / p for p in profiles], tmp_path / "case")
    case = load_case(tmp_path / "case")
    assert summary.size == Space(case.issues).size == size
    assert len(case.parties) == len(profiles)
