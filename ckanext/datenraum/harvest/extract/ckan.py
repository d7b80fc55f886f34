"""A remote CKAN's ``package_show`` dict → :class:`Record` (their schema is not ours)."""

from __future__ import annotations

from ckanext.datenraum.harvest.extract.licenses import license_from_ckan_id
from ckanext.datenraum.harvest.extract.record import Distribution, Record


def extract_package(package: dict, base_url: str) -> Record:
    extras = {extra.get("key"): extra.get("value") for extra in package.get("extras") or []}
    landing_page = f"{base_url.rstrip('/')}/dataset/{package['name']}"
    organization = package.get("organization") or {}
    return Record(
        identifier=str(package.get("identifier") or extras.get("identifier") or landing_page),
        title=package.get("title") or package["name"],
        description=package.get("notes") or package.get("title") or package["name"],
        keywords=[tag["name"] for tag in package.get("tags") or [] if tag.get("name")],
        modified=package.get("modified") or package.get("metadata_modified"),
        issued=package.get("issued") or package.get("metadata_created"),
        landing_page=landing_page,
        publisher_name=organization.get("title") or package.get("author") or None,
        contact_name=package.get("maintainer") or package.get("author") or None,
        contact_email=package.get("maintainer_email") or package.get("author_email") or None,
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
