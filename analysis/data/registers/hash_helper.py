"""Keyed hashes of a large register, computed by a helper process while the import checks it.

Besides checking, an import computes the person_ids (HMAC of each row's NIP), the keyed hashes of
every name for the publication scan (:func:`.pseudonymise.name_hashes`, ``names.json``) and the
file's SHA-256. For a national register these take seconds, bound to one core in Python, as does
the check. So for a large register the import starts a helper: a new Python process (a new
process, not a fork, so it shares no memory with the import and runs on any system). It gets
the key through a pipe (never on its command line or in its environment) and then:

* a CSV file: the column position of the name; the helper reads that column itself
  (:func:`.reader.read_csv_columns`, as the import reads it), while the import reads the whole
  file, so it starts at once. The import hashes the NIPs itself: with polars reading and
  writing the file, the import's own work is the shorter, and the two processes end together
  (measured: 4.3 s instead of 4.8 s on a million rows);
* an XLSX file (slow to read twice): the NIP and name cells, once the import has read them.

The helper sends back, in order:

1. ``nips``: for an XLSX, the person_id of the NIP of every row sent
   (:func:`.check.normalise_nip`, then HMAC "nip:", "" where there is none); for a CSV, none;
   with how many rows it read and the library that read them (polars or pandas): a CSV's name
   hashes are used only if the helper read the rows the import read, by the same library;
2. ``names``: ``name_hashes`` and ``sha256``, with the file's size and modification time.

The import meanwhile checks the register, joins the rows to store, takes (1) to write them, and
waits for (2) last. The helper holds the key, the NIPs and the names only in its memory, writes
nothing to disk, prints nothing (its error output is discarded; a failure is reported by the
name of its type only) and is killed when the import ends or stops early. If it fails, dies or
read another number of rows than the import, the import computes the same values itself (the
same functions: identical results, tested), so the helper only ever changes the speed. If the
file changed since the import started, :class:`FileChanged` is raised: the stored hash would
not be the data's.

Run as ``python -m analysis.data.registers.hash_helper`` it is the helper (it reads its request
from standard input).
"""
from __future__ import annotations

import logging
import os
import pickle
import struct
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np

from ..build_state import sha256 as file_sha256
from . import reader
from .check import normalise_nip
from .codebook import NIP_DIGITS, column_for_header
from .pseudonymise import Pseudonymiser, name_index

log = logging.getLogger(__name__)

PARALLEL_MIN_BYTES = 10_000_000  # smaller files (about 50,000 rows) are done without a helper
HELPER_COMMAND = [sys.executable, "-m", "analysis.data.registers.hash_helper"]
_LENGTH = struct.Struct("<Q")


class FileChanged(Exception):
    """The register file changed while it was being imported."""


def file_state(path: Path) -> tuple[int, int]:
    st = Path(path).stat()
    return st.st_size, st.st_mtime_ns


def nip_ids(key: bytes, raw_nips: list[str]) -> np.ndarray:
    """person_ids of the raw NIP cells ("" where empty), one per cell, as the import computes
    them from the checked column (:func:`.commands.person_ids`)."""
    lengths = np.fromiter(map(len, raw_nips), dtype=np.int64, count=len(raw_nips))
    filled = lengths > 0
    if not ((lengths[filled] == NIP_DIGITS).all() and "".join(raw_nips).isdigit()):
        raw_nips = [normalise_nip(v) for v in raw_nips]  # the check's normalisation
    return Pseudonymiser(key).many("nip:", raw_nips)


def names_and_file(key: bytes, path: Path, raw_names: list[str] | None) -> dict:
    """Message (2): ``name_hashes`` (a :class:`.pseudonymise.NameIndex`; None without a name
    column), ``sha256`` and ``state``."""
    return {"name_hashes": None if raw_names is None else name_index(key, raw_names),
            "sha256": file_sha256(path), "state": file_state(path)}


def personal_positions(headers: list[str]) -> dict[str, int]:
    """Position of the first NIP and the first name column among ``headers`` (as the check
    maps them)."""
    found: dict[str, int] = {}
    for pos, header in enumerate(headers):
        canon = column_for_header(header) if header.strip() else None
        if canon in ("nip", "name") and canon not in found:
            found[canon] = pos
    return found


