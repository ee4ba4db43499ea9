"""The register commands behind ``python -m analysis register check|import``.

Both print to stdout (problems and summaries) and return an exit code. Neither ever prints a
name or NIP: problems about them show only the value's length.
"""
from __future__ import annotations

import datetime as dt
import itertools
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from ... import paths
from ..build_state import sha256
from . import codebook as cb
from . import hash_helper
from .check import Inspection, inspect_register, normalise_name
from .pseudonymise import KeyProblem, Pseudonymiser, key_fingerprint, load_key
from .rollup import checked_frame, rollup
from .store import (CASES_FILE, RegisterError, StagedRegister, check_name, read_meta,
                    register_path)


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


def check_main(path: Path | str, sheet: str | None = None, data_date: str | None = None
               ) -> int:
    """Check a register file; print every problem; 1 if there are errors, else 0. Only reads.
    ``data_date`` (YYYY-MM-DD): a date after it is an error, as on import."""
    if data_date is not None:
        try:
            data_date = dt.date.fromisoformat(str(data_date)).isoformat()
        except ValueError:
            print(f"ERROR --data-date {data_date!r}: expected a date YYYY-MM-DD")
            return 1
    inspection = inspect_register(path, sheet, progress=True, data_date=data_date)
    _print_problems(inspection.problems, path=path)
    print(f"{Path(path).name}: {_summary_line(inspection)}")
    return 1 if inspection.errors else 0


def person_ids(inspection: Inspection, key: bytes, nip_ids: np.ndarray | None = None):
    """The person_id of every row (a polars text Series, null for a row with neither NIP nor
    name) and how many rows were keyed by what. HMAC "nip:" of the NIP, else HMAC "name:" of
    the normalised name (:class:`.pseudonymise.Pseudonymiser`, first PERSON_ID_HEX hex digits),
    made as one block of digests rather than a million Python strings.

    ``nip_ids``: the person_id bytes of the NIPs of the first rows if the helper computed them
    (:func:`.hash_helper.nip_digests`, one row per row; the others are hashed here)."""
    import polars as pl

    n = len(inspection.rows)
    p = Pseudonymiser(key)
    cols = inspection.columns
    nbytes = cb.PERSON_ID_HEX // 2
    digests = np.zeros((n, nbytes), dtype=np.uint8)
    by_nip = np.zeros(n, dtype=bool)
    if "nip" in cols:
        nip = cols["nip"]
        by_nip = nip.filled()
        head = 0
        if nip_ids is not None and nip_ids.ndim == 2 and nip_ids.shape[1] == nbytes \
                and len(nip_ids) <= n:  # the first rows' by the helper, the others' here
            head = len(nip_ids)
            digests[:head][by_nip[:head]] = nip_ids[by_nip[:head]]
        rest = head + np.flatnonzero(by_nip[head:])
        if rest.size:  # a NIP is hashed once per row it is in (nearly every NIP is once)
            digests[rest] = p.digest_values("nip:", nip.take(rest))[:, :nbytes]
    by_name = np.zeros(n, dtype=bool)
    if "name" in cols and not by_nip.all():
        name = cols["name"]
        need = np.flatnonzero(~by_nip)
        normal = [normalise_name(v) for v in name.take(need)]
        keyed = np.fromiter(map(bool, normal), dtype=bool, count=len(normal))
        if keyed.any():
            rows = need[keyed]
            digests[rows] = p.digest_values(
                "name:", list(itertools.compress(normal, keyed.tolist())))[:, :nbytes]
            by_name[rows] = True
    hexed = np.frombuffer(digests.tobytes().hex().encode("ascii"), dtype=f"S{2 * nbytes}")
    ids = pl.Series("person_id", hexed).cast(pl.String)
    ids = pl.select(pl.when(pl.Series(by_nip | by_name)).then(ids)).to_series().alias(
        "person_id")
    counts = Counter(nip=int(by_nip.sum()), name=int(by_name.sum()),
                     none=int(n - by_nip.sum() - by_name.sum()))
    return ids, counts


