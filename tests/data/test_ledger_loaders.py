"""The loaders of the supervision measures and of the candidate counts: every row of the raw
file, regions canonical; candidate counts as numbers."""
import pandas as pd

from analysis import paths
from analysis.data import ledger


def test_measures_load_every_row_with_canonical_regions():
    raw = pd.read_csv(paths.RAW / "supervision_measures.csv", dtype=str, keep_default_na=False)
    measures = ledger.load_measures()
    assert len(measures) == len(raw)
    assert measures["measure_id"].tolist() == raw["measure_id"].tolist()
    resolver = ledger.load_resolver()
    assert all(resolver.canonical(r) == r for r in measures["region"])


def test_candidates_load_with_numbers_and_canonical_regions(tmp_path):
    raw = pd.read_csv(paths.RAW / "candidates.csv", dtype=str, keep_default_na=False)
    candidates = ledger.load_candidates()
    assert len(candidates) == len(raw)
    assert candidates["value"].tolist() == raw["value"].astype(float).tolist()
    shifted = raw.assign(region="INDONESIA")  # any spelling of a region joins as canonical
    shifted.to_csv(tmp_path / "candidates.csv", index=False)
    assert set(ledger.load_candidates(tmp_path / "candidates.csv")["region"]) == {"Indonesia"}
