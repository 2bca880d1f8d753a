"""The import contracts of pyproject.toml: the engine and trainer_gui.state import no Qt, and the
engine does not import the window. Checked by import-linter, which reads the imports statically."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    """lint-imports on the project in `project` (its pyproject.toml and packages)."""
    command = shutil.which("lint-imports") or pytest.fail("lint-imports is missing: install the dev extras")
    return subprocess.run([command, str(project / "pyproject.toml"), "--no-cache"], cwd=project,
                          capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(project), "PATH": str(Path(sys.executable).parent)})


def test_the_import_contracts_hold():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_the_contract_catches_a_qt_import_in_the_state(tmp_path):
    """The check can fail: a copy of the project whose state package imports PySide6 breaks it."""
    copy = tmp_path / "project"
    for name in ("engine", "trainer_gui"):
        shutil.copytree(REPO / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    (copy / "trainer_gui" / "state" / "leak.py").write_text("from PySide6.QtCore import QObject\n")
    result = lint_imports(copy)
    assert result.returncode != 0 and "trainer_gui.state.leak -> PySide6" in result.stdout, result.stdout
