"""OAI-PMH 2.0 ListRecords answers (oai_dc) → :class:`Record`, with resumption tokens."""

from __future__ import annotations

import dataclasses
import re

from lxml import etree

from ckanext.datenraum.harvest.extract.licenses import license_from_hints
from ckanext.datenraum.harvest.extract.record import Distribution, Record

NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")


class OAIError(ValueError):
    """An OAI-PMH <error> other than noRecordsMatch."""


@dataclasses.dataclass
class ListRecordsPage:
    records: list[Record]
    resumption_token: str | None


def list_records_params(metadata_prefix: str, token: str | None, oai_set: str | None) -> dict:
    if token:
        return {"verb": "ListRecords", "resumptionToken": token}
    params = {"verb": "ListRecords", "metadataPrefix": metadata_prefix}
    if oai_set:
        params["set"] = oai_set
    return params


def parse_list_records(root: etree._Element) -> ListRecordsPage:
    """Records of one answer; ``noRecordsMatch`` is an empty page, other errors raise."""
    if etree.QName(root).localname != "OAI-PMH":
        raise ValueError("not an OAI-PMH answer")
    error = root.find("oai:error", NS)
    if error is not None:
        if error.get("code") == "noRecordsMatch":
            return ListRecordsPage(records=[], resumption_token=None)
        raise OAIError(f"{error.get('code')}: {(error.text or '').strip()}")
    list_records = root.find("oai:ListRecords", NS)
    if list_records is None:
        raise ValueError("OAI-PMH answer without ListRecords")
    records = [extract_record(element) for element in list_records.iterfind("oai:record", NS)]
    token_element = list_records.find("oai:resumptionToken", NS)
    token = (token_element.text or "").strip() if token_element is not None else ""
    return ListRecordsPage(records=records, resumption_token=token or None)


def extract_record(element: etree._Element) -> Record:
    header = element.find("oai:header", NS)
    identifier = (header.findtext("oai:identifier", namespaces=NS) or "").strip()
    if not identifier:
        raise ValueError("OAI-PMH record without identifier")
    datestamp = (header.findtext("oai:datestamp", namespaces=NS) or "").strip() or None
    if header.get("status") == "deleted":
        return Record(identifier=identifier, title="", modified=datestamp, deleted=True)
    dc = element.find("oai:metadata/oai_dc:dc", NS)
    if dc is None:
        raise ValueError(f"OAI-PMH record {identifier} has no oai_dc metadata")

    def values(name: str) -> list[str]:
        found = []
        for item in dc.iterfind(f"dc:{name}", NS):
            text = " ".join((item.text or "").split())
            if text and text not in found:
                found.append(text)
        return found

    links = [value for value in values("identifier") if value.startswith(("http://", "https://"))]
    dates = [value[:10] for value in values("date") if _DATE.match(value)]
    title = (values("title") or [identifier])[0]
    return Record(
        identifier=identifier,
        title=title,
        description="\n\n".join(values("description")) or title,
        keywords=[keyword for keyword in values("subject") if len(keyword) <= 100],
        modified=datestamp,
        issued=min(dates) if dates else None,
        landing_page=links[0] if links else None,
        publisher_name=(
            values("publisher") or values("creator") or values("contributor") or [None]
        )[0],
        license_uri=license_from_hints(values("rights")),
        license_text=(values("rights") or [None])[0],
        languages=values("language")[:1],
        distributions=[
            Distribution(url=link, title=title, format=(values("format") or ["HTML"])[0])
            for link in links[:1]
        ],
    )
