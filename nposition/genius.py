"""Import GENIUS/ANAC negotiation domains and their utility profiles as nposition case folders.

GENIUS, the simulator of the ANAC competitions, describes a domain as a list of issues and each
party as an additive utility profile: a weight per issue and a score in [0, 1] per value (a
discrete value's evaluation divided by the issue's best evaluation; an integer issue's linear
evaluator `clamp(offset + slope * (x - low), 0, 1)`). The import turns every issue into an issue
(an integer issue into an ordered one with an option per integer) and every profile into a party
with one preference per option it values, weighing `issue weight * score`. With the issue weights
normalised to sum 1, a party's nposition utility (satisfied weights over the best package's) is
then its GENIUS utility; when GENIUS's best package scores below 1 (an integer evaluator that never
reaches 1), the reservation is divided by that best score, so it keeps its place in the range.

XML goes through the stdlib's expat parser into ElementTree elements, keeping line numbers for
messages. A DOCTYPE is refused (only a DOCTYPE can declare entities, so no entity is expanded and
nothing external is fetched), and so is a file over `MAX_XML_BYTES`. Sources are dated
`SOURCE_DATE`, a fixed placeholder: GENIUS files carry no date, and the same input must give
byte-identical output whatever the day.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from xml.parsers import expat

import yaml

from nposition import expr
from nposition.errors import LoadError, Location, Problem, Severity, SpaceTooLargeError, UsageError
from nposition.loader import CASE_FILE, CHECKS_FILE, load_case
from nposition.space import max_packages
from nposition.yamlio import MAX_FILE_BYTES

MAX_XML_BYTES = 20 * 1024 * 1024
SOURCE_DATE = "1970"  # "undated": GENIUS files have no date (see the module docstring)
GENIUS_ZERO = 1e-5  # GENIUS scores an issue 0 throughout when its best evaluation is below this
_MIN_OPTION_BYTES = 16  # the least an option takes in case.yaml (`- id: v1\n  label: '1'\n`)
_RESERVED = frozenset(Path(name).stem for name in (CASE_FILE, CHECKS_FILE))


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


@dataclass(frozen=True, slots=True)
class Conversion:
    """A domain and its profiles as a case: the files to write, by name, and what to tell."""

    case: str
    domain: Domain
    profiles: tuple[Profile, ...]
    files: tuple[tuple[str, str], ...]  # (file name, YAML text), case.yaml first

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(n for p in self.profiles for n in p.notes)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What `import_genius` wrote."""

    case: str
    out: str
    issues: tuple[str, ...]
    parties: tuple[str, ...]
    size: int
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "out": self.out,
            "issues": list(self.issues),
            "parties": list(self.parties),
            "size": self.size,
            "notes": list(self.notes),
        }


def import_genius(
    domain: Path,
    profiles: Sequence[Path],
    out: Path,
    case: str | None = None,
    force: bool = False,
    limit: int | None = None,
) -> ImportSummary:
    """Convert a GENIUS domain and profiles and write them as the case folder `out`, atomically."""
    conversion = convert(domain, profiles, case or _slug(out.name) or "genius", limit)
    write_case(conversion.files, out, force)
    return ImportSummary(
        conversion.case,
        str(out),
        tuple(i.id for i in conversion.domain.issues),
        tuple(p.party for p in conversion.profiles),
        conversion.domain.size,
        conversion.notes,
    )


def convert(
    domain_path: Path, profile_paths: Sequence[Path], case: str, limit: int | None = None
) -> Conversion:
    """Read the domain and every profile (all their problems at once) and lay out the case files."""
    if not case.strip():
        raise UsageError("the case id must not be empty")
    if not profile_paths:
        raise UsageError("give at least one utility profile after the domain file")
    domain = read_domain(domain_path, limit)
    problems: list[Problem] = []
    profiles: list[Profile] = []
    taken = set(_RESERVED)
    for path in profile_paths:
        try:
            profile = read_profile(path, domain, _unique(_slug(path.stem) or "party", taken))
        except LoadError as e:
            problems += e.problems
            continue
        taken.add(profile.party)
        profiles.append(profile)
    if problems:
        raise LoadError(problems)
    files = [(CASE_FILE, _dump(case_dict(case, domain, profiles), domain, profiles))]
    files += [(f"{p.party}.yaml", _dump(party_dict(p, domain), domain, [p])) for p in profiles]
    for name, text in files:
        if len(text.encode()) > MAX_FILE_BYTES:
            raise UsageError(
                f"{domain_path}: {name} would take {len(text.encode()):,} bytes, over nposition's "
                f"limit of {MAX_FILE_BYTES:,} for a position file; narrow the integer issues"
            )
    return Conversion(case, domain, tuple(profiles), tuple(files))


