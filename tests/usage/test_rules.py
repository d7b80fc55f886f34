"""Pure rules: address truncation, browser families, crawler list, personal-data filter."""

from __future__ import annotations

import pytest

from ckanext.datenraum.usage import clients, personal_data, privacy
from tests.usage.conftest import CHROME_UA, CRAWLER_UA, FIREFOX_UA


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.77", "203.0.113.0"),
        ("2001:db8:85a3:1234::1", "2001:db8:85a3::"),
        ("::ffff:203.0.113.9", "203.0.113.0"),
        ("not an address", ""),
    ],
)
def test_addresses_are_truncated_to_their_network(address, network):
    assert privacy.truncate_ip(address) == network


@pytest.mark.parametrize(
    ("user_agent", "family"),
    [
        (FIREFOX_UA, "firefox"),
        (CHROME_UA, "chrome"),
        ("Mozilla/5.0 (Windows NT 10.0) Chrome/126.0 Safari/537.36 Edg/126.0", "edge"),
        ("Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Version/17.0 Mobile Safari/604.1", "safari"),
        ("", "other"),
    ],
)
def test_browser_family(user_agent, family):
    assert privacy.browser_family(user_agent) == family


@pytest.mark.parametrize(
    ("user_agent", "crawler"),
    [
        (CRAWLER_UA, True),
        ("curl/8.5.0", True),
        ("python-requests/2.32.3", True),
        ("", True),
        (FIREFOX_UA, False),
        (CHROME_UA, False),
    ],
)
def test_crawlers_come_from_the_shipped_list(user_agent, crawler):
    assert clients.is_crawler(user_agent) is crawler
    assert clients.client_class(user_agent, api=False) == (
        clients.MACHINE if crawler else clients.HUMAN
    )


def test_api_clients_are_machines_whatever_their_agent():
    assert clients.client_class(FIREFOX_UA, api=True) == clients.MACHINE


ALLOWLIST = frozenset({"carl zeiss", "ernst abbe"})


@pytest.mark.parametrize(
    "term",
    [
        "max.mustermann@example.org",
        "kontakt: anna (at) x, anna@web.de",
        "03641 49-1234",
        "+49 3641 123456",
        "Löbdergraben 12",
        "Carl-Zeiss-Straße 3a",
        "anna schmidt",
        "Carl Zeiss Max Mustermann",
    ],
)
def test_terms_that_look_personal_are_hidden(term):
    assert personal_data.safe_term(term, ALLOWLIST) == personal_data.HIDDEN_TERM


@pytest.mark.parametrize(
    ("term", "kept"),
    [
        ("Baumkataster", "baumkataster"),
        ("Carl Zeiss", "carl zeiss"),
        ("Ernst-Abbe-Platz", "ernst-abbe-platz"),
        ("Haushalt 2024", "haushalt 2024"),
        ("PLZ 07743", "plz 07743"),
        ("  Radwege   Jena ", "radwege jena"),
    ],
)
def test_ordinary_terms_are_kept_normalised(term, kept):
    assert personal_data.safe_term(term, ALLOWLIST) == kept
