"""Violations for people: the schema field a SHACL path belongs to, and an English message.

The shapes carry German messages only; the English text is built from the constraint type.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk

DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
# SHACL path -> schema field (dataset or resource field of schemas/dataset.yaml).
FIELDS = {
    DCT + "title": "title",
    DCT + "description": "notes",
    DCAT + "keyword": "tag_string",
    DCAT + "theme": "theme",
    DCT + "language": "language",
    DCT + "publisher": "publisher",
    DCAT + "contactPoint": "contact",
    "http://dcat-ap.de/def/dcatde/contributorID": "contributor_id",
    "http://dcat-ap.de/def/dcatde/politicalGeocodingLevelURI": "political_geocoding_level_uri",
    DCT + "spatial": "spatial_coverage",
    DCT + "temporal": "temporal_start",
    DCT + "issued": "issued",
    DCT + "modified": "modified",
    DCT + "accrualPeriodicity": "frequency",
    DCT + "accessRights": "access_rights",
    "http://data.europa.eu/r5r/availability": "availability",
    "http://data.europa.eu/r5r/applicableLegislation": "applicable_legislation",
    "http://data.europa.eu/r5r/hvdCategory": "hvd_category",
    DCT + "conformsTo": "conforms_to",
    DCAT + "version": "version",
    DCT + "identifier": "identifier",
    DCAT + "landingPage": "url",
    DCT + "license": "license_id",
    DCT + "format": "format",
    DCAT + "mediaType": "mimetype",
    DCAT + "accessURL": "access_url",
    DCAT + "downloadURL": "download_url",
    DCAT + "byteSize": "size",
    "http://www.w3.org/ns/adms#status": "status",
}
COMPONENTS = {
    "MinCountConstraintComponent": "a value is required",
    "MaxCountConstraintComponent": "too many values",
    "QualifiedMinCountConstraintComponent": "a suitable value is required",
    "QualifiedMaxCountConstraintComponent": "too many values",
    "HasValueConstraintComponent": "the value is not from the required vocabulary",
    "NodeKindConstraintComponent": "the value has the wrong kind (URI or text)",
    "ClassConstraintComponent": "the value is not of the required type",
    "DatatypeConstraintComponent": "the value has the wrong data type",
    "PatternConstraintComponent": "the value does not match the required pattern",
}


def field_for(path: str) -> str | None:
    return FIELDS.get(path)


def english_message(path: str, component: str) -> str:
    name = component.rsplit("#", 1)[-1]
    return f"{path or 'dataset'}: {COMPONENTS.get(name, 'the value violates a DCAT-AP.de rule')}"


def localised(violation: dict) -> str:
    """The message in the user's language (the shapes' German, or our English)."""
    return violation["message"] if tk.h.lang() == "de" else violation["message_en"]