# --- XML ---------------------------------------------------------------------------------------


class _Doctype(Exception):
    pass


class _Xml:
    """One parsed file: its root element, each element's line, and the problems found in it."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        self.problems: list[Problem] = []
        self.lines: dict[ET.Element, tuple[int, int]] = {}
        self.root = self._parse(path)

    def _parse(self, path: Path) -> ET.Element:
        try:
            size = path.stat().st_size
            if size > MAX_XML_BYTES:
                self._fail(
                    Location(self.path), f"file is {size:,} bytes; the limit is {MAX_XML_BYTES:,}"
                )
            data = path.read_bytes()
        except FileNotFoundError:
            self._fail(Location(self.path), "file not found")
        except OSError as e:
            self._fail(Location(self.path), f"cannot read file: {e.strerror or e}")
        builder = ET.TreeBuilder()
        parser = expat.ParserCreate()

        def start(tag: str, attrs: dict[str, str]) -> None:
            where = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
            self.lines[builder.start(tag, attrs)] = where

        def refuse(*_: object) -> None:
            raise _Doctype

        parser.StartElementHandler = start
        parser.EndElementHandler = builder.end
        parser.StartDoctypeDeclHandler = refuse
        try:
            parser.Parse(data, True)
        except expat.ExpatError as e:
            where = Location(self.path, e.lineno, e.offset + 1)
            self._fail(where, f"malformed XML: {expat.ErrorString(e.code)}")
        except _Doctype:
            where = Location(self.path, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
            self._fail(
                where, "DOCTYPE declarations are refused (entities could expand without bound)"
            )
        return builder.close()

    def _fail(self, where: Location, message: str) -> NoReturn:
        raise LoadError([Problem(where, Severity.ERROR, message)])

    def loc(self, element: ET.Element) -> Location:
        return Location(self.path, *self.lines.get(element, (0, 0)))

    def error(self, element: ET.Element, message: str) -> None:
        self.problems.append(Problem(self.loc(element), Severity.ERROR, message))

    def attr(self, element: ET.Element, name: str, what: str) -> str | None:
        value = element.get(name)
        if value is None:
            self.error(element, f"{what}: <{element.tag}> has no '{name}' attribute")
        return value

    def number(self, element: ET.Element, name: str, what: str) -> float | None:
        text = self.attr(element, name, what)
        try:
            value = float(text) if text is not None else None
        except ValueError:
            value = math.nan
        if value is not None and not math.isfinite(value):
            self.error(element, f"{what}: '{name}' must be a finite number, not '{text}'")
            return None
        return value

    def integer(self, element: ET.Element, name: str, what: str) -> int | None:
        text = self.attr(element, name, what)
        try:
            return int(text) if text is not None else None
        except ValueError:
            self.error(element, f"{what}: '{name}' must be an integer, not '{text}'")
            return None

    def issues(self) -> list[ET.Element]:
        """Every <issue> of the file, wherever the objective tree puts it."""
        found = list(self.root.iter("issue"))
        if not found:
            self.error(self.root, "no <issue> element: not a GENIUS domain or utility profile")
        return found

    def done(self) -> None:
        """Raise every problem found so far, if any."""
        if self.problems:
            raise LoadError(self.problems)


def _kind(element: ET.Element) -> str:
    """An issue's type; the oldest files give none, and those are discrete."""
    for name in ("vtype", "type", "etype"):
        if element.get(name):
            return element.get(name, "").lower()
    return "discrete"


# --- the domain --------------------------------------------------------------------------------


