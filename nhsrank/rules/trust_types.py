"""Trust types: NHS England's labels and common spellings mapped to nhsrank's, and the default from the data.

nhsrank ranks three tables: ``acute``, ``non-acute`` (mental health and community
trusts; NHS England's earlier files say "Non-acute hospital trust") and ``ambulance``.
:data:`TRUST_TYPE_ALIASES` is the one mapping (the readers and the command line use it).
"""
from __future__ import annotations

import re

from ..errors import InputError

#: nhsrank's trust types
TRUST_TYPES = ("acute", "non-acute", "ambulance")

#: lower-case spelling (single spaces) -> nhsrank's trust type
TRUST_TYPE_ALIASES = {
    "acute": "acute", "acute trust": "acute", "acute trusts": "acute", "acute_trust": "acute",
    "acute hospital trust": "acute", "acute hospital trusts": "acute",
    "non-acute": "non-acute", "non acute": "non-acute", "nonacute": "non-acute", "non_acute": "non-acute",
    "non-acute trust": "non-acute", "non-acute trusts": "non-acute",
    "mental health and community": "non-acute", "mental health": "non-acute", "community": "non-acute",
    "mental health & community": "non-acute", "mental health and community trusts": "non-acute",
    "non-acute hospital trust": "non-acute", "non-acute hospital trusts": "non-acute",
    "mental health and community trust": "non-acute", "mental health trust": "non-acute",
    "community trust": "non-acute", "mh": "non-acute", "mhc": "non-acute",
    "ambulance": "ambulance", "ambulance trust": "ambulance", "ambulance trusts": "ambulance",
    "ambulance service": "ambulance",
}


def normalise_trust_type(t) -> str:
    """nhsrank's name of a trust type written NHS England's way or a common way (others as written, lower case).

    Examples
    --------
    >>> [normalise_trust_type(t) for t in ("Mental Health", "Non-Acute", "Acute trust", "Ambulance trust")]
    ['non-acute', 'non-acute', 'acute', 'ambulance']
    >>> normalise_trust_type("Mental health and community trust")
    'non-acute'
    """
    s = re.sub(r"[\s_]+", " ", str(t).strip().lower())
    return TRUST_TYPE_ALIASES.get(s, TRUST_TYPE_ALIASES.get(s.replace(" ", "_"), s))


def resolve_trust_type(present, trust_type=None, where: str = "the data", source: str = "data") -> str:
    """The trust type to rank: the one asked for (any spelling of :data:`TRUST_TYPE_ALIASES`), which the data
    must hold, or, when none is asked for, the only one they hold.

    Parameters
    ----------
    present : trust types in the data (nhsrank's names), in the order to list them
    trust_type : asked for, or None
    where : the data's description in messages, e.g. "2025-26-Q4"
    source : file or table name for :class:`nhsrank.InputError`

    Raises
    ------
    InputError : naming the trust types present, when the one asked for is absent, or none is asked
        for and the data hold several (or none).

    Examples
    --------
    >>> resolve_trust_type(["non-acute"]), resolve_trust_type(["non-acute"], "Mental Health")
    ('non-acute', 'non-acute')
    >>> resolve_trust_type(["non-acute"], "acute")   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nhsrank.errors.InputError: data: 1 problem
      column 'trust_type': no acute trusts in the data; trust types present: non-acute (mental health and community)
    """
    present = list(dict.fromkeys(str(p) for p in present))
    shown = ", ".join(p + (" (mental health and community)" if p == "non-acute" else "") for p in present) or "none"
    if trust_type is None:
        if len(present) == 1:
            return present[0]
        problem = (f"{where} hold{'s' if where != 'the data' else ''} no trusts" if not present else
                   f"{where} hold{'s' if where != 'the data' else ''} {len(present)} trust types ({shown}); "
                   "choose one with trust_type= / --trust-type")
        raise InputError.from_records(source, [{"column": "trust_type", "problem": problem}])
    tt = normalise_trust_type(trust_type)
    if tt not in present:
        asked = repr(trust_type) if tt not in TRUST_TYPES else tt
        raise InputError.from_records(source, [{"column": "trust_type", "problem":
            f"no {asked} trusts in {where}; trust types present: {shown}"}])
    return tt


__all__ = ["TRUST_TYPES", "TRUST_TYPE_ALIASES", "normalise_trust_type", "resolve_trust_type"]
