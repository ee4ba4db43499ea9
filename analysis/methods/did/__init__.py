"""Difference in differences with staggered adoption of a measure (Callaway & Sant'Anna 2021).

A *measure* (e.g. a supervision or sanction scheme for civil-servant neutrality) is adopted by
units (regions) at different periods (election cycles, months) and stays on once adopted.
This package estimates its effect on an outcome per unit x period.

**Outcome-agnostic, one outcome per model.** The functions take whatever outcome column the
caller names. In this project that is *either* a count (or rate) of **detected** cases *or* an
**enforcement** outcome (e.g. cases sanctioned), never both in one model: a measure that raises
detection mechanically raises the denominator of enforcement, so the two answer different
questions and must be estimated, reported and interpreted separately.

Functions
---------
* :func:`build_panel` -- case table + measures table (+ exposure) -> balanced unit x period panel
  of counts with zeros filled and a ``first_treated`` column (**NaN = never treated**; 0 is not
  used because 0 can be a legitimate period value).
* :func:`staggered_effect` -- group-time ATT(g, t), the overall effect and the event study, with
  analytic t(G-1) inference by default (or a multiplier bootstrap) and, beside every estimate,
  its randomisation p-value and the smallest one the design can give.
* :func:`randomisation_inference` -- the randomisation p-values alone (adoption dates permuted
  across units; exact when the distinct assignments are few).
* :func:`twfe` -- the two-way fixed-effects estimate, shown beside, with the
  de Chaisemartin-D'Haultfoeuille weights on the treated (cohort, period) cells.
* :func:`treatment_indicator` -- the 0/1 "measure in force" column TWFE needs.

Every result is a :class:`~analysis.methods.contract.Result`: ``level`` names the confidence
level, bounds are ``low``/``high``, ``tidy()`` gives ``term, estimate, std_error, low, high,
p_value`` first (terms ``"overall"``, ``"e=-2"``, ...), and bad input raises
:class:`~analysis.methods.contract.InputError` naming the column.

Modules: :mod:`.panel` (building the panel), :mod:`.design`, :mod:`.group_time` (the
estimator), :mod:`.inference`, :mod:`.randomisation`, :mod:`.staggered` (the one call),
:mod:`.twfe`, :mod:`.results`, :mod:`.options`.

References
----------
* Callaway, B. & Sant'Anna, P.H.C. (2021). Difference-in-differences with multiple time periods.
  Journal of Econometrics 225(2), 200-230.
* de Chaisemartin, C. & D'Haultfoeuille, X. (2020). Two-way fixed effects estimators with
  heterogeneous treatment effects. American Economic Review 110(9), 2964-2996.
* Roodman, D., MacKinnon, J.G., Nielsen, M.O. & Webb, M.D. (2019). Fast and wild: bootstrap
  inference in Stata using boottest. Stata Journal 19(1), 4-60.
* Webb, M.D. (2014/2023). Reworking wild bootstrap based inference for clustered errors.
  Queen's Economics Dept. Working Paper 1315 / Canadian Journal of Economics 56(3).
* Kline, P. & Santos, A. (2012). A score based approach to wild bootstrap inference. Journal of
  Econometric Methods 1(1), 23-41.
* MacKinnon, J.G. & Webb, M.D. (2017). Wild bootstrap inference for wildly different cluster
  sizes. Journal of Applied Econometrics 32(2), 233-254.
* MacKinnon, J.G. & Webb, M.D. (2020). Randomization inference for difference-in-differences
  with few treated clusters. Journal of Econometrics 218(2), 435-450.
* Roth, J. (2024). Interpreting event-studies from recent difference-in-differences methods.
  arXiv:2401.12309.

Cross-check: ``tests/methods/test_did.py`` compares ATT(g,t), the aggregates and analytic
standard errors with ``diff-diff`` (``CallawaySantAnna(estimation_method="reg")``) on a small panel.
"""
from .options import DidWarning
from .panel import build_panel, treatment_indicator
from .randomisation import randomisation_inference
from .results import Overall, RandomisationResult, StaggeredResult, TwfeResult
from .staggered import staggered_effect
from .twfe import twfe

__all__ = ["DidWarning", "Overall", "RandomisationResult", "StaggeredResult", "TwfeResult",
           "build_panel", "randomisation_inference", "staggered_effect", "treatment_indicator",
           "twfe"]

# The public names are documented (and found by the contract test) as members of this package.
for _name in __all__:
    globals()[_name].__module__ = __name__
