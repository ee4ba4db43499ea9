"""Turn the ``notebooks/NN_*.py`` notebooks into the published reports in ``reports/``, offline.

For each notebook (py:percent, first code cell tagged ``parameters``):

1. read it with jupytext and execute it with papermill in a fresh kernel, working directory
   ``notebooks/``, with the caller's parameters plus ``reports_dir`` injected;
2. export a reader edition (no code) and a researcher edition (with code) as self-contained
   HTML, and keep the executed ``.ipynb``.

Everything is built in a staging folder beside ``reports_dir`` (``.<name>.staging``; the
``reports_dir`` the notebooks receive points there) and moved into ``reports_dir`` only after
every notebook succeeded, so a failed build leaves the published reports as they were. Then
``index.html`` (from ``templates/index.html.j2``) and ``manifest.json`` are written.

Output layout::

    reports/index.html                    front page, one entry per report
    reports/manifest.json                 git commit, data checksums, versions, parameters
    reports/NN_topic.html                 reader edition (no code)
    reports/researcher/NN_topic.html      researcher edition (with code)
    reports/researcher/NN_topic.ipynb     the executed notebook
    reports/figures/NN_*.png|svg|alt.txt  written by the notebooks (analysis.outputs)
    reports/tables/NN_*.csv

Pages load nothing from the network (no require.js, MathJax, Mermaid or widget CDNs; see
``templates/nbconvert/offline.html.j2``) and are byte-identical when the inputs are: cell ids
are renumbered, execution timestamps stripped, and the build time is only in the manifest.
"""
from __future__ import annotations

import copy
import hashlib
import inspect
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata
from pathlib import Path
from urllib.parse import quote

from .. import paths
from . import parameters as params_mod
from . import staging as staging_mod
from ..data.atomic import FolderLock, FolderLockedError, restore_interrupted_swap
from ..data.build_state import sha256 as sha256_file
from .outputs import FIGURES, TABLES, atomic_write_bytes, atomic_write_text

log = logging.getLogger(__name__)

NOTEBOOK_GLOB = "[0-9][0-9]_*.py"
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"  # papermill's tag for the cell it adds
KERNEL_CHECK_TAG = "netralitas-kernel-check"
RESEARCHER = "researcher"
NBCONVERT_TEMPLATES = paths.TEMPLATES / "nbconvert"
INDEX_TEMPLATE = "index.html.j2"
MANIFEST = "manifest.json"
# manifest key: the registers whose names the build could not check (no key), and why
NAMES_NOT_CHECKED = "names_not_checked"
DATA_DOWNLOADS = "data"  # copies of data/processed for readers to download
PACKAGES = (
    "pandas", "numpy", "scipy", "statsmodels", "matplotlib",
    "jupytext", "papermill", "nbconvert", "jinja2", "babel",
)
SYNTHETIC = re.compile(r"\bSYNTHETIC\b")
# Cell tags honoured in both editions; the reader edition also drops the parameter cells.
REMOVE_CELL_TAG = "remove_cell"
RESEARCHER_ONLY_TAG = "researcher_only"  # test statistics, model tables: not in the reader edition
REMOVE_OUTPUT_TAG = "remove_output"


class ReportBuildError(RuntimeError):
    """A notebook could not be built; the message names the notebook and, if any, the cell."""

    def __init__(self, notebook: str, message: str):
        self.notebook = notebook
        self.message = message
        super().__init__(notebook, message)

    def __str__(self) -> str:
        return f"{self.notebook}: {self.message}"


@dataclass
class BuiltReport:
    """One executed and exported notebook, still in the staging folder."""

    stem: str
    source: Path
    title: str
    summary: str
    synthetic: bool
    parameters: dict
    kernel_python: str
    outputs: list[str] = field(default_factory=list)  # paths relative to the reports folder

    @property
    def prefix(self) -> str:
        return self.stem.split("_", 1)[0] + "_"


# --------------------------------------------------------------------------- public API

def discover_notebooks(notebooks_dir: Path | None = None) -> list[Path]:
    """The ``NN_*.py`` notebooks in reading order."""
    folder = Path(notebooks_dir or paths.NOTEBOOKS)
    return sorted(folder.glob(NOTEBOOK_GLOB), key=lambda p: p.name)


def build_reports(
    notebooks: list[Path] | None = None,
    parameters: dict | None = None,
    reports_dir: Path = paths.REPORTS,
    kernel_name: str = "python3",
    landing: bool = False,
    province: str | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress=None,
    api_docs: bool = False,
    publish=None,
) -> dict:
    """Execute and publish ``notebooks`` (default: all of ``notebooks/``); return the manifest.

    Incremental: a notebook runs again only when its source, the ``analysis`` package, the data
    files or its parameters changed (the key is kept in the manifest); the briefs and the API
    reference likewise. Independent notebooks run in parallel (``jobs``, default the number of
    cores). ``parameters`` must be declared by a notebook's parameters cell (each notebook gets
    those it declares) and ``province`` must resolve through ``regions.csv``; both are checked
    before anything runs. Everything is staged in a fresh folder beside ``reports_dir`` and
    published as one swap under an exclusive lock; a failure leaves ``reports_dir`` untouched.
    ``landing``: also build the policy briefs and data downloads and turn ``index.html`` into the
    readers' landing page. ``progress``: a callable taking one line of text (default: print).
    ``publish``: called with the lock held as ``publish(staging, reports_dir)`` instead of the
    swap (``staging`` None when nothing changed): the CLI publishes its staged data build and the
    reports there together, through a journal (:func:`publish_journaled`).
    """
    say = progress or (lambda line: print(line, flush=True))
    notebooks = discover_notebooks() if notebooks is None else [Path(p) for p in notebooks]
    notebooks = sorted((p.resolve() for p in notebooks), key=lambda p: p.name)
    if not notebooks:
        raise ReportBuildError(_shown(paths.NOTEBOOKS), f"no notebooks matching {NOTEBOOK_GLOB}")
    _check_notebook_names(notebooks)
    parameters = dict(parameters or {})
    if "reports_dir" in parameters:
        raise ValueError("reports_dir is set by the build; pass reports_dir=... (CLI: --reports-dir)")
    declared = {nb.stem: params_mod.declared_parameters(nb) for nb in notebooks}
    declared_all = {nb.stem: params_mod.declared_parameters(nb) for nb in discover_notebooks()}
    params_mod.check_parameters(parameters, {**declared_all, **declared})
    if parameters.get("register"):
        from ..findings.register_overview import resolve_register
        resolve_register(parameters["register"])  # an unknown name lists the imported ones
    if province is not None or "province" in parameters:
        province = params_mod.resolve_province(province or parameters["province"], paths.REGIONS)
        parameters["province"] = province
    reports_dir = staging_mod.check_reports_dir(reports_dir, paths.ROOT)

    with staging_mod.BuildLock(reports_dir):
        staging_mod.clean_stale(reports_dir)
        previous = read_manifest(reports_dir)
        git = git_state(paths.ROOT)
        package_key = package_hash()
        data = data_checksums()
        versions = package_versions()
        staging = staging_mod.new_staging(reports_dir)
        try:
            manifest = _stage_build(
                notebooks, declared, parameters, reports_dir, staging, previous, git, package_key,
                data, versions, kernel_name, landing, province, jobs, force, say, api_docs)
            if manifest is None:
                if previous and previous.get(NAMES_NOT_CHECKED):
                    previous = _recheck_published_names(reports_dir, previous, say)
                if publish:
                    publish(None, reports_dir)
                say("Nothing changed: the published reports are up to date.")
                return previous
            notes = _scan_for_personal_data(staging, say)
            if notes:  # said in the manifest, so a later build with the key checks them
                manifest[NAMES_NOT_CHECKED] = notes
                atomic_write_text(staging / MANIFEST, _manifest_text(manifest))
            if publish:
                publish(staging, reports_dir)
            else:
                staging_mod.swap_in(staging, reports_dir, MANIFEST)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    log.info("published to %s", reports_dir)
    return manifest


