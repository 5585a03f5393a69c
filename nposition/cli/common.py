"""What every command shares: global state, the --format option, loading, and error handling."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from nposition.errors import LoadError, NPositionError
from nposition.render import Format, Report, emit

if TYPE_CHECKING:
    from nposition.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])


class State:
    """The global options of one run and the workspace they name.

    A plain class: a dataclass would cost about half a millisecond to generate at every start.
    """

    __slots__ = ("case", "debug", "max_packages", "opened", "positions")

    def __init__(self) -> None:
        self.positions: Path | None = None
        self.case = "kuril"
        self.max_packages: int | None = None
        self.debug = False
        self.opened: Workspace | None = None

    def workspace(self) -> Workspace:
        """The case named by the global options, opened once per command."""
        if self.opened is None:
            from nposition.workspace import Workspace

            self.opened = Workspace(self.positions, self.case, self.max_packages)
        return self.opened


STATE = State()

FormatOption = Annotated[
    Format,
    typer.Option(
        "--format", "-f", help="Output format: table (for people), json (for scripts) or markdown."
    ),
]


ScenarioOption = Annotated[
    str | None,
    typer.Option(
        "--scenario", "-s", help="Apply a scenario of the case first (a file in scenarios/)."
    ),
]


def handle_errors(func: F, consequence: str = "nothing was analyzed") -> F:
    """Run a command; bad input becomes a located message on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NPositionError as e:
            if STATE.debug:
                raise
            fail(e, consequence)
        except KeyboardInterrupt:
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def fail(error: NPositionError, consequence: str = "nothing was analyzed") -> None:
    """Print an error (every problem of a LoadError) to stderr and exit 2."""
    if isinstance(error, LoadError):
        for problem in error.problems:
            print(str(problem), file=sys.stderr)
        count = len(error.errors)
        print(
            f"error: {count} problem{'s' if count != 1 else ''} found; {consequence}",
            file=sys.stderr,
        )
    else:
        print(f"error: {error}", file=sys.stderr)
    raise typer.Exit(2)


def output(report: Report, fmt: Format) -> None:
    emit(report, fmt, sys.stdout)


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write a file whole or not at all: never a partial file after an error."""
    import tempfile

    from nposition.errors import UsageError

    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except OSError as e:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise UsageError(f"{path}: cannot write: {e.strerror or e}") from e
