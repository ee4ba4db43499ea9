"""Running notebooks: each in a fresh kernel (papermill), several at once in worker processes.

A notebook runs from ``notebooks/`` with its parameters and ``reports_dir`` (a folder of its own
inside the staging folder) injected after its ``parameters`` cell; a last cell checks that the
kernel ran this environment's Python. Its files are then moved into the staging folder and its
two editions exported (:mod:`.editions`).

The kernel gets its environment explicitly (this package importable, the project's paths, stable
hashing, the inline backend); nothing in this process's environment is changed. Workers end with
the build (:mod:`.children`); a kernel that does not start is tried again.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ... import paths
from .. import staging as staging_mod
from ..parameters import PARAMETERS_TAG
from . import children, editions
from .errors import ReportBuildError
from .progress import Progress

log = logging.getLogger(__name__)

KERNEL_CHECK_TAG = "netralitas-kernel-check"


@dataclass(frozen=True)
class NotebookJob:
    """One notebook to run: where it writes, with what, in which project."""

    source: Path
    parameters: dict      # the -p values it declares (reports_dir is added by the run)
    staging: Path         # the build's staging folder
    reports_dir: Path     # where the reports will be published (named in the pages)
    kernel: str
    project: paths.ProjectPaths


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


def run_notebooks(jobs_to_run: list[NotebookJob], jobs: int | None,
                  progress: Progress, meanwhile=None) -> list[tuple[BuiltReport, float]]:
    """Run each job, ``jobs`` at once (default: :func:`default_jobs`), in the order given;
    return ``[(report, seconds)]`` in that order. The first failure stops the others and is
    raised. ``meanwhile``: called once in this thread while the workers run (work of the build's
    own that does not need the notebooks); not called when there is no job."""
    if not jobs_to_run:
        return []
    jobs = max(1, min(jobs or default_jobs(), len(jobs_to_run)))
    numbers = {job.source.stem: progress.number() for job in jobs_to_run}
    results, started, durations = {}, {}, {}

    def start(stem):
        started[stem] = time.perf_counter()
        progress.line(numbers[stem], stem, "running")

    def finish(stem, report):
        results[stem] = report
        durations[stem] = time.perf_counter() - started[stem]
        progress.line(numbers[stem], stem, f"{durations[stem]:.1f} s")

    if jobs == 1:
        if meanwhile is not None:
            meanwhile()
        for job in jobs_to_run:
            start(job.source.stem)
            finish(job.source.stem, run_one(job))
    else:
        _run_in_workers(jobs_to_run, jobs, start, finish, meanwhile)
    return [(results[job.source.stem], durations[job.source.stem]) for job in jobs_to_run]


NOTEBOOKS_PER_CORE = 2


def default_jobs() -> int:
    """Notebooks run at once: two per core. A worker waits while its kernel computes and the
    kernel is gone while its worker writes the pages, so one notebook per core left a quarter
    of the CPU idle (7 notebooks on 2 cores: 37.6 s at 81 % of both cores with 2 at once,
    32 s with 4; each notebook adds about 350 MB while it runs)."""
    return NOTEBOOKS_PER_CORE * (os.cpu_count() or 1)


def _run_in_workers(jobs_to_run, jobs, start, finish, meanwhile=None) -> None:
    import concurrent.futures as cf
    import multiprocessing

    context, parent = _worker_context(multiprocessing)
    pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                  initializer=_start_worker, initargs=(parent, dict(os.environ)))
    try:
        futures = {pool.submit(run_one, job): job.source.stem for job in jobs_to_run}
        waiting = [job.source.stem for job in jobs_to_run]
        for _ in range(min(jobs, len(waiting))):  # workers take tasks in submission order
            start(waiting.pop(0))
        if meanwhile is not None:
            meanwhile()  # the pool hands queued notebooks to free workers by itself
        for future in cf.as_completed(futures):
            finish(futures[future], future.result())
            if waiting:
                start(waiting.pop(0))
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _worker_context(multiprocessing):
    """How workers start, and the parent they end with: forked from a fork server that has
    imported what they need (:mod:`.worker_preload`) where the platform has one (the server
    ends when the build does, and its workers with it); else spawned from the build."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([f"{__package__}.worker_preload"])
        return context, None
    return multiprocessing.get_context("spawn"), os.getpid()


