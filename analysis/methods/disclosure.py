"""Small-cell suppression of count tables that an attacker who reads every mark cannot undo.

Rules (stated once, cited wherever a suppressed table is published)
------------------------------------------------------------------
* **Small counts** (primary suppression): a count ``1 <= n < threshold`` is hidden. Margins (row
  and column totals, the grand total) are counts too and follow the same rule. Zeros are shown
  (``suppress_zeros=True`` treats a zero as a small count).
* **One mark** for every hidden cell, :data:`HIDDEN_MARK` (``"x"``), and it stands for *any*
  count, 0 included: small counts and the cells hidden to protect them look alike. Two marks
  would give cells away: with ``"<5"`` for small counts (1-4) and ``"–"`` for the others (then 0
  or at least 5), the list {1, 5, 40} with total 46 leaves 1 + 5 = 6 to the hidden pair, and
  only 1 and 5 fit their marks. A shown zero is a count like any other; since hidden cells may
  be 0 too, it tells nothing about them.
* **Protection** (complementary suppression): every hidden cell's feasible range, given all
  that is published, must be at least ``protection`` wide (default: the threshold): the
  attacker's largest value minus its smallest. This is the *sliding protection level* of
  sdcTable and tau-Argus, here required of every hidden cell, not only the small ones, so the
  published table alone proves it without saying which cells are small. With the threshold as
  the width and counts never below 0, the attacker cannot rule out that a hidden small count is
  the threshold or more (it cannot tell the count is small), and no hidden cell is exact.
  Complements are chosen (:mod:`analysis.methods.complements`) until the attacker
  (:mod:`analysis.methods.cell_attacker`) finds no hidden cell narrower.
* **The attacker** knows every shown count and margin, that each mark stands for the values
  listed in ``result.attrs["marks"]``, that counts are non-negative integers and that a table
  lists every value with a count (so no count lies outside its rows and columns). It solves an
  integer programme for the minimum and maximum of every hidden cell. It does not re-run the
  choice of complements on candidate tables; an attacker who does can narrow tiny tables
  further (METHODS.md, section G).
* **Linked tables**: tables counted from the same records share cells and margins. Give each
  cell its identity (:func:`table_cells`: the dimension values it counts); the attacker then
  runs over all of them at once (:func:`linked_intervals`), and :func:`protect_linked` hides
  more cells until that holds too. A small cell that cannot be protected (other tables already
  published give it away) is *withheld*: published without its identity, and said so.

Only ``numpy``, ``pandas`` and ``scipy`` are used: this module is general statistics.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import complements
from .cell_attacker import ANY_COUNT, InconsistentCells, Not, both, canonical, cell_ranges

__all__ = ["COMPLEMENT_MARK", "HIDDEN_MARK", "TOTAL", "InconsistentCells", "apply_cells",
           "cell_intervals", "linked_intervals", "protect_linked", "protect_risk_table",
           "recoverable_cells", "rounded_count", "rounded_event_data", "suppress",
           "suppress_one_way", "table_cells", "to_wide"]

TOTAL = "Total"
HIDDEN_MARK = "x"
COMPLEMENT_MARK = HIDDEN_MARK  # the old name: complements and small counts share one mark now
MARKS = {HIDDEN_MARK: ANY_COUNT}


def _label(threshold: int) -> str:
    return f"<{threshold}"


def _is_primary(v: float, threshold: int, suppress_zeros: bool) -> bool:
    return (v < threshold) and (v > 0 or (suppress_zeros and v == 0))


def _rule(kind: str, threshold: int, protection, suppress_zeros: bool, **more) -> dict:
    return {"kind": kind, "threshold": threshold, "suppress_zeros": suppress_zeros,
            "protection": float(threshold if protection is None else protection),
            "marks": {m: [list(i) for i in d] for m, d in MARKS.items()}, **more}


def _choose(cells: pd.DataFrame, threshold, suppress_zeros, protection) -> pd.DataFrame:
    """Primary cells, then complements until every hidden cell is protected."""
    cells = cells.assign(primary=[_is_primary(v, threshold, suppress_zeros)
                                  for v in cells["value"]], fixed=False)
    cells["primary"] = cells["primary"] & cells["cell"].notna()
    cells["hidden"] = cells["primary"]
    chosen = complements.protect(cells, protection)
    return chosen[chosen["cell"].notna()].set_index("cell")


# --------------------------------------------------------------------------- two-way
def _grid(table: pd.DataFrame, row: str, col: str, value: str):
    wide = table.pivot_table(index=row, columns=col, values=value, aggfunc="sum",
                             fill_value=0, sort=True)
    if (wide.to_numpy() < 0).any():
        raise ValueError("counts must be non-negative")
    return wide


def suppress(table: pd.DataFrame, row: str, col: str, value: str, threshold: int = 5,
             totals: bool = True, suppress_zeros: bool = False,
             total_label: str = TOTAL, protection: float | None = None) -> pd.DataFrame:
    """Suppress a two-way table of counts given in long form (one line per ``row`` x ``col``).

    Returns the long table including the margins (``total_label`` in ``row`` and/or ``col``),
    with columns ``value``, ``margin``, ``primary`` (a small count), ``complementary`` (hidden to
    protect), ``suppressed`` and ``display`` (the count as text, :data:`HIDDEN_MARK` when
    hidden). Every hidden cell can take values at least ``protection`` apart (default
    ``threshold``) given the rest. With ``totals=False`` no margins are shown, so small counts
    are hidden and nothing else is needed. Missing row x column combinations count as zero.
    """
    wide = _grid(table, row, col, value)
    r_labels, c_labels = list(wide.index), list(wide.columns)
    nr, nc = len(r_labels), len(c_labels)
    ext = np.zeros((nr + 1, nc + 1))
    ext[:nr, :nc] = wide.to_numpy(dtype=float)
    ext[:nr, nc] = ext[:nr, :nc].sum(axis=1)
    ext[nr, :] = ext[:nr, :].sum(axis=0)
    records = []
    for i in range(nr + 1):
        for j in range(nc + 1):
            if not totals and (i == nr or j == nc):
                continue
            records.append({row: r_labels[i] if i < nr else total_label,
                            col: c_labels[j] if j < nc else total_label,
                            value: int(ext[i, j]) if float(ext[i, j]).is_integer() else ext[i, j],
                            "margin": i == nr or j == nc})
    out = pd.DataFrame(records)
    attrs = _rule("two_way", threshold, protection, suppress_zeros, row=row, col=col,
                  value=value, totals=totals, total_label=total_label)
    out.attrs.update(attrs)
    chosen = _choose(table_cells(out, display=False), threshold, suppress_zeros,
                     attrs["protection"])
    return _mark(out, chosen)


def _mark(out: pd.DataFrame, chosen: pd.DataFrame) -> pd.DataFrame:
    """The result's status columns from the chosen cells (indexed by the result's index)."""
    attrs = dict(out.attrs)
    chosen = chosen.reindex(out.index)
    withheld = (chosen["withheld"].fillna(False).astype(bool).to_numpy() if "withheld" in chosen
                else np.zeros(len(out), dtype=bool))
    out = out.assign(primary=chosen["primary"].astype(bool).to_numpy(),
                     suppressed=chosen["hidden"].astype(bool).to_numpy() | withheld)
    out["complementary"] = out["suppressed"] & ~out["primary"]
    value = out[attrs.get("value", "value")]
    out["display"] = [HIDDEN_MARK if h else f"{int(v)}" for h, v in zip(out["suppressed"], value)]
    if withheld.any():
        out["withheld"] = withheld
    columns = [c for c in out.columns if c not in ("primary", "complementary", "suppressed",
                                                   "withheld", "display")]
    out = out[columns + ["primary", "complementary", "suppressed"]
              + (["withheld"] if "withheld" in out else []) + ["display"]]
    out.attrs.update(attrs)
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
                     suppress_zeros: bool = False, total_label: str = TOTAL,
                     protection: float | None = None) -> pd.DataFrame:
    """Suppress a list of counts (a Series, a dict or a list) shown with its total.

    The same rules on a single line: small counts (and a small total) hidden, then, if the
    total is shown, more counts until every hidden one can vary by ``protection`` (default
    ``threshold``). Columns ``label``, ``value``, ``margin``, ``primary``, ``complementary``,
    ``suppressed``, ``display``.
    """
    s = pd.Series(counts, dtype=float)
    if (s < 0).any():
        raise ValueError("counts must be non-negative")
    labels, vals = list(s.index), list(s.to_numpy())
    if total:
        labels.append(total_label)
        vals.append(float(s.sum()))
    out = pd.DataFrame({"label": labels, "value": [int(v) for v in vals],
                        "margin": [total and k == len(vals) - 1 for k in range(len(vals))]})
    attrs = _rule("one_way", threshold, protection, suppress_zeros, totals=total,
                  total_label=total_label)
    out.attrs.update(attrs)
    chosen = _choose(table_cells(out, display=False), threshold, suppress_zeros,
                     attrs["protection"])
    return _mark(out, chosen)


# --------------------------------------------------------------------------- what each cell counts
def table_cells(result: pd.DataFrame, name: str = "", dimension: str | None = None,
                universe: dict | None = None, exhaustive: bool = True,
                display: bool = True) -> pd.DataFrame:
    """Every cell of a suppressed table with what it counts, for the attacker.

    Columns: ``table`` (``name``), ``cell`` (the result's index; None for a fact the table
    states without a cell), ``identity`` (dimension -> values counted: a two-way cell counts
    its row and column values, a margin drops the dimension it sums over; a one-way cell counts
    its label of ``dimension``, default ``name`` or "label"), ``value``, ``margin``, ``lines``
    (the row and column the cell is on, with their totals) and, with ``display``, ``known``
    (the count shown, NaN when hidden) and ``domain`` (what its mark stands for).
    ``universe`` restricts every identity (e.g. the records of one province). With
    ``exhaustive`` the table lists every value that has a count, so it also states that no
    record of the universe has another value: rows with ``cell`` None and ``known`` 0.
    """
    a = result.attrs
    base = canonical(universe or {})
    if a["kind"] == "two_way":
        dims = [(a["row"], a["row"]), (a["col"], a["col"])]
    else:
        dims = [("label", dimension or name or "label")]
    total = a["total_label"]
    rows = []
    for idx, r in result.iterrows():
        ident, lines = {}, []
        for column, dim in dims:
            label = r[column]
            if label != total:
                ident[dim] = [str(label)]
            lines.append((name, dim, str(label)) if len(dims) > 1 else (name, "list"))
        if not a.get("totals", True) and a["kind"] == "one_way":
            lines = []
        rows.append({"table": name, "cell": idx, "identity": both(ident, base),
                     "value": r[a.get("value", "value")], "margin": bool(r["margin"]),
                     "lines": tuple(lines)})
    if exhaustive:
        for column, dim in dims:
            listed = [str(x) for x in pd.unique(result[column]) if x != total]
            rows.append({"table": name, "cell": None,
                         "identity": both({dim: Not(tuple(listed))}, base), "value": 0,
                         "margin": True, "lines": ()})
    cells = pd.DataFrame(rows)
    cells["cell"] = pd.Series([r["cell"] for r in rows], dtype=object)
    if "primary" in result:
        cells["primary"] = [c is not None and bool(result.at[c, "primary"]) for c in cells["cell"]]
    cells["identity"] = [dict((d, (k, v)) for d, k, v in i) for i in cells["identity"]]
    if display:
        shown = dict(zip(result.index, result["display"]))
        marks = {m: tuple(tuple(i) for i in d) for m, d in a["marks"].items()}
        withheld = result["withheld"] if "withheld" in result else pd.Series(False, result.index)
        cells["known"], cells["domain"] = zip(*[
            _read(shown[c] if c is not None else "0", marks) for c in cells["cell"]])
        cells["withheld"] = [c is not None and bool(withheld[c]) for c in cells["cell"]]
        cells["hidden"] = cells["known"].isna()
    return cells


def _read(text, marks: dict):
    """(count shown or NaN, domain of its mark or None) of a display cell."""
    text = str(text).strip()
    if text in marks:
        return np.nan, marks[text]
    try:
        return float(text.replace(",", "")), None
    except ValueError:
        raise ValueError(f"display {text!r} is neither a count nor a mark of the rule "
                         f"({', '.join(marks)})") from None


# --------------------------------------------------------------------------- attacker
def linked_intervals(cells: pd.DataFrame, need: float | None = None) -> pd.DataFrame:
    """The attacker over several tables' cells at once (rows of :func:`table_cells`, their
    identities linking the tables): every hidden cell's ``low``, ``high`` and ``width``.
    Withheld cells are left out (nothing published about them). With ``need`` cells seen to
    vary by that much are not solved for exactly (see :func:`cell_ranges`)."""
    kept = cells[~cells.get("withheld", pd.Series(False, cells.index)).astype(bool)]
    return cell_ranges(kept, need)


def cell_intervals(result: pd.DataFrame, protection: float | None = None,
                   exact: bool = True) -> pd.DataFrame:
    """For every hidden cell of one table: the attacker's feasible ``lp_min``/``lp_max``, its
    ``width``, ``exact`` (the attacker has the count) and ``at_risk`` (narrower than
    ``protection``, default the table's rule). With ``exact=False`` a cell already seen to vary
    by ``protection`` is not solved for (its bounds are then the spread seen)."""
    p = result.attrs["protection"] if protection is None else protection
    iv = linked_intervals(table_cells(result), None if exact else p)
    iv = iv[iv["cell"].notna()]
    out = result.loc[list(iv["cell"])].copy()
    out["lp_min"], out["lp_max"] = iv["low"].to_numpy(), iv["high"].to_numpy()
    out["width"] = out["lp_max"] - out["lp_min"]
    out["exact"] = np.isclose(out["width"], 0)
    out["at_risk"] = out["width"] < p - 1e-9
    return out


def recoverable_cells(result: pd.DataFrame, protection: float | None = None) -> pd.DataFrame:
    """Hidden cells an attacker can narrow to less than ``protection`` (default the rule's,
    the threshold) from everything the table shows, its marks included: empty when safe."""
    iv = cell_intervals(result, protection, exact=False)
    return iv[iv["at_risk"]]


def protect_linked(cells: pd.DataFrame, protection: float) -> pd.DataFrame:
    """Hide more cells of linked tables until the attacker over all of them finds no hidden cell
    narrower than ``protection``. ``cells``: rows of :func:`table_cells` with ``fixed`` (True
    for cells already published: their status stays). Returns ``cells`` with ``hidden`` and
    ``withheld`` updated (apply them to a table with :func:`apply_cells`)."""
    work = cells.copy()
    work["fixed"] = work.get("fixed", False) | work["cell"].isna()
    work["primary"] = work.get("primary", work["hidden"]).fillna(False).astype(bool)
    out = complements.protect(work, protection)
    out["known"] = [np.nan if h else v for h, v in zip(out["hidden"], out["value"])]
    out["domain"] = [ANY_COUNT if h else None for h in out["hidden"]]
    return out


def apply_cells(result: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """``result`` with the hidden and withheld cells of its rows in ``cells``."""
    mine = cells[cells["cell"].notna()].set_index("cell")
    primary = result["primary"]
    chosen = pd.DataFrame({"primary": primary, "hidden": mine["hidden"].reindex(result.index),
                           "withheld": mine["withheld"].reindex(result.index)})
    return _mark(result, chosen)


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
