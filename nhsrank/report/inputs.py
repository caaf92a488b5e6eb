"""A notebook's inputs: its data, attributes and methodology, its quarter and trust types, its provenance header.

Every notebook starts with a ``parameters`` cell (papermill replaces it; see
docs/notebooks.md), checks it (:mod:`nhsrank.report.parameters`) and then calls::

    metrics, attributes, meth, synthetic = read_inputs(data_path, attributes_path, methodology)
    quarter = check_quarter(metrics, quarter)          # None: the latest quarter in the data
    display(header(data_path, attributes_path, meth, seed, {"quarter": quarter, ...}))

:func:`read_inputs` is the one place that reads data, attributes and methodology: the notebooks and
the command line (:func:`nhsrank.cli.common.command_inputs`) both call it, so
``methodology="auto"`` (or None) resolves the same way everywhere: ae-4hr for the A&E attendances
file (its header, or its metric ids), nof-2025-26 otherwise. The default paths are absolute
here, so a notebook works from ``notebooks/`` (JupyterLab) and from the repository root (papermill)
alike.

One set of defaults everywhere (notebooks, command line, ``python -m nhsrank.report``, ``make report``):
no data path means NHS England's files shipped in data/nhs-england (:data:`nhsrank.data.readers.NHS_ENGLAND_DATA`,
the acute Q1 2025/26 file and the MH & community file, read together); ``"synthetic"`` asks for the bundled
SYNTHETIC data; the quarter defaults to the latest that holds every trust type in the data
(:func:`default_quarter`).

Examples
--------
>>> metrics, attributes, meth_id, synthetic = read_inputs()          # NHS England's files
>>> meth_id, synthetic, default_quarter(metrics)[0], sorted(set(metrics["trust_type"]))
('nof-2025-26', False, '2025-26-Q1', ['acute', 'non-acute'])
>>> metrics, attributes, meth_id, synthetic = read_inputs("synthetic")
>>> synthetic, latest_quarter(metrics), previous_quarter(metrics, "2025-26-Q2")
(True, '2025-26-Q4', '2025-26-Q1')
"""
from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from ..defaults import DEFAULT_METHODOLOGY
from ..data.readers import NHS_ENGLAND_DATA, SYNTHETIC_ATTRIBUTES, SYNTHETIC_METRICS, read_attributes, read_metrics
from ..errors import InputError, InputWarning
from ..rules.methodology import load_methodology
from ..rules.quarters import normalise_quarter
from ..sensitivity.variants import methodology_variants
from .manifest import build_manifest, data_files, is_synthetic, report_header
from .plan import quarter_before, resolve_methodology

#: the notebooks' pandas display (set by :func:`notebook_display`): 2 dp, no truncated text, up to 500 rows
DISPLAY_OPTIONS = {"display.precision": 2, "display.max_colwidth": None, "display.max_rows": 500,
                   "display.max_columns": 60, "display.width": 200}



#: the ``data_path`` (``--data``) that asks for the bundled SYNTHETIC data set
SYNTHETIC = "synthetic"


def data_paths(data_path=None) -> list[Path]:
    """The metrics files a ``data_path`` names.

    None: NHS England's files shipped in data/nhs-england (:data:`~nhsrank.data.readers.NHS_ENGLAND_DATA`);
    ``"synthetic"`` (any case): the bundled SYNTHETIC file (both absolute); a path or a list of paths: those,
    as given (so that a message names the file as the user wrote it).

    Parameters
    ----------
    data_path : str, path-like, list of them or None, default None
        The metrics file(s), ``"synthetic"`` or None (NHS England's files).

    Returns
    -------
    list of pathlib.Path
        The files to read, in order.

    Examples
    --------
    >>> [p.name for p in data_paths()]
    ['nof-acute-trust-data-2025-26-q1.csv', 'nof-mh-community-trust-data-2025-26-q4.csv']
    >>> [p.name for p in data_paths("synthetic")]
    ['nof_metrics_2025-26.csv']
    """
    if data_path is None:
        return [Path(p).resolve() for p in NHS_ENGLAND_DATA]
    if isinstance(data_path, str) and data_path.strip().lower() == SYNTHETIC:
        return [SYNTHETIC_METRICS.resolve()]
    return data_files(data_path)


