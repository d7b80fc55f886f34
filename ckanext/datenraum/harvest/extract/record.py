"""The protocol-neutral shape every extractor returns; ``mapping`` turns it into our schema."""

from __future__ import annotations

import dataclasses
import hashlib
import json


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
    download: bool = False


@dataclasses.dataclass
class Record:
    identifier: str
    title: str
    description: str = ""
    keywords: list[str] = dataclasses.field(default_factory=list)
    modified: str | None = None
    issued: str | None = None
    landing_page: str | None = None
    publisher_name: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_url: str | None = None
    license_uri: str | None = None
    license_text: str | None = None
    access_rights: str | None = None
    temporal_start: str | None = None
    temporal_end: str | None = None
    # (west, south, east, north) in WGS 84 degrees
    bbox: tuple[float, float, float, float] | None = None
    languages: list[str] = dataclasses.field(default_factory=list)
    distributions: list[Distribution] = dataclasses.field(default_factory=list)
    deleted: bool = False
    # set on ISO service records: "WMS", "WFS", "ATOM", …
    service_type: str = ""

    def fingerprint(self) -> str:
        """Stable hash of everything we store: equal fingerprints mean nothing to update."""
        payload = json.dumps(dataclasses.asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Record:
        data = json.loads(text)
        data["distributions"] = [Distribution(**item) for item in data.get("distributions", [])]
        if data.get("bbox"):
            data["bbox"] = tuple(data["bbox"])
        return cls(**data)
