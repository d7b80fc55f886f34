"""The catalogue description (dcat:Catalog) and publisher look-ups for the ``dcatap_de`` profile."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckanext.dcat.profiles import DCAT, DCT, FOAF
from ckanext.dcat.utils import catalog_uri
from rdflib import Literal, URIRef

from ckanext.datenraum.dcatapde import vocabularies

PUBLISHER_FIELDS = ("title", "uri", "dcat_type", "email", "url", "contributor_id")


def organization_publishers(org_ids) -> dict[str, dict]:
    """Publisher fields (title, uri, dcat_type, email, url, contributor_id) of organisations.

    One query for any number of organisations: a catalogue page must not look up each dataset's
    organisation on its own. The scheming fields are plain strings in the ``extras`` column.
    """
    org_ids = {org_id for org_id in org_ids if org_id}
    if not org_ids:
        return {}
    rows = model.Session.query(model.Group.id, model.Group.title, model.Group.extras).filter(
        model.Group.id.in_(org_ids), model.Group.is_organization.is_(True)
    )
    publishers = {}
    for org_id, title, extras in rows:
        publisher = {key: (extras or {}).get(key) or "" for key in PUBLISHER_FIELDS}
        publisher["title"] = title or ""
        publishers[org_id] = publisher
    return publishers


def shared_identifiers(identifiers) -> set[str]:
    """Those of ``identifiers`` that more than one public dataset has as its ``identifier``.

    GovData's harvester takes datasets with the same ``dct:identifier`` (from different URIs)
    for one and keeps only one of them (decision 0112); one query for a whole page."""
    identifiers = {str(value) for value in identifiers if value}
    if not identifiers:
        return set()
    identifier = model.Package.extras["identifier"].astext
    rows = (
        model.Session.query(identifier)
        .filter(
            model.Package.state == "active",
            model.Package.private.is_(False),
            model.Package.type == "dataset",
            identifier.in_(identifiers),
        )
        .group_by(identifier)
        .having(sa.func.count() > 1)
    )
    return {value for (value,) in rows}


def catalogue_dataset_uris(uris) -> set[str]:
    """Those of ``uris`` that are the export URI of a public dataset of this catalogue.

    A dataset's URI is its ``uri`` field, else ``<catalogue>/dataset/<id>`` (ckanext-dcat's
    ``dataset_uri``): only such a target is a dcat:Dataset of the export (decision 0218).
    One query for a whole page."""
    uris = {str(value).strip() for value in uris if value}
    if not uris:
        return set()
    base = catalog_uri().rstrip("/") + "/dataset/"
    ids = {uri[len(base) :] for uri in uris if uri.startswith(base)}
    uri = model.Package.extras["uri"].astext
    rows = model.Session.query(model.Package.id, uri).filter(
        model.Package.state == "active",
        model.Package.private.is_(False),
        model.Package.type == "dataset",
        sa.or_(uri.in_(uris), model.Package.id.in_(ids)),
    )
    return {own for package_id, own_uri in rows if (own := own_uri or base + package_id) in uris}


def catalogue_publisher() -> dict:
    return {
        "name": tk.config.get("ckanext.datenraum.dcatapde.catalog.publisher_name")
        or tk.config.get("ckan.site_title"),
        "uri": tk.config.get("ckanext.datenraum.dcatapde.catalog.publisher_uri") or "",
        "type": tk.config.get("ckanext.datenraum.dcatapde.catalog.publisher_type") or "",
        "email": tk.config.get("ckanext.datenraum.dcatapde.catalog.publisher_email") or "",
        "url": tk.config.get("ckanext.datenraum.dcatapde.catalog.publisher_url") or "",
    }


def describe_catalogue(graph, catalog_ref, add_agents) -> None:
    """Replace the upstream defaults with the configured DCAT-AP.de catalogue description."""
    site_title = tk.config.get("ckan.site_title")
    defaults = {
        DCT.title: site_title,
        # dct:description is mandatory for a dcat:Catalog.
        DCT.description: tk.config.get("ckan.site_description") or f"Datenkatalog {site_title}",
    }
    for key, predicate in (("title", DCT.title), ("description", DCT.description)):
        value = tk.config.get(f"ckanext.datenraum.dcatapde.catalog.{key}") or defaults[predicate]
        graph.remove((catalog_ref, predicate, None))
        graph.add((catalog_ref, predicate, Literal(value)))
    homepage = tk.config.get("ckanext.datenraum.dcatapde.catalog.homepage")
    if homepage:
        graph.set((catalog_ref, FOAF.homepage, URIRef(homepage)))
    # Upstream writes the site locale as a literal ("de"); DCAT-AP.de wants the EU language URI.
    graph.remove((catalog_ref, DCT.language, None))
    for language in tk.config.get("ckanext.datenraum.dcatapde.catalog.language"):
        graph.add((catalog_ref, DCT.language, URIRef(language)))
    licence = vocabularies.get("licenses").uri_for(
        tk.config.get("ckanext.datenraum.dcatapde.catalog.license") or ""
    )
    if licence:
        graph.add((catalog_ref, DCT.license, URIRef(licence)))
    graph.add((catalog_ref, DCAT.themeTaxonomy, URIRef(vocabularies.get("data-theme").scheme)))
    graph.bind("dcatde", "http://dcat-ap.de/def/dcatde/")
    graph.remove((catalog_ref, DCT.publisher, None))
    add_agents(catalog_ref, {"publisher": [catalogue_publisher()]}, "publisher", DCT.publisher)
