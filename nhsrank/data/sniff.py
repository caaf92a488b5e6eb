"""Sniffing an input file before it is parsed: compression, encoding, delimiter, header row, sheet.

Analysts' files come out of Excel in many shapes. This module looks at the
bytes first and either reads the file the way its author meant or refuses it
with an :class:`~nhsrank.errors.InputError` that names the file (and row,
sheet or cells) and says what to do. What it decided is reported as an
:class:`InputWarning` (a ``UserWarning``), so the CLI, the API and notebooks
all show it.

* compression by content: gzip bytes are unpacked whatever the file is
  called; a zip archive holding exactly one CSV or .xlsx file is read (with a
  warning), any other zip archive is refused with its contents listed; an
  Excel workbook under a CSV name is read as the workbook it is.
* encoding: a BOM (UTF-8, UTF-16 LE/BE as Excel's "Unicode Text") is obeyed;
  otherwise UTF-8 is tried, and a file that is not UTF-8 is decoded as
  Windows-1252 or Mac Roman (proposed by
  `charset-normalizer <https://github.com/jawah/charset_normalizer>`_ or
  decoding without error), whichever makes its non-ASCII characters look more
  like names (:func:`plausibility`; ties: Windows-1252); a warning names the
  first row with a non-UTF-8 byte. A file mixing UTF-8 and another encoding is refused.
* delimiter: comma, semicolon, tab or bar: the one with which a row holds the
  required columns; when none or several do, the one
  `CleverCSV <https://github.com/alan-turing-institute/CleverCSV>`_ detects. In a semicolon- or tab-separated file,
  decimal commas (``0,6``) are converted to points with a warning when no cell
  of the file uses a decimal point; if both are used the cells are reported.
* header row: the first row holding the required columns (``is_header``),
  so that title rows above the header are skipped (a warning names them).
* xlsx: the sheet holding the required columns is read (several: refused,
  naming them); formula cells without a cached value (a file written by a
  program, never opened in Excel) are refused, naming the sheet and cells.

Examples
--------
>>> import warnings
>>> with warnings.catch_warnings(record=True) as notes:      # each repair is said, as an InputWarning
...     warnings.simplefilter("always")
...     rows = sniff_bytes(b"title\\n\\ncode;value\\nA;0,5\\n", "x.csv", lambda cells: "code" in cells)
>>> rows.header, rows.cells, rows.numbers
(['code', 'value'], [['A', '0.5']], [4])
>>> [str(n.message)[:31] for n in notes]
['x.csv: the header is on row 3; ', 'x.csv: this semicolon-separated']
"""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, InputWarning

DELIMITERS = [",", ";", "\t", "|"]
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
#: encodings tried (by charset-normalizer) for a file that is not UTF-8
LEGACY_ENCODINGS = ["cp1252", "mac_roman"]
ENCODING_NAMES = {"cp1252": "Windows-1252 (Excel 'CSV' on Windows)", "mac_roman": "Mac Roman (Excel 'CSV' on a Mac)"}
HEADER_SEARCH_ROWS = 30          # the header must be among the first rows
SAMPLE_LINES = 60                # lines given to the delimiter detector
DECIMAL_COMMA = re.compile(r"^\s*[+-]?\d+,\d+\s*%?\s*$")
DECIMAL_POINT = re.compile(r"^\s*[+-]?\d*\.\d+\s*%?\s*$")


@dataclass
class Rows:
    """A file's header and data rows as text, with each row's spreadsheet row number."""

    header: list[str]
    cells: list[list[str | None]]
    numbers: list[int]


def _fail(source: str, problem: str, row=None) -> InputError:
    return InputError.from_records(source, [{"row": row, "problem": problem}])


def _warn(source: str, message: str) -> None:
    warnings.warn(f"{source}: {message}", InputWarning, stacklevel=4)


def sniff_file(path: str | Path, is_header: Callable[[list[str]], bool] | None = None) -> Rows:
    """Read ``path`` (CSV in any Excel flavour, gzip, zip, xlsx) into :class:`Rows`.

    ``is_header(cells)`` says whether a row (its cells as written) is
    the header; ``None`` takes the first non-blank row.
    """
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise _fail(source, "file not found")
    if path.is_dir():
        raise _fail(source, "this is a folder, not a CSV or .xlsx file")
    return sniff_bytes(path.read_bytes(), source, is_header, suffix=path.suffix.lower())


