"""Template helpers of the search pages."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.datenraum.dcatapde import vocabularies
from ckanext.datenraum.i18n import current_language
from ckanext.datenraum.search import facets, suggest

__all__ = [
    "datenraum_search_did_you_mean",
    "datenraum_search_facet_label",
    "datenraum_search_related_themes",
]

datenraum_search_did_you_mean = suggest.did_you_mean
datenraum_search_facet_label = facets.facet_label


def datenraum_search_related_themes(q: str | None) -> list[dict]:
    """Related themes for a search without results: label, dataset count and search link."""
    themes = []
    language = current_language()
    vocabulary = vocabularies.get("data-theme")
    for theme in suggest.related_themes(q):
        concept = vocabulary.concept_for_value(theme["uri"])
        label = (concept.labels.get(language) or concept.labels.get("de")) if concept else None
        url = tk.h.url_for("dataset.search", datenraum_theme=theme["uri"])
        themes.append({"label": label or theme["uri"], "count": theme["count"], "url": url})
    return themes
