"""Shared figure conventions and the checks every figure must pass.

Conventions: colour-blind-safe colours dark enough to mark data (at least 3:1 against the white
background, WCAG 1.4.11), a title that states the finding, a source line (agency, as-of date),
ticks in the figure's language (``1.116`` and ``72,8%`` in Indonesian), legends outside the
data. Figures are drawn once per language (:func:`finish` with ``lang``); bilingual labels
(:func:`bilingual`) remain for the figures that are not yet drawn per language.

Figures are drawn for a phone first: :data:`WIDTH_IN` inches wide with every text at least
:data:`MIN_FONT_PT`, so that on a 390 px phone, where a report shows the image about
:data:`PHONE_DISPLAY_PX` wide, no text renders below :data:`MIN_PHONE_TEXT_PX`.

Checks (used by tests/publish/test_plots.py and the brief's charts): :func:`text_overlaps` (no
text on text, on data or off the figure), :func:`marker_contrasts`, :func:`phone_text_px`.
"""
from __future__ import annotations

import itertools
import textwrap

import matplotlib
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.ticker import FuncFormatter

from .formatting import fmt_num

BACKGROUND = "#ffffff"
# Okabe-Ito hues, darkened where needed so that every one is >= 3:1 against white.
BLUE = "#0072B2"        # 5.1:1
VERMILLION = "#C85500"  # 3.9:1
GREEN = "#007A5A"       # 5.3:1 (Okabe-Ito bluish green, darker)
PURPLE = "#A8558A"      # 4.8:1 (reddish purple, darker)
ORANGE = "#A86A00"      # 4.4:1 (Okabe-Ito orange, darker)
SKY = "#2A7FB8"         # 4.4:1 (sky blue, darker)
BLACK = "#000000"
PALETTE = [BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY, "#6B6B00", BLACK]
HIGHLIGHT = VERMILLION  # Babel / the province under study
NEUTRAL = "#6B6B6B"     # 5.3:1
INK = "#1b1b1b"
MUTED = "#333333"

DPI = 150
WIDTH_IN = 6.0
MIN_FONT_PT = 11.0
TITLE_PT = 12.0
PHONE_VIEWPORT_PX = 390
# a report page on a 390 px phone leaves 368 px for an image (the page's phone CSS; checked in
# Chromium by tests/publish/test_browser.py); the figure checks assume a little less
PHONE_DISPLAY_PX = 360
MIN_PHONE_TEXT_PX = 9.0
MIN_MARKER_CONTRAST = 3.0

plt.rcParams.update({
    "figure.dpi": 100,
    "font.size": MIN_FONT_PT,
    "axes.titlesize": MIN_FONT_PT,
    "axes.labelsize": MIN_FONT_PT,
    "xtick.labelsize": MIN_FONT_PT,
    "ytick.labelsize": MIN_FONT_PT,
    "legend.fontsize": MIN_FONT_PT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.facecolor": BACKGROUND,
    "figure.facecolor": BACKGROUND,
    "svg.hashsalt": "netralitas",
    "path.simplify": True,
})

SOURCE = {"id": "Sumber", "en": "Source"}
SYNTHETIC = {"id": "SINTETIS", "en": "SYNTHETIC"}


def bilingual(id_text: str, en_text: str) -> str:
    """Label in Bahasa Indonesia first, English second."""
    return f"{id_text} / {en_text}"


def pick(lang: str, id_text: str, en_text: str) -> str:
    """The text in ``lang``; ``lang=None`` gives both (:func:`bilingual`)."""
    if lang is None:
        return bilingual(id_text, en_text)
    return id_text if lang == "id" else en_text


def wrap(text: str, width_in: float, size: float, em: float = 0.58) -> str:
    """``text`` broken into lines that fit ``width_in`` inches at ``size`` points (``em``: the
    average character width as a fraction of the size; bold text is wider)."""
    chars = max(16, int(width_in * 72 / (size * em)))
    return "\n".join("\n".join(textwrap.wrap(part, chars)) for part in text.split("\n"))


def number_axis(lang: str, digits: int | None = None) -> FuncFormatter:
    """Ticks in the language: '1.116' and '0,5' in Indonesian; a true minus sign."""
    def fmt(v, _):
        return fmt_num(v, lang, digits if digits is not None else
                       (0 if float(v).is_integer() else 1))
    return FuncFormatter(fmt)


def percent_axis(lang: str) -> FuncFormatter:
    """Ticks of a 0-100 axis: '25%'; decimals with the language's separator."""
    return FuncFormatter(lambda v, _: fmt_num(v, lang, 0 if float(v).is_integer() else 1) + "%")