def sniff_bytes(raw: bytes, source: str, is_header=None, suffix: str = ".csv") -> Rows:
    """:func:`sniff_file` on bytes already read (``source`` names them in messages)."""
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise _fail(source, f"this is a gzip-compressed file but it cannot be unpacked ({exc}); "
                                "compress it again or give the plain CSV") from None
        _warn(source, "the file is gzip-compressed; read its unpacked content")
        return sniff_bytes(raw, source, is_header, suffix=".csv")
    if raw[:4] == b"PK\x03\x04":
        return _sniff_zip(raw, source, is_header, suffix)
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _fail(source, "this is an old Excel 97-2003 workbook (.xls), which nhsrank does not read; "
                            "open it in Excel and save it as .xlsx or as 'CSV UTF-8'")
    if suffix in {".xlsx", ".xlsm"}:
        raise _fail(source, "this file has an Excel name but is not an Excel workbook (no .xlsx content); "
                            "if it is CSV text, rename it to .csv")
    text, _encoding = decode(raw, source)
    if not text.strip("\ufeff \r\n\t"):
        raise _fail(source, "the file is empty")
    return _rows_from_text(text, source, is_header)


def _sniff_zip(raw: bytes, source: str, is_header, suffix: str = ".xlsx") -> Rows:
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        names = zf.namelist()
    except zipfile.BadZipFile as exc:
        raise _fail(source, f"this looks like a zip archive or Excel workbook but is damaged ({exc})") from None
    if "xl/workbook.xml" in names:
        if suffix not in {".xlsx", ".xlsm"}:
            _warn(source, "this is an Excel workbook saved under a CSV name; read it as the workbook it is "
                          "(rename it to .xlsx)")
        return sniff_xlsx(raw, source, is_header)
    members = [n for n in names if not n.endswith("/") and not n.startswith("__MACOSX/")
               and not Path(n).name.startswith(".")]
    readable = [n for n in members if Path(n).suffix.lower() in {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}]
    if len(readable) == 1 and len(members) == 1:
        name = readable[0]
        _warn(source, f"this is a zip archive; read the one file it holds, {name!r}")
        return sniff_bytes(zf.read(name), f"{source} [{name}]", is_header, suffix=Path(name).suffix.lower())
    listed = ", ".join(repr(n) for n in members[:10]) + (", ..." if len(members) > 10 else "") or "(nothing)"
    raise _fail(source, f"this is a zip archive, not a CSV or Excel file; it holds {len(members)} files "
                        f"({listed}): extract the data file and give its path")


def decode(raw: bytes, source: str) -> tuple[str, str]:
    """Decode a text file's bytes: BOM first, then UTF-8, then the legacy encoding
    charset-normalizer finds; returns (text, encoding).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as notes:   # not UTF-8: said, as an InputWarning
    ...     warnings.simplefilter("always")
    ...     decode("Café".encode("cp1252"), "x.csv")[1]
    'cp1252'
    >>> str(notes[0].message)[:33]
    'x.csv: the file is not UTF-8 (row'
    """
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise _fail(source, f"the file starts with a {enc.upper()} byte-order mark but is not valid "
                                    f"{enc.upper()} ({exc.reason} at byte {exc.start}); save it again as 'CSV UTF-8'",
                            row=_row_of(raw, exc.start, enc)) from None
    if raw[:200].count(b"\x00") > len(raw[:200]) // 4:
        enc = "utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be"
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            raise _fail(source, "the file holds NUL bytes: it is not a text (CSV) file; export the data as "
                                "'CSV UTF-8'") from None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        row = _row_of(raw, exc.start)
        byte = raw[exc.start:exc.start + 1].hex().upper()
    loose = raw.decode("utf-8", errors="replace")
    if any(ord(ch) > 127 and ch != "\ufffd" for ch in loose):
        raise _fail(source, f"the file mixes encodings: it has UTF-8 characters, but byte 0x{byte} is not UTF-8 "
                            "(text pasted from another file?); open it in Excel and save it as 'CSV UTF-8'",
                    row=row)
    from charset_normalizer import from_bytes

    candidates = []
    for match in from_bytes(raw, cp_isolation=LEGACY_ENCODINGS):
        name = codecs.lookup(match.encoding).name
        candidates.append({"cp1252": "cp1252", "mac-roman": "mac_roman"}.get(name, name))
    for legacy in LEGACY_ENCODINGS:   # charset-normalizer may find a few names too "chaotic" to propose
        try:
            raw.decode(legacy)
            candidates.append(legacy)
        except UnicodeDecodeError:
            pass
    candidates = [c for c in candidates if c in LEGACY_ENCODINGS]
    if not candidates:
        raise _fail(source, f"the file is not UTF-8 (byte 0x{byte}) and its encoding cannot be told; open it "
                            "in Excel and save it as 'CSV UTF-8'", row=row)
    # charset-normalizer cannot tell Windows-1252 from Mac Roman on a few names: prefer the
    # decoding whose non-ASCII characters look like names (ties: Windows-1252, the commoner)
    enc = max(sorted(set(candidates), key=LEGACY_ENCODINGS.index),
              key=lambda e: plausibility(raw.decode(e, errors="replace")))
    text = raw.decode(enc)
    lines = re.split(r"\r\n|\r|\n", text)
    line = lines[row - 1] if row - 1 < len(lines) else ""
    odd = sorted({ch for ch in line if ord(ch) > 127})
    _warn(source, f"the file is not UTF-8 (row {row} has byte 0x{byte}); read it as "
                  f"{ENCODING_NAMES.get(enc, enc)}, which makes that row's {''.join(odd)!r}: check the names, "
                  "and save the file as 'CSV UTF-8' to avoid this")
    return text, enc


