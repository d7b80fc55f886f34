"""Field by field: what a client must hold of each value of ours, and what it holds.

Each ``Check`` names a field of our schema (``resources.x`` for a distribution's field,
``publisher.name`` for a subfield) and says, for the clients it applies to, the value the client
must hold (computed from our dataset as the export writes it) and where in the client's stored
package (CKAN without scheming: core fields and extras) the value is. A field a client cannot
hold is in ``LEFT_OUT`` with the reason: together they are the field table of
docs/decisions/0113, and ``test_every_schema_field_is_accounted_for`` holds them to the schema.
Text is compared after the export's cleaning (control characters removed), lists as sets.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable

from ckanext.datenraum.common.text import clean
from ckanext.datenraum.dcatapde import vocabularies
from ckanext.datenraum.dcatapde.logic.validators import is_absolute_uri

GOVDATA, PLAIN = "govdata", "plain"
BOTH = (GOVDATA, PLAIN)
# GovData's categories: the groups ckanext-dcatde's dcatde_themeadder makes.
GOVDATA_GROUPS = {
    *("agri", "econ", "educ", "ener", "envi", "heal", "intr"),
    *("just", "soci", "gove", "regi", "tech", "tran"),
}


def extras(package: dict) -> dict:
    return {item["key"]: item["value"] for item in package.get("extras", [])}


def as_set(value) -> set:
    """A client's list value: a JSON list in text, a list, or one value."""
    if value in (None, "", []):
        return set()
    if isinstance(value, list):
        return set(value)
    try:
        loaded = json.loads(value)
    except ValueError:
        return {value}
    return set(loaded) if isinstance(loaded, list) else {loaded}


def text(value):
    return clean(str(value)) if value else None


def uri_of(vocabulary: str, value):
    return vocabularies.get(vocabulary).uri_for(value) if value else None


class Ours:
    """One dataset of ours as the export writes it: effective publisher and contributor, its
    URI and its distributions' URIs."""

    def __init__(self, dataset: dict, organizations: dict, base_url: str, shared: set):
        self.dataset = dataset
        self.organization = organizations.get(dataset.get("owner_org"), {})
        self.base_url = base_url
        self.shared = shared  # identifiers more than one dataset has

    def __getitem__(self, key):
        value = self.dataset.get(key)
        return None if value in ("", [], None) else value

    def first(self, key: str) -> dict:
        items = self.dataset.get(key) or []
        return items[0] if items else {}

    @property
    def uri(self) -> str:
        return self.dataset.get("uri") or f"{self.base_url}/dataset/{self.dataset['id']}"

    def resource_uri(self, resource: dict) -> str:
        return resource.get("uri") or (
            f"{self.base_url}/dataset/{self.dataset['id']}/resource/{resource['id']}"
        )

    @property
    def publisher(self) -> dict:
        own = [p for p in self.dataset.get("publisher") or [] if p.get("name")]
        if own:
            return own[0]
        org = self.organization
        return {
            "name": org.get("title"),
            "uri": org.get("uri") or f"{self.base_url}/organization/{org.get('id')}",
            "type": org.get("dcat_type"),
            "email": org.get("email"),
            "url": org.get("url"),
        }

    @property
    def identifier(self):
        value = self.dataset.get("identifier")
        if value and value in self.shared:
            return self.uri  # shared identifiers go as the dataset's URI (decision 0112)
        return clean(value) if value else self.dataset["id"]

    def alternate_identifiers(self) -> set:
        """Those a DCAT-AP 2 reader can hold: URIs (an IRI node reads as its value), and the
        shared identifier moved here."""
        values = {clean(v) for v in self.dataset.get("alternate_identifier") or []}
        if self.dataset.get("identifier") in self.shared:
            values.add(self.dataset["identifier"])
        return {v for v in values if is_absolute_uri(v)}

    def licence(self, resource: dict):
        return uri_of("licenses", resource.get("license") or self.dataset.get("license_id"))


