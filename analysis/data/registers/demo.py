"""The SYNTHETIC demo register, opened (:func:`.opening.open_register`) when no register is given.

Generated once with a fixed seed and size into ``data/processed/synthetic_register/`` by
:func:`analysis.data.registers.synth.write_synthetic`, and regenerated when missing or stale
(different seed/rows, or the raw files it is calibrated from changed since). Nothing in it is
real data: ``register.json`` says ``"synthetic": true``, every case id starts with ``SYN-`` and
the planted effects are in ``synthetic_ground_truth.json``.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from ... import paths
from . import store, synth, synth_calibration

DEMO_SEED = 20261129
DEMO_ROWS = 4000
DEMO_DIR_NAME = "synthetic_register"
STAMP_FILE = "demo_inputs.json"
# the raw files the generator is calibrated from (its outputs change when these do)
_INPUTS = ("published_figures.csv", "elections.csv", "asn_headcount.csv", "regions.csv")
# the generator's code: the demo register is written again when any of it changes
_GENERATOR = (synth, synth_calibration)


def demo_dir() -> Path:
    """``data/processed/synthetic_register`` (read from :mod:`analysis.paths` at call time)."""
    return paths.PROCESSED / DEMO_DIR_NAME


def _stamp(seed: int, rows: int) -> dict:
    digests = {}
    for name in _INPUTS:
        path = paths.RAW / name
        digests[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    code = hashlib.sha256()
    for module in _GENERATOR:
        code.update(hashlib.sha256(Path(module.__file__).read_bytes()).digest())
    return {"seed": int(seed), "rows": int(rows), "inputs": digests,
            "generator_sha256": code.hexdigest()}


def ensure_demo_register(folder: Path | str | None = None, seed: int = DEMO_SEED,
                         rows: int = DEMO_ROWS) -> Path:
    """Write the demo register into ``folder`` unless it is there and current; return folder."""
    folder = Path(folder) if folder is not None else demo_dir()
    stamp = _stamp(seed, rows)
    stamp_path = folder / STAMP_FILE
    current = False
    if stamp_path.is_file() and (folder / synth.REGISTER_FILE).is_file() \
            and (folder / synth.CASES_FILE).is_file() \
            and (folder / synth.GROUND_TRUTH_FILE).is_file():
        try:
            current = json.loads(stamp_path.read_text(encoding="utf-8")) == stamp
        except ValueError:
            current = False
    if not current:
        folder.mkdir(parents=True, exist_ok=True)
        synth.write_synthetic(folder, rows, seed)
        stamp_path.write_text(json.dumps(stamp, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return folder


def load_demo_register(folder: Path | str | None = None, seed: int = DEMO_SEED,
                       rows: int = DEMO_ROWS) -> tuple[pd.DataFrame, dict, dict]:
    """(cases, register.json, ground truth) of the SYNTHETIC demo register (written if needed)."""
    folder = ensure_demo_register(folder, seed, rows)
    cases, meta = store.load_register(folder)
    truth = json.loads((folder / synth.GROUND_TRUTH_FILE).read_text(encoding="utf-8"))
    return cases, meta, truth