PLAUSIBLE = set("’‘“”–—£€°½¼¾•")
CAPITALS = set("ÀÁÂÄÇÈÉÊËÍÎÏÑÓÔÖÙÚÛÜ")
RARE = set("ŠŒŽŸšœžÿ")


def plausibility(text: str) -> int:
    """How much ``text``'s non-ASCII characters look like those of trust names (+1 each) rather than
    mis-decoded bytes (-1 each): lower-case accented letters, quotes, dashes, £ and €, and accented
    capitals after a capital, space or punctuation count for; other symbols and rare letters against.

    Examples
    --------
    >>> plausibility("Café St Mary’s"), plausibility("CafŽ St MaryÕs")
    (2, -2)
    """
    score = 0
    prev = " "
    for ch in text:
        if ord(ch) > 127:
            letter = ch.islower() and ch.isalpha() and ch not in RARE
            if ch in PLAUSIBLE or letter or (ch in CAPITALS and not prev.islower()):
                score += 1
            else:
                score -= 1
        prev = ch
    return score


def _row_of(raw: bytes, offset: int, encoding: str = "utf-8") -> int:
    """The 1-based line of byte ``offset`` (line ends: CRLF, LF or a Mac's CR)."""
    if "16" in encoding or "32" in encoding:
        prefix = raw[:offset].decode(encoding, errors="replace")
        return len(re.split(r"\r\n|\r|\n", prefix))
    return len(re.split(rb"\r\n|\r|\n", raw[:offset]))


def detect_delimiter(text: str) -> str:
    """The delimiter CleverCSV finds in the first lines (a comma if it finds none).

    Examples
    --------
    >>> detect_delimiter("a;b;c\\n1,5;2;3\\n")
    ';'
    """
    sample = "\n".join(text.splitlines()[:SAMPLE_LINES])
    try:
        from clevercsv import Detector

        dialect = Detector().detect(sample, delimiters=DELIMITERS)
    except Exception:  # noqa: BLE001 -- the detector failing is no reason to stop: the header search decides
        dialect = None
    delim = getattr(dialect, "delimiter", None)
    return delim if delim in DELIMITERS else ","


def _split(text: str, delim: str, limit: int | None = None) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, quotechar='"', strict=False)
    rows = []
    for row in reader:
        rows.append(row)
        if limit is not None and len(rows) >= limit:
            break
    return rows


def _blank(cells) -> bool:
    return all(c is None or str(c).strip() == "" for c in cells)


def _filled(cells) -> int:
    return sum(c is not None and str(c).strip() != "" for c in cells)


def _find_header(rows: list[list], is_header) -> int | None:
    """Index of the header row among ``rows``: the first row that ``is_header`` accepts, or
    without ``is_header`` the first row more than half as filled as the fullest first rows
    (so that a one-cell title above the header is passed over)."""
    search = rows[:HEADER_SEARCH_ROWS]
    if is_header is None:
        most = max((_filled(r) for r in search), default=0)
        return next((i for i, r in enumerate(search) if most and _filled(r) * 2 > most), None)
    for i, cells in enumerate(search):
        if not _blank(cells) and is_header([("" if c is None else str(c)) for c in cells]):
            return i
    return None


def _rows_from_text(text: str, source: str, is_header) -> Rows:
    text = text.lstrip("\ufeff")
    chosen, head = text_layout(text, is_header)
    rows = _split(text, chosen)
    out = _assemble(rows, head, source, chosen)
    if chosen != ",":
        _decimal_commas(out, source, chosen)
    return out


