"""Every count table published from one register, protected together: the tables of notebooks
05 and 06 share cells and margins, so the attacker runs over all of them at once, and no hidden
cell of any of them may be narrower than the threshold."""
import pandas as pd
import pytest

from analysis.findings import register_overview as ro
from analysis.data.registers import opening
from analysis.findings import register_tables as rt
from analysis.methods import disclosure

from test_register_overview import tiny

BABEL = ["Bangka", "Bangka Barat", "Bangka Selatan", "Bangka Tengah", "Belitung",
         "Belitung Timur", "Kota Pangkalpinang", "Kepulauan Bangka Belitung"]


@pytest.fixture(scope="module")
def demo():
    opened = opening.open_register("")  # the SYNTHETIC demo register
    cases, meta = opened.cases, opened.meta
    return cases, meta


def _both(cases, meta, regions=BABEL):
    return {**rt.overview_tables(cases, meta), **rt.supervision_tables(cases, meta, regions)}


@pytest.fixture(scope="module")
def demo_tables(demo):
    return _both(*demo)


@pytest.mark.parametrize("which", ["demo", "tiny"])
def test_every_register_table_of_05_and_06_holds_against_the_joint_attacker(which, demo_tables):
    tables = demo_tables if which == "demo" else _both(*tiny(40, 7), ["Bangka", "Belitung"])
    assert {"05_cases_by_region", "05_funnel_cumulative", "05_data_quality",
            "06_outcomes_by_election", "06_province_cases"} <= set(tables)
    check = rt.check_summary(tables)
    assert not (check["narrowest"] < 5).any(), check
    assert check["recoverable"].sum() == 0 and check["hidden"].sum() > 0
    for name, t in tables.items():
        cells = t.cells[t.cells["cell"].notna()]
        shown = cells[~cells["hidden"] & ~cells["withheld"]]
        assert not shown["value"].between(1, 4).any(), name  # no small count is shown
        texts = [str(t.published.iloc[int(s["row"])][s["column"]]) for _, s in t.layout.iterrows()]
        hidden = cells.set_index("cell").loc[list(t.layout["cell"])]
        marked = [x == disclosure.HIDDEN_MARK for x in texts]
        assert marked == list(hidden["hidden"] | hidden["withheld"]), name


def test_a_cell_published_twice_has_one_status(demo_tables):
    """The chosen province's regions x election are cells of the region table too: hidden in
    both or shown in both (06 never changes what 05 published)."""
    tables = demo_tables
    status = {}
    for name in ("05_cases_by_region", "06_province_cases"):
        c = tables[name].cells
        for ident, hidden in zip(c["identity"], c["hidden"]):
            status.setdefault(disclosure.canonical(ident), set()).add(bool(hidden))
    assert all(len(s) == 1 for s in status.values())
    babel = tables["06_province_cases"].cells
    assert babel["hidden"].any()  # the province's small counts are hidden


def test_the_tables_of_a_register_alone_would_not_all_hold_together():
    """Suppressed one by one, the tiny register's tables pass each its own check, but the
    region table hides election totals that the election list shows: together they pin them.
    Protected together (what the notebooks publish), they hold."""
    cases, meta = tiny(40, 7)
    parts = {}
    pub, res = ro.cases_by_election(cases)
    parts["e"] = disclosure.table_cells(res, "e", dimension="election")
    pub, res = ro.cases_by_region(cases)
    parts["r"] = disclosure.table_cells(res, "r")
    pub, res, _ = ro.funnel(cases)
    parts["f"] = disclosure.table_cells(res, "f")
    for name, cells in parts.items():
        assert not (disclosure.linked_intervals(cells)["width"] < 5).any(), name
    joint = disclosure.linked_intervals(pd.concat(parts.values(), ignore_index=True))
    pinned = joint[joint["width"] < 5]
    assert len(pinned) and set(pinned["table"]) == {"r"}
    assert {tuple(i) for i in pinned["identity"].map(lambda i: tuple(i))} == {
        ("election",), }
    check = rt.check_summary(rt.overview_tables(cases, meta))
    assert not (check["narrowest"] < 5).any()


def test_an_identity_that_does_not_count_its_value_stops_the_build(demo):
    cases, meta = demo
    recs = rt.records(cases, meta)
    good = pd.DataFrame({"table": ["t"], "identity": [{"election": ["Pilkada 2020"]}],
                         "value": [int((recs["election"] == "Pilkada 2020").sum())]})
    rt.check_identities(good, recs)
    with pytest.raises(ValueError, match="counts"):
        rt.check_identities(good.assign(value=good["value"] + 1), recs)
