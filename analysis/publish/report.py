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
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata
from pathlib import Path
from urllib.parse import quote

from .. import paths
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
DATA_DOWNLOADS = "data"  # copies of data/processed for readers to download
PACKAGES = (
    "pandas", "numpy", "scipy", "statsmodels", "matplotlib",
    "jupytext", "papermill", "nbconvert", "jinja2", "babel",
)
SYNTHETIC = re.compile(r"\bSYNTHETIC\b")
# Cell tags honoured in both editions; the reader edition also drops the parameter cells.
REMOVE_CELL_TAG = "remove_cell"
REMOVE_OUTPUT_TAG = "remove_output"


class ReportBuildError(RuntimeError):
    """A notebook could not be built; the message names the notebook and, if any, the cell."""

    def __init__(self, notebook: str, message: str):
        self.notebook = notebook
        super().__init__(f"{notebook}: {message}")


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
) -> dict:
    """Execute and publish ``notebooks`` (default: all of ``notebooks/``); return the manifest.

    ``parameters`` are injected into every notebook (after its ``parameters`` cell), together
    with ``reports_dir`` as an absolute path string. Raises :class:`ReportBuildError` if a
    notebook fails; ``reports_dir`` is then left untouched. ``landing``: also build the policy
    briefs (for ``province``), copy the processed tables for download and turn ``index.html``
    into the readers' landing page.
    """
    notebooks = discover_notebooks() if notebooks is None else [Path(p) for p in notebooks]
    notebooks = sorted((p.resolve() for p in notebooks), key=lambda p: p.name)
    if not notebooks:
        raise ReportBuildError(_shown(paths.NOTEBOOKS), f"no notebooks matching {NOTEBOOK_GLOB}")
    _check_notebook_names(notebooks)
    parameters = dict(parameters or {})
    if "reports_dir" in parameters:
        raise ValueError("reports_dir is set by the build; pass reports_dir=... (CLI: --reports-dir)")

    reports_dir = Path(reports_dir).resolve()
    git = git_state(paths.ROOT)  # before the staging folder exists, which would make it dirty
    staging = reports_dir.parent / f".{reports_dir.name}.staging"
    shutil.rmtree(staging, ignore_errors=True)  # left over from a killed build
    staging.mkdir(parents=True)
    try:
        built = []
        with _kernel_environment():
            for notebook in notebooks:
                built.append(_build_notebook(notebook, parameters, staging, reports_dir, kernel_name))
        entries = {r.stem: _manifest_entry(r, staging, kernel_name) for r in built}
        entries = {**_kept_entries(reports_dir, set(entries)), **entries}
        stale = _stale_files(reports_dir, built)
        manifest = {
            "build_time": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            "git": git,
            "python": platform.python_version(),
            "packages": package_versions(),
            "data": data_checksums(),
            "notebooks": entries,
        }
        planned = (_files_under(reports_dir) - stale) | _files_under(staging)
        alt_texts = {f: ((staging / f) if (staging / f).is_file() else (reports_dir / f))
                     .read_text(encoding="utf-8").strip() for f in planned if f.endswith(".alt.txt")}
        landing_context = _build_landing(staging, git, province) if landing else None
        if landing:
            manifest["landing"] = {
                "province": province or "default",
                "files": {f: sha256_file(staging / f) for f in sorted(_files_under(staging))
                          if f.startswith(("briefs/", f"{DATA_DOWNLOADS}/"))},
                "pdf_note": landing_context["pdf_note"],
            }
        planned |= _files_under(staging)
        atomic_write_text(staging / "index.html",
                          render_index(entries, planned, alt_texts, landing_context))
        manifest_text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        atomic_write_text(staging / MANIFEST, manifest_text)
        _publish(staging, reports_dir, stale)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("published %d report(s) to %s", len(built), reports_dir)
    return manifest