def text_layout(text: str, is_header) -> tuple[str, int]:
    """(delimiter, index of the header row) of CSV text: the delimiter with which a row among the first
    :data:`HEADER_SEARCH_ROWS` holds the required columns (``is_header``), else the one CleverCSV finds.
    The first lines are enough (:mod:`nhsrank.data.large` reads a large file's layout from its head)."""
    heads = {}
    if is_header is not None:
        for delim in DELIMITERS:
            h = _find_header(_split(text, delim, HEADER_SEARCH_ROWS), is_header)
            if h is not None:
                heads[delim] = h
    if len(heads) == 1:       # one delimiter yields the header: no doubt left (and no detector to load)
        chosen, head = next(iter(heads.items()))
    else:
        first = detect_delimiter(text)
        chosen = first if first in heads or not heads else next(iter(heads))
        head = heads.get(chosen)
        if head is None:  # no row holds the required columns: the column check reports what is there
            head = _find_header(_split(text, chosen, HEADER_SEARCH_ROWS), None) or 0
    return chosen, head


def _decimal_commas(rows: Rows, source: str, delim: str) -> None:
    """Convert decimal commas of a semicolon/tab file when no cell uses a decimal point."""
    commas, points = [], []
    for n, cells in zip(rows.numbers, rows.cells):
        for c in cells:
            if c is None:
                continue
            if DECIMAL_COMMA.match(c):
                commas.append(n)
            elif DECIMAL_POINT.match(c):
                points.append(n)
    if not commas:
        return
    if points:
        return  # both conventions: every '0,6' cell is reported by the value checks ("a decimal comma?")
    for cells in rows.cells:
        for j, c in enumerate(cells):
            if c is not None and DECIMAL_COMMA.match(c):
                cells[j] = c.replace(",", ".")
    _warn(source, f"this {DELIMITER_NAMES[delim]}-separated file writes decimals with a comma (e.g. row "
                  f"{commas[0]}); read {len(commas)} cells such as '0,6' as 0.6")


def _column_letter(j: int) -> str:
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def _assemble(rows: list[list], head: int, source: str, delim: str | None) -> Rows:
    """Header and data rows from parsed rows (row ``i`` of ``rows`` is spreadsheet row ``i + 1``)."""
    skipped = [i + 1 for i in range(head) if not _blank(rows[i])]
    if skipped:
        shown = "; ".join(repr(" ".join(str(c) for c in rows[i - 1] if c not in (None, ""))[:60]) for i in skipped[:3])
        where = f"row {skipped[0]}" if len(skipped) == 1 else f"rows {skipped[0]}-{skipped[-1]}"
        _warn(source, f"the header is on row {head + 1}; skipped {where} above it (a title?): {shown}")
    header = [("" if c is None else str(c)).replace("\ufeff", "").strip() for c in rows[head]]
    body = rows[head + 1:]
    width = len(header)
    # columns with no header: dropped when wholly blank (Excel's leftovers), else named by their letter
    while width and header[width - 1] == "" and all(len(r) < width or _blank(r[width - 1:width]) for r in body):
        width -= 1
    header = header[:width]
    wide, cells, numbers = [], [], []
    for i, r in enumerate(body, start=head + 2):
        r = list(r)
        if len(r) > width:
            if not _blank(r[width:]):
                wide.append((i, r))
                continue
            r = r[:width]
        r = r + [None] * (width - len(r))
        if _blank(r):
            continue  # blank lines and Excel's empty rows hold no trust; later row numbers stay right
        cells.append(r)
        numbers.append(i)
    if wide:
        raise InputError.from_records(source, too_many_cells(wide, header, width, delim))
    seen: dict[str, int] = {}
    named = []
    for j, h in enumerate(header):
        h = h or f"(no header, column {_column_letter(j)})"
        if h in seen:
            seen[h] += 1
            h = f"{h}.{seen[h]}"
        else:
            seen[h] = 0
        named.append(h)
    return Rows(named, cells, numbers)


def _split_cell(cells: list, header: list[str], width: int, delim: str | None) -> tuple[str, str] | None:
    """For a row one cell too wide: (column, text) of the cell that a delimiter not in quotes split in two,
    recognised by the space after the delimiter (``Guy's and St Thomas', NHS``), or None."""
    if delim is None or len(cells) != width + 1:
        return None
    for j in range(1, len(cells)):
        here, before = str(cells[j] or ""), str(cells[j - 1] or "").strip()
        if here[:1] == " " and here.strip() and before and not DECIMAL_POINT.match(before) \
                and not before.replace(",", "").isdigit():
            return header[j - 1] or f"column {_column_letter(j - 1)}", f"{cells[j - 1]}{delim}{here}"
    return None


def _row_ranges(rows: list[int], shown: int = 4) -> str:
    """``[6, 7, 8, 12]`` -> ``"6-8, 12"`` (the first ``shown`` runs)."""
    runs: list[list[int]] = []
    for n in rows:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    text = ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b in runs[:shown])
    return text + (", ..." if len(runs) > shown else "")


