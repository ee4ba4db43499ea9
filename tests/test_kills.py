"""Builds killed at each stage (notebook, PDF, data write, publish) leave the published reports
and data/processed exactly as they were, each matching its manifest, and the next build cleans
up what the killed one left (staging folders, temp folders, browser profiles) and succeeds.

Each test runs the real command line in a subprocess on a throwaway project (the real raw data,
one small notebook) with one function replaced by a SIGKILL of the whole process at that stage.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from testpaths import NOTEBOOK_FIXTURE, project_env

FIXTURE = NOTEBOOK_FIXTURE

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")]

KILL = "import os, signal\ndef _die(*a, **k):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
STAGES = {
    # the kernel runs the notebook; the build process dies while it waits
    "notebook": "from analysis.publish.build import execute\nexecute.run_one = _die\n",
    "pdf": "from analysis.publish import brief\nbrief.print_pdf = _die\n",
    "data write": "from analysis.data import build\n"
                  "_orig = build.write\n"
                  "def _half(tables, folder=None):\n"
                  "    from analysis.data.atomic import atomic_write_text\n"
                  "    atomic_write_text(folder / 'conflicts.csv', 'half\\n')\n"
                  "    _die()\n"
                  "build.write = _half\n",
    "publish": "from analysis.data import journal\njournal.swap_in = _die\n",
    # data/processed swapped in, the reports not yet: the journal rolls it forward
    "between the two swaps": "from analysis.data import journal\n"
                             "_swap, _n = journal.swap_in, []\n"
                             "def _second_dies(*a, **k):\n"
                             "    _n.append(1)\n"
                             "    if len(_n) == 2:\n"
                             "        _die()\n"
                             "    return _swap(*a, **k)\n"
                             "journal.swap_in = _second_dies\n",
    "between the renames of the swap":
        "from analysis.data import atomic\n"
        "atomic._exchange = lambda a, b: False\n"
        "_replace, _calls = os.replace, []\n"
        "def _replace_then_die(a, b):\n"
        "    _calls.append(1)\n"
        "    if '.netralitas-old-' in str(b):\n"
        "        _replace(a, b)\n"
        "        _die()\n"
        "    return _replace(a, b)\n"
        "atomic.os.replace = _replace_then_die\n",
}


def cli(root: Path, *args: str, patch: str = "") -> subprocess.CompletedProcess:
    code = (KILL + patch + "import sys\nfrom analysis import cli\n"
            f"sys.exit(cli.main(['report', *{list(args)!r}]))\n")
    tmp = root.parent / "tmp"  # the builds' own temp folder, so other builds on the machine
    tmp.mkdir(exist_ok=True)   # cannot make the leftover check pass or fail
    env = project_env(root, TMPDIR=str(tmp))
    return subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True,
                          text=True, timeout=600)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_matches_manifest(reports: Path) -> None:
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    listed = {**manifest["files"], **manifest["kept_files"]}
    present = set(files(reports)) - {"manifest.json"}
    assert present == set(listed)
    for relative, digest in listed.items():
        assert hashlib.sha256((reports / relative).read_bytes()).hexdigest() == digest, relative


def assert_in_step(reports: Path, processed: Path) -> None:
    """The reports were built from exactly the processed tables on disk."""
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    recorded = {k[len("data/processed/"):]: v for k, v in manifest["data"].items()
                if k.startswith("data/processed/")}
    on_disk = {p.relative_to(processed).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
               for p in processed.rglob("*") if p.is_file()
               and not any(part.startswith(".") for part in p.relative_to(processed).parts)}
    assert recorded == on_disk


def our_temp_dirs(tmp: Path) -> set[str]:
    return {p.name for p in tmp.glob("netralitas-*-pid*")} if tmp.is_dir() else set()


@pytest.mark.parametrize("stage", list(STAGES))
def test_a_build_killed_at_each_stage_changes_nothing_and_the_next_build_recovers(
        project_copy, tmp_path, stage):
    root = project_copy(notebooks=[FIXTURE], scoped=False)
    reports = tmp_path / "reports"
    first = cli(root, "--reports-dir", str(reports))
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    assert_matches_manifest(reports)
    published, processed = files(reports), files(root / "data" / "processed")

    # change the data so that everything has to be rebuilt, then kill the build at the stage
    ledger = root / "data" / "raw" / "published_figures.csv"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace(",635,", ",636,", 1),
                      encoding="utf-8")
    temps_before = our_temp_dirs(tmp_path / "tmp")
    killed = cli(root, "--reports-dir", str(reports), patch=STAGES[stage])
    assert killed.returncode == -signal.SIGKILL, killed.stdout[-2000:] + killed.stderr[-2000:]

    journal = root / "data" / ".netralitas-publish.json"
    if stage == "between the renames of the swap":
        # the folder being swapped is missing until the next command rolls the swap forward
        assert journal.is_file()
    elif stage == "between the two swaps":
        # the publication is recorded: no command reads the half-published state, and the next
        # command, a data build here, completes it before it builds
        assert journal.is_file() and files(reports) == published
        completed = subprocess.run([sys.executable, "-m", "analysis", "build"], cwd=root,
                                   env=project_env(root), capture_output=True, text=True)
        assert completed.returncode == 0, completed.stdout + completed.stderr
        assert "completed the publication" in completed.stdout and not journal.exists()
        assert files(reports) != published  # the reports staged by the killed build
        assert_matches_manifest(reports)
        assert_in_step(reports, root / "data" / "processed")
    else:
        assert files(reports) == published
        assert files(root / "data" / "processed") == processed

    again = cli(root, "--reports-dir", str(reports))
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    assert not journal.exists()
    assert_matches_manifest(reports)
    assert_in_step(reports, root / "data" / "processed")
    assert files(reports) != published  # the change reached the reports
    leftovers = [p.name for p in list(tmp_path.iterdir()) + list((root / "data").iterdir())
                 if p.name.startswith(".netralitas-")]
    assert not leftovers
    assert not (our_temp_dirs(tmp_path / "tmp") - temps_before)