def _stage_build(notebooks, declared, parameters, reports_dir, staging, previous, git, package_key,
                 data, versions, kernel_name, landing, province, jobs, force, say, api_docs):
    """Fill ``staging`` with the complete new set; return the manifest, or None when nothing
    changed (every step skipped and the index would be identical)."""
    prev_entries = previous.get("notebooks", {}) if previous else {}
    steps = len(notebooks) + (1 if landing else 0) + (1 if api_docs else 0)
    counter = iter(range(1, steps + 1))

    # 1. notebooks: decide which run, run those in parallel, carry the rest over
    entries, to_run = {}, []
    for nb in notebooks:
        injected = {k: v for k, v in parameters.items() if k in declared[nb.stem]}
        key = notebook_key(nb, package_key, data, injected, kernel_name, versions)
        old = prev_entries.get(nb.stem)
        if not force and old and old.get("input_key") == key and _outputs_intact(reports_dir, old):
            _carry_over(reports_dir, staging, old["outputs"])
            entries[nb.stem] = old
            say(f"[{next(counter)}/{steps}] {nb.stem}… skipped (unchanged)")
        else:
            to_run.append((nb, injected, key))
    changed = bool(to_run)
    # longest first (by the previous build's time), so the slowest notebook does not start last
    to_run.sort(key=lambda item: -(prev_entries.get(item[0].stem, {}).get("seconds") or 1e9))
    for report, key, seconds in _run_notebooks(to_run, staging, reports_dir, kernel_name, jobs,
                                               say, counter, steps):
        report.parameters = {**declared[report.stem], **report.parameters}
        entries[report.stem] = _manifest_entry(report, staging, kernel_name, key)
        entries[report.stem]["seconds"] = round(seconds, 1)
    # reports not built now: keep them if their files are intact (built with --notebook)
    for stem, old in prev_entries.items():
        if stem not in entries and _outputs_intact(reports_dir, old) \
                and (paths.ROOT / old.get("source", "")).is_file():
            _carry_over(reports_dir, staging, old["outputs"])
            entries[stem] = old

    # 2. briefs and the landing page's findings
    landing_entry = None
    if landing:
        landing_entry, built = _landing_step(reports_dir, staging, previous, parameters, province,
                                             package_key, data, git, force, say, counter, steps)
        changed |= built
    elif previous and previous.get("landing"):
        old = previous["landing"]
        if _landing_consistent(old, entries) and _outputs_intact(reports_dir, {"outputs": old["files"]}):
            _carry_over(reports_dir, staging, old["files"])
            landing_entry = old
        else:
            changed = True  # the old briefs are dropped: they were built with other parameters
    _check_editions_agree(entries, landing_entry)

    # 3. API reference
    api_entry = None
    if api_docs:
        api_entry, built = _api_step(reports_dir, staging, previous, package_key, force, say,
                                     counter, steps)
        changed |= built
    elif previous and previous.get("api") and \
            _outputs_intact(reports_dir, {"outputs": previous["api"].get("files", {})}):
        api_entry = previous["api"]
        _carry_over(reports_dir, staging, api_entry["files"])

    # 4. files of the user's in the reports folder are never touched: carry them over. Only
    #    files a previous manifest lists as the build's own are ever replaced or removed.
    ours = _previous_outputs(previous) | {MANIFEST}
    kept = sorted(_files_under(reports_dir) - ours - _files_under(staging))
    _carry_over(reports_dir, staging, kept)

    files = _files_under(staging)
    alt_texts = {f: (staging / f).read_text(encoding="utf-8").strip()
                 for f in files if f.endswith(".alt.txt")}
    index_context = landing_entry.get("context") if landing_entry else None
    index = render_index(entries, files, alt_texts, index_context, api=bool(api_entry))
    index_en = render_index(entries, files, alt_texts, index_context, bool(api_entry), "en")
    if not changed and previous and (reports_dir / "index.html").is_file() \
            and (reports_dir / "index.html").read_text(encoding="utf-8") == index \
            and set(entries) == set(prev_entries):
        return None
    atomic_write_text(staging / "index.html", index)
    atomic_write_text(staging / "index_en.html", index_en)
    manifest = {
        "build_time": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "git": git,
        "python": platform.python_version(),
        "packages": versions,
        "package_sha256": package_key,
        "data": data,
        "notebooks": entries,
        "landing": landing_entry,
        "api": api_entry,
    }
    manifest["files"] = {f: sha256_file(staging / f) for f in sorted(_files_under(staging))
                         if f not in kept}
    manifest["kept_files"] = {f: sha256_file(staging / f) for f in kept}  # the user's, untouched
    atomic_write_text(staging / MANIFEST, _manifest_text(manifest))  # last
    return manifest


