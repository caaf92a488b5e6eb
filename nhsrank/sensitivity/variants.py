"""Methodology variants: switched rules, Monte Carlo over choices, leave-one-out.

The critics' claim that a single NOF ranking depends on which metrics were
picked, how they were scored and on the overrides is tested here with the
uncertainty and sensitivity analysis of the OECD/JRC Handbook on composite
indicators (2008, ch. 7) and COINr: every methodological choice becomes an
uncertain input, the league table is recomputed for many combinations, and
Sobol indices say which choice moves ranks most.

Functions take either a :class:`~nhsrank.rules.pipeline.PeerGroup` or
``(data, quarter, trust_type, methodology, attributes)``, and return result objects
(:class:`VariantComparison`, :class:`MonteCarloResult`, :class:`LeaveOneOut`) whose
``exclusions`` lists the trusts that could not be ranked (with the reason), so every
input trust is accounted for; their DataFrames are plain.
"""
from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._docs import shared_docs
from ._result import TableResult, about
from ..data.inputs import peer_group
from ..rules.methodology import DEFAULT_METHODOLOGY, Methodology, load_methodology
from ..rules.pipeline import PeerGroup, run_pipeline

# Segment thresholds used for the "fixed thresholds" alternative when the
# methodology does not give any: equal-width bands of the 1-4 score range.
# nof-2026-27.yaml documents the project's choice; see docs/sensitivity.md.
DEFAULT_THRESHOLDS = (1.75, 2.5, 3.25)

SCORING_CHOICES = ("nof", "zscore", "minmax", "target")


# -- inputs ------------------------------------------------------------------
@shared_docs
def as_group(data, quarter=None, trust_type: str | None = None, methodology=DEFAULT_METHODOLOGY,
             attributes=None) -> PeerGroup:
    """A :class:`PeerGroup`: ``data`` itself if it is one, else :func:`peer_group` of the arguments.

    Parameters
    ----------
    {table_parameters}

    Returns
    -------
    PeerGroup
        The table's arrays.
    """
    if isinstance(data, PeerGroup):
        return data
    return peer_group(data, quarter, trust_type, methodology, attributes)


def variant_group(group: PeerGroup, methodology) -> PeerGroup:
    """The same peer group (values, flags) under another methodology with the same metrics.

    Inclusion is recomputed from the new ``min_metrics``; the exclusions
    table follows.

    Parameters
    ----------
    group : PeerGroup
        The table.
    methodology : Methodology
        The other methodology (same metrics for the trust type).

    Returns
    -------
    PeerGroup
        The table under ``methodology``.

    Examples
    --------
    >>> import nhsrank
    >>> g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    >>> v = variant_group(g, g.methodology.with_options(scoring="minmax"))
    >>> v.metrics["scoring"].tolist()
    ['minmax']
    """
    meth = load_methodology(methodology)
    spec = meth.metrics(group.trust_type)
    if list(spec["metric_id"]) != list(group.metrics["metric_id"]):
        raise ValueError(f"methodology {meth.id!r} has other metrics for {group.trust_type!r} than "
                         f"{group.methodology.id!r}; build a new peer group with peer_group()")
    n_scored = np.sum(~np.isnan(group.values), axis=1)
    min_m = meth.min_metrics(group.trust_type)
    included = n_scored >= min_m
    ex = group.trusts[~included].assign(trust_type=group.trust_type, quarter=group.quarter,
                                        n_metrics_scored=n_scored[~included])
    ex["reason"] = [f"only {n} of {len(spec)} metrics have a value; methodology {meth.id} needs at least {min_m}"
                    for n in ex["n_metrics_scored"]]
    # the quarter's fixed cut points (pooled over every trust type, or taken from NHS England's published
    # segments) belong to NHS England's scores and segmentation: a variant that keeps both keeps them; one
    # with its own thresholds uses those, one with rescaled or re-averaged scores gets its own cut points
    keep = group.cut_points is not None and keeps_segmentation(group.methodology, meth, group.trust_type)
    provenance = dict(group.provenance)
    if group.cut_points is not None and not keep:
        provenance["cut_points"] = f"the variant's own rule ({meth.segmentation.get('method')}) within the " \
                                   f"{group.trust_type} trusts (the quarter's cut points fit NHS England's scores only)"
    return dataclasses.replace(group, methodology=meth, metrics=spec, included=included,
                               exclusions=ex.reset_index(drop=True), cut_points=group.cut_points if keep else None,
                               provenance=provenance)