def too_many_cells(wide: list[tuple[int, list]], header: list[str], width: int, delim: str | None) -> list[dict]:
    """One problem per cause for the rows with more cells than the header: a cell split by a delimiter
    not in quotes (a trust name with a comma fills every row of its trust) is named once, with its
    column and text and how many rows share it.

    Examples
    --------
    >>> rows = [(5, ["RJ1", "Guy's and St Thomas'", " NHS FT", "OF0001", "2"]),
    ...         (6, ["RJ1", "Guy's and St Thomas'", " NHS FT", "OF0002", "3"])]
    >>> print(too_many_cells(rows, ["code", "name", "metric", "value"], 4, ",")[0]["problem"])
    ... # doctest: +NORMALIZE_WHITESPACE
    this row has 5 cells but the header has 4 columns: "Guy's and St Thomas', NHS FT" in column 'name' looks
    like one cell holding a comma that is not in quotes; put that cell in quotes or remove the comma
    (1 more row like it: 6)
    """
    what = DELIMITER_NAMES.get(delim, "cell")
    groups: dict = {}
    for i, r in wide:
        groups.setdefault(_split_cell(r, header, width, delim), []).append((i, r))
    problems = []
    for key, rows in groups.items():
        i, r = rows[0]
        if delim is None:
            text = f"this row has cells beyond the header's {width} columns"
        else:
            text = f"this row has {len(r)} cells but the header has {width} columns"
            if key is not None:
                column, cell = key
                text += (f": {cell!r} in column {column!r} looks like one cell holding a {what} that is not in "
                         f"quotes; put that cell in quotes or remove the {what}")
            else:
                text += f" (a stray {what}, or a {what} inside a cell that is not in quotes?)"
        if len(rows) > 1:
            text += f" ({len(rows) - 1} more row{'s' if len(rows) > 2 else ''} like it: " \
                    f"{_row_ranges([n for n, _ in rows[1:]])})"
        problems.append({"row": i, "problem": text})
    return problems


def _cell_text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def sniff_xlsx(raw: bytes, source: str, is_header=None) -> Rows:
    """Read the sheet of an .xlsx workbook that holds the header (see the module docstring)."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 -- a broken or password-protected workbook: say so
        raise _fail(source, f"cannot read this Excel file ({exc}); open it in Excel and save it again, or "
                            "export it as 'CSV UTF-8'") from None
    try:
        sheets = {}
        for ws in wb.worksheets:
            sheets[ws.title] = [[_cell_text(v) for v in row] for row in ws.iter_rows(min_row=1, min_col=1,
                                                                                     values_only=True)]
    finally:
        wb.close()
    found = {name: _find_header(rows, is_header) for name, rows in sheets.items()}
    holding = [name for name, h in found.items() if h is not None]
    names = list(sheets)
    if len(holding) > 1 and is_header is not None:
        raise _fail(source, f"{len(holding)} sheets hold the required columns ("
                            f"{', '.join(repr(n) for n in holding)}): keep the data on one sheet, or save the "
                            "sheet to rank as CSV")
    if holding:
        name = holding[0]
        head = found[name]
    else:
        name = names[0] if names else None
        head = _find_header(sheets.get(name, []), None) if name is not None else None
    if name is None or head is None:
        raise _fail(source, "the workbook has no data (every sheet is empty)")
    if name != names[0]:
        _warn(source, f"read sheet {name!r}, the one holding the required columns (the first sheet, "
                      f"{names[0]!r}, does not)")
    _refuse_uncached_formulas(raw, source, name, sheets[name])
    rows = sheets[name]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [None] * (width - len(r)) for r in rows]
    return _assemble(rows, head, source, None)


def _refuse_uncached_formulas(raw: bytes, source: str, sheet: str, values: list[list]) -> None:
    """Formula cells with no saved value read as empty: refuse them, naming sheet and cells."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    try:
        missing = []
        for i, row in enumerate(wb[sheet].iter_rows(min_row=1, min_col=1, values_only=True)):
            for j, v in enumerate(row):
                if isinstance(v, str) and v.startswith("=") and (
                        i >= len(values) or j >= len(values[i]) or values[i][j] is None):
                    missing.append(f"{_column_letter(j)}{i + 1}")
    finally:
        wb.close()
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        raise _fail(source, f"sheet {sheet!r}: {len(missing)} formula cell(s) have no saved value ({shown}); the "
                            "file was written by a program and never calculated: open and save it in Excel, or "
                            "export it as CSV")
