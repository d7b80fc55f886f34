"""Pure rules: address truncation, browser families, crawler list, personal-data filter."""

from __future__ import annotations

import pathlib

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
SEARCH_TERMS_FILE = pathlib.Path(__file__).with_name("data") / "search-terms.tsv"


def _search_term_cases() -> list:
    cases = []
    for line in SEARCH_TERMS_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            expected, kind, term, source = line.split("\t")
            cases.append(pytest.param(term, expected, kind or None, id=f"{source}: {term}"))
    return cases


SEARCH_TERM_CASES = _search_term_cases()


def test_search_term_cases_cover_both_outcomes():
    outcomes = [case.values[1] for case in SEARCH_TERM_CASES]
    assert outcomes.count("hidden") >= 40 and outcomes.count("kept") >= 40


@pytest.mark.parametrize(("term", "expected", "kind"), SEARCH_TERM_CASES)
def test_search_term_from_real_and_probed_queries(term, expected, kind):
    safe = personal_data.safe_term(term, ALLOWLIST)

    if expected == "hidden":
        assert (safe, personal_data.personal_data_kind(term, ALLOWLIST)) == (
            personal_data.HIDDEN_TERM,
            kind,
        )
    else:
        assert safe == personal_data.normalise_term(term)


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


def test_every_word_list_is_loaded():
    assert (
        min(
            len(personal_data.given_names()),
            len(personal_data.surnames()),
            len(personal_data.ordinary_word_surnames()),
        )
        >= 50
    )
    assert {"j", "ef", "shk", "b"} <= personal_data.plate_codes()