def keeps_segmentation(base: Methodology, variant: Methodology, trust_type: str) -> bool:
    """Whether ``variant`` scores, averages and segments a trust type as ``base`` does.

    True when only the overrides or the minimum number of metrics differ, so that the
    quarter's fixed cut points of ``base`` still separate its segments.

    Parameters
    ----------
    base : Methodology
        The nominal methodology.
    variant : Methodology
        The variant.
    trust_type : str
        The trust type whose rules are compared.

    Returns
    -------
    bool
        True if the segmentation is kept.

    Examples
    --------
    >>> m = load_methodology("nof-2025-26")
    >>> keeps_segmentation(m, m.with_options(financial_override=False), "acute")
    True
    >>> [keeps_segmentation(m, m.with_options(**o), "acute") for o in ({"scoring": "zscore"},
    ...  {"aggregation": "mean_of_domain_means"}, {"segmentation": threshold_segmentation(m)})]
    [False, False, False]
    """
    keys = ("segmentation", "aggregation", "average_decimals", "score_decimals", "rank_ties", "score_range")
    if any(base.config.get(k) != variant.config.get(k) for k in keys):
        return False
    return base.metrics(trust_type).reset_index(drop=True).equals(variant.metrics(trust_type).reset_index(drop=True))


def _trust_frame(group: PeerGroup) -> pd.DataFrame:
    return group.trusts[group.included].reset_index(drop=True)


def threshold_segmentation(methodology: Methodology, thresholds=None) -> dict:
    """The ``segmentation`` block of the fixed-thresholds alternative.

    ``thresholds`` if given, else the methodology's own if it already uses
    thresholds, else those of the shipped ``nof-2026-27`` file, else
    :data:`DEFAULT_THRESHOLDS`.
    """
    n = int(methodology.segmentation.get("n_segments", 4))
    seg = methodology.segmentation
    if seg.get("method") == "thresholds" and (thresholds is None or
                                              [float(t) for t in thresholds] == [float(t) for t in seg["thresholds"]]):
        return dict(seg)             # the methodology's own block: the nominal rule, not a variant of it
    if thresholds is None:
        if seg.get("method") == "thresholds":
            thresholds = seg["thresholds"]
        else:
            try:
                thresholds = load_methodology("nof-2026-27").segmentation["thresholds"]
            except Exception:  # noqa: BLE001 - file not shipped yet or unreadable
                thresholds = DEFAULT_THRESHOLDS
    th = [float(t) for t in thresholds]
    if len(th) != n - 1:
        raise ValueError(f"need {n - 1} thresholds for {n} segments, got {th}")
    return {"method": "thresholds", "n_segments": n, "thresholds": th}


def quantile_segmentation(methodology: Methodology) -> dict:
    """The ``segmentation`` block of the quantile (NOF 2025/26) rule with the methodology's segment count
    (the methodology's own block when it already uses quantiles)."""
    if methodology.segmentation.get("method") == "quantile":
        return dict(methodology.segmentation)
    return {"method": "quantile", "n_segments": int(methodology.segmentation.get("n_segments", 4)),
            "thresholds": None}


