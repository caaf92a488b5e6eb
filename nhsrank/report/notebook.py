"""Helpers for the notebooks in ``notebooks/``: inputs, the provenance header, saving outputs.

Every notebook starts with a ``parameters`` cell (papermill replaces it; see
docs/notebooks.md) and then calls, in this order::

    metrics, attributes, meth, synthetic = nb.load_inputs(data_path, attributes_path, methodology)
    quarter = nb.check_quarter(metrics, quarter)          # None: the latest quarter in the data
    display(nb.header(data_path, attributes_path, meth, seed, {"quarter": quarter, ...}))
    ...
    nb.save_outputs(output_dir, {"league_tables": tables}, {"league-acute": chart})   # no-op without output_dir

Data resolution follows the command line (:mod:`nhsrank.cli.common`) and the
report runner (:mod:`nhsrank.report`): no ``data_path`` means the bundled
SYNTHETIC data *and* its attributes; ``methodology=None`` means nof-2025-26,
or ae-4hr when the file is the A&E attendances file. Paths are resolved to
absolute paths here, so a notebook works from ``notebooks/`` (JupyterLab) and
from the repository root (papermill) alike.

The tables of :mod:`nhsrank.views` (segment counts, overrides explained,
summaries in words, source comparison, trust history) are re-exported, so a
notebook needs ``from nhsrank import charts, notebook as nb`` and the engine.

Examples
--------
>>> metrics, attributes, meth_id, synthetic = load_inputs()
>>> meth_id, synthetic, latest_quarter(metrics), previous_quarter(metrics, "2025-26-Q2")
('nof-2025-26', True, '2025-26-Q4', '2025-26-Q1')
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .views import (SOURCE_SETS, metric_profile, movement_summary, neighbours_sentence,  # noqa: F401
                    overrides_explained, segment_counts, source_comparison, top_of_table, trust_history,
                    uncertainty_summary, variant_summary)


def load_inputs(data_path=None, attributes_path=None, methodology=None):
    """Read a notebook's inputs.

    Parameters
    ----------
    data_path : metrics file (NHS England's published NOF file, canonical CSV or
        the A&E file); None: the bundled SYNTHETIC data
    attributes_path : trust attributes (financial deficit, PIP); None: the
        bundled attributes with the bundled data, none otherwise
    methodology : methodology id or YAML path; None (or "auto"): nof-2025-26,
        or ae-4hr for the A&E attendances file

    Returns
    -------
    (metrics, attributes, methodology_id, synthetic): the long metrics table,
    the attributes table (or None), the methodology id (or the YAML path as
    given) and whether the data is the bundled synthetic set.
    """
    from .io import SYNTHETIC_ATTRIBUTES, SYNTHETIC_METRICS, read_attributes, read_metrics
    from .manifest import is_synthetic
    from .report import resolve_methodology

    synthetic = is_synthetic(data_path)
    metrics = read_metrics(Path(data_path).resolve() if data_path is not None else SYNTHETIC_METRICS)
    if attributes_path:
        attributes = read_attributes(Path(attributes_path).resolve())
    elif synthetic:
        attributes = read_attributes(SYNTHETIC_ATTRIBUTES)
    else:
        attributes = None
    return metrics, attributes, resolve_methodology(metrics, methodology), synthetic


def quarters(metrics: pd.DataFrame) -> list[str]:
    """The quarters in the data, oldest first ("2025-26-Q1" sorts before "2025-26-Q2")."""
    return sorted(metrics["quarter"].dropna().astype(str).unique())


def latest_quarter(metrics: pd.DataFrame) -> str:
    """The latest quarter in the data.

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

    Examples
    --------
    >>> m = pd.DataFrame({"quarter": ["2025-26-Q1", "2025-26-Q3", "2024-25-Q4"]})
    >>> previous_quarter(m, "2025-26-Q3"), previous_quarter(m, "2024-25-Q4")
    ('2025-26-Q1', None)
    """
    earlier = [q for q in quarters(metrics) if q < quarter]
    return earlier[-1] if earlier else None


def check_quarter(metrics: pd.DataFrame, quarter: str | None) -> str:
    """``quarter`` normalised ("Q2 2025/26" -> "2025-26-Q2") and checked against the data; None: the latest.

    Examples
    --------
    >>> check_quarter(pd.DataFrame({"quarter": ["2025-26-Q1"]}), None)
    '2025-26-Q1'
    """
    from .errors import InputError
    from .io import normalise_quarter

    if quarter is None:
        return latest_quarter(metrics)
    q = normalise_quarter(quarter)
    present = quarters(metrics)
    if q not in present:
        raise InputError.from_records("quarter", [{"column": "quarter", "problem":
                                                   f"{q} is not in the data; quarters present: {', '.join(present)}"}])
    return q


def header(data_path=None, attributes_path=None, methodology=None, seed=None, parameters: dict | None = None):
    """The provenance header as IPython Markdown: the SYNTHETIC banner first when the data is
    the bundled set, then version, methodology, data hash, seed and parameters
    (:func:`nhsrank.manifest.report_header`)."""
    from IPython.display import Markdown

    from .io import SYNTHETIC_ATTRIBUTES
    from .manifest import build_manifest, is_synthetic, report_header

    if attributes_path is None and is_synthetic(data_path):
        attributes_path = SYNTHETIC_ATTRIBUTES
    data = Path(data_path).resolve() if data_path is not None else None
    attrs = Path(attributes_path).resolve() if attributes_path is not None else None
    manifest = build_manifest(data, methodology or "nof-2025-26", seed, parameters or {}, attrs)
    return Markdown(report_header(manifest))


def save_table(df: pd.DataFrame, output_dir, name: str) -> Path | None:
    """Write ``df`` to ``output_dir/name.csv`` (None: write nothing and return None).

    The CSV is byte-reproducible: ``\\n`` line ends, floats with 6 significant
    digits, the index only when it carries information (not a RangeIndex).
    """
    if output_dir is None:
        return None
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.csv"
    frame = df.copy()
    frame.attrs = {}
    frame.to_csv(path, index=not isinstance(frame.index, pd.RangeIndex), lineterminator="\n", float_format="%.6g")
    return path


def save_chart(chart, output_dir, name: str) -> Path | None:
    """Write ``chart`` as static SVG to ``output_dir/name.svg`` (vl-convert, offline; None: no-op)."""
    if output_dir is None or chart is None:
        return None
    from .charts import save_svg

    return save_svg(chart, Path(output_dir) / f"{name}.svg")


def save_outputs(output_dir, tables: dict | None = None, charts: dict | None = None) -> list[Path]:
    """:func:`save_table` and :func:`save_chart` for ``{name: table}`` and ``{name: chart}`` (None charts skipped).

    Returns the paths written (an empty list when ``output_dir`` is None).

    Examples
    --------
    >>> save_outputs(None, {"t": pd.DataFrame({"a": [1]})})
    []
    """
    if output_dir is None:
        return []
    written = [save_table(df, output_dir, name) for name, df in (tables or {}).items()]
    written += [save_chart(chart, output_dir, name) for name, chart in (charts or {}).items() if chart is not None]
    return written


def trust_types(metrics: pd.DataFrame, quarter: str, methodology) -> list[str]:
    """The trust types of ``methodology`` that have data in ``quarter``, in the methodology's order.

    Examples
    --------
    >>> m = pd.DataFrame({"quarter": ["2025-26-Q1"] * 2, "trust_type": ["ambulance", "acute"]})
    >>> trust_types(m, "2025-26-Q1", "nof-2025-26")
    ['acute', 'ambulance']
    """
    from .methodology import load_methodology

    present = set(metrics.loc[metrics["quarter"] == quarter, "trust_type"])
    return [t for t in load_methodology(methodology).trust_types if t in present]


def with_next_methodology(methodology, following: str = "nof-2026-27") -> dict:
    """The one-switch variants of ``methodology`` plus the whole ``following`` methodology
    (the 2026/27 framework by default), for :func:`nhsrank.compare_variants`.

    ``following`` is left out when it is the methodology itself or cannot rank
    the same metrics (e.g. the A&E methodology).

    Examples
    --------
    >>> list(with_next_methodology("nof-2025-26"))[-1]
    'nof-2026-27'
    >>> "nof-2026-27" in with_next_methodology("ae-4hr")
    False
    """
    from .methodology import load_methodology
    from .variants import methodology_variants

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


__all__ = ["load_inputs", "quarters", "latest_quarter", "previous_quarter", "check_quarter", "trust_types", "header",
           "save_table", "save_chart", "save_outputs", "source_comparison", "trust_history", "with_next_methodology",
           "segment_counts",
           "top_of_table", "overrides_explained", "uncertainty_summary", "neighbours_sentence", "variant_summary",
           "metric_profile", "movement_summary", "SOURCE_SETS"]
