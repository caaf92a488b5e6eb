"""Load and check methodology files (``nhsrank/rules/methodologies/*.yaml``).

A methodology is data: a catalogue of metrics (each metric once, with the trust
types that report it and how it is scored), the league tables that exist
(``trust_types``), the aggregation, the segmentation rule and the overrides. A
trust is scored on every metric of the catalogue it reports, whatever its type. The engine reads it
through :func:`load_methodology`; see ``methodologies/SCHEMA.md`` for the format.
"""
from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ..defaults import DEFAULT_METHODOLOGY
from ..errors import MethodologyError

# libyaml's loader when PyYAML was built with it (ten times faster; the same safe subset of YAML)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

TRUST_TYPES = ("acute", "non-acute", "ambulance")
_SCORINGS = {"rank", "thresholds", "zscore", "minmax", "target"}
# values of with_options(scoring=...): "nof" keeps each metric's own rule
SCORING_OPTIONS = ("nof", "rank", "zscore", "minmax", "target")
_DIRECTIONS = {"higher_is_better", "lower_is_better"}
_SAMPLING = {"binomial", "poisson", "normal", "none"}
_AGGREGATIONS = {"mean_of_metrics", "mean_of_domain_means"}
_SEGMENTATIONS = {"quantile", "thresholds"}


def available_methodologies() -> list[str]:
    """Ids of the methodology files shipped with nhsrank.

    Returns
    -------
    list of str
        The ids, sorted.

    Examples
    --------
    >>> "nof-2025-26" in available_methodologies()
    True
    """
    folder = resources.files("nhsrank.rules") / "methodologies"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