def run_from_cli(args) -> int:
    """``python -m analysis report`` (options parsed by :mod:`analysis.cli`); return the exit code."""
    from ..data import build

    try:
        parameters = dict(parse_param(text) for text in args.param)
    except ValueError as exc:
        print(f"python -m analysis report: {exc}", file=sys.stderr)
        return 2
    if args.province:
        parameters["province"] = args.province
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        logging.getLogger("papermill").setLevel(logging.WARNING)  # temp paths, not news
    code = build.main([])
    if code:
        return code
    try:
        notebooks = None if not args.notebook else [_notebook_for_stem(s) for s in args.notebook]
        build_reports(notebooks, parameters, args.reports_dir, kernel_name=args.kernel,
                      landing=not args.no_landing, province=parameters.get("province"))
    except (ReportBuildError, ValueError) as exc:
        print(f"Report build failed: {exc}", file=sys.stderr)
        print(f"Nothing in {_shown(args.reports_dir)} was changed.", file=sys.stderr)
        return 1
    print(f"Reports: {_shown(Path(args.reports_dir) / 'index.html')}")
    return 0


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

    with tempfile.TemporaryDirectory(prefix="netralitas-nb-") as tmp:
        unexecuted = Path(tmp) / f"{source.stem}.ipynb"
        executed_path = Path(tmp) / f"{source.stem}.executed.ipynb"
        nbformat.write(nb, unexecuted)
        try:
            papermill.execute_notebook(
                str(unexecuted), str(executed_path), parameters=injected, kernel_name=kernel_name,
                cwd=str(source.parent), progress_bar=False, log_output=False,
                request_save_on_cell_execute=False,
            )
        except PapermillExecutionError as exc:
            raise ReportBuildError(shown, _describe_failure(exc, nb, source)) from None
        except Exception as exc:  # kernel did not start, died, timed out
            raise ReportBuildError(shown, f"could not execute with kernel {kernel_name!r}: "
                                          f"{type(exc).__name__}: {exc}") from exc
        executed = nbformat.read(executed_path, as_version=4)

    kernel_python = _check_kernel(executed, shown, kernel_name)
    title, summary = title_and_summary(nb, default_title=source.stem)
    _make_reproducible(executed, title)
    report = BuiltReport(
        stem=source.stem, source=source, title=title, summary=summary,
        synthetic=is_synthetic(executed),
        parameters={**injected, "reports_dir": str(reports_dir)},
        kernel_python=kernel_python,
    )
    report.outputs = sorted(p for p, digest in _fingerprints(staging).items() if before.get(p) != digest)
    _export(executed, source, staging, report)
    return report


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


