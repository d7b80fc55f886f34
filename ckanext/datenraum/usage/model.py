"""Aggregated usage figures (one row per day and subject) and metadata quality scores.

Only counts live here: no address, agent, pseudonym or session of any kind.
"""

from __future__ import annotations

import sqlalchemy as sa
from ckan.plugins import toolkit as tk


def _count() -> sa.Column:
    return sa.Column(sa.Integer, nullable=False, default=0)


class SiteDay(tk.BaseModel):
    __tablename__ = "datenraum_usage_site_day"
    day = sa.Column(sa.Date, primary_key=True)
    views_human = _count()
    views_machine = _count()
    downloads_human = _count()
    downloads_machine = _count()
    api_calls = _count()
    searches_human = _count()
    searches_machine = _count()
    visitors = _count()
    opted_out = _count()


class DatasetDay(tk.BaseModel):
    __tablename__ = "datenraum_usage_dataset_day"
    day = sa.Column(sa.Date, primary_key=True)
    dataset_id = sa.Column(sa.UnicodeText, primary_key=True)
    organization_id = sa.Column(sa.UnicodeText, index=True)
    harvest_source_id = sa.Column(sa.UnicodeText)
    views_human = _count()
    views_machine = _count()
    downloads_human = _count()
    downloads_machine = _count()
    visitors = _count()


class ResourceDay(tk.BaseModel):
    __tablename__ = "datenraum_usage_resource_day"
    day = sa.Column(sa.Date, primary_key=True)
    resource_id = sa.Column(sa.UnicodeText, primary_key=True)
    dataset_id = sa.Column(sa.UnicodeText)
    organization_id = sa.Column(sa.UnicodeText, index=True)
    downloads_human = _count()
    downloads_machine = _count()


class ApiDay(tk.BaseModel):
    __tablename__ = "datenraum_usage_api_day"
    day = sa.Column(sa.Date, primary_key=True)
    action = sa.Column(sa.UnicodeText, primary_key=True)
    calls = _count()


class SearchDay(tk.BaseModel):
    __tablename__ = "datenraum_usage_search_day"
    day = sa.Column(sa.Date, primary_key=True)
    term = sa.Column(sa.UnicodeText, primary_key=True)
    filters = sa.Column(sa.UnicodeText, primary_key=True)
    searches_human = _count()
    searches_machine = _count()
    zero_results = _count()
    # Distinct daily pseudonyms of the searching people's networks: what the public k counts.
    visitors = _count()


class QualityScore(tk.BaseModel):
    __tablename__ = "datenraum_usage_quality"
    dataset_id = sa.Column(sa.UnicodeText, primary_key=True)
    organization_id = sa.Column(sa.UnicodeText, index=True)
    scored_at = sa.Column(sa.DateTime, nullable=False)
    total = _count()
    findability = _count()
    accessibility = _count()
    interoperability = _count()
    reusability = _count()
    contextuality = _count()
    details = sa.Column(sa.UnicodeText, nullable=False, default="{}")


DAY_TABLES = (SiteDay, DatasetDay, ResourceDay, ApiDay, SearchDay)
