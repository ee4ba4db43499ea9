"""Every public estimator of analysis.methods keeps one contract (analysis/methods/contract.py):
one name for the confidence level, a result whose tidy() starts with the fixed columns, and one
exception type, naming the column, for a missing column."""
from __future__ import annotations

import importlib
import inspect
import pkgutil

import numpy as np
import pandas as pd
import pytest

import analysis.methods as methods_pkg
from analysis.methods import did
from analysis.methods.contract import TIDY_COLUMNS, InputError, Result, tidy_rows

BANNED_LEVEL_NAMES = {"confidence", "conf_level", "alpha", "conf", "ci", "confidence_level"}
# Modules already moved to the contract (issue 20, item 2); the rest are expected to fail until
# they are. When every module is here, this set and the xfail below go.
ADOPTED = {"contract", "did"}


def _public_functions():
    for info in pkgutil.iter_modules(methods_pkg.__path__):
        module = importlib.import_module(f"analysis.methods.{info.name}")
        for name, obj in vars(module).items():
            if name.startswith("_") or not callable(obj) or getattr(obj, "__module__", "") != module.__name__:
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
    if qualname.split(".")[0] not in ADOPTED:
        pytest.xfail("module not yet moved to the result contract")
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

def _rate_frame():
    return pd.DataFrame({"unit": list("abcdef"), "count": [3, 5, 9, 2, 7, 4],
                         "exposure": [1e4, 2e4, 3e4, 1e4, 2.5e4, 1.5e4]})


def _did_frame():
    """6 regions x 4 cycles: two cohorts of two (cycles 2 and 3), two never treated."""
    first = {"a": 2, "b": 2, "c": 3, "d": 3, "e": np.nan, "f": np.nan}
    cases = np.random.default_rng(0).poisson(5, 24).astype(float)
    return pd.DataFrame([{"region": u, "cycle": t, "cases": cases[4 * i + t - 1],
                          "first_treated": g, "in_force": int(t >= g)}
                         for i, (u, g) in enumerate(first.items()) for t in range(1, 5)])


_DID = ("region", "cycle", "cases", "first_treated")

ROSTER: dict[str, tuple] = {
    # "module.function": (call(frame) -> Result, frame factory, column to drop)
    "did.randomisation_inference": (lambda f: did.randomisation_inference(f, *_DID),
                                    _did_frame, "cases"),
    "did.staggered_effect": (lambda f: did.staggered_effect(f, *_DID, seed=1), _did_frame,
                             "cases"),
    "did.twfe": (lambda f: did.twfe(f, "region", "cycle", "cases", "in_force"), _did_frame,
                 "in_force"),
}


def test_every_estimator_is_on_the_roster():
    estimators = {q for q, f in PUBLIC if q.count(".") == 1 and _returns_result(f)}
    if ADOPTED == {"contract"}:
        pytest.xfail("no module moved to the result contract yet")
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


@pytest.mark.parametrize("qualname", sorted(ROSTER))
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
