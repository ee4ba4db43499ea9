"""Every public estimator of analysis.methods keeps one contract (analysis/methods/contract.py):
one name for the confidence level, a result whose tidy() starts with the fixed columns, and one
exception type, naming the column, for a missing column."""
from __future__ import annotations

import importlib
import inspect
import math
import pkgutil

import numpy as np
import pandas as pd
import pytest

import analysis.methods as methods_pkg
from analysis.methods import cox, did, funnel, its, nowcast, rates, survival
from analysis.methods.contract import TIDY_COLUMNS, InputError, Result, tidy_rows

BANNED_LEVEL_NAMES = {"confidence", "conf_level", "alpha", "conf", "ci", "confidence_level"}


def _public_functions():
    for info in pkgutil.iter_modules(methods_pkg.__path__):
        module = importlib.import_module(f"analysis.methods.{info.name}")
        for name, obj in vars(module).items():
            if (name.startswith("_") or not callable(obj)
                    or getattr(obj, "__module__", "") != module.__name__):
                continue
            if inspect.isfunction(obj):
                yield f"{info.name}.{name}", obj
            elif inspect.isclass(obj):
                for mname, meth in vars(obj).items():
                    if not mname.startswith("_") and inspect.isfunction(meth):
                        yield f"{info.name}.{name}.{mname}", meth


PUBLIC = sorted(_public_functions(), key=lambda item: item[0])


@pytest.mark.parametrize("qualname,function", PUBLIC, ids=[q for q, _ in PUBLIC])
def test_the_confidence_level_has_one_name(qualname, function):
    names = set(inspect.signature(function).parameters)
    assert not names & BANNED_LEVEL_NAMES, (
        f"{qualname} takes {sorted(names & BANNED_LEVEL_NAMES)}; the level is called `level`")


def _returns_result(function) -> bool:
    try:
        hints = inspect.get_annotations(function, eval_str=True)
    except Exception:  # noqa: BLE001 - an unresolvable annotation is not a Result
        return False
    ret = hints.get("return")
    return inspect.isclass(ret) and issubclass(ret, Result)


# --------------------------------------------------------------------------- the roster
# Every estimator, with a call on valid data and the column that call needs. A new estimator
# (any public function annotated to return a Result) must be added here, or the roster test fails.
# An estimator of plain numbers (no frame) has column None and a bad call in BAD_NUMBERS.

def _rate_frame():
    return pd.DataFrame({"unit": list("abcdef"), "count": [3, 5, 9, 2, 7, 4],
                         "exposure": [1e4, 2e4, 3e4, 1e4, 2.5e4, 1.5e4]})


def _panel_frame():
    rng = np.random.default_rng(3)
    n = 24
    frame = pd.DataFrame({"region": np.repeat([f"r{i}" for i in range(8)], 3),
                          "cycle": np.tile([2015, 2018, 2020], 8),
                          "incumbent": rng.integers(0, 2, n), "asn": rng.uniform(5e3, 5e4, n)})
    frame["cases"] = rng.poisson(frame["asn"] * 2e-4 * (1 + frame["incumbent"]))
    return frame


def _snapshot_frame():
    t = np.array([-170, -130, -110, -70, -57, -43, -30, 10, 12, 370.0])
    y = 0.3 + 0.02 * t / 30 + 0.1 * (t >= -90) + np.sin(t) / 50
    return pd.DataFrame({"days_since_vote": t, "follow_up_rate": y})


def _curve_frame():
    return pd.DataFrame({"lag": [0.0, 100.0, 400.0], "value": [0.3, 0.6, 0.8]})


def _nowcast(curve):
    other = pd.DataFrame({"lag": [0.0, 100.0, 400.0], "value": [0.2, 0.5, 0.9]})
    return nowcast.nowcast_final(0.5, 100, {"a": curve, "b": other}, {"a": 0.8, "b": 0.9}, n=200)


def _duration_frame():
    rng = np.random.default_rng(5)
    x = rng.integers(0, 2, 60)
    days = np.ceil(rng.exponential(60 / np.exp(0.5 * x)))
    return pd.DataFrame({"days": days, "event": (days < 90).astype(int), "x": x,
                         "status": np.where(days >= 90, "pending",
                                            np.where(x == 1, "sanctioned", "stopped"))})


def _no_frame():
    return pd.DataFrame({"unused": [0]})


def _did_frame():
    """6 regions x 4 cycles: two cohorts of two (cycles 2 and 3), two never treated."""
    first = {"a": 2, "b": 2, "c": 3, "d": 3, "e": np.nan, "f": np.nan}
    cases = np.random.default_rng(0).poisson(5, 24).astype(float)
    return pd.DataFrame([{"region": u, "cycle": t, "cases": cases[4 * i + t - 1],
                          "first_treated": g, "in_force": int(t >= g)}
                         for i, (u, g) in enumerate(first.items()) for t in range(1, 5)])


_DID = ("region", "cycle", "cases", "first_treated")

