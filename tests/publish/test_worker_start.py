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
