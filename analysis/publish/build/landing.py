"""The steps after the notebooks: the policy briefs with the landing page's findings and data
downloads, the API reference, and the front page ``index.html``.

Each of the first two runs only when its inputs changed (:mod:`.plan`), else its published
files are carried over. ``index.html`` is rendered on every build from what will be published
(one entry per report, with its editions, figures and tables).
"""
from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from ... import paths
from ...data.atomic import atomic_write_bytes
from .. import parameters as params_mod
from .. import staging as staging_mod
from ..outputs import FIGURES, TABLES
from . import children
from .context import BuildContext
from .editions import RESEARCHER
from .errors import ReportBuildError
from .plan import Decision

INDEX_TEMPLATE = "index.html.j2"
DATA_DOWNLOADS = "data"  # copies of data/processed for readers to download


def briefs_step(ctx: BuildContext, decision: Decision) -> tuple[dict, bool]:
    """Briefs, downloads and landing context, or the previous ones when their inputs are the
    same. Returns (landing entry, whether anything was built)."""
    number = ctx.progress.number()
    old = decision.old
    if not decision.runs:
        staging_mod.carry_over(ctx.reports_dir, ctx.staging, old["files"])
        ctx.progress.line(number, decision.name, "skipped (unchanged)")
        return old, False
    headline = decision.inputs["parameters"]
    context = {}

    def run():
        context.update(_build_landing(ctx.staging, ctx.git, headline,
                                      previous_summary=(old or {}).get("summary")))
        return f" ({context['pdf_note']})" if context.get("pdf_note") else ""

    files = _run_step(ctx, decision.name, number, run)
    entry = {"input_key": decision.key, "inputs": decision.inputs, "parameters": headline,
             "files": files, "pdf_note": context["pdf_note"], "context": context,
             "province": headline["province"],
             # Chromium stamps a creation date and document id that cannot be fixed from the
             # command line: these hashes differ between otherwise identical builds
             "expected_to_differ": sorted(f for f in files if f.endswith(".pdf")),
             # the headline numbers and verdicts, for the next edition's "what changed" line
             "summary": context.pop("summary", None)}
    return entry, True


class PendingApi:
    """pdoc started at the beginning of a build, so the API reference (it reads only the
    package's code) is written beside the notebooks instead of after them. It writes into a temp
    folder of its own, moved into the staging folder by :func:`api_step`; :meth:`stop` ends it
    if the build fails first."""

    def __init__(self):
        self.folder = staging_mod.temp_dir("api")
        self.started = time.perf_counter()
        self.errors = (self.folder / "pdoc.log").open("w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-c", _PDOC, str(self.folder / "api")], stdout=subprocess.DEVNULL,
            stderr=self.errors, text=True, cwd=str(paths.ROOT),
            env=dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0"), **children.popen_options())

    def wait_into(self, out_dir: Path) -> None:
        """Wait for pdoc and move its pages to ``out_dir``; raise if it failed."""
        if self.process.wait() != 0:
            self.errors.seek(0)
            last = (self.errors.read().strip().splitlines() or ["?"])[-1]
            raise ReportBuildError("api", f"pdoc failed: {last}")
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.folder / "api", out_dir)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.errors.close()
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)


def api_start(decision: Decision) -> PendingApi | None:
    """Start pdoc now when the API reference must be rebuilt (else None)."""
    return PendingApi() if decision.runs else None


def api_step(ctx: BuildContext, decision: Decision,
             pending: PendingApi | None = None) -> tuple[dict, bool]:
    """The API reference (pdoc) in ``api/``, rebuilt only when the package changed; from
    ``pending`` when it was started with the notebooks (:func:`api_start`)."""
    number = ctx.progress.number()
    if not decision.runs:
        staging_mod.carry_over(ctx.reports_dir, ctx.staging, decision.old["files"])
        ctx.progress.line(number, decision.name, "skipped (unchanged)")
        return decision.old, False
    if pending is None:
        run = lambda: build_api_docs(ctx.staging / "api")  # noqa: E731
    else:
        def run():
            pending.wait_into(ctx.staging / "api")
            return f" (started with the notebooks, {time.perf_counter() - pending.started:.1f} s)"
    files = _run_step(ctx, decision.name, number, run)
    return {"input_key": decision.key, "inputs": decision.inputs, "files": files}, True