def _manifest_text(manifest: dict) -> str:
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _run_notebooks(to_run, staging, reports_dir, kernel_name, jobs, say, counter, steps):
    """Execute ``to_run`` [(notebook, parameters, key)] in parallel, each into its own folder
    inside ``staging``; return [(BuiltReport, key, seconds)] in the order given. Raises the
    first failure."""
    if not to_run:
        return []
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(to_run)))
    numbers = {nb.stem: next(counter) for nb, _, _ in to_run}
    results, started, durations = {}, {}, {}
    with _kernel_environment():
        if jobs == 1:
            for nb, injected, key in to_run:
                say(f"[{numbers[nb.stem]}/{steps}] {nb.stem}… running")
                started[nb.stem] = time.perf_counter()
                results[nb.stem] = _run_one(nb, injected, staging, reports_dir, kernel_name)
                durations[nb.stem] = time.perf_counter() - started[nb.stem]
                say(f"[{numbers[nb.stem]}/{steps}] {nb.stem}… {durations[nb.stem]:.1f} s")
        else:
            import concurrent.futures as cf
            import multiprocessing

            context = multiprocessing.get_context("spawn")
            with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                futures = {}
                for nb, injected, key in to_run:
                    futures[pool.submit(_run_one, nb, injected, staging, reports_dir,
                                        kernel_name)] = nb.stem
                waiting = [nb.stem for nb, _, _ in to_run]

                def start_next():  # the pool starts tasks in submission order as workers free
                    stem = waiting.pop(0)
                    started[stem] = time.perf_counter()
                    say(f"[{numbers[stem]}/{steps}] {stem}… running")

                for _ in range(min(jobs, len(waiting))):
                    start_next()
                for future in cf.as_completed(futures):
                    stem = futures[future]
                    try:
                        results[stem] = future.result()
                    except BaseException:
                        for other in futures:
                            other.cancel()
                        raise
                    durations[stem] = time.perf_counter() - started[stem]
                    say(f"[{numbers[stem]}/{steps}] {stem}… {durations[stem]:.1f} s")
                    if waiting:
                        start_next()
    return [(results[nb.stem], key, durations[nb.stem]) for nb, _, key in to_run]


def _run_one(source: Path, injected: dict, staging: Path, reports_dir: Path,
             kernel_name: str) -> BuiltReport:
    """One notebook into ``staging/.nb-<stem>``, then its files moved into ``staging``."""
    own = staging / f".nb-{source.stem}"
    own.mkdir()
    try:
        with _kernel_stderr_to(staging / f".nb-{source.stem}.log"):
            report = _build_notebook(source, injected, own, reports_dir, kernel_name)
        for relative in sorted(_files_under(own)):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(own / relative, target)
    finally:
        shutil.rmtree(own, ignore_errors=True)
    return report


def _outputs_intact(reports_dir: Path, entry: dict) -> bool:
    outputs = entry.get("outputs") or {}
    for relative, digest in outputs.items():
        path = reports_dir / relative
        if not path.is_file() or sha256_file(path) != digest:
            return False
    return bool(outputs)


def _carry_over(reports_dir: Path, staging: Path, relatives) -> None:
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


def _previous_outputs(previous: dict) -> set[str]:
    """The files a previous build wrote (its manifest's ``files``; for a manifest written
    before that list existed, the outputs of its entries). Without a manifest: none."""
    if not previous:
        return set()
    if "files" in previous:
        return set(previous["files"])
    ours = {"index.html"}
    for entry in (previous.get("notebooks") or {}).values():
        ours |= set(entry.get("outputs") or {})
    for section in ("landing", "api"):
        ours |= set(((previous.get(section) or {}).get("files")) or {})
    return ours


def _landing_consistent(landing_entry: dict, entries: dict) -> bool:
    return not _edition_conflicts(entries, landing_entry)


def _edition_conflicts(entries: dict, landing_entry: dict | None) -> list[str]:
    """Headline parameters (province, decree date, lags) that differ between the published
    notebooks and the briefs."""
    seen: dict[str, dict[str, str]] = {}
    for stem, entry in entries.items():
        for name in params_mod.HEADLINE_PARAMETERS:
            if name in (entry.get("parameters") or {}):
                seen.setdefault(name, {})[stem] = json.dumps(entry["parameters"][name], sort_keys=True)
    if landing_entry:
        for name, value in (landing_entry.get("parameters") or {}).items():
            seen.setdefault(name, {})["briefs"] = json.dumps(value, sort_keys=True)
    return [f"{name}: " + ", ".join(f"{who}={value}" for who, value in sorted(values.items()))
            for name, values in sorted(seen.items()) if len(set(values.values())) > 1]


def _check_editions_agree(entries: dict, landing_entry: dict | None) -> None:
    conflicts = _edition_conflicts(entries, landing_entry)
    if conflicts:
        raise ReportBuildError(
            "reports", "the published set would mix editions built with different headline "
            "parameters (" + "; ".join(conflicts) + "). Rebuild every report with the same -p "
            "values (python -m analysis report -p ...), or build into another --reports-dir.")


def _landing_step(reports_dir, staging, previous, parameters, province, package_key, data, git,
                  force, say, counter, steps):
    """Briefs, downloads and landing context, or the previous ones when their inputs are the
    same. Returns (landing entry, whether anything was built)."""
    number = next(counter)
    headline_params = {"province": province or params_mod.DEFAULT_PROVINCE}
    for name in params_mod.HEADLINE_PARAMETERS:
        if name in parameters and name != "province":
            from . import brief  # heavy (the findings): imported only when it must be asked

            if name not in set(inspect.signature(brief.build_briefs).parameters):
                raise ReportBuildError(
                    "briefs", f"-p {name} changes a headline finding, but the briefs cannot yet be "
                    f"built with it; build without it, or with --no-landing into another "
                    "--reports-dir, so the briefs and the reports do not disagree")
            headline_params[name] = parameters[name]
    key = _digest(package_key, json.dumps(data, sort_keys=True),
                  json.dumps(headline_params, sort_keys=True), git.get("commit") or "")
    old = (previous or {}).get("landing")
    reused = _reuse_step("briefs", key, old, reports_dir, staging, force, say, number, steps)
    if reused:
        return old, False
    context = {}

    def run():
        context.update(_build_landing(staging, git, headline_params,
                                      previous_summary=(old or {}).get("summary")))
        return f" ({context['pdf_note']})" if context.get("pdf_note") else ""

    files = _run_step("briefs", run, staging, say, number, steps)
    entry = {"input_key": key, "parameters": headline_params, "files": files,
             "pdf_note": context["pdf_note"], "context": context,
             "province": headline_params["province"],
             # Chromium stamps a creation date and document id that cannot be fixed from the
             # command line: these hashes differ between otherwise identical builds
             "expected_to_differ": sorted(f for f in files if f.endswith(".pdf")),
             # the headline numbers and verdicts, for the next edition's "what changed" line
             "summary": context.pop("summary", None)}
    return entry, True