@dataclasses.dataclass(frozen=True)
class Check:
    field: str
    expected: Callable  # (ours[, resource], client) -> value
    stored: Callable  # (package[, resource], client) -> value
    clients: tuple = BOTH


def _d(field, expected, stored, clients=BOTH):
    return Check(field, lambda o, _c: expected(o), lambda p, _c: stored(p), clients)


def _x(key):
    return lambda p: extras(p).get(key) or None


def _xs(key):
    return lambda p: as_set(extras(p).get(key))


def _set(key):
    return lambda o: set(o[key] or [])


def _spatial_uri(ours):
    """GovData and ckanext-dcat keep one location: the last URI they read, which the export
    makes the first spatial coverage's (decision 0112); without one, a regional key."""
    first = ours.first("spatial_coverage").get("uri")
    return first or OneOf(ours["political_geocoding_uri"] or [None])


def _plain_licence(ours):
    """A plain CKAN finds a licence by the title the export gives it (its German title) in its
    own list (opendefinition.org's): the first distribution whose licence has a title of that
    list gives the dataset's licence; most have none."""
    from ckan.model.license import LicenseRegister

    by_title = {licence.title: key for key, licence in LicenseRegister().items()}
    concepts = vocabularies.get("licenses").concepts
    for resource in ours["resources"] or []:
        uri = ours.licence(resource)
        title = concepts[uri].labels.get("de") if uri else None
        if title in by_title:
            return by_title[title]
    return None


class _Any:
    def __eq__(self, other):
        return True

    def __repr__(self):
        return "anything"


ANY = _Any()


class OneOf:
    def __init__(self, values):
        self.values = list(values)

    def __eq__(self, other):
        return other in self.values

    def __repr__(self):
        return f"one of {self.values!r}"


def _geometry(value):
    return json.loads(value) if value else None


def _box(geom):
    from ckanext.datenraum.dcatapde.dataset_triples import geojson_shape

    shape = geojson_shape(geom) if geom else None
    return shape


