"""A partner that misbehaves never changes or deletes our datasets; the job finishes and
says why. One test per failure mode, each against a source with harvested datasets."""

from __future__ import annotations

import time

import pytest
from ckan.tests.helpers import call_action
from ckanext.harvest.model import HarvestSource

from tests.harvest.conftest import make_source, run, snapshot
from tests.harvest.partner_server import Answer
from tests.harvest.test_dcat_harvest import catalogue, turtle

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Dataset rdf:about="https://example.org/ds/1"><dct:title>&secret;</dct:title></dcat:Dataset>
</rdf:RDF>"""

EMPTY_CATALOGUE = b"""@prefix dcat: <http://www.w3.org/ns/dcat#> .
<https://example.org/catalog> a dcat:Catalog ."""

FAULTS = {
    "down": (None, "cannot connect"),
    "slow": (
        Answer(b"@prefix x: <y> .", content_type="text/turtle", delay=1.5, drip=3),
        "too slowly|did not answer",
    ),
    "http-500": (Answer(b"Internal Server Error", status=500), "HTTP 500"),
    "malformed": (
        Answer(
            b"@prefix dcat: <http://www.w3.org/ns/dcat#> . <a> dcat: ;;;",
            content_type="text/turtle",
        ),
        "not valid RDF",
    ),
    "huge": (Answer(b"#" * 3_000_000, content_type="text/turtle"), "cap of"),
    "empty-catalogue": (
        Answer(EMPTY_CATALOGUE, content_type="text/turtle"),
        "Mass-withdrawal guard",
    ),
    "xxe": (Answer(XXE, content_type="application/rdf+xml"), "entity declarations"),
}


@pytest.fixture(scope="class")
def harvested_source(harvest_class_env, _partner_server):
    """Two datasets harvested once: no fault below changes them, so each test starts from them."""
    _partner_server.routes["/catalog.ttl"] = turtle(catalogue(2))
    source = make_source(harvest_class_env, "datenraum_dcat", _partner_server.url("/catalog.ttl"))
    run(source)
    return source


@pytest.mark.usefixtures("harvest_class_env")
class TestFaultsOfAHarvestedPartner:
    @pytest.mark.parametrize("fault", sorted(FAULTS))
    def test_faulty_partner_changes_no_dataset_and_the_job_says_why(
        self, harvested_source, partner, fault, free_port
    ):
        answer, reason = FAULTS[fault]
        before = snapshot()
        source = HarvestSource.get(harvested_source["id"])
        url = source.url
        if answer is None:
            source.url = f"http://127.0.0.1:{free_port}/catalog.ttl"
            source.save()
        else:
            partner.routes["/catalog.ttl"] = answer

        try:
            job = run(harvested_source)
        finally:
            source = HarvestSource.get(harvested_source["id"])
            source.url = url
            source.save()

        assert job["status"] == "Finished"
        assert len(before) == 2 and snapshot() == before
        messages = call_action("datenraum_harvest_health", {"ignore_auth": True})[0]["last_job"]
        assert any(
            any(part in message for part in reason.split("|")) for message in messages["messages"]
        ), messages

    def test_a_partner_dripping_a_declared_body_is_cut_at_the_deadline(
        self, harvested_source, partner
    ):
        """Content-Length announced, one byte a second: the transfer ends at the deadline (twice
        the 2 s timeout), not when a 64 KiB read would have been filled (issue 12 item 4)."""
        body = b"# " * 30
        partner.routes["/catalog.ttl"] = Answer(
            body, content_type="text/turtle", delay=1.0, drip=len(body)
        )
        partner.requests.clear()
        partner.sent.clear()
        before = snapshot()

        job = run(harvested_source)

        assert job["status"] == "Finished" and snapshot() == before
        messages = call_action("datenraum_harvest_health", {"ignore_auth": True})[0]["last_job"]
        assert any("too slowly" in message for message in messages["messages"]), messages
        requests = partner.requests.count("/catalog.ttl")
        for _ in range(50):  # the server notices the closed connection at its next write
            if len(partner.sent) >= requests:
                break
            time.sleep(0.1)
        assert requests and len(partner.sent) == requests
        assert all(written < len(body) // 2 for _path, written in partner.sent), partner.sent


def test_private_targets_are_refused_unless_the_source_allows_them(harvest_env, partner):
    partner.routes["/catalog.ttl"] = turtle(catalogue(1))
    source = make_source(
        harvest_env, "datenraum_dcat", partner.url("/catalog.ttl"), allow_private_targets=False
    )

    run(source)

    assert partner.requests == []
    health = call_action("datenraum_harvest_health", {"ignore_auth": True})[0]
    assert any(
        "non-public address 127.0.0.1" in message for message in health["last_job"]["messages"]
    )
    assert health["datasets"] == 0