def import_main(path: Path | str, name: str, data_date: str, key_file: Path | str | None = None,
                sheet: str | None = None, *, base: Path | str | None = None,
                parallel: bool | None = None) -> int:
    """Check, pseudonymise, aggregate and store a register as ``data/private/registers/NAME``:
    ``cases.csv``, ``rollup.csv`` (its ledger-shaped aggregates, :func:`.rollup.rollup`),
    ``names.json`` and ``register.json``.

    ``parallel``: hash in a helper process while checking (None = for large registers; see
    :mod:`.hash_helper`).

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

    # The name index (names.json), the file's SHA-256 and the person_ids of the first rows'
    # NIPs are computed by a helper process while this one checks the register, aggregates it
    # and hashes the other NIPs (hash_helper); the helper is stopped in any case.
    try:
        state = hash_helper.file_state(Path(path))
    except OSError:
        state = None  # inspect_register reports the file
    helper = hash_helper.start(key, Path(path), state, parallel=parallel)
    try:
        inspection = inspect_register(path, sheet, progress=True, on_read=helper.send,
                                      data_date=data_date)
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
            print("pseudonymising, aggregating and storing ...", file=sys.stderr, flush=True)
        # the checked columns are kept as codes; of the cells read, only NIP and name are
        # still needed (if the helper fails)
        inspection.table.keep_only(
            hash_helper.personal_positions(inspection.table.headers).values())
        aggregates = rollup(checked_frame(inspection.columns, n),
                            {"data_date": data_date, "name": name, "synthetic": False,
                             "cases_file": CASES_FILE})
        # the helper sends its NIPs' person_ids first; the others (all, without it) are hashed
        # here
        pid, keyed = person_ids(inspection, key, helper.nip_ids())
        columns: dict = {"person_id": pid}  # (codes, values), or a polars Series
        empty = (np.zeros(n, dtype=np.intp), np.array([""], dtype=object))
        for c in cb.STORED_COLUMNS:
            coded = inspection.columns.get(c)
            if c == "person_id":
                continue
            if coded is not None and coded.lazy:
                columns[c] = coded.series  # one value per row, as polars read them
            else:
                columns[c] = (coded.codes, coded.values) if coded is not None else empty
        meta = {"data_date": data_date, "synthetic": False, "pseudonymised": True,
                "key_fingerprint": fingerprint,
                "source_sheet": inspection.table.sheet if inspection.table else None,
                "ignored_columns": len(inspection.extras)}
        with StagedRegister(name, base) as staged:
            try:
                staged.write_cases(columns, n)
                staged.write_rollup(aggregates, sha256(paths.ELECTIONS))
            except (RegisterError, OSError) as exc:
                print(f"ERROR could not store the register: {exc}")
                return 1
            try:
                hashed = helper.names_result()
            except hash_helper.FileChanged as exc:
                print(f"import refused: {exc}; nothing stored")
                return 1
            try:
                if "name" in inspection.columns:
                    staged.write_names(hashed["name_hashes"])
                folder = staged.commit({**meta, "source_sha256": hashed["sha256"]})
            except (RegisterError, OSError) as exc:
                print(f"ERROR could not store the register: {exc}")
                return 1
    finally:
        helper.cancel()
    outcome = inspection.columns.get("outcome")
    by_outcome = Counter()
    if outcome is not None:
        counts = np.bincount(outcome.codes, minlength=len(outcome.values))
        for value, count in zip(outcome.values.tolist(), counts.tolist()):
            by_outcome[value or "(empty)"] += count
    persons = pid.drop_nulls().n_unique()
    print(f"stored register '{name}' in {folder}: {n:,} cases, {persons:,} distinct person_ids "
          f"({keyed['nip']:,} rows keyed by NIP, {keyed['name']:,} by name, {keyed['none']:,} "
          f"without either); key fingerprint {fingerprint}; "
          f"{time.perf_counter() - started:.1f} s")
    print("outcomes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(by_outcome.items())))
    return 0
