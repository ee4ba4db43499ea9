"""The attacker checked against brute force: on tiny tables, every integer table consistent with
what is published is enumerated, and the smallest and largest value of each hidden cell must be
exactly the attacker's. Both mark schemes are tried: one mark for any count, and the two marks
of the old rule ("<5" = 1-4, "–" = 0 or at least 5), whose disjunction needs binary variables."""
import itertools

import numpy as np
import pandas as pd
import pytest

from analysis.methods import disclosure as d
from analysis.methods.cell_attacker import ANY_COUNT, InconsistentCells, Not, cell_ranges

OLD_RULE = {"<5": [[1, 4]], "–": [[0, 0], [5, None]]}


def _in(values, domain):
    """Which of ``values`` (an array) a mark's domain allows."""
    values = np.asarray(values)
    ok = np.zeros(values.shape, dtype=bool)
    for lo, hi in domain:
        ok |= (values >= lo) & ((values <= hi) if hi is not None else True)
    return ok


def compositions(total, parts):
    """Every way to write ``total`` as ``parts`` non-negative integers (stars and bars)."""
    bars = np.array(list(itertools.combinations(range(total + parts - 1), parts - 1)))
    edges = np.c_[np.full(len(bars), -1), bars, np.full(len(bars), total + parts - 1)]
    return np.diff(edges, axis=1) - 1


def _long(m):
    return pd.DataFrame([(f"r{i}", f"c{j}", int(m[i, j])) for i in range(m.shape[0])
                         for j in range(m.shape[1])], columns=["r", "c", "n"])


def brute_two_way(result):
    """Every non-negative integer table with the result's rows and columns that shows what the
    result shows: (min, max) of every hidden cell, by the result's index."""
    marks = {m: [tuple(i) for i in dom] for m, dom in result.attrs["marks"].items()}
    rows = [r for r in pd.unique(result["r"]) if r != "Total"]
    cols = [c for c in pd.unique(result["c"]) if c != "Total"]
    cell = {(r, c): i for i, r, c in zip(result.index, result["r"], result["c"])}
    grand = result.loc[cell[("Total", "Total")]]
    assert grand["display"] not in marks  # interior cells are at most the grand total
    cap = int(grand["display"])
    hidden = [(r, c) for r in rows for c in cols if result.at[cell[(r, c)], "display"] in marks]
    grid = np.array(list(itertools.product(range(cap + 1), repeat=len(hidden))))
    values = {}
    for r in rows:
        for c in cols:
            text = result.at[cell[(r, c)], "display"]
            values[(r, c)] = grid[:, hidden.index((r, c))] if (r, c) in hidden \
                else np.full(len(grid), int(text))
    for r in rows:
        values[(r, "Total")] = sum(values[(r, c)] for c in cols)
    for c in cols + ["Total"]:
        values[("Total", c)] = sum(values[(r, c)] for r in rows)
    ok = np.ones(len(grid), dtype=bool)
    for key, i in cell.items():
        text = result.at[i, "display"]
        v = values[key]
        ok &= _in(v, marks[text]) if text in marks else v == int(text)
    assert ok.any()  # the truth is one of them
    return {cell[k]: (values[k][ok].min(), values[k][ok].max()) for k in cell
            if result.at[cell[k], "display"] in marks}


def _tiny_results(n, seed):
    """Tiny tables suppressed by the new rule, and the same tables with an old-style display:
    small counts and a few random others hidden, small ones shown "<5", the others "–"."""
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < n:
        shape = [(2, 2), (2, 3), (3, 2)][rng.integers(3)]
        m = rng.negative_binomial(1.5, 1.5 / (1.5 + rng.choice([1.5, 3.0])), size=shape)
        if not 5 <= m.sum() <= 18:
            continue
        new = d.suppress(_long(m), "r", "c", "n")
        old = new.copy()
        extra = rng.random(len(old)) < 0.3
        hide = (old["primary"] | extra) & ~((old["r"] == "Total") & (old["c"] == "Total"))
        old["display"] = np.where(~hide, old["n"].astype(str),
                                  np.where(old["primary"], "<5", "–"))
        old.attrs["marks"] = OLD_RULE
        for res in (new, old):
            hidden = res["display"].isin(["x", "<5", "–"])
            grand = (res["r"] == "Total") & (res["c"] == "Total")
            if 0 < (hidden & ~res["margin"]).sum() <= 4 and not (hidden & grand).any():
                out.append(res)
    return out


def test_attacker_equals_brute_force_on_tiny_two_way_tables():
    checked = {"x": 0, "<5": 0}
    for res in _tiny_results(30, 5):
        truth = brute_two_way(res)
        iv = d.cell_intervals(res)
        for i, (lo, hi) in truth.items():
            assert (iv.at[i, "lp_min"], iv.at[i, "lp_max"]) == (lo, hi), (res, i)
        checked["x" if "x" in res.attrs["marks"] else "<5"] += len(truth)
    assert checked["x"] >= 30 and checked["<5"] >= 30, checked


