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
    return name_index(key, names).as_dict()


class NameIndex:
    """``names.json`` of a register, with its hashes kept as one sorted block of 16-byte
    digests (a million of them as Python strings would take a second to make, send and
    write): :meth:`as_dict` gives the content, :meth:`json_text` the file."""

    def __init__(self, fields: dict, digests: bytes):
        self.fields, self.digests = fields, digests
        self._text: str | None = None

    def __len__(self) -> int:
        return len(self.digests) // (NAME_HASH_HEX // 2)

    def as_dict(self) -> dict:
        hexed = self.digests.hex()
        return {**self.fields, "hashes": [hexed[i:i + NAME_HASH_HEX]
                                          for i in range(0, len(hexed), NAME_HASH_HEX)]}

    def json_text(self) -> str:
        """The file: one line per key, keys sorted, compact values (what
        ``json.dumps(value, separators=(',', ':'))`` gives for each). Made once, then kept (the
        import's helper makes it before sending the index)."""
        import json

        if self._text is not None:
            return self._text

        # each hash as '"' + 32 hex digits + '",', made for all at once from the hex digits
        digits = np.frombuffer(self.digests.hex().encode("ascii"), dtype="S32")
        hashes = "[" + np.char.add(np.char.add(b'"', digits), b'",').tobytes()[:-1].decode(
            "ascii") + "]"
        lines = {k: json.dumps(v, separators=(",", ":")) for k, v in self.fields.items()}
        lines["hashes"] = hashes
        self._text = "{\n" + ",\n".join(f"{json.dumps(k)}:{v}"
                                         for k, v in sorted(lines.items())) + "\n}\n"
        return self._text


def name_index(key: bytes, names) -> NameIndex:
    """:func:`name_hashes` as a :class:`NameIndex`."""
    p = Pseudonymiser(key)
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


# All names at once, for a national register (a million names in about a second instead of
# several name by name). Names in plain ASCII without apostrophes and with at most
# MAX_NAME_WORDS words (nearly all) are normalised together inside one byte string with numpy:
# the whole name, and its core (cut at the first comma, leading titles removed). Every other
# name takes name_variants. Both give the same variants (tested on random and hostile names).
_LETTERS = bytes(range(ord("a"), ord("z") + 1))
_TO_SPACE = bytes(b if b in _LETTERS + b"\n," else 32 for b in range(256))  # a-z \n , kept
_SLOW_BYTES = np.zeros(256, dtype=bool)
_SLOW_BYTES[128:] = True  # non-ASCII: NFKC and casefold may change it
_SLOW_BYTES[[ord("'"), ord("`")]] = True  # apostrophes join the letters around them
_LEADING_TITLES = re.compile(
    rb"\n(?:(?:" + b"|".join(sorted((t.encode() for t in TITLE_WORDS), key=len, reverse=True))
    + rb")(?: |(?=\n)|$))+")


def _collapse(text: np.ndarray) -> np.ndarray:
    """Bytes of letters, spaces and line breaks with every run of spaces made one space, and
    none at the start or end of a line."""
    space, brk = text == 32, text == 10
    text = text[~(space & np.concatenate(([True], space[:-1] | brk[:-1])))]
    space = text == 32
    return text[~(space & np.concatenate(((text[1:] == 10), [True])))]


def _line_counts(text: np.ndarray):
    """(words per line, letters per line, bytes per line with its break) of collapsed
    ``text``."""
    breaks = np.flatnonzero(text == 10)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(text)]))
    # spaces per line: each space counted for the line it is on
    spaces = np.bincount(np.searchsorted(breaks, np.flatnonzero(text == 32)),
                         minlength=len(starts))
    lengths = ends - starts
    words = np.where(lengths > 0, spaces + 1, 0)
    line_bytes = lengths + 1
    line_bytes[-1] -= 1  # the last line has no break after it
    return words, lengths - spaces, line_bytes


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


def _variant_lines(names: list[str]) -> tuple[list[bytes], np.ndarray, set[str]]:
    """The variants of ``names`` (strings) as UTF-8 bytes (words joined by one space; a variant
    shared by two names may appear twice), the words of each, and the distinct words."""
    if not names:
        return _lines_one_by_one([])
    raw = "\n".join(names).encode("utf-8")
    if raw.count(b"\n") != len(names) - 1:  # a name holds a line break: name by name
        return _lines_one_by_one(names)
    arr = np.frombuffer(raw, dtype=np.uint8)
    breaks = np.flatnonzero(arr == 10)
    slow = np.zeros(len(names), dtype=bool)
    if not raw.isascii() or b"'" in raw or b"`" in raw:
        slow[np.unique(np.searchsorted(breaks, np.flatnonzero(_SLOW_BYTES[arr])))] = True
    text = np.frombuffer(raw.lower().translate(_TO_SPACE), dtype=np.uint8)
    comma = text == 44
    whole = np.where(comma, np.uint8(32), text)  # the whole name: a comma separates words
    # the core: from each line's first comma to its end made spaces, then titles in front cut
    core = whole
    if comma.any():
        at = np.flatnonzero(comma)
        line = np.searchsorted(breaks, at)
        first = at[np.concatenate(([True], line[1:] != line[:-1]))]
        line_end = np.append(breaks, len(text))[np.searchsorted(breaks, first)]
        step = np.zeros(len(text) + 1, dtype=np.int8)
        np.add.at(step, first, 1)
        np.add.at(step, line_end, -1)
        core = np.where(np.cumsum(step[:-1], dtype=np.int8) > 0, np.uint8(32), whole)
    core = np.frombuffer(_LEADING_TITLES.sub(b"\n", b"\n" + _collapse(core).tobytes())[1:],
                         dtype=np.uint8)
    whole = _collapse(whole)
    words, letters, line_bytes = _line_counts(whole)
    core_words, core_letters, _ = _line_counts(core)
    slow |= words > MAX_NAME_WORDS
    kept = ~slow & (letters >= MIN_NAME_LETTERS)
    # a core differs from its whole name only where it is shorter (commas, titles cut)
    other = ~slow & (core_letters < letters) & (core_letters >= MIN_NAME_LETTERS)
    rest = _lines_one_by_one(itertools.compress(names, slow.tolist()))
    # the words of the kept whole names (a core's words are among its whole name's)
    shown = np.where(np.repeat(kept, line_bytes), whole, np.uint8(32)).tobytes()
    distinct_words = {w.decode("ascii") for w in set(shown.split())}
    return (list(itertools.compress(whole.tobytes().split(b"\n"), kept.tolist()))
            + list(itertools.compress(core.tobytes().split(b"\n"), other.tolist())) + rest[0],
            np.concatenate((words[kept], core_words[other], rest[1])),
            distinct_words | rest[2])


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
