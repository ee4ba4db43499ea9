"""The report build from start to publication: :func:`run_build` (and :func:`build_reports`,
the library entry that validates its arguments first).

1. decide which notebooks, briefs and API reference run (:mod:`.plan`: a step runs again only
   when its inputs changed);
2. run those notebooks, in parallel (:mod:`.execute`), and carry the others' files over;
3. briefs and landing page, API reference (:mod:`.landing`), files of the user's kept;
4. ``index.html`` and ``manifest.json`` (:mod:`.manifest`), written last;
5. the personal-data gate (:mod:`.privacy_gate`), then one swap (:mod:`.publication`).

Everything is staged in a fresh folder beside the reports folder under an exclusive lock; a
failure leaves the reports folder untouched. The paths the build reads (the staged data build
of the command line) are those of the request, in scope for the whole build.
"""
from __future__ import annotations

import logging
import platform
import shutil
from datetime import datetime, timezone
from pathlib import Path

from ... import paths
from ...data.atomic import atomic_write_text
from ...data.build_state import sha256
from .. import staging as staging_mod
from ..outputs import TABLES, is_header_only
from . import keys, landing, plan, privacy_gate, publication
from .closure import CodeIndex
from .context import BuildContext
from .execute import NotebookJob, run_notebooks, start_worker_server
from .keys import register_digest
from .manifest import (MANIFEST, NAMES_NOT_CHECKED, data_checksums, git_state, notebook_entry,
                       package_versions, previous_outputs, read_manifest, write_manifest)
from .progress import Progress
from .request import BuildRequest, validate_request

log = logging.getLogger(__name__)


def build_reports(notebooks=None, parameters: dict | None = None, reports_dir: Path | None = None,
                  kernel_name: str = "python3", landing: bool = False, province: str | None = None,
                  jobs: int | None = None, force: bool = False, progress=None,
                  api_docs: bool = False, publish=None) -> dict:
    """Validate the arguments (:func:`~.request.validate_request`), then :func:`run_build`;
    return the manifest. ``landing``: the policy briefs, data downloads and the readers'
    landing page; ``api_docs``: the API reference."""
    request = validate_request(notebooks, parameters, reports_dir, province=province,
                               kernel=kernel_name, jobs=jobs, force=force, landing=landing,
                               api=api_docs)
    return run_build(request, progress=progress, publish=publish)


