"""The short, stable name of a geography in file names and run ids: a code, or a list of codes.

A code stays itself (``TIP:EUR``). A list of codes is named by the set it holds, so two lists
with other members never share a name and the same members in another order always do:

- the name ``notebooks/pipeline.yml`` gives that set under ``names:`` (the pipeline passes its
  names to the kernels in ``THBSTATS_GEO_NAMES``, JSON ``{"baltic": ["EST", "LTU", "LVA"]}``);
- else, up to three codes, the codes sorted and joined by ``+`` (``EST+LTU+LVA``);
- else the number of codes and a hash of the sorted codes (``list5-3f9a61c2``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping

from thbstats.digest import text_digest

NAMES_VARIABLE = "THBSTATS_GEO_NAMES"
MAX_JOINED = 3  # lists of up to this many codes are named by their codes


def members(geo: Iterable[str]) -> tuple[str, ...]:
    """The codes of a list, sorted and without repeats: what its name is made from."""
    return tuple(sorted(set(geo)))


def list_hash(geo: Iterable[str]) -> str:
    """Eight hex digits of the SHA-256 of the sorted codes, joined by commas.

    >>> list_hash(["LVA", "EST"]) == list_hash(["EST", "LVA", "EST"])
    True
    """
    return text_digest(",".join(members(geo)))[:8]


def names_from_environment() -> dict[str, tuple[str, ...]]:
    """The list names ``thbstats run`` passed to this process (empty outside a run)."""
    text = os.environ.get(NAMES_VARIABLE)
    if not text:
        return {}
    try:
        doc = json.loads(text)
    except ValueError:
        raise ValueError(
            f"{NAMES_VARIABLE}: expected JSON {{name: [codes]}}, found {text!r}"
        ) from None
    return {str(name): members(codes) for name, codes in doc.items()}


def geo_key(geo: str | Iterable[str], names: Mapping[str, Iterable[str]] | None = None) -> str:
    """The name of ``geo`` in file names and run ids (see the module's docstring).

    ``names`` maps a name to its codes; by default the names of the running pipeline.

    >>> geo_key("TIP:EUR"), geo_key(["LVA", "EST", "LTU"])
    ('TIP:EUR', 'EST+LTU+LVA')
    >>> geo_key(["KAZ", "KGZ", "TJK", "TKM", "UZB"])
    'list5-44a23c60'
    >>> geo_key(["LTU", "LVA", "EST"], names={"baltic": ["EST", "LVA", "LTU"]})
    'baltic'
    """
    if isinstance(geo, str):
        return geo
    codes = members(geo)
    named = names_from_environment() if names is None else names
    for name, listed in named.items():
        if members(listed) == codes:
            return name
    if len(codes) <= MAX_JOINED:
        return "+".join(codes)
    return f"list{len(codes)}-{list_hash(codes)}"
