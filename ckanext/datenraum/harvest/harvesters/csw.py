"""OGC CSW 2.0.2 harvester: GetRecords paging over ISO 19139 records (GeoNetwork, InGrid…)."""

from __future__ import annotations

from ckanext.harvest.harvesters.base import HarvesterBase

from ckanext.datenraum.common.http import fetch
from ckanext.datenraum.common.xml import parse_xml
from ckanext.datenraum.harvest.extract import csw
from ckanext.datenraum.harvest.harvesters.base import (
    CollectFailed,
    DatenraumHarvesterMixin,
    ItemProblem,
    make_item,
)
from ckanext.datenraum.harvest.mapping import dataset_from_record

DEFAULT_PAGE_SIZE = 50
MAX_PAGES = 1000


class DatenraumCSWHarvester(DatenraumHarvesterMixin, HarvesterBase):
    NAME = "datenraum_csw"
    TITLE = "CSW 2.0.2 / ISO 19139"
    DESCRIPTION = "Geoportals (GeoNetwork, InGrid) through CSW GetRecords with ISO 19139 records"

    def collect(self, harvest_job, config, policy):
        options = config.get("mapping") or {}
        page_size = int(options.get("page_size", DEFAULT_PAGE_SIZE))
        elements, start, pages = [], 1, 0
        while start is not None:
            pages += 1
            if pages > MAX_PAGES:
                raise CollectFailed(f"more than {MAX_PAGES} GetRecords pages")
            fetched = fetch(
                harvest_job.source.url, policy, params=csw.get_records_params(start, page_size)
            )
            page = csw.parse_get_records(parse_xml(fetched.content))
            elements.extend(page.records)
            start = csw.next_start(page, start)

        records, services = {}, {}
        for element in elements:
            identifier = csw.extract_identifier(element)
            try:
                record = csw.extract_record(element)
            except ValueError as error:
                yield ItemProblem(identifier, f"ISO record {identifier or '?'}: {error}")
                continue
            records[record.identifier] = record
            if csw.is_service(element):
                services[record.identifier] = csw.operates_on(element)
        csw.attach_services(records, services)
        default_licence = options.get("default_license")
        for record in records.values():
            dataset = dataset_from_record(record, default_licence=default_licence)
            yield make_item(dataset, record.identifier, config)
