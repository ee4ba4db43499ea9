"""Notebook workers forked by the fork server: they see the build's environment as it is when
the pool starts (not the server's older copy), and they do not keep the server alive."""
from __future__ import annotations

import subprocess
import sys

import pytest

CODE = r"""
import concurrent.futures as cf, multiprocessing, os, sys
from analysis.publish.build import execute

def probe(_):
    from multiprocessing import forkserver
    return (os.environ.get("NT_PROBE"), os.getcwd(),
            getattr(forkserver._forkserver, "_forkserver_alive_fd", "absent"),
            "papermill" in sys.modules)

if __name__ == "__main__":
    context, parent = execute._worker_context(multiprocessing)
    assert parent is None
    multiprocessing.forkserver.ensure_running()  # the server starts with NT_PROBE unset
    os.environ["NT_PROBE"] = "set after the server started"
    with cf.ProcessPoolExecutor(1, mp_context=context, initializer=execute._start_worker,
                                initargs=(parent, dict(os.environ))) as pool:
        print(pool.submit(probe, 0).result())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork server (Linux)")
def test_a_forked_worker_has_the_builds_environment_and_not_the_servers_alive_pipe(tmp_path):
    script = tmp_path / "probe.py"
    script.write_text(CODE, encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    env, cwd, alive, preloaded = eval(out.stdout.strip().splitlines()[-1])
    assert env == "set after the server started"
    assert cwd == str(tmp_path)
    assert alive is None  # closed: only the build keeps the server alive
    assert preloaded  # the server imported what the workers need, once


BUILD = r"""
import sys
from multiprocessing import forkserver
from pathlib import Path
from analysis.publish.build.pipeline import build_reports
from analysis.publish.build.request import discover_notebooks

if __name__ == "__main__":
    names = sys.argv[1:]
    build_reports(notebooks=[n for n in discover_notebooks() if n.stem in names],
                  reports_dir=Path("reports"), jobs=4, landing=False, api_docs=False,
                  progress=lambda _: None)
    print(forkserver._forkserver._forkserver_pid is not None)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork server (Linux)")
def test_one_notebook_to_run_starts_no_fork_server(project_copy):
    """One notebook to run runs in the build's own process, so starting the server (about a
    second of imports) would be waste; before, every build that ran a notebook started it. (Two
    or more run in workers forked from it: the test above, and every build of the site.)"""
    from testpaths import NOTEBOOK_FIXTURE, project_env

    text = NOTEBOOK_FIXTURE.read_text(encoding="utf-8")
    root = project_copy(raw="tiny", processed={"tiny_out.csv": "a\n3\n"}, scoped=False,
                        notebooks={"01_fixture.py": text,
                                   "02_fixture.py": text.replace("01_fixture_", "02_fixture_")})
    script = root / "probe.py"
    script.write_text(BUILD, encoding="utf-8")
    out = subprocess.run([sys.executable, str(script), "01_fixture"], capture_output=True,
                         text=True, timeout=300, cwd=root, env=project_env(root))
    assert out.returncode == 0, out.stderr[-2000:]
    assert (root / "reports" / "01_fixture.html").is_file()
    assert out.stdout.strip().splitlines()[-1] == "False"  # no server was started
