"""Lenient reading of DCAT-AP(.de) graphs: rewrite what partners deliver into DCAT-AP.de 3.0.

Pure functions over an rdflib graph, applied once before the profile parses datasets:
old dcatde namespaces (1.0, 1.0.1, 1.1, ``https://`` and ``www.`` variants), dcat-ap.de URI
variants, literal languages/formats/media types/licences, and deprecated 2.0 properties.
"""

from __future__ import annotations

import functools
import re
import weakref

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL

from ckanext.datenraum.common.languages import language_code
from ckanext.datenraum.common.uris import email_in
from ckanext.datenraum.dcatapde import vocabularies

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
GEODCATAP = Namespace("http://data.europa.eu/930/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
AGENT_PROPERTIES = (
    DCTERMS.publisher,
    DCTERMS.creator,
    DCTERMS.rightsHolder,
    GEODCATAP.originator,
    GEODCATAP.custodian,
)

# "1_0" is how one real catalogue (Brandenburg) serialises the 1.0 namespace.
_OLD_DCATDE = re.compile(
    r"^https?://(?:www\.)?dcat-ap\.de/def/dcatde/(?:1\.0\.1/|1\.0/|1\.1/|1_0|2\.0/)?(?P<name>\w+)$"
)
_DCAT_AP_DE_URI = re.compile(r"^https?://(?:www\.)?dcat-ap\.de/def/(?P<path>.+?)/?$")

DEPRECATED_REPLACEMENTS = {
    DCATDE.originator: GEODCATAP.originator,
    DCATDE.maintainer: GEODCATAP.custodian,
    DCATDE.politicalGeocodingURI: DCTERMS.spatial,
    OWL.versionInfo: DCAT.version,
}
ADMS_STATUS = {
    "http://purl.org/adms/status/Completed": "COMPLETED",
    "http://purl.org/adms/status/UnderDevelopment": "DEVELOP",
    "http://purl.org/adms/status/Deprecated": "DEPRECATED",
    "http://purl.org/adms/status/Withdrawn": "WITHDRAWN",
}
SPDX_ALGORITHM = "http://spdx.org/rdf/terms#checksumAlgorithm_"
# The deprecated dcat-ap.de hash list, mapped to SPDX (the 3.0 vocabulary).
HASH_ALGORITHMS = {
    "http://dcat-ap.de/def/hashAlgorithms/md/5": "md5",
    "http://dcat-ap.de/def/hashAlgorithms/sha/1": "sha1",
    "http://dcat-ap.de/def/hashAlgorithms/sha/256": "sha256",
    "http://dcat-ap.de/def/hashAlgorithms/sha/512": "sha512",
}
LANGUAGE_BASE = "http://publications.europa.eu/resource/authority/language/"
FREQUENCY_BASE = "http://publications.europa.eu/resource/authority/frequency/"
# Frequency codes of older EU table releases and DCAT-AP.de 1.x catalogues.
FREQUENCY_ALIASES = {
    "IRREGULAR": "IRREG",
    "IRREGULARLY": "IRREG",
    "CONTINUOUS": "CONT",
    "UNKNOWN": "UNKNOWN",
    "NOTPLANNED": "NEVER",
    "ASNEEDED": "IRREG",
}


# Graph -> its size after normalisation.
_NORMALISED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def normalise(graph: Graph) -> Graph:
    """Rewrite ``graph`` in place into DCAT-AP.de 3.0 terms; returns it for chaining."""
    _rewrite_terms(graph)
    _replace_deprecated_properties(graph)
    _literal_values_to_uris(graph)
    _repair_contact_addresses(graph)
    _agent_names_from_vcard(graph)
    _one_value_per_date(graph)
    return graph


def normalise_once(graph: Graph) -> Graph:
    """``normalise`` a graph unless it was normalised before and has not changed size since.

    ckanext-dcat parses every dataset of a graph with its own profile instance; the graph-wide
    rewrite must run once per graph, not once per dataset. A graph that grows (another page
    parsed into the same parser) is normalised again, which is idempotent.
    """
    if _NORMALISED.get(graph) != len(graph):
        normalise(graph)
        _NORMALISED[graph] = len(graph)
    return graph


@functools.lru_cache(maxsize=4096)
def canonical_dcatde_uri(uri: str) -> str:
    match = _OLD_DCATDE.match(uri)
    if match:
        return str(DCATDE[match["name"]])
    match = _DCAT_AP_DE_URI.match(uri)
    if match:
        return f"http://dcat-ap.de/def/{match['path']}"
    return uri


def licence_uri(value: str) -> str | None:
    """The dcat-ap.de licence URI for a licence URI (also a legacy one), URL or code, or None
    if the list has no counterpart (``vocabularies.licence_code``: the one licence table)."""
    code = vocabularies.licence_code(value)
    return vocabularies.get("licenses").base + code if code else None


def _rewrite_terms(graph: Graph) -> None:
    for subject, predicate, obj in list(graph):
        new_predicate, new_object = predicate, obj
        if "dcat-ap.de/" in predicate:
            new_predicate = URIRef(canonical_dcatde_uri(str(predicate)))
        if isinstance(obj, URIRef) and "dcat-ap.de/" in obj:
            new_object = URIRef(canonical_dcatde_uri(str(obj)))
        if (new_predicate, new_object) != (predicate, obj):
            graph.remove((subject, predicate, obj))
            graph.add((subject, new_predicate, new_object))


def _replace_deprecated_properties(graph: Graph) -> None:
    for old, new in DEPRECATED_REPLACEMENTS.items():
        for subject, obj in list(graph.subject_objects(old)):
            graph.remove((subject, old, obj))
            if new == DCTERMS.spatial and isinstance(obj, Literal):
                obj = URIRef(str(obj))
            graph.add((subject, new, obj))
    algorithm = URIRef("http://spdx.org/rdf/terms#algorithm")
    for subject, obj in list(graph.subject_objects(algorithm)):
        if str(obj) in HASH_ALGORITHMS:
            graph.remove((subject, algorithm, obj))
            graph.add((subject, algorithm, URIRef(SPDX_ALGORITHM + HASH_ALGORITHMS[str(obj)])))
    status_base = vocabularies.get("distribution-status").base
    for subject, obj in list(graph.subject_objects(ADMS.status)):
        if str(obj) in ADMS_STATUS:
            graph.remove((subject, ADMS.status, obj))
            graph.add((subject, ADMS.status, URIRef(status_base + ADMS_STATUS[str(obj)])))


def _literal_values_to_uris(graph: Graph) -> None:
    file_types = vocabularies.get("file-type")
    media_types = vocabularies.get("media-type")
    for subject, obj in list(graph.subject_objects(DCTERMS.language)):
        uri = _language_uri(str(obj))
        if uri and uri != obj:
            graph.remove((subject, DCTERMS.language, obj))
            graph.add((subject, DCTERMS.language, URIRef(uri)))
    frequencies = vocabularies.get("frequency")
    for subject, obj in list(graph.subject_objects(DCTERMS.accrualPeriodicity)):
        uri = None if str(obj) in frequencies.concepts else _frequency_uri(str(obj))
        if uri and uri in frequencies.concepts:
            graph.remove((subject, DCTERMS.accrualPeriodicity, obj))
            graph.add((subject, DCTERMS.accrualPeriodicity, URIRef(uri)))
    for subject, obj in list(graph.subject_objects(DCTERMS["format"])):
        if isinstance(obj, Literal):
            code = str(obj).strip().upper()
            if file_types.uri_for(code):
                graph.remove((subject, DCTERMS["format"], obj))
                graph.add((subject, DCTERMS["format"], URIRef(file_types.uri_for(code))))
    for subject, obj in list(graph.subject_objects(DCAT.mediaType)):
        code = re.sub(r"^https?://www\.iana\.org/assignments/media-types/", "", str(obj)).lower()
        if media_types.uri_for(code) and str(obj) != media_types.uri_for(code):
            graph.remove((subject, DCAT.mediaType, obj))
            graph.add((subject, DCAT.mediaType, URIRef(media_types.uri_for(code))))
    for subject, obj in list(graph.subject_objects(DCTERMS.license)):
        uri = licence_uri(str(obj))
        if uri and uri != str(obj):
            graph.remove((subject, DCTERMS.license, obj))
            graph.add((subject, DCTERMS.license, URIRef(uri)))
    for subject, obj in list(graph.subject_objects(DCATDE.contributorID)):
        if isinstance(obj, Literal) and str(obj).startswith("http"):
            graph.remove((subject, DCATDE.contributorID, obj))
            graph.add((subject, DCATDE.contributorID, URIRef(canonical_dcatde_uri(str(obj)))))


def _repair_contact_addresses(graph: Graph) -> None:
    """``vcard:hasEmail`` as a ``mailto:`` IRI: partners write bare addresses (which a parser
    resolves against the page's URL), literals and ``mailto:mailto:``; what names no address
    is removed rather than exported as an invalid IRI."""
    for subject, obj in list(graph.subject_objects(VCARD.hasEmail)):
        email = email_in(str(obj))
        fixed = URIRef(f"mailto:{email}") if email else None
        if fixed != obj:
            graph.remove((subject, VCARD.hasEmail, obj))
            if fixed is not None:
                graph.add((subject, VCARD.hasEmail, fixed))


def _agent_names_from_vcard(graph: Graph) -> None:
    """A publisher, creator, originator or custodian described as a ``vcard:Kind`` (udata's
    export names its agents with ``vcard:fn`` only) gets that name as its ``foaf:name``: the
    name is read, not lost, and the agent exports with the mandatory ``foaf:name``."""
    for predicate in AGENT_PROPERTIES:
        for agent in set(graph.objects(None, predicate)):
            if isinstance(agent, Literal) or graph.value(agent, FOAF.name) is not None:
                continue
            for name_property in (VCARD.fn, VCARD["organization-name"]):
                names = sorted(graph.objects(agent, name_property), key=str)
                if names:
                    for name in names:
                        graph.add((agent, FOAF.name, name))
                    break


def _one_value_per_date(graph: Graph) -> None:
    """One ``dct:issued``/``dct:modified`` per subject, chosen by value (earliest issue, latest
    change): with two, which one a parser returns differs between processes, so an unchanged
    catalogue would look changed on every run."""
    for predicate, choose in ((DCTERMS.issued, min), (DCTERMS.modified, max)):
        values: dict = {}
        for subject, obj in graph.subject_objects(predicate):
            values.setdefault(subject, []).append(obj)
        for subject, objects in values.items():
            if len(objects) > 1:
                keep = choose(objects, key=str)
                for obj in objects:
                    if obj != keep:
                        graph.remove((subject, predicate, obj))


def _language_uri(value: str) -> str | None:
    """``…/language/GER``, ``de``, ``en_US``, lexvo or id.loc.gov URIs → the EU table's URI."""
    code = language_code(value)
    return LANGUAGE_BASE + code if code else None


def _frequency_uri(value: str) -> str | None:
    text = value.strip()
    code = re.split(r"[/#]", text.rstrip("/"))[-1].upper().replace("-", "").replace("_", "")
    code = FREQUENCY_ALIASES.get(code)
    return FREQUENCY_BASE + code if code else None
