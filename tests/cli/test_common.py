"""Options every command shares (nhsrank.cli.common): one spelling of each flag, seed default 1, bad values on one
clean line."""

import argparse
import re

import pytest

from nhsrank.cli import main


@pytest.mark.parametrize("command", ["uncertainty", "sensitivity"])
def test_one_spelling_of_each_flag_seed_default_1_old_spellings_hidden(command):
    from nhsrank.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    opts = {o: a for a in sub._actions for o in a.option_strings}
    assert opts["--seed"].default == 1 and "--n-boot" in opts and "--full" in opts
    old = "--boot" if command == "uncertainty" else "--n"
    assert opts[old].help == argparse.SUPPRESS and not re.search(re.escape(old) + r"[\s,\]=]", sub.format_help())


def test_old_sensitivity_n_sets_both_monte_carlo_size_and_replicates():
    from nhsrank.cli import build_parser

    args = build_parser().parse_args(["sensitivity", "--data", "synthetic", "--n", "16"])
    assert args.n_legacy == 16


@pytest.mark.parametrize("argv, says", [
    (["uncertainty", "--level", "1.5"], "a confidence level lies strictly between 0 and 1"),
    (["uncertainty", "--source", "scores", "--source", "sampling"], "stands alone"),
    (["uncertainty", "--jobs", "0"], "expected a whole number from 1 up"),
    (["league", "--cut-points", "1,2"], "needs 3 cut points, got 2"),
])
def test_a_bad_option_value_is_one_clean_line(argv, says, capsys):
    """A misused option is refused in one line on stderr (exit status 2), never a traceback (issue 23)."""
    try:
        rc = main(argv + ["--data", "synthetic", "--quarter", "2025-26-Q1"])
    except SystemExit as exc:         # argparse's own refusal: usage, then one error line
        rc = exc.code
    err = capsys.readouterr().err
    assert rc == 2
    assert says in err and "Traceback" not in err
    assert [line for line in err.splitlines() if "error:" in line] == [err.splitlines()[-1]]
