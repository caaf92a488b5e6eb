"""MetricAgreement: fields, a copy from to_frame(), summary() and matrix() from the table (issue 23)."""
import numpy as np
import pytest

from nhsrank.sensitivity import MetricAgreement
from nhsrank.sensitivity.agreement import agreement_matrix, metric_agreement
from result_checks import check_result
from sens_cases import Q1, frame
from support import MINI


def test_metric_agreement_fields_summary_and_matrix():
    a = metric_agreement(frame(), Q1, "acute", MINI, min_trusts=3)
    assert isinstance(a, MetricAgreement)
    check_result(a, ["table", "exclusions", "methodology", "quarter", "trust_type", "by"])
    assert a.by == "metric" and list(a.exclusions["trust_code"]) == ["F"]
    s = a.summary()
    assert s["n_pairs"] == 3 == len(a.table)
    assert s["n_correlated"] == a.table["spearman"].notna().sum()
    assert s["median_spearman"] == pytest.approx(a.table["spearman"].median())
    # M1 and M2 on A-D (tests/test_agreement.py): ranks (1, 2.5, 2.5, 4) against (1, 2, 3, 4)
    m = a.matrix("spearman")
    assert m.loc["M2", "M1"] == pytest.approx(4.5 / np.sqrt(22.5))
    assert m.equals(agreement_matrix(a.table))


def test_a_single_metric_has_no_pairs_and_says_so():
    import nhsrank

    a = metric_agreement(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    s = a.summary()
    assert s["n_pairs"] == 0 and np.isnan(s["median_spearman"])
