"""What the DCAT harvester and ``ckan datenraum import`` do to a dataset ckanext-dcat parsed.

Both read partner RDF through the same profile; what the profile keeps but DCAT-AP.de cannot
export is settled here, once, with a note for the job report or the import report
(decision 0214):

- a distribution with a ``dcat:downloadURL`` but no ``dcat:accessURL`` gets the download URL as
  its access URL (DCAT-AP: the access URL may equal the download URL);
- a distribution with neither names no address: it is dropped, never exported without the
  mandatory ``dcat:accessURL``;
- ``dct:source``, ``adms:sample``, ``dct:hasVersion`` and ``dct:isVersionOf`` must name a
  resource: a literal ("Referenz auf Beispieldatenstruktur") is dropped.
"""

from __future__ import annotations

import json

from ckanext.datenraum.common import uris

# Upstream's extras whose values DCAT-AP.de wants as IRIs (lists stored as JSON text).
IRI_EXTRAS = ("source", "sample", "has_version", "is_version_of")
MAX_SHOWN = 200


def tidy(dataset: dict, notes: list[str]) -> dict:
    """``dataset`` with distributions completed or dropped and literal references dropped; each
    change appends a note to ``notes``."""
    dataset["resources"] = [
        resource
        for resource in dataset.get("resources") or []
        if _keep_distribution(resource, notes)
    ]
    dataset["extras"] = [
        extra for extra in dataset.get("extras") or [] if _keep_extra(extra, notes)
    ]
    if not dataset["extras"]:
        del dataset["extras"]
    return dataset


def _keep_distribution(resource: dict, notes: list[str]) -> bool:
    access, download = resource.get("access_url"), resource.get("download_url")
    if access:
        return True
    if download:
        resource["access_url"] = download
        resource["url"] = resource.get("url") or download
        notes.append(f"access_url: none stated for {_label(resource)}; the download URL is used")
        return True
    if uris.is_web_uri(resource.get("url") or ""):
        resource["access_url"] = resource["url"]
        return True
    notes.append(
        f"resources: dropped the distribution {_label(resource)} "
        "(neither dcat:accessURL nor dcat:downloadURL)"
    )
    return False


def _keep_extra(extra: dict, notes: list[str]) -> bool:
    key = extra.get("key")
    if key not in IRI_EXTRAS:
        return True
    value = extra.get("value")
    try:
        values = json.loads(value) if isinstance(value, str) and value.startswith("[") else value
    except ValueError:
        values = value
    values = values if isinstance(values, list) else [values]
    kept = [item for item in values if isinstance(item, str) and uris.is_web_uri(item)]
    for item in values:
        if item not in kept:
            notes.append(f"{key}: dropped {_short(item)!r} (not a URI)")
    if not kept:
        return False
    extra["value"] = json.dumps(kept)
    return True


def _label(resource: dict) -> str:
    return _short(resource.get("uri") or resource.get("name") or "without URI")


def _short(value) -> str:
    value = str(value)
    return value if len(value) <= MAX_SHOWN else value[: MAX_SHOWN - 1] + "…"
