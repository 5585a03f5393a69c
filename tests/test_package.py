"""Packaging promises: a cheap `import nposition`, documented commands, bundled positions."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer
from typer.core import TyperGroup

from nposition.cli import COMMANDS, app
from nposition.formats.layout import bundled_positions

from .conftest import REPO

LIBRARY_MODULES = [
    "nposition",
    "nposition.reports.analysis",
    "nposition.reports.explain",
    "nposition.engine.lint",
    "nposition.reports.validation",
    "nposition.formats.case_file",
    "nposition.reports.results",
    "nposition.render.json",
    "nposition.render.json_analysis",
    "nposition.render.json_case",
    "nposition.render.markdown",
]


def _imported_after(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("module", LIBRARY_MODULES)
def test_library_does_not_import_cli_or_rich(module: str) -> None:
    """The library layers import neither typer nor rich (nor numpy, which loads lazily)."""
    loaded = _imported_after(module)
    assert not {"typer", "rich", "numpy"} & loaded


def _commands() -> dict[str, typer.core.TyperCommand]:
    """Every command, built (the group builds a command only when asked for it)."""
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    ctx = typer.Context(group)
    commands = {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}
    return {name: c for name, c in commands.items() if isinstance(c, typer.core.TyperCommand)}


def test_every_command_module_is_listed() -> None:
    """Each command module of nposition.cli is in COMMANDS, and each name there builds a command."""
    folder = REPO / "nposition" / "cli"
    modules = {p.stem for p in folder.glob("*.py")} - {"__init__", "common"}
    assert set(COMMANDS.values()) == modules
    assert list(_commands()) == list(COMMANDS)


def test_every_command_has_help_and_is_in_readme() -> None:
    """Each command has help text and appears in the README as `nposition <command>`."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = _commands()
    assert commands
    for name, command in commands.items():
        assert command.help, f"{name} has no help text"
        assert f"nposition {name}" in readme, f"{name} is not documented in README.md"
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"{name} {param.opts} has no help text"


def test_bundled_positions_found() -> None:
    """The installed package finds the bundled Kuril case from any working directory."""
    assert (bundled_positions() / "kuril" / "case.yaml").is_file()


def test_python_dash_m(tmp_path: object) -> None:
    """`python -m nposition --version` works."""
    out = subprocess.run(
        [sys.executable, "-m", "nposition", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("nposition ")
