"""Build outputs against hand-computed values; selection rule; determinism; refusal on bad input."""
import math

import pandas as pd
import pytest

from ledger_fixtures import figure, frame

from analysis.data import build, ledger

Z = 1.959963984540054  # standard normal 97.5% quantile


def wilson_by_hand(x, n):
    p = x / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half




ELECTIONS = pd.DataFrame([
    dict(cycle=2020, election_type="pilkada", scope="national", region="Indonesia",
         voting_day="2020-12-09"),
    dict(cycle=2019, election_type="pemilu", scope="national", region="Indonesia",
         voting_day="2019-04-17"),
])


@pytest.fixture(scope="module")
def real():
    return build.build()


def test_choose_figure_prefers_exact_then_primary_then_latest_then_mode_then_smaller():
    g = frame(figure(id="a", value=100, value_qualifier="approx", as_of_date="2021-01-01"),
              figure(id="b", value=90, source_quality="weak", as_of_date="2021-01-01"),
              figure(id="c", value=80, as_of_date="2020-12-01"),
              figure(id="d", value=85, as_of_date="2020-12-19"),
              figure(id="e", value=84, as_of_date="2020-12-19"),
              figure(id="f", value=85, as_of_date="2020-12-19"))
    assert ledger.choose_figure(g)["id"] in ("d", "f")  # 85 is given twice at the latest date
    assert ledger.choose_figure(g.drop(index=5))["value"] == 84  # tie: the smaller value


def _rule_with_pandas(group):
    """The documented rule as pandas filters (the implementation until 2026-12): the reference
    the plain-Python ``choose_figure`` must equal."""
    g = group.assign(
        _exact=(group["value_qualifier"] != "exact").astype(int),
        _quality=group["source_quality"].map(ledger.QUALITY_RANK),
        _date=group["effective_date"].fillna(pd.Timestamp("1900-01-01")),
    )
    g = g[g["_exact"] == g["_exact"].min()]
    g = g[g["_quality"] == g["_quality"].min()]
    g = g[g["_date"] == g["_date"].max()]
    support = g.groupby("value")["id"].transform("count")
    g = g.assign(_support=-support).sort_values(["_support", "value", "id"], kind="stable")
    return group.loc[g.index[0]]


def test_choose_figure_equals_the_pandas_rule_on_every_ledger_series_and_random_groups():
    import random

    led = ledger.load_ledger()
    keys = ["agency", "metric", "cycle", "election_type", "scope", "region"]
    groups = [g for _, g in led.groupby(keys, dropna=False)]
    assert len(groups) > 100 and any(len(g) > 2 for g in groups)
    rng = random.Random(7)
    for _ in range(1500):  # small groups full of ties: qualifier, quality, date, value
        n = rng.randint(1, 7)
        groups.append(frame(*[figure(
            id=rng.choice("abcdefghij") + str(i), value=rng.choice([80, 84, 85, 85, 90]),
            value_qualifier=rng.choice(["exact", "exact", "approx", "lower_bound"]),
            source_quality=rng.choice(list(ledger.QUALITY_RANK)),
            as_of_date=rng.choice(["2020-12-19", "2020-12", "2021-01-01", ""]),
            published_date="2021-02-01") for i in range(n)]))
    for group in groups:
        chosen, expected = ledger.choose_figure(group), _rule_with_pandas(group)
        assert chosen.name == expected.name, (list(group["id"]), chosen["id"], expected["id"])


def test_snapshot_follow_up_rate_and_lag_computed_by_hand():
    df = frame(figure(id="r", metric="reported", value=1305),
               figure(id="m", metric="recommended", value=872),
               figure(id="x", metric="sanction_executed", value=635),
               figure(id="x2", metric="sanction_executed", value=635,
                      source_url="https://example.org/b"))
    snap = build.enforcement_snapshots(df, ELECTIONS).iloc[0]
    assert snap["days_since_vote"] == 10  # 19 Dec - 9 Dec 2020
    assert snap["follow_up_basis"] == "recommended"
    assert snap["follow_up_rate"] == pytest.approx(635 / 872)
    low, high = wilson_by_hand(635, 872)
    assert (snap["follow_up_low"], snap["follow_up_high"]) == (pytest.approx(low),
                                                              pytest.approx(high))
    assert snap["source_ids"] == "m|r|x|x2" and not snap["values_conflict"]


