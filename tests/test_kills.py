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
import time
from pathlib import Path

import pytest
from testpaths import NOTEBOOK_FIXTURE, make_project, project_env

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


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    """The project and its reports after one complete build, made once for the module; each
    stage starts from its own copy (the first build is the same for every stage)."""
    base = tmp_path_factory.mktemp("first_build")
    root = make_project(base / "root", notebooks=[FIXTURE])
    first = cli(root, "--reports-dir", str(base / "reports"))
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    assert_matches_manifest(base / "reports")
    # a copy made as each stage makes its own is up to date where it lies: checked once here
    probe = tmp_path_factory.mktemp("copy_probe")
    copy_build(base, probe)
    noop = cli(probe / "root", "--reports-dir", str(probe / "reports"))
    assert noop.returncode == 0, noop.stdout[-2000:] + noop.stderr[-2000:]
    assert "Nothing changed" in noop.stdout + noop.stderr, noop.stdout[-2000:]
    assert files(probe / "reports") == files(base / "reports")
    return base


def copy_build(base: Path, into: Path) -> None:
    """The first build's project and reports, copied into ``into`` as a user would move them."""
    import shutil

    shutil.copytree(base / "root", into / "root", symlinks=True)
    shutil.copytree(base / "reports", into / "reports", symlinks=True)


@pytest.mark.parametrize("stage", list(STAGES))
def test_a_build_killed_at_each_stage_changes_nothing_and_the_next_build_recovers(
        first_build, tmp_path, stage):
    root, reports = tmp_path / "root", tmp_path / "reports"
    copy_build(first_build, tmp_path)  # up to date where it lies (checked by first_build)
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


SLEEPING = """# %% [markdown]
# # Sleeping report {n}
#
# Keeps its kernel busy so the build can be killed while it runs.

# %% tags=["parameters"]
reports_dir = "../scratch"

# %%
import time
time.sleep(120)
"""


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
            errors="replace")
    except OSError:
        return ""


def descendants(pid: int) -> dict[int, str]:
    """Every process below ``pid``, with its command line (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        if stat:
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = {}, list(children.get(pid, []))
    while todo:
        child = todo.pop()
        found[child] = command_of(child)
        todo.extend(children.get(child, []))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_a_build_killed_with_kill_9_takes_its_workers_and_kernels_with_it(project_copy,
                                                                            tmp_path):
    """kill -9 of `report` alone (not its group): its notebook workers and their kernels end
    within seconds instead of running on."""
    root = project_copy(notebooks={f"0{n}_sleep.py": SLEEPING.format(n=n) for n in (1, 2)},
                        scoped=False)
    build = subprocess.Popen(
        [sys.executable, "-m", "analysis", "report", "--jobs", "2", "--no-landing", "--no-api",
         "--reports-dir", str(tmp_path / "reports")], cwd=root, env=project_env(root),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    started: dict[int, str] = {}
    try:
        deadline, kernels = time.time() + 240, {}
        while time.time() < deadline and len(kernels) < 2:
            time.sleep(0.5)
            kernels = {p: c for p, c in descendants(build.pid).items() if "ipykernel" in c}
        assert len(kernels) == 2, "both notebooks' kernels should be running"
        time.sleep(2)  # the kernels are inside the sleeping cell
        started = descendants(build.pid)
        os.kill(build.pid, signal.SIGKILL)  # the build only, as a user's kill -9 would
        build.wait()
        deadline = time.time() + 8
        while time.time() < deadline and any(alive(p) for p in started):
            time.sleep(0.2)
        survivors = {p: c for p, c in started.items() if alive(p)}
        assert not survivors, survivors
    finally:  # leave nothing running, whatever the outcome
        if build.poll() is None:
            started = started or descendants(build.pid)
            build.kill()
        for pid, command in started.items():
            if alive(pid) and command_of(pid) == command:
                os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal (Linux)")
def test_a_command_the_build_starts_ends_when_the_build_is_killed(tmp_path):
    """pdoc runs as a subprocess with :func:`children.popen_options`: kill -9 of its parent
    ends it too."""
    parent = subprocess.Popen(
        [sys.executable, "-c",
         "import subprocess, sys, time\n"
         "from analysis.publish.build import children\n"
         "child = subprocess.Popen(['sleep', '60'], **children.popen_options())\n"
         "print(child.pid, flush=True)\n"
         "time.sleep(60)\n"], stdout=subprocess.PIPE, text=True, start_new_session=True)
    child = int(parent.stdout.readline())
    try:
        assert alive(child)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.time() + 5
        while time.time() < deadline and alive(child):
            time.sleep(0.1)
        assert not alive(child)
    finally:
        if alive(child) and "sleep" in command_of(child):
            os.kill(child, signal.SIGKILL)
