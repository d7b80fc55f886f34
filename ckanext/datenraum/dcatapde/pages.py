"""DCAT-AP.de documents of catalogue pages and datasets, without per-dataset queries, cached.

ckanext-dcat builds one graph per page through one profile instance per dataset and serialises
it with rdflib. Here every dataset's triples are built on their own (``dataset_triples``, no rdflib
graph), from the package dicts the page's search returned plus one query for the page's
organisations, written with the
concatenable writers of ``rdfwriter`` and cached per dataset (``rdf_cache``); the page is the
catalogue description plus the datasets' texts (decision 0102).
"""

from __future__ import annotations

import hashlib
import json

import ckan.plugins.toolkit as tk
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.utils import DCAT_EXPOSE_SUBCATALOGS, catalog_uri, dataset_uri
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT

from ckanext.datenraum.dcatapde import dataset_triples, rdf_cache, rdfwriter, vocabularies
from ckanext.datenraum.dcatapde.export import PROFILE
from ckanext.datenraum.dcatapde.profile import DCATAPdeProfile, ExportContext

# Bump when the profile's output changes, so texts cached by older code are not served.
CACHE_VERSION = "3"
SETTINGS_PREFIXES = ("ckanext.dcat.", "ckanext.datenraum.dcatapde.")
SETTINGS_KEYS = ("ckan.site_url", "ckan.site_title", "ckan.site_id", "ckan.locale_default")


def handles(profiles, fmt: str | None) -> bool:
    """True if the request asks for exactly the ``dcatap_de`` profile in a format we write."""
    if isinstance(profiles, str):
        profiles = profiles.replace(",", " ").split()
    if not profiles:
        profiles = (tk.config.get("ckanext.dcat.rdf.profiles") or "").split()
    return (
        list(profiles) == [PROFILE]
        and (fmt or "xml") in rdfwriter.WRITERS
        and not tk.asbool(tk.config.get(DCAT_EXPOSE_SUBCATALOGS))
        and not tk.asbool(tk.config.get("ckanext.dcat.compatibility_mode"))
    )


class _CatalogGraph(RDFSerializer):
    """Upstream's hydra paging on a given graph, without loading the profiles again."""

    def __init__(self, graph: Graph):  # not super().__init__: it looks up entry points again
        self.g = graph


def catalog_document(
    dataset_dicts: list[dict], fmt: str | None, pagination_info=None, for_govdata: bool = False
) -> str:
    """A catalogue page: the catalogue description, hydra paging and the datasets."""
    writer = rdfwriter.WRITERS[fmt or "xml"]
    context = ExportContext.for_datasets(dataset_dicts, for_govdata=for_govdata)
    graph = context.new_graph()
    catalog_ref = URIRef(catalog_uri())
    DCATAPdeProfile(graph).graph_from_catalog({}, catalog_ref)
    for dataset_dict in dataset_dicts:
        graph.add((catalog_ref, DCAT.dataset, URIRef(dataset_uri(dataset_dict))))
    if pagination_info:
        _CatalogGraph(graph)._add_pagination_triples(pagination_info)
    fragments = dataset_fragments(dataset_dicts, fmt or "xml", context)
    return writer.document([writer.fragment(graph), *fragments])


def dataset_document(dataset_dict: dict, fmt: str | None) -> str:
    writer = rdfwriter.WRITERS[fmt or "xml"]
    return writer.document(dataset_fragments([dataset_dict], fmt or "xml"))


def dataset_fragments(
    dataset_dicts: list[dict], fmt: str, context: ExportContext | None = None
) -> list[str]:
    """Each dataset's text in ``fmt``, from the cache where its stamp still matches."""
    writer = rdfwriter.WRITERS[fmt]
    context = context or ExportContext.for_datasets(dataset_dicts)
    settings = _settings_digest()
    stamps = {d["id"]: dataset_stamp(d, context, settings) for d in dataset_dicts}
    # The GovData feed writes geometry differently (decision 0111): its own texts.
    cache_format = f"govdata-{fmt}" if context.for_govdata else fmt
    cached, stale = rdf_cache.fetch(stamps, cache_format)
    fragments, fresh = [], {}
    for dataset_dict in dataset_dicts:
        text = cached.get(dataset_dict["id"])
        if text is None:
            text = writer.fragment(dataset_rdf(dataset_dict, context))
            fresh[dataset_dict["id"]] = (stamps[dataset_dict["id"]], text)
        fragments.append(text)
    rdf_cache.store(fresh, cache_format, stale)
    return fragments


def dataset_rdf(dataset_dict: dict, context: ExportContext | None = None):
    """The DCAT-AP.de triples of one dataset (a package_show/package_search dict)."""
    context = context or ExportContext.for_datasets([dataset_dict])
    dataset_ref = URIRef(dataset_uri(dataset_dict))
    triples = dataset_triples.build(dataset_dict, dataset_ref, context)
    if triples is not None:
        return triples
    graph = context.new_graph()  # a field only the upstream steps write
    DCATAPdeProfile(graph).graph_from_dataset_reference(dataset_dict, dataset_ref)
    return graph


def dataset_stamp(
    dataset_dict: dict, context: ExportContext | None = None, settings: str | None = None
) -> str:
    """What a dataset's export depends on: its version, its publisher, whether another dataset
    has its identifier, which of its versions are datasets of the catalogue, and the settings."""
    context = context or ExportContext.for_datasets([dataset_dict])
    settings = settings or _settings_digest()
    org_id = (dataset_dict.get("organization") or {}).get("id") or dataset_dict.get("owner_org")
    publisher = context.publisher(org_id) if org_id else {}
    shared = "shared" if context.shares_identifier(dataset_dict) else ""
    own_versions = " ".join(
        sorted(
            uri
            for uri in dataset_triples.version_targets(dataset_dict)
            if context.is_own_dataset(uri)
        )
    )
    return "|".join(
        (
            CACHE_VERSION,
            str(dataset_dict.get("metadata_modified")),
            _digest(publisher),
            shared,
            own_versions,
            settings,
        )
    )


def _settings_digest() -> str:
    """What else the export depends on: the DCAT settings and the vocabulary files in use."""
    settings = {
        key: str(value)
        for key, value in tk.config.items()
        if key.startswith(SETTINGS_PREFIXES) or key in SETTINGS_KEYS
    }
    for name in vocabularies.names():
        vocabulary = vocabularies.get(name)  # the stamp names the version the export will use
        settings[f"vocabulary:{name}"] = f"{vocabulary.path}:{vocabulary.mtime_ns}"
    return _digest(settings)


def _digest(value) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:16]  # noqa: S324 (a cache stamp, no secret)
