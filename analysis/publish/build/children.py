"""The processes a build starts end with it, even when it is killed with ``kill -9``.

A killed process cannot clean up, so each child watches its parent itself:

* :func:`end_with_parent`, called first thing in a child (the notebook workers' initializer),
  puts it in a process group of its own (a terminal's Ctrl-C reaches the build, which then
  ends its children) and asks Linux to send it SIGKILL when its parent dies
  (``prctl(PR_SET_PDEATHSIG)``); elsewhere a daemon thread polls the parent and exits. Where
  the workers are forked by a fork server, their parent is the server, which ends with the
  build (:func:`analysis.publish.build.execute._start_worker`).
* :func:`popen_options` gives the same to a command started with :mod:`subprocess` (pdoc).
* The Jupyter kernels a worker starts already exit when their parent does (ipykernel's parent
  poller, ``JPY_PARENT_PID``), so a worker killed this way takes its kernel with it.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1


def _prctl():
    """libc's ``prctl`` (Linux), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def _parent_death_signal(prctl=None) -> bool:
    """Ask the kernel for SIGKILL when the parent dies (Linux); False where unavailable."""
    prctl = prctl or _prctl()
    return prctl is not None and prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0


def _watch(parent: int, every_s: float = 0.5) -> None:
    def poll():
        while os.getppid() == parent:
            time.sleep(every_s)
        os._exit(1)
    threading.Thread(target=poll, name="end-with-parent", daemon=True).start()


def end_with_parent(parent: int | None = None) -> None:
    """Make this process end when ``parent`` (the pid that started it; None: the process that
    forked it, a fork server) does."""
    parent = os.getppid() if parent is None and hasattr(os, "getppid") else parent
    if hasattr(os, "setpgid"):
        try:
            os.setpgid(0, 0)
        except OSError:
            pass
    if not _parent_death_signal() and hasattr(os, "getppid") and sys.platform != "win32":
        _watch(parent)
    if sys.platform != "win32" and os.getppid() != parent:
        os._exit(1)  # the parent died before the signal was asked for


def popen_options() -> dict:
    """Keyword arguments for :class:`subprocess.Popen` that make the command end with this
    process (Linux: a parent-death signal; elsewhere: nothing more than its own group)."""
    if sys.platform == "win32":
        return {}
    parent, prctl = os.getpid(), _prctl()  # looked up here: the child only calls it

    def before_exec():
        os.setpgid(0, 0)
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)
    return {"preexec_fn": before_exec}
