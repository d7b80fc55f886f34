"""Datasets and organisations that satisfy the DCAT-AP.de schema, for tests of any capability."""

from __future__ import annotations

import uuid

from ckan.tests import factories
from ckan.tests.helpers import call_action

CONTRIBUTOR = "http://dcat-ap.de/def/contributors/govData"
EU = "http://publications.europa.eu/resource/authority/"


def organization(**fields) -> dict:
    fields.setdefault("contributor_id", CONTRIBUTOR)
    return factories.Organization(**fields)


def minimal_dataset_fields(owner_org: str, **fields) -> dict:
    """The fewest fields the schema accepts."""
    return dict(
        {
            "name": f"baumkataster-{uuid.uuid4().hex[:8]}",
            "title": "Baumkataster Jena",
            "notes": "Standorte und Kronendurchmesser aller Stadtbäume.",
            "owner_org": owner_org,
            "tag_string": "Bäume",
            "license_id": "dl-by-de/2.0",
            "resources": [{"url": "https://example.org/baeume.csv"}],
        },
        **fields,
    )


def create_dataset(user: str, owner_org: str, **fields) -> dict:
    return call_action(
        "package_create", {"user": user}, **minimal_dataset_fields(owner_org, **fields)
    )
