"""Plan a report: which notebooks run, with which parameters, into which files.

No notebook runs here: :func:`plan_report` returns a :class:`Plan` of :class:`Job` s that
:mod:`nhsrank.report.execute` runs and :mod:`nhsrank.report.build` drives.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..defaults import DEFAULT_METHODOLOGY

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
REPORTS_DIR = REPO_ROOT / "reports"
KERNEL_NAME = "python3"
#: quieten the kernel process's own log (ipykernel 7 warns about local TCP on every start, and logs
#: "KeyboardInterrupt caught in kernel" at ERROR when jupyter_client interrupts it to shut it down); the
#: notebook's output, warnings and errors travel over the kernel protocol and are unaffected
#: and skip rfc3987-syntax, an optional plug-in of jsonschema's format checker (altair imports jsonschema;
#: the plug-in compiles a grammar on import, about 1.5 s of every kernel's start, and no chart uses it)
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=CRITICAL",
                    "--IPKernelApp.exec_lines=import sys; sys.modules.setdefault('rfc3987_syntax', None)")


def skip_unused_plugins() -> None:
    """In the report's own processes (its command, its workers and, through :data:`KERNEL_ARGUMENTS`, its
    kernels; never on ``import nhsrank``): jsonschema's optional rfc3987-syntax plug-in is not loaded.
    jsonschema (imported by altair and by nbformat, which checks every notebook) loads it when it is
    installed, and it compiles 38 grammars on import: about 1.5 s of each process's start, for checks of
    IRI formats that neither a chart nor a notebook has."""
    import sys

    sys.modules.setdefault("rfc3987_syntax", None)

#: the notebooks in report order
NOTEBOOKS = ("league_table", "reconcile", "rank_uncertainty", "sensitivity", "quarter_movement", "trust_profile")
#: notebooks run once per trust type present in the quarter's data
PER_TRUST_TYPE = ("rank_uncertainty", "sensitivity", "quarter_movement")
TITLES = {
    "league_table": "League tables",
    "reconcile": "Reproducing NHS England's table",
    "rank_uncertainty": "Rank uncertainty",
    "sensitivity": "What changes the ranking",
    "quarter_movement": "Movement between quarters",
    "trust_profile": "Trust profile",
}
#: parameters every notebook must declare in its ``parameters`` cell
COMMON_PARAMETERS = ("data_path", "attributes_path", "quarter", "methodology", "n_boot", "seed", "output_dir")
EXTRA_PARAMETERS = {
    "league_table": ("trust_types",),
    "reconcile": (),
    "rank_uncertainty": ("trust_type",),
    "sensitivity": ("trust_type",),
    "quarter_movement": ("trust_type", "quarter_from"),
    "trust_profile": ("trust_type", "trust_code"),
}


class ReportError(Exception):
    """A report cannot be built as asked (bad option, missing notebook, remote resource in the HTML)."""


# ---------------------------------------------------------------------------
# planning (pure)
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Job:
    """One notebook run: which notebook, the output stem and its parameters."""

    notebook: str
    stem: str
    trust_type: str | None
    parameters: dict

    @property
    def title(self) -> str:
        what = TITLES.get(self.notebook, self.notebook)
        if self.notebook == "trust_profile":
            return f"{what}: {self.parameters.get('trust_code')}"
        if self.notebook == "quarter_movement":
            return (
                f"{what}: {self.trust_type}, {self.parameters.get('quarter_from')} to {self.parameters.get('quarter')}"
            )
        return f"{what}: {self.trust_type}" if self.trust_type else what


@dataclass
class Plan:
    """Everything one quarter's report will run, decided before any notebook starts."""

    quarter: str
    out_dir: Path
    trust_types: list[str]
    jobs: list[Job] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (stem, reason)


def output_paths(out_dir, stem: str) -> dict[str, Path]:
    """Where one notebook's outputs go inside a quarter's report folder.

    Examples
    --------
    >>> p = output_paths("/r/2025-26-Q1", "rank_uncertainty-acute")
    >>> p["html"].as_posix(), p["ipynb"].name, p["files"].name
    ('/r/2025-26-Q1/rank_uncertainty-acute.html', 'rank_uncertainty-acute.ipynb', 'rank_uncertainty-acute')
    """
    out_dir = Path(out_dir)
    return {"ipynb": out_dir / f"{stem}.ipynb", "html": out_dir / f"{stem}.html", "files": out_dir / stem}


