"""The design: a wide matrix of outcomes and each unit's adoption position."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .panel import _adoption_by_unit, _require_columns


@dataclass
class _Design:
    units: np.ndarray          # unit labels (rows of Y)
    periods: np.ndarray        # sorted period values (columns of Y)
    Y: np.ndarray              # n x T outcome (or rate)
    gpos: np.ndarray           # adoption position per unit: NaN never, T = after the window
    gval: np.ndarray           # adoption period value per unit (NaN never)
    cluster: np.ndarray        # cluster code per unit
    notes: list                # warnings raised while preparing


def _design(panel, unit, time, outcome, first_treated, exposure, per, cluster,
            anticipation) -> _Design:
    cols = [unit, time, outcome, first_treated] + [c for c in (exposure, cluster) if c]
    _require_columns(panel, cols, "panel")
    if not isinstance(anticipation, (int, np.integer)) or isinstance(anticipation, bool) \
            or anticipation < 0:
        raise ValueError(f"anticipation must be a non-negative integer, got {anticipation!r}")
    for c in [unit, time, outcome] + [c for c in (exposure, cluster) if c]:
        if panel[c].isna().any():
            raise ValueError(f"panel column '{c}' has missing values")
    if panel.duplicated([unit, time]).any():
        dup = panel.loc[panel.duplicated([unit, time], keep=False), [unit, time]].head(3)
        raise ValueError(f"panel has duplicate ({unit}, {time}) rows, e.g. "
                         f"{dup.to_dict('records')}")
    adoption = _adoption_by_unit(panel, unit, first_treated, "panel")
    units = np.array(sorted(adoption.index, key=lambda u: (str(type(u)), u)), dtype=object)
    periods = np.array(sorted(panel[time].unique()))
    if len(panel) != len(units) * len(periods):
        raise ValueError(f"panel is not balanced: {len(panel)} rows for {len(units)} units x "
                         f"{len(periods)} periods (use build_panel to fill zeros)")
    y = panel[outcome].astype(float)
    if exposure:
        e = panel[exposure].astype(float)
        if (~np.isfinite(e) | (e <= 0)).any():
            raise ValueError(f"exposure '{exposure}' must be positive and finite in every cell")
        y = y / e * per
    wide = (pd.DataFrame({"u": panel[unit].to_numpy(), "t": panel[time].to_numpy(),
                          "y": y.to_numpy()})
            .pivot(index="u", columns="t", values="y").reindex(index=units, columns=periods))
    gval = adoption.reindex(units).to_numpy(dtype=float)
    notes = []
    gpos = np.full(len(units), np.nan)
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
            raise ValueError(f"first_treated {g!r} of unit {_py(units[i])!r} is not one of the "
                             f"panel's periods; code it as the first observed period with the "
                             f"measure")
        gpos[i] = hit[0]
    if cluster:
        cl = panel[[unit, cluster]].drop_duplicates()
        if cl[unit].duplicated().any():
            raise ValueError(f"cluster '{cluster}' is not constant within unit: clusters must "
                             f"nest units")
        codes = pd.factorize(cl.set_index(unit)[cluster].reindex(units))[0]
    else:
        codes = np.arange(len(units))
    return _Design(units, periods, wide.to_numpy(), gpos, gval, codes, notes)


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
                    pd.factorize(d.cluster[keep])[0], d.notes)
    return d
