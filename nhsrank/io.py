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

from .errors import InputError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SYNTHETIC_METRICS = DATA_DIR / "synthetic" / "nof_metrics_2025-26.csv"
SYNTHETIC_ATTRIBUTES = DATA_DIR / "synthetic" / "trust_attributes_2025-26.csv"
AE_ATTENDANCES = DATA_DIR / "ae_attendances_2016_2019.csv"

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

TRUST_TYPE_ALIASES = {
    "acute": "acute", "acute trust": "acute", "acute trusts": "acute", "acute_trust": "acute",
    "non-acute": "non-acute", "non acute": "non-acute", "nonacute": "non-acute", "non_acute": "non-acute",
    "non-acute trust": "non-acute", "non-acute trusts": "non-acute",
    "mental health and community": "non-acute", "mental health": "non-acute", "community": "non-acute",
    "mental health & community": "non-acute", "mental health and community trusts": "non-acute",
    "ambulance": "ambulance", "ambulance trust": "ambulance", "ambulance trusts": "ambulance",
    "non-acute hospital trust": "non-acute", "non-acute hospital trusts": "non-acute",
    "mental health and community trust": "non-acute",
}

# NHS England's published data file holds, besides the raw metric values
# (OF0xxx), derived rows: metric scores (OF1xxx), domain scores and segments
# (OF40xx, OF41xx) and the average score, segments and override flags
# (OF5xxx). They are set aside, not scored (see read_published_scores); any
# other id that is not in the methodology is an error.
DERIVED_METRIC_PATTERN = r"^OF[145]\d{3}$"


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


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV (any Excel flavour: BOM, Windows line endings) or .xlsx file as text columns."""
    path = Path(path)
    if not path.exists():
        raise InputError.from_records(str(path), [{"problem": "file not found"}])
    if path.suffix.lower() in {".xlsx", ".xlsm", ".xls"}:
        df = pd.read_excel(path, dtype=str)
    else:
        raw = path.read_bytes()
        if not raw.strip(b"\xef\xbb\xbf \r\n\t"):
            raise InputError.from_records(str(path), [{"problem": "the file is empty"}])
        try:
            df = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False,
                             na_values=["", "NA", "N/A", "n/a", "NaN", "nan", "-", "*", ".."])
        except UnicodeDecodeError:
            df = pd.read_csv(path, dtype=str, encoding="cp1252", keep_default_na=False,
                             na_values=["", "NA", "N/A", "n/a", "NaN", "nan", "-", "*", ".."])
    df.columns = [str(c).replace("\ufeff", "").strip() for c in df.columns]
    if df.empty:
        raise InputError.from_records(str(path), [{"problem": "the file has a header but no data rows"}])
    return df


def normalise_quarter(q) -> str:
    """Turn '2025/26 Q1', 'Q1 2025-26', '2025-26-Q1' into '2025-26-Q1'.

    Examples
    --------
    >>> normalise_quarter("Q2 2025/26")
    '2025-26-Q2'
    """
    s = str(q).strip()
    m = re.search(r"(20\d\d)\s*[-/]\s*(\d\d)", s)
    k = re.search(r"Q\s*([1-4])", s, flags=re.I)
    if not m or not k:
        return s
    return f"{m.group(1)}-{m.group(2)}-Q{k.group(1)}"


def normalise_trust_type(t) -> str:
    s = re.sub(r"\s+", " ", str(t).strip().lower())
    return TRUST_TYPE_ALIASES.get(s, s)


def _to_float(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


def read_metrics(data, source: str | None = None, methodology=None) -> pd.DataFrame:
    """Read metric data into the canonical long format.

    Parameters
    ----------
    data : path (CSV or .xlsx) or DataFrame
        NHS England's published NOF data (one row per trust x metric x quarter)
        or the canonical tidy format; column names are mapped through
        :data:`COLUMN_ALIASES`.
    source : str, optional
        Name used in error messages (defaults to the path).
    methodology : id, path or Methodology, optional
        Also check metric ids, valid ranges and proportions against it now,
        so that every problem of the file is reported in one message
        (otherwise these checks run when a table is built).

    Returns
    -------
    DataFrame with columns trust_code, trust_name, trust_type, quarter,
    metric_id, value, numerator, denominator, standard_error (and any
    published_median / published_rank / reporting_date found), plus ``_row``,
    the row number in the file as a spreadsheet shows it (header is row 1).

    Examples
    --------
    >>> df = read_metrics(SYNTHETIC_METRICS)
    >>> sorted(df["trust_type"].unique())
    ['acute', 'ambulance', 'non-acute']
    """
    from .ae import ae_to_canonical, is_ae_attendances
    from .validation import validate_metrics

    if isinstance(data, pd.DataFrame):
        raw = data.copy()
        source = source or "DataFrame"
    else:
        source = source or str(data)
        raw = read_table(data)
    if is_ae_attendances(raw):
        raw = ae_to_canonical(raw, source)
    df = normalise_columns(raw, source)
    df["_row"] = np.arange(len(df)) + 2
    for col in CANONICAL_COLUMNS:
        if col not in df.columns:
            df[col] = np.nan
    if df["trust_name"].isna().all():
        df["trust_name"] = df["trust_code"]
    for col in ("trust_code", "trust_name", "metric_id"):
        df[col] = df[col].astype("string").str.strip()
    derived = df["metric_id"].str.match(DERIVED_METRIC_PATTERN, na=False)
    n_derived = int(derived.sum())
    df = df[~derived]
    if df.empty:
        raise InputError.from_records(source, [{"column": "metric_id", "problem":
            f"no metric values to score: all {n_derived} rows are published scores or segments "
            "(OF1xxx-OF5xxx); the file needs the raw metric rows (OF0xxx)"}])
    df["trust_type"] = df["trust_type"].map(normalise_trust_type).astype("string")
    df["quarter"] = df["quarter"].map(normalise_quarter).astype("string")
    df = validate_metrics(df, source, methodology)
    keep = CANONICAL_COLUMNS + [c for c in ("trust_subtype", "metric_name", "reporting_date", "published_median",
                                            "published_rank") if c in df.columns] + ["_row"]
    out = df[keep].reset_index(drop=True)
    out.attrs["published_derived_rows"] = n_derived
    out.attrs["source"] = source
    return out


def read_published_scores(data, source: str | None = None) -> pd.DataFrame:
    """The derived rows of NHS England's published NOF file: metric scores (OF1xxx),
    domain scores and segments (OF40xx/OF41xx), average score, segments and
    override flags (OF5xxx), as published, for comparison with nhsrank's own.

    Returns trust_code, trust_name, trust_type, quarter, metric_id, value
    (numeric where it parses, else NaN) and value_text (as written).
    """
    if isinstance(data, pd.DataFrame):
        raw, source = data.copy(), source or "DataFrame"
    else:
        source = source or str(data)
        raw = read_table(data)
    df = normalise_columns(raw, source)
    df["metric_id"] = df["metric_id"].astype("string").str.strip()
    df = df[df["metric_id"].str.match(DERIVED_METRIC_PATTERN, na=False)].copy()
    if "trust_name" not in df.columns:
        df["trust_name"] = df["trust_code"]
    df["trust_type"] = df["trust_type"].map(normalise_trust_type)
    df["quarter"] = df["quarter"].map(normalise_quarter)
    df["value_text"] = df["value"]
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    return df[["trust_code", "trust_name", "trust_type", "quarter", "metric_id", "value", "value_text"]].reset_index(
        drop=True)


def read_attributes(data, source: str | None = None) -> pd.DataFrame:
    """Read trust attributes: trust_code, optional quarter, financial_deficit, pip.

    Flags accept true/false, yes/no, y/n, 1/0. A missing quarter column means
    the flags hold for every quarter.
    """
    from .validation import validate_attributes

    if isinstance(data, pd.DataFrame):
        raw, source = data.copy(), source or "attributes DataFrame"
    else:
        source = source or str(data)
        raw = read_table(data)
    df = normalise_columns(raw, source, required=["trust_code"])
    df["_row"] = np.arange(len(df)) + 2
    df["trust_code"] = df["trust_code"].astype("string").str.strip()
    if "quarter" in df.columns:
        df["quarter"] = df["quarter"].map(normalise_quarter).astype("string")
    else:
        df["quarter"] = pd.NA
    return validate_attributes(df, source)


def load_bundled() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bundled SYNTHETIC 2025/26 data set: (metrics, attributes).

    The trusts and figures are fictional, generated by
    :func:`nhsrank.synthetic.generate` (see data/README.md).
    """
    return read_metrics(SYNTHETIC_METRICS), read_attributes(SYNTHETIC_ATTRIBUTES)
