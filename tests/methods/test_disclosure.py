"""Small-cell suppression: primary and complementary suppression, checked by linear programming."""
import numpy as np
import pandas as pd
import pytest

from analysis.methods import disclosure as d


def _long(matrix):
    m = np.asarray(matrix)
    return pd.DataFrame([(f"r{i}", f"c{j}", int(m[i, j])) for i in range(m.shape[0])
                         for j in range(m.shape[1])], columns=["r", "c", "n"])


def _cell(res, r, c):
    return res[(res["r"] == r) & (res["c"] == c)].iloc[0]


def test_row_with_one_small_cell_gets_the_smallest_complement():
    res = d.suppress(_long([[3, 10, 20], [12, 30, 40], [15, 25, 50]]), "r", "c", "n")
    assert _cell(res, "r0", "c0")["display"] == "<5"
    assert _cell(res, "r0", "c1")["complementary"]          # 10 < 20: the smallest in the row
    assert _cell(res, "r0", "c1")["display"] == "–"
    assert not _cell(res, "r0", "c2")["suppressed"]
    hidden = res[res["suppressed"]]
    # every line of the table with a hidden cell has at least two
    for key in ("r", "c"):
        per_line = hidden.groupby(key).size()
        assert (per_line >= 2).all()
    assert d.recoverable_cells(res).empty


def test_margins_are_consistent_and_shown():
    table = _long([[3, 10, 20], [12, 30, 40]])
    res = d.suppress(table, "r", "c", "n")
    wide = d.to_wide(res, "n")
    assert list(wide.columns)[-1] == "Total" and list(wide.index)[-1] == "Total"
    np.testing.assert_array_equal(wide.iloc[:-1, -1], wide.iloc[:-1, :-1].sum(axis=1))
    np.testing.assert_array_equal(wide.iloc[-1, :-1], wide.iloc[:-1, :-1].sum(axis=0))
    assert wide.iloc[-1, -1] == table["n"].sum()
    assert not res[res["margin"]]["suppressed"].any()


def test_small_margin_is_suppressed_too():
    res = d.suppress(_long([[1, 2, 0], [20, 30, 40], [25, 35, 45]]), "r", "c", "n")
    assert _cell(res, "r0", "Total")["primary"]              # row total 3 is a small count
    assert d.recoverable_cells(res).empty


def test_zeros_shown_by_default_and_suppressible():
    table = _long([[0, 10, 20], [12, 30, 40], [15, 25, 50]])
    assert not d.suppress(table, "r", "c", "n")["suppressed"].any()
    res = d.suppress(table, "r", "c", "n", suppress_zeros=True)
    assert _cell(res, "r0", "c0")["primary"]
    assert d.recoverable_cells(res).empty


def test_without_totals_only_primary_suppression():
    res = d.suppress(_long([[3, 10], [12, 30]]), "r", "c", "n", totals=False)
    assert res["suppressed"].sum() == 1 and not res["margin"].any()


def test_lp_finds_a_single_hidden_cell_in_a_row():
    res = d.suppress(_long([[3, 10, 20], [12, 30, 40]]), "r", "c", "n")
    naive = res.copy()
    naive["suppressed"] = naive["primary"]            # primary only: the margin gives it away
    risky = d.recoverable_cells(naive)
    assert len(risky) == 1 and risky.iloc[0]["lp_min"] == pytest.approx(3)
    assert risky.iloc[0]["exact"]


def test_random_tables_no_suppressed_cell_can_be_solved_for():
    rng = np.random.default_rng(20240601)
    checked = 0
    for k in range(200):
        lam = rng.choice([1.5, 3.0, 6.0, 12.0])
        res = d.suppress(_long(rng.poisson(lam, size=(5, 4))), "r", "c", "n")
        checked += int(res["suppressed"].sum())
        assert d.recoverable_cells(res).empty
        if k < 20 and res["suppressed"].any():  # exact intervals on a subset
            iv = d.cell_intervals(res)
            assert not iv["at_risk"].any()
            # the true value lies inside the attacker's interval
            assert ((iv["lp_min"] <= iv["n"] + 1e-6) & (iv["n"] <= iv["lp_max"] + 1e-6)).all()
        shown = res[~res["suppressed"]]
        small = shown[(shown["n"] > 0) & (shown["n"] < 5)]
        assert small.empty                       # no small count is ever displayed
    assert checked > 500


def test_one_way_list():
    res = d.suppress_one_way({"a": 3, "b": 10, "c": 20})
    assert list(res["display"]) == ["<5", "–", "20", "33"]
    assert d.recoverable_cells(res).empty
    naive = res.copy()
    naive["suppressed"] = naive["primary"]
    assert len(d.recoverable_cells(naive)) == 1
    two = d.suppress_one_way([2, 3, 40])
    assert list(two["complementary"]) == [False, False, False, False]
    assert d.suppress_one_way([2, 1]).loc[2, "primary"]   # total 3 is small too


