"""The report's runner: every job's result comes back under its own index; the bootstrap cache is set and undone."""
import os

from nhsrank.report import execute
from nhsrank.report.plan import Job


def _jobs():
    return [Job("reconcile", "reconcile", None, {}), Job("sensitivity", "sensitivity-acute", "acute", {}),
            Job("league_table", "league_table", None, {})]


def test_run_jobs_returns_each_result_under_its_index_and_sets_the_cache_only_while_running(monkeypatch, tmp_path):
    seen = []

    def fake(job, out_dir, notebooks_dir, synthetic, quarter):
        seen.append(os.environ.get(execute.CACHE_ENV))
        return execute.JobResult(job, True, 0.0)

    monkeypatch.setattr(execute, "run_job", fake)
    monkeypatch.delenv(execute.CACHE_ENV, raising=False)
    jobs = _jobs()
    out = dict(execute.run_jobs(jobs, tmp_path, tmp_path, True, "2025-26-Q1", workers=1, cache_dir=tmp_path / "c"))
    assert sorted(out) == [0, 1, 2]
    assert all(out[i].job is jobs[i] for i in out)
    assert seen == [str(tmp_path / "c")] * 3
    assert execute.CACHE_ENV not in os.environ


def test_default_workers_is_two_at_most():
    assert 1 <= execute.default_workers() <= 2
