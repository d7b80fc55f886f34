"""Abused dashboard parameters get a clear 400 (page) or 409 (API), never a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("with_plugins", "usage_clean")

BAD_PERIODS = [
    ("end=0001-01-01&days=366", "end"),  # issue 12: OverflowError
    ("end=0001-01-01&days=1", "end"),
    ("end=1969-12-31", "end"),
    ("end=2024-02-30", "end"),
    ("end=31.12.2024", "end"),
    ("end=%00", "end"),
    ("days=0", "days"),
    ("days=-1", "days"),
    ("days=367", "days"),
    ("days=1e9", "days"),
    ("days=99999999999999999999999", "days"),
    ("days=%F0%9F%98%80", "days"),
]


def test_bad_period_is_a_400_page_for_anonymous_visitors(app):
    answers = {}
    for query, field in BAD_PERIODS:
        response = app.get(f"/usage?{query}")
        answers[query] = (response.status_code, field in response.body)

    assert answers == {query: (400, True) for query, _ in BAD_PERIODS}


def test_bad_period_is_a_field_error_in_the_api(app):
    answers = {}
    for query, _ in BAD_PERIODS:
        response = app.get(f"/api/3/action/datenraum_usage_public_report?{query}")
        answers[query] = (response.status_code, sorted(response.json["error"]))

    assert answers == {query: (409, ["__type", field]) for query, field in BAD_PERIODS}


def test_bad_period_of_the_public_export_is_400(app):
    assert app.get("/usage/public.csv?end=0001-01-01&days=366").status_code == 400


def test_earliest_end_with_a_full_year_is_accepted(app):
    response = app.get("/api/3/action/datenraum_usage_public_report?end=1970-01-01&days=366")

    assert response.json["result"]["period"] == {"start": "1969-01-01", "end": "1970-01-01"}
