"""Sensitivity and methodology analysis of the NOF league tables: one import for all of it.

=====================================  ==========================================
:func:`methodology_variants`           the one-switch variants of a methodology
:func:`compare_variants`               every trust's segment/position under each
:func:`methodology_monte_carlo`        Monte Carlo over choices + Sobol indices
:func:`leave_one_out`                  re-rank without each metric / domain
:func:`leave_one_out_summary`          which removal moves most trusts across segments
:func:`metric_agreement`               Spearman/Kendall between metric rankings
:func:`rankability`                    signal share of each metric (and composite)
:func:`distance_to_next_segment`       smallest improvement to move up a segment
:func:`segment_transitions`            segment transition matrix between quarters
:func:`quarter_movement`               changes beyond bootstrap noise
:func:`movement_sentence`              what quarter_movement found, in words
:func:`funnel_limits`                  Spiegelhalter funnel limits, outliers listed
=====================================  ==========================================

Each analysis of a table returns a result object, a frozen dataclass with the rows in a plain
DataFrame and the rest in documented fields, ``to_frame()`` and ``summary()``:
:class:`VariantComparison`, :class:`MonteCarloResult`, :class:`LeaveOneOut`, :class:`MetricAgreement`,
:class:`SegmentDistance`, :class:`SegmentTransitions`, :class:`QuarterMovement`, :class:`FunnelLimits`
(``rankability`` a DataFrame).

See ``docs/sensitivity.md`` for the methods and how to use them in a notebook.
"""
from __future__ import annotations

from .agreement import MetricAgreement, agreement_matrix, metric_agreement, rankability, sampling_variance
from .funnel import FunnelLimits, funnel_curve, funnel_limits, overdispersion
from .movement import (QuarterMovement, SegmentDistance, SegmentTransitions, distance_to_next_segment,
                       movement_sentence, quarter_movement, segment_transitions)
from .variants import (
                       DEFAULT_THRESHOLDS,
                       LeaveOneOut,
                       MonteCarloResult,
                       VariantComparison,
                       as_group,
                       compare_variants,
                       default_choices,
                       evaluate_choices,
                       keeps_segmentation,
                       leave_one_out,
                       leave_one_out_summary,
                       methodology_monte_carlo,
                       methodology_variants,
                       variant_group,
)

__all__ = [
    "DEFAULT_THRESHOLDS", "MonteCarloResult", "as_group", "variant_group", "methodology_variants",
    "compare_variants", "VariantComparison", "default_choices", "evaluate_choices", "methodology_monte_carlo",
    "leave_one_out", "LeaveOneOut", "leave_one_out_summary", "metric_agreement", "MetricAgreement", "agreement_matrix",
    "rankability", "sampling_variance", "distance_to_next_segment", "SegmentDistance", "segment_transitions",
    "SegmentTransitions", "quarter_movement", "QuarterMovement", "movement_sentence",
    "keeps_segmentation",
    "funnel_limits", "FunnelLimits", "funnel_curve",
    "overdispersion",
]
