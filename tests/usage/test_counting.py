"""Server-side counting through real HTTP requests, aggregated by the real job."""

from __future__ import annotations

import pytest
from ckan import model

from ckanext.datenraum.usage.model import ApiDay, DatasetDay, ResourceDay, SearchDay, SiteDay
from tests import dcatapde_factories
from tests.usage.conftest import (
    CHROME_UA,
    CRAWLER_UA,
    OTHER_IP,
    VISITOR_IP_SAME_NETWORK,
    VISITOR_IPV6,
    Visitor,
)

pytestmark = pytest.mark.usefixtures("with_plugins", "usage_clean")


def _dataset_day(dataset_id: str) -> DatasetDay:
    return model.Session.query(DatasetDay).filter_by(dataset_id=dataset_id).one()


def _site_day() -> SiteDay:
    return model.Session.query(SiteDay).one()


def test_dataset_page_views_are_split_into_people_and_crawlers(app, tree_dataset, aggregate):
    for _ in range(3):
        app.get("/dataset/baumkataster-jena", **Visitor().kwargs())
    app.get(f"/dataset/{tree_dataset['id']}", **Visitor(ip=OTHER_IP, user_agent=CHROME_UA).kwargs())
    app.get("/dataset/baumkataster-jena", **Visitor(user_agent=CRAWLER_UA).kwargs())

    aggregate()

    row = _dataset_day(tree_dataset["id"])
    assert (row.views_human, row.views_machine) == (4, 1)
    assert row.organization_id == tree_dataset["owner_org"]
    site = _site_day()
    assert (site.views_human, site.views_machine) == (4, 1)


def test_visitors_are_estimated_per_network_and_browser_family(app, tree_dataset, aggregate):
    app.get("/dataset/baumkataster-jena", **Visitor().kwargs())
    app.get("/dataset/baumkataster-jena", **Visitor(ip=VISITOR_IP_SAME_NETWORK).kwargs())
    app.get("/dataset/baumkataster-jena", **Visitor(user_agent=CHROME_UA).kwargs())
    app.get("/dataset/baumkataster-jena", **Visitor(ip=OTHER_IP).kwargs())
    app.get("/dataset/baumkataster-jena", **Visitor(ip=VISITOR_IPV6).kwargs())
    app.get("/dataset/baumkataster-jena", **Visitor(user_agent=CRAWLER_UA).kwargs())

    aggregate()

    # same /24 + same browser family = one visitor; crawlers are no visitors
    assert _dataset_day(tree_dataset["id"]).visitors == 4
    assert _site_day().visitors == 4


@pytest.mark.parametrize("header", [{"DNT": "1"}, {"Sec-GPC": "1"}])
def test_opted_out_requests_count_as_views_but_not_as_visitors(
    app, tree_dataset, aggregate, header
):
    app.get("/dataset/baumkataster-jena", **Visitor(headers=header).kwargs())
    app.get("/dataset/baumkataster-jena", **Visitor(ip=OTHER_IP, headers=header).kwargs())

    aggregate()

    row = _dataset_day(tree_dataset["id"])
    assert (row.views_human, row.visitors) == (2, 0)
    site = _site_day()
    assert (site.visitors, site.opted_out) == (0, 2)


def test_downloads_of_external_urls_go_through_the_tracked_link(app, tree_dataset, aggregate):
    resource = tree_dataset["resources"][0]

    page = app.get(f"/dataset/baumkataster-jena/resource/{resource['id']}", **Visitor().kwargs())
    tracked = f"/usage/go/baumkataster-jena/{resource['id']}"
    assert tracked in page.body
    response = app.get(tracked, follow_redirects=False, **Visitor().kwargs())
    app.get(
        f"/dataset/baumkataster-jena/resource/{resource['id']}/download",
        follow_redirects=False,
        **Visitor(user_agent=CRAWLER_UA).kwargs(),
    )
    aggregate()

    assert response.status_code == 302
    assert response.headers["Location"] == "https://example.org/baeume.csv"
    row = model.Session.query(ResourceDay).one()
    assert (row.resource_id, row.downloads_human, row.downloads_machine) == (resource["id"], 1, 1)
    dataset_row = _dataset_day(tree_dataset["id"])
    assert (dataset_row.downloads_human, dataset_row.downloads_machine) == (1, 1)


