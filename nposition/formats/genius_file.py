"""Reading GENIUS domain and utility-profile files into plain records, every problem located.

A discrete value's score is its evaluation over the issue's best evaluation; an integer issue's is
its linear evaluator `clamp(offset + slope * (x - low), 0, 1)`. Issue weights are normalised to
sum 1 (with a note when they did not).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from nposition.errors import SpaceTooLargeError, UsageError
from nposition.formats.names import ids
from nposition.formats.xmlio import XmlFile, issue_kind
from nposition.limits import MAX_FILE_BYTES
from nposition.model import expr

GENIUS_ZERO = 1e-5  # GENIUS scores an issue 0 throughout when its best evaluation is below this
_MIN_OPTION_BYTES = 16  # the least an option takes in case.yaml (`- id: v1\n  label: '1'\n`)


@dataclass(frozen=True, slots=True)
class GeniusIssue:
    """One issue of a domain: its values as GENIUS spells them; `bounds` for an integer issue."""

    name: str
    id: str
    values: tuple[str, ...]
    option_ids: tuple[str, ...]
    bounds: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Domain:
    """The issues of a GENIUS domain, in file order."""

    file: str  # the file name, as titles and sources cite it
    issues: tuple[GeniusIssue, ...]

    @property
    def size(self) -> int:
        return math.prod(len(i.values) for i in self.issues)


@dataclass(frozen=True, slots=True)
class Score:
    """What one value is worth to a party on its issue, in [0, 1], and how GENIUS says so."""

    value: float
    quote: str


@dataclass(frozen=True, slots=True)
class Profile:
    """One party: normalised issue weights and a score per value, aligned with the domain."""

    file: str
    party: str
    name: str
    weights: tuple[float, ...]
    scores: tuple[tuple[Score, ...], ...]
    reservation: float | None
    notes: tuple[str, ...]


# --- the domain --------------------------------------------------------------------------------


def read_domain(path: Path, limit: int) -> Domain:
    """The issues of a GENIUS domain file; refuses spaces over nposition's package limit."""
    xml = XmlFile(path)
    issues: list[GeniusIssue] = []
    for element in xml.issues():
        name = xml.attr(element, "name", "issue")
        what = f"issue '{name}'"
        kind = issue_kind(element)
        if name is None:
            continue
        if name in (i.name for i in issues):
            xml.error(element, f"{what} is defined twice")
        elif kind == "integer":
            low = xml.integer(element, "lowerbound", what)
            high = xml.integer(element, "upperbound", what)
            if low is not None and high is not None and low > high:
                xml.error(element, f"{what}: lowerbound {low} is above upperbound {high}")
            elif low is not None and high is not None:
                issues.append(GeniusIssue(name, "", (), (), (low, high)))  # spelled out below
        elif kind == "discrete":
            values = [v for v in (xml.attr(i, "value", what) for i in element.findall("item")) if v]
            for value in sorted({v for v in values if values.count(v) > 1}):
                xml.error(element, f"{what}: value '{value}' is listed twice")
            if not values:
                xml.error(element, f"{what} has no <item> values")
            issues.append(GeniusIssue(name, "", tuple(values), ids(values, "option_")))
        else:
            xml.error(element, f"{what}: type '{kind}' is unsupported (discrete or integer only)")
    xml.done()
    sizes = [b[1] - b[0] + 1 if (b := i.bounds) else len(i.values) for i in issues]
    size, cap = math.prod(sizes), limit
    if size > cap:
        raise SpaceTooLargeError(
            f"{path}: the domain has {size:,} packages ({' x '.join(map(str, sizes))}), over "
            f"nposition's limit of {cap:,} (raise it with "
            "--max-packages or NPOSITION_MAX_PACKAGES, or narrow the integer issues' bounds)"
        )
    if sum(sizes) * _MIN_OPTION_BYTES > MAX_FILE_BYTES:
        raise UsageError(
            f"{path}: the issues have {sum(sizes):,} values in all, more than case.yaml can hold "
            f"within nposition's limit of {MAX_FILE_BYTES:,} bytes; narrow the integer issues"
        )
    issue_ids = ids([i.name for i in issues], "issue_")
    return Domain(
        path.name, tuple(_finish(i, id_) for i, id_ in zip(issues, issue_ids, strict=True))
    )


