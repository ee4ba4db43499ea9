"""``reports/manifest.json``: what was built, from what, with which tools.

The manifest records the commit, the package versions, every input's hash (the data files),
each report's parameters, inputs and input key (:mod:`.keys`), the hash of every published file
and the build time (the only timestamp; pages carry none). It is written last into the staging
folder, so a published set always matches its manifest.
"""
from __future__ import annotations

import json
import os
import subprocess
from importlib import metadata as importlib_metadata
from pathlib import Path

from ... import paths
from ...data.atomic import atomic_write_text
from ...data.build_state import sha256

MANIFEST = "manifest.json"
# manifest key: the registers whose names the build could not check (no key), and why
NAMES_NOT_CHECKED = "names_not_checked"
PACKAGES = (
    "pandas", "numpy", "scipy", "statsmodels", "matplotlib",
    "jupytext", "papermill", "nbconvert", "jinja2", "babel",
)


def read_manifest(reports_dir: Path) -> dict:
    """The previous manifest of ``reports_dir``, or {} if none (or unreadable)."""
    try:
        manifest = json.loads((Path(reports_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def manifest_text(manifest: dict) -> str:
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_manifest(folder: Path, manifest: dict) -> None:
    atomic_write_text(Path(folder) / MANIFEST, manifest_text(manifest))


# a new untracked file among these marks a build dirty
BUILD_INPUTS = ("analysis", "notebooks", "data/raw")


def git_state(root: Path) -> dict:
    """``{"commit": sha or None, "dirty": bool or None, "date": YYYY-MM-DD or None}`` for the
    repository holding ``root``; ``dirty`` when a tracked file differs from the commit or an
    untracked file lies among :data:`BUILD_INPUTS` (the build's own outputs and staging
    folders, untracked beside ``reports/`` and ``data/processed/``, do not count)."""
    def git(*args: str) -> subprocess.CompletedProcess | None:
        try:
            return subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                                  text=True, check=False)
        except OSError:
            return None

    def out(result) -> str | None:
        return result.stdout.strip() if result and result.returncode == 0 \
            and result.stdout.strip() else None

    status = [git("status", "--porcelain", "--untracked-files=no"),
              git("status", "--porcelain", "--untracked-files=all", "--", *BUILD_INPUTS)]
    known = all(s is not None and s.returncode == 0 for s in status)
    return {
        "commit": out(git("rev-parse", "--verify", "--quiet", "HEAD")),
        "dirty": any(s.stdout.strip() for s in status) if known else None,
        # the commit's date: the brief's edition date, the same on every rebuild
        "date": out(git("log", "-1", "--format=%cs", "HEAD")),
    }


def package_versions() -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def data_checksums() -> dict:
    """sha256 of every file under ``data/raw`` and ``data/processed`` (named by their published
    path from the root even while the processed tables are staged; dot files left out)."""
    sums = {}
    for folder, named in ((paths.RAW, "data/raw"), (paths.PROCESSED, "data/processed")):
        if Path(folder).is_dir():
            for file in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
                relative = file.relative_to(folder)
                if not any(part.startswith(".") for part in relative.parts):
                    sums[f"{named}/{relative.as_posix()}"] = sha256(file)
    return dict(sorted(sums.items()))


def notebook_entry(report, staging: Path, kernel_name: str, key: str, inputs: dict) -> dict:
    """The manifest's record of one built report (:class:`.execute.BuiltReport`)."""
    return {
        "input_key": key,
        "inputs": inputs,
        "source": paths.shown(report.source),
        "source_sha256": sha256(report.source),
        "title": report.title,
        "summary": report.summary,
        "synthetic": report.synthetic,
        "parameters": report.parameters,
        "kernel": {"name": kernel_name, "python": unresolved_relative(report.kernel_python)},
        "outputs": {p: sha256(staging / p) for p in report.outputs},
    }


def previous_outputs(previous: dict) -> set[str]:
    """The files a previous build wrote (its manifest's ``files``; for a manifest written
    before that list existed, the outputs of its entries). Without a manifest: none."""
    if not previous:
        return set()
    if "files" in previous:
        return set(previous["files"])
    ours = {"index.html", "index_en.html"}
    for entry in (previous.get("notebooks") or {}).values():
        ours |= set(entry.get("outputs") or {})
    for section in ("landing", "api", "site"):
        ours |= set(((previous.get(section) or {}).get("files")) or {})
    return ours


def unresolved_relative(path: str) -> str:
    """``path`` relative to the project root when it lies inside it, symlinks kept (the venv's
    ``python`` is a link to the base interpreter)."""
    root = os.path.abspath(paths.ROOT)
    absolute = os.path.abspath(path)
    if absolute == root or absolute.startswith(root + os.sep):
        return Path(os.path.relpath(absolute, root)).as_posix()
    return absolute