def read_domain(path: Path, limit: int | None = None) -> Domain:
    """The issues of a GENIUS domain file; refuses spaces over nposition's package limit."""
    xml = _Xml(path)
    issues: list[GeniusIssue] = []
    for element in xml.issues():
        name = xml.attr(element, "name", "issue")
        what = f"issue '{name}'"
        kind = _kind(element)
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
            issues.append(GeniusIssue(name, "", tuple(values), _ids(values, "option_")))
        else:
            xml.error(element, f"{what}: type '{kind}' is unsupported (discrete or integer only)")
    xml.done()
    sizes = [b[1] - b[0] + 1 if (b := i.bounds) else len(i.values) for i in issues]
    size, cap = math.prod(sizes), max_packages() if limit is None else limit
    if size > cap:
        raise SpaceTooLargeError(
            f"{path}: the domain has {size:,} packages ({' x '.join(map(str, sizes))}), over "
            f"nposition's limit of {cap:,} (nposition.space.max_packages(); raise it with "
            "--max-packages or NPOSITION_MAX_PACKAGES, or narrow the integer issues' bounds)"
        )
    if sum(sizes) * _MIN_OPTION_BYTES > MAX_FILE_BYTES:
        raise UsageError(
            f"{path}: the issues have {sum(sizes):,} values in all, more than case.yaml can hold "
            f"within nposition's limit of {MAX_FILE_BYTES:,} bytes; narrow the integer issues"
        )
    ids = _ids([i.name for i in issues], "issue_")
    return Domain(path.name, tuple(_finish(i, id_) for i, id_ in zip(issues, ids, strict=True)))


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
    xml = _Xml(path)
    notes: list[str] = []
    found = _issues_of_profile(xml, domain)
    xml.done()
    total = sum(w for w, _ in found.values())
    if total <= 0:
        xml.error(xml.root, "the issue weights sum to 0")
        xml.done()
    if abs(total - 1) > 1e-12:
        notes.append(f"{path}: issue weights sum to {total:.12g}; normalised to 1")
    scores = []
    for n, issue in enumerate(domain.issues):
        raw, element = found[n]
        read = _integer_scores if issue.bounds else _discrete_scores
        scores.append(read(xml, element, issue, f"issue weight {raw:g}", notes))
    xml.done()
    weights = tuple(found[n][0] / total for n in range(len(domain.issues)))
    best = sum(w * max(s.value for s in ss) for w, ss in zip(weights, scores, strict=True))
    reservation = _reservation(xml, best, notes)
    xml.done()
    return Profile(path.name, party, path.stem, weights, tuple(scores), reservation, tuple(notes))


def _issues_of_profile(xml: _Xml, domain: Domain) -> dict[int, tuple[float, ET.Element]]:
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
    xml: _Xml, element: ET.Element, issue: GeniusIssue, weight: str, notes: list[str]
) -> tuple[Score, ...]:
    what, before = f"issue '{issue.name}'", len(xml.problems)
    if _kind(element) != "discrete":
        xml.error(element, f"{what} is a discrete issue in the domain, '{_kind(element)}' here")
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
    xml: _Xml, element: ET.Element, issue: GeniusIssue, weight: str, notes: list[str]
) -> tuple[Score, ...]:
    what, before = f"issue '{issue.name}'", len(xml.problems)
    assert issue.bounds is not None
    low, high = issue.bounds
    if _kind(element) != "integer":
        xml.error(element, f"{what} is an integer issue in the domain, '{_kind(element)}' here")
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


def _reservation(xml: _Xml, best: float, notes: list[str]) -> float | None:
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


# --- the case files ----------------------------------------------------------------------------


