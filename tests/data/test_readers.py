"""Reading NHS England's published layout and Excel's quirks (tests/data/published_sample.csv is
SYNTHETIC figures in the published column layout: UTF-8 BOM, CRLF, Units "%" with 0-100 values,
derived OF1xxx/OF4xxx/OF5xxx rows and the unscored OF0079/OF0081)."""
from pathlib import Path

import pandas as pd
import pytest

import nhsrank
from nhsrank.cli import main
from nhsrank.data.readers import normalise_trust_type, read_published_scores

DATA = Path(__file__).parent
PUBLISHED = DATA / "published_sample.csv"
LEAGUE_FILE = DATA / "published_league_table_sample.csv"


@pytest.mark.parametrize("text, canon", [("Acute trust", "acute"), ("Ambulance trust", "ambulance"),
                                         ("Non-acute hospital trust", "non-acute"),
                                         ("Mental health and community trust", "non-acute"),
                                         ("  ACUTE  TRUST ", "acute")])
def test_published_trust_type_values(text, canon):
    assert normalise_trust_type(text) == canon


def test_published_columns_are_mapped():
    raw = pd.read_csv(PUBLISHED, dtype=str, encoding="utf-8-sig")
    assert raw.columns[0] == "Quarter" and PUBLISHED.read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in PUBLISHED.read_bytes()
    t = nhsrank.read_metrics(PUBLISHED, methodology="nof-2025-26")
    assert {"trust_subtype", "published_median", "published_rank", "units", "reporting_date"} <= set(t.columns)
    assert set(t["trust_type"]) == {"acute", "non-acute"} and set(t["quarter"]) == {"2025-26-Q4"}
    assert (t["trust_subtype"] == "Synthetic").all()


def test_derived_rows_are_set_aside_counted_and_attached():
    t = nhsrank.read_metrics(PUBLISHED)
    assert t["metric_id"].str.match(r"OF0\d{3}$").all()
    # the finance values are scored (by thresholds) now, not set aside
    assert t["metric_id"].isin(["OF0079", "OF0081"]).any()
    raw = pd.read_csv(PUBLISHED, dtype=str, encoding="utf-8-sig")
    n_derived = raw["Metric_ID"].str.match(r"OF[145]").sum()
    assert t.attrs["published_derived_rows"] == n_derived > 0
    assert t.attrs["published_not_scored_rows"] == 0
    own = ~t["value_from_published_score"].astype(bool)
    assert own.sum() == (~raw["Metric_ID"].str.match(r"OF[145]")).sum()      # nothing else dropped
    # NHS England's metric score rides along with the raw value it scores
    sc = raw.set_index(["Trust_code", "Metric_ID"])["Value"]
    row = t[(t["trust_code"] == "SYN-A001") & (t["metric_id"] == "OF0023")].iloc[0]
    assert row["published_score"] == pytest.approx(float(sc[("SYN-A001", "OF1023")]))
    scores = read_published_scores(PUBLISHED)
    assert {"OF5002", "OF4000", "OF4100", "OF5004", "OF1023"} <= set(scores["metric_id"])
    assert len(scores) == n_derived


def test_percent_units_become_proportions_only_for_fraction_metrics():
    raw = pd.read_csv(PUBLISHED, dtype=str, encoding="utf-8-sig").set_index(["Trust_code", "Metric_ID"])
    t = nhsrank.read_metrics(PUBLISHED).set_index(["trust_code", "metric_id"])["value"]
    assert raw.loc[("SYN-A001", "OF0023"), "Units"] == "%"
    assert t[("SYN-A001", "OF0023")] == pytest.approx(float(raw.loc[("SYN-A001", "OF0023"), "Value"]) / 100)
    # "percentage points" on a ratio metric
    assert raw.loc[("SYN-N002", "OF0041"), "Units"] == "percentage points"
    assert t[("SYN-N002", "OF0041")] == pytest.approx(float(raw.loc[("SYN-N002", "OF0041"), "Value"]) / 100)
    # "%" on a metric the methodology holds in percent units (relative difference in costs, 50-200): unchanged
    assert raw.loc[("SYN-N001", "OF0086"), "Units"] == "%"
    assert t[("SYN-N001", "OF0086")] == pytest.approx(float(raw.loc[("SYN-N001", "OF0086"), "Value"]))
    # "out of 10" is not a percentage
    assert t[("SYN-N001", "OF0061")] == pytest.approx(float(raw.loc[("SYN-N001", "OF0061"), "Value"]))


def test_percent_sign_and_percent_units_are_not_divided_twice():
    df = pd.DataFrame({"trust_code": ["A", "B", "C"], "trust_type": "acute", "quarter": "2025-26-Q1",
                       "metric_id": "OF0023", "units": "%", "value": ["85%", "85", "0.5%"],
                       "median_value": ["80", "80", "80"]})
    t = nhsrank.read_metrics(df, methodology="nof-2025-26")
    assert t["value"].round(6).tolist() == [0.85, 0.85, 0.005]
    assert t["published_median"].round(6).tolist() == [0.8, 0.8, 0.8]
    assert t.attrs["percent_units_converted"] == 1      # the bare "85"


def test_percent_units_out_of_range_still_rejected():
    df = pd.DataFrame({"trust_code": ["A"], "trust_type": "acute", "quarter": "2025-26-Q1",
                       "metric_id": "OF0023", "units": "%", "value": ["185"]})
    with pytest.raises(nhsrank.InputError, match=r"OF0023 value 1.85 is outside its valid range"):
        nhsrank.read_metrics(df, methodology="nof-2025-26")


