"""A figure that is not ASN-only (Bawaslu's 2018 table of every barred actor, counts that include
village heads, Babel's Pemilu 2024 violations of every kind) never enters an ASN rate: its unit
(``vocabulary.NOT_ASN_ONLY_UNITS``) is in no rate series and no unit family, and every rate the
findings compute is the same with and without those figures."""
import pandas as pd
import pytest

from analysis.data import build, ledger
from analysis.data.vocabulary import NOT_ASN_ONLY_UNITS, UNIT_FAMILY
from analysis.findings import casestudy, enforcement, provinces, series


@pytest.fixture(scope="module")
def raw():
    return ledger.load_ledger(), ledger.load_elections(), ledger.load_headcount()


def _not_asn_only(figures: pd.DataFrame) -> pd.Series:
    return figures["unit"].isin(NOT_ASN_ONLY_UNITS)


def _rates(figures, elections, headcount) -> dict:
    """Every ASN rate or ratio the findings compute from the ledger."""
    out = {f"series {name}": series.series_rates(figures, elections, headcount, name)
           for name in series.SERIES}
    for province in ("Kepulauan Bangka Belitung", "Nusa Tenggara Barat", "Jawa Barat"):
        compared = casestudy.compare_with_nation(figures, headcount, province, provinces.RELEASES,
                                                 elections=elections)
        out[f"province {province}"] = compared["comparisons"]
    for release in provinces.RELEASES:
        out[f"funnel {release}"] = provinces.province_counts(figures, *release)[0]
    snapshots = build.enforcement_snapshots(figures, elections)
    for scope in ("national", "province"):
        out[f"conversions {scope}"] = enforcement.funnel_conversions(snapshots, scope=scope)
    return out


def test_no_rate_series_unit_family_or_release_admits_a_not_asn_only_unit():
    units = {u for s in series.SERIES.values() for u in s.units}
    units |= set(UNIT_FAMILY) | set(series.PERSON_UNITS) | {r[3] for r in provinces.RELEASES}
    assert not units & NOT_ASN_ONLY_UNITS


def test_the_ledger_holds_the_2018_table_the_babel_violations_and_mixed_counts(raw):
    figures = raw[0]
    marked = figures[_not_asn_only(figures)].set_index("id")
    assert marked.loc["sd-0006", ["value", "unit"]].tolist() == [425, "cases_incl_non_asn"]
    assert (marked.loc["sd-0070", ["region", "unit"]].tolist()
            == ["Kota Pangkalpinang", "cases_all_violations"])
    assert marked.loc["sd-0056", "unit"] == "persons_incl_non_asn"
    assert len(marked) >= 20


def test_every_asn_rate_is_the_same_without_the_not_asn_only_figures(raw):
    figures, elections, headcount = raw
    with_them = _rates(figures, elections, headcount)
    without = _rates(figures[~_not_asn_only(figures)], elections, headcount)
    marked = set(figures.loc[_not_asn_only(figures), "id"])
    for name, table in with_them.items():
        pd.testing.assert_frame_equal(table.reset_index(drop=True),
                                      without[name].reset_index(drop=True), obj=name)
        cited = {i for column in table.columns if column.endswith(("id", "ids"))
                 for cell in table[column] for i in str(cell).split("|")}
        assert not cited & marked, (name, cited & marked)


def test_no_snapshot_stage_mixes_a_not_asn_only_figure_with_others(raw):
    """choose_figure picks one figure per stage of a snapshot across units: a stage holding a
    not-ASN-only figure must hold nothing else, or it could be picked in place of an ASN count."""
    figures = raw[0]
    totals = figures[(figures["breakdown"] == "") & (figures["as_of_date"] != "")]
    for key, stage in totals.groupby(build.SNAPSHOT_KEY + ["metric"]):
        flags = set(_not_asn_only(stage))
        assert len(flags) == 1, (key, stage[["id", "unit"]].to_dict("records"))