def methodology_variants(methodology=DEFAULT_METHODOLOGY, thresholds=None) -> dict[str, Methodology]:
    """The named one-switch variants of a methodology, for side-by-side tables.

    Keys: ``nominal``, ``no_financial_override``, ``no_pip_override``,
    ``mean_of_domain_means`` (or ``mean_of_metrics`` if that is the
    alternative), ``thresholds`` / ``quantiles`` (the other segmentation
    rule), ``scoring_zscore``, ``scoring_minmax``, ``scoring_target``.

    Parameters
    ----------
    methodology : str, pathlib.Path or Methodology, default "nof-2025-26"
        The nominal methodology.
    thresholds : sequence of float or None, default None
        Segment thresholds of the fixed-thresholds variant; None: :data:`DEFAULT_THRESHOLDS`
        (a placeholder of nhsrank's, not NHS England's).

    Returns
    -------
    dict of str to Methodology
        The variants by name.

    Examples
    --------
    >>> sorted(methodology_variants("ae-4hr"))[:3]
    ['mean_of_domain_means', 'no_financial_override', 'no_pip_override']
    """
    m = load_methodology(methodology)
    alt_agg = "mean_of_domain_means" if m.aggregation == "mean_of_metrics" else "mean_of_metrics"
    if m.segmentation.get("method") == "quantile":
        seg_name, seg = "thresholds", threshold_segmentation(m, thresholds)
    else:
        seg_name, seg = "quantiles", quantile_segmentation(m)
    out = {
        "nominal": m,
        "no_financial_override": m.with_options(financial_override=False),
        "no_pip_override": m.with_options(pip_override=False),
        alt_agg: m.with_options(aggregation=alt_agg),
        seg_name: m.with_options(segmentation=seg),
    }
    for s in SCORING_CHOICES[1:]:
        out[f"scoring_{s}"] = m.with_options(scoring=s)
    return out


@shared_docs
@dataclass(frozen=True)
class VariantComparison(TableResult):
    """Every ranked trust's segment and league position under each methodology variant.

    Returned by :func:`compare_variants`.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per (variant, ranked trust): variant (its name), trust_code, trust_name,
        average_metric_score, segment, league_position (under that variant), position_change
        (against the baseline variant; negative = higher up the table), segment_change
        (negative = a better segment).
    {result_fields}
    variants : dict of str to str
        Each variant's name and its methodology's id, in the order compared.
    baseline : str
        The variant the changes are measured against ("nominal", or the first).

    Examples
    --------
    >>> import nhsrank
    >>> ae = nhsrank.read_ae_attendances()
    >>> c = compare_variants(ae, "2018-19-Q4", "acute", "ae-4hr")
    >>> c.baseline, int(c.summary().loc["nominal", "n_segment_changed"])
    ('nominal', 0)
    """

    variants: dict
    baseline: str

    def summary(self) -> pd.DataFrame:
        """Per variant (the index, in the order compared): n_trusts, n_segment_changed, mean_abs_position_change,
        max_abs_position_change (against the baseline)."""
        t = self.table
        g = t.assign(_abs=t["position_change"].abs().astype(float), _chg=t["segment_change"] != 0)
        out = g.groupby("variant", sort=False).agg(n_trusts=("trust_code", "size"), n_segment_changed=("_chg", "sum"),
                                                   mean_abs_position_change=("_abs", "mean"),
                                                   max_abs_position_change=("_abs", "max"))
        return out.reindex([v for v in self.variants if v in out.index])


@shared_docs
def compare_variants(data, quarter=None, trust_type: str | None = None, methodology=DEFAULT_METHODOLOGY,
                     attributes=None,
                     variants: dict | None = None) -> VariantComparison:
    """Segment and league position of every ranked trust under each variant.

    Parameters
    ----------
    {table_parameters}
    variants : dict of str to Methodology or None, default None
        The variants by name; None: :func:`methodology_variants`. Each must have the same
        metrics as ``methodology`` for the trust type.

    Returns
    -------
    VariantComparison
        ``table``: one row per (variant, trust): variant, trust_code, trust_name,
        average_metric_score, segment, league_position, position_change (against
        ``nominal``, or the first variant; negative = higher up the table), segment_change;
        ``variants``, ``baseline``, exclusions and the table's methodology, quarter, trust type.

    Examples
    --------
    >>> import nhsrank
    >>> ae = nhsrank.read_ae_attendances()
    >>> c = compare_variants(ae, "2018-19-Q4", "acute", "ae-4hr").table
    >>> int(c.loc[c["variant"] == "nominal", "position_change"].abs().max())
    0
    """
    group = as_group(data, quarter, trust_type, methodology, attributes)
    variants = variants or methodology_variants(group.methodology)
    base_name = "nominal" if "nominal" in variants else next(iter(variants))
    frames = {}
    for name, meth in variants.items():
        g = variant_group(group, meth)
        res = g.run(keep_scores=False)
        frames[name] = pd.DataFrame({
            "variant": name, "trust_code": group.trusts["trust_code"], "trust_name": group.trusts["trust_name"],
            "average_metric_score": res["average_metric_score"], "segment": res["segment"],
            "league_position": res["league_position"]})
    base = frames[base_name].set_index("trust_code")
    out = []
    for f in frames.values():
        f = f.dropna(subset=["league_position"]).copy()
        b = base.reindex(f["trust_code"])
        f["position_change"] = f["league_position"].to_numpy() - b["league_position"].to_numpy()
        f["segment_change"] = f["segment"].to_numpy() - b["segment"].to_numpy()
        out.append(f)
    df = pd.concat(out, ignore_index=True)
    for c in ("segment", "league_position"):
        df[c] = df[c].astype(int)
    return VariantComparison(table=df, **about(group), variants={k: v.id for k, v in variants.items()},
                             baseline=base_name)


