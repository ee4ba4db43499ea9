"""Methods layer: general-purpose statistics, each a function of a DataFrame (or numbers) and
column names that returns a result.

The contract every estimator keeps (:mod:`.contract`): the confidence level is the argument
``level`` (0.95 by default); the result's ``tidy()`` starts with the columns ``term, estimate,
std_error, low, high, p_value``, then its own (a curve: one row per time); log-linear models
(count models, Cox) give log ratios, and ratios with ``tidy(exponentiate=True)``; a missing or
bad column raises :class:`.contract.InputError`, a ``ValueError`` that names it.
``tests/methods/test_contract.py`` checks every estimator against it.

What belongs here: intervals (:mod:`.intervals`), detectable effects and the data they
need (:mod:`.detectable`), rates and count models (:mod:`.rates`),
funnel-plot limits (:mod:`.funnel`), variance forms of overdispersed counts and their
negative-binomial limits (:mod:`.dispersion`), funnels simulated under each form
(:mod:`.funnel_simulation`), interrupted time series (:mod:`.its`), equal-lag
interpolation (:mod:`.lags`), power under overdispersion (:mod:`.power`), nowcasting from
accumulation curves (:mod:`.nowcast`), Kaplan–Meier and Aalen–Johansen (:mod:`.survival`), the
Cox model (:mod:`.cox`), staggered difference in differences (:mod:`.did`) and disclosure control
(small-cell suppression, :mod:`.disclosure`; its complements, :mod:`.complements`; the attacker
that checks them, :mod:`.cell_attacker`, and the linear programmes it solves,
:mod:`.lp_relaxation`).
A module here knows nothing of the ledger, the vocabularies, Indonesia or HTML, and imports
nothing else from :mod:`analysis`, so it can be tested against R on any data.
"""
__all__ = ["cell_attacker", "complements", "contract", "cox", "detectable", "did", "disclosure",
           "dispersion", "funnel", "funnel_simulation", "intervals", "its", "lags",
           "lp_relaxation", "nowcast", "power", "rates", "survival"]
