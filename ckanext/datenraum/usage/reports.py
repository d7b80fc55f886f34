"""Dashboard figures from the daily tables: one report shape for every audience.

Scopes: ``site`` (sysadmins, everything), ``organization`` (its admins, its datasets) and
``public`` (everyone: public datasets only, every figure below k suppressed).
"""

from __future__ import annotations

import dataclasses
import datetime

import sqlalchemy as sa
from ckan import model as ckan_model

from ckanext.datenraum.usage import config, organization_terms, personal_data, public_terms
from ckanext.datenraum.usage.model import (
    ApiDay,
    DatasetDay,
    QualityScore,
    ResourceDay,
    SearchDay,
    SiteDay,
)

SITE, ORGANIZATION, PUBLIC = "site", "organization", "public"
SCOPES = (SITE, ORGANIZATION, PUBLIC)


@dataclasses.dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def last_days(cls, days: int, end: datetime.date | None = None) -> Period:
        end = end or config.today()
        return cls(end - datetime.timedelta(days=days - 1), end)

    def days(self) -> list[datetime.date]:
        count = (self.end - self.start).days + 1
        return [self.start + datetime.timedelta(days=offset) for offset in range(count)]


def _session():
    return ckan_model.Session


def _in_period(column, period: Period):
    return column.between(period.start, period.end)


def _dataset_filter(query, scope: str, organization_id: str | None):
    package = ckan_model.Package
    query = query.join(package, package.id == DatasetDay.dataset_id)
    query = query.filter(package.state == "active")
    if scope == ORGANIZATION:
        query = query.filter(DatasetDay.organization_id == organization_id)
    if scope == PUBLIC:
        query = query.filter(package.private.is_(False))
    return query


def _series(scope: str, period: Period, organization_id: str | None) -> list[dict]:
    if scope == ORGANIZATION:
        rows = (
            _dataset_filter(
                _session().query(
                    DatasetDay.day,
                    sa.func.sum(DatasetDay.views_human + DatasetDay.views_machine),
                    sa.func.sum(DatasetDay.downloads_human + DatasetDay.downloads_machine),
                    sa.func.sum(DatasetDay.views_human + DatasetDay.downloads_human),
                    sa.func.sum(DatasetDay.views_machine + DatasetDay.downloads_machine),
                ),
                scope,
                organization_id,
            )
            .filter(_in_period(DatasetDay.day, period))
            .group_by(DatasetDay.day)
        )
        by_day = {
            day: {
                "views": v,
                "downloads": d,
                "api_calls": None,
                "visitors": None,
                "human": h,
                "machine": m,
            }
            for day, v, d, h, m in rows
        }
    else:
        rows = _session().query(SiteDay).filter(_in_period(SiteDay.day, period))
        by_day = {
            row.day: {
                "views": row.views_human + row.views_machine,
                "downloads": row.downloads_human + row.downloads_machine,
                "api_calls": row.api_calls,
                "visitors": row.visitors,
                "human": row.views_human + row.downloads_human + row.searches_human,
                "machine": row.views_machine
                + row.downloads_machine
                + row.searches_machine
                + row.api_calls,
            }
            for row in rows
        }
    empty = {"views": 0, "downloads": 0, "api_calls": 0, "visitors": 0, "human": 0, "machine": 0}
    if scope == ORGANIZATION:
        empty.update(api_calls=None, visitors=None)
    return [
        {
            "day": day.isoformat(),
            **{key: int_or_none(value) for key, value in by_day.get(day, empty).items()},
        }
        for day in period.days()
    ]


def int_or_none(value):
    return None if value is None else int(value)


def _top_datasets(scope, period, organization_id, limit) -> list[dict]:
    package = ckan_model.Package
    views = sa.func.sum(DatasetDay.views_human + DatasetDay.views_machine)
    downloads = sa.func.sum(DatasetDay.downloads_human + DatasetDay.downloads_machine)
    rows = (
        _dataset_filter(
            _session().query(
                package.id,
                package.name,
                package.title,
                views,
                downloads,
                sa.func.sum(DatasetDay.visitors),
                QualityScore.total,
            ),
            scope,
            organization_id,
        )
        .outerjoin(QualityScore, QualityScore.dataset_id == package.id)
        .filter(_in_period(DatasetDay.day, period))
        .group_by(package.id, package.name, package.title, QualityScore.total)
        .order_by(views.desc(), downloads.desc(), package.name)
        .limit(limit)
    )
    return [
        {
            "id": i,
            "name": n,
            "title": t or n,
            "views": int(v),
            "downloads": int(d),
            "visitor_days": int(vd),
            "quality": q,
        }
        for i, n, t, v, d, vd, q in rows
    ]


