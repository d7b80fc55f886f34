"""Cost of server-side usage counting (plugin ``datenraum_usage``).

1. Request latency of a dataset page with and without the plugin: two ``ckan run`` servers on
   loopback that differ only in ``ckan.plugins``, driven by the same concurrent client. Also the
   in-process cost of the after-request hook alone (no HTTP noise).
2. Aggregation time for one million buffered events.

Run it against scratch services, e.g. the test database, Solr core and Redis db:

    CKAN_SQLALCHEMY_URL=… CKAN_SOLR_URL=… CKAN_REDIS_URL=… \\
        .venv/bin/python benchmarks/usage_overhead.py [--requests 400] [--events 1000000]

It creates the dataset ``usage-benchmark`` if missing and works on a day far in the future, whose
buffer and rows it deletes afterwards.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime
import os
import pathlib
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
BASE_PLUGINS = "datenraum activity dcat scheming_datasets harvest"
DATASET = "usage-benchmark"
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def ckan_server(config: pathlib.Path, plugins: str):
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CKAN__PLUGINS": plugins, "CKAN_SITE_URL": base_url}
    ckan = pathlib.Path(sys.executable).with_name("ckan")
    server = subprocess.Popen(
        [
            str(ckan),
            "-c",
            str(config),
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--disable-reloader",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base_url}/api/3/action/status_show", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"ckan run with plugins {plugins!r} did not start") from None
                time.sleep(0.3)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)


def timed_get(url: str, index: int) -> float:
    request = urllib.request.Request(url, headers={"User-Agent": BROWSER_UA})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        assert response.status == 200
    return time.perf_counter() - started


def load(url: str, requests: int, concurrency: int) -> list[float]:
    for index in range(10):  # warm-up: templates, caches
        timed_get(url, index)
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(lambda index: timed_get(url, index), range(requests)))


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def latency_benchmark(config: pathlib.Path, requests: int, concurrency: int) -> None:
    results = {}
    # Alternate twice so drift of the machine hits both variants alike.
    for label, plugins in (
        ("without", BASE_PLUGINS),
        ("with", f"{BASE_PLUGINS} datenraum_usage"),
        ("without", BASE_PLUGINS),
        ("with", f"{BASE_PLUGINS} datenraum_usage"),
    ):
        with ckan_server(config, plugins) as base_url:
            samples = load(f"{base_url}/dataset/{DATASET}", requests // 2, concurrency)
            results.setdefault(label, []).extend(samples)
    without, with_plugin = results["without"], results["with"]
    p50_without, p50_with = statistics.median(without), statistics.median(with_plugin)
    print(f"dataset page, {len(without)} requests per variant, concurrency {concurrency}:")
    print(
        f"  p50 without plugin  {p50_without * 1000:8.2f} ms   p95 "
        f"{percentile(without, 0.95) * 1000:8.2f} ms"
    )
    print(
        f"  p50 with plugin     {p50_with * 1000:8.2f} ms   p95 "
        f"{percentile(with_plugin, 0.95) * 1000:8.2f} ms"
    )
    print(
        f"  p50 overhead        {(p50_with - p50_without) * 1000:8.2f} ms   ratio "
        f"{p50_with / p50_without:.3f}"
    )


def hook_benchmark(app, iterations: int) -> None:
    """The after-request hook alone, in a request context of a dataset page."""
    from flask import Response

    from ckanext.datenraum.usage import recorder

    flask_app = app._wsgi_app
    environ = {"REMOTE_ADDR": "198.51.100.7", "HTTP_USER_AGENT": BROWSER_UA}
    # The request context matches the URL, so endpoint and view args are those of the page.
    with flask_app.test_request_context(f"/dataset/{DATASET}", environ_base=environ):
        response = Response("ok", status=200)
        recorder.record_response(response)  # salt, crawler verdict cached as in a live worker
        started = time.perf_counter()
        for _ in range(iterations):
            recorder.record_response(response)
        per_call = (time.perf_counter() - started) / iterations
    print(
        f"after-request hook alone: {per_call * 1e6:8.1f} µs per counted request "
        f"({iterations} calls, one Redis round trip each)"
    )


def aggregation_benchmark(events: int) -> None:
    from ckan.lib.redis import connect_to_redis

    from ckanext.datenraum.usage import aggregate, buffer, clients
    from ckanext.datenraum.usage import model as usage_model

    redis = connect_to_redis()
    day = datetime.date.today() + datetime.timedelta(days=3650)
    redis.delete(buffer.events_key(day))
    rng = random.Random(4711)
    refs = [DATASET] + [f"unknown-{index}" for index in range(999)]
    visitors = [secrets.token_hex(8) for _ in range(20_000)]
    actions = ["package_show", "package_search", "resource_show", "status_show"]
    batch = []
    started = time.perf_counter()
    for index in range(events):
        roll = rng.random()
        client = clients.MACHINE if rng.random() < 0.3 else clients.HUMAN
        visitor = rng.choice(visitors) if client == clients.HUMAN else ""
        if roll < 0.6:
            batch.append([buffer.VIEW, client, visitor, rng.choice(refs)])
        elif roll < 0.75:
            batch.append([buffer.DOWNLOAD, client, visitor, rng.choice(refs), f"res-{index % 500}"])
        elif roll < 0.9:
            batch.append([buffer.API, clients.MACHINE, "", rng.choice(actions)])
        else:
            batch.append([buffer.SEARCH, client, visitor, f"term {index % 3000}", "", index % 7])
        if len(batch) == 50_000:
            buffer.push(redis, day, batch)
            batch = []
    if batch:
        buffer.push(redis, day, batch)
    fill = time.perf_counter() - started
    try:
        started = time.perf_counter()
        counted, _ = aggregate.aggregate_day(redis, day)
        elapsed = time.perf_counter() - started
    finally:
        redis.delete(buffer.events_key(day))
        from ckan import model

        for table in usage_model.DAY_TABLES:
            model.Session.query(table).filter(table.day == day).delete()
        model.Session.commit()
    print(
        f"aggregation of {counted:,} buffered events: {elapsed:6.2f} s "
        f"({counted / elapsed:,.0f} events/s; filling the buffer took {fill:.1f} s)"
    )


def ensure_dataset() -> None:
    import ckan.plugins.toolkit as tk

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"user": site_user["name"], "ignore_auth": True}
    try:
        tk.get_action("package_show")(dict(context), {"id": DATASET})
    except tk.ObjectNotFound:
        organization = "usage-benchmark-org"
        try:
            tk.get_action("organization_show")(dict(context), {"id": organization})
        except tk.ObjectNotFound:
            tk.get_action("organization_create")(dict(context), {"name": organization})
        tk.get_action("package_create")(
            dict(context),
            {
                "name": DATASET,
                "title": "Usage benchmark",
                "owner_org": organization,
                "notes": "Benchmark dataset",
                "resources": [{"url": "https://example.org/x.csv"}],
            },
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=pathlib.Path, default=REPO_ROOT / "test.ini")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--hook-iterations", type=int, default=5000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--skip-latency", action="store_true")
    arguments = parser.parse_args()

    os.environ.setdefault("CKAN__PLUGINS", f"{BASE_PLUGINS} datenraum_usage")
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(arguments.config)))
    with app._wsgi_app.test_request_context():
        ensure_dataset()
        hook_benchmark(app, arguments.hook_iterations)
        aggregation_benchmark(arguments.events)
    if not arguments.skip_latency:
        latency_benchmark(arguments.config, arguments.requests, arguments.concurrency)


if __name__ == "__main__":
    main()
