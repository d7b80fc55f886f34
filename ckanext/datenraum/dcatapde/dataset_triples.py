"""The DCAT-AP.de triples of one dataset, written directly: the export's fast path (decision 0103).

The reference path (``DCATAPdeProfile.graph_from_dataset_reference``) runs ckanext-dcat's
``euro_dcat_ap_3`` steps (base, v2, scheming, v3) on the profile's *upstream view* of the dataset
and then the profile's DCAT-AP.de additions, all through an rdflib graph. ``build`` produces the
same triples from the same view with the same rules, but into a plain ordered set: no rdflib store,
no namespace look-up per triple, one URI-quoting pass instead of 20 ``urllib.quote`` calls per URI,
and upstream's remove-and-replace steps (``owl:versionInfo``, decimal byte sizes, URI identifiers)
written in their final form. It covers every field upstream reads except those in
``UPSTREAM_ONLY_*`` and access-service fields outside our schema (``SERVICE_FIELDS``): a dataset
with one of them gets ``None`` and goes through the reference path, so nothing is ever lost.
``tests/test_dcatapde_fast_export.py`` proves both paths give isomorphic graphs.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal, DecimalException
from urllib.parse import quote, unquote

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import base as upstream
from ckanext.dcat.profiles.euro_dcat_ap_2 import ELI as UPSTREAM_ELI
from ckanext.dcat.profiles.euro_dcat_ap_base import DISTRIBUTION_LICENSE_FALLBACK_CONFIG
from ckanext.dcat.utils import publisher_uri_organization_fallback, resource_uri
from ckanext.dcat.validators import is_date, is_year, is_year_month
from dateutil.parser import parse as parse_date
from rdflib import BNode, Literal, Namespace, URIRef

from ckanext.datenraum.dcatapde import normalize
from ckanext.datenraum.dcatapde.logic.validators import is_absolute_uri


class _Terms:
    """A namespace that makes each term once: rdflib's makes a new URIRef on every access,
    which cost more than a catalogue page's triples themselves."""

    def __init__(self, namespace: Namespace):
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # copy, pickle and friends probe for these
            raise AttributeError(name)
        term = self._namespace[name]
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return getattr(self, name)


ADMS, DCAT, DCATAP, DCT, FOAF, LOCN, RDF, RDFS, SKOS, SPDX, VCARD, XSD = (
    _Terms(upstream.ADMS),
    _Terms(upstream.DCAT),
    _Terms(upstream.DCATAP),
    _Terms(upstream.DCT),
    _Terms(upstream.FOAF),
    _Terms(upstream.LOCN),
    _Terms(upstream.RDF),
    _Terms(upstream.RDFS),
    _Terms(upstream.SKOS),
    _Terms(upstream.SPDX),
    _Terms(upstream.VCARD),
    _Terms(upstream.XSD),
)
ELI = _Terms(UPSTREAM_ELI)
DCATDE = _Terms(normalize.DCATDE)
GEODCATAP = _Terms(normalize.GEODCATAP)
GSP = _Terms(Namespace("http://www.opengis.net/ont/geosparql#"))
TYPE = RDF.type
# Dataset fields the upstream steps must not see: the profile writes them in DCAT-AP.de form.
OWN_DATASET_FIELDS = (
    "temporal_start",
    "temporal_end",
    "spatial_coverage",
    "contact",
    "availability",
)
OWN_RESOURCE_FIELDS = ("format", "mimetype", "license")
# Fields the upstream steps write that ``build`` does not: such a dataset takes the reference path.
UPSTREAM_ONLY_DATASET_FIELDS = (
    "temporal_start",  # only from an extra here: the view drops the field itself
    "temporal_end",
    "temporal_coverage",
    "temporal_resolution",
    "spatial",
    "spatial_text",
    "spatial_uri",
    "spatial_bbox",
    "spatial_centroid",
    "spatial_resolution_in_meters",
    "creator_uri",
    "creator_name",
    "provenance_activity",
    "qualified_attribution",
    "qualified_relation",
    "in_series",
    "series_navigation",
)
UPSTREAM_ONLY_RESOURCE_FIELDS = (
    "temporal_resolution",
    "spatial_resolution_in_meters",
    "extras",
)
# Upstream switches to these fields when the key is present at all, even empty.
TRANSLATED_DATASET_FIELDS = ("title_translated", "notes_translated", "tags_translated")
TRANSLATED_RESOURCE_FIELDS = ("name_translated", "description_translated")
# CKAN's own timestamps (metadata_modified, created): ISO 8601 without a zone.
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?\Z")
# ckanext-dcat's CleanedURIRef percent-encodes exactly these; one pass instead of one per char.
_URI_QUOTING = str.maketrans({c: quote(c) for c in " !\"$'()*,;<>[]{|}\\^`"})
_DEFAULT_DATETIME = datetime.datetime(1, 1, 1, 0, 0, 0)