def _top_resources(scope, period, organization_id, limit) -> list[dict]:
    package, resource = ckan_model.Package, ckan_model.Resource
    downloads = sa.func.sum(ResourceDay.downloads_human + ResourceDay.downloads_machine)
    query = (
        _session()
        .query(resource.id, resource.name, package.name, downloads)
        .join(resource, resource.id == ResourceDay.resource_id)
        .join(package, package.id == resource.package_id)
        .filter(
            _in_period(ResourceDay.day, period),
            package.state == "active",
            resource.state == "active",
        )
    )
    if scope == ORGANIZATION:
        query = query.filter(ResourceDay.organization_id == organization_id)
    if scope == PUBLIC:
        query = query.filter(package.private.is_(False))
    rows = (
        query.group_by(resource.id, resource.name, package.name)
        .order_by(downloads.desc(), resource.id)
        .limit(limit)
    )
    return [
        {"id": i, "name": n or i, "dataset_name": dn, "downloads": int(d)} for i, n, dn, d in rows
    ]


def _top_groups(scope, period, organization_id, limit, column) -> list[dict]:
    """Top organisations (``column`` = organization_id) or harvest sources."""
    views = sa.func.sum(DatasetDay.views_human + DatasetDay.views_machine)
    downloads = sa.func.sum(DatasetDay.downloads_human + DatasetDay.downloads_machine)
    rows = (
        _dataset_filter(_session().query(column, views, downloads), scope, organization_id)
        .filter(_in_period(DatasetDay.day, period), column.isnot(None))
        .group_by(column)
        .order_by(views.desc(), downloads.desc(), column)
        .limit(limit)
        .all()
    )
    titles = _titles(column, [row[0] for row in rows])
    return [
        {
            "id": key,
            "name": titles.get(key, (key, key))[0],
            "title": titles.get(key, (key, key))[1],
            "views": int(v),
            "downloads": int(d),
        }
        for key, v, d in rows
    ]


def _titles(column, ids: list[str]) -> dict[str, tuple[str, str]]:
    if not ids:
        return {}
    if column is DatasetDay.organization_id:
        group = ckan_model.Group
        rows = _session().query(group.id, group.name, group.title).filter(group.id.in_(ids))
    else:
        package = ckan_model.Package
        rows = _session().query(package.id, package.name, package.title).filter(package.id.in_(ids))
    return {i: (n, t or n) for i, n, t in rows}


def _search_terms(period, limit, *, zero_only: bool, public: bool = False) -> list[dict]:
    """Top terms; for the public only those of at least k people naming no hidden dataset."""
    counted = (
        SearchDay.zero_results
        if zero_only
        else SearchDay.searches_human + SearchDay.searches_machine
    )
    # People per day are the most of any one filter variant of the term (its rows differ only
    # in the filters, which a client chooses): summing the variants would let one person
    # reach k alone (decision 0804). Days are summed, the known limit of decision 0310.
    daily = (
        _session()
        .query(
            SearchDay.term.label("term"),
            sa.func.sum(counted).label("searches"),
            sa.func.max(SearchDay.visitors).label("people"),
        )
        .filter(
            _in_period(SearchDay.day, period),
            SearchDay.term != "",
            SearchDay.term != personal_data.HIDDEN_TERM,
        )
        .group_by(SearchDay.term, SearchDay.day)
        .subquery()
    )
    searches = sa.func.sum(daily.c.searches)
    visitors = sa.func.sum(daily.c.people)
    query = (
        _session()
        .query(daily.c.term, searches, visitors)
        .group_by(daily.c.term)
        .having(searches > 0)
    )
    if public:
        query = query.having(visitors >= config.k_anonymity())
    rows = query.order_by(searches.desc(), daily.c.term).limit(limit)
    allowlist = config.name_allowlist()
    # Terms are filtered when recorded; filtering again honours a changed allowlist or rules.
    terms = [
        {"term": term, "searches": int(count), "visitors": int(people)}
        for term, count, people in rows
        if not personal_data.looks_personal(term, allowlist)
    ]
    return public_terms.without_hidden_datasets(terms) if public else terms


def _organization_zero_result_terms(period, organization_id, limit) -> list[dict]:
    """Terms of searches filtered by the organisation that found nothing (decision 0804).

    Its admins are not the operators: the public rules of decision 0310 apply (at least k
    people, no term naming a dataset they cannot see). People are counted per day as the most
    of any one filter variant of the term, so one person cannot add up to k by varying filters.
    """
    organization = ckan_model.Group.get(organization_id)
    if organization is None:
        return []
    refs = {organization.id, organization.name}
    rows = (
        _session()
        .query(
            SearchDay.day,
            SearchDay.term,
            SearchDay.filters,
            SearchDay.zero_results,
            SearchDay.visitors,
        )
        .filter(
            _in_period(SearchDay.day, period),
            SearchDay.zero_results > 0,
            SearchDay.term != "",
            SearchDay.term != personal_data.HIDDEN_TERM,
            sa.or_(*(SearchDay.filters.contains(ref, autoescape=True) for ref in refs)),
        )
    )
    searches: dict[str, int] = {}
    people_per_day: dict[tuple, int] = {}
    for day, term, filters, zero_results, visitors in rows:
        if not organization_terms.filtered_by(filters, refs):
            continue
        searches[term] = searches.get(term, 0) + zero_results
        people_per_day[term, day] = max(people_per_day.get((term, day), 0), visitors)
    people: dict[str, int] = {}
    for (term, _day), count in people_per_day.items():
        people[term] = people.get(term, 0) + count
    allowlist = config.name_allowlist()
    terms = [
        {"term": term, "searches": count, "visitors": people[term]}
        for term, count in sorted(searches.items(), key=lambda item: (-item[1], item[0]))
        if people[term] >= config.k_anonymity()
        and not personal_data.looks_personal(term, allowlist)
    ]
    return public_terms.without_hidden_datasets(terms, organization.id)[:limit]


