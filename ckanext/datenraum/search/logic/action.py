"""Search API actions: autocomplete for the search box."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.datenraum.search import suggest

__all__ = ["datenraum_search_autocomplete"]


@tk.side_effect_free
def datenraum_search_autocomplete(context, data_dict):
    """Suggestions for what was typed into the dataset search box, from public datasets only.

    :param q: the text typed so far (at least 2 characters, else nothing is suggested)
    :type q: string
    :returns: ``{"titles": [...], "tags": [...], "organizations": [...]}``, each a list of
        ``{"label": ..., "value": ...}`` (value: the dataset or organisation name, or the tag)
    :rtype: dictionary
    """
    tk.check_access("datenraum_search_autocomplete", context, data_dict)
    q = data_dict.get("q", "")
    if not isinstance(q, str):
        raise tk.ValidationError({"q": [tk._("Must be a string")]})
    return suggest.autocomplete(q[:100])
