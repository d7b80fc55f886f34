"""The RDF endpoints: ``/catalog.{fmt}``, ``/catalog/govdata.{fmt}`` and ``/dataset/<id>.{fmt}``.

They take over ckanext-dcat's routes of the same paths (this plugin comes before ``dcat`` in
``ckan.plugins``) and call the same actions, so every profile still works; what they add:

- every format the writers know, N-Triples included (ckanext-dcat's view answers ``.nt`` with
  a 500), each with ``charset=utf-8`` (also on ckanext-dcat's content-negotiated answers);
- bad parameters are a 400 with the reason (a page past the end, Solr local parameters in
  ``q``/``fq``, an unknown profile), never a 500 or ckanext-dcat's 409;
- a dataset the caller may not see answers 404 exactly like an unknown one.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckanext.dcat.exceptions import RDFProfileException
from flask import Blueprint, make_response

from ckanext.datenraum.dcatapde import govdata as feed
from ckanext.datenraum.dcatapde.export import PROFILE

MEDIA_TYPES = {
    "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "ttl": "text/turtle",
    "n3": "text/n3",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}
CHARSET = "charset=utf-8"


def _rdf_response(text: str, fmt: str):
    response = make_response(text)
    response.headers["Content-Type"] = f"{MEDIA_TYPES[fmt]}; {CHARSET}"
    return response


def _answer(action: str, data_dict: dict, fmt: str, not_found: str = ""):
    if fmt not in MEDIA_TYPES:
        return tk.abort(404, tk._("Unknown format"))
    try:
        output = tk.get_action(action)({}, dict(data_dict, format=fmt))
    except tk.ObjectNotFound:
        return tk.abort(404, not_found or tk._("Not found"))
    except tk.NotAuthorized:  # only reached for catalogue pages: datasets answer 404 already
        return tk.abort(403)
    except (tk.ValidationError, RDFProfileException) as error:
        return tk.abort(400, _message(error))
    return _rdf_response(output, fmt)


def _message(error) -> str:
    if isinstance(error, tk.ValidationError) and isinstance(error.error_dict, dict):
        return "; ".join(
            f"{key}: {' '.join(map(str, value)) if isinstance(value, list) else value}"
            for key, value in error.error_dict.items()
        )
    return str(error)


def _profiles() -> list[str] | None:
    profiles = tk.request.args.get("profiles")
    return profiles.split(",") if profiles else None


def catalog(_format: str):
    args = tk.request.args
    return _answer(
        "dcat_catalog_show",
        {
            "page": args.get("page"),
            "modified_since": args.get("modified_since"),
            "q": args.get("q"),
            "fq": args.get("fq"),
            "profiles": _profiles(),
        },
        _format,
    )


def govdata_catalog(_format: str):
    """What GovData harvests (``dcatapde/govdata.py``): the feed rule as the filter query."""
    args = tk.request.args
    filters = " AND ".join(f"({query})" for query in feed.feed_filters())
    return _answer(
        "dcat_catalog_show",
        {
            "page": args.get("page"),
            "modified_since": args.get("modified_since"),
            "fq": filters,
            "profiles": [PROFILE],
            "datenraum_govdata": True,
        },
        _format,
    )


def dataset(_id: str, _format: str):
    return _answer(
        "dcat_dataset_show",
        {"id": _id, "profiles": _profiles()},
        _format,
        not_found=tk._("Dataset not found"),
    )


def with_charset(response):
    """ckanext-dcat's own RDF answers (content negotiation) name no charset."""
    media_type = (response.headers.get("Content-Type") or "").split(";", 1)[0].strip()
    if media_type in MEDIA_TYPES.values() and "charset" not in response.headers["Content-Type"]:
        response.headers["Content-Type"] = f"{media_type}; {CHARSET}"
    return response


def blueprints() -> list[Blueprint]:
    """Built when the plugin loads, so the configured catalogue path is the current one."""
    blueprint = Blueprint("datenraum_catalog", __name__)
    endpoint = tk.config.get("ckanext.dcat.catalog_endpoint") or "/catalog.{_format}"
    blueprint.add_url_rule(endpoint.replace("{_format}", "<_format>"), view_func=catalog)
    blueprint.add_url_rule("/catalog/govdata.<_format>", view_func=govdata_catalog)
    blueprint.add_url_rule("/dataset/<_id>.<_format>", view_func=dataset)
    blueprint.after_app_request(with_charset)
    return [blueprint]
