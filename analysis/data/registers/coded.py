"""A register column as codes into its distinct values (compact, fast to check and write)."""
from __future__ import annotations

import numpy as np


class Coded:
    """A column as codes into its distinct normalised values (compact, fast to write).

    ``codes``: intp, one per row; ``values``: object array of str, one per distinct raw value.
    A column with one value per row read by polars (case_id, NIP, name) may instead keep its
    polars ``series`` (the rows' values, codes 0..n-1): its Python strings are then made only
    if something asks for ``values`` (a million of them take a tenth of a second to make and
    as long to turn back into a column to write)."""

    def __init__(self, codes: np.ndarray, values: np.ndarray | None = None, series=None):
        if values is None and series is None:
            raise ValueError("Coded needs values or a series")
        self.codes, self._values, self.series = codes, values, series

    @property
    def lazy(self) -> bool:
        """Whether the values are still only the polars ``series`` (no Python strings made)."""
        return self._values is None

    @property
    def values(self) -> np.ndarray:
        if self._values is None:
            self._values = self.series.to_numpy().astype(object, copy=False)
        return self._values

    def array(self) -> np.ndarray:
        return self.values[self.codes]

    def take(self, rows: np.ndarray) -> list[str]:
        """The values of the rows at positions ``rows``."""
        if self._values is None:
            return self.series.gather(rows).to_list()
        return self.values[self.codes[rows]].tolist()

    def filled(self) -> np.ndarray:
        """Per row: is the value non-empty."""
        if self._values is None:
            return self.series.str.len_bytes().to_numpy() > 0
        return (self.values != "")[self.codes] if len(self.values) else np.zeros(
            len(self.codes), dtype=bool)

    def blank(self) -> np.ndarray:
        """Per row: is the value empty or only white space (as ``not value.strip()``)."""
        if self._values is None:  # \s is Unicode White_Space; Python's also has \x1c-\x1f
            return self.series.str.contains(r"^[\s\x1c-\x1f]*$").to_numpy()
        empty = np.fromiter((not v.strip() for v in self.values.tolist()), dtype=bool,
                            count=len(self.values))
        return empty[self.codes] if len(empty) else np.zeros(len(self.codes), dtype=bool)

