"""nhsrank.report.views: the inputs, header and output files of every notebook (papermill contract)."""


import nhsrank
from nhsrank.report import views as notebook


def test_with_next_methodology_adds_the_2026_27_rules_only_where_they_fit():
    v = notebook.with_next_methodology("nof-2025-26")
    assert list(v)[0] == "nominal" and v["nof-2026-27"].id == "nof-2026-27"
    assert v["nof-2026-27"].segmentation["method"] != nhsrank.load_methodology("nof-2025-26").segmentation["method"]
    assert "nof-2026-27" not in notebook.with_next_methodology("ae-4hr")     # other metrics: not comparable
    assert "nof-2026-27" not in notebook.with_next_methodology("nof-2026-27")


def test_notebook_module_re_exports_the_view_tables():
    from nhsrank.report import views

    for name in ("segment_counts", "top_of_table", "overrides_explained", "uncertainty_summary",
                 "neighbours_sentence", "source_comparison", "variant_summary", "metric_profile", "trust_history",
                 "movement_summary"):
        assert getattr(notebook, name) is getattr(views, name)
        assert name in notebook.__all__


