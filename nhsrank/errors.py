"""The exceptions nhsrank raises for bad input, and for an output it could not write.

Every reader and validator collects all the problems it finds and raises a
single :class:`InputError` whose ``failures`` attribute is a DataFrame with one
row per problem, so that a user sees everything wrong with a file at once.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where it is used: `import nhsrank` stays quick
    import pandas as pd

FAILURE_COLUMNS = ["source", "row", "trust_code", "column", "problem"]


def shown(value) -> str:
    """A cell as an error message shows it: text in quotes, numbers plainly, a blank as "a blank cell",
    never a Python repr such as ``np.float64(nan)``.

    Examples
    --------
    >>> import numpy as np
    >>> shown(np.float64("nan")), shown("maybe"), shown(np.int64(3)), shown(0.5), shown("  ")
    ('a blank cell', "'maybe'", '3', '0.5', 'a blank cell')
    """
    import pandas as pd  # here, not at the top: `import nhsrank` and `nhsrank --help` stay quick

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "a blank cell"
    if isinstance(value, str):
        return "a blank cell" if not value.strip() else repr(value)
    if hasattr(value, "item"):          # NumPy scalar -> Python number
        value = value.item()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value) if isinstance(value, (int, bool)) else repr(str(value))


class InputError(ValueError):
    """Bad input: a file or table that nhsrank will not rank.

    Parameters
    ----------
    message : str
        One-line summary, e.g. ``"data/x.csv: 3 problems"``.
    failures : pandas.DataFrame, optional
        One row per problem with columns ``source`` (file or table name),
        ``row`` (1-based data row as a spreadsheet user counts it, header is
        row 1, so the first data row is 2; ``None`` if not row-specific),
        ``trust_code``, ``column`` and ``problem`` (what was expected and
        what was found).

    Examples
    --------
    >>> err = InputError.from_records("x.csv", [
    ...     {"row": 2, "trust_code": "ZZA01", "column": "value",
    ...      "problem": "expected a number, found 'n/a'"}])
    >>> print(err)  # doctest: +NORMALIZE_WHITESPACE
    x.csv: 1 problem
      row 2, trust ZZA01, column 'value': expected a number, found 'n/a'
    """

    def __init__(self, message: str, failures: pd.DataFrame | None = None):
        import pandas as pd

        if failures is None:
            failures = pd.DataFrame(columns=FAILURE_COLUMNS)
        self.failures = failures.reindex(columns=FAILURE_COLUMNS).reset_index(drop=True)
        self.summary = message
        super().__init__(self._render())

    @classmethod
    def from_records(cls, source: str, records: list[dict], max_shown: int = 20) -> InputError:
        import pandas as pd

        failures = pd.DataFrame(records).reindex(columns=FAILURE_COLUMNS).astype(object)
        failures["source"] = [source if pd.isna(v) else v for v in failures["source"]]
        n = len(failures)
        err = cls(f"{source}: {n} problem{'s' if n != 1 else ''}", failures)
        err.max_shown = max_shown
        return err

    max_shown = 20

    def _render(self) -> str:
        import pandas as pd

        lines = [self.summary]
        for rec in self.failures.head(self.max_shown).itertuples(index=False):
            where = []
            if rec.row is not None and not pd.isna(rec.row):
                where.append(f"row {int(rec.row)}")
            if rec.trust_code is not None and not pd.isna(rec.trust_code):
                where.append(f"trust {rec.trust_code}")
            if rec.column is not None and not pd.isna(rec.column):
                where.append(f"column '{rec.column}'")
            prefix = ", ".join(where)
            lines.append(f"  {prefix + ': ' if prefix else ''}{rec.problem}")
        extra = len(self.failures) - self.max_shown
        if extra > 0:
            lines.append(f"  ... and {extra} more (see InputError.failures)")
        return "\n".join(lines)

    def __str__(self) -> str:  # re-render so max_shown set after init applies
        return self._render()


class OutputError(InputError):
    """An output nhsrank could not write (full disk, no permission, a folder for a file name).

    One line, naming the path and the cause; the file was not written and no
    partial or temporary file is left (:func:`nhsrank.outputs.write_atomic`).
    A subclass of :class:`InputError` (the output path is a bad argument), so
    code that reports an ``InputError`` reports this too; the ``nhsrank``
    command prints it and exits with status 2.

    Examples
    --------
    >>> print(OutputError("/dev/full", "the disk is full (no space left on the device)"))
    cannot write /dev/full: the disk is full (no space left on the device)
    """

    def __init__(self, path, reason: str):
        import pandas as pd

        self.path, self.reason = str(path), reason
        failures = pd.DataFrame([{"source": self.path, "row": None, "trust_code": None, "column": None,
                                  "problem": f"cannot write the output: {reason}"}])
        super().__init__(f"cannot write {self.path}: {reason}", failures)

    def _render(self) -> str:
        return self.summary


class InputWarning(UserWarning):
    """nhsrank read the input but something in it deserves a look (how a file was decoded,
    title rows skipped, a sheet chosen, decimal commas read, attributes missing for the
    quarter or a trust, no attributes at all, a fraction among percentages)."""


class MethodologyError(ValueError):
    """A methodology file that does not follow ``methodologies/SCHEMA.md``."""
