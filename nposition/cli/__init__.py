"""The command-line interface: the only place that imports typer, wires layers, and exits.

One module per command; a run imports only the module of the command it runs (see `Commands`).
The command modules do without `from __future__ import annotations`: typer would otherwise have
to evaluate the annotation strings of the command at each start.
"""

import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

from nposition import __version__
from nposition.cli.common import STATE

if TYPE_CHECKING:
    from typer._click import Command, Context  # what TyperGroup's methods are typed with

# Every command, in the order `--help` lists them, and the module of nposition.cli defining it.
COMMANDS = {
    "validate": "validate",
    "show": "show",
    "analyze": "analyze",
    "explain": "explain",
    "reach": "reach",
    "compare": "compare",
    "diff": "compare",
    "check": "check",
    "plot": "plot",
    "schema": "schema",
    "import-genius": "genius",
}


class Commands(TyperGroup):
    """The group of commands, each imported and built on first use rather than all at start.

    Building every command at each start costs milliseconds (nine modules imported, every
    signature turned into click parameters) that a run of one command does not need; `--help`
    and shell completion, which list them all, build them all.
    """

    def list_commands(self, ctx: "Context") -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: "Context", cmd_name: str) -> "Command | None":
        module = COMMANDS.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            self._build(module)
        return self.commands.get(cmd_name)

    def resolve_command(
        self, ctx: "Context", args: list[str]
    ) -> "tuple[str | None, Command | None, list[str]]":
        if args and args[0] not in COMMANDS:  # a typo: typer suggests from the commands built
            for name in COMMANDS:
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def _build(self, module: str) -> None:
        """Add the commands of one module (`compare` defines two) to the group."""
        holder = typer.Typer()
        importlib.import_module(f"{__name__}.{module}").register(holder)
        for info in holder.registered_commands:
            command = typer.main.get_command_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=self.rich_markup_mode,
            )
            self.add_command(command)


app = typer.Typer(
    cls=Commands,
    name="nposition",
    help=(
        "Analyze negotiation positions written as cited YAML rules: where they overlap, which "
        "red lines conflict, which minimal concessions open a zone of agreement."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"nposition {__version__}")
        raise typer.Exit()


@app.callback()
def configure(
    positions: Annotated[
        Path | None,
        typer.Option(
            "--positions",
            help="Folder of cases. Default: ./positions when it exists, else the bundled cases.",
            file_okay=False,
        ),
    ] = None,
    case: Annotated[
        str, typer.Option("--case", help="The case folder inside the positions folder.")
    ] = "kuril",
    max_packages: Annotated[
        int | None,
        typer.Option(
            "--max-packages",
            min=1,
            help="Refuse outcome spaces larger than this (default 250,000,000; env NPOSITION_MAX_PACKAGES).",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback for errors.")] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Read every file afresh, without the cache of parsed files (env NPOSITION_NO_CACHE=1).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Global options, given before the command."""
    STATE.positions = positions
    STATE.case = case
    STATE.max_packages = max_packages
    STATE.debug = debug
    STATE.no_cache = no_cache
    STATE.opened = None


GLOBAL_OPTIONS = {
    "--positions": True,
    "--case": True,
    "--max-packages": True,
    "--debug": False,
    "--no-cache": False,
}


def global_options_first(argv: list[str]) -> list[str]:
    """Move global options written after the command in front of it (`analyze --case x`)."""
    command = next(
        (k for k, a in enumerate(argv) if not a.startswith("-") and _is_command(argv, k)), None
    )
    if command is None:
        return argv
    front, rest, moved = argv[:command], argv[command:], []
    k = 1
    while k < len(rest):
        name = rest[k].split("=", 1)[0]
        if rest[k] == "--":
            break
        if name in GLOBAL_OPTIONS:
            takes = GLOBAL_OPTIONS[name] and "=" not in rest[k]
            moved += rest[k : k + 1 + takes]
            del rest[k : k + 1 + takes]
            continue
        k += 1
    return front + moved + rest


def _is_command(argv: list[str], k: int) -> bool:
    """Whether argv[k] is the command word, not the value of a global option before it."""
    previous = argv[k - 1] if k else ""
    return not (GLOBAL_OPTIONS.get(previous))


def main() -> None:
    """Entry point of the `nposition` script."""
    if sys.stdout is None:  # started with stdout closed
        print("error: standard output is closed; nothing was written", file=sys.stderr)
        sys.exit(2)
    for stream in (sys.stdout, sys.stderr):  # an ASCII terminal gets `\u2013`, not a crash
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        app(args=global_options_first(sys.argv[1:]), prog_name="nposition")
    except BrokenPipeError:
        _quiet_broken_pipe()
    except OSError as e:  # writing the report failed: a full disk, a closed descriptor
        print(f"error: cannot write the output: {e.strerror or e}", file=sys.stderr)
        sys.exit(2)
    except MemoryError:
        print(
            "error: out of memory; lower --max-packages or merge options to shrink the space",
            file=sys.stderr,
        )
        sys.exit(2)
    except Exception as e:  # a bug, not bad input: say so briefly unless --debug
        if STATE.debug:
            raise
        print(
            f"internal error: {type(e).__name__}: {e} (run with --debug for a traceback)",
            file=sys.stderr,
        )
        sys.exit(3)


def _quiet_broken_pipe() -> None:
    """The reader went away (`nposition analyze | head`): exit as a piped Unix tool does."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not fail again
    sys.exit(141)
