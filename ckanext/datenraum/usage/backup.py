"""The usage capability's part of an export: its daily figures and quality scores as CSV.

Only counts are stored (decision 0300), so the export holds no personal data; the Redis buffer
of the current days and the daily salts are deliberately not exported (aggregate first).
"""

from __future__ import annotations

import pathlib

import ckan.model as ckan_model
import sqlalchemy as sa

from ckanext.datenraum.common.backup import (
    BackupOptions,
    BackupPart,
    read_table_csv,
    write_table_csv,
)
from ckanext.datenraum.usage import model

TABLES = {
    "site-days.csv": model.SiteDay,
    "dataset-days.csv": model.DatasetDay,
    "resource-days.csv": model.ResourceDay,
    "api-days.csv": model.ApiDay,
    "search-days.csv": model.SearchDay,
    "quality-scores.csv": model.QualityScore,
}


def export_figures(folder: pathlib.Path, options: BackupOptions) -> dict:
    return {
        name.removesuffix(".csv"): write_table_csv(ckan_model.Session, table, folder / name)
        for name, table in TABLES.items()
    }


def restore_figures(folder: pathlib.Path, options: BackupOptions) -> dict:
    # One transaction that replaces the tables' rows: an import run again after it was
    # interrupted (decision 0508) does not insert them twice.
    for table in TABLES.values():
        ckan_model.Session.execute(sa.delete(table.__table__))
    counts = {
        name.removesuffix(".csv"): read_table_csv(ckan_model.Session, table, folder / name)
        for name, table in TABLES.items()
    }
    ckan_model.repo.commit()
    return counts


PARTS = [BackupPart("usage", export_figures, restore_figures, order=60)]
