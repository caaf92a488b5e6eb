"""How much of a league table is signal: a bootstrap of the whole NOF pipeline.

:func:`bootstrap` redraws the inputs of one league table many times and
re-runs every step of the rules on each replicate (score every metric against
the peers, average, quartile into segments, apply the financial-deficit cap
and the PIP segment, rank). :func:`rank_uncertainty` turns the replicates into
what a reader needs, per trust: a rank interval, segment probabilities, which
neighbours it really differs from, simultaneous rank sets and the
rankability of the table. The statistics themselves live in
:mod:`nhsrank.uncertainty.ranksets`; the sampling models in
:mod:`nhsrank.uncertainty.models`.

Sources of uncertainty (``sources=``, any combination):

``"sampling"``
    a resampling world that can hold ties (:mod:`nhsrank.uncertainty.prior`):
    each metric's true values get an empirical-Bayes (NPMLE) prior across the
    trusts; every replicate draws each trust's true value from its posterior
    and then an observation of it from the methodology's ``sampling`` model
    (``binomial``: numerator ~ Binomial(denominator, p); ``poisson``: count ~
    Poisson; ``normal``: true value + standard_error * Z; values kept in
    percent or per 1,000 stay in their unit). The pipeline runs on both: the
    observations give the replicate's table, the truth its
    ``true_average_metric_score`` (scored with the methodology's own weights),
    and the rank sets read the difference. Metrics with ``sampling: none``
    stay fixed. A value that lacks what its model needs (e.g. a
    ``binomial`` value without a denominator) stays fixed too, with a warning
    listing the trust and metric (``on_missing="raise"`` makes it an error).
``"metrics"``
    the set of metrics resampled with replacement: a metric drawn k times
    counts k times in the average (how much the table depends on which
    metrics were picked).
``"scores"``
    NHS England's own "likely range" method: each trust's own metric scores
    resampled with replacement, re-segmented with the quarter's fixed cut points
    (:mod:`nhsrank.uncertainty.likely_range`). It stands alone.
``"weights"``
    metric weights drawn from a Dirichlet distribution around equal weights
    (``dirichlet_alpha`` per metric; 1 = every weighting equally likely,
    larger = closer to equal weights).

Reproducibility: replicate ``r`` belongs to block ``r // BLOCK`` and every
block draws from its own generator, ``SeedSequence(seed).spawn(n_blocks)``
(each split again into one stream per source). So the same seed gives the
same replicates whatever ``chunk_size`` and ``n_jobs`` are, the first 1,000
replicates of a 10,000-replicate run are those of a 1,000-replicate run, and
adding the ``weights`` source does not change the sampling draws.
"""
from __future__ import annotations

import os
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from ..defaults import DEFAULT_METHODOLOGY
from ..errors import InputError
from ..outputs import write_atomic
from ..shared_cache import CACHE_ENV, cache_folder, key_of, shared_result
from ..data.inputs import as_attributes, as_metrics
from ..rules.pipeline import PeerGroup, ReplicatePipeline, peer_group, run_pipeline
from .likely_range import score_bootstrap
from .prior import World, draw_world, empirical_bayes_world
from .models import (_BINOMIAL, _FIXED, _NORMAL, _POISSON, Replicates, SamplingModel,  # noqa: F401
                     UncertaintyWarning, draw_values, sampling_model)
from .ranksets import summarise, value_ordered_metric
from .result import RankUncertainty

#: replicates per random-number block (fixed: changing it changes the draws)
BLOCK = 16
SOURCES = ("sampling", "metrics", "weights", "scores")
# default chunk: about this many (replicate, trust, metric) cells per pipeline call
_CHUNK_CELLS = 1 << 19


# --------------------------------------------------------------------------- replicates


def default_sources(group: PeerGroup) -> tuple:
    """The default source of uncertainty for a peer group: the one rule of
    :func:`nhsrank.uncertainty.sources.choose_sources` (``("scores",)``, NHS England's likely-range
    method, where the data cannot support a sampling bootstrap, as on NHS England's published files,
    which carry no numerators or standard errors; ``("sampling",)`` otherwise).
    """
    from .sources import choose_sources

    return choose_sources(group)


