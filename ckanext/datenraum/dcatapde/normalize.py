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
from rdflib.namespace import DCAT, DCTERMS, OWL

from ckanext.datenraum.dcatapde import vocabularies

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
GEODCATAP = Namespace("http://data.europa.eu/930/")
ADMS = Namespace("http://www.w3.org/ns/adms#")

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
LANGUAGE_CODES = {
    "de": "DEU",
    "ger": "DEU",
    "deu": "DEU",
    "deutsch": "DEU",
    "german": "DEU",
    "en": "ENG",
    "eng": "ENG",
    "englisch": "ENG",
    "english": "ENG",
    "fr": "FRA",
    "fre": "FRA",
    "fra": "FRA",
    "pl": "POL",
    "cs": "CES",
    "da": "DAN",
    "nl": "NLD",
    "it": "ITA",
    "es": "SPA",
}
LANGUAGE_BASE = "http://publications.europa.eu/resource/authority/language/"
# Licence URLs of the licence authors, mapped to the dcat-ap.de licence list.
LICENCE_URLS = {
    "creativecommons.org/licenses/by/4.0": "cc-by/4.0",
    "creativecommons.org/licenses/by-sa/4.0": "cc-by-sa/4.0",
    "creativecommons.org/licenses/by-nd/4.0": "cc-by-nd/4.0",
    "creativecommons.org/licenses/by-nc/4.0": "cc-by-nc/4.0",
    "creativecommons.org/publicdomain/zero/1.0": "cc-zero",
    "www.govdata.de/dl-de/by-2-0": "dl-by-de/2.0",
    "www.govdata.de/dl-de/zero-2-0": "dl-zero-de/2.0",
    "opendatacommons.org/licenses/odbl": "odbl",
}


# Graph -> its size after normalisation.
_NORMALISED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def normalise(graph: Graph) -> Graph:
    """Rewrite ``graph`` in place into DCAT-AP.de 3.0 terms; returns it for chaining."""
    _rewrite_terms(graph)
    _replace_deprecated_properties(graph)
    _literal_values_to_uris(graph)
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
    """The dcat-ap.de licence URI for a licence URI, URL or code, or None if unknown."""
    licences = vocabularies.get("licenses")
    candidate = canonical_dcatde_uri(value.strip())
    if candidate in licences.concepts:
        return candidate
    if licences.uri_for(value.strip()):
        return licences.uri_for(value.strip())
    bare = re.sub(r"^https?://", "", value.strip()).rstrip("/").removeprefix("www.")
    for url, code in LICENCE_URLS.items():
        if bare == url.removeprefix("www."):
            return licences.base + code
    return None


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


def _language_uri(value: str) -> str | None:
    text = value.strip()
    if text.startswith(LANGUAGE_BASE):
        return text
    if text.startswith(("http://", "https://")):  # id.loc.gov, lexvo: the code is the last part
        text = text.rstrip("/").rsplit("/", 1)[-1]
    code = LANGUAGE_CODES.get(text.lower()) or (text.upper() if len(text) == 3 else None)
    return LANGUAGE_BASE + code if code else None