def test_a_risk_table_drops_rows_with_few_at_risk_and_hides_small_counts():
    from analysis.methods.disclosure import protect_risk_table

    table = pd.DataFrame({"time": [0, 30, 60, 90], "n_risk": [40, 12, 6, 3],
                          "n_event": [0, 4, 5, 2], "survival": [1.0, 0.7, 0.4, 0.1]})
    out = protect_risk_table(table, ["n_risk", "n_event"])
    assert out["time"].tolist() == [0, 30, 60]  # fewer than 5 at risk: the curve stops
    assert out["n_event"].tolist() == ["0", "<5", "5"]
    assert out["n_risk"].tolist() == ["40", "10", "5"]  # rounded to the nearest 5
    assert out["survival"].tolist() == [1.0, 0.7, 0.4]


def test_rounded_counts_by_hand():
    from analysis.methods.disclosure import rounded_count

    assert [rounded_count(v) for v in (0, 1, 4, 5, 7, 8, 12, 13, 1362)] == [
        "0", "<5", "<5", "5", "5", "10", "10", "15", "1360"]


def test_no_small_count_can_be_recovered_from_a_published_risk_table():
    """12 at risk at day 30, 6 at day 60 with 5 events between: published exactly, the
    censored case (12 - 6 - 5 = 1) would be recovered. Every true table that rounds to what is
    published must leave it undetermined."""
    from itertools import product

    from analysis.methods.disclosure import protect_risk_table, rounded_count

    table = pd.DataFrame({"time": [30, 60], "n_risk": [12, 6], "n_event": [4, 5],
                          "n_censor": [0, 1]})
    out = protect_risk_table(table, ["n_risk", "n_event", "n_censor"])
    shown = out[["n_risk", "n_event", "n_censor"]].to_numpy().tolist()

    def rounds_to(value, text, at_risk=False):
        return (not at_risk or value >= 5) and rounded_count(value) == text

    censored = set()
    for r30, r60, e60, c60 in product(range(0, 40), repeat=4):
        if (rounds_to(r30, shown[0][0], True) and rounds_to(r60, shown[1][0], True)
                and rounds_to(e60, shown[1][1]) and rounds_to(c60, shown[1][2])
                and r30 - r60 == e60 + c60):  # everyone who left was an event or censored
            censored.add(c60)
    assert 1 in censored and len(censored) > 1


# --------------------------------------------------------------------------- survival curves
def test_event_data_rounded_by_hand():
    # events at days 1, 2, 3, 7, 9, 10 (cumulative 1..6) and censored at 2 and 9 (1, 2):
    # cumulative counts 1-5 become 3 and 6-10 become 8 (midpoints of blocks of 5)
    f = pd.DataFrame({"t": [1, 2, 2, 3, 7, 9, 9, 10], "e": [1, 1, 0, 1, 1, 0, 1, 1]})
    got = d.rounded_event_data(f, "t", "e").groupby(["e", "t"]).size().to_dict()
    assert got == {(0, 2): 3, (1, 1): 3, (1, 10): 5}
    by = d.rounded_event_data(f.assign(g=list("aabbaaab")), "t", "e", by="g")
    assert by.groupby(["g", "e", "t"]).size().to_dict() == {
        ("a", 0, 9): 3, ("a", 1, 1): 3, ("b", 0, 2): 3, ("b", 1, 3): 3}
    with pytest.raises(ValueError, match="base"):
        d.rounded_event_data(f, "t", "e", base=0)


def test_event_data_with_base_one_give_the_kaplan_meier_of_the_data():
    from analysis.methods import survival

    rng = np.random.default_rng(4)
    f = pd.DataFrame({"t": rng.integers(0, 400, 300), "e": rng.integers(0, 2, 300)})
    at = [0, 30, 90, 180, 365]
    exact = survival.kaplan_meier(f, "t", "e", conf_type="log-log", at=at).tidy()
    rebuilt = survival.kaplan_meier(d.rounded_event_data(f, "t", "e", base=1), "t", "e",
                                    conf_type="log-log", at=at).tidy()
    pd.testing.assert_frame_equal(rebuilt, exact)


def test_published_curves_depend_on_the_rounded_counts_only():
    """Two registers whose cumulative counts round alike give the same published curve, though
    the exact Kaplan-Meier tells them apart (it gives away one event between two days read)."""
    from analysis.methods import survival

    # 20 followed: events on days 10, 20, 35 and 50, the others censored on day 200; in b the
    # second event is on day 45 instead of 20. The exact curve at day 30 says which (0.90 or
    # 0.95): one event. Cumulative counts 1-5 all round to 3, so the published curves agree.
    a = pd.DataFrame({"t": [10, 20, 35, 50] + [200] * 16, "e": [1] * 4 + [0] * 16})
    b = a.assign(t=[10, 45, 35, 50] + [200] * 16)
    at = [0, 30, 60, 90, 180]
    exact_a = survival.kaplan_meier(a, "t", "e", at=at).tidy()
    exact_b = survival.kaplan_meier(b, "t", "e", at=at).tidy()
    assert exact_a["estimate"].round(2).tolist()[1] == 0.90
    assert exact_b["estimate"].round(2).tolist()[1] == 0.95
    safe_a = survival.kaplan_meier(d.rounded_event_data(a, "t", "e"), "t", "e", at=at).tidy()
    safe_b = survival.kaplan_meier(d.rounded_event_data(b, "t", "e"), "t", "e", at=at).tidy()
    pd.testing.assert_frame_equal(safe_a, safe_b)
