"""The NOF method as data and code: methodology files, then score, average, segment, override, rank.

=====================================  ==========================================
``methodologies/*.yaml``               the rules of each year, as data (SCHEMA.md)
:func:`load_methodology`               read and check one (methodology.py)
:func:`check_metrics_for_methodology`  does a table fit the rules? (checks.py)
:func:`normalise_quarter`              '2025/26 Q1' -> '2025-26-Q1' (quarters.py)
:func:`min_ranks`, :func:`average_ranks`  rank helpers (ranks.py)
:func:`score_array`                    step 1: metric scores 1.00-4.00 (scoring.py)
:func:`average_metric_score`           step 2: the average, and domain means
:func:`segment`                        step 3: segments 1-4 (segmentation.py)
:func:`apply_overrides`                the financial-deficit cap and segment 5
:func:`league_positions`               step 4: rank on (segment, average score)
:func:`peer_group`, :func:`run_pipeline`  one table as arrays; the whole chain (pipeline.py)
:func:`league_table`                   the DataFrame users see (league.py)
=====================================  ==========================================

These functions take tables already read by :func:`nhsrank.read_metrics`;
``nhsrank.league_table`` and ``nhsrank.peer_group`` also take a path.
"""
from __future__ import annotations

from .checks import check_metrics_for_methodology
from .league import EXCLUSION_COLUMNS, LeagueTable, LeagueTables, league_table, league_tables
from .methodology import DEFAULT_METHODOLOGY, Methodology, available_methodologies, load_methodology
from .pipeline import PeerGroup, peer_group, resolve_quarter, run_pipeline
from .quarters import normalise_quarter
from .ranks import average_ranks, min_ranks
from .scoring import average_metric_score, domain_means, rank_scores, score_array, threshold_scores
from .segmentation import (
    SCORE_DECIMALS,
    apply_overrides,
    league_positions,
    quantile_segments,
    segment,
    threshold_segments,
)

__all__ = [
    "check_metrics_for_methodology", "EXCLUSION_COLUMNS", "LeagueTable", "LeagueTables", "league_table",
    "league_tables", "DEFAULT_METHODOLOGY",
    "Methodology", "available_methodologies", "load_methodology", "PeerGroup", "peer_group", "resolve_quarter",
    "run_pipeline", "normalise_quarter", "average_ranks", "min_ranks", "average_metric_score", "domain_means",
    "rank_scores", "score_array", "threshold_scores", "SCORE_DECIMALS", "apply_overrides", "league_positions",
    "quantile_segments", "segment", "threshold_segments",
]
