"""Benchmark the register import (issue 10 item 5): check, pseudonymise, aggregate and store a
large CSV, against a bare ``pandas.read_csv`` of the same file.

Usage: python scripts/bench_register.py [--rows 1000000] [--repeat 1] [--keep DIR]

A register CSV with fake NIPs and names (Indonesian headers, dd/mm/yyyy dates; names as varied as
a national register's, see ``generate``) is generated in a temporary folder; each measurement
runs in its own process. Prints both times (the best of ``--repeat``), the ratio, the import
process's peak resident memory (``resource``, not on Windows) and, on Linux, the peak of the
import and its hashing helper together (their PSS, sampled). Exits 0: the targets (ratio <= 3,
peak <= 2 GB) are reported, not enforced.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

try:
    import resource
except ImportError:  # Windows
    resource = None

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _peak_mb() -> float | None:
    if resource is None:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def generate(path: Path, rows: int, seed: int = 1) -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    regions = pd.read_csv(ROOT / "data" / "raw" / "regions.csv", dtype=str,
                          keep_default_na=False)
    names = regions["canonical_name"].tolist()
    names += [a for al in regions["aliases"] for a in al.split("|") if a]
    names = [n for n in names if n != "Indonesia"]
    # Names as varied as a national register's: almost every person's is distinct, a third
    # have three words, some carry titles in front (Drs., H.) or degrees after a comma (S.Pd.),
    # a few an apostrophe or a letter outside ASCII. (Names drawn from 16 x 16 words would make
    # the name index ~4,000 times cheaper than a real register's.)
    syllables = np.array(["ba", "bu", "di", "dew", "su", "sri", "ri", "an", "to", "ni", "ja",
                          "ya", "wa", "ti", "ra", "ma", "ko", "se", "la", "hen", "dra", "tri",
                          "pu", "ha", "fit", "nur", "eko", "yu", "li", "sa", "gus", "har", "wan",
                          "dar", "man", "ning", "sih", "yan", "rah", "mad"], dtype=object)

    def words() -> np.ndarray:
        count = rng.integers(2, 4, rows)
        w = (syllables[rng.integers(0, len(syllables), rows)]
             + syllables[rng.integers(0, len(syllables), rows)])
        w = np.where(count == 3, w + syllables[rng.integers(0, len(syllables), rows)], w)
        return np.array([x.capitalize() for x in w], dtype=object)

    first_names, middle_names, last_names = words(), words(), words()
    full_names = np.where(rng.random(rows) < 0.35,
                          first_names + " " + middle_names + " " + last_names,
                          first_names + " " + last_names)
    full_names = np.where(rng.random(rows) < 0.08, np.array(
        ["Drs. ", "H. ", "Hj. ", "Ir. "], dtype=object)[rng.integers(0, 4, rows)] + full_names,
        full_names)
    full_names = np.where(rng.random(rows) < 0.15, full_names + np.array(
        [", S.Pd.", ", S.E.", ", M.Si.", ", S.Sos."], dtype=object)[rng.integers(0, 4, rows)],
        full_names)
    full_names = np.where(rng.random(rows) < 0.01, "Ma'ruf " + full_names, full_names)
    full_names = np.where(rng.random(rows) < 0.005, full_names + " Sébastien", full_names)
    # elections with a voting day in elections.csv (the check refuses others), in any case
    elections = [(2019, "Pemilu"), (2020, "pilkada"), (2024, "PILKADA"), (2024, "pemilu")]
    election = rng.integers(0, len(elections), rows)
    base = pd.Timestamp("2019-01-01")  # every date before 2025-03 (the import's data date is
    # 2025-06-30: a date after it would be refused)
    incident = base + pd.to_timedelta(rng.integers(0, 2000, rows), unit="D")
    report = incident + pd.to_timedelta(rng.integers(0, 30, rows), unit="D")
    forwarded = report + pd.to_timedelta(rng.integers(1, 20, rows), unit="D")
    rec = forwarded + pd.to_timedelta(rng.integers(1, 60, rows), unit="D")
    sanction = rec + pd.to_timedelta(rng.integers(1, 120, rows), unit="D")
    outcome_words = np.array(["dijatuhi sanksi", "tidak terbukti", "dihentikan", "dalam proses",
                              "Dijatuhi Sanksi"], dtype=object)
    outcome = outcome_words[rng.integers(0, len(outcome_words), rows)]
    sanctioned = np.char.lower(outcome.astype(str)) == "dijatuhi sanksi"
    proceeding = sanctioned | (outcome == "dalam proses")

    def dmy(ts, keep=None):
        text = ts.strftime("%d/%m/%Y").to_numpy(dtype=object)
        return text if keep is None else np.where(keep, text, "")

    nip = np.char.add(rng.integers(10**8, 10**9, rows).astype(str),
                      rng.integers(10**8, 10**9, rows).astype(str)).astype(object)
    nip[rng.random(rows) < 0.05] = ""  # some cases without NIP: keyed by name
    frame = pd.DataFrame({
        "No. Register": [f"{i:07d}/Reg/Bawaslu" for i in range(rows)],
        "NIP": nip,
        "Nama": full_names,
        "Jabatan": np.array(["Kepala Dinas", "Guru", "Camat", "Lurah", "Staf"],
                            dtype=object)[rng.integers(0, 5, rows)],
        "Eselon": np.array(["II", "III", "IV", "fungsional", "pelaksana"],
                           dtype=object)[rng.integers(0, 5, rows)],
        "Instansi": np.array(["Dinas Pendidikan", "Setda", "Dinas Kesehatan",
                              "Kecamatan, Kelurahan"], dtype=object)[rng.integers(0, 4, rows)],
        "Kabupaten/Kota": np.array(names, dtype=object)[rng.integers(0, len(names), rows)],
        "Tahun Pemilihan": np.array([e[0] for e in elections])[election],
        "Jenis Pemilihan": np.array([e[1] for e in elections], dtype=object)[election],
        "Jenis Pelanggaran": np.array(["media sosial", "kampanye", "foto bersama"],
                                      dtype=object)[rng.integers(0, 3, rows)],
        "Sumber": np.array(["temuan", "laporan", "patroli siber", "Ombudsman", "lainnya"],
                           dtype=object)[rng.integers(0, 5, rows)],
        "Tanggal Kejadian": dmy(incident),
        "Tanggal Laporan": dmy(report),
        "Tanggal Diteruskan": dmy(forwarded, proceeding),
        "Tanggal Rekomendasi": dmy(rec, proceeding),
        "Tanggal Sanksi": dmy(sanction, sanctioned),
        "Status": outcome,
        "Tingkat Sanksi": np.where(sanctioned, np.array(["ringan", "sedang", "berat", "moral"],
                                                        dtype=object)[rng.integers(0, 4, rows)],
                                   ""),
        "Jenis Sanksi": np.where(sanctioned, "teguran tertulis", ""),
        "Petahana Maju": np.array(["ya", "tidak", ""], dtype=object)[rng.integers(0, 3, rows)],
    })
    frame.to_csv(path, index=False)


def measure_read(path: Path) -> dict:
    import pandas as pd

    started = time.perf_counter()
    pd.read_csv(path)
    return {"seconds": time.perf_counter() - started, "peak_mb": _peak_mb()}


def measure_import(path: Path, out: Path) -> dict:
    import contextlib
    import io

    from analysis.data.registers.commands import import_main

    os.environ.setdefault("NETRALITAS_KEY", "bench-key-not-secret-0123456789")
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as buf:
        code = import_main(path, "bench", "2025-06-30", base=out)
    seconds = time.perf_counter() - started
    if code != 0:
        print(buf.getvalue()[-3000:], file=sys.stderr)
    children = None
    if resource is not None:
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        children = children / (1024 * 1024) if sys.platform == "darwin" else children / 1024
    return {"seconds": seconds, "peak_mb": _peak_mb(), "helper_peak_mb": children, "exit": code}


def _pss_kb(pid: int) -> int:
    """Proportional set size of ``pid`` in kB (shared pages divided among their sharers), 0 if
    it is gone; Linux only."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return found


