"""``ckan datenraum harvest-sources sync|status``."""

from __future__ import annotations

import pathlib

import click

from ckanext.datenraum.harvest import health
from ckanext.datenraum.harvest.sources import SourceFileError
from ckanext.datenraum.harvest.sync import apply_sync, plan_sync, sources_folder


@click.group("harvest-sources", short_help="Harvest sources as code")
def harvest_sources():
    """Harvest sources declared as YAML files in harvest_sources/."""


@harvest_sources.command()
@click.option("--dry-run", is_flag=True, help="Show what would change, change nothing.")
@click.option(
    "--folder",
    type=click.Path(exists=True, file_okay=False, path_type=pathlib.Path),
    help="Folder of source files (default: ckanext.datenraum.harvest.sources_dir).",
)
def sync(dry_run: bool, folder: pathlib.Path | None):
    """Create, update and deactivate harvest sources so CKAN matches the folder."""
    try:
        plan = plan_sync(folder or sources_folder())
    except SourceFileError as error:
        for file, key, message in error.problems:
            click.secho(f"{file}: key '{key}': {message}", fg="red", err=True)
        click.echo("invalid source files: nothing was changed", err=True)
        raise SystemExit(1) from error
    for line in plan.lines():
        click.echo(line)
    if dry_run:
        click.echo("dry run: nothing was changed")
        return
    apply_sync(plan)
    click.echo(
        f"synced: {len(plan.create)} created, {len(plan.update)} updated, "
        f"{len(plan.deactivate)} deactivated, {len(plan.unchanged)} unchanged"
    )


@harvest_sources.command()
def status():
    """Last run of every harvest source: added/updated/withdrawn/errors and messages."""
    sources = [health.source_health(source) for source in health.all_sources()]
    if not sources:
        click.echo("no harvest sources")
        return
    for source in sources:
        job = source["last_job"]
        flag = "" if source["active"] else " (inactive)"
        if job is None:
            click.echo(f"{source['name']}{flag}: never run")
            continue
        click.echo(
            f"{source['name']}{flag}: {source['state']}, last run {job['created']} "
            f"({job['status']}): {job['added']} added, {job['updated']} updated, "
            f"{job['withdrawn']} withdrawn, {job['errors']} errors; "
            f"{source['datasets']} datasets"
        )
        for message in job["messages"]:
            click.echo(f"    {message}")
