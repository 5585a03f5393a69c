"""A cache of what reading a case produced, keyed by the content of the files it read.

CI runs nposition many times over the same files; each run after the first finds the case,
parties and scenarios it would build already built. An entry's key is a BLAKE2 hash of:

- what kind of result it is (`case`, `scenario`, ...) and the file names as given (they appear
  in located messages);
- the bytes of every file the result was read from, hashed before the result is built and again
  after (a file that changed meanwhile means the result is not kept);
- nposition's version, Python's, and the size and modification time of every source file of
  nposition and of PyYAML (so an edited checkout or another YAML loader never reads an entry).

A hit returns exactly what reading the files would: same objects, same problems. Entries are
pickles, and loading a pickle runs code, so the folder is guarded:

- it is `$NPOSITION_CACHE_DIR`, else `$XDG_CACHE_HOME/nposition` (an absolute one), else
  `~/.cache/nposition`; missing folders on the way are made readable by their owner alone;
- it is opened once, without following a symlink, and used only when that open folder is yours
  and writable by you alone; every entry is then read and written relative to that handle, so
  the folder cannot be swapped between the check and the use;
- an entry is used only when it is a regular file of yours, within the size limit, whose
  checksum (over its key and its content) matches.

`NPOSITION_NO_CACHE=1` (or `--no-cache`) turns the cache off. The cache is an optimisation only:
a folder or entry it cannot read, write or trust means the files are read as if there were no
cache, silently.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from nposition.errors import UsageError
from nposition.formats.files import Unreadable, read_bytes
from nposition.limits import MAX_FILE_BYTES

T = TypeVar("T")

MAX_ENTRIES = 256  # beyond this, the oldest entries go when a new one is written
MAX_ENTRY_BYTES = 8 * 1024 * 1024  # a larger result is not kept: the cache stays under 2 GiB
STALE_SECONDS = 3600  # a half-written entry this old was left by a process that died
_PACKAGE = Path(__file__).resolve().parents[1]
_DIGEST = 20  # bytes of BLAKE2 digest, in keys and in each entry's checksum
_OFF = ("1", "true", "yes", "on")
_ON = ("", "0", "false", "no", "off")


def folder() -> Path | None:
    """Where entries live, or None when the cache is off or there is nowhere to put it."""
    off = os.environ.get("NPOSITION_NO_CACHE", "").strip().lower()
    if off in _OFF:
        return None
    if off not in _ON:
        raise UsageError(f"NPOSITION_NO_CACHE={off!r}: expected 1 (cache off) or 0 (cache on)")
    configured = os.environ.get("NPOSITION_CACHE_DIR", "").strip()
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if os.path.isabs(base):  # a relative one is to be ignored (XDG base directory spec)
        return Path(base) / "nposition"
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):  # no HOME and no password entry
        return None
    return home / ".cache" / "nposition" if home.is_absolute() else None


def cached(
    kind: str, files: Iterable[Path], build: Callable[[], T], *extra: bytes, enabled: bool = True
) -> T:
    """What `build()` returns for these files (as named), from the cache when it holds it."""
    where = folder() if enabled else None
    files = list(files)
    key = _key(kind, files, extra) if where is not None else None
    handle = _Folder.open(where) if where is not None and key is not None else None
    if handle is None or key is None:
        return build()
    with handle:
        name = f"{kind}-{key}.pickle"
        found = handle.load(name, key)
        if found is not None:
            return found  # type: ignore[no-any-return]  # what `build` returned when stored
        result = build()
        if _key(kind, files, extra) == key:  # no file changed while it was read
            handle.store(name, key, result)
        return result


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
    """nposition's version, Python's, and the size and mtime of each source file of nposition
    and PyYAML (found without importing it: a cached run never needs YAML)."""
    global _stamp
    if _stamp is None:
        from importlib.util import find_spec

        from nposition import __version__

        parts = [__version__, sys.version]
        yaml = find_spec("yaml")
        roots = [_PACKAGE, *(Path(p) for p in (yaml and yaml.submodule_search_locations) or ())]
        for root in roots:
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
                for name in sorted(filenames):
                    if name.endswith((".py", ".so", ".pyd")):
                        info = os.stat(os.path.join(dirpath, name))
                        parts.append(f"{dirpath}/{name}:{info.st_size}:{info.st_mtime_ns}")
        _stamp = "\n".join(parts).encode()
    return _stamp


def _hasher() -> Any:
    try:  # the BLAKE2 module alone: `hashlib` would load OpenSSL, 5 ms of start-up
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - an interpreter without it
        from hashlib import blake2b
    return blake2b(digest_size=_DIGEST)


class _Folder:
    """The cache folder, opened once; entries are read and written relative to this handle."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    @classmethod
    def open(cls, where: Path) -> _Folder | None:
        """The folder, made if missing; None unless it is yours and writable by you alone."""
        flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            _make(where)
            fd = os.open(where, flags)
        except OSError:
            return None
        info = os.fstat(fd)
        if info.st_uid != os.getuid() or info.st_mode & 0o022:
            os.close(fd)
            return None
        return cls(fd)

    def __enter__(self) -> _Folder:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)

    def load(self, name: str, key: str) -> Any:
        """The entry's result, or None when it is missing, foreign, damaged or unloadable."""
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(name, flags, dir_fd=self.fd)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
                return None
            if info.st_size > MAX_ENTRY_BYTES + _DIGEST:
                return None
            data = handle.read(MAX_ENTRY_BYTES + _DIGEST + 1)
        check, payload = data[:_DIGEST], data[_DIGEST:]
        if _checksum(key, payload) != check:
            return None
        try:
            from _pickle import loads
        except ImportError:  # pragma: no cover - an interpreter without the C pickle
            from pickle import loads
        try:
            return loads(payload)
        except Exception:  # an entry of an older nposition, say: rebuilt, whatever went wrong
            return None

    def store(self, name: str, key: str, result: object) -> None:
        """Keep a result, written whole or not at all; any failure just leaves no entry."""
        import pickle

        try:
            payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, RecursionError, TypeError, AttributeError):
            return
        if len(payload) > MAX_ENTRY_BYTES:
            return
        temporary = f".entry-{os.getpid()}-{os.urandom(6).hex()}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            fd = os.open(temporary, flags, 0o600, dir_fd=self.fd)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(_checksum(key, payload) + payload)
                os.replace(temporary, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
            except BaseException:
                os.unlink(temporary, dir_fd=self.fd)
                raise
            self._prune()
        except OSError:
            return

    def _prune(self) -> None:
        """Keep the newest MAX_ENTRIES entries; remove half-written ones left by dead processes."""
        import time

        entries, now = [], time.time()
        with os.scandir(self.fd) as listing:
            for item in listing:
                info = item.stat(follow_symlinks=False)
                if item.name.endswith(".pickle"):
                    entries.append((info.st_mtime_ns, item.name))
                elif item.name.startswith(".entry-") and now - info.st_mtime > STALE_SECONDS:
                    os.unlink(item.name, dir_fd=self.fd)
        for _, old in sorted(entries)[: max(0, len(entries) - MAX_ENTRIES)]:
            os.unlink(old, dir_fd=self.fd)


def _checksum(key: str, payload: bytes) -> bytes:
    digest = _hasher()
    digest.update(key.encode())
    digest.update(payload)
    return bytes(digest.digest())


def _make(where: Path) -> None:
    """Make the folder and any missing folder above it, each readable by its owner alone."""
    missing = []
    while not os.path.lexists(where) and where != where.parent:
        missing.append(where)
        where = where.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(path, 0o700)