def default_quarter(metrics: pd.DataFrame) -> tuple[str, str]:
    """The quarter shown when none is asked for: the latest that holds every trust type in the data (with
    NHS England's acute Q1 file beside the MH & community Q1-Q4 file, Q1: both tables, pooled as NHS England
    pools them), and a note saying so ("" when it is simply the latest quarter).

    Parameters
    ----------
    metrics : pandas.DataFrame
        The long metrics table (:func:`read_inputs`); its ``quarter`` and ``trust_type`` columns are read.

    Returns
    -------
    quarter : str
        The quarter, e.g. ``"2025-26-Q1"``.
    note : str
        Why an earlier quarter than the latest was chosen; ``""`` when it is the latest.

    Raises
    ------
    ValueError
        If the table has no quarter.

    Examples
    --------
    >>> m = pd.DataFrame({"quarter": ["2025-26-Q1", "2025-26-Q1", "2025-26-Q2"],
    ...                   "trust_type": ["acute", "non-acute", "non-acute"]})
    >>> default_quarter(m)[0]
    '2025-26-Q1'
    >>> default_quarter(m[m["trust_type"] == "non-acute"])
    ('2025-26-Q2', '')
    """
    present = quarters(metrics)
    if not present:
        raise ValueError("the metrics table has no quarter")
    if "trust_type" not in metrics:
        return present[-1], ""
    types_all = set(metrics["trust_type"].dropna())
    full = [q for q in present if set(metrics.loc[metrics["quarter"] == q, "trust_type"].dropna()) >= types_all]
    chosen = (full or present)[-1]
    if chosen == present[-1]:
        return chosen, ""
    return chosen, (f"quarter {chosen}: the latest quarter that holds every trust type in the data "
                    f"({', '.join(sorted(types_all))}); the data run to {present[-1]}")


def read_inputs(data_path=None, attributes_path=None, methodology=None, quarter: str | None = None):
    """Read the metrics, the attributes and the methodology id: the one reader of notebooks and command line.

    Parameters
    ----------
    data_path : str, path-like, list of them or None, default None
        Metrics file (NHS England's published NOF file, canonical CSV or the A&E file), or a list of
        files read together (NHS England's acute and MH & community files: pooled peers and cut points);
        None: NHS England's files shipped in data/nhs-england; ``"synthetic"``: the bundled SYNTHETIC data
        (:func:`data_paths`).
    attributes_path : str, path-like or None, default None
        Trust attributes (financial deficit, PIP); None: the bundled attributes with the bundled data,
        none otherwise.
    methodology : str, path-like or None, default None
        Methodology id or YAML path; None or ``"auto"``: ae-4hr for the A&E attendances file (told by its
        header, or by its metric ids), nof-2025-26 otherwise.
    quarter : str or None, default None
        The quarter to rank, passed to :func:`nhsrank.read_metrics` (a large file is read for that quarter
        only; the quarter of a file without a Quarter column).

    Returns
    -------
    metrics : pandas.DataFrame
        The long metrics table, one row per trust, quarter and metric, as :func:`nhsrank.read_metrics`
        returns it: ``trust_code``, ``trust_name``, ``trust_type``, ``quarter``, ``metric_id``, ``value``,
        ``numerator``, ``denominator``, ``standard_error`` (missing where the file gives none), the columns
        the file carries besides (NHS England's: ``metric_name``, ``units``, ``published_*``, ...), and
        ``_row`` (the row in the file, for messages).
    attributes : pandas.DataFrame or None
        The trust attributes as :func:`nhsrank.read_attributes` returns them (``trust_code``, ``quarter``,
        ``financial_deficit``, ``pip``, ``_row``), or None when there are none.
    methodology : str
        The methodology id (or the YAML path as given).
    synthetic : bool
        Whether the data is the bundled SYNTHETIC set.

    Examples
    --------
    >>> metrics, attributes, meth, synthetic = read_inputs("synthetic")
    >>> meth, synthetic, list(attributes.columns)
    ('nof-2025-26', True, ['trust_code', 'quarter', 'financial_deficit', 'pip', '_row'])
    """
    from ..shared_cache import cache_folder, key_of, shared_result

    if not cache_folder():
        return _read_inputs_now(data_path, attributes_path, methodology, quarter)
    # while a report is built, its notebooks read the same files: read once, shared (warnings given again)
    paths = data_paths(data_path)
    key = key_of("inputs 1", [(str(p), _digest(p)) for p in paths],
                 None if not attributes_path else (str(attributes_path), _digest(Path(attributes_path))),
                 str(methodology), quarter)
    return shared_result(key, lambda: _read_inputs_now(data_path, attributes_path, methodology, quarter),
                         record_warnings=True)


