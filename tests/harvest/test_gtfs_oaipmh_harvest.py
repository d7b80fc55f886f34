"""GTFS and OAI-PMH harvests end to end against recorded partner documents."""

from __future__ import annotations

import json

import pytest
from ckan.tests.helpers import call_action
from lxml import etree

from tests.harvest.conftest import PARTNERS, harvested, make_source, run
from tests.harvest.partner_server import Answer

pytestmark = pytest.mark.usefixtures("harvest_env")

OAI = (PARTNERS / "oai-pmh" / "dspace-listrecords-oai_dc.xml").read_bytes()
OAI_NS = {"oai": "http://www.openarchives.org/OAI/2.0/"}


def test_gtfs_feed_becomes_one_dataset_with_calendar_period_and_stop_extent(harvest_env, partner):
    feed = (PARTNERS / "gtfs" / "vvs-bus-764-only.gtfs.zip").read_bytes()
    partner.routes["/gtfs.zip"] = Answer(feed, content_type="application/zip")
    source = make_source(
        harvest_env,
        "datenraum_gtfs",
        partner.url("/gtfs.zip"),
        mapping={"default_license": "http://dcat-ap.de/def/licenses/cc-by/4.0"},
    )

    run(source)

    (dataset,) = harvested(source).values()
    assert dataset["temporal_start"].startswith("2020-02-02")
    assert dataset["temporal_end"].startswith("2020-12-12")
    west, south = json.loads(dataset["spatial_coverage"][0]["geom"])["coordinates"][0][0]
    assert 8.5 < west < 9.5 and 48.6 < south < 48.9  # Stuttgart region
    # one resource, the feed; its files are named in the description, not made resources
    assert [resource["name"] for resource in dataset["resources"]] == ["GTFS-Feed (ZIP)"]
    assert "stops.txt" in dataset["notes"] and "calendar.txt" in dataset["notes"]


def resumable(document: bytes, page_size: int):
    """ListRecords pages with resumption tokens, cut from the recorded single-page answer."""
    records = etree.fromstring(document).findall(".//oai:record", OAI_NS)

    def answer(query: dict) -> Answer:
        start = int(query.get("resumptionToken") or 0)
        page = etree.fromstring(document)
        container = page.find("oai:ListRecords", OAI_NS)
        for record in container.findall("oai:record", OAI_NS):
            container.remove(record)
        for record in records[start : start + page_size]:
            container.append(etree.fromstring(etree.tostring(record)))
        if start + page_size < len(records):
            token = etree.SubElement(container, f"{{{OAI_NS['oai']}}}resumptionToken")
            token.text = str(start + page_size)
            token.set("completeListSize", str(len(records)))
        return Answer(etree.tostring(page, xml_declaration=True, encoding="UTF-8"))

    return answer


def _oai_source(harvest_env, partner) -> dict:
    """A source on the partner's /oai, with a licence for records that state none."""
    return make_source(
        harvest_env,
        "datenraum_oaipmh",
        partner.url("/oai"),
        mapping={"default_license": "http://dcat-ap.de/def/licenses/cc-by/4.0"},
    )


def test_oai_pmh_follows_resumption_tokens(harvest_env, partner):
    partner.routes["/oai"] = resumable(OAI, page_size=6)
    source = _oai_source(harvest_env, partner)

    run(source)

    datasets = harvested(source)
    assert len(datasets) == 16
    assert sum("resumptionToken" in request for request in partner.requests) == 2
    assert datasets["hdl:1765/308"]["url"] == "http://hdl.handle.net/1765/308"


def test_a_failing_later_page_imports_what_was_read_and_withdraws_nothing(harvest_env, partner):
    """Decision 0219: the pycsw recordings end after page 1 of 2, as a partner's broken page
    would. Before, the whole run was a gather error: none of page 1's records were imported."""
    pages = resumable(OAI, page_size=6)
    partner.routes["/oai"] = pages
    source = _oai_source(harvest_env, partner)
    run(source)
    assert len(harvested(source)) == 16

    # The partner's first page now lists a new record; its second page fails.
    first_page = pages({}).body
    listed = etree.fromstring(first_page).findtext(".//oai:header/oai:identifier", None, OAI_NS)
    new_record = first_page.replace(listed.encode(), b"hdl:1765/999999")
    partner.routes["/oai"] = lambda query: (
        Answer(b"broken", status=500) if query.get("resumptionToken") else Answer(new_record)
    )
    job = run(source)

    datasets = harvested(source)
    assert "hdl:1765/999999" in datasets  # page 1 was read and imported
    assert len(datasets) == 17  # and the ten records of the unread pages were not withdrawn
    messages = call_action("harvest_job_report", id=job["id"])["gather_errors"]
    assert any("listing is incomplete" in error["message"] for error in messages), messages
