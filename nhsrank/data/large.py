"""Reading a large CSV file: only the columns and the quarter needed, in chunks, or a refusal up front.

A release that holds many quarters of NHS England's published layout runs to
hundreds of megabytes. :func:`~nhsrank.data.readers.read_table` sends a plain
comma-separated UTF-8 file larger than :data:`LARGE_FILE_BYTES` (header on the
first row, as NHS England writes it) here:

* the file is parsed by pandas' C parser, :data:`CHUNK_ROWS` rows at a time, and
  only the columns nhsrank reads are kept (every spelling in
  :data:`~nhsrank.data.readers.COLUMN_ALIASES`; Region, Domain, the quartiles
  are dropped);
* with a quarter asked for, only that quarter's rows are kept (and rows whose
  quarter cell cannot be read, so that the checks name them); a quarter not in
  the file is refused naming the quarters present;
* without a quarter, a file of several quarters is refused at once, naming
  them and saying to choose one (reading them all would take minutes and
  gigabytes);
* row numbers are the spreadsheet's, as for every other file; a row with more
  cells than the header is refused naming it.

Anything else (gzip, zip, Excel, another delimiter or encoding, title rows)
goes through :mod:`nhsrank.data.sniff` as before.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
>>> _ = p.write_text("Quarter,Trust_code,Metric_ID,Value,Region\\nQ1 2025/26,RX1,OF0001,5,North\\n"
...                  "Q2 2025/26,RX1,OF0001,6,North\\n")
>>> names = {"Quarter": "quarter", "Trust_code": "trust_code", "Metric_ID": "metric_id", "Value": "value"}
>>> t = read_large_csv(p, names.get, lambda cells: "Value" in cells, "2025-26-Q2", min_bytes=0)
>>> t.to_dict("index")
{3: {'Quarter': 'Q2 2025/26', 'Trust_code': 'RX1', 'Metric_ID': 'OF0001', 'Value': '6'}}
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..rules.quarters import normalise_quarter

#: files larger than this (bytes) are read by :func:`read_large_csv`
LARGE_FILE_BYTES = 32 * 2**20
#: rows parsed at a time
CHUNK_ROWS = 200_000
_HEAD_BYTES = 1 << 16
_CANONICAL_QUARTER = re.compile(r"^\d{4}-\d\d-Q[1-4]$")


def _plain_layout(path: Path, is_header) -> list[str] | None:
    """The header cells of a plain comma-separated UTF-8 file whose first row is the header, else None."""
    from .sniff import text_layout

    with open(path, "rb") as fh:
        head = fh.read(_HEAD_BYTES)
    if head[:2] == b"\x1f\x8b" or head[:4] == b"PK\x03\x04" or head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return None
    head = head[: head.rfind(b"\n") + 1] if b"\n" in head else head
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    delim, row = text_layout(text, is_header)
    if delim != "," or row != 0:
        return None
    import csv
    import io

    return [c.replace("\ufeff", "").strip() for c in next(csv.reader(io.StringIO(text)))]


def _quarters(series: pd.Series) -> pd.Series:
    """The quarters of a column in canonical form, computed once per distinct cell."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    canon = np.array([normalise_quarter(u) for u in uniques] + [None], dtype=object)
    return pd.Series(canon[codes], index=series.index)


def read_large_csv(path, canonical, is_header, quarter: str | None = None, *, na_text=("",),
                   min_bytes: int | None = None) -> pd.DataFrame | None:
    """:func:`~nhsrank.data.readers.read_table` for a large plain CSV file (see the module docstring), or
    None if the file is small or not plain comma-separated UTF-8 text (the caller reads it as usual).

    Parameters
    ----------
    path : the file
    canonical : ``canonical(header cell)`` -> the canonical column name, or None for a column not read
    is_header : ``is_header(cells)``: True for the header row (the required columns)
    quarter : the quarter to keep (any spelling :func:`~nhsrank.rules.quarters.normalise_quarter`
        reads), or None
    na_text : cell texts read as missing
    min_bytes : files below this size get None (default :data:`LARGE_FILE_BYTES`)
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size < (LARGE_FILE_BYTES if min_bytes is None else min_bytes) or not path.is_file():
        return None
    header = _plain_layout(path, is_header)
    if header is None:
        return None
    wanted = [c for c in header if c and canonical(c)]
    qcol = next((c for c in wanted if canonical(c) == "quarter"), None)
    source = str(path)
    target = normalise_quarter(quarter) if quarter is not None else None
    parts, seen, row = [], set(), 2
    try:
        if target is None and qcol is not None:
            present = _present_quarters(path, qcol)
            if len(present) > 1:
                shown = ", ".join(present[:3]) + (", ..., " + present[-1] if len(present) > 3 else "")
                raise InputError.from_records(source, [{"column": "quarter", "problem":
                    f"the file holds {len(present)} quarters ({shown}) in {size / 1e6:.0f} MB; choose one with "
                    "--quarter (quarter=... in Python): only that quarter's rows are then read"}])
        reader = pd.read_csv(path, sep=",", header=0, dtype=str, keep_default_na=False,
                             na_filter=False, skip_blank_lines=False, encoding="utf-8-sig", engine="c",
                             chunksize=CHUNK_ROWS)
        for chunk in reader:
            chunk.index = np.arange(row, row + len(chunk))
            row += len(chunk)
            if target is not None and qcol is not None:
                q = _quarters(chunk[qcol])
                readable = q.map(lambda v: isinstance(v, str) and bool(_CANONICAL_QUARTER.match(v)))
                seen.update(q[readable].unique())
                chunk = chunk[(q == target) | ~readable]
            parts.append(chunk[wanted].astype(object))
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if not m:
            raise InputError.from_records(source, [{"problem": f"cannot read the file as CSV: {exc}"}]) from None
        width, line, found = m.groups()
        raise InputError.from_records(source, [{"row": int(line), "problem":
            f"this row has {found} cells but the header has {width} columns (a stray comma, or a comma inside a "
            "cell that is not in quotes?); put that cell in quotes or remove the comma"}]) from None
    except UnicodeDecodeError:
        return None          # not UTF-8 throughout: the sniffer finds the encoding (and names the rows)
    if target is not None and qcol is not None and target not in seen:
        raise InputError.from_records(source, [{"column": "quarter", "problem":
            f"quarter {quarter!r} is not in the data; quarters present: {', '.join(sorted(seen)) or 'none'}"}])
    df = pd.concat(parts) if parts else pd.DataFrame(columns=wanted, dtype=object)
    df = df.where(~df.isin(list(na_text)), np.nan)
    df = df[df.notna().any(axis=1)]            # blank lines and empty rows hold no trust; numbers stay right
    if df.empty:
        raise InputError.from_records(source, [{"problem": "the file has a header but no data rows"}])
    return df


def _present_quarters(path: Path, qcol: str) -> list[str]:
    """The distinct quarters of the file, read from its quarter column alone."""
    found: set = set()
    for chunk in pd.read_csv(path, usecols=[qcol], dtype=str, keep_default_na=False, encoding="utf-8-sig",
                             engine="c", chunksize=CHUNK_ROWS * 5):
        found.update(v for v in _quarters(chunk[qcol]).unique() if isinstance(v, str) and v)
    return sorted(found)


__all__ = ["read_large_csv", "LARGE_FILE_BYTES", "CHUNK_ROWS"]
