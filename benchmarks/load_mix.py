"""The request mix of the load benchmark (a locustfile; ``benchmarks/load.py`` runs it).

Weights follow what a city portal serves: people search in German and open dataset pages,
machines call the API and page through the DCAT catalogue, some look at the usage dashboard.
Every request names its kind, so locust reports each kind apart. Bounded: at most
``LOAD_MAX_REQUESTS`` requests in all and no new request after ``LOAD_DEADLINE`` (epoch
seconds); only 127.0.0.1 is ever asked. Users stop themselves between requests, so no request is
in flight when the run ends: a request killed at locust's time limit would be served and counted
by the server but missing from locust's statistics, and the usage check would not add up.

The statistics are written to ``LOAD_STATS_FILE`` (JSON) when locust quits, from its final
totals. Not from ``--csv``: locust rewrites that file once a second and does not write it again
at shutdown, so the requests of the run's last second were missing from it (the usage check
then showed 1–4 more dataset views counted than made).
"""

from __future__ import annotations

import json
import os
import random
import time

import gevent
from locust import HttpUser, constant, events, task
from locust.exception import StopUser
from locust.runners import STATE_RUNNING

DATASETS = int(os.environ.get("LOAD_DATASETS", "10000"))
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "50000"))
DEADLINE = float(os.environ.get("LOAD_DEADLINE") or "inf")
CATALOG_PAGES = max(1, DATASETS // 100)
# What people type into a German city portal (the benchmark catalogue's vocabulary and beyond).
GERMAN_QUERIES = (
    "Messreihe",
    "Messung Jena",
    "Umwelt",
    "Verkehr",
    "Messwerte der Stadt",
    "Bevölkerung",
    "Luftqualität",
    "Haushalt",
    "Stadtbäume",
    "Schulen",
)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
HTML = {"User-Agent": BROWSER, "Accept": "text/html"}

_sent = 0
_active = 0


@events.quitting.add_listener
def _write_final_statistics(environment, **_kwargs):
    """Per kind of request and ``Aggregated``: counts, p50/p95 (ms) and requests/s, with the
    keys and rounding of locust's ``_stats.csv``."""
    path = os.environ.get("LOAD_STATS_FILE")
    if not path or environment.runner is None:
        return
    stats = environment.runner.stats
    rows = {}
    for entry in [*stats.entries.values(), stats.total]:
        rows[entry.name] = {
            "Request Count": entry.num_requests,
            "Failure Count": entry.num_failures,
            "50%": entry.get_response_time_percentile(0.5),
            "95%": entry.get_response_time_percentile(0.95),
            "Requests/s": entry.total_rps,
        }
    with open(path, "w", encoding="utf-8") as target:
        json.dump(rows, target, indent=1)


@events.test_start.add_listener
def _only_loopback(environment, **_kwargs):
    if not (environment.host or "").startswith("http://127.0.0.1:"):
        raise SystemExit(f"the load benchmark only runs against 127.0.0.1, not {environment.host}")


def _dataset() -> str:
    return f"bench-{random.randrange(DATASETS):05d}"  # noqa: S311 - a load mix, not secrets


class Visitor(HttpUser):
    wait_time = constant(0)  # saturate: the measurement is throughput at full load

    def on_start(self):
        global _active
        _active += 1

    def on_stop(self):
        global _active
        _active -= 1
        runner = self.environment.runner
        if _active == 0 and runner is not None and runner.state == STATE_RUNNING:
            gevent.spawn_later(0.1, runner.quit)  # the last user is done: end the run now

    def _count(self) -> None:
        global _sent
        if _sent >= MAX_REQUESTS or time.time() >= DEADLINE:
            raise StopUser()
        _sent += 1

    @task(30)
    def german_search(self):
        self._count()
        query = random.choice(GERMAN_QUERIES)  # noqa: S311
        self.client.get("/de/dataset/", params={"q": query}, headers=HTML, name="search page")

    @task(30)
    def dataset_page(self):
        self._count()
        self.client.get(f"/de/dataset/{_dataset()}", headers=HTML, name="dataset page")

    @task(10)
    def catalog_page(self):
        self._count()
        page = random.randint(1, CATALOG_PAGES)  # noqa: S311
        self.client.get("/catalog.ttl", params={"page": page}, name="catalog.ttl")

    @task(15)
    def api_search(self):
        self._count()
        query = random.choice(GERMAN_QUERIES)  # noqa: S311
        self.client.get(
            "/api/3/action/package_search", params={"q": query, "rows": 10}, name="package_search"
        )

    @task(10)
    def api_show(self):
        self._count()
        self.client.get(
            "/api/3/action/package_show", params={"id": _dataset()}, name="package_show"
        )

    @task(5)
    def dashboard(self):
        self._count()
        self.client.get("/de/usage", headers=HTML, name="dashboard")
