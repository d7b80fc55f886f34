"""CSW 2.0.2 GetRecords pages and ISO 19139 records → :class:`Record`.

Mapping decisions (docs/decisions/0201-iso19139-to-dcat-ap-de.md): dateStamp becomes
``modified``; service records (WMS/WFS/Atom…) become access-service distributions of the
dataset they operate on, or a dataset of their own when that dataset is not in the catalogue;
the licence comes from the GDI-DE JSON or a licence URL in the constraints, else the source's
default.
"""

from __future__ import annotations

import dataclasses

from lxml import etree

from ckanext.datenraum.harvest.extract import services
from ckanext.datenraum.harvest.extract.licenses import licence_statements
from ckanext.datenraum.harvest.extract.record import Distribution, Record

NS = {
    "csw": "http://www.opengis.net/cat/csw/2.0.2",
    "gmd": "http://www.isotc211.org/2005/gmd",
    "gco": "http://www.isotc211.org/2005/gco",
    "gmx": "http://www.isotc211.org/2005/gmx",
    "srv": "http://www.isotc211.org/2005/srv",
    "gml": "http://www.opengis.net/gml/3.2",
    "gml31": "http://www.opengis.net/gml",
    "xlink": "http://www.w3.org/1999/xlink",
    "ows": "http://www.opengis.net/ows",
}
ISO_OUTPUT_SCHEMA = NS["gmd"]
# ISO 19115 MD_TopicCategoryCode → German label, a keyword for records that have none.
TOPIC_CATEGORIES = {
    "farming": "Landwirtschaft",
    "biota": "Biologie",
    "boundaries": "Grenzen",
    "climatologyMeteorologyAtmosphere": "Klima und Atmosphäre",
    "economy": "Wirtschaft",
    "elevation": "Höhe",
    "environment": "Umwelt",
    "geoscientificInformation": "Geowissenschaften",
    "health": "Gesundheit",
    "imageryBaseMapsEarthCover": "Luftbilder und Karten",
    "intelligenceMilitary": "Militär",
    "inlandWaters": "Binnengewässer",
    "location": "Ortsangaben",
    "oceans": "Meere",
    "planningCadastre": "Planung und Kataster",
    "society": "Gesellschaft",
    "structure": "Bauwerke",
    "transportation": "Verkehr",
    "utilitiesCommunication": "Ver- und Entsorgung",
}
# accessConstraints codes under which data is not open to everyone
RESTRICTED_CODES = {"restricted", "confidential", "secret", "topSecret", "private", "sensitive"}


@dataclasses.dataclass
class GetRecordsPage:
    records: list[etree._Element]
    matched: int
    returned: int
    next_record: int  # 0: no further page


class CSWException(ValueError):
    """The server answered with an ows:ExceptionReport."""


def get_records_params(start: int, page_size: int) -> dict:
    """KVP parameters of a GetRecords request for full ISO 19139 records."""
    return {
        "service": "CSW",
        "version": "2.0.2",
        "request": "GetRecords",
        "typeNames": "gmd:MD_Metadata",
        "namespace": f"xmlns(gmd={NS['gmd']})",
        "resultType": "results",
        "elementSetName": "full",
        "outputSchema": ISO_OUTPUT_SCHEMA,
        "startPosition": str(start),
        "maxRecords": str(page_size),
    }


def parse_get_records(root: etree._Element) -> GetRecordsPage:
    """One GetRecords answer; servers that omit nextRecord are treated as 'no more pages'."""
    if etree.QName(root).localname == "ExceptionReport":
        raise CSWException(" ".join(root.itertext()).strip()[:300] or "CSW exception")
    results = root.find("csw:SearchResults", NS)
    if results is None:
        raise ValueError("not a CSW GetRecords answer (no csw:SearchResults)")
    records = results.findall("gmd:MD_Metadata", NS)
    return GetRecordsPage(
        records=records,
        matched=_int(results.get("numberOfRecordsMatched"), len(records)),
        returned=_int(results.get("numberOfRecordsReturned"), len(records)),
        next_record=_int(results.get("nextRecord"), 0),
    )


