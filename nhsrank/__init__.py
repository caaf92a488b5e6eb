"""nhsrank: NHS Oversight Framework league tables, and how much of each position is noise.

Examples
--------
>>> import nhsrank
>>> metrics, attributes = nhsrank.load_bundled()   # SYNTHETIC data
>>> table = nhsrank.league_table(metrics, "2025-26-Q1", "acute", attributes=attributes)
>>> table[["trust_code", "segment", "league_position"]].head(3)  # doctest: +SKIP
"""
from importlib.metadata import PackageNotFoundError, version

from .ae import read_ae_attendances
from .errors import InputError, MethodologyError
from .io import load_bundled, read_attributes, read_metrics
from .league import league_table, league_tables
from .methodology import Methodology, available_methodologies, load_methodology
from .pipeline import PeerGroup, peer_group, run_pipeline
from .scoring import average_metric_score, rank_scores, score_array, threshold_scores
from .segmentation import apply_overrides, league_positions, quantile_segments, segment, threshold_segments
from .uncertainty import Replicates, UncertaintyWarning, bootstrap, rank_uncertainty
from .ranksets import Pairwise, adjacent_pairs, simultaneous_rank_sets, wilson_interval
from .agreement import agreement_matrix, metric_agreement, rankability
from .funnel import funnel_limits
from .movement import distance_to_next_segment, quarter_movement, segment_transitions
from .variants import compare_variants, leave_one_out, leave_one_out_summary, methodology_monte_carlo, methodology_variants

try:
    __version__ = version("nhsrank")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = [
    "InputError", "MethodologyError", "Methodology", "PeerGroup",
    "available_methodologies", "load_methodology", "load_bundled", "read_metrics", "read_attributes",
    "read_ae_attendances", "league_table", "league_tables", "peer_group", "run_pipeline",
    "rank_scores", "threshold_scores", "score_array", "average_metric_score",
    "quantile_segments", "threshold_segments", "segment", "apply_overrides", "league_positions",
    "Replicates", "UncertaintyWarning", "bootstrap", "rank_uncertainty",
    "Pairwise", "adjacent_pairs", "simultaneous_rank_sets", "wilson_interval",
    "metric_agreement", "agreement_matrix", "rankability", "funnel_limits",
    "distance_to_next_segment", "segment_transitions", "quarter_movement",
    "methodology_variants", "compare_variants", "methodology_monte_carlo", "leave_one_out", "leave_one_out_summary",
    "__version__",
]
