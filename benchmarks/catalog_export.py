"""Catalogue-page export through the real stack: ``dcatap_de`` against plain ``euro_dcat_ap_3``.

Creates (once; re-runs reuse them) N schema-valid datasets with 3 distributions each through
``package_create`` (indexed in one batch at the end, as ``import-all`` restores), spread over a
city's organisations, in the database and Solr core of the given configuration
(CKAN_SQLALCHEMY_URL / CKAN_SOLR_URL / CKAN_REDIS_URL override it). Then
serves Turtle catalogue pages of 100 datasets through ``dcat_catalog_show`` (the action behind
``/catalog.ttl``: Solr search plus serialisation) with both profiles in the same process:

- cold: empty caches (ckanext-dcat's organisation cache, our Redis cache of serialised datasets);
- warm: the same pages again.

It prints datasets per second, database queries per dataset and the ratios, and the time to
validate the whole catalogue as ``ckan datenraum validate --catalog`` does.

    CKAN_SQLALCHEMY_URL=... CKAN_SOLR_URL=... CKAN_REDIS_URL=... \\
    .venv/bin/python benchmarks/catalog_export.py [--ini test.ini] [--datasets 10000] \\
        [--organizations 40] [--pages 20] [--no-validate] [--profile]

``--profile`` prints a cProfile of one cold ``dcatap_de`` page instead of the measurement.
"""

from __future__ import annotations

import argparse
import pathlib
import resource
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
EU = "http://publications.europa.eu/resource/authority/"
PAGE = 100
THEMES = ("ENVI", "TRAN", "REGI", "SOCI", "ECON", "EDUC", "GOVE", "HEAL")
FORMATS = (("CSV", "text/csv"), ("JSON", "application/json"), ("PDF", "application/pdf"))
LICENCES = ("dl-by-de/2.0", "cc-by/4.0", "dl-zero-de/2.0", "cc-zero")


def organisation_fields(index: int) -> dict:
    return {
        "name": f"bench-amt-{index}",
        "title": f"Amt {index} der Stadt Jena",
        "dcat_type": "http://purl.org/adms/publishertype/LocalAuthority",
        "uri": f"https://www.jena.de/amt/{index}",
        "email": f"amt{index}@jena.example",
        "url": "https://www.jena.de",
        "contributor_id": "http://dcat-ap.de/def/contributors/govData",
    }


def dataset_fields(index: int, owner_org: str) -> dict:
    theme = THEMES[index % len(THEMES)]
    return {
        "name": f"bench-{index:05d}",
        "title": f"Messreihe {index} ({theme})",
        "notes": f"Generierter Datensatz {index} für den Export-Benchmark: Messwerte der Stadt.",
        "owner_org": owner_org,
        "tag_string": f"Jena,{theme.lower()},Messung",
        "license_id": LICENCES[index % len(LICENCES)],
        "theme": [f"{EU}data-theme/{theme}"],
        "language": [f"{EU}language/DEU"],
        "frequency": f"{EU}frequency/ANNUAL",
        "access_rights": f"{EU}access-right/PUBLIC",
        "political_geocoding_level_uri": (
            "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"
        ),
        "political_geocoding_uri": [
            "http://dcat-ap.de/def/politicalGeocoding/regionalKey/160530000000"
        ],
        "contact": [{"name": "Open Data Team", "email": "opendata@jena.example"}],
        "temporal_start": "2020-01-01",
        "temporal_end": "2024-12-31",
        "issued": "2021-03-01",
        "resources": [
            {
                "name": f"Messreihe {index} ({fmt})",
                "url": f"https://daten.jena.example/{index}/daten.{fmt.lower()}",
                "format": fmt,
                "mimetype": mimetype,
                "size": 1000 * (part + 1) + index,
                "modified": "2025-01-15",
            }
            for part, (fmt, mimetype) in enumerate(FORMATS)
        ],
    }


def ensure_catalogue(datasets: int, organisations: int, shard: str = "0/1") -> float | None:
    """Create the missing organisations and datasets; returns datasets created per second."""
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckan.lib import search

    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    org_ids = []
    for index in range(organisations):
        existing = model.Group.get(f"bench-amt-{index}")
        if existing is None:
            existing_id = tk.get_action("organization_create")(
                {"user": user}, organisation_fields(index)
            )["id"]
        else:
            existing_id = existing.id
        org_ids.append(existing_id)
    present = {
        name
        for (name,) in model.Session.query(model.Package.name).filter(
            model.Package.name.like("bench-%"), model.Package.state == "active"
        )
    }
    number, shards = map(int, shard.split("/"))
    missing = [i for i in range(number, datasets, shards) if f"bench-{i:05d}" not in present]
    if not missing:
        return None
    # As ``import-all`` restores (decision 0508): validated package_create, committed one by
    # one, no search-index write per dataset; then the datasets the index lacks, in one batch
    # with one commit (also those of an earlier run that was interrupted).
    context = {"user": user, "defer_commit": True, "return_id_only": True}
    started = time.perf_counter()
    for count, index in enumerate(missing, 1):
        tk.get_action("package_create")(
            dict(context), dataset_fields(index, org_ids[index % organisations])
        )
        model.repo.commit()
        if count % 500 == 0:
            print(f"  created {count}/{len(missing)}", flush=True)
    search.rebuild(only_missing=True, defer_commit=True, quiet=True)
    search.commit()
    return len(missing) / (time.perf_counter() - started)


