"""The metric catalogue of NHS England's acute file (nhsrank.rules.methodology): each metric listed once, an old layout
read into it (issue 18)."""
from __future__ import annotations

import pytest

import nhsrank
from nhsrank.errors import MethodologyError
from nhsrank.rules.methodology import _as_catalogue

NOF = nhsrank.load_methodology("nof-2025-26")


def test_each_metric_is_listed_once_with_the_types_that_report_it():
    cat = NOF.catalogue()
    assert cat["metric_id"].is_unique
    by = cat.set_index("metric_id")["reported_by"]
    assert set(by["OF0082"]) == {"acute", "non-acute", "ambulance"}
    assert set(by["OF0005"]) == {"acute", "non-acute"} and set(by["OF0028"]) == {"ambulance", "acute"}
    # the type's usual list is the catalogue filtered, in catalogue order
    assert list(NOF.metrics("non-acute")["metric_id"]) == [m for m, r in by.items() if "non-acute" in r]


def test_an_old_layout_file_is_read_into_the_catalogue_and_disagreements_are_refused():
    old = {"trust_types": {"a": {"metrics": [{"id": "X", "domain": "d", "synthetic": {"mean": 1}}]},
                           "b": {"metrics": [{"id": "X", "domain": "d", "synthetic": {"mean": 2}}]}}}
    cfg = _as_catalogue(old, "test.yaml")
    assert cfg["metrics"] == [{"id": "X", "domain": "d", "reported_by": ["a", "b"],
                               "synthetic": {"a": {"mean": 1}, "b": {"mean": 2}}}]
    assert "metrics" not in cfg["trust_types"]["a"]
    clash = {"trust_types": {"a": {"metrics": [{"id": "X", "domain": "d"}]},
                             "b": {"metrics": [{"id": "X", "domain": "e"}]}}}
    with pytest.raises(MethodologyError, match="defined differently under a and b"):
        _as_catalogue(clash, "test.yaml")
