"""The `nhsrank report` command: the options of `python -m nhsrank.report`, handed to nhsrank.report.build.run.

The report itself (notebooks run, pages exported) is tested in tests/report/test_build.py; here only what the
command adds: its options, their checks and the exit status it passes on."""
import argparse

import pytest

from nhsrank.cli import build_parser, main
from nhsrank.report import build


def options(parser: argparse.ArgumentParser) -> dict:
    return {a.dest: (tuple(a.option_strings), a.default) for a in parser._actions if a.dest != "help"}


def report_parser() -> argparse.ArgumentParser:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices["report"]


def test_the_command_takes_the_options_of_python_m_nhsrank_report():
    own = argparse.ArgumentParser()
    build.add_arguments(own)
    parser = report_parser()
    assert parser.get_default("func") is build.run
    got = options(parser)
    assert got == options(own)
    assert {"quarter", "data", "n_boot", "seed", "notebooks", "out_dir", "jobs"} <= set(got)


@pytest.fixture
def handed(monkeypatch):
    """What the command hands to nhsrank.report.build.run (replaced: no notebook runs here)."""
    seen = []

    def run(args):
        seen.append(args)
        return 1                                                      # a notebook failed

    monkeypatch.setattr(build, "run", run)
    return seen


def test_the_options_are_handed_to_the_report_and_its_status_returned(handed):
    assert main(["report", "--quarter", "2025-26-Q2", "--n-boot", "50", "--seed", "0",
                 "--notebooks", "league_table,reconcile", "--jobs", "2"]) == 1
    (args,) = handed
    assert (args.quarter, args.n_boot, args.seed, args.notebooks, args.jobs) == \
        ("2025-26-Q2", 50, 0, "league_table,reconcile", 2)
    assert args.all_quarters is False


def test_the_defaults(handed):
    main(["report"])
    (args,) = handed
    assert (args.quarter, args.n_boot, args.seed, args.jobs) == (None, 10_000, 1, None)


@pytest.mark.parametrize("argv, message", [
    (["--n-boot", "0"], "--n-boot"),
    (["--seed", "-1"], "--seed"),
    (["--jobs", "two"], "--jobs"),
    (["--no-such-option"], "unrecognized arguments"),
])
def test_a_bad_option_is_exit_status_2_in_one_line(handed, capsys, argv, message):
    with pytest.raises(SystemExit) as exit_:
        main(["report", *argv])
    assert exit_.value.code == 2 and not handed
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
