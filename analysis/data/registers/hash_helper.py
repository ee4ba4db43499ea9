"""Keyed hashes of a large register, computed by a helper process while the import checks it.

Besides checking, an import computes the person_ids (HMAC of each row's NIP), the keyed hashes of
every name for the publication scan (:func:`.pseudonymise.name_hashes`, ``names.json``) and the
file's SHA-256. For a national register these take seconds, bound to one core in Python, as does
the check. So for a large register the import starts a helper at once: a new Python process (a
new process, not a fork, so it shares no memory with the import and runs on any system). It
gets the key and the file's path through a pipe (never on its command line or in its
environment) and computes the file's SHA-256 while the import reads the file. Once the file is
read, the import sends it the cells of the NIP and name columns (as Arrow IPC bytes when polars
read the file, else as text) and goes on checking; the helper sends back, in order:

1. ``nips``: for the first HELPER_NIP_SHARE of the rows (the import hashes the others, so that
   both processes end together), the first PERSON_ID_HEX / 2 bytes of HMAC "nip:" of each
   row's NIP, normalised as the check normalises it (:func:`.codebook.normalise_nip`; zeros
   where there is none), as one block of bytes, and the number of rows;
2. ``names``: ``name_hashes`` and ``sha256``, with the file's size and modification time.

The import meanwhile checks the register and aggregates it, takes (1) to write the person_ids
and waits for (2) last. (The helper does not read the file again: reading is the import's
fastest step, and two processes reading at once on two cores slowed both.) The helper holds the
key, the NIPs and the names only in its memory, writes nothing to disk, prints nothing (its
error output is discarded; a failure is reported by the name of its type only) and is killed
when the import ends or stops early. If it fails, dies or sends another number of rows than
the import has, the import computes the same values itself (the same functions: identical
results, tested), so the helper only ever changes the speed. If the file changed since the
import started, :class:`FileChanged` is raised: the stored hash would not be the data's.

Run as ``python -m analysis.data.registers.hash_helper`` it is the helper (it reads its request
from standard input).
"""
from __future__ import annotations

import io
import itertools
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
from .codebook import NIP_DIGITS, PERSON_ID_HEX, column_for_header, normalise_nip
from .pseudonymise import Pseudonymiser, name_index

log = logging.getLogger(__name__)

PARALLEL_MIN_BYTES = 10_000_000  # smaller files (about 50,000 rows) are done without a helper
# the share of the rows whose NIPs the helper hashes; the import hashes the others while the
# helper hashes the names, so that both end together (measured on 2 cores, 1M rows)
HELPER_NIP_SHARE = 0.2
HELPER_COMMAND = [sys.executable, "-m", "analysis.data.registers.hash_helper"]
_LENGTH = struct.Struct("<Q")


class FileChanged(Exception):
    """The register file changed while it was being imported."""


def file_state(path: Path) -> tuple[int, int]:
    st = Path(path).stat()
    return st.st_size, st.st_mtime_ns


def nip_digests(key: bytes, raw_nips) -> np.ndarray:
    """The person_id bytes (PERSON_ID_HEX / 2 of HMAC "nip:") of the raw NIP cells (a list or a
    polars Series), normalised as the check normalises them; zeros where a cell holds no NIP.
    One row of an (n, PERSON_ID_HEX / 2) uint8 array per cell."""
    import polars as pl

    series = raw_nips if isinstance(raw_nips, pl.Series) else pl.Series(
        "nip", raw_nips, dtype=pl.String)
    series = series.fill_null("")
    lengths = series.str.len_bytes().to_numpy()
    filled = lengths > 0
    nbytes = PERSON_ID_HEX // 2
    out = np.zeros((len(series), nbytes), dtype=np.uint8)
    if not filled.any():
        return out
    if (lengths[filled] == NIP_DIGITS).all() and series.str.contains(r"^[0-9]*$").all():
        messages = series.filter(pl.Series(filled)).cast(pl.Binary).to_list()
    else:  # the check's normalisation
        normal = [normalise_nip(v) for v in series.to_list()]
        filled = np.fromiter(map(bool, normal), dtype=bool, count=len(normal))
        messages = [v.encode("utf-8") for v in itertools.compress(normal, filled.tolist())]
    if messages:
        out[filled] = Pseudonymiser(key).digest_array("nip:", messages)[:, :nbytes]
    return out


def file_hash(path: Path) -> dict:
    """``sha256`` and ``state`` of the file (part of message 2)."""
    return {"sha256": file_sha256(path), "state": file_state(path)}


def names_and_file(key: bytes, path: Path, raw_names, file: dict | None = None) -> dict:
    """Message (2): ``name_hashes`` (a :class:`.pseudonymise.NameIndex`; None without a name
    column) and :func:`file_hash` (``file``, if already computed)."""
    return {"name_hashes": None if raw_names is None else name_index(key, raw_names),
            **(file or file_hash(path))}