def _run_step(ctx: BuildContext, name: str, number: int, run) -> dict:
    """Run a step that writes into the staging folder; return the hashes of the files it added.
    ``run`` may return a note for the progress line."""
    ctx.progress.line(number, name, "running")
    start = time.perf_counter()
    before = staging_mod.files_under(ctx.staging)
    note = run() or ""
    added = sorted(staging_mod.files_under(ctx.staging) - before)
    files = {f: staging_mod.sha256(ctx.staging / f) for f in added}
    ctx.progress.line(number, name, f"{time.perf_counter() - start:.1f} s{note}")
    return files


_PDOC = ("import pdoc, pdoc.render, sys; pdoc.render.configure(search=False, show_source=False,"
         " docformat='restructuredtext'); pdoc.pdoc('analysis', output_directory="
         "__import__('pathlib').Path(sys.argv[1]))")


def build_api_docs(out_dir: Path) -> None:
    """HTML API reference of the ``analysis`` package from its docstrings (pdoc, offline: no
    search index or external assets), in a subprocess so pdoc's imports stay out of this one."""
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0")
    result = subprocess.run([sys.executable, "-c", _PDOC, str(out_dir)], capture_output=True,
                            text=True, env=env, cwd=str(paths.ROOT),
                            **children.popen_options())
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["?"])[-1]
        raise ReportBuildError("api", f"pdoc failed: {last}")


def _build_landing(staging: Path, git: dict, headline_params: dict,
                   previous_summary: dict | None = None) -> dict:
    """Policy briefs, downloadable processed tables and the landing-page context. The edition
    date is the date of the commit built (the same build gives the same page); the previous
    edition's summary feeds the brief's "what changed" line."""
    from .. import brief

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
            downloads.append({"name": source.name,
                              "href": quote(f"{DATA_DOWNLOADS}/{source.name}")})
    return {"front": brief.front_context(result["headlines"]), "downloads": downloads,
            "pdf": not result["pdf_note"], "pdf_note": result["pdf_note"], "commit": commit,
            "dirty": bool(git.get("dirty")), "summary": result.get("summary")}


def render_index(entries: dict, files: set[str], alt_texts: dict[str, str] | None = None,
                 landing: dict | None = None, api: bool = False,
                 empty_tables: set[str] = frozenset(), lang: str = "id") -> str:
    """The front page: one entry per report, with its editions, figures and tables.

    ``files`` are the paths (relative to the reports folder) that will be published; figures and
    tables belong to the report whose ``NN_`` prefix they carry. ``alt_texts`` maps
    ``figures/<stem>.alt.txt`` to its text; ``empty_tables`` are the tables without rows (the
    index says so; their report says why).
    """
    from .. import templating

    env = templating.environment(keep_trailing_newline=True)
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
            "tables": [{"stem": Path(f).stem, "csv": quote(f), "empty": f in empty_tables}
                       for f in sorted(files)
                       if f.startswith(f"{TABLES}/{prefix}") and f.endswith(".csv")],
        })
    from .. import frontpage  # the landing page's words in one language
    from ..footer import context as footer_context

    env.globals.update(frontpage.index_globals(lang))
    return env.get_template(INDEX_TEMPLATE).render(reports=reports, landing=landing, api=api,
                                                   footer=footer_context())


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


def edition_conflicts(entries: dict, landing_entry: dict | None) -> list[str]:
    """Headline parameters (province, decree date, lags) that differ between the published
    notebooks and the briefs."""
    seen: dict[str, dict[str, str]] = {}
    for stem, entry in entries.items():
        for name in params_mod.HEADLINE_PARAMETERS:
            if name in (entry.get("parameters") or {}):
                seen.setdefault(name, {})[stem] = json.dumps(entry["parameters"][name],
                                                             sort_keys=True)
    if landing_entry:
        for name, value in (landing_entry.get("parameters") or {}).items():
            seen.setdefault(name, {})["briefs"] = json.dumps(value, sort_keys=True)
    return [f"{name}: " + ", ".join(f"{who}={value}" for who, value in sorted(values.items()))
            for name, values in sorted(seen.items()) if len(set(values.values())) > 1]


def check_editions_agree(entries: dict, landing_entry: dict | None) -> None:
    """Refuse a published set whose notebooks and briefs were built with different headline
    parameters."""
    conflicts = edition_conflicts(entries, landing_entry)
    if conflicts:
        raise ReportBuildError(
            "reports", "the published set would mix editions built with different headline "
            "parameters (" + "; ".join(conflicts) + "). Rebuild every report with the same -p "
            "values (python -m analysis report -p ...), or build into another --reports-dir.")