def _reuse_step(name, key, old, reports_dir, staging, force, say, number, steps) -> bool:
    """Carry a step's previous files over when its input key is unchanged and they are intact."""
    if force or not old or old.get("input_key") != key \
            or not _outputs_intact(reports_dir, {"outputs": old.get("files", {})}):
        return False
    _carry_over(reports_dir, staging, old["files"])
    say(f"[{number}/{steps}] {name}… skipped (unchanged)")
    return True


def _run_step(name, run, staging, say, number, steps) -> dict:
    """Run a step that writes into ``staging``; return the hashes of the files it added.
    ``run`` may return a note for the progress line."""
    say(f"[{number}/{steps}] {name}… running")
    start = time.perf_counter()
    before = _files_under(staging)
    note = run() or ""
    files = {f: sha256_file(staging / f) for f in sorted(_files_under(staging) - before)}
    say(f"[{number}/{steps}] {name}… {time.perf_counter() - start:.1f} s{note}")
    return files


def _api_step(reports_dir, staging, previous, package_key, force, say, counter, steps):
    """The API reference (pdoc) in ``api/``, rebuilt only when the package changed."""
    number = next(counter)
    old = (previous or {}).get("api")
    if _reuse_step("API reference", package_key, old, reports_dir, staging, force, say, number,
                   steps):
        return old, False
    files = _run_step("API reference", lambda: build_api_docs(staging / "api"), staging, say,
                      number, steps)
    return {"input_key": package_key, "files": files}, True


def build_api_docs(out_dir: Path) -> None:
    """HTML API reference of the ``analysis`` package from its docstrings (pdoc, offline: no
    search index or external assets), in a subprocess so pdoc's imports stay out of this one."""
    out_dir.mkdir(parents=True, exist_ok=True)
    code = ("import pdoc, pdoc.render, sys; pdoc.render.configure(search=False, show_source=False,"
            " docformat='restructuredtext'); pdoc.pdoc('analysis', output_directory="
            "__import__('pathlib').Path(sys.argv[1]))")
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0")
    result = subprocess.run([sys.executable, "-c", code, str(out_dir)], capture_output=True,
                            text=True, env=env, cwd=str(paths.ROOT))
    if result.returncode != 0:
        raise ReportBuildError("api", "pdoc failed: " + (result.stderr.strip().splitlines() or ["?"])[-1])


def _scan_for_personal_data(staging: Path, say=print) -> list[str]:
    """Fail the build if a file to be published holds an ID-number pattern (NIP/NIK,
    :mod:`analysis.data.pii`) or a name from an imported register (compared as keyed hashes,
    :mod:`analysis.data.registers.scan`; without the key, the build says the names could not be
    checked). Return those notes (the registers whose names were not checked, and why)."""
    from ..data import pii
    from ..data.registers.scan import check_published_names

    findings = list(pii.scan_published(staging))
    named, notes = check_published_names(staging)
    for note in notes:
        say(f"[personal data] {note}")
    findings = sorted(findings + list(named), key=str)
    if findings:
        lines = "; ".join(str(f) for f in findings[:10])
        raise ReportBuildError("personal data", f"{len(findings)} match(es) in the files to be "
                               f"published ({lines}); nothing was published")
    return notes


def _recheck_published_names(reports_dir: Path, previous: dict, say=print) -> dict:
    """The published reports were built without checking some register's names (no key, or
    another key): check them now, when nothing else is to be built. Clean: the manifest says so
    from now on. A match: the build fails, naming the file (never the name), and the reports
    folder is left as it is for the user to remove. Still not checkable: the notes again."""
    from ..data.registers.scan import check_published_names

    findings, notes = check_published_names(reports_dir)
    if findings:
        lines = "; ".join(str(f) for f in findings[:10])
        raise ReportBuildError("personal data", f"the published reports in {reports_dir}, built "
                               f"without checking register names, hold {len(findings)} "
                               f"match(es) ({lines}); remove the file or the folder (a new "
                               "build checks the names before it publishes)")
    for note in notes:
        say(f"[personal data] {note} (the published reports were built without checking "
            "them)")
    if notes:
        return previous
    say("[personal data] names from the imported registers checked in the published reports: "
        "none found")
    updated = {k: v for k, v in previous.items() if k != NAMES_NOT_CHECKED}
    atomic_write_text(reports_dir / MANIFEST, _manifest_text(updated))
    return updated


