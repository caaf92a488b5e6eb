"""How much of a league table is signal: bootstrap the whole pipeline, then read rank sets off it.

=====================================  ==========================================
:func:`sampling_model`                 how each metric value is redrawn (models.py)
:func:`bootstrap`                      replicates of the whole pipeline (bootstrap.py)
:func:`rank_uncertainty`               per trust: rank interval, segment chances, ...
:class:`RankUncertainty`               its result: the per-trust table and the rest (result.py)
:func:`simultaneous_rank_sets`         rank sets valid for all trusts at once (ranksets.py)
:func:`adjacent_pairs`                 do neighbours in the table really differ?
:class:`Pairwise`                      P(trust a ranks above trust b) and tests
:func:`rankability_from_replicates`    share of the spread that is signal
:func:`wilson_interval`                a binomial proportion's interval
:func:`rank_bands`                     tiers the simultaneous sets cannot separate (bands.py)
:class:`RankBands`                     its result: the per-trust bands, how many, why none
=====================================  ==========================================

See ``docs/uncertainty.md`` for which question each answers.
"""
from __future__ import annotations

from .bands import RankBands, band_summary, rank_bands
from .bootstrap import BLOCK, SOURCES, Replicates, bootstrap, default_chunk_size, rank_uncertainty
from .models import SamplingModel, UncertaintyWarning, sampling_model
from .ranksets import (Pairwise, adjacent_pairs, holm, pairs_headline, rankability_from_replicates,
                       simultaneous_rank_sets, summarise, value_intervals, wilson_interval)
from .result import RankUncertainty

__all__ = [
    "bootstrap", "rank_uncertainty", "RankUncertainty", "sampling_model", "Replicates", "SamplingModel", "BLOCK",
    "SOURCES",
    "UncertaintyWarning", "default_chunk_size", "Pairwise", "adjacent_pairs", "pairs_headline", "holm",
    "rankability_from_replicates",
    "simultaneous_rank_sets", "summarise", "value_intervals", "wilson_interval", "rank_bands", "RankBands",
    "band_summary",
]