@dataclass(frozen=True)
class Methodology:
    """A parsed methodology file.

    Use :func:`load_methodology` to make one.

    Parameters
    ----------
    id : str
        The methodology's id, e.g. "nof-2025-26".
    config : dict
        The YAML content.
    sha256 : str
        The hash of the file's bytes (recorded in report manifests).
    path : str or None, default None
        The file read, if any.
    """

    id: str
    config: dict = field(repr=False)
    sha256: str = field(repr=False)
    path: str | None = field(default=None, repr=False)

    # -- accessors ---------------------------------------------------------
    @property
    def title(self) -> str:
        return self.config.get("title", self.id)

    @property
    def trust_types(self) -> list[str]:
        return list(self.config["trust_types"])

    @property
    def domains(self) -> dict[str, str]:
        return dict(self.config["domains"])

    @property
    def aggregation(self) -> str:
        return self.config.get("aggregation", "mean_of_metrics")

    @property
    def score_decimals(self) -> int | None:
        """Decimals each metric score is rounded to (half up) before averaging, or None."""
        d = self.config.get("score_decimals")
        return None if d is None else int(d)

    @property
    def average_decimals(self) -> int | None:
        """Decimals the average metric score is rounded to (half up), or None."""
        d = self.config.get("average_decimals")
        return None if d is None else int(d)

    @property
    def segmentation(self) -> dict:
        return dict(self.config["segmentation"])

    @property
    def published_domain_ids(self) -> dict[str, str]:
        """NHS England's id of each domain score in its files (``published_ids.domains``), e.g.
        ``{"access": "OF4000", ...}``; the domain segment is ``OF41`` + the same two digits."""
        return dict((self.config.get("published_ids") or {}).get("domains") or {})

    @property
    def domain_at_cut(self) -> list[str] | None:
        """As :attr:`at_cut`, for the domain segments (``segmentation.domain_at_cut``)."""
        sides = self.config["segmentation"].get("domain_at_cut")
        return None if sides is None else list(sides)

    @property
    def at_cut(self) -> list[str] | None:
        """Per segment cut point, where a score equal to it goes (``"lower"``/``"upper"``), or None (lower)."""
        sides = self.config["segmentation"].get("at_cut")
        return None if sides is None else list(sides)

    @property
    def position_segment(self) -> str:
        """The segment the league position ranks on: ``"adjusted"`` (after the deficit cap, before
        segment 5; NOF 2025/26 as published) or ``"final"`` (``league_position.segment`` in the file)."""
        return str((self.config.get("league_position") or {}).get("segment", "final"))

    @property
    def overrides(self) -> dict:
        return copy.deepcopy(self.config.get("overrides", {}))

    def trust_type(self, trust_type: str) -> dict:
        try:
            return self.config["trust_types"][trust_type]
        except KeyError:
            raise MethodologyError(
                f"methodology {self.id!r} has no trust type {trust_type!r}; "
                f"it has {', '.join(self.trust_types)}"
            ) from None

    def min_metrics(self, trust_type: str) -> int:
        return int(self.trust_type(trust_type).get("min_metrics", 1))

    def catalogue(self) -> pd.DataFrame:
        """Every metric of the methodology once, in file order, whatever the trust type.

        Columns as :meth:`metrics`, plus ``reported_by`` (a tuple of the trust types whose
        providers report the metric: a metric with ``peers: all_types`` is ranked among every
        provider of these types).

        Examples
        --------
        >>> cat = load_methodology("nof-2025-26").catalogue().set_index("metric_id")
        >>> cat.loc["OF0005", "reported_by"]
        ('non-acute', 'acute')
        """
        rows = []
        for m in self.config["metrics"]:
            lo, hi = (m.get("valid_range") or [None, None])
            rows.append(
                {
                    "metric_id": m["id"],
                    "name": m.get("name", m["id"]),
                    "domain": m["domain"],
                    "direction": m["direction"],
                    "scoring": m["scoring"],
                    "unit": m.get("unit", ""),
                    "valid_min": np.nan if lo is None else float(lo),
                    "valid_max": np.nan if hi is None else float(hi),
                    "sampling": m.get("sampling", "none"),
                    "cutpoints": tuple(m.get("cutpoints") or ()),
                    "scores": tuple(m.get("scores") or ()),
                    "target": np.nan if m.get("target") is None else float(m["target"]),
                    "ties": m.get("ties", self.config.get("rank_ties", "mean")),
                    "peers": m.get("peers", self.config.get("peers", "trust_type")),
                    "floor": np.nan if m.get("floor") is None else float(m["floor"]),
                    "standard": np.nan if m.get("standard") is None else float(m["standard"]),
                    "weight": float(m.get("weight", 1.0)),
                    "in_average": bool(m.get("in_average", True)),
                    "id_evidence": m.get("id_evidence", "data"),
                    "reported_by": tuple(m.get("reported_by") or self.trust_types),
                    "count_cutpoints": tuple((m.get("count_rows") or {}).get("cutpoints") or ()),
                    "count_scores": tuple((m.get("count_rows") or {}).get("scores") or ()),
                }
            )
        return pd.DataFrame(rows)

    def metrics(self, trust_type: str | None = None) -> pd.DataFrame:
        """One row per metric usually reported by ``trust_type`` (None: the whole catalogue), in file order.

        A trust is scored on every metric of the catalogue that it reports (:meth:`catalogue`);
        this list is the trust type's usual set (the metrics whose ``reported_by`` names it),
        used for synthetic data and documentation.

        Columns: metric_id, name, domain, direction, scoring, unit, valid_min,
        valid_max, sampling, cutpoints, scores, target (an optional ``target``
        key in the metric's units, used by ``scoring: target``; NaN if none),
        ties, peers (``all_types`` or ``trust_type``), floor and standard (NaN
        if none), weight (in the average), in_average, id_evidence (``data``:
        checked on NHS England's published file; ``secondary``: seen in public code
        that reads it; ``unverified``) and reported_by.
        """
        cat = self.catalogue()
        if trust_type is None:
            return cat
        self.trust_type(trust_type)  # unknown type: a clear error
        keep = cat["reported_by"].map(lambda r: trust_type in r)
        return cat[keep].reset_index(drop=True)

    def metric_config(self, metric_id: str) -> dict:
        """The catalogue entry of one metric, as written in the file."""
        for m in self.config["metrics"]:
            if m["id"] == metric_id:
                return m
        raise MethodologyError(f"methodology {self.id!r} has no metric {metric_id!r}")

    def all_metric_ids(self) -> set[str]:
        return {m["id"] for m in self.config["metrics"]}

    def with_options(self, **changes: Any) -> Methodology:
        """A copy with some rules switched, for sensitivity analysis.

        Keyword arguments: ``financial_override`` (bool), ``pip_override``
        (bool), ``aggregation`` (str), ``segmentation`` (dict),
        ``min_metrics`` (int), ``rank_ties`` ("mean" or "best"), ``scoring`` (one of :data:`SCORING_OPTIONS`:
        ``"nof"`` keeps each metric's own rule; ``"rank"``, ``"zscore"``,
        ``"minmax"`` or ``"target"`` applies that rule to every metric,
        discrete ones included; see :mod:`nhsrank.rules.scoring`).
        The id gets a suffix naming the change, and ``sha256`` is that of the
        changed content.

        Examples
        --------
        >>> m = load_methodology("nof-2025-26").with_options(financial_override=False)
        >>> m.overrides["financial_deficit"]["enabled"]
        False
        """
        cfg = copy.deepcopy(self.config)
        suffix = []
        for key, value in changes.items():
            if key == "financial_override":
                cfg["overrides"]["financial_deficit"]["enabled"] = bool(value)
            elif key == "pip_override":
                cfg["overrides"]["pip"]["enabled"] = bool(value)
            elif key == "aggregation":
                cfg["aggregation"] = value
            elif key == "segmentation":
                cfg["segmentation"] = dict(value)
            elif key == "scoring":
                if value not in SCORING_OPTIONS:
                    raise ValueError(f"scoring must be one of {SCORING_OPTIONS}, not {value!r}")
                if value != "nof":
                    for m in cfg["metrics"]:
                        m["scoring"] = value
            elif key == "min_metrics":
                for tt in cfg["trust_types"].values():
                    tt["min_metrics"] = int(value)
            elif key == "rank_ties":
                cfg["rank_ties"] = value
                for m in cfg["metrics"]:
                    m.pop("ties", None)
            else:
                raise TypeError(f"with_options() got an unknown option {key!r}")
            suffix.append(f"{key}={value}")
        new_id = self.id + ("+" + ",".join(suffix) if suffix else "")
        cfg["id"] = new_id
        _check_config(cfg, new_id)
        digest = hashlib.sha256(json.dumps(cfg, sort_keys=True, default=str).encode()).hexdigest()
        return Methodology(id=new_id, config=cfg, sha256=digest, path=None)


