"""Same data, methodology and seed give byte-identical output tables."""
from nhsrank.cli import main


def run(tmp_path, name, *args):
    out = tmp_path / name
    assert main([*args, "--out", str(out)]) == 0
    return out.read_bytes()


def test_league_csv_is_byte_identical(tmp_path):
    a = run(tmp_path, "a.csv", "league", "--data", "synthetic", "--quarter", "2025-26-Q3")
    b = run(tmp_path, "b.csv", "league", "--data", "synthetic", "--quarter", "2025-26-Q3")
    assert a == b and len(a) > 10_000


def test_uncertainty_csv_depends_only_on_the_seed(tmp_path):
    args = [
        "uncertainty",
        "--data",
        "synthetic",
        "--quarter",
        "2025-26-Q3",
        "--trust-type",
        "non-acute",
        "--boot",
        "200",
        "--no-progress",
    ]
    a = run(tmp_path, "a.csv", *args, "--seed", "3")
    b = run(tmp_path, "b.csv", *args, "--seed", "3")
    c = run(tmp_path, "c.csv", *args, "--seed", "4")
    assert a == b
    assert a != c
