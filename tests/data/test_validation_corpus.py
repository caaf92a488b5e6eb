"""Every file of tests/data/bad/ is rejected with its expected message (CLI and API);
the ugly-but-valid files of tests/data/ok/ are accepted."""
from pathlib import Path

import pandas as pd
import pytest
import yaml

import nhsrank
from nhsrank.cli import main

BAD = Path(__file__).parent / "bad"
OK = Path(__file__).parent / "ok"
EXPECTED = yaml.safe_load((BAD / "EXPECTED.yaml").read_text())
DEFAULT_ARGS = ["--quarter", "2025-26-Q1"]


def test_every_bad_file_has_an_expectation():
    assert sorted(p.name for p in BAD.iterdir() if p.name != "EXPECTED.yaml") == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli_rejects_with_one_clear_message(name, capsys):
    exp = EXPECTED[name]
    path = BAD / name
    code = main(["league", "--data", str(path), "--trust-type", "acute", *exp.get("args", DEFAULT_ARGS)])
    captured = capsys.readouterr()
    if "cli_chooses" in exp:                     # not an error on the command line: the choice is said
        assert code == 0 and exp["cli_chooses"] in captured.err and "Traceback" not in captured.err
        return
    assert code == 2
    assert captured.out == ""
    err = captured.err
    assert "Traceback" not in err
    assert str(path) in err                      # names the file
    for text in exp["contains"]:
        assert text in err, f"{text!r} not in:\n{err}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_api_raises_input_error_with_failures(name):
    exp = EXPECTED[name]
    args = exp.get("args", DEFAULT_ARGS)
    opts = dict(zip(args[::2], args[1::2]))
    methodology = opts.get("--methodology", "nof-2025-26")
    with pytest.raises(nhsrank.InputError) as info:
        data = nhsrank.read_metrics(BAD / name, methodology=methodology)
        nhsrank.league_table(data, opts.get("--quarter"), "acute", methodology=methodology).table
    failures = info.value.failures
    assert list(failures.columns) == ["source", "row", "trust_code", "column", "problem"]
    assert (failures["source"] == str(BAD / name)).all()
    if "column" in exp:
        hits = failures[failures["column"] == exp["column"]]
        assert len(hits), failures
        if "row" in exp:
            assert exp["row"] in set(hits["row"]), failures
    elif "row" in exp:
        assert exp["row"] in set(failures["row"]), failures


def _values(path, **kw):
    t = nhsrank.read_metrics(path, **kw)
    return t.sort_values("trust_code")["value"].round(6).tolist()


def test_bom_and_windows_line_endings_are_read():
    assert _values(OK / "bom_crlf.csv") == [0.6, 0.7, 0.5]


def test_percent_strings_are_read_as_proportions():
    assert _values(OK / "percent_strings.csv") == [0.6, 0.7, 0.5]


def test_older_release_column_names_are_mapped():
    t = nhsrank.read_metrics(OK / "older_release_names.csv")
    assert set(t["trust_code"]) == {"SYN-A001", "SYN-A002", "SYN-A003"} and (t["quarter"] == "2025-26-Q1").all()


def test_xlsx_is_read_like_csv(tmp_path):
    pytest.importorskip("openpyxl")
    csv = pd.read_csv(OK / "percent_strings.csv", dtype=str)
    xlsx = tmp_path / "data.xlsx"
    csv.to_excel(xlsx, index=False)
    assert _values(xlsx) == [0.6, 0.7, 0.5]
    bad = csv.assign(value=["0.6", "abc", "0.5"])
    bad.to_excel(tmp_path / "bad.xlsx", index=False)
    with pytest.raises(nhsrank.InputError, match=r"row 3, trust SYN-A002, column 'value': expected a number"):
        nhsrank.read_metrics(tmp_path / "bad.xlsx")


def test_published_nhs_england_format_is_read_and_derived_rows_set_aside():
    path = Path(__file__).parent / "published_sample.csv"
    t = nhsrank.read_metrics(path)
    assert t["metric_id"].str.startswith("OF0").all()
    assert t.attrs["published_derived_rows"] > 0
    assert set(t["trust_type"]) == {"acute", "non-acute"}
    scores = nhsrank.data.readers.read_published_scores(path)
    assert {"OF5002"} <= set(scores["metric_id"])
    code = main(["league", "--data", str(path), "--quarter", "2025-26-Q4", "--trust-type", "non-acute"])
    assert code == 0


def test_attributes_from_the_league_table_file():
    path = Path(__file__).parent / "published_league_table_sample.csv"
    a = nhsrank.read_attributes(path)
    assert a.set_index("trust_code")["financial_deficit"].to_dict() == {"SYN-N001": False, "SYN-N002": True,
                                                                        "SYN-N003": False}
    assert not a["pip"].any() and (a["quarter"] == "2025-26-Q4").all()


def test_bad_attribute_flag_is_named():
    df = pd.DataFrame({"trust_code": ["A", "B"], "financial_deficit": ["yes", "maybe"]})
    with pytest.raises(nhsrank.InputError, match=r"row 3, trust B, column 'financial_deficit'.*'maybe'"):
        nhsrank.read_attributes(df)


@pytest.mark.parametrize("flag", ["", "n/a"])
def test_blank_or_na_attribute_flag_is_an_error_not_no(flag):
    df = pd.DataFrame({"trust_code": ["A", "B"], "financial_deficit": ["yes", flag]})
    with pytest.raises(nhsrank.InputError, match=r"row 3, trust B, column 'financial_deficit'"):
        nhsrank.read_attributes(df)


def test_misspelt_attribute_column_is_named():
    df = pd.DataFrame({"trust_code": ["A"], "financial_defecit": ["yes"]})
    with pytest.raises(nhsrank.InputError, match=r"financial_defecit.*did you mean 'financial_deficit'"):
        nhsrank.read_attributes(df)
