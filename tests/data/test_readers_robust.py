"""Robust inputs: attribute warnings, CLI argument checks, and the corpus as a whole
(no input modified or deleted, no traceback, no trust dropped silently)."""
import hashlib
import warnings
from pathlib import Path

import pytest
import yaml

import nhsrank
from nhsrank.cli import main
from nhsrank.data.readers import load_bundled
from nhsrank.errors import InputWarning

DATA = Path(__file__).parent
BAD, OK, ATTRS = DATA / "bad", DATA / "ok", DATA / "attributes"
EXPECTED = yaml.safe_load((BAD / "EXPECTED.yaml").read_text())
ATTRS_EXPECTED = yaml.safe_load((ATTRS / "EXPECTED.yaml").read_text())
Q = "2025-26-Q1"


@pytest.fixture(scope="module")
def bundled():
    return load_bundled()


def _input_warnings(func):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        func()
    return [str(w.message) for w in caught if issubclass(w.category, InputWarning)]


def test_attributes_for_every_trust_and_the_quarter_give_no_warning(bundled):
    m, a = bundled
    assert _input_warnings(lambda: nhsrank.league_table(m, Q, "acute", attributes=a)) == []


def test_attributes_only_for_another_quarter_are_named(bundled):
    m, a = bundled
    other = a[a["quarter"] == "2025-26-Q2"]
    msgs = _input_warnings(lambda: nhsrank.league_table(m, Q, "acute", attributes=other))
    assert msgs == [(f"the attributes give flags only for 2025-26-Q2, not for {Q}, the quarter ranked: no acute "
                     f"trust is flagged (no financial-deficit cap, no segment 5); give attributes for {Q}, or "
                     "without a quarter column if they hold for every quarter")]


def test_trust_without_an_attributes_row_is_named(bundled):
    m, a = bundled
    fewer = a[~a["trust_code"].isin(["SYN-A001", "SYN-A002"])]
    msgs = _input_warnings(lambda: nhsrank.league_table(m, Q, "acute", attributes=fewer))
    assert len(msgs) == 1
    assert msgs[0].startswith(f"2 acute trust(s) of {Q} have no row in the attributes") and \
        msgs[0].endswith("SYN-A001, SYN-A002")


def test_no_attributes_says_no_cap_or_override_was_applied(bundled):
    m, _ = bundled
    msgs = _input_warnings(lambda: nhsrank.league_table(m, Q, "acute"))
    assert len(msgs) == 1 and "no financial-deficit cap and no segment-5" in msgs[0] and "acute" in msgs[0]


def test_published_flags_count_as_attributes():
    path = DATA / "published_sample.csv"
    msgs = _input_warnings(lambda: nhsrank.league_table(path, "2025-26-Q4", "non-acute"))
    assert not any("no trust attributes" in m for m in msgs), msgs


def test_cli_shows_the_attribute_warning_once(tmp_path, capsys, bundled):
    _, a = bundled
    path = tmp_path / "attributes.csv"
    a[a["quarter"] == "2025-26-Q2"].drop(columns="_row").to_csv(path, index=False)
    assert (
        main(["league", "--data", "synthetic", "--attributes", str(path), "--quarter", Q, "--trust-type", "acute"]) == 0
    )
    err = capsys.readouterr().err
    assert err.count("nhsrank: warning: the attributes give flags only for 2025-26-Q2") == 1
    assert "Traceback" not in err and "warnings.warn" not in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["sensitivity", "--data", "synthetic", "--seed", "-1"], "a seed must be 0 or more"),
        (["sensitivity", "--data", "synthetic", "--seed", "abc"], "expected a whole number from 0 up"),
        (
            ["sensitivity", "--data", "synthetic", "--thresholds", "1.5,abc"],
            "expected numbers separated by commas, e.g. 1.75,2.5,3.25",
        ),
        (["sensitivity", "--data", "synthetic", "--thresholds", "2.5,1.5"], "thresholds must be ascending"),
        (["uncertainty", "--data", "synthetic", "--seed", "-1"], "a seed must be 0 or more"),
        (["uncertainty", "--data", "synthetic", "--boot", "0"], "expected a whole number from 1 up"),
        (["league", "--data", "synthetic", "--cut-points", "2,nan,3"], "cut points must be finite numbers"),
    ],
)
def test_bad_numbers_on_the_command_line_are_one_message_and_exit_2(argv, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert len([line for line in err.splitlines() if "error:" in line]) == 1


def _hashes():
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(DATA.rglob("*")) if p.is_file()}