def start_worker_server(jobs: int | None = None) -> None:
    """Start the workers' fork server now (where there is one), so that its imports
    (:mod:`.worker_preload`, about a second) run beside what the build does before the
    notebooks; the pool uses it when it starts. Nothing happens where workers are spawned, or
    when ``jobs`` is 1 (the notebooks run in the build's own process)."""
    import multiprocessing

    if (jobs or default_jobs()) == 1:
        return
    context, parent = _worker_context(multiprocessing)
    if parent is None:
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _start_worker(parent: int | None, environ: dict) -> None:
    """A worker's first act: the build's environment as it is now (a fork server's copy dates
    from the server's start), then end with its parent (:func:`children.end_with_parent`).

    A worker forked by the fork server ends with the server, and the server ends when no
    process holds the write end of its "alive" pipe. Every forked child is handed a copy of
    that end (so that it could fork through the server too); a worker never does, so it closes
    its copy, and then only the build holds it: a ``kill -9`` of the build ends the server, the
    server's end ends the workers (parent-death signal) and theirs ends the kernels."""
    os.environ.clear()
    os.environ.update(environ)
    if parent is None:
        from multiprocessing import forkserver

        server = getattr(forkserver, "_forkserver", None)
        alive = getattr(server, "_forkserver_alive_fd", None)
        if alive is not None:
            os.close(alive)
            server._forkserver_alive_fd = None
    children.end_with_parent(parent)


def _stop(pool) -> None:
    """End a pool's workers now (a failure, or Ctrl-C): their kernels end with them."""
    for process in list(getattr(pool, "_processes", {}).values()):
        process.kill()
    pool.shutdown(wait=True, cancel_futures=True)


def quiet_logs() -> None:
    """papermill's and traitlets' notes are not news: temporary paths, and "Unable to parse
    line" for a parameters line with a comment (read only for papermill's own help)."""
    logging.getLogger("papermill").setLevel(logging.WARNING)
    logging.getLogger("papermill.translators").setLevel(logging.ERROR)
    logging.getLogger("traitlets").setLevel(logging.ERROR)


def run_one(job: NotebookJob) -> BuiltReport:
    """One notebook into ``staging/.nb-<stem>``, then its files moved into ``staging``."""
    quiet_logs()
    own = job.staging / f".nb-{job.source.stem}"
    own.mkdir()
    try:
        with paths.scoped(job.project):
            report = _build_notebook(job, own)
        for relative in sorted(staging_mod.files_under(own)):
            target = job.staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(own / relative, target)
    finally:
        shutil.rmtree(own, ignore_errors=True)
    return report


