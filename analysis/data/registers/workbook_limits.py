"""Bound what an .xlsx workbook may expand to, before openpyxl opens it.

An .xlsx file is a zip of XML parts, and a few hundred kB of zip can hold gigabytes of XML (one
deflated cell of 400 MB takes 390 kB): parsed, it would take all the memory there is. So a
workbook is refused, with a message naming the part, when

1. its zip directory (read without decompressing anything) says that
   - it has more than :data:`MAX_PARTS` parts, or expands to more than :data:`MAX_TOTAL`
     bytes in all;
   - a part that is not a worksheet (the shared strings, the styles ...) expands to more than
     :data:`MAX_PART` bytes;
   - a part of more than :data:`RATIO_GRACE` bytes expands more than :data:`MAX_RATIO` times
     its compressed size (XML that Excel writes shrinks 5 to 20 times; Apache POI refuses the
     same ratio);
2. its XML parts, streamed in chunks of :data:`CHUNK` bytes, hold
   - a text or a tag longer than :data:`MAX_MARKUP` bytes (the distance between two ``<``: an
     Excel cell holds at most 32,767 characters);
   - markup Excel never writes: a DOCTYPE or entity (which can expand exponentially), a
     comment or CDATA section (whose text is not bounded by the rule above), or a processing
     instruction other than the XML declaration.

The declared sizes bound what is read: Python's :mod:`zipfile` (which openpyxl reads through
too) stops a part at its declared size and then checks its CRC, so a part that declares less
than it holds fails there as a damaged file, never expanding further. Nothing is kept but the
chunk being read.
"""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import numpy as np

MAX_PARTS = 10_000
MAX_TOTAL = 2 * 1024 ** 3  # bytes, all parts expanded: more than a full sheet of a register
MAX_PART = 256 * 1024 ** 2  # bytes, any part but a worksheet
MAX_RATIO = 100
RATIO_GRACE = 1024 ** 2  # bytes: smaller parts may expand more (a tiny part shrinks oddly)
MAX_MARKUP = 1024 ** 2  # bytes between two '<'
CHUNK = 1024 ** 2
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_BOM = b"\xef\xbb\xbf"


class TooLarge(Exception):
    """The workbook is refused; the message says which part and why."""


def _mb(size: int) -> str:
    return f"{size / 1024 ** 2:,.1f} MB" if size >= 1024 ** 2 else f"{size / 1024:,.0f} kB"


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def check_directory(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a workbook whose zip directory declares too much (see the module docstring)."""
    if len(infos) > MAX_PARTS:
        raise TooLarge(f"it has {len(infos):,} parts; a workbook has at most {MAX_PARTS:,}")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL:
        raise TooLarge(f"it would expand to {_mb(total)}; at most {_mb(MAX_TOTAL)} are read "
                       "(more than a full sheet of a register)")
    for info in infos:
        size, packed = info.file_size, max(info.compress_size, 1)
        if size > RATIO_GRACE and size > MAX_RATIO * packed:
            raise TooLarge(f"its part {info.filename} would expand from {_mb(packed)} to "
                           f"{_mb(size)}, {size // packed:,} times; a part expanding more than "
                           f"{MAX_RATIO} times is refused (a 'zip bomb')")
        if size > MAX_PART and not _is_worksheet(info.filename):
            raise TooLarge(f"its part {info.filename} would expand to {_mb(size)}; at most "
                           f"{_mb(MAX_PART)} are read for a part that is not a worksheet")


def scan_xml(name: str, stream) -> None:
    """Refuse an XML part (a binary stream) with an over-long text or tag, or with markup
    Excel never writes (see the module docstring); reads it in chunks."""
    gap = 0  # bytes since the last '<'
    offset = 0  # of the chunk in the part
    last = b""  # the previous chunk's last byte: '<' may end one chunk, '!' start the next
    declaration = 0  # where the XML declaration may stand: 0, or after a byte-order mark
    while chunk := stream.read(CHUNK):
        if offset == 0 and chunk.startswith(_BOM):
            declaration = len(_BOM)
        opens = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == ord("<"))
        if opens.size:
            inside = int(np.diff(opens).max()) if opens.size > 1 else 0
            longest, gap = max(gap + int(opens[0]), inside), len(chunk) - int(opens[-1]) - 1
        else:
            longest = gap = gap + len(chunk)
        if max(longest, gap) > MAX_MARKUP:
            raise TooLarge(f"its part {name} holds a text or tag longer than {_mb(MAX_MARKUP)} "
                           f"(before byte {offset + len(chunk):,}); an Excel cell holds at "
                           "most 32,767 characters")
        joined = last + chunk
        if b"<!" in joined:
            raise TooLarge(f"its part {name} holds a DOCTYPE, entity, comment or CDATA "
                           "section, which Excel never writes")
        start = joined.find(b"<?")
        while start >= 0:
            if offset - len(last) + start != declaration:
                raise TooLarge(f"its part {name} holds a processing instruction, which Excel "
                               "never writes")
            start = joined.find(b"<?", start + 1)
        last = chunk[-1:]
        offset += len(chunk)


def check_workbook(path: Path) -> None:
    """Raise :class:`TooLarge` if the workbook at ``path`` may expand beyond the limits, or
    :class:`zipfile.BadZipFile` if a part is damaged (its size or CRC does not match)."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        check_directory(infos)
        for info in infos:
            if info.filename.lower().endswith(_XML_SUFFIXES):
                try:
                    with archive.open(info) as stream:
                        scan_xml(info.filename, stream)
                except (zlib.error, EOFError, NotImplementedError) as exc:
                    raise zipfile.BadZipFile(f"{info.filename}: {exc}") from None
