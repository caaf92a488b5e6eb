"""The bad-file corpus saved as Excel workbooks: an .xlsx is read like the CSV, so the same
problems are found at the same spreadsheet rows and columns (no binary files are committed:
each workbook is built here from its CSV)."""
import csv
from pathlib import Path

import pytest
import yaml

import nhsrank
from nhsrank.cli import main

openpyxl = pytest.importorskip("openpyxl")

BAD = Path(__file__).parent / "bad"
EXPECTED = yaml.safe_load((BAD / "EXPECTED.yaml").read_text())
CSV_ONLY = {"empty.csv", "stray_comma.csv", "trust_name_unquoted_comma.csv"}   # no workbook can hold these


def to_xlsx(src: Path, dst: Path) -> Path:
    """Copy a CSV into a workbook the way Excel would hold it: numbers as numbers, the rest as text,
    blank lines as blank rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    with open(src, newline="", encoding="utf-8-sig") as fh:
        for i, row in enumerate(csv.reader(fh), start=1):
            for j, cell in enumerate(row, start=1):
                if cell == "":
                    continue
                try:
                    value = int(cell) if cell.lstrip("-").isdigit() else float(cell)
                except ValueError:
                    value = cell
                ws.cell(row=i, column=j, value=value)
    wb.save(dst)
    return dst


def failures(path, exp):
    args = exp.get("args", ["--quarter", "2025-26-Q1"])
    opts = dict(zip(args[::2], args[1::2]))
    methodology = opts.get("--methodology", "nof-2025-26")
    with pytest.raises(nhsrank.InputError) as info:
        data = nhsrank.read_metrics(path, methodology=methodology)
        nhsrank.league_table(data, opts.get("--quarter"), "acute", methodology=methodology).table
    f = info.value.failures
    return f, sorted(zip(f["row"].fillna(0).astype(int), f["column"].fillna("")))


# the sniff_* files are about the file itself (encoding, delimiter, zip, sheets), which a workbook cannot copy
@pytest.mark.parametrize("name", sorted(n for n in set(EXPECTED) - CSV_ONLY if not n.startswith("sniff_")))
def test_workbook_gives_the_same_failures_as_the_csv(name, tmp_path):
    exp = EXPECTED[name]
    xlsx = to_xlsx(BAD / name, tmp_path / (Path(name).stem + ".xlsx"))
    f_xlsx, where_xlsx = failures(xlsx, exp)
    _, where_csv = failures(BAD / name, exp)
    assert where_xlsx == where_csv, f_xlsx
    assert (f_xlsx["source"] == str(xlsx)).all()


def test_workbook_rejected_by_the_cli_without_traceback(tmp_path, capsys):
    xlsx = to_xlsx(BAD / "many_problems.csv", tmp_path / "many_problems.xlsx")
    assert main(["league", "--data", str(xlsx), "--quarter", "2025-26-Q1"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(xlsx) in err
    assert "row 5, trust SYN-A004, column 'value': expected a number, found 'abc'" in err


def test_a_corrupt_workbook_is_an_input_error(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(nhsrank.InputError, match="broken.xlsx"):
        nhsrank.read_metrics(bad)


def test_excel_error_cells_are_not_read_as_blanks(tmp_path):
    """pandas reads #N/A / #DIV/0! cells as empty: the figure would silently go missing."""
    xlsx = to_xlsx(BAD.parent / "ok" / "percent_strings.csv", tmp_path / "errors.xlsx")
    wb = openpyxl.load_workbook(xlsx)
    ws = wb.active
    header = [c.value for c in ws[1]]
    ws.cell(row=3, column=header.index("value") + 1, value="#N/A")
    wb.save(xlsx)
    assert openpyxl.load_workbook(xlsx).active.cell(row=3, column=header.index("value") + 1).data_type == "e"
    with pytest.raises(nhsrank.InputError) as info:
        nhsrank.read_metrics(xlsx)
    f = info.value.failures
    assert f[["row", "column"]].values.tolist() == [[3, "value"]]
    assert "'#N/A' (an Excel error" in f["problem"].iloc[0]