def _child(*args: str, sample: bool = False) -> dict:
    """Run this script with ``args`` in a new process; its JSON result. With ``sample``, also
    ``pss_peak_mb``: the largest sum of the PSS of the process and its children (the import's
    helper), sampled every 50 ms (None where /proc has no smaps_rollup). Sampling slows the
    process down, so timed runs are not sampled."""
    proc = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE,
                            text=True)
    peak = [0]
    sampling = sample and os.path.exists(f"/proc/{os.getpid()}/smaps_rollup")

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], sum(_pss_kb(p) for p in _descendants(proc.pid)))
            time.sleep(0.05)

    watcher = threading.Thread(target=sample, daemon=True)
    if sampling:
        watcher.start()
    out, _ = proc.communicate()
    if sampling:
        watcher.join()
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, args)
    result = json.loads(out.strip().splitlines()[-1])
    result["pss_peak_mb"] = peak[0] / 1024 if sampling else None
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, path = args.child[0], Path(args.child[1])
        if kind == "generate":
            generate(path, int(args.child[2]))
            print(json.dumps({"ok": True}))
        elif kind == "read":
            print(json.dumps(measure_read(path)))
        else:
            print(json.dumps(measure_import(path, Path(args.child[2]))))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "register.csv"
        print(f"generating {args.rows:,} rows ...", file=sys.stderr, flush=True)
        _child("--child", "generate", str(path), str(args.rows))
        print(f"  {path.stat().st_size / 1e6:.0f} MB", file=sys.stderr)
        reads, imports = [], []
        for _ in range(args.repeat):
            reads.append(_child("--child", "read", str(path)))
            imports.append(_child("--child", "import", str(path), str(folder / "store")))
        print("measuring memory (one more import, sampled) ...", file=sys.stderr, flush=True)
        sampled = _child("--child", "import", str(path), str(folder / "store"), sample=True)
        read = min(r["seconds"] for r in reads)
        imp = min(r["seconds"] for r in imports)
        peak = max((r["peak_mb"] or 0) for r in imports) or None
        pss = sampled["pss_peak_mb"]
        ok = all(r["exit"] == 0 for r in imports)
        helper = max((r.get("helper_peak_mb") or 0) for r in imports)
        print(f"rows:                 {args.rows:,}")
        print(f"pandas.read_csv:      {read:.2f} s")
        print(f"import:               {imp:.2f} s (check, pseudonymise, aggregate, store; exit "
              f"{'0' if ok else 'non-zero'})")
        print(f"ratio:                {imp / read:.2f} (target <= 3)")
        print("peak memory (import): " + (f"{peak:.0f} MB (the import process alone)" if peak
                                           else "unavailable (no resource module)"))
        if helper:
            print(f"peak of its helper:   {helper:.0f} MB (the hashing helper process alone)")
        if pss:
            print(f"peak memory in all:   {pss:.0f} MB (import + helper, PSS sampled every "
                  "50 ms in a separate run; target <= 2048)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
