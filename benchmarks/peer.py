"""The peer implementation of Mogstad-Romano-Shaikh-Wilhelm rank sets, ``multiple-inference``, if installed.

``pip install multiple-inference`` (or ``pip install -e .[bench]``; ``make bench`` does it). Version 1.2
imports ``scipy.misc.derivative``, which recent SciPy removed; the rank sets never call it, so a stand-in
is put there before the import.
"""
from __future__ import annotations

import warnings


def peer_classes():
    """(MarginalRanking, SimultaneousRanking) from multiple-inference, or None when it is not installed."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import scipy.misc
            if not hasattr(scipy.misc, "derivative"):
                scipy.misc.derivative = None
            from multiple_inference.confidence_set import MarginalRanking, SimultaneousRanking
    except ImportError:
        return None
    return MarginalRanking, SimultaneousRanking
