"""The manifest's ``dirty`` flag: a build from a fresh, clean clone is not marked as built from a
modified tree, whatever the build writes (processed tables, reports, staging folders beside
them); a changed tracked file, or a new file among the build's inputs, is."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.publish.build import manifest as report
from analysis.publish import staging as staging_mod
from testpaths import ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(cwd: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def clone(tmp_path) -> Path:
    """A clone of a small repository laid out like the project, with the project's .gitignore."""
    origin = tmp_path / "origin"
    for relative, text in {"analysis/__init__.py": "", "notebooks/01_a.py": "# %%\n",
                           "data/raw/a.csv": "a\n1\n", "README.md": "x\n",
                           "data/processed/.gitkeep": "", "reports/.gitkeep": ""}.items():
        (origin / relative).parent.mkdir(parents=True, exist_ok=True)
        (origin / relative).write_text(text, encoding="utf-8")
    shutil.copy(ROOT / ".gitignore", origin / ".gitignore")
    _git(origin, "init", "-q")
    _git(origin, "add", "-A")
    _git(origin, "commit", "-q", "-m", "start")
    _git(tmp_path, "clone", "-q", str(origin), "clone")
    return tmp_path / "clone"


def _write_build_outputs(root: Path) -> None:
    """What a build leaves in the tree: processed tables, reports, and the staging folders and
    locks it keeps beside them while it runs."""
    for relative in ("data/processed/enforcement_snapshots.csv", "reports/index.html",
                     "reports/tables/02_x.csv", "notebooks/__pycache__/x.pyc",
                     ".venv/bin/python", "scratch/figures/x.png"):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text("x", encoding="utf-8")
    for target in (root / "reports", root / "data" / "processed"):
        (staging_mod.new_staging(target) / "index.html").write_text("x", encoding="utf-8")


def test_a_clean_clone_is_not_dirty_after_the_build_writes_its_outputs(clone):
    assert report.git_state(clone)["dirty"] is False
    _write_build_outputs(clone)
    state = report.git_state(clone)
    assert state["dirty"] is False, subprocess.run(
        ["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout
    assert len(state["commit"]) == 40 and state["date"]


def test_a_changed_tracked_file_or_a_new_input_marks_the_build_dirty(clone):
    (clone / "README.md").write_text("changed\n", encoding="utf-8")
    assert report.git_state(clone)["dirty"] is True
    _git(clone, "checkout", "--", "README.md")
    assert report.git_state(clone)["dirty"] is False
    (clone / "notebooks" / "02_new.py").write_text("# %%\n", encoding="utf-8")
    assert report.git_state(clone)["dirty"] is True  # a new notebook would be built


def test_outside_a_repository_the_state_is_unknown(tmp_path):
    state = report.git_state(tmp_path)
    assert state == {"commit": None, "dirty": None, "date": None}


def test_a_clone_of_this_project_stays_clean_through_a_data_build(tmp_path):
    """The real project: clone its committed state, build data/processed inside the clone (as
    `python -m analysis report` does first) and stage a reports folder beside it."""
    _git(tmp_path, "clone", "-q", str(ROOT), "clone")
    clone = tmp_path / "clone"
    env = dict(os.environ, NETRALITAS_ROOT=str(clone))
    env.pop("NETRALITAS_PROCESSED", None)
    result = subprocess.run([sys.executable, "-m", "analysis", "build"], cwd=clone, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert any((clone / "data" / "processed").glob("*.csv"))
    (staging_mod.new_staging(clone / "reports") / "index.html").write_text("x", encoding="utf-8")
    assert report.git_state(clone)["dirty"] is False