def _check_sources(sources) -> tuple:
    if isinstance(sources, str):
        sources = (sources,)
    sources = tuple(dict.fromkeys(sources))
    unknown = [s for s in sources if s not in SOURCES]
    if unknown or not sources:
        raise ValueError(f"sources: unknown source(s) {unknown}; choose one or more of {', '.join(SOURCES)}" if unknown
                         else f"sources: choose at least one source of {', '.join(SOURCES)}")
    if "scores" in sources and len(sources) > 1:
        raise ValueError("sources: 'scores' (NHS England's likely-range method: each trust's own metric scores "
                         "resampled) stands alone; it does not combine with sampling, metrics or weights")
    return sources


def _draw_block(block_seed: np.random.SeedSequence, size: int, group: PeerGroup, world: World | None,
                sources: tuple, alpha: float, out: np.ndarray | None, truth: np.ndarray | None = None):
    """Draw one block of replicates: observed values into ``out`` and true values into ``truth`` (size, M*T,
    metric-major); returns the weights (size, M) or None."""
    # every block draws BLOCK replicates and keeps the first ``size``, so a
    # shorter run is a prefix of a longer one with the same seed
    ss_sampling, ss_metrics, ss_weights = block_seed.spawn(3)
    M = group.values.shape[1]
    weights = None
    if "sampling" in sources and world is not None:
        draw_world(world, np.random.default_rng(ss_sampling), size, truth, out, block=BLOCK)
    if "metrics" in sources:
        rng = np.random.default_rng(ss_metrics)
        picks = rng.integers(0, M, size=(BLOCK, M))[:size]
        counts = np.bincount((picks + M * np.arange(size)[:, None]).ravel(), minlength=size * M)
        weights = counts.reshape(size, M).astype(float)
    if "weights" in sources:
        rng = np.random.default_rng(ss_weights)
        w = rng.dirichlet(np.full(M, float(alpha)), size=BLOCK)[:size] * M
        weights = w if weights is None else weights * w
    return weights


