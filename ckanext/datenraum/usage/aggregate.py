"""``ckan datenraum usage aggregate``: buffered events -> daily rows in PostgreSQL.

A day is always recomputed from its whole buffer, so running the job any number of times gives
the same rows, and distinct-visitor counts stay exact. After that, buffers and salts of past days
beyond the retention period are destroyed.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable

import sqlalchemy as sa
from ckan import model as ckan_model

from ckanext.datenraum.usage import buffer, clients, config, privacy
from ckanext.datenraum.usage import model as usage_model

HUMAN, MACHINE = clients.HUMAN, clients.MACHINE


@dataclasses.dataclass
class DayTally:
    """Counts of one day's events, keyed by the references the requests used."""

    events: int = 0
    site: Counter = dataclasses.field(default_factory=Counter)
    site_visitors: set = dataclasses.field(default_factory=set)
    views: Counter = dataclasses.field(default_factory=Counter)  # (dataset_ref, client)
    downloads: Counter = dataclasses.field(default_factory=Counter)  # (resource_id, client)
    download_datasets: dict = dataclasses.field(default_factory=dict)  # resource_id -> ref
    dataset_visitors: defaultdict = dataclasses.field(default_factory=lambda: defaultdict(set))
    api: Counter = dataclasses.field(default_factory=Counter)
    searches: Counter = dataclasses.field(default_factory=Counter)  # (term, filters, client)
    zero_results: Counter = dataclasses.field(default_factory=Counter)  # (term, filters)
    # (term, filters) -> network pseudonyms of the people who searched it
    searchers: defaultdict = dataclasses.field(default_factory=lambda: defaultdict(set))


def _count_visitor(tally: DayTally, visitor: str, dataset_ref: str | None) -> None:
    if visitor == "-":
        tally.site["opted_out"] += 1
    elif visitor:
        tally.site_visitors.add(visitor)
        if dataset_ref is not None:
            tally.dataset_visitors[dataset_ref].add(visitor)


def tally_events(events: Iterable[list]) -> DayTally:
    """Pure counting of decoded events; unknown kinds are ignored."""
    tally = DayTally()
    for event in events:
        kind, client, visitor = event[0], event[1], event[2]
        client = MACHINE if client == MACHINE else HUMAN
        tally.events += 1
        if kind == buffer.VIEW:
            ref = str(event[3])
            tally.views[ref, client] += 1
            tally.site[f"views_{_word(client)}"] += 1
            _count_visitor(tally, visitor, ref)
        elif kind == buffer.DOWNLOAD and len(event) >= 5:
            ref, resource_id = str(event[3]), str(event[4])
            tally.downloads[resource_id, client] += 1
            tally.download_datasets.setdefault(resource_id, ref)
            tally.site[f"downloads_{_word(client)}"] += 1
            _count_visitor(tally, visitor, ref)
        elif kind == buffer.API:
            tally.api[str(event[3])] += 1
            tally.site["api_calls"] += 1
        elif kind == buffer.SEARCH and len(event) >= 6:
            term, filters = str(event[3]), str(event[4])
            tally.searches[term, filters, client] += 1
            if not event[5]:
                tally.zero_results[term, filters] += 1
            if len(event) >= 7 and event[6]:
                tally.searchers[term, filters].add(str(event[6]))
            tally.site[f"searches_{_word(client)}"] += 1
            _count_visitor(tally, visitor, None)
    return tally


def _word(client: str) -> str:
    return "machine" if client == MACHINE else "human"


@dataclasses.dataclass(frozen=True)
class DatasetInfo:
    id: str
    organization_id: str | None
    harvest_source_id: str | None


def resolve_datasets(refs: set[str]) -> dict[str, DatasetInfo]:
    """Map dataset ids or names (as requested) to the dataset, its organisation and source."""
    if not refs:
        return {}
    package = ckan_model.Package
    rows = (
        ckan_model.Session.query(package.id, package.name, package.owner_org)
        .filter(sa.or_(package.id.in_(refs), package.name.in_(refs)))
        .all()
    )
    sources = _harvest_sources({row.id for row in rows})
    resolved = {}
    for row in rows:
        info = DatasetInfo(row.id, row.owner_org, sources.get(row.id))
        resolved[row.id] = resolved[row.name] = info
    return {ref: info for ref, info in resolved.items() if ref in refs}


def _harvest_sources(dataset_ids: set[str]) -> dict[str, str]:
    if not dataset_ids or not sa.inspect(ckan_model.meta.engine).has_table("harvest_object"):
        return {}
    rows = ckan_model.Session.execute(
        sa.text(
            "SELECT package_id, harvest_source_id FROM harvest_object "
            "WHERE current AND package_id = ANY(:ids)"
        ),
        {"ids": list(dataset_ids)},
    )
    return dict(rows.all())


def _resource_datasets(resource_ids: set[str]) -> dict[str, str]:
    if not resource_ids:
        return {}
    resource = ckan_model.Resource
    rows = ckan_model.Session.query(resource.id, resource.package_id).filter(
        resource.id.in_(resource_ids)
    )
    return dict(rows.all())


