"""What the search plugin adds to a dataset's Solr document (``before_dataset_index``).

- the ``datenraum_*`` facet fields (facets.py);
- ``text_parts``: the searchable texts with compounds split (compounds.py);
- ``vocabulary_labels``: German and English labels of the dataset's themes, formats and licence,
  so an English query ("environment", "comma separated") finds German data;
- ``suggest_organization`` and ``suggest_context`` for the autocomplete (suggest.py): the
  publisher's title, and the site id only for public, active datasets.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from ckanext.datenraum.dcatapde import vocabularies
from ckanext.datenraum.search import compounds, facets, suggest

_PART_SOURCES = ("title", "notes", "tags", "res_name", "res_description")
# dataset field -> vocabulary whose labels describe it
_LABELLED = (("theme", "data-theme"), ("license_id", "licenses"))


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [text for text in value or [] if isinstance(text, str)]


def parts_texts(pkg_dict: dict) -> list[str]:
    found = (compounds.parts_text(text) for f in _PART_SOURCES for text in _texts(pkg_dict.get(f)))
    return [text for text in found if text]


def _labels_of(vocabulary_name: str, values: Iterable[str]) -> list[str]:
    vocabulary = vocabularies.get(vocabulary_name)
    labels = []
    for value in values:
        concept = vocabulary.concept_for_value(value)
        if concept:
            labels.extend(label for label in concept.labels.values() if label)
    return labels


def vocabulary_labels(pkg_dict: dict, validated: dict) -> list[str]:
    labels = []
    for field, vocabulary_name in _LABELLED:
        labels += _labels_of(vocabulary_name, facets.as_list(validated.get(field)))
    labels += _labels_of("file-type", _texts(pkg_dict.get("res_format")))
    return list(dict.fromkeys(labels))


def _organization_title(validated: dict) -> str | None:
    organization = validated.get("organization")
    if isinstance(organization, dict):
        return organization.get("title") or organization.get("name")
    return None


def index_fields(pkg_dict: dict) -> dict:
    """The Solr document with our fields added."""
    validated = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    fields: dict = facets.facet_values(validated)
    fields["text_parts"] = parts_texts(pkg_dict)
    labels = vocabulary_labels(pkg_dict, validated)
    if labels:
        fields["vocabulary_labels"] = labels
    organization = _organization_title(validated)
    if organization:
        fields["suggest_organization"] = organization
    if pkg_dict.get("capacity") == "public" and pkg_dict.get("state") == "active":
        fields["suggest_context"] = [suggest.context_key(pkg_dict.get("site_id"))]
    return dict(pkg_dict, **fields)
