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


def test_a_file_edited_while_it_is_read_leaves_no_entry(cache: Path, tmp_path: Path) -> None:
    """The result of bytes that changed during the build is not kept under the old bytes' key."""
    from nposition.formats.cache import cached

    source = tmp_path / "f.txt"
    source.write_text("old")

    def build() -> str:
        text = source.read_text()
        source.write_text("new")  # an editor saving while nposition reads
        return text

    assert cached("test", [source], build) == "old"
    source.write_text("old")
    assert cached("test", [source], lambda: "fresh") == "fresh"  # nothing was stored for "old"
    assert cached("test", [source], lambda: "again") == "fresh"  # now it is


@pytest.mark.parametrize("damage", ["foreign", "flipped", "fifo", "symlink", "huge"])
def test_an_entry_that_cannot_be_trusted_is_ignored(
    cache: Path, tmp_path: Path, damage: str
) -> None:
    """A foreign pickle, a flipped byte, a FIFO or a symlink in an entry's place: rebuilt."""
    import os
    import pickle

    from nposition.formats import cache as module

    source = tmp_path / "f.txt"
    source.write_text("content")
    assert module.cached("test", [source], lambda: "built") == "built"
    (entry,) = cache.glob("test-*.pickle")
    if damage == "foreign":
        entry.write_bytes(pickle.dumps("planted"))
    elif damage == "flipped":
        data = bytearray(entry.read_bytes())
        data[-3] ^= 1
        entry.write_bytes(bytes(data))
    elif damage == "fifo":
        entry.unlink()
        os.mkfifo(entry)
    elif damage == "symlink":
        other = tmp_path / "elsewhere.pickle"
        other.write_bytes(entry.read_bytes())
        entry.unlink()
        entry.symlink_to(other)
    else:
        with entry.open("r+b") as handle:
            handle.truncate(module.MAX_ENTRY_BYTES + 100)
    assert module.cached("test", [source], lambda: "rebuilt") == "rebuilt"


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_bad_no_cache_value_is_a_usage_error(
    cache: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("NPOSITION_NO_CACHE", value)
    code, out = _run("--positions", str(CASES), "--case", "mini", "validate")
    assert code == 2
    assert "NPOSITION_NO_CACHE" in out


@pytest.mark.parametrize("value", ["0", "false", "no", "off", ""])
def test_no_cache_values_that_keep_the_cache(
    cache: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("NPOSITION_NO_CACHE", value)
    _run("--positions", str(CASES), "--case", "mini", "validate")
    assert list(cache.glob("*.pickle"))


def test_no_home_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without HOME or a password entry, and no cache folder configured: read without a cache."""
    for name in ("NPOSITION_CACHE_DIR", "XDG_CACHE_HOME", "NPOSITION_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)

    def nowhere() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(nowhere))
    code, out = _run("--positions", str(CASES), "--case", "mini", "validate")
    assert code == 0, out


def test_a_relative_xdg_cache_home_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nposition.formats.cache import folder

    monkeypatch.delenv("NPOSITION_CACHE_DIR", raising=False)
    monkeypatch.delenv("NPOSITION_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert folder() == tmp_path / ".cache" / "nposition"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert folder() == tmp_path / "xdg" / "nposition"


def test_the_key_covers_every_source_file_and_the_yaml_loader() -> None:
    """An edit anywhere in nposition (or another PyYAML) makes every entry unreachable."""
    import yaml

    from nposition.formats.cache import _code_stamp

    stamp = _code_stamp().decode()
    package = Path(__file__).parents[1] / "nposition"
    sources = [p for p in package.rglob("*.py") if "__pycache__" not in p.parts]
    assert len(sources) > 50
    for path in sources:
        assert f"{path.resolve()}:" in stamp, path
    assert f"{Path(yaml.__file__).resolve()}:" in stamp


def test_missing_folders_are_made_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setenv("NPOSITION_CACHE_DIR", str(tmp_path / "a" / "b" / "cache"))
    monkeypatch.delenv("NPOSITION_NO_CACHE", raising=False)
    old = os.umask(0)
    try:
        _run("--positions", str(CASES), "--case", "mini", "validate")
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "cache"):
        assert folder.stat().st_mode & 0o777 == 0o700
