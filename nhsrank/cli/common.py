"""Options and input handling shared by the subcommands."""
from __future__ import annotations

import argparse
import contextlib
import math
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..defaults import DEFAULT_METHODOLOGY
from ..errors import InputWarning
from ..outputs import is_device, write_atomic
from ..report.output import refuse_inputs

# Building the parser imports nothing heavy (pandas, scipy, altair): `nhsrank --help` stays quick. The
# modules that compute are imported in the functions that use them, and the few values the options
# show are written here; tests/project/test_startup.py checks they equal the library's.
#: nhsrank.data.ae.AE_METHODOLOGY
AE_METHODOLOGY = "ae-4hr"
#: nhsrank.uncertainty.bootstrap.SOURCES (the --source choices)
SOURCES = ("sampling", "metrics", "weights", "scores")
if TYPE_CHECKING:                  # annotations only
    import pandas as pd

    from ..rules.methodology import Methodology

TRUST_TYPE_CHOICES = ("acute", "non-acute", "ambulance")
SYNTHETIC_NOTICE = ("NOTE: these figures come from the bundled SYNTHETIC data set (fictional trusts), as "
                    "--data synthetic asks; without --data nhsrank reads NHS England's files in data/nhs-england.")


def add_input_options(p: argparse.ArgumentParser, quarter_required: bool = False) -> None:
    p.add_argument(
        "--data",
        nargs="+",
        metavar="FILE",
        help="metrics file(s) (CSV or xlsx): NHS England's published NOF file(s), the canonical "
        "tidy format or the A&E attendances file; several files (e.g. acute, mental health and "
        "community, ambulance) are pooled as NHS England pools them, or 'synthetic' for the bundled SYNTHETIC data; "
        "default: NHS England's acute (Q1 2025/26) and mental health and community files shipped in "
        "data/nhs-england, read together",
    )
    p.add_argument("--attributes", help="trust attributes file (financial_deficit, pip flags); default: the "
                   "bundled one with the bundled data, none otherwise")
    p.add_argument("--quarter", required=quarter_required,
                   help="quarter to rank, e.g. 2025-26-Q1 (default: the latest quarter that holds every trust type "
                   "in the data, said on stderr)")
    p.add_argument("--trust-type", type=trust_type_choice, metavar="{acute,non-acute,ambulance}",
                   help="one league table (NHS England's labels work too: 'Mental health and community trust' "
                   "is non-acute); default: every trust type in the data, each ranked separately")
    p.add_argument("--methodology", default="auto",
                   help=f"methodology id or YAML path (default: {DEFAULT_METHODOLOGY}; {AE_METHODOLOGY} for A&E data)")
    p.add_argument("--cut-points", type=_cut_points, metavar="C1,C2,C3",
                   help="the quarter's segment cut points on the average score, e.g. 2.01,2.29,2.57 (default: "
                   "pooled quartiles of every trust type loaded, or those consistent with the segments the "
                   "published file gives)")
    p.add_argument("--out", help="write the result as CSV to this file instead of printing it")
    p.add_argument("--full", action="store_true", help="print every row and column (default: what fits in 100 "
                   "columns, the first 40 rows)")


