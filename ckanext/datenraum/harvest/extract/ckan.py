"""A remote CKAN's package dict → :class:`Record` (their schema is not ours).

Read are plain CKAN fields (maintainer, author), the field names of ckanext-dcat's scheming
schemas (``publisher``/``contact`` lists, ``temporal_start``/``_end``), which DCAT-AP portals on
CKAN, ours included, use, and the flat extras of ckanext-dcat's legacy profile that GovData
and many German portals serve (``contact_email``, ``publisher_name``, ``spatial``, ``theme``,
``language``, ``issued``, ``modified``, ``uri``, …). Licences come from the dataset or, as on
GovData, from its resources.
"""

from __future__ import annotations

import json

from ckanext.datenraum.harvest.extract.licenses import licence_statements
from ckanext.datenraum.harvest.extract.record import Distribution, Record

_NO_LICENCE = {"", "notspecified", "none", "null"}
_RESTRICTED_ACCESS = ("NON_PUBLIC", "RESTRICTED", "restricted", "confidential")


def extract_package(package: dict, base_url: str) -> Record:
    """One package dict; ``KeyError``/``TypeError``/``ValueError`` when it is not one."""
    if not isinstance(package, dict) or not isinstance(package.get("name"), str):
        raise ValueError("not a CKAN package (no name)")
    extras = _extras(package.get("extras"))

    def value(*keys):
        for key in keys:
            found = package.get(key)
            if found in (None, "", [], {}):
                found = extras.get(key)
            if found not in (None, "", [], {}):
                return found
        return None

    landing_page = f"{base_url.rstrip('/')}/dataset/{package['name']}"
    organization = package.get("organization") or {}
    publisher = _first(package.get("publisher"))
    contact = _first(package.get("contact"))
    resources = [r for r in package.get("resources") or [] if isinstance(r, dict) and r.get("url")]
    dataset_licence = [
        str(v)
        for v in (
            package.get("license_id"),
            package.get("license_url"),
            package.get("license_title"),
        )
        if v and str(v).strip().lower() not in _NO_LICENCE
    ]
    resource_licences = [str(r["license"]) for r in resources if r.get("license")]
    access = str(value("access_rights") or "")
    return Record(
        identifier=str(value("identifier", "guid") or landing_page),
        uri=_text(value("uri")),
        title=str(package.get("title") or package["name"]),
        description=str(package.get("notes") or package.get("title") or package["name"]),
        keywords=[
            tag["name"]
            for tag in package.get("tags") or []
            if isinstance(tag, dict) and tag.get("name")
        ],
        themes=_list(value("theme")),
        modified=_text(value("modified", "dcat_modified")) or package.get("metadata_modified"),
        issued=_text(value("issued", "dcat_issued")) or package.get("metadata_created"),
        landing_page=landing_page,
        publisher_name=publisher.get("name")
        or _text(value("publisher_name", "dcat_publisher_name"))
        or organization.get("title")
        or package.get("author")
        or None,
        publisher_url=publisher.get("url") or _text(value("publisher_url")),
        contact_name=contact.get("name")
        or _text(value("contact_name"))
        or package.get("maintainer")
        or package.get("author"),
        contact_email=contact.get("email")
        or _text(value("contact_email"))
        or package.get("maintainer_email")
        or package.get("author_email"),
        contact_url=contact.get("url") or _text(value("contact_url")),
        temporal_start=_text(value("temporal_start")),
        temporal_end=_text(value("temporal_end")),
        geometry=_geometry(value("spatial")),
        languages=_list(value("language")),
        licences=licence_statements(dataset_licence or resource_licences[:1]),
        access_restricted=access.endswith(_RESTRICTED_ACCESS),
        distributions=[_distribution(resource) for resource in resources],
    )


def _distribution(resource: dict) -> Distribution:
    return Distribution(
        url=str(resource["url"]),
        title=str(resource.get("name") or ""),
        description=str(resource.get("description") or ""),
        format=str(resource.get("format") or ""),
        media_type=str(resource.get("mimetype") or ""),
        download=bool(resource.get("download_url")),
        licences=[str(resource["license"])] if resource.get("license") else [],
    )


def _extras(extras) -> dict:
    if not isinstance(extras, list):
        return {}
    return {
        extra.get("key"): extra.get("value")
        for extra in extras
        if isinstance(extra, dict) and isinstance(extra.get("key"), str)
    }


def _text(value) -> str | None:
    return str(value).strip() if value not in (None, "") else None


def _list(value) -> list[str]:
    """A list field as a list: JSON-encoded lists (ckanext-dcat extras), comma lists or text."""
    if isinstance(value, list):
        return [str(item) for item in value if item]
    if not isinstance(value, str) or not value.strip():
        return []
    text = value.strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, list):
            return [str(item) for item in parsed if item]
    return [part.strip() for part in text.split(",") if part.strip()]


def _geometry(value) -> str | None:
    """GeoJSON of the ``spatial`` extra, when it is a geometry."""
    if isinstance(value, dict):
        value = json.dumps(value)
    if not isinstance(value, str):
        return None
    try:
        geometry = json.loads(value)
    except ValueError:
        return None
    if isinstance(geometry, dict) and "type" in geometry and "coordinates" in geometry:
        return value
    return None


def _first(value) -> dict:
    """The first entry of a scheming repeating-subfields list (or a JSON string of one)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return {}
