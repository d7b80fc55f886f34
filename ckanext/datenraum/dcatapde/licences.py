"""CKAN's licence register filled from the shipped dcat-ap.de licence list.

CKAN resolves ``license_id`` to a title, URL and ``isopen`` through its own register; without
our list it knows none of the dcat-ap.de codes and shows them raw and closed.
"""

from __future__ import annotations

import rdflib
from ckan import model
from ckan.model.license import License, LicenseRegister
from rdflib.namespace import FOAF

from ckanext.datenraum.dcatapde import vocabularies
from ckanext.datenraum.i18n import current_language


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
        is_open = str(graph.value(ref, vocabularies.OPEN_LICENCE_FLAG) or "false") == "true"
        conformance = "approved" if is_open else "not reviewed"
        result.append(
            {
                "id": concept.code,
                "titles": dict(concept.labels),
                "url": str(graph.value(ref, FOAF.homepage) or concept.uri),
                "od_conformance": conformance,
                "osd_conformance": "not reviewed",
                "status": "deleted" if concept.deprecated else "active",
            }
        )
    return result


class DcatApDeLicence(License):
    """A licence whose title is in the page's language (German outside a request)."""

    @property
    def title(self) -> str:
        titles = self._data["titles"]
        return titles.get(current_language()) or titles["de"]

    def license_dictize(self) -> dict:
        return dict(super().license_dictize(), title=self.title)


class DcatApDeLicenceRegister(LicenseRegister):
    def __init__(self):
        self.licenses = [DcatApDeLicence(data) for data in licence_dicts()]


def localise_title(pkg_dict: dict) -> None:
    """Sets ``license_title`` of a dataset dict to the title in the current language."""
    licence_id = pkg_dict.get("license_id")
    register = model.Package.get_license_register()
    licence = register.get(licence_id) if licence_id else None
    if isinstance(licence, DcatApDeLicence):
        pkg_dict["license_title"] = licence.title
