"""Which resources ckanext-xloader may download into the DataStore (decision 0414).

xloader fetches a linked resource with plain ``requests``: a link to an address in the city's
own network would be read by the catalogue and published through the DataStore API. Before a
resource is submitted (``IXloader.can_upload``), its URL must pass the same target check as the
preview proxies and harvesters; uploaded files (served by the catalogue itself) always pass.
"""

from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk

from ckanext.datenraum.common import http
from ckanext.datenraum.preview import proxy

log = logging.getLogger(__name__)


def may_load(resource_id: str) -> bool:
    try:
        resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})
    except tk.ObjectNotFound:
        return False
    if resource.get("url_type") == "upload":
        return True
    try:
        http.check_target(resource.get("url") or "", proxy.policy())
    except http.FetchError as error:
        log.warning("xloader not submitted for resource %s: %s", resource_id, error)
        return False
    return True