def test_tracked_link_of_an_unknown_resource_is_404_and_not_counted(app, aggregate):
    response = app.get("/usage/go/nothing/does-not-exist", **Visitor().kwargs())
    aggregate()

    assert response.status_code == 404
    assert model.Session.query(ResourceDay).count() == 0


def test_tracked_link_through_another_dataset_is_404_and_not_counted(
    app, tree_dataset, sysadmin, aggregate
):
    other = dcatapde_factories.create_dataset(
        sysadmin["name"], tree_dataset["owner_org"], name="andere-daten"
    )
    resource = tree_dataset["resources"][0]

    response = app.get(f"/usage/go/{other['name']}/{resource['id']}", **Visitor().kwargs())
    aggregate()

    assert response.status_code == 404
    assert model.Session.query(ResourceDay).count() == 0


def test_api_calls_are_counted_by_action_name(app, tree_dataset, aggregate):
    app.get("/api/3/action/package_show?id=baumkataster-jena", **Visitor().kwargs())
    app.get("/api/3/action/package_show?id=baumkataster-jena", **Visitor().kwargs())
    app.get("/api/3/action/status_show", **Visitor().kwargs())
    app.get("/api/3/action/no_such_action_anywhere", **Visitor().kwargs())

    aggregate()

    calls = dict(model.Session.query(ApiDay.action, ApiDay.calls))
    assert calls == {"package_show": 2, "status_show": 1}
    assert _site_day().api_calls == 3


def test_searches_record_term_filters_and_zero_results(app, tree_dataset, aggregate):
    app.get("/dataset/?q=Kronendurchmesser", **Visitor().kwargs())
    app.get("/dataset/?q=kronendurchmesser&res_format=CSV", **Visitor().kwargs())
    app.get("/dataset/?q=Hundesteuer", **Visitor().kwargs())
    app.get("/dataset/?q=Hundesteuer&page=2", **Visitor().kwargs())  # paging is no new search
    app.get("/api/3/action/package_search?q=Hundesteuer", **Visitor().kwargs())

    aggregate()

    rows = {
        (row.term, row.filters): (row.searches_human, row.searches_machine, row.zero_results)
        for row in model.Session.query(SearchDay)
    }
    assert rows == {
        ("kronendurchmesser", ""): (1, 0, 0),
        ("kronendurchmesser", "res_format:CSV"): (1, 0, 0),
        ("hundesteuer", ""): (1, 1, 2),
    }
    assert dict(model.Session.query(ApiDay.action, ApiDay.calls)) == {"package_search": 1}


# Issue 12: each passed the filter of the first release (one of every kind it missed).
PERSONAL_QUERIES = {
    "bauantrag schmidt wenigenjena": "schmidt",
    "mehmet yilmaz": "yilmaz",
    "DE89370400440532013000": "370400440532013000",
    "s.kluge @ gmx . de": "kluge",
    "J-AB 123": "j-ab",
    "flurstück 123/4 gemarkung jena": "123/4",
}


def test_search_terms_that_look_like_personal_data_are_never_stored(app, aggregate, redis):
    app.get("/dataset/?q=max.mustermann@example.org", **Visitor().kwargs())
    app.get("/dataset/?q=Anna Schmidt", **Visitor().kwargs())
    app.get("/dataset/?q=Löbdergraben 12", **Visitor().kwargs())
    for query in PERSONAL_QUERIES:
        app.get("/dataset/", query_string={"q": query}, **Visitor().kwargs())
        app.get("/api/3/action/package_search", query_string={"q": query}, **Visitor().kwargs())

    buffered = b" ".join(redis.lrange(next(redis.scan_iter("datenraum_usage:events:*")), 0, -1))
    aggregate()

    terms = [row.term for row in model.Session.query(SearchDay)]
    assert terms == ["<hidden>"]
    secrets = ("mustermann", "schmidt", "löbdergraben", *PERSONAL_QUERIES.values())
    assert [secret for secret in secrets if secret.encode() in buffered.lower()] == []


def test_dataset_metadata_fetched_by_content_negotiation_is_no_page_view(
    app, tree_dataset, aggregate
):
    visitor = Visitor()
    visitor.headers["Accept"] = "text/turtle"
    response = app.get("/dataset/baumkataster-jena", **visitor.kwargs())
    assert response.headers["Content-Type"].startswith("text/turtle")
    app.get("/dataset/baumkataster-jena", **Visitor().kwargs())

    aggregate()

    assert _dataset_day(tree_dataset["id"]).views_human == 1