def _api_actions(period, limit) -> list[dict]:
    calls = sa.func.sum(ApiDay.calls)
    rows = (
        _session()
        .query(ApiDay.action, calls)
        .filter(_in_period(ApiDay.day, period))
        .group_by(ApiDay.action)
        .order_by(calls.desc(), ApiDay.action)
        .limit(limit)
    )
    return [{"action": action, "calls": int(count)} for action, count in rows]


def _totals(series: list[dict]) -> dict:
    keys = ("views", "downloads", "api_calls", "human", "machine")
    totals = {}
    for key in keys:
        values = [row[key] for row in series if row[key] is not None]
        totals[key] = sum(values) if values else None
    return totals


def _poorly_described(period, organization_id, scope, limit) -> list[dict]:
    """Much used, least well described first: what managers should improve next."""
    used = [
        row
        for row in _top_datasets(scope, period, organization_id, limit * 5)
        if row["quality"] is not None
    ]
    return sorted(used, key=lambda row: (row["quality"], -row["views"]))[:limit]


def _quality_summary(organization_id: str | None) -> dict:
    query = _session().query(sa.func.avg(QualityScore.total), sa.func.count(QualityScore.total))
    if organization_id:
        query = query.filter(QualityScore.organization_id == organization_id)
    average, scored = query.one()
    return {
        "average": None if average is None else round(float(average)),
        "scored": int(scored),
        "maximum": 405,
    }


def build_report(scope: str, period: Period, organization_id: str | None = None) -> dict:
    if scope not in SCOPES:
        raise ValueError(scope)
    limit = config.top_n()
    series = _series(scope, period, organization_id)
    report = {
        "scope": scope,
        "organization_id": organization_id,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "series": series,
        "totals": _totals(series),
        "top_datasets": _top_datasets(scope, period, organization_id, limit),
        "top_resources": _top_resources(scope, period, organization_id, limit),
    }
    if scope != ORGANIZATION:
        report["top_organizations"] = _top_groups(
            scope, period, organization_id, limit, DatasetDay.organization_id
        )
        public = scope == PUBLIC
        report["top_search_terms"] = _search_terms(period, limit, zero_only=False, public=public)
        report["zero_result_terms"] = _search_terms(period, limit, zero_only=True, public=public)
    if scope == ORGANIZATION:
        report["zero_result_terms"] = _organization_zero_result_terms(
            period, organization_id, limit
        )
    if scope != PUBLIC:
        report["quality"] = _quality_summary(organization_id if scope == ORGANIZATION else None)
        report["top_harvest_sources"] = _top_groups(
            scope, period, organization_id, limit, DatasetDay.harvest_source_id
        )
        report["poorly_described"] = _poorly_described(period, organization_id, scope, limit)
    if scope == SITE:
        report["api_actions"] = _api_actions(period, limit)
    if scope == PUBLIC:
        report = suppress(report, config.k_anonymity())
    return report


def suppress(report: dict, k: int) -> dict:
    """k-anonymity for public figures: a count below ``k`` becomes ``None`` ("fewer than k");
    list entries whose main count is below ``k`` are dropped."""
    report = dict(report, k_anonymity=k)
    report["series"] = [
        {key: _suppressed(value, k) if key != "day" else value for key, value in row.items()}
        for row in report["series"]
    ]
    report["totals"] = {key: _suppressed(value, k) for key, value in report["totals"].items()}
    for key, count_key in (
        ("top_datasets", "views"),
        ("top_resources", "downloads"),
        ("top_organizations", "views"),
        ("top_search_terms", "searches"),
        ("zero_result_terms", "searches"),
    ):
        rows = [row for row in report.get(key, []) if row[count_key] >= k]
        report[key] = [
            {
                name: _suppressed(value, k)
                if isinstance(value, int) and name != "quality"
                else value
                for name, value in row.items()
            }
            for row in rows
        ]
    return report


def _suppressed(value, k):
    if value is None or isinstance(value, bool):
        return value
    return value if value >= k or value == 0 else None