# -- Monte Carlo over methodological choices -----------------------------------
def default_choices(group: PeerGroup, thresholds=None, exclude_metric: bool = True) -> dict[str, tuple]:
    """The uncertain inputs of :func:`methodology_monte_carlo` and their levels.

    ``scoring`` (nof, zscore, minmax, target), ``aggregation`` (both rules),
    ``segmentation`` (quantile, thresholds), ``financial_override`` and
    ``pip_override`` (on, off) and, with at least two metrics and
    ``exclude_metric``, ``excluded_metric`` (none or one metric id). Each
    level is equally likely.

    Parameters
    ----------
    group : PeerGroup
        The table.
    thresholds : sequence of float or None, default None
        Segment thresholds of the fixed-thresholds level; None: :data:`DEFAULT_THRESHOLDS`.
    exclude_metric : bool, default True
        Include "drop one metric" as a choice.

    Returns
    -------
    dict of str to tuple
        Each choice's levels.
    """
    m = group.methodology
    choices: dict[str, tuple] = {
        "scoring": SCORING_CHOICES,
        "aggregation": ("mean_of_metrics", "mean_of_domain_means"),
        "segmentation": ("quantile", "thresholds"),
        "financial_override": (True, False),
        "pip_override": (True, False),
    }
    if exclude_metric and len(group.metrics) >= 2:
        choices["excluded_metric"] = (None, *group.metrics["metric_id"])
    # keep the thresholds for decoding
    choices["_thresholds"] = tuple(threshold_segmentation(m, thresholds)["thresholds"])
    return choices


def _methodology_for(base: Methodology, config: dict, thresholds) -> Methodology:
    opts = {}
    for key in ("scoring", "aggregation", "financial_override", "pip_override"):
        if key in config:
            opts[key] = config[key]
    if "segmentation" in config:
        opts["segmentation"] = (quantile_segmentation(base) if config["segmentation"] == "quantile" else
                                threshold_segmentation(base, thresholds))
    return base.with_options(**opts)


