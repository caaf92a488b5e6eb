"""The bootstrap's speed paths (nhsrank.uncertainty.bootstrap) give the same replicates as the general pipeline;
memory limits fail clearly; the replicate cache."""
import copy
import importlib

import numpy as np
import pytest
from support import acute_group

import nhsrank
from nhsrank.errors import InputError
from nhsrank.rules.pipeline import run_pipeline
from support import NO_ATTRIBUTES

bs = importlib.import_module("nhsrank.uncertainty.bootstrap")  # the module, not the function of that name
_ACUTE = acute_group()


class _Group:
    trust_type, quarter = "gp", "2025-26-Q1"


def test_bootstrap_memory_worked_example():
    # outputs: 1,000 x 30,000 x (2 x 8 + 3 x 4) bytes (replicate and true average scores, segments, positions);
    # working: 14 x 16 x 30,000 x 1 x 8 (the observed and the true values of a chunk, issue 20)
    assert bs.bootstrap_memory(1_000, 30_000, 1, 16) == 840_000_000 + 53_760_000
    assert bs.bootstrap_memory(10, 100, 2, 16, keep_values=True) == (10 * 100 * 28 + 2 * 10 * 100 * 2 * 8
                                                                     + 14 * 16 * 200 * 8)


def test_memory_error_says_how_much_and_what_to_lower():
    with pytest.raises(InputError) as e:
        bs._check_memory(1_000_000, 600_000, 1, 16, False, _Group(), available=8 * 2**30)
    msg = str(e.value)
    assert "GiB" in msg and "n_boot" in msg and "chunk_size" in msg and "gp 2025-26-Q1" in msg
    with pytest.raises(InputError, match="keep_values"):
        bs._check_memory(1_000, 6_500, 1, 16, True, _Group(), available=2**20)
    bs._check_memory(1_000, 6_500, 1, 16, False, _Group(), available=2**40)  # fits: no error


@pytest.mark.filterwarnings(NO_ATTRIBUTES)  # the A&E data: no trust attributes, on purpose
def test_bootstrap_bit_identical_to_sorting_with_nan(monkeypatch):
    """The +inf sort key changes nothing: same replicates as the plain NaN sort, for the same seed."""
    import nhsrank
    import nhsrank.rules.ranks as ranks

    g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    fast = bs.bootstrap(g, n_boot=64, seed=3, progress=False, n_jobs=1)
    monkeypatch.setattr(ranks, "_sort_key", lambda x: x)  # the straightforward path: argsort with NaN
    plain = bs.bootstrap(g, n_boot=64, seed=3, progress=False, n_jobs=1)
    for name in ("average_metric_score", "segment_before_adjustment", "segment", "league_position"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(plain, name), err_msg=name)


def test_bootstrap_pipeline_matches_general_pipeline_replicate_for_replicate():
    # chunking does not change the replicates
    rep = bs.bootstrap(_ACUTE, 64, seed=3, progress=False, sources=("sampling", "metrics"))
    again = bs.bootstrap(_ACUTE, 64, seed=3, progress=False, sources=("sampling", "metrics"), chunk_size=16)
    np.testing.assert_array_equal(rep.position, again.position)
    # the general pipeline on the bootstrap's own values gives the same table
    only_sampling = bs.bootstrap(_ACUTE, 64, seed=3, progress=False, keep_values=True)
    want = run_pipeline(only_sampling.values, _ACUTE, keep_scores=False)
    np.testing.assert_array_equal(only_sampling.position, want["league_position"])
    np.testing.assert_array_equal(only_sampling.avg, want["average_metric_score"])


@pytest.mark.filterwarnings(NO_ATTRIBUTES)  # the A&E data: no trust attributes, on purpose
def test_rank_uncertainty_shares_replicates_through_the_cache(tmp_path, monkeypatch):
    g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    plain_res = bs.rank_uncertainty(g, n_boot=120, seed=4, progress=False)
    plain = plain_res.table
    monkeypatch.setenv(bs.CACHE_ENV, str(tmp_path / "cache"))
    calls = []
    real = bs.bootstrap

    def counting(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(bs, "bootstrap", counting)
    first_res = bs.rank_uncertainty(g, n_boot=120, seed=4, progress=False)
    first = first_res.table
    second_res = bs.rank_uncertainty(g, n_boot=120, seed=4, progress=False)
    second = second_res.table
    other_seed_res = bs.rank_uncertainty(g, n_boot=120, seed=5, progress=False)
    other_seed = other_seed_res.table
    assert len(calls) == 2                       # seed 4 once (then read back), seed 5 once
    for u in (first, second):
        assert u.equals(plain)                   # read back bit for bit
    assert len(other_seed) == len(plain)
    assert len(list((tmp_path / "cache").glob("*.npz"))) == 2


def test_cache_key_changes_with_data_and_settings():
    g = _ACUTE
    k = bs.cache_key(g, 100, 1, ("sampling",), {})
    assert k == bs.cache_key(g, 100, 1, ("sampling",), {"n_jobs": 2})       # threads do not change replicates
    assert k != bs.cache_key(g, 100, 2, ("sampling",), {})
    assert k != bs.cache_key(g, 101, 1, ("sampling",), {})
    assert k != bs.cache_key(g, 100, 1, ("sampling", "metrics"), {})
    h = copy.copy(g)
    h.values = g.values.copy()
    h.values[0, 0] = 0.5 if g.values[0, 0] != 0.5 else 0.25
    assert k != bs.cache_key(h, 100, 1, ("sampling",), {})


@pytest.mark.filterwarnings(NO_ATTRIBUTES)  # the A&E data: no trust attributes, on purpose
def test_bootstrap_too_big_for_memory_is_a_clear_input_error(monkeypatch):
    g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    monkeypatch.setattr(bs, "_physical_memory", lambda: 2**20)          # a machine with 1 MiB
    with pytest.raises(InputError) as e:
        bs.bootstrap(g, 10_000, progress=False, n_jobs=2)
    msg = str(e.value)
    assert "GiB" in msg and "n_boot" in msg and "--chunk-size" in msg and "--jobs" in msg
