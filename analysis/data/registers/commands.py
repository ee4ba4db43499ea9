"""The register commands behind ``python -m analysis register check|import``.

Both print to stdout (problems and summaries) and return an exit code. Neither ever prints a
name or NIP: problems about them show only the value's length.
"""
from __future__ import annotations

import datetime as dt
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from . import codebook as cb
from .check import Inspection, inspect_register, normalise_name
from . import hash_helper
from .pseudonymise import KeyProblem, Pseudonymiser, key_fingerprint, load_key
from .store import (RegisterError, check_name, prepare_rows, read_meta, register_path,
                    write_register)


def _print_problems(problems, out=None, path=None) -> None:
    """One line per problem; with ``path``, each line starts with the file's name (as the
    ledger validator's do), so a line copied into an e-mail still says which file."""
    out = out or sys.stdout
    prefix = f"{Path(path).name}: " if path is not None else ""
    for p in problems:
        print(prefix + str(p), file=out)


def _summary_line(inspection: Inspection) -> str:
    e, w = len(inspection.errors), len(inspection.warnings)
    rows = 0 if inspection.rows is None else len(inspection.rows)
    return f"{rows:,} rows checked: {e} error(s), {w} warning(s)"


def check_main(path: Path | str, sheet: str | None = None) -> int:
    """Check a register file; print every problem; 1 if there are errors, else 0. Only reads."""
    inspection = inspect_register(path, sheet, progress=True)
    _print_problems(inspection.problems, path=path)
    print(f"{Path(path).name}: {_summary_line(inspection)}")
    return 1 if inspection.errors else 0


def person_ids(inspection: Inspection, key: bytes, nip_ids: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray, Counter]:
    """(codes, person_id values) for every row, and how many rows were keyed by what.

    ``nip_ids``: the person_ids of the rows' NIPs if the helper computed them
    (:func:`.hash_helper.nip_ids`, one per row)."""
    n = len(inspection.rows)
    p = Pseudonymiser(key)
    cols = inspection.columns
    ids = np.full(n, "", dtype=object)
    by_nip = np.zeros(n, dtype=bool)
    if "nip" in cols:
        nip = cols["nip"]
        if nip_ids is not None and len(nip_ids) == n:
            ids = np.asarray(nip_ids, dtype=object)
        else:
            ids = p.many("nip:", nip.values.tolist())[nip.codes]
        by_nip = (nip.values != "")[nip.codes] if len(nip.values) else by_nip
    by_name = np.zeros(n, dtype=bool)
    if "name" in cols and not by_nip.all():
        name = cols["name"]
        need = ~by_nip
        wanted = np.unique(name.codes[need])
        hashed = np.full(len(name.values), "", dtype=object)
        hashed[wanted] = p.many("name:", [normalise_name(v) for v in name.values[wanted].tolist()])
        ids = np.where(need, hashed[name.codes], ids)
        by_name = need & (ids != "")
    counts = Counter(nip=int(by_nip.sum()), name=int(by_name.sum()),
                     none=int(n - by_nip.sum() - by_name.sum()))
    return np.arange(n), ids, counts