def finish(fig, title: str, source: str, synthetic: bool = False, lang: str | None = None,
           legend=None) -> None:
    """Set the finding as title and the source line (agency, as-of date) under the axes.

    ``lang``: the figure's language ('id' or 'en'; None for a bilingual figure). Title and
    source are wrapped to the figure's width; the figure grows to hold them so that they never
    run into the axes. ``legend``: a figure legend to place between the axes and the source
    (its handles and labels from ``ax.get_legend_handles_labels()``), outside the data.
    """
    prefix = SYNTHETIC[lang] if lang else "SINTETIS / SYNTHETIC"
    if synthetic:
        title = f"{prefix}: {title}"
    source_word = SOURCE[lang] if lang else "Sumber / Source"
    w, h = fig.get_size_inches()
    title = wrap(title, w - 0.25, TITLE_PT, em=0.66)
    source = wrap(f"{source_word}: {source}", w - 0.25, MIN_FONT_PT, em=0.6)
    line = 1.28 / 72
    title_h = (title.count("\n") + 1) * TITLE_PT * line + 0.12
    source_h = (source.count("\n") + 1) * MIN_FONT_PT * line + 0.1
    legend_h = 0.0
    if legend is not None:
        handles, labels = legend
        ncol = 1 if max((len(lb) for lb in labels), default=0) > 28 else 2
        rows = -(-len(labels) // ncol) + sum(lb.count("\n") for lb in labels)
        legend_h = rows * MIN_FONT_PT * 1.45 / 72 + 0.15
    total = h + title_h + source_h + legend_h
    fig.set_size_inches(w, total)
    fig.text(0.01, 1 - 0.05 / total, title, ha="left", va="top", fontsize=TITLE_PT,
             fontweight="bold", color=INK)
    fig.text(0.01, 0.04 / total, source, ha="left", va="bottom", fontsize=MIN_FONT_PT,
             color=MUTED)
    if legend is not None:
        fig.legend(handles, labels, loc="lower left", frameon=False, ncol=ncol,
                   bbox_to_anchor=(0.01, (source_h + 0.02) / total), fontsize=MIN_FONT_PT,
                   borderaxespad=0, handlelength=1.8, columnspacing=1.0)
    fig.tight_layout(rect=(0, (source_h + legend_h + 0.02) / total, 1,
                           1 - (title_h + 0.02) / total), pad=0.4)


def laid_out(fig):
    """``fig`` with its layout final: drop the inert placeholder that ``Figure.tight_layout``
    leaves as the layout engine, so that ``savefig`` draws the figure once instead of twice
    (matplotlib draws a figure with any layout engine once more before printing it, to lay it
    out; the placeholder lays out nothing). The saved bytes are the same. A real layout engine
    (constrained layout) is kept."""
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    if isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine):
        fig.set_layout_engine(None)
    return fig


