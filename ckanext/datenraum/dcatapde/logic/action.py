"""Actions of the DCAT-AP.de plugin."""

from __future__ import annotations

import json
import re

import ckan.plugins.toolkit as tk
from ckanext.dcat.logic import _pagination_info, _search_ckan_datasets

from ckanext.datenraum.dcatapde import (
    export,
    govdata,
    messages,
    pages,
    rdf_cache,
    rdfwriter,
    validation,
)

__all__ = [
    "datenraum_dataset_validate",
    "datenraum_govdata_feed_report",
    "dcat_catalog_show",
    "dcat_catalog_search",
    "dcat_dataset_show",
]


def violation_dict(result: validation.Result) -> dict:
    return {
        "dataset": result.dataset,
        "focus": result.focus,
        "path": result.path,
        "field": messages.field_for(result.path),
        "message": result.message,
        "message_en": messages.english_message(result.path, result.component),
        "component": result.component,
        "value": result.value,
    }


@tk.side_effect_free
def datenraum_dataset_validate(context, data_dict):
    """Validate one dataset's DCAT-AP.de export against the DCAT-AP.de 3.0 and GovData shapes.

    :param id: id or name of the dataset
    :type id: string
    :returns: ``{"dataset": name, "violations": [...], "warnings": [...]}``; each entry has
        ``path`` (the RDF property), ``field`` (the schema field, if any), ``message`` (German,
        from the shapes), ``message_en`` and ``value``
    :rtype: dict
    """
    tk.check_access("datenraum_dataset_validate", context, data_dict)
    dataset_id = tk.get_or_bust(data_dict, "id")
    dataset = tk.get_action("package_show")(dict(context), {"id": dataset_id})
    # Editors see this on every view of the dataset page: validate each version once.
    stamps = {dataset["id"]: pages.dataset_stamp(dataset)}
    cached, stale = rdf_cache.fetch(stamps, rdf_cache.VALIDATION)
    if dataset["id"] in cached:
        return json.loads(cached[dataset["id"]])
    report = validation.validate_graph(export.datasets_graph([dataset], with_catalog=False))
    result = {
        "dataset": dataset["name"],
        "violations": [violation_dict(result) for result in report.violations],
        "warnings": [violation_dict(result) for result in report.warnings],
    }
    text = json.dumps(result)
    rdf_cache.store({dataset["id"]: (stamps[dataset["id"]], text)}, rdf_cache.VALIDATION, stale)
    return result


@tk.side_effect_free
def datenraum_govdata_feed_report(context, data_dict):
    """How many datasets ``/catalog/govdata.*`` delivers and why the others stay out.

    :returns: ``{"datasets": n, "delivered": n, "left_out": [{"reason", "explanation",
        "count", "examples"}, ...]}``, the reasons in the order of the feed rule (decision 0110)
    :rtype: dict
    """
    tk.check_access("datenraum_govdata_feed_report", context, data_dict)
    return govdata.feed_report(context)


# Solr's ``start`` is a 32-bit integer; ckanext-dcat passes (page - 1) * rows unchecked.
SOLR_MAX_START = 2**31 - 1
# Local parameters ({!lucene …}) and the _query_ field would let a caller pick the query parser.
LOCAL_PARAMS = re.compile(r"\{!|_query_\s*:")


def _check_catalogue_parameters(data_dict) -> None:
    errors = {}
    for key in ("q", "fq"):
        if LOCAL_PARAMS.search(str(data_dict.get(key) or "")):
            errors[key] = [tk._("Solr local parameters are not allowed")]
    rows = int(tk.config.get("ckanext.dcat.datasets_per_page") or 100)
    try:
        page = int(data_dict.get("page") or 1)
    except (TypeError, ValueError):
        page = 1  # ckanext-dcat reports this one itself
    if (page - 1) * rows > SOLR_MAX_START:
        errors["page"] = [tk._("Page must be at most {0}").format(SOLR_MAX_START // rows + 1)]
    if errors:
        raise tk.ValidationError(errors)


def _catalog_page(original_action, auth_name, context, data_dict):
    _check_catalogue_parameters(data_dict)
    if not pages.handles(data_dict.get("profiles"), data_dict.get("format")):
        return original_action(context, data_dict)
    tk.check_access(auth_name, context, data_dict)
    query = _search_ckan_datasets(context, data_dict)
    try:
        return pages.catalog_document(
            query["results"],
            data_dict.get("format"),
            _pagination_info(query, data_dict),
            for_govdata=bool(data_dict.get("datenraum_govdata")),
        )
    except rdfwriter.WriterError:  # a value our writers cannot express: rdflib can
        return original_action(context, data_dict)


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_show(original_action, context, data_dict):
    """ckanext-dcat's catalogue page; for the ``dcatap_de`` profile without per-dataset queries
    and with cached datasets (same parameters and result)."""
    return _catalog_page(original_action, "dcat_catalog_show", context, data_dict)


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_search(original_action, context, data_dict):
    """ckanext-dcat's catalogue search; ``dcatap_de`` as in ``dcat_catalog_show``."""
    return _catalog_page(original_action, "dcat_catalog_search", context, data_dict)


@tk.chained_action
@tk.side_effect_free
def dcat_dataset_show(original_action, context, data_dict):
    """ckanext-dcat's dataset document; ``dcatap_de`` from the cache where it is current.

    A dataset the caller may not see is not found, exactly like an unknown one (private names
    cannot be probed)."""
    try:
        return _dataset_document(original_action, context, data_dict)
    except tk.NotAuthorized:
        raise tk.ObjectNotFound(tk._("Dataset not found")) from None


def _dataset_document(original_action, context, data_dict):
    if not pages.handles(data_dict.get("profiles"), data_dict.get("format")):
        return original_action(context, data_dict)
    tk.check_access("dcat_dataset_show", context, data_dict)
    dataset_dict = tk.get_action("package_show")(context, data_dict)
    try:
        return pages.dataset_document(dataset_dict, data_dict.get("format"))
    except rdfwriter.WriterError:
        return original_action(context, data_dict)