def _make_reproducible(nb, title: str) -> None:
    """Strip what changes between identical runs: timestamps, temp paths, random cell ids."""
    pm = nb.metadata.get("papermill", {})
    nb.metadata["papermill"] = {k: pm[k] for k in ("parameters", "default_parameters", "version") if k in pm}
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
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.language_code = "id"
    c.HTMLExporter.exclude_input = reader
    c.HTMLExporter.exclude_input_prompt = reader
    c.HTMLExporter.exclude_output_prompt = reader
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = (
        {REMOVE_CELL_TAG, PARAMETERS_TAG, INJECTED_TAG} if reader else {REMOVE_CELL_TAG})
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
    return title, (str(meta).strip() if meta else summary)


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
    return {
        "commit": head.stdout.strip() if head and head.returncode == 0 and head.stdout.strip() else None,
        "dirty": bool(status.stdout.strip()) if status and status.returncode == 0 else None,
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
    """sha256 of every file under ``data/raw`` and ``data/processed``, by path from the root."""
    sums = {}
    for folder in (paths.RAW, paths.PROCESSED):
        if folder.is_dir():
            for file in sorted(p for p in folder.rglob("*") if p.is_file()):
                sums[_shown(file, paths.ROOT)] = sha256_file(file)
    return dict(sorted(sums.items()))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _manifest_entry(report: BuiltReport, staging: Path, kernel_name: str) -> dict:
    return {
        "source": _shown(report.source, paths.ROOT),
        "source_sha256": sha256_file(report.source),
        "title": report.title,
        "summary": report.summary,
        "synthetic": report.synthetic,
        "parameters": report.parameters,
        "kernel": {"name": kernel_name, "python": report.kernel_python},
        "outputs": {p: sha256_file(staging / p) for p in report.outputs},
    }


def _kept_entries(reports_dir: Path, rebuilt: set[str]) -> dict:
    """Entries of the previous manifest for reports not rebuilt now whose files still exist."""
    try:
        previous = json.loads((reports_dir / MANIFEST).read_text(encoding="utf-8"))["notebooks"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {
        stem: entry for stem, entry in previous.items()
        if stem not in rebuilt and (reports_dir / f"{stem}.html").is_file()
        and (paths.ROOT / entry.get("source", "")).is_file()
    }


# --------------------------------------------------------------------------- index.html

def _build_landing(staging: Path, git: dict, province: str | None) -> dict:
    """Policy briefs, downloadable processed tables and the landing-page context."""
    from . import brief
    from ..findings import headlines

    commit = (git.get("commit") or "unknown")[:12]
    result = brief.build_briefs(staging, province or headlines.DEFAULT_PROVINCE, commit=commit)
    downloads = []
    for source in sorted(paths.PROCESSED.glob("*")):
        if source.is_file() and not source.name.startswith("."):
            target = staging / DATA_DOWNLOADS / source.name
            atomic_write_bytes(target, source.read_bytes())
            downloads.append({"name": source.name, "href": quote(f"{DATA_DOWNLOADS}/{source.name}")})
    return {"findings": brief.key_findings(result["headlines"]), "downloads": downloads,
            "pdf": not result["pdf_note"], "pdf_note": result["pdf_note"], "commit": commit,
            "dirty": bool(git.get("dirty"))}


def render_index(entries: dict, files: set[str], alt_texts: dict[str, str] | None = None,
                 landing: dict | None = None) -> str:
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
    return env.get_template(INDEX_TEMPLATE).render(reports=reports, landing=landing)


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


def _stale_files(reports_dir: Path, built: list[BuiltReport]) -> set[str]:
    """Published figures and tables of the rebuilt notebooks, to be replaced by the new ones."""
    prefixes = tuple(r.prefix for r in built)
    return {f for f in _files_under(reports_dir)
            if f.startswith(tuple(f"{d}/{p}" for d in (FIGURES, TABLES) for p in prefixes))}


def _publish(staging: Path, reports_dir: Path, stale: set[str]) -> None:
    """Move the staged files into ``reports_dir``; remove stale outputs not replaced."""
    new = _files_under(staging)
    for relative in sorted(new):
        target = reports_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / relative, target)
    for relative in sorted(stale - new):
        (reports_dir / relative).unlink(missing_ok=True)


@contextmanager
def _kernel_environment():
    """Environment the kernel inherits: this package importable, same data root, stable hashing."""
    package_root = str(Path(__file__).resolve().parent.parent)
    wanted = {
        "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
        "NETRALITAS_ROOT": str(paths.ROOT),
        "PYTHONHASHSEED": "0",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
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
    """``"KEY=VALUE"`` -> ``(KEY, VALUE)``, VALUE read as JSON when it parses, else kept as text."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ValueError(f"-p/--param expects KEY=VALUE, got {text!r}")
    try:
        return key.strip(), json.loads(value)
    except ValueError:
        return key.strip(), value


def _shown(path: Path | str, base: Path | None = None) -> str:
    """``path`` relative to ``base`` (default: the project root) when inside it, else absolute."""
    path = Path(path).resolve()
    try:
        return path.relative_to(Path(base or paths.ROOT).resolve()).as_posix()
    except ValueError:
        return str(path)
