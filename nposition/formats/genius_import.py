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

XML is read by `xmlio` (located errors, no DOCTYPE, no entity expansion). Sources are dated
`SOURCE_DATE`, a fixed placeholder: GENIUS files carry no date, and the same input must give
byte-identical output whatever the day.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nposition.errors import LoadError, Problem, UsageError
from nposition.formats.case_file import load_case
from nposition.formats.files import exchange
from nposition.formats.genius_file import Domain, Profile, read_domain, read_profile
from nposition.formats.layout import CASE_FILE, CHECKS_FILE
from nposition.formats.names import slug, unique
from nposition.limits import DEFAULT_MAX_PACKAGES, MAX_FILE_BYTES

SOURCE_DATE = "1970"  # "undated": GENIUS files have no date (see the module docstring)
HEADER = "# Written by `nposition import-genius` from "
_RESERVED = frozenset(Path(name).stem for name in (CASE_FILE, CHECKS_FILE))


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


def import_genius(
    domain: Path,
    profiles: Sequence[Path],
    out: Path,
    case: str | None = None,
    force: bool = False,
    limit: int = DEFAULT_MAX_PACKAGES,
) -> ImportSummary:
    """Convert a GENIUS domain and profiles and write them as the case folder `out`, atomically."""
    folder = out.resolve()
    for given in (domain, *profiles):
        if given.resolve().parent == folder:
            raise UsageError(
                f"{given}: is inside --out {out}, which the import replaces; copy it out first"
            )
    default = slug(out.name) or "genius"
    conversion = convert(domain, profiles, default if case is None else case, limit)
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
    domain_path: Path, profile_paths: Sequence[Path], case: str, limit: int = DEFAULT_MAX_PACKAGES
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
            profile = read_profile(path, domain, unique(slug(path.stem) or "party", taken))
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
            f"{', '.join(p.file for p in profiles)}. Each party has one preference per issue it "
            "weighs, scoring each value as GENIUS does (issue weight x score), so its utility is its "
            "GENIUS utility."
        ),
        "issues": issues,
        "status_quo": "no_agreement",
    }


def party_dict(profile: Profile, domain: Domain) -> dict[str, Any]:
    """A party file: one value-function preference per issue the profile weighs."""
    rules = []
    for issue, weight, scores in zip(domain.issues, profile.weights, profile.scores, strict=True):
        valued = {
            option: score.value
            for option, score in zip(issue.option_ids, scores, strict=True)
            if score.value > 0
        }
        if weight <= 0 or not valued:
            continue
        rules.append(
            {
                "id": issue.id.replace("_", "-"),
                "kind": "preference",
                "text": f"{issue.name}: weighs {weight:.6g} of 1; each value scored as GENIUS does",
                "weight": weight,
                "scores": {"issue": issue.id, "options": valued},
                "source": {
                    "who": profile.file,
                    "date": SOURCE_DATE,
                    "where": f"GENIUS utility profile for the domain {domain.file}",
                    "quote": f"issue weight {weight:.6g}; scores "
                    + ", ".join(f"{o} {v:.6g}" for o, v in valued.items()),
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
    header = f"{HEADER}{files}; re-import rather than edit.\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


# --- writing -----------------------------------------------------------------------------------


def write_case(files: Sequence[tuple[str, str]], out: Path, force: bool = False) -> None:
    """Write the files as folder `out`: built beside it, checked, then swapped into place.

    When `--force` replaces a case folder, what the import does not own (a hand-written
    checks.yaml, scenarios/, .git, ...) is kept: linked into the new folder before the swap, which
    is one atomic rename where the system offers it, so the folder is never half replaced.
    """
    replace = _check_target(out, force)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as e:
        raise UsageError(f"{out}: cannot create the folder: {e.strerror or e}") from e
    try:
        work.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the case folder is not
        for name, text in files:
            (work / name).write_text(text, encoding="utf-8")
        if replace:
            _keep_foreign(out, work)
        load_case(work)  # what every other command will do: fail here rather than there
        if not replace:
            work.rename(out)
        elif not exchange(work, out):
            _swap_by_renames(work, out)
    except OSError as e:
        raise UsageError(f"{out}: cannot write the case: {e.strerror or e}") from e
    finally:
        shutil.rmtree(work, ignore_errors=True)  # after a swap, the old folder


def _swap_by_renames(work: Path, out: Path) -> None:
    """Where no atomic swap exists: move the old folder aside, the new one in, then clean up."""
    old = work.with_name(work.name + ".old")
    out.rename(old)
    try:
        work.rename(out)
    except OSError:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _check_target(out: Path, force: bool) -> bool:
    """Whether `out` exists and may be replaced; refuses what must not be overwritten."""
    if out.is_symlink():
        raise UsageError(f"{out}: is a symbolic link; give the folder it points to")
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


def _keep_foreign(out: Path, work: Path) -> None:
    """Hard-link (or copy) into `work` every entry of `out` that the import does not own."""
    for entry in sorted(out.iterdir()):
        if not _owned(entry) and not (work / entry.name).exists():
            _link_tree(entry, work / entry.name)


def _link_tree(source: Path, target: Path) -> None:
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
    elif source.is_dir():
        target.mkdir()
        shutil.copystat(source, target)
        for entry in sorted(source.iterdir()):
            _link_tree(entry, target / entry.name)
    else:
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)


def _owned(path: Path) -> bool:
    """What an import writes and a re-import replaces: case.yaml, and files with its header."""
    if path.name == CASE_FILE:
        return True
    if path.is_symlink() or not path.is_file() or path.suffix != ".yaml":
        return False
    try:
        with path.open("rb") as handle:
            return handle.read(len(HEADER)) == HEADER.encode()
    except OSError:
        return False
