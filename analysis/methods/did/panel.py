"""Building the balanced unit x period panel of counts the estimators take."""
from __future__ import annotations

import pandas as pd

from ..contract import InputError, require_columns


def _adoption_by_unit(table: pd.DataFrame, unit: str, first_treated: str,
                      function: str) -> pd.Series:
    """One first-treated period per unit (NaN = never); InputError naming units with two."""
    sub = table[[unit, first_treated]].drop_duplicates()
    n_dates = sub.groupby(unit, dropna=False)[first_treated].nunique(dropna=False)
    bad = n_dates[n_dates > 1]
    if len(bad):
        detail = {u: sorted(sub.loc[sub[unit] == u, first_treated].tolist(), key=str)
                  for u in bad.index[:5]}
        raise InputError(function, f"unit(s) with two or more adoption dates in "
                         f"'{first_treated}' (a measure must be adopted once and stay on): "
                         f"{detail}", column=first_treated)
    return sub.set_index(unit)[first_treated].astype(float)


def build_panel(events: pd.DataFrame, measures: pd.DataFrame, unit: str, time: str,
                first_treated: str, *, periods=None, outcome: str = "n_cases",
                exposure: pd.DataFrame | None = None, exposure_column: str | None = None
                ) -> pd.DataFrame:
    """Balanced unit x period panel of case counts with each unit's adoption period.

    Parameters
    ----------
    events : one row per case with columns ``unit`` and ``time`` (e.g. region and cycle year).
        Pass either detected cases or an enforcement subset, not a mix (see module docstring).
    measures : one row per unit with columns ``unit`` and ``first_treated`` -- the first period
        in which the measure applied, or missing (NaN/None) if never. **Its units define the
        panel's units**, so units with no cases get zero rows. Identical duplicate rows are
        allowed; a unit with two different dates is an
        :class:`~analysis.methods.contract.InputError`.
    periods : the panel's periods. ``None`` means the distinct periods observed in ``events``
        (a period with no case anywhere would then be missing: pass the list when that matters).
    outcome : name of the count column created.
    exposure, exposure_column : optional table with ``unit`` (and ``time`` if it varies over
        time) and the column ``exposure_column`` (e.g. civil servants); joined on the unit (and
        the period when the table has a ``time`` column). Every panel cell must get a value.

    Returns
    -------
    DataFrame with columns ``unit, time, outcome, first_treated`` (+ ``exposure_column``), one row
    per unit x period, sorted. ``first_treated`` is a float column; **NaN = never treated**.
    """
    fn = "build_panel"
    require_columns(events, [unit, time], f"{fn} (events)")
    require_columns(measures, [unit, first_treated], f"{fn} (measures)")
    for column in (unit, time):
        if events[column].isna().any():
            raise InputError(f"{fn} (events)", f"missing values in '{column}'", column=column)
    if measures[unit].isna().any():
        raise InputError(f"{fn} (measures)", f"missing values in '{unit}'", column=unit)
    adoption = _adoption_by_unit(measures, unit, first_treated, f"{fn} (measures)")
    unknown = sorted(set(events[unit]) - set(adoption.index), key=str)
    if unknown:
        raise InputError(f"{fn} (events)", f"unit(s) not in measures (treatment status "
                         f"unknown): {unknown[:10]}", column=unit)
    if periods is None:
        periods = sorted(events[time].unique())
    periods = list(periods)
    if len(set(periods)) != len(periods):
        raise InputError(fn, "periods has duplicates")
    outside = sorted(set(events[time]) - set(periods), key=str)
    if outside:
        raise InputError(f"{fn} (events)", f"period(s) not in periods: {outside[:10]}",
                         column=time)

    counts = events.groupby([unit, time]).size()
    grid = pd.MultiIndex.from_product([sorted(adoption.index), sorted(periods)],
                                      names=[unit, time])
    panel = counts.reindex(grid, fill_value=0).rename(outcome).reset_index()
    panel[outcome] = panel[outcome].astype("int64")
    panel[first_treated] = panel[unit].map(adoption).astype(float)

    if exposure is not None:
        if exposure_column is None:
            raise InputError(fn, "exposure_column must name the exposure column of the "
                             "exposure table")
        keys = [unit, time] if time in exposure.columns else [unit]
        require_columns(exposure, keys + [exposure_column], f"{fn} (exposure)")
        if exposure.duplicated(keys).any():
            raise InputError(f"{fn} (exposure)", f"duplicate rows for {keys}")
        panel = panel.merge(exposure[keys + [exposure_column]], on=keys, how="left",
                            validate="many_to_one")
        missing = panel[panel[exposure_column].isna()]
        if len(missing):
            raise InputError(f"{fn} (exposure)", f"'{exposure_column}' missing for "
                             f"{len(missing)} panel cell(s), e.g. "
                             f"{missing[keys].head(3).to_dict('records')}",
                             column=exposure_column)
    return panel.sort_values([unit, time]).reset_index(drop=True)


def treatment_indicator(panel: pd.DataFrame, time: str, first_treated: str) -> pd.Series:
    """0/1 "measure in force": ``time >= first_treated``; 0 for never treated (NaN).

    No anticipation shift: a TWFE with anticipation needs a dummy shifted by position, which
    the caller should build explicitly.
    """
    g = panel[first_treated].astype(float)
    return ((g.notna()) & (panel[time] >= g)).astype("int64")
