"""Metadata quality next to usage, and the "popular" search sort from our own counts."""

from __future__ import annotations

import http.server
import json
import threading

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.datenraum.common.http import FetchPolicy
from ckanext.datenraum.usage import popularity, quality
from ckanext.datenraum.usage.links import make_link_checker
from ckanext.datenraum.usage.model import QualityScore
from tests import dcatapde_factories
from tests.usage.conftest import CHROME_UA, Visitor

WELL_DESCRIBED = {
    "id": "x",
    "title": "Baumkataster",
    "notes": "Alle Stadtbäume.",
    "tags": [{"name": "Bäume"}],
    "theme": ["http://publications.europa.eu/resource/authority/data-theme/ENVI"],
    "spatial_coverage": [{"uri": "http://dcat-ap.de/def/politicalGeocoding/districtKey/16053"}],
    "temporal_start": "2020-01-01",
    "access_rights": "http://publications.europa.eu/resource/authority/access-right/PUBLIC",
    "contact": [{"name": "Grünflächenamt", "email": "gruen@example.org"}],
    "owner_org": "org",
    "license_id": "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
    "resources": [
        {
            "url": "https://example.org/b.csv",
            "download_url": "https://example.org/b.csv",
            "format": "CSV",
            "mimetype": "text/csv",
            "rights": "Namensnennung",
            "size": 1024,
            "issued": "2024-01-01",
            "modified": "2024-02-01",
        }
    ],
}


def test_complete_dataset_gets_every_assessed_point():
    result = quality.score_dataset(WELL_DESCRIBED)

    assert quality.MAXIMUM == 405
    assert result.total == 405 - 80  # link reachability (50 + 30) is not assessed
    assert result.dimensions == {
        "findability": 100,
        "accessibility": 20,
        "interoperability": 110,
        "reusability": 75,
        "contextuality": 20,
    }


def test_bare_dataset_scores_low_and_distribution_points_are_shared():
    bare = {
        "id": "y",
        "title": "Liste",
        "resources": [
            {"url": "https://example.org/a.csv", "format": "CSV"},
            {"url": "https://example.org/a.docx", "format": "DOCX"},
        ],
    }

    result = quality.score_dataset(bare)

    assert result.indicators["format"] == 20  # both have a format
    assert result.indicators["machine_readable"] == 10  # one of two
    assert result.indicators["keywords"] == 0
    assert result.total < 100


def test_scorer_tolerates_missing_and_unknown_fields():
    assert quality.score_dataset({"id": "z"}).total == 0
    assert quality.score_dataset({"id": "z", "resources": [{}], "tags": None}).total == 0


@pytest.mark.usefixtures("with_plugins", "usage_clean")
def test_quality_is_shown_next_to_usage_poorly_described_first(app, sysadmin, aggregate):
    organization = dcatapde_factories.organization(name="stadt-jena")
    context = {"user": sysadmin["name"]}
    rich = dcatapde_factories.create_dataset(
        sysadmin["name"],
        organization["id"],
        name="reich",
        title="Reich beschrieben",
        theme=[dcatapde_factories.EU + "data-theme/ENVI"],
        resources=[{"url": "https://example.org/r.csv", "format": "CSV", "mimetype": "text/csv"}],
    )
    poor = dcatapde_factories.create_dataset(sysadmin["name"], organization["id"], name="arm")
    for index in range(3):
        app.get("/dataset/arm", **Visitor(ip=f"198.51.{index}.9", user_agent=CHROME_UA).kwargs())
    app.get("/dataset/reich", **Visitor(user_agent=CHROME_UA).kwargs())
    aggregate()

    scored = call_action("datenraum_usage_quality_score", context)
    report = call_action("datenraum_usage_organization_report", context, id="stadt-jena")

    assert scored["scored"] == 2
    scores = dict(model.Session.query(QualityScore.dataset_id, QualityScore.total))
    assert scores[rich["id"]] > scores[poor["id"]]
    assert [row["name"] for row in report["poorly_described"]] == ["arm", "reich"]
    assert report["top_datasets"][0]["quality"] == scores[poor["id"]]
    assert report["quality"]["scored"] == 2


@pytest.mark.usefixtures("with_plugins", "usage_clean")
def test_popular_sort_orders_by_recent_human_use(app, sysadmin, aggregate):
    organization = dcatapde_factories.organization()
    for name in ("selten", "oft", "nie"):
        dcatapde_factories.create_dataset(sysadmin["name"], organization["id"], name=name)
    for index in range(3):
        app.get("/dataset/oft", **Visitor(ip=f"198.51.{index}.3", user_agent=CHROME_UA).kwargs())
    app.get("/dataset/selten", **Visitor(user_agent=CHROME_UA).kwargs())
    for _ in range(5):  # crawlers do not make a dataset popular
        app.get("/dataset/nie", **Visitor(user_agent="curl/8.5.0").kwargs())

    result = aggregate(reindex=True)
    found = call_action("package_search", sort=popularity.SORT)
    page = app.get("/dataset/", query_string={"sort": popularity.SORT}).body

    assert result["reindexed"] == 3
    assert [row["name"] for row in found["results"]] == ["oft", "selten", "nie"]
    assert page.index("/dataset/oft") < page.index("/dataset/selten") < page.index("/dataset/nie")
    assert ">Popular</option>" in app.get("/dataset/").body