def _ascending_numbers(text: str, what: str, example: str) -> list[float]:
    try:
        values = [float(x) for x in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected numbers separated by commas, e.g. {example}; got {text!r}") from None
    if not all(math.isfinite(v) for v in values):
        raise argparse.ArgumentTypeError(f"{what} must be finite numbers, e.g. {example}; got {text!r}")
    if values != sorted(values) or len(set(values)) != len(values):
        raise argparse.ArgumentTypeError(f"{what} must be ascending, e.g. {example}; got {text!r}")
    return values


def _cut_points(text: str) -> list[float]:
    return _ascending_numbers(text, "cut points", "2.01,2.29,2.57")


def thresholds_type(text: str) -> list[float]:
    """argparse ``type=`` for --thresholds: ascending numbers separated by commas.

    Examples
    --------
    >>> thresholds_type("1.75,2.5,3.25")
    [1.75, 2.5, 3.25]
    """
    return _ascending_numbers(text, "thresholds", "1.75,2.5,3.25")


def trust_type_choice(text: str) -> str:
    """argparse ``type=`` for --trust-type: nhsrank's name, NHS England's label or a common spelling.

    Examples
    --------
    >>> trust_type_choice("Mental Health"), trust_type_choice("Acute trust")
    ('non-acute', 'acute')
    """
    from ..rules.trust_types import normalise_trust_type

    tt = normalise_trust_type(text)
    if tt not in TRUST_TYPE_CHOICES:
        raise argparse.ArgumentTypeError(
            f"unknown trust type {text!r}: choose acute, non-acute (mental health and community trusts) or "
            "ambulance (NHS England's labels such as 'Mental health and community trust' work too)")
    return tt


def seed_type(text: str) -> int:
    """argparse ``type=`` for --seed: a whole number from 0 (numpy's seeds are non-negative).

    Examples
    --------
    >>> seed_type("42")
    42
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 up, e.g. 42; got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"a seed must be 0 or more (numpy refuses negative seeds); got {text!r}")
    return value


def positive_int(text: str) -> int:
    """argparse ``type=`` for counts (replicates, sample sizes): a whole number from 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, e.g. 1000; got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 up; got {text!r}")
    return value


def level_type(text: str) -> float:
    """argparse ``type=`` for --level: a confidence level strictly between 0 and 1.

    Examples
    --------
    >>> level_type("0.9")
    0.9
    """
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, e.g. 0.95; got {text!r}") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"a confidence level lies strictly between 0 and 1, e.g. 0.95; got {text!r}")
    return value


def check_sources_option(parser: argparse.ArgumentParser, sources) -> None:
    """Refuse, as argparse refuses a bad option (usage and one line, exit status 2), a --source scores combined
    with other sources: NHS England's likely-range method stands alone."""
    if sources and "scores" in sources and len(set(sources)) > 1:
        parser.error("--source scores (NHS England's likely-range method) stands alone; "
                     "it does not combine with sampling, metrics or weights")


@contextlib.contextmanager
def input_warnings_to_stderr():
    """Within a command, print each :class:`~nhsrank.errors.InputWarning` once as
    ``nhsrank: warning: ...`` (no source line, no traceback); other warnings as Python prints them."""
    shown: set[str] = set()
    original = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, InputWarning):
            text = str(message)
            if text not in shown:
                shown.add(text)
                print(f"nhsrank: warning: {text}", file=sys.stderr)
        else:
            original(message, category, filename, lineno, file, line)

    with warnings.catch_warnings():
        warnings.simplefilter("always", InputWarning)
        warnings.showwarning = show
        yield


@dataclass
class Inputs:
    """What a subcommand reads: the metrics, the attributes, the methodology and where they came from."""

    metrics: pd.DataFrame
    attributes: pd.DataFrame | None
    methodology: Methodology
    data_path: Path
    synthetic: bool
    data_paths: list = None

    def __post_init__(self):
        if self.data_paths is None:
            self.data_paths = [self.data_path]

    def trust_types(self, requested: str | None, quarter: str | None = None) -> list[str]:
        """``[requested]`` if the data (the quarter's, if given) hold it, else every type they hold;
        asking for an absent type is an :class:`~nhsrank.errors.InputError` naming those present."""
        from ..rules.pipeline import types_present
        from ..rules.trust_types import resolve_trust_type

        m = self.metrics if quarter is None else self.metrics[self.metrics["quarter"] == quarter]
        present = types_present(m.assign(quarter="all"), "all", self.methodology)
        if requested:
            return [resolve_trust_type(present, requested, quarter or "the data", str(self.data_path))]
        return present


def _data_arg(args):
    """``--data`` as :func:`nhsrank.report.inputs.read_inputs` takes it: None (NHS England's files shipped in
    data/nhs-england), "synthetic" or a list of paths."""
    if args.data and len(args.data) == 1 and args.data[0].strip().lower() == "synthetic":
        return "synthetic"
    return [Path(d) for d in args.data] if args.data else None