# (key, predicate, fallback keys, object type, class of URI objects), as upstream lists them.
_DATASET_VALUES = (
    ("title", DCT.title, None, Literal, None),
    ("notes", DCT.description, None, Literal, None),
    ("url", DCAT.landingPage, None, URIRef, FOAF.Document),
    ("identifier", DCT.identifier, ("guid", "id"), "uri_or_literal", None),
    # owl:versionInfo is written by the base step and removed by the v3 step: left out.
    ("version_notes", ADMS.versionNotes, None, Literal, None),
    ("frequency", DCT.accrualPeriodicity, None, "uri_or_literal", DCT.Frequency),
    ("dcat_type", DCT.type, None, "uri_or_literal", None),
    ("version", DCAT.version, None, Literal, None),  # v3
)
_DATASET_DATES = (
    ("issued", DCT.issued, ("metadata_created",)),
    ("modified", DCT.modified, ("metadata_modified",)),
)
_DATASET_LISTS = (
    ("language", DCT.language, "uri_or_literal", DCT.LinguisticSystem),
    ("theme", DCAT.theme, URIRef, None),
    ("conforms_to", DCT.conformsTo, "uri_or_literal", DCT.Standard),
    ("documentation", FOAF.page, "uri_or_literal", FOAF.Document),
    ("related_resource", DCT.relation, "uri_or_literal", RDFS.Resource),
    ("has_version", DCT.hasVersion, "uri_or_literal", None),
    ("is_version_of", DCT.isVersionOf, "uri_or_literal", None),
    ("source", DCT.source, "uri_or_literal", None),
    ("sample", ADMS.sample, "uri_or_literal", DCAT.Distribution),
    ("is_referenced_by", DCT.isReferencedBy, "uri_or_literal", RDFS.Resource),  # v2
    ("applicable_legislation", DCATAP.applicableLegislation, "uri_or_literal", ELI.LegalResource),
    ("hvd_category", DCATAP.hvdCategory, "uri_or_literal", None),
    ("has_version", DCAT.hasVersion, "uri_or_literal", None),  # v3
)
_DATASET_STATEMENTS = (
    ("access_rights", DCT.accessRights, DCT.RightsStatement),
    ("provenance", DCT.provenance, DCT.ProvenanceStatement),
)
_RESOURCE_VALUES = (
    ("name", DCT.title, None, Literal, None),
    ("description", DCT.description, None, Literal, None),
    ("status", ADMS.status, None, "uri_or_literal", None),
    ("access_url", DCAT.accessURL, None, URIRef, RDFS.Resource),
    ("download_url", DCAT.downloadURL, None, URIRef, RDFS.Resource),
    ("availability", DCATAP.availability, None, "uri_or_literal", None),  # v2
    ("compress_format", DCAT.compressFormat, None, "uri_or_literal", DCT.MediaType),
    ("package_format", DCAT.packageFormat, None, "uri_or_literal", DCT.MediaType),
)
_RESOURCE_LISTS = (
    ("documentation", FOAF.page, "uri_or_literal", FOAF.Document),
    ("language", DCT.language, "uri_or_literal", DCT.LinguisticSystem),
    ("conforms_to", DCT.conformsTo, "uri_or_literal", DCT.Standard),
    ("applicable_legislation", DCATAP.applicableLegislation, "uri_or_literal", ELI.LegalResource),
)
_RESOURCE_DATES = (
    ("issued", DCT.issued, ("created",)),
    ("modified", DCT.modified, ("metadata_modified",)),
)
# The access-service subfields of our schema (decision 0204) as upstream's v2 step writes them.
_SERVICE_VALUES = (
    ("access_rights", DCT.accessRights, None, "uri_or_literal", None),
    ("title", DCT.title, None, Literal, None),
    ("endpoint_description", DCAT.endpointDescription, None, "uri_or_literal", RDFS.Resource),
    ("description", DCT.description, None, Literal, None),
)
_SERVICE_LISTS = (
    ("conforms_to", DCT.conformsTo, "uri_or_literal", None),
    ("endpoint_url", DCAT.endpointURL, "uri_or_literal", RDFS.Resource),
)
# A service with a value in any other field (upstream also writes licence, contact, publisher,
# keywords …) takes the reference path. Upstream only sets ``access_service_ref``, never reads it.
SERVICE_FIELDS = frozenset(
    ("uri", "access_service_ref", *(item[0] for item in _SERVICE_VALUES + _SERVICE_LISTS))
)
# The classes the profile adds to URI objects of a service (``_complete_access_services``).
_SERVICE_OBJECT_CLASSES = {DCT.conformsTo: DCT.Standard, DCT.accessRights: DCT.RightsStatement}
_AGENT_PREDICATES = frozenset((DCT.publisher, GEODCATAP.originator, GEODCATAP.custodian))
_REWRITTEN_PREDICATES = frozenset((DCT.identifier, DCT.type))


