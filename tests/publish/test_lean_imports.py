"""Specification of analysis/publish/build/lean_imports.py: the build marks jsonschema's IRI
checker (rfc3987_syntax, 1 s to import) as absent, and notebooks are still read and validated
as before. Run in fresh interpreters: the test process has jsonschema loaded already."""
from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

PROBE = """
import sys
from analysis.publish.build.lean_imports import skip_unused_iri_checker
skipped = {skip}
if skipped:
    assert skip_unused_iri_checker() is True
import jsonschema, nbformat
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
nbformat.validate(nb)
nbformat.validate(nbformat.reads(nbformat.writes(nb), as_version=4))
assert skip_unused_iri_checker() is False  # jsonschema is loaded: too late, nothing changed
loaded = sys.modules.get("rfc3987_syntax") is not None
print("iri" in jsonschema.FormatChecker.checkers, loaded)
"""


def probe(skip: bool) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE.format(skip=skip)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


@pytest.mark.skipif(importlib.util.find_spec("rfc3987_syntax") is None,
                    reason="rfc3987-syntax is not installed here (nothing to skip)")
def test_the_iri_checker_is_skipped_and_notebooks_still_validate():
    assert probe(skip=False) == "True True"  # installed and loaded by jsonschema unless skipped
    assert probe(skip=True) == "False False"


def test_the_command_and_the_notebook_workers_skip_it_first():
    """`python -m analysis` and a worker's first notebook call it before anything imports
    jsonschema (a call after that would save nothing)."""
    from pathlib import Path

    import analysis

    package = Path(analysis.__file__).parent
    main = (package / "__main__.py").read_text(encoding="utf-8")
    assert main.index("skip_unused_iri_checker()") < main.index("from .cli import main")
    execute = (package / "publish" / "build" / "execute.py").read_text(encoding="utf-8")
    body = execute[execute.index("def _build_notebook"):]
    assert body.index("skip_unused_iri_checker()") < body.index("import jupytext")
