"""A remote CKAN's ``package_show`` dict → :class:`Record` (their schema is not ours).

Plain CKAN fields (maintainer, author, extras) are read, and so are the field names of
ckanext-dcat's scheming schemas (``publisher``/``contact`` lists, ``temporal_start``/``_end``),
which DCAT-AP portals on CKAN, ours included, use.
"""

from __future__ import annotations

import json

from ckanext.datenraum.harvest.extract.licenses import license_from_ckan_id
from ckanext.datenraum.harvest.extract.record import Distribution, Record


def extract_package(package: dict, base_url: str) -> Record:
    extras = {extra.get("key"): extra.get("value") for extra in package.get("extras") or []}
    landing_page = f"{base_url.rstrip('/')}/dataset/{package['name']}"
    organization = package.get("organization") or {}
    publisher = _first(package.get("publisher"))
    contact = _first(package.get("contact"))
    return Record(
        identifier=str(package.get("identifier") or extras.get("identifier") or landing_page),
        title=package.get("title") or package["name"],
        description=package.get("notes") or package.get("title") or package["name"],
        keywords=[tag["name"] for tag in package.get("tags") or [] if tag.get("name")],
        modified=package.get("modified") or package.get("metadata_modified"),
        issued=package.get("issued") or package.get("metadata_created"),
        landing_page=landing_page,
        publisher_name=publisher.get("name")
        or organization.get("title")
        or package.get("author")
        or None,
        contact_name=contact.get("name") or package.get("maintainer") or package.get("author"),
        contact_email=contact.get("email")
        or package.get("maintainer_email")
        or package.get("author_email"),
        temporal_start=package.get("temporal_start") or extras.get("temporal_start"),
        temporal_end=package.get("temporal_end") or extras.get("temporal_end"),
        license_uri=license_from_ckan_id(package.get("license_id"), package.get("license_url")),
        distributions=[
            Distribution(
                url=resource["url"],
                title=resource.get("name") or "",
                description=resource.get("description") or "",
                format=resource.get("format") or "",
                media_type=resource.get("mimetype") or "",
            )
            for resource in package.get("resources") or []
            if resource.get("url")
        ],
    )


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
