"""Reading data: NHS England's published NOF file, the canonical tidy format,
trust attributes, and the bundled data sets.

Every column-name variant lives in :data:`COLUMN_ALIASES`, the one place to
add a new release's spelling.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..rules.quarters import normalise_quarter
from ..rules.trust_types import TRUST_TYPE_ALIASES, normalise_trust_type  # noqa: F401 (read here)
from .ae import AE_METRIC_ID, ae_to_canonical, financial_quarter, is_ae_attendances
from .large import read_large_csv
from .sniff import sniff_file

DATA_DIR = Path(__file__).resolve().parents[2] / "data"  # the repository's data/ folder (editable install)
SYNTHETIC_METRICS = DATA_DIR / "synthetic" / "nof_metrics_2025-26.csv"
SYNTHETIC_ATTRIBUTES = DATA_DIR / "synthetic" / "trust_attributes_2025-26.csv"
AE_ATTENDANCES = DATA_DIR / "ae_attendances_2016_2019.csv"
#: NHS England's published mental health and community trust data file (Q4 2025/26 release, all quarters; OGL v3.0)
NHS_ENGLAND_MH_DATA = DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv"
#: NHS England's published acute trust data file, Q1 2025/26 release as first published (no Quarter column; OGL v3.0)
NHS_ENGLAND_ACUTE_DATA = DATA_DIR / "nhs-england" / "nof-acute-trust-data-2025-26-q1.csv"
#: the real files the report, the notebooks and the command line read by default, together
NHS_ENGLAND_DATA = (NHS_ENGLAND_ACUTE_DATA, NHS_ENGLAND_MH_DATA)

# cell texts read as missing values
NA_TEXT = ["", "NA", "N/A", "n/a", "NaN", "nan", "-", "*", ".."]

CANONICAL_COLUMNS = [
    "trust_code", "trust_name", "trust_type", "quarter", "metric_id",
    "value", "numerator", "denominator", "standard_error",
]
REQUIRED_COLUMNS = ["trust_code", "trust_type", "quarter", "metric_id", "value"]
ATTRIBUTE_COLUMNS = ["trust_code", "quarter", "financial_deficit", "pip"]

# canonical name -> spellings seen in releases (compared after lower-casing and
# turning spaces, hyphens and dots into underscores)
COLUMN_ALIASES: dict[str, list[str]] = {
    "trust_code": ["trust_code", "org_code", "organisation_code", "organization_code", "provider_code",
                   "ods_code", "code", "trust_ods_code"],
    "trust_name": ["trust_name", "org_name", "organisation_name", "organization_name", "provider_name",
                   "trust", "name"],
    "trust_type": ["trust_type", "organisation_type", "org_type", "provider_type",
                   "segmentation_group", "league_table", "peer_group", "trust_group"],
    "trust_subtype": ["trust_subtype", "organisation_subtype"],
    "quarter": ["quarter", "period", "reporting_period", "reporting_quarter", "assessment_period",
                "time_period", "financial_quarter"],
    "metric_id": ["metric_id", "metric_code", "metric", "indicator_id", "indicator_code", "of_metric_id",
                  "metric_reference"],
    "metric_name": ["metric_name", "metric_description", "indicator_name", "metric_title"],
    "units": ["units", "unit"],
    "value": ["value", "metric_value", "indicator_value", "score_value", "result", "performance"],
    "numerator": ["numerator", "num"],
    "denominator": ["denominator", "den", "denom"],
    "standard_error": ["standard_error", "se", "std_error"],
    "reporting_date": ["reporting_date", "data_date", "reporting_period_end", "date"],
    "published_median": ["median", "median_value", "peer_median", "national_median", "published_median"],
    "published_rank": ["rank", "metric_rank", "published_rank"],
    "financial_deficit": ["financial_deficit", "deficit", "in_deficit", "financial_deficit_flag",
                          "trust_in_financial_deficit"],
    "pip": ["pip", "provider_improvement_programme", "in_pip", "pip_flag", "recovery_support_programme"],
}

# trust types: one mapping, in nhsrank.rules.trust_types (the command line and the rules use it too)

# NHS England's published data file holds, besides the raw metric values
# (OF0xxx), derived rows: metric scores (OF1xxx), domain scores and segments
# (OF40xx, OF41xx) and the average score, segments and override flags
# (OF5xxx). They are not scored as metrics. What the rules may need from them
# is attached to the metric rows as published_* columns (PUBLISHED_COLUMNS):
# NHS England's metric score (OF1xxx), its financial-deficit flag (OF5004),
# Recovery Support Programme flag (OF5007), unadjusted segment (OF5003) and
# domain segments (OF41xx).
# Every derived row stays readable with read_published_scores (the reconcile).
DERIVED_METRIC_PATTERN = r"^OF[145]\d{3}$"
PUBLISHED_FLAGS = {"OF5004": "published_financial_deficit", "OF5007": "published_rsp",
                   "OF5003": "published_segment",
                   # domain segments (OF41xx), for the domain cut points when one trust type is loaded
                   **{f"OF41{k:02d}": f"published_OF41{k:02d}" for k in range(6)}}
PUBLISHED_COLUMNS = ["published_score", "value_from_published_score", *PUBLISHED_FLAGS.values()]

# Raw values read by earlier versions as "not scored" (OF0079, OF0081): the
# methodology now scores them by thresholds (they enter the average only
# through the combined finance score), so no raw metric is set aside.
PUBLISHED_NOT_SCORED: set[str] = set()


def _file_rows(raw: pd.DataFrame, from_file: bool) -> np.ndarray:
    """Spreadsheet row numbers: read_table's index for a file, else 2, 3, ..."""
    if from_file:
        return np.asarray(raw.index, dtype=int)
    return np.arange(len(raw)) + 2


