"""OAI-PMH 2.0 ListRecords answers → :class:`Record`, with resumption tokens.

Two kinds of metadata are read: Dublin Core in any wrapper (``oai_dc``, ``nsdl_dc``, qualified
DC with ``dcterms:``) and DataCite (``oai_datacite``/``datacite``, kernel 3 and 4, with or
without namespace), where research repositories publish their richest metadata.
"""

from __future__ import annotations

import dataclasses
import re

from lxml import etree

from ckanext.datenraum.harvest.extract.licenses import licence_statements
from ckanext.datenraum.harvest.extract.record import Distribution, Record

NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
DC_NAMESPACES = (NS["dc"], NS["dcterms"])
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


class OAIError(ValueError):
    """An OAI-PMH <error> other than noRecordsMatch."""


@dataclasses.dataclass
class ListRecordsPage:
    records: list[Record]
    resumption_token: str | None
    # records the page lists that could not be read: (identifier or None, reason)
    problems: list[tuple[str | None, str]] = dataclasses.field(default_factory=list)


def list_records_params(metadata_prefix: str, token: str | None, oai_set: str | None) -> dict:
    if token:
        return {"verb": "ListRecords", "resumptionToken": token}
    params = {"verb": "ListRecords", "metadataPrefix": metadata_prefix}
    if oai_set:
        params["set"] = oai_set
    return params


def parse_list_records(root: etree._Element) -> ListRecordsPage:
    """Records of one answer; ``noRecordsMatch`` is an empty page, other errors raise; a record
    that cannot be read is a problem of the page, never the end of the harvest."""
    if etree.QName(root).localname != "OAI-PMH":
        raise ValueError("not an OAI-PMH answer")
    error = root.find("oai:error", NS)
    if error is not None:
        if error.get("code") == "noRecordsMatch":
            return ListRecordsPage(records=[], resumption_token=None)
        raise OAIError(f"{error.get('code')}: {(error.text or '').strip()[:300]}")
    list_records = root.find("oai:ListRecords", NS)
    if list_records is None:
        raise ValueError("OAI-PMH answer without ListRecords")
    page = ListRecordsPage(records=[], resumption_token=None)
    for element in list_records.iterfind("oai:record", NS):
        try:
            page.records.append(extract_record(element))
        except ValueError as problem:
            page.problems.append((_identifier(element), str(problem)))
    token_element = list_records.find("oai:resumptionToken", NS)
    token = (token_element.text or "").strip() if token_element is not None else ""
    page.resumption_token = token or None
    return page


def _identifier(element: etree._Element) -> str | None:
    text = element.findtext("oai:header/oai:identifier", namespaces=NS)
    return text.strip() if text and text.strip() else None


def extract_record(element: etree._Element) -> Record:
    header = element.find("oai:header", NS)
    if header is None:
        raise ValueError("OAI-PMH record without header")
    identifier = (header.findtext("oai:identifier", namespaces=NS) or "").strip()
    if not identifier:
        raise ValueError("OAI-PMH record without identifier")
    datestamp = (header.findtext("oai:datestamp", namespaces=NS) or "").strip() or None
    if header.get("status") == "deleted":
        return Record(identifier=identifier, title="", modified=datestamp, deleted=True)
    metadata = element.find("oai:metadata", NS)
    payload = (
        next((child for child in metadata if isinstance(child.tag, str)), None)
        if (metadata is not None)
        else None
    )
    if payload is None:
        raise ValueError(f"OAI-PMH record {identifier} has no metadata")
    datacite = _datacite_resource(payload)
    if datacite is not None:
        return _from_datacite(datacite, identifier, datestamp)
    if not any(_dc_values(payload, name) for name in ("title", "identifier", "description")):
        raise ValueError(f"OAI-PMH record {identifier}: neither Dublin Core nor DataCite metadata")
    return _from_dublin_core(payload, identifier, datestamp)


# Dublin Core ------------------------------------------------------------------------------------


def _dc_values(payload: etree._Element, *names: str) -> list[str]:
    found = []
    for element in payload.iter():
        if not isinstance(element.tag, str):
            continue
        qname = etree.QName(element)
        if qname.namespace in DC_NAMESPACES and qname.localname in names:
            value = " ".join((element.text or "").split())
            if value and value not in found:
                found.append(value)
    return found


