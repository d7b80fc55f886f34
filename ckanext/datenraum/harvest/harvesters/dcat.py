"""DCAT-AP(.de) RDF harvester on ckanext-dcat's ``DCATRDFHarvester`` and our RDF profile.

Adds what upstream lacks: safe fetches (SSRF, caps, retries), XXE-safe RDF/XML, hydra paging
with loop protection, skipping unchanged datasets by content hash, withdrawal with a guard,
duplicates across sources by ``dct:identifier`` and contributorID injection (in the base).
Each page is parsed with its own URL as base, so a relative IRI (a bare e-mail address in
``vcard:hasEmail``) resolves against the partner, never against our server's directory.

ckanext-dcat's ``IDCATRDFHarvester`` hooks fire as upstream fires them: ``before_download``,
``update_session``, ``after_download`` and ``after_parsing`` in gather, the create/update hooks
and schema hooks in import (base class, ``dataset_hooks``).
"""

from __future__ import annotations

import ckan.plugins as p
import rdflib
import requests
from ckanext.dcat.harvesters.rdf import DCATRDFHarvester
from ckanext.dcat.interfaces import IDCATRDFHarvester
from ckanext.dcat.processors import RDFParser, RDFParserException
from rdflib.namespace import DCAT, SKOS

from ckanext.datenraum.common import jsonld, tags
from ckanext.datenraum.common.http import fetch
from ckanext.datenraum.common.xml import check_xml
from ckanext.datenraum.dcatapde import vocabularies
from ckanext.datenraum.harvest.harvesters.base import (
    CollectFailed,
    DatenraumHarvesterMixin,
    ItemProblem,
    make_item,
)
from ckanext.datenraum.harvest.mapping import NOTES, clean_strings

MAX_PAGES = 1000
_XML_FORMATS = {"xml", "application/rdf+xml", "pretty-xml", "text/xml", "application/xml"}


class DatenraumDCATHarvester(DatenraumHarvesterMixin, DCATRDFHarvester):
    NAME = "datenraum_dcat"
    TITLE = "DCAT-AP.de (RDF)"
    DESCRIPTION = "DCAT-AP(.de) catalogues in RDF/XML, Turtle or JSON-LD, with hydra paging"

    def dataset_hooks(self):
        return list(p.PluginImplementations(IDCATRDFHarvester))

    def collect(self, harvest_job, config, policy):
        mapping_options = config.get("mapping") or {}
        hooks = self.dataset_hooks()
        session = requests.Session()
        for hook in hooks:
            session = hook.update_session(session) or session
        url, visited = harvest_job.source.url, set()
        while url and url not in visited:
            if len(visited) >= MAX_PAGES:
                raise CollectFailed(f"more than {MAX_PAGES} pages")
            visited.add(url)
            for hook in hooks:
                url, errors = hook.before_download(url, harvest_job)
                _hook_errors(errors)
                if not url:
                    return
            fetched = fetch(url, policy, session=session)
            content = fetched.content
            for hook in hooks:
                content, errors = hook.after_download(content, harvest_job)
                _hook_errors(errors)
                if not content:
                    return
            parser = self._parse(content, fetched, mapping_options, policy)
            for hook in hooks:
                parser, errors = hook.after_parsing(parser, harvest_job)
                _hook_errors(errors)
                if parser is None:
                    return
            for dataset in parser.datasets():
                guid = self._get_guid(dataset)
                if not guid:
                    yield ItemProblem(
                        None, f"dataset without URI or identifier: {dataset.get('title')}"
                    )
                    continue
                dataset.pop("name", None)
                dataset[NOTES] = sorted(set(dataset.get(NOTES) or []))
                if not dataset.get("tags"):
                    dataset["tags"] = theme_keywords(parser.g, dataset)
                yield make_item(clean_strings(dataset), guid, config)
            url = parser.next_page()

    @staticmethod
    def _parse(content: bytes, fetched, options: dict, policy) -> RDFParser:
        rdf_format = options.get("rdf_format") or _format_of(fetched)
        if rdf_format in _XML_FORMATS or content.lstrip().startswith(b"<"):
            check_xml(content)
            rdf_format = rdf_format if rdf_format in _XML_FORMATS else "xml"
        parser = RDFParser(profiles=options.get("profiles"))
        try:
            if rdf_format == "json-ld":
                jsonld.parse_into(parser.g, content, base=fetched.url, policy=policy)
            else:
                parser.g.parse(data=content, format=rdf_format, publicID=fetched.url)
        except jsonld.ContextRefused as error:
            raise CollectFailed(f"{fetched.url}: {error}") from error
        except Exception as error:  # noqa: BLE001 - rdflib's parsers raise many kinds
            raise CollectFailed(
                f"{fetched.url} is not valid RDF: {type(error).__name__}: {str(error)[:300]}"
            ) from error
        return parser


def theme_keywords(graph: rdflib.Graph, dataset: dict) -> list[dict]:
    """Keywords for a dataset without any: the labels of its themes (EU data themes and the
    partner's own theme concepts), as a cataloguer would take them."""
    themes = vocabularies.get("data-theme")
    labels = [
        themes.concepts[t].labels["de"] for t in dataset.get("theme") or [] if t in themes.concepts
    ]
    subject = rdflib.URIRef(dataset["uri"]) if dataset.get("uri") else None
    if subject is not None:
        for theme in graph.objects(subject, DCAT.theme):
            labels += [str(label) for label in graph.objects(theme, SKOS.prefLabel)]
    return [{"name": tag} for tag in tags.clean_tags(labels)]


def _hook_errors(errors) -> None:
    if errors:
        raise CollectFailed("; ".join(str(error) for error in errors))


def _format_of(fetched) -> str | None:
    content_type = fetched.content_type
    if content_type in ("text/turtle", "application/x-turtle"):
        return "turtle"
    if content_type in ("application/ld+json", "application/json"):
        return "json-ld"
    if content_type in _XML_FORMATS:
        return "xml"
    guessed = rdflib.util.guess_format(fetched.url.split("?", 1)[0])
    return guessed or ("xml" if fetched.content.lstrip().startswith(b"<") else "turtle")


__all__ = ["DatenraumDCATHarvester", "RDFParserException"]