def _finish(issue: GeniusIssue, issue_id: str) -> GeniusIssue:
    """The issue with its id, and an integer issue with its values and options spelled out."""
    if issue.bounds is None:
        return GeniusIssue(issue.name, issue_id, issue.values, issue.option_ids)
    xs = range(issue.bounds[0], issue.bounds[1] + 1)
    values = tuple(str(x) for x in xs)
    options = tuple(f"v{x}" if x >= 0 else f"vneg{-x}" for x in xs)
    return GeniusIssue(issue.name, issue_id, values, options, issue.bounds)


# --- a profile ---------------------------------------------------------------------------------


def read_profile(path: Path, domain: Domain, party: str) -> Profile:
    """One utility profile, checked against the domain; `LoadError` with all its problems."""
    xml = XmlFile(path)
    notes: list[str] = []
    found = _issues_of_profile(xml, domain)
    xml.done()
    raw = {n: w for n, (w, _) in found.items()}
    total = sum(raw.values())
    if not math.isfinite(total):  # huge weights overflow the sum: scale them down first
        top = max(raw.values())
        raw = {n: w / top for n, w in raw.items()}
        total = sum(raw.values())
    if total <= 0:
        xml.error(xml.root, "the issue weights sum to 0")
        xml.done()
    if abs(total - 1) > 1e-12:
        notes.append(f"{path}: issue weights sum to {total:.12g}; normalised to 1")
    scores = []
    for n, issue in enumerate(domain.issues):
        given, element = found[n]
        read = _integer_scores if issue.bounds else _discrete_scores
        scores.append(read(xml, element, issue, f"issue weight {given:g}", notes))
    xml.done()
    weights = tuple(raw[n] / total for n in range(len(domain.issues)))
    best = sum(w * max(s.value for s in ss) for w, ss in zip(weights, scores, strict=True))
    reservation = _reservation(xml, best, notes)
    xml.done()
    return Profile(path.name, party, path.stem, weights, tuple(scores), reservation, tuple(notes))


def _issues_of_profile(xml: XmlFile, domain: Domain) -> dict[int, tuple[float, ET.Element]]:
    """{domain issue number: (raw weight, the profile's <issue>)}, matched by issue name."""
    weights: dict[str, float] = {}
    for element in xml.root.iter("weight"):
        index = xml.attr(element, "index", "weight")
        value = xml.number(element, "value", f"weight {index}")
        if index in weights:
            xml.error(element, f"weight {index} is given twice")
        elif value is not None and value < 0:
            xml.error(element, f"weight {index} is negative ({value:g})")
        if index is not None and index not in weights:
            weights[index] = value or 0.0  # a bad value is reported above, not again per issue
    known = [i.name for i in domain.issues]
    elements = [(e, e.get("name", "")) for e in xml.issues()]
    if elements and xml.root.find(".//weight") is None:
        xml.error(xml.root, "no <weight> element: a domain file rather than a utility profile?")
        return {}
    if elements and not any(name in known for _, name in elements):
        names = ", ".join(f"'{name}'" for _, name in elements)
        xml.error(
            xml.root,
            f"none of its issues ({names}) is in the domain {domain.file}: "
            "a profile of another domain?",
        )
        return {}
    found: dict[int, tuple[float, ET.Element]] = {}
    seen: set[str] = set()
    for element, name in elements:
        index = element.get("index", "")
        if name not in known:
            hint = expr.suggest(name, known)
            xml.error(element, f"issue '{name}' is not in the domain {domain.file} ({hint})")
        elif name in seen:
            xml.error(element, f"issue '{name}' is given twice")
        elif index not in weights:
            xml.error(element, f"issue '{name}' has no <weight index=\"{index}\">")
        else:
            found[known.index(name)] = (weights[index], element)
        seen.add(name)
    for name in known:
        if name not in seen:
            xml.error(xml.root, f"issue '{name}' of the domain {domain.file} is missing")
    return found


