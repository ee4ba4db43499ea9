"""Benchmark (``make bench``): speed and memory of the workflow, measured, never asserted.

Prints, in one run on this machine:

1. ``validate`` and ``build`` on the real data (best of 3, peak memory of the process);
2. the notebooks: the **baseline** (every notebook one after another with
   ``jupyter nbconvert --execute --to html``), a **cold build** of the same notebooks by
   ``python -m analysis report --no-landing --no-api`` into a fresh folder (every notebook
   runs; the data, built in step 1, are not built again, as the baseline does not build
   them), and their ratio; each the best of two runs, alternated, as a single run on a
   shared machine varied by a fifth
   (target <= 0.45, issue 21; it was 0.6);
3. a **no-op rebuild** (nothing changed) of the full report, with briefs (target <= 0.5 s);
4. ``scripts/bench_validate.py``: validating a 1,000,000-row ledger (memory / file size,
   target < 3);
5. ``scripts/bench_register.py``: checking, pseudonymising, aggregating and storing a
   1,000,000-row register against a bare ``pandas.read_csv`` of the same file (target <= 3x,
   <= 2 GB).

``--quick`` skips 4 and 5 (the 1M-row files take a few minutes). Works where ``resource`` is
missing (Windows): peak memory is then not measured and the table says so.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import resource
except ImportError:  # Windows
    resource = None

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
REPEATS = 3
NOTEBOOK_REPEATS = 2


def run(cmd: list[str], cwd: Path = ROOT, env: dict | None = None) -> float:
    """Seconds to run ``cmd`` (output discarded; fails loudly on a non-zero exit)."""
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n"
                 f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return seconds


def peak_mib() -> str:
    if resource is None:
        return "n/a"
    kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return f"{kib / 1024:.0f}"


def notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))


def baseline_nbconvert(workdir: Path) -> float:
    """Every notebook executed one after another by plain jupytext + nbconvert (the way a user
    without this toolkit would run them), writing HTML into ``workdir``."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="module://matplotlib_inline.backend_inline")
    bindir = Path(PY).parent
    total = 0.0
    for notebook in notebooks():
        ipynb = workdir / f"{notebook.stem}.ipynb"
        subprocess.run([str(bindir / "jupytext"), "--quiet", "--to", "ipynb", "-o", str(ipynb),
                        str(notebook)], check=True, cwd=ROOT)
        total += run([str(bindir / "jupyter"), "nbconvert", "--execute", "--to", "html",
                      "--ExecutePreprocessor.timeout=600", "--output-dir", str(workdir),
                      str(ipynb)], cwd=ROOT / "notebooks", env=env)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1M-row benchmarks")
    args = parser.parse_args(argv)

    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")
    print(f"{'step':<34}{'best s':>9}{'median s':>10}{'peak MiB':>10}")
    for name, cmd in (("validate", [PY, "-m", "analysis", "validate"]),
                      ("build (data/processed)", [PY, "-m", "analysis", "build"])):
        times = sorted(run(cmd) for _ in range(REPEATS))
        print(f"{name:<34}{times[0]:>9.2f}{times[len(times) // 2]:>10.2f}{peak_mib():>10}")

    work = Path(tempfile.mkdtemp(prefix="netralitas-bench-"))
    try:
        baselines, colds = [], []
        for attempt in range(NOTEBOOK_REPEATS):
            (work / f"nbconvert{attempt}").mkdir()
            baselines.append(baseline_nbconvert(work / f"nbconvert{attempt}"))
            reports = work / f"reports{attempt}"
            colds.append(run([PY, "-m", "analysis", "report", "--no-landing", "--no-api",
                              "--reports-dir", str(reports)]))
        baseline, cold = min(baselines), min(colds)
        full = run([PY, "-m", "analysis", "report", "--reports-dir", str(reports)])
        noop = min(run([PY, "-m", "analysis", "report", "--reports-dir", str(reports)])
                   for _ in range(REPEATS))
        n = len(notebooks())
        print(f"{'notebooks (two runs each)':<34}{'best s':>9}{'other s':>10}")
        print(f"{f'baseline: {n} notebooks, nbconvert':<34}{baseline:>9.2f}"
              f"{sorted(baselines)[-1]:>10.2f}")
        print(f"{f'cold build: {n} notebooks, parallel':<34}{cold:>9.2f}"
              f"{sorted(colds)[-1]:>10.2f}")
        print(f"{'full build (briefs, API reference)':<34}{full:>9.2f}")
        print(f"{'no-op rebuild (nothing changed)':<34}{noop:>9.2f}")
        ratio = cold / baseline
        print(f"ratio cold build / baseline = {ratio:.2f} (target <= 0.45: "
              f"{'met' if ratio <= 0.45 else 'NOT met'}); "
              f"no-op rebuild {noop:.2f} s (target <= 0.5 s: "
              f"{'met' if noop <= 0.5 else 'NOT met'})")
        print("fresh clone to reports/index.html, make test, .ci/run: make bench-fresh")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if not args.quick:
        print("\n1M-row ledger validation (scripts/bench_validate.py):", flush=True)
        subprocess.run([PY, str(ROOT / "scripts" / "bench_validate.py")], check=True)
        print("\n1M-row register import (scripts/bench_register.py):", flush=True)
        subprocess.run([PY, str(ROOT / "scripts" / "bench_register.py")], check=True)
    print("\npeak MiB: the largest resident set of any child process so far")
    return 0


if __name__ == "__main__":
    sys.exit(main())
