"""Datasets in our DCAT-AP.de schema from harvested records, plus the per-source defaults.

The one place that knows our schema's field names for harvested content: extractors stay
protocol-only, harvesters stay schema-agnostic. A value that does not fit (a web address as
e-mail, "29.05..2017" as a date, a language outside the list) is dropped with a note in
``NOTES`` and the record is kept; licences follow decision 0210 (never more open than stated).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re

from ckanext.datenraum.common import markup, tags, text, uris
from ckanext.datenraum.common.languages import language_code
from ckanext.datenraum.dcatapde import vocabularies
from ckanext.datenraum.harvest.extract import services
from ckanext.datenraum.harvest.extract.record import Record

CONTRIBUTOR_FIELD = "contributor_id"
NOTES = "_datenraum_notes"  # the key ckanext-datenraum's RDF profile notes into, too
CLOSED_LICENCE = "other-closed"
MAX_TITLE = 500
MAX_NOTE = 300
_ISO_DATE = re.compile(
    r"^\d{4}(-\d{2}(-\d{2})?)?([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def dataset_from_record(record: Record, *, default_licence: str | None = None) -> dict:
    """A dataset dict (without name/owner) in our schema's field names; ``NOTES`` lists what
    was dropped. ``default_licence`` applies only when the record states no licence at all."""
    notes = list(record.notes)
    title = _cut(" ".join(text.clean(record.title).split()), MAX_TITLE)
    dataset: dict = {
        "title": title,
        "notes": markup.plain_text(record.description) or title,
        "identifier": text.clean(record.identifier),
        "tags": [{"name": tag} for tag in keywords_of(record)],
    }
    licence, attribution = resolve_licence(
        record.licences, restricted=record.access_restricted, default=default_licence, notes=notes
    )
    optional = {
        "url": _uri(record.landing_page, "url", notes),
        "modified": _date(record.modified, "modified", notes),
        "issued": _date(record.issued, "issued", notes),
        "license_id": licence,
        "temporal_start": _date(record.temporal_start, "temporal_start", notes),
        "temporal_end": _date(record.temporal_end, "temporal_end", notes),
        "uri": record.uri if uris.is_web_uri(record.uri) else None,
    }
    dataset.update({key: value for key, value in optional.items() if value})
    if record.access_restricted:
        dataset["access_rights"] = vocabularies.get("access-right").base + "RESTRICTED"
    start, end = dataset.get("temporal_start"), dataset.get("temporal_end")
    if start and end and end < start:
        notes.append(f"temporal_end: dropped {dataset.pop('temporal_end')!r} (before start)")
    publisher = _without_empty(
        {
            "name": text.clean(record.publisher_name or ""),
            "url": _uri(record.publisher_url, "publisher", notes),
        }
    )
    if publisher.get("name"):
        dataset["publisher"] = [publisher]
    contact = _contact(record, notes)
    if contact:
        dataset["contact"] = [contact]
    geometry = record.geometry or (bbox_geojson(record.bbox) if record.bbox else None)
    if geometry:
        dataset["spatial_coverage"] = [{"geom": geometry}]
    themes = [theme for theme in record.themes if vocabularies.get("data-theme").uri_for(theme)]
    if themes:
        dataset["theme"] = themes
    languages = _languages(record.languages, notes)
    if languages:
        dataset["language"] = languages
    resources = [_resource(d, licence, notes) for d in record.distributions]
    resources = [resource for resource in resources if resource]
    if attribution:
        for resource in resources:
            resource.setdefault("license_attribution_by_text", attribution)
    dataset["resources"] = resources
    dataset[NOTES] = sorted(set(notes))
    return clean_strings(dataset)


# Licences -------------------------------------------------------------------------------------


def resolve_licence(
    statements, *, restricted: bool = False, default: str | None = None, notes: list
) -> tuple[str | None, str | None]:
    """(licence code, attribution text) for what a record states (decision 0210):

    - restricted access is never published open: ``other-closed``;
    - the first statement with an exact counterpart in the dcat-ap.de list wins;
    - a statement without one is kept as ``other-closed`` with the statement as attribution
      text, and noted;
    - the source's default applies only when the record states nothing.
    """
    stated = [s.strip() for s in statements if isinstance(s, str) and s.strip()]
    # a text that names its licence by URL ("Licence Ouverte … https://…"): the URL counts too
    candidates = [c for s in stated for c in (s, *_URL_IN_TEXT.findall(s))]
    if restricted:
        notes.append("license_id: the partner restricts access; recorded as other-closed")
        return CLOSED_LICENCE, _statement_text(stated)
    for statement in candidates:
        code = vocabularies.licence_code(statement.rstrip(".,;)"))
        if code:
            return code, None
    if stated:
        notes.append(
            f"license_id: {_short(stated[0])!r} has no counterpart in the dcat-ap.de list; "
            "recorded as other-closed with the statement as attribution"
        )
        return CLOSED_LICENCE, _statement_text(stated)
    default_code = vocabularies.licence_code(default) if default else None
    if default_code:
        return default_code, None
    notes.append("license_id: the partner states no licence; recorded as other-closed")
    return CLOSED_LICENCE, None


def _statement_text(statements: list[str]) -> str | None:
    texts = [s for s in statements if not s.lstrip().startswith("{")]
    return _cut(texts[0], 1000) if texts else None


# Keywords -------------------------------------------------------------------------------------


def keywords_of(record: Record) -> list[str]:
    """The record's keywords (lists split, long ones split); without any, what a cataloguer
    would take: ISO topic categories, the themes' labels, the service type."""
    found = tags.clean_tags(record.keywords)
    if found:
        return found
    themes = vocabularies.get("data-theme")
    theme_labels = [
        themes.concepts[theme].labels["de"] for theme in record.themes if theme in themes.concepts
    ]
    return tags.clean_tags(
        [*record.topic_categories, *theme_labels, record.service_type or "", *record.types],
        split_lists=False,
    )