def _discrete_scores(
    xml: XmlFile, element: ET.Element, issue: GeniusIssue, weight: str, notes: list[str]
) -> tuple[Score, ...]:
    what, before = f"issue '{issue.name}'", len(xml.problems)
    if issue_kind(element) != "discrete":
        xml.error(
            element, f"{what} is a discrete issue in the domain, '{issue_kind(element)}' here"
        )
        return ()
    evaluations: dict[str, float] = {}
    for item in element.findall("item"):  # direct children: not a similarity_function's items
        value = xml.attr(item, "value", what)
        evaluation = xml.number(item, "evaluation", f"{what}, value '{value}'")
        if value is None or evaluation is None:
            continue
        if value not in issue.values:
            hint = expr.suggest(value, list(issue.values))
            xml.error(item, f"{what}: value '{value}' is not in the domain ({hint})")
        elif evaluation < 0:
            xml.error(item, f"{what}: value '{value}' has a negative evaluation ({evaluation:g})")
        elif value in evaluations:
            notes.append(
                f"{xml.loc(item)}: {what} lists value '{value}' again; its last evaluation "
                f"({evaluation:g}) counts, as in GENIUS"
            )
        evaluations[value] = evaluation
    for value in issue.values:
        if value not in evaluations:
            xml.error(element, f"{what}: value '{value}' has no evaluation")
    if len(xml.problems) > before:
        return ()
    top = max(evaluations.values())
    if top < GENIUS_ZERO:
        notes.append(
            f"{xml.loc(element)}: {what} scores 0 for every value (best evaluation {top:g})"
        )
    return tuple(
        Score(
            evaluations[v] / top if top >= GENIUS_ZERO else 0.0,
            f"evaluation {evaluations[v]:g} of {top:g} for '{v}' on issue '{issue.name}', {weight}",
        )
        for v in issue.values
    )


def _integer_scores(
    xml: XmlFile, element: ET.Element, issue: GeniusIssue, weight: str, notes: list[str]
) -> tuple[Score, ...]:
    what, before = f"issue '{issue.name}'", len(xml.problems)
    assert issue.bounds is not None
    low, high = issue.bounds
    if issue_kind(element) != "integer":
        xml.error(
            element, f"{what} is an integer issue in the domain, '{issue_kind(element)}' here"
        )
        return ()
    given = (element.get("lowerbound"), element.get("upperbound"))
    if given != (None, None) and given != (str(low), str(high)):
        xml.error(element, f"{what}: bounds {given} differ from the domain's ({low}, {high})")
    evaluator = element.find("evaluator")
    if evaluator is None or evaluator.get("ftype") != "linear":
        xml.error(element, f'{what}: needs <evaluator ftype="linear" offset=... slope=...>')
        return ()
    offset = xml.number(evaluator, "offset", what)
    slope = xml.number(evaluator, "slope", what)
    if offset is None or slope is None or len(xml.problems) > before:
        return ()
    linear = f"linear evaluator (offset {offset:g}, slope {slope:g}) on [{low}, {high}]"
    scores = [(x, min(1.0, max(0.0, offset + slope * (x - low)))) for x in range(low, high + 1)]
    return tuple(Score(v, f"{linear} gives {v:.6g} at {x}, {weight}") for x, v in scores)


def _reservation(xml: XmlFile, best: float, notes: list[str]) -> float | None:
    element = xml.root.find(".//reservation")
    if element is None:
        return None
    value = xml.number(element, "value", "reservation")
    if value is None:
        return None
    if 0 < best < 1 - 1e-12:
        notes.append(
            f"{xml.loc(element)}: the best package scores {best:.6g} in GENIUS and 1 in nposition; "
            f"the reservation {value:g} becomes {value / best:.6g}"
        )
        value /= best
    if not 0 <= value <= 1:
        notes.append(f"{xml.loc(element)}: reservation {value:g} clamped to [0, 1]")
    return min(1.0, max(0.0, value))