def next_start(page: GetRecordsPage, start: int) -> int | None:
    """Where the next page starts, or None; refuses to go backwards (endless paging)."""
    if not page.records or page.next_record <= start or page.next_record > page.matched:
        return None
    return page.next_record


def extract_identifier(md: etree._Element) -> str | None:
    return _text(md, "gmd:fileIdentifier/gco:CharacterString")


def is_service(md: etree._Element) -> bool:
    scope = md.find("gmd:hierarchyLevel/gmd:MD_ScopeCode", NS)
    return scope is not None and scope.get("codeListValue") == "service"


def extract_record(md: etree._Element) -> Record:
    """One ISO 19139 MD_Metadata as a :class:`Record`."""
    identification = md.find("gmd:identificationInfo/*", NS)
    if identification is None:
        raise ValueError("ISO record without identificationInfo")
    identifier = extract_identifier(md)
    if not identifier:
        raise ValueError("ISO record without fileIdentifier")
    title = _text(identification, "gmd:citation/gmd:CI_Citation/gmd:title/*")
    if not title:
        raise ValueError(f"ISO record {identifier} without title")
    contact = identification.find("gmd:pointOfContact/gmd:CI_ResponsibleParty", NS)
    if contact is None:
        contact = md.find("gmd:contact/gmd:CI_ResponsibleParty", NS)
    start, end = extract_temporal_extent(identification)
    record = Record(
        identifier=identifier,
        title=title,
        description=_text(identification, "gmd:abstract/*") or title,
        keywords=extract_keywords(identification),
        modified=extract_date_stamp(md),
        issued=extract_citation_date(identification, "publication")
        or extract_citation_date(identification, "creation"),
        publisher_name=_text(contact, "gmd:organisationName/*") if contact is not None else None,
        contact_name=(
            _text(contact, "gmd:organisationName/*") or _text(contact, "gmd:individualName/*")
        )
        if contact is not None
        else None,
        contact_email=_text(
            contact,
            "gmd:contactInfo/gmd:CI_Contact/gmd:address/gmd:CI_Address/gmd:electronicMailAddress/*",
        )
        if contact is not None
        else None,
        contact_url=_text(
            contact, "gmd:contactInfo/gmd:CI_Contact/gmd:onlineResource//gmd:linkage/gmd:URL"
        )
        if contact is not None
        else None,
        licences=licence_statements(extract_constraint_hints(identification)),
        access_restricted=extract_access_restricted(identification),
        topic_categories=extract_topic_categories(identification),
        temporal_start=start,
        temporal_end=end,
        bbox=extract_bbox(identification),
        languages=extract_languages(md, identification),
        distributions=extract_distributions(md),
    )
    if is_service(md):
        service_type = extract_service_type(md)
        record.service_type = service_type
        for distribution in record.distributions:
            if distribution.format == "HTML":  # a page about the service, not its endpoint
                continue
            distribution.service_type = distribution.service_type or service_type
            distribution.service_title = record.title
    return record


def operates_on(md: etree._Element) -> list[str]:
    """fileIdentifiers (uuidref) of the datasets a service record serves."""
    refs = []
    for element in md.iterfind(".//srv:operatesOn", NS):
        ref = element.get("uuidref", "")
        refs.append(ref.rstrip("/").rsplit("/", 1)[-1] if "/" in ref else ref)
    return [ref for ref in refs if ref]


def extract_service_type(md: etree._Element) -> str:
    """WMS/WFS/ATOM… from srv:serviceType, the version or the endpoint URLs."""
    hints = [
        _text(md, ".//srv:serviceType/gco:LocalName") or "",
        *[(element.text or "") for element in md.iterfind(".//srv:serviceTypeVersion/*", NS)],
        *[(element.text or "") for element in md.iterfind(".//gmd:linkage/gmd:URL", NS)],
    ]
    for hint in hints:
        found = services.service_type_of(hint)
        if found:
            return found
    local = (_text(md, ".//srv:serviceType/gco:LocalName") or "").lower()
    return {"view": "WMS", "download": "ATOM", "discovery": "CSW"}.get(local, "")


