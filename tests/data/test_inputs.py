"""nhsrank.data.inputs: the front doors that read paths and raw tables before the rules rank them."""
import pandas as pd
import pytest

import nhsrank
from nhsrank.data import inputs
from nhsrank.data.readers import SYNTHETIC_ATTRIBUTES, SYNTHETIC_METRICS
from nhsrank.errors import InputError, InputWarning
from nhsrank.rules import league as rules_league

Q = "2025-26-Q1"


@pytest.fixture(scope="module")
def read():
    return nhsrank.read_metrics(SYNTHETIC_METRICS), nhsrank.read_attributes(SYNTHETIC_ATTRIBUTES)


def test_as_metrics_keeps_a_table_already_read_and_reads_anything_else(read):
    metrics, _ = read
    assert inputs.as_metrics(metrics) is metrics                     # read once, not again
    from_path = inputs.as_metrics(SYNTHETIC_METRICS)
    from_raw = inputs.as_metrics(pd.read_csv(SYNTHETIC_METRICS))
    assert from_path.equals(metrics) and from_raw.drop(columns="_row").equals(metrics.drop(columns="_row"))
    assert "_row" in from_raw                                            # a raw table is checked like a file
    # the same file given twice in a list is read as several files: the rows clash
    with pytest.raises(InputError):
        inputs.as_metrics([SYNTHETIC_METRICS, SYNTHETIC_METRICS])


def test_as_metrics_checks_a_raw_table():
    raw = pd.read_csv(SYNTHETIC_METRICS, dtype=str)
    raw.loc[3, "value"] = "n/a"
    with pytest.raises(InputError, match="column 'value'"):
        inputs.as_metrics(raw)


def test_as_attributes(read):
    _, attributes = read
    assert inputs.as_attributes(None) is None
    assert inputs.as_attributes(attributes) is attributes
    raw = pd.read_csv(SYNTHETIC_ATTRIBUTES)
    assert "_row" not in raw and "_row" in inputs.as_attributes(raw)
    assert inputs.as_attributes(SYNTHETIC_ATTRIBUTES)["financial_deficit"].equals(attributes["financial_deficit"])


def recorder():
    seen = {}

    def rule(data, quarter=None, trust_type=None, methodology=None, attributes=None):
        """A rules function."""
        seen.update(data=data, quarter=quarter, attributes=attributes)
        return "ranked"

    return inputs.reads_inputs(rule), seen


def test_reads_inputs_reads_data_and_attributes_given_by_keyword_or_position(read):
    wrapped, seen = recorder()
    assert wrapped.__doc__ == "A rules function." and wrapped.__name__ == "rule"
    assert wrapped(str(SYNTHETIC_METRICS), Q, "acute", "nof-2025-26", str(SYNTHETIC_ATTRIBUTES)) == "ranked"
    assert "_row" in seen["data"] and "_row" in seen["attributes"] and seen["quarter"] == Q
    wrapped(pd.read_csv(SYNTHETIC_METRICS), quarter=Q, attributes=pd.read_csv(SYNTHETIC_ATTRIBUTES))
    assert "_row" in seen["data"] and "_row" in seen["attributes"]
    wrapped(read[0], Q)
    assert seen["data"] is read[0] and seen["attributes"] is None


def test_reads_inputs_warns_of_attribute_codes_the_data_do_not_hold(read):
    metrics, attributes = read
    wrapped, seen = recorder()
    typo = attributes.copy()
    typo.loc[typo.index[0], "trust_code"] = "SYN-Z999"
    with pytest.warns(InputWarning, match="SYN-Z999"):
        wrapped(metrics, Q, attributes=typo)


def test_the_front_doors_rank_as_the_rules_do(read):
    metrics, attributes = read
    from_paths = inputs.league_table(SYNTHETIC_METRICS, Q, "ambulance", attributes=SYNTHETIC_ATTRIBUTES).table
    ruled = rules_league.league_table(metrics, Q, "ambulance", attributes=attributes).table
    pd.testing.assert_frame_equal(from_paths, ruled)
    assert nhsrank.league_table is inputs.league_table and nhsrank.peer_group is inputs.peer_group
