"""Whether ``data/processed`` is current, without importing the build (pandas, SciPy): a
no-op report build asks only this.

The key hashes everything the data build reads: the raw files and the data and methods code.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .. import paths

TABLES = ("enforcement_snapshots", "cycle_summary", "conflicts", "coverage")


def sha256(path) -> str:
    """SHA-256 of a file, in hex, read in 1 MiB blocks (a register can be hundreds of MB)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


BUILD_KEY = ".build-key"


def build_key() -> str:
    """Hash of everything the data build reads: the raw files and the data and methods code.
    ``data/processed/.build-key`` holds the key it was built from."""
    digest = hashlib.sha256()
    code = Path(__file__).resolve().parent.parent
    files = sorted(p for p in paths.RAW.rglob("*") if p.is_file())
    files += sorted(p for sub in ("data", "methods") for p in (code / sub).rglob("*.py"))
    files += [code / "paths.py"]
    for path in files:
        digest.update(path.name.encode() + b"\0" + sha256(path).encode())
    return digest.hexdigest()


def is_current(processed_dir=None) -> bool:
    """True when ``processed_dir`` (default ``data/processed``) was built from the current raw
    files and code and holds every table."""
    out_dir = Path(processed_dir or paths.PROCESSED)
    stamp = out_dir / BUILD_KEY
    return (stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == build_key()
            and all((out_dir / f"{t}.csv").is_file() for t in TABLES)
            and (out_dir / "synthetic_register" / "register.json").is_file())
