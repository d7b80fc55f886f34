"""The resource proxies of the previews, through the safe fetcher (decision 0414).

CKAN's ``resource_proxy`` and ckanext-geoview's ``service_proxy`` fetch whatever URL an editor
gives with plain ``requests``: a resource pointing at ``http://127.0.0.1:8983/solr/…`` or a cloud
metadata address would be read by the catalogue and handed to any visitor. The two endpoints keep
their names and URLs (the map views build links to them), but their view functions are replaced
by :func:`proxy_view` and :func:`service_proxy_view`, which fetch through
:mod:`ckanext.datenraum.common.http`: private and internal targets refused, every redirect
checked, size cap, timeouts.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, urlencode, urlsplit

import ckan.plugins.toolkit as tk
from flask import Flask, make_response, request

from ckanext.datenraum.common import http

log = logging.getLogger(__name__)

# Parameters of an OGC request that the map viewer sets itself; taken off the stored URL, as
# ckanext-geoview does, so that GetCapabilities/GetMap are not sent twice with other values.
OGC_REQUEST_PARAMS = frozenset(
    {
        "service",
        "version",
        "request",
        "outputformat",
        "typename",
        "layers",
        "srsname",
        "bbox",
        "maxfeatures",
    }
)


def policy() -> http.FetchPolicy:
    return http.FetchPolicy(
        allow_private_targets=tk.asbool(
            tk.config.get("ckanext.datenraum.preview.allow_private_targets")
        ),
        timeout=float(tk.config.get("ckan.resource_proxy.timeout")),
        max_bytes=int(tk.config.get("ckan.resource_proxy.max_file_size")),
        retries=0,
    )


def proxy_view(id: str, resource_id: str):
    return _proxied(_resource_url(resource_id), params=None)


def service_proxy_view(id: str, resource_id: str):
    url = _resource_url(resource_id)
    parts = urlsplit(url)
    kept = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in OGC_REQUEST_PARAMS
    ]
    url = parts._replace(query=urlencode(kept), fragment="").geturl()
    return _proxied(url, params=list(request.args.items(multi=True)) or None)


# The upstream endpoints (their names stay, the views link to them) and their safe views.
ENDPOINTS = {
    "resource_proxy.proxy_view": proxy_view,
    "service_proxy.proxy_service": service_proxy_view,
}


def install(app: Flask) -> None:
    """Point the upstream proxy endpoints of ``app`` at the safe views (where they exist)."""
    for endpoint, view in ENDPOINTS.items():
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = view


def _resource_url(resource_id: str) -> str:
    try:
        resource = tk.get_action("resource_show")(
            {"user": tk.current_user.name}, {"id": resource_id}
        )
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Resource not found"))
    except tk.NotAuthorized:
        tk.abort(403, tk._("Not authorized to see this page"))
    return resource.get("url") or ""


def _proxied(url: str, params):
    try:
        fetched = http.fetch(url, policy(), params=params)
    except http.RefusedTarget as error:
        log.warning("preview proxy refused %s: %s", url, error)
        tk.abort(403, tk._("This address cannot be shown in the preview."))
    except http.TooLarge:
        tk.abort(409, tk._("The file is too large for the preview."))
    except http.FetchError as error:
        log.info("preview proxy could not fetch %s: %s", url, error)
        tk.abort(502, tk._("The file could not be fetched for the preview."))
    response = make_response(fetched.content)
    response.headers["Content-Type"] = fetched.content_type or "application/octet-stream"
    # What a partner sends is data to show, never a page of ours.
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
