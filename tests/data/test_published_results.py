"""Reconciliation: fields, a copy from to_frame(), summary() from the table (issue 23)."""
from nhsrank.data.published import Reconciliation, reconcile, reconcile_report, summarise_reconcile
from nhsrank.data.readers import DATA_DIR
from result_checks import check_result

FILE = DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv"


def test_reconciliation_fields_and_summary():
    r = reconcile(FILE, quarter="2025-26-Q4", league_table_file=None)
    assert isinstance(r, Reconciliation)
    check_result(r, ["table", "figures", "provenance", "methodology", "league_table_file"])
    assert r.methodology == "nof-2025-26" and r.league_table_file is None
    assert list(r.provenance) == ["non-acute 2025-26-Q4"] and "cut_points" in r.provenance["non-acute 2025-26-Q4"]
    s = r.summary()
    assert s.equals(summarise_reconcile(r.table)) and s is not r.figures
    assert s["compared"].sum() == (r.table["source"] == "computed").sum()
    assert s["taken"].sum() == (r.table["source"] == "taken").sum()
    # every one of the 61 trusts' final segments agrees with NHS England's (the module's example)
    seg = s.set_index("figure").loc["segment"]
    assert (int(seg["compared"]), int(seg["agree"])) == (61, 61)
    assert reconcile_report(r) == reconcile_report(r.table)
