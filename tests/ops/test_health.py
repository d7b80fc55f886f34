"""`/health` answers load balancers: 200 when the worker can serve, 503 naming what is away."""

from __future__ import annotations

import pytest

from tests.ops.conftest import free_tcp_port


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_health_answers_200_when_every_service_answers(app):
    response = app.get("/health")

    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "checks": {"database": "ok", "search": "ok", "redis": "ok"},
    }
    cache_control = response.headers["Cache-Control"]
    assert "no-store" in cache_control
    assert "public" not in cache_control


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_health_answers_503_and_names_search_when_solr_is_away(app, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "solr_url", f"http://127.0.0.1:{free_tcp_port()}/solr/x")

    response = app.get("/health")

    assert response.status_code == 503
    assert response.json == {
        "status": "unavailable",
        "checks": {"database": "ok", "search": "unavailable", "redis": "ok"},
    }
    assert "127.0.0.1" not in response.get_data(as_text=True)  # no address for the public


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_liveness_needs_no_service(app, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "solr_url", f"http://127.0.0.1:{free_tcp_port()}/solr/x")

    response = app.get("/health/live")

    assert response.status_code == 200
    assert response.json == {"status": "ok"}
