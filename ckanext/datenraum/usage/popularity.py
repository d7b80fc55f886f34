"""The "popular" search sort: recent human views and downloads, indexed with each dataset.

Solr sorts on the indexed value, so a search costs nothing extra. CKAN's schema has no ``*_i``
dynamic field, only the catch-all string field, so the score is indexed zero-padded: string
order is then numeric order.
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from ckan import model as ckan_model

from ckanext.datenraum.usage import config
from ckanext.datenraum.usage.model import DatasetDay

INDEX_FIELD = "datenraum_popularity"
SORT = f"{INDEX_FIELD} desc, metadata_modified desc"
_WIDTH = 10


def score(dataset_id: str) -> int:
    since = config.today() - datetime.timedelta(days=config.popularity_days())
    total = (
        ckan_model.Session.query(
            sa.func.coalesce(sa.func.sum(DatasetDay.views_human + DatasetDay.downloads_human), 0)
        )
        .filter(DatasetDay.dataset_id == dataset_id, DatasetDay.day > since)
        .scalar()
    )
    return int(total or 0)


def index_value(dataset_id: str) -> str:
    try:
        value = score(dataset_id)
    except sa.exc.ProgrammingError:  # tables not migrated yet: index without a score
        ckan_model.Session.rollback()
        value = 0
    return str(min(value, 10**_WIDTH - 1)).zfill(_WIDTH)


def reindex(dataset_ids: set[str]) -> int:
    """Re-index datasets whose counts changed, so the sort reflects the new figures."""
    from ckan.lib.search import rebuild

    for dataset_id in sorted(dataset_ids):
        rebuild(dataset_id)
    return len(dataset_ids)
