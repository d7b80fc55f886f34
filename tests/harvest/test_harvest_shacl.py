"""Datasets harvested by every harvester export with 0 violations of the DCAT-AP.de 3.0 shapes.

All five sources are harvested into one catalogue, then each source's datasets are exported with
the ``dcatap_de`` profile and validated offline (one pyshacl run: it is the slow part). The CSW
datasets carry WMS/WFS distributions with access services, so dcat:DataService is covered.
"""

from __future__ import annotations

import collections

import pytest
from ckan.tests.helpers import call_action
from ckanext.dcat.utils import dataset_uri
from rdflib import RDF
from rdflib.namespace import DCAT

from ckanext.datenraum.dcatapde import export, validation
from tests.harvest.conftest import PARTNERS, harvested, make_source, run
from tests.harvest.partner_server import Answer
from tests.harvest.test_csw_harvest import GDI_DE
from tests.harvest.test_dcat_harvest import catalogue, turtle
from tests.harvest.test_gtfs_oaipmh_harvest import OAI

CC_BY = "http://dcat-ap.de/def/licenses/cc-by/4.0"


@pytest.fixture
def harvested_by_each_harvester(harvest_env, partner, peer_ckan, peer_org):
    """harvester name → package_show dicts of what it harvested, all five in one catalogue."""
    partner.routes["/catalog.ttl"] = turtle(catalogue(6))
    partner.routes["/csw"] = Answer(GDI_DE)
    partner.routes["/gtfs.zip"] = Answer(
        (PARTNERS / "gtfs" / "vvs-bus-764-only.gtfs.zip").read_bytes(),
        content_type="application/zip",
    )
    partner.routes["/oai"] = Answer(OAI)
    sources = {
        "dcat": make_source(harvest_env, "datenraum_dcat", partner.url("/catalog.ttl"), "dcat"),
        "csw": make_source(harvest_env, "datenraum_csw", partner.url("/csw"), "csw"),
        "gtfs": make_source(
            harvest_env,
            "datenraum_gtfs",
            partner.url("/gtfs.zip"),
            "gtfs",
            mapping={"default_license": CC_BY},
        ),
        "oaipmh": make_source(
            harvest_env,
            "datenraum_oaipmh",
            partner.url("/oai"),
            "oaipmh",
            mapping={"default_license": CC_BY},
        ),
        "ckan": make_source(
            harvest_env,
            "datenraum_ckan",
            peer_ckan.base_url,
            "ckan",
            mapping={"organizations": [peer_org["org"]["name"]]},
        ),
    }
    result = {}
    for name, source in sources.items():
        run(source)
        result[name] = [
            call_action("package_show", id=dataset["id"]) for dataset in harvested(source).values()
        ]
    return result


def test_datasets_of_every_harvester_export_without_shacl_violations(
    harvested_by_each_harvester,
):
    owner = {
        dataset_uri(dataset): harvester
        for harvester, datasets in harvested_by_each_harvester.items()
        for dataset in datasets
    }
    assert all(harvested_by_each_harvester.values()), harvested_by_each_harvester.keys()
    graph = export.datasets_graph(
        [d for datasets in harvested_by_each_harvester.values() for d in datasets]
    )

    services = list(graph.subjects(RDF.type, DCAT.DataService))
    assert len(services) >= 3, "the CSW datasets' WMS/WFS services are exported as DataServices"

    report = validation.validate_graph(graph)

    by_harvester = collections.defaultdict(list)
    for result in report.violations:
        by_harvester[owner.get(result.dataset, "catalogue")].append(result.line())
    assert not by_harvester, "\n".join(
        f"{harvester}: {line}" for harvester, lines in by_harvester.items() for line in lines
    )