DATASET_CHECKS = [
    _d("title", lambda o: text(o["title"]), lambda p: p.get("title")),
    _d("notes", lambda o: text(o["notes"]), lambda p: p.get("notes")),
    _d(
        "tag_string",
        lambda o: {clean(t["name"]) for t in o["tags"] or []},
        lambda p: {t["name"] for t in p.get("tags", [])},
    ),
    _d("theme", _set("theme"), _xs("theme")),
    Check(
        "theme (GovData's categories)",
        lambda o, _c: {uri.rsplit("/", 1)[1].lower() for uri in o["theme"] or []} & GOVDATA_GROUPS,
        lambda p, _c: {g["name"] for g in p.get("groups", [])},
        (GOVDATA,),
    ),
    _d("hvd_category", _set("hvd_category"), _xs("hvd_category")),
    _d("language", _set("language"), _xs("language")),
    _d(
        "contributor_id",
        lambda o: {o["contributor_id"] or o.organization.get("contributor_id")} - {None},
        _xs("contributorID"),
        (GOVDATA,),
    ),
    _d("publisher.name", lambda o: text(o.publisher.get("name")), _x("publisher_name")),
    _d("publisher.uri", lambda o: o.publisher.get("uri") or None, _x("publisher_uri")),
    _d("publisher.type", lambda o: o.publisher.get("type") or None, _x("publisher_type")),
    _d("publisher.email", lambda o: o.publisher.get("email") or None, _x("publisher_email")),
    _d("publisher.url", lambda o: o.publisher.get("url") or None, _x("publisher_url")),
    _d("contact.name", lambda o: text(o.first("contact").get("name")), _x("contact_name")),
    _d("contact.email", lambda o: o.first("contact").get("email") or None, _x("contact_email")),
    _d("contact.url", lambda o: o.first("contact").get("url") or None, _x("contact_url")),
    _d(
        "contact.phone",
        lambda o: (
            "".join(c for c in o.first("contact").get("phone") or "" if c.isdigit() or c == "+")
            or None
        ),
        _x("contact_tel"),
        (GOVDATA,),
    ),
    _d(
        "originator.name",
        lambda o: text(o.first("originator").get("name")),
        _x("originator_name"),
        (GOVDATA,),
    ),
    _d(
        "originator.email",
        lambda o: o.first("originator").get("email") or None,
        _x("originator_email"),
        (GOVDATA,),
    ),
    _d(
        "originator.url",
        lambda o: o.first("originator").get("url") or None,
        _x("originator_url"),
        (GOVDATA,),
    ),
    _d(
        "custodian.name",
        lambda o: text(o.first("custodian").get("name")),
        lambda p: p.get("maintainer") or None,
        (GOVDATA,),
    ),
    _d(
        "custodian.email",
        lambda o: o.first("custodian").get("email") or None,
        lambda p: p.get("maintainer_email") or None,
        (GOVDATA,),
    ),
    _d(
        "custodian.url",
        lambda o: o.first("custodian").get("url") or None,
        _x("maintainer_url"),
        (GOVDATA,),
    ),
    _d(
        "political_geocoding_level_uri",
        lambda o: o["political_geocoding_level_uri"],
        _x("politicalGeocodingLevelURI"),
        (GOVDATA,),
    ),
    _d(
        "political_geocoding_uri",
        _set("political_geocoding_uri"),
        _xs("politicalGeocodingURI"),
        (GOVDATA,),
    ),
    _d("spatial_coverage.uri", _spatial_uri, _x("spatial_uri")),
    _d(
        "spatial_coverage.text",
        lambda o: text(o.first("spatial_coverage").get("text")),
        _x("spatial_text"),
    ),
    _d(
        "spatial_coverage.geom",
        lambda o: _geometry(o.first("spatial_coverage").get("geom")),
        lambda p: _geometry(extras(p).get("spatial")),
        (GOVDATA,),
    ),
    _d(
        "spatial_coverage.geom (centroid or box)",
        lambda o: _box(o.first("spatial_coverage").get("geom")),
        lambda p: (
            ("centroid", extras(p)["spatial_centroid"])
            if extras(p).get("spatial_centroid")
            else (("bbox", extras(p)["spatial_bbox"]) if extras(p).get("spatial_bbox") else None)
        ),
        (PLAIN,),
    ),
    _d("temporal_start", lambda o: o["temporal_start"], _x("temporal_start")),
    _d("temporal_end", lambda o: o["temporal_end"], _x("temporal_end")),
    _d("issued", lambda o: o["issued"], _x("issued")),
    _d("modified", lambda o: o["modified"], _x("modified")),
    _d("frequency", lambda o: o["frequency"], _x("frequency")),
    _d("version", lambda o: text(o["version"]), lambda p: p.get("version") or None),
    Check(
        "license_id",
        lambda o, c: o.licence(o["resources"][0]) if c == GOVDATA else _plain_licence(o),
        lambda p, _c: p.get("license_id") or None,
    ),
    _d("access_rights", lambda o: o["access_rights"], _x("access_rights")),
    _d("availability", lambda o: o["availability"], _x("availability"), (GOVDATA,)),
    _d("applicable_legislation", _set("applicable_legislation"), _xs("applicable_legislation")),
    _d("conforms_to", _set("conforms_to"), _xs("conforms_to")),
    _d("identifier", lambda o: o.identifier, _x("identifier")),
    _d(
        "alternate_identifier",
        lambda o: o.alternate_identifiers(),
        lambda p: {v for v in as_set(extras(p).get("alternate_identifier")) if is_absolute_uri(v)},
    ),
    _d("url", lambda o: o["url"], lambda p: p.get("url") or None),
    _d("documentation", _set("documentation"), _xs("documentation")),
    _d("uri", lambda o: o.uri, _x("uri")),
]


def _r(field, expected, stored, clients=BOTH):
    return Check(field, lambda o, r, _c: expected(o, r), lambda p, r, _c: stored(r), clients)


