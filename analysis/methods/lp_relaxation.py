"""One linear programme solved under many objectives, with HiGHS kept loaded between solves.

The cell attacker (:mod:`.cell_attacker`) solves the same constraints again and again with a new
objective: the minimum and the maximum of each hidden cell. ``scipy.optimize.linprog`` checks and
converts its whole input on every call, about 2 to 3 ms for the attacker's programmes of a few
dozen rows, while HiGHS solves one in a fraction of a millisecond. :class:`Relaxation` passes the
constraints to HiGHS once and afterwards changes only the costs, so each solve also starts from
the previous optimal basis.

HiGHS here is the copy inside scipy that ``linprog(method="highs")`` itself calls
(``scipy.optimize._highspy``). That module is not public, so a scipy without it, or with another
interface, is not an error: :class:`Relaxation` then calls ``linprog`` with the same
constraints, which gives the same optima more slowly. Optimal *points* may differ between the
two when several are optimal; the optima do not.

Status codes are ``linprog``'s: 0 optimal, 2 infeasible, 3 unbounded.
"""
from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

try:  # scipy's own HiGHS (not public): absent or changed means the linprog route
    from scipy.optimize._highspy import _core as _highs
    _OPTIMAL = _highs.HighsModelStatus.kOptimal
    _STATUS = {_highs.HighsModelStatus.kInfeasible: 2, _highs.HighsModelStatus.kUnbounded: 3}
    _EITHER = _highs.HighsModelStatus.kUnboundedOrInfeasible
except (ImportError, AttributeError):  # pragma: no cover - depends on the scipy installed
    _highs = None

OPTIONS = {  # chosen explicitly, as linprog(method="highs") sets them
    "output_flag": False, "log_to_console": False,
    "solver": "simplex", "simplex_strategy": 1,  # 1: dual simplex
    "presolve": "on",  # used by the first solve; later ones start from the last basis
    "primal_feasibility_tolerance": 1e-7, "dual_feasibility_tolerance": 1e-7,
}


class Relaxation:
    """min ``c @ x`` subject to ``A_eq @ x == b_eq`` and ``lb <= x <= ub`` (``inf`` allowed in
    ``ub``), for one ``c`` after another."""

    def __init__(self, A_eq, b_eq, lb, ub):
        self.A_eq = sparse.csr_matrix(A_eq)
        self.b_eq = np.asarray(b_eq, dtype=float)
        self.lb, self.ub = np.asarray(lb, dtype=float), np.asarray(ub, dtype=float)
        self._model = None

    def solve(self, c) -> tuple[int, float | None, np.ndarray | None]:
        """``(status, optimum, x)``; ``optimum`` and ``x`` are None unless status is 0."""
        c = np.asarray(c, dtype=float)
        if _highs is None:
            return self._linprog(c)
        model = self._model if self._model is not None else self._load()
        model.changeColsCost(len(c), np.arange(len(c), dtype=np.int32), c)
        model.run()
        status = model.getModelStatus()
        if status == _EITHER:  # presolve could not tell: solve again without it
            model.setOptionValue("presolve", "off")
            model.clearSolver()
            model.run()
            model.setOptionValue("presolve", OPTIONS["presolve"])
            status = model.getModelStatus()
        if status == _OPTIMAL:
            return 0, float(model.getInfo().objective_function_value), \
                np.array(model.getSolution().col_value)
        if status in _STATUS:
            return _STATUS[status], None, None
        raise RuntimeError(f"linear programme failed: {model.modelStatusToString(status)}")

    def _load(self):
        csc = self.A_eq.tocsc()
        m, n = csc.shape
        lp = _highs.HighsLp()
        lp.num_col_, lp.num_row_ = n, m
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_ = self.lb
        lp.col_upper_ = np.where(np.isinf(self.ub), _highs.kHighsInf, self.ub)
        lp.row_lower_ = lp.row_upper_ = self.b_eq
        lp.a_matrix_.format_ = _highs.MatrixFormat.kColwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, m
        lp.a_matrix_.start_ = csc.indptr
        lp.a_matrix_.index_ = csc.indices
        lp.a_matrix_.value_ = csc.data.astype(float)
        model = _highs._Highs()
        for key, value in OPTIONS.items():
            model.setOptionValue(key, value)
        model.passModel(lp)
        self._model = model
        return model

    def _linprog(self, c):
        res = linprog(c, A_eq=self.A_eq, b_eq=self.b_eq, bounds=np.c_[self.lb, self.ub],
                      method="highs")
        if res.status == 0:
            return 0, float(res.fun), res.x
        if res.status in (2, 3):
            return res.status, None, None
        raise RuntimeError(f"linear programme failed: {res.message}")