def run_from_cli(args) -> int:
    """``python -m analysis report`` (options parsed by :mod:`analysis.cli`); return the exit code."""
    say = lambda line: print(line, flush=True)  # noqa: E731
    try:
        parameters = dict(params_mod.parse_param(text) for text in args.param)
        notebooks = None if not args.notebook else [_notebook_for_stem(s) for s in args.notebook]
        # everything that can be checked is checked before the data build and any notebook
        declared = {nb.stem: params_mod.declared_parameters(nb) for nb in discover_notebooks()}
        params_mod.check_parameters(parameters, declared)
        if parameters.get("register"):
            from ..findings.register_overview import resolve_register
            resolve_register(parameters["register"])
        province = args.province or parameters.get("province")
        if province is not None:
            province = params_mod.resolve_province(province, paths.REGIONS)
        staging_mod.check_reports_dir(args.reports_dir, paths.ROOT)
    except (ValueError, OSError) as exc:
        print(f"python -m analysis report: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, params_mod.ParameterError) else 1
    logging.getLogger("papermill").setLevel(logging.WARNING)  # temp paths, not news
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    from ..data import build_state  # the build itself (pandas, SciPy) only when it must run

    staged = None
    published_processed = Path(paths.PROCESSED)
    # restored when the build ends, so a caller (a test, a notebook) sees no change after it
    saved_processed = (paths.PROCESSED, os.environ.get("NETRALITAS_PROCESSED"))
    data_lock = FolderLock(published_processed)  # one data build at a time, held to publishing
    journal = published_processed.parent / PUBLISH_JOURNAL
    try:
        data_lock.__enter__()
        if complete_pending_publication(journal):
            say("[publish] completed the publication an interrupted build had started")
        clean_stale_stages(published_processed)
        if not args.force and build_state.is_current(published_processed):
            say("[data] build… skipped (unchanged)")
        else:
            from ..data import build

            problems = build.problems_in_raw()
            if problems:
                for problem in problems:
                    print(problem, file=sys.stderr)
                print(f"Report build stopped: {len(problems)} error(s) in data/raw; nothing was "
                      "written", file=sys.stderr)
                return 1
            say("[data] validate and build… running")
            start = time.perf_counter()
            staged = build.stage()  # the notebooks read it; published with the reports
            build.build_into(staged)
            _use_processed(staged)
            say(f"[data] validate and build… {time.perf_counter() - start:.1f} s")

        def publish_both(reports_stage, reports_dir):  # both, or neither, through a journal
            swaps = []
            if staged is not None:
                from ..data import build

                build.carry_over_into_stage(staged, published_processed)
                swaps.append((staged, published_processed))
            if reports_stage is not None:
                swaps.append((reports_stage, reports_dir))
            if swaps:
                publish_journaled(swaps, journal)

        build_reports(notebooks, parameters, args.reports_dir, kernel_name=args.kernel,
                      landing=not args.no_landing, province=province, jobs=args.jobs,
                      force=args.force, progress=say, api_docs=not args.no_landing,
                      publish=publish_both)
    except (ReportBuildError, ValueError, FolderLockedError) as exc:
        print(f"Report build failed: {exc}", file=sys.stderr)
        print(f"Nothing in {_shown(args.reports_dir)} or data/processed was changed.",
              file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Report build failed: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)
        print(f"Nothing in {_shown(args.reports_dir)} or data/processed was changed.",
              file=sys.stderr)
        return 1
    finally:
        paths.PROCESSED = saved_processed[0]
        if saved_processed[1] is None:
            os.environ.pop("NETRALITAS_PROCESSED", None)
        else:
            os.environ["NETRALITAS_PROCESSED"] = saved_processed[1]
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
        data_lock.__exit__(None, None, None)
    print(f"Reports: {_shown(Path(args.reports_dir) / 'index.html')}")
    return 0


PUBLISH_JOURNAL = ".netralitas-publish.json"  # beside data/processed while a publication runs


def publish_journaled(swaps: list[tuple[Path, Path]], journal: Path) -> None:
    """Swap every staged folder in (``data/processed`` and ``reports/``) as one publication.

    The list is written to ``journal`` first; then each stage replaces its target by two renames
    (never an exchange, so a stage that still exists is one not yet swapped); then the journal
    is removed. A build killed anywhere in between leaves the journal, and the next command
    rolls the publication forward (:func:`complete_pending_publication`) before it reads
    anything, so the processed tables and the reports are published together or not at all.
    """
    atomic_write_text(journal, json.dumps(
        {"swaps": [[str(stage), str(target)] for stage, target in swaps]}, indent=1) + "\n")
    complete_pending_publication(journal)


def complete_pending_publication(journal: Path) -> bool:
    """Finish a publication recorded in ``journal`` (call with the data lock held); True if
    there was one."""
    if not journal.is_file():
        return False
    swaps = json.loads(journal.read_text(encoding="utf-8"))["swaps"]
    for stage, target in swaps:
        stage, target = Path(stage), Path(target)
        restore_interrupted_swap(target)  # killed between the two renames of this swap
        if stage.is_dir():
            staging_mod.swap_in(stage, target, MANIFEST, exchange=False)
    journal.unlink()
    return True


def clean_stale_stages(processed: Path) -> None:
    """Staged data builds left beside ``data/processed`` by killed builds (call with the data
    lock held: no live build owns them), and a swap killed between its renames."""
    restore_interrupted_swap(processed)
    for stale in processed.parent.glob(f".netralitas-processed-{processed.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _use_processed(folder: Path) -> None:
    """Point this process and the kernels it starts at ``folder`` for the processed tables."""
    paths.PROCESSED = Path(folder)
    if Path(folder) == paths.PROCESSED_PUBLISHED:
        os.environ.pop("NETRALITAS_PROCESSED", None)
    else:
        os.environ["NETRALITAS_PROCESSED"] = str(folder)


def package_hash() -> str:
    """Hash of the ``analysis`` package's source and templates (what every output depends on)."""
    digest = hashlib.sha256()
    code = Path(__file__).resolve().parent.parent
    for path in sorted(p for p in code.rglob("*") if p.is_file() and p.suffix in (".py", ".j2", ".css")
                       and "__pycache__" not in p.parts):
        digest.update(path.relative_to(code).as_posix().encode() + b"\0" + sha256_file(path).encode())
    return digest.hexdigest()


def notebook_key(source: Path, package_key: str, data: dict, parameters: dict, kernel_name: str,
                 versions: dict) -> str:
    """What a notebook's outputs depend on: its source, the package, the data, its parameters,
    the kernel and the package versions."""
    return _digest(sha256_file(source), package_key, json.dumps(data, sort_keys=True),
                   json.dumps(parameters, sort_keys=True, ensure_ascii=False), kernel_name,
                   json.dumps(versions, sort_keys=True))


def _digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def read_manifest(reports_dir: Path) -> dict:
    """The previous manifest of ``reports_dir``, or {} if none (or unreadable)."""
    try:
        manifest = json.loads((reports_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


# --------------------------------------------------------------------------- one notebook

def _build_notebook(source: Path, parameters: dict, staging: Path, reports_dir: Path,
                    kernel_name: str) -> BuiltReport:
    import jupytext
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    shown = _shown(source)
    log.info("running %s", shown)
    nb = jupytext.read(source)
    _require_parameters_cell(nb, shown)
    nb.metadata["kernelspec"] = _kernelspec(kernel_name)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import sys as _nt_sys\nprint(_nt_sys.prefix)\nprint(_nt_sys.executable)\ndel _nt_sys",
        metadata={"tags": [KERNEL_CHECK_TAG]},
    ))
    injected = {**parameters, "reports_dir": str(staging)}
    before = _fingerprints(staging)

    tmp = staging_mod.temp_dir("nb")  # removed below, or by the next build after a kill
    try:
        unexecuted = tmp / f"{source.stem}.ipynb"
        executed_path = tmp / f"{source.stem}.executed.ipynb"
        nbformat.write(nb, unexecuted)
        try:
            _execute_notebook(papermill, unexecuted, executed_path, injected, kernel_name,
                              cwd=source.parent, shown=shown)
        except PapermillExecutionError as exc:
            raise ReportBuildError(shown, _describe_failure(exc, nb, source)) from None
        except Exception as exc:  # kernel did not start, died, timed out
            raise ReportBuildError(shown, f"could not execute with kernel {kernel_name!r}: "
                                          f"{type(exc).__name__}: {exc}") from exc
        executed = nbformat.read(executed_path, as_version=4)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    kernel_python = _check_kernel(executed, shown, kernel_name)
    title, summary = title_and_summary(nb, default_title=source.stem)
    synthetic = is_synthetic(executed)
    if synthetic and "SYNTHETIC" not in title:
        title += " · SINTETIS / SYNTHETIC"  # the page title and the index say it too
    _make_reproducible(executed, title, published_dir=_shown(reports_dir))
    report = BuiltReport(
        stem=source.stem, source=source, title=title, summary=summary,
        synthetic=synthetic,
        parameters={**injected, "reports_dir": _shown(reports_dir)},
        kernel_python=kernel_python,
    )
    report.outputs = sorted(p for p, digest in _fingerprints(staging).items() if before.get(p) != digest)
    _export(executed, source, staging, report)
    return report


# A kernel that does not start is retried: no cell has run, so running again is safe. Seen on
# a loaded CI machine (two kernels starting at once, one silent for 60 s); a failure after the
# kernel answered is never retried.
KERNEL_START_ATTEMPTS = 3
KERNEL_START_TIMEOUT_S = 120
_KERNEL_DID_NOT_START = ("Kernel didn't respond", "Kernel died before replying")


def _kernel_did_not_start(exc: BaseException) -> bool:
    return isinstance(exc, RuntimeError) and str(exc).startswith(_KERNEL_DID_NOT_START)


def _execute_notebook(papermill, unexecuted: Path, executed_path: Path, injected: dict,
                      kernel_name: str, *, cwd: Path, shown: str) -> None:
    """papermill.execute_notebook with an explicit start timeout, retried only when the kernel
    never started (see KERNEL_START_ATTEMPTS)."""
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            papermill.execute_notebook(
                str(unexecuted), str(executed_path), parameters=injected, kernel_name=kernel_name,
                cwd=str(cwd), progress_bar=False, log_output=False,
                request_save_on_cell_execute=False, start_timeout=KERNEL_START_TIMEOUT_S,
            )
            return
        except Exception as exc:
            if not _kernel_did_not_start(exc) or attempt == KERNEL_START_ATTEMPTS:
                if _kernel_did_not_start(exc):
                    raise RuntimeError(f"{exc} (tried {attempt} times)") from exc
                raise
            log.warning("%s: kernel did not start (%s); trying again (%d of %d)",
                        shown, exc, attempt + 1, KERNEL_START_ATTEMPTS)
            executed_path.unlink(missing_ok=True)


def _require_parameters_cell(nb, shown: str) -> None:
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code or PARAMETERS_TAG not in code[0].metadata.get("tags", []):
        raise ReportBuildError(
            shown,
            "the first code cell must be tagged 'parameters' (py:percent: "
            "`# %% tags=[\"parameters\"]`) so the build can inject reports_dir and parameters",
        )


def _describe_failure(exc, nb, source: Path) -> str:
    """Say which cell failed in the notebook's own terms: code cell number and line in the .py.

    ``nb`` is the notebook as handed to papermill, which then inserted its injected-parameters
    cell right after the ``parameters`` cell; ``exc.cell_index`` counts that cell.
    """
    parameters_at = next(i for i, c in enumerate(nb.cells)
                         if PARAMETERS_TAG in c.metadata.get("tags", []))
    index = exc.cell_index
    if index == parameters_at + 1:
        where = "the injected parameters cell (check the -p/--param values)"
    else:
        index = index - 1 if index > parameters_at else index
        cell = nb.cells[index] if 0 <= index < len(nb.cells) else None
        if cell is None:
            where = f"cell {exc.cell_index}"
        elif KERNEL_CHECK_TAG in cell.metadata.get("tags", []):
            where = "the kernel check appended by the build"
        else:
            where = f"code cell {sum(c.cell_type == 'code' for c in nb.cells[: index + 1])}"
            line = _line_in_file(source, cell.source)
            if line:
                where += f" (line {line})"
    source_text = exc.source or ""
    first_line = next((ln for ln in source_text.splitlines() if ln.strip()), "")
    message = f"{where} failed with {exc.ename}: {exc.evalue}"
    if first_line:
        message += f"\n  cell starts: {first_line.strip()}"
    tb = _strip_ansi("\n".join(exc.traceback or [])).strip().splitlines()
    if tb:
        message += "\n  " + "\n  ".join(tb[-12:])
    return message


def _line_in_file(source: Path, cell_source: str) -> int | None:
    text = source.read_text(encoding="utf-8")
    index = text.find(cell_source) if cell_source.strip() else -1
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def _kernelspec(kernel_name: str) -> dict:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        display_name = KernelSpecManager().get_kernel_spec(kernel_name).display_name
    except NoSuchKernel:
        display_name = kernel_name  # papermill will say the kernel is missing
    return {"name": kernel_name, "display_name": display_name, "language": "python"}


def _check_kernel(executed, shown: str, kernel_name: str) -> str:
    """Make sure the kernel ran this environment's python (the venv); drop the check cell.

    Returns the kernel's ``sys.executable``.
    """
    checks = [c for c in executed.cells if KERNEL_CHECK_TAG in c.metadata.get("tags", [])]
    text = "".join(o.get("text", "") for c in checks for o in c.get("outputs", [])
                   if o.get("output_type") == "stream")
    executed.cells = [c for c in executed.cells if c not in checks]
    lines = text.splitlines()
    if len(lines) < 2 or Path(lines[0]).resolve() != Path(sys.prefix).resolve():
        raise ReportBuildError(
            shown,
            f"kernel {kernel_name!r} ran {lines[1] if len(lines) > 1 else 'an unknown python'} "
            f"(prefix {lines[0] if lines else '?'}), expected {sys.executable} (prefix {sys.prefix}); "
            "install ipykernel in this environment or pass --kernel",
        )
    return lines[1]


def _make_reproducible(nb, title: str, published_dir: str | None = None) -> None:
    """Strip what changes between identical runs: timestamps, temp paths, random cell ids.

    The staging folder the notebook wrote into (``reports_dir``) is replaced, in the injected
    cell and papermill's record, by ``published_dir``: the reports folder relative to the
    project, so two clones give byte-identical notebooks and no local path is published."""
    pm = nb.metadata.get("papermill", {})
    nb.metadata["papermill"] = {k: pm[k] for k in ("parameters", "default_parameters", "version") if k in pm}
    if published_dir is not None:
        staged = nb.metadata["papermill"].get("parameters", {}).get("reports_dir")
        if "parameters" in nb.metadata["papermill"] and staged is not None:
            nb.metadata["papermill"]["parameters"]["reports_dir"] = published_dir
        for cell in nb.cells:
            if INJECTED_TAG in cell.metadata.get("tags", []) and staged is not None:
                cell.source = cell.source.replace(repr(staged), repr(published_dir)).replace(
                    f'"{staged}"', repr(published_dir))
    nb.metadata.pop("widgets", None)
    nb.metadata["title"] = title  # the HTML <title>
    for number, cell in enumerate(nb.cells, start=1):
        cell.id = f"cell-{number}"
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)


def _export(executed, source: Path, staging: Path, report: BuiltReport) -> None:
    import nbformat

    resources = {"metadata": {"name": report.title, "path": str(source.parent)}}
    def html(reader: bool) -> str:
        body, _ = _exporter(reader).from_notebook_node(copy.deepcopy(executed), copy.deepcopy(resources))
        return body

    editions = {
        f"{report.stem}.html": html(reader=True),
        f"{RESEARCHER}/{report.stem}.html": html(reader=False),
        f"{RESEARCHER}/{report.stem}.ipynb": nbformat.writes(executed) + "\n",
    }
    for relative, text in editions.items():
        atomic_write_text(staging / relative, text)
    report.outputs = sorted(set(report.outputs) | set(editions))


def _exporter(reader: bool):
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.template_name = "lab"
    c.HTMLExporter.extra_template_paths = [str(NBCONVERT_TEMPLATES)]
    c.HTMLExporter.template_file = "offline.html.j2"
    # embed_images re-parses each inline HTML tag alone in nbconvert 7.17 and empties
    # <span lang="en">…</span>; no notebook shows a Markdown image (figures are outputs)
    c.HTMLExporter.embed_images = False
    c.HTMLExporter.language_code = "id"
    c.HTMLExporter.exclude_input = reader
    c.HTMLExporter.exclude_input_prompt = reader
    c.HTMLExporter.exclude_output_prompt = reader
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = (
        {REMOVE_CELL_TAG, PARAMETERS_TAG, INJECTED_TAG, RESEARCHER_ONLY_TAG} if reader
        else {REMOVE_CELL_TAG})
    # Text from data is untrusted: raw HTML in Markdown cells and in HTML outputs is sanitised
    # (scripts, event handlers and javascript: links removed) in both editions.
    c.HTMLExporter.sanitize_html = True
    # the navigation bar and the sanitiser that keeps headings, tables and `lang`
    # (analysis.publish.reader_tables); the template falls back to nbconvert's clean_html
    c.HTMLExporter.preprocessors = ["analysis.publish.reader_tables.ReaderPagePreprocessor"]
    c.TagRemovePreprocessor.remove_all_outputs_tags = {REMOVE_OUTPUT_TAG}
    return HTMLExporter(config=c)


# --------------------------------------------------------------------------- notebook facts

def title_and_summary(nb, default_title: str = "") -> tuple[str, str]:
    """The first ``# `` heading and the first paragraph after it (or metadata ``summary``)."""
    title, summary, seen_title = default_title, "", False
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        if not seen_title:
            for i, line in enumerate(lines):
                if line.startswith("# "):
                    title, seen_title, lines = line[2:].strip(), True, lines[i + 1:]
                    break
            else:
                continue
        paragraph = _first_paragraph(lines)
        if paragraph:
            summary = paragraph
            break
    meta = nb.metadata.get("summary") or nb.metadata.get("jupytext", {}).get("summary")
    summary = str(meta).strip() if meta else summary
    # headings may mark the other language with <span lang="en">; the index wants plain text
    return _plain(title), _plain(summary)


def _plain(text: str) -> str:
    """Markdown heading or paragraph text without HTML tags and with entities decoded."""
    import html
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _first_paragraph(lines: list[str]) -> str:
    paragraph: list[str] = []
    for line in lines:
        if line.strip():
            if line.lstrip().startswith("#") and not paragraph:
                continue  # a subheading before the first paragraph
            paragraph.append(line.strip())
        elif paragraph:
            break
    return " ".join(paragraph)


def is_synthetic(nb) -> bool:
    """True if any cell output says SYNTHETIC (the data or part of it is made up)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            texts = [output.get("text", "")]
            texts += [v for v in output.get("data", {}).values() if isinstance(v, str)]
            if any(SYNTHETIC.search(t) for t in texts):
                return True
    return False


# --------------------------------------------------------------------------- manifest

def git_state(root: Path) -> dict:
    """``{"commit": sha or None, "dirty": bool or None}`` for the repository holding ``root``."""
    def git(*args: str) -> subprocess.CompletedProcess | None:
        try:
            return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
        except OSError:
            return None

    head = git("rev-parse", "--verify", "--quiet", "HEAD")
    status = git("status", "--porcelain")
    date = git("log", "-1", "--format=%cs", "HEAD")
    return {
        "commit": head.stdout.strip() if head and head.returncode == 0 and head.stdout.strip() else None,
        "dirty": bool(status.stdout.strip()) if status and status.returncode == 0 else None,
        # the commit's date (YYYY-MM-DD): the brief's edition date, the same on every rebuild
        "date": date.stdout.strip() if date and date.returncode == 0 and date.stdout.strip() else None,
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
    for folder, shown in ((paths.RAW, "data/raw"), (paths.PROCESSED, "data/processed")):
        if Path(folder).is_dir():
            for file in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
                relative = file.relative_to(folder)
                if not any(part.startswith(".") for part in relative.parts):
                    sums[f"{shown}/{relative.as_posix()}"] = sha256_file(file)
    return dict(sorted(sums.items()))


def _manifest_entry(report: BuiltReport, staging: Path, kernel_name: str, key: str) -> dict:
    return {
        "input_key": key,
        "source": _shown(report.source, paths.ROOT),
        "source_sha256": sha256_file(report.source),
        "title": report.title,
        "summary": report.summary,
        "synthetic": report.synthetic,
        "parameters": report.parameters,
        "kernel": {"name": kernel_name, "python": _unresolved_relative(report.kernel_python)},
        "outputs": {p: sha256_file(staging / p) for p in report.outputs},
    }


# --------------------------------------------------------------------------- index.html

def _build_landing(staging: Path, git: dict, headline_params: dict,
                   previous_summary: dict | None = None) -> dict:
    """Policy briefs, downloadable processed tables and the landing-page context. The edition
    date is the date of the commit built (the same build gives the same page); the previous
    edition's summary feeds the brief's "what changed" line."""
    from . import brief

    commit = (git.get("commit") or "unknown")[:12]
    extra = {k: v for k, v in headline_params.items() if k != "province"}
    accepted = set(inspect.signature(brief.build_briefs).parameters)
    if "edition_date" in accepted:
        extra["edition_date"] = git.get("date")
    if "previous_summary" in accepted:
        extra["previous_summary"] = previous_summary
    result = brief.build_briefs(staging, headline_params["province"], commit=commit, **extra)
    downloads = []
    for source in sorted(paths.PROCESSED.glob("*")):
        if source.is_file() and not source.name.startswith("."):
            target = staging / DATA_DOWNLOADS / source.name
            atomic_write_bytes(target, source.read_bytes())  # neutralised by the data build
            downloads.append({"name": source.name, "href": quote(f"{DATA_DOWNLOADS}/{source.name}")})
    return {"front": brief.front_context(result["headlines"]), "downloads": downloads,
            "pdf": not result["pdf_note"], "pdf_note": result["pdf_note"], "commit": commit,
            "dirty": bool(git.get("dirty")), "summary": result.get("summary")}


def render_index(entries: dict, files: set[str], alt_texts: dict[str, str] | None = None,
                 landing: dict | None = None, api: bool = False, lang: str = "id") -> str:
    """The front page: one entry per report, with its editions, figures and tables.

    ``files`` are the paths (relative to the reports folder) that will be published; figures and
    tables belong to the report whose ``NN_`` prefix they carry. ``alt_texts`` maps
    ``figures/<stem>.alt.txt`` to its text.
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.TEMPLATES)), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    reports = []
    for stem, entry in sorted(entries.items()):
        prefix = stem.split("_", 1)[0] + "_"
        reports.append({
            "stem": stem,
            "title": entry["title"],
            "summary": entry["summary"],
            "synthetic": entry["synthetic"],
            "reader": quote(f"{stem}.html"),
            "researcher": quote(f"{RESEARCHER}/{stem}.html"),
            "notebook": quote(f"{RESEARCHER}/{stem}.ipynb"),
            "figures": _figures(files, prefix, alt_texts or {}),
            "tables": [{"stem": Path(f).stem, "csv": quote(f)} for f in sorted(files)
                       if f.startswith(f"{TABLES}/{prefix}") and f.endswith(".csv")],
        })
    from . import frontpage  # the landing page's words in one language

    env.globals.update(frontpage.index_globals(lang))
    return env.get_template(INDEX_TEMPLATE).render(reports=reports, landing=landing, api=api)


