"""A tile map of Indonesia's 38 provinces: one square per province on a hand-placed grid that
approximates geography (west to east: Sumatra, Java and Nusa Tenggara, Kalimantan, Sulawesi,
Maluku, Papua). No map data is needed. Tiles carry a short name and are coloured by a category
the caller computes (a verdict, data availability); the legend is under the map.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import Patch, Rectangle

from . import plots

# (column, row), row 0 at the top
TILES = {
    "Aceh": (0, 0), "Sumatera Utara": (1, 1), "Riau": (2, 1), "Kepulauan Riau": (3, 1),
    "Sumatera Barat": (1, 2), "Jambi": (2, 2), "Kepulauan Bangka Belitung": (3, 2),
    "Bengkulu": (1, 3), "Sumatera Selatan": (2, 3), "Lampung": (2, 4),
    "DKI Jakarta": (3, 4), "Banten": (2, 5), "Jawa Barat": (3, 5), "Jawa Tengah": (4, 5),
    "DI Yogyakarta": (4, 6), "Jawa Timur": (5, 5), "Bali": (6, 5),
    "Nusa Tenggara Barat": (7, 5), "Nusa Tenggara Timur": (8, 5),
    "Kalimantan Utara": (5, 1), "Kalimantan Barat": (4, 2), "Kalimantan Tengah": (5, 2),
    "Kalimantan Timur": (6, 2), "Kalimantan Selatan": (5, 3),
    "Gorontalo": (7, 1), "Sulawesi Utara": (8, 1), "Sulawesi Tengah": (7, 2),
    "Sulawesi Barat": (6, 3), "Sulawesi Selatan": (7, 3), "Sulawesi Tenggara": (8, 3),
    "Maluku Utara": (9, 1), "Maluku": (9, 3),
    "Papua Barat Daya": (10, 1), "Papua Barat": (10, 2), "Papua": (11, 1),
    "Papua Tengah": (11, 2), "Papua Pegunungan": (12, 2), "Papua Selatan": (12, 3),
}

SHORT = {
    "Aceh": "Aceh", "Sumatera Utara": "Sumut", "Riau": "Riau", "Kepulauan Riau": "Kepri",
    "Sumatera Barat": "Sum-\nbar", "Jambi": "Jambi", "Kepulauan Bangka Belitung": "Babel",
    "Bengkulu": "Beng-\nkulu", "Sumatera Selatan": "Sum-\nsel", "Lampung": "Lam-\npung",
    "DKI Jakarta": "DKI", "Banten": "Ban-\nten", "Jawa Barat": "Jabar", "Jawa Tengah": "Ja-\nteng",
    "DI Yogyakarta": "DIY", "Jawa Timur": "Jatim", "Bali": "Bali", "Nusa Tenggara Barat": "NTB",
    "Nusa Tenggara Timur": "NTT", "Kalimantan Utara": "Kal-\ntara", "Kalimantan Barat": "Kal-\nbar",
    "Kalimantan Tengah": "Kal-\nteng", "Kalimantan Timur": "Kal-\ntim",
    "Kalimantan Selatan": "Kal-\nsel", "Gorontalo": "Goron\ntalo", "Sulawesi Utara": "Sulut",
    "Sulawesi Tengah": "Sul-\nteng", "Sulawesi Barat": "Sul-\nbar", "Sulawesi Selatan": "Sul-\nsel",
    "Sulawesi Tenggara": "Sul-\ntra", "Maluku Utara": "Malut", "Maluku": "Ma-\nluku",
    "Papua Barat Daya": "PBD", "Papua Barat": "Pa-\nbar", "Papua": "Papua",
    "Papua Tengah": "Pa-\nteng", "Papua Pegunungan": "Pa-\npeg", "Papua Selatan": "Pa-\nsel",
}


# The categories of the province overview (report 07): fill, tile text colour, legend (id, en).
OVERVIEW_CATEGORIES = {
    "supported": ("#A34400", "white", ("berbeda: didukung", "differs: supported")),
    "suggestive": ("#E8A33D", plots.INK, ("berbeda: indikatif", "differs: suggestive")),
    "listed": ("#7FB2D5", plots.INK, ("dalam daftar, belum dapat disimpulkan",
                                      "listed, cannot tell")),
    "figures": ("#D4E4F0", plots.INK, ("ada angka, tidak dalam daftar provinsi",
                                       "figures, in no province list")),
    "none": ("#F2F2F2", plots.INK, ("belum ada angka", "no figures yet")),
}


def short_name(region: str) -> str:
    """The short name of a province on one line ('Babel', 'Sulsel'); other names unchanged."""
    return SHORT.get(region, region).replace("-\n", "").replace("\n", "")


def tile_label(region: str) -> str:
    """The label drawn in a tile: the short name, broken after its first syllable when it has
    more than four letters on a line (at the smallest legible font a tile holds four)."""
    lines = []
    for line in SHORT.get(region, region).split("\n"):
        word = line.rstrip("-")
        if len(word) > 4:
            # Indonesian syllables: V-CV (Su-mut, Ba-bel), VC-CV (Jam-bi, Kep-ri)
            v = next((i for i, ch in enumerate(word) if ch.lower() in "aeiou"), 1)
            two_consonants = (v + 2 < len(word) and word[v + 1].lower() not in "aeiou"
                              and word[v + 2].lower() not in "aeiou")
            cut = v + 2 if two_consonants else v + 1
            lines += [word[:cut] + "-", word[cut:] + ("-" if line.endswith("-") else "")]
        else:
            lines.append(line)
    return "\n".join(lines)


def plot_tile_map(categories: dict, colours: dict, labels: dict, highlight: str | None = None,
                  text_colours: dict | None = None):
    """Draw the 38 tiles. ``categories``: province -> category key; ``colours``: category ->
    fill colour; ``labels``: category -> legend text (in the figure's language);
    ``text_colours``: category -> tile text colour (default dark ink; choose white on dark
    fills). ``highlight``: a province outlined in black. Returns (fig, ax); title and source
    are left to :func:`plots.finish` (pass ``legend=legend_handles(...)``)."""
    missing = sorted(set(TILES) - set(categories))
    if missing:
        raise ValueError(f"no category for {missing}")
    text_colours = text_colours or {}
    ncol = max(c for c, _ in TILES.values()) + 1
    nrow = max(r for _, r in TILES.values()) + 1
    # room enough that the equal-aspect tiles take the full width (title and legend come after)
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, plots.WIDTH_IN * nrow / ncol * 1.12))
    for region, (c, r) in TILES.items():
        cat = categories[region]
        edge = plots.INK if region == highlight else "white"
        ax.add_patch(Rectangle((c, -r), 0.96, 0.96, facecolor=colours[cat], edgecolor=edge,
                               lw=2.2 if region == highlight else 0.5))
        ax.text(c + 0.48, -r + 0.48, tile_label(region), ha="center", va="center",
                fontsize=plots.MIN_FONT_PT,
                color=text_colours.get(cat, plots.INK), linespacing=0.95, gid=f"tile:{region}")
    ax.set_xlim(-0.05, ncol)
    ax.set_ylim(-nrow + 0.95, 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def legend_handles(colours: dict, labels: dict, order=None):
    """(handles, labels) for :func:`plots.finish`'s ``legend``."""
    keys = list(order or labels)
    return ([Patch(facecolor=colours[k], edgecolor="#666666") for k in keys],
            [labels[k] for k in keys])