def import_main(path: Path | str, name: str, data_date: str, key_file: Path | str | None = None,
                sheet: str | None = None, *, base: Path | str | None = None,
                parallel: bool | None = None) -> int:
    """Check, pseudonymise and store a register as ``data/private/registers/NAME``.

    ``parallel``: hash in a helper process while checking (None = for large registers, where
    the platform can fork; see :mod:`.hash_helper`).

    Refuses (exit 1, nothing written) when the file has errors, the key is missing or
    unacceptable, or a register NAME exists that was made with a different key.
    """
    started = time.perf_counter()
    try:
        check_name(name)
        data_date = dt.date.fromisoformat(str(data_date)).isoformat()
    except RegisterError as exc:
        print(f"ERROR {exc}")
        return 1
    except ValueError:
        print(f"ERROR --data-date {data_date!r}: expected a date YYYY-MM-DD")
        return 1
    try:
        key = load_key(key_file)
    except KeyProblem as exc:
        print(f"ERROR {exc}")
        return 1
    fingerprint = key_fingerprint(key)
    target = register_path(name, base)
    if (target / "register.json").is_file():
        try:
            old = read_meta(target)
        except RegisterError as exc:
            print(f"ERROR {exc}")
            return 1
        if old.get("key_fingerprint") not in (None, fingerprint):
            print(f"ERROR register '{name}' was imported with a different key (fingerprint "
                  f"{old.get('key_fingerprint')}, this key {fingerprint}); its person_ids would "
                  "not match. Use the original key, or another --name.")
            return 1

    # The name index (names.json) and the file's SHA-256 are computed by a helper process
    # while this one checks the register and computes the person_ids (hash_helper); the helper
    # is stopped in any case.
    try:
        state = hash_helper.file_state(Path(path))
    except OSError:
        state = None  # inspect_register reports the file
    helper = hash_helper.start(key, Path(path), state, parallel=parallel)
    try:
        inspection = inspect_register(path, sheet, progress=True, on_read=helper.send)
        _print_problems(inspection.problems, path=path)
        print(f"{Path(path).name}: {_summary_line(inspection)}")
        if inspection.errors:
            print(f"import refused: fix the {len(inspection.errors)} error(s) above; nothing "
                  "stored")
            return 1
        n = len(inspection.rows)
        if n == 0:
            print("import refused: the register has no rows; nothing stored")
            return 1
        if n > 200_000:
            print("pseudonymising and storing ...", file=sys.stderr, flush=True)
        # the stored columns but person_id are joined into rows while the helper works
        columns: dict[str, tuple] = {}
        empty = (np.zeros(n, dtype=np.intp), np.array([""], dtype=object))
        for c in cb.STORED_COLUMNS:
            coded = inspection.columns.get(c)
            columns[c] = (coded.codes, coded.values) if coded is not None else empty
        columns["person_id"] = (None, None)
        prepared = prepare_rows([(c, *columns[c]) for c in cb.STORED_COLUMNS], "person_id")
        # the helper hashes the NIPs once it has the names; if it is not that far yet, this
        # process hashes them itself (hash_helper)
        ids = helper.nip_ids() if helper.parallel and helper.names_ready() else None
        pid_codes, pid_values, keyed = person_ids(inspection, key, ids)
        try:
            hashed = helper.names_result()
        except hash_helper.FileChanged as exc:
            print(f"import refused: {exc}; nothing stored")
            return 1
    finally:
        helper.cancel()
    columns["person_id"] = (pid_codes, pid_values)
    # keyed hashes of the names (never the names), so the report build can refuse to publish a
    # page that shows one (analysis.data.registers.scan)
    hashes = hashed["name_hashes"] if "name" in inspection.columns else None
    meta = {"data_date": data_date, "synthetic": False, "pseudonymised": True,
            "source_sha256": hashed["sha256"], "key_fingerprint": fingerprint,
            "source_sheet": inspection.table.sheet if inspection.table else None,
            "ignored_columns": len(inspection.extras)}
    try:
        folder = write_register(name, columns, n, meta, base, name_hashes=hashes,
                                prepared=prepared)
    except (RegisterError, OSError) as exc:
        print(f"ERROR could not store the register: {exc}")
        return 1
    outcome = inspection.columns.get("outcome")
    by_outcome = Counter()
    if outcome is not None:
        counts = np.bincount(outcome.codes, minlength=len(outcome.values))
        for value, count in zip(outcome.values.tolist(), counts.tolist()):
            by_outcome[value or "(empty)"] += count
    persons = len(set(pid_values.tolist()) - {""})
    print(f"stored register '{name}' in {folder}: {n:,} cases, {persons:,} distinct person_ids "
          f"({keyed['nip']:,} rows keyed by NIP, {keyed['name']:,} by name, {keyed['none']:,} "
          f"without either); key fingerprint {fingerprint}; "
          f"{time.perf_counter() - started:.1f} s")
    print("outcomes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(by_outcome.items())))
    return 0
