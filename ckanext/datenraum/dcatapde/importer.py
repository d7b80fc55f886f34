"""``ckan datenraum import FILE --org NAME``: create or update datasets from a DCAT-AP(.de) file.

Datasets are matched by their RDF URI (the ``uri`` field), so importing the same file again
updates nothing; a dataset that fails validation is reported with its errors and the others are
imported all the same.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pathlib

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.dcat.processors import RDFParser
from rdflib.namespace import DCAT, RDF
from rdflib.util import guess_format

from ckanext.datenraum.common import jsonld, parsed_dcat, slugs, tags
from ckanext.datenraum.common.http import FetchPolicy
from ckanext.datenraum.dcatapde import vocabularies
from ckanext.datenraum.dcatapde.export import PROFILE


class ImportFailed(ValueError):
    """The file cannot be read as a whole (not RDF, a refused JSON-LD context)."""


@dataclasses.dataclass
class ImportReport:
    in_file: int = 0
    created: list[str] = dataclasses.field(default_factory=list)
    updated: list[str] = dataclasses.field(default_factory=list)
    unchanged: list[str] = dataclasses.field(default_factory=list)
    failed: list[tuple[str, dict]] = dataclasses.field(default_factory=list)
    notes: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    @property
    def accounted(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged) + len(self.failed)


def read_datasets(path: pathlib.Path) -> tuple[int, list[dict]]:
    """(number of dcat:Dataset nodes in the file, dataset dicts parsed by the profile).

    JSON-LD goes through ``common.jsonld``: a remote ``@context`` is loaded by the safe fetcher
    (public addresses only, size cap, deadline), a ``file://`` one is refused; rdflib itself
    never fetches or reads anything."""
    parser = RDFParser(profiles=[PROFILE])
    content = path.read_bytes()
    if path.suffix in {".jsonld", ".json"}:
        try:
            jsonld.parse_into(parser.g, content, base=path.resolve().as_uri(), policy=FetchPolicy())
        except ValueError as error:  # ContextRefused, not JSON
            raise ImportFailed(f"{path.name}: {error}") from error
    else:
        parser.parse(content, _format=guess_format(str(path)) or "xml")
    in_file = len(set(parser.g.subjects(RDF.type, DCAT.Dataset)))
    return in_file, list(parser.datasets())


def import_file(
    path: pathlib.Path, organization: str, user: str, contributor_id: str | None = None
) -> ImportReport:
    """Create or update the file's datasets in ``organization``. ``contributor_id`` is given to
    the datasets that name no dcatde:contributorID (else the organisation's default applies)."""
    org = tk.get_action("organization_show")({"user": user}, {"id": organization})
    in_file, datasets = read_datasets(path)
    report = ImportReport(in_file=in_file)
    user_obj = model.User.get(user)
    for dataset in datasets:
        label = dataset.get("uri") or dataset.get("title") or "?"
        notes = list(dataset.pop("_datenraum_notes", []))
        parsed_dcat.tidy(dataset, notes)
        report.notes.extend((label, note) for note in notes)
        prepared = prepare(dataset, org["id"], report.notes, label)
        if contributor_id and not prepared.get("contributor_id"):
            prepared["contributor_id"] = contributor_id
        try:
            outcome = save(prepared, {"user": user, "auth_user_obj": user_obj})
        except tk.ValidationError as error:
            model.Session.rollback()
            report.failed.append((label, error.error_dict))
            continue
        getattr(report, outcome).append(label)
    return report


def prepare(dataset: dict, org_id: str, notes: list, label: str) -> dict:
    """Keep the fields of our schema only, add organisation, keywords and a stable name."""
    schema = tk.h.scheming_get_dataset_schema("dataset")
    dataset_fields = {field["field_name"] for field in schema["dataset_fields"]}
    resource_fields = {field["field_name"] for field in schema["resource_fields"]}
    prepared = {key: value for key, value in dataset.items() if key in dataset_fields}
    prepared["owner_org"] = org_id
    keywords = clean_keywords(t["name"] for t in dataset.get("tags", []))
    if not keywords:
        keywords = fallback_keywords(prepared)
        notes.append((label, f"keywords: none in the file, using {', '.join(keywords)}"))
    prepared["tag_string"] = ",".join(keywords)
    if not prepared.get("notes"):
        prepared["notes"] = prepared.get("title") or ""
        notes.append((label, "notes: no dct:description, the title is used"))
    prepared["name"] = dataset_name(prepared)
    prepared["resources"] = [
        {key: value for key, value in resource.items() if key in resource_fields}
        for resource in dataset.get("resources", [])
    ]
    return prepared


def clean_keywords(keywords) -> list[str]:
    """The file's keywords as CKAN tags (``common.tags``, the one tag-cleaning rule)."""
    return tags.clean_tags(list(keywords), split_lists=False)


def fallback_keywords(dataset: dict) -> list[str]:
    """GovData requires a keyword: the German labels of the themes, else the title."""
    themes = vocabularies.get("data-theme")
    labels = [themes.concepts[uri].labels["de"] for uri in dataset.get("theme") or []]
    return clean_keywords(labels) or clean_keywords([dataset.get("title") or "Daten"])


def dataset_name(dataset: dict) -> str:
    """A stable URL name: the title's slug (``common.slugs``) plus a short hash of the URI."""
    slug = slugs.name_from_title(dataset.get("title") or "", max_length=80, fallback="datensatz")
    digest = hashlib.sha1((dataset.get("uri") or slug).encode(), usedforsecurity=False)
    return f"{slug}-{digest.hexdigest()[:8]}"


def _existing(dataset: dict) -> dict | None:
    uri = dataset.get("uri")
    query = model.Session.query(model.Package).filter(model.Package.state == "active")
    if uri:
        # CKAN 2.12 keeps extras (our scheming fields) in the package's JSONB column.
        package = query.filter(model.Package.extras["uri"].astext == uri).first()
    else:
        package = query.filter(model.Package.name == dataset["name"]).first()
    if package is None:
        return None
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": package.id})


def save(dataset: dict, base_context: dict) -> str:
    """Create, update or leave the dataset; returns "created", "updated" or "unchanged"."""
    existing = _existing(dataset)
    context = dict(base_context)
    if existing is None:
        tk.get_action("package_create")(dict(context, return_id_only=True), dataset)
        return "created"
    dataset["name"] = existing["name"]
    _keep_resource_ids(dataset, existing)
    if _same(dataset, existing):
        return "unchanged"
    dataset["id"] = existing["id"]
    tk.get_action("package_update")(context, dataset)
    return "updated"


def _keep_resource_ids(dataset: dict, existing: dict) -> None:
    by_uri = {r.get("uri"): r["id"] for r in existing.get("resources", []) if r.get("uri")}
    for position, resource in enumerate(dataset.get("resources", [])):
        if resource.get("uri") in by_uri:
            resource["id"] = by_uri[resource["uri"]]
        elif position < len(existing.get("resources", [])):
            resource["id"] = existing["resources"][position]["id"]


def _normal(value):
    if value in (None, "", [], {}):
        return None
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items() if _normal(v) is not None}
    return str(value)


def _same(dataset: dict, existing: dict) -> bool:
    for key, value in dataset.items():
        if key == "resources":
            continue
        if key == "tag_string":
            if sorted(value.split(",")) != sorted(t["name"] for t in existing.get("tags", [])):
                return False
        elif _normal(value) != _normal(existing.get(key)):
            return False
    new_resources = dataset.get("resources", [])
    old_resources = existing.get("resources", [])
    if len(new_resources) != len(old_resources):
        return False
    return all(
        _normal(value) == _normal(old.get(key))
        for new, old in zip(new_resources, old_resources, strict=True)
        for key, value in new.items()
    )
