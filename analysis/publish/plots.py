"""Shared figure conventions: colour-blind-safe palette, a title that states the finding, a
source line (agency, as-of date) and bilingual labels.

Every chart goes through :func:`finish`; SYNTHETIC data is marked in the title.
"""
from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000"]
HIGHLIGHT = "#D55E00"  # Babel / the province under study
NEUTRAL = "#7F7F7F"

plt.rcParams.update({
    "figure.dpi": 100,
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "svg.hashsalt": "netralitas",
    "path.simplify": True,
})


def bilingual(id_text: str, en_text: str) -> str:
    """Label in Bahasa Indonesia first, English second."""
    return f"{id_text} / {en_text}"


def finish(fig, title: str, source: str, synthetic: bool = False) -> None:
    """Set the finding as title and the source line (agency, as-of date) under the axes."""
    if synthetic:
        title = "SINTETIS / SYNTHETIC: " + title
    fig.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold", wrap=True)
    fig.text(0.01, 0.005, "Sumber / Source: " + source, ha="left", va="bottom", fontsize=7.5,
             color="#333333", wrap=True)
    fig.tight_layout(rect=(0, 0.05, 1, 0.95))