@pytest.mark.parametrize("quarter", ["2025-26-Q4", "Q4 2025/26", "2025/26 Q4"])
def test_cli_league_on_the_published_layout(quarter, tmp_path, capsys):
    out = tmp_path / "league.csv"
    assert main(["league", "--data", str(PUBLISHED), "--quarter", quarter, "--out", str(out)]) == 0
    table = pd.read_csv(out)
    excl_path = tmp_path / "league-exclusions.csv"
    excl = pd.read_csv(excl_path) if excl_path.exists() else pd.DataFrame(columns=["trust_code"])
    raw = pd.read_csv(PUBLISHED, dtype=str, encoding="utf-8-sig")
    assert set(table["trust_code"]) | set(excl["trust_code"]) == set(raw["Trust_code"])
    assert "Traceback" not in capsys.readouterr().err


def test_league_table_file_as_attributes():
    a = nhsrank.read_attributes(LEAGUE_FILE)
    assert a.set_index("trust_code")["financial_deficit"].to_dict() == {
        "SYN-N001": False, "SYN-N002": True, "SYN-N003": False}
    assert not a["pip"].any()
    assert main(["league", "--data", str(PUBLISHED), "--attributes", str(LEAGUE_FILE), "--quarter",
                 "Q4 2025/26", "--trust-type", "non-acute"]) == 0


def test_all_rows_derived_is_an_error(tmp_path):
    raw = pd.read_csv(PUBLISHED, dtype=str, encoding="utf-8-sig")
    path = tmp_path / "scores-only.csv"
    raw[raw["Metric_ID"].str.match(r"OF[145]")].to_csv(path, index=False)
    with pytest.raises(nhsrank.InputError, match=r"no metric values to score.*raw metric rows \(OF0xxx\)"):
        nhsrank.read_metrics(path)


def test_numerator_above_denominator_is_fine_for_a_rate():
    # OF0048 is a Poisson rate per exposure: the count may exceed the denominator
    df = pd.DataFrame({"trust_code": ["A", "B"], "trust_type": "acute", "quarter": "2025-26-Q1",
                       "metric_id": "OF0048", "value": ["40", "45"], "numerator": ["120", "90"],
                       "denominator": ["100", "200"]})
    t = nhsrank.read_metrics(df, methodology="nof-2025-26")
    assert t["numerator"].tolist() == [120.0, 90.0]
    bad = df.assign(metric_id="OF0023", value=["0.4", "0.45"])
    with pytest.raises(nhsrank.InputError, match=r"row 2, trust A, column 'numerator': numerator 120"):
        nhsrank.read_metrics(bad, methodology="nof-2025-26")


def test_xlsx_with_blank_rows_keeps_spreadsheet_row_numbers(tmp_path):
    pytest.importorskip("openpyxl")
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["trust_code", "trust_type", "quarter", "metric_id", "value"])
    ws.append(["SYN-A001", "acute", "2025-26-Q1", "OF0023", 0.6])          # row 2
    ws.append([None, None, None, None, None])                                 # row 3, blank
    ws.append(["SYN-A002", "acute", "2025-26-Q1", "OF0023", "sixty"])        # row 4
    path = tmp_path / "blank.xlsx"
    wb.save(path)
    with pytest.raises(nhsrank.InputError) as info:
        nhsrank.read_metrics(path)
    assert info.value.failures[["row", "trust_code", "column"]].values.tolist() == [[4, "SYN-A002", "value"]]


def test_excel_workbook_named_csv(tmp_path):
    pytest.importorskip("openpyxl")
    path = tmp_path / "data.csv"
    pd.DataFrame({"a": [1]}).to_excel(path.with_suffix(".xlsx"), index=False)
    path.write_bytes(path.with_suffix(".xlsx").read_bytes())
    assert main(["league", "--data", str(path), "--quarter", "2025-26-Q1"]) == 2
    # read as the workbook it is (with a warning); its columns are then checked like any file's
    with pytest.warns(nhsrank.data.sniff.InputWarning, match="Excel workbook saved under a CSV name"), \
            pytest.raises(nhsrank.InputError, match="missing required column 'trust_code'.*columns found: 'a'"):
        nhsrank.read_metrics(path)


def test_folder_or_missing_file_is_one_clear_message(tmp_path, capsys):
    assert main(["league", "--data", str(tmp_path), "--quarter", "2025-26-Q1"]) == 2
    assert main(["league", "--data", str(tmp_path / "nope.csv"), "--quarter", "2025-26-Q1"]) == 2
    err = capsys.readouterr().err
    assert "folder" in err and "file not found" in err and "Traceback" not in err


def test_bad_attributes_file_through_the_cli(tmp_path, capsys):
    path = tmp_path / "attrs.csv"
    path.write_text("Trust_code,Trust_in_financial_deficit\nSYN-A001,Yes\nSYN-A002,perhaps\n")
    assert main(["league", "--data", "synthetic", "--attributes", str(path), "--quarter", "2025-26-Q1"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "row 3, trust SYN-A002, column 'Trust_in_financial_deficit'" not in err
    assert "row 3, trust SYN-A002" in err and "'perhaps'" in err and "Traceback" not in err
