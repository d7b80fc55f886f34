"""Harvest benchmark: a DCAT-AP.de catalogue of N datasets served on 127.0.0.1.

Measures, in one process and against the real services of the given ini:
1. first harvest with our ``datenraum_dcat`` harvester (through the Redis queue),
2. an unchanged re-harvest (goal: under 10 % of the first),
3. plain ckanext-dcat ``dcat_rdf`` harvester on the same input: first and unchanged run.

usage: .venv/bin/python benchmarks/harvest.py --ckan-ini var/test-harvest.ini [--datasets 5000]
       [--harvest-redis-db N]
It wipes the database of that ini (like the tests do): never point it at a real catalogue.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import http.server
import json
import os
import pathlib
import sys
import tempfile
import threading
import time

LICENCES = ["dl-by-de/2.0", "cc-by/4.0", "dl-zero-de/2.0"]
CONTRIBUTOR = "http://dcat-ap.de/def/contributors/openDataBund"


def catalogue_turtle(count: int) -> str:
    """A catalogue shaped like the recorded Brandenburg one: dataset + one CSV distribution."""
    lines = [
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .",
        '<https://bench.example.org/catalog> a dcat:Catalog ; dct:title "Benchmark"@de ;',
        "  dcat:dataset "
        + ", ".join(f"<https://bench.example.org/ds/{i}>" for i in range(count))
        + " .",
    ]
    for i in range(count):
        licence = LICENCES[i % len(LICENCES)]
        lines.append(
            f"""<https://bench.example.org/ds/{i}> a dcat:Dataset ;
  dct:identifier "bench-{i}" ;
  dct:title "Messreihe {i} der Umweltstation"@de ;
  dct:description "Stündliche Messwerte der Station {i} im Stadtgebiet."@de ;
  dcat:keyword "Umwelt"@de, "Messwerte"@de ;
  dct:modified "2025-01-{1 + i % 28:02d}"^^<http://www.w3.org/2001/XMLSchema#date> ;
  dct:license <http://dcat-ap.de/def/licenses/{licence}> ;
  dct:publisher [ a foaf:Agent ; foaf:name "Stadt Jena" ] ;
  dcat:distribution <https://bench.example.org/ds/{i}/csv> .
<https://bench.example.org/ds/{i}/csv> a dcat:Distribution ;
  dct:title "CSV"@de ;
  dcat:accessURL <https://bench.example.org/files/{i}.csv> ;
  dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
  dct:license <http://dcat-ap.de/def/licenses/{licence}> ."""
        )
    return "\n".join(lines) + "\n"


def serve(folder: str) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/catalog.ttl"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {".ttl": "text/turtle"}

    def log_message(self, *args):
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ckan-ini", required=True)
    parser.add_argument("--datasets", type=int, default=5000)
    parser.add_argument(
        "--profile", metavar="FILE", help="write a cProfile of our first harvest to FILE"
    )
    parser.add_argument(
        "--harvest-redis-db",
        type=int,
        help="Redis db of the harvest queues (default: the ini's ckan.harvest.mq.redis_db); "
        "give the benchmark its own when tests run on the same machine, they purge the queues",
    )
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    config = load_config(os.path.abspath(args.ckan_ini))
    config["ckan.plugins"] = config["ckan.plugins"] + " dcat_rdf_harvester"
    if args.harvest_redis_db is not None:
        config["ckan.harvest.mq.redis_db"] = args.harvest_redis_db
    app = make_app(config)
    with app._wsgi_app.test_request_context():
        return run(args.datasets, args.profile)


def run(count: int, profile_file: str | None = None) -> int:
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckan.tests import helpers
    from ckanext.harvest import queue

    from ckanext.datenraum.harvest.runner import run_source_now

    pooled_engine = model.meta.engine
    helpers.reset_db()
    for plugin in ("activity", "harvest", "datenraum_usage"):
        _migrate(plugin)
    # Alembic's env.py rebinds the model to a NullPool engine; without the pooled engine back,
    # every query opens a new PostgreSQL connection and the benchmark measures connects.
    model.init_model(pooled_engine)
    tk.get_action("harvest_sources_reindex")  # make sure the harvest actions are loaded
    queue.purge_queues()
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    context = {"user": site_user, "ignore_auth": True}
    organization = tk.get_action("organization_create")(
        dict(context), {"name": "bench", "title": "Benchmark", "contributor_id": CONTRIBUTOR}
    )

    with tempfile.TemporaryDirectory() as folder:
        pathlib.Path(folder, "catalog.ttl").write_text(catalogue_turtle(count), encoding="utf-8")
        server, url = serve(folder)

        def source(source_type: str, config: dict) -> str:
            return tk.get_action("harvest_source_create")(
                dict(context),
                {
                    "name": source_type.replace("_", "-"),
                    "url": url,
                    "source_type": source_type,
                    "owner_org": organization["id"],
                    "config": json.dumps(config),
                },
            )["id"]

        def timed(source_id: str, profiler=None) -> tuple[float, dict]:
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            job = run_source_now(source_id)
            if profiler:
                profiler.disable()
            model.Session.remove()
            return time.perf_counter() - started, job["stats"]

        ours = source(
            "datenraum_dcat",
            {"allow_private_targets": True, "withdrawal_guard": 0.2, "bench": "ours"},
        )
        profiler = cProfile.Profile() if profile_file else None
        first, first_stats = timed(ours, profiler)
        if profiler:
            profiler.dump_stats(profile_file)
        again, again_stats = timed(ours)
        tk.get_action("harvest_source_clear")(dict(context), {"id": ours})
        baseline_id = source("dcat_rdf", {"bench": "baseline"})
        base_first, base_first_stats = timed(baseline_id)
        base_again, base_again_stats = timed(baseline_id)
        server.shutdown()

    print(f"datasets in catalogue:            {count}")
    print(f"datenraum_dcat first harvest:     {first:8.1f} s  {first_stats}")
    print(f"datenraum_dcat unchanged rerun:   {again:8.1f} s  {again_stats}")
    print(f"  unchanged / first:              {again / first:8.1%}  (goal < 10 %)")
    print(f"dcat_rdf (plain) first harvest:   {base_first:8.1f} s  {base_first_stats}")
    print(f"dcat_rdf (plain) unchanged rerun: {base_again:8.1f} s  {base_again_stats}")
    print(f"  ours / plain, first harvest:    {first / base_first:8.2f}")
    print(f"  ours / plain, unchanged rerun:  {again / base_again:8.2f}")
    return 0


def _migrate(plugin: str) -> None:
    from ckan.cli.db import _run_migrations

    _run_migrations(plugin)


if __name__ == "__main__":
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
    sys.exit(main())
