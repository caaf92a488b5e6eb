"""Writing a report folder (nhsrank.report.output): publishing replaces only what the previous manifest lists, an
interrupted build leaves the previous report whole, one build per folder at a time."""
import json

import pytest
from report_fixtures import SMALL_QUARTER, TINY_NOTEBOOKS, ae_report, small_report, tiny_report  # noqa: F401

import nhsrank


def test_publishing_a_report_removes_only_what_the_previous_manifest_lists(tmp_path):
    from nhsrank.report.output import publish, staging_folder

    final = tmp_path / "2025-26-Q1"
    final.mkdir()
    (final / "precious.csv").write_text("an input kept beside the report")
    (final / "old-page.html").write_text("old")
    (final / "manifest.json").write_text(json.dumps({"outputs": ["manifest.json", "old-page.html"]}))
    stage = staging_folder(final)
    (stage / "new-page.html").write_text(f"built in {stage}")
    (stage / "manifest.json").write_text(json.dumps({"outputs": ["manifest.json", "new-page.html"]}))
    publish(stage, final, replace_text=(str(stage), str(final)))
    assert (final / "precious.csv").read_text() == "an input kept beside the report"
    assert not (final / "old-page.html").exists() and not stage.exists()
    assert (final / "new-page.html").read_text() == f"built in {final}"
    # a file the previous report did not write is never replaced
    stage = staging_folder(final)
    (stage / "precious.csv").write_text("would clobber")
    with pytest.raises(nhsrank.InputError, match="did not write"):
        publish(stage, final)
    assert (final / "precious.csv").read_text() == "an input kept beside the report"


def test_an_interrupted_build_leaves_the_previous_report_whole(tmp_path):
    from nhsrank.report.output import staging_folder

    final = tmp_path / "2025-26-Q1"
    final.mkdir()
    (final / "index.html").write_text("the previous good report")
    stage = staging_folder(final)
    (stage / "index.html").write_text("half built")
    # the run dies here, before publish: nothing of the previous report is gone
    assert (final / "index.html").read_text() == "the previous good report"


def test_a_second_run_into_the_same_folder_refuses(tmp_path):
    from nhsrank.report.output import report_lock

    with report_lock(tmp_path / "2025-26-Q1"):
        with pytest.raises(nhsrank.InputError, match="another nhsrank report is being built"):
            with report_lock(tmp_path / "2025-26-Q1"):
                pass
    with report_lock(tmp_path / "2025-26-Q1"):     # released after the first run
        pass
