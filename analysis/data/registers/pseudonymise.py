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
import itertools
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

    def _keyed(self, prefix: str):
        """A function from a message to the finished outer hash of HMAC(prefix + message); the
        prefix is hashed once, not per message."""
        inner = self._inner.copy()
        inner.update(prefix.encode("utf-8"))
        icopy, ocopy = inner.copy, self._outer.copy

        def outer_hash(message: bytes):
            h = icopy()
            h.update(message)
            o = ocopy()
            o.update(h.digest())
            return o

        return outer_hash

    def digest_array(self, prefix: str, messages: list[bytes]) -> np.ndarray:
        """HMAC(prefix + message) of each of ``messages`` (UTF-8 bytes) as rows of a
        (len, 32) uint8 array."""
        blob = b"".join([o.digest() for o in map(self._keyed(prefix), messages)])
        return np.frombuffer(blob, dtype=np.uint8).reshape(-1, 32)

    def digest_values(self, prefix: str, values: list[str]) -> np.ndarray:
        """:meth:`digest_array` of text ``values`` (encoded as UTF-8)."""
        return self.digest_array(prefix, _encoded(values))

    def many(self, prefix: str, values, nhex: int = PERSON_ID_HEX) -> np.ndarray:
        """The first ``nhex`` hex digits of HMAC(prefix + value) for each of ``values`` ("" for
        ""), as an object array (about 0.7 s a million; person_ids by default)."""
        values = list(values)
        filled = np.fromiter(map(bool, values), dtype=bool, count=len(values))
        if not filled.all():  # hash only the non-empty values
            out = np.full(len(values), "", dtype=object)
            if filled.any():
                out[filled] = self.many(prefix, [v for v in values if v], nhex)
            return out
        hexed = [o.hexdigest()[:nhex] for o in map(self._keyed(prefix), _encoded(values))]
        return np.array(hexed + [""], dtype=object)[:-1]


