"""Reading and writing files safely: regular files only, bounded reads, all-or-nothing writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from nposition.errors import UsageError


class Unreadable(Exception):
    """A file nposition refuses to read: not a regular file, or over its size limit."""


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    A FIFO, a device (a symlink to /dev/zero), a socket or a folder is refused before it is
    opened, so nothing blocks or reads without end; the read itself is bounded too.
    """
    status = os.stat(path)  # follows symlinks: the target is what would be read
    if not stat.S_ISREG(status.st_mode):
        folder = stat.S_ISDIR(status.st_mode)
        raise Unreadable("a folder" if folder else "not a regular file (a pipe, device or socket)")
    if status.st_size > limit:
        raise Unreadable(f"file is {status.st_size:,} bytes; the limit is {limit:,}")
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise Unreadable(f"file is over the limit of {limit:,} bytes")
    return data


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write a file whole or not at all: never a partial file after an error."""
    import tempfile

    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except OSError as e:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise UsageError(f"{path}: cannot write: {e.strerror or e}") from e


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where the system cannot."""
    import ctypes
    import errno

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EPERM):  # no such call, or not on this filesystem
        return False
    raise OSError(code, os.strerror(code), str(b))
