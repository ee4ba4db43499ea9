"""Shared by the view tests: a figure drawn in both languages passes every published figure's
checks (no text on text, data or the edge; text legible on a phone; markers in contrast)."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from analysis.publish import plots


@pytest.fixture
def drawn_clean():
    """``drawn_clean(draw)``: draws ``draw(lang)`` in Indonesian and English, asserts each passes
    :func:`analysis.publish.plots.figure_checks` and has alt text, returns the two titles'
    texts and alts as {lang: (title, alt)}."""
    def check(draw):
        out = {}
        for lang in ("id", "en"):
            fig, alt = draw(lang)
            try:
                checks = plots.figure_checks(fig)
                assert checks["overlaps"] == [] and checks["low_contrast"] == [], checks
                assert checks["phone_text_px"] >= plots.MIN_PHONE_TEXT_PX, checks
                assert alt.strip()
                out[lang] = (fig.texts[0].get_text().replace("\n", " "), alt)
            finally:
                plt.close(fig)
        return out
    return check
