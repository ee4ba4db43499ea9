"""Drawing a funnel plot from the tidy table of :func:`analysis.methods.funnel.funnel_table`
(``estimate`` the rate, the summary in ``attrs["summary"]``), in one language.

Every province outside the limits (outside the overdispersion-adjusted 95% limits when the
table has them, or above the exact 99.8% limit), every province flagged after FDR control and
the province under study are labelled, with short names placed where they touch no other label
and no data. The legend sits under the axes, outside the data.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from ..methods.funnel import summary_limits
from . import plots
from .formatting import fmt_int, fmt_num
from .tile_map import short_name


def default_labels(per: float = 10_000, lang: str | None = None) -> dict:
    """Axis and legend labels in ``lang`` ('id', 'en'; None: both, Indonesian first)."""
    per_id, per_en = fmt_int(per, "id"), fmt_int(per, "en")
    p = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    return {
        "x": p("pegawai negeri sipil (PNS) di provinsi", "civil servants (PNS) in the province"),
        "y": p(f"pelanggaran per {per_id} PNS", f"violations per {per_en} PNS"),
        "target": p("angka nasional", "national rate"),
        "95": p("batas 95%", "95% limits"),
        "998": p("batas 99,8%", "99.8% limits"),
        "adjusted": p("disesuaikan overdispersi", "adjusted for overdispersion"),
        "units": p("provinsi", "provinces"),
        "outside": p("provinsi di luar batas", "provinces outside the limits"),
    }


def labelled_units(table: pd.DataFrame, highlight: list, label: str) -> pd.Series:
    """True for the units the plot names: outside the adjusted 95% limits, above the exact
    99.8% limit, FDR-flagged, or highlighted. (Provinces below the exact limits crowd the foot
    of the funnel; the report lists them in its text.)"""
    adjusted = table["position_adj"] if "position_adj" in table else table["position"]
    exact = table["position"].fillna("inside")
    beyond_exact = exact == "above_998"
    return (table[label].isin(highlight) | (table["flag"] != "") | beyond_exact
            | (adjusted.fillna("inside") != "inside"))


def point_texts(table: pd.DataFrame, label: str, per: float, lang: str) -> list[str]:
    """What each province's point says on hover: its rate, count and PNS."""
    cases, pns = ("kasus", "PNS") if lang == "id" else ("cases", "PNS")
    return [f"{name}: {fmt_num(rate, lang, 2)} per {fmt_int(per, lang)} {pns} "
            f"({fmt_int(count, lang)} {cases}, {fmt_int(exposure, lang)} {pns})"
            for name, rate, count, exposure in zip(table[label], table["estimate"],
                                                   table["observed"], table["exposure"])]


def plot_funnel(table: pd.DataFrame, limits: pd.DataFrame | None = None, highlight=None,
                per: float = 10_000, labels: dict | None = None, label: str | None = None,
                ax=None, lang: str | None = None, title: str | None = None,
                source: str | None = None):
    """Funnel plot of ``table`` (from :func:`funnel_table`) against exposure.

    ``limits``: from :func:`funnel_limits` (rates per unit of exposure; multiplied by ``per``
    here); if None, built from the table's ``attrs["summary"]`` over a 200-point grid. Exact 95%
    and 99.8% limits are solid; ``adj_*`` columns, if present, are drawn dashed. ``highlight``: a
    unit name (or list) drawn in ``plots.HIGHLIGHT``. ``label``: the unit-name column (default:
    the table's first column). ``lang``: the language of the labels and ticks. ``title`` and
    ``source``: set by :func:`plots.finish` with the legend under the axes, before the labels
    are placed (so that they are placed in the final layout). Returns the Figure.
    """
    names = dict(default_labels(per, lang), **(labels or {}))
    tick_lang = lang or "id"
    label = label or table.columns[0]
    if limits is None:
        limits = summary_limits(table.attrs["summary"], table["exposure"])
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
        fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 4.6))
    else:
        fig = ax.figure

    x = limits["exposure"].to_numpy()
    ax.axhline(table["target_rate"].iloc[0], color=plots.GREEN, lw=1.2, ls=":",
               label=names["target"])
    styles = {"95": dict(color=plots.NEUTRAL, lw=1.0), "998": dict(color="#333333", lw=1.4)}
    for tag, style in styles.items():
        ax.plot(x, limits[f"high_{tag}"] * per, label=names[tag], **style)
        ax.plot(x, limits[f"low_{tag}"] * per, **style)
        if f"adj_high_{tag}" in limits:
            ax.plot(x, limits[f"adj_high_{tag}"] * per, ls="--",
                    label=f"{names[tag]}, {names['adjusted']}", **style)
            ax.plot(x, limits[f"adj_low_{tag}"] * per, ls="--", **style)

    is_hl = table[label].isin(highlight).to_numpy()
    plots.hover(ax.scatter(table.loc[~is_hl, "exposure"], table.loc[~is_hl, "estimate"], s=30,
                           color=plots.BLUE, zorder=3, label=names["units"]),
                point_texts(table[~is_hl], label, per, tick_lang))
    if is_hl.any():
        plots.hover(ax.scatter(table.loc[is_hl, "exposure"], table.loc[is_hl, "estimate"], s=60,
                               marker="D", color=plots.HIGHLIGHT, zorder=4,
                               label=", ".join(short_name(h) for h in highlight)),
                    point_texts(table[is_hl], label, per, tick_lang))
    ax.set_xlabel(names["x"])
    ax.set_ylabel(names["y"])
    ax.set_ylim(bottom=0, top=max(table["estimate"].max(), limits["high_95"].max() * per) * 1.15)
    ax.set_xlim(left=0)
    ax.xaxis.set_major_formatter(plots.number_axis(tick_lang, 0))
    ax.yaxis.set_major_formatter(plots.number_axis(tick_lang))
    ax.xaxis.set_major_locator(plt.MaxNLocator(4))
    if title is not None:
        plots.finish(fig, title, source or "", lang=lang, legend=ax.get_legend_handles_labels())
    else:
        fig.tight_layout()
    named = table[labelled_units(table, highlight, label).to_numpy()]
    plots.label_points(
        ax, list(zip(named["exposure"], named["estimate"])),
        [short_name(n) for n in named[label]],
        [plots.HIGHLIGHT if n in highlight else plots.INK for n in named[label]])
    return fig


