"""Which steps of a report build run, and why: one decision per notebook, the briefs, the
API reference and the site files (the ledger page and the tables' scripts). The build follows
these decisions and ``report --dry-run`` prints them, so the two cannot disagree."""
from __future__ import annotations

import inspect
from dataclasses import dataclass

from .. import browser
from .. import parameters as params_mod
from .. import staging as staging_mod
from . import keys
from .context import BuildContext
from .errors import ReportBuildError

BRIEFS = "briefs"
API = "API reference"
SITE = "ledger page and scripts"


@dataclass(frozen=True)
class Decision:
    """A step, its inputs and why it runs (no reasons: its published files are carried over)."""

    name: str
    inputs: dict
    reasons: tuple[str, ...]
    old: dict | None  # the previous manifest's entry

    @property
    def runs(self) -> bool:
        return bool(self.reasons)

    @property
    def key(self) -> str:
        return keys.input_key(self.inputs)

    def describe(self) -> str:
        return "would run: " + "; ".join(self.reasons) if self.runs else "unchanged"


def notebooks(ctx: BuildContext) -> list[Decision]:
    """One decision per notebook of the request, in reading order."""
    request = ctx.request
    decisions = []
    for nb in request.notebooks:
        old = ctx.previous_notebooks.get(nb.stem)
        inputs = keys.notebook_inputs(ctx.code, nb, request.injected(nb.stem), ctx.data,
                                      ctx.register if "register" in request.declared[nb.stem]
                                      else {}, request.kernel, ctx.versions, _reusable(ctx, old))
        decisions.append(_decide(ctx, nb.stem, inputs, old, (old or {}).get("outputs")))
    return decisions


def briefs(ctx: BuildContext) -> Decision:
    """The briefs run again when an input changed, and also when the last build could not
    print their PDFs and a browser is now found (Chromium installed since)."""
    headline = headline_parameters(ctx.request)
    old = ctx.previous_entry("landing")
    inputs = keys.briefs_inputs(ctx.code, ctx.data, headline, ctx.git.get("commit"),
                                _reusable(ctx, old))
    decision = _decide(ctx, BRIEFS, inputs, old, (old or {}).get("files"))
    if not decision.runs and (old or {}).get("pdf_note") and browser.find_browser():
        return Decision(BRIEFS, inputs, ("the last build printed no PDF briefs "
                                         f"({old['pdf_note']}); a browser is now found",), old)
    return decision


def api(ctx: BuildContext) -> Decision:
    old = ctx.previous_entry("api")
    return _decide(ctx, API, keys.api_inputs(ctx.code), old, (old or {}).get("files"))


def site(ctx: BuildContext) -> Decision:
    old = ctx.previous_entry("site")
    return _decide(ctx, SITE, keys.site_inputs(ctx.code, ctx.git, _reusable(ctx, old)), old,
                   (old or {}).get("files"))


def _reusable(ctx: BuildContext, old: dict | None) -> dict | None:
    """The previous inputs of a step, when the package had the same modules then (so its
    closure may be reused: :mod:`.keys`)."""
    if not old or (ctx.previous or {}).get("code_modules") != keys.modules_digest(ctx.code):
        return None
    return old.get("inputs")


def _decide(ctx: BuildContext, name: str, inputs: dict, old: dict | None, files) -> Decision:
    intact = staging_mod.outputs_intact(ctx.reports_dir, files or {})
    reasons = keys.reasons_to_run(old, inputs, force=ctx.request.force, intact=intact)
    return Decision(name, inputs, tuple(reasons), old)


def headline_parameters(request) -> dict:
    """The parameters the briefs are built with: the province, and each headline parameter
    given with ``-p`` (which the briefs must accept, or the editions would disagree)."""
    headline = {"province": request.province or params_mod.DEFAULT_PROVINCE}
    for name in params_mod.HEADLINE_PARAMETERS:
        if name in request.parameters and name != "province":
            from .. import brief  # heavy (the findings): imported only when it must be asked

            if name not in set(inspect.signature(brief.build_briefs).parameters):
                raise ReportBuildError(
                    "briefs", f"-p {name} changes a headline finding, but the briefs cannot yet "
                    "be built with it; build without it, or with --no-landing into another "
                    "--reports-dir, so the briefs and the reports do not disagree")
            headline[name] = request.parameters[name]
    return headline