def label_points(ax, points, labels, colours=None, fontsize: float = MIN_FONT_PT,
                 gap_pt: float = 5.0) -> list:
    """Label data points without any label touching another label or a data point.

    ``points``: (x, y) in data coordinates. Each label is tried at 8 positions around its
    point, then further out with a leader line; the first free position wins. Returns the
    text artists."""
    fig = ax.figure
    fig.draw_without_rendering()  # lays the texts out as a draw does, without the pixels
    renderer = fig.canvas.get_renderer()
    taken = [t.get_window_extent(renderer) for t in ax.get_xticklabels() + ax.get_yticklabels()]
    placed = []
    data = _data_points(ax)
    ax_box = ax.get_window_extent(renderer)
    colours = colours or [INK] * len(labels)
    order = sorted(range(len(labels)), key=lambda i: -points[i][1])
    offsets = [(gap_pt, gap_pt), (-gap_pt, gap_pt), (gap_pt, -gap_pt), (-gap_pt, -gap_pt),
               (gap_pt, 0), (-gap_pt, 0), (0, gap_pt + 2), (0, -gap_pt - 2)]
    far = [(dx * k, dy * k) for k in (2.5, 4, 6, 8) for dx, dy in offsets]
    radius = 4.0 * fig.dpi / 72
    for i in order:
        x, y = points[i]
        for dx, dy in offsets + far:
            ha = "left" if dx > 0 else "right" if dx < 0 else "center"
            va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
            far_away = abs(dx) > gap_pt * 2 or abs(dy) > gap_pt * 3
            text = ax.annotate(
                labels[i], (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                fontsize=fontsize, color=colours[i],
                arrowprops=dict(arrowstyle="-", color=colours[i], lw=0.7, shrinkA=0,
                                shrinkB=3) if far_away else None)
            box = text.get_window_extent(renderer)
            hits_data = ((data[:, 0] > box.x0 - radius) & (data[:, 0] < box.x1 + radius)
                         & (data[:, 1] > box.y0 - radius) & (data[:, 1] < box.y1 + radius)).any()
            inside = (box.x0 >= ax_box.x0 - 2 and box.x1 <= ax_box.x1 + 2
                      and box.y0 >= ax_box.y0 - 2 and box.y1 <= ax_box.y1 + 2)
            if inside and not hits_data and not any(box.overlaps(b) for b in taken):
                taken.append(box)
                placed.append(text)
                break
            text.remove()
        else:  # nowhere free: keep the nearest position, the overlap test will say so
            placed.append(ax.annotate(labels[i], (x, y), xytext=offsets[0],
                                      textcoords="offset points", fontsize=fontsize,
                                      color=colours[i]))
    return placed


def hover(artist, texts) -> None:
    """Let each point of ``artist`` (a scatter, a line with markers, the markers of an
    ``errorbar``) say its value when the reader hovers over it or reads the chart with a screen
    reader: :func:`analysis.publish.outputs.save_figure` writes ``texts`` (one per point, in the
    figure's language) as ``<title>`` elements into the SVG, and the report shows that SVG.
    No JavaScript is involved."""
    fig = artist.figure
    entries = fig.__dict__.setdefault("_netralitas_hover", [])
    gid = f"hover-{len(entries) + 1}"
    artist.set_gid(gid)
    entries.append((gid, [str(t) for t in texts]))


def hover_entries(fig) -> list[tuple[str, list[str]]]:
    """What :func:`hover` recorded on ``fig``: ``[(svg id, texts)]``."""
    return list(fig.__dict__.get("_netralitas_hover", []))


# ----------------------------------------------------------------------------- checks

def _texts(fig) -> list[tuple[str, object]]:
    """(kind, artist) for every visible, non-empty text: figure texts (titles, source),
    axes titles and labels, tick labels, annotations and legends."""
    out = [("figure text", t) for t in fig.texts]
    for ax in fig.axes:
        out.append(("title", ax.title))
        if ax.axison:  # an axes drawn without axes (a map) has no ticks or axis labels
            out += [("xlabel", ax.xaxis.label), ("ylabel", ax.yaxis.label)]
            out += [("xtick", t) for t in _drawn_ticks(ax.get_xticklabels(), ax.get_xlim(), 0)]
            out += [("ytick", t) for t in _drawn_ticks(ax.get_yticklabels(), ax.get_ylim(), 1)]
        out += [("annotation", t) for t in ax.texts]
        if ax.get_legend():
            out.append(("legend", ax.get_legend()))
    for legend in fig.legends:
        out.append(("legend", legend))
    visible = []
    for kind, artist in out:
        if not artist.get_visible():
            continue
        if kind != "legend" and not artist.get_text().strip():
            continue
        visible.append((kind, artist))
    return visible


def _drawn_ticks(labels, limits, coord: int) -> list:
    """The tick labels matplotlib draws: those whose tick lies within the axis' view."""
    lo, hi = sorted(limits)
    eps = (hi - lo) * 1e-9
    return [t for t in labels if lo - eps <= t.get_position()[coord] <= hi + eps]


def _label(kind: str, artist) -> str:
    return f"{kind}: {artist.get_text()!r}" if kind != "legend" else "legend"


def _data_points(ax, step_px: float = 2.0) -> np.ndarray:
    """Display coordinates of the data drawn in ``ax``: line vertices, points every ``step_px``
    along lines and error bars, and scatter markers."""
    pts = []

    def add_path(xy):
        xy = np.asarray(xy, float)
        if xy.ndim != 2 or len(xy) == 0:
            return
        xy = xy[np.isfinite(xy).all(axis=1)]
        if len(xy) == 0:
            return
        pts.append(xy)
        for a, b in zip(xy[:-1], xy[1:]):
            n = int(np.hypot(*(b - a)) // step_px)
            if n > 1:
                pts.append(a + (b - a) * np.linspace(0, 1, n)[:, None])

    for line in ax.lines:
        if line.get_visible() and len(line.get_xydata()):
            add_path(line.get_transform().transform(line.get_xydata()))
    for coll in ax.collections:
        if not coll.get_visible():
            continue
        if isinstance(coll, LineCollection):
            for seg in coll.get_segments():
                add_path(ax.transData.transform(seg))
        elif isinstance(coll, PathCollection) and len(coll.get_offsets()):
            pts.append(coll.get_offset_transform().transform(np.asarray(coll.get_offsets())))
    return np.vstack(pts) if pts else np.empty((0, 2))


def text_overlaps(fig) -> list[tuple[str, str]]:
    """Draw the canvas and return every pair of texts whose bounding boxes intersect (titles,
    axis labels, tick labels, legends, annotations); every annotation or legend that covers
    data (a line, marker or error bar of the axes) as ``(text, 'data')``; and every text cut
    by the figure's edge as ``(text, 'figure edge')``. Empty when the figure is clean.

    The layout comes from ``Figure.draw_without_rendering``: the same positions and text
    extents as a full draw (the renderer measures text the same way), without rasterising
    the figure, which cost about a tenth of a notebook's run."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    items = [(kind, a, a.get_window_extent(renderer)) for kind, a in _texts(fig)]
    out = []
    for (k1, a1, b1), (k2, a2, b2) in itertools.combinations(items, 2):
        if b1.width and b2.width and b1.overlaps(b2):
            out.append((_label(k1, a1), _label(k2, a2)))
    edge = fig.bbox
    for kind, artist, box in items:
        if box.x0 < edge.x0 - 1 or box.x1 > edge.x1 + 1 or box.y0 < edge.y0 - 1 \
                or box.y1 > edge.y1 + 1:
            out.append((_label(kind, artist), "figure edge"))
    for ax in fig.axes:
        data = _data_points(ax)
        if not len(data):
            continue
        radius = max([line.get_markersize() for line in ax.lines] + [0]) / 2 * fig.dpi / 72
        for kind, artist, box in items:
            if kind in ("xtick", "ytick", "xlabel", "ylabel", "title", "figure text"):
                continue
            if kind == "annotation" and artist.axes is not ax:
                continue
            inside = ((data[:, 0] > box.x0 - radius) & (data[:, 0] < box.x1 + radius)
                      & (data[:, 1] > box.y0 - radius) & (data[:, 1] < box.y1 + radius))
            if inside.any():
                out.append((_label(kind, artist), "data"))
    return out


def _luminance(colour) -> float:
    r, g, b = mcolors.to_rgb(colour)
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a, b=BACKGROUND) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _over_background(colour, alpha=None) -> tuple:
    r, g, b, a = mcolors.to_rgba(colour, alpha)
    bg = mcolors.to_rgb(BACKGROUND)
    return tuple(a * c + (1 - a) * k for c, k in zip((r, g, b), bg))


def marker_contrasts(fig) -> list[tuple[str, str, float]]:
    """(what, colour, WCAG contrast against the background) for every colour that marks data:
    marker edges and faces of lines and scatters (a hollow marker's face is the background by
    design) and error-bar colours, blended with their alpha. Reference lines and limits are
    not markers and are not listed."""
    out = []
    for ax in fig.axes:
        for line in ax.lines:
            if not line.get_visible() or line.get_marker() in ("None", "", " ", None):
                continue
            c = _over_background(line.get_markeredgecolor(), line.get_alpha())
            out.append((f"marker {line.get_label()}", mcolors.to_hex(c), contrast_ratio(c)))
        for coll in ax.collections:
            if not coll.get_visible():
                continue
            if isinstance(coll, PathCollection):
                colours = list(coll.get_facecolor()) or list(coll.get_edgecolor())
                what = "scatter"
            elif isinstance(coll, LineCollection):
                colours, what = list(coll.get_edgecolor()), "error bar"
            else:
                continue
            for colour in colours:
                c = _over_background(colour)
                out.append((what, mcolors.to_hex(c), contrast_ratio(c)))
    return out


def phone_text_px(fig, display_px: float = PHONE_DISPLAY_PX) -> float:
    """The smallest text of ``fig`` in CSS px when the image is shown ``display_px`` wide:
    font pt / 72 x (display width / figure width in inches)."""
    sizes = []
    for kind, artist in _texts(fig):
        if kind == "legend":
            sizes += [t.get_fontsize() for t in artist.get_texts()]
        else:
            sizes.append(artist.get_fontsize())
    return min(sizes) / 72 * display_px / fig.get_size_inches()[0]


def figure_checks(fig) -> dict:
    """Everything a published figure must pass, as plain data: ``overlaps``
    (:func:`text_overlaps`), ``phone_text_px`` (:func:`phone_text_px`) and ``low_contrast``
    (markers below :data:`MIN_MARKER_CONTRAST`, from :func:`marker_contrasts`)."""
    return {
        "overlaps": [list(pair) for pair in text_overlaps(fig)],
        "phone_text_px": round(phone_text_px(fig), 2),
        "low_contrast": [[what, colour, round(ratio, 2)] for what, colour, ratio
                         in marker_contrasts(fig) if ratio < MIN_MARKER_CONTRAST],
    }
