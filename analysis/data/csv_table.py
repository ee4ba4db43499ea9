"""Open a raw CSV for streaming: the header, then its rows one by one with their spreadsheet rows.

The start of the file is checked first (empty, a folder, a byte-order mark, UTF-16, classic Mac
line ends, ';'-delimited), then each physical line is decoded as UTF-8 on the way: the first
byte that is not UTF-8, or a line longer than :data:`LINE_LIMIT`, stops the reading with an
:class:`~.problem.UnreadableFile` naming the line. Nothing is held but the line being read.
"""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .problem import Problem, UnreadableFile
from .schemas import ALL, BY_PATH, Schema

BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
READ_LIMIT = 10 * 1024 * 1024  # characters in one cell the reader accepts at all (10 MiB)
LINE_LIMIT = 4 * READ_LIMIT  # characters in one physical line


@dataclass
class Table:
    """A CSV opened for streaming: the header, then ``rows()`` yields (spreadsheet row, cells)."""

    path: Path
    header: list[str]
    problems: list[Problem]  # file-level warnings found while opening
    _lines: Iterator[str] = field(repr=False, default=iter(()))

    def rows(self) -> Iterator[tuple[int, list[str] | Problem]]:
        """(spreadsheet row, cells) of each row; instead of the cells, the :class:`Problem` of a
        row that cannot be split into cells (a carriage return alone in an unquoted value), and
        the reading goes on with the next row."""
        name = str(self.path)
        record: list[str] = []  # the physical lines of the row being read

        def lines() -> Iterator[str]:
            for line in self._lines:
                record.append(line)
                yield line

        reader = csv.reader(lines())
        number = 1
        while True:
            record.clear()
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise UnreadableFile(Problem(
                        name, reader.line_num + 1, "", None, f"a cell longer than "
                        f"{READ_LIMIT:,} characters starts on or before line "
                        f"{reader.line_num + 1}; it cannot be checked (an unclosed quote "
                        "makes the rest of the file one cell): the file was not checked "
                        "from there")) from None
                column = _unquoted_cr_column("".join(record))
                if column is None:
                    raise UnreadableFile(Problem(name, number + 1, "", None,
                                                 f"cannot be read as CSV: {exc}")) from None
                number += 1
                header = self.header[min(column, len(self.header) - 1)] if self.header else ""
                yield number, Problem(name, number, header, None, (
                    "no carriage return (CR) alone inside a value that is not in double "
                    "quotes: it would end the row in some programs and not in others; put "
                    "the value in double quotes, or remove the carriage return (often left by "
                    "a copy from another program)"))
                continue
            number += 1
            yield number, cells


def _unquoted_cr_column(text: str) -> int | None:
    """The column (from 0) of the first carriage return in ``text`` (one CSV row) that is alone
    and not inside a quoted value, or None."""
    position = text.find("\r")
    while position >= 0:
        if text[position + 1:position + 2] != "\n":
            try:
                cells = next(csv.reader(io.StringIO(text[:position], newline=""), strict=True),
                             [""])
            except csv.Error:  # the prefix ends inside quotes: this CR is quoted
                cells = None
            if cells is not None:
                return len(cells) - 1
        position = text.find("\r", position + 1)
    return None


def _decoded_lines(handle, name: str, first: bytes) -> Iterator[str]:
    """UTF-8 lines of a binary file (``first`` already read), raising UnreadableFile at the line
    of the first byte that is not UTF-8, or when one line grows beyond what can be checked."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    line = 1  # physical line being assembled
    pieces: list[str] = []
    size = 0
    chunk = first
    while True:
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            row = line + chunk[: max(exc.start, 0)].count(b"\n")
            byte = f"byte {chunk[exc.start]:#x}" if 0 <= exc.start < len(chunk) else "the end"
            raise UnreadableFile(Problem(name, row, "", None, f"{byte} is not UTF-8 (file saved "
                                         "as ANSI/Windows-1252?): expected UTF-8")) from None
        start = 0
        while True:
            end = text.find("\n", start)
            if end < 0:
                pieces.append(text[start:])
                size += len(text) - start
                break
            pieces.append(text[start:end + 1])
            yield "".join(pieces)
            pieces, size, start = [], 0, end + 1
            line += 1
        if size > LINE_LIMIT:
            raise UnreadableFile(Problem(name, line, "", None, f"line {line} is longer than "
                                         f"{LINE_LIMIT:,} characters: not a CSV row that can be "
                                         "checked")) from None
        if not chunk:
            break
        chunk = handle.read(1 << 16)
    if size:
        yield "".join(pieces)


def _looks_utf16(head: bytes) -> bool:
    if head.startswith(UTF16_BOMS):
        return True
    sample = head[:200]
    return len(sample) >= 4 and sample.count(0) >= len(sample) // 3


def open_table(path: Path, handle) -> Table:
    """Check the start of the file (empty, folder, BOM, UTF-16, ';'-delimited) and return a
    streaming table over ``handle`` (an open binary file)."""
    name = str(path)
    problems: list[Problem] = []
    head = handle.read(1 << 16)
    if _looks_utf16(head):
        kind = "UTF-32" if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")) else "UTF-16"
        raise UnreadableFile(Problem(name, 0, "", None, f"file is {kind} (as Excel's 'Unicode "
                                     "Text' or some editors save it): expected UTF-8; save it as "
                                     "'CSV UTF-8 (Comma delimited)'"))
    if head.startswith(BOM):
        problems.append(Problem(name, 1, "", None, "file starts with a UTF-8 byte-order mark (as "
                                "Excel writes 'CSV UTF-8'); read correctly, but save without it",
                                "warning"))
        head = head[len(BOM):]
    if not head.strip() and len(head) < (1 << 16) - len(BOM):
        raise UnreadableFile(Problem(name, 0, "", None, "file is empty: expected a header row "
                                     "and at least one data row"))
    if b"\r" in head and b"\n" not in head:
        raise UnreadableFile(Problem(name, 0, "", None, "lines end with a carriage return only "
                                     "(classic Mac text): save it as 'CSV UTF-8 (Comma "
                                     "delimited)' with Windows or Unix line ends"))
    lines = _decoded_lines(handle, name, head)
    first_line = next(lines, "")
    if first_line.count(";") > first_line.count(","):
        raise UnreadableFile(Problem(
            name, 1, "", None, "file is ';'-delimited, as Excel saves CSV in an Indonesian "
            "locale, where '1.116' means 1116 and '72,8' means 72.8; it is rejected rather than "
            "guessed: save it as 'CSV UTF-8 (Comma delimited)' with '.' as decimal point"))
    try:
        header = [h.strip() for h in next(csv.reader([first_line]))]
    except (csv.Error, StopIteration):
        raise UnreadableFile(Problem(name, 1, "", None, "the header row cannot be read: expected "
                                     "column names separated by commas")) from None
    return Table(Path(path), header, problems, lines)


def match_schema(header: list[str], path: Path | None = None) -> Schema | None:
    """The raw schema a file belongs to: by file name, else by the best overlap of columns."""
    if path is not None and path.name in BY_PATH:
        return BY_PATH[path.name]
    best = max(ALL, key=lambda s: len(set(header) & set(s.columns)) / len(s.columns))
    overlap = len(set(header) & set(best.columns)) / len(best.columns)
    return best if overlap >= 0.5 else None

