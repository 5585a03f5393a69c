"""The model's records behave as frozen dataclasses: immutable, equal and hashed by their fields."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from collections.abc import Iterator

import pytest

from nposition.errors import Location
from nposition.model.case import Case
from nposition.model.record import Record
from nposition.workspace import Workspace

from .conftest import REPO


def _records(value: object) -> Iterator[Record]:
    """Every record reachable from a value, once each."""
    seen: set[int] = set()
    todo = [value]
    while todo:
        x = todo.pop()
        if id(x) in seen:
            continue
        seen.add(id(x))
        if isinstance(x, Record):
            yield x
            todo += [getattr(x, f.name) for f in dataclasses.fields(x)]  # type: ignore[arg-type]
        elif isinstance(x, tuple | list):
            todo += list(x)
        elif isinstance(x, dict):
            todo += list(x.values())


@pytest.fixture(scope="module")
def records() -> list[Record]:
    ws = Workspace.at(REPO / "positions" / "kuril")
    scenarios = [ws.scenario(name) for name in ws.scenario_names]
    _, expectations = ws.expectations()
    return list(_records([ws.base, scenarios, expectations]))


def test_every_kind_of_record_is_covered(records: list[Record]) -> None:
    kinds = {type(r).__name__ for r in records}
    assert {"Case", "Party", "Rule", "Source", "Issue", "Option", "Document", "Scenario"} <= kinds
    assert {"Change", "Expectation", "Fallback"} <= kinds


def test_records_are_frozen(records: list[Record]) -> None:
    for r in records:
        assert dataclasses.is_dataclass(r)
        name = dataclasses.fields(r)[0].name  # type: ignore[arg-type]
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(r, name, getattr(r, name))
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(r, name)
        with pytest.raises(dataclasses.FrozenInstanceError):
            r.extra = 1  # type: ignore[attr-defined]


def test_equality_and_hashing_follow_the_compared_fields(records: list[Record]) -> None:
    for r in records:
        twin = dataclasses.replace(r)  # type: ignore[type-var]
        assert twin == r
        assert twin is not r
        try:
            assert hash(twin) == hash(r)
        except TypeError:  # a dict within the fields, as the generated __hash__ would refuse too
            compared = [getattr(r, f.name) for f in dataclasses.fields(r) if f.compare]  # type: ignore[arg-type]
            with pytest.raises(TypeError):
                hash(tuple(compared))
        assert pickle.loads(pickle.dumps(r)) == r
        assert copy.deepcopy(r) == r
        for f in dataclasses.fields(r):  # type: ignore[arg-type]
            value = getattr(r, f.name)
            if isinstance(value, str):
                moved = dataclasses.replace(r, **{f.name: value + "x"})  # type: ignore[type-var]
                assert moved != r
            if isinstance(value, Location):
                moved = dataclasses.replace(r, **{f.name: value.shifted(1)})  # type: ignore[type-var]
                assert (moved == r) is (not f.compare)
    assert records[0] != "not a record"


def test_repr_names_the_class_and_the_fields(records: list[Record]) -> None:
    case = next(r for r in records if isinstance(r, Case))
    party = case.parties[0]
    text = repr(party)
    assert text.startswith(f"Party(id={party.id!r}, name={party.name!r}, rules=(Rule(")
