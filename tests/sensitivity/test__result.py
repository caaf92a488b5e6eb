"""nhsrank.sensitivity._result: TableResult, the base every sensitivity result of one table extends.

Each result object is checked through it in tests/sensitivity/test_*_results.py (result_checks.check_result);
here the base itself and what every subclass inherits."""
import dataclasses

import pandas as pd

import nhsrank.sensitivity as sensitivity
from nhsrank.sensitivity._result import TableResult, about
from result_checks import check_result
from support import acute_group

BASE = ["table", "exclusions", "methodology", "quarter", "trust_type"]


def test_table_result_is_a_frozen_result_with_a_plain_copy():
    r = TableResult(pd.DataFrame({"trust_code": ["A", "B"]}), pd.DataFrame(columns=["trust_code", "reason"]),
                    "nof-2025-26", "2025-26-Q1", "acute")
    check_result(r, BASE)


def test_every_table_result_of_the_sensitivity_stage_starts_with_the_shared_fields():
    subclasses = [obj for obj in vars(sensitivity).values()
                  if isinstance(obj, type) and issubclass(obj, TableResult) and obj is not TableResult]
    assert {c.__name__ for c in subclasses} >= {"MetricAgreement", "FunnelLimits", "SegmentDistance",
                                                "VariantComparison", "LeaveOneOut"}
    for cls in subclasses:
        names = [f.name for f in dataclasses.fields(cls)]
        assert names[:len(BASE)] == BASE, cls.__name__
        assert cls.__dataclass_params__.frozen, cls.__name__
        # each subclass documents the fields again (its own docstring, not only the base's)
        for name in BASE:
            assert f"{name} : " in cls.__doc__, (cls.__name__, name)


def test_about_gives_the_fields_of_a_peer_group_and_a_copy_of_its_exclusions():
    g = acute_group()
    fields = about(g)
    assert list(fields) == BASE[1:]
    assert (fields["methodology"], fields["quarter"], fields["trust_type"]) == ("nof-2025-26", "2025-26-Q1", "acute")
    assert fields["exclusions"].equals(g.exclusions) and fields["exclusions"] is not g.exclusions
    assert len(g.exclusions)                                        # the bundled data exclude two acute trusts
