"""Datasets and organisations that satisfy the DCAT-AP.de schema, for tests of any capability."""

from __future__ import annotations

import itertools
import uuid

from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.datenraum.dcatapde import vocabularies

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


WMS = "https://geo.jena.de/wms/baumkataster"


def maximal_fields() -> dict:
    return {
        "theme": [f"{EU}data-theme/ENVI", f"{EU}data-theme/REGI"],
        "hvd_category": ["http://data.europa.eu/bna/c_ac64a52d"],
        "language": [f"{EU}language/DEU", f"{EU}language/ENG"],
        "contributor_id": "http://dcat-ap.de/def/contributors/govData",
        "publisher": [
            {
                "name": "Grünflächenamt Jena",
                "uri": "https://www.jena.de/gruen",
                "type": "http://purl.org/adms/publishertype/LocalAuthority",
                "email": "gruen@example.org",
                "url": "https://www.jena.de",
            }
        ],
        "contact": [
            {"name": "Team Stadtgrün", "email": "stadtgruen@example.org"},
            {"url": "https://www.jena.de/kontakt", "phone": "+49 3641 49-0"},
        ],
        "originator": [
            {
                "name": "Vermessungsamt",
                "uri": "https://www.jena.de/vermessung",
                "email": "vermessung@example.org",
                "url": "https://www.jena.de/vermessung/kontakt",
            }
        ],
        "custodian": [
            {
                "name": "Kommunalservice Jena",
                "uri": "https://www.ksj.de",
                "email": "ksj@example.org",
                "url": "https://www.ksj.de/kontakt",
            }
        ],
        "political_geocoding_level_uri": "http://dcat-ap.de/def/politicalGeocoding/Level/municipality",
        "political_geocoding_uri": [
            "http://dcat-ap.de/def/politicalGeocoding/regionalKey/160530000000"
        ],
        "spatial_coverage": [
            {
                "uri": "https://sws.geonames.org/2895044/",
                "text": "Jena",
                "geom": '{"type": "Point", "coordinates": [11.5864, 50.9272]}',
            }
        ],
        "temporal_start": "2020-01-01",
        "temporal_end": "2024-12-31",
        "issued": "2021-03-01",
        "modified": "2025-01-15T10:30:00",
        "frequency": f"{EU}frequency/ANNUAL",
        "version": "2.1",
        "access_rights": f"{EU}access-right/PUBLIC",
        "availability": f"{EU}planned-availability/STABLE",
        "applicable_legislation": ["http://data.europa.eu/eli/reg_impl/2023/138/oj"],
        "conforms_to": ["https://www.opengis.net/def/crs/EPSG/0/25832"],
        "identifier": "jena-baumkataster",
        "alternate_identifier": ["https://doi.org/10.1234/baeume"],
        "url": "https://www.jena.de/baumkataster",
        "uri": "https://daten.jena.de/dataset/baumkataster",
        "documentation": ["https://www.jena.de/baumkataster/doku.pdf"],
        "resources": [
            {
                "url": "https://example.org/baeume.csv",
                "uri": "https://daten.jena.de/dataset/baumkataster/csv",
                "name": "Baumkataster (CSV)",
                "description": "Alle Bäume als Tabelle",
                "format": "CSV",
                "mimetype": "text/csv",
                "access_url": "https://www.jena.de/baumkataster",
                "download_url": "https://example.org/baeume.csv",
                "license": "cc-by/4.0",
                "license_attribution_by_text": "© Stadt Jena",
                "size": 123456,
                "hash": "9f86d081884c7d659a2feaa0c55ad015",
                "hash_algorithm": "http://spdx.org/rdf/terms#checksumAlgorithm_md5",
                "status": f"{EU}distribution-status/COMPLETED",
                "availability": f"{EU}planned-availability/AVAILABLE",
                "issued": "2021-03-01",
                "modified": "2025-01-15",
                "language": [f"{EU}language/DEU"],
                "conforms_to": ["https://example.org/schema/baeume.json"],
            },
            {
                "url": WMS,
                "name": "Baumkataster (WMS)",
                "format": "WMS_SRVC",
                "access_url": WMS,
                "access_services": [
                    {
                        "title": "WMS Baumkataster Jena",
                        "description": "Kartendienst mit allen Bäumen",
                        "endpoint_url": [WMS],
                        "endpoint_description": f"{WMS}?SERVICE=WMS&REQUEST=GetCapabilities",
                        "conforms_to": ["http://www.opengis.net/def/serviceType/ogc/wms"],
                        "access_rights": f"{EU}access-right/PUBLIC",
                        "uri": "https://geo.jena.de/dienste/baumkataster",
                    }
                ],
            },
        ],
    }


def choices(vocabulary: str) -> list[str]:
    return [choice["value"] for choice in vocabulary_choices(vocabulary)]


def vocabulary_choices(vocabulary: str) -> list[dict]:
    return vocabularies.get(vocabulary).choices()


def _cycle(vocabulary: str, count: int) -> list[str]:
    return list(itertools.islice(itertools.cycle(choices(vocabulary)), count))


def every_choice_fields() -> list[dict]:
    """Dataset fields (beyond the minimal ones) that together use every choice of every
    vocabulary of the schema: the multi-valued fields take all choices at once in the first
    dataset, the single-valued ones cycle through their list, two distributions each."""
    count = max(len(choices("contributors")), len(choices("file-type")) // 2 + 1)
    resource_values = {
        "format": _cycle("file-type", 2 * count),
        "mimetype": _cycle("media-type", 2 * count),
        "license": _cycle("licenses", 2 * count),
        "status": _cycle("distribution-status", 2 * count),
        "availability": _cycle("planned-availability", 2 * count),
        "hash_algorithm": _cycle("checksum-algorithm", 2 * count),
    }
    dataset_values = {
        "contributor_id": _cycle("contributors", count),
        "frequency": _cycle("frequency", count),
        "access_rights": _cycle("access-right", count),
        "availability": _cycle("planned-availability", count),
        "political_geocoding_level_uri": _cycle("political-geocoding-level", count),
        "license_id": _cycle("licenses", count),
    }
    datasets = []
    for index in range(count):
        fields = {key: values[index] for key, values in dataset_values.items()}
        if index == 0:
            fields.update(
                theme=choices("data-theme"),
                language=choices("language"),
                hvd_category=choices("hvd-category"),
            )
        fields["resources"] = [
            dict(
                {key: values[2 * index + offset] for key, values in resource_values.items()},
                url=f"https://example.org/{index}-{offset}",
                hash="abcdef",
            )
            for offset in (0, 1)
        ]
        datasets.append(fields)
    return datasets
