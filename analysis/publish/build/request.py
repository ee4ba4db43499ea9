"""What to build, checked once before anything runs: :class:`BuildRequest`.

:func:`validate_request` is the only place the notebooks, parameters, province and reports
folder of a build are checked: the command line calls it (and exits 2 or 1 with the message),
and so does :func:`analysis.publish.build.pipeline.build_reports` for library callers. The
pipeline takes the validated request as it is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ... import paths
from .. import parameters as params_mod
from .. import staging as staging_mod
from .errors import ReportBuildError

NOTEBOOK_GLOB = "[0-9][0-9]_*.py"


@dataclass(frozen=True)
class BuildRequest:
    """A checked build: every notebook exists and is well named, every parameter is declared,
    the province is canonical, the reports folder can be used."""

    notebooks: tuple[Path, ...]
    declared: dict[str, dict]  # stem -> the parameters its parameters cell declares
    parameters: dict            # -p values, province resolved
    reports_dir: Path           # resolved and checked
    project: paths.ProjectPaths
    province: str | None = None
    kernel: str = "python3"
    jobs: int | None = None
    force: bool = False
    landing: bool = False      # policy briefs, data downloads and the landing page's findings
    api: bool = False          # the API reference
    register_folder: Path | None = None  # the register -p register names (None: the demo)
    package_dir: Path = field(default=paths.PACKAGE)  # the code whose hashes key each step

    def injected(self, stem: str) -> dict:
        """The parameters notebook ``stem`` receives: those its parameters cell declares."""
        return {k: v for k, v in self.parameters.items() if k in self.declared[stem]}


def discover_notebooks(notebooks_dir: Path | None = None) -> list[Path]:
    """The ``NN_*.py`` notebooks in reading order."""
    folder = Path(notebooks_dir or paths.NOTEBOOKS)
    return sorted(folder.glob(NOTEBOOK_GLOB), key=lambda p: p.name)


def notebook_for_stem(stem: str) -> Path:
    """``notebooks/<stem>.py`` (``--notebook STEM``), or ValueError listing the notebooks."""
    stem = stem.removesuffix(".py")
    path = paths.NOTEBOOKS / f"{stem}.py"
    if not path.is_file():
        known = ", ".join(p.stem for p in discover_notebooks()) or "none"
        raise ValueError(f"no notebook {paths.shown(path)}; available: {known}")
    return path


def validate_request(notebooks=None, parameters: dict | None = None,
                     reports_dir: Path | None = None, *, province: str | None = None,
                     kernel: str = "python3", jobs: int | None = None, force: bool = False,
                     landing: bool = False, api: bool = False,
                     package_dir: Path | None = None) -> BuildRequest:
    """Check everything that can be checked before the data build and any notebook run.

    ``notebooks``: paths (default: every notebook); ``parameters``: ``-p`` values, each of which
    some notebook must declare; ``province``: a name or alias from ``regions.csv``. Raises
    :class:`~analysis.publish.parameters.ParameterError` (a usage error), ``ValueError`` or
    ``OSError``, with a message for people.
    """
    chosen = discover_notebooks() if notebooks is None else [Path(p) for p in notebooks]
    chosen = sorted((p.resolve() for p in chosen), key=lambda p: p.name)
    if not chosen:
        raise ReportBuildError(paths.shown(paths.NOTEBOOKS),
                               f"no notebooks matching {NOTEBOOK_GLOB}")
    check_notebook_names(chosen)
    parameters = dict(parameters or {})
    if "reports_dir" in parameters:
        raise params_mod.ParameterError(
            "reports_dir is set by the build; pass reports_dir=... (CLI: --reports-dir)")
    declared = {nb.stem: params_mod.declared_parameters(nb) for nb in chosen}
    every = {nb.stem: params_mod.declared_parameters(nb) for nb in discover_notebooks()}
    params_mod.check_parameters(parameters, {**every, **declared})
    register_folder = None
    if parameters.get("register"):
        from ...data.registers.opening import resolve_register
        # an unknown name lists the imported ones (the resolver notebooks 05 and 06 open with)
        register_folder = resolve_register(parameters["register"])
    province = province or parameters.get("province")
    if province is not None:
        province = params_mod.resolve_province(province, paths.REGIONS)
        parameters["province"] = province
    checked = staging_mod.check_reports_dir(reports_dir or paths.REPORTS, paths.ROOT)
    return BuildRequest(notebooks=tuple(chosen), declared=declared, parameters=parameters,
                        reports_dir=checked, project=paths.current(), province=province,
                        kernel=kernel, jobs=jobs, force=force, landing=landing, api=api,
                        register_folder=register_folder,
                        package_dir=Path(package_dir or paths.PACKAGE).resolve())


def check_notebook_names(notebooks: list[Path]) -> None:
    """Each notebook is named ``NN_topic.py`` and no two share a number."""
    seen: dict[str, Path] = {}
    for nb in notebooks:
        if not re.fullmatch(r"\d\d_\w+", nb.stem):
            raise ReportBuildError(paths.shown(nb), "notebook names must look like NN_topic.py")
        prefix = nb.stem[:3]
        if prefix in seen and seen[prefix] != nb:
            raise ReportBuildError(paths.shown(nb), f"shares the number {prefix} with "
                                                    f"{paths.shown(seen[prefix])}; figures and "
                                                    "tables are matched to reports by that "
                                                    "number")
        seen[prefix] = nb