def extract_date_stamp(md: etree._Element) -> str | None:
    value = _text(md, "gmd:dateStamp/gco:DateTime") or _text(md, "gmd:dateStamp/gco:Date")
    return value.strip() if value else None


def extract_citation_date(identification: etree._Element, kind: str) -> str | None:
    for date in identification.iterfind("gmd:citation/gmd:CI_Citation/gmd:date/gmd:CI_Date", NS):
        code = date.find("gmd:dateType/gmd:CI_DateTypeCode", NS)
        if code is not None and code.get("codeListValue") == kind:
            return _text(date, "gmd:date/gco:Date") or _text(date, "gmd:date/gco:DateTime")
    return None


def extract_keywords(identification: etree._Element) -> list[str]:
    keywords = []
    for element in identification.iterfind(
        "gmd:descriptiveKeywords/gmd:MD_Keywords/gmd:keyword/*", NS
    ):
        text = (element.text or "").strip()
        if text and text not in keywords:
            keywords.append(text)
    return keywords


def extract_constraint_hints(identification: etree._Element) -> list[str]:
    hints = []
    for constraints in identification.iterfind("gmd:resourceConstraints/*", NS):
        for element in [
            *constraints.iterfind("gmd:otherConstraints/*", NS),
            *constraints.iterfind("gmd:useLimitation/*", NS),
        ]:
            if element.text:
                hints.append(element.text)
            href = element.get(f"{{{NS['xlink']}}}href")
            if href:
                hints.append(href)
    return hints


def extract_access_restricted(identification: etree._Element) -> bool:
    """True when an access constraint restricts who may use the data."""
    for code in identification.iterfind(
        "gmd:resourceConstraints/*/gmd:accessConstraints/gmd:MD_RestrictionCode", NS
    ):
        if code.get("codeListValue") in RESTRICTED_CODES:
            return True
    return False


def extract_topic_categories(identification: etree._Element) -> list[str]:
    return [
        TOPIC_CATEGORIES.get((element.text or "").strip(), (element.text or "").strip())
        for element in identification.iterfind("gmd:topicCategory/gmd:MD_TopicCategoryCode", NS)
        if (element.text or "").strip()
    ]


def extract_bbox(identification: etree._Element) -> tuple[float, float, float, float] | None:
    box = identification.find(".//gmd:EX_GeographicBoundingBox", NS)
    if box is None:
        return None
    try:
        west, east, south, north = (
            float(_text(box, f"gmd:{side}/gco:Decimal"))
            for side in (
                "westBoundLongitude",
                "eastBoundLongitude",
                "southBoundLatitude",
                "northBoundLatitude",
            )
        )
    except (TypeError, ValueError):
        return None
    return (west, south, east, north)


def extract_temporal_extent(identification: etree._Element) -> tuple[str | None, str | None]:
    extent = identification.find(".//gmd:EX_TemporalExtent/gmd:extent", NS)
    if extent is None:
        return None, None
    begin = extent.find(".//{*}beginPosition")
    end = extent.find(".//{*}endPosition")
    return (
        (begin.text or "").strip() or None if begin is not None else None,
        (end.text or "").strip() or None if end is not None else None,
    )


def extract_languages(md: etree._Element, identification: etree._Element) -> list[str]:
    codes = []
    for element in [
        *identification.iterfind("gmd:language/gmd:LanguageCode", NS),
        *md.iterfind("gmd:language/gmd:LanguageCode", NS),
    ]:
        code = element.get("codeListValue")
        if code and code not in codes:
            codes.append(code)
    return codes[:1]


