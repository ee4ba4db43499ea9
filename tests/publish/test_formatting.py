"""Numbers for readers carry a true minus sign (U+2212), never a hyphen."""
from analysis.publish.formatting import MINUS, fmt_days, fmt_int, fmt_num, fmt_pct


def test_negative_numbers_carry_the_minus_sign_and_zero_none():
    assert fmt_num(-4.04, "id") == MINUS + "4,0" and fmt_int(-66, "en") == MINUS + "66"
    assert fmt_pct(-0.1, "en") == MINUS + "10.0%" and fmt_days(-66) == MINUS + "66"
    assert fmt_num(-0.0001, "id") == "0,0" and fmt_num(3.5, "en") == "3.5"
    assert "-" not in fmt_num(-1234.5, "id") and fmt_num(-1234.5, "id") == MINUS + "1.234,5"