def test_month_precision_uses_the_middle_of_the_month():
    df = frame(figure(cycle=2019, election_type="pemilu", as_of_date="2019-03",
                      as_of_precision="month", published_date="2019-04-12"))
    snap = build.enforcement_snapshots(df, ELECTIONS).iloc[0]
    # 1 March + (31 March - 1 March) / 2 = 16 March; 16 March to 17 April = 32 days before
    assert snap["days_since_vote"] == -32
    # the span the month stands for: 1 March (47 days before) to 31 March (17 days before)
    assert (snap["days_since_vote_min"], snap["days_since_vote_max"]) == (-47, -17)


def test_year_precision_gives_the_whole_year_as_the_span_and_a_day_gives_no_span():
    df = frame(figure(cycle=2019, election_type="pemilu", as_of_date="2019",
                      as_of_precision="year", published_date="2019-12-20"),
               figure(id="d", as_of_date="2020-12-19"))
    snaps = build.enforcement_snapshots(df, ELECTIONS).set_index("cycle")
    year = snaps.loc[2019]
    # 1 Jan 2019 is 106 days before 17 April; 31 Dec 2019 is 258 days after; the middle
    # (2 July 2019, 00:00) is 76 days after
    assert (year["days_since_vote_min"], year["days_since_vote"],
            year["days_since_vote_max"]) == (-106, 76, 258)
    day = snaps.loc[2020]
    assert day["days_since_vote_min"] == day["days_since_vote"] == day["days_since_vote_max"] == 10


def test_follow_up_falls_back_to_violations_found_and_skips_mixed_or_inexact_units():
    found = frame(figure(metric="violation_found", value=991),
                  figure(id="x", metric="sanction_executed", value=299))
    snap = build.enforcement_snapshots(found, ELECTIONS).iloc[0]
    assert snap["follow_up_basis"] == "violation_found"
    assert snap["follow_up_rate"] == pytest.approx(299 / 991)
    mixed = frame(figure(metric="recommended", value=50, unit="cases"),
                  figure(id="x", metric="sanction_executed", value=20))
    assert pd.isna(build.enforcement_snapshots(mixed, ELECTIONS).iloc[0]["follow_up_rate"])
    approx = frame(figure(metric="recommended", value=50),
                   figure(id="x", metric="sanction_executed", value=20, value_qualifier="approx"))
    assert pd.isna(build.enforcement_snapshots(approx, ELECTIONS).iloc[0]["follow_up_rate"])


def test_cycle_summary_reports_choice_range_and_same_date_conflicts():
    df = frame(figure(id="a", value=2007, as_of_date="", published_date="2021-12-16"),
               figure(id="b", value=2034, as_of_date="", published_date="2024-02-06"),
               figure(id="c", value=2073, as_of_date="", published_date="2024-02-06"),
               figure(id="d", value=369, as_of_date="2020-06-26"))
    row = build.cycle_summary(df).iloc[0]
    assert row["chosen_value"] == 2034  # latest date; 2034 vs 2073 tie -> the smaller
    assert (row["n_figures"], row["n_values"], row["n_differing"]) == (4, 4, 3)
    assert row["n_same_date_conflicts"] == 1
    assert (row["min_value"], row["max_value"]) == (369, 2073)


def test_conflicts_group_same_thing_same_date_and_leave_out_other():
    df = frame(figure(id="a", value=160, unit="cases", agency="Bawaslu"),
               figure(id="b", value=165, unit="cases", agency="Bawaslu",
                      source_url="https://example.org/b"),
               figure(id="c", value=1, metric="other"), figure(id="d", value=2, metric="other"))
    out = build.conflicts(df)
    assert len(out) == 1
    row = out.iloc[0]
    assert (row["values"], row["spread"], row["kind"]) == ("160|165", 5, "same_as_of_date")
    assert row["relative_spread"] == pytest.approx(5 / 165)


def test_real_pilkada_2020_snapshot_of_19_december(real):
    snaps = real["enforcement_snapshots"]
    row = snaps[(snaps["agency"] == "KASN") & (snaps["as_of_date"] == "2020-12-19")].iloc[0]
    assert (row["reported"], row["recommended"], row["executed"]) == (1305, 872, 635)
    assert row["days_since_vote"] == 10
    assert row["follow_up_rate"] == pytest.approx(0.7282, abs=5e-5)  # KASN stated 72.8%


def test_real_coverage_counts_match_the_ledger(real):
    figures = ledger.load_ledger()
    cov = real["coverage"]
    assert cov["n_figures"].sum() == len(figures)
    n_2020_exec = ((figures["cycle"] == 2020) & (figures["election_type"] == "pilkada")
                   & (figures["scope"] == "national")
                   & (figures["metric"] == "sanction_executed")).sum()
    got = cov[(cov["cycle"] == 2020) & (cov["election_type"] == "pilkada")
              & (cov["scope"] == "national") & (cov["metric"] == "sanction_executed")]
    assert got["n_figures"].item() == n_2020_exec


