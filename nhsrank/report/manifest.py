"""What a report was built from: version, methodology and data hashes, seed, parameters.

Every report records these in its header (:func:`report_header`) and in a JSON
manifest next to it (:func:`write_manifest`), so a figure can be traced back to
exactly the inputs that made it.
"""
from __future__ import annotations

import hashlib
import json
import platform
from datetime import datetime, UTC
from pathlib import Path

from ..defaults import DEFAULT_METHODOLOGY
from ..data.readers import SYNTHETIC_ATTRIBUTES, SYNTHETIC_METRICS
from ..outputs import write_text
from ..rules.methodology import load_methodology

SYNTHETIC_BANNER = ("**SYNTHETIC DATA.** These figures come from nhsrank's bundled synthetic data set: "
                    "the trusts are fictional and no figure describes a real organisation.")


def file_sha256(path) -> str:
    """SHA-256 of a file's bytes.

    Examples
    --------
    >>> len(file_sha256(SYNTHETIC_METRICS))
    64
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def data_files(data_path) -> list[Path] | None:
    """``data_path`` as a list of paths (one file, or several read together), or None.

    Examples
    --------
    >>> [p.name for p in data_files("a.csv")], [p.name for p in data_files(["a.csv", "b.csv"])], data_files(None)
    (['a.csv'], ['a.csv', 'b.csv'], None)
    """
    if data_path is None:
        return None
    items = list(data_path) if isinstance(data_path, (list, tuple)) else [data_path]
    return [Path(p) for p in items]


def is_synthetic(data_path) -> bool:
    """True when ``data_path`` is None (the bundled data) or the bundled synthetic file."""
    paths = data_files(data_path)
    return paths is None or (len(paths) == 1 and paths[0].resolve() == SYNTHETIC_METRICS.resolve())


def build_manifest(data_path=None, methodology=DEFAULT_METHODOLOGY, seed=None, parameters=None,
                   attributes_path=None) -> dict:
    """Describe a run: what a table, chart or report was built from.

    Parameters
    ----------
    data_path : path or None
        The metrics file read (CSV, xlsx or the A&E file). ``None`` means the
        bundled SYNTHETIC data, and then its attributes file too.
    methodology : id, YAML path or Methodology
        Recorded as its id and the sha256 of its file (for a variant made with
        ``with_options``, of its configuration).
    seed : int or None
        The random seed of bootstrap / Monte Carlo analyses (None if none).
    parameters : dict, optional
        Anything else that changes the output (quarter, trust type, n_boot,
        sources, ...). Values should be JSON-serialisable (others are written
        with ``str``).
    attributes_path : path, optional
        The trust attributes file, hashed like the data file.

    Returns
    -------
    dict with keys ``nhsrank_version``, ``synthetic_data``, ``methodology``
    (``id``, ``sha256``), ``files`` (``data`` and optionally ``attributes``:
    ``path``, ``sha256``), ``seed``, ``parameters``, ``python``, ``numpy``,
    ``pandas`` and ``built_at`` (UTC, ISO 8601). ``built_at`` is the only
    field that differs between two runs on the same inputs; the tables
    themselves are byte-identical (tests/report/test_manifest.py).

    Examples
    --------
    >>> m = build_manifest(seed=1, parameters={"quarter": "2025-26-Q1"})
    >>> m["synthetic_data"], m["methodology"]["id"], m["seed"]
    (True, 'nof-2025-26', 1)
    >>> sorted(m["files"])
    ['attributes', 'data']
    """
    import numpy
    import pandas

    from .. import __version__

    synthetic = is_synthetic(data_path)
    paths = data_files(data_path) or [SYNTHETIC_METRICS]
    if attributes_path is None and synthetic:
        attributes_path = SYNTHETIC_ATTRIBUTES
    meth = load_methodology(methodology)
    # several data files read together: "data", "data_2", ... in the order given
    files = {("data" if i == 0 else f"data_{i + 1}"): {"path": str(p), "sha256": file_sha256(p)}
             for i, p in enumerate(paths)}
    if attributes_path is not None:
        files["attributes"] = {"path": str(attributes_path), "sha256": file_sha256(attributes_path)}
    return {
        "nhsrank_version": __version__,
        "synthetic_data": synthetic,
        "methodology": {"id": meth.id, "sha256": meth.sha256},
        "files": files,
        "seed": seed,
        "parameters": dict(parameters or {}),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
        "built_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def write_manifest(path, manifest: dict) -> Path:
    """Write ``manifest`` as indented, key-sorted UTF-8 JSON (folders created); returns the path.

    Examples
    --------
    >>> import tempfile, json
    >>> p = write_manifest(Path(tempfile.mkdtemp()) / "manifest.json", build_manifest(seed=1))
    >>> json.loads(p.read_text())["seed"]
    1
    """
    return write_text(path, json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")


def manifest_path_for(table_path) -> Path:
    """Where the manifest of an output table goes: next to it, ``<name>.manifest.json``.

    Examples
    --------
    >>> manifest_path_for("out/league-2025-26-Q1.csv").as_posix()
    'out/league-2025-26-Q1.manifest.json'
    """
    p = Path(table_path)
    return p.with_name(p.stem + ".manifest.json")


def write_manifest_next_to(table_path, manifest: dict) -> Path:
    """Write ``manifest`` beside an output table (:func:`manifest_path_for`); returns its path.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "league.csv"
    >>> write_manifest_next_to(out, build_manifest(seed=1)).name
    'league.manifest.json'
    """
    return write_manifest(manifest_path_for(table_path), manifest)


#: the attribution statement of the Open Government Licence v3.0 (NHS England's files)
OGL_ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
#: the attribution NHS England's files require (Open Government Licence v3.0)
NHS_ENGLAND_ATTRIBUTION = "Data: NHS England's published figures. " + OGL_ATTRIBUTION


def is_nhs_england_file(path) -> bool:
    """True for the NHS England files nhsrank ships or reads by name (published NOF files, A&E statistics)."""
    paths = data_files(path) or []
    return bool(paths) and all(any(k in str(p).replace("\\", "/").lower()
                                   for k in ("nhs-england/", "nhs-oversight-framework", "ae_attendances"))
                               for p in paths)


def plain_value(v) -> str:
    """A parameter's value as a reader writes it: lists joined with commas, yes/no, numbers with
    thousands separators.

    Examples
    --------
    >>> plain_value(["acute", "non-acute"]), plain_value(True), plain_value(10000), plain_value("2025-26-Q1")
    ('acute, non-acute', 'yes', '10,000', '2025-26-Q1')
    """
    if isinstance(v, (list, tuple)):
        return ", ".join(plain_value(x) for x in v)
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def report_header(manifest: dict) -> str:
    """Markdown header for a report: the synthetic-data banner where it applies,
    then version, methodology, data hash, seed and parameters.

    Examples
    --------
    >>> print(report_header(build_manifest(seed=1)).splitlines()[0][:18])
    **SYNTHETIC DATA.*
    """
    lines = []
    if manifest.get("synthetic_data"):
        lines += [SYNTHETIC_BANNER, ""]
    files = manifest["files"]
    data_keys = ["data"] + sorted((k for k in files if k.startswith("data_")), key=lambda k: int(k[5:]))
    data_text = " and ".join(f"`{Path(files[k]['path']).name}` (sha256 {files[k]['sha256'][:12]})" for k in data_keys)
    lines.append(f"nhsrank {manifest['nhsrank_version']} · methodology `{manifest['methodology']['id']}` "
                 f"(sha256 {manifest['methodology']['sha256'][:12]}) · data {data_text}"
                 + (f" · attributes sha256 {files['attributes']['sha256'][:12]}" if "attributes" in files else "")
                 + (f" · seed {manifest['seed']}" if manifest.get("seed") is not None else ""))
    params = {k: v for k, v in (manifest.get("parameters") or {}).items() if v is not None and v != []}
    if params:
        lines.append("Parameters: " + "; ".join(f"{k.replace('_', ' ')} {plain_value(v)}" for k, v in params.items()))
    if not manifest.get("synthetic_data") and is_nhs_england_file(files["data"]["path"]):
        lines.append(NHS_ENGLAND_ATTRIBUTION)
    return (
        "  \n".join(lines)
        if not manifest.get("synthetic_data")
        else "\n".join(lines[:2]) + "\n" + "  \n".join(lines[2:])
    )


def portable(manifest, out_dir, root=None):
    """The manifest without the builder's absolute paths: a path inside the report folder becomes
    relative to it, a path inside ``root`` (default: the repository) relative to that, any other
    absolute path its file name. The hashes still say exactly which file was read.

    Examples
    --------
    >>> portable({"a": "/r/q/x.csv", "b": ["/elsewhere/d.csv", 3], "c": "n=/r/q"}, "/r/q", root="/repo")
    {'a': 'x.csv', 'b': ['d.csv', 3], 'c': 'n=.'}
    """
    import re

    out_dir = str(out_dir).rstrip("/")
    root = str(root if root is not None else Path(__file__).resolve().parents[2]).rstrip("/")

    def fix(v):
        if isinstance(v, dict):
            return {k: fix(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [fix(x) for x in v]
        if not isinstance(v, str):
            return v
        v = v.replace(out_dir + "/", "").replace(out_dir, ".").replace(root + "/", "")
        return re.sub(r"(?<![\w.])/(?:[^\s/'\"]+/)+([^\s/'\"]+)", r"\1", v)

    return fix(manifest)