def _norm(name: str) -> str:
    name = str(name).replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-./]+", "_", name).strip("_")


def normalise_columns(df: pd.DataFrame, source: str = "table", required=REQUIRED_COLUMNS) -> pd.DataFrame:
    """Rename columns to canonical names using :data:`COLUMN_ALIASES`.

    Raises :class:`InputError` listing what was expected and what was found
    if a required column is missing or two columns map to the same name.

    Examples
    --------
    >>> df = pd.DataFrame(columns=["Organisation Code", "Trust type", "Quarter", "Metric ID", "Value"])
    >>> list(normalise_columns(df).columns)
    ['trust_code', 'trust_type', 'quarter', 'metric_id', 'value']
    """
    lookup = {alias: canon for canon, aliases in COLUMN_ALIASES.items() for alias in aliases}
    renames, taken = {}, {}
    problems = []
    for col in df.columns:
        canon = lookup.get(_norm(col))
        if canon is None:
            continue
        if canon in taken:
            problems.append({"column": col, "problem": f"both {taken[canon]!r} and {col!r} look like the "
                             f"'{canon}' column; keep one"})
            continue
        taken[canon] = col
        renames[col] = canon
    out = df.rename(columns=renames)
    missing = [c for c in required if c not in out.columns]
    if missing:
        found = ", ".join(repr(str(c)) for c in df.columns) or "(no columns)"
        for c in missing:
            problems.append({"column": c, "problem": f"missing required column '{c}' (accepted spellings: "
                             f"{', '.join(COLUMN_ALIASES[c])}); columns found: {found}"})
    if problems:
        raise InputError.from_records(source, problems)
    return out


def header_test(required) -> callable:
    """``is_header(cells)`` for :func:`~nhsrank.data.sniff.sniff_file`: True for a row holding
    every ``required`` column (any accepted spelling, see :data:`COLUMN_ALIASES`)."""
    lookup = {alias: canon for canon, aliases in COLUMN_ALIASES.items() for alias in aliases}
    need = set(required)

    def is_header(cells: list[str]) -> bool:
        return need <= {lookup.get(_norm(c), _norm(c)) for c in cells}

    return is_header