def test_attacker_equals_brute_force_on_lists():
    rng = np.random.default_rng(8)
    for _ in range(40):
        counts = rng.negative_binomial(1.5, 0.3, size=rng.integers(2, 5))
        res = d.suppress_one_way(list(counts))
        for marks, shown in ((res.attrs["marks"], res["display"]),
                             (OLD_RULE, np.where(~res["suppressed"], res["value"].astype(str),
                                                 np.where(res["primary"], "<5", "–")))):
            res2 = res.assign(display=shown)
            res2.attrs.update(res.attrs, marks=marks)
            hidden = [k for k in res2.index if res2.at[k, "display"] in marks]
            if not hidden or res2["display"].iloc[-1] in marks:
                continue
            total = int(res2["display"].iloc[-1])
            inner = [k for k in hidden if k != res2.index[-1]]
            grid = np.array(list(itertools.product(range(total + 1), repeat=len(inner))))
            fixed = sum(int(res2.at[k, "display"]) for k in res2.index[:-1] if k not in inner)
            keep = grid.sum(axis=1) + fixed == total
            for j, k in enumerate(inner):
                dom = [tuple(x) for x in marks[res2.at[k, "display"]]]
                keep &= _in(grid[:, j], dom)
            iv = d.cell_intervals(res2)
            for j, k in enumerate(inner):
                assert (iv.at[k, "lp_min"], iv.at[k, "lp_max"]) == \
                    (grid[keep, j].min(), grid[keep, j].max())


# --------------------------------------------------------------------------- linked tables
DIMS = {"a": ["a0", "a1"], "b": ["b0", "b1"], "c": ["c0", "c1"]}


def _pair_table(joint, x, y):
    """The x-by-y table of a joint a x b x c array, long, suppressed alone."""
    axes = {"a": 0, "b": 1, "c": 2}
    other = tuple(axes[k] for k in axes if k not in (x, y))
    m = joint.sum(axis=other)
    if axes[x] > axes[y]:
        m = m.T
    long = pd.DataFrame([(DIMS[x][i], DIMS[y][j], int(m[i, j])) for i in range(2)
                         for j in range(2)], columns=[x, y, "n"])
    return d.suppress(long, x, y, "n")


def test_attacker_over_linked_tables_equals_brute_force_over_the_records():
    """Three tables a x b, b x c, a x c of the same records (a cycle, so the attacker's atoms
    need a clique of all three dimensions): every record table of the same size consistent
    with all three is enumerated."""
    rng = np.random.default_rng(3)
    compared = 0
    total = 9
    atoms = compositions(total, 8).reshape(-1, 2, 2, 2)
    for _ in range(12):
        joint = rng.multinomial(total, rng.dirichlet(np.ones(8))).reshape(2, 2, 2)
        tables = {f"{x}{y}": _pair_table(joint, x, y) for x, y in (("a", "b"), ("b", "c"),
                                                                  ("a", "c"))}
        cells = pd.concat([d.table_cells(t, name) for name, t in tables.items()],
                          ignore_index=True)
        if not cells["known"].isna().any():
            continue
        ok = np.ones(len(atoms), dtype=bool)
        values = []
        for _, c in cells.iterrows():
            mask = np.ones((2, 2, 2), dtype=bool)
            for axis, dim in enumerate("abc"):
                if dim in c["identity"]:
                    kind, listed = c["identity"][dim]
                    inside = np.array([v in listed for v in DIMS[dim]])
                    shape = [1, 1, 1]
                    shape[axis] = 2
                    mask &= (inside if kind == "in" else ~inside).reshape(shape)
            v = (atoms * mask).sum(axis=(1, 2, 3))
            values.append(v)
            if not np.isnan(c["known"]):
                ok &= v == c["known"]
        iv = d.linked_intervals(cells)
        for k, (_, c) in enumerate(cells.iterrows()):
            if np.isnan(c["known"]):
                row = iv.loc[k]
                assert (row["low"], row["high"]) == (values[k][ok].min(), values[k][ok].max())
                compared += 1
    assert compared >= 20


def test_identities_link_cells_and_the_complement_of_a_list():
    cells = pd.DataFrame({"identity": [{"k": "a"}, {"k": "b"}, {"k": "c"}, {},
                                       {"k": Not(("a", "b", "c"))}],
                          "known": [np.nan, np.nan, 40, 46, 0],
                          "domain": [((1, 4),), ((0, 0), (5, None)), None, None, None]})
    iv = cell_ranges(cells)
    assert iv[["low", "high"]].to_numpy().tolist() == [[1, 1], [5, 5]]
    # without the fact that no record lies outside the list, the total says less
    iv = cell_ranges(cells.iloc[:4])
    assert iv[["low", "high"]].to_numpy().tolist() == [[1, 4], [0, 5]]
    cells["domain"] = [ANY_COUNT, ANY_COUNT, None, None, None]
    cells.loc[2, "known"] = 47  # more than the total
    with pytest.raises(InconsistentCells):
        cell_ranges(cells)
