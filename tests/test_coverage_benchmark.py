"""The coverage benchmark runs (a smoke test; the coverage figures themselves come from `make bench`)."""
import importlib.util
import sys
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))   # coverage.py imports benchmarks/peer.py
# benchmarks/coverage.py, loaded by path (a package named "coverage" may also be installed)
_spec = importlib.util.spec_from_file_location(
    "nhsrank_coverage_benchmark", Path(__file__).resolve().parents[1] / "benchmarks" / "coverage.py")
cov = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = cov
_spec.loader.exec_module(cov)


def test_competition_rank_ties_share_the_better_rank():
    assert cov.competition_rank([0.2, 0.1, 0.2, 0.5]).tolist() == [2, 1, 2, 4]


def test_every_design_runs_and_prints_one_table():
    df = cov.run(n_sims=2, n_boot=48, designs=["all 30 equal", "rates at 0% and 100%"])
    assert df["design"].tolist() == ["all 30 equal", "rates at 0% and 100%"]
    for col in ("marg", "sim", "score", "old_marg", "old_sim", "old_score", "likely"):
        assert df[col].between(0, 1).all(), col
    for col in ("w_marg", "w_sim", "w_old_marg", "w_old_sim"):
        assert df[col].between(1, 40).all(), col
    text = cov.format_table(df)
    assert len(text.splitlines()) == 2 + len(df)
    assert "rates at 0% and 100%" in text


def test_pipeline_truth_is_the_rules_on_the_true_rates(tmp_path):
    rng = np.random.default_rng(0)
    p, den = cov._pipeline_design("rates at 0% and 100%", rng)
    assert (p[:8] == 1).all() and (p[8:12] == 0).all()
    meth = cov._methodology_file(tmp_path, 1)
    import nhsrank
    g = nhsrank.peer_group(cov._frame(p * den, den), "2025-26-Q1", "acute", meth)
    avg = g.run()["average_metric_score"]
    # the eight trusts truly at 100% tie for the best score, 1.00
    assert np.allclose(avg[:8], 1.0) and (avg[8:] > 1.0).all()
