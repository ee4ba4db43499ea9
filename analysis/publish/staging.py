"""Where a report build writes, and how it publishes without ever mixing two builds.

* :func:`check_reports_dir` refuses a folder under ``data/``, the project root, the package or
  the notebooks, a path that is a file, and a folder that cannot be written or lacks free space,
  before any notebook runs.
* :class:`BuildLock` is an exclusive lock on the reports folder (``fcntl``/``msvcrt`` lock on a
  lock file beside it, released by the OS if the process dies): a second build refuses at once
  with a clear message.
* :func:`new_staging` makes a uniquely named staging folder on the target's filesystem;
  :func:`clean_stale` removes staging folders and temp files left by killed builds.
* :func:`carry_over` hard-links published files that a build keeps into its staging folder;
  :func:`outputs_intact` says whether the files a manifest lists are still as published.
* Publishing the staged folder is :func:`analysis.data.atomic.swap_in`: on Linux an atomic
  ``renameat2`` exchange, else two renames (the old set is never mixed with the new).
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

from ..data.atomic import OLD_PREFIX, FolderLock, FolderLockedError, restore_interrupted_swap
from ..data.build_state import sha256

__all__ = ["BuildLock", "BuildLockedError", "OutputDirError", "check_reports_dir",
           "clean_stale", "new_staging", "carry_over", "files_under", "outputs_intact",
           "STAGING_PREFIX"]

STAGING_PREFIX = ".netralitas-staging-"
MIN_FREE_BYTES = 200 * 1024 * 1024  # a full build writes ~30 MB; keep a wide margin


class OutputDirError(ValueError):
    """The reports folder cannot be used; the message says why."""


BuildLockedError = FolderLockedError  # another build holds the lock on this reports folder


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def check_reports_dir(reports_dir: Path, root: Path, min_free: int = MIN_FREE_BYTES) -> Path:
    """Resolve ``reports_dir`` and refuse a dangerous or unusable one (see module docstring)."""
    target = Path(reports_dir).expanduser().resolve()
    root = Path(root).resolve()
    forbidden = {root: "the project root", root / "data": "data/", root / "analysis": "the package",
                 root / "notebooks": "notebooks/", root / "tests": "tests/", root / ".git": ".git/"}
    for folder, what in forbidden.items():
        if target == folder or (folder != root and _inside(target, folder)):
            inside = "inside " if target != folder else ""
            raise OutputDirError(f"--reports-dir {target} is {inside}{what}; choose a folder of "
                                 "its own, e.g. reports/ or /tmp/my_reports")
    if target.exists() and not target.is_dir():
        raise OutputDirError(f"--reports-dir {target} is a file, not a folder")
    parent = target if target.exists() else target.parent
    while not parent.exists():
        parent = parent.parent
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputDirError(f"--reports-dir {target}: {parent} is not writable")
    if target.exists() and not os.access(target.parent, os.W_OK):
        raise OutputDirError(f"--reports-dir {target}: its parent {target.parent} is not writable "
                             "(the build publishes by swapping folders there)")
    free = shutil.disk_usage(parent).free
    if free < min_free:
        raise OutputDirError(f"--reports-dir {target}: only {free // 2**20} MiB free on that disk; "
                             f"a build needs at least {min_free // 2**20} MiB")
    return target


BuildLock = FolderLock  # exclusive lock on <parent>/.<name>.lock while a build runs


def clean_stale(reports_dir: Path) -> list[Path]:
    """Remove staging and old folders left beside ``reports_dir`` by killed builds (call with
    the lock held, so no live build owns them), and our temp folders in the system temp dir
    whose owning process is gone."""
    removed = []
    parent = reports_dir.parent
    # killed between the two renames of a swap: the old set is the published one
    restore_interrupted_swap(reports_dir)
    for prefix in (STAGING_PREFIX, OLD_PREFIX):
        for stale in parent.glob(f"{prefix}{reports_dir.name}-*"):
            shutil.rmtree(stale, ignore_errors=True)
            removed.append(stale)
    for stale in Path(tempfile.gettempdir()).glob("netralitas-*-pid*"):
        pid = stale.name.rsplit("-pid", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
            removed.append(stale)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return True  # cannot tell cheaply; leave it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def temp_dir(kind: str) -> Path:
    """A temp folder named with our pid, so :func:`clean_stale` can remove it after a kill."""
    return Path(tempfile.mkdtemp(prefix=f"netralitas-{kind}-", suffix=f"-pid{os.getpid()}"))


def new_staging(reports_dir: Path) -> Path:
    """A fresh, uniquely named staging folder beside ``reports_dir`` (same filesystem)."""
    staging = reports_dir.parent / f"{STAGING_PREFIX}{reports_dir.name}-{uuid.uuid4().hex[:12]}"
    staging.mkdir(parents=True)
    return staging


def files_under(folder: Path) -> set[str]:
    """Every file under ``folder``, as paths relative to it (none if it does not exist)."""
    if not folder.is_dir():
        return set()
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def fingerprints(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, by relative path."""
    return {p: sha256(folder / p) for p in files_under(folder)}


def outputs_intact(reports_dir: Path, outputs: dict[str, str]) -> bool:
    """True when every file of ``outputs`` (``{relative path: sha256}``, not empty) is in
    ``reports_dir`` with that hash."""
    for relative, digest in (outputs or {}).items():
        path = reports_dir / relative
        if not path.is_file() or sha256(path) != digest:
            return False
    return bool(outputs)


def carry_over(reports_dir: Path, staging: Path, relatives) -> None:
    """Hard-link (else copy) published files into the staging folder unchanged."""
    for relative in relatives:
        source, target = reports_dir / relative, staging / relative
        if not source.is_file() or target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
