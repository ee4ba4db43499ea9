"""Small-cell suppression of count tables, and an attacker's check that it holds.

Rules (stated once, cited wherever a suppressed table is published)
------------------------------------------------------------------
* **Primary suppression**: a count ``1 <= n < threshold`` is not shown; it is displayed as
  ``"<threshold"`` (e.g. ``"<5"``). Margins (row and column totals, the grand total) are counts
  too and follow the same rule. **Zeros** are shown by default: a zero reveals nothing about a
  person, and hiding every zero makes sparse tables unreadable. ``suppress_zeros=True`` treats a
  zero as a small count instead (then the display ``"<5"`` covers 0-4).
* **Complementary (secondary) suppression**: a table with shown totals is a system of
  equations, one per line (a row with its row total, a column with its column total, the row
  and the column of totals with the grand total). A line with exactly one hidden cell gives
  that cell away, so every line with a hidden cell gets at least two, the second chosen as the
  *smallest* shown positive count of the line (interior cells before totals; zeros only as a
  last resort), repeated to a fixed point. Two per line is not always enough: a hidden cell whose
  removal would split the pattern of hidden cells in two (a bridge of the row-column graph) is
  still determined by the equations, so one more cell is hidden next to it and the line rule runs
  again. Complements are displayed as ``"–"``.
* **Check**: :func:`recoverable_cells` plays the attacker. It knows the shown cells, the table's
  equations and that counts are non-negative, and solves two linear programmes per hidden cell
  (``scipy.optimize.linprog``: minimise and maximise it). A cell is at risk when its feasible
  interval is narrower than the protection margin ``protection`` (default 1: for integer counts
  a width below 1 means the cell is determined exactly; pass e.g. ``threshold`` for a wider
  margin). The attacker here does not use the ``"<5"`` label (a label bound is accepted
  disclosure: it is what the rule publishes).

Only ``numpy``, ``pandas`` and ``scipy`` are used: this module is general statistics.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
from scipy.optimize import linprog

TOTAL = "Total"
COMPLEMENT_MARK = "–"


def _label(threshold: int) -> str:
    return f"<{threshold}"


def _is_primary(v: float, threshold: int, suppress_zeros: bool) -> bool:
    return (v < threshold) and (v > 0 or (suppress_zeros and v == 0))


# --------------------------------------------------------------------------- two-way
def _grid(table: pd.DataFrame, row: str, col: str, value: str):
    wide = table.pivot_table(index=row, columns=col, values=value, aggfunc="sum",
                             fill_value=0, sort=True)
    if (wide.to_numpy() < 0).any():
        raise ValueError("counts must be non-negative")
    return wide


def _lines(nr: int, nc: int):
    """Lines of the extended (nr+1) x (nc+1) grid: rows then columns, each a list of cells."""
    rows = [[(i, j) for j in range(nc + 1)] for i in range(nr + 1)]
    cols = [[(i, j) for i in range(nr + 1)] for j in range(nc + 1)]
    return rows + cols


def _is_margin(cell, nr, nc) -> bool:
    return cell[0] == nr or cell[1] == nc


def _bridges(cells: set, nr: int, nc: int) -> list:
    """Hidden cells that are bridges of the row-line / column-line graph (determined cells)."""
    adj = defaultdict(list)
    for c in cells:
        adj[("r", c[0])].append((("c", c[1]), c))
        adj[("c", c[1])].append((("r", c[0]), c))
    out = []
    for c in sorted(cells):
        start, goal = ("r", c[0]), ("c", c[1])
        seen, stack = {start}, [start]
        while stack:
            node = stack.pop()
            for nxt, via in adj[node]:
                if via != c and nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        if goal not in seen:
            out.append(c)
    return out


def _complement(line, hidden, values, nr, nc, count_in_other):
    """The cell of ``line`` to hide next: smallest shown positive count, interior first."""
    cands = [c for c in line if c not in hidden]
    if not cands:
        return None

    def key(c):
        v = values[c]
        return (v == 0, _is_margin(c, nr, nc), count_in_other(c) != 1, v, c)

    return min(cands, key=key)


def _protect(values: np.ndarray, hidden: set, nr: int, nc: int) -> set:
    hidden = set(hidden)
    lines = _lines(nr, nc)
    cell_lines = defaultdict(list)
    for k, line in enumerate(lines):
        for c in line:
            cell_lines[c].append(k)

    def hidden_in(k):
        return sum(c in hidden for c in lines[k])

    for _ in range(10 * (nr + 1) * (nc + 1)):
        changed = False
        for k, line in enumerate(lines):
            if hidden_in(k) == 1:
                other = lambda c, k=k: min(hidden_in(m) for m in cell_lines[c] if m != k)
                pick = _complement(line, hidden, values, nr, nc, other)
                if pick is not None:
                    hidden.add(pick)
                    changed = True
        if changed:
            continue
        bridges = _bridges(hidden, nr, nc)
        if not bridges:
            return hidden
        c = bridges[0]
        # hide one more cell in the row of the bridge (else its column) to put it on a cycle
        for k in cell_lines[c]:
            line_cands = [x for x in lines[k] if x not in hidden]
            if line_cands:
                other = lambda x, k=k: min(hidden_in(m) for m in cell_lines[x] if m != k)
                hidden.add(_complement(lines[k], hidden, values, nr, nc, other))
                break
        else:  # the whole neighbourhood is hidden already: nothing more can be done
            return hidden
    return hidden


def suppress(table: pd.DataFrame, row: str, col: str, value: str, threshold: int = 5,
             totals: bool = True, suppress_zeros: bool = False,
             total_label: str = TOTAL) -> pd.DataFrame:
    """Suppress a two-way table of counts given in long form (one line per ``row`` x ``col``).

    Returns the long table including the margins (``total_label`` in ``row`` and/or ``col``),
    with columns ``value``, ``margin``, ``primary``, ``complementary``, ``suppressed`` and
    ``display`` (the count as text, ``"<threshold"`` for a primary, ``"–"`` for a complementary
    suppression). With ``totals=False`` no margins are shown, so only primary suppression is
    needed and done. Missing row x column combinations count as zero.
    """
    wide = _grid(table, row, col, value)
    r_labels, c_labels = list(wide.index), list(wide.columns)
    nr, nc = len(r_labels), len(c_labels)
    ext = np.zeros((nr + 1, nc + 1))
    ext[:nr, :nc] = wide.to_numpy(dtype=float)
    ext[:nr, nc] = ext[:nr, :nc].sum(axis=1)
    ext[nr, :] = ext[:nr, :].sum(axis=0)
    values = {(i, j): ext[i, j] for i in range(nr + 1) for j in range(nc + 1)}
    shown = [c for c in values if totals or not _is_margin(c, nr, nc)]
    primary = {c for c in shown if _is_primary(values[c], threshold, suppress_zeros)}
    hidden = _protect(ext, primary, nr, nc) if totals else set(primary)
    records = []
    for (i, j) in shown:
        v = values[(i, j)]
        is_p, is_h = (i, j) in primary, (i, j) in hidden
        records.append({
            row: r_labels[i] if i < nr else total_label,
            col: c_labels[j] if j < nc else total_label,
            value: int(v) if float(v).is_integer() else v,
            "margin": _is_margin((i, j), nr, nc), "primary": is_p,
            "complementary": is_h and not is_p, "suppressed": is_h,
            "display": _label(threshold) if is_p else COMPLEMENT_MARK if is_h else f"{int(v)}",
        })
    out = pd.DataFrame(records)
    out.attrs.update({"kind": "two_way", "row": row, "col": col, "value": value,
                      "threshold": threshold, "totals": totals, "total_label": total_label,
                      "suppress_zeros": suppress_zeros})
    return out


def to_wide(result: pd.DataFrame, field: str = "display") -> pd.DataFrame:
    """The suppressed long table as a row x column grid of ``field`` (display text by default)."""
    a = result.attrs
    wide = result.pivot(index=a["row"], columns=a["col"], values=field)
    order_r = [x for x in pd.unique(result[a["row"]]) if x != a["total_label"]]
    order_c = [x for x in pd.unique(result[a["col"]]) if x != a["total_label"]]
    if a.get("totals", True):
        order_r, order_c = order_r + [a["total_label"]], order_c + [a["total_label"]]
    return wide.loc[order_r, order_c]


# --------------------------------------------------------------------------- one-way
def suppress_one_way(counts, threshold: int = 5, total: bool = True,
                     suppress_zeros: bool = False, total_label: str = TOTAL) -> pd.DataFrame:
    """Suppress a list of counts (a Series, a dict or a list) shown with its total.

    The same rules on a single line: small counts (and a small total) hidden, then, if the total
    is shown and exactly one count is hidden, the smallest shown positive count as well.
    """
    s = pd.Series(counts, dtype=float)
    if (s < 0).any():
        raise ValueError("counts must be non-negative")
    labels = list(s.index)
    vals = list(s.to_numpy())
    if total:
        labels.append(total_label)
        vals.append(float(s.sum()))
    primary = {k for k, v in enumerate(vals) if _is_primary(v, threshold, suppress_zeros)}
    hidden = set(primary)
    if total and len(hidden) == 1:
        cands = [k for k in range(len(vals)) if k not in hidden]
        if cands:
            hidden.add(min(cands, key=lambda k: (vals[k] == 0, k == len(vals) - 1, vals[k], k)))
    out = pd.DataFrame({
        "label": labels, "value": [int(v) for v in vals],
        "margin": [total and k == len(vals) - 1 for k in range(len(vals))],
        "primary": [k in primary for k in range(len(vals))],
        "complementary": [k in hidden and k not in primary for k in range(len(vals))],
        "suppressed": [k in hidden for k in range(len(vals))],
    })
    out["display"] = [_label(threshold) if p else COMPLEMENT_MARK if h else f"{v}"
                      for p, h, v in zip(out["primary"], out["suppressed"], out["value"])]
    out.attrs.update({"kind": "one_way", "threshold": threshold, "totals": total,
                      "total_label": total_label, "suppress_zeros": suppress_zeros})
    return out


# --------------------------------------------------------------------------- attacker
def _system(result: pd.DataFrame):
    """Unknowns (hidden cells), equality matrix and right-hand side the shown table implies."""
    a = result.attrs
    if a.get("kind") == "one_way":
        if not a.get("totals", True):
            return [], None, None
        hidden = list(result.index[result["suppressed"]])
        row = np.zeros((1, len(hidden)))
        rhs = 0.0
        for idx, r in result.iterrows():
            sign = -1.0 if r["margin"] else 1.0
            if r["suppressed"]:
                row[0, hidden.index(idx)] = sign
            else:
                rhs -= sign * r["value"]
        return hidden, row, np.array([rhs])
    if not a.get("totals", True):
        return list(result.index[result["suppressed"]]), None, None
    R, C, V, T = a["row"], a["col"], a["value"], a["total_label"]
    hidden = list(result.index[result["suppressed"]])
    pos = {idx: k for k, idx in enumerate(hidden)}
    eqs, rhs = [], []
    for key, group in [(R, g) for _, g in result.groupby(R, sort=False)] + \
                      [(C, g) for _, g in result.groupby(C, sort=False)]:
        other = C if key == R else R
        coef = np.zeros(len(hidden))
        b = 0.0
        for idx, r in group.iterrows():
            sign = -1.0 if r[other] == T else 1.0
            if r["suppressed"]:
                coef[pos[idx]] = sign
            else:
                b -= sign * r[V]
        if coef.any():
            eqs.append(coef)
            rhs.append(b)
    if not eqs:
        return hidden, None, None
    return hidden, np.array(eqs), np.array(rhs)


def _bounds(A, b, n, k):
    """Min and max of unknown ``k`` (with the optimal points), or None for an unbounded side."""
    c = np.zeros(n)
    c[k] = 1.0
    bounds = [(0, None)] * n
    low = linprog(c, A_eq=A, b_eq=b, bounds=bounds, method="highs")
    high = linprog(-c, A_eq=A, b_eq=b, bounds=bounds, method="highs")
    if low.status != 0 and high.status != 0:
        raise ValueError("the shown cells are inconsistent with the totals")
    lo = low.fun if low.status == 0 else 0.0
    hi = -high.fun if high.status == 0 else np.inf
    points = [r.x for r in (low, high) if r.status == 0]
    return lo, hi, points


def cell_intervals(result: pd.DataFrame, protection: float = 1.0,
                   exact: bool = True) -> pd.DataFrame:
    """For every hidden cell: the attacker's feasible [min, max] and whether it is at risk.

    With ``exact=False`` a cell is declared safe, without its own two programmes, as soon as the
    feasible points found for other cells already differ by ``protection`` or more in it (those
    points are solutions, so its interval is at least that wide); its ``lp_min``/``lp_max`` are
    then the spread seen, a sub-interval of the true one. At-risk cells always get exact bounds.
    """
    hidden, A, b = _system(result)
    n = len(hidden)
    seen = []
    rows = []
    for k, idx in enumerate(hidden):
        if A is None:
            lo, hi = 0.0, np.inf
        else:
            spread = (max(p[k] for p in seen) - min(p[k] for p in seen)) if seen else 0.0
            if not exact and spread >= protection:
                lo, hi = min(p[k] for p in seen), max(p[k] for p in seen)
            else:
                lo, hi, points = _bounds(A, b, n, k)
                seen.extend(points)
        rows.append({"index": idx, "lp_min": lo, "lp_max": hi, "width": hi - lo,
                     "exact": bool(np.isclose(lo, hi, atol=1e-7)),
                     "at_risk": bool(hi - lo < protection - 1e-9)})
    out = pd.DataFrame(rows, columns=["index", "lp_min", "lp_max", "width", "exact", "at_risk"])
    if len(out):
        out = out.set_index("index")
        out = result.loc[out.index].join(out)
    return out


def recoverable_cells(result: pd.DataFrame, protection: float = 1.0) -> pd.DataFrame:
    """Hidden cells an attacker can pin down: exactly, or within less than ``protection``.

    Solves the linear programmes (see :func:`cell_intervals`, ``exact=False``): an empty frame
    means every hidden cell can vary by at least ``protection`` given all that is shown.
    """
    iv = cell_intervals(result, protection, exact=False)
    return iv[iv["at_risk"]] if len(iv) else iv


def rounded_count(value: float, threshold: int = 5, base: int = 5) -> str:
    """A count to publish from a register's time table: 0 as "0", 1 to ``threshold - 1`` as
    "<threshold", larger counts rounded to the nearest multiple of ``base``."""
    v = int(value)
    if v == 0:
        return "0"
    if v < threshold:
        return _label(threshold)
    return str(base * int(v / base + 0.5))


def protect_risk_table(frame: pd.DataFrame, count_cols, threshold: int = 5,
                       risk_col: str = "n_risk", base: int = 5) -> pd.DataFrame:
    """A survival or incidence table (one row per time) ready to publish from a register.

    Rows where fewer than ``threshold`` remain at risk are dropped (the curve stops there, the
    usual rule for published survival curves), and every count in ``count_cols`` (the number at
    risk among them) is published by :func:`rounded_count`: 1 to ``threshold - 1`` as
    ``"<threshold"``, larger counts rounded to the nearest multiple of ``base``; counts become
    text. Rounding matters here: with exact numbers at risk, the difference between two rows
    minus the events shown gives the censored cases exactly, however small (tested by
    enumerating every table the published numbers allow). Estimates (survival, cumulative
    incidence, intervals) are kept; publish coarse time points (e.g. every 30 days), as the
    notebooks do, so that each estimate aggregates many cases.
    """
    missing = [c for c in [risk_col, *count_cols] if c not in frame.columns]
    if missing:
        raise ValueError(f"protect_risk_table: columns {missing} not in the table")
    kept = frame[frame[risk_col] >= threshold].copy()
    for column in dict.fromkeys([risk_col, *count_cols]):
        kept[column] = [rounded_count(v, threshold, base) for v in kept[column]]
    return kept.reset_index(drop=True)


def rounded_event_data(frame: pd.DataFrame, time_col: str, status_col: str, base: int = 5,
                       by: str | None = None) -> pd.DataFrame:
    """Time-to-event data rebuilt from rounded counts, for survival estimates safe to publish.

    For each group (``by``) and each value of ``status_col`` (1/0 for Kaplan–Meier; the outcome
    for competing risks, the censoring value included), the number ``x`` of rows with a time on
    or before ``t`` is rounded at every distinct time ``t`` to the midpoint of its block of
    ``base``: ``ceil(x / base) * base - floor(base / 2)`` for ``x > 0`` (with ``base`` = 5:
    1–5 give 3, 6–10 give 8; 0 stays 0). The rows returned (columns ``by``, ``time_col``,
    ``status_col``) are as many of each status at each time as that rounded count grows there:
    a step at the time of the 1st, (base+1)th, (2·base+1)th ... case of that status. Any
    estimate computed from them (Kaplan–Meier with Greenwood intervals, Aalen–Johansen, numbers
    at risk) depends on the rounded counts only, so a published curve tells no more than those
    counts (exact estimates would: between two reading times, S(t2)/S(t1) = Π(1 − d/n) can give
    away a single event). This is the rule of OpenSAFELY's published Kaplan–Meier curves
    (cumulative counts rounded to midpoints of 6-blocks before the estimates are computed), here
    with blocks of ``base``. Each status's total moves by at most ``base // 2``; with
    ``base`` = 1 the data come back unchanged (up to row order).
    """
    if base < 1 or int(base) != base:
        raise ValueError(f"rounded_event_data: base must be a whole number >= 1, got {base!r}")
    missing = [c for c in [time_col, status_col, *([by] if by else [])] if c not in frame]
    if missing:
        raise ValueError(f"rounded_event_data: columns {missing} not in the data")
    keys = ([by] if by else []) + [status_col]
    counts = (frame.groupby(keys + [time_col], sort=True, dropna=False).size()
              .rename("n").reset_index())
    cumulative = counts.groupby(keys, sort=False, dropna=False)["n"].cumsum()
    rounded = (-(-cumulative // base) * base - base // 2).where(cumulative > 0, 0)
    grown = rounded - rounded.groupby([counts[k] for k in keys], sort=False,
                                      dropna=False).shift(1, fill_value=0)
    rows = counts.loc[counts.index.repeat(grown.to_numpy()), keys + [time_col]]
    return rows.reset_index(drop=True)[([by] if by else []) + [time_col, status_col]]
