"""OGC web services and Atom feeds: the endpoint, capabilities document and standard of a URL.

ISO records give a service's online resource in many forms (a bare endpoint, an endpoint with a
trailing "?", a complete GetCapabilities request). DCAT-AP wants the endpoint itself
(``dcat:endpointURL``) and what describes it (``dcat:endpointDescription``: for OGC services the
capabilities document).
"""

from __future__ import annotations

from urllib.parse import parse_qs, parse_qsl, urlencode, urlparse, urlunparse

SERVICE_TYPES = ("WMS", "WFS", "WMTS", "WCS", "ATOM", "CSW", "SOS")
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


# Operations that return data, not a description of the service: such a link is a download.
DATA_OPERATIONS = {"getfeature", "getcoverage"}


def service_type_of(text: str) -> str:
    """ "WMS", "WFS", … named by a URL's SERVICE parameter, a protocol ("OGC:WMS-1.3.0-http-get-
    map") or a path ("…/wms_gn250", "…/WFS?"); "" when none is."""
    text = text or ""
    query = {key.upper(): values for key, values in parse_qs(urlparse(text).query).items()}
    if "SERVICE" in query and query["SERVICE"][0].upper() in SERVICE_TYPES:
        return query["SERVICE"][0].upper()
    upper = text.upper()
    for kind in SERVICE_TYPES:
        if f"OGC:{kind}" in upper or f"_{kind}_" in upper:
            return kind
        if f"/{kind}" in upper or f"{kind}?" in upper or f"{kind}_" in upper:
            return kind
    return ""


def operation(url: str) -> str:
    """The KVP ``request`` of ``url`` in lower case ("getcapabilities", "getfeature"), or ""."""
    for key, value in parse_qsl(urlparse(url.strip()).query, keep_blank_values=True):
        if key.lower() == "request":
            return value.lower()
    return ""


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
