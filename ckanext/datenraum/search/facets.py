"""Search facets on DCAT-AP.de fields, labelled from the schema's vocabularies.

At index time the values of the DCAT-AP.de fields (``schemas/dataset.yaml``) are copied into
``datenraum_*`` string fields of our Solr schema; at display time each facet value gets the
vocabulary label in the page's language. CKAN's own ``license_id`` and ``res_format`` facets are
relabelled the same way.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.datenraum.dcatapde import vocabularies

# dcat-ap.de URIs of single municipalities (Gemeindeschlüssel or Regionalschlüssel).
MUNICIPALITY_URI = re.compile(
    r"^https?://dcat-ap\.de/def/politicalGeocoding/(municipalityKey|regionalKey)/(\d+)$"
)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    return message


@dataclasses.dataclass(frozen=True)
class Facet:
    field: str  # Solr field
    title: str  # msgid, translated per request
    vocabulary: str | None = None  # labels from this DCAT-AP.de vocabulary


FACETS = (
    Facet("datenraum_theme", N_("Themes"), "data-theme"),
    Facet("res_format", N_("Formats"), "file-type"),
    Facet("license_id", N_("Licences"), "licenses"),
    Facet("datenraum_publisher", N_("Publishers")),
    Facet("datenraum_geocoding_level", N_("Political coverage level"), "political-geocoding-level"),
    Facet("datenraum_municipality", N_("Municipality")),
    Facet("datenraum_access_rights", N_("Access rights"), "access-right"),
    Facet("datenraum_hvd_category", N_("High-value dataset category"), "hvd-category"),
)


def as_list(value: Any) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, str) and value.startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    return list(value) if isinstance(value, list | tuple) else [value]


def _publisher_names(dataset: dict) -> list[str]:
    names = [p.get("name") for p in as_list(dataset.get("publisher")) if isinstance(p, dict)]
    names = [name for name in names if name]
    if not names and isinstance(dataset.get("organization"), dict):
        names = [dataset["organization"].get("title") or dataset["organization"].get("name")]
    return [name for name in names if name]


def _municipalities(dataset: dict) -> list[str]:
    """Municipalities the dataset covers: their name from spatial_coverage, else their key."""
    names = {
        area.get("uri"): area.get("text")
        for area in as_list(dataset.get("spatial_coverage"))
        if isinstance(area, dict) and area.get("uri") and area.get("text")
    }
    found = []
    for uri in as_list(dataset.get("political_geocoding_uri")):
        match = MUNICIPALITY_URI.match(str(uri))
        if match:
            found.append(names.get(uri) or match.group(2))
    return found


def facet_values(dataset: dict) -> dict[str, list[str]]:
    """The ``datenraum_*`` index fields of a dataset (its validated dict)."""
    values = {
        "datenraum_theme": as_list(dataset.get("theme")),
        "datenraum_publisher": _publisher_names(dataset),
        "datenraum_geocoding_level": as_list(dataset.get("political_geocoding_level_uri")),
        "datenraum_municipality": _municipalities(dataset),
        "datenraum_access_rights": as_list(dataset.get("access_rights")),
        "datenraum_hvd_category": as_list(dataset.get("hvd_category")),
    }
    return {field: [str(v) for v in found] for field, found in values.items() if found}


def with_facets(facets_dict: dict) -> dict:
    """IFacets: CKAN's facets plus ours, CKAN's licence and format facets with our titles."""
    for facet in FACETS:
        facets_dict[facet.field] = tk._(facet.title)
    return facets_dict


def _label(vocabulary_name: str, value: str, language: str) -> str | None:
    concept = vocabularies.get(vocabulary_name).concept_for_value(value)
    return concept.labels.get(language) if concept else None


def facet_label(item: dict) -> str:
    """Template helper: a facet item's whole label (CKAN's own sidebar cuts it to 22 characters)."""
    return item["display_name"]


def label_facet_items(search_facets: dict, language: str) -> dict:
    """IPackageController.after_dataset_search: vocabulary labels as display names."""
    for facet in FACETS:
        if facet.vocabulary is None or facet.field not in search_facets:
            continue
        for item in search_facets[facet.field].get("items", []):
            item["display_name"] = (
                _label(facet.vocabulary, item["name"], language) or item["display_name"]
            )
    return search_facets
