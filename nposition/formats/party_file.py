"""Reading a party file: its own fields and its rules (read by `rules`), every problem located."""

from __future__ import annotations

from collections.abc import Sequence

from nposition.formats import spec
from nposition.formats.rules import read_rule
from nposition.formats.yamlio import Reader
from nposition.model.case import Issue, Party, Rule


def read_party(
    reader: Reader, issues: Sequence[Issue], documents: frozenset[str] | None = None
) -> Party | None:
    """One party file; None when it has errors (they are recorded on the reader)."""
    root = reader.load()
    if root is None:
        return None
    before = reader.error_count()
    keys = reader.record(root, spec.PARTY, "party file")
    if keys is None or "party" not in keys:
        return None
    party_id = reader.name(keys["party"], "party id", spec.ID)
    name = reader.text(keys["name"], "name") if "name" in keys else None
    as_of = reader.date(keys["as_of"]) if "as_of" in keys else ""
    reservation = None
    if "reservation" in keys:
        reservation = reader.number(keys["reservation"], "reservation", spec.RESERVATION.bounds)
    rules: list[Rule] = []
    ids: set[str] = set()
    for item in reader.sequence(keys["rules"], "rules") if "rules" in keys else []:
        rule = read_rule(reader, item, party_id or "?", issues, documents)
        if rule is None:
            continue
        if rule.id in ids:
            reader.error(item, f"duplicate rule id '{rule.id}' in party '{party_id}'")
            continue
        ids.add(rule.id)
        rules.append(rule)
    if reader.error_count() > before or party_id is None:
        return None
    return Party(
        party_id,
        name or party_id,
        tuple(rules),
        as_of or "",
        reservation,
        reader.loc(keys["party"]),
    )
