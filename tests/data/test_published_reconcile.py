"""Reconciling our table with NHS England's published one (nhsrank.data.published.reconcile), on NHS England's own
files."""
from __future__ import annotations

import warnings

import numpy as np

from nhsrank.data.published import reconcile
from nhsrank.data.readers import DATA_DIR

DATA = DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv"
LEAGUE = DATA_DIR / "nhs-england" / "nof-mh-community-trust-league-table-2025-26-q4.csv"


def test_reconcile_counts_agreement_and_lists_disagreements():
    result = reconcile(DATA, league_table_file=LEAGUE)
    rec = result.table
    s = result.summary().set_index(["quarter", "figure"])
    assert int(s.loc[("2025-26-Q4", "segment"), "agree"]) >= 59
    assert int(s.loc[("2025-26-Q4", "league_position"), "agree"]) >= 56
    # real disagreements come first, rounding differences after them
    kinds = rec["kind"].tolist()
    assert kinds.index("rounding") > max(i for i, k in enumerate(kinds) if k == "disagrees")
    # staff-survey and finance-threshold scores are computed, and agree with NHS England's
    comp = rec[(rec["source"] == "computed") & rec["figure"].isin(["score_OF0061", "score_OF0084", "score_OF0079",
                                                                    "score_OF0081"])]
    assert len(comp) == 4 * 244 and comp["agrees"].all()
    bad = rec[rec["agrees"].eq(False)]
    assert (bad["difference"].abs() <= 2 + 1e-9).all() and (bad["note"].str.len() > 0).any()


def test_reconcile_from_python_compares_ranks_whatever_the_file_is_called(tmp_path):
    renamed = tmp_path / "downloaded.csv"
    renamed.write_bytes(DATA.read_bytes())
    rec = reconcile(renamed, quarter="2025-26-Q4").table
    pos = rec[rec["figure"] == "league_position"]
    assert len(pos) == 61 and int(pos["agrees"].sum()) >= 56     # the Rank of the OF5000 rows


def test_reconcile_rows_carry_the_published_figure_beside_the_computed_one():
    """Every row compares a figure NHS England published: its value is in ``published`` and the difference is
    computed minus published (a row without its published value once printed "NHS England none")."""
    from nhsrank.data.published import reconcile
    from nhsrank.data.readers import NHS_ENGLAND_DATA

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rec = reconcile(list(NHS_ENGLAND_DATA), "2025-26-Q1").table
    assert len(rec) > 1000 and rec["published"].notna().all()
    both = rec["computed"].notna()
    assert np.allclose(rec.loc[both, "computed"] - rec.loc[both, "published"], rec.loc[both, "difference"])
