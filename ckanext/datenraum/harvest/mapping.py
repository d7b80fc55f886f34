"""Datasets in our DCAT-AP.de schema from harvested records, plus the per-source defaults.

The one place that knows our schema's field names for harvested content: extractors stay
protocol-only, harvesters stay schema-agnostic.
"""

from __future__ import annotations

import hashlib
import json
import re

from ckanext.datenraum.harvest.extract.record import Record

GUID_KEY = "guid"
SOURCE_KEY = "datenraum_harvest_source"
CONTRIBUTOR_FIELD = "contributor_id"
_TAG_CLEAN = re.compile(r"[^\w\s\-.]", re.UNICODE)


def dataset_from_record(record: Record) -> dict:
    """A dataset dict (without name/owner) in our schema's field names."""
    dataset: dict = {
        "title": record.title[:500],
        "notes": record.description,
        "identifier": record.identifier,
        "tags": _tags(record.keywords),
        "resources": [_resource(distribution) for distribution in record.distributions],
    }
    optional = {
        "url": record.landing_page,
        "modified": _date(record.modified),
        "issued": _date(record.issued),
        "license_id": record.license_uri,
        "access_rights": record.access_rights,
    }
    dataset.update({key: value for key, value in optional.items() if value})
    if record.publisher_name:
        dataset["publisher"] = [{"name": record.publisher_name}]
    if record.contact_name or record.contact_email:
        dataset["contact"] = [
            {
                key: value
                for key, value in (("name", record.contact_name), ("email", record.contact_email))
                if value
            }
        ]
    if record.temporal_start or record.temporal_end:
        dataset["temporal_coverage"] = [
            {
                key: _date(value)
                for key, value in (("start", record.temporal_start), ("end", record.temporal_end))
                if value
            }
        ]
    if record.bbox:
        dataset["spatial_coverage"] = [{"bbox": bbox_geojson(record.bbox)}]
    if record.languages:
        dataset["language"] = [_language_uri(code) for code in record.languages]
    return dataset


def apply_source_settings(dataset: dict, config: dict, guid: str, source_id: str) -> dict:
    """Source defaults fill gaps, contributorID is injected, the guid and source recorded."""
    for key, value in (config.get("defaults") or {}).items():
        if dataset.get(key) in (None, "", [], {}):
            dataset[key] = value
    if config.get("contributor_id"):
        dataset[CONTRIBUTOR_FIELD] = [config["contributor_id"]]
    extras = [
        extra
        for extra in dataset.get("extras", [])
        if extra.get("key") not in (GUID_KEY, SOURCE_KEY)
    ]
    extras += [{"key": GUID_KEY, "value": guid}, {"key": SOURCE_KEY, "value": source_id}]
    dataset["extras"] = extras
    return dataset


def fingerprint(dataset: dict) -> str:
    """Hash of what would be stored: equal fingerprints mean nothing to update."""
    payload = json.dumps(dataset, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def bbox_geojson(bbox: tuple[float, float, float, float]) -> str:
    west, south, east, north = bbox
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _resource(distribution) -> dict:
    resource = {
        "url": distribution.url,
        "name": distribution.title or distribution.format or distribution.url,
        "description": distribution.description,
        "format": distribution.format,
    }
    if distribution.media_type:
        resource["mimetype"] = distribution.media_type
    if distribution.service_type:
        resource["access_services"] = [
            {"title": f"{distribution.service_type}-Dienst", "endpoint_url": [distribution.url]}
        ]
    elif distribution.download:
        resource["download_url"] = distribution.url
    return {key: value for key, value in resource.items() if value not in (None, "")}


def _tags(keywords: list[str]) -> list[dict]:
    tags, seen = [], set()
    for keyword in keywords:
        name = " ".join(_TAG_CLEAN.sub(" ", keyword).split())[:100]
        if len(name) >= 2 and name.lower() not in seen:
            seen.add(name.lower())
            tags.append({"name": name})
    return tags


def _date(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    return (
        value
        if re.match(r"^\d{4}(-\d{2}){0,2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$", value)
        else None
    )


_ISO_639_2 = {
    "ger": "DEU",
    "deu": "DEU",
    "de": "DEU",
    "eng": "ENG",
    "en": "ENG",
    "nld": "NLD",
    "dut": "NLD",
    "nl": "NLD",
    "fre": "FRA",
    "fra": "FRA",
    "fr": "FRA",
}


def _language_uri(code: str) -> str:
    authority = _ISO_639_2.get(code.lower(), code.upper()[:3])
    return f"http://publications.europa.eu/resource/authority/language/{authority}"
