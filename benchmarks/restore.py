"""Restore speed of ``ckan datenraum import-all``: the bulk path against plain ``package_create``.

Takes an export (e.g. the 2,211-dataset benchmark export of ``export-all``), cuts a copy with
its first ``--datasets`` datasets (manifest rewritten), and restores that copy twice into the
same empty instance (database wiped and migrated, Solr core cleared before each run):

- plain: one ``package_create`` per dataset as CKAN's API does it (validation, plugin hooks,
  a Solr add and commit per dataset), then the index rebuilt once;
- bulk: ``import-all`` as shipped (datasets still through ``package_create`` with validation,
  no Solr write per dataset, one bulk index at the end).

It prints datasets/s of each, the ratio, and checks that both give the same datasets and an index
that holds exactly the database's datasets. Give it its own database, Solr core and Redis
database (everything in them is deleted):

    CKAN_SQLALCHEMY_URL=postgresql://ckan:ckan@127.0.0.1:5432/ckan_restore \\
    CKAN_SOLR_URL=http://127.0.0.1:8983/solr/ckan_restore \\
    CKAN_REDIS_URL=redis://127.0.0.1:6379/5 \\
      .venv/bin/python benchmarks/restore.py EXPORT [--ini test.ini] [--datasets 200] \\
        [--profile plain|bulk] [--only bulk]

``--profile MODE`` prints a cProfile of that mode's restore instead of the comparison.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pathlib
import pstats
import shutil
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
MIGRATED_PLUGINS = ("activity", "harvest", "datenraum_usage", "datenraum_participation")


def cut_export(source: pathlib.Path, target: pathlib.Path, datasets: int) -> int:
    """A copy of ``source`` with its first ``datasets`` datasets and a matching manifest."""
    from ckanext.datenraum.backup import archive

    shutil.copytree(source, target)
    lines = (source / "datasets" / "datasets.jsonl").read_text(encoding="utf-8").splitlines()
    kept = lines[:datasets]
    (target / "datasets" / "datasets.jsonl").write_text(
        "".join(line + "\n" for line in kept), encoding="utf-8"
    )
    # usage rows name datasets by id; keep the ones of the kept datasets only
    manifest = json.loads((target / archive.MANIFEST).read_text(encoding="utf-8"))
    manifest["parts"]["datasets"]["datasets"] = len(kept)
    for entry in manifest["files"]:
        path = target / entry["path"]
        entry["bytes"] = path.stat().st_size
        entry["sha256"] = archive.sha256(path)
    (target / archive.MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return len(kept)


def empty_instance() -> None:
    """Drop and recreate every table (core and plugins), clear the Solr core."""
    from ckan import model
    from ckan.cli.db import _run_migrations
    from ckan.lib import search

    pooled_engine = model.meta.engine
    model.Session.remove()
    model.repo.rebuild_db()
    for plugin in MIGRATED_PLUGINS:
        _run_migrations(plugin)
    # alembic's env.py rebinds the model to a NullPool engine (a connection per transaction)
    model.init_model(pooled_engine)
    search.clear_all()


def plain_restore(export: pathlib.Path) -> None:
    """``import-all`` as it was before the bulk path: each dataset indexed and committed."""
    from ckanext.datenraum.backup import archive
    from ckanext.datenraum.common.backup import BackupOptions

    archive.import_all(export, BackupOptions(index_each_dataset=True))


def bulk_restore(export: pathlib.Path) -> None:
    from ckanext.datenraum.backup import archive

    archive.import_all(export)


def catalogue_state() -> tuple[dict, set, set]:
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckan.lib import search

    context = {"ignore_auth": True}
    site_user = tk.get_action("get_site_user")(context, {})["id"]
    datasets = {}
    for (dataset_id,) in model.Session.query(model.Package.id).filter(
        model.Package.type == "dataset"
    ):
        shown = tk.get_action("package_show")(context, {"id": dataset_id})
        if shown["creator_user_id"] == site_user:  # each emptied instance has a new one
            shown["creator_user_id"] = "the site user"
        datasets[dataset_id] = shown
    in_database = {
        row.id
        for row in model.Session.query(model.Package.id).filter(model.Package.state != "deleted")
    }
    indexed = set(search.query_for(model.Package).get_all_entity_ids(max_results=1_000_000))
    return datasets, in_database, indexed


def timed(restore, export: pathlib.Path, datasets: int) -> float:
    empty_instance()
    started = time.perf_counter()
    restore(export)
    return datasets / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=pathlib.Path)
    parser.add_argument("--ini", default=str(ROOT / "test.ini"))
    parser.add_argument("--datasets", type=int, default=200)
    parser.add_argument("--profile", choices=("plain", "bulk"))
    parser.add_argument("--only", choices=("plain", "bulk"), help="time one path only")
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ini))
    modes = {"plain": plain_restore, "bulk": bulk_restore}
    with tempfile.TemporaryDirectory() as scratch, app._wsgi_app.test_request_context("/"):
        export = pathlib.Path(scratch) / "export"
        count = cut_export(args.export, export, args.datasets)
        if args.profile:
            empty_instance()
            profiler = cProfile.Profile()
            profiler.runcall(modes[args.profile], export)
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(45)
            stats.dump_stats(f"/tmp/restore-{args.profile}.prof")
            return
        rates, states = {}, {}
        for name in (args.only,) if args.only else ("plain", "bulk"):
            rates[name] = timed(modes[name], export, count)
            states[name] = catalogue_state()
            datasets, in_database, indexed = states[name]
            print(
                f"{name:6} {rates[name]:6.1f} datasets/s  "
                f"({len(datasets)} datasets; index = database: {indexed == in_database})",
                flush=True,
            )
        print(f"restored {count} datasets of {args.export}")
        if len(rates) == 2:
            print(f"bulk / plain: {rates['bulk'] / rates['plain']:.1f}x")
            plain, bulk = states["plain"][0], states["bulk"][0]
            differing = sorted(
                {
                    key
                    for dataset_id in set(plain) | set(bulk)
                    for key in set(plain.get(dataset_id, {})) | set(bulk.get(dataset_id, {}))
                    if plain.get(dataset_id, {}).get(key) != bulk.get(dataset_id, {}).get(key)
                }
            )
            print(f"package_show of both paths differs in: {', '.join(differing) or 'nothing'}")


if __name__ == "__main__":
    main()