# Values ---------------------------------------------------------------------------------------


def _date(value, field: str, notes: list) -> str | None:
    if not value:
        return None
    cleaned = str(value).strip()
    german = _GERMAN_DATE.match(cleaned)
    if german:
        day, month, year = german.groups()
        cleaned = f"{year}-{int(month):02d}-{int(day):02d}"
    if _ISO_DATE.match(cleaned) and _valid_calendar_date(cleaned):
        return cleaned
    notes.append(f"{field}: dropped {_short(cleaned)!r} (not a date)")
    return None


def _valid_calendar_date(value: str) -> bool:
    day = value[:10]
    if len(day) < 10:
        return True
    try:
        datetime.date.fromisoformat(day)
    except ValueError:
        return False
    return True


def _uri(value, field: str, notes: list) -> str | None:
    if not value:
        return None
    if uris.is_web_uri(value.strip()):
        return value.strip()
    notes.append(f"{field}: dropped {_short(value)!r} (not a web address)")
    return None


def _contact(record: Record, notes: list) -> dict | None:
    """A contact point, only when it says how to reach someone (DCAT-AP.de: email, URL or
    phone are mandatory on a vcard:Kind); a bare name is left out rather than exported invalid.
    A web address in the e-mail element (common in ISO records) becomes the contact's URL."""
    email = uris.email_in(record.contact_email)
    url = record.contact_url.strip() if uris.is_web_uri(record.contact_url) else None
    if record.contact_email and not email:
        value = record.contact_email.strip()
        if uris.is_web_uri(value) and not url:
            url = value
            notes.append(f"contact.email: {_short(value)!r} is a web address, kept as URL")
        else:
            notes.append(f"contact.email: dropped {_short(value)!r} (not an e-mail address)")
    if not (email or url):
        return None
    return _without_empty(
        {"name": text.clean(record.contact_name or ""), "email": email, "url": url}
    )


def _languages(codes, notes: list) -> list[str]:
    vocabulary = vocabularies.get("language")
    result = []
    for value in codes:
        code = language_code(value)
        uri = vocabulary.base + code if code else None
        if uri and uri in vocabulary.concepts:
            if uri not in result:
                result.append(uri)
        else:
            notes.append(f"language: dropped {_short(value)!r} (not in the language list)")
    return result


def format_code(value: str, url: str = "") -> str:
    """A code of the EU file-type list our schema requires; OGC services have their own codes
    (WMS_SRVC …), other services (CSW, SOS) are XML endpoints."""
    known = vocabularies.get("file-type")
    for candidate in (value, *_extension(url)):
        code = vocabularies.file_type_code(candidate) if candidate else None
        if code and known.uri_for(code):
            return code
    return "XML" if (value or "").upper() in services.SERVICE_TYPES else "HTML"


