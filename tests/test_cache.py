"""The cache of parsed files: a hit gives exactly what reading the files gives, and any change to
a file, or a damaged entry, or a folder it cannot write, means the files are read afresh."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nposition.cli import app
from nposition.formats.yamlio import Reader
from nposition.workspace import Workspace

from .conftest import CASES, REPO

KURIL = REPO / "positions" / "kuril"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test, switched on."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("NPOSITION_CACHE_DIR", str(folder))
    monkeypatch.delenv("NPOSITION_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each YAML file is parsed."""
    counts: Counter[str] = Counter()
    load = Reader.load

    def counting(self: Reader):  # type: ignore[no-untyped-def]
        counts[self.path.name] += 1
        return load(self)

    monkeypatch.setattr(Reader, "load", counting)
    return counts


def _copy(folder: Path, tmp_path: Path) -> Path:
    target = tmp_path / "positions" / folder.name
    shutil.copytree(folder, target)
    return target


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_a_second_run_parses_nothing_and_says_the_same(
    cache: Path, reads: Counter[str], tmp_path: Path
) -> None:
    """Every command's output is the same from the cache; the second round parses no file."""
    case = _copy(KURIL, tmp_path)
    commands = [
        ["analyze", "--format", "json"],
        ["analyze", "--scenario", "snapshot-1956", "--format", "json"],
        ["validate", "--format", "json"],
        ["compare", "--format", "json"],
    ]
    base = ["--positions", str(case.parent), "--case", case.name]
    first = [_run(*base, *c) for c in commands]
    assert reads, "the first round reads the files"
    reads.clear()
    second = [_run(*base, *c) for c in commands]
    assert second == first
    assert not reads, f"parsed again: {sorted(reads)}"
    uncached = [_run(*base, "--no-cache", *c) for c in commands]
    assert uncached == first
    assert reads  # --no-cache parses


def test_an_edited_file_is_read_afresh(cache: Path, tmp_path: Path) -> None:
    """Changing a party file, or adding one, changes what a cached run reports."""
    case = _copy(CASES / "mini", tmp_path)
    before = Workspace.at(case).base
    buyer = case / "buyer.yaml"
    buyer.write_text(buyer.read_text().replace("name: Buyer", "name: Renamed buyer", 1))
    after = Workspace.at(case).base
    assert before.party("buyer").name != after.party("buyer").name == "Renamed buyer"
    shutil.copy(case / "seller.yaml", case / "third.yaml")
    third = case / "third.yaml"
    third.write_text(third.read_text().replace("party: seller", "party: third", 1))
    assert [p.id for p in Workspace.at(case).base.parties] == ["buyer", "seller", "third"]


def test_validation_warnings_come_back_from_the_cache(cache: Path, reads: Counter[str]) -> None:
    """A case with a warning: the cached validation reports it, located, without reading."""
    folder = REPO / "tests" / "data" / "invalid" / "always-holds"
    first = Workspace.at(folder).validate()
    reads.clear()
    second = Workspace.at(folder).validate()
    assert second == first
    assert first.warnings == 1
    assert not reads
    assert Workspace.at(folder).validate(strict=True).errors == 1


def test_a_damaged_entry_is_rebuilt(cache: Path) -> None:
    """An entry that does not unpickle is ignored and rewritten."""
    first = _run("--positions", str(CASES), "--case", "mini", "analyze", "--format", "json")
    entries = list(cache.glob("*.pickle"))
    assert entries
    for entry in entries:
        entry.write_bytes(b"not a pickle")
    assert _run("--positions", str(CASES), "--case", "mini", "analyze", "--format", "json") == first
    assert all(e.read_bytes() != b"not a pickle" for e in entries)


def test_a_cache_that_cannot_be_written_is_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache folder that is a file (so nothing can be written there) changes nothing."""
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder")
    monkeypatch.setenv("NPOSITION_CACHE_DIR", str(blocked / "cache"))
    monkeypatch.delenv("NPOSITION_NO_CACHE", raising=False)
    code, out = _run("--positions", str(CASES), "--case", "mini", "validate")
    assert code == 0, out
    assert blocked.read_text() == "a file, not a folder"


def test_no_cache_writes_nothing(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--no-cache` and NPOSITION_NO_CACHE=1 leave the cache folder untouched."""
    _run("--no-cache", "--positions", str(CASES), "--case", "mini", "analyze")
    monkeypatch.setenv("NPOSITION_NO_CACHE", "1")
    _run("--positions", str(CASES), "--case", "mini", "validate")
    assert not cache.exists()


def test_the_cache_is_pruned(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder keeps at most MAX_ENTRIES entries."""
    from nposition.formats import cache as module

    monkeypatch.setattr(module, "MAX_ENTRIES", 3)
    case = _copy(CASES / "mini", tmp_path)
    buyer = case / "buyer.yaml"
    text = buyer.read_text()
    for k in range(6):
        buyer.write_text(text + f"\n# edit {k}\n")
        assert Workspace.at(case).base.parties
    assert len(list(cache.glob("*.pickle"))) == 3


def test_a_folder_others_can_write_is_not_used(cache: Path) -> None:
    """Entries are pickles: a cache folder writable by group or others is ignored entirely."""
    cache.mkdir(mode=0o777)
    cache.chmod(0o777)
    code, out = _run("--positions", str(CASES), "--case", "mini", "validate")
    assert code == 0, out
    assert not list(cache.iterdir())
    cache.chmod(0o700)
    _run("--positions", str(CASES), "--case", "mini", "validate")
    assert list(cache.iterdir())
