"""Writing files, and sets of files, that must never be seen half-written.

Every write goes to a temporary file in the destination folder and is then moved into place
with :func:`os.replace`, so a reader sees either the old file or the new one, never a partial one.
A set of files (``data/processed``, ``reports``) is written into a fresh sibling folder and
swapped in as one step by :func:`swap_directory`.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

OLD_PREFIX = ".netralitas-old-"


class FolderLockedError(RuntimeError):
    """Another build holds the lock on this folder."""


class FolderLock:
    """Exclusive, non-blocking lock on ``<parent>/.<name>.lock`` while a folder is rebuilt
    (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows; the OS releases it when the process
    dies, so a killed build never leaves a stale lock)."""

    def __init__(self, folder: Path,
                 advice: str = "wait for it to finish, or build into another --reports-dir"):
        folder = Path(folder)
        self.path = folder.parent / f".{folder.name}.lock"
        self.advice = advice
        self._handle = None

    def __enter__(self) -> "FolderLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")
        try:
            if sys.platform == "win32":
                import msvcrt
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise FolderLockedError(
                f"another report build ({holder}) is writing to "
                f"{self.path.parent / self.path.name[1:-5]}; {self.advice}") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc) -> None:
        if self._handle is not None:
            self._handle.close()  # releases the lock; the file stays (harmless, reused)
            self._handle = None


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, creating parent folders; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)  # mkstemp makes 0600; published files are world-readable
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


def atomic_write_by(path: Path | str, write: Callable[[Path], object]) -> Path:
    """:func:`atomic_write_bytes` for a library that writes a file itself: ``write(tmp)``
    writes the temporary file ``tmp``, which is then flushed to disk and moved into place (and
    removed if ``write`` fails). Return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp_name))
        fd = os.open(tmp_name, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: Path | str, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (UTF-8, newlines kept as given); return the path."""
    return atomic_write_bytes(path, text.encode(encoding))


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with Linux ``renameat2(RENAME_EXCHANGE)``; False if the
    call is not available here."""
    if not sys.platform.startswith("linux"):
        return False
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EPERM, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_directory(new: Path, target: Path, exchange: bool = True) -> None:
    """Make the folder ``new`` the folder ``target`` in one step and remove the old one.

    On Linux an atomic exchange; elsewhere two renames (``target`` -> a sibling
    ``.netralitas-old-*``, ``new`` -> ``target``), undone if the second fails; a kill between
    them is repaired by :func:`restore_interrupted_swap` at the next start. Both folders must be
    on one filesystem (create ``new`` beside ``target``). ``exchange=False`` always takes the two
    renames: then ``new`` existing means "not yet swapped", which a journal that rolls an
    interrupted publication forward relies on (after an exchange, ``new`` holds the old set).
    """
    new, target = Path(new), Path(target)
    if not target.exists():
        os.replace(new, target)
        return
    if exchange and _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # now holds the old set
        return
    old = target.parent / f"{OLD_PREFIX}{target.name}-{uuid.uuid4().hex[:12]}"
    os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def swap_in(staging: Path, target: Path, last: str = "manifest.json",
            exchange: bool = True) -> None:
    """Make the complete folder ``staging`` the new ``target`` in one step (see
    :func:`swap_directory`); the old folder is removed.

    A ``target`` that is a mount point cannot be renamed: its files are replaced one by one,
    the file named ``last`` (the manifest) last, and files not in the new set are removed.
    """
    staging, target = Path(staging), Path(target)
    if target.exists() and os.path.ismount(target):
        _replace_files(staging, target, last)
        shutil.rmtree(staging, ignore_errors=True)
        return
    swap_directory(staging, target, exchange=exchange)


def _replace_files(staging: Path, target: Path, last: str) -> None:
    new = sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file())
    final = Path(last)
    for relative in [p for p in new if p != final] + ([final] if final in new else []):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / relative, destination)
    keep = set(new)
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target)
        if path.is_file() and relative not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def restore_interrupted_swap(target: Path) -> None:
    """If a swap was killed between its two renames, ``target`` is missing and the old set is
    in a sibling ``.netralitas-old-*``: put it back. Remove other leftovers."""
    target = Path(target)
    olds = sorted(target.parent.glob(f"{OLD_PREFIX}{target.name}-*"),
                  key=lambda p: p.stat().st_mtime)
    if not target.exists() and olds:
        os.replace(olds.pop(), target)
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)


def new_sibling(target: Path, kind: str = "staging") -> Path:
    """A fresh, uniquely named folder beside ``target`` (so a swap stays on one filesystem)."""
    target = Path(target)
    folder = target.parent / f".netralitas-{kind}-{target.name}-{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    return folder