def personal_positions(headers: list[str]) -> dict[str, int]:
    """Position of the first NIP and the first name column among ``headers`` (as the check
    maps them)."""
    found: dict[str, int] = {}
    for pos, header in enumerate(headers):
        canon = column_for_header(header) if header.strip() else None
        if canon in ("nip", "name") and canon not in found:
            found[canon] = pos
    return found


def _pack(table, pos: int):
    """A column of the table to send: Arrow IPC bytes of its polars Series (quick to write and
    read), or one string of its cells (quick to send and split), or the list of its cells when
    one holds a line break."""
    if table.polars_frame is not None:
        buffer = io.BytesIO()
        table.polars_frame.select(str(pos)).write_ipc(buffer, compression="uncompressed")
        return ("ipc", buffer.getvalue())
    cells = table.values(pos).tolist()
    joined = "\n".join(cells)
    return ("text", joined if joined.count("\n") == max(len(cells) - 1, 0) else cells)


def _unpack(packed, n: int):
    """The cells of a packed column: a polars Series or a list of str."""
    kind, data = packed
    if kind == "ipc":
        import polars as pl

        frame = pl.read_ipc(io.BytesIO(data))
        return frame.to_series(0)
    if isinstance(data, list):
        return data
    return data.split("\n") if n else []


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
                 proc: subprocess.Popen | None = None):
        self.key, self.path, self._state, self._proc = key, Path(path), state, proc
        self._table = None
        self._nips: np.ndarray | None = None
        self._nips_taken = False
        self._first: dict | None = None
        self._senders: list[threading.Thread] = []

    @property
    def parallel(self) -> bool:
        return self._proc is not None

    def _cells(self, canon: str) -> list[str] | None:
        """The table's cells of the NIP or name column (None without one)."""
        pos = personal_positions(self._table.headers).get(canon)
        return None if pos is None else self._table.values(pos).tolist()

    def send(self, table) -> None:
        """The register is read: hand its NIP and name cells to the helper (by a thread, so
        the import goes on at once)."""
        self._table = table
        if self._proc is None:
            return
        request = {"rows": len(table), "nip_rows": round(len(table) * HELPER_NIP_SHARE)}
        for canon, pos in personal_positions(table.headers).items():
            request[canon] = _pack(table, pos)
        self._request(request, last=True)

    def _request(self, request: dict, last: bool = False) -> None:
        before = list(self._senders)

        def write():
            for thread in before:  # one message at a time, in order
                thread.join()
            try:
                _send(self._proc.stdin, request)
                if last:
                    self._proc.stdin.close()
            except (OSError, ValueError, AttributeError):
                pass  # the helper died: noticed when its answer is read

        sender = threading.Thread(target=write, name="hash-helper-request", daemon=True)
        self._senders.append(sender)
        sender.start()

    def nip_ids(self) -> np.ndarray | None:
        """The helper's person_id bytes of the NIPs of the first rows checked
        (:func:`nip_digests`, one row per row; waiting for them); None without a helper,
        without a NIP column, or if the helper failed: the import then hashes the checked NIPs
        itself, as it hashes those of the other rows."""
        if not self._nips_taken:
            self._nips_taken = True
            self._nips = self._helper_nips()
        return self._nips

    def _helper_nips(self) -> np.ndarray | None:
        got = self._receive("nips")
        if got is None:
            return None
        blob, rows = got
        if rows != len(self._table):
            return self._mismatch(rows, len(self._table))
        if blob is None:
            return None
        return np.frombuffer(blob, dtype=np.uint8).reshape(-1, PERSON_ID_HEX // 2)

    def _mismatch(self, helper_rows, rows) -> None:
        log.warning("hashing helper got %s rows, the import has %s; hashing here instead",
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
        for sender in self._senders:
            sender.join()
        self._senders = []

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
    pending = Pending(key, path, state, proc)
    pending._request({"key": key, "path": str(path)})  # it hashes the file meanwhile
    return pending


# --------------------------------------------------------------------------- the helper's side

def helper_main() -> int:
    """The helper: read its two requests from standard input, answer on standard output."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may reach the pipe
    sender = None
    try:
        request = _receive(sys.stdin.buffer)
        key, path = request["key"], Path(request["path"])
        file = file_hash(path)  # while the import reads the file
        cells = _receive(sys.stdin.buffer)
        rows = cells["rows"]
        nips = _unpack(cells["nip"], rows) if "nip" in cells else None
        names = _unpack(cells["name"], rows) if "name" in cells else None
        # sent by a thread, as the import takes them only once it has checked the register,
        # and the names are hashed meanwhile
        head = cells.get("nip_rows", rows)  # the import hashes the rest
        blob = None if nips is None else nip_digests(key, nips[:head]).tobytes()
        sender = threading.Thread(target=_send, args=(out, ("nips", (blob, rows))))
        sender.start()
        first = names_and_file(key, path, names, file)
        if first["name_hashes"] is not None:
            first["name_hashes"].json_bytes()  # the file, made here rather than there
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
