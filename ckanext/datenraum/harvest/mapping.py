"""Datasets in our DCAT-AP.de schema from harvested records, plus the per-source defaults.

The one place that knows our schema's field names for harvested content: extractors stay
protocol-only, harvesters stay schema-agnostic.
"""

from __future__ import annotations

import hashlib
import json
import re
from urllib.parse import urlparse

from ckanext.datenraum.dcatapde import vocabularies
from ckanext.datenraum.dcatapde.logic.validators import datenraum_format_code
from ckanext.datenraum.harvest.extract import services
from ckanext.datenraum.harvest.extract.licenses import DCATDE_LICENSES
from ckanext.datenraum.harvest.extract.record import Record

SERVICE_TYPES = {"WMS", "WFS", "WMTS", "WCS", "ATOM", "CSW", "SOS"}

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
        "url": record.landing_page if _is_uri(record.landing_page) else None,
        "modified": _date(record.modified),
        "issued": _date(record.issued),
        "license_id": license_code(record.license_uri),
        "temporal_start": _date(record.temporal_start),
        "temporal_end": _date(record.temporal_end),
    }
    dataset.update({key: value for key, value in optional.items() if value})
    if record.publisher_name:
        dataset["publisher"] = [{"name": record.publisher_name}]
    contact = _contact(record)
    if contact:
        dataset["contact"] = [contact]
    if record.bbox:
        dataset["spatial_coverage"] = [{"geom": bbox_geojson(record.bbox)}]
    languages = [_language_uri(code) for code in record.languages]
    languages = [uri for uri in languages if uri in _codes("language")]
    if languages:
        dataset["language"] = languages
    return dataset


def license_code(uri: str | None) -> str | None:
    """The code of our licence list for a dcat-ap.de licence URI or code (any case)."""
    if not uri:
        return None
    code = uri[len(DCATDE_LICENSES) :] if uri.startswith(DCATDE_LICENSES) else uri
    return {value.lower(): value for value in _codes("licenses")}.get(code.lower())


def format_code(text: str, url: str = "") -> str:
    """A code of the EU file-type list our schema requires; OGC services have their own codes
    (WMS_SRVC …), other services (CSW, SOS) are XML endpoints."""
    candidates = [text, *_extension(url)]
    known = _codes("file-type")
    for candidate in candidates:
        code = datenraum_format_code(candidate) if candidate else None
        if code in known:
            return code
    return "XML" if text.upper() in SERVICE_TYPES else "HTML"


def apply_source_settings(dataset: dict, config: dict) -> dict:
    """Source defaults fill gaps and the source's contributorID is injected."""
    for key, value in (config.get("defaults") or {}).items():
        if dataset.get(key) in (None, "", [], {}):
            dataset[key] = value
    if not (dataset.get("notes") or "").strip() and dataset.get("title"):
        dataset["notes"] = dataset["title"]  # dct:description is mandatory in DCAT-AP.de
    if dataset.get("license_id"):
        dataset["license_id"] = license_code(dataset["license_id"]) or dataset["license_id"]
    if config.get("contributor_id"):
        dataset[CONTRIBUTOR_FIELD] = config["contributor_id"]
    return dataset


def fingerprint(dataset: dict) -> str:
    """Hash of what would be stored: equal fingerprints mean nothing to update."""
    payload = json.dumps(dataset, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def bbox_geojson(bbox: tuple[float, float, float, float]) -> str:
    west, south, east, north = bbox
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _contact(record: Record) -> dict | None:
    """A contact point, only when it says how to reach someone (DCAT-AP.de: email, URL or
    phone are mandatory on a vcard:Kind); a bare name is left out rather than exported invalid."""
    url = record.contact_url if _is_uri(record.contact_url) else None
    if not (record.contact_email or url):
        return None
    fields = (("name", record.contact_name), ("email", record.contact_email), ("url", url))
    return {key: value for key, value in fields if value}


def _resource(distribution) -> dict:
    if distribution.service_type and _is_uri(services.endpoint(distribution.url)):
        return _service_resource(distribution)
    resource = {
        "url": distribution.url,
        "name": distribution.title or distribution.format or distribution.url,
        "description": distribution.description,
        "format": format_code(distribution.service_type or distribution.format, distribution.url),
        "access_url": distribution.url if _is_uri(distribution.url) else None,
    }
    if distribution.download and _is_uri(distribution.url):
        resource["download_url"] = distribution.url
    return {key: value for key, value in resource.items() if value not in (None, "")}


def _service_resource(distribution) -> dict:
    """A distribution whose access URL is the service endpoint, described by a dcat:DataService
    (``access_services``): title, endpoint, capabilities document and the OGC standard."""
    kind = distribution.service_type
    endpoint = services.endpoint(distribution.url)
    title = distribution.service_title or distribution.title or f"{kind}-Dienst"
    access_service = {
        "title": title,
        "endpoint_url": [endpoint],
        "endpoint_description": services.capabilities_url(distribution.url, kind),
        "conforms_to": [services.standard_uri(kind)],
    }
    resource = {
        "url": endpoint,
        "name": title if kind.upper() in title.upper() else f"{kind}: {title}",
        "description": distribution.description,
        "format": format_code(kind, distribution.url),
        "access_url": endpoint,
        "access_services": [_without_empty(access_service)],
    }
    return _without_empty(resource)


def _without_empty(values: dict) -> dict:
    return {
        key: value for key, value in values.items() if value not in (None, "") and value != [None]
    }


def _codes(vocabulary: str) -> set[str]:
    return {choice["value"] for choice in vocabularies.get(vocabulary).choices()}


def _extension(url: str) -> list[str]:
    path = urlparse(url).path
    return [path.rsplit(".", 1)[-1]] if "." in path.rsplit("/", 1)[-1] else []


def _is_uri(value: str | None) -> bool:
    return bool(value) and urlparse(value).scheme in ("http", "https") and " " not in value


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
