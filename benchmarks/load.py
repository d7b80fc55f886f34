"""Measured capacity: the request mix of ``load_mix.py`` against the development server and
gunicorn with 1, 2 and 4 workers, on the 10,000-dataset benchmark catalogue, in one run.

For each server it starts the server on a free port of 127.0.0.1, warms it up, runs locust
headless for ``--duration`` seconds (and at most ``--max-requests`` requests) with ``--users``
users that never wait, stops the server, and reads locust's statistics: requests per second,
median and 95th percentile per kind of request, failures. It prints the scaling ratio of each
server against gunicorn with one worker and the development server, and checks that the usage
statistics counted exactly the dataset pages and API calls locust made (aggregated in this
process after each run).

The catalogue is ``catalog_export.py``'s (created once, reused). Give it its own database, Solr
core and Redis database, as for that benchmark:

    CKAN_SQLALCHEMY_URL=postgresql://ckan:ckan@127.0.0.1:5432/ckan_bench \\
    CKAN_SOLR_URL=http://127.0.0.1:8983/solr/ckan_bench CKAN_REDIS_URL=redis://127.0.0.1:6379/9 \\
    CKAN_SITE_ID=datenraum-bench \\
      .venv/bin/python benchmarks/load.py [--ini test.ini] [--workers 1 2 4] [--users 8] \\
        [--duration 60] [--max-requests 50000] [--no-dev-server]

locust runs on the same machine as the servers and takes CPU from them: the figures are a
lower bound of what a dedicated machine serves.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time

import requests

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DEV_LABEL = "ckan run (upstream dev server)"
KINDS = (
    "search page",
    "dataset page",
    "catalog.ttl",
    "package_search",
    "package_show",
    "dashboard",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(kind: str, workers: int, ini: pathlib.Path, port: int, log: pathlib.Path):
    env = dict(os.environ, CKAN_INI=str(ini), CKAN_SITE_URL=f"http://127.0.0.1:{port}")
    if kind == "dev":
        command = [
            str(BIN / "ckan"),
            "-c",
            str(ini),
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--threaded",
            "--disable-reloader",
            "--disable-debugger",
        ]
    else:
        env.update(DATENRAUM_WEB_BIND=f"127.0.0.1:{port}", DATENRAUM_WEB_WORKERS=str(workers))
        command = [
            str(BIN / "gunicorn"),
            "--config",
            "python:ckanext.datenraum.ops.gunicorn_conf",
            "ckanext.datenraum.ops.wsgi:create_application()",
        ]
    output = log.open("wb")
    server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while True:
        if server.poll() is not None:
            raise SystemExit(f"{kind} server exited; log: {log}")
        try:
            if requests.get(f"{base}/health/live", timeout=30).status_code == 200:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{kind} server did not answer; log: {log}")
        time.sleep(1)
    # Warm every worker: templates, vocabularies, profile classes (not part of the measurement).
    for _ in range(3 * max(workers, 1)):
        for path in (
            "/de/dataset/?q=Messreihe",
            "/de/dataset/bench-00001",
            "/catalog.ttl",
            "/api/3/action/package_show?id=bench-00002",
            "/de/usage",
        ):
            requests.get(base + path, timeout=300)
    return server, base


def run_locust(
    base: str, users: int, duration: int, max_requests: int, datasets: int, prefix: pathlib.Path
) -> dict[str, dict]:
    env = dict(
        os.environ,
        LOAD_DATASETS=str(datasets),
        LOAD_MAX_REQUESTS=str(max_requests),
        # Users stop between requests at the deadline; locust's own limit is only the backstop.
        LOAD_DEADLINE=str(time.time() + duration),
        LOAD_STATS_FILE=f"{prefix}_final.json",
    )
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "benchmarks" / "load_mix.py"),
            "--headless",
            "--only-summary",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{duration + 60}s",
            "--stop-timeout",
            "30",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
        ],
        env=env,
        check=False,
        capture_output=True,
        timeout=duration + 300,
    )
    # locust's final totals (load_mix.py), not _stats.csv, which lacks the last second
    return json.loads(pathlib.Path(f"{prefix}_final.json").read_text(encoding="utf-8"))


def usage_totals() -> dict[str, int]:
    """Aggregate the buffer, then today's dataset page views and API calls per action."""
    import ckan.plugins.toolkit as tk
    import sqlalchemy as sa
    from ckan import model

    from ckanext.datenraum.usage import config as usage_config
    from ckanext.datenraum.usage.model import ApiDay, SiteDay

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    tk.get_action("datenraum_usage_aggregate")({"user": site_user}, {"reindex": False})
    model.Session.remove()
    today = usage_config.today()
    site = model.Session.query(SiteDay).filter(SiteDay.day == today).one_or_none()
    calls = dict(
        model.Session.query(ApiDay.action, sa.func.sum(ApiDay.calls))
        .filter(ApiDay.day == today)
        .group_by(ApiDay.action)
    )
    return {
        "views": (site.views_human + site.views_machine) if site else 0,
        "package_show": int(calls.get("package_show") or 0),
        "package_search": int(calls.get("package_search") or 0),
    }


