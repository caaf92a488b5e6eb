"""The run manifest: what a table or report was built from (version, hashes, seed, parameters)."""
import hashlib
import json
import shutil
from pathlib import Path

import pytest

import nhsrank
from nhsrank.data.readers import AE_ATTENDANCES, SYNTHETIC_ATTRIBUTES, SYNTHETIC_METRICS
from nhsrank.report.manifest import portable, build_manifest, file_sha256, is_synthetic, report_header, write_manifest


def test_bundled_data_manifest_records_everything():
    m = build_manifest(seed=7, parameters={"quarter": "2025-26-Q2", "n_boot": 200})
    meth = nhsrank.load_methodology("nof-2025-26")
    assert m["nhsrank_version"] == nhsrank.__version__
    assert m["methodology"] == {"id": "nof-2025-26", "sha256": meth.sha256}
    yaml_file = Path(nhsrank.__file__).parent / "rules" / "methodologies" / "nof-2025-26.yaml"
    assert meth.sha256 == hashlib.sha256(yaml_file.read_bytes()).hexdigest()
    assert m["files"]["data"]["sha256"] == hashlib.sha256(SYNTHETIC_METRICS.read_bytes()).hexdigest()
    assert m["files"]["attributes"]["sha256"] == hashlib.sha256(SYNTHETIC_ATTRIBUTES.read_bytes()).hexdigest()
    assert m["seed"] == 7 and m["parameters"] == {"quarter": "2025-26-Q2", "n_boot": 200}
    assert m["synthetic_data"] is True
    for key in ("python", "numpy", "pandas", "built_at"):
        assert m[key]


def test_user_data_is_not_called_synthetic_and_has_no_attributes_by_default():
    m = build_manifest(AE_ATTENDANCES, "ae-4hr", seed=None)
    assert m["synthetic_data"] is False and not is_synthetic(AE_ATTENDANCES)
    assert set(m["files"]) == {"data"} and m["seed"] is None
    assert m["methodology"]["id"] == "ae-4hr"


def test_hashes_follow_the_bytes(tmp_path):
    copy = tmp_path / "copy.csv"
    shutil.copy(SYNTHETIC_METRICS, copy)
    assert file_sha256(copy) == file_sha256(SYNTHETIC_METRICS)
    copy.write_bytes(copy.read_bytes().replace(b"\n", b"\r\n", 1))   # one edit, e.g. by Excel
    assert file_sha256(copy) != file_sha256(SYNTHETIC_METRICS)
    assert build_manifest(copy)["files"]["data"]["sha256"] == file_sha256(copy)


def test_a_methodology_variant_is_recorded_with_its_own_hash():
    base = nhsrank.load_methodology("nof-2025-26")
    variant = base.with_options(min_metrics=1)
    m = build_manifest(methodology=variant)
    assert m["methodology"]["id"] == variant.id != base.id
    assert m["methodology"]["sha256"] != base.sha256


def test_written_manifest_is_stable_json_apart_from_the_timestamp(tmp_path):
    a = build_manifest(seed=1, parameters={"quarter": "2025-26-Q1"})
    b = build_manifest(seed=1, parameters={"quarter": "2025-26-Q1"})
    a["built_at"] = b["built_at"] = "2026-01-01T00:00:00Z"
    pa, pb = write_manifest(tmp_path / "a" / "manifest.json", a), write_manifest(tmp_path / "b.json", b)
    assert pa.read_bytes() == pb.read_bytes()
    assert json.loads(pa.read_text()) == a
    assert pa.read_text().endswith("}\n")


def test_only_the_timestamp_differs_between_identical_runs():
    a, b = build_manifest(seed=3), build_manifest(seed=3)
    a.pop("built_at"), b.pop("built_at")
    assert a == b


@pytest.mark.parametrize("synthetic", [True, False])
def test_report_header_names_version_hashes_seed_and_parameters(synthetic):
    data = None if synthetic else AE_ATTENDANCES
    m = build_manifest(data, "nof-2025-26" if synthetic else "ae-4hr", seed=11,
                       parameters={"quarter": "Q", "trust_type": ["non-acute"], "trust_profile": None})
    h = report_header(m)
    assert f"nhsrank {nhsrank.__version__}" in h
    assert m["methodology"]["sha256"][:12] in h and m["files"]["data"]["sha256"][:12] in h
    assert "seed 11" in h and "quarter Q; trust type non-acute" in h
    assert "None" not in h and "['" not in h and "=" not in h.split("Parameters:")[1]   # no Python reprs
    assert " · seed" not in report_header(build_manifest(data, seed=None, parameters={"quarter": "Q"}))
    assert ("SYNTHETIC DATA" in h) == synthetic


# --- byte-identical tables: same data, methodology and seed give the same bytes ------------------------

def _league_bytes(tmp_path, name, *args):
    from nhsrank.cli import main

    out = tmp_path / name
    assert main(["league", "--data", "synthetic", "--quarter", "2025-26-Q1", *args, "--out", str(out)]) == 0
    return out.read_bytes(), out.with_name(out.stem + "-exclusions.csv").read_bytes()


def test_league_and_exclusions_files_are_byte_identical_across_runs(tmp_path):
    a = _league_bytes(tmp_path, "a.csv")
    b = _league_bytes(tmp_path, "b.csv")
    assert a == b and len(a[0]) > 10_000 and len(a[1]) > 100


def test_row_order_and_excel_flavour_do_not_change_the_bytes(tmp_path):
    """The same figures, shuffled, saved by Excel as CSV with BOM and CRLF, give the same table."""
    import pandas as pd

    raw = pd.read_csv(SYNTHETIC_METRICS, dtype=str, keep_default_na=False)
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_bytes(b"\xef\xbb\xbf" + raw.sample(frac=1, random_state=5).to_csv(
        index=False, lineterminator="\r\n").encode())
    attrs = ["--attributes", str(SYNTHETIC_ATTRIBUTES)]
    want = _league_bytes(tmp_path, "want.csv", "--data", str(SYNTHETIC_METRICS), *attrs)
    got = _league_bytes(tmp_path, "got.csv", "--data", str(shuffled), *attrs)
    assert got == want


def test_manifest_has_no_builder_paths():
    m = portable({"files": {"data": {"path": "/home/u/repo/data/x.csv"}}, "runs": [{"output_dir": "/out/q/league"}]},
                 "/out/q", root="/home/u/repo")
    assert m == {"files": {"data": {"path": "data/x.csv"}}, "runs": [{"output_dir": "league"}]}
