"""Drawing a funnel plot from :func:`analysis.methods.funnel.funnel_table` (bilingual labels)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from ..methods.funnel import summary_limits
from . import plots
from .formatting import fmt_int


def default_labels(per: float = 10_000) -> dict:
    """Bilingual axis and legend labels (Bahasa Indonesia first)."""
    per_id, per_en = fmt_int(per, "id"), fmt_int(per, "en")
    return {
        "x": plots.bilingual("pegawai negeri sipil (PNS)", "civil servants (PNS)"),
        "y": plots.bilingual(f"pelanggaran per {per_id} PNS", f"violations per {per_en} PNS"),
        "target": plots.bilingual("rata-rata nasional", "pooled rate"),
        "95": plots.bilingual("batas 95%", "95% limits"),
        "998": plots.bilingual("batas 99,8%", "99.8% limits"),
        "adjusted": plots.bilingual("disesuaikan", "adjusted"),
        "units": plots.bilingual("provinsi", "provinces"),
    }


def plot_funnel(table: pd.DataFrame, limits: pd.DataFrame | None = None, highlight=None,
                per: float = 10_000, labels: dict | None = None, label: str | None = None,
                ax=None):
    """Funnel plot of ``table`` (from :func:`funnel_table`) against exposure.

    ``limits``: from :func:`funnel_limits` (rates per unit of exposure; multiplied by ``per``
    here); if None, built from the table's summary over a 200-point grid. Exact 95% and 99.8%
    limits are solid; ``adj_*`` columns, if present, are drawn dashed. ``highlight``: a unit name
    (or list) drawn in ``plots.HIGHLIGHT`` and labelled; FDR-flagged units are labelled too.
    ``label``: the unit-name column (default: the table's first column). Title and source are
    left to the caller (``plots.finish``). Returns the Figure.
    """
    names = dict(default_labels(per), **(labels or {}))
    label = label or table.columns[0]
    if limits is None:
        limits = summary_limits(table)
    if highlight is None:
        highlight = []
    elif isinstance(highlight, str):
        highlight = [highlight]
    else:
        highlight = list(highlight)
    missing = [h for h in highlight if h not in set(table[label])]
    if missing:
        raise ValueError(f"highlight {missing} not found in column {label!r}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 5.5))
    else:
        fig = ax.figure

    x = limits["exposure"].to_numpy()
    ax.axhline(table["target_rate"].iloc[0], color=plots.PALETTE[2], lw=1.2, ls=":",
               label=names["target"])
    styles = {"95": dict(color=plots.NEUTRAL, lw=1.0), "998": dict(color="#333333", lw=1.4)}
    for tag, style in styles.items():
        ax.plot(x, limits[f"upper_{tag}"] * per, label=names[tag], **style)
        ax.plot(x, limits[f"lower_{tag}"] * per, **style)
        if f"adj_upper_{tag}" in limits:
            ax.plot(x, limits[f"adj_upper_{tag}"] * per, ls="--",
                    label=f"{names[tag]}, {names['adjusted']}", **style)
            ax.plot(x, limits[f"adj_lower_{tag}"] * per, ls="--", **style)

    is_hl = table[label].isin(highlight).to_numpy()
    ax.scatter(table.loc[~is_hl, "exposure"], table.loc[~is_hl, "rate"], s=28,
               color=plots.PALETTE[0], alpha=0.85, zorder=3, label=names["units"])
    if is_hl.any():
        ax.scatter(table.loc[is_hl, "exposure"], table.loc[is_hl, "rate"], s=28,
                   color=plots.HIGHLIGHT, zorder=4)
    to_label = table[is_hl | (table["flag"] != "").to_numpy()]
    x_mid = (x.min() + x.max()) / 2
    for _, row in to_label.iterrows():
        colour = plots.HIGHLIGHT if row[label] in highlight else "#000000"
        right_half = row["exposure"] > x_mid  # label towards the inside of the axes
        ax.annotate(str(row[label]), (row["exposure"], row["rate"]),
                    xytext=(-4 if right_half else 4, 4), textcoords="offset points",
                    ha="right" if right_half else "left", fontsize=8, color=colour)

    ax.set_xlabel(names["x"])
    ax.set_ylabel(names["y"])
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_formatter(lambda v, _: fmt_int(v, "id"))
    ax.legend(fontsize=7.5, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.14),
              ncol=2)
    return fig
