"""What starting nposition imports: pinned lists, so that a stray import shows up in review.

Start-up time itself is measured by `bench/startup.py`, not asserted here: timings vary with the
machine, the module lists do not. When a change imports a module on purpose, update the list the
failure message prints.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from nposition.formats.layout import bundled_positions

# Runs the CLI on the bundled case (the folder is the script's argument) as the console script does.
_ANALYZE_JSON = """\
from nposition.cli import main
sys.argv = ["nposition", "--positions", sys.argv[1], "analyze", "--format", "json"]
main()"""

# Every nposition module `nposition analyze --format json` imports on the bundled case, reading the
# files (the first run, or --no-cache).
ANALYZE_JSON_MODULES = [
    "nposition",
    "nposition.cli",
    "nposition.cli.analyze",
    "nposition.cli.common",
    "nposition.engine",
    "nposition.engine.bargaining",
    "nposition.engine.conflicts",
    "nposition.engine.levels",
    "nposition.engine.space",
    "nposition.engine.utility",
    "nposition.engine.zone",
    "nposition.errors",
    "nposition.formats",
    "nposition.formats.cache",
    "nposition.formats.case_file",
    "nposition.formats.expressions",
    "nposition.formats.fields",
    "nposition.formats.files",
    "nposition.formats.issues",
    "nposition.formats.layout",
    "nposition.formats.party_file",
    "nposition.formats.rules",
    "nposition.formats.sources",
    "nposition.formats.spec",
    "nposition.formats.yamlio",
    "nposition.limits",
    "nposition.model",
    "nposition.model.case",
    "nposition.model.expr",
    "nposition.model.parser",
    "nposition.model.record",
    "nposition.model.resolve",
    "nposition.model.tokens",
    "nposition.model.tree",
    "nposition.render",
    "nposition.render.json",
    "nposition.render.json_analysis",
    "nposition.render.progress",
    "nposition.reports",
    "nposition.reports.analysis",
    "nposition.reports.results",
    "nposition.workspace",
]

# A run that finds the case in the cache of parsed files reads no YAML: no loader is imported.
ANALYZE_JSON_CACHED_MODULES = sorted(
    set(ANALYZE_JSON_MODULES)
    - {
        "nposition.formats.case_file",
        "nposition.formats.expressions",
        "nposition.formats.fields",
        "nposition.formats.issues",
        "nposition.formats.party_file",
        "nposition.formats.rules",
        "nposition.formats.sources",
        "nposition.formats.spec",
        "nposition.formats.yamlio",
        "nposition.model.expr",  # the expression language: the loaders parse, the engine does not
        "nposition.model.parser",
        "nposition.model.tokens",
    }
)

# Third-party packages that would cost start-up for nothing on this path: numpy is for spaces of
# 65,536 packages or more, rich only draws at a terminal.
NOT_ON_JSON_PATH = {"numpy", "rich"}


def _imported(code: str, *args: str, env: dict[str, str] | None = None) -> list[str]:
    """The modules a fresh interpreter imports running `code` (which must succeed)."""
    script = "\n".join(
        [
            "import sys",
            "before = set(sys.modules)",
            "try:",
            textwrap.indent(code, "    "),
            "finally:",  # reported on stderr, apart from the command's own output
            "    for name in sorted(set(sys.modules) - before):",
            "        print('imported', name, file=sys.stderr)",
        ]
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    return [line.split()[1] for line in done.stderr.splitlines() if line.startswith("imported ")]


def _differs(pinned: list[str], imported: list[str]) -> str:
    """A failure message: what is new, what is gone, and the list to paste if it is meant."""
    new = sorted(set(imported) - set(pinned))
    gone = sorted(set(pinned) - set(imported))
    listing = "".join(f'    "{name}",\n' for name in imported)
    return f"newly imported: {new}\nno longer imported: {gone}\nthe list now:\n[\n{listing}]"


def test_analyze_json_imports_only_the_pinned_modules() -> None:
    """`analyze --format json` imports exactly the pinned nposition modules, and no numpy or rich."""
    imported = _imported(_ANALYZE_JSON, str(bundled_positions()), env={"NPOSITION_NO_CACHE": "1"})
    ours = sorted(name for name in imported if name.split(".")[0] == "nposition")
    assert ours == ANALYZE_JSON_MODULES, _differs(ANALYZE_JSON_MODULES, ours)
    stray = sorted({name.split(".")[0] for name in imported} & NOT_ON_JSON_PATH)
    assert not stray, f"imported on the JSON path: {stray}"


def test_a_cached_case_is_read_without_the_loaders(tmp_path: Path) -> None:
    """The second run on unchanged files imports no YAML loader, and no numpy or rich."""
    env = {"NPOSITION_CACHE_DIR": str(tmp_path), "NPOSITION_NO_CACHE": ""}
    first = _imported(_ANALYZE_JSON, str(bundled_positions()), env=env)
    assert "nposition.formats.case_file" in first  # the first run reads and fills the cache
    imported = _imported(_ANALYZE_JSON, str(bundled_positions()), env=env)
    ours = sorted(name for name in imported if name.split(".")[0] == "nposition")
    assert ours == ANALYZE_JSON_CACHED_MODULES, _differs(ANALYZE_JSON_CACHED_MODULES, ours)
    stray = sorted({name.split(".")[0] for name in imported} & NOT_ON_JSON_PATH)
    assert not stray, f"imported on the JSON path: {stray}"


def test_import_nposition_is_the_version_alone() -> None:
    """`import nposition` loads the package's own `__init__` and nothing else: no typer, no yaml."""
    imported = _imported("import nposition")
    assert imported == ["nposition"]