def run_build(request: BuildRequest, progress=None, publish=None) -> dict:
    """Build ``request`` and publish it; return the manifest (the previous one when nothing
    changed). ``progress``: a callable taking one line of text (default: print).
    ``publish``: called with the lock held as ``publish(staging, reports_dir)`` instead of the
    swap (``staging`` None when nothing changed): the command line publishes its staged data
    build and the reports there together."""
    reports_dir = request.reports_dir
    with paths.scoped(request.project), staging_mod.BuildLock(reports_dir):
        staging_mod.clean_stale(reports_dir)
        previous = read_manifest(reports_dir)
        staging = staging_mod.new_staging(reports_dir)
        try:
            ctx = context(request, staging, previous, progress)
            manifest = stage(ctx)
            if manifest is None:
                if previous.get(NAMES_NOT_CHECKED):
                    previous = privacy_gate.recheck_published_names(reports_dir, previous,
                                                                    ctx.progress.say)
                if publish:
                    publish(None, reports_dir)
                ctx.progress.say("Nothing changed: the published reports are up to date.")
                return previous
            notes = privacy_gate.check_staged(staging, ctx.progress.say)
            if notes:  # said in the manifest, so a later build with the key checks them
                manifest[NAMES_NOT_CHECKED] = notes
                write_manifest(staging, manifest)
            if publish:
                publish(staging, reports_dir)
            else:
                publication.publish_reports(staging, reports_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    log.info("published to %s", reports_dir)
    return manifest


def context(request: BuildRequest, staging: Path | None, previous: dict,
            progress=None) -> BuildContext:
    """The facts every step needs, read once (call with the request's paths in scope)."""
    steps = len(request.notebooks) + int(request.landing) + int(request.api)
    return BuildContext(
        request=request, staging=staging, previous=previous, git=git_state(paths.ROOT),
        versions=package_versions(), data=data_checksums(),
        register=register_digest(request.register_folder), code=CodeIndex(request.package_dir),
        progress=Progress(steps, progress))


def decisions(request: BuildRequest) -> list[plan.Decision]:
    """What a build of ``request`` would run and why, in order (``report --dry-run``)."""
    with paths.scoped(request.project):
        ctx = context(request, None, read_manifest(request.reports_dir))
        return (plan.notebooks(ctx) + ([plan.briefs(ctx)] if request.landing else [])
                + ([plan.api(ctx)] if request.api else []) + [plan.site(ctx)])


def stage(ctx: BuildContext) -> dict | None:
    """Fill the staging folder with the complete new set; return the manifest, or None when
    nothing changed (every step skipped and the index would be identical). The API reference,
    when it must be rebuilt, is started first and runs beside the notebooks."""
    if len(ctx.request.notebooks) > 1 and (ctx.request.force or not ctx.previous_notebooks):
        start_worker_server(ctx.request.jobs)  # all will run: its imports overlap the planning
    api_decision = plan.api(ctx) if ctx.request.api else None
    pending = landing.api_start(api_decision) if api_decision else None
    try:
        return _stage(ctx, api_decision, pending)
    finally:
        if pending is not None:
            pending.stop()


def _stage(ctx: BuildContext, api_decision, pending) -> dict | None:
    request, staging, reports_dir = ctx.request, ctx.staging, ctx.reports_dir
    # the site files are written by this thread while the workers run the notebooks (not by
    # a second thread: CPython 3.11 fails, "AST constructor recursion depth mismatch", when
    # two threads parse or compile at once, as jinja and imports do)
    site = []
    entries, changed = _notebooks(ctx, meanwhile=lambda: site.append(_site_files(ctx)))
    site_entry, built = site[0] if site else _site_files(ctx)
    changed |= built

    landing_entry = None
    if request.landing:
        landing_entry, built = landing.briefs_step(ctx, plan.briefs(ctx))
        changed |= built
    elif old := ctx.previous_entry("landing"):
        if not landing.edition_conflicts(entries, old) \
                and staging_mod.outputs_intact(reports_dir, old["files"]):
            staging_mod.carry_over(reports_dir, staging, old["files"])
            landing_entry = old
        else:
            changed = True  # the old briefs are dropped: they were built with other parameters
    landing.check_editions_agree(entries, landing_entry)

    api_entry = None
    if request.api:
        api_entry, built = landing.api_step(ctx, api_decision, pending)
        changed |= built
    elif (old := ctx.previous_entry("api")) \
            and staging_mod.outputs_intact(reports_dir, old.get("files", {})):
        api_entry = old
        staging_mod.carry_over(reports_dir, staging, old["files"])


    # files of the user's in the reports folder are never touched: carry them over. Only files
    # a previous manifest lists as the build's own are ever replaced or removed.
    ours = previous_outputs(ctx.previous) | {MANIFEST}
    kept = sorted(staging_mod.files_under(reports_dir) - ours - staging_mod.files_under(staging))
    staging_mod.carry_over(reports_dir, staging, kept)

    files = staging_mod.files_under(staging)
    alt_texts = {f: (staging / f).read_text(encoding="utf-8").strip()
                 for f in files if f.endswith(".alt.txt")}
    empty = {f for f in files if f.startswith(f"{TABLES}/") and f.endswith(".csv")
             and is_header_only(staging / f)}
    index_context = landing_entry.get("context") if landing_entry else None
    index = landing.render_index(entries, files, alt_texts, index_context, api=bool(api_entry),
                                 empty_tables=empty)
    index_en = landing.render_index(entries, files, alt_texts, index_context,
                                    api=bool(api_entry), empty_tables=empty, lang="en")
    published_index = reports_dir / "index.html"
    if not changed and ctx.previous and published_index.is_file() \
            and published_index.read_text(encoding="utf-8") == index \
            and set(entries) == set(ctx.previous_notebooks):
        return None
    atomic_write_text(staging / "index.html", index)
    atomic_write_text(staging / "index_en.html", index_en)
    manifest = {
        "build_time": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "git": ctx.git,
        "python": platform.python_version(),
        "packages": ctx.versions,
        "data": ctx.data,
        "notebooks": entries,
        "landing": landing_entry,
        "api": api_entry,
        "site": site_entry,
        "code_modules": keys.modules_digest(ctx.code),  # lets the next build reuse closures
    }
    manifest["files"] = {f: sha256(staging / f)
                         for f in sorted(staging_mod.files_under(staging)) if f not in kept}
    manifest["kept_files"] = {f: sha256(staging / f) for f in kept}  # the user's
    write_manifest(staging, manifest)  # last
    return manifest


def _site_files(ctx: BuildContext) -> tuple[dict, bool]:
    """The ledger page, its CSV and the tables' scripts (:mod:`analysis.publish.explore`),
    written when their inputs changed and carried over otherwise (rendering the ledger takes
    pandas and half a second). Returns (site entry, whether a published file changes)."""
    from ..site_assets import MISSING_TABLESORT, tablesort_available

    decision = plan.site(ctx)
    if not decision.runs:
        staging_mod.carry_over(ctx.reports_dir, ctx.staging, decision.old["files"])
        if not tablesort_available():
            ctx.progress.say(MISSING_TABLESORT)
        return decision.old, False
    from .. import explore

    written = explore.write_site_files(ctx.staging, ctx.progress.say)
    files = {relative: sha256(ctx.staging / relative) for relative in sorted(written)}
    changed = any(not (ctx.reports_dir / f).is_file() or sha256(ctx.reports_dir / f) != digest
                  for f, digest in files.items())
    return {"input_key": decision.key, "inputs": decision.inputs, "files": files}, changed


def _notebooks(ctx: BuildContext, meanwhile=None) -> tuple[dict, bool]:
    """Run the notebooks whose inputs changed and carry the others over; return their manifest
    entries and whether any ran. ``meanwhile`` runs while they do (:func:`run_notebooks`)."""
    request, staging, reports_dir = ctx.request, ctx.staging, ctx.reports_dir
    entries, to_run = {}, []
    for decision in plan.notebooks(ctx):
        if decision.runs:
            if len(to_run) == 1:  # a second to run: workers will (one runs in this process)
                start_worker_server(request.jobs)
            to_run.append(decision)
        else:
            staging_mod.carry_over(reports_dir, staging, decision.old["outputs"])
            entries[decision.name] = decision.old
            ctx.progress.line(ctx.progress.number(), decision.name, "skipped (unchanged)")
    # longest first (by the previous build's time), so the slowest notebook does not start last
    to_run.sort(key=lambda d: -((d.old or {}).get("seconds") or 1e9))
    by_stem = {nb.stem: nb for nb in request.notebooks}
    jobs = [NotebookJob(by_stem[d.name], request.injected(d.name), staging, reports_dir,
                        request.kernel, request.project) for d in to_run]
    for decision, (report, seconds) in zip(to_run, run_notebooks(jobs, request.jobs,
                                                                  ctx.progress, meanwhile)):
        report.parameters = {**request.declared[report.stem], **report.parameters}
        entries[report.stem] = notebook_entry(report, staging, request.kernel, decision.key,
                                              decision.inputs)
        entries[report.stem]["seconds"] = round(seconds, 1)
    # reports not built now: keep them if their files are intact (built with --notebook)
    for stem, old in ctx.previous_notebooks.items():
        if stem not in entries and staging_mod.outputs_intact(reports_dir, old.get("outputs"))\
                and (paths.ROOT / old.get("source", "")).is_file():
            staging_mod.carry_over(reports_dir, staging, old["outputs"])
            entries[stem] = old
    return entries, bool(to_run)
