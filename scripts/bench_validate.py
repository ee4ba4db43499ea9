"""Time and peak memory of ``python -m analysis validate`` on a large valid ledger.

Writes a ledger of ``--rows`` rows (default 1,000,000) into a temporary folder by repeating the
real rows of ``data/raw/published_figures.csv`` with new ids, validates it in a subprocess and
prints the time, the file size, the subprocess's peak resident memory and its ratio to the file
size (the validator streams: the target is a ratio below 3).

    .venv/bin/python scripts/bench_validate.py [--rows N] [--unique-sources] [--keep]
"""
from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEDGER = ROOT / "data" / "raw" / "published_figures.csv"

try:
    import resource
except ImportError:  # Windows
    resource = None


def write_ledger(path: Path, rows: int, unique_sources: bool = False) -> None:
    """``rows`` valid rows: the real ones again and again, each with a new unique id (and, with
    ``unique_sources``, its own source URL: every total is then a snapshot of its own, the worst
    case for the memory of the funnel-order check)."""
    with LEDGER.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, real = reader.fieldnames, list(reader)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for i in range(rows):
            row = real[i % len(real)] | {"id": f"bench-{i:07d}"}
            if unique_sources:
                row["source_url"] += ("&" if "?" in row["source_url"] else "?") + f"bench={i}"
            writer.writerow(row)


def peak_rss_of_children() -> int | None:
    """Peak resident set size, in bytes, of the largest waited-for child (None if unknown)."""
    if resource is None:
        return None
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # macOS: bytes; Linux: KiB


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary ledger")
    parser.add_argument("--unique-sources", action="store_true",
                        help="give every row its own source URL (worst case for memory)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench_validate_"))
    try:
        path = folder / "published_figures.csv"
        started = time.perf_counter()
        write_ledger(path, args.rows, args.unique_sources)
        written = time.perf_counter() - started
        size = path.stat().st_size
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "analysis", "validate", str(path)],
                                cwd=ROOT, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        peak = peak_rss_of_children()
        print(f"rows:           {args.rows:,}")
        print(f"file size:      {size / 2**20:,.1f} MiB (written in {written:.1f} s)")
        print(f"validate time:  {elapsed:.1f} s ({args.rows / elapsed:,.0f} rows/s), "
              f"exit {result.returncode}: {result.stdout.strip().splitlines()[-1]}")
        if peak is None:
            print("peak memory not measured on this platform")
        else:
            print(f"peak RSS:       {peak / 2**20:,.1f} MiB")
            print(f"ratio:          {peak / size:.2f} x the file size (target < 3)")
        if result.returncode != 0:
            print(result.stdout[-2000:], result.stderr[-2000:], sep="\n")
        return result.returncode
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
