"""Opening a case register by name or path: the one way the notebooks and the build's parameter
check find and load a register.

``register = ""`` (or None) means the SYNTHETIC demo register (:mod:`.demo`); a text with a
``/`` or ``\\`` is a folder path; anything else is a NAME under ``data/private/registers/``.
:func:`resolve_register` checks this before anything is loaded (an unknown name lists the
registers there are); :func:`open_register` loads the cases, ``register.json`` and, for a
synthetic register only, its planted ground truth.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import store


class UnknownRegister(store.RegisterError, ValueError):
    """No register of that name; the message lists the registers there are. A ValueError too,
    so the report command prints it as a usage error."""


@dataclass(frozen=True)
class OpenedRegister:
    """A loaded register: ``cases`` (one row per ASN in a case), ``meta`` (``register.json``)
    and ``truth`` (the planted effects of a SYNTHETIC register; None for any other)."""

    cases: pd.DataFrame
    meta: dict
    truth: dict | None

    @property
    def synthetic(self) -> bool:
        return bool(self.meta.get("synthetic"))


def available_registers(base: Path | str | None = None) -> list[str]:
    """Names of the registers stored under ``base`` (default ``data/private/registers``)."""
    root = store.registers_dir(base)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir()
                  if p.is_dir() and not p.name.startswith(".")
                  and (p / store.REGISTER_FILE).is_file())


def resolve_register(register: str | Path | None, base: Path | str | None = None
                     ) -> Path | None:
    """The folder of ``register`` (None for the SYNTHETIC demo register, i.e. empty), checked
    before anything is loaded: a name must be stored under ``base`` (default
    ``data/private/registers``), else :class:`UnknownRegister` lists the names there are; a
    path (with a ``/``) must be a register folder."""
    if register is None or str(register).strip() == "":
        return None
    text = str(register).strip()
    if isinstance(register, Path) or "/" in text or "\\" in text:
        folder = Path(text)
        if not (folder / store.REGISTER_FILE).is_file():
            raise UnknownRegister(f"{folder} is not a register folder (no "
                                  f"{store.REGISTER_FILE})")
        return folder
    store.check_name(text)
    folder = store.register_path(text, base)
    if not (folder / store.REGISTER_FILE).is_file():
        names = available_registers(base)
        there = (f"available: {', '.join(names)}" if names else
                 "none is imported yet (python -m analysis register import FILE --name NAME "
                 "--data-date YYYY-MM-DD)")
        raise UnknownRegister(f"register {text!r} not found in {store.registers_dir(base)}; "
                              f"{there}. Leave register empty for the SYNTHETIC demo register.")
    return folder


def _ground_truth(folder: Path, meta: dict) -> dict | None:
    """The planted effects a synthetic register names in ``ground_truth_file``; None for a
    register that is not synthetic or names none."""
    name = meta.get("ground_truth_file")
    if not meta.get("synthetic") or not name:
        return None
    if not isinstance(name, str) or Path(name).name != name or name in {".", ".."}:
        raise store.RegisterError(f"{folder / store.REGISTER_FILE}: ground_truth_file must be a "
                                  f"file name in the folder, not {name!r}")
    path = folder / name
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def open_register(register: str | Path | None = "", base: Path | str | None = None,
                  demo_folder: Path | str | None = None) -> OpenedRegister:
    """``register`` loaded: empty = the SYNTHETIC demo register (written into ``demo_folder``,
    default ``data/processed/synthetic_register``, when missing or stale), a NAME under
    ``base``, or a folder path; errors as :func:`resolve_register`."""
    folder = resolve_register(register, base)
    if folder is None:
        from . import demo

        folder = demo.ensure_demo_register(demo_folder)
    cases, meta = store.load_register(folder)
    return OpenedRegister(cases, meta, _ground_truth(folder, meta))