def successes(stats: dict[str, dict], name: str) -> int:
    row = stats.get(name)
    return int(row["Request Count"]) - int(row["Failure Count"]) if row else 0


def print_ratios(results: dict[str, tuple]) -> None:
    """Throughput of each server against upstream's development server and one gunicorn worker."""
    rates = {
        label: float(stats["Aggregated"]["Requests/s"]) for label, (stats, *_) in results.items()
    }
    for reference in (DEV_LABEL, "gunicorn, 1 worker(s)"):
        if not rates.get(reference):
            continue
        print(f"ratio of requests/s against {reference}:")
        for label, rate in rates.items():
            if label != reference:
                print(f"  {label}: {rate / rates[reference]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=str(ROOT / "test.ini"))
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--duration", type=int, default=60, help="seconds per server")
    parser.add_argument("--max-requests", type=int, default=50_000, help="per server")
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--organizations", type=int, default=40)
    parser.add_argument("--no-dev-server", action="store_true")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from catalog_export import ensure_catalogue
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    ini = pathlib.Path(args.ini).resolve()
    app = make_app(load_config(str(ini)))
    servers = ([] if args.no_dev_server else [("dev", 1)]) + [("gunicorn", n) for n in args.workers]
    results = {}
    work = pathlib.Path(tempfile.mkdtemp(prefix="datenraum-load-"))
    with app._wsgi_app.test_request_context():
        created = ensure_catalogue(args.datasets, args.organizations)
        if created:
            print(f"created the benchmark catalogue ({created:.1f} datasets/s)", flush=True)
        for kind, workers in servers:
            label = DEV_LABEL if kind == "dev" else f"gunicorn, {workers} worker(s)"
            port = free_port()
            server, base = start_server(kind, workers, ini, port, work / f"{kind}-{workers}.log")
            try:
                before = usage_totals()
                stats = run_locust(
                    base,
                    args.users,
                    args.duration,
                    args.max_requests,
                    args.datasets,
                    work / f"{kind}-{workers}",
                )
            finally:
                server.terminate()
                server.wait(timeout=120)
            after = usage_totals()
            counted = {key: after[key] - before[key] for key in after}
            made = {
                "views": successes(stats, "dataset page"),
                "package_show": successes(stats, "package_show"),
                "package_search": successes(stats, "package_search"),
            }
            results[label] = (stats, counted, made)
            total = stats["Aggregated"]
            print(f"{label}: {float(total['Requests/s']):.1f} requests/s", flush=True)

    print(
        f"\n{args.users} users without pause, {args.duration} s per server, "
        f"{args.datasets} datasets, {os.cpu_count()} CPU cores (locust on the same machine)"
    )
    header = f"{'server':32}{'req/s':>8}{'errors':>8}" + "".join(f"{k[:14]:>16}" for k in KINDS)
    print(header)
    print(f"{'':48}" + "".join(f"{'p50/p95 ms':>16}" for _ in KINDS))
    for label, (stats, _counted, _made) in results.items():
        total = stats["Aggregated"]
        cells = []
        for kind in KINDS:
            row = stats.get(kind)
            cells.append(f"{row['50%']}/{row['95%']}" if row else "-")
        print(
            f"{label:32}{float(total['Requests/s']):8.1f}{int(total['Failure Count']):8d}"
            + "".join(f"{cell:>16}" for cell in cells)
        )
    print_ratios(results)
    print("usage statistics (counted = made?):")
    for label, (_stats, counted, made) in results.items():
        verdict = "equal" if counted == made else "DIFFERENT"
        print(f"  {label}: counted {counted}, made {made}: {verdict}")
    print(f"logs and locust CSVs: {work}")


if __name__ == "__main__":
    main()