class _LinkHandler(http.server.BaseHTTPRequestHandler):
    """/ok answers 200, /moved redirects to /ok, /no-head refuses HEAD, everything else 404."""

    def do_HEAD(self):
        if self.path == "/ok":
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/ok")
        elif self.path == "/no-head":
            self.send_response(405)
        else:
            self.send_response(404)
        self.end_headers()

    def do_GET(self):
        self.send_response(200 if self.path == "/no-head" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def link_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _LinkHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _allow_loopback() -> FetchPolicy:
    return FetchPolicy(allow_private_targets=True, timeout=5, retries=0)


def test_link_checker_follows_redirects_and_falls_back_to_get(link_server):
    check = make_link_checker(_allow_loopback())

    assert check(f"{link_server}/ok")
    assert check(f"{link_server}/moved")
    assert check(f"{link_server}/no-head")
    assert not check(f"{link_server}/gone")


def test_link_checker_refuses_loopback_unless_allowed(link_server):
    check = make_link_checker(FetchPolicy(timeout=5, retries=0))

    assert not check(f"{link_server}/ok")


def test_reachable_links_earn_the_reachability_points(link_server):
    dataset = dict(
        WELL_DESCRIBED,
        resources=[
            dict(
                WELL_DESCRIBED["resources"][0],
                url=f"{link_server}/ok",
                download_url=f"{link_server}/moved",
            ),
            dict(WELL_DESCRIBED["resources"][0], url=f"{link_server}/gone", download_url=""),
        ],
    )

    result = quality.score_dataset(dataset, make_link_checker(_allow_loopback()))

    assert result.indicators["access_url_reachable"] == 25  # one of two distributions
    assert result.indicators["download_url_reachable"] == 15
    assert result.not_assessed == frozenset()


@pytest.mark.usefixtures("with_plugins", "usage_clean")
@pytest.mark.ckan_config("ckanext.datenraum.usage.quality.check_links", True)
@pytest.mark.ckan_config("ckanext.datenraum.usage.quality.allow_private_links", True)
def test_quality_job_checks_links_when_switched_on(sysadmin, link_server):
    organization = dcatapde_factories.organization()
    dataset = dcatapde_factories.create_dataset(
        sysadmin["name"],
        organization["id"],
        resources=[{"url": f"{link_server}/ok", "download_url": f"{link_server}/ok"}],
    )

    call_action("datenraum_usage_quality_score", {"user": sysadmin["name"]})

    row = model.Session.get(QualityScore, dataset["id"])
    details = json.loads(row.details)
    assert details["indicators"]["access_url_reachable"] == 50
    assert details["indicators"]["download_url_reachable"] == 30
    assert details["not_assessed"] == []


@pytest.mark.usefixtures("with_plugins", "usage_clean")
def test_quality_job_does_not_contact_links_by_default(sysadmin, link_server):
    organization = dcatapde_factories.organization()
    dataset = dcatapde_factories.create_dataset(
        sysadmin["name"], organization["id"], resources=[{"url": f"{link_server}/ok"}]
    )

    call_action("datenraum_usage_quality_score", {"user": sysadmin["name"]})

    details = json.loads(model.Session.get(QualityScore, dataset["id"]).details)
    assert details["indicators"]["access_url_reachable"] == 0
    assert details["not_assessed"] == ["access_url_reachable", "download_url_reachable"]


@pytest.fixture
def usage_tables_missing(monkeypatch):
    """The usage plugin enabled before ``ckan db upgrade -p datenraum_usage`` has run."""
    table = popularity.DatasetDay.__tablename__
    model.Session.execute(sa.text(f"ALTER TABLE {table} RENAME TO {table}_away"))
    model.Session.commit()
    monkeypatch.setattr(popularity, "_migrated", False)
    yield
    model.Session.rollback()
    model.Session.execute(sa.text(f"ALTER TABLE {table}_away RENAME TO {table}"))
    model.Session.commit()


@pytest.mark.usefixtures("with_plugins", "usage_clean", "usage_tables_missing")
def test_datasets_are_saved_while_the_usage_tables_are_not_migrated(sysadmin):
    organization = dcatapde_factories.organization()
    dcatapde_factories.create_dataset(sysadmin["name"], organization["id"], name="gespeichert")
    model.Session.remove()

    assert call_action("package_show", id="gespeichert")["name"] == "gespeichert"
    found = call_action("package_search", q="name:gespeichert")["results"]
    assert [row["name"] for row in found] == ["gespeichert"]
