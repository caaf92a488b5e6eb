"""Tables printed by the ``nhsrank`` command: within 100 columns, whole numbers as whole numbers.

Printing is for a look; ``--out FILE`` writes every row and column as CSV and
``--full`` prints them all.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

#: terminal width the printed tables keep within
WIDTH = 100
#: rows printed without --full
MAX_ROWS = 40
#: longest trust name printed without --full (longer names end with "~")
NAME_WIDTH = 30


def _integers_as_integers(df: pd.DataFrame) -> pd.DataFrame:
    """Float columns whose values are all whole numbers (or missing) become nullable integers.

    Examples
    --------
    >>> _integers_as_integers(pd.DataFrame({"a": [117.0, np.nan], "b": [0.5, 1.0]})).dtypes.astype(str).tolist()
    ['Int64', 'float64']
    """
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_float_dtype(s) and s.notna().any():
            v = s.dropna().to_numpy()
            if np.all(np.isfinite(v)) and np.all(v == np.round(v)) and np.all(np.abs(v) < 2**53):
                out[c] = s.round().astype("Int64")
    return out


def format_table(df: pd.DataFrame, columns=None, *, full: bool = False, width: int = WIDTH,
                 max_rows: int = MAX_ROWS) -> str:
    """The table as text: without ``full``, the columns that fit in ``width`` characters (in order),
    trust names cut to :data:`NAME_WIDTH`, the first ``max_rows`` rows, and a last line saying what
    was left out and how to see it.

    Examples
    --------
    >>> df = pd.DataFrame({"league_position": [1.0, 2.0], "trust_name": ["A very long trust name " * 3, "B"],
    ...                    "average_metric_score": [1.23456, 2.5], "p" * 50: [1, 2]})
    >>> print(format_table(df))
     league_position                     trust_name  average_metric_score
                   1 A very long trust name A very~                  1.23
                   2                              B                  2.50
    (1 more column: pppppppppppppppppppppppppppppppppppppppppppppppppp; --full prints every row and
    column, --out FILE writes them as CSV)
    """
    cols = [c for c in (columns or df.columns) if c in df.columns]
    t = _integers_as_integers(df[cols])
    if full:
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 10_000):
            return t.to_string(index=False, float_format=lambda v: f"{v:.2f}")
    hidden_rows = max(0, len(t) - max_rows)
    t = t.head(max_rows)
    if "trust_name" in t:
        t["trust_name"] = [n if not isinstance(n, str) or len(n) <= NAME_WIDTH else n[:NAME_WIDTH - 1] + "~"
                           for n in t["trust_name"]]
    shown = []
    for c in t.columns:
        trial = t[shown + [c]].to_string(index=False, float_format=lambda v: f"{v:.2f}")
        if shown and max(len(line) for line in trial.splitlines()) > width:
            break
        shown.append(c)
    text = t[shown].to_string(index=False, float_format=lambda v: f"{v:.2f}")
    left = [c for c in cols if c not in shown]
    notes = []
    if hidden_rows:
        notes.append(f"{hidden_rows} more row{'s' if hidden_rows > 1 else ''}")
    if left:
        notes.append(f"{len(left)} more column{'s' if len(left) > 1 else ''}: {', '.join(left)}")
    if notes:
        import textwrap

        text += "\n" + textwrap.fill("(" + "; ".join(notes) + "; --full prints every row and column, --out FILE "
                                     "writes them as CSV)", width=width, break_on_hyphens=False)
    return text


__all__ = ["format_table", "WIDTH", "MAX_ROWS"]
