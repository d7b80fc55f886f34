"""The public k counts people, not searches, and no public term names a hidden dataset.

Issue 12 (privacy, item 10): one client sending a term six times published it, and with it a
private dataset's name. Each case goes through the search page, the aggregation job and the
public JSON/CSV exports.
"""

from __future__ import annotations

import csv
import io

import pytest
from ckan.tests import factories

from tests import dcatapde_factories
from tests.usage.conftest import CHROME_UA, FIREFOX_UA, Visitor

pytestmark = pytest.mark.usefixtures("with_plugins", "usage_clean")

# One browser family each (see privacy._BROWSER_FAMILIES): what a single client can pose as.
ONE_CLIENT_MANY_BROWSERS = (
    FIREFOX_UA,
    CHROME_UA,
    "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0",
    "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 OPR/110.0",
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 SamsungBrowser/24.0 Chrome/117.0",
    "Mozilla/5.0 (X11; Linux x86_64) DatenraumTestProbe/1.0 Kiosk",
)


def _public_terms(app) -> tuple[list[str], list[str]]:
    report = app.get("/usage/public.json").json
    rows = csv.DictReader(io.StringIO(app.get("/usage/public.csv").body))
    csv_terms = [
        row["subject"]
        for row in rows
        if row["section"] == "top_search_terms" and row["metric"] == "searches"
    ]
    return [row["term"] for row in report["top_search_terms"]], csv_terms


def _site_terms(app, sysadmin) -> dict[str, dict]:
    token = factories.APIToken(user=sysadmin["id"])["token"]
    report = app.get("/usage/site.json", headers={"Authorization": token}).json
    return {row["term"]: row for row in report["top_search_terms"]}


def test_one_client_repeating_a_term_does_not_publish_it(app, aggregate, sysadmin):
    for _ in range(6):
        app.get("/dataset/?q=Kronendurchmesser", **Visitor().kwargs())
    aggregate()

    assert _public_terms(app) == ([], [])
    assert _site_terms(app, sysadmin)["kronendurchmesser"]["searches"] == 6
    assert _site_terms(app, sysadmin)["kronendurchmesser"]["visitors"] == 1


def test_one_client_switching_its_browser_does_not_publish_a_term(app, aggregate, sysadmin):
    for user_agent in ONE_CLIENT_MANY_BROWSERS:
        app.get("/dataset/?q=Kronendurchmesser", **Visitor(user_agent=user_agent).kwargs())
    aggregate()

    assert _public_terms(app) == ([], [])
    assert _site_terms(app, sysadmin)["kronendurchmesser"]["visitors"] == 1


def test_one_client_varying_the_filters_does_not_publish_a_term(app, aggregate, sysadmin):
    # Every query argument but q/sort/page is kept as a filter: six variants, one client.
    for index in range(6):
        app.get(f"/dataset/?q=Kronendurchmesser&tags=t{index}", **Visitor().kwargs())
    aggregate()

    assert _public_terms(app) == ([], [])
    assert _site_terms(app, sysadmin)["kronendurchmesser"]["visitors"] == 1


def test_machine_searches_never_publish_a_term(app, aggregate):
    for index in range(6):
        visitor = Visitor(ip=f"198.51.{index}.10")
        app.get("/api/3/action/package_search?q=Kronendurchmesser", **visitor.kwargs())
    aggregate()

    assert _public_terms(app) == ([], [])


def test_a_term_of_k_people_is_published(app, aggregate):
    for index in range(5):
        visitor = Visitor(ip=f"198.51.{index}.10", user_agent=CHROME_UA)
        app.get("/dataset/?q=Kronendurchmesser", **visitor.kwargs())
    aggregate()

    assert _public_terms(app) == (["kronendurchmesser"], ["kronendurchmesser"])


def _searched_by_five_people(app, term: str) -> None:
    for index in range(5):
        visitor = Visitor(ip=f"198.51.{index}.10", user_agent=CHROME_UA)
        app.get("/dataset/", query_string={"q": term}, **visitor.kwargs())


def test_a_private_datasets_name_is_never_published(app, aggregate, sysadmin, tree_dataset):
    dcatapde_factories.create_dataset(
        sysadmin["name"],
        tree_dataset["owner_org"],
        name="hausbesuche-jugendamt",
        title="Interne Liste der Hausbesuche",
        private=True,
    )
    for term in ("hausbesuche-jugendamt", "Liste der Hausbesuche", "Kronendurchmesser"):
        _searched_by_five_people(app, term)
    aggregate()

    assert _public_terms(app) == (["kronendurchmesser"], ["kronendurchmesser"])
    assert {"hausbesuche-jugendamt", "liste der hausbesuche"} <= set(_site_terms(app, sysadmin))


def test_a_term_that_also_names_public_datasets_is_published(
    app, aggregate, sysadmin, tree_dataset
):
    dcatapde_factories.create_dataset(
        sysadmin["name"],
        tree_dataset["owner_org"],
        name="baumkataster-entwurf",
        title="Baumkataster Jena (Entwurf)",
        private=True,
    )
    _searched_by_five_people(app, "Baumkataster")
    aggregate()

    assert _public_terms(app)[0] == ["baumkataster"]
