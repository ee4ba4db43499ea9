"""The build's progress lines: ``[2/9] 02_enforcement_across_cycles… 14.2 s``."""
from __future__ import annotations

import itertools
from collections.abc import Callable


def print_line(line: str) -> None:
    print(line, flush=True)


class Progress:
    """Numbers the steps of one build (``steps`` in all) and says one line per event."""

    def __init__(self, steps: int, say: Callable[[str], None] | None = None):
        self.steps = steps
        self.say = say or print_line
        self._numbers = itertools.count(1)

    def number(self) -> int:
        """The next step's number."""
        return next(self._numbers)

    def line(self, number: int, name: str, what: str) -> None:
        self.say(f"[{number}/{self.steps}] {name}… {what}")
