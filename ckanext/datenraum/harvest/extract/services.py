"""OGC web services and Atom feeds: the endpoint, capabilities document and standard of a URL.

ISO records give a service's online resource in many forms (a bare endpoint, an endpoint with a
trailing "?", a complete GetCapabilities request). DCAT-AP wants the endpoint itself
(``dcat:endpointURL``) and what describes it (``dcat:endpointDescription``: for OGC services the
capabilities document).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

OGC_SERVICE_TYPE = "http://www.opengis.net/def/serviceType/ogc/"
STANDARDS = {
    **{
        kind: OGC_SERVICE_TYPE + kind.lower()
        for kind in ("WMS", "WFS", "WMTS", "WCS", "CSW", "SOS")
    },
    "ATOM": "https://www.rfc-editor.org/rfc/rfc4287",
}
# KVP parameters that select an operation, not the service: they are not part of the endpoint.
_OPERATION_KEYS = {"service", "request", "version", "acceptversions"}


def standard_uri(service_type: str) -> str | None:
    """The URI of the standard a service of this type conforms to, if we know it."""
    return STANDARDS.get(service_type.upper())


def endpoint(url: str) -> str:
    """The service endpoint: ``url`` without operation parameters and a dangling "?"."""
    parsed = urlparse(url.strip())
    kept = [
        (k, v)
        for k, v in parse_qsl(parsed.query, keep_blank_values=True)
        if k.lower() not in _OPERATION_KEYS
    ]
    return urlunparse(parsed._replace(query=urlencode(kept), fragment="")).rstrip("?")


def capabilities_url(url: str, service_type: str) -> str | None:
    """The GetCapabilities request of an OGC service (None for Atom and unknown types)."""
    kind = service_type.upper()
    if kind not in STANDARDS or kind == "ATOM":
        return None
    if urlparse(url).path.lower().endswith(".xml"):  # RESTful WMTS: the URL is the document
        return url
    base = endpoint(url)
    separator = "&" if urlparse(base).query else "?"
    return f"{base}{separator}{urlencode({'SERVICE': kind, 'REQUEST': 'GetCapabilities'})}"