def _encoded(values: list[str]) -> list[bytes]:
    joined = "\n".join(values)
    if joined.count("\n") == max(len(values) - 1, 0):  # one C-speed encode for all
        return joined.encode("utf-8").split(b"\n") if values else []
    return [v.encode("utf-8") for v in values]


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
    (apostrophes inside a word dropped, so ``qa'qb`` = ``qa’qb`` = ``qaqb``); punctuation,
    digits and markup separate words. Used for register names and for published text alike."""
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
    return name_index(key, names).as_dict()


class NameIndex:
    """``names.json`` of a register, with its hashes kept as one sorted block of 16-byte
    digests (a million of them as Python strings would take a second to make, send and
    write): :meth:`as_dict` gives the content, :meth:`json_bytes` the file."""

    def __init__(self, fields: dict, digests: bytes):
        self.fields, self.digests = fields, digests
        self._bytes: bytes | None = None

    def __len__(self) -> int:
        return len(self.digests) // (NAME_HASH_HEX // 2)

    def as_dict(self) -> dict:
        hexed = self.digests.hex()
        return {**self.fields, "hashes": [hexed[i:i + NAME_HASH_HEX]
                                          for i in range(0, len(hexed), NAME_HASH_HEX)]}

    def json_text(self) -> str:
        """:meth:`json_bytes` as text."""
        return self.json_bytes().decode("ascii")

    def json_bytes(self) -> bytes:
        """The file: one line per key, keys sorted, compact values (what
        ``json.dumps(value, separators=(',', ':'))`` gives for each), in ASCII. Made once, then
        kept (the import's helper makes it before sending the index)."""
        import json

        if self._bytes is not None:
            return self._bytes
        # each hash as '"' + 32 hex digits + '",', made for all at once as rows of bytes
        digests = np.frombuffer(self.digests, dtype=np.uint8).reshape(-1, NAME_HASH_HEX // 2)
        rows = np.empty((len(digests), NAME_HASH_HEX + 3), dtype=np.uint8)
        rows[:, 0] = rows[:, -2] = ord('"')
        rows[:, -1] = ord(",")
        rows[:, 1:-2:2] = _HEX_DIGITS[digests >> 4]
        rows[:, 2:-2:2] = _HEX_DIGITS[digests & 15]
        lines = {k: json.dumps(v, separators=(",", ":")).encode("ascii")
                 for k, v in self.fields.items()}
        pieces = [b"{\n"]
        for k in sorted([*lines, "hashes"]):
            pieces += [b",\n"] if len(pieces) > 1 else []
            pieces.append(json.dumps(k).encode("ascii") + b":")
            if k == "hashes":
                pieces += [b"[", memoryview(rows.reshape(-1))[:-1], b"]"]
            else:
                pieces.append(lines[k])
        pieces.append(b"\n}\n")
        self._bytes = b"".join(pieces)
        return self._bytes


_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def name_index(key: bytes, names) -> NameIndex:
    """:func:`name_hashes` as a :class:`NameIndex`."""
    import polars as pl

    p = Pseudonymiser(key)
    if isinstance(names, pl.Series):  # a text column (null: no name)
        names = names.cast(pl.String).fill_null("")
    else:
        names = names if isinstance(names, list) else list(names)
        kinds = set(map(type, names))
        if kinds - {str}:  # None for a missing cell; numbers from a spreadsheet, say
            names = [str(n) for n in names if n is not None]
    lines, word_counts, words = _variant_lines(names)
    # every variant hashed (nearly all are distinct), then sorted and made distinct by numpy
    digests = _sorted_distinct(p.digest_array("fullname:", lines)[:, :NAME_HASH_HEX // 2])
    tokens = sorted(set(p.many("token:", sorted(words), TOKEN_HASH_HEX).tolist()))
    one_word = set(itertools.compress(lines, (word_counts == 1).tolist()))
    fields = {"version": NAME_HASH_VERSION,
              "scheme": "hmac-sha256(register key, 'fullname:' + name words joined by one space)"
                        f"[:{NAME_HASH_HEX}]; words = NFKC, casefolded, letters only",
              "key_fingerprint": key_fingerprint(key), "tokens": tokens,
              "max_words": int(word_counts.max(initial=0)), "one_word": len(one_word)}
    return NameIndex(fields, digests)


def _sorted_distinct(digests: list[bytes] | np.ndarray) -> bytes:
    """The distinct 16-byte ``digests`` (a list, or the rows of an (n, 16) uint8 array), sorted
    as bytes, concatenated (numpy: a million in a fraction of a second)."""
    if len(digests) == 0:
        return b""
    if isinstance(digests, np.ndarray):
        if digests.ndim != 2 or digests.shape[1] != 16 or digests.dtype != np.uint8:
            raise ValueError("expected an (n, 16) uint8 array")
        blob = np.ascontiguousarray(digests).tobytes()
    else:
        if {len(d) for d in digests} != {16}:
            raise ValueError("expected 16-byte digests")
        blob = b"".join(digests)
    # read big-endian (so numbers sort as the bytes do), sorted in native order
    pairs = np.frombuffer(blob, dtype=">u8").reshape(-1, 2).astype(np.uint64)
    ranked = pairs[np.argsort(pairs[:, 0])]
    tie = ranked[1:, 0] == ranked[:-1, 0]
    if tie.any():  # the same digest twice (a variant of two names), dropped
        ranked = ranked[np.concatenate(([True], ~(tie & (ranked[1:, 1] == ranked[:-1, 1]))))]
        if (ranked[1:, 0] == ranked[:-1, 0]).any():  # equal first halves left: sort by both
            ranked = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
            ranked = ranked[np.concatenate(([True], (ranked[1:] != ranked[:-1]).any(axis=1)))]
    return ranked.astype(">u8").tobytes()


class VariantTable:
    """The variants of many names: ``variants`` (words joined by one space; a variant shared by
    two names may appear twice), ``word_counts`` (one per variant) and ``words`` (the distinct
    words of all variants)."""

    def __init__(self, variants: list[str], word_counts: np.ndarray, words: set[str]):
        self.variants, self.word_counts, self.words = variants, word_counts, words


def joined_variants(names: list[str]) -> set[str]:
    """The union of :func:`name_variants` of ``names``, each variant as its words joined by one
    space."""
    return set(variant_table(list(names)).variants)


def variant_table(names: list[str]) -> VariantTable:
    """:class:`VariantTable` of ``names`` (strings)."""
    lines, word_counts, words = _variant_lines(names)
    return VariantTable([v.decode("utf-8") for v in lines], word_counts, words)


def _variant_lines(names) -> tuple[list[bytes], np.ndarray, set[str]]:
    """The variants of ``names`` (strings, or a polars text Series) as UTF-8 bytes (words joined
    by one space; a variant shared by two names may appear twice), the words of each, and the
    distinct words.

    Names in plain ASCII without apostrophes or line breaks, of at most MAX_NAME_WORDS words
    (nearly all) are normalised together by polars' string kernels: the whole name (letters
    only, a comma separates words) and its core (cut at the first comma, leading titles
    removed); every other name takes :func:`name_variants`. Both give the same variants
    (tested on random and hostile names)."""
    import polars as pl

    series = names if isinstance(names, pl.Series) else pl.Series(
        "name", list(names), dtype=pl.String)
    series = series.fill_null("")
    if series.len() == 0:
        return _lines_one_by_one([])
    low = pl.col("name").str.to_lowercase()
    frame = pl.LazyFrame({"name": series}).select(  # one query: polars runs it in parallel
        slow=pl.col("name").str.contains(r"[^\x00-\x7F]|['`\n]"),
        whole=low.str.replace_all(r"[^a-z]+", " ").str.strip_chars(" "),
        core=low.str.replace(r",.*", "").str.replace_all(r"[^a-z]+", " ")
        .str.strip_chars(" ").str.replace(_CORE_TITLES, "")
    ).with_columns(
        words=_words(pl.col("whole")), core_words=_words(pl.col("core")),
        n=pl.col("whole").str.len_bytes(), core_n=pl.col("core").str.len_bytes()
    ).with_columns(
        slow=pl.col("slow") | (pl.col("words") > MAX_NAME_WORDS),
        n=pl.col("n") - pl.col("words").clip(lower_bound=1) + 1,  # letters: spaces taken off
        core_n=pl.col("core_n") - pl.col("core_words").clip(lower_bound=1) + 1
    ).with_columns(
        kept=~pl.col("slow") & (pl.col("n") >= MIN_NAME_LETTERS),
        other=~pl.col("slow") & (pl.col("core_n") < pl.col("n"))
        & (pl.col("core_n") >= MIN_NAME_LETTERS)).collect()
    kept = frame.filter("kept")
    other = frame.filter("other")
    rest = _lines_one_by_one(series.filter(frame["slow"]).to_list())
    lines = pl.concat([kept["whole"], other["core"].alias("whole")]).cast(pl.Binary).to_list()
    words = set(kept.lazy().select(pl.col("whole").str.split(" ").explode().unique())
                .collect().to_series().to_list()) - {""}
    return (lines + rest[0],
            np.concatenate((kept["words"].to_numpy(), other["core_words"].to_numpy(),
                            rest[1])).astype(np.int64),
            words | rest[2])


def _words(column):
    """Words in a collapsed string (0 for an empty one)."""
    import polars as pl

    return (pl.when(column.str.len_bytes() > 0)
            .then(column.str.count_matches(" ", literal=True) + 1).otherwise(0))


# the titles in front of a core name, each followed by a space or the end
_CORE_TITLES = r"^(?:(?:" + "|".join(sorted(TITLE_WORDS, key=len, reverse=True)) + r")(?: |$))+"


def _lines_one_by_one(names) -> tuple[list[bytes], np.ndarray, set[str]]:
    table = _table_one_by_one(names)
    return [v.encode("utf-8") for v in table.variants], table.word_counts, table.words


def _table_one_by_one(names) -> VariantTable:
    variants: set[tuple[str, ...]] = set()
    for name in names:
        variants |= name_variants(name)
    ordered = sorted(variants)
    return VariantTable([" ".join(v) for v in ordered],
                        np.array([len(v) for v in ordered], dtype=np.int64),
                        {w for v in ordered for w in v})