def default_chunk_size(n_trusts: int, n_metrics: int) -> int:
    """Replicates per pipeline call: about 2**19 cells, a whole number of blocks (at least one).

    Parameters
    ----------
    n_trusts : int
        Trusts in the table.
    n_metrics : int
        Metrics in the table.

    Returns
    -------
    int
        Replicates per call, a multiple of :data:`BLOCK`.
    """
    per = max(1, n_trusts * max(1, n_metrics))
    return max(BLOCK, (_CHUNK_CELLS // per) // BLOCK * BLOCK)


def _physical_memory() -> int | None:
    """Bytes of physical memory of this machine, or None where the OS does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def bootstrap_memory(n_boot: int, n_trusts: int, n_metrics: int, chunk: int, keep_values: bool = False,
                     jobs: int = 1) -> int:
    """Bytes :func:`bootstrap` needs: the (R, T) outputs plus about 14 (chunk, T, M) working arrays per thread.

    Examples
    --------
    >>> bootstrap_memory(1_000, 30_000, 1, 16) // 2**20  # 30,000 units x 1,000 replicates, in MiB
    852
    """
    # outputs: the replicate and true average scores (float64), segments and positions (float32);
    # working arrays: the observed and the true values of a chunk and what the pipeline makes of each
    out = n_boot * n_trusts * (2 * 8 + 3 * 4) + (2 * n_boot * n_trusts * n_metrics * 8 if keep_values else 0)
    return int(out + 14 * max(1, int(jobs)) * chunk * n_trusts * max(1, n_metrics) * 8)


def _check_memory(n_boot: int, T: int, M: int, chunk: int, keep_values: bool, group: PeerGroup,
                  available: int | None = None, jobs: int = 1) -> None:
    """Raise a clear InputError, before allocating, when the bootstrap cannot fit in memory."""
    available = _physical_memory() if available is None else available
    need = bootstrap_memory(n_boot, T, M, chunk, keep_values, jobs)
    if available is None or need <= available:
        return
    lower = "n_boot" + (" or set keep_values=False" if keep_values else "") + " or chunk_size (--chunk-size)" + (
        " or n_jobs (--jobs)" if jobs > 1 else "")
    raise InputError.from_records(f"bootstrap {group.trust_type} {group.quarter}", [{"column": "n_boot", "problem":
        f"{n_boot:,} replicates x {T:,} units x {M} metric(s) need about {need / 2**30:.1f} GiB of memory, "
        f"more than the {available / 2**30:.1f} GiB this machine has; lower {lower}"}])


def bootstrap(group: PeerGroup, n_boot: int = 10_000, seed: int = 1, sources=("sampling",), *,
              chunk_size: int | None = None, n_jobs: int | None = None, progress: bool = True,
              keep_values: bool = False, dirichlet_alpha: float = 1.0, on_missing: str = "warn") -> Replicates:
    """Re-run the whole NOF pipeline on ``n_boot`` redrawn versions of one league table.

    Every replicate re-scores every trust against its peers (scores are
    relative), averages, segments, applies the overrides and ranks, exactly
    as :func:`nhsrank.run_pipeline` does for the published table; replicates
    are processed in chunks (vectorised over replicates x trusts x metrics).

    Parameters
    ----------
    group : PeerGroup
        The table, from :func:`nhsrank.peer_group`.
    n_boot : int, default 10000
        Number of replicates.
    seed : int, default 1
        The same seed gives identical replicates whatever ``chunk_size`` and ``n_jobs``
        (see the module documentation).
    sources : str or tuple of str, default ("sampling",)
        What is redrawn: "sampling" (each value from its sampling model, in a world of true
        values drawn from an empirical-Bayes posterior), "metrics" (the metric set resampled),
        "weights" (Dirichlet metric weights), combinable; or "scores" alone (NHS England's
        likely-range method: each trust's own metric scores resampled, run by
        :func:`nhsrank.uncertainty.likely_range.score_bootstrap`).
    chunk_size : int or None, default None
        Replicates per pipeline call (rounded up to a multiple of :data:`BLOCK`); None: about
        2**19 trust-metric cells per call, which bounds memory whatever ``n_boot``.
    n_jobs : int or None, default None
        Threads (NumPy releases the GIL in sorting and random draws); None: ``min(4, os.cpu_count())``.
    progress : bool, default True
        Show a progress bar (on a terminal).
    keep_values : bool, default False
        Also keep the replicate metric values (R, T, M), and the true values each replicate's
        world drew (``true_values``), e.g. for :func:`nhsrank.uncertainty.ranksets.value_intervals`;
        always kept for a table scored on one rank-scored metric
        (:func:`nhsrank.uncertainty.ranksets.value_ordered_metric`), whose rank sets read them.
    dirichlet_alpha : float, default 1.0
        Dirichlet concentration per metric for "weights".
    on_missing : {"warn", "raise", "ignore"}, default "warn"
        What to do with values lacking sampling inputs (see :func:`sampling_model`).

    Returns
    -------
    Replicates
        The replicate averages, segments and positions (R, T), with the settings.

    Examples
    --------
    >>> import nhsrank
    >>> g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    >>> rep = bootstrap(g, n_boot=200, seed=1, progress=False)
    >>> rep.league_position.shape == (200, len(g.trusts))
    True
    """
    with warnings.catch_warnings():   # tqdm.auto warns once on import in a kernel without ipywidgets
        warnings.filterwarnings("ignore", message="IProgress not found")   # and falls back to text bars
        from tqdm.auto import tqdm

    sources = _check_sources(sources)
    n_boot = int(n_boot)
    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, got {n_boot}")
    if ("metrics" in sources or "weights" in sources) and group.methodology.aggregation != "mean_of_metrics":
        raise InputError.from_records(group.methodology.id, [{"column": "aggregation", "problem":
            "the 'metrics' and 'weights' sources need aggregation mean_of_metrics, "
            f"not {group.methodology.aggregation}"}])
    model = sampling_model(group, on_missing) if "sampling" in sources else None
    fixed = model.fixed_cells if model is not None else pd.DataFrame(
        columns=["trust_code", "metric_id", "sampling", "reason"])
    T, M = group.values.shape
    chunk = default_chunk_size(T, M) if chunk_size is None else int(chunk_size)
    chunk = max(BLOCK, -(-chunk // BLOCK) * BLOCK)
    jobs = min(4, os.cpu_count() or 1) if n_jobs is None else max(1, int(n_jobs))
    # a table scored on one rank-scored metric: its rank sets are read off the values (ranksets.summarise)
    keep_values = bool(keep_values) or ("sampling" in sources and model is not None
                                        and value_ordered_metric(group) is not None)
    _check_memory(n_boot, T, M, chunk, keep_values, group, jobs=jobs)
    n_blocks = -(-n_boot // BLOCK)
    block_seeds = np.random.SeedSequence(seed).spawn(n_blocks)
    avg = np.empty((n_boot, T))
    seg0 = np.empty((n_boot, T), dtype=np.float32)
    seg = np.empty((n_boot, T), dtype=np.float32)
    pos = np.empty((n_boot, T), dtype=np.float32)
    vals_out = np.empty((n_boot, T, M)) if keep_values else None
    true_vals = np.empty((n_boot, T, M)) if keep_values and "sampling" in sources and model is not None else None
    observed = run_pipeline(group.values, group, keep_scores=True)

    resample = "sampling" in sources and model is not None
    pipe = ReplicatePipeline(group, moving=(model.kind != _FIXED).any(axis=0) if resample
                             else np.zeros(M, dtype=bool))
    world = None
    if resample:
        world = empirical_bayes_world(model, M)
        world.cells = (world.cells % M) * T + world.cells // M      # metric-major, as the values are laid out
    observed_mt = np.ascontiguousarray(group.values.T).ravel()
    true_avg = np.empty((n_boot, T)) if resample else None

    interrupted = threading.Event()    # Ctrl-C: the chunks still queued return at once

    def work(start: int) -> int:
        if interrupted.is_set():
            return 0
        stop = min(start + chunk, n_boot)
        n = stop - start
        values = truth = None
        if resample:
            values = np.empty((n, M * T))
            values[:] = observed_mt
            truth = values.copy()
        ws = []
        for b in range(start // BLOCK, -(-stop // BLOCK)):
            lo, hi = b * BLOCK, min((b + 1) * BLOCK, n_boot)
            ws.append(_draw_block(block_seeds[b], hi - lo, group, world, sources, dirichlet_alpha,
                                  None if values is None else values[lo - start:hi - start],
                                  None if truth is None else truth[lo - start:hi - start]))
        weights = np.concatenate(ws) if ws[0] is not None else None
        values = None if values is None else values.reshape(n, M, T)
        res = pipe(values, weights)
        if resample:
            # the replicate's own truth, scored by the same rules with the methodology's weights
            true_avg[start:stop] = pipe(truth.reshape(n, M, T), None, average_only=True)["average_metric_score"]
        avg[start:stop] = np.broadcast_to(res["average_metric_score"], (n, T))
        seg0[start:stop] = np.broadcast_to(res["segment_before_adjustment"], (n, T))
        seg[start:stop] = np.broadcast_to(res["segment"], (n, T))
        pos[start:stop] = np.broadcast_to(res["league_position"], (n, T))
        if keep_values:
            vals_out[start:stop] = (np.broadcast_to(group.values, (n, T, M)) if values is None
                                    else values.transpose(0, 2, 1))
            if true_vals is not None:
                true_vals[start:stop] = truth.reshape(n, M, T).transpose(0, 2, 1)
        return n

    starts = list(range(0, n_boot, chunk))
    with tqdm(total=n_boot, unit="rep", desc=f"bootstrap {group.trust_type} {group.quarter}",
              disable=None if progress else True, leave=False) as bar:
        if jobs == 1 or len(starts) == 1:
            for s in starts:
                bar.update(work(s))
        else:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                try:
                    for n in pool.map(work, starts):
                        bar.update(n)
                except BaseException:
                    interrupted.set()
                    raise
    return Replicates(group, observed, avg, seg0, seg, pos, vals_out, fixed, n_boot, seed, sources,
                      float(dirichlet_alpha), true_avg, true_vals)


# --------------------------------------------------------------------------- replicates shared between pages

#: environment variable: a folder where :func:`cached_bootstrap` keeps replicates (the report sets it)
_ARRAYS = ("average_metric_score", "segment_before_adjustment", "segment", "league_position")
#: arrays a Replicates may hold, in the order of its fields after ``dirichlet_alpha``
_OPTIONAL = ("true_average_metric_score", "true_values", "score_se", "observed_score_se")


def cache_key(group: PeerGroup, n_boot: int, seed: int, sources: tuple, options: dict) -> str:
    """SHA-256 of everything a bootstrap depends on: the group's arrays (the data), its metrics and
    methodology, trust type, quarter, seed, replicates, sources, options and the nhsrank version."""
    import hashlib
    import json
    from importlib.metadata import PackageNotFoundError, version

    try:
        __version__ = version("nhsrank")
    except PackageNotFoundError:   # run from a source tree that is not installed
        __version__ = "source"

    h = hashlib.sha256()
    for name in ("values", "numerator", "denominator", "standard_error", "deficit", "pip", "included", "pool",
                 "cut_points", "published_scores", "take_published"):
        a = getattr(group, name, None)
        if a is None:
            h.update(f"{name}:none;".encode())
            continue
        a = np.ascontiguousarray(a)
        h.update(f"{name}:{a.dtype}:{a.shape};".encode())
        h.update(a.tobytes())
    h.update(group.metrics.to_json(default_handler=str).encode())
    h.update(group.trusts.to_json().encode())
    h.update(json.dumps(group.methodology.config, sort_keys=True, default=str).encode())
    h.update(repr((group.methodology.id, group.trust_type, group.quarter, int(n_boot), int(seed), tuple(sources),
                   sorted((k, repr(v)) for k, v in options.items() if k not in ("n_jobs", "chunk_size")),
                   BLOCK, __version__, "empirical-Bayes world 1, studentised scores")).encode())
    return h.hexdigest()


def cached_bootstrap(fn, group: PeerGroup, n_boot: int, seed: int, sources: tuple, *, progress: bool = True,
                     cache_dir=None, **options) -> Replicates:
    """``fn(group, n_boot, seed, ...)`` (:func:`bootstrap` or the likely-range bootstrap), computed once per
    cache folder and shared: the report's pages reuse one another's replicates.

    ``cache_dir`` (default: the folder named by the ``NHSRANK_BOOTSTRAP_CACHE`` environment variable,
    which the report sets to a folder inside its staging folder, never beside an input file): None
    computes without a cache. The key is :func:`cache_key`; a lock makes a second process wait for the
    first instead of computing the same replicates again. Replicates read back are the ones computed
    (the same arrays, bit for bit).

    Examples
    --------
    >>> import nhsrank, tempfile
    >>> g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     a = cached_bootstrap(bootstrap, g, 100, 1, ("sampling",), progress=False, cache_dir=d)
    ...     b = cached_bootstrap(bootstrap, g, 100, 1, ("sampling",), progress=False, cache_dir=d)
    >>> bool(np.array_equal(a.league_position, b.league_position, equal_nan=True))
    True
    """
    from pathlib import Path

    from filelock import FileLock

    cache_dir = cache_folder() if cache_dir is None else cache_dir
    call = (lambda: fn(group, n_boot, seed, sources, progress=progress, **options)) if fn is bootstrap else (
        lambda: fn(group, n_boot, seed, progress=progress, **options))
    if not cache_dir:
        return call()
    folder = Path(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    key = cache_key(group, n_boot, seed, sources, options)
    path = folder / f"{key}.npz"
    with FileLock(str(folder / f"{key}.lock")):
        if path.exists():
            with np.load(path, allow_pickle=False) as z:
                fixed = pd.read_json(__import__("io").StringIO(str(z["fixed_cells"])), orient="split")
                if fixed.empty:
                    fixed = pd.DataFrame(columns=["trust_code", "metric_id", "sampling", "reason"])
                observed = run_pipeline(group.values, group, keep_scores=True)
                return Replicates(group, observed, *(z[k] for k in _ARRAYS),
                                  z["values"] if "values" in z.files else None, fixed, int(n_boot), int(seed),
                                  tuple(sources), float(z["dirichlet_alpha"]),
                                  *(z[k] if k in z.files else None for k in _OPTIONAL))
        rep = call()
        arrays = {k: getattr(rep, k) for k in _ARRAYS}
        if rep.values is not None:
            arrays["values"] = rep.values
        for k in _OPTIONAL:
            if getattr(rep, k) is not None:
                arrays[k] = getattr(rep, k)

        def save(tmp):
            with open(tmp, "wb") as f:
                np.savez(f, fixed_cells=np.array(rep.fixed_cells.to_json(orient="split")),
                         dirichlet_alpha=np.array(rep.dirichlet_alpha), **arrays)

        write_atomic(path, save)
        return rep


# --------------------------------------------------------------------------- the user-facing table


def rank_uncertainty(data, quarter: str | None = None, trust_type: str | None = None, methodology=DEFAULT_METHODOLOGY,
                     attributes=None, n_boot: int = 10_000, seed: int = 1, sources=None,
                     level: float = 0.95, progress: bool = True, *, replicates: Replicates | None = None,
                     rank_sets: bool | None = None, max_memory_gb: float = 0.5,
                     **bootstrap_options) -> RankUncertainty:
    """Per trust: how far its league position and segment could move by chance.

    Runs :func:`bootstrap` (or uses given ``replicates``) and summarises.

    Parameters
    ----------
    data : pandas.DataFrame, str, pathlib.Path or PeerGroup
        The metrics (as :func:`nhsrank.league_table` takes them), or a table already built.
    quarter : str or None, default None
        The quarter; None if the data hold one.
    trust_type : str or None, default None
        The table's trust type; None: the only type in the quarter.
    methodology : str, pathlib.Path or Methodology, default "nof-2025-26"
        Methodology id, YAML path or loaded methodology.
    attributes : pandas.DataFrame or None, default None
        Trust attributes; None: the flags NHS England published in the file, if any.
    n_boot : int, default 10000
        Number of replicates.
    seed : int, default 1
        Seed of the replicates.
    sources : str, tuple of str or None, default None
        As :func:`bootstrap`; None: the source the data support
        (:func:`nhsrank.uncertainty.sources.choose_sources`).
    level : float, default 0.95
        Confidence level of every interval and test.
    progress : bool, default True
        Show a progress bar.
    replicates : Replicates or None, default None
        Reuse replicates from :func:`bootstrap` instead of drawing.
    rank_sets : bool or None, default None
        Compute the rank confidence sets (cost: units^2 x replicates); None: up to
        :data:`nhsrank.uncertainty.ranksets.MAX_RANKSET_TRUSTS` units, above which their columns
        are <NA> and a warning says so.
    max_memory_gb : float, default 0.5
        Memory budget of the rank sets; above it an :class:`nhsrank.InputError` says how much
        is needed.
    **bootstrap_options
        chunk_size, n_jobs, dirichlet_alpha, on_missing, passed to :func:`bootstrap`.

    Returns
    -------
    RankUncertainty
        ``table``: one row per ranked trust in league order. docs/uncertainty.md says which
        question each interval answers. Columns:

        - trust_code, trust_name, league_position, segment, average_metric_score: the
          published-rule table;
        - score_lower, score_upper: confidence interval of the trust's true average score;
        - score_se: bootstrap standard error of the average score;
        - score_rank: rank by average score (1 = best, ties share the better rank);
        - rank_lower, rank_upper: confidence set for the trust's rank by average score;
        - simultaneous_rank_lower, simultaneous_rank_upper: confidence sets of the ranks
          valid for all trusts at once;
        - likely_score_lower, likely_score_upper, likely_position_lower,
          likely_position_median, likely_position_upper: the likely range (percentiles of
          the replicates, NHS England's kind of range; not a confidence interval);
        - p_segment_1 .. p_segment_4 (and p_segment_5 if a ranked trust is in the Recovery
          Support Programme): share of replicates in each final segment;
        - p_top_quartile: share of replicates in which the average score ranks in the best
          quarter and no override moves the trust down.

        The other fields (:class:`~nhsrank.uncertainty.RankUncertainty`): pairwise
        (:class:`~nhsrank.uncertainty.Pairwise`), adjacent_pairs, headline (sentence),
        rank_sets, rank_sets_skipped, rank_sets_by, rankability, exclusions (trusts not
        ranked, with the reason), fixed_cells (values kept fixed), n_boot, seed, sources,
        level, score_interval, methodology, trust_type, quarter.

    Examples
    --------
    >>> import nhsrank
    >>> ae = nhsrank.read_ae_attendances()
    >>> u = rank_uncertainty(ae, "2018-19-Q4", "acute", "ae-4hr", n_boot=300, progress=False)
    >>> t = u.table
    >>> bool((t["rank_lower"] <= t["score_rank"]).all() and (t["score_rank"] <= t["rank_upper"]).all())
    True
    >>> u.headline  # doctest: +SKIP
    'of 130 neighbouring pairs, 41 differ significantly (95%, Holm-adjusted)'
    """
    if isinstance(data, PeerGroup):
        group = data
    elif replicates is not None and data is None:
        group = replicates.group
    else:
        group = peer_group(as_metrics(data), quarter, trust_type, methodology, as_attributes(attributes))
    if not 0 < level < 1:
        raise ValueError(f"level must lie in (0, 1), got {level}")
    if replicates is not None:
        return summarise(replicates, level, rank_sets=rank_sets, max_memory_gb=max_memory_gb)
    sources = _check_sources(default_sources(group) if sources is None else sources)

    def compute() -> RankUncertainty:
        if sources == ("scores",):
            reps = cached_bootstrap(score_bootstrap, group, n_boot, seed, ("scores",), progress=progress)
        else:
            reps = cached_bootstrap(bootstrap, group, n_boot, seed, sources, progress=progress, **bootstrap_options)
        return summarise(reps, level, rank_sets=rank_sets, max_memory_gb=max_memory_gb)

    if not cache_folder():
        return compute()
    # the report's pages summarise the same replicates several times (the rank sets are the costly part);
    # the one warning a summary gives is its field rank_sets_skipped, given again when it is read back
    key = key_of(cache_key(group, n_boot, seed, sources, bootstrap_options), float(level), rank_sets,
                 float(max_memory_gb), "summary 1")
    computed = []
    result = shared_result(key, lambda: computed.append(True) or compute())
    if not computed and result.rank_sets_skipped:
        warnings.warn(result.rank_sets_skipped, UncertaintyWarning, stacklevel=2)
    return result


__all__ = [
    "bootstrap",
    "bootstrap_memory",
    "cached_bootstrap",
    "CACHE_ENV",
    "cache_key",
    "rank_uncertainty",
    "sampling_model",
    "Replicates",
    "SamplingModel",
    "BLOCK",
    "SOURCES",
    "UncertaintyWarning",
    "default_chunk_size",
]