class QueryCounter:
    def __init__(self):
        import sqlalchemy
        from ckan import model

        self.count = 0
        sqlalchemy.event.listen(model.meta.engine, "before_cursor_execute", self._count)

    def _count(self, *_args):
        self.count += 1


def serve_pages(profile: str, pages: int, counter: QueryCounter) -> tuple[float, float]:
    """Datasets per second and database queries per dataset over ``pages`` catalogue pages."""
    import ckan.plugins.toolkit as tk

    queries_before = counter.count
    started = time.perf_counter()
    for page in range(1, pages + 1):
        tk.get_action("dcat_catalog_show")(
            {}, {"page": page, "format": "ttl", "profiles": [profile]}
        )
    seconds = time.perf_counter() - started
    return pages * PAGE / seconds, (counter.count - queries_before) / (pages * PAGE)


def empty_caches(reset_redis_pattern: str) -> None:
    from ckan.lib.redis import connect_to_redis
    from ckanext.dcat.profiles.base import RDFProfile

    RDFProfile._org_cache.clear()
    redis = connect_to_redis()
    keys = list(redis.scan_iter(reset_redis_pattern, count=1000))
    for start in range(0, len(keys), 1000):
        redis.delete(*keys[start : start + 1000])


def profile_cold_page(counter: QueryCounter, reset_redis_pattern: str) -> None:
    import cProfile
    import pstats

    empty_caches(reset_redis_pattern)
    profiler = cProfile.Profile()
    profiler.runcall(serve_pages, "dcatap_de", 1, counter)
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(30)
    empty_caches(reset_redis_pattern)


def validate_catalogue() -> tuple[float, int, int]:
    """As ``ckan datenraum validate --catalog``: in chunks (validate.chunk_size per run)."""
    from ckanext.datenraum.dcatapde import cli, validation

    started = time.perf_counter()
    datasets = violations = 0
    for chunk in validation.validate_catalogue(cli._all_datasets()):
        datasets += chunk.datasets
        violations += len(chunk.report.violations)
    return time.perf_counter() - started, datasets, violations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=str(ROOT / "test.ini"))
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--organizations", type=int, default=40)
    parser.add_argument("--pages", type=int, default=20, help="catalogue pages per measurement")
    parser.add_argument("--no-validate", action="store_true")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one cold dcatap_de page and stop"
    )
    parser.add_argument(
        "--create-only",
        metavar="K/N",
        help="only create the missing datasets with index %% N == K (run N of these in parallel)",
    )
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ini))
    with app._wsgi_app.test_request_context("/catalog.ttl"):
        import ckan.plugins.toolkit as tk

        from ckanext.datenraum.dcatapde import rdf_cache

        created = ensure_catalogue(args.datasets, args.organizations, args.create_only or "0/1")
        if created:
            print(f"created datasets through package_create: {created:.1f}/s")
        if args.create_only:
            return
        counter = QueryCounter()
        # Warm-up outside the measurement: vocabulary files, shapes, profile classes.
        serve_pages("euro_dcat_ap_3", 1, counter)
        serve_pages("dcatap_de", 1, counter)
        if args.profile:
            profile_cold_page(counter, rdf_cache._key("*"))
            return

        empty_caches(rdf_cache._key("*"))
        base_cold = serve_pages("euro_dcat_ap_3", args.pages, counter)
        ours_cold = serve_pages("dcatap_de", args.pages, counter)
        base_warm = serve_pages("euro_dcat_ap_3", args.pages, counter)
        ours_warm = serve_pages("dcatap_de", args.pages, counter)
        empty_caches(rdf_cache._key("*"))  # leave no benchmark texts in the shared Redis

        print(
            f"catalogue: {args.datasets} datasets (3 distributions each), "
            f"{args.organizations} organisations; {args.pages} Turtle pages of {PAGE}"
        )
        print(f"{'':16}{'cold ds/s':>11}{'queries/ds':>12}{'warm ds/s':>11}{'queries/ds':>12}")
        for name, cold, warm in (
            ("euro_dcat_ap_3", base_cold, base_warm),
            ("dcatap_de", ours_cold, ours_warm),
        ):
            print(f"{name:16}{cold[0]:11.1f}{cold[1]:12.2f}{warm[0]:11.1f}{warm[1]:12.2f}")
        print(
            f"ratio dcatap_de / euro_dcat_ap_3: cold {ours_cold[0] / base_cold[0]:.2f}x, "
            f"warm {ours_warm[0] / base_warm[0]:.2f}x"
        )
        if not args.no_validate:
            seconds, count, violations = validate_catalogue()
            chunk_size = tk.config.get("ckanext.datenraum.dcatapde.validate.chunk_size")
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"validate --catalog: {count} datasets in {seconds:.1f} s "
                f"({count / seconds:.1f} datasets/s, chunks of {chunk_size}), "
                f"{violations} violations; peak RSS of this process {peak:.0f} MB"
            )


if __name__ == "__main__":
    main()
