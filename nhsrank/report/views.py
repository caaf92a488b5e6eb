"""The names a notebook calls, in one namespace (``from nhsrank.report import views as notebook``); no code.

Each name lives in the file that does its job:

=====================  =====================================================================
:mod:`.inputs`         data, attributes, methodology, quarter, trust types, provenance header
:mod:`.parameters`     the parameters cell checked (a misspelt name refused)
:mod:`.summaries`      tables computed for the pages
:mod:`.sentences`      text written from the data it describes
:mod:`.saving`         tables (CSV) and charts (SVG, PNG, interactive HTML) written to ``output_dir``
:mod:`.tables`         tables as a reader sees them (readable headers, 2 dp scores, whole counts)
=====================  =====================================================================

Examples
--------
>>> from nhsrank.report import inputs
>>> read_inputs is inputs.read_inputs
True
"""
from __future__ import annotations

from .charts import trust_profile_chart
from .inputs import (
    DISPLAY_OPTIONS,
    SYNTHETIC,
    check_quarter,
    data_paths,
    default_quarter,
    header,
    latest_quarter,
    movement_quarters,
    one_trust_type,
    previous_quarter,
    profile_trust,
    quarters,
    read_inputs,
    table_types,
    trust_types,
    with_next_methodology,
)
from .inputs import notebook_display
from .parameters import NOTEBOOK_EXTRA_PARAMETERS, check_parameters
from .saving import INTERACTIVE_CHARTS, save_chart, save_outputs, save_table
from .sentences import (distance_view, intervals_explained, movement_sentence, neighbours_sentence,
                        override_counts, resampled_text, source_summary_text, trust_intervals_sentence)
from .tables import table
from .summaries import (SOURCE_SETS, funnel_view, sources_run, metric_profile, movement_summary, overrides_explained,
                        segment_counts, source_comparison, top_of_table, trust_history, uncertainty_summary,
                        variant_summary)

__all__ = [
    "DISPLAY_OPTIONS",
    "SYNTHETIC",
    "data_paths",
    "default_quarter",
    "read_inputs",
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
    "NOTEBOOK_EXTRA_PARAMETERS",
    "check_parameters",
    "SOURCE_SETS",
    "sources_run",
    "table",
    "segment_counts",
    "top_of_table",
    "overrides_explained",
    "uncertainty_summary",
    "source_comparison",
    "variant_summary",
    "metric_profile",
    "trust_history",
    "movement_summary",
    "funnel_view",
    "neighbours_sentence",
    "intervals_explained",
    "trust_intervals_sentence",
    "source_summary_text",
    "override_counts",
    "distance_view",
    "movement_sentence",
    "resampled_text",
    "INTERACTIVE_CHARTS",
    "save_table",
    "save_chart",
    "save_outputs",
    "trust_profile_chart",
    "notebook_display",
]
