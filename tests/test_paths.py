"""Specification of analysis/paths.py: paths are scoped, never assigned, so a build or a test
cannot leave them changed for the code that runs after it."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import paths
from testpaths import ROOT


def test_a_scope_points_every_path_into_another_project_and_ends_with_its_block(tmp_path):
    before = paths.current()
    with paths.scoped(root=tmp_path) as project:
        assert paths.ROOT == tmp_path and paths.RAW == tmp_path / "data" / "raw"
        assert paths.LEDGER == tmp_path / "data" / "raw" / "published_figures.csv"
        assert paths.PROCESSED == paths.PROCESSED_PUBLISHED == tmp_path / "data" / "processed"
        with paths.scoped(processed=tmp_path / "staged"):
            assert paths.PROCESSED == tmp_path / "staged" and paths.RAW == project.raw
            assert paths.PROCESSED_PUBLISHED == tmp_path / "data" / "processed"
        assert paths.PROCESSED == tmp_path / "data" / "processed"
    assert paths.current() == before


def test_assigning_a_path_is_refused_with_the_way_to_scope_it():
    with pytest.raises(AttributeError, match="paths.scoped"):
        paths.PROCESSED = Path("/elsewhere")
    with pytest.raises(AttributeError, match="paths.scoped"):
        setattr(paths, "RAW", Path("/elsewhere"))


def test_a_child_process_gets_the_scoped_paths_through_its_environment(tmp_path):
    with paths.scoped(root=tmp_path, processed=tmp_path / "staged"):
        env = {**os.environ, **paths.environment()}
    code = "from analysis import paths; print(paths.ROOT); print(paths.PROCESSED)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[:2] == [str(tmp_path), str(tmp_path / "staged")]


def assignments_to_paths_or_their_environment(source: str) -> list[int]:
    """Lines assigning an attribute of ``paths`` or a NETRALITAS_* environment variable."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                    and target.value.id == "paths":
                lines.append(node.lineno)
            if isinstance(target, ast.Subscript) and "environ" in ast.unparse(target.value) \
                    and "NETRALITAS" in ast.unparse(target.slice):
                lines.append(node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in {"pop", "update", "setdefault"} \
                and "environ" in ast.unparse(node.func.value) \
                and "NETRALITAS" in ast.unparse(node):
            lines.append(node.lineno)
    return lines


def test_no_code_in_the_package_or_the_notebooks_changes_the_global_paths():
    sources = sorted((ROOT / "analysis").rglob("*.py")) + sorted((ROOT / "notebooks").glob("*.py"))
    found = {path.relative_to(ROOT).as_posix(): lines for path in sources
             if (lines := assignments_to_paths_or_their_environment(path.read_text("utf-8")))}
    assert not found
    assert assignments_to_paths_or_their_environment(
        "paths.PROCESSED = x\nos.environ['NETRALITAS_PROCESSED'] = y\n"
        "os.environ.pop('NETRALITAS_PROCESSED', None)\n") == [1, 2, 3]
