"""A register goes from an Excel file with Indonesian headers, shuffled columns and personal data
to published reports 05 and 06, as a researcher would take it: `register check`, `register
import`, `report -p register=NAME`. No NIP and no name reaches any published file, and no count
below 5 is shown.

The register is the synthetic generator's output dressed as a real one (NIP and names added,
Indonesian headers and category words, Excel date cells); everything runs through the command
line in subprocesses on a throwaway project.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.data import pii
from analysis.data.registers import codebook as cb
from analysis.data.registers import synth
from testpaths import ROOT

KEY = "end-to-end test key, long enough, never committed anywhere"
FIRST = ["Ahmad", "Siti", "Budi", "Dewi", "Rahmat", "Nurul", "Agus", "Wahyuni", "Hendra", "Lestari"]
LAST = ["Saputra", "Rahmawati", "Hidayat", "Kusuma", "Pratama", "Wulandari", "Nugroho", "Sari",
        "Gunawan", "Permata"]

pytestmark = pytest.mark.slow


def _nip(rng: random.Random) -> str:
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 12000))
    appointed = f"{rng.randrange(1990, 2020)}{rng.randrange(1, 13):02d}"
    return f"{birth:%Y%m%d}{appointed}{rng.choice('12')}{rng.randrange(1, 999):03d}"


def _letters(i: int) -> str:
    """0 -> 'Aba', 1 -> 'Abb', ...: a distinct made-up word per person."""
    word = ""
    for _ in range(3):
        i, r = divmod(i, 26)
        word = "abcdefghijklmnopqrstuvwxyz"[r] + word
    return "A" + word


def personal_register(rows: int, seed: int) -> tuple[pd.DataFrame, list[str], list[str], str]:
    """(sheet with Indonesian headers in shuffled order, NIPs, names, data date)."""
    cases, truth = synth.synth_register(rows, seed)
    rng = random.Random(seed)
    persons = sorted(set(cases["person_id"]))
    nips = {p: _nip(rng) for p in persons}
    names = {p: f"{rng.choice(FIRST)} {rng.choice(LAST)} binti {_letters(i)}"
             for i, p in enumerate(persons)}  # unique, letters only, like real names
    by_name = {c.name: c for c in cb.COLUMNS}
    sheet = pd.DataFrame()
    for column in cb.COLUMNS:
        if column.name == "nip":
            values = cases["person_id"].map(nips)
        elif column.name == "name":
            values = cases["person_id"].map(names)
        else:
            values = cases[column.name]
        if values.dtype == object:  # the generator marks its text; a real register would not
            values = values.map(
                lambda v: v.replace(" (SYNTHETIC)", "") if isinstance(v, str) else v)
        if column.categories:  # the Indonesian word for each code
            values = values.map(lambda v, c=column: c.categories.get(v, ("",))[0] if v else v)
        if column.type == "date":
            values = pd.to_datetime(values, errors="coerce").dt.to_pydatetime()
        if column.name == "incumbent_running":
            values = cases[column.name].map({True: "ya", False: "tidak"}).fillna("")
        sheet[by_name[column.name].header_id] = list(values)
    order = list(sheet.columns)
    random.Random(seed + 1).shuffle(order)
    data_date = synth.register_meta(cases, truth)["data_date"]
    return sheet[order], sorted(set(nips.values())), sorted(set(names.values())), data_date


def write_xlsx(sheet: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "Register"
    ws.append(list(sheet.columns))
    for row in sheet.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and v != v) or v is pd.NaT else v for v in row])
    book.save(path)


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NETRALITAS_ROOT=str(root), NETRALITAS_KEY=KEY)
    env.pop("NETRALITAS_PROCESSED", None)
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=900)


def test_an_excel_register_with_personal_data_reaches_the_reports_with_none_of_it(tmp_path):
    """check → import → report 05 and 06 (~60 s on 2 cores)."""
    root = tmp_path / "root"
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    (root / "data" / "processed").mkdir()
    shutil.copytree(ROOT / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
    sheet, nips, names, data_date = personal_register(800, 11)
    xlsx = tmp_path / "Register Bawaslu 2024.xlsx"
    write_xlsx(sheet, xlsx)

    check = run(root, "register", "check", str(xlsx))
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
    imported = run(root, "register", "import", str(xlsx), "--name", "e2e", "--data-date",
                   str(data_date))
    assert imported.returncode == 0, imported.stdout[-3000:] + imported.stderr[-3000:]
    for text in (check.stdout + check.stderr, imported.stdout + imported.stderr):
        assert not any(nip in text for nip in nips) and not any(n in text for n in names)

    reports = tmp_path / "reports"
    built = run(root, "report", "--notebook", "05_register_overview", "--notebook",
                "06_supervision_effects", "-p", "register=e2e", "--no-landing",
                "--no-api", "--reports-dir", str(reports))  # the API pages hold no data
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    pages = sorted(reports.rglob("*.html"))
    assert any(p.name.startswith("05_") for p in pages)
    assert any(p.name.startswith("06_") for p in pages)
    manifest = __import__("json").loads((reports / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["notebooks"]["05_register_overview"]["synthetic"] is False  # a real register

    # no NIP and no name in any published file, nor in the processed data
    processed = root / "data" / "processed"
    published = [p for p in list(reports.rglob("*")) + list(processed.rglob("*"))
                 if p.is_file()
                 and p.suffix in (".html", ".csv", ".json", ".ipynb", ".txt", ".svg")]
    lowered_names = [n.lower() for n in names]
    for path in published:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not any(nip in text for nip in nips), path
        low = text.lower()
        assert not any(name in low for name in lowered_names), path
    assert pii.scan_published(reports) == []

    # every count a register table shows is 0 or at least 5 ("<5" and "–" mark hidden cells)
    for table in sorted((reports / "tables").glob("0[56]_*.csv")):
        if not table.read_text(encoding="utf-8").strip():
            continue  # a table with nothing to show (no measure in this register)
        frame = pd.read_csv(table, dtype=str, keep_default_na=False)
        for column in frame.columns:
            if not re.search(r"kasus|cases|jumlah|count|n_|total|^\d{4}|pilkada|pemilu|sanctioned|"
                             r"pending|stopped|not_proven", column, re.I):
                continue
            for value in frame[column]:
                digits = value.replace(".", "").replace(",", "")
                if digits.isdigit():
                    assert int(digits) == 0 or int(digits) >= 5, (table.name, column, value)