def day_rows(day: datetime.date, tally: DayTally) -> dict[type, list[dict]]:
    """The rows of every day table for ``tally``, with references resolved to ids."""
    resource_owner = _resource_datasets({resource_id for resource_id, _ in tally.downloads})
    refs = {ref for ref, _ in tally.views} | set(resource_owner.values())
    refs |= set(tally.dataset_visitors)
    datasets = resolve_datasets(refs)

    per_dataset: dict[str, Counter] = defaultdict(Counter)
    visitors: dict[str, set] = defaultdict(set)
    for (ref, client), count in tally.views.items():
        if ref in datasets:
            per_dataset[datasets[ref].id][f"views_{_word(client)}"] += count
    resource_rows = []
    for (resource_id, client), count in tally.downloads.items():
        info = datasets.get(resource_owner.get(resource_id, ""))
        if info is None:
            continue
        per_dataset[info.id][f"downloads_{_word(client)}"] += count
        resource_rows.append((resource_id, info, client, count))
    for ref, seen in tally.dataset_visitors.items():
        if ref in datasets:
            visitors[datasets[ref].id] |= seen
    by_id = {info.id: info for info in datasets.values()}

    resources: dict[str, dict] = {}
    for resource_id, info, client, count in resource_rows:
        row = resources.setdefault(
            resource_id,
            {
                "day": day,
                "resource_id": resource_id,
                "dataset_id": info.id,
                "organization_id": info.organization_id,
                "downloads_human": 0,
                "downloads_machine": 0,
            },
        )
        row[f"downloads_{_word(client)}"] += count

    return {
        usage_model.SiteDay: [
            {
                "day": day,
                **{column: tally.site.get(column, 0) for column in _SITE_COUNTS},
                "visitors": len(tally.site_visitors),
            }
        ],
        usage_model.DatasetDay: [
            {
                "day": day,
                "dataset_id": dataset_id,
                "organization_id": by_id[dataset_id].organization_id,
                "harvest_source_id": by_id[dataset_id].harvest_source_id,
                **{column: counts.get(column, 0) for column in _DATASET_COUNTS},
                "visitors": len(visitors.get(dataset_id, ())),
            }
            for dataset_id, counts in per_dataset.items()
        ],
        usage_model.ResourceDay: list(resources.values()),
        usage_model.ApiDay: [
            {"day": day, "action": action, "calls": calls} for action, calls in tally.api.items()
        ],
        usage_model.SearchDay: _search_rows(day, tally),
    }


_SITE_COUNTS = (
    "views_human",
    "views_machine",
    "downloads_human",
    "downloads_machine",
    "api_calls",
    "searches_human",
    "searches_machine",
    "opted_out",
)
_DATASET_COUNTS = ("views_human", "views_machine", "downloads_human", "downloads_machine")


def _search_rows(day: datetime.date, tally: DayTally) -> list[dict]:
    rows: dict[tuple, dict] = {}
    for (term, filters, client), count in tally.searches.items():
        row = rows.setdefault(
            (term, filters),
            {
                "day": day,
                "term": term,
                "filters": filters,
                "searches_human": 0,
                "searches_machine": 0,
                "zero_results": tally.zero_results.get((term, filters), 0),
                "visitors": len(tally.searchers.get((term, filters), ())),
            },
        )
        row[f"searches_{_word(client)}"] += count
    return list(rows.values())


def store_day(day: datetime.date, rows: dict[type, list[dict]]) -> None:
    """Replace ``day``'s rows in one transaction."""
    session = ckan_model.Session
    try:
        for table in usage_model.DAY_TABLES:
            session.query(table).filter(table.day == day).delete(synchronize_session=False)
            if rows.get(table):
                session.execute(sa.insert(table.__table__), rows[table])
        session.commit()
    except Exception:
        session.rollback()
        raise


@dataclasses.dataclass
class AggregationReport:
    days: list[datetime.date]
    events: int
    dropped_buffers: list[datetime.date]
    destroyed_salts: int
    changed_datasets: set[str]


def aggregate_day(redis, day: datetime.date) -> tuple[int, set[str]]:
    """Recompute ``day`` from its buffer; returns the event count and the datasets it touched."""
    tally = tally_events(buffer.read_events(redis, day))
    rows = day_rows(day, tally)
    store_day(day, rows)
    return tally.events, {row["dataset_id"] for row in rows[usage_model.DatasetDay]}


def aggregate(redis) -> AggregationReport:
    """Aggregate every buffered day, then destroy expired buffers and past salts."""
    today = config.today()
    days = buffer.buffered_days(redis)
    events = 0
    changed: set[str] = set()
    for day in days:
        day_events, day_changed = aggregate_day(redis, day)
        events += day_events
        changed |= day_changed
    return AggregationReport(
        days=days,
        events=events,
        dropped_buffers=buffer.drop_expired(redis, today),
        destroyed_salts=privacy.destroy_salts_before(redis, today),
        changed_datasets=changed,
    )
