"""The layers of analysis/ hold: import-linter's contracts in pyproject.toml are kept, and every
subpackage says what belongs in it."""
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUBPACKAGES = ["analysis.data", "analysis.methods", "analysis.findings", "analysis.publish"]


def test_import_linter_contracts_are_kept():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout and result.stdout.count("KEPT") >= 3


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_each_subpackage_has_a_docstring_and_an_all_that_names_its_modules(name):
    package = importlib.import_module(name)
    assert package.__doc__ and "belongs" in package.__doc__
    folder = Path(package.__file__).parent
    modules = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    modules |= {p.name for p in folder.iterdir() if (p / "__init__.py").is_file()}
    assert set(package.__all__) == modules


def test_methods_import_nothing_from_the_project(tmp_path):
    """A methods module imported on its own pulls in no other layer (general-purpose)."""
    code = ("import sys, analysis.methods.rates, analysis.methods.funnel, analysis.methods.its, "
            "analysis.methods.lags; bad = [m for m in sys.modules if m.startswith(('analysis.data', "
            "'analysis.findings', 'analysis.publish', 'analysis.paths'))]; print(bad); "
            "sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
