"""The `nhsrank uncertainty` command (nhsrank.cli.uncertainty)."""
import re
from pathlib import Path

import pandas as pd
import pytest

from nhsrank.cli import main

Q1 = "2025-26-Q1"
AE_Q = "2018-19-Q4"


def test_uncertainty_shows_the_uncertainty_by_default(capsys):
    """Position, name, score (2 dp), segment, the 95% rank set, the likely range and the band, in 100 columns."""
    assert main(["uncertainty", "--data", "synthetic", "--quarter", "2025-26-Q1", "--trust-type", "ambulance",
                 "--n-boot", "200", "--no-progress"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["position", "trust", "score", "segment", "rank", "set", "likely", "range", "band"]
    assert all(re.search(r"\b\d+-\d+\b.*\b\d+-\d+\b", line) for line in out[1:6])     # rank set, likely range
    assert not any(re.search(r"\b\d\.\d{3}\b", line) for line in out)                 # scores as NHS England: 2 dp
    assert max(len(line) for line in out) <= 100


def test_cli_writes_csv(tmp_path, capsys):
    out = tmp_path / "u.csv"
    pairs = tmp_path / "pairs.csv"
    data = Path(__file__).resolve().parents[2] / "data" / "ae_attendances_2016_2019.csv"
    rc = main(["uncertainty", "--data", str(data), "--quarter", AE_Q, "--trust-type", "acute", "--boot", "200",
               "--seed", "1", "--no-progress", "--out", str(out), "--pairs-out", str(pairs)])
    assert rc == 0
    df = pd.read_csv(out)
    for col in ("league_position", "rank_lower", "rank_upper", "likely_position_median", "p_segment_1", "p_segment_4",
                "p_top_quartile", "simultaneous_rank_lower"):
        assert col in df.columns
    assert len(pd.read_csv(pairs)) == len(df) - 1
    err = capsys.readouterr().err
    assert "neighbouring pairs" in err and "rankability" in err
    # same seed, same file
    out2 = tmp_path / "u2.csv"
    main(["uncertainty", "--data", str(data), "--quarter", AE_Q, "--trust-type", "acute", "--boot", "200",
          "--seed", "1", "--no-progress", "--out", str(out2)])
    assert out.read_text() == out2.read_text()


def test_cli_on_bundled_data(tmp_path):
    from nhsrank.data.readers import SYNTHETIC_METRICS

    if not SYNTHETIC_METRICS.exists():
        pytest.skip("bundled SYNTHETIC data not generated yet")
    out = tmp_path / "u.csv"
    rc = main(
        [
            "uncertainty",
            "--data",
            "synthetic",
            "--quarter",
            Q1,
            "--trust-type",
            "acute",
            "--boot",
            "100",
            "--seed",
            "1",
            "--source",
            "sampling",
            "--source",
            "weights",
            "--no-progress",
            "--out",
            str(out),
        ]
    )
    assert rc == 0
    df = pd.read_csv(out)
    assert df["league_position"].min() == 1 and "p_segment_5" in df.columns
