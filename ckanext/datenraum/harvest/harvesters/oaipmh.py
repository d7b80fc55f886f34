"""OAI-PMH 2.0 harvester (Dublin Core or DataCite) following resumption tokens; deleted records
are withdrawn. Repositories answer an empty selection with ``noRecordsMatch``, some (Zenodo)
with HTTP 422 around it: that is an empty list, not a failure."""

from __future__ import annotations

from ckanext.harvest.harvesters.base import HarvesterBase

from ckanext.datenraum.common.http import fetch
from ckanext.datenraum.common.xml import parse_xml
from ckanext.datenraum.harvest.extract import oaipmh
from ckanext.datenraum.harvest.harvesters.base import (
    CollectFailed,
    DatenraumHarvesterMixin,
    ItemProblem,
    make_item,
)
from ckanext.datenraum.harvest.mapping import dataset_from_record

MAX_PAGES = 10000
# statuses some repositories send with an OAI-PMH <error> body (Zenodo: 422 noRecordsMatch)
OAI_ERROR_STATUSES = frozenset({400, 422})


class DatenraumOAIPMHHarvester(DatenraumHarvesterMixin, HarvesterBase):
    NAME = "datenraum_oaipmh"
    TITLE = "OAI-PMH"
    DESCRIPTION = "Repositories (DSpace, Zenodo, OPUS…) through OAI-PMH ListRecords"

    def collect(self, harvest_job, config, policy):
        options = config.get("mapping") or {}
        prefix = options.get("metadata_prefix", "oai_dc")
        default_licence = options.get("default_license")
        token, tokens_seen = None, set()
        while True:
            params = oaipmh.list_records_params(prefix, token, options.get("set"))
            answer = fetch(
                harvest_job.source.url, policy, params=params, accept_statuses=OAI_ERROR_STATUSES
            )
            page = oaipmh.parse_list_records(parse_xml(answer.content))
            for identifier, reason in page.problems:
                yield ItemProblem(identifier, reason)
            # Page by page: if a later page fails, the records read so far are still imported.
            for record in page.records:
                if not record.deleted:
                    dataset = dataset_from_record(record, default_licence=default_licence)
                    yield make_item(dataset, record.identifier, config)
            token = page.resumption_token
            if not token:
                break
            if token in tokens_seen or len(tokens_seen) >= MAX_PAGES:
                raise CollectFailed(f"resumption token {token[:80]!r} repeats; paging stopped")
            tokens_seen.add(token)
