"""Numbers for readers: a true minus sign (U+2212) in both languages, and p-values that never
read 'p = 0.000'."""
import pytest

from analysis.findings.verdicts import p_text
from analysis.publish.formatting import MINUS, fmt_days, fmt_int, fmt_num, fmt_p, fmt_pct
from analysis.publish.plots import number_axis, percent_axis


@pytest.mark.parametrize("lang, expected", [("id", "\u22121.116"), ("en", "\u22121,116")])
def test_negative_counts_carry_a_true_minus_sign(lang, expected):
    assert fmt_int(-1116, lang) == expected


@pytest.mark.parametrize("call, expected", [
    (lambda: fmt_num(-0.25, "id", 2), "\u22120,25"),
    (lambda: fmt_num(-0.25, "en", 2), "\u22120.25"),
    (lambda: fmt_pct(-0.031, "id"), "\u22123,1%"),
    (lambda: fmt_pct(-0.031, "en"), "\u22123.1%"),
    (lambda: fmt_days(-66, "id"), "\u221266"),
    (lambda: fmt_days(372, "en"), "+372"),
])
def test_every_formatter_writes_negatives_with_the_minus_sign(call, expected):
    assert call() == expected and "-" not in call()


def test_a_value_that_rounds_to_zero_has_no_sign():
    assert fmt_num(-0.004, "id", 2) == "0,00"
    assert fmt_int(-0.4, "en") == "0"
    assert MINUS not in fmt_pct(-0.0001, "id")


def test_chart_ticks_use_the_same_minus_sign():
    assert number_axis("id", 0)(-66, None) == "\u221266"
    assert percent_axis("en")(-5, None) == "\u22125%"


@pytest.mark.parametrize("p, lang, digits, expected", [
    (0.0, "en", 3, "p < 0.001"),
    (0.0004, "id", 3, "p < 0,001"),
    (0.001, "en", 3, "p = 0.001"),
    (0.0123, "id", 3, "p = 0,012"),
    (0.00004, "en", 4, "p < 0.0001"),
    (0.05, "en", 2, "p = 0.05"),
])
def test_p_values_below_the_last_digit_read_as_less_than(p, lang, digits, expected):
    assert fmt_p(p, lang, digits) == expected == p_text(p, lang, digits)


def test_a_missing_p_value_is_the_dash():
    assert fmt_p(float("nan")) == "\u2013"


def test_negative_numbers_carry_the_minus_sign_and_zero_none():
    assert fmt_num(-4.04, "id") == MINUS + "4,0" and fmt_int(-66, "en") == MINUS + "66"
    assert fmt_pct(-0.1, "en") == MINUS + "10.0%" and fmt_days(-66) == MINUS + "66"
    assert fmt_num(-0.0001, "id") == "0,0" and fmt_num(3.5, "en") == "3.5"
    assert "-" not in fmt_num(-1234.5, "id") and fmt_num(-1234.5, "id") == MINUS + "1.234,5"