def _build_notebook(job: NotebookJob, own: Path) -> BuiltReport:
    from .lean_imports import skip_unused_iri_checker

    skip_unused_iri_checker()  # a worker's first notebook: 1 s less (see lean_imports)
    import jupytext
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source, kernel_name = job.source, job.kernel
    shown = paths.shown(source)
    log.info("running %s", shown)
    nb = jupytext.read(source)
    _require_parameters_cell(nb, shown)
    nb.metadata["kernelspec"] = _kernelspec(kernel_name)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import sys as _nt_sys\nprint(_nt_sys.prefix)\nprint(_nt_sys.executable)\ndel _nt_sys",
        metadata={"tags": [KERNEL_CHECK_TAG]},
    ))
    injected = {**job.parameters, "reports_dir": str(own)}
    before = staging_mod.fingerprints(own)

    tmp = staging_mod.temp_dir("nb")  # removed below, or by the next build after a kill
    kernel_log = job.staging / f".nb-{source.stem}.log"
    try:
        unexecuted = tmp / f"{source.stem}.ipynb"
        executed_path = tmp / f"{source.stem}.executed.ipynb"
        nbformat.write(nb, unexecuted)
        try:
            with open(kernel_log, "ab") as stderr:
                _execute_notebook(papermill, unexecuted, executed_path, injected, kernel_name,
                                  cwd=source.parent, shown=shown,
                                  manager=_kernel_manager(kernel_environment(job.project), stderr))
        except PapermillExecutionError as exc:
            raise ReportBuildError(shown, _describe_failure(exc, nb, source)) from None
        except Exception as exc:  # kernel did not start, died, timed out
            raise ReportBuildError(shown, f"could not execute with kernel {kernel_name!r}: "
                                          f"{type(exc).__name__}: {exc}") from exc
        executed = nbformat.read(executed_path, as_version=4)
        kernel_log.unlink(missing_ok=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    kernel_python = _check_kernel(executed, shown, kernel_name)
    title, summary = editions.title_and_summary(nb, default_title=source.stem)
    synthetic = editions.is_synthetic(executed)
    if synthetic and "SYNTHETIC" not in title:
        title += " · SINTETIS / SYNTHETIC"  # the page title and the index say it too
    published = paths.shown(job.reports_dir)
    editions.make_reproducible(executed, title, published_dir=published)
    report = BuiltReport(
        stem=source.stem, source=source, title=title, summary=summary,
        synthetic=synthetic,
        parameters={**injected, "reports_dir": published},
        kernel_python=kernel_python,
    )
    outputs = {p for p, digest in staging_mod.fingerprints(own).items() if before.get(p) != digest}
    report.outputs = sorted(outputs | set(editions.export(executed, source, own, title)))
    return report


def kernel_environment(project: paths.ProjectPaths) -> dict[str, str]:
    """The environment a kernel starts with: this process's, plus this package importable,
    ``project``'s paths, stable hashing and the inline backend."""
    env = {k: v for k, v in os.environ.items() if k != "NETRALITAS_PROCESSED"}
    package_root = str(paths.PACKAGE.parent)
    env.update({
        "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
        **paths.environment(project),
        "PYTHONHASHSEED": "0",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # no debugger warning about frozen modules
    })
    return env


def _kernel_manager(env: dict[str, str], stderr):
    """A kernel manager class that starts its kernel with ``env``, its standard error (notices
    such as "running over TCP without encryption") into ``stderr``."""
    from jupyter_client.manager import AsyncKernelManager

    class BuildKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw):
            return await super().start_kernel(**{**kw, "env": dict(env), "stderr": stderr})

    return BuildKernelManager


# A kernel that does not start is retried: no cell has run, so running again is safe. Seen on
# a loaded CI machine (two kernels starting at once, one silent for 60 s); a failure after the
# kernel answered is never retried.
KERNEL_START_ATTEMPTS = 3
KERNEL_START_TIMEOUT_S = 120
_KERNEL_DID_NOT_START = ("Kernel didn't respond", "Kernel died before replying")


def _kernel_did_not_start(exc: BaseException) -> bool:
    return isinstance(exc, RuntimeError) and str(exc).startswith(_KERNEL_DID_NOT_START)


def _execute_notebook(papermill, unexecuted: Path, executed_path: Path, injected: dict,
                      kernel_name: str, *, cwd: Path, shown: str, manager) -> None:
    """papermill.execute_notebook with an explicit start timeout, retried only when the kernel
    never started (see KERNEL_START_ATTEMPTS)."""
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            papermill.execute_notebook(
                str(unexecuted), str(executed_path), parameters=injected, kernel_name=kernel_name,
                cwd=str(cwd), progress_bar=False, log_output=False,
                request_save_on_cell_execute=False, start_timeout=KERNEL_START_TIMEOUT_S,
                kernel_manager_class=manager,
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
            f"(prefix {lines[0] if lines else '?'}), expected {sys.executable} "
            f"(prefix {sys.prefix}); "
            "install ipykernel in this environment or pass --kernel",
        )
    return lines[1]


