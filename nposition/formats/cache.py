"""A cache of what reading a case produced, keyed by the content of the files it read.

CI runs nposition many times over the same files; each run after the first finds the case,
parties and scenarios it would build already built. An entry's key is a BLAKE2 hash of:

- what kind of result it is (`case`, `scenario`, ...) and the file names as given (they appear
  in located messages);
- the bytes of every file the result was read from;
- nposition's version and the size and modification time of every source file of the modules
  that read files and model cases (so an edited checkout never reads a stale entry).

A hit returns exactly what reading the files would: same objects, same problems. Entries are
pickles written atomically into `$NPOSITION_CACHE_DIR`, else `$XDG_CACHE_HOME/nposition`, else
`~/.cache/nposition` (made readable by its owner alone; a folder owned by someone else or writable
by others is not used, since loading a pickle runs code), and `NPOSITION_NO_CACHE=1` (or
`--no-cache`) turns the cache off. The cache is an optimisation only: a file it cannot read or
write, or an entry it cannot load, means the files are read as if there were no cache, silently.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from nposition.formats.files import Unreadable, read_bytes
from nposition.limits import MAX_FILE_BYTES

T = TypeVar("T")

MAX_ENTRIES = 256  # beyond this, the oldest entries go when a new one is written
MAX_ENTRY_BYTES = 8 * 1024 * 1024  # a larger result is not kept: the cache stays under 2 GiB
_PACKAGE = Path(__file__).resolve().parents[1]
_SOURCES = ("errors.py", "limits.py", "formats", "model", "engine")  # what builds a cached result


def folder() -> Path | None:
    """Where entries live, or None when the cache is off."""
    if os.environ.get("NPOSITION_NO_CACHE", "").strip() not in ("", "0"):
        return None
    configured = os.environ.get("NPOSITION_CACHE_DIR", "").strip()
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "nposition"


def cached(
    kind: str, files: Iterable[Path], build: Callable[[], T], *extra: bytes, enabled: bool = True
) -> T:
    """What `build()` returns for these files (as named), from the cache when it holds it."""
    where = folder() if enabled else None
    if where is not None and not _private(where):
        where = None
    key = _key(kind, files, extra) if where is not None else None
    if where is None or key is None:
        return build()
    entry = where / f"{kind}-{key}.pickle"
    found = _load(entry)
    if found is not None:
        return found  # type: ignore[no-any-return]  # what `build` returned when stored
    result = build()
    _store(where, entry, result)
    return result


def _private(where: Path) -> bool:
    """Whether the folder is safe to load entries from: yours, and writable by you alone (an
    entry is a pickle, which runs code as it loads). A folder yet to be made is made so."""
    try:
        info = os.stat(where)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _key(kind: str, files: Iterable[Path], extra: tuple[bytes, ...]) -> str | None:
    """The entry's name; None when a file cannot be read (its error is then reported afresh)."""
    digest = _hasher()
    digest.update(_code_stamp())
    digest.update(kind.encode())
    for part in extra:
        digest.update(len(part).to_bytes(8, "little") + part)
    for path in files:
        try:
            data = read_bytes(path, MAX_FILE_BYTES)
        except (OSError, Unreadable):
            return None
        name = os.fsencode(path)
        digest.update(len(name).to_bytes(8, "little") + name)
        digest.update(len(data).to_bytes(8, "little") + data)
    return str(digest.hexdigest())


_stamp: bytes | None = None


def _code_stamp() -> bytes:
    """nposition's version, Python's, and the size and mtime of each source file that matters."""
    global _stamp
    if _stamp is None:
        from nposition import __version__

        parts = [__version__, sys.version]
        for name in _SOURCES:
            path = _PACKAGE / name
            entries = sorted(os.scandir(path), key=lambda e: e.name) if path.is_dir() else [path]
            for item in entries:
                if not os.fspath(item).endswith(".py"):
                    continue
                info = os.stat(item)
                parts.append(f"{os.fspath(item)}:{info.st_size}:{info.st_mtime_ns}")
        _stamp = "\n".join(parts).encode()
    return _stamp


def _hasher() -> Any:
    try:  # the BLAKE2 module alone: `hashlib` would load OpenSSL, 5 ms of start-up
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - an interpreter without it
        from hashlib import blake2b
    return blake2b(digest_size=20)


def _load(entry: Path) -> Any:
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    try:
        from _pickle import loads
    except ImportError:  # pragma: no cover - an interpreter without the C pickle
        from pickle import loads
    try:
        return loads(data)
    except Exception:  # a damaged or outdated entry is rebuilt, whatever went wrong reading it
        return None


def _store(where: Path, entry: Path, result: object) -> None:
    import pickle
    import tempfile

    try:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        if len(data) > MAX_ENTRY_BYTES:
            return
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".entry-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, entry)
        except BaseException:
            os.unlink(tmp)
            raise
        _prune(where)
    except (OSError, pickle.PicklingError, RecursionError, TypeError, AttributeError):
        return  # a cache that cannot be written is no cache, not an error


def _prune(where: Path) -> None:
    """Keep the newest MAX_ENTRIES entries."""
    entries = [e for e in os.scandir(where) if e.name.endswith(".pickle")]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda e: e.stat().st_mtime_ns)
    for old in entries[: len(entries) - MAX_ENTRIES]:
        with contextlib.suppress(OSError):
            os.unlink(old.path)
