"""Methods layer: general-purpose statistics, each a function of a DataFrame (or arrays) and
column names that returns a tidy result.

What belongs here: the result contract every estimator keeps (:mod:`.contract`), intervals, rates and count models, funnel-plot limits, interrupted time
series, equal-lag interpolation, power under overdispersion, nowcasting from accumulation curves, survival (Kaplan–Meier,
Cox, Aalen–Johansen), staggered
difference in differences and disclosure control (small-cell suppression, its complements and
the attacker that checks them).
A module here knows nothing of the ledger, the vocabularies, Indonesia or HTML, and imports
nothing else from :mod:`analysis`, so it can be tested against R on any data.
"""
__all__ = ["cell_attacker", "complements", "contract", "did", "disclosure", "funnel", "intervals", "its", "lags", "nowcast", "power",
           "rates", "survival"]
