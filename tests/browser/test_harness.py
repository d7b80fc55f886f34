"""The browser harness itself: a real server, a real login, forms, screenshots, request log."""

from __future__ import annotations

import pytest
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_login_through_the_form_shows_the_user_and_data_reaches_the_server(browser, browser_user):
    user = browser_user(fullname="Erika Musterfrau")
    factories.Organization(name="harness-org", users=[{"name": user["name"], "capacity": "admin"}])

    browser.login(user)
    browser.open("/en/organization/harness-org")

    assert "Erika Musterfrau" in browser.text(".account-masthead")
    assert browser.path == "/en/organization/harness-org"


def test_a_wrong_password_is_reported(browser, browser_user):
    user = browser_user()

    with pytest.raises(AssertionError, match="login of"):
        browser.login(user, password="not-the-password")


def test_fill_reads_back_and_screenshot_is_written(browser):
    browser.open("/en/user/login")
    browser.fill("login", "somebody")

    assert browser.value("login") == "somebody"
    assert browser.screenshot("harness-login").stat().st_size > 5_000


def test_requests_to_other_hosts_are_recorded_and_never_reach_them(browser):
    browser.open("/en/user/login")
    browser.js(
        "const image = document.createElement('img');"
        "image.src = 'https://tracker.example.org/pixel.png'; document.body.appendChild(image);"
    )
    browser.wait_for("img[src*='tracker']", visible=False)

    assert "https://tracker.example.org/pixel.png" in browser.third_party_requests()
    assert all(url.startswith(browser.base_url) for url in browser.requested_urls()[:1])