def cleaned_uri(value) -> URIRef:
    """ckanext-dcat's ``CleanedURIRef``: strip, percent-encode a few characters."""
    if isinstance(value, str):
        value = value.strip().translate(_URI_QUOTING)
    return URIRef(value)


def uri_or_literal(value, lang=None):
    """ckanext-dcat's ``URIRefOrLiteral``: a cleaned URI for http(s) values, else a literal."""
    try:
        stripped = value.strip()
        if isinstance(value, str) and (
            stripped.startswith("http://") or stripped.startswith("https://")
        ):
            uri = cleaned_uri(value)
            uri.n3()  # raises for what rdflib cannot write: then a literal, as upstream
            return uri
        return Literal(value, lang=lang)
    except Exception:  # noqa: BLE001 (upstream turns any failure into a literal)
        return Literal(value, lang=lang)


_TYPES = {Literal: Literal, URIRef: cleaned_uri, "uri_or_literal": uri_or_literal}


def date_literal(value) -> Literal:
    """A typed date literal as upstream's ``_add_date_triple`` writes it (ISO 8601 timestamps
    through the standard library: the same ``xsd:dateTime`` in a tenth of dateutil's time)."""
    if isinstance(value, str) and ISO_DATETIME.match(value):
        return Literal(datetime.datetime.fromisoformat(value).isoformat(), datatype=XSD.dateTime)
    if is_year(value):
        return Literal(value, datatype=XSD.gYear)
    if is_year_month(value):
        return Literal(value, datatype=XSD.gYearMonth)
    if is_date(value):
        return Literal(value, datatype=XSD.date)
    try:
        moment = parse_date(value, default=_DEFAULT_DATETIME)
    except ValueError:
        return Literal(value)
    return Literal(moment.isoformat(), datatype=XSD.dateTime)


def mailto(address: str) -> str:
    return "mailto:" + str(address).replace("mailto:", "") if address else address


def dict_value(data: dict, key: str, default=None):
    """ckanext-dcat's ``_get_dict_value``: the key, else an extra ``key`` or ``dcat_key``."""
    if key in data:
        return data[key]
    for extra in data.get("extras", []):
        if extra["key"] == key or extra["key"] == "dcat_" + key:
            return extra["value"]
    return default


