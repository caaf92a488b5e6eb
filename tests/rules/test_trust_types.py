"""Trust types (nhsrank.rules.trust_types): NHS England's labels and common spellings read as the canonical types."""
from __future__ import annotations

import pytest

from nhsrank.rules.trust_types import normalise_trust_type


@pytest.mark.parametrize("label", ["Mental health and community trust", "Non-acute hospital trust", "Mental Health",
                                   "Non-Acute", "non_acute", "MENTAL HEALTH AND COMMUNITY"])
def test_nhs_england_labels_and_common_spellings_are_non_acute(label):
    assert normalise_trust_type(label) == "non-acute"


@pytest.mark.parametrize("label, canon", [("Acute trust", "acute"), ("Ambulance trust", "ambulance")])
def test_acute_and_ambulance_labels(label, canon):
    assert normalise_trust_type(label) == canon