def evaluate_choices(group: PeerGroup, configs: pd.DataFrame, thresholds=None, progress: bool = False):
    """League positions and segments of every trust under each row of ``configs``.

    Identical configurations are computed once; the configurations sharing all rules but
    the excluded metric go through one vectorised :func:`run_pipeline` call.

    Parameters
    ----------
    group : PeerGroup
        The table.
    configs : pandas.DataFrame
        One row per run, columns among scoring, aggregation, segmentation,
        financial_override, pip_override, excluded_metric (None for none); a missing column
        keeps the methodology's rule.
    thresholds : sequence of float or None, default None
        Segment thresholds of the fixed-thresholds level; None: :data:`DEFAULT_THRESHOLDS`.
    progress : bool, default False
        Show a progress bar.

    Returns
    -------
    positions : numpy.ndarray
        League positions (runs, trusts), NaN for trusts not ranked.
    segments : numpy.ndarray
        Final segments (runs, trusts).
    averages : numpy.ndarray
        Average metric scores (runs, trusts).
    """
    with warnings.catch_warnings():   # tqdm.auto warns once on import in a kernel without ipywidgets
        warnings.filterwarnings("ignore", message="IProgress not found")   # and falls back to text bars
        from tqdm.auto import tqdm

    T = len(group.trusts)
    ids = list(group.metrics["metric_id"])
    R = len(configs)
    pos = np.full((R, T), np.nan)
    seg = np.full((R, T), np.nan)
    avg = np.full((R, T), np.nan)
    rule_cols = [c for c in ("scoring", "aggregation", "segmentation", "financial_override", "pip_override")
                 if c in configs.columns]
    cfg = configs.copy()
    excl = cfg["excluded_metric"] if "excluded_metric" in cfg.columns else pd.Series([None] * R)
    cfg["_excl"] = [ids.index(e) if e is not None and not (isinstance(e, float) and np.isnan(e)) else -1
                    for e in excl]
    keys = [tuple(r) for r in cfg[rule_cols].itertuples(index=False, name=None)] if rule_cols else [()] * R
    cfg["_key"] = keys
    groups = cfg.groupby("_key", sort=False).groups
    for key, rows in tqdm(groups.items(), total=len(groups), disable=not progress, desc="methodology variants",
                          leave=False):
        rows = np.asarray(rows)
        meth = _methodology_for(group.methodology, dict(zip(rule_cols, key)), thresholds)
        g = variant_group(group, meth)
        ex_idx = cfg["_excl"].to_numpy()[rows]
        uniq, inverse = np.unique(ex_idx, return_inverse=True)
        mask = np.ones((len(uniq), 1, len(ids)), dtype=bool)
        for k, e in enumerate(uniq):
            if e >= 0:
                mask[k, 0, e] = False
        vals = np.broadcast_to(group.values, (len(uniq),) + group.values.shape)
        res = run_pipeline(vals, g, metric_mask=mask, keep_scores=False)
        pos[rows] = res["league_position"][inverse]
        seg[rows] = res["segment"][inverse]
        avg[rows] = res["average_metric_score"][inverse]
    return pos, seg, avg


@shared_docs
@dataclass(frozen=True)
class MonteCarloResult:
    """What :func:`methodology_monte_carlo` returns.

    Parameters
    ----------
    trusts : pandas.DataFrame
        Per ranked trust: trust_code, trust_name, nominal_position, median_position,
        p05_position, p95_position, mean_abs_shift (mean over runs of |position - nominal
        position|), nominal_segment, share_segment_changed (share of runs with another final
        segment).
    sobol : pandas.DataFrame
        Per output and choice: output ("position": the runs' mean absolute league-position
        shift; "segment": their mean absolute segment shift), choice, n_levels, S1, S1_conf,
        ST, ST_conf (first-order and total Sobol indices with 95% bootstrap half-widths),
        sorted by ST within output. Indices are 0 when the output does not vary at all.
    runs : pandas.DataFrame
        Per run: the choices, mean_abs_shift and mean_abs_segment_shift over trusts (the
        outputs whose variance Sobol splits).
    positions : numpy.ndarray
        League positions (runs, trusts), trusts in ``trusts`` order.
    {result_fields}
    seed : int
        Seed of the Sobol' sequence and of the indices' bootstrap.

    Examples
    --------
    >>> import nhsrank
    >>> ae = nhsrank.read_ae_attendances()
    >>> mc = methodology_monte_carlo(ae, "2018-19-Q4", "acute", "ae-4hr", n_draws=32, seed=1)
    >>> mc.positions.shape == (len(mc.runs), len(mc.to_frame())), mc.seed
    (True, 1)
    """

    trusts: pd.DataFrame
    sobol: pd.DataFrame
    runs: pd.DataFrame
    positions: np.ndarray = field(repr=False)
    exclusions: pd.DataFrame = field(repr=False)
    methodology: str
    quarter: str
    trust_type: str
    seed: int

    def to_frame(self) -> pd.DataFrame:
        """The per-trust table ``trusts`` (a copy), as a plain DataFrame."""
        return self.trusts.copy()

    def summary(self) -> pd.DataFrame:
        """The Sobol indices ``sobol`` (a copy): which choice moves positions and segments most."""
        return self.sobol.copy()


