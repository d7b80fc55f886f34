"""CSW 2.0.2 / ISO 19139 harvest end to end: gather → fetch → import through the Redis queue."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action
from lxml import etree

from tests.harvest.conftest import CONTRIBUTOR, PARTNERS, harvested, make_source, run
from tests.harvest.partner_server import Answer

pytestmark = pytest.mark.usefixtures("harvest_env")

GDI_DE = (PARTNERS / "csw" / "gdi-de" / "GetRecordsResults.xml").read_bytes()
NS = {"csw": "http://www.opengis.net/cat/csw/2.0.2", "gmd": "http://www.isotc211.org/2005/gmd"}


def paged_csw(document: bytes, page_size: int):
    """GetRecords pages cut from a recorded answer (the recording has a single page)."""
    root = etree.fromstring(document)
    records = root.findall(".//gmd:MD_Metadata", NS)

    def answer(query: dict) -> Answer:
        start = int(query.get("startPosition", "1"))
        page = etree.fromstring(document)
        results = page.find("csw:SearchResults", NS)
        for record in results.findall("gmd:MD_Metadata", NS):
            results.remove(record)
        chosen = records[start - 1 : start - 1 + page_size]
        for record in chosen:
            results.append(etree.fromstring(etree.tostring(record)))
        following = start + len(chosen)
        results.set("numberOfRecordsReturned", str(len(chosen)))
        results.set("nextRecord", str(following if following <= len(records) else 0))
        return Answer(etree.tostring(page, xml_declaration=True, encoding="UTF-8"))

    return answer


def test_csw_harvest_pages_through_all_records_and_merges_services(harvest_env, partner):
    partner.routes["/csw"] = paged_csw(GDI_DE, page_size=2)
    source = make_source(
        harvest_env, "datenraum_csw", partner.url("/csw"), mapping={"page_size": 2}
    )

    job = run(source)

    datasets = harvested(source)
    assert job["status"] == "Finished"
    assert sum("startPosition" in request for request in partner.requests) == 3
    # two datasets; their three view/download services became access-service distributions
    assert set(datasets) == {
        "142d56bb-108b-4e6a-96a6-8239b80af77e",
        "f1950cd0-de59-413c-93fd-b669af06c863",
    }
    gn250 = call_action("package_show", id=datasets["142d56bb-108b-4e6a-96a6-8239b80af77e"]["id"])
    services = {r["format"]: r for r in gn250["resources"] if r.get("access_services")}
    assert {"WMS_SRVC", "WFS_SRVC"} <= set(services)
    wms = services["WMS_SRVC"]
    endpoint = "https://sg.geodatenzentrum.de/wms_gn250_inspire"
    assert wms["access_url"] == wms["url"] == endpoint
    assert wms["access_services"] == [
        {
            "title": "INSPIRE-WMS Geographical Names GN250",
            "endpoint_url": [endpoint],
            "endpoint_description": f"{endpoint}?SERVICE=WMS&REQUEST=GetCapabilities",
            "conforms_to": ["http://www.opengis.net/def/serviceType/ogc/wms"],
        }
    ]
    assert gn250["modified"].startswith("2026-03-23")
    assert gn250["license_id"] == "geonutz/20130319"
    assert gn250["contributor_id"] == CONTRIBUTOR