def _figures(files: set[str], prefix: str, alt_texts: dict[str, str]) -> list[dict]:
    stems = sorted({Path(f).name.split(".", 1)[0] for f in files
                    if f.startswith(f"{FIGURES}/{prefix}") and f.endswith((".png", ".svg"))})
    figures = []
    for stem in stems:
        figures.append({
            "stem": stem,
            "alt": alt_texts.get(f"{FIGURES}/{stem}.alt.txt", ""),
            "png": quote(f"{FIGURES}/{stem}.png") if f"{FIGURES}/{stem}.png" in files else None,
            "svg": quote(f"{FIGURES}/{stem}.svg") if f"{FIGURES}/{stem}.svg" in files else None,
        })
    return figures


# --------------------------------------------------------------------------- files

def _fingerprints(folder: Path) -> dict[str, str]:
    return {p: sha256_file(folder / p) for p in _files_under(folder)}


def _files_under(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@contextmanager
def _kernel_stderr_to(log_path: Path):
    """Send this process's standard error (and so the kernel's, which inherits it: "running
    over TCP without encryption", debugger notices) to ``log_path`` while a notebook runs; a
    failure is reported through the exception, with the cell and traceback."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log_path, "ab") as log_file:
        os.dup2(log_file.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
    Path(log_path).unlink(missing_ok=True)


@contextmanager
def _kernel_environment():
    """Environment the kernel inherits: this package importable, same data root, stable hashing."""
    package_root = str(Path(__file__).resolve().parent.parent)
    wanted = {
        "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
        "NETRALITAS_ROOT": str(paths.ROOT),
        "NETRALITAS_PROCESSED": str(paths.PROCESSED),
        "PYTHONHASHSEED": "0",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # no debugger warning about frozen modules
    }
    saved = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# --------------------------------------------------------------------------- small helpers

def _check_notebook_names(notebooks: list[Path]) -> None:
    seen: dict[str, Path] = {}
    for nb in notebooks:
        if not re.fullmatch(r"\d\d_\w+", nb.stem):
            raise ReportBuildError(_shown(nb), "notebook names must look like NN_topic.py")
        prefix = nb.stem[:3]
        if prefix in seen and seen[prefix] != nb:
            raise ReportBuildError(_shown(nb), f"shares the number {prefix} with {_shown(seen[prefix])}; "
                                               "figures and tables are matched to reports by that number")
        seen[prefix] = nb


def _notebook_for_stem(stem: str) -> Path:
    stem = stem.removesuffix(".py")
    path = paths.NOTEBOOKS / f"{stem}.py"
    if not path.is_file():
        known = ", ".join(p.stem for p in discover_notebooks()) or "none"
        raise ValueError(f"no notebook {_shown(path)}; available: {known}")
    return path


def parse_param(text: str) -> tuple[str, object]:
    """``"KEY=VALUE"`` -> ``(KEY, VALUE)`` (see :func:`analysis.publish.parameters.parse_param`)."""
    return params_mod.parse_param(text)


def _unresolved_relative(path: str) -> str:
    """``path`` relative to the project root when it lies inside it, symlinks kept (the venv's
    ``python`` is a link to the base interpreter)."""
    root = os.path.abspath(paths.ROOT)
    absolute = os.path.abspath(path)
    if absolute == root or absolute.startswith(root + os.sep):
        return Path(os.path.relpath(absolute, root)).as_posix()
    return absolute


def _shown(path: Path | str, base: Path | None = None) -> str:
    """``path`` relative to ``base`` (default: the project root) when inside it, else absolute."""
    path = Path(path).resolve()
    try:
        return path.relative_to(Path(base or paths.ROOT).resolve()).as_posix()
    except ValueError:
        return str(path)