def output_stem(notebook: str, trust_type: str | None = None, trust_code: str | None = None) -> str:
    """The file stem of one notebook run: the notebook name, then the trust type or trust code.

    Examples
    --------
    >>> (output_stem("league_table"), output_stem("sensitivity", "non-acute"),
    ...  output_stem("trust_profile", "acute", "RX1"))
    ('league_table', 'sensitivity-non-acute', 'trust_profile-RX1')
    """
    if notebook == "trust_profile" and trust_code:
        return f"{notebook}-{_safe(trust_code)}"
    return f"{notebook}-{_safe(trust_type)}" if trust_type else notebook


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", str(text))


def notebook_parameters(notebook: str, *, quarter: str, out_files: Path, data_path=None, attributes_path=None,
                        methodology: str = DEFAULT_METHODOLOGY, n_boot: int = 200, seed: int = 1,
                        trust_type: str | None = None, trust_types=None, trust_code: str | None = None,
                        quarter_from: str | None = None) -> dict:
    """The papermill parameters of one notebook run, following the notebooks' contract.

    Paths are made absolute, so the notebook finds them whatever the kernel's
    working directory. ``data_path=None`` means the bundled SYNTHETIC data; several files
    read together are passed as a list.

    Examples
    --------
    >>> p = notebook_parameters("trust_profile", quarter="2025-26-Q1", out_files=Path("/r/x"),
    ...                         trust_type="acute", trust_code="SYN-A001")
    >>> p["trust_code"], p["data_path"], p["output_dir"], "trust_types" in p
    ('SYN-A001', None, '/r/x', False)
    >>> sorted(notebook_parameters("league_table", quarter="2025-26-Q1", out_files=Path("/r/l"),
    ...                            trust_types=["acute"]))  # doctest: +NORMALIZE_WHITESPACE
    ['attributes_path', 'data_path', 'methodology', 'n_boot', 'output_dir', 'quarter', 'seed', 'trust_types']
    """
    if notebook not in EXTRA_PARAMETERS:
        raise ReportError(f"unknown notebook {notebook!r}; the report has {', '.join(NOTEBOOKS)}")
    absolute = (lambda p: None if p is None else str(Path(p).resolve()))
    params = {
        # several data files read together (NHS England's acute and MH & community files): a list
        "data_path": ([absolute(p) for p in data_path] if isinstance(data_path, (list, tuple)) and len(data_path) > 1
                      else absolute(data_path[0] if isinstance(data_path, (list, tuple)) else data_path)),
        "attributes_path": absolute(attributes_path),
        "quarter": quarter,
        "methodology": methodology,
        "n_boot": int(n_boot),
        "seed": int(seed),
        "output_dir": str(Path(out_files).resolve()),
    }
    extra = {"trust_types": list(trust_types) if trust_types is not None else None, "trust_type": trust_type,
             "trust_code": trust_code, "quarter_from": quarter_from}
    for name in EXTRA_PARAMETERS[notebook]:
        params[name] = extra[name]
    return params


def parse_notebooks(spec: str | None) -> list[str]:
    """``"league_table,trust_profile"`` -> the names in report order; None or "" -> all.

    Examples
    --------
    >>> parse_notebooks("trust_profile, league_table.ipynb")
    ['league_table', 'trust_profile']
    >>> parse_notebooks("league")
    Traceback (most recent call last):
    ...
    nhsrank.report.plan.ReportError: unknown notebook(s): league; choose from league_table, reconcile, rank_uncertainty, sensitivity, quarter_movement, trust_profile
    """  # noqa: E501 (doctest output / markup kept on one line)
    if not spec:
        return list(NOTEBOOKS)
    names = {n.strip().removesuffix(".ipynb") for n in spec.split(",") if n.strip()}
    unknown = sorted(names - set(NOTEBOOKS))
    if unknown:
        raise ReportError(f"unknown notebook(s): {', '.join(unknown)}; choose from {', '.join(NOTEBOOKS)}")
    return [n for n in NOTEBOOKS if n in names]


def previous_quarter(quarters, quarter: str) -> str | None:
    """The latest quarter in ``quarters`` before ``quarter`` (None if there is none).

    Examples
    --------
    >>> previous_quarter(["2025-26-Q1", "2024-25-Q4", "2025-26-Q3"], "2025-26-Q3")
    '2025-26-Q1'
    >>> previous_quarter(["2025-26-Q1"], "2025-26-Q1") is None
    True
    """
    earlier = sorted(q for q in set(quarters) if q < quarter)
    return earlier[-1] if earlier else None


