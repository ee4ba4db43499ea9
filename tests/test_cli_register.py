"""The register commands as a user runs them: `python -m analysis register check|import|synth`."""
import json
import subprocess
import sys
from testpaths import REGISTER_FIXTURES, ROOT

FIXTURES = REGISTER_FIXTURES


def run(*args, env=None, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "analysis", "register", *args], cwd=cwd,
                          capture_output=True, text=True, env=env)


def test_check_names_file_row_column_and_exits_1_on_errors():
    result = run("check", str(FIXTURES / "bad.csv"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "bad.csv: ERROR row 2, column 'Tanggal Laporan', value '31/02/2024'" in result.stdout
    assert "Traceback" not in result.stderr


def test_check_of_a_good_register_exits_0():
    result = run("check", str(FIXTURES / "good.csv"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_with_a_data_date_finds_later_dates():
    result = run("check", str(FIXTURES / "good.csv"), "--data-date", "2024-11-14")
    assert result.returncode == 1, result.stdout + result.stderr
    assert ("good.csv: ERROR row 2, column 'Tanggal Sanksi', value '15/11/2024': expected a "
            "date on or before the data date 2024-11-14") in result.stdout
    assert run("check", str(FIXTURES / "good.csv"), "--data-date", "2024-12-31").returncode == 0


def test_import_without_a_key_stops_with_a_clear_message(tmp_path):
    env = {k: v for k, v in __import__("os").environ.items() if k != "NETRALITAS_KEY"}
    env["NETRALITAS_ROOT"] = str(tmp_path)
    result = run("import", str(FIXTURES / "good.csv"), "--name", "demo", "--data-date",
                 "2024-12-31", env=env)
    assert result.returncode == 1
    assert "NETRALITAS_KEY" in result.stdout + result.stderr
    assert not (tmp_path / "data" / "private").exists()


def test_synth_writes_a_synthetic_register_with_its_ground_truth(tmp_path):
    out = tmp_path / "demo"
    result = run("synth", "--rows", "300", "--seed", "7", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    meta = json.loads((out / "register.json").read_text(encoding="utf-8"))
    assert meta["synthetic"] is True and meta["cases_file"].startswith("synthetic_")
    assert (out / "synthetic_ground_truth.json").is_file()