def case_dict(case: str, domain: Domain, profiles: Sequence[Profile]) -> dict[str, Any]:
    """case.yaml: the domain's issues, with no status quo (GENIUS's disagreement is no deal)."""
    issues = []
    for issue in domain.issues:
        entry: dict[str, Any] = {"id": issue.id, "title": issue.name, "ordered": bool(issue.bounds)}
        if issue.bounds:
            entry["description"] = f"An integer from {issue.bounds[0]} to {issue.bounds[1]}."
        entry["options"] = [
            {"id": i, "label": v} for i, v in zip(issue.option_ids, issue.values, strict=True)
        ]
        issues.append(entry)
    return {
        "case": case,
        "title": f"{Path(domain.file).stem} (GENIUS/ANAC domain)",
        "description": (
            f"Imported from the GENIUS domain {domain.file} with the utility profiles "
            f"{', '.join(p.file for p in profiles)}. Each party has one preference per option it "
            "values, weighing issue weight x score, so its utility is its GENIUS utility."
        ),
        "issues": issues,
        "status_quo": "no_agreement",
    }


def party_dict(profile: Profile, domain: Domain) -> dict[str, Any]:
    """A party file: one preference per (issue, option) with a positive weight."""
    rules = []
    for issue, weight, scores in zip(domain.issues, profile.weights, profile.scores, strict=True):
        for option, label, score in zip(issue.option_ids, issue.values, scores, strict=True):
            if weight * score.value <= 0:
                continue
            rules.append(
                {
                    "id": f"{issue.id}-{option}",
                    "kind": "preference",
                    "text": f"{issue.name} = {label}: score {score.value:.6g} on an issue "
                    f"weighing {weight:.6g} of 1",
                    "require": f"{issue.id} == {option}",
                    "weight": weight * score.value,
                    "source": {
                        "who": profile.file,
                        "date": SOURCE_DATE,
                        "where": f"GENIUS utility profile for the domain {domain.file}",
                        "quote": score.quote,
                        "paraphrase": True,
                    },
                }
            )
    out: dict[str, Any] = {"party": profile.party, "name": profile.name}
    if profile.reservation is not None:
        out["reservation"] = profile.reservation
    out["rules"] = rules
    return out


def _dump(data: dict[str, Any], domain: Domain, profiles: Sequence[Profile]) -> str:
    files = ", ".join([domain.file, *(p.file for p in profiles)])
    header = f"# Written by `nposition import-genius` from {files}; re-import rather than edit.\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


# --- writing -----------------------------------------------------------------------------------


def write_case(files: Sequence[tuple[str, str]], out: Path, force: bool = False) -> None:
    """Write the files as folder `out`: built beside it, checked, then renamed into place."""
    replace = _check_target(out, force)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as e:
        raise UsageError(f"{out}: cannot create the folder: {e.strerror or e}") from e
    umask = os.umask(0)
    os.umask(umask)
    try:
        work.chmod(0o777 & ~umask)  # mkdtemp makes it private; the case folder is not
        for name, text in files:
            (work / name).write_text(text, encoding="utf-8")
        load_case(work)  # what every other command will do: fail here rather than there
        if replace:
            old = work.with_name(work.name + ".old")
            out.rename(old)
            try:
                work.rename(out)
            except OSError:
                old.rename(out)
                raise
            shutil.rmtree(old)
        else:
            work.rename(out)
    except OSError as e:
        raise UsageError(f"{out}: cannot write the case: {e.strerror or e}") from e
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _check_target(out: Path, force: bool) -> bool:
    """Whether `out` exists and may be replaced; refuses what must not be overwritten."""
    if not out.exists():
        return False
    if not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    if not any(out.iterdir()):
        return True
    if not force:
        raise UsageError(f"{out}: exists and is not empty (--force replaces a case folder)")
    if not (out / CASE_FILE).is_file():
        raise UsageError(f"{out}: holds no {CASE_FILE}; --force only replaces a case folder")
    return True


# --- ids ---------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    """Lowercase ASCII letters, digits and single underscores: a name rule expressions accept."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def _ids(names: Sequence[str], fallback: str) -> tuple[str, ...]:
    """Distinct ids for names, in order; `fallback` + position for a name with no letter or digit."""
    ids: list[str] = []
    taken: set[str] = set()
    for n, name in enumerate(names, 1):
        ids.append(_unique(_slug(name) or f"{fallback}{n}", taken))
        taken.add(ids[-1])
    return tuple(ids)


def _unique(base: str, taken: set[str] | frozenset[str]) -> str:
    """`base`, made no keyword of the expression language and distinct from `taken`."""
    if base in expr.KEYWORDS:
        base += "_"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name
