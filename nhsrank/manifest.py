"""What a report was built from: version, methodology and data hashes, seed, parameters.

Every report records these in its header (:func:`report_header`) and in a JSON
manifest next to it (:func:`write_manifest`), so a figure can be traced back to
exactly the inputs that made it.
"""
from __future__ import annotations

import hashlib
import json
import platform
from datetime import datetime, timezone
from pathlib import Path

from .io import SYNTHETIC_ATTRIBUTES, SYNTHETIC_METRICS
from .methodology import load_methodology

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


def is_synthetic(data_path) -> bool:
    """True when ``data_path`` is None (the bundled data) or the bundled synthetic file."""
    return data_path is None or Path(data_path).resolve() == SYNTHETIC_METRICS.resolve()


def build_manifest(data_path=None, methodology="nof-2025-26", seed=None, parameters=None,
                   attributes_path=None) -> dict:
    """A dict describing a run: nhsrank version, methodology id and sha256, data
    (and attributes) file sha256, seed, parameters, library versions, and a UTC
    timestamp (``built_at``; the only field that changes between identical runs).

    ``data_path=None`` means the bundled SYNTHETIC data (and its attributes).

    Examples
    --------
    >>> m = build_manifest(seed=1, parameters={"quarter": "2025-26-Q1"})
    >>> m["synthetic_data"], m["methodology"]["id"], m["seed"]
    (True, 'nof-2025-26', 1)
    """
    import numpy
    import pandas

    from . import __version__

    synthetic = is_synthetic(data_path)
    data = Path(data_path) if data_path is not None else SYNTHETIC_METRICS
    if attributes_path is None and synthetic:
        attributes_path = SYNTHETIC_ATTRIBUTES
    meth = load_methodology(methodology)
    files = {"data": {"path": str(data), "sha256": file_sha256(data)}}
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
        "built_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def write_manifest(path, manifest: dict) -> Path:
    """Write ``manifest`` as indented, key-sorted JSON; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    return path


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
    lines.append(f"nhsrank {manifest['nhsrank_version']} · methodology `{manifest['methodology']['id']}` "
                 f"(sha256 {manifest['methodology']['sha256'][:12]}) · data `{Path(files['data']['path']).name}` "
                 f"(sha256 {files['data']['sha256'][:12]})"
                 + (f" · attributes sha256 {files['attributes']['sha256'][:12]}" if "attributes" in files else "")
                 + f" · seed {manifest['seed']}")
    if manifest.get("parameters"):
        params = ", ".join(f"{k}={v}" for k, v in manifest["parameters"].items())
        lines.append(f"Parameters: {params}")
    return "  \n".join(lines) if not manifest.get("synthetic_data") else "\n".join(lines[:2]) + "\n" + "  \n".join(lines[2:])
