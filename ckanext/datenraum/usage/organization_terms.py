"""Which recorded searches were filtered by an organisation (decision 0804).

A search counts for an organisation when its filters name it: the organisation's own page
(recorded as ``organization:<id or name>``), the dataset search's organisation facet, or an
API ``fq`` with ``organization:`` or ``owner_org:``. A negated filter (``-organization:x``,
``NOT organization:x``) names what the searcher did not want, so it does not count.
"""

from __future__ import annotations

import re

_ORGANIZATION_FILTER = re.compile(
    r"(?<![\w.:-])(?P<not>NOT\s+)?\+?(?:organization|owner_org):\"?(?P<ref>[\w-]+)\"?"
)


def organizations_in_filters(filters: str) -> frozenset[str]:
    """The organisation names or ids a search's filters restrict it to."""
    found = set()
    for match in _ORGANIZATION_FILTER.finditer(filters or ""):
        if not match.group("not"):  # "-organization:x" never matches: "-" is not a start
            found.add(match.group("ref"))
    return frozenset(found)


def filtered_by(filters: str, organization_refs: set[str]) -> bool:
    return not organizations_in_filters(filters).isdisjoint(organization_refs)