def _digest(path: Path) -> str:
    import hashlib

    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _read_inputs_now(data_path, attributes_path, methodology, quarter):
    """:func:`read_inputs`, read from the files."""
    from ..data.ae import AE_METHODOLOGY
    from ..data.validation import warn_attribute_codes

    paths = data_paths(data_path)
    synthetic = is_synthetic(paths)
    meth = methodology if methodology and methodology != "auto" else (
        AE_METHODOLOGY if _looks_like_ae(paths[0]) else DEFAULT_METHODOLOGY)
    metrics = read_metrics(paths if len(paths) > 1 else paths[0], methodology=meth, quarter=quarter)
    if methodology in (None, "auto"):
        meth = resolve_methodology(metrics, meth if meth == AE_METHODOLOGY else None)  # a tidy A&E file too
    if attributes_path:
        attributes = read_attributes(Path(attributes_path))
    elif synthetic:
        attributes = read_attributes(SYNTHETIC_ATTRIBUTES)
    else:
        attributes = None
    warn_attribute_codes(metrics, attributes)        # the library's check, as nhsrank.league_table makes it
    return metrics, attributes, meth, synthetic


def _looks_like_ae(path: Path) -> bool:
    """True if the file has the A&E attendances columns (read from its header only)."""
    from ..data.ae import is_ae_attendances

    try:
        with warnings.catch_warnings():     # read_metrics reads the file again and shows its warnings
            warnings.simplefilter("ignore", InputWarning)
            head = _header_only(path)
    except Exception:  # unreadable files are reported by read_metrics with the proper message
        return False
    return is_ae_attendances(head)


def _header_only(path: Path) -> pd.DataFrame:
    """The file's columns, from its first lines when it is CSV text (a 200 MB file is not read for its header)."""
    from ..data.readers import read_table
    from ..data.sniff import sniff_bytes

    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    if head[:2] == b"\x1f\x8b" or head[:4] == b"PK\x03\x04" or len(head) < (1 << 16):
        return read_table(path).head(0)          # compressed, a workbook, or small: read as usual
    cut = max(head.rfind(b"\n"), head.rfind(b"\r"))
    rows = sniff_bytes(head[:cut] if cut > 0 else head, str(path), suffix=Path(path).suffix.lower())
    return pd.DataFrame(columns=rows.header)


def notebook_display() -> None:
    """Set a notebook kernel's display, on purpose and only when called (importing nhsrank changes nothing):
    pandas shows scores to 2 decimals, whole explanations (no "..."), up to 500 rows (:data:`DISPLAY_OPTIONS`),
    and a warning is shown as a plain note (:func:`show_warning_plainly`).

    Returns
    -------
    None
        Sets pandas' display options and :func:`warnings.showwarning`.

    Examples
    --------
    >>> import warnings
    >>> with pd.option_context(*[x for kv in DISPLAY_OPTIONS.items() for x in kv]):   # leave the caller's display
    ...     saved = warnings.showwarning
    ...     notebook_display()
    ...     shown = pd.get_option("display.max_rows"), warnings.showwarning is show_warning_plainly
    ...     warnings.showwarning = saved
    >>> shown
    (500, True)
    """
    for key, value in DISPLAY_OPTIONS.items():   # the kernel's display only; no table is changed
        pd.set_option(key, value)
    warnings.showwarning = show_warning_plainly   # a page shows the note, not the library's file and line


