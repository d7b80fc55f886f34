"""Licence URIs of dcat-ap.de (``http://dcat-ap.de/def/licenses/…``) from partner hints."""

from __future__ import annotations

import json
import re

DCATDE_LICENSES = "http://dcat-ap.de/def/licenses/"

# Well-known licence URLs partners write instead of dcat-ap.de URIs.
_KNOWN_URLS = {
    "creativecommons.org/licenses/by/4.0": "cc-by/4.0",
    "creativecommons.org/licenses/by-sa/4.0": "cc-by-sa/4.0",
    "creativecommons.org/publicdomain/zero/1.0": "cc-zero",
    "creativecommons.org/publicdomain/mark/1.0": "cc-pdm/1.0",
    "www.govdata.de/dl-de/by-2-0": "dl-by-de/2.0",
    "www.govdata.de/dl-de/zero-2-0": "dl-zero-de/2.0",
    "sg.geodatenzentrum.de/web_public/gdz/lizenz/geonutzv.pdf": "geoNutz/20130319",
    "opendatacommons.org/licenses/odbl": "odbl",
}
_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


def license_from_hints(hints: list[str]) -> str | None:
    """The first dcat-ap.de licence URI found in ``hints`` (constraint texts, URLs)."""
    for hint in hints:
        uri = _from_json(hint) or _from_url(hint)
        if uri:
            return uri
    return None


def _from_json(text: str) -> str | None:
    # The GDI-DE convention: otherConstraints holds {"id": "<dcat-ap.de id>", "url": …}.
    text = text.strip()
    if not text.startswith("{"):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    licence_id = data.get("id") if isinstance(data, dict) else None
    if isinstance(licence_id, str) and _ID_PATTERN.match(licence_id):
        return DCATDE_LICENSES + licence_id
    return None


def _from_url(text: str) -> str | None:
    text = text.strip()
    if text.startswith(DCATDE_LICENSES):
        return text
    normalised = re.sub(r"^https?://", "", text).rstrip("/")
    for known, licence_id in _KNOWN_URLS.items():
        if normalised.startswith(known):
            return DCATDE_LICENSES + licence_id
    return None


# licence ids CKAN portals use (CKAN's default list, GovData's ids) → dcat-ap.de ids
_CKAN_IDS = {
    "cc-by": "cc-by/4.0",
    "cc-by-4.0": "cc-by/4.0",
    "cc-by-sa": "cc-by-sa/4.0",
    "cc-by-sa-4.0": "cc-by-sa/4.0",
    "cc-zero": "cc-zero",
    "cc0-1.0": "cc-zero",
    "odc-odbl": "odbl",
    "dl-de-by-2.0": "dl-by-de/2.0",
    "dl-by-de/2.0": "dl-by-de/2.0",
    "dl-de-zero-2.0": "dl-zero-de/2.0",
    "dl-zero-de/2.0": "dl-zero-de/2.0",
}


def license_from_ckan_id(license_id: str | None, license_url: str | None = None) -> str | None:
    """dcat-ap.de licence URI for a CKAN ``license_id`` (or its URL)."""
    if license_id and license_id.startswith(DCATDE_LICENSES):
        return license_id
    if license_id and license_id.lower() in _CKAN_IDS:
        return DCATDE_LICENSES + _CKAN_IDS[license_id.lower()]
    return license_from_hints([license_url]) if license_url else None
