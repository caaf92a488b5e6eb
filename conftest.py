"""pytest settings for the whole repo: every notebook cell collected by nbval (notebooks/) is a slow test.

``make test`` runs nbval on this folder (pyproject: testpaths, ``--nbval-lax``);
``make test-fast`` (``-m "not slow ..."``) leaves the notebooks out.
"""
import pytest

from support import NO_ATTRIBUTES  # tests/support.py (pyproject: pythonpath = ["tests"])


#: nhsrank's note on a table ranked without trust attributes (its data publish no flags), which the doctests
#: named here meet on purpose: their examples rank the bundled A&E data or small tables, which carry no
#: attributes, and are about something else (the note itself: tests/data/test_readers_attributes.py). Warnings
#: are errors everywhere else (pyproject.toml); a doctest not named here that meets the note fails.
DOCTESTS_WITHOUT_ATTRIBUTES = {
    "nhsrank.report.sensitivity_charts",
    "nhsrank.report.summaries.funnel_view",
    "nhsrank.rules.pipeline.ReplicatePipeline",
    "nhsrank.sensitivity.agreement.MetricAgreement",
    "nhsrank.sensitivity.agreement.metric_agreement",
    "nhsrank.sensitivity.agreement.rankability",
    "nhsrank.sensitivity.funnel.FunnelLimits",
    "nhsrank.sensitivity.funnel.funnel_limits",
    "nhsrank.sensitivity.movement.SegmentDistance",
    "nhsrank.sensitivity.movement.SegmentTransitions",
    "nhsrank.sensitivity.movement.distance_to_next_segment",
    "nhsrank.sensitivity.movement.segment_transitions",
    "nhsrank.sensitivity.variants.LeaveOneOut",
    "nhsrank.sensitivity.variants.MonteCarloResult",
    "nhsrank.sensitivity.variants.VariantComparison",
    "nhsrank.sensitivity.variants.compare_variants",
    "nhsrank.sensitivity.variants.leave_one_out",
    "nhsrank.sensitivity.variants.methodology_monte_carlo",
    "nhsrank.sensitivity.variants.variant_group",
    "nhsrank.uncertainty.bootstrap.bootstrap",
    "nhsrank.uncertainty.bootstrap.cached_bootstrap",
    "nhsrank.uncertainty.bootstrap.rank_uncertainty",
    "nhsrank.uncertainty.models.draw_values",
    "nhsrank.uncertainty.models.sampling_model",
    "nhsrank.uncertainty.prior.empirical_bayes_world",
    "nhsrank.uncertainty.ranksets.Pairwise",
    "nhsrank.uncertainty.ranksets.value_ordered_metric",
    "nhsrank.uncertainty.result.RankUncertainty",
    "nhsrank.uncertainty.result.RankUncertainty.summary",
    "nhsrank.uncertainty.sources.choose_sources",
    "nhsrank.uncertainty.sources.not_meaningful",
    "nhsrank.uncertainty.sources.redrawn_trusts",
    "nhsrank.uncertainty.sources.source_support",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
        elif isinstance(item, pytest.DoctestItem) and item.name in DOCTESTS_WITHOUT_ATTRIBUTES:
            item.add_marker(pytest.mark.filterwarnings(NO_ATTRIBUTES))


# tests/data/ holds the tests of nhsrank/data/ and, in its subfolders and make_*.py scripts, fixtures
# (stand-in and deliberately broken notebooks for the report runner's tests, the file corpus and the
# scripts that made them), not tests: neither nbval nor the doctests may collect those.
collect_ignore_glob = ["tests/data/*/*", "tests/data/make_*.py"]