def show_warning_plainly(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning in a notebook as a reader should read it: ``Note: <message>`` on stdout, without the
    library's file, line and category (set by :func:`notebook_display`).

    Parameters
    ----------
    message : Warning or str
        The warning; only its text is printed.
    category : type
        The warning's class (not shown).
    filename : str
        The file that gave the warning (not shown).
    lineno : int
        The line that gave the warning (not shown).
    file : file-like or None, default None
        Ignored: the note goes to stdout, where a notebook shows it.
    line : str or None, default None
        Ignored (the source line).

    Returns
    -------
    None
        Prints ``Note: <message>``.

    Examples
    --------
    >>> show_warning_plainly(UserWarning("2 trusts have no data"), UserWarning, "/x/y.py", 3)
    Note: 2 trusts have no data
    """
    print(f"Note: {message}")


def quarters(metrics: pd.DataFrame) -> list[str]:
    """The quarters in the data, oldest first ("2025-26-Q1" sorts before "2025-26-Q2").

    Parameters
    ----------
    metrics : pandas.DataFrame
        The long metrics table (:func:`read_inputs`); only its ``quarter`` column is read.

    Returns
    -------
    list of str
        The distinct quarters, sorted.

    Examples
    --------
    >>> quarters(pd.DataFrame({"quarter": ["2025-26-Q2", "2025-26-Q1", "2025-26-Q2"]}))
    ['2025-26-Q1', '2025-26-Q2']
    """
    return sorted(metrics["quarter"].dropna().astype(str).unique())


def latest_quarter(metrics: pd.DataFrame) -> str:
    """The latest quarter in the data.

    Parameters
    ----------
    metrics : pandas.DataFrame
        The long metrics table (:func:`read_inputs`); only its ``quarter`` column is read.

    Returns
    -------
    str
        The latest quarter.

    Raises
    ------
    ValueError
        If the table has no quarter.

    Examples
    --------
    >>> latest_quarter(pd.DataFrame({"quarter": ["2025-26-Q2", "2024-25-Q4", "2025-26-Q1"]}))
    '2025-26-Q2'
    """
    present = quarters(metrics)
    if not present:
        raise ValueError("the metrics table has no quarter")
    return present[-1]


def previous_quarter(metrics: pd.DataFrame, quarter: str) -> str | None:
    """The latest quarter in the data before ``quarter`` (None for the first quarter).

    Parameters
    ----------
    metrics : pandas.DataFrame
        The long metrics table (:func:`read_inputs`); only its ``quarter`` column is read.
    quarter : str
        The quarter, e.g. ``"2025-26-Q2"``.

    Returns
    -------
    str or None
        The quarter before, or None.

    Examples
    --------
    >>> m = pd.DataFrame({"quarter": ["2025-26-Q1", "2025-26-Q3", "2024-25-Q4"]})
    >>> previous_quarter(m, "2025-26-Q3"), previous_quarter(m, "2024-25-Q4")
    ('2025-26-Q1', None)
    """
    return quarter_before(quarters(metrics), quarter)


def check_quarter(metrics: pd.DataFrame, quarter: str | None) -> str:
    """``quarter`` normalised ("Q2 2025/26" -> "2025-26-Q2") and checked against the data; None: the latest
    quarter that holds every trust type in the data (:func:`default_quarter`).

    Parameters
    ----------
    metrics : pandas.DataFrame
        The long metrics table (:func:`read_inputs`); its ``quarter`` and ``trust_type`` columns are read.
    quarter : str or None
        The quarter asked for, in any spelling :func:`nhsrank.rules.quarters.normalise_quarter` reads.

    Returns
    -------
    str
        The quarter, normalised.

    Raises
    ------
    nhsrank.InputError
        If the data do not hold the quarter (the message lists those they hold).

    Examples
    --------
    >>> check_quarter(pd.DataFrame({"quarter": ["2025-26-Q1"]}), None)
    '2025-26-Q1'
    """

    if quarter is None:
        return default_quarter(metrics)[0]
    q = normalise_quarter(quarter)
    present = quarters(metrics)
    if q not in present:
        raise InputError.from_records("quarter", [{"column": "quarter", "problem":
                                                   f"{q} is not in the data; quarters present: {', '.join(present)}"}])
    return q


def trust_types(metrics: pd.DataFrame, quarter: str, methodology) -> list[str]:
    """The trust types of ``methodology`` that have data in ``quarter``, in the methodology's order.

    Parameters
    ----------
    metrics : pandas.DataFrame
        The long metrics table (:func:`read_inputs`); its ``quarter`` and ``trust_type`` columns are read.
    quarter : str
        The quarter, normalised (``"2025-26-Q1"``).
    methodology : str or Methodology
        Methodology id (e.g. ``"nof-2025-26"``), YAML path or loaded methodology.

    Returns
    -------
    list of str
        The trust types, e.g. ``["acute", "ambulance"]``.

    Examples
    --------
    >>> m = pd.DataFrame({"quarter": ["2025-26-Q1"] * 2, "trust_type": ["ambulance", "acute"]})
    >>> trust_types(m, "2025-26-Q1", "nof-2025-26")
    ['acute', 'ambulance']
    """

    present = set(metrics.loc[metrics["quarter"] == quarter, "trust_type"])
    return [t for t in load_methodology(methodology).trust_types if t in present]


def table_types(metrics: pd.DataFrame, quarter: str, methodology, trust_type=None) -> list[str]:
    """The trust types a notebook shows: ``trust_type`` (one name or a list), or every type in the quarter.

    Parameters
    ----------
    metrics : pandas.DataFrame
        The long metrics table (:func:`read_inputs`); its ``quarter`` and ``trust_type`` columns are read.
    quarter : str
        The quarter, normalised.
    methodology : str or Methodology
        Methodology id (e.g. ``"nof-2025-26"``), YAML path or loaded methodology.
    trust_type : str, list of str or None, default None
        The type(s) asked for, in any spelling NHS England uses; None or empty: every type in the quarter.

    Returns
    -------
    list of str
        The trust types, normalised.

    Raises
    ------
    ValueError
        If a type asked for is not in the quarter's data.

    Examples
    --------
    >>> import nhsrank
    >>> m, _ = nhsrank.load_bundled()
    >>> table_types(m, "2025-26-Q1", "nof-2025-26"), table_types(m, "2025-26-Q1", "nof-2025-26", "ambulance")
    (['acute', 'non-acute', 'ambulance'], ['ambulance'])
    >>> table_types(m, "2025-26-Q1", "nof-2025-26", "ambulence")
    Traceback (most recent call last):
    ...
    ValueError: trust_type 'ambulence' is not in 2025-26-Q1; the data have: acute, non-acute, ambulance
    """
    present = trust_types(metrics, quarter, methodology)
    if trust_type is None or (isinstance(trust_type, (list, tuple)) and not trust_type):
        return present
    from ..rules.trust_types import normalise_trust_type

    asked = [normalise_trust_type(t) for t in ([trust_type] if isinstance(trust_type, str) else list(trust_type))]
    bad = [t for t in asked if t not in present]
    if bad:
        raise ValueError(f"trust_type {', '.join(map(repr, bad))} is not in {quarter}; the data have: "
                         f"{', '.join(present)}")
    return asked


def one_trust_type(metrics: pd.DataFrame, quarter: str, methodology, trust_type=None) -> str:
    """The trust type a one-table notebook shows: ``trust_type`` (any spelling NHS England uses, e.g. "Mental
    health and community trust"), which the quarter must hold, or the first type in the quarter's data.

    Parameters
    ----------
    metrics : pandas.DataFrame
        The long metrics table (:func:`read_inputs`); its ``quarter`` and ``trust_type`` columns are read.
    quarter : str
        The quarter, normalised.
    methodology : str or Methodology
        Methodology id (e.g. ``"nof-2025-26"``), YAML path or loaded methodology.
    trust_type : str or None, default None
        The type asked for; None: the first in the quarter's data.

    Returns
    -------
    str
        The trust type, normalised.

    Raises
    ------
    ValueError
        If the quarter holds no trust type of the methodology, or not the one asked for.

    Examples
    --------
    >>> import nhsrank
    >>> m, _ = nhsrank.load_bundled()
    >>> one_trust_type(m, "2025-26-Q1", "nof-2025-26"), one_trust_type(m, "2025-26-Q1", "nof-2025-26", "Mental Health")
    ('acute', 'non-acute')
    """
    types = table_types(metrics, quarter, methodology, trust_type)
    if not types:
        raise ValueError(f"no trust type of {load_methodology(methodology).id} has data in {quarter}")
    return types[0]


def movement_quarters(metrics: pd.DataFrame, methodology, quarter=None, quarter_from=None, trust_type=None):
    """The two quarters and the trust type the movement page compares: ``(quarter_from, quarter, trust_type)``.

    Given ones are checked against the data. ``quarter`` None: the default quarter (:func:`default_quarter`)
    if the trust type has an earlier quarter, else the latest quarter of that type that has one;
    ``trust_type`` None: the first type of the methodology with two quarters to compare (on NHS England's
    acute Q1 file beside the MH & community Q1-Q4 file: non-acute, Q3 to Q4); ``quarter_from`` None: the
    latest earlier quarter holding the type. Nothing to compare is a ValueError saying so.

    Parameters
    ----------
    metrics : pandas.DataFrame
        The long metrics table (:func:`read_inputs`); its ``quarter`` and ``trust_type`` columns are read.
    methodology : str or Methodology
        Methodology id (e.g. ``"nof-2025-26"``), YAML path or loaded methodology.
    quarter : str or None, default None
        The later quarter.
    quarter_from : str or None, default None
        The earlier quarter.
    trust_type : str or None, default None
        The trust type compared.

    Returns
    -------
    quarter_from : str
        The earlier quarter.
    quarter : str
        The later quarter.
    trust_type : str
        The trust type, normalised.

    Raises
    ------
    ValueError
        If no two quarters of the data hold the trust type.

    Examples
    --------
    >>> m = pd.DataFrame({"quarter": ["2025-26-Q1", "2025-26-Q1", "2025-26-Q2"],
    ...                   "trust_type": ["acute", "non-acute", "non-acute"]})
    >>> movement_quarters(m, "nof-2025-26")
    ('2025-26-Q1', '2025-26-Q2', 'non-acute')
    """
    from ..rules.trust_types import normalise_trust_type

    held = metrics.groupby("quarter")["trust_type"].agg(lambda s: set(s.dropna()))
    types = ([normalise_trust_type(trust_type)] if trust_type else
             [t for t in load_methodology(methodology).trust_types if any(t in h for h in held)])
    q_given = check_quarter(metrics, quarter) if quarter is not None else None
    q_from_given = check_quarter(metrics, quarter_from) if quarter_from is not None else None
    q_default = default_quarter(metrics)[0]
    for tt in types:
        have = [q for q in quarters(metrics) if tt in held.get(q, set())]
        ends = [q_given] if q_given else ([q_default] if q_default in have else []) + have[::-1]
        for q in ends:
            if q not in have:
                continue
            earlier = [x for x in have if x < q]
            q0 = q_from_given or (earlier[-1] if earlier else None)
            if q0 is not None:
                return q0, q, tt
    raise ValueError(f"no two quarters of the data hold {' or '.join(types) or 'any trust type'}"
                     f"{' with ' + q_given if q_given else ''}: nothing to compare")


def profile_trust(
    metrics, quarter: str, methodology=DEFAULT_METHODOLOGY, attributes=None, trust_type: str | None = None
):
    """The trust the profile shows by default: the best-ranked trust that has a segment above it (so
    every section, the distance to the next segment included, has figures), else the best-ranked.

    ``trust_type`` None: the first trust type in the quarter's data (methodology order); a type the
    data do not hold is an :class:`nhsrank.InputError` naming those they hold.

    Parameters
    ----------
    metrics : pandas.DataFrame
        The long metrics table (:func:`read_inputs`).
    quarter : str
        The quarter, normalised.
    methodology : str or Methodology, default "nof-2025-26"
        Methodology id, YAML path or loaded methodology.
    attributes : pandas.DataFrame or None, default None
        The trust attributes (financial and PIP overrides), as :func:`read_inputs` returns them.
    trust_type : str or None, default None
        The trust type; None: the first in the quarter's data.

    Returns
    -------
    str
        The trust's code.

    Raises
    ------
    nhsrank.InputError
        If no trust of the type is ranked in the quarter.

    Examples
    --------
    >>> import nhsrank
    >>> m, a = nhsrank.load_bundled()
    >>> code = profile_trust(m, "2025-26-Q4", "nof-2025-26", a, "ambulance")
    >>> t = nhsrank.league_table(m, "2025-26-Q4", "ambulance", attributes=a).table
    >>> int(t.loc[t["trust_code"] == code, "segment"].iloc[0]) in (2, 3, 4)
    True
    """
    from ..rules.league import league_table

    if trust_type is None:
        trust_type = (trust_types(metrics, quarter, methodology) or [None])[0]
    result = league_table(metrics, quarter, trust_type, methodology, attributes)
    t = result.table
    if t.empty:
        raise InputError.from_records("trust_code", [{"column": "trust_code", "problem":
            f"no {result.trust_type} trust is ranked in {quarter}: give trust_code"}])
    t = t.sort_values(["league_position", "trust_code"], kind="stable")
    below = t[(t["segment"] > 1) & (t["segment"] < 5)]
    return str((below if len(below) else t)["trust_code"].iloc[0])


def with_next_methodology(methodology, following: str = "nof-2026-27") -> dict:
    """The one-switch variants of ``methodology`` plus the whole ``following`` methodology
    (the 2026/27 framework by default), for :func:`nhsrank.compare_variants`.

    ``following`` is left out when it is the methodology itself or cannot rank
    the same metrics (e.g. the A&E methodology).

    Parameters
    ----------
    methodology : str or Methodology
        The methodology whose variants are made.
    following : str, default "nof-2026-27"
        The next methodology's id (an unknown id adds nothing).

    Returns
    -------
    dict of str to Methodology
        Variant name to methodology, in the order :func:`nhsrank.methodology_variants` gives them, then
        ``following``'s id when it is added.

    Examples
    --------
    >>> list(with_next_methodology("nof-2025-26"))[-1]
    'nof-2026-27'
    >>> "nof-2026-27" in with_next_methodology("ae-4hr")
    False
    """

    out = dict(methodology_variants(methodology))
    base = load_methodology(methodology)
    try:
        nxt = load_methodology(following)
    except Exception:  # an unknown id: nothing to add
        return out
    same = nxt.id != base.id and all(
        set(nxt.metrics(t)["metric_id"]) == set(base.metrics(t)["metric_id"])
        for t in base.trust_types if t in nxt.trust_types) and set(base.trust_types) <= set(nxt.trust_types)
    if same:
        out[nxt.id] = nxt
    return out


def header(data_path=None, attributes_path=None, methodology=None, seed=None, parameters: dict | None = None):
    """The provenance header as IPython Markdown (``data_path`` as :func:`data_paths` reads it): the SYNTHETIC
    banner first when the data is the bundled set, then version, methodology, data hash, seed and parameters
    (:func:`nhsrank.report.manifest.report_header`).

    Parameters
    ----------
    data_path : str, path-like, list of them or None, default None
        The metrics file(s), as :func:`read_inputs` takes them.
    attributes_path : str, path-like or None, default None
        The attributes file; None: the bundled one with the bundled data, none otherwise.
    methodology : str or None, default None
        Methodology id or YAML path; None: nof-2025-26.
    seed : int or None, default None
        The notebook's seed (None: the notebook draws nothing at random).
    parameters : dict or None, default None
        The notebook's other parameters, shown by name.

    Returns
    -------
    IPython.display.Markdown
        The header, for ``display``.

    Examples
    --------
    >>> text = header("synthetic", seed=1, parameters={"quarter": "2025-26-Q1"}).data
    >>> text.startswith("**SYNTHETIC DATA.**"), "methodology `nof-2025-26`" in text
    (True, True)
    """
    from IPython.display import Markdown


    data = [p.resolve() for p in data_paths(data_path)]
    if attributes_path is None and is_synthetic(data):
        attributes_path = SYNTHETIC_ATTRIBUTES
    attrs = Path(attributes_path).resolve() if attributes_path is not None else None
    manifest = build_manifest(data, methodology or DEFAULT_METHODOLOGY, seed, parameters or {}, attrs)
    return Markdown(report_header(manifest))



__all__ = [
    "DISPLAY_OPTIONS",
    "SYNTHETIC",
    "data_paths",
    "default_quarter",
    "read_inputs",
    "notebook_display",
    "quarters",
    "latest_quarter",
    "previous_quarter",
    "check_quarter",
    "trust_types",
    "table_types",
    "one_trust_type",
    "movement_quarters",
    "profile_trust",
    "with_next_methodology",
    "header",
    "show_warning_plainly",
]
