"""Fixtures of the usage tests: a client that looks like one person, and the aggregation job."""

from __future__ import annotations

import dataclasses

import pytest
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests import dcatapde_factories

# Documentation addresses (RFC 5737 / RFC 3849): distinctive, never a real visitor.
VISITOR_IP = "203.0.113.77"
VISITOR_IP_SAME_NETWORK = "203.0.113.201"
OTHER_IP = "198.51.100.23"
VISITOR_IPV6 = "2001:db8:85a3:1234::8a2e:370:7334"
FIREFOX_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) DatenraumTestProbe/4711 Firefox/128.0"
CHROME_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 DatenraumTestProbe/4712"
)
CRAWLER_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@dataclasses.dataclass
class Visitor:
    """Request options that make the test client look like one device."""

    ip: str = VISITOR_IP
    user_agent: str = FIREFOX_UA
    headers: dict = dataclasses.field(default_factory=dict)

    def kwargs(self) -> dict:
        return {
            "environ_base": {"REMOTE_ADDR": self.ip},
            "headers": {"User-Agent": self.user_agent, **self.headers},
        }


@pytest.fixture
def usage_clean(clean_db, clean_index, clean_redis):
    """Empty database (with our tables), Solr core and Redis db."""


@pytest.fixture
def sysadmin():
    return factories.Sysadmin()


@pytest.fixture
def aggregate(sysadmin):
    """Run the aggregation job as the CLI does; returns its result."""

    def run(reindex: bool = False) -> dict:
        return call_action(
            "datenraum_usage_aggregate", context={"user": sysadmin["name"]}, reindex=reindex
        )

    return run


@pytest.fixture
def redis():
    return connect_to_redis()


@pytest.fixture
def tree_dataset(sysadmin):
    organization = dcatapde_factories.organization(name="stadt-jena", title="Stadt Jena")
    return dcatapde_factories.create_dataset(
        sysadmin["name"],
        organization["id"],
        name="baumkataster-jena",
        resources=[{"url": "https://example.org/baeume.csv", "format": "CSV", "name": "Bäume"}],
    )
