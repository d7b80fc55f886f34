"""Metadata quality next to usage, and the "popular" search sort from our own counts."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.datenraum.usage import popularity, quality
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