@shared_docs
def methodology_monte_carlo(data, quarter=None, trust_type: str | None = None, methodology=DEFAULT_METHODOLOGY,
                            attributes=None, *, n_draws: int = 256, seed: int = 1, choices: dict | None = None,
                            thresholds=None, exclude_metric: bool = True, n_boot: int = 200,
                            progress: bool = False) -> MonteCarloResult:
    """Uncertainty and sensitivity analysis of the league positions over methodological choices.

    Each choice (see :func:`default_choices`) is an uncertain input with
    equally likely levels. A Saltelli/Sobol' quasi-random design
    (``SALib.sample.sobol``, ``n_draws * (k + 2)`` runs for ``k`` choices) picks the
    combinations; each is ranked with the full NOF pipeline. For each trust
    the distribution of its league position over all runs gives the median and
    5th-95th percentile band; the mean absolute shift from its nominal
    position says how much the choices move it. The first-order (S1) and
    total (ST) Sobol indices (``SALib.analyze.sobol``) of the runs' mean
    absolute rank shift say which choice moves ranks most (ST - S1 is the
    part through interactions), as in Saisana, Saltelli & Tarantola (2005)
    and the OECD/JRC Handbook.

    Parameters
    ----------
    {table_parameters}
    n_draws : int, default 256
        Base sample size (a power of two; the design has ``n_draws * (k + 2)`` runs).
    seed : int, default 1
        Seed of the scrambled Sobol' sequence and of the bootstrap of the indices.
    choices : dict of str to sequence or None, default None
        ``{name: levels}`` to override :func:`default_choices` (names among scoring,
        aggregation, segmentation, financial_override, pip_override, excluded_metric).
    thresholds : sequence of float or None, default None
        Segment thresholds of the fixed-thresholds alternative; None: :data:`DEFAULT_THRESHOLDS`.
    exclude_metric : bool, default True
        Include "drop one metric" as a choice.
    n_boot : int, default 200
        Bootstrap resamples for the Sobol indices' confidence half-widths.
    progress : bool, default False
        Show a progress bar.

    Returns
    -------
    MonteCarloResult
        Per-trust position bands, Sobol indices, the runs and their positions.

    Examples
    --------
    >>> import nhsrank
    >>> ae = nhsrank.read_ae_attendances()
    >>> mc = methodology_monte_carlo(ae, "2018-19-Q4", "acute", "ae-4hr", n_draws=32, seed=1)
    >>> mc.sobol.query("output == 'segment'").iloc[0]["choice"]
    'segmentation'
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    group = as_group(data, quarter, trust_type, methodology, attributes)
    ch = dict(choices) if choices is not None else default_choices(group, thresholds, exclude_metric)
    th = ch.pop("_thresholds", None) or (None if thresholds is None else tuple(thresholds))
    names = list(ch)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)   # SALib: n not a power of 2
        X = sobol_sample.sample(problem, n_draws, calc_second_order=False, seed=seed)
    idx = np.minimum((X * np.array([len(ch[c]) for c in names])).astype(int),
                     np.array([len(ch[c]) - 1 for c in names]))
    runs = pd.DataFrame({c: [ch[c][i] for i in idx[:, j]] for j, c in enumerate(names)})
    pos, seg, _ = evaluate_choices(group, runs, th, progress)
    nominal = group.run(keep_scores=False)
    inc = group.included
    npos, nseg = nominal["league_position"][inc], nominal["segment"][inc]
    P, S = pos[:, inc], seg[:, inc]
    shift = np.abs(P - npos)
    runs["mean_abs_shift"] = shift.mean(axis=1) if shift.shape[1] else np.nan
    trusts = _trust_frame(group)
    trusts["nominal_position"] = npos.astype(int)
    trusts["median_position"] = np.median(P, axis=0)
    trusts["p05_position"] = np.quantile(P, 0.05, axis=0)
    trusts["p95_position"] = np.quantile(P, 0.95, axis=0)
    trusts["mean_abs_shift"] = shift.mean(axis=0)
    trusts["nominal_segment"] = nseg.astype(int)
    trusts["share_segment_changed"] = (S != nseg).mean(axis=0)
    trusts = trusts.sort_values(["nominal_position", "trust_code"]).reset_index(drop=True)
    order = np.lexsort((group.trusts["trust_code"].to_numpy()[inc], npos))
    seg_shift = np.abs(S - nseg)
    runs["mean_abs_segment_shift"] = seg_shift.mean(axis=1) if seg_shift.shape[1] else np.nan
    sobs = []
    for output, col in (("position", "mean_abs_shift"), ("segment", "mean_abs_segment_shift")):
        Y = runs[col].to_numpy()
        base = {"output": output, "choice": names, "n_levels": [len(ch[c]) for c in names]}
        if np.nanvar(Y) > 0:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                Si = sobol_analyze.analyze(problem, Y, calc_second_order=False, num_resamples=n_boot,
                                           seed=seed, print_to_console=False)
            sob = pd.DataFrame({**base, "S1": Si["S1"], "S1_conf": Si["S1_conf"], "ST": Si["ST"],
                                "ST_conf": Si["ST_conf"]})
        else:  # no choice moves anything: every index is zero
            sob = pd.DataFrame({**base, "S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0})
        sobs.append(sob.sort_values("ST", ascending=False, kind="stable"))
    sob = pd.concat(sobs, ignore_index=True)
    return MonteCarloResult(trusts, sob, runs, P[:, order], **about(group), seed=seed)


# -- leave one out -----------------------------------------------------------------
@shared_docs
@dataclass(frozen=True)
class LeaveOneOut(TableResult):
    """The table re-ranked without each metric (and each domain): :func:`leave_one_out`'s result.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per (left-out item, ranked trust): kind ("metric" or "domain"), left_out (its
        id), left_out_name, trust_code, trust_name, nominal_score and score (average metric
        score with everything / without the item), nominal_position, position,
        position_change (negative = higher up), nominal_segment, segment, segment_change
        (negative = better segment).
    {result_fields}
    skipped : list of tuple of str
        ``(kind, id)`` of the items not left out because nothing would remain without them.

    Examples
    --------
    >>> import nhsrank
    >>> ae = nhsrank.read_ae_attendances()        # one metric: nothing to leave out
    >>> loo = leave_one_out(ae, "2018-19-Q4", "acute", "ae-4hr")
    >>> len(loo.table), loo.skipped, len(loo.summary())
    (0, [('metric', 'AE4HR'), ('domain', 'access')], 0)
    """

    skipped: list

    def summary(self) -> pd.DataFrame:
        """Per left-out item, how many trusts cross a segment boundary: :func:`leave_one_out_summary`."""
        return leave_one_out_summary(self)


@shared_docs
def leave_one_out(data, quarter=None, trust_type: str | None = None, methodology=DEFAULT_METHODOLOGY, attributes=None,
                  *, by=("metric", "domain")) -> LeaveOneOut:
    """Re-rank with each metric (and each domain) left out: every trust's position and segment change.

    Trust inclusion is not re-judged (a trust keeps its place in the table even if the
    removal leaves it below ``min_metrics``).

    Parameters
    ----------
    {table_parameters}
    by : str or tuple of str, default ("metric", "domain")
        "metric", "domain" or both. A domain is left out by dropping all its metrics. Items
        whose removal would leave no metric are skipped (listed in the result's ``skipped``).

    Returns
    -------
    LeaveOneOut
        ``table``: one row per (left-out item, ranked trust): kind, left_out, left_out_name,
        trust_code, trust_name, nominal_score, score, nominal_position, position,
        position_change (negative = higher up), nominal_segment, segment, segment_change
        (negative = better segment); ``skipped``, exclusions and the table's methodology,
        quarter, trust type.

    Examples
    --------
    >>> import nhsrank
    >>> ae = nhsrank.read_ae_attendances()        # one metric: nothing to leave out
    >>> loo = leave_one_out(ae, "2018-19-Q4", "acute", "ae-4hr")
    >>> len(loo.table), loo.skipped
    (0, [('metric', 'AE4HR'), ('domain', 'access')])
    """
    group = as_group(data, quarter, trust_type, methodology, attributes)
    by = (by,) if isinstance(by, str) else tuple(by)
    spec = group.metrics
    items = []   # (kind, id, name, mask)
    if "metric" in by:
        for j, r in spec.iterrows():
            mask = np.ones(len(spec), dtype=bool)
            mask[j] = False
            items.append(("metric", r["metric_id"], r["name"], mask))
    if "domain" in by:
        for key, label in group.methodology.domains.items():
            mask = (spec["domain"] != key).to_numpy()
            if mask.all():
                continue
            items.append(("domain", key, label, mask))
    skipped = [(k, i) for k, i, _, m in items if not m.any()]
    items = [it for it in items if it[3].any()]
    nominal = group.run(keep_scores=False)
    inc = group.included
    trusts = _trust_frame(group)
    cols = ["kind", "left_out", "left_out_name", "trust_code", "trust_name", "nominal_score", "score",
            "nominal_position", "position", "position_change", "nominal_segment", "segment", "segment_change"]
    if not items or not inc.any():
        return LeaveOneOut(table=pd.DataFrame(columns=cols), **about(group), skipped=skipped)
    masks = np.stack([it[3] for it in items])[:, None, :]
    vals = np.broadcast_to(group.values, (len(items),) + group.values.shape)
    res = run_pipeline(vals, group, metric_mask=masks, keep_scores=False)
    K, N = len(items), int(inc.sum())
    df = pd.DataFrame({
        "kind": np.repeat([it[0] for it in items], N),
        "left_out": np.repeat([it[1] for it in items], N),
        "left_out_name": np.repeat([it[2] for it in items], N),
        "trust_code": np.tile(trusts["trust_code"].to_numpy(), K),
        "trust_name": np.tile(trusts["trust_name"].to_numpy(), K),
        "nominal_score": np.tile(nominal["average_metric_score"][inc], K),
        "score": res["average_metric_score"][:, inc].ravel(),
        "nominal_position": np.tile(nominal["league_position"][inc], K).astype(int),
        "position": res["league_position"][:, inc].ravel(),
        "nominal_segment": np.tile(nominal["segment"][inc], K).astype(int),
        "segment": res["segment"][:, inc].ravel(),
    })
    df["position_change"] = df["position"] - df["nominal_position"]
    df["segment_change"] = df["segment"] - df["nominal_segment"]
    for c in ("position", "segment", "position_change", "segment_change"):
        df[c] = df[c].astype("Int64")
    return LeaveOneOut(table=df[cols], **about(group), skipped=skipped)


def leave_one_out_summary(loo: LeaveOneOut | pd.DataFrame) -> pd.DataFrame:
    """Per left-out item: how many trusts cross a segment boundary and how far positions move.

    Parameters
    ----------
    loo : LeaveOneOut or pandas.DataFrame
        The result of :func:`leave_one_out`, or its ``table``.

    Returns
    -------
    pandas.DataFrame
        kind, left_out, left_out_name, n_trusts, n_segment_changed, n_segment_better,
        n_segment_worse, mean_abs_position_change, max_abs_position_change; sorted so that
        the items whose removal moves most trusts across a segment boundary come first.
    """
    if isinstance(loo, LeaveOneOut):
        loo = loo.table
    g = loo.assign(_abs=loo["position_change"].abs().astype(float),
                   _chg=loo["segment_change"] != 0, _up=loo["segment_change"] < 0, _down=loo["segment_change"] > 0)
    out = g.groupby(["kind", "left_out", "left_out_name"], sort=False).agg(
        n_trusts=("trust_code", "size"), n_segment_changed=("_chg", "sum"), n_segment_better=("_up", "sum"),
        n_segment_worse=("_down", "sum"), mean_abs_position_change=("_abs", "mean"),
        max_abs_position_change=("_abs", "max")).reset_index()
    out = out.sort_values(["n_segment_changed", "mean_abs_position_change"], ascending=False, kind="stable")
    return out.reset_index(drop=True)


__all__ = [
    "DEFAULT_THRESHOLDS", "SCORING_CHOICES", "MonteCarloResult", "VariantComparison", "LeaveOneOut", "as_group",
    "variant_group",
    "threshold_segmentation", "quantile_segmentation", "keeps_segmentation", "methodology_variants", "compare_variants",
    "default_choices", "evaluate_choices", "methodology_monte_carlo", "leave_one_out", "leave_one_out_summary",
]
