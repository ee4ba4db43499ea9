"""The layers of analysis/ hold: import-linter's contracts in pyproject.toml are kept, and every
subpackage says what belongs in it."""
import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from testpaths import ROOT

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
            "analysis.methods.lags; bad = [m for m in sys.modules if m.startswith(("
            "'analysis.data', 'analysis.findings', 'analysis.publish', 'analysis.paths'))]; "
            "print(bad); "
            "sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_saving_a_notebook_in_jupyter_rewrites_nothing(tmp_path):
    """With jupytext.toml, a notebook read and written back (as JupyterLab does on save) is
    byte-identical: no header is added, cell tags are kept."""
    import jupytext

    config = jupytext.config.load_jupytext_configuration_file(str(ROOT / "jupytext.toml"))
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py")):
        text = notebook.read_text(encoding="utf-8")
        nb = jupytext.reads(text, fmt="py:percent")
        # what JupyterLab adds while the notebook is open: its kernel and jupytext's own record
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                     "language": "python"}
        nb.metadata.setdefault("jupytext", {})["text_representation"] = {
            "extension": ".py", "format_name": "percent", "jupytext_version": "1.19.6"}
        # only the project's jupytext.toml may keep the header off, not what reads() inferred
        nb.metadata["jupytext"].pop("notebook_metadata_filter", None)
        again = jupytext.writes(nb, fmt="py:percent", config=config)
        assert again == text, notebook.name
        assert jupytext.writes(nb, fmt="py:percent") != text  # without the config it would differ


def test_ruff_passes_with_the_projects_rules():
    """`make lint`'s first half: the code passes ruff under pyproject's rules, and a `# noqa`
    that suppresses nothing is itself an error (RUF100), so the markers name a real tool."""
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", "--no-cache", "analysis", "tests", "scripts",
                             "notebooks"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    unused = "x = 1  # noqa: E501\n"
    probe = subprocess.run([str(ruff), "check", "--no-cache", "--stdin-filename", "probe.py", "-"],
                           cwd=ROOT, input=unused, capture_output=True, text=True)
    assert probe.returncode == 1 and "RUF100" in probe.stdout, probe.stdout
