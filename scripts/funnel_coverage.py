"""Coverage of the province funnel's limits with no real differences (issue 23).

38 provinces; counts simulated under each variance form of ``methods.funnel_simulation``
(Poisson; gamma-distributed rates with CV 0.3, 0.45, 0.6; clustered reports with variance 10
times the mean, as negative binomial and with geometric cluster sizes; variance 40 times the
mean; a mix of clustered reports, variance 4 times the mean, and rates with CV 0.45). Each data
set gets a funnel around its pooled rate with

* ``additive_sqrt``: the additive random effect on the square-root scale (DerSimonian-Laird),
  the limits the reports used before;
* ``negative_binomial``: the variance ``phi * mu + omega * mu^2`` fitted by moments, limits from
  the negative binomial with that variance (the reports' limits now).

Printed per design, form and method: the share of provinces outside the 95% limits, with its
Monte Carlo standard error (the spread of the per-data-set shares over the replications, since
the provinces of one data set share its fitted variance); outside the 99.8% limits; and the
share of data sets in which Benjamini-Hochberg (5%) flags any province (binomial SE). Then the
power to flag one province planted at 3 times the rate.

Designs: the 2023 PNS of the 38 provinces at the Pilkada 2020 national rate (2.16 per 10,000)
and at the Pemilu 2019 rate (0.44 per 10,000, expected counts 0.7 to 16); and 38 exposures
spaced geometrically from 8,000 to 400,000 (those of tests/methods/test_funnel.py) at 2.16.

Run: ``python scripts/funnel_coverage.py [--reps 1000] [--seed 2023]`` (about a minute of CPU
at 1,000 replications).
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from analysis.data import ledger
from analysis.findings import provinces
from analysis.methods import funnel_simulation as fs

FORMS = {  # label: (form, keyword arguments)
    "Poisson": ("poisson", {}),
    "gamma rates, CV 0.3": ("gamma", {"cv": 0.3}),
    "gamma rates, CV 0.45": ("gamma", {"cv": 0.45}),
    "gamma rates, CV 0.6": ("gamma", {"cv": 0.6}),
    "variance 10 x mean (NB)": ("clustered", {"phi": 10.0}),
    "variance 10 x mean (geometric clusters)": ("clustered_geometric", {"phi": 10.0}),
    "variance 40 x mean (NB)": ("clustered", {"phi": 40.0}),
    "mix: variance 4 x mean, CV 0.45": ("mix", {"phi": 4.0, "cv": 0.45}),
}


def designs() -> dict:
    pns = provinces.province_headcount(ledger.load_headcount())[0]["pns"].to_numpy(float)
    geometric = np.round(np.geomspace(8_000, 400_000, 38))
    return {"PNS 2023, 2.16 per 10,000 (Pilkada 2020)": (pns, 2.16e-4),
            "geometric 8,000-400,000, 2.16 per 10,000": (geometric, 2.16e-4),
            "PNS 2023, 0.44 per 10,000 (Pemilu 2019)": (pns, 4.42e-5)}


def pct(value: float, se: float | None = None) -> str:
    return f"{100 * value:5.1f}" + (f" ± {100 * se:.1f}" if se is not None else "")


def coverage(reps: int, seed: int) -> None:
    print(f"{reps} data sets per row; ± one Monte Carlo standard error, in percentage points")
    print(f"{'design':42s} {'form':40s} {'method':18s} {'out 95%':>12s} {'out 99.8%':>9s} "
          f"{'any flag':>12s}")
    for name, (exposure, rate) in designs().items():
        for label, (form, kwargs) in FORMS.items():
            rng = np.random.default_rng(seed)
            counts = fs.simulate_counts(form, rate * exposure, reps, rng, **kwargs)
            counts = counts[counts.sum(1) > 0]
            for method in fs.METHODS:
                share, se = fs.share_with_se(fs.outside_limits(counts, exposure, method))
                extreme, _ = fs.share_with_se(fs.outside_limits(counts, exposure, method, 0.998))
                flag = fs.any_flag(counts, exposure, method).mean()
                flag_se = np.sqrt(flag * (1 - flag) / len(counts))
                print(f"{name:42s} {label:40s} {method:18s} {pct(share, se):>12s} "
                      f"{pct(extreme):>9s} {pct(flag, flag_se):>12s}", flush=True)


def power(reps: int, seed: int) -> None:
    """One province, the 20th smallest (PNS about 80,000), at 3 times the rate."""
    exposure, rate = designs()["PNS 2023, 2.16 per 10,000 (Pilkada 2020)"]
    unit = int(np.argsort(exposure)[19])
    mu = rate * exposure
    multiplier = np.ones_like(mu)
    multiplier[unit] = 3.0
    print(f"\nPower: one province ({exposure[unit]:,.0f} PNS) at 3 times the rate, {reps} data "
          "sets; share flagged by Benjamini-Hochberg (5%) and share outside the 95% limits")
    for label, (form, kwargs) in FORMS.items():
        rng = np.random.default_rng(seed)
        counts = fs.simulate_counts(form, mu * multiplier, reps, rng, **kwargs)
        for method in fs.METHODS:
            flagged = fs.bh_reject(fs.p_values(counts, exposure, method))[:, unit].mean()
            outside = fs.outside_limits(counts, exposure, method)[:, unit].mean()
            print(f"{label:40s} {method:18s} flagged {pct(flagged)}  outside {pct(outside)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    start = time.process_time()
    coverage(args.reps, args.seed)
    power(args.reps, args.seed)
    print(f"\nCPU time {time.process_time() - start:.0f} s")


if __name__ == "__main__":
    main()
