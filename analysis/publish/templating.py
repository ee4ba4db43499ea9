"""Jinja environments over the package's templates (``analysis/publish/templates``).

Every page, brief and index is rendered from these: autoescaped (text from data is untrusted),
strict about undefined names, blocks trimmed. Environments made with the same options share,
within a process, each template's compiled code: the Indonesian and English editions, and the
index on every build, compile a template once instead of once per environment (a no-op rebuild
compiled its three index templates twice). A template whose source changed is compiled again
(Jinja checks each source's checksum against the code it kept).
"""
from __future__ import annotations

import jinja2

from .. import paths

__all__ = ["environment"]


class _Compiled(jinja2.BytecodeCache):
    """Compiled templates kept in memory, for environments with the same options only (the
    options change the generated code; filters and globals are looked up when rendering)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_CACHES: dict[tuple, _Compiled] = {}


def environment(keep_trailing_newline: bool = False) -> jinja2.Environment:
    """A new environment over the templates folder (its own filters and globals may be added);
    ``keep_trailing_newline`` for pages written as files."""
    options = {"autoescape": True, "undefined": jinja2.StrictUndefined, "trim_blocks": True,
               "lstrip_blocks": True, "keep_trailing_newline": keep_trailing_newline}
    key = (str(paths.TEMPLATES), *sorted((k, repr(v)) for k, v in options.items()))
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(paths.TEMPLATES)),
                              bytecode_cache=_CACHES.setdefault(key, _Compiled()), **options)
