"""Specification of the research workflow: incremental and parallel builds, parameters that
cannot mislead, a command line that answers at once, interactive runs that never publish, and
builds that cannot mix (lock, unique staging, one swap, the user's files kept).

The fixture project (two tiny notebooks) is built into temporary folders; nothing is written
under the project's own reports/. Tests that run notebooks are marked slow: ``make test-fast``
keeps the rest.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis import cli, paths
from analysis.publish import outputs
from analysis.publish import parameters as params
from analysis.publish import staging as staging_mod
from analysis.publish.build import execute, landing
from analysis.publish.build.errors import ReportBuildError
from analysis.publish.build.pipeline import build_reports, run_build
from analysis.publish.build.request import validate_request
from testpaths import (NOTEBOOK_FIXTURE, ROOT, copy_last_build, make_project,
                       project_env)

FIXTURE = NOTEBOOK_FIXTURE


def two_notebooks() -> dict[str, str]:
    text = FIXTURE.read_text(encoding="utf-8")
    second = text.replace("01_fixture_", "02_fixture_").replace("Fixture report", "Second report")
    return {"01_fixture.py": text, "02_fixture.py": second}


@pytest.fixture
def project(project_copy):
    """A throwaway project: two fixture notebooks, one raw and one processed file."""
    return project_copy(raw="tiny", notebooks=two_notebooks(),
                        processed={"tiny_out.csv": "a\n3\n"})


def build(project, lines=None, **kwargs):
    """Build the fixture project (one notebook at a time unless ``jobs`` says otherwise: starting
    worker processes costs more than two tiny notebooks gain)."""
    lines = [] if lines is None else lines
    kwargs.setdefault("reports_dir", project / "reports")
    kwargs.setdefault("jobs", 1)
    return build_reports(progress=lines.append, **kwargs)


def tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file with its inode and modification time (changed iff rewritten)."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- incremental builds

@pytest.mark.slow
def test_noop_rebuild_runs_nothing_and_rewrites_nothing(project):
    first = build(project)
    before = tree(project / "reports")
    lines = []
    second = build(project, lines)
    assert second == first
    assert tree(project / "reports") == before
    assert sum("skipped (unchanged)" in line for line in lines) == 2
    assert any("up to date" in line for line in lines)


@pytest.mark.slow
def test_a_noop_rebuild_carries_the_site_files_over_without_importing_pandas(project_copy):
    """The ledger page and the tables' scripts are a keyed step like the others, so a no-op
    `report` (the real data, checked as always) neither renders them nor imports pandas: half
    a second of a 0.5 s target."""
    root = project_copy(raw="copy", notebooks={"01_fixture.py": FIXTURE.read_text("utf-8")})
    reports = root / "reports"
    probe = ("import sys\nfrom analysis import cli\n"
             "code = cli.main(['report', '--no-api', '--no-landing', '--reports-dir', sys.argv[1]])"
             "\nprint(code, 'pandas' in sys.modules)\n")
    said = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", probe, str(reports)], capture_output=True,
                              text=True, env=project_env(root), timeout=600)
        said.append(done.stdout + done.stderr)
        assert done.returncode == 0, said[-1][-3000:]
    assert said[0].strip().splitlines()[-1] == "0 True"  # the first build renders the ledger
    assert said[1].strip().splitlines()[-1] == "0 False", said[1][-3000:]
    assert "Nothing changed" in said[1]
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    assert {"assets/tables.js", "ledger.html", "tables/published_figures.csv"} \
        <= set(manifest["site"]["files"])
    assert manifest["code_modules"]


@pytest.mark.slow
def test_only_the_notebook_whose_source_changed_runs_again(project):
    build(project)
    source = project / "notebooks/02_fixture.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n# %%\nprint('edited')\n",
                      encoding="utf-8")
    lines = []
    build(project, lines)
    assert any("01_fixture… skipped (unchanged)" in line for line in lines)
    assert any(line.startswith("[") and "02_fixture… " in line and line.endswith(" s")
               for line in lines)


@pytest.mark.slow
def test_changed_data_or_parameter_runs_the_notebook_again(project):
    first = build(project, parameters={"label": "a"})
    key = first["notebooks"]["01_fixture"]["input_key"]
    second = build(project, parameters={"label": "b"})
    assert second["notebooks"]["01_fixture"]["input_key"] != key
    assert "label is b" in (project / "reports/01_fixture.html").read_text(encoding="utf-8")
    (project / "data/raw/tiny.csv").write_text("a,b\n1,3\n", encoding="utf-8")
    third = build(project, parameters={"label": "b"})
    assert (third["notebooks"]["01_fixture"]["input_key"]
            != second["notebooks"]["01_fixture"]["input_key"])


@pytest.mark.slow
def test_a_published_file_edited_or_removed_after_the_build_runs_its_step_again(project):
    """Inputs unchanged, outputs not: a step whose published files no longer match their
    manifest hash runs again and restores them; the others are skipped (the shared site of
    the browser tests starts from a copy of the last build and relies on this)."""
    first = build(project)
    reports = project / "reports"
    (reports / "01_fixture.html").write_text("edited by hand", encoding="utf-8")
    (reports / "researcher" / "02_fixture.ipynb").unlink()
    lines = []
    second = build(project, lines)
    for stem in ("01_fixture", "02_fixture"):
        assert not any(f"{stem}… skipped" in line for line in lines), lines
        assert second["notebooks"][stem]["input_key"] == first["notebooks"][stem]["input_key"]
    for relative, digest in second["files"].items():
        assert hashlib.sha256((reports / relative).read_bytes()).hexdigest() == digest, relative
    assert "edited by hand" not in (reports / "01_fixture.html").read_text(encoding="utf-8")
    lines = []
    build(project, lines)
    assert sum("skipped (unchanged)" in line for line in lines) == 2, lines


def test_the_shared_site_copies_only_what_the_last_builds_manifest_lists(tmp_path):
    """The shared site's copy of the checkout's reports: the listed files and the manifest, never a
    file the manifest does not list; nothing at all when a listed file is missing."""
    root = make_project(tmp_path / "root", raw="tiny")
    reports = root / "reports"
    (reports / "researcher").mkdir(parents=True)
    for relative in ("a.html", "researcher/a.ipynb", ".gitkeep", "mine.txt"):
        (reports / relative).write_text(relative, encoding="utf-8")
    manifest = {"files": {"a.html": "x", "researcher/a.ipynb": "y"},
                "kept_files": {".gitkeep": "z"}}
    (reports / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with paths.scoped(root=root):
        out = tmp_path / "copy"
        out.mkdir()
        assert copy_last_build(out)
        assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) \
            == [".gitkeep", "a.html", "manifest.json", "researcher/a.ipynb"]
        (reports / "a.html").unlink()
        again = tmp_path / "again"
        again.mkdir()
        assert not copy_last_build(again)
        assert list(again.iterdir()) == []


@pytest.mark.slow
def test_briefs_built_without_a_browser_get_their_pdfs_once_one_is_found(project_copy,
                                                                         monkeypatch,
                                                                         require_browser):
    """Chromium installed after a build that could not print the PDF briefs: the next build
    prints them, though no input changed, and the one after it has nothing to do."""
    from analysis.publish.browser import find_browser

    if not find_browser():
        require_browser("printing the PDF briefs")
    root = project_copy(raw="copy", notebooks={"01_fixture.py": FIXTURE.read_text("utf-8")})
    pdf = root / "reports" / "briefs" / "brief_id.pdf"
    monkeypatch.setenv("NETRALITAS_CHROMIUM", str(root / "no-browser-here"))
    first = build(root, landing=True)
    assert first["landing"]["pdf_note"] and not pdf.exists()
    monkeypatch.delenv("NETRALITAS_CHROMIUM")
    lines = []
    second = build(root, lines, landing=True)
    assert not any("briefs… skipped" in line for line in lines), lines
    assert not second["landing"]["pdf_note"] and pdf.is_file()
    assert second["landing"]["input_key"] == first["landing"]["input_key"]
    lines = []
    build(root, lines, landing=True)
    assert any("up to date" in line for line in lines), lines


@pytest.mark.slow
def test_every_published_file_matches_the_manifest(project):
    manifest = build(project)
    published = {p.relative_to(project / "reports").as_posix(): p
                 for p in (project / "reports").rglob("*") if p.is_file()}
    listed = set(manifest["files"]) | set(manifest["kept_files"])
    assert listed == set(published) - {"manifest.json"}
    for relative, digest in {**manifest["files"], **manifest["kept_files"]}.items():
        assert hashlib.sha256(published[relative].read_bytes()).hexdigest() == digest, relative


@pytest.mark.slow
def test_notebooks_run_in_parallel_and_report_progress(project):
    lines = []
    build(project, lines, jobs=2)
    running = [line for line in lines if line.endswith("running")]
    assert len(running) == 2 and all(line.startswith(("[1/2]", "[2/2]")) for line in running)
    assert (project / "reports/01_fixture.html").is_file()
    assert (project / "reports/02_fixture.html").is_file()


def test_by_default_two_notebooks_run_per_core_never_more_than_there_are(monkeypatch):
    """A worker waits while its kernel computes: two per core keep the cores busy (make bench)."""
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    assert execute.default_jobs() == 6
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert execute.default_jobs() == 2
    seen = []

    def run_in_workers(jobs_to_run, jobs, start, finish, meanwhile=None):
        seen.append(jobs)
        for job in jobs_to_run:
            start(job.source.stem)
            finish(job.source.stem, job.source.stem)

    monkeypatch.setattr(execute, "_run_in_workers", run_in_workers)
    progress = type("P", (), {"number": lambda self: 1, "line": lambda self, *a: None})()
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    jobs_to_run = [execute.NotebookJob(Path(f"{i}_x.py"), {}, Path("."), Path("."), "python3",
                                       paths.current()) for i in range(3)]
    done = execute.run_notebooks(jobs_to_run, None, progress)
    assert seen == [3]  # 8 by default, but only 3 notebooks
    assert [stem for stem, _ in done] == ["0_x", "1_x", "2_x"]


def test_the_builds_own_work_runs_once_while_the_notebooks_run_and_never_without_them(
        monkeypatch):
    """The site files are written while the workers run (``meanwhile``): once, before the
    results are collected; a build with no notebook to run leaves them to the caller."""
    order = []
    monkeypatch.setattr(execute, "run_one", lambda job: order.append(job.source.stem) or job)
    progress = type("P", (), {"number": lambda self: 1, "line": lambda self, *a: None})()
    jobs_to_run = [execute.NotebookJob(Path(f"{i}_x.py"), {}, Path("."), Path("."), "python3",
                                       paths.current()) for i in range(2)]
    execute.run_notebooks(jobs_to_run, 1, progress, meanwhile=lambda: order.append("site"))
    assert order == ["site", "0_x", "1_x"]
    assert execute.run_notebooks([], 1, progress, meanwhile=lambda: order.append("x")) == []
    assert order.count("x") == 0


@pytest.mark.slow
def test_building_one_notebook_keeps_the_others_in_index_and_manifest(project):
    build(project)
    manifest = build(project, notebooks=[project / "notebooks/02_fixture.py"], force=True)
    assert set(manifest["notebooks"]) == {"01_fixture", "02_fixture"}
    index = (project / "reports/index.html").read_text(encoding="utf-8")
    assert 'href="01_fixture.html"' in index and 'href="02_fixture.html"' in index


@pytest.mark.slow
def test_a_docstring_edit_in_the_command_module_runs_no_notebook(project, tmp_path):
    """The build keys each notebook on its own import closure: an edit in a module no notebook
    imports runs nothing again, an edit in one it imports runs it (and says why)."""
    code = tmp_path / "code" / "analysis"
    shutil.copytree(paths.PACKAGE, code, ignore=shutil.ignore_patterns("__pycache__"))

    def rebuild() -> list[str]:
        lines = []
        run_build(validate_request(reports_dir=project / "reports", package_dir=code, jobs=1),
                  progress=lines.append)
        return lines

    rebuild()
    command = code / "publish" / "build" / "command.py"
    command.write_text(command.read_text(encoding="utf-8").replace('"""', '"""Edited. ', 1),
                       encoding="utf-8")
    lines = rebuild()
    assert sum("skipped (unchanged)" in line for line in lines) == 2, lines
    assert any("up to date" in line for line in lines)

    outputs_module = code / "publish" / "outputs.py"  # imported by the fixture notebooks
    outputs_module.write_text(outputs_module.read_text(encoding="utf-8") + "\n# edited\n",
                              encoding="utf-8")
    lines = rebuild()
    assert sum(line.endswith("running") for line in lines) == 2, lines


@pytest.mark.slow
def test_dry_run_says_what_would_run_and_why_and_writes_nothing(project, monkeypatch, capsys):
    from analysis.data import build_state

    monkeypatch.setattr(build_state, "why_stale", lambda *a: [])  # the fixture has no ledger
    build(project)
    args = ["report", "--dry-run", "--no-landing", "--no-api", "--reports-dir",
            str(project / "reports")]
    (project / "data/raw/tiny.csv").write_text("a,b\n1,3\n", encoding="utf-8")
    before = tree(project.parent)
    assert cli.main(args) == 0
    said = capsys.readouterr().out
    assert "01_fixture: would run (data/raw/tiny.csv changed)" in said
    assert "02_fixture: would run (data/raw/tiny.csv changed)" in said
    assert "ledger page and scripts: unchanged" in said
    assert "Nothing was run or written" in said
    assert tree(project.parent) == before

    (project / "data/raw/tiny.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    source = project / "notebooks/02_fixture.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n# %%\nprint(1)\n", encoding="utf-8")
    assert cli.main(args + ["-p", "label=other"]) == 0
    said = capsys.readouterr().out
    assert "[data] build: unchanged" in said
    assert '01_fixture: would run (parameter label changed (default -> "other"))' in said
    assert "02_fixture: would run (notebooks/02_fixture.py changed; parameter label" in said
    # the navigation of the ledger page lists the reports' titles: it is built again too
    assert "ledger page and scripts: would run (notebooks/02_fixture.py changed)" in said
    assert cli.main(args[:-2] + ["--reports-dir", str(project / "elsewhere")]) == 0
    assert "01_fixture: would run (not built before)" in capsys.readouterr().out
    assert not (project / "elsewhere").exists()


@pytest.mark.slow
def test_a_stale_data_build_says_which_raw_file_changed(project_copy):
    from analysis.data import build, build_state

    root = project_copy()
    processed = root / "data" / "processed"
    assert build_state.why_stale(processed)  # never built
    assert build.main([]) == 0 and build_state.why_stale(processed) == []
    regions = root / "data" / "raw" / "regions.csv"
    regions.write_text(regions.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build_state.why_stale(processed) == ["data/raw/regions.csv changed"]


# --------------------------------------------------------------------------- parameters

def test_a_parameter_no_notebook_declares_is_an_error_with_a_suggestion(project):
    with pytest.raises(params.ParameterError, match="did you mean label"):
        build(project, parameters={"lable": "x"})
    assert not (project / "reports").exists()  # nothing ran, nothing was written


def test_parameter_keys_are_identifiers_and_values_literals():
    with pytest.raises(params.ParameterError, match="not a parameter name"):
        params.parse_param("import os;os.system('touch /tmp/pwned');x=1")
    with pytest.raises(params.ParameterError, match="not a parameter name"):
        params.parse_param("class=1")
    assert params.parse_param("lags_days=[0, 30]") == ("lags_days", [0, 30])
    assert params.parse_param("decree_date=2020-09-10") == ("decree_date", "2020-09-10")
    assert params.parse_param('x="__import__(\'os\')"') == ("x", "__import__('os')")  # a string


@pytest.mark.slow
def test_a_value_that_looks_like_code_arrives_as_a_string(project):
    build(project, parameters={"label": "__import__('os').getcwd()"})
    html = (project / "reports/01_fixture.html").read_text(encoding="utf-8")
    assert "label is __import__(&#39;os&#39;).getcwd()" in html or \
        "label is __import__('os').getcwd()" in html


@pytest.mark.parametrize("given, canonical", [
    ("Babel", "Kepulauan Bangka Belitung"),
    ("  kepulauan   BANGKA belitung ", "Kepulauan Bangka Belitung"),
    ("Sultra", "Sulawesi Tenggara"),
    ("sulawesi tenggara", "Sulawesi Tenggara"),
])
def test_province_resolves_through_regions_csv_aliases(given, canonical):
    assert params.resolve_province(given, ROOT / "data/raw/regions.csv") == canonical


def test_a_misspelt_province_is_refused_with_the_closest_names():
    with pytest.raises(params.ParameterError, match="Kepulauan Bangka Belitung"):
        params.resolve_province("Bangka Belitng", ROOT / "data/raw/regions.csv")
    with pytest.raises(params.ParameterError, match="not a province"):
        params.resolve_province("Kota Pangkalpinang", ROOT / "data/raw/regions.csv")


def test_editions_built_with_different_headline_parameters_are_refused():
    entries = {"03_rates": {"parameters": {"province": "Kepulauan Bangka Belitung"}},
               "04_case": {"parameters": {"province": "Sulawesi Tenggara"}}}
    with pytest.raises(ReportBuildError, match="mix editions"):
        landing.check_editions_agree(entries, None)
    same = {"04_case": {"parameters": {"province": "Sulawesi Tenggara"}}}
    landing.check_editions_agree(same, {"parameters": {"province": "Sulawesi Tenggara"}})
    with pytest.raises(ReportBuildError, match="province"):
        landing.check_editions_agree(same,
                                     {"parameters": {"province": "Kepulauan Bangka Belitung"}})


def test_cli_rejects_a_misspelt_parameter_before_any_build(tmp_path, capsys):
    start = time.perf_counter()
    code = cli.main(["report", "-p", "decre_date=2020-10-01", "--reports-dir", str(tmp_path / "r")])
    assert code == 2 and time.perf_counter() - start < 5
    assert "did you mean decree_date" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_cli_province_alias_is_accepted_and_typo_refused(tmp_path, capsys):
    args = cli.build_parser().parse_args(["report", "--province", "Babel"])
    assert args.province == "Babel"
    code = cli.main(["report", "--province", "Bangka Belitng",
                     "--reports-dir", str(tmp_path / "r")])
    assert code == 2 and "Kepulauan Bangka Belitung" in capsys.readouterr().err


# --------------------------------------------------------------------------- command line

def test_help_answers_at_once_lists_every_option_and_imports_nothing_heavy():
    code = ("import sys; from analysis import cli\n"
            "try:\n    cli.main(['report', '--help'])\nfinally:\n"
            "    heavy = [m for m in ('pandas', 'papermill', 'nbconvert', 'matplotlib')\n"
            "             if m in sys.modules]\n"
            "    print('HEAVY', heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0
    assert "HEAVY []" in result.stdout
    for option in ("--province", "--notebook", "--param", "--reports-dir", "--jobs", "--force",
                   "--no-landing", "--no-api", "--dry-run", "--kernel"):
        assert option in result.stdout, option
    top = subprocess.run([sys.executable, "-m", "analysis", "--help"], capture_output=True,
                         text=True, cwd=ROOT)
    assert top.returncode == 0
    for command in ("validate", "build", "report", "datapackage"):
        assert command in top.stdout


def test_each_skip_flag_skips_what_its_name_says(monkeypatch):
    """--no-landing skips the briefs and the landing page, not the API reference; --no-api
    skips the API reference."""
    from analysis.publish.build import command

    requests = []
    monkeypatch.setattr(command, "build_and_publish",
                        lambda request, say: requests.append(request) or True)
    for flags in ([], ["--no-landing"], ["--no-api"], ["--no-landing", "--no-api"]):
        assert cli.main(["report", "--notebook", "01_evidence_ledger", *flags]) == 0
    assert [(r.landing, r.api) for r in requests] == [(True, True), (False, True), (True, False),
                                                       (False, False)]


def test_the_brief_module_carries_no_command_line_of_its_own():
    from analysis.publish import brief

    assert not hasattr(brief, "main")  # there is no `brief` command; `report` builds the briefs
    assert "brief" not in cli.build_parser()._subparsers._group_actions[0].choices


# --------------------------------------------------------------------------- interactive runs

def test_a_notebook_run_by_hand_cannot_write_into_the_published_reports(tmp_path):
    with paths.scoped(root=tmp_path), pytest.raises(ValueError, match="scratch"):
        outputs.save_table(pd.DataFrame({"a": [1]}), "01_x", tmp_path / "reports")
    written = outputs.save_table(pd.DataFrame({"a": [1]}), "01_x", tmp_path / "scratch")
    assert written.parent == tmp_path / "scratch" / "tables"


def test_notebook_defaults_write_to_scratch():
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py")):
        assert params.declared_parameters(notebook)["reports_dir"] == "../scratch", notebook.name


# --------------------------------------------------------------------------- safe publishing

@pytest.mark.slow
def test_user_files_in_the_reports_folder_are_kept(project):
    reports = project / "reports"
    reports.mkdir()
    (reports / "my_notes.txt").write_text("mine", encoding="utf-8")
    (reports / "figures").mkdir()
    (reports / "figures" / "09_my_own.png").write_bytes(b"not the build's")
    manifest = build(project)
    assert set(manifest["kept_files"]) == {"my_notes.txt", "figures/09_my_own.png"}
    build(project, force=True)
    assert (reports / "my_notes.txt").read_text(encoding="utf-8") == "mine"
    assert (reports / "figures" / "09_my_own.png").read_bytes() == b"not the build's"


@pytest.mark.parametrize("where", ["data", "data/raw", ".", "analysis", "notebooks"])
def test_reports_dir_inside_data_or_the_project_root_is_refused(project, where):
    with pytest.raises(staging_mod.OutputDirError):
        staging_mod.check_reports_dir(project / where, project)


def test_reports_dir_that_is_a_file_gives_one_line_and_exit_1(tmp_path, capsys):
    target = tmp_path / "a_file"
    target.write_text("x", encoding="utf-8")
    code = cli.main(["report", "--reports-dir", str(target)])
    err = capsys.readouterr().err
    assert code == 1 and "is a file" in err and "Traceback" not in err


def test_read_only_reports_dir_is_refused_before_anything_runs(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can write to read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    with pytest.raises(staging_mod.OutputDirError, match="not writable"):
        staging_mod.check_reports_dir(folder / "reports", tmp_path / "elsewhere")


@pytest.mark.slow
def test_a_second_build_into_the_same_folder_is_refused_while_one_runs(project):
    reports = project / "reports"
    with staging_mod.BuildLock(reports):
        with pytest.raises(staging_mod.BuildLockedError, match="another report build"):
            build(project)
    build(project)  # the lock is released with the first build


@pytest.mark.slow
def test_a_killed_swap_is_repaired_at_the_next_start(project):
    build(project)
    reports = project / "reports"
    old = reports.parent / f"{staging_mod.OLD_PREFIX}reports-deadbeef0000"
    os.replace(reports, old)  # as if killed between the two renames of a swap
    (reports.parent / f"{staging_mod.STAGING_PREFIX}reports-cafe00000000").mkdir()
    lines = []
    build(project, lines)
    assert (reports / "index.html").is_file() and not old.exists()
    assert not list(reports.parent.glob(f"{staging_mod.STAGING_PREFIX}*"))
    assert any("up to date" in line for line in lines)  # the restored set was current


@pytest.mark.slow
def test_researcher_editions_hold_no_absolute_or_staging_path(project):
    build(project)
    for path in (project / "reports").rglob("*"):
        if path.suffix in (".html", ".ipynb", ".json"):
            text = path.read_text(encoding="utf-8")
            assert str(project) not in text, path
            assert staging_mod.STAGING_PREFIX not in text and ".nb-" not in text, path


def interrupted_publication(root: Path, reports: Path) -> Path:
    """What a report build killed between its two swaps leaves: a journal listing a staged data
    build (data/processed already moved aside) and staged reports; return the journal."""
    from analysis.data import atomic, journal

    processed = root / "data" / "processed"
    data_stage = journal.new_stage(processed)
    (data_stage / "from_the_killed_build.txt").write_text("staged\n", encoding="utf-8")
    reports_stage = staging_mod.new_staging(reports)
    (reports_stage / "from_the_killed_build.txt").write_text("staged\n", encoding="utf-8")
    os.replace(processed, processed.parent / f"{atomic.OLD_PREFIX}processed-0123456789ab")
    path = journal.journal_path(processed)
    path.write_text(json.dumps({"swaps": [[str(data_stage), str(processed)],
                                          [str(reports_stage), str(reports)]]}),
                    encoding="utf-8")
    return path


def test_a_data_build_completes_a_publication_an_interrupted_report_left(project_copy, capsys):
    root = project_copy()
    reports = root.parent / "reports"
    journal_file = interrupted_publication(root, reports)
    assert cli.main(["build"]) == 0
    assert "completed the publication" in capsys.readouterr().out
    assert not journal_file.exists()
    assert (reports / "from_the_killed_build.txt").is_file()  # the staged reports, published
    processed = root / "data" / "processed"
    assert (processed / "from_the_killed_build.txt").is_file()  # kept by the new data build
    assert (processed / "enforcement_snapshots.csv").is_file()
    assert not [p for p in root.parent.glob("**/.netralitas-*") if p.is_dir()]


@pytest.mark.slow
def test_a_report_build_completes_a_publication_an_interrupted_report_left(project_copy,
                                                                              capsys):
    root = project_copy(notebooks=[FIXTURE])
    reports = root.parent / "reports"
    journal_file = interrupted_publication(root, reports)
    code = cli.main(["report", "--no-landing", "--no-api", "--reports-dir", str(reports)])
    assert code == 0, capsys.readouterr()
    assert "completed the publication" in capsys.readouterr().out
    assert not journal_file.exists()
    assert (reports / "from_the_killed_build.txt").is_file()  # kept as a file of the user's
    assert (reports / "01_fixture.html").is_file()
    assert (root / "data" / "processed" / "from_the_killed_build.txt").is_file()


def _run_build_subprocess(project: Path, reports: Path, env_extra: dict | None = None):
    code = (
        "import sys; from pathlib import Path; from analysis.publish.build import pipeline\n"
        f"pipeline.build_reports(reports_dir=Path({str(reports)!r}), jobs=1)\n")
    env = project_env(project, **(env_extra or {}))
    return subprocess.Popen([sys.executable, "-c", code], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


@pytest.mark.slow
def test_two_builds_at_once_one_publishes_and_the_other_refuses(project):
    """Two processes build into one folder at the same moment (~15 s on 2 cores)."""
    reports = project / "reports"
    first = _run_build_subprocess(project, reports)
    time.sleep(0.5)
    second = _run_build_subprocess(project, reports)
    out = [p.communicate(timeout=300) for p in (first, second)]
    codes = sorted([first.returncode, second.returncode])
    assert codes[0] == 0, out
    refused = [o for p, o in zip((first, second), out) if p.returncode != 0]
    assert all("another report build" in err for _, err in refused), out
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    for relative, digest in manifest["files"].items():
        assert hashlib.sha256((reports / relative).read_bytes()).hexdigest() == digest


@pytest.mark.slow
def test_a_build_killed_while_notebooks_run_leaves_the_published_set_intact(project):
    """Kill a build mid-notebook (~10 s): the previous set stays, the next build cleans up."""
    reports = project / "reports"
    previous = build_reports(reports_dir=reports, progress=lambda _: None, jobs=1)
    before = {p.relative_to(reports).as_posix(): p.read_bytes()
              for p in reports.rglob("*") if p.is_file()}
    (project / "data/raw/tiny.csv").write_text("a,b\n5,6\n", encoding="utf-8")  # forces a rebuild
    proc = _run_build_subprocess(project, reports)
    deadline = time.time() + 60
    while time.time() < deadline and not list(project.glob(f"{staging_mod.STAGING_PREFIX}*/.nb-*")):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    after = {p.relative_to(reports).as_posix(): p.read_bytes()
             for p in reports.rglob("*") if p.is_file()}
    assert after == before
    manifest = build_reports(reports_dir=reports, progress=lambda _: None, jobs=1)
    assert manifest["data"] != previous["data"]
    assert not list(project.glob(f"{staging_mod.STAGING_PREFIX}*"))


@pytest.mark.slow
def test_two_clones_build_byte_identical_reports(project_copy):
    """Two copies of the project in different folders publish the same bytes (the manifest
    aside, which records its build time): no absolute path, no random id, no timestamp."""
    outputs = []
    for name in ("clone_a", "clone_b_longer_path"):
        root = project_copy(name, raw="tiny", notebooks=[FIXTURE])
        build_reports(reports_dir=root / "reports", progress=lambda _: None)
        outputs.append({p.relative_to(root / "reports").as_posix(): p.read_bytes()
                        for p in (root / "reports").rglob("*") if p.is_file()
                        and p.name != "manifest.json"})
    assert outputs[0].keys() == outputs[1].keys()
    different = [name for name in outputs[0] if outputs[0][name] != outputs[1][name]]
    assert not different


def test_markdown_from_data_is_escaped_but_keeps_apostrophes_and_quotes_readable():
    from analysis.publish.safe_text import md, md_link

    assert md("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert\\(1\\)&gt;"
    assert md("cycle's \"final\" count") == "cycle's \"final\" count"
    assert md_link("x", "javascript:alert(1)") == "x"
    assert md_link("Kompas", "https://example.org/a(1)") == "[Kompas](https://example.org/a%281%29)"


# --------------------------------------------------------------------------- kernel start

def _flaky_papermill(monkeypatch, failures: int, message: str) -> list[dict]:
    """papermill.execute_notebook that fails ``failures`` times as a silent kernel does, then
    runs for real; returns the list of calls."""
    import papermill

    real, calls = papermill.execute_notebook, []

    def flaky(*args, **kwargs):
        calls.append(kwargs)
        if len(calls) <= failures:
            raise RuntimeError(message)
        return real(*args, **kwargs)

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    return calls


@pytest.mark.slow
def test_a_kernel_that_does_not_start_is_tried_again(project, monkeypatch):
    calls = _flaky_papermill(monkeypatch, 1, "Kernel didn't respond in 60 seconds")
    manifest = build(project, jobs=1, notebooks=[project / "notebooks/01_fixture.py"])
    assert len(calls) == 2  # one silent start, one real run
    assert all(c["start_timeout"] == execute.KERNEL_START_TIMEOUT_S for c in calls)
    assert (project / "reports" / "01_fixture.html").is_file()
    assert "01_fixture" in manifest["notebooks"]


def test_a_kernel_that_never_starts_fails_after_the_set_attempts(project, monkeypatch):
    calls = _flaky_papermill(monkeypatch, 99, "Kernel died before replying to kernel_info")
    with pytest.raises(ReportBuildError, match=r"tried 3 times"):
        build(project, jobs=1, notebooks=[project / "notebooks/01_fixture.py"])
    assert len(calls) == execute.KERNEL_START_ATTEMPTS
    assert not (project / "reports" / "01_fixture.html").exists()


def test_a_failure_after_the_kernel_started_is_not_retried(project, monkeypatch):
    calls = _flaky_papermill(monkeypatch, 99, "Kernel died while executing cell 3")
    with pytest.raises(ReportBuildError, match="died while executing"):
        build(project, jobs=1, notebooks=[project / "notebooks/01_fixture.py"])
    assert len(calls) == 1
