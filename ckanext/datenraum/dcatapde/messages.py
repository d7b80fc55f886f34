"""Violations for people: the schema field a SHACL path belongs to, and a message.

The shapes carry German messages only, written for specialists (and with typos); what editors
read is built from the field's label and the constraint type, in their language.
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


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    return message


COMPONENTS = {
    "MinCountConstraintComponent": N_("a value is required"),
    "MaxCountConstraintComponent": N_("too many values"),
    "QualifiedMinCountConstraintComponent": N_("a suitable value is required"),
    "QualifiedMaxCountConstraintComponent": N_("too many values"),
    "HasValueConstraintComponent": N_("the value is not from the required vocabulary"),
    "NodeKindConstraintComponent": N_("the value has the wrong kind (URI or text)"),
    "ClassConstraintComponent": N_("the value is not of the required type"),
    "DatatypeConstraintComponent": N_("the value has the wrong data type"),
    "PatternConstraintComponent": N_("the value does not match the required pattern"),
}
OTHER_RULE = N_("the value violates a DCAT-AP.de rule")
PREFIXES = {
    DCT: "dct:",
    DCAT: "dcat:",
    "http://dcat-ap.de/def/dcatde/": "dcatde:",
    "http://data.europa.eu/r5r/": "dcatap:",
    "http://www.w3.org/ns/adms#": "adms:",
}


def field_for(path: str) -> str | None:
    return FIELDS.get(path)


def short_path(path: str) -> str:
    """``dct:license`` for ``http://purl.org/dc/terms/license``; unknown namespaces unchanged."""
    for namespace, prefix in PREFIXES.items():
        if path.startswith(namespace):
            return prefix + path[len(namespace) :]
    return path


def _component_text(component: str) -> str:
    return COMPONENTS.get((component or "").rsplit("#", 1)[-1], OTHER_RULE)


def english_message(path: str, component: str) -> str:
    return f"{short_path(path) or 'dataset'}: {_component_text(component)}"


def _field_label(field_name: str | None) -> str | None:
    if not field_name:
        return None
    schema = tk.h.scheming_get_dataset_schema("dataset") or {}
    for field in schema.get("dataset_fields", []) + schema.get("resource_fields", []):
        if field["field_name"] == field_name:
            return tk.h.scheming_language_text(field.get("label")) or field_name
    return None


def localised(violation: dict) -> str:
    """What the editor reads: the field's label and the rule, in the page's language."""
    component = violation.get("component")
    if component is None:  # a report made before components were kept
        return violation["message"] if tk.h.lang() == "de" else violation["message_en"]
    term = short_path(violation.get("path") or "")
    label = _field_label(violation.get("field"))
    where = f"{label} ({term})" if label and term else label or term or tk._("Dataset")
    return f"{where}: {tk._(_component_text(component))}"
