"""Benchmark: wall time and peak memory of validate, build and report, each in a fresh process.

Run with ``make bench``. Prints one line per step and writes nothing but the normal outputs.
Speed and memory are measured here, never asserted in timed tests.
"""
from __future__ import annotations

import resource
import subprocess
import sys
import time

STEPS = [
    ("validate", [sys.executable, "-m", "analysis", "validate"]),
    ("build", [sys.executable, "-m", "analysis", "build"]),
    ("report", [sys.executable, "-m", "analysis", "report"]),
]
REPEATS = 3


def run(cmd: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak_kib, before) / 1024


def main() -> int:
    print(f"{'step':<10}{'best s':>10}{'median s':>10}{'peak MiB':>10}   ({REPEATS} runs)")
    for name, cmd in STEPS:
        results = [run(cmd) for _ in range(REPEATS)]
        times = sorted(r[0] for r in results)
        peak = max(r[1] for r in results)
        print(f"{name:<10}{times[0]:>10.2f}{times[len(times) // 2]:>10.2f}{peak:>10.0f}")
    print("peak MiB is the largest resident set of any child process so far (kernel included "
          "for report)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
