"""The dashboard in a real browser: Chromium (Selenium) against a real ``ckan run`` server."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from tests.usage.conftest import CHROME_UA, Visitor

pytestmark = pytest.mark.usefixtures("with_plugins", "usage_clean")


def test_public_dashboard_renders_its_charts(app, tree_dataset, aggregate, browser):
    for index in range(6):
        visitor = Visitor(ip=f"198.51.{index}.10", user_agent=CHROME_UA)
        app.get("/dataset/baumkataster-jena", **visitor.kwargs())
    aggregate()

    browser.open("/en/usage")
    charts = browser.find_all("canvas")
    WebDriverWait(browser.driver, 15).until(
        lambda _driver: all(c.get_attribute("data-chart-rendered") == "true" for c in charts)
    )
    screenshot = browser.screenshot("usage-dashboard")

    assert len(charts) == 3
    assert "Baumkataster Jena" in browser.text("body")
    assert browser.console_errors() == []
    assert browser.third_party_requests() == []
    assert screenshot.stat().st_size > 10_000
