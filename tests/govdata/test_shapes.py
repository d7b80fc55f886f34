"""The pages the real clients read hold against the DCAT-AP.de 3.0, SEMIC DCAT-AP 3.0.0 and
GovData dashboard shapes: the same test content (the maximal dataset, every vocabulary choice,
control characters, the imported real catalogues), fetched over HTTP as the clients fetch it."""

from __future__ import annotations

import rdflib
import requests

from ckanext.datenraum.dcatapde import validation
from tests.govdata.conftest import HYDRA
from tests.govdata.report import timed

LOCN_GEOMETRY = "http://www.w3.org/ns/locn#geometry"


def _violations(base_url: str, path: str) -> tuple[int, list]:
    """Every page of the endpoint, validated page by page as a harvester reads it."""
    url, pages, found = f"{base_url}{path}", 0, []
    while url:
        response = requests.get(url, timeout=120)
        response.raise_for_status()
        graph = rdflib.Graph().parse(data=response.text, format="turtle")
        pages += 1
        found += validation.validate_graph(graph).violations
        url = next((str(o) for o in graph.objects(None, HYDRA.nextPage)), None)
    return pages, found


def test_catalogue_pages_have_no_shape_violation(catalogue):
    with timed("shapes: /catalog.ttl"):
        pages, violations = _violations(catalogue.process.base_url, "/catalog.ttl")

    assert pages > 1  # the test content spans several pages
    assert [v.line() for v in violations] == []


def test_govdata_feed_breaks_only_the_geometry_rule_it_chose(catalogue):
    """Decision 0111: GovData gets a geometry as the literal its reader takes; that is the one
    result the 3.0 shapes report, on the locations with a geometry."""
    with timed("shapes: /catalog/govdata.ttl"):
        _pages, violations = _violations(catalogue.process.base_url, "/catalog/govdata.ttl")
    with_geometry = {
        catalogue.ours(dataset).uri
        for dataset in catalogue.feed
        if any(location.get("geom") for location in dataset.get("spatial_coverage") or [])
    }

    assert [v.line() for v in violations if v.path != LOCN_GEOMETRY] == []
    # A location named by an IRI (a GeoNames place) is one node for every dataset it is the
    # location of: its result names one of them.
    assert violations
    assert {v.dataset for v in violations} <= with_geometry