def command_inputs(args) -> Inputs:
    """The command's inputs, read by :func:`nhsrank.report.inputs.read_inputs` (the notebooks' reader too, so
    the default data, ``--data synthetic`` and ``--methodology auto`` resolve as they do there). Without
    ``--quarter``, the quarter is the latest that holds every trust type in the data, said on stderr."""
    from ..report.inputs import data_paths, default_quarter, read_inputs
    from ..rules.methodology import load_methodology

    data = _data_arg(args)
    metrics, attributes, meth, synthetic = read_inputs(data, args.attributes, args.methodology,
                                                       quarter=getattr(args, "quarter", None))
    if metrics.attrs.get("quarter_note"):
        for note in metrics.attrs["quarter_note"].splitlines():
            print(f"nhsrank: {note}", file=sys.stderr)
    paths = data_paths(data)
    if synthetic:
        print(SYNTHETIC_NOTICE, file=sys.stderr)
    elif data is None:
        print(f"nhsrank: data: NHS England's files shipped in data/nhs-england ({', '.join(p.name for p in paths)}; "
              "OGL v3.0); --data FILE for others, --data synthetic for the SYNTHETIC set", file=sys.stderr)
    if hasattr(args, "quarter") and args.quarter is None and metrics["quarter"].notna().any():
        args.quarter, note = default_quarter(metrics)
        print(f"nhsrank: {note or 'quarter ' + args.quarter + ': the latest quarter in the data'} "
              "(--quarter for another)", file=sys.stderr)
    return Inputs(metrics, attributes, load_methodology(meth), paths[0], synthetic, paths)


def input_paths(args) -> list[Path]:
    """Every input file of a command (data, attributes): no output may be written onto one."""
    from ..data.readers import SYNTHETIC_ATTRIBUTES, SYNTHETIC_METRICS
    from ..report.inputs import data_paths

    data = _data_arg(args) if hasattr(args, "data") else None
    paths = data_paths(data) + ([SYNTHETIC_ATTRIBUTES] if data_paths(data) == [SYNTHETIC_METRICS.resolve()] else [])
    if getattr(args, "attributes", None):
        paths.append(Path(args.attributes))
    return paths


def write_or_print(df: pd.DataFrame, out: str | None, show_columns: list[str] | None = None, inputs=(),
                   full: bool = False) -> None:
    if out:
        path = Path(out)
        refuse_inputs(path, inputs)
        write_atomic(path, lambda tmp: df.to_csv(tmp, index=False, lineterminator="\n", float_format="%.6g"))
        print(f"wrote {path} ({len(df)} rows)", file=sys.stderr)
    else:
        from .display import format_table     # within 100 columns; --full for every row and column

        print(format_table(df, show_columns if not full else None, full=full))


def write_run_manifest(args, inp: Inputs) -> None:
    """With --out, record what made the table (version, hashes, seed, parameters) beside it."""
    from ..report.manifest import build_manifest, write_manifest_next_to

    if not getattr(args, "out", None) or is_device(args.out):     # --out /dev/null: no manifest in /dev
        return
    params = {k: v for k, v in sorted(vars(args).items()) if k != "func" and v is not None}
    manifest = build_manifest(inp.data_paths if len(inp.data_paths) > 1 else inp.data_path, inp.methodology,
                              seed=getattr(args, "seed", None), parameters=params,
                              attributes_path=getattr(args, "attributes", None))
    from ..report.manifest import manifest_path_for

    refuse_inputs(manifest_path_for(args.out), input_paths(args))
    path = write_manifest_next_to(args.out, manifest)
    print(f"wrote {path}", file=sys.stderr)


def write_exclusions(excl: pd.DataFrame, out: str | None, inputs=()) -> None:
    ex_path = Path(out).with_name(Path(out).stem + "-exclusions.csv") if out and not is_device(out) else None
    if ex_path is not None:
        refuse_inputs(ex_path, inputs)
    if excl.empty:
        if ex_path is not None and ex_path.exists():
            ex_path.unlink()          # this run excluded nobody: an earlier run's list would mislead
            print(f"removed {ex_path} (an earlier run's; this run excluded no trust)", file=sys.stderr)
        return
    print(f"{len(excl)} trust(s) not ranked:", file=sys.stderr)
    for r in excl.itertuples(index=False):
        print(f"  {r.trust_code} ({r.trust_type}, {r.quarter}): {r.reason}", file=sys.stderr)
    if ex_path is not None:
        write_atomic(ex_path, lambda tmp: excl.to_csv(tmp, index=False, lineterminator="\n"))
        print(f"wrote {ex_path}", file=sys.stderr)