def load_methodology(methodology: str | Path | Methodology = DEFAULT_METHODOLOGY) -> Methodology:
    """Read a methodology by id (a file shipped with nhsrank) or path.

    Parameters
    ----------
    methodology : str, pathlib.Path or Methodology, default "nof-2025-26"
        ``"nof-2025-26"``, ``"nof-2026-27"``, a path to a YAML file following
        ``methodologies/SCHEMA.md``, or an already loaded methodology.

    Returns
    -------
    Methodology
        The checked methodology.

    Examples
    --------
    >>> m = load_methodology("nof-2025-26")
    >>> m.trust_types
    ['acute', 'non-acute', 'ambulance']
    """
    if isinstance(methodology, Methodology):
        return methodology
    text_path = Path(str(methodology))
    if text_path.suffix in {".yaml", ".yml"} or text_path.exists():
        path = text_path
        if not path.exists():
            raise MethodologyError(f"methodology file not found: {path}")
        raw = path.read_bytes()
        origin = str(path)
    else:
        res = resources.files("nhsrank.rules") / "methodologies" / f"{methodology}.yaml"
        if not res.is_file():
            raise MethodologyError(
                f"unknown methodology {methodology!r}; shipped: "
                f"{', '.join(available_methodologies())} (or give a path to a .yaml file)"
            )
        raw = res.read_bytes()
        origin = str(res)
    try:
        cfg = yaml.load(raw, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise MethodologyError(f"{origin}: not valid YAML: {exc}") from None
    if not isinstance(cfg, dict):
        raise MethodologyError(f"{origin}: expected a mapping at the top level")
    cfg = _as_catalogue(cfg, origin)
    _check_config(cfg, origin)
    return Methodology(id=cfg["id"], config=cfg, sha256=hashlib.sha256(raw).hexdigest(), path=origin)


def _as_catalogue(cfg: dict, origin: str) -> dict:
    """A methodology in the catalogue layout (top-level ``metrics``, each metric once).

    Files of the older layout (one ``metrics`` list under each trust type) are read into it:
    a metric listed under several types appears once, ``reported_by`` naming those types
    (the definitions must agree, apart from ``synthetic``, which becomes per type).
    """
    tts = cfg.get("trust_types")
    if not isinstance(tts, dict) or not any(isinstance(t, dict) and "metrics" in t for t in tts.values()):
        return cfg
    cfg = copy.deepcopy(cfg)
    tts = cfg["trust_types"]
    catalogue: dict[str, dict] = {dict.get(m, "id") if isinstance(m, dict) else None: m
                                  for m in cfg.get("metrics") or []}
    problems = []
    for tname, tt in tts.items():
        for m in (tt or {}).pop("metrics", None) or []:
            if not isinstance(m, dict) or "id" not in m:
                problems.append(f"trust_types.{tname}.metrics: an entry without an id")
                continue
            mid = m["id"]
            if mid not in catalogue:
                entry = copy.deepcopy(m)
                entry["reported_by"] = [tname]
                if "synthetic" in entry:
                    entry["synthetic"] = {tname: entry["synthetic"]}
                catalogue[mid] = entry
                continue
            entry = catalogue[mid]
            same = {k: v for k, v in m.items() if k != "synthetic"}
            have = {k: v for k, v in entry.items() if k not in ("synthetic", "reported_by")}
            if same != have:
                diff = sorted(k for k in set(same) | set(have) if same.get(k) != have.get(k))
                problems.append(f"metric {mid} is defined differently under {entry['reported_by'][0]} and "
                                f"{tname} ({', '.join(diff)}): a metric is one thing whatever the trust type")
            entry["reported_by"].append(tname)
            if "synthetic" in m:
                entry.setdefault("synthetic", {})[tname] = m["synthetic"]
    if problems:
        raise MethodologyError(f"{origin}: " + "; ".join(problems))
    cfg["metrics"] = list(catalogue.values())
    return cfg


def synthetic_spec(metric: dict, trust_type: str) -> dict | None:
    """The ``synthetic`` generator settings of a catalogue entry for one trust type (or None).

    ``synthetic`` is either one mapping for every type or a mapping per trust type.
    """
    spec = metric.get("synthetic")
    if not isinstance(spec, dict):
        return None
    if set(spec) & set(TRUST_TYPES):
        return spec.get(trust_type)
    return spec


def _check_config(cfg: dict, origin: str) -> None:
    problems: list[str] = []

    def need(mapping: dict, key: str, where: str):
        if not isinstance(mapping, dict) or key not in mapping:
            problems.append(f"{where}: missing key {key!r}")
            return None
        return mapping[key]

    need(cfg, "id", "top level")
    domains = need(cfg, "domains", "top level") or {}
    seg = need(cfg, "segmentation", "top level") or {}
    agg = cfg.get("aggregation", "mean_of_metrics")
    if agg not in _AGGREGATIONS:
        problems.append(f"aggregation: {agg!r} is not one of {sorted(_AGGREGATIONS)}")
    if seg:
        method = seg.get("method")
        if method not in _SEGMENTATIONS:
            problems.append(f"segmentation.method: {method!r} is not one of {sorted(_SEGMENTATIONS)}")
        n = seg.get("n_segments", 4)
        if method == "thresholds":
            th = seg.get("thresholds")
            if not isinstance(th, list) or len(th) != n - 1 or list(th) != sorted(th):
                problems.append(
                    f"segmentation.thresholds: need {n - 1} ascending numbers for {n} segments, found {th!r}"
                )
    if (cfg.get("league_position") or {}).get("segment", "final") not in {"adjusted", "final"}:
        problems.append("league_position.segment: must be 'adjusted' or 'final'")
    sides = (seg or {}).get("at_cut")
    if sides is not None and (not isinstance(sides, list) or len(sides) != (seg or {}).get("n_segments", 4) - 1
                              or any(x not in ("lower", "upper") for x in sides)):
        problems.append("segmentation.at_cut: one of lower/upper per cut point")
    if cfg.get("rank_ties", "mean") not in {"mean", "best"}:
        problems.append(f"rank_ties: {cfg.get('rank_ties')!r} is not 'mean' or 'best'")
    ov = cfg.get("overrides", {})
    for name, keys in {"financial_deficit": ("enabled", "attribute", "cap_segment"),
                       "pip": ("enabled", "attribute", "segment")}.items():
        for k in keys:
            need(ov.get(name, {}), k, f"overrides.{name}")
    tts = need(cfg, "trust_types", "top level") or {}
    metrics = need(cfg, "metrics", "top level") or []
    seen: set[str] = set()
    for i, m in enumerate(metrics):
        where = f"metrics[{i}]"
        mid = need(m, "id", where)
        if mid in seen:
            problems.append(f"{where}: duplicate metric id {mid!r} (the catalogue lists each metric once)")
        seen.add(mid)
        where = f"{where} ({mid})"
        for t in m.get("reported_by") or []:
            if t not in tts:
                problems.append(f"{where}: reported_by names {t!r}, which is not under trust_types")
        dom = need(m, "domain", where)
        if dom is not None and dom not in domains:
            problems.append(f"{where}: domain {dom!r} is not declared under domains")
        if need(m, "direction", where) not in _DIRECTIONS | {None}:
            problems.append(f"{where}: direction must be one of {sorted(_DIRECTIONS)}")
        sc = need(m, "scoring", where)
        if sc not in _SCORINGS | {None}:
            problems.append(f"{where}: scoring must be one of {sorted(_SCORINGS)}")
        if sc == "thresholds":
            cp, sv = m.get("cutpoints"), m.get("scores")
            if not cp or not sv or len(sv) != len(cp) + 1 or list(cp) != sorted(cp):
                problems.append(f"{where}: thresholds need ascending cutpoints and len(scores) == len(cutpoints) + 1")
        if m.get("peers", cfg.get("peers", "trust_type")) not in {"all_types", "trust_type"}:
            problems.append(f"{where}: peers must be 'all_types' or 'trust_type'")
        if m.get("count_rows") is not None:
            cr = m["count_rows"]
            cp, sv = (cr.get("cutpoints"), cr.get("scores")) if isinstance(cr, dict) else (None, None)
            if not cp or not sv or len(sv) != len(cp) + 1 or list(cp) != sorted(cp):
                problems.append(f"{where}: count_rows need ascending cutpoints and len(scores) == len(cutpoints) + 1")
        if m.get("floor") is not None and m.get("standard") is not None:
            problems.append(f"{where}: a metric has a floor or a standard, not both")
        if m.get("sampling", "none") not in _SAMPLING:
            problems.append(f"{where}: sampling must be one of {sorted(_SAMPLING)}")
    if problems:
        raise MethodologyError(f"{origin}: " + "; ".join(problems))