FORM_NAMES = {"poisson": "Poisson", "multiplicative": "clustered reports only (phi)",
              "random_rates": "rates that differ only (omega)", "both": "both"}


def limits_source(table: pd.DataFrame, lang: str = "en") -> str:
    """The source line's words for the dashed limits of a province funnel
    (``findings.provinces.province_funnel``): the variance form behind them, fitted or a bound."""
    form, kind = table.attrs["form"], table.attrs["phi_kind"]
    phi, omega = fmt_num(form.phi, lang, 2), fmt_num(form.omega, lang, 2)
    sep = "; " if lang == "id" else ", "
    eq, ge = "\u00a0=\u00a0", "\u00a0≥\u00a0"  # no line break inside "φ = 1.00"
    if kind == "lower bound":
        return plots.pick(lang, "batas binomial negatif, sekurang-kurangnya selebar batas bawah "
                          f"tiap bentuk ragam (φ{ge}{phi}{sep}ω{ge}{omega})",
                          "negative-binomial limits at least as wide as either variance form at "
                          f"its lower bound (φ{ge}{phi}{sep}ω{ge}{omega})")
    where = plots.pick(lang, "provinsi yang tercantum saja" if kind == "not estimable"
                       else "semua provinsi", "the listed provinces only"
                       if kind == "not estimable" else "all provinces")
    return plots.pick(lang, f"batas binomial negatif, ragam φμ + ωμ² dipaskan pada {where} "
                      f"(φ{eq}{phi}{sep}ω{eq}{omega})",
                      f"negative-binomial limits, variance φμ + ωμ² fitted to {where} "
                      f"(φ{eq}{phi}{sep}ω{eq}{omega})")


def form_note(table: pd.DataFrame) -> str:
    """The researcher's note on the variance form of a province funnel (English): the form, what
    its parts mean, and which form the provinces support (AIC), or why it cannot be checked."""
    form, aic = table.attrs["form"], table.attrs["form_aic"]
    if not aic:
        return ("variance form not checkable on a partial list: limits at least as wide as "
                f"clustered reports with phi >= {fmt_num(form.phi, 'en', 2)} or rates that "
                f"differ with omega >= {fmt_num(form.omega, 'en', 2)}, whichever is wider")
    scores = "; ".join(f"{FORM_NAMES[k]} {fmt_num(v, 'en', 1)}" for k, v in aic.items())
    return (f"variance phi·mu + omega·mu² with phi = {fmt_num(form.phi, 'en', 2)} (clustered "
            f"reports) and omega = {fmt_num(form.omega, 'en', 2)} (rates that differ: CV "
            f"{fmt_num(100 * form.omega ** 0.5, 'en', 0)}%); AIC {scores}: the provinces point "
            f"to {FORM_NAMES[table.attrs['form_preferred']]}")
