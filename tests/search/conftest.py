"""Datasets for the search tests: only the given texts are searchable."""

from __future__ import annotations

import uuid

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from .. import dcatapde_factories

EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"


@pytest.fixture
def dataset():
    """Factory ``dataset(title, notes=..., tags=..., **fields) -> dict`` through package_create."""
    sysadmin = factories.Sysadmin()
    organization = dcatapde_factories.organization(title="Stadt Jena")

    def create(title: str, notes: str = "", tags: tuple[str, ...] = ("Stadtverwaltung",), **fields):
        return dcatapde_factories.create_dataset(
            sysadmin["name"],
            organization["name"],
            name=f"dataset-{uuid.uuid4().hex[:12]}",
            title=title,
            notes=notes or title,
            tag_string=",".join(tags),
            resources=[{"url": "https://example.org/data.csv", "format": "CSV"}],
            **fields,
        )

    return create


def found(q: str) -> list[str]:
    return [result["title"] for result in call_action("package_search", q=q)["results"]]