ROSTER: dict[str, tuple] = {
    # "module.function": (call(frame) -> Result, frame factory, column to drop or None)
    "did.randomisation_inference": (lambda f: did.randomisation_inference(f, *_DID),
                                    _did_frame, "cases"),
    "did.staggered_effect": (lambda f: did.staggered_effect(f, *_DID, seed=1), _did_frame,
                             "cases"),
    "did.twfe": (lambda f: did.twfe(f, "region", "cycle", "cases", "in_force"), _did_frame,
                 "in_force"),
    "rates.rate_table": (lambda f: rates.rate_table(f, "count", "exposure", label="unit"),
                         _rate_frame, "exposure"),
    "rates.fit_count_model": (lambda f: rates.fit_count_model(
        f, "cases ~ C(cycle) + incumbent", "asn", "poisson", cluster="region"),
        _panel_frame, "incumbent"),
    "cox.cox": (lambda f: cox.cox(f, "days", "event", ["x"], ties="efron"), _duration_frame,
                "x"),
    "funnel.funnel_table": (lambda f: funnel.funnel_table(f, "count", "exposure", "unit"),
                            _rate_frame, "count"),
    "its.segmented_regression": (lambda f: its.segmented_regression(
        f, "days_since_vote", "follow_up_rate", -90.0), _snapshot_frame, "follow_up_rate"),
    "nowcast.nowcast_final": (_nowcast, _curve_frame, "value"),
    "survival.kaplan_meier": (lambda f: survival.kaplan_meier(f, "days", "event", at=[30, 60]),
                              _duration_frame, "event"),
    "survival.cumulative_incidence": (lambda f: survival.cumulative_incidence(
        f, "days", "status", ["sanctioned", "stopped"], "pending"), _duration_frame, "status"),
    "rates.rate_ratio": (lambda f: rates.rate_ratio(7, 2e4, 3, 3.5e4), _no_frame, None),
    "rates.rate_ratio_quasi": (lambda f: rates.rate_ratio_quasi(7, 2e4, 3, 3.5e4, phi=4.0),
                               _no_frame, None),
}
BAD_NUMBERS = {
    "rates.rate_ratio": lambda: rates.rate_ratio(-1, 2e4, 3, 3.5e4),
    "rates.rate_ratio_quasi": lambda: rates.rate_ratio_quasi(7, 0, 3, 3.5e4, phi=4.0),
}


def test_every_estimator_is_on_the_roster():
    estimators = {q for q, f in PUBLIC if q.count(".") == 1 and _returns_result(f)}
    assert estimators, "no public estimator returns a Result"
    assert estimators <= set(ROSTER), f"not on the roster: {sorted(estimators - set(ROSTER))}"


@pytest.mark.parametrize("qualname", sorted(ROSTER))
def test_an_estimator_returns_a_tidy_result(qualname):
    call, make, _ = ROSTER[qualname]
    result = call(make())
    assert isinstance(result, Result)
    table = result.tidy()
    assert list(table.columns[: len(TIDY_COLUMNS)]) == list(TIDY_COLUMNS)
    assert len(table) >= 1
    assert 0 < result.level < 1
    assert isinstance(result.method, str) and result.method


@pytest.mark.parametrize("qualname", sorted(q for q, entry in ROSTER.items() if entry[2]))
def test_a_missing_column_raises_one_error_naming_it(qualname):
    call, make, column = ROSTER[qualname]
    frame = make().drop(columns=[column])
    with pytest.raises(InputError, match=column) as caught:
        call(frame)
    assert caught.value.column == column


def test_tidy_rows_fills_missing_fixed_columns_with_nan():
    table = tidy_rows([{"term": "x", "estimate": 1.0, "extra": 2}], extra=["extra"])
    assert list(table.columns) == [*TIDY_COLUMNS, "extra"]
    assert np.isnan(table.loc[0, "p_value"])


@pytest.mark.parametrize("qualname", sorted(q for q, entry in ROSTER.items() if not entry[2]))
def test_an_estimator_of_plain_numbers_rejects_a_bad_number_with_the_same_error(qualname):
    with pytest.raises(InputError):
        BAD_NUMBERS[qualname]()


def test_reject_rows_names_the_column_the_first_bad_row_and_its_value():
    from analysis.methods.contract import reject_rows

    frame = pd.DataFrame({"count": [3, -1, -2]}, index=["a", "b", "c"])
    reject_rows(frame, "count", frame["count"] > 5, "f", "a count")  # nothing bad: no error
    with pytest.raises(InputError, match=r"f: bad value in column 'count'; row b; value -1; "
                                         r"expected a count") as caught:
        reject_rows(frame, "count", frame["count"] < 0, "f", "a count")
    assert (caught.value.column, caught.value.row, caught.value.value) == ("count", "b", -1)
    assert type(caught.value.value) is int  # numpy scalars are shown as plain numbers


def test_exponentiated_gives_ratios_and_delta_method_standard_errors():
    from analysis.methods.contract import exponentiated

    log = tidy_rows([{"term": "x", "estimate": math.log(2.0), "std_error": 0.1,
                      "low": math.log(1.5), "high": math.log(2.5), "p_value": 0.01,
                      "std_error_naive": 0.2, "statistic": 6.9}], extra=["std_error_naive",
                                                                        "statistic"])
    ratio = exponentiated(log).iloc[0]
    assert (ratio["estimate"], ratio["low"], ratio["high"]) == pytest.approx((2.0, 1.5, 2.5))
    assert (ratio["std_error"], ratio["std_error_naive"]) == pytest.approx((0.2, 0.4))
    assert (ratio["p_value"], ratio["statistic"]) == (0.01, 6.9)