def _rk(key):
    return lambda r: r.get(key) or None


def _access_url(resource):
    """dcat:accessURL as the export writes it: the access URL, else the URL when it is not the
    download URL."""
    url, download = resource.get("url"), resource.get("download_url")
    if resource.get("access_url"):
        return resource["access_url"]
    return url if url and url != download else None


def _completed(resource) -> list:
    """The resource's access services as the export completes them (decision 0204)."""
    services = []
    for service in _services(resource):
        service = dict(service)
        service["title"] = (
            service.get("title") or resource.get("name") or resource.get("url") or "Datendienst"
        )
        endpoint = resource.get("access_url") or resource.get("url")
        if not service.get("endpoint_url") and is_absolute_uri(endpoint or ""):
            service["endpoint_url"] = [endpoint]
        services.append(service)
    return services


def _services(resource) -> list:
    services = resource.get("access_services") or []
    return json.loads(services) if isinstance(services, str) else services


def _service_values(key, ours=True):
    def values(resource):
        found = set()
        for service in _completed(resource) if ours else _services(resource):
            value = service.get(key)
            for item in value if isinstance(value, list) else [value]:
                if item:
                    found.add(clean(item) if ours else item)
        return found

    return values


RESOURCE_CHECKS = [
    _r("resources.uri", lambda o, r: o.resource_uri(r), _rk("uri")),
    _r("resources.name", lambda o, r: text(r.get("name")), _rk("name")),
    _r("resources.description", lambda o, r: text(r.get("description")), _rk("description")),
    _r(
        "resources.url",
        lambda o, r: r.get("download_url") or r.get("access_url") or r.get("url"),
        _rk("url"),
    ),
    # Without a value of ours CKAN guesses one from the URL (if_empty_guess_format): any will do.
    _r("resources.format", lambda o, r: uri_of("file-type", r.get("format")) or ANY, _rk("format")),
    _r(
        "resources.mimetype",
        lambda o, r: uri_of("media-type", r.get("mimetype")) or ANY,
        _rk("mimetype"),
    ),
    _r("resources.access_url", lambda o, r: _access_url(r), _rk("access_url")),
    _r("resources.download_url", lambda o, r: r.get("download_url"), _rk("download_url")),
    _r("resources.license", lambda o, r: o.licence(r), _rk("license")),
    _r(
        "resources.license_attribution_by_text",
        lambda o, r: text(r.get("license_attribution_by_text")),
        _rk("licenseAttributionByText"),
        (GOVDATA,),
    ),
    _r("resources.size", lambda o, r: r.get("size"), _rk("size")),
    _r(
        "resources.hash",
        lambda o, r: r.get("hash") if r.get("hash_algorithm") else None,
        _rk("hash"),
    ),
    _r(
        "resources.hash_algorithm",
        lambda o, r: r.get("hash_algorithm") or None,
        _rk("hash_algorithm"),
    ),
    _r("resources.status", lambda o, r: r.get("status") or None, _rk("status")),
    _r("resources.availability", lambda o, r: r.get("availability") or None, _rk("availability")),
    _r("resources.issued", lambda o, r: r.get("issued") or None, _rk("issued")),
    _r("resources.modified", lambda o, r: r.get("modified") or None, _rk("modified")),
    _r(
        "resources.language",
        lambda o, r: set(r.get("language") or []),
        lambda r: as_set(r.get("language")),
    ),
    Check(
        "resources.conforms_to",
        # GovData keeps no service's standards: the export also puts them on the distribution
        lambda o, r, _c: set(r.get("conforms_to") or []) | _service_values("conforms_to")(r),
        lambda p, r, _c: as_set(r.get("conforms_to")),
    ),
    _r(
        "resources.access_services.title",
        lambda o, r: _service_values("title")(r),
        _service_values("title", False),
    ),
    _r(
        "resources.access_services.description",
        lambda o, r: _service_values("description")(r),
        _service_values("description", False),
    ),
    _r(
        "resources.access_services.endpoint_url",
        lambda o, r: _service_values("endpoint_url")(r),
        _service_values("endpoint_url", False),
    ),
    _r(
        "resources.access_services.endpoint_description",
        lambda o, r: _service_values("endpoint_description")(r),
        _service_values("endpoint_description", False),
    ),
    _r(
        "resources.access_services.access_rights",
        lambda o, r: _service_values("access_rights")(r),
        _service_values("access_rights", False),
    ),
    _r(
        "resources.access_services.uri",
        lambda o, r: _service_values("uri")(r),
        _service_values("uri", False),
    ),
    _r(
        "resources.access_services.conforms_to",
        lambda o, r: _service_values("conforms_to")(r),
        _service_values("conforms_to", False),
        (PLAIN,),
    ),
]

