"""The ``dcatap_de`` RDF profile: DCAT-AP.de 3.0 on top of ckanext-dcat's DCAT-AP 3 profile.

Export (reference path, ``graph_from_dataset_reference``): the upstream profile writes everything
it knows from a *view* of the dataset without the fields we write ourselves (publisher fallback,
contact, temporal, spatial, formats, licences), then ``_graph_from_dataset_dcatapde`` adds them as
DCAT-AP.de wants: URIs instead of literals, typed dates, ``mailto:``/``tel:`` IRIs and geometry
nodes. ``graph_from_dataset`` writes the same triples directly (``dataset_triples``, decision
0103) and takes the reference path only for fields the direct writer does not cover.
Import: the graph is normalised once (``normalize.py``), then upstream parses, then
``_parse_dataset_dcatapde`` maps the DCAT-AP.de properties onto our schema fields and drops
values outside our vocabularies (noted in ``_datenraum_notes`` for the import report).
"""

from __future__ import annotations

import collections
import json
import weakref

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import DCAT, DCATAP, DCT, LOCN, SKOS, VCARD
from ckanext.dcat.profiles.base import namespaces as upstream_namespaces
from ckanext.dcat.profiles.euro_dcat_ap_3 import EuropeanDCATAP3Profile
from rdflib import BNode, Graph, Literal, Namespace, URIRef

from ckanext.datenraum.dcatapde import catalog, dataset_triples, normalize, vocabularies
from ckanext.datenraum.dcatapde.logic.validators import is_absolute_uri

DCATDE = normalize.DCATDE
GEODCATAP = normalize.GEODCATAP
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
ADMS = normalize.ADMS
ADMS_STATUS = normalize.ADMS.status
GEOCODING_PREFIX = "http://dcat-ap.de/def/politicalGeocoding/"
AGENT_KEYS = ("name", "uri", "type", "email", "url")
FALLBACK_LICENCE = "other-closed"
_CONTEXTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
org_id = dataset_triples.org_id


class ExportContext:
    """What the datasets of one export share: their organisations' publisher fields and the
    identifiers other datasets of the catalogue also have, each looked up in one query per page
    (``catalog``), the vocabularies, and whether the export is the GovData feed."""

    def __init__(
        self,
        publishers: dict | None = None,
        for_govdata: bool = False,
        shared_identifiers: set | None = None,
        own_datasets: set | None = None,
    ):
        self.publishers = dict(publishers or {})
        # GovData's reader (ckanext-dcat 2.3) wants geometry as a literal (decision 0111).
        self.for_govdata = for_govdata
        self.shared_identifiers = set(shared_identifiers or ())
        self._checked_identifiers = set() if shared_identifiers is None else None
        self.own_datasets = set(own_datasets or ())
        self._checked_uris = set() if own_datasets is None else None
        self._vocabularies: dict = {}
        self._namespaces = None

    def new_graph(self) -> Graph:
        """A graph for one dataset (or the catalogue description) that uses this context.

        The graphs share one prefix table: upstream binds its 17 prefixes into every graph, which
        costs more than building a small dataset."""
        if self._namespaces is None:
            self._namespaces = Graph(bind_namespaces="none").namespace_manager
        graph = Graph(bind_namespaces="none", namespace_manager=self._namespaces)
        share_context(graph, self)
        return graph

    @classmethod
    def for_datasets(cls, dataset_dicts, for_govdata: bool = False) -> ExportContext:
        publishers = catalog.organization_publishers({org_id(d) for d in dataset_dicts})
        shared = catalog.shared_identifiers({d.get("identifier") for d in dataset_dicts})
        own = catalog.catalogue_dataset_uris(
            {uri for d in dataset_dicts for uri in dataset_triples.version_targets(d)}
        )
        return cls(publishers, for_govdata=for_govdata, shared_identifiers=shared, own_datasets=own)

    def shares_identifier(self, dataset_dict: dict) -> bool:
        """True if another public dataset of the catalogue has the same ``identifier``."""
        identifier = dataset_dict.get("identifier")
        if not identifier:
            return False
        return _prefetched_or_looked_up(
            str(identifier),
            self.shared_identifiers,
            self._checked_identifiers,
            catalog.shared_identifiers,
        )

    def is_own_dataset(self, uri) -> bool:
        """True if ``uri`` is the export URI of a public dataset of this catalogue."""
        return _prefetched_or_looked_up(
            str(uri), self.own_datasets, self._checked_uris, catalog.catalogue_dataset_uris
        )

    def publisher(self, org_id: str) -> dict:
        if org_id not in self.publishers:  # a dataset outside the prefetched page
            self.publishers.update(catalog.organization_publishers([org_id]))
        return self.publishers.get(org_id, {})

    def vocabulary(self, name: str) -> vocabularies.Vocabulary:
        if name not in self._vocabularies:
            self._vocabularies[name] = vocabularies.get(name)
        return self._vocabularies[name]


