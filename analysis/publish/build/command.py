"""``python -m analysis report``: validate once, build the data, build the reports, publish both.

The options (parsed by :mod:`analysis.cli`) are checked once, by
:func:`~.request.validate_request`, before the data build and any notebook: a usage error exits
2, any other refusal 1, with one message. Then, holding the data lock from start to
publication, the command completes a publication a killed build left (:mod:`analysis.data.
journal`), builds ``data/processed`` into a staged folder when its inputs changed, runs the
report build on it (:mod:`.pipeline`) and publishes the staged data and reports together.

``--dry-run`` says what would run and why, and neither runs nor writes anything.
"""
from __future__ import annotations

import shutil
import sys
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

from ... import paths
from ...data import build_state, journal
from ...data.atomic import FolderLockedError
from .. import parameters as params_mod
from .errors import ReportBuildError
from .execute import quiet_logs
from .progress import print_line
from .publication import publish_together
from .request import BuildRequest, notebook_for_stem, validate_request

PROCESSED_PREFIX = "data/processed/"


def run_from_cli(args) -> int:
    """Run the ``report`` command for the parsed ``args``; return the exit code."""
    try:
        request = validate_request(
            [notebook_for_stem(s) for s in args.notebook] if args.notebook else None,
            dict(params_mod.parse_param(text) for text in args.param), args.reports_dir,
            province=args.province, kernel=args.kernel, jobs=args.jobs, force=args.force,
            landing=not args.no_landing, api=not args.no_api)
    except (ValueError, OSError, ReportBuildError) as exc:
        print(f"python -m analysis report: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, params_mod.ParameterError) else 1
    if args.dry_run:
        return dry_run(request)
    quiet_logs()
    unchanged = f"Nothing in {paths.shown(request.reports_dir)} or data/processed was changed."
    try:
        if not build_and_publish(request, print_line):
            return 1
    except (ReportBuildError, ValueError, FolderLockedError) as exc:
        print(f"Report build failed: {exc}\n{unchanged}", file=sys.stderr)
        return 1
    except OSError as exc:
        what = f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
        print(f"Report build failed: {what}\n{unchanged}", file=sys.stderr)
        return 1
    print(f"Reports: {paths.shown(request.reports_dir / 'index.html')}")
    return 0


def build_and_publish(request: BuildRequest, say) -> bool:
    """The data build (when its inputs changed) and the report build on it, published
    together; False when data/raw has errors (printed)."""
    from .pipeline import run_build

    processed = request.project.processed
    with journal.data_lock(processed):  # one data build at a time, held to publishing
        if journal.recover(processed):
            say("[publish] completed the publication an interrupted build had started")
        staged = None
        try:
            if not request.force and build_state.is_current(processed):
                say("[data] build… skipped (unchanged)")
            else:
                staged = _build_data(processed, say)
                if staged is None:
                    return False
                request = replace(request, project=request.project.with_processed(staged))
            run_build(request, progress=say, publish=partial(publish_together, staged, processed))
        finally:
            if staged is not None:
                shutil.rmtree(staged, ignore_errors=True)
    return True


def _build_data(processed: Path, say) -> Path | None:
    """Validate data/raw and build it into a staged folder beside ``processed`` (published with
    the reports); None when data/raw has errors."""
    from ...data import build  # pandas, SciPy: only when the data build must run

    problems = build.problems_in_raw()
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"Report build stopped: {len(problems)} error(s) in data/raw; nothing was "
              "written", file=sys.stderr)
        return None
    say("[data] validate and build… running")
    start = time.perf_counter()
    staged = build.stage(processed)
    build.build_into(staged)
    say(f"[data] validate and build… {time.perf_counter() - start:.1f} s")
    return staged


def dry_run(request: BuildRequest, say=print_line) -> int:
    """Say what ``report`` would run and why; run and write nothing."""
    from .pipeline import decisions

    processed = request.project.processed
    if journal.journal_path(processed).is_file():
        say("[publish] an interrupted publication would be completed first")
    stale = [] if request.force else build_state.why_stale(processed)
    if request.force:
        stale = ["--force"]
    say(f"[data] build: {'would run (' + '; '.join(stale) + ')' if stale else 'unchanged'}")
    for decision in decisions(request):
        if not decision.runs and stale and any(
                name.startswith(PROCESSED_PREFIX) for name in decision.inputs["files"]):
            what = "may run: it reads data/processed, which is built again first"
        else:
            what = f"would run ({'; '.join(decision.reasons)})" if decision.runs else "unchanged"
        say(f"{decision.name}: {what}")
    say("Nothing was run or written (--dry-run).")
    return 0