CORPUS = sorted(p for p in BAD.iterdir() if p.name != "EXPECTED.yaml") + sorted(OK.iterdir())


def test_the_whole_corpus_through_the_cli_modifies_no_input_and_prints_no_traceback(tmp_path, capsys):
    before = _hashes()
    for path in CORPUS:
        args = EXPECTED.get(path.name, {}).get("args", ["--quarter", Q]) if path.parent == BAD else ["--quarter", Q]
        for cmd in (["league", "--trust-type", "acute"], ["league", "--trust-type", "acute", "--out",
                                                           str(tmp_path / f"{path.stem}.csv")]):
            code = main([*cmd, "--data", str(path), *args])
            out, err = capsys.readouterr()
            assert "Traceback" not in out + err, path
            assert "np.float64" not in err and "np.int64" not in err, (path, err)   # no Python reprs
            bad = path.parent == BAD and "cli_chooses" not in EXPECTED.get(path.name, {})
            assert code == (2 if bad else 0), (path, err)
    for name, exp in ATTRS_EXPECTED.items():
        code = main(
            [
                "league",
                "--data",
                "synthetic",
                "--trust-type",
                "acute",
                "--quarter",
                Q,
                "--attributes",
                str(ATTRS / name),
                "--out",
                str(tmp_path / f"attributes-{name}"),
            ]
        )
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err and "np.float64" not in err, name
        assert code == (2 if "error" in exp else 0), (name, err)
    assert _hashes() == before          # no input modified, none deleted, none added beside them


@pytest.mark.parametrize("name", sorted(ATTRS_EXPECTED), ids=str)
def test_attribute_slips_are_named_through_the_api_and_the_cli_alike(name, bundled, capsys):
    exp, path = ATTRS_EXPECTED[name], ATTRS / name
    m, _ = bundled
    if "error" in exp:
        with pytest.raises(nhsrank.InputError) as info:
            nhsrank.league_table(m, Q, "acute", attributes=path).table
        api = str(info.value)
        assert exp["error"] in api and "np.float64" not in api
    else:
        msgs = _input_warnings(lambda: nhsrank.league_table(m, Q, "acute", attributes=path))
        assert [msg for msg in msgs if exp["warning"] in msg] == [f"{path}: {exp['warning']}"], msgs
    code = main(["league", "--data", "synthetic", "--quarter", Q, "--trust-type", "acute", "--attributes", str(path)])
    err = capsys.readouterr().err
    assert code == (2 if "error" in exp else 0) and "Traceback" not in err
    assert err.count(exp.get("error") or exp["warning"]) == 1, err


def test_the_trusts_of_an_attribute_slip_are_still_ranked_and_flagged_as_written(bundled):
    # the lower-case row is not applied (the warning says so): SYN-A002 ranks without the deficit cap
    m, _ = bundled
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        result = nhsrank.league_table(m, Q, "acute", attributes=ATTRS / "lower_case_code.csv")
    t = result.table
    given = set(m.loc[(m["quarter"] == Q) & (m["trust_type"] == "acute"), "trust_code"])
    assert set(t["trust_code"]) | set(result.exclusions["trust_code"]) == given
    assert not t.set_index("trust_code").loc["SYN-A002", "financial_override"]


@pytest.mark.parametrize("path", sorted(OK.iterdir()), ids=lambda p: p.name)
def test_every_accepted_file_ranks_or_excludes_every_trust(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        data = nhsrank.read_metrics(path)
        result = nhsrank.league_table(data, Q, "acute")
    given = set(data.loc[(data["quarter"] == Q) & (data["trust_type"] == "acute"), "trust_code"])
    placed = set(result.table["trust_code"]) | set(result.exclusions["trust_code"])
    assert given and placed == given
