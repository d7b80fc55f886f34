"""CKAN's licence register filled from the shipped dcat-ap.de licence list.

CKAN resolves ``license_id`` to a title, URL and ``isopen`` through its own register; without
our list it knows none of the dcat-ap.de codes and shows them raw and closed.
"""

from __future__ import annotations

import rdflib
from ckan.model.license import License, LicenseRegister
from rdflib.namespace import FOAF

from ckanext.datenraum.dcatapde import vocabularies

OPEN_FLAG = rdflib.URIRef("http://govdata.de/mqa/#isOpenLicense")


def licence_dicts() -> list[dict]:
    """CKAN licence dicts for every licence of the dcat-ap.de list, current ones first."""
    vocabulary = vocabularies.get("licenses")
    graph = vocabularies.parse_rdf_file(vocabulary.path)
    concepts = sorted(
        vocabulary.concepts.values(),
        key=lambda concept: (concept.deprecated, concept.labels["de"].casefold()),
    )
    result = []
    for concept in concepts:
        ref = rdflib.URIRef(concept.uri)
        is_open = str(graph.value(ref, OPEN_FLAG) or "false") == "true"
        conformance = "approved" if is_open else "not reviewed"
        result.append(
            {
                "id": concept.code,
                "title": concept.labels["de"],
                "url": str(graph.value(ref, FOAF.homepage) or concept.uri),
                "od_conformance": conformance,
                "osd_conformance": "not reviewed",
                "status": "deleted" if concept.deprecated else "active",
            }
        )
    return result


class DcatApDeLicenceRegister(LicenseRegister):
    def __init__(self):
        self.licenses = [License(data) for data in licence_dicts()]
