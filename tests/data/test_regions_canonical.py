"""Loaders map every region to its canonical name through the validator's resolver (issue 12).

The validator accepts an alias (``Babel``), any case (``INDONESIA``) and any spacing for a
region; the loaders must then give exactly what the canonical spelling gives, or a join on
region silently drops the figure. The processed tables built from a copy of the raw data with
such variants are byte-identical to those built from the canonical spelling.
"""
import csv
import io

import pytest

from analysis import paths
from analysis.data import build, ledger, validate
from analysis.data.regions import RegionResolver

TABLES = ("enforcement_snapshots.csv", "cycle_summary.csv", "conflicts.csv", "coverage.csv")
BABEL = "Kepulauan Bangka Belitung"


def read(path):
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


def write(path, header, rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def variant(name, i):
    """The i-th spelling of a canonical name: an alias, upper case, lower case, extra spaces."""
    aliases = {BABEL: ["Babel", "kep. bangka belitung", "BANGKA BELITUNG"],
               "Jawa Barat": ["Jabar", "jawa barat"], "Jawa Tengah": ["JATENG"]}
    spellings = aliases.get(name, []) + [name.upper(), name.lower(), "  " + name.replace(" ", "  ")
                                         + " ", " " + name.title()]
    return spellings[i % len(spellings)]


def use_raw(project_copy, name):
    """The data folder of a fresh project copy, in scope (raw/ and processed/ inside)."""
    return project_copy(name) / "data"


def build_tables(root):
    assert build.main([]) == 0
    return {name: (root / "processed" / name).read_bytes() for name in TABLES}


def test_alias_case_and_space_variants_build_byte_identical_tables(project_copy):
    canonical = build_tables(use_raw(project_copy, "canonical"))
    root = use_raw(project_copy, "variants")
    changed = 0
    for name in ("published_figures.csv", "elections.csv", "asn_headcount.csv"):
        header, rows = read(root / "raw" / name)
        for i, row in enumerate(rows):
            spelled = variant(row["region"], i)
            changed += spelled != row["region"]
            row["region"] = spelled
        write(root / "raw" / name, header, rows)
    assert changed > 500  # nearly every row is spelled differently
    assert [str(p) for p in validate.validate_files() if p.severity == "error"] == []
    assert build_tables(root) == canonical


def test_indonesia_in_capitals_keeps_the_pilkada_2020_follow_up(project_copy):
    """The red team's case: INDONESIA on the three KASN rows of 19 December 2020."""
    root = use_raw(project_copy, "capitals")
    header, rows = read(root / "raw" / "published_figures.csv")
    kasn = [r for r in rows if r["agency"] == "KASN" and r["as_of_date"] == "2020-12-19"
            and r["scope"] == "national" and r["breakdown"] == ""]
    assert len(kasn) >= 3
    for r in kasn:
        r["region"] = "INDONESIA"
    write(root / "raw" / "published_figures.csv", header, rows)
    snaps = build.build()["enforcement_snapshots"]
    row = snaps[(snaps["agency"] == "KASN") & (snaps["as_of_date"] == "2020-12-19")]
    assert len(row) == 1
    assert (row.iloc[0]["recommended"], row.iloc[0]["executed"]) == (872, 635)
    assert row.iloc[0]["region"] == "Indonesia"


def test_babel_alias_keeps_a_figure_in_the_babel_study(project_copy):
    root = use_raw(project_copy, "babel")
    header, rows = read(root / "raw" / "published_figures.csv")
    babel = [r for r in rows if r["region"] == BABEL]
    assert babel
    for r in babel:
        r["region"] = "Babel"
    write(root / "raw" / "published_figures.csv", header, rows)
    figures = ledger.load_ledger()
    assert (figures["region"] == BABEL).sum() == len(babel)
    assert "Babel" not in set(figures["region"])


def test_loaders_canonicalise_every_table(tmp_path):
    resolver = RegionResolver.from_csv(paths.REGIONS)
    for load, raw in ((ledger.load_ledger, paths.LEDGER), (ledger.load_elections, paths.ELECTIONS),
                      (ledger.load_headcount, paths.HEADCOUNT)):
        header, rows = read(raw)
        for r in rows:
            r["region"] = " " + r["region"].upper() + "  "
        path = tmp_path / raw.name
        write(path, header, rows)
        df = load(path, resolver=resolver)
        assert set(df["region"]) <= set(resolver.canonical_names), raw.name
        assert list(df["region"]) == list(load(raw)["region"])


def test_a_canonical_name_is_never_taken_over_by_another_regions_alias(tmp_path):
    header, rows = read(paths.REGIONS)
    babel = next(r for r in rows if r["canonical_name"] == BABEL)
    babel["aliases"] += "|Bangka"
    path = tmp_path / "regions.csv"
    write(path, header, rows)
    resolver = RegionResolver.from_csv(path)
    assert resolver.resolve("bangka") == "Bangka"
    assert resolver.resolve("Babel") == BABEL


@pytest.mark.parametrize("name,expected", [
    ("Babel", BABEL), (" babel ", BABEL), ("INDONESIA", "Indonesia"),
    ("jawa   barat", "Jawa Barat"), ("Nowhere", "Nowhere")])
def test_canonical(name, expected):
    assert RegionResolver.from_csv(paths.REGIONS).canonical(name) == expected