def plan_report(
    quarter: str,
    out_dir,
    *,
    notebooks,
    trust_types,
    quarters,
    example_trust: str | None,
    example_type: str = "acute",
    data_path=None,
    attributes_path=None,
    methodology: str = DEFAULT_METHODOLOGY,
    n_boot: int = 200,
    seed: int = 1,
    published: bool = False,
) -> Plan:
    """Decide the notebook runs of one quarter's report.

    Parameters
    ----------
    quarter : the quarter ranked
    out_dir : the quarter's report folder
    notebooks : names to run (see :data:`NOTEBOOKS`)
    trust_types : trust types present in the quarter's data, in methodology order
    quarters : every quarter in the data (quarter_movement compares with the previous one)
    example_trust : trust code for trust_profile (None: skipped); :func:`best_ranked_trust` picks one of
        the trust types present in the data
    example_type : that trust's type
    data_path, attributes_path, methodology, n_boot, seed : passed to every notebook
    published : the data are NHS England's published file (with its results): the reconcile page runs

    Returns
    -------
    Plan with one :class:`Job` per run and the runs skipped, each with its reason.

    Examples
    --------
    >>> plan = plan_report("2025-26-Q1", "/r/2025-26-Q1", notebooks=list(NOTEBOOKS), trust_types=["acute", "ambulance"],
    ...                    quarters=["2025-26-Q1"], example_trust="SYN-A001")
    >>> [j.stem for j in plan.jobs]
    ['league_table', 'rank_uncertainty-acute', 'rank_uncertainty-ambulance', 'sensitivity-acute', 'sensitivity-ambulance', 'trust_profile-SYN-A001']
    >>> plan.skipped[:2]
    [('reconcile', 'the data carry no published results of NHS England to compare with'), ('quarter_movement-acute', 'no quarter before 2025-26-Q1 in the data')]
    """  # noqa: E501 (doctest output / markup kept on one line)
    out_dir = Path(out_dir)
    plan = Plan(quarter=quarter, out_dir=out_dir, trust_types=list(trust_types))
    common = dict(quarter=quarter, data_path=data_path, attributes_path=attributes_path, methodology=methodology,
                  n_boot=n_boot, seed=seed)
    before = previous_quarter(quarters, quarter)

    def add(notebook, trust_type=None, **extra):
        stem = output_stem(notebook, trust_type, extra.get("trust_code"))
        params = notebook_parameters(notebook, out_files=output_paths(out_dir, stem)["files"],
                                     trust_type=trust_type, **common, **extra)
        plan.jobs.append(Job(notebook, stem, trust_type, params))

    for nb in notebooks:
        if nb == "league_table":
            add(nb, trust_types=list(trust_types))
        elif nb == "reconcile":
            if published:
                add(nb)
            else:
                plan.skipped.append(("reconcile", "the data carry no published results of NHS England to compare with"))
        elif nb in PER_TRUST_TYPE:
            for tt in trust_types:
                if nb == "quarter_movement" and before is None:
                    plan.skipped.append((output_stem(nb, tt), f"no quarter before {quarter} in the data"))
                    continue
                add(nb, tt, **({"quarter_from": before} if nb == "quarter_movement" else {}))
        elif nb == "trust_profile":
            if example_trust is None:
                plan.skipped.append(("trust_profile", f"no ranked trust in {quarter}"))
            else:
                add(nb, example_type, trust_code=example_trust)
    return plan


# ---------------------------------------------------------------------------
# HTML: offline export, remote-reference scan, header, index
# ---------------------------------------------------------------------------

# nbconvert's lab template, minus everything it loads from a CDN


def resolve_methodology(metrics, methodology: str | None) -> str:
    """The methodology id (or path) to use: as given, else ae-4hr for the A&E file, else nof-2025-26."""
    from ..data.ae import AE_METHODOLOGY, AE_METRIC_ID

    if methodology and methodology != "auto":
        return methodology
    return AE_METHODOLOGY if set(metrics["metric_id"].unique()) == {AE_METRIC_ID} else DEFAULT_METHODOLOGY


def best_ranked_trust(metrics, quarter: str, methodology, attributes, trust_type: str | None = None) -> str | None:
    """Trust code of the best-ranked trust of ``trust_type`` (ties: lower average score, then code); None
    (the default): of the first trust type in the quarter's data, in the methodology's order, that ranks any.

    Examples
    --------
    >>> import nhsrank
    >>> m, a = nhsrank.load_bundled()
    >>> best_ranked_trust(m, "2025-26-Q1", "nof-2025-26", a).startswith("SYN-A")
    True
    """
    from ..rules.league import league_table
    from ..rules.methodology import load_methodology

    present = set(metrics.loc[metrics["quarter"] == quarter, "trust_type"])
    types = ([trust_type] if trust_type is not None else
             [t for t in load_methodology(methodology).trust_types if t in present])
    for tt in types:
        if tt not in present:
            continue
        table = league_table(metrics, quarter, tt, methodology, attributes).table
        if len(table):
            best = table.sort_values(["league_position", "average_metric_score", "trust_code"]).iloc[0]
            return str(best["trust_code"])
    return None