def read_table(path: str | Path, required=None, quarter: str | None = None) -> pd.DataFrame:
    """Read a CSV (any Excel flavour) or .xlsx file as text columns.

    The file is sniffed first (:mod:`nhsrank.data.sniff`): gzip or a zip
    holding one file, the encoding (BOM, UTF-8, UTF-16, Windows-1252, Mac
    Roman), the delimiter (comma, semicolon, tab), title rows above the header
    (the header is the first row holding every ``required`` column), the sheet
    of a workbook. The index holds each row's number as a spreadsheet shows it
    (first data row 2 when the header is on row 1). Wholly blank rows (blank
    lines, or rows of empty cells such as Excel leaves at the end of an export)
    are dropped: they hold no trust, and the row numbers of the rows after them
    stay right.

    A plain CSV file larger than 32 MB is read by :func:`nhsrank.data.large.read_large_csv`: only the
    columns nhsrank reads and, with ``quarter``, only that quarter's rows (several quarters and no
    ``quarter``: refused at once, saying to choose one).

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    required : list of str or None, default None
        Columns the header row must hold (used to find it below title rows).
    quarter : str or None, default None
        With a large file, the quarter whose rows are read.

    Returns
    -------
    pandas.DataFrame
        Every column as text, indexed by the spreadsheet row number.

    Examples
    --------
    >>> int(read_table(SYNTHETIC_ATTRIBUTES, required=["trust_code"]).index[0])
    2
    """
    if required:       # callers that want every column as written (reconcile's Domain) read as usual
        lookup = {alias: canon for canon, aliases in COLUMN_ALIASES.items() for alias in aliases}
        large = read_large_csv(path, lambda c: lookup.get(_norm(c)), header_test(required), quarter, na_text=NA_TEXT)
        if large is not None:
            return large
    rows = sniff_file(path, header_test(required) if required else None)
    df = pd.DataFrame(rows.cells, columns=rows.header, index=np.asarray(rows.numbers, dtype=int), dtype=object)
    if df.empty:
        raise InputError.from_records(str(path), [{"problem": "the file has a header but no data rows"}])
    na = set(NA_TEXT)
    return df.map(lambda v: np.nan if v is None or v in na else v)


