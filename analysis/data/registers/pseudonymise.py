"""Keyed pseudonyms for civil servants: HMAC-SHA256 of the NIP (or, lacking one, the name).

``person_id`` = the first 16 hex digits (64 bits) of HMAC-SHA256(key, "nip:" + NIP digits), or,
when a case has no NIP, of HMAC-SHA256(key, "name:" + normalised name) (NFKC, casefolded,
whitespace collapsed). The prefixes keep the two kinds apart. With 64 bits the chance that any
two of n distinct persons collide is about n^2 / 2^65 (3e-8 for a million persons).

The key is secret and never stored: it comes from the environment variable ``NETRALITAS_KEY`` or
a key file outside the repository. :func:`key_fingerprint` (an HMAC of a fixed label) is stored
with a register so a later import with a different key is detected. Without the key nobody can
recompute a pseudonym from a NIP (a bare hash of 18-digit NIPs could be brute-forced).
"""
from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import numpy as np

from ... import paths
from .codebook import PERSON_ID_HEX

ENV_KEY = "NETRALITAS_KEY"
MIN_KEY_BYTES = 16
_FINGERPRINT_LABEL = b"netralitas register key fingerprint v1"


class KeyProblem(Exception):
    """The key is missing or not acceptable; the message says what to do."""


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def load_key(key_file: Path | str | None = None, *, root: Path | None = None,
             environ: dict | None = None) -> bytes:
    """The register key from ``key_file`` or else ``$NETRALITAS_KEY``; raise KeyProblem if none.

    A key file inside the repository (``root``, default :data:`analysis.paths.ROOT`) is refused:
    it could be committed. Surrounding whitespace is removed; at least 16 bytes must remain.
    """
    environ = os.environ if environ is None else environ
    root = Path(root or paths.ROOT)
    if key_file is not None:
        key_path = Path(key_file).expanduser()
        if _inside(key_path, root):
            raise KeyProblem(f"the key file {key_path} is inside the repository ({root}); keep "
                            "the key outside it (e.g. ~/.config/netralitas/register.key) so it "
                            "is never committed")
        if not key_path.is_file():
            raise KeyProblem(f"the key file {key_path} does not exist")
        key = key_path.read_bytes().strip()
        source = f"key file {key_path}"
    elif environ.get(ENV_KEY):
        key = environ[ENV_KEY].strip().encode("utf-8")
        source = f"${ENV_KEY}"
    else:
        raise KeyProblem(f"no pseudonymisation key: set {ENV_KEY} or pass --key-file PATH (a "
                        f"secret of at least {MIN_KEY_BYTES} bytes kept outside the repository, "
                        "e.g. made with: python -c \"import secrets; "
                        "print(secrets.token_hex(32))\"); the same key must be used for every "
                        "import")
    if len(key) < MIN_KEY_BYTES:
        raise KeyProblem(f"the key from {source} is {len(key)} bytes; at least {MIN_KEY_BYTES} "
                        "are required")
    return key


def key_fingerprint(key: bytes) -> str:
    """A public fingerprint of ``key`` (HMAC of a fixed label, 16 hex digits)."""
    return hmac.new(key, _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:16]


class Pseudonymiser:
    """HMAC-SHA256 with the key's inner and outer states computed once (fast for many values)."""

    def __init__(self, key: bytes):
        block = hashlib.sha256().block_size
        if len(key) > block:
            key = hashlib.sha256(key).digest()
        key = key.ljust(block, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
        self._nbytes = PERSON_ID_HEX // 2

    def digest(self, message: bytes) -> str:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()[: self._nbytes].hex()

    def many(self, prefix: str, values) -> np.ndarray:
        """person_ids of ``values`` ("" for ""), as an object array (about 0.7 s a million)."""
        values = list(values)
        inner = self._inner.copy()
        inner.update(prefix.encode("utf-8"))  # the prefix is hashed once, not per value
        icopy, ocopy, n = inner.copy, self._outer.copy, PERSON_ID_HEX

        def one(message: bytes) -> str:
            h = icopy()
            h.update(message)
            o = ocopy()
            o.update(h.digest())
            return o.hexdigest()[:n]

        filled = np.fromiter(map(bool, values), dtype=bool, count=len(values))
        if not filled.all():  # hash only the non-empty values
            out = np.full(len(values), "", dtype=object)
            if filled.any():
                out[filled] = self.many(prefix, [v for v in values if v])
            return out
        joined = "\n".join(values)
        if joined.count("\n") == max(len(values) - 1, 0):  # one C-speed encode for all
            encoded = joined.encode("utf-8").split(b"\n") if values else []
        else:
            encoded = [v.encode("utf-8") for v in values]
        return np.array(list(map(one, encoded)) + [""], dtype=object)[:-1]


def person_id(key: bytes, nip: str = "", name: str = "") -> str:
    """The pseudonym of one person (NIP digits preferred; normalised name otherwise)."""
    from .check import nip_digits, normalise_name

    p = Pseudonymiser(key)
    digits = nip_digits(nip or "")
    if digits:
        return p.digest(b"nip:" + digits.encode())
    norm = normalise_name(name or "")
    return p.digest(b"name:" + norm.encode()) if norm else ""
