"""Every path the toolkit reads or writes, in one place; scoped, never assigned.

``paths.RAW``, ``paths.PROCESSED``, ``paths.LEDGER``, ... are read from the paths in scope: the
environment (``NETRALITAS_ROOT`` overrides the project root, ``NETRALITAS_PROCESSED`` the folder
the processed tables are read from), unless code runs inside :func:`scoped`::

    with paths.scoped(root=tmp_project):              # a test's copy of the project
        ...
    with paths.scoped(processed=staged_data_build):   # the report build's notebooks and briefs
        ...

Assigning ``paths.RAW = ...`` raises: a scope ends with its ``with`` block, so no build or test
leaves the paths changed for the code that runs after it. A child process sees the same paths
through :func:`environment`.
"""
from __future__ import annotations

import os
import sys
import types
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "publish" / "templates"
SOURCE_ROOT = PACKAGE.parent  # the code's checkout, whatever the project root is
CITATION = SOURCE_ROOT / "CITATION.cff"
NODE_MODULES = SOURCE_ROOT / "node_modules"  # npm packages (package.json): axe-core, tablesort


@dataclass(frozen=True)
class ProjectPaths:
    """The folders of one project: ``root`` and where its processed tables are read from."""

    root: Path
    processed: Path

    @classmethod
    def at(cls, root: Path | str, processed: Path | str | None = None) -> "ProjectPaths":
        root = Path(root)
        return cls(root, Path(processed) if processed else root / "data" / "processed")

    def with_processed(self, folder: Path | str) -> "ProjectPaths":
        return replace(self, processed=Path(folder))

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def raw(self) -> Path:
        return self.data / "raw"

    @property
    def processed_published(self) -> Path:
        """Where a staged data build is swapped in (``data/processed``)."""
        return self.data / "processed"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def reports(self) -> Path:
        return self.root / "reports"


def from_environment() -> ProjectPaths:
    """The paths the environment gives (``NETRALITAS_ROOT``, ``NETRALITAS_PROCESSED``)."""
    return ProjectPaths.at(os.environ.get("NETRALITAS_ROOT") or PACKAGE.parent,
                           os.environ.get("NETRALITAS_PROCESSED") or None)


_SCOPE: ContextVar[ProjectPaths | None] = ContextVar("netralitas_paths", default=None)


def current() -> ProjectPaths:
    """The paths in scope: the innermost :func:`scoped` block, else the environment."""
    return _SCOPE.get() or from_environment()


@contextmanager
def scoped(project: ProjectPaths | None = None, *, root: Path | str | None = None,
           processed: Path | str | None = None):
    """Use ``project`` (or the project at ``root``; default: the paths in scope) inside the
    ``with`` block, with the processed tables read from ``processed`` if given."""
    chosen = project or (ProjectPaths.at(root) if root is not None else current())
    if processed is not None:
        chosen = chosen.with_processed(processed)
    token = _SCOPE.set(chosen)
    try:
        yield chosen
    finally:
        _SCOPE.reset(token)


def environment(project: ProjectPaths | None = None) -> dict[str, str]:
    """The environment variables that give a child process the same paths."""
    project = project or current()
    env = {"NETRALITAS_ROOT": str(project.root)}
    if project.processed != project.processed_published:
        env["NETRALITAS_PROCESSED"] = str(project.processed)
    return env


def shown(path: Path | str, base: Path | str | None = None) -> str:
    """``path`` as a message shows it: relative to ``base`` (default: the project root) when
    inside it, else absolute."""
    path = Path(path).resolve()
    try:
        return path.relative_to(Path(base or current().root).resolve()).as_posix()
    except ValueError:
        return str(path)


_FILES = {"LEDGER": "published_figures.csv", "ELECTIONS": "elections.csv",
          "HEADCOUNT": "asn_headcount.csv", "REGIONS": "regions.csv",
          "MEASURES": "supervision_measures.csv", "RAW_PACKAGE": "datapackage.json"}
_FOLDERS = {"ROOT": "root", "DATA": "data", "RAW": "raw", "PROCESSED": "processed",
            "PROCESSED_PUBLISHED": "processed_published", "NOTEBOOKS": "notebooks",
            "REPORTS": "reports"}


class _ScopedPaths(types.ModuleType):
    """``paths.RAW`` and the others are read from :func:`current` and cannot be assigned."""

    def __getattr__(self, name: str) -> Path:
        if name in _FOLDERS:
            return getattr(current(), _FOLDERS[name])
        if name in _FILES:
            return current().raw / _FILES[name]
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    def __setattr__(self, name: str, value) -> None:
        if name in _FOLDERS or name in _FILES:
            raise AttributeError(f"analysis.paths.{name} is read from the paths in scope and "
                                 "cannot be assigned; use `with paths.scoped(root=..., "
                                 "processed=...)`")
        super().__setattr__(name, value)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(_FOLDERS) | set(_FILES))


sys.modules[__name__].__class__ = _ScopedPaths
