"""GTFS harvester: one dataset per feed (the source URL is the feed's zip)."""

from __future__ import annotations

from ckanext.harvest.harvesters.base import HarvesterBase

from ckanext.datenraum.common.http import fetch
from ckanext.datenraum.harvest.extract.gtfs import extract_feed
from ckanext.datenraum.harvest.harvesters.base import DatenraumHarvesterMixin, make_item
from ckanext.datenraum.harvest.mapping import dataset_from_record


class DatenraumGTFSHarvester(DatenraumHarvesterMixin, HarvesterBase):
    NAME = "datenraum_gtfs"
    TITLE = "GTFS"
    DESCRIPTION = "Transit timetables as GTFS feeds: one dataset per feed"

    def collect(self, harvest_job, config, policy):
        options = config.get("mapping") or {}
        url = harvest_job.source.url
        record = extract_feed(fetch(url, policy).content, url, title=options.get("title"))
        dataset = dataset_from_record(record, default_licence=options.get("default_license"))
        yield make_item(dataset, url, config)
