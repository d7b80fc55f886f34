"""Actions of the portal: look-ups for the dataset form, and the form's publish guard."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.datenraum.common import regions, slugs
from ckanext.datenraum.i18n import current_language

__all__ = ["datenraum_region_search", "datenraum_name_from_title", "package_patch"]

_ = tk._
MAX_RESULTS = 50


@tk.side_effect_free
def datenraum_region_search(context, data_dict):
    """States, districts and municipalities whose name or official key starts with ``q``.

    :param q: part of a name ("Jena", "Straß") or the start of a regional key ("16053")
    :param limit: at most this many results (default 20, at most 50)
    :returns: ``[{"id": dcat-ap.de URI, "text": label}]`` in the page's language
    """
    tk.check_access("datenraum_region_search", context, data_dict)
    try:
        limit = min(int(data_dict.get("limit") or 20), MAX_RESULTS)
    except ValueError:
        raise tk.ValidationError({"limit": [_("Please enter a whole number")]}) from None
    language = current_language()
    return [
        {"id": region.uri, "text": regions.label(region, language)}
        for region in regions.search(str(data_dict.get("q") or ""), limit)
    ]


@tk.side_effect_free
def datenraum_name_from_title(context, data_dict):
    """The URL name the dataset form proposes for a title ("Straßenbäume" → strassenbaeume).

    :param title: the dataset's title
    :returns: ``{"name": …}`` (empty when nothing of the title can be spelled in ASCII)
    """
    tk.check_access("datenraum_name_from_title", context, data_dict)
    return {"name": slugs.name_from_title(str(data_dict.get("title") or ""))}


# The resource step of the "new dataset" form ("Add data") publishes the draft through
# package_patch(state=active) when its form was left empty. A dataset of the web form must not
# go public without a distribution; datasets of the API and harvesters may (DCAT-AP allows it).
_NEW_RESOURCE_ENDPOINT = "_resource.new"


@tk.chained_action
def package_patch(original_action, context, data_dict):
    if data_dict.get("state") == "active" and _publishing_empty_draft_from_the_form(data_dict):
        raise tk.ValidationError(
            {"url": [_("Please add at least one distribution (a link or a file) to publish")]}
        )
    return original_action(context, data_dict)


def _publishing_empty_draft_from_the_form(data_dict: dict) -> bool:
    try:
        endpoint = tk.request.endpoint or ""
    except RuntimeError:  # no request: CLI, jobs
        return False
    if not endpoint.endswith(_NEW_RESOURCE_ENDPOINT):
        return False
    package = model.Package.get(data_dict.get("id"))
    if package is None or package.state != "draft":
        return False
    return not any(resource.state == "active" for resource in package.resources_all)