def extract_distributions(md: etree._Element) -> list[Distribution]:
    """Online resources of the distribution section: one distribution per service (its operation
    and capabilities links merged, an "information" page kept as its documentation), a
    distribution per download (a WFS GetFeature request is one, with its query) and per page."""
    links = []
    for resource in md.iterfind(
        "gmd:distributionInfo//gmd:transferOptions//gmd:CI_OnlineResource", NS
    ):
        url = (_text(resource, "gmd:linkage/gmd:URL") or "").strip()
        if url:
            function = resource.find("gmd:function/gmd:CI_OnLineFunctionCode", NS)
            links.append(
                (url, resource, function.get("codeListValue") if function is not None else "")
            )
    distributions: list[Distribution] = []
    by_service: dict[tuple[str, str], Distribution] = {}
    pages: list[tuple[str, str, str, str]] = []  # information links: (kind, url, title, text)
    seen: set[str] = set()
    for url, resource, function in links:
        if url in seen:
            continue
        seen.add(url)
        protocol = _text(resource, "gmd:protocol/*") or ""
        kind = services.service_type_of(protocol) or services.service_type_of(url)
        title = _text(resource, "gmd:name/*") or _text(resource, "gmd:description/*") or ""
        description = _text(resource, "gmd:description/*") or ""
        page = url.split("?", 1)[0].lower().endswith((".html", ".htm"))
        if (function == "information" or page) and not services.operation(url):
            pages.append((kind, url, title, description))
            continue
        if kind and services.operation(url) not in services.DATA_OPERATIONS:
            key = (kind, services.endpoint(url))
            listed = by_service.get(key)
            if listed is None:
                listed = Distribution(
                    url=url, title=title, description=description, format=kind, service_type=kind
                )
                by_service[key] = listed
                distributions.append(listed)
            elif services.operation(url) == "getcapabilities":
                listed.url = url  # the capabilities request names the service best
            continue
        distributions.append(
            Distribution(
                url=url,
                title=title,
                description=description,
                format="GML" if kind == "WFS" else _format_of(md),
                download=function == "download" or bool(kind),
            )
        )
    for kind, url, title, description in pages:
        service = next(
            (d for d in by_service.values() if d.service_type == kind and not d.documentation),
            None,
        )
        if service is not None:
            service.documentation = url  # the service's documentation, kept as its page
        else:
            distributions.append(
                Distribution(url=url, title=title, description=description, format="HTML")
            )
    return distributions


def attach_services(records: dict[str, Record], services: dict[str, list[str]]) -> None:
    """Move service records into the datasets they operate on (when those are harvested)."""
    for service_id, dataset_ids in services.items():
        service = records.get(service_id)
        targets = [records[ref] for ref in dataset_ids if ref in records and ref != service_id]
        if service is None or not targets:
            continue
        for target in targets:
            known = {distribution.url: distribution for distribution in target.distributions}
            for distribution in service.distributions:
                listed = known.get(distribution.url)
                if listed is None:
                    target.distributions.append(
                        dataclasses.replace(distribution, title=distribution.title or service.title)
                    )
                elif not listed.service_title:  # the dataset links the service: name it
                    listed.service_type = listed.service_type or distribution.service_type
                    listed.service_title = distribution.service_title
            if not any(d.service_type for d in service.distributions):
                _name_linked_service(target, service)
        del records[service_id]


def _name_linked_service(target: Record, service: Record) -> None:
    """A service record without links of its own still names the dataset's first unnamed link
    to a service of its type (the dataset record lists the endpoint, the service record the
    service's title)."""
    if not service.service_type:
        return
    for distribution in target.distributions:
        if distribution.service_type == service.service_type and not distribution.service_title:
            distribution.service_title = service.title
            return


def _format_of(md: etree._Element) -> str:
    return (_text(md, "gmd:distributionInfo//gmd:distributionFormat//gmd:name/*") or "").strip()


def _text(element: etree._Element | None, path: str) -> str | None:
    if element is None:
        return None
    found = element.find(path, NS)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
