"""Whether ``data/processed`` is current, and if not why, without importing the build (pandas,
SciPy): a no-op report build and a dry run ask only this.

The key lists everything the data build reads with its hash: the raw files and the data and
methods code. ``data/processed/.build-key`` holds the key it was built from, so a stale build can
say which input changed.
"""
from __future__ import annotations

import hashlib
import json
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


def build_inputs() -> dict[str, str]:
    """Every file the data build reads, by its path from the project root (``data/raw/...``,
    ``analysis/...``), with its SHA-256."""
    code = paths.PACKAGE
    inputs = {f"data/raw/{p.relative_to(paths.RAW).as_posix()}": sha256(p)
              for p in sorted(paths.RAW.rglob("*")) if p.is_file()}
    files = sorted(p for sub in ("data", "methods") for p in (code / sub).rglob("*.py"))
    for path in files + [code / "paths.py"]:
        inputs[f"analysis/{path.relative_to(code).as_posix()}"] = sha256(path)
    return inputs


def build_key() -> str:
    """The data build's inputs and their hashes, as the text kept in ``.build-key``."""
    return json.dumps(build_inputs(), indent=0, sort_keys=True)


def is_current(processed_dir=None) -> bool:
    """True when ``processed_dir`` (default ``data/processed``) was built from the current raw
    files and code and holds every table."""
    return not why_stale(processed_dir)


def why_stale(processed_dir=None) -> list[str]:
    """Why ``processed_dir`` (default ``data/processed``) must be built again: the inputs that
    changed since it was built, or what is missing; empty when it is current."""
    out_dir = Path(processed_dir or paths.PROCESSED)
    missing = [f"{t}.csv" for t in TABLES if not (out_dir / f"{t}.csv").is_file()]
    if not (out_dir / "synthetic_register" / "register.json").is_file():
        missing.append("synthetic_register/")
    if missing:
        return [f"data/processed has no {', '.join(missing)}"]
    try:
        built_from = json.loads((out_dir / BUILD_KEY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ["data/processed holds no key of the inputs it was built from"]
    if not isinstance(built_from, dict):
        return ["data/processed was built by an older version of the build"]
    return changed_files(built_from, build_inputs())


def changed_files(before: dict[str, str], now: dict[str, str]) -> list[str]:
    """``"<path> changed"``, ``"... added"``, ``"... removed"`` for each file whose hash differs
    between two ``{path: sha256}`` maps, in path order."""
    reasons = []
    for name in sorted(set(before) | set(now)):
        if name not in before:
            reasons.append(f"{name} added")
        elif name not in now:
            reasons.append(f"{name} removed")
        elif before[name] != now[name]:
            reasons.append(f"{name} changed")
    return reasons
