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
import re
import unicodedata
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


# --------------------------------------------------------------------------- name hashes
# Registers keep no names, yet the build must refuse to publish a name from an imported
# register. At import, the keyed hashes of the register's names are stored (``names.json``, see
# :func:`name_hashes`); the scan (:mod:`.scan`) hashes every run of 1 to ``max_words``
# consecutive words of a published file with the same key and compares. The hashes are a set,
# sorted, and use their own prefix ("fullname:"), so they cannot be joined to a case or to a
# person_id; without the key nobody can test a guessed name against them.

NAME_HASH_HEX = 32  # 128 bits: a chance match of any text run is negligible
TOKEN_HASH_HEX = 5  # 20-bit token prefilter: says "maybe part of a name", reveals nothing
MIN_NAME_LETTERS = 4  # a name (all its words) with fewer letters is not stored: too ambiguous
MAX_NAME_WORDS = 8  # longer names are stored by their first 8 words
NAME_HASH_VERSION = 1
_WORD = re.compile(r"[^\W\d_]+(?:['’`][^\W\d_]+)*")
_APOSTROPHES = str.maketrans("", "", "'’`")
# Titles written before an Indonesian name (degrees follow a comma and are cut there).
TITLE_WORDS = frozenset({
    "h", "hj", "haji", "hajjah", "dr", "drs", "dra", "ir", "prof", "kh", "tgh", "tuan", "r",
    "rr", "raden", "bapak", "ibu", "bpk", "sdr", "sdri", "saudara", "saudari", "apt", "ns",
})


def name_words(text: str) -> list[str]:
    """The words of ``text`` as the name scan sees them: NFKC, casefolded, letters only
    (apostrophes inside a word dropped, so Ma'ruf = Ma’ruf = maruf); punctuation, digits and
    markup separate words. Used for register names and for published text alike."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return [w.translate(_APOSTROPHES) for w in _WORD.findall(text)]


def name_variants(name: str) -> set[tuple[str, ...]]:
    """The word sequences a name is found by: the whole name, and the name without the titles
    in front of it (Drs., H., Dr. ...) and without the degrees after its first comma
    (", S.Pd., M.Si."). Sequences with fewer than MIN_NAME_LETTERS letters are left out."""
    name = str(name or "")
    words = name_words(name)
    variants = {tuple(words)}
    core = name_words(name.split(",", 1)[0]) if "," in name else list(words)
    while core and core[0] in TITLE_WORDS:
        core = core[1:]
    variants.add(tuple(core))
    return {v[:MAX_NAME_WORDS] for v in variants
            if v and sum(len(w) for w in v) >= MIN_NAME_LETTERS}


def name_hash(p: Pseudonymiser | bytes, words) -> str:
    p = Pseudonymiser(p) if isinstance(p, (bytes, bytearray)) else p
    return _hmac_hex(p, b"fullname:" + " ".join(words).encode("utf-8"), NAME_HASH_HEX)


def token_hash(p: Pseudonymiser | bytes, word: str) -> str:
    p = Pseudonymiser(p) if isinstance(p, (bytes, bytearray)) else p
    return _hmac_hex(p, b"token:" + word.encode("utf-8"), TOKEN_HASH_HEX)


def _hmac_hex(p: Pseudonymiser, message: bytes, nhex: int) -> str:
    inner = p._inner.copy()
    inner.update(message)
    outer = p._outer.copy()
    outer.update(inner.digest())
    return outer.hexdigest()[:nhex]


def name_hashes(key: bytes, names) -> dict:
    """The content of ``names.json`` for a register's names (never the names themselves).

    ``{"version", "scheme", "key_fingerprint", "hashes": [...], "tokens": [...], "max_words",
    "one_word"}``: ``hashes`` are HMAC-SHA256 (first 32 hex digits) of "fullname:" + the words of
    each variant of each distinct name (:func:`name_variants`); ``tokens`` the 20-bit hashes of
    every word in them (a prefilter); ``one_word`` how many hashes are of one-word names, which
    can also be ordinary words (a build finding for them says so).
    """
    p = Pseudonymiser(key)
    variants: set[tuple[str, ...]] = set()
    for name in dict.fromkeys(str(n) for n in names if n is not None and str(n).strip()):
        variants |= name_variants(name)
    hashes = sorted({name_hash(p, v) for v in variants})
    words = {w for v in variants for w in v}  # each distinct word hashed once
    tokens = sorted({token_hash(p, w) for w in words})
    return {"version": NAME_HASH_VERSION,
            "scheme": "hmac-sha256(register key, 'fullname:' + name words joined by one space)"
                      f"[:{NAME_HASH_HEX}]; words = NFKC, casefolded, letters only",
            "key_fingerprint": key_fingerprint(key), "hashes": hashes, "tokens": tokens,
            "max_words": max((len(v) for v in variants), default=0),
            "one_word": sum(len(v) == 1 for v in variants)}