def _resource(distribution, dataset_licence: str | None, notes: list) -> dict | None:
    """The resource of one distribution, or None (noted) when it names no web address: a
    distribution without ``dcat:accessURL`` cannot be exported (decision 0214)."""
    if distribution.service_type and uris.is_web_uri(services.endpoint(distribution.url)):
        resource = _service_resource(distribution)
    else:
        url = distribution.url.strip()
        if not uris.is_web_uri(url):
            notes.append(f"resources: dropped {_short(url)!r} (not a web address)")
            return None
        resource = {
            "url": url,
            "name": distribution.title or distribution.format or url,
            "description": markup.plain_text(distribution.description),
            "format": format_code(distribution.format or distribution.media_type, url),
            "access_url": url,
        }
        if distribution.download:
            resource["download_url"] = url
    if distribution.licences:
        code, attribution = resolve_licence(distribution.licences, notes=notes)
        if code and code != dataset_licence:
            resource["license"] = code
        if attribution:
            resource["license_attribution_by_text"] = attribution
    return _without_empty(resource)


def _service_resource(distribution) -> dict:
    """A distribution whose access URL is the service endpoint, described by a dcat:DataService
    (``access_services``): title, endpoint, capabilities document, the OGC standard and the
    service's documentation page."""
    kind = distribution.service_type
    endpoint = services.endpoint(distribution.url)
    title = distribution.service_title or distribution.title or f"{kind}-Dienst"
    access_service = {
        "title": title,
        "endpoint_url": [endpoint],
        "endpoint_description": services.capabilities_url(distribution.url, kind),
        "conforms_to": [services.standard_uri(kind)],
    }
    resource = {
        "url": endpoint,
        "name": title if kind.upper() in title.upper() else f"{kind}: {title}",
        "description": markup.plain_text(distribution.description),
        "format": format_code(kind, distribution.url),
        "access_url": endpoint,
        "access_services": [_without_empty(access_service)],
    }
    if uris.is_web_uri(distribution.documentation):
        resource["documentation"] = [distribution.documentation]
    return _without_empty(resource)


# Source settings, fingerprint -----------------------------------------------------------------


def apply_source_settings(dataset: dict, config: dict) -> dict:
    """Source defaults fill gaps and the source's contributorID is injected."""
    for key, value in (config.get("defaults") or {}).items():
        if dataset.get(key) in (None, "", [], {}):
            dataset[key] = value
    if not (dataset.get("notes") or "").strip() and dataset.get("title"):
        dataset["notes"] = dataset["title"]  # dct:description is mandatory in DCAT-AP.de
    if not dataset.get("tags") and not dataset.get("tag_string") and dataset.get("title"):
        # GovData needs a keyword; with none stated and no source default, the title is one
        dataset["tags"] = [{"name": tag} for tag in tags.clean_tags([dataset["title"]])[:1]]
        dataset.setdefault(NOTES, []).append("tags: none stated; the title is the keyword")
    if dataset.get("license_id"):
        dataset["license_id"] = (
            vocabularies.licence_code(dataset["license_id"]) or dataset["license_id"]
        )
    if config.get("contributor_id"):
        dataset[CONTRIBUTOR_FIELD] = config["contributor_id"]
    return dataset


def fingerprint(dataset: dict) -> str:
    """Hash of what would be stored: equal fingerprints mean nothing to update. The notes and
    the order of list items (which parsers do not keep stable across processes) do not count."""
    payload = json.dumps(_canonical(dataset), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# Keys whose values are not content: notes, and blank-node ids ckanext-dcat keeps to pair
# distributions up (a new id in every parse).
_NOT_CONTENT = {NOTES, "distribution_ref"}


def _canonical(value):
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items() if key not in _NOT_CONTENT}
    if isinstance(value, list):
        items = [_canonical(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, default=str))
    return value


def clean_strings(value):
    """``value`` with forbidden control characters removed from every text in it."""
    if isinstance(value, str):
        return text.clean(value)
    if isinstance(value, dict):
        return {key: clean_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_strings(item) for item in value]
    return value


def bbox_geojson(bbox: tuple[float, float, float, float]) -> str:
    west, south, east, north = bbox
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _without_empty(values: dict) -> dict:
    return {
        key: value for key, value in values.items() if value not in (None, "") and value != [None]
    }


def _extension(url: str) -> list[str]:
    path = url.split("?", 1)[0]
    last = path.rsplit("/", 1)[-1]
    return [last.rsplit(".", 1)[-1]] if "." in last else []


def _cut(value: str, limit: int) -> str:
    """``value`` cut to ``limit`` characters at a word boundary, marked with "…"."""
    if len(value) <= limit:
        return value
    cut = value.rfind(" ", 0, limit - 1)
    return value[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:-") + "…"


def shown(value) -> str:
    """A value as a note quotes it: a text in quotes, a list as its items, never a repr."""
    if isinstance(value, list | tuple):
        return ", ".join(shown(item) for item in value) or "''"
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False)
    return repr(_short(value))


def _short(value) -> str:
    value = str(value)
    return value if len(value) <= MAX_NOTE else value[: MAX_NOTE - 1] + "…"
