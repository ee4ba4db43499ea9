"""Report 07 for readers: the sentence and the tile map's title count the provinces by status
(a difference only where supported), the chosen province is outlined, every province is a row."""
import pandas as pd
import pytest

from analysis.publish import tile_map
from analysis.publish.formatting import fmt_int
from analysis.publish.views import province_map as view


@pytest.fixture
def table():
    """Every tile's province: the first supported, two listed, one with figures, the rest none."""
    regions = sorted(tile_map.TILES)
    status = ["supported", "listed", "listed", "figures"] + ["none"] * (len(regions) - 4)
    listed = [s in ("supported", "listed") for s in status]
    return pd.DataFrame({
        "region": regions, "status": status,
        "verdict": ["supported" if s == "supported" else "cannot tell" for s in status],
        "n_figures": [4 if s != "none" else 0 for s in status],
        "latest_election": ["Pilkada 2020" if x else None for x in listed],
        "latest_count": [10 if x else None for x in listed],
        "latest_rate": [1.2 if x else None for x in listed],
        "latest_date": ["2020-12-16" if x else None for x in listed],
        "date_basis": ["as_of" if x else None for x in listed],
        "days_since_vote": [7 if x else None for x in listed]})


def test_counts_sentence_and_title_say_one_differs_in_the_singular(table, drawn_clean):
    n = {"supported": 1, "suggestive": 0, "listed": 2, "figures": 1, "none": len(table) - 4,
         "listed_any": 3, "total": len(table)}
    text = view.counts_text(n)
    assert f"Dari {len(table)} provinsi, 3 tercantum" in text and "1 differs from" in text
    assert "2 differ from" in view.counts_text(n | {"supported": 2})
    drawn = drawn_clean(lambda lang: view.draw_tiles(table, n, "2020-12-16", "Bali", lang))
    assert drawn["en"][0].startswith(f"{fmt_int(3, 'en')} of {len(table)} provinces")
    assert "thick outline: Bali" not in drawn["en"][0]  # the source line, not the title


def test_every_province_is_a_row_with_its_verdict_in_words(table):
    html = view.provinces_table(table, 10_000).data
    assert html.count("<tr>") == len(table) + 1
    assert "didukung / <span" in html and "Per 10.000 PNS" in html