# (field, clients) -> why the clients do not hold it. The same table is in decision 0113.
LEFT_OUT = {
    ("name", BOTH): "CKAN URL names are local: each client derives its own from the title",
    ("owner_org", BOTH): "a client puts every dataset into its harvest source's organisation;"
    " ours arrives as the publisher",
    ("contact[1:]", BOTH): "both clients keep one contact point per dataset (the first)",
    ("originator[1:] custodian[1:]", (GOVDATA,)): "ckanext-dcatde keeps one agent per role",
    (
        "originator.uri",
        (GOVDATA,),
    ): "ckanext-dcatde reads name, e-mail and homepage of a 2.0 agent, no URI",
    ("custodian.uri", (GOVDATA,)): "as originator.uri",
    ("originator", (PLAIN,)): "plain ckanext-dcat reads no DCAT-AP.de agent (geodcatap:originator)",
    ("custodian", (PLAIN,)): "plain ckanext-dcat reads no DCAT-AP.de agent (geodcatap:custodian)",
    ("contributor_id", (PLAIN,)): "plain ckanext-dcat reads no dcatde: term",
    ("political_geocoding_level_uri", (PLAIN,)): "plain ckanext-dcat reads no dcatde: term",
    (
        "political_geocoding_uri",
        (PLAIN,),
    ): "plain ckanext-dcat reads no dcatde: term; a regional key"
    " that is the only location arrives as spatial_uri",
    (
        "availability",
        (PLAIN,),
    ): "plain ckanext-dcat reads dcatap:availability on distributions only",
    ("contact.phone", (PLAIN,)): "plain ckanext-dcat reads no vcard:hasTelephone",
    ("spatial_coverage[1:]", BOTH): "both clients keep one location (uri, text, geometry)",
    (
        "spatial_coverage.geom",
        (PLAIN,),
    ): "on /catalog.* a geometry goes as dcat:centroid (a point) or"
    " dcat:bbox (its bounding box; exact for boxes), decision 0111: a non-rectangular outline"
    " arrives as its bounding box",
    (
        "license_id",
        (PLAIN,),
    ): "a plain CKAN's licence list has none of the dcat-ap.de licences; each"
    " distribution keeps the licence URI",
    ("alternate_identifier (not a URI)", BOTH): "both clients read an adms:Identifier node as its"
    " IRI; DCAT-AP 3 wants a node, so a value that is no URI arrives as a blank node label",
    ("resources.license_attribution_by_text", (PLAIN,)): "plain ckanext-dcat reads no dcatde: term",
    ("resources.hash without hash_algorithm", BOTH): "spdx:Checksum needs its algorithm; the export"
    " leaves a checksum without one out",
    (
        "resources.access_services.conforms_to",
        GOVDATA,
    ): "ckanext-dcat 2.3 keeps no service standard:"
    " the export also puts it on the distribution (resources.conforms_to)",
    (
        "resources.access_services.publisher",
        (GOVDATA,),
    ): "ckanext-dcat 2.3 keeps no service publisher; it is the dataset's publisher, which arrives",
}