def list_value(value) -> list:
    """ckanext-dcat's ``_read_list_value``: a list, JSON list, comma-separated text or number."""
    if isinstance(value, list):
        return value
    if value and isinstance(value, str):
        try:
            items = json.loads(value)
            return [items] if isinstance(items, int | float | complex) else items
        except ValueError:
            return value.split(",") if "," in value else [value]
    if isinstance(value, int | float | complex):
        return [value]
    return []


def as_list(value) -> list:
    """A repeating field's items, whether stored as a list or as JSON text."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value] if value else []
    return value or []


def access_services(resource: dict) -> list | None:
    """A resource's access services as upstream's v2 step reads them (a list or JSON text,
    unreadable text as none), or None if ``build`` cannot write them all."""
    services = resource.get("access_services") or []
    if isinstance(services, str):
        try:
            services = json.loads(services)
        except ValueError:
            return []
    if not (isinstance(services, list) and all(isinstance(s, dict) for s in services)):
        return None
    for service in services:
        if any(value for key, value in service.items() if key not in SERVICE_FIELDS):
            return None
    return services


def org_id(dataset_dict: dict) -> str | None:
    return (dataset_dict.get("organization") or {}).get("id") or dataset_dict.get("owner_org")


def effective_publisher(dataset_dict: dict, context) -> dict:
    """The dataset's own publisher, else its organisation's publisher fields."""
    own = [p for p in as_list(dataset_dict.get("publisher")) if p.get("name")]
    if own:
        return own[0]
    dataset_org = org_id(dataset_dict)
    organization = context.publisher(dataset_org) if dataset_org else {}
    return {
        "name": organization.get("title") or tk.config.get("ckan.site_title"),
        "uri": organization.get("uri") or publisher_uri_organization_fallback(dataset_dict),
        "type": organization.get("dcat_type") or "",
        "email": organization.get("email") or "",
        "url": organization.get("url") or "",
    }


def upstream_view(dataset_dict: dict, context) -> dict:
    """The dataset as the upstream steps see it: without the fields we write ourselves."""
    view = {k: v for k, v in dataset_dict.items() if k not in OWN_DATASET_FIELDS}
    view["publisher"] = [effective_publisher(dataset_dict, context)]
    view["resources"] = [
        {k: v for k, v in resource.items() if k not in OWN_RESOURCE_FIELDS}
        for resource in dataset_dict.get("resources", [])
    ]
    for resource in view["resources"]:
        if not resource.get("hash_algorithm"):  # spdx:Checksum needs its algorithm
            resource.pop("hash", None)
    return view


def supports(view: dict) -> bool:
    """False if an upstream step would write a field ``build`` does not."""
    if any(key in view for key in TRANSLATED_DATASET_FIELDS):
        return False
    if view.get("type") == "dataset_series":
        return False
    if any(dict_value(view, key) for key in UPSTREAM_ONLY_DATASET_FIELDS):
        return False
    if tk.asbool(tk.config.get(DISTRIBUTION_LICENSE_FALLBACK_CONFIG, False)):
        return False
    return not any(
        any(key in resource for key in TRANSLATED_RESOURCE_FIELDS)
        or any(resource.get(key) for key in UPSTREAM_ONLY_RESOURCE_FIELDS)
        or access_services(resource) is None
        for resource in view["resources"]
    )


def build(dataset_dict: dict, dataset_ref, context) -> list | None:
    """The dataset's triples, or None if it needs the reference path (see ``supports``)."""
    view = upstream_view(dataset_dict, context)
    if not supports(view):
        return None
    return _DatasetTriples(dataset_ref, context).build(dataset_dict, view)