@pytest.fixture
def raw_copy(project_copy):
    """The data folder of a project copy in scope (raw/, no processed/ yet)."""
    return project_copy(processed=False) / "data"


def test_rebuild_with_unchanged_inputs_is_byte_identical(raw_copy):
    assert build.main([]) == 0
    first = {p.name: p.read_bytes() for p in (raw_copy / "processed").iterdir() if p.is_file()}
    assert build.main([]) == 0
    second = {p.name: p.read_bytes() for p in (raw_copy / "processed").iterdir() if p.is_file()}
    assert first == second and "datapackage.json" in first
    assert set(first) == {f"{t}.csv" for t in build.TABLES} | {"datapackage.json", build.BUILD_KEY}


def test_processed_datapackage_lists_inputs_with_hashes(raw_copy):
    import hashlib
    import json
    build.main([])
    package = json.loads((raw_copy / "processed" / "datapackage.json").read_text())
    sources = {s["title"]: s["hash"] for s in package["sources"]}
    ledger_bytes = (raw_copy / "raw" / "published_figures.csv").read_bytes()
    assert sources["published_figures.csv"] == "sha256:" + hashlib.sha256(ledger_bytes).hexdigest()


def test_build_refuses_bad_input_and_writes_nothing(raw_copy, capsys):
    path = raw_copy / "raw" / "published_figures.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",sanction_executed,", ",sanctioned,",
                                                            1), encoding="utf-8")
    assert build.main([]) == 1
    assert not (raw_copy / "processed").exists()
    assert "nothing was written" in capsys.readouterr().err


def test_reading_processed_tables_equals_building_them_so_notebooks_never_rebuild():
    """The report build runs the data build once; notebooks and headlines read data/processed
    (build.load_processed) and must see exactly what build() computes."""
    assert build.main([]) == 0
    assert build.processed_is_current()
    built, read = build.build(), build.load_processed()
    assert set(built) == set(read) == set(build.TABLES)
    for name in built:
        pd.testing.assert_frame_equal(built[name].reset_index(drop=True), read[name],
                                      check_dtype=False)


def test_processed_tables_are_replaced_as_one_set_and_keep_other_files(raw_copy):
    """The build writes the whole set beside data/processed and swaps it in: a reader never sees
    one new table among old ones; files that are not the build's (.gitkeep) stay."""
    processed = raw_copy / "processed"
    processed.mkdir(exist_ok=True)
    (processed / ".gitkeep").write_text("", encoding="utf-8")
    assert build.main([]) == 0
    before_inode = processed.stat().st_ino
    assert build.is_current(processed)
    assert build.main([]) == 0
    assert processed.stat().st_ino != before_inode  # a new folder, not files rewritten in place
    assert (processed / ".gitkeep").exists()
    assert not [p for p in raw_copy.iterdir() if p.name.startswith(".netralitas-")]


def test_a_data_build_killed_between_the_renames_of_its_swap_is_repaired(raw_copy):
    from analysis.data import atomic

    assert build.main([]) == 0
    processed = raw_copy / "processed"
    old = raw_copy / f"{atomic.OLD_PREFIX}processed-0123456789ab"
    processed.rename(old)  # as if killed after the first rename
    assert build.main([]) == 0
    assert build.is_current(processed) and not old.exists()


def test_days_from_vote_of_a_partial_date_by_hand():
    vote = pd.Timestamp("2024-02-14")
    assert ledger.precision_of("2024") == "year" and ledger.precision_of("2024-07") == "month"
    assert ledger.precision_of("2024-07-01") == "day"
    # 1 Jan 2024 is 44 days before 14 Feb; 31 Dec is 321 after; the middle (1 July, 12:00) 138
    assert ledger.days_from_vote("2024", "year", vote) == (138, -44, 321)
    # July 2022: 1 July is 593 days before, 31 July 563, the middle (16 July) 578
    assert ledger.days_from_vote("2022-07", "month", vote) == (-578, -593, -563)
    assert ledger.days_from_vote("2024-02-19", "day", vote) == (5, 5, 5)
    assert all(pd.isna(v) for v in ledger.days_from_vote("", "day", vote))
    assert all(pd.isna(v) for v in ledger.days_from_vote("2024", "year", pd.NaT))
