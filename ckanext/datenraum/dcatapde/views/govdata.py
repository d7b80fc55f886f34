"""``/catalog/govdata.{ttl,rdf,xml,jsonld}``: the DCAT-AP.de catalogue feed for GovData."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckanext.dcat.exceptions import RDFProfileException
from ckanext.dcat.utils import CONTENT_TYPES
from flask import Blueprint, make_response

from ckanext.datenraum.dcatapde import govdata as feed
from ckanext.datenraum.dcatapde.export import PROFILE

govdata = Blueprint("datenraum_govdata", __name__)


@govdata.route("/catalog/govdata.<_format>")
def catalog(_format: str):
    if _format not in CONTENT_TYPES:
        return tk.abort(404)
    filters = feed.feed_filters()
    data_dict = {
        "page": tk.request.args.get("page"),
        "modified_since": tk.request.args.get("modified_since"),
        "fq": " AND ".join(f"({f})" if not f.startswith("-") else f"(*:* {f})" for f in filters),
        "format": _format,
        "profiles": [PROFILE],
    }
    try:
        output = tk.get_action("dcat_catalog_show")({}, data_dict)
    except (tk.ValidationError, RDFProfileException) as error:
        return tk.abort(409, str(error))
    response = make_response(output)
    response.headers["Content-Type"] = CONTENT_TYPES[_format]
    return response
