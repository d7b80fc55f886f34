"""Which search filters attribute a search to an organisation (pure logic, decision 0804)."""

from __future__ import annotations

import pytest

from ckanext.datenraum.usage.organization_terms import organizations_in_filters


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ("organization:stadt-jena", {"stadt-jena"}),  # the organisation's page, the facet
        ("groups:umwelt organization:stadt-jena tags:Baum", {"stadt-jena"}),
        ('+organization:"stadt-jena" AND res_format:CSV', {"stadt-jena"}),  # an API fq
        ("owner_org:0d8f3a6e-11aa", {"0d8f3a6e-11aa"}),
        ("(organization:a OR organization:b)", {"a", "b"}),
        ("-organization:stadt-jena", set()),  # excluded, not wanted
        ("NOT organization:stadt-jena", set()),
        ("suborganization:x tags:organization:y", set()),
        ("", set()),
    ],
)
def test_organisations_named_by_search_filters(filters, expected):
    assert organizations_in_filters(filters) == expected
