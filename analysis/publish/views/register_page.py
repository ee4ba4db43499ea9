"""What every page built from a case register says about it: the SYNTHETIC mark of its passages
and figures, the source line of its figures, and words for its codes."""
from __future__ import annotations

from dataclasses import dataclass

from ...findings.register_overview import LABELS
from ..formatting import fmt_date
from ..reader_tables import Col, en
from ..safe_text import md

TOTAL_PAIR = {"Total": "Jumlah / Total"}


@dataclass(frozen=True)
class RegisterPage:
    """The register a page is built from: its ``name``, ``data_date`` and whether it is
    ``synthetic`` (every passage, table and figure then says so)."""

    name: str
    data_date: object
    synthetic: bool

    @classmethod
    def from_meta(cls, meta: dict) -> "RegisterPage":
        return cls(str(meta["name"]), meta["data_date"], bool(meta.get("synthetic")))

    @property
    def mark_md(self) -> str:
        """The mark that opens a Markdown passage or caption: 'SINTETIS / SYNTHETIC · '."""
        return f"SINTETIS / {en('SYNTHETIC')} · " if self.synthetic else ""

    def mark(self, lang: str) -> str:
        """The mark in one language (alt texts): 'SINTETIS · ' / 'SYNTHETIC · '."""
        if not self.synthetic:
            return ""
        return "SINTETIS · " if lang == "id" else "SYNTHETIC · "

    def source(self, lang: str, method_id: str, method_en: str) -> str:
        """The source line of a figure from this register, with its method, in ``lang``."""
        if lang == "id":
            return (f"register perkara {self.name}, tanggal data {fmt_date(self.data_date)}; "
                    f"{method_id}")
        return (f"case register {self.name}, data date {fmt_date(self.data_date, 'en')}; "
                f"{method_en}")


def prose(text) -> str:
    """``md`` for a sentence of prose, its apostrophes typographic: ``md`` turns ``'`` into an
    escaped ``&#x27;`` that the page would show as is."""
    return md(str(text).replace("'", "\u2019"))


def outcome_col(code: str, kind: str = "text") -> Col:
    """A reader-table column headed by the words for a case outcome ('Dijatuhi sanksi')."""
    i, e = LABELS["outcome"].get(code, (code.replace("_", " "),) * 2)
    return Col(code, i[:1].upper() + i[1:], e[:1].upper() + e[1:], kind)


def total_pair(value) -> str:
    """'Total' of a protected table's margin row in both languages; any other value as is."""
    return TOTAL_PAIR.get(value, value)
