"""The loaded HiGHS programme (:mod:`analysis.methods.lp_relaxation`) against scipy's public
``linprog``: the same status and optimum for every objective, on random programmes with
equalities, bounded and unbounded sides and infeasible right-hand sides; and the whole disclosure
machinery gives the same hidden cells and the same bounds on either route."""
import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from analysis.methods import disclosure as d
from analysis.methods import lp_relaxation as lr
from analysis.methods.cell_attacker import cell_ranges


def _programme(rng):
    """A random transport-like programme: non-negative variables summing to given totals."""
    n = int(rng.integers(4, 14))
    m = int(rng.integers(1, n))
    A = (rng.random((m, n)) < 0.4).astype(float)
    A[np.arange(m), rng.integers(0, n, m)] = 1.0  # no empty row
    x = rng.integers(0, 9, n).astype(float)
    b = A @ x
    if rng.random() < 0.15:
        b[0] = -1.0  # a sum of non-negative counts cannot be negative: infeasible
    ub = np.where(rng.random(n) < 0.5, np.inf, x + rng.integers(0, 5, n))
    return A, b, np.zeros(n), ub


def test_every_objective_has_linprogs_status_and_optimum():
    assert lr._highs is not None, "scipy's HiGHS should load here (else the test is moot)"
    rng = np.random.default_rng(20261205)
    seen = {0: 0, 2: 0, 3: 0}
    for _ in range(150):
        A, b, lb, ub = _programme(rng)
        relax = lr.Relaxation(A, b, lb, ub)
        for _ in range(6):  # several objectives on one loaded programme: warm starts
            c = rng.normal(size=A.shape[1]) * (rng.random(A.shape[1]) < 0.5)
            status, optimum, x = relax.solve(c)
            ref = linprog(c, A_eq=A, b_eq=b, bounds=np.c_[lb, ub], method="highs")
            assert status == ref.status
            seen[status] += 1
            if status == 0:
                assert optimum == pytest.approx(ref.fun, abs=1e-7)
                assert np.allclose(A @ x, b, atol=1e-7) and (x >= lb - 1e-9).all() \
                    and (x <= ub + 1e-9).all()
                assert c @ x == pytest.approx(optimum, abs=1e-7)
    assert all(count >= 20 for count in seen.values()), seen  # every kind of outcome occurred


def test_the_linprog_route_gives_the_same_results(monkeypatch):
    """With scipy's HiGHS module missing, the same calls go through linprog."""
    rng = np.random.default_rng(7)
    A, b, lb, ub = _programme(rng)
    c = rng.normal(size=A.shape[1])
    fast = lr.Relaxation(A, b, lb, ub).solve(c)
    monkeypatch.setattr(lr, "_highs", None)
    slow = lr.Relaxation(A, b, lb, ub).solve(c)
    assert fast[0] == slow[0]
    if fast[0] == 0:
        assert fast[1] == pytest.approx(slow[1], abs=1e-7)


def _tables(n, seed):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        nr, nc = rng.integers(3, 6), rng.integers(2, 5)
        m = rng.negative_binomial(1.5, 1.5 / (1.5 + rng.choice([2.0, 4.0, 8.0])), size=(nr, nc))
        yield pd.DataFrame([(f"r{i}", f"c{j}", int(m[i, j])) for i in range(nr)
                            for j in range(nc)], columns=["r", "c", "n"])


def test_suppression_and_the_attackers_bounds_are_the_same_on_either_route(monkeypatch):
    """Which cells are hidden depends only on exact widths (points found on the way only save
    solves), so both routes must hide the same cells and bound them the same."""
    def run():
        out = []
        for table in _tables(8, 3):
            res = d.suppress(table, "r", "c", "n")
            cells = d.table_cells(res, "T")
            out.append((res["display"].tolist(),
                        cell_ranges(cells)[["low", "high"]].to_numpy().tolist()))
        return out

    fast = run()
    monkeypatch.setattr(lr, "_highs", None)
    assert run() == fast
