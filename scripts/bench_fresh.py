"""Benchmark (``make bench-fresh``): a new user's first contact and a developer's loop, timed
on a fresh clone of this repository's HEAD, never asserted in a test.

Clones HEAD into a temporary folder and times, one after another, as the README says to run
them: ``make report`` (virtual environment, pinned install, Chromium and npm packages where they
are missing, every notebook, briefs, landing page and API reference) up to ``reports/index.html``;
``make lint``; ``make test-fast``; ``make test`` (the whole suite); and ``.ci/run``'s last step
(the plain route without make, on a second fresh clone). Prints each time against its target
(issue 21: report <= 120 s on 2 cores, test <= 5 min, the whole of ``.ci/run`` <= 10 min).

``--skip-test`` stops after ``make test-fast``. A system-wide Chromium or a pip/uv cache on the
machine is used as a fresh machine with them would use it; the clone has no .venv, no
node_modules, no data/processed and no reports.
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

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"make report": 120.0, "make test": 300.0, ".ci/run (sum)": 600.0}


def timed(cmd: list[str], cwd: Path, log: Path) -> float:
    """Seconds to run ``cmd`` in ``cwd``, output to ``log``; exits loudly on failure."""
    start = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        code = subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                              env={k: v for k, v in os.environ.items()
                                   if not k.startswith("NETRALITAS_")}).returncode
    seconds = time.perf_counter() - start
    if code != 0:
        sys.exit(f"bench-fresh: {' '.join(cmd)} failed after {seconds:.0f} s; see {log}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-test", action="store_true",
                        help="stop after make test-fast (no whole suite, no plain route)")
    parser.add_argument("--keep", action="store_true", help="keep the clone and the logs")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="netralitas-fresh-"))
    clone = work / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    steps = [("make report", ["make", "report"]), ("make lint", ["make", "lint"]),
             ("make test-fast", ["make", "test-fast"])]
    if not args.skip_test:
        steps += [("make test", ["make", "test"]),
                  ("plain route", ["bash", ".ci/plain_route.sh"])]
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; clone {clone}")
    times = {}
    try:
        for name, cmd in steps:
            times[name] = timed(cmd, clone, work / f"{name.replace(' ', '_')}.log")
            target = TARGETS.get(name)
            verdict = "" if target is None else \
                f"  (target <= {target:.0f} s: {'met' if times[name] <= target else 'NOT met'})"
            print(f"{name:<16}{times[name]:>9.1f} s{verdict}", flush=True)
        if not args.skip_test:
            ci = times["make report"] + times["make lint"] + times["make test"] \
                + times["plain route"]
            print(f"{'.ci/run (sum)':<16}{ci:>9.1f} s  (target <= 600 s: "
                  f"{'met' if ci <= 600 else 'NOT met'})")
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