def _pack(cells: list[str]):
    """One string for a column's cells (quick to send and split), or the list itself when a
    cell holds a line break."""
    joined = "\n".join(cells)
    return joined if joined.count("\n") == max(len(cells) - 1, 0) else list(cells)


def _unpack(packed, n: int) -> list[str]:
    if isinstance(packed, list):
        return packed
    return packed.split("\n") if n else []


# --------------------------------------------------------------------------- the pipe

def _read_exactly(stream, n: int) -> bytes:
    parts, left = [], n
    while left:
        piece = stream.read(min(left, 1 << 24))
        if not piece:
            raise EOFError("the other side closed the pipe")
        parts.append(piece)
        left -= len(piece)
    return b"".join(parts)


def _send(stream, value) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def _receive(stream):
    return pickle.loads(_read_exactly(stream, _LENGTH.unpack(_read_exactly(stream,
                                                                           _LENGTH.size))[0]))


# --------------------------------------------------------------------------- the import's side

class Pending:
    """The hashes of one import: computed by a helper, or here when the import asks."""

    def __init__(self, key: bytes, path: Path, state: tuple[int, int] | None,
                 proc: subprocess.Popen | None = None, positions: dict[str, int] | None = None):
        self.key, self.path, self._state, self._proc = key, Path(path), state, proc
        # CSV: the helper reads these columns itself (None: it gets the cells from send)
        self._positions = positions
        self._table = None
        self._nips: np.ndarray | None = None
        self._nips_taken = False
        self._first: dict | None = None
        self._sender: threading.Thread | None = None

    @property
    def parallel(self) -> bool:
        return self._proc is not None

    def _cells(self, canon: str) -> list[str] | None:
        """The table's cells of the NIP or name column (None without one)."""
        pos = personal_positions(self._table.headers).get(canon)
        return None if pos is None else self._table.values(pos).tolist()

    def send(self, table) -> None:
        """The register is read. Without a CSV request sent at the start, hand its NIP and name
        cells to the helper (by a thread, so the import goes on at once)."""
        self._table = table
        if self._proc is None or self._positions is not None:
            return
        request = {"key": self.key, "path": str(self.path), "rows": len(table)}
        for canon in ("nip", "name"):
            cells = self._cells(canon)
            if cells is not None:
                request[canon] = _pack(cells)
        self._request(request)

    def _request(self, request: dict) -> None:
        def write():
            try:
                _send(self._proc.stdin, request)
                self._proc.stdin.close()
            except (OSError, ValueError):
                pass  # the helper died: noticed when its answer is read

        self._sender = threading.Thread(target=write, name="hash-helper-request", daemon=True)
        self._sender.start()

    def nip_ids(self) -> np.ndarray | None:
        """The helper's person_ids of the NIP cells of the rows checked, one per row (waiting
        for them); None for a CSV, without a helper, without a NIP column, or if the helper
        failed: the import then hashes the checked NIPs itself."""
        if not self._nips_taken:
            self._nips_taken = True
            self._nips = self._helper_nips()
        return self._nips

    def _helper_nips(self) -> np.ndarray | None:
        got = self._receive("nips")
        if got is None:
            return None
        joined, read, library = got
        table = self._table
        if self._positions is not None:  # a CSV the helper read itself (no NIP hashes)
            if library != table.reader or read != table.read_rows:  # e.g. polars, pandas
                self._mismatch(f"{read} (by {library})", f"{table.read_rows} (by {table.reader})")
            return None
        if joined is None:
            return None
        ids = np.array(joined.split("\n") if read else [], dtype=object)
        if len(ids) != len(table):
            return self._mismatch(len(ids), len(table))
        return ids

    def _mismatch(self, helper_rows, rows) -> None:
        log.warning("hashing helper read %s rows, the import %s; hashing here instead",
                    helper_rows, rows)
        self.cancel()

    def names_result(self) -> dict:
        """``name_hashes`` and ``sha256`` (waiting for the helper if need be). Raises
        FileChanged if the file is not the one read."""
        if self._first is None:
            self.nip_ids()  # the helper sends them first
            got = self._receive("names")
            if got is None:
                got = names_and_file(self.key, self.path, self._cells("name"))
            self._first = got
        out = dict(self._first)
        if not (out.pop("state") == self._state == file_state(self.path)):
            raise FileChanged(f"{self.path.name} changed while it was imported; import it again "
                              "once nothing is writing to it")
        return out

    def cancel(self) -> None:
        """Stop the helper (the import is over or stopped early); safe to call twice."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            for stream in (self._proc.stdin, self._proc.stdout):
                try:
                    stream.close()
                except (OSError, ValueError):
                    pass
            self._proc = None
        if self._sender is not None:
            self._sender.join()
            self._sender = None

    def _receive(self, expected: str):
        """The next message if it is ``expected``; None if the helper failed or died (it is
        then stopped, and the import computes what it needs itself)."""
        if self._proc is None:
            return None
        try:
            kind, value = _receive(self._proc.stdout)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, struct.error):
            kind, value = "error", "it ended without a result"
        if kind == expected:
            return value
        log.warning("hashing helper stopped (%s); hashing in this process", value)
        self.cancel()
        return None


def start(key: bytes, path: Path | str, state: tuple[int, int] | None, *,
          parallel: bool | None = None) -> Pending:
    """Start the helper for the register at ``path`` (whose :func:`file_state` was ``state``
    before it was read), before the import reads it. ``parallel``: None = a helper for files of
    PARALLEL_MIN_BYTES or more; True = always; False = never (everything is then computed by the
    import when it asks). Give the table to :meth:`Pending.send` once it is read."""
    path = Path(path)
    if parallel is None:
        try:
            parallel = path.stat().st_size >= PARALLEL_MIN_BYTES
        except OSError:
            parallel = False
    if not parallel:
        return Pending(key, path, state)
    positions = None
    try:
        if reader.sniff_kind(path) == "csv":
            positions = {k: v for k, v in personal_positions(reader.csv_layout(path)[1]).items()
                         if k == "name"}
    except (OSError, reader.NotReadable):
        return Pending(key, path, state)  # the import reports the file
    package_root = str(Path(__file__).resolve().parents[3])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    env.pop("NETRALITAS_KEY", None)  # the helper gets the key through the pipe only
    try:
        proc = subprocess.Popen(HELPER_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=env)
    except OSError as exc:
        log.warning("could not start the hashing helper (%s); hashing in this process", exc)
        return Pending(key, path, state)
    pending = Pending(key, path, state, proc, positions)
    if positions is not None:  # the helper reads the CSV while the import does
        pending._request({"key": key, "path": str(path), "read": positions})
    return pending


# --------------------------------------------------------------------------- the helper's side

def helper_main() -> int:
    """The helper: read one request from standard input, answer on standard output."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may reach the pipe
    sender = None
    try:
        request = _receive(sys.stdin.buffer)
        key, path = request["key"], Path(request["path"])
        if "read" in request:  # a CSV: read the columns here
            positions = request["read"]
            cells, rows, library = reader.read_csv_columns(path, list(positions.values()))
            nips = None  # the import hashes them
            names = cells.get(positions.get("name"))
        else:
            rows, library = request["rows"], None
            nips = _unpack(request["nip"], rows) if "nip" in request else None
            names = _unpack(request["name"], rows) if "name" in request else None
        # one string: faster through the pipe than a pickled array; sent by a thread, as the
        # import takes it only once it has checked the register, and the names are hashed
        # meanwhile
        ids = None if nips is None else "\n".join(nip_ids(key, nips).tolist())
        sender = threading.Thread(target=_send, args=(out, ("nips", (ids, rows, library))))
        sender.start()
        first = names_and_file(key, path, names)
        if first["name_hashes"] is not None:
            first["name_hashes"].json_text()  # the file's text, made here rather than there
        sender.join()
        _send(out, ("names", first))
    except (BrokenPipeError, EOFError):
        return 0  # the import stopped listening
    except BaseException as exc:  # noqa: BLE001 - the type only: a message could quote a value
        try:
            if sender is not None:
                sender.join()  # one message at a time on the pipe
            _send(out, ("error", type(exc).__name__))
        except OSError:
            pass
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(helper_main())
