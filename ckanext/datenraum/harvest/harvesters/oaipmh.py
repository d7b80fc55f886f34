"""OAI-PMH 2.0 harvester (oai_dc) following resumption tokens; deleted records are withdrawn."""

from __future__ import annotations

from ckanext.harvest.harvesters.base import HarvesterBase

from ckanext.datenraum.common.http import fetch
from ckanext.datenraum.common.xml import parse_xml
from ckanext.datenraum.harvest.extract import oaipmh
from ckanext.datenraum.harvest.harvesters.base import (
    CollectFailed,
    DatenraumHarvesterMixin,
    make_item,
)
from ckanext.datenraum.harvest.mapping import dataset_from_record

MAX_PAGES = 10000


class DatenraumOAIPMHHarvester(DatenraumHarvesterMixin, HarvesterBase):
    NAME = "datenraum_oaipmh"
    TITLE = "OAI-PMH"
    DESCRIPTION = "Repositories (DSpace, OPUS…) through OAI-PMH ListRecords in oai_dc"

    def collect(self, harvest_job, config, policy):
        options = config.get("mapping") or {}
        prefix = options.get("metadata_prefix", "oai_dc")
        records, token, tokens_seen = [], None, set()
        while True:
            params = oaipmh.list_records_params(prefix, token, options.get("set"))
            page = oaipmh.parse_list_records(
                parse_xml(fetch(harvest_job.source.url, policy, params=params).content)
            )
            records.extend(page.records)
            token = page.resumption_token
            if not token:
                break
            if token in tokens_seen or len(tokens_seen) >= MAX_PAGES:
                raise CollectFailed(f"resumption token {token!r} repeats; paging stopped")
            tokens_seen.add(token)
        default_license = options.get("default_license")
        for record in records:
            if record.deleted:
                continue
            record.license_uri = record.license_uri or default_license
            yield make_item(dataset_from_record(record), record.identifier, config)