def _from_dublin_core(dc: etree._Element, identifier: str, datestamp: str | None) -> Record:
    links = [v for v in _dc_values(dc, "identifier") if v.startswith(("http://", "https://"))]
    links += [f"https://doi.org/{v}" for v in _dc_values(dc, "identifier") if _DOI.match(v)]
    dates = [v[:10] for v in _dc_values(dc, "date", "issued", "created") if _DATE.match(v)]
    title = (_dc_values(dc, "title") or [identifier])[0]
    rights = _dc_values(dc, "rights", "license", "accessRights")
    return Record(
        identifier=identifier,
        title=title,
        description="\n\n".join(_dc_values(dc, "description", "abstract")) or title,
        keywords=_dc_values(dc, "subject"),
        types=[_type_label(value) for value in _dc_values(dc, "type")],
        modified=datestamp,
        issued=min(dates) if dates else None,
        landing_page=links[0] if links else None,
        publisher_name=(
            _dc_values(dc, "publisher")
            or _dc_values(dc, "creator")
            or _dc_values(dc, "contributor")
            or [None]
        )[0],
        licences=licence_statements(rights),
        access_restricted=any(
            value.endswith(("/closedAccess", "/restrictedAccess")) for value in rights
        ),
        languages=_dc_values(dc, "language")[:1],
        distributions=[
            Distribution(url=link, title=title, format=(_dc_values(dc, "format") or ["HTML"])[0])
            for link in links[:1]
        ],
    )


def _type_label(value: str) -> str:
    """``info:eu-repo/semantics/article`` → ``article``; DCMI type URIs → their name."""
    return re.split(r"[/#:]", value.rstrip("/"))[-1]


# DataCite ---------------------------------------------------------------------------------------


def _local(element: etree._Element, name: str) -> list[etree._Element]:
    return [
        child
        for child in element.iter()
        if isinstance(child.tag, str) and etree.QName(child).localname == name
    ]


def _datacite_resource(payload: etree._Element) -> etree._Element | None:
    """The DataCite ``resource`` of a ``datacite`` or ``oai_datacite`` payload, if it is one."""
    if etree.QName(payload).localname == "resource":
        return payload
    if etree.QName(payload).localname == "oai_datacite":
        resources = _local(payload, "resource")
        return resources[0] if resources else None
    return None


def _texts(element: etree._Element, name: str) -> list[str]:
    values = []
    for child in _local(element, name):
        value = " ".join((child.text or "").split())
        if value and value not in values:
            values.append(value)
    return values


def _from_datacite(resource: etree._Element, identifier: str, datestamp: str | None) -> Record:
    doi = next(
        (
            " ".join((element.text or "").split())
            for element in _local(resource, "identifier")
            if (element.get("identifierType") or "").upper() == "DOI" and element.text
        ),
        None,
    )
    landing = f"https://doi.org/{doi}" if doi else None
    title = (_texts(resource, "title") or [identifier])[0]
    dates = {
        (element.get("dateType") or "").lower(): (element.text or "").strip()
        for element in _local(resource, "date")
    }
    year = (_texts(resource, "publicationYear") or [None])[0]
    rights = []
    for element in _local(resource, "rights"):
        rights += [element.get("rightsURI") or "", element.get("rightsIdentifier") or ""]
        rights.append(" ".join((element.text or "").split()))
    descriptions = [
        value
        for element in _local(resource, "description")
        if (value := " ".join((element.text or "").split())) and value.lower() != "n/a"
    ]
    return Record(
        identifier=identifier,
        title=title,
        description="\n\n".join(descriptions) or title,
        keywords=_texts(resource, "subject"),
        types=[
            element.get("resourceTypeGeneral") or "" for element in _local(resource, "resourceType")
        ],
        modified=dates.get("updated") or datestamp,
        issued=dates.get("issued") or dates.get("available") or year,
        landing_page=landing,
        publisher_name=(_texts(resource, "publisher") or _texts(resource, "creatorName") or [None])[
            0
        ],
        licences=licence_statements(rights),
        access_restricted=any(
            value.endswith(("/closedAccess", "/restrictedAccess")) for value in rights
        ),
        languages=_texts(resource, "language")[:1],
        distributions=[Distribution(url=landing, title=title, format="HTML")] if landing else [],
    )
