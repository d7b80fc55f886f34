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
    value = score(dataset_id) if _tables_migrated() else 0
    return str(min(value, 10**_WIDTH - 1)).zfill(_WIDTH)


_migrated = False


def _tables_migrated() -> bool:
    """Whether ``ckan db upgrade -p datenraum_usage`` has run (remembered once it has).

    Indexing runs inside the transaction of package_create/update: a failing query there must
    not roll that transaction back, or the dataset being saved would be lost without an error.
    """
    global _migrated
    if not _migrated:
        bind = ckan_model.Session.connection()
        _migrated = sa.inspect(bind).has_table(DatasetDay.__tablename__)
    return _migrated


def reindex(dataset_ids: set[str]) -> int:
    """Re-index datasets whose counts changed, so the sort reflects the new figures."""
    from ckan.lib.search import rebuild

    for dataset_id in sorted(dataset_ids):
        rebuild(dataset_id)
    return len(dataset_ids)
