"""What every command shares: global state, the --format option, loading, and error handling."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from nposition.errors import LoadError, NPositionError, visible
from nposition.render import Format, emit

if TYPE_CHECKING:
    from nposition.render import Report
    from nposition.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])


class State:
    """The global options of one run and the workspace they name.

    A plain class: a dataclass would cost about half a millisecond to generate at every start.
    """

    __slots__ = ("case", "debug", "max_packages", "no_cache", "opened", "positions")

    def __init__(self) -> None:
        self.positions: Path | None = None
        self.case = "kuril"
        self.max_packages: int | None = None
        self.debug = False
        self.no_cache = False
        self.opened: Workspace | None = None

    def workspace(self) -> Workspace:
        """The case named by the global options, opened once per command."""
        if self.opened is None:
            from nposition.workspace import Workspace

            self.opened = Workspace(
                self.positions, self.case, self.max_packages, cache=not self.no_cache
            )
        return self.opened


STATE = State()

FormatOption = Annotated[
    Format,
    typer.Option(
        "--format", "-f", help="Output format: table (for people), json (for scripts) or markdown."
    ),
]


ByOption = Annotated[
    list[str] | None,
    typer.Option(
        "--by",
        help="Only concessions by this party (repeat for several): what would it alone have to give up?",
    ),
]
LimitOption = Annotated[int, typer.Option("--limit", min=0, help="How many packages to list.")]

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
            print(visible(str(problem)), file=sys.stderr)
        count = len(error.errors)
        print(
            f"error: {count} problem{'s' if count != 1 else ''} found; {consequence}",
            file=sys.stderr,
        )
    else:
        print(f"error: {visible(str(error))}", file=sys.stderr)
    raise typer.Exit(2)


def output(report: Report, fmt: Format) -> None:
    emit(report, fmt, sys.stdout)


def output_path(path: Path, suffixes: tuple[str, ...], what: str, inputs: frozenset[Path]) -> str:
    """Refuse an output file with the wrong suffix or one that is an input of the case."""
    from nposition.errors import UsageError

    suffix = path.suffix.lower()
    if suffix not in suffixes:
        raise UsageError(f"{path}: {what} must be {' or '.join(suffixes)}")
    if path.resolve() in inputs:
        raise UsageError(f"{path}: is an input of the case; {what} would overwrite it")
    return suffix
