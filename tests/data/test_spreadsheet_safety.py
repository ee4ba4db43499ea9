"""Published CSV cells never start a spreadsheet formula (OWASP CSV injection); numbers stay
numbers."""
import io

import numpy as np
import pandas as pd
import pytest

from analysis.data.spreadsheet_safety import neutralise, neutralise_cell, to_safe_csv


@pytest.mark.parametrize("value,expected", [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("-A1", "'-A1"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("\uff1d1+1", "'\uff1d1+1"),  # full-width equals sign
    ("-", "'-"),
    ("- a note that starts with a dash", "'- a note that starts with a dash"),
    ("Kepulauan Bangka Belitung", "Kepulauan Bangka Belitung"),
    ("a=b", "a=b"),
    ("", ""),
    ("'=already", "'=already"),
])
def test_text_cells(value, expected):
    assert neutralise_cell(value) == expected


@pytest.mark.parametrize("value", ["-3.5", "+2", "-12", "-1.2e-3", "-.5", "+0.25"])
def test_plain_number_strings_stay_numbers(value):
    assert neutralise_cell(value) == value


@pytest.mark.parametrize("value", [-3.5, -12, np.int64(-7), np.float64(-0.5), True, None,
                                   float("nan"), pd.NA])
def test_non_text_values_are_untouched(value):
    assert neutralise_cell(value) is value


def test_neutralise_frame_keeps_numeric_columns_and_is_idempotent():
    df = pd.DataFrame({"region": ["Indonesia", "=cmd"], "value": [-3.5, 2.0],
                       "count": [-1, 4], "note": ["-2+3", "-4.5"],
                       "kind": pd.Series(["@x", "ok"], dtype="category"),
                       "s": pd.Series(["+y", None], dtype="string")})
    out = neutralise(df)
    assert list(out["region"]) == ["Indonesia", "'=cmd"]
    assert out["value"].tolist() == [-3.5, 2.0] and out["value"].dtype == df["value"].dtype
    assert out["count"].tolist() == [-1, 4] and out["count"].dtype == df["count"].dtype
    assert list(out["note"]) == ["'-2+3", "-4.5"]
    assert list(out["kind"]) == ["'@x", "ok"]
    assert out["s"].iloc[0] == "'+y" and pd.isna(out["s"].iloc[1])
    assert df["region"].iloc[1] == "=cmd"  # the input is not changed
    assert neutralise(out).equals(out)


def test_written_csv_has_no_formula_cells_and_negative_numbers_read_back():
    df = pd.DataFrame({"label": ["=1+1", "+2+2", "@A1"], "value": [-1.5, -2.0, 3.0]})
    text = to_safe_csv(df)
    back = pd.read_csv(io.StringIO(text))
    assert back["value"].tolist() == [-1.5, -2.0, 3.0]
    for line in text.splitlines()[1:]:
        assert line[0] not in "=+-@\t\r"
