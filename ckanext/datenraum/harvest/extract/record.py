"""The protocol-neutral shape every extractor returns; ``mapping`` turns it into our schema."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass
class Distribution:
    url: str
    title: str = ""
    description: str = ""
    format: str = ""
    media_type: str = ""
    # "WMS", "WFS", "ATOM", "CSW", …: the distribution is a dcat:accessService endpoint
    service_type: str = ""
    # title of the service record it came from (the dcat:DataService's dct:title)
    service_title: str = ""
    # a page about the service (ISO function "information"): kept as the service's documentation
    documentation: str = ""
    download: bool = False
    # licence statements of this distribution (URIs, ids or texts), most specific first
    licences: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Record:
    identifier: str
    title: str
    description: str = ""
    keywords: list[str] = dataclasses.field(default_factory=list)
    # further keyword sources a cataloguer would use when the record has no keywords
    topic_categories: list[str] = dataclasses.field(default_factory=list)
    themes: list[str] = dataclasses.field(default_factory=list)  # data-theme URIs
    types: list[str] = dataclasses.field(default_factory=list)  # "Article", "Dataset", …
    modified: str | None = None
    issued: str | None = None
    landing_page: str | None = None
    publisher_name: str | None = None
    publisher_url: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_url: str | None = None
    contact_phone: str | None = None
    # licence statements as the partner wrote them (URIs, ids or texts), most specific first
    licences: list[str] = dataclasses.field(default_factory=list)
    # the partner says access is restricted (ISO accessConstraints, access_rights): never open
    access_restricted: bool = False
    temporal_start: str | None = None
    temporal_end: str | None = None
    # (west, south, east, north) in WGS 84 degrees
    bbox: tuple[float, float, float, float] | None = None
    geometry: str | None = None  # GeoJSON, when the partner gives one
    languages: list[str] = dataclasses.field(default_factory=list)
    distributions: list[Distribution] = dataclasses.field(default_factory=list)
    deleted: bool = False
    # set on ISO service records: "WMS", "WFS", "ATOM", …
    service_type: str = ""
    uri: str | None = None
    # what the extractor dropped or could not read, for the import report and health page
    notes: list[str] = dataclasses.field(default_factory=list)
