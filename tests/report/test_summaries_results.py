"""TrustHistory: fields, a copy from to_frame(), summary() from the table (issue 23)."""
from nhsrank.report.summaries import TrustHistory, trust_history
from result_checks import check_result


def test_trust_history_fields_and_summary(bundled):
    metrics, attributes = bundled
    h = trust_history(metrics, "SYN-B003", attributes=attributes, n_boot=20, seed=4)
    assert isinstance(h, TrustHistory)
    check_result(h, ["table", "trust_code", "sources", "n_boot", "seed"])
    assert (h.trust_code, h.n_boot, h.seed) == ("SYN-B003", 20, 4)
    assert h.sources == [("sampling",)]                # the SYNTHETIC data carry numerators
    s = h.summary()
    assert s.sum() == len(h.table) == metrics["quarter"].nunique()
    assert s.get("ranked", 0) == (h.table["status"] == "ranked").sum()


def test_an_unknown_trust_has_no_data_in_any_quarter(bundled):
    metrics, attributes = bundled
    h = trust_history(metrics, "NOPE", attributes=attributes, n_boot=10, seed=1)
    assert h.summary().to_dict() == {"no data": metrics["quarter"].nunique()} and h.sources == []
