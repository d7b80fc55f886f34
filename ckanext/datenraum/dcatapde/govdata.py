"""The GovData feed: the catalogue as GovData should harvest it, so nothing arrives there twice.

Left out: private datasets, datasets without distributions and, if configured, datasets we
harvested from partners that deliver to GovData themselves (by harvest source name or id).
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

HARVEST_SOURCE_ID = "datenraum_harvest_source_id"
HARVEST_SOURCE_NAME = "datenraum_harvest_source_name"


def feed_filters() -> list[str]:
    """Solr filter queries of the feed, from the configuration at call time."""
    filters = ["capacity:public", "num_resources:[1 TO *]"]
    for source in tk.config.get("ckanext.datenraum.dcatapde.govdata.exclude_harvest_sources"):
        value = _solr_escape(source)
        filters.append(f'-{HARVEST_SOURCE_ID}:"{value}" -{HARVEST_SOURCE_NAME}:"{value}"')
    return filters


def add_harvest_source(pkg_dict: dict) -> dict:
    """Index the harvest source (id and name) of a harvested dataset, for the feed's filter."""
    try:
        from ckanext.harvest.model import HarvestObject, HarvestSource
    except ImportError:  # harvesting not installed: nothing was harvested
        return pkg_dict
    row = (
        model.Session.query(HarvestSource.id, model.Package.name)
        .join(HarvestObject, HarvestObject.harvest_source_id == HarvestSource.id)
        .outerjoin(model.Package, model.Package.id == HarvestSource.id)
        .filter(HarvestObject.package_id == pkg_dict["id"], HarvestObject.current.is_(True))
        .first()
    )
    if row is not None:
        pkg_dict[HARVEST_SOURCE_ID], pkg_dict[HARVEST_SOURCE_NAME] = row
    return pkg_dict


def _solr_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
