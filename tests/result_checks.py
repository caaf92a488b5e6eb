"""What every result object promises (issue 23), checked once for each: a frozen dataclass with its documented
fields, a plain per-row table, ``to_frame()`` a copy of it."""
import dataclasses

import pytest


def check_result(result, fields) -> None:
    """``result`` is frozen, has exactly ``fields``, a plain table, and ``to_frame()`` is a copy of it."""
    assert dataclasses.is_dataclass(result)
    assert [f.name for f in dataclasses.fields(result)] == list(fields)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(result, fields[0], None)
    table = getattr(result, "table", None)
    if table is None:
        table = result.trusts                                  # MonteCarloResult, SegmentTransitions
    assert table.attrs == {}                                   # plain: nothing in attrs
    if hasattr(result, "exclusions"):
        assert result.exclusions.attrs == {}                   # not even the reader's metadata
    frame = result.to_frame()
    assert frame.equals(table) and frame is not table
    if len(frame.columns):
        frame[frame.columns[0]] = None                         # changing the copy leaves the result alone
        assert not frame.equals(table) or table.empty