def _prefetched_or_looked_up(value: str, known: set, checked: set | None, lookup) -> bool:
    """Whether ``value`` is in ``known``. ``checked`` is None when ``known`` was prefetched for
    the datasets being written; else it holds the values looked up so far, and a new one is
    looked up once (a dataset outside the prefetched page)."""
    if checked is not None and value not in checked:
        known |= lookup([value])
        checked.add(value)
    return value in known


def share_context(graph, context: ExportContext) -> None:
    """Let every profile instance writing into ``graph`` use ``context``."""
    _CONTEXTS[graph] = context


class DCATAPdeProfile(EuropeanDCATAP3Profile):
    """DCAT-AP.de 3.0 (``dcatap_de``), both directions."""

    # Import

    def parse_dataset(self, dataset_dict, dataset_ref):
        # ckanext-dcat makes one profile per dataset; the graph is shared, normalise it once.
        normalize.normalise_once(self.g)
        # Upstream reads locn:geometry as a literal only; hide geometry nodes from it.
        # Only this dataset's locations: scanning the whole graph per dataset is quadratic.
        geometry_nodes = [
            triple
            for location in self.g.objects(dataset_ref, DCT.spatial)
            for triple in self.g.triples((location, LOCN.geometry, None))
            if isinstance(triple[2], BNode | URIRef)
        ]
        for triple in geometry_nodes:
            self.g.remove(triple)
        try:
            dataset_dict = super().parse_dataset(dataset_dict, dataset_ref)
        finally:
            for triple in geometry_nodes:
                self.g.add(triple)
        return self._parse_dataset_dcatapde(dataset_dict, dataset_ref)

    def _parse_dataset_dcatapde(self, dataset_dict, dataset_ref):
        notes = []
        dataset_dict["contributor_id"] = self._first_in(
            "contributors", self.g.objects(dataset_ref, DCATDE.contributorID)
        )
        dataset_dict["political_geocoding_level_uri"] = self._first_in(
            "political-geocoding-level",
            self.g.objects(dataset_ref, DCATDE.politicalGeocodingLevelURI),
        )
        dataset_dict["availability"] = self._first_in(
            "planned-availability", self.g.objects(dataset_ref, DCATAP.availability)
        )
        spatial = list(self.g.objects(dataset_ref, DCT.spatial))
        dataset_dict["political_geocoding_uri"] = [
            str(ref) for ref in spatial if str(ref).startswith(GEOCODING_PREFIX)
        ]
        dataset_dict["spatial_coverage"] = [
            self._location_details(ref)
            for ref in spatial
            if not str(ref).startswith(GEOCODING_PREFIX)
        ]
        dataset_dict["contact"] = [
            self._contact_point_details(ref)
            for ref in self.g.objects(dataset_ref, DCAT.contactPoint)
        ]
        for key, predicate in (
            ("publisher", DCT.publisher),
            ("originator", GEODCATAP.originator),
            ("custodian", GEODCATAP.custodian),
        ):
            dataset_dict[key] = [
                self._schema_agent(agent) for agent in self._agents_details(dataset_ref, predicate)
            ][: 1 if key == "publisher" else None]
        for key, vocabulary in (
            ("theme", "data-theme"),
            ("language", "language"),
            ("hvd_category", "hvd-category"),
        ):
            dataset_dict[key] = self._keep_known(vocabulary, dataset_dict.get(key), notes, key)
        for key, vocabulary in (("frequency", "frequency"), ("access_rights", "access-right")):
            kept = self._keep_known(vocabulary, [dataset_dict.get(key)], notes, key)
            dataset_dict[key] = kept[0] if kept else ""
        dataset_dict["alternate_identifier"] = [
            str(self.g.value(node, SKOS.notation) or "") if isinstance(node, BNode) else str(node)
            for node in self.g.objects(dataset_ref, ADMS.identifier)
        ]
        for key in ("conforms_to", "documentation", "applicable_legislation"):
            dataset_dict[key] = self._keep_uris(dataset_dict.get(key), notes, key)
        if dataset_dict.get("url") and not is_absolute_uri(dataset_dict["url"]):
            notes.append(f"url: dropped {dataset_dict.pop('url')!r}")

        licences = []
        # Upstream builds the resources in the order of _distributions(): pair them up so blank
        # node distributions map too.
        refs = list(self._distributions(dataset_ref))
        for resource, ref in zip(dataset_dict.get("resources", []), refs, strict=False):
            licences.append(self._parse_distribution(resource, ref, notes))
        dataset_dict["license_id"] = self._dataset_licence(licences, notes)
        for resource, licence in zip(dataset_dict.get("resources", []), licences, strict=True):
            resource["license"] = licence if licence != dataset_dict["license_id"] else ""
        dataset_dict["_datenraum_notes"] = notes
        return dataset_dict

    def _parse_distribution(self, resource, ref, notes) -> str | None:
        """Maps one distribution onto our resource fields; returns its licence code."""
        if ref is None:
            return None
        formats = [self._value_in("file-type", obj) for obj in self.g.objects(ref, DCT["format"])]
        resource["format"] = next((f for f in formats if f), "")
        if not resource["format"] and resource.get("format") is None and formats:
            notes.append("format: dropped a value outside the EU file-type list")
        resource["mimetype"] = next(
            (v for v in map(self._media_type, self.g.objects(ref, DCAT.mediaType)) if v), ""
        )
        resource["status"] = self._first_in("distribution-status", self.g.objects(ref, ADMS_STATUS))
        resource["availability"] = self._first_in(
            "planned-availability", self.g.objects(ref, DCATAP.availability)
        )
        resource["language"] = [
            v
            for v in (self._value_in("language", o) for o in self.g.objects(ref, DCT.language))
            if v
        ]
        attribution = self.g.value(ref, DCATDE.licenseAttributionByText)
        resource["license_attribution_by_text"] = str(attribution) if attribution else ""
        resource["conforms_to"] = self._keep_uris(resource.get("conforms_to"), notes, "conforms_to")
        resource["access_services"] = self._access_services_details(
            resource.get("access_services"), notes
        )
        for key in ("access_url", "download_url"):
            if resource.get(key) and not is_absolute_uri(resource[key]):
                notes.append(f"{key}: dropped {resource.pop(key)!r}")
        if not resource.get("url"):
            resource["url"] = resource.get("access_url") or resource.get("download_url") or ""
        algorithm = resource.get("hash_algorithm")
        if algorithm and not vocabularies.get("checksum-algorithm").uri_for(algorithm):
            resource["hash_algorithm"] = ""
        licences = [self._value_in("licenses", obj) for obj in self.g.objects(ref, DCT.license)]
        known = next((code for code in licences if code), None)
        if not known and licences:
            notes.append("license: a distribution licence is not in the dcat-ap.de list")
        return known

    def _access_services_details(self, services, notes) -> list[dict]:
        """Upstream's dcat:accessService dicts, reduced to our schema's subfields."""
        access_rights = vocabularies.get("access-right")
        details = []
        for service in self._list(services):
            key = "access_services"
            description = str(service.get("endpoint_description") or "")
            rights = str(service.get("access_rights") or "")
            details.append(
                {
                    "title": str(service.get("title") or ""),
                    "description": str(service.get("description") or ""),
                    "endpoint_url": self._keep_uris(service.get("endpoint_url"), notes, key),
                    "endpoint_description": description if is_absolute_uri(description) else "",
                    "conforms_to": self._keep_uris(service.get("conforms_to"), notes, key),
                    "access_rights": rights if access_rights.uri_for(rights) else "",
                    "uri": str(service.get("uri") or ""),
                }
            )
        return details

    @staticmethod
    def _dataset_licence(licences, notes) -> str:
        known = [code for code in licences if code]
        if not known:
            notes.append(f"license_id: no dcat-ap.de licence, recorded as {FALLBACK_LICENCE}")
            return FALLBACK_LICENCE
        return collections.Counter(known).most_common(1)[0][0]

    def _value_in(self, vocabulary_name, obj) -> str | None:
        vocabulary = vocabularies.get(vocabulary_name)
        concept = vocabulary.concepts.get(str(obj))
        return vocabulary.value_of(concept) if concept else None

    def _media_type(self, obj) -> str | None:
        return self._value_in("media-type", obj)

    def _first_in(self, vocabulary_name, objects) -> str:
        return next((v for v in (self._value_in(vocabulary_name, o) for o in objects) if v), "")

    @classmethod
    def _keep_known(cls, vocabulary_name, values, notes, key) -> list:
        vocabulary = vocabularies.get(vocabulary_name)
        values = [v for v in values if v] if isinstance(values, list) else cls._list(values)
        kept = [v for v in values if vocabulary.uri_for(v)]
        for value in set(values) - set(kept):
            notes.append(f"{key}: dropped {value!r} (not in {vocabulary_name})")
        return kept

    @staticmethod
    def _keep_uris(values, notes, key) -> list:
        if isinstance(values, str):
            try:
                values = json.loads(values)
            except ValueError:
                values = [values]
        kept = [v for v in (values or []) if is_absolute_uri(str(v))]
        for value in [v for v in (values or []) if v not in kept]:
            notes.append(f"{key}: dropped {value!r} (not a URI)")
        return kept

    def _schema_agent(self, agent: dict) -> dict:
        result = {key: agent.get(key) or "" for key in AGENT_KEYS}
        if result["type"] and not vocabularies.get("publisher-type").uri_for(result["type"]):
            result["type"] = ""
        for key in ("uri", "url"):
            if result[key] and not is_absolute_uri(result[key]):
                result[key] = ""
        return result

    def _contact_point_details(self, ref) -> dict:
        def text(predicate):
            value = self.g.value(ref, predicate)
            return str(value) if value is not None else ""

        url = text(VCARD.hasURL)
        return {
            "name": text(VCARD.fn),
            "email": self._without_mailto(text(VCARD.hasEmail)) if text(VCARD.hasEmail) else "",
            "url": url if is_absolute_uri(url) else "",
            "phone": self._telephone(ref),
        }

    def _telephone(self, contact_ref) -> str:
        telephone = self.g.value(contact_ref, VCARD.hasTelephone)
        if isinstance(telephone, BNode):  # vCard style: [ a vcard:Voice ; vcard:hasValue <tel:…> ]
            telephone = self.g.value(telephone, VCARD.hasValue)
        return str(telephone or "").removeprefix("tel:")

    def _location_details(self, ref) -> dict:
        details = {"uri": str(ref) if isinstance(ref, URIRef) else "", "text": "", "geom": ""}
        label = self.g.value(ref, SKOS.prefLabel)
        if label is not None:
            details["text"] = str(label)
        for geometry in self.g.objects(ref, LOCN.geometry):
            candidates = [geometry] + list(self.g.objects(geometry, GSP.asGeoJSON))
            for candidate in candidates:
                if isinstance(candidate, Literal) and str(candidate).lstrip().startswith("{"):
                    details["geom"] = str(candidate)
        if not details["geom"]:  # our /catalog.* gives a centroid or box instead (decision 0111)
            for predicate in (DCAT.centroid, DCAT.bbox):
                for candidate in self.g.objects(ref, predicate):
                    if isinstance(candidate, Literal) and str(candidate).lstrip().startswith("{"):
                        details["geom"] = str(candidate)
        return details

    # Export

    def graph_from_dataset(self, dataset_dict, dataset_ref):
        triples = dataset_triples.build(dataset_dict, dataset_ref, self._export_context)
        if triples is None:  # a field only the upstream steps write
            self.graph_from_dataset_reference(dataset_dict, dataset_ref)
            return
        for prefix, namespace in upstream_namespaces.items():  # as upstream: same serialisation
            self.g.bind(prefix, namespace)
        self.g.addN((s, p, o, self.g) for s, p, o in triples)

    def graph_from_dataset_reference(self, dataset_dict, dataset_ref):
        """The dataset through ckanext-dcat's ``euro_dcat_ap_3`` steps, then our additions and
        final forms (``dataset_triples``, the same writer the direct path uses): what
        ``dataset_triples.build`` must equal, and the path for fields it does not cover."""
        context = self._export_context
        view = dataset_triples.upstream_view(dataset_dict, context)
        super().graph_from_dataset(view, dataset_ref)
        dataset_triples.DcatApDeAdditions(
            dataset_triples.GraphSink(self.g), dataset_ref, context
        ).write(dataset_dict, dataset_triples.distribution_refs(dataset_dict))
        dataset_triples.apply_final_forms(self.g, dataset_ref, context, dataset_dict)

    def _add_date_triple(self, subject, predicate, value, _type=Literal):
        # Upstream runs dateutil's general parser on every timestamp; for ISO 8601 the standard
        # library gives the same dateTime far faster (a catalogue page has ~800 of them).
        if isinstance(value, str) and dataset_triples.ISO_DATETIME.match(value):
            self.g.add((subject, predicate, dataset_triples.date_literal(value)))
            return
        super()._add_date_triple(subject, predicate, value, _type)

    _list = staticmethod(dataset_triples.as_list)

    @property
    def _export_context(self) -> ExportContext:
        # ckanext-dcat makes one profile instance per dataset but shares the graph.
        return _CONTEXTS.setdefault(self.g, ExportContext())

    # Catalogue

    def _last_catalog_modification(self):
        # Upstream fetches the newest dataset's whole dict; its timestamp is enough.
        result = tk.get_action("package_search")(
            {"ignore_auth": True},
            {"sort": "metadata_modified desc", "rows": 1, "fl": "metadata_modified"},
        )
        return result["results"][0]["metadata_modified"] if result["results"] else None

    def graph_from_catalog(self, catalog_dict, catalog_ref):
        super().graph_from_catalog(catalog_dict, catalog_ref)
        catalog.describe_catalogue(self.g, catalog_ref, self._add_agents)
