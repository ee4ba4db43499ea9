"""The design: a wide matrix of outcomes and each unit's adoption position."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..contract import InputError, require_columns
from .panel import _adoption_by_unit


@dataclass
class _Design:
    units: np.ndarray          # unit labels (rows of Y)
    periods: np.ndarray        # sorted period values (columns of Y)
    Y: np.ndarray              # n x T outcome (or rate)
    gpos: np.ndarray           # adoption position per unit: NaN never, T = after the window
    gval: np.ndarray           # adoption period value per unit (NaN never)
    cluster: np.ndarray        # cluster code per unit
    notes: list                # warnings raised while preparing
    cluster_word: str = "unit"  # what a cluster is, for messages ("unit" or "cluster")


def _design(panel, unit, time, outcome, first_treated, exposure, per, cluster, anticipation,
            function: str) -> _Design:
    """The checked panel as a wide outcome matrix; units treated by the first period (plus
    ``anticipation``) are dropped with a note. Bad input: :class:`InputError` from ``function``."""
    require_columns(panel, [unit, time, outcome, first_treated, exposure, cluster], function)
    d = _valid_numeric_design(panel, unit, time, outcome, first_treated, exposure, per, cluster)
    if d is None:
        d = _checked_design(panel, unit, time, outcome, first_treated, exposure, per, cluster,
                            function)
    return _finish(d, anticipation, first_treated, function)


def _checked_design(panel, unit, time, outcome, first_treated, exposure, per, cluster,
                    function: str) -> _Design:
    """The general route: any column types; every problem refused with its message."""
    for c in [unit, time, outcome] + [c for c in (exposure, cluster) if c]:
        if panel[c].isna().any():
            raise InputError(function, f"column '{c}' has missing values", column=c,
                             row=int(np.flatnonzero(panel[c].isna().to_numpy())[0]))
    if panel.duplicated([unit, time]).any():
        dup = panel.loc[panel.duplicated([unit, time], keep=False), [unit, time]].head(3)
        raise InputError(function, f"duplicate ({unit}, {time}) rows, e.g. "
                         f"{dup.to_dict('records')}", column=time)
    adoption = _adoption_by_unit(panel, unit, first_treated, function)
    units = np.array(sorted(adoption.index, key=lambda u: (str(type(u)), u)), dtype=object)
    periods = np.array(sorted(panel[time].unique()))
    if len(panel) != len(units) * len(periods):
        raise InputError(function, f"the panel is not balanced: {len(panel)} rows for "
                         f"{len(units)} units x {len(periods)} periods (use build_panel to fill "
                         f"zeros)", column=time)
    y = panel[outcome].astype(float)
    if exposure:
        e = panel[exposure].astype(float)
        if (~np.isfinite(e) | (e <= 0)).any():
            raise InputError(function, f"exposure '{exposure}' must be positive and finite in "
                             f"every cell", column=exposure)
        y = y / e * per
    wide = (pd.DataFrame({"u": panel[unit].to_numpy(), "t": panel[time].to_numpy(),
                          "y": y.to_numpy()})
            .pivot(index="u", columns="t", values="y").reindex(index=units, columns=periods))
    gval = adoption.reindex(units).to_numpy(dtype=float)
    if cluster:
        cl = panel[[unit, cluster]].drop_duplicates()
        if cl[unit].duplicated().any():
            raise InputError(function, f"cluster '{cluster}' is not constant within unit: "
                             f"clusters must nest units", column=cluster)
        codes = pd.factorize(cl.set_index(unit)[cluster].reindex(units))[0]
    else:
        codes = np.arange(len(units))
    return _Design(units, periods, wide.to_numpy(), np.full(len(units), np.nan), gval, codes,
                   [], "cluster" if cluster and cluster != unit else "unit")


def _finish(d: _Design, anticipation: int, first_treated: str, function: str) -> _Design:
    """Each unit's adoption position among the periods (NaN never, -1 before the first, T after
    the last), then the always-treated dropped."""
    units, periods, gval, gpos = d.units, d.periods, d.gval, d.gpos
    for i, g in enumerate(gval):
        if np.isnan(g):
            continue
        if g > periods[-1]:
            gpos[i] = len(periods)
            continue
        hit = np.flatnonzero(periods == g)
        if not len(hit):
            if g < periods[0]:
                gpos[i] = -1.0
                continue
            raise InputError(function, f"first treated period {g!r} of unit "
                             f"{_py(units[i])!r} is not one of the panel's periods; code it as "
                             f"the first observed period with the measure",
                             column=first_treated)
        gpos[i] = hit[0]
    return _drop_always_treated(d, anticipation)


def _valid_numeric_design(panel, unit, time, outcome, first_treated, exposure, per,
                          cluster) -> _Design | None:
    """The design of a valid panel whose period, outcome, adoption (and exposure) columns are
    numeric, built with numpy (a simulation study fits thousands of panels; the pandas route
    costs several milliseconds a fit). None for anything else -- a missing value, a duplicate or
    missing cell, a unit with two adoption dates or clusters, a non-numeric column, a
    non-positive exposure -- which the general route then builds or refuses with its message.
    Units are ordered as there (by type name, then value), periods ascending, so both routes
    give the same design."""
    numeric = [time, outcome, first_treated] + ([exposure] if exposure else [])
    if not all(isinstance(panel[c].dtype, np.dtype) and panel[c].dtype.kind in "iuf"
               for c in numeric):
        return None
    labelled = [unit] + ([cluster] if cluster else [])
    if not all(isinstance(panel[c].dtype, pd.StringDtype) or
               (isinstance(panel[c].dtype, np.dtype) and panel[c].dtype.kind in "iuO")
               for c in labelled) or any(panel[c].isna().any() for c in labelled):
        return None
    t = panel[time].to_numpy(dtype=float)
    y = panel[outcome].to_numpy(dtype=float)
    if np.isnan(t).any() or np.isnan(y).any():
        return None
    ucodes, ulabels = pd.factorize(panel[unit], sort=False)
    labels = ulabels.tolist()
    order = sorted(range(len(labels)), key=lambda i: (str(type(labels[i])), labels[i]))
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    u = rank[ucodes]
    periods = np.unique(panel[time].to_numpy())
    n, T = len(order), len(periods)
    if len(panel) != n * T:
        return None
    tpos = np.searchsorted(periods, panel[time].to_numpy())
    cell = u * T + tpos
    if len(np.unique(cell)) != len(cell):
        return None
    if exposure:
        e = panel[exposure].to_numpy(dtype=float)
        if not (np.isfinite(e) & (e > 0)).all():
            return None
        y = y / e * per
    g = panel[first_treated].to_numpy(dtype=float)
    first_row = np.empty(n, dtype=np.intp)
    first_row[u[::-1]] = np.arange(len(u))[::-1]  # each unit's first row
    gval = g[first_row]
    same = (g == gval[u]) | (np.isnan(g) & np.isnan(gval[u]))
    if not same.all():
        return None
    Y = np.empty((n, T))
    Y[u, tpos] = y
    if cluster:
        c = panel[cluster].to_numpy()
        ccodes = pd.factorize(c)[0]
        if (ccodes != ccodes[first_row][u]).any():
            return None
        codes = pd.factorize(c[first_row])[0]
    else:
        codes = np.arange(n)
    units = np.array([labels[i] for i in order], dtype=object)
    return _Design(units, periods, Y, np.full(n, np.nan), gval, codes, [],
                   "cluster" if cluster and cluster != unit else "unit")


def _py(value):
    """numpy scalar -> Python scalar, for readable messages."""
    return value.item() if hasattr(value, "item") else value


def _drop_always_treated(d: _Design, anticipation: int) -> _Design:
    drop = ~np.isnan(d.gpos) & (d.gpos <= anticipation)
    if drop.any():
        d.notes.append(
            f"{int(drop.sum())} unit(s) treated by the first period (+ anticipation) have no "
            f"untreated base period and were dropped: {list(d.units[drop][:10])} (first_treated "
            f"{sorted(set(d.gval[drop].tolist()))}); never-treated units must be coded NaN, not 0")
        keep = ~drop
        d = _Design(d.units[keep], d.periods, d.Y[keep], d.gpos[keep], d.gval[keep],
                    pd.factorize(d.cluster[keep])[0], d.notes, d.cluster_word)
    return d