def _to_float(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"], start=1)}


def quarter_from_reporting_dates(dates: pd.Series) -> str | None:
    """The financial quarter of a NOF release from its ``Reporting_date`` cells, or None.

    NHS England's first release of each quarter has no ``Quarter`` column: the release is the
    quarter. Its summary rows (OF4xxx/OF5xxx) carry it as "Q1 2025/26"; failing those, the
    latest month of the metrics' own periods ("Jun-25") gives it.

    Examples
    --------
    >>> quarter_from_reporting_dates(pd.Series(["Jun-25", "Q1 2025/26", "2024"]))
    '2025-26-Q1'
    >>> quarter_from_reporting_dates(pd.Series(["May-25", "Jun-25", "Jul 24 - Jun 25"]))
    '2025-26-Q1'
    """
    text = dates.dropna().astype(str).str.strip()
    q = text.str.extract(r"^Q([1-4])\s+(\d{4})\s*/\s*(\d{2,4})$").dropna()
    if len(q):
        best = q.value_counts().index[0]
        return normalise_quarter(f"{best[1]}/{best[2][-2:]} Q{best[0]}")
    m = text.str.extract(r"^([A-Za-z]{3})[a-z]*[-\s](\d{2})$").dropna()
    if not len(m):
        return None
    months = [(2000 + int(y), _MONTHS[mon.lower()]) for mon, y in zip(m[0], m[1]) if mon.lower() in _MONTHS]
    if not months:
        return None
    year, month = max(months)
    start = year if month >= 4 else year - 1
    return normalise_quarter(f"{start}/{str(start + 1)[-2:]} Q{(month - 4) % 12 // 3 + 1}")


def _add_release_quarter(raw: pd.DataFrame, source: str, quarter: str | None) -> tuple[pd.DataFrame, str | None]:
    """Give a NOF file without a ``Quarter`` column (NHS England's first release of a quarter)
    its quarter: the one asked for, else the one its reporting dates give. Returns the table and
    a sentence saying where the quarter came from (None when the file has a Quarter column)."""
    lookup = {alias: canon for canon, aliases in COLUMN_ALIASES.items() for alias in aliases}
    canon = {lookup.get(_norm(c)): c for c in raw.columns}
    if "quarter" in canon or "metric_id" not in canon:
        return raw, None
    dates = raw[canon["reporting_date"]] if "reporting_date" in canon else pd.Series(dtype=object)
    q = quarter_from_reporting_dates(dates)
    asked = None if quarter is None else normalise_quarter(quarter)
    if q is None and asked is None:
        raise InputError.from_records(source, [{"column": "quarter", "problem":
            "the file has no Quarter column and its reporting dates do not name a quarter: give the "
            "quarter the file is for (--quarter 2025-26-Q1, or quarter= in Python)"}])
    if q is None:
        q, note = asked, f"{source}: no Quarter column; quarter {asked} as given"
    else:
        note = (f"{source}: no Quarter column (NHS England's first release of a quarter); quarter {q} "
                "read from its reporting dates")
        if asked is not None and asked != q:
            # never relabel a release silently: its own dates say which quarter it is
            note += f" (not {asked}, the quarter asked for)"
    out = raw.copy()
    out["Quarter"] = q
    return out, note


def _check_files_fit_together(parts: list[pd.DataFrame], names: list[str]) -> None:
    """Several files read together must be one year's releases of different trusts: the same trust
    and quarter in two files (one release twice, or two releases that disagree) or files of different
    financial years are each one clear error, never a silent choice."""
    years = [sorted({str(q)[:7] for q in p["quarter"].dropna().unique()}) for p in parts]
    all_years = sorted({y for ys in years for y in ys})
    if len(all_years) > 1:
        held = "; ".join(f"{n}: {', '.join(ys) or 'no quarter'}" for n, ys in zip(names, years))
        raise InputError.from_records(", ".join(names), [{"column": "quarter", "problem":
            f"the files are of different financial years ({held}); a methodology ranks one year: read each "
            "year's files on their own"}])
    key = ["trust_code", "quarter"]
    seen: dict = {}
    for name, part in zip(names, parts):
        for tq in part[key].drop_duplicates().itertuples(index=False, name=None):
            if tq in seen:
                first, other = seen[tq]
                a = other.loc[(other["trust_code"] == tq[0]) & (other["quarter"] == tq[1])]
                b = part.loc[(part["trust_code"] == tq[0]) & (part["quarter"] == tq[1])]
                va = a.set_index("metric_id")["value"].sort_index()
                vb = b.set_index("metric_id")["value"].sort_index()
                same = va.index.equals(vb.index) and np.allclose(va.to_numpy(float), vb.to_numpy(float),
                                                                 equal_nan=True)
                what = ("the same figures twice (one release read twice?)" if same else
                        "different figures (two releases that disagree: keep the later one)")
                n = len(set(part[key].itertuples(index=False, name=None)) & set(seen))
                raise InputError.from_records(f"{first}, {name}", [{
                    "trust_code": tq[0], "column": "trust_code",
                    "problem": f"{tq[0]} {tq[1]} is in both {first} and {name}, with {what}; {n} trust-quarter(s) "
                               "are in both: give each trust's release once"}])
        for tq in part[key].drop_duplicates().itertuples(index=False, name=None):
            seen.setdefault(tq, (name, part))


def read_metrics(data, source: str | None = None, methodology=None, quarter: str | None = None) -> pd.DataFrame:
    """Read metric data into the canonical long format.

    Parameters
    ----------
    data : str, pathlib.Path, pandas.DataFrame or list of them
        NHS England's published NOF data (one row per trust x metric x quarter)
        or the canonical tidy format; column names are mapped through
        :data:`COLUMN_ALIASES`. Several files (one per trust type, as NHS England
        publishes them) are read one by one and pooled.
    source : str or None, default None
        Name used in error messages (defaults to the path).
    methodology : str, pathlib.Path, Methodology or None, default None
        Also check metric ids, valid ranges and proportions against it now,
        so that every problem of the file is reported in one message
        (otherwise these checks run when a table is built).
    quarter : str or None, default None
        The quarter that will be ranked. A file larger than 32 MB is then read
        for that quarter only (:mod:`nhsrank.data.large`); smaller files are
        read whole whatever it says. It is also the quarter of a file without a
        ``Quarter`` column (NHS England's first release of each quarter has none)
        whose reporting dates do not name one; a release whose summary rows or
        metric periods name its quarter keeps it (the note says so when it differs
        from the one asked for). ``attrs["quarter_note"]`` says where the quarter
        came from.

    Returns
    -------
    pandas.DataFrame
        Columns trust_code, trust_name, trust_type, quarter, metric_id, value, numerator,
        denominator, standard_error (and any published_median / published_rank /
        reporting_date found), plus ``_row``, the row number in the file as a spreadsheet
        shows it (header is row 1).

    Examples
    --------
    >>> df = read_metrics(SYNTHETIC_METRICS)
    >>> sorted(df["trust_type"].unique())
    ['acute', 'ambulance', 'non-acute']
    """
    from .validation import validate_metrics

    if isinstance(data, (list, tuple)):
        # several files (NHS England publishes one per trust type): read each, then pool
        parts = [read_metrics(d, methodology=methodology, quarter=quarter) for d in data]
        _check_files_fit_together(parts, [str(d) if not isinstance(d, pd.DataFrame) else f"table {i + 1}"
                                          for i, d in enumerate(data)])
        out = pd.concat(parts, ignore_index=True)
        out.attrs = {"source": ", ".join(map(str, data)),
                     "published_derived_rows": sum(p.attrs.get("published_derived_rows", 0) for p in parts)}
        notes = [p.attrs["quarter_note"] for p in parts if p.attrs.get("quarter_note")]
        if notes:
            out.attrs["quarter_note"] = "\n".join(notes)
        return out
    from_file = not isinstance(data, pd.DataFrame)
    if not from_file:
        raw = data.copy()
        source = source or "DataFrame"
    else:
        source = source or str(data)
        raw = read_table(data, required=[c for c in REQUIRED_COLUMNS if c != "quarter"], quarter=quarter)
    raw, quarter_note = _add_release_quarter(raw, source, quarter)
    for _name, detect, to_canonical, complete in FORMATS:
        if detect(raw):
            raw = complete(raw, to_canonical(raw.reset_index(drop=True), source))
            from_file = False
            break
    df = normalise_columns(raw, source)
    df["_row"] = _file_rows(df, from_file)
    for col in CANONICAL_COLUMNS:
        if col not in df.columns:
            df[col] = np.nan
    if df["trust_name"].isna().all():
        df["trust_name"] = df["trust_code"]
    for col in ("trust_code", "trust_name", "metric_id"):
        df[col] = df[col].astype("string").str.strip()
    derived = df["metric_id"].str.match(DERIVED_METRIC_PATTERN, na=False)
    not_scored = df["metric_id"].isin(PUBLISHED_NOT_SCORED).fillna(False).astype(bool)
    n_derived, n_not_scored = int(derived.sum()), int(not_scored.sum())
    published = df[derived].copy()
    df = df[~derived & ~not_scored]
    if df.empty:
        raise InputError.from_records(source, [{"column": "metric_id", "problem":
            f"no metric values to score: all {n_derived + n_not_scored} rows are published scores, segments "
            "or unscored values (OF1xxx-OF5xxx, OF0079, OF0081); the file needs the raw metric rows (OF0xxx)"}])
    df["trust_type"] = df["trust_type"].map(normalise_trust_type).astype("string")
    df["quarter"] = df["quarter"].map(normalise_quarter).astype("string")
    df = validate_metrics(df, source, methodology)
    if len(published):
        df = _attach_published(df, published)
    keep = CANONICAL_COLUMNS + [c for c in ("trust_subtype", "metric_name", "units", "reporting_date",
                                            "published_median", "published_rank", *PUBLISHED_COLUMNS)
                                if c in df.columns] + ["_row"]
    out = df[keep].reset_index(drop=True)
    out.attrs["published_derived_rows"] = n_derived
    out.attrs["published_not_scored_rows"] = n_not_scored
    out.attrs["percent_units_converted"] = int(df.attrs.get("percent_units_converted", 0))
    out.attrs["source"] = source
    if quarter_note:
        out.attrs["quarter_note"] = quarter_note
    return out


def _attach_published(df: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Attach what NHS England published beside the raw values, as columns of the metric rows.

    ``published_score``: NHS England's score of the metric (OF1xxx for OF0xxx).
    A score whose raw value is not published (CQC survey OF1035, CQC safe
    OF1067, combined finance OF1080) gets a row of its own whose ``value`` is the
    published band (1-4), marked ``value_from_published_score``.
    ``published_financial_deficit`` (OF5004), ``published_rsp`` (OF5007) and
    ``published_segment`` (OF5003, unadjusted) are per trust and quarter.
    """
    pub = published.copy()
    pub["trust_type"] = pub["trust_type"].map(normalise_trust_type).astype("string")
    pub["quarter"] = pub["quarter"].map(normalise_quarter).astype("string")
    pub["number"] = pd.to_numeric(pub["value"].astype("string").str.strip(), errors="coerce")
    key = ["trust_code", "quarter", "metric_id"]
    scores = pub[pub["metric_id"].str.match(r"^OF1\d{3}$", na=False)].copy()
    scores["metric_id"] = "OF0" + scores["metric_id"].str[3:]
    scores = scores.dropna(subset=["number"]).drop_duplicates(key)
    df = df.merge(scores[key + ["number"]].rename(columns={"number": "published_score"}), on=key, how="left")
    df["value_from_published_score"] = False
    have = pd.MultiIndex.from_frame(df[key])
    lone = scores[~pd.MultiIndex.from_frame(scores[key]).isin(have)]
    if len(lone):
        names = df.drop_duplicates(["trust_code", "quarter"]).set_index(["trust_code", "quarter"])
        extra = pd.DataFrame({
            "trust_code": lone["trust_code"].to_numpy(), "quarter": lone["quarter"].to_numpy(),
            "metric_id": lone["metric_id"].to_numpy(), "value": lone["number"].to_numpy(),
            "published_score": lone["number"].to_numpy(), "value_from_published_score": True,
            "trust_type": lone["trust_type"].to_numpy(), "_row": lone["_row"].to_numpy()})
        idx = pd.MultiIndex.from_frame(extra[["trust_code", "quarter"]])
        for col in ("trust_name", "trust_subtype", "region"):
            if col in names.columns:
                extra[col] = names[col].reindex(idx).to_numpy()
        if "trust_name" in lone.columns:
            extra["trust_name"] = extra["trust_name"].fillna(pd.Series(lone["trust_name"].to_numpy()))
        df = pd.concat([df, extra], ignore_index=True, sort=False)
    for mid, col in PUBLISHED_FLAGS.items():
        rows = pub[pub["metric_id"] == mid].dropna(subset=["number"]).drop_duplicates(["trust_code", "quarter"])
        flag = rows.set_index(["trust_code", "quarter"])["number"]
        idx = pd.MultiIndex.from_frame(df[["trust_code", "quarter"]])
        df[col] = flag.reindex(idx).to_numpy()
    for col in ("published_financial_deficit", "published_rsp"):
        df[col] = df[col].map({1.0: True, 0.0: False}).astype("boolean")
    return df


def _ae_every_organisation(raw: pd.DataFrame, canon: pd.DataFrame) -> pd.DataFrame:
    """Add an empty-valued row for each organisation-quarter of the raw A&E file that the
    conversion left out (no attendances: no 4-hour share), so that the trust is listed
    among the exclusions with its reason instead of disappearing."""
    r = raw.rename(columns={c: str(c).strip().lower() for c in raw.columns})
    orgs = pd.DataFrame({"trust_code": r["org_code"].astype(str).str.strip(),
                         "quarter": financial_quarter(r["period"].astype(str)).to_numpy(),
                         "type1": r["type"].astype(str).str.strip().eq("1").to_numpy()})
    acute = set(orgs.loc[orgs["type1"], "trust_code"])
    seen = set(zip(canon["trust_code"], canon["quarter"]))
    lost = orgs[[k not in seen for k in zip(orgs["trust_code"], orgs["quarter"])]]
    lost = lost.drop_duplicates(["trust_code", "quarter"])
    if lost.empty:
        return canon
    extra = pd.DataFrame({
        "trust_code": lost["trust_code"], "trust_name": lost["trust_code"],
        "trust_type": np.where(lost["trust_code"].isin(acute), "acute", "non-acute"),
        "quarter": lost["quarter"], "metric_id": AE_METRIC_ID, "value": np.nan, "numerator": np.nan,
        "denominator": np.nan, "standard_error": np.nan})
    return pd.concat([canon, extra], ignore_index=True)


# Other layouts read_metrics recognises: (name, detect(raw) -> bool, to_canonical(raw, source),
# complete(raw, canonical) -> canonical with every organisation of the raw file listed)
FORMATS = (
    ("NHS England monthly A&E attendances", is_ae_attendances, ae_to_canonical, _ae_every_organisation),
)


def read_published_scores(data, source: str | None = None, quarter: str | None = None) -> pd.DataFrame:
    """The derived rows of NHS England's published NOF file: metric scores (OF1xxx),
    domain scores and segments (OF40xx/OF41xx), average score, segments and
    override flags (OF5xxx), as published, for comparison with nhsrank's own;
    and the raw values published but not averaged (OF0079, OF0081).

    Parameters
    ----------
    data : str, pathlib.Path, pandas.DataFrame or list of them
        NHS England's published NOF file(s).
    source : str or None, default None
        Name used in error messages (defaults to the path).
    quarter : str or None, default None
        The quarter to read (a large file) and of a file without a Quarter column.

    Returns
    -------
    pandas.DataFrame
        trust_code, trust_name, trust_type, quarter, metric_id, value (numeric where it
        parses, else NaN) and value_text (as written).
    """
    if isinstance(data, pd.DataFrame):
        raw, source = data.copy(), source or "DataFrame"
    else:
        source = source or str(data)
        raw = read_table(data, required=[c for c in REQUIRED_COLUMNS if c != "quarter"])
    raw, _ = _add_release_quarter(raw, source, quarter)
    df = normalise_columns(raw, source)
    df["metric_id"] = df["metric_id"].astype("string").str.strip()
    df = df[df["metric_id"].str.match(DERIVED_METRIC_PATTERN, na=False)
            | df["metric_id"].isin(PUBLISHED_NOT_SCORED).fillna(False)].copy()
    if "trust_name" not in df.columns:
        df["trust_name"] = df["trust_code"]
    df["trust_type"] = df["trust_type"].map(normalise_trust_type)
    df["quarter"] = df["quarter"].map(normalise_quarter)
    df["value_text"] = df["value"]
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    keep = ["trust_code", "trust_name", "trust_type", "quarter", "metric_id", "value", "value_text"]
    if "published_rank" in df.columns:  # the Rank of the OF5000 rows is the published league position
        df["published_rank"] = pd.to_numeric(df["published_rank"], errors="coerce")
        keep.append("published_rank")
    return df[keep].reset_index(drop=True)


def read_attributes(data, source: str | None = None) -> pd.DataFrame:
    """Read trust attributes: trust_code, optional quarter, financial_deficit, pip.

    Flags accept true/false, yes/no, y/n, 1/0. A missing quarter column means
    the flags hold for every quarter.

    Parameters
    ----------
    data : str, pathlib.Path or pandas.DataFrame
        A CSV/xlsx path or a raw table.
    source : str or None, default None
        Name used in error messages (defaults to the path).

    Returns
    -------
    pandas.DataFrame
        trust_code, quarter, financial_deficit, pip and ``_row`` (the row in the file).
    """
    from .validation import validate_attributes

    if isinstance(data, pd.DataFrame):
        raw, source = data.copy(), source or "attributes DataFrame"
    else:
        source = source or str(data)
        raw = read_table(data, required=["trust_code"])
    df = normalise_columns(raw, source, required=["trust_code"])
    df["_row"] = _file_rows(df, not isinstance(data, pd.DataFrame))
    df["trust_code"] = df["trust_code"].astype("string").str.strip()
    if "quarter" in df.columns:
        df["quarter"] = df["quarter"].map(normalise_quarter).astype("string")
    else:
        df["quarter"] = pd.NA
    out = validate_attributes(df, source)
    out.attrs["source"] = source
    return out


def load_bundled() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bundled SYNTHETIC 2025/26 data set: (metrics, attributes).

    The trusts and figures are fictional, generated by
    :func:`nhsrank.data.synthetic.generate` (see data/README.md).

    Returns
    -------
    metrics : pandas.DataFrame
        The canonical long metrics table.
    attributes : pandas.DataFrame
        The trusts' financial-deficit and PIP flags.
    """
    return read_metrics(SYNTHETIC_METRICS), read_attributes(SYNTHETIC_ATTRIBUTES)


def read_ae_attendances(path=None) -> pd.DataFrame:
    """Read the A&E attendances file (default: the copy in data/) as canonical metrics.

    Parameters
    ----------
    path : str, pathlib.Path or None, default None
        The file; None: ``data/ae_attendances_2016_2019.csv``.

    Returns
    -------
    pandas.DataFrame
        The canonical long metrics table: one AE4HR row (4-hour proportion, with numerator
        and denominator) per trust and quarter.

    Examples
    --------
    >>> ae = read_ae_attendances()
    >>> ae["quarter"].nunique(), ae["metric_id"].unique().tolist()
    (12, ['AE4HR'])
    """
    return read_metrics(Path(path) if path is not None else AE_ATTENDANCES)
