"""DCAT-AP.de graphs of stored datasets, built with the ``dcatap_de`` profile."""

from __future__ import annotations

from ckanext.dcat.processors import RDFSerializer
from rdflib import Graph
from rdflib.namespace import DCAT

PROFILE = "dcatap_de"


def datasets_graph(dataset_dicts, with_catalog: bool = True) -> Graph:
    """One graph with the catalogue description and the given datasets (package_show dicts)."""
    serializer = RDFSerializer(profiles=[PROFILE])
    catalog_ref = serializer.graph_from_catalog({}) if with_catalog else None
    for dataset_dict in dataset_dicts:
        dataset_ref = serializer.graph_from_dataset(dataset_dict)
        if catalog_ref is not None:
            serializer.g.add((catalog_ref, DCAT.dataset, dataset_ref))
    return serializer.g
