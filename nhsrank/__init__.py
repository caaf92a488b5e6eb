"""nhsrank: NHS Oversight Framework league tables, and how much of each position is noise.

The package is laid out as the data flow (docs/ARCHITECTURE.md)::

    rules/         the NOF method as data and code: methodology files, scoring, segments, league tables
    data/          reading and checking inputs (published NOF files, canonical tables, A&E), synthetic data
    uncertainty/   sampling models, the bootstrap of the whole pipeline, rank sets
    sensitivity/   methodology variants, Monte Carlo, leave-one-out, agreement, movement, funnel plots
    report/        notebook views, charts, manifest, the papermill report builder
    cli/           the ``nhsrank`` command, one module per subcommand

Imports point one way, down that list read from the bottom: ``cli`` -> ``report`` ->
``sensitivity`` -> ``uncertainty`` -> ``data`` -> ``rules`` (tests/test_layout.py).

Examples
--------
>>> import nhsrank
>>> metrics, attributes = nhsrank.load_bundled()   # SYNTHETIC data
>>> result = nhsrank.league_table(metrics, "2025-26-Q1", "acute", attributes=attributes)
>>> result.table[["trust_code", "segment", "league_position"]].head(3)  # doctest: +SKIP
"""
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

from .errors import InputError, MethodologyError

try:
    __version__ = version("nhsrank")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

# The public names live in the stage subpackages; they are imported on first use (PEP 562), so
# `import nhsrank` is quick and changes nothing outside the package.
_LAZY = {
    **dict.fromkeys(["league_table", "league_tables", "peer_group", "load_bundled", "read_ae_attendances",
                     "read_attributes", "read_metrics"], "nhsrank.data"),
    **dict.fromkeys(["reconcile", "Reconciliation"], "nhsrank.data.published"),
    **dict.fromkeys(["LeagueTable", "LeagueTables", "Methodology", "PeerGroup", "apply_overrides",
                     "available_methodologies",
                     "average_metric_score", "league_positions", "load_methodology", "quantile_segments",
                     "rank_scores", "run_pipeline", "score_array", "segment", "threshold_scores",
                     "threshold_segments"], "nhsrank.rules"),
    **dict.fromkeys(["agreement_matrix", "compare_variants", "distance_to_next_segment", "funnel_limits",
                     "leave_one_out", "leave_one_out_summary", "methodology_monte_carlo", "methodology_variants",
                     "metric_agreement", "quarter_movement", "rankability", "segment_transitions",
                     "SegmentTransitions", "VariantComparison", "LeaveOneOut", "MetricAgreement", "SegmentDistance",
                     "QuarterMovement", "FunnelLimits", "MonteCarloResult"],
                    "nhsrank.sensitivity"),
    **dict.fromkeys(["Pairwise", "RankUncertainty", "Replicates", "UncertaintyWarning", "adjacent_pairs", "bootstrap",
                     "rank_uncertainty", "simultaneous_rank_sets", "wilson_interval"], "nhsrank.uncertainty"),
}


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'nhsrank' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "InputError", "MethodologyError", "LeagueTable", "LeagueTables", "Methodology", "PeerGroup",
    "available_methodologies", "load_methodology", "load_bundled", "read_metrics", "read_attributes",
    "read_ae_attendances", "reconcile", "Reconciliation", "league_table", "league_tables", "peer_group", "run_pipeline",
    "rank_scores", "threshold_scores", "score_array", "average_metric_score",
    "quantile_segments", "threshold_segments", "segment", "apply_overrides", "league_positions",
    "Replicates", "UncertaintyWarning", "bootstrap", "rank_uncertainty", "RankUncertainty",
    "Pairwise", "adjacent_pairs", "simultaneous_rank_sets", "wilson_interval",
    "metric_agreement", "agreement_matrix", "rankability", "funnel_limits",
    "distance_to_next_segment", "segment_transitions", "SegmentTransitions", "quarter_movement",
    "methodology_variants", "compare_variants", "methodology_monte_carlo", "leave_one_out", "leave_one_out_summary",
    "VariantComparison", "LeaveOneOut", "MetricAgreement", "SegmentDistance", "QuarterMovement", "FunnelLimits",
    "MonteCarloResult",
    "__version__",
]