class _DatasetTriples:
    def __init__(self, dataset_ref, context):
        self.dataset_ref = dataset_ref
        self.context = context
        self.triples: dict = {}  # an ordered set
        self.services: dict = {}  # distribution -> its access services (an ordered set)

    def add(self, subject, predicate, obj) -> None:
        self.triples[(subject, predicate, obj)] = None

    def build(self, dataset_dict: dict, view: dict) -> list:
        distributions = [cleaned_uri(resource_uri(r)) for r in dataset_dict.get("resources", [])]
        self._upstream_dataset(view, distributions)
        self._dcatapde_dataset(dataset_dict, distributions)
        return list(dict.fromkeys(self._final_forms()))

    # The upstream steps on the view

    def _upstream_dataset(self, view: dict, distributions: list) -> None:
        ref = self.dataset_ref
        self.add(ref, TYPE, DCAT.Dataset)
        for key, predicate, fallbacks, kind, cls in _DATASET_VALUES:
            self._value(view, ref, predicate, key, fallbacks, kind, cls)
        for tag in view.get("tags", []):
            self.add(ref, DCAT.keyword, Literal(tag["name"]))
        for key, predicate, fallbacks in _DATASET_DATES:
            self._date(view, ref, predicate, key, fallbacks)
        for key, predicate, kind, cls in _DATASET_LISTS:
            self._list(view, ref, predicate, key, kind, cls)
        self._legacy_contact(view)
        for key, predicate, cls in _DATASET_STATEMENTS:
            self._statement(view, key, ref, predicate, cls)
        for resource, distribution in zip(view["resources"], distributions, strict=True):
            self._upstream_distribution(resource, distribution)
        self._agents(view, "publisher", DCT.publisher)
        self._agents(view, "creator", DCT.creator)
        alternate_identifiers = dict_value(view, "alternate_identifier")
        for item in list_value(alternate_identifiers) if alternate_identifiers else []:
            identifier = BNode()
            self.add(ref, ADMS.identifier, identifier)
            self.add(identifier, TYPE, ADMS.Identifier)
            self.add(identifier, SKOS.notation, Literal(item))

    def _upstream_distribution(self, resource: dict, distribution) -> None:
        self.add(self.dataset_ref, DCAT.distribution, distribution)
        self.add(distribution, TYPE, DCAT.Distribution)
        for key, predicate, fallbacks, kind, cls in _RESOURCE_VALUES:
            self._value(resource, distribution, predicate, key, fallbacks, kind, cls)
        for key, predicate, kind, cls in _RESOURCE_LISTS:
            self._list(resource, distribution, predicate, key, kind, cls)
        self._statement(resource, "rights", distribution, DCT.rights, DCT.RightsStatement)
        # Licence, format and media type are ours (OWN_RESOURCE_FIELDS): upstream sees none.
        url, access_url = resource.get("url"), resource.get("access_url")
        download_url = resource.get("download_url")
        if url and not access_url and (not download_url or url != download_url):
            self._value(resource, distribution, DCAT.accessURL, "url", None, URIRef, None)
        for key, predicate, fallbacks in _RESOURCE_DATES:
            self._date(resource, distribution, predicate, key, fallbacks)
        if resource.get("size"):
            self.add(distribution, DCAT.byteSize, _byte_size(resource["size"]))
        if resource.get("hash"):
            checksum = BNode()
            self.add(checksum, TYPE, SPDX.Checksum)
            self.add(
                checksum, SPDX.checksumValue, Literal(resource["hash"], datatype=XSD.hexBinary)
            )
            if resource.get("hash_algorithm"):
                algorithm = uri_or_literal(resource["hash_algorithm"])
                self.add(checksum, SPDX.algorithm, algorithm)
                if isinstance(algorithm, URIRef):
                    self.add(algorithm, TYPE, SPDX.ChecksumAlgorithm)
            self.add(distribution, SPDX.checksum, checksum)
        for service in access_services(resource):
            self._access_service(service, distribution)

    def _access_service(self, service: dict, distribution) -> None:
        """The v2 step's dcat:DataService for one of a distribution's ``access_services``."""
        node = cleaned_uri(service["uri"]) if service.get("uri") else BNode()
        self.add(distribution, DCAT.accessService, node)
        self.add(node, TYPE, DCAT.DataService)
        for key, predicate, fallbacks, kind, cls in _SERVICE_VALUES:
            self._value(service, node, predicate, key, fallbacks, kind, cls)
        for key, predicate, kind, cls in _SERVICE_LISTS:
            self._list(service, node, predicate, key, kind, cls)
        self.services.setdefault(distribution, {})[node] = None

    def _legacy_contact(self, view: dict) -> None:
        """The base step's vcard:Organization from contact_*/maintainer/author fields."""
        keys = ("contact_uri", "contact_name", "contact_email", "maintainer")
        keys += ("maintainer_email", "author", "author_email")
        if not any(dict_value(view, key) for key in keys):
            return
        contact_uri = dict_value(view, "contact_uri")
        contact = cleaned_uri(contact_uri) if contact_uri else BNode()
        self.add(contact, TYPE, VCARD.Organization)
        self.add(self.dataset_ref, DCAT.contactPoint, contact)
        self._value(view, contact, VCARD.fn, "contact_name", ("maintainer", "author"))
        self._value(
            view,
            contact,
            VCARD.hasEmail,
            "contact_email",
            ("maintainer_email", "author_email"),
            URIRef,
            modifier=mailto,
        )

    def _agents(self, data: dict, key: str, predicate) -> None:
        """The scheming step's ``_add_agents``: foaf:Agent nodes from a repeating field."""
        agents = data.get(key)
        if not (isinstance(agents, list) and agents and any(agents[0].values())):
            return
        for agent in agents:
            agent_ref = cleaned_uri(agent["uri"]) if agent.get("uri") else BNode()
            self.add(agent_ref, TYPE, FOAF.Agent)
            self.add(self.dataset_ref, predicate, agent_ref)
            translated = set()
            name_translated = agent.get("name_translated")
            if isinstance(name_translated, dict):
                for lang, values in name_translated.items():
                    if not values:
                        continue
                    for value in values if isinstance(values, list | tuple) else [values]:
                        if value:
                            self.add(agent_ref, FOAF.name, Literal(value, lang=lang))
                            translated.add((lang, value))
            name = agent.get("name")
            if name and (not translated or all(value != name for _, value in translated)):
                self.add(agent_ref, FOAF.name, Literal(name))
            self._value(agent, agent_ref, FOAF.homepage, "url", None, URIRef)
            self._value(agent, agent_ref, DCT.type, "type", None, "uri_or_literal")
            self._value(agent, agent_ref, VCARD.hasEmail, "email", None, URIRef, modifier=mailto)
            self._value(agent, agent_ref, DCT.identifier, "identifier", None, "uri_or_literal")

    def _statement(self, data: dict, key: str, subject, predicate, cls) -> None:
        """Upstream's ``_add_statement_to_graph``: a URI, or a node labelled with the text."""
        value = dict_value(data, key)
        if not value:
            return
        if isinstance(value, dict):
            objects = [uri_or_literal(text, lang) for lang, text in value.items()]
        else:
            objects = [uri_or_literal(value)]
        statement = None
        for obj in objects:
            if isinstance(obj, Literal):
                if statement is None:
                    statement = BNode()
                    self.add(subject, predicate, statement)
                    if cls:
                        self.add(statement, TYPE, cls)
                self.add(statement, RDFS.label, obj)
            else:
                self.add(subject, predicate, obj)
                if cls:
                    self.add(obj, TYPE, cls)

    def _first_value(self, data: dict, key: str, fallbacks):
        value = dict_value(data, key)
        if not value and fallbacks:
            for fallback in fallbacks:
                value = dict_value(data, fallback)
                if value:
                    break
        return value

    def _value(
        self, data, subject, predicate, key, fallbacks=None, kind=Literal, cls=None, modifier=None
    ) -> None:
        """Upstream's ``_add_triple_from_dict`` for a single value."""
        value = self._first_value(data, key, fallbacks)
        if value and modifier:
            value = modifier(value)
        if not value:
            return
        if isinstance(value, dict):  # a multilingual (fluent) value: literals
            for lang, text in value.items():
                self.add(subject, predicate, Literal(text, lang=lang))
            return
        obj = _TYPES[kind](value)
        self.add(subject, predicate, obj)
        if cls and isinstance(obj, URIRef):
            self.add(obj, TYPE, cls)

    def _list(self, data, subject, predicate, key, kind, cls) -> None:
        """Upstream's ``_add_triple_from_dict`` with ``list_value=True``."""
        value = dict_value(data, key)
        if not value:
            return
        for item in list_value(value):
            obj = _TYPES[kind](item)
            self.add(subject, predicate, obj)
            if cls and isinstance(obj, URIRef):
                self.add(obj, TYPE, cls)

    def _date(self, data, subject, predicate, key, fallbacks) -> None:
        value = self._first_value(data, key, fallbacks)
        if value:
            self.add(subject, predicate, date_literal(value))

    # The profile's DCAT-AP.de additions on the whole dataset

    def _dcatapde_dataset(self, dataset_dict: dict, distributions: list) -> None:
        ref = self.dataset_ref
        dataset_org = org_id(dataset_dict)
        contributor = dataset_dict.get("contributor_id") or (
            self.context.publisher(dataset_org).get("contributor_id") if dataset_org else None
        )
        if contributor:
            self.add(ref, DCATDE.contributorID, URIRef(contributor))
        for key, predicate in (
            ("political_geocoding_level_uri", DCATDE.politicalGeocodingLevelURI),
            ("availability", DCATAP.availability),
        ):
            if dataset_dict.get(key):
                self.add(ref, predicate, URIRef(dataset_dict[key]))
        for uri in as_list(dataset_dict.get("political_geocoding_uri")):
            self.add(URIRef(uri), TYPE, DCT.Location)
            self.add(ref, DCT.spatial, URIRef(uri))
        for location in as_list(dataset_dict.get("spatial_coverage")):
            self._location(location)
        self._period(dataset_dict.get("temporal_start"), dataset_dict.get("temporal_end"))
        for contact in as_list(dataset_dict.get("contact")):
            self._contact_point(contact)
        self._agents(dataset_dict, "originator", GEODCATAP.originator)
        self._agents(dataset_dict, "custodian", GEODCATAP.custodian)
        for resource, distribution in zip(
            dataset_dict.get("resources", []), distributions, strict=True
        ):
            self._distribution_terms(dataset_dict, resource, distribution)
            self._complete_access_services(resource, distribution)

    def _location(self, location: dict) -> None:
        if not any(location.get(key) for key in ("uri", "text", "geom")):
            return
        ref = cleaned_uri(location["uri"]) if location.get("uri") else BNode()
        self.add(ref, TYPE, DCT.Location)
        self.add(self.dataset_ref, DCT.spatial, ref)
        if location.get("text"):
            self.add(ref, SKOS.prefLabel, Literal(location["text"]))
        if location.get("geom"):
            # SEMIC 3.0: locn:geometry points to a node (IRI or blank), not to a literal.
            geometry = BNode()
            self.add(ref, LOCN.geometry, geometry)
            self.add(geometry, TYPE, LOCN.Geometry)
            self.add(
                geometry, GSP.asGeoJSON, Literal(location["geom"], datatype=GSP.geoJSONLiteral)
            )

    def _period(self, start, end) -> None:
        if not (start or end):
            return
        period = BNode()
        self.add(period, TYPE, DCT.PeriodOfTime)
        if start:
            self.add(period, DCAT.startDate, date_literal(start))
        if end:
            self.add(period, DCAT.endDate, date_literal(end))
        self.add(self.dataset_ref, DCT.temporal, period)

    def _contact_point(self, contact: dict) -> None:
        if not any(contact.get(key) for key in ("name", "email", "url", "phone")):
            return
        ref = BNode()
        self.add(ref, TYPE, VCARD.Kind)
        self.add(self.dataset_ref, DCAT.contactPoint, ref)
        if contact.get("name"):
            self.add(ref, VCARD.fn, Literal(contact["name"]))
        if contact.get("email"):
            self.add(ref, VCARD.hasEmail, URIRef(mailto(contact["email"])))
        if contact.get("url"):
            self.add(ref, VCARD.hasURL, URIRef(contact["url"]))
        if contact.get("phone"):
            number = "".join(ch for ch in contact["phone"] if ch.isdigit() or ch == "+")
            self.add(ref, VCARD.hasTelephone, URIRef(f"tel:{number}"))

    def _distribution_terms(self, dataset_dict: dict, resource: dict, distribution) -> None:
        """Format, media type and licence as EU/dcat-ap.de URIs, and the attribution text."""
        for key, vocabulary, predicate, cls in (
            ("format", "file-type", DCT["format"], DCT.MediaTypeOrExtent),
            ("mimetype", "media-type", DCAT.mediaType, DCT.MediaType),
        ):
            uri = resource.get(key) and self.context.vocabulary(vocabulary).uri_for(resource[key])
            if uri:
                self.add(distribution, predicate, URIRef(uri))
                self.add(URIRef(uri), TYPE, cls)
        licence_code = resource.get("license") or dataset_dict.get("license_id")
        licence = (
            self.context.vocabulary("licenses").uri_for(licence_code) if licence_code else None
        )
        if licence:
            self.add(distribution, DCT.license, URIRef(licence))
            self.add(URIRef(licence), TYPE, DCT.LicenseDocument)
        if resource.get("license_attribution_by_text"):
            self.add(
                distribution,
                DCATDE.licenseAttributionByText,
                Literal(resource["license_attribution_by_text"]),
            )

    def _complete_access_services(self, resource: dict, distribution) -> None:
        """The profile's ``_complete_access_services``: each service of the distribution gets a
        title, an endpoint URL and the dataset's publisher where it has none, and its URI
        standards and access rights their classes. Like the profile it looks at the triples
        written so far, so services shared between distributions are completed once."""
        services = self.services.get(distribution)
        if not services:
            return
        ref = self.dataset_ref
        publisher = next((o for s, p, o in self.triples if s == ref and p == DCT.publisher), None)
        present = set()
        typed = []
        for subject, predicate, obj in self.triples:
            if subject in services:
                present.add((subject, predicate))
                if predicate in _SERVICE_OBJECT_CLASSES and isinstance(obj, URIRef):
                    typed.append((obj, TYPE, _SERVICE_OBJECT_CLASSES[predicate]))
        endpoint = resource.get("access_url") or resource.get("url")
        for service in services:
            if (service, DCT.title) not in present:
                title = resource.get("name") or resource.get("url") or "Datendienst"
                self.add(service, DCT.title, Literal(title))
            if (service, DCAT.endpointURL) not in present and is_absolute_uri(endpoint or ""):
                self.add(service, DCAT.endpointURL, URIRef(endpoint))
            if publisher is not None and (service, DCT.publisher) not in present:
                self.add(service, DCT.publisher, publisher)
        for triple in typed:
            self.add(*triple)

    def _final_forms(self):
        """Yield the triples with what the profile rewrites at the end: URI identifiers become
        literals (a literal in DCAT-AP 3) and percent-encoded ADMS publisher types go back to
        their listed form (``PrivateIndividual(s)``)."""
        agents = {
            obj
            for (subject, predicate, obj) in self.triples
            if predicate in _AGENT_PREDICATES and subject == self.dataset_ref
        }
        publisher_types = self.context.vocabulary("publisher-type").concepts
        for subject, predicate, obj in self.triples:
            if predicate in _REWRITTEN_PREDICATES:
                obj = self._final_form(subject, predicate, obj, agents, publisher_types)
            yield subject, predicate, obj

    def _final_form(self, subject, predicate, obj, agents, publisher_types):
        if predicate == DCT.identifier and subject == self.dataset_ref:
            return Literal(str(obj)) if isinstance(obj, URIRef) else obj
        if predicate == DCT.type and subject in agents:
            plain = unquote(str(obj))
            if plain != str(obj) and plain in publisher_types:
                return URIRef(plain)
        return obj


def _byte_size(size) -> Literal:
    """dcat:byteSize as the v3 step leaves it: a non-negative integer where upstream wrote a
    decimal, the plain text where it could not read a number."""
    try:
        value = Literal(Decimal(size), datatype=XSD.decimal)
    except (ValueError, TypeError, DecimalException):
        return Literal(size)
    if value:  # upstream converts only decimals that are true (not zero)
        return Literal(int(value), datatype=XSD.nonNegativeInteger)
    return value
