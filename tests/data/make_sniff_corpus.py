"""Write the sniffing corpus (tests/data/ok/sniff_*, tests/data/bad/sniff_*): SYNTHETIC trusts only.

Run from the repository root: ``python tests/data/make_sniff_corpus.py``. The files are
committed; this script documents how each was made (encodings, compression, sheets).
"""
import gzip
import io
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
OK, BAD = HERE / "ok", HERE / "bad"
HEADER = ["trust_code", "trust_name", "trust_type", "quarter", "metric_id", "value", "numerator", "denominator"]
NAMES = ["Trust Café SYN-A001", "St Mary’s – SYN-A002", "Trust SYN-A003"]
VALUES = [("0.6", "600", "1000"), ("0.7", "700", "1000"), ("0.5", "500", "1000")]


def rows(names=NAMES, values=VALUES):
    return [[f"SYN-A00{i + 1}", n, "acute", "2025-26-Q1", "OF0023", *v] for i, (n, v) in enumerate(zip(names, values))]


def text(delim=",", names=NAMES, values=VALUES, title=(), newline="\r\n"):
    lines = list(title) + [delim.join(HEADER)] + [delim.join(r) for r in rows(names, values)]
    return newline.join(lines) + newline


def workbook(sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, data in sheets:
        ws = wb.create_sheet(name)
        for r in data:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main():
    plain = ["Trust SYN-A001", "Trust SYN-A002", "Trust SYN-A003"]
    one_odd = ["Trust SYN-A001", "Trust Café SYN-A002", "Trust SYN-A003"]
    files = {
        OK / "sniff_utf8.csv": text().encode("utf-8"),
        OK / "sniff_cp1252.csv": text().encode("cp1252"),
        OK / "sniff_cp1252_one_row.csv": text(names=one_odd).encode("cp1252"),
        OK / "sniff_mac_roman.csv": text(newline="\r").encode("mac_roman"),
        # Excel "Unicode Text": UTF-16 with a BOM, TAB-separated
        OK / "sniff_utf16le_tab.txt": b"\xff\xfe" + text("\t").encode("utf-16-le"),
        OK / "sniff_utf16be_tab.txt": b"\xfe\xff" + text("\t").encode("utf-16-be"),
        OK / "sniff_gzip_named.csv": gzip.compress(text().encode("utf-8"), mtime=0),
        OK / "sniff_tab.tsv": text("\t").encode("utf-8"),
        OK / "sniff_semicolon_decimal_comma.csv": text(";", names=plain, values=[
            ("0,6", "600", "1000"), ("0,7", "700", "1000"), ("0,5", "500", "1000")]).encode("utf-8"),
        OK / "sniff_title_rows.csv": text(title=["NHS Oversight Framework 2025/26,,,,,,,",
                                                 "Acute trusts: Q1 (SYNTHETIC),,,,,,,", ",,,,,,,"]).encode("utf-8"),
        OK / "sniff_title_rows.xlsx": workbook([("Data", [["NOF metrics (SYNTHETIC)"], [], HEADER,
                                                          *[[*r[:5], float(r[5]), int(r[6]), int(r[7])] for r in rows()]])]),
        OK / "sniff_second_sheet.xlsx": workbook([("Notes", [["About this file"], ["SYNTHETIC data"]]),
                                                 ("Data", [HEADER, *rows()])]),
        BAD / "sniff_mixed_encoding.csv": text(names=plain).encode("utf-8").replace(
            b"Trust SYN-A003", "Trust SYN-A003 Café".encode()).replace(b"Trust SYN-A002", b"Caf\xe9 SYN-A002"),
        BAD / "sniff_semicolon_mixed_decimals.csv": text(";", names=plain, values=[
            ("0.6", "600", "1000"), ("0.7", "700", "1000"), ("0,5", "500", "1000")]).encode("utf-8"),
        BAD / "sniff_tab_stray_tab.tsv": text("\t", names=plain).replace("Trust SYN-A002", "Trust\tSYN-A002")
        .encode("utf-8"),
        BAD / "sniff_two_sheets.xlsx": workbook([("Q1", [HEADER, *rows()]), ("Q1 copy", [HEADER, *rows()])]),
        BAD / "sniff_formulas_not_calculated.xlsx": workbook([("Data", [HEADER, *[
            [*r[:5], f"=G{i + 2}/H{i + 2}", *r[6:]] for i, r in enumerate(rows())]])]),
        BAD / "sniff_old_excel.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
    }
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("nof.csv", (2025, 1, 1, 0, 0, 0)), text())
    files[OK / "sniff_one_csv.zip"] = zbuf.getvalue()
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as zf:
        for name in ("acute.csv", "ambulance.csv"):
            zf.writestr(zipfile.ZipInfo(name, (2025, 1, 1, 0, 0, 0)), text())
    files[BAD / "sniff_two_files.zip"] = zbuf.getvalue()
    for path, data in files.items():
        path.write_bytes(data)


if __name__ == "__main__":
    main()
