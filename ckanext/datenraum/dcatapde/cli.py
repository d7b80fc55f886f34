"""``ckan datenraum validate|import|vocabularies``: DCAT-AP.de commands (see ../cli.py)."""

from __future__ import annotations

import pathlib

import ckan.plugins.toolkit as tk
import click

from ckanext.datenraum.dcatapde import export, validation, vocabularies

PAGE_SIZE = 100


def _site_context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _all_datasets():
    start = 0
    while True:
        page = tk.get_action("package_search")(
            _site_context(),
            {"q": "*:*", "rows": PAGE_SIZE, "start": start, "sort": "name asc"},
        )
        yield from page["results"]
        start += PAGE_SIZE
        if start >= page["count"]:
            return


@click.command()
@click.option("--dataset", "dataset_name", help="Validate only this dataset (name or id)")
@click.option(
    "--catalog",
    is_flag=True,
    help="Validate the whole catalogue (in chunks: ckanext.datenraum.dcatapde.validate.chunk_size)",
)
def validate(dataset_name: str | None, catalog: bool):
    """Validate the DCAT-AP.de export against the 3.0 and GovData shapes; exit 1 on violations."""
    if bool(dataset_name) == catalog:
        raise click.UsageError("give either --dataset NAME or --catalog")
    if dataset_name:
        try:
            dataset = tk.get_action("package_show")(_site_context(), {"id": dataset_name})
        except tk.ObjectNotFound:
            raise click.ClickException(f"no dataset {dataset_name!r}") from None
        report = validation.validate_graph(export.datasets_graph([dataset], with_catalog=False))
        chunks = [validation.Chunk(1, report)]
    else:
        chunks = validation.validate_catalogue(_all_datasets())
    datasets = violations = 0
    for chunk in chunks:  # printed as each chunk is validated
        for result in chunk.report.violations:
            click.echo(result.line())
        datasets += chunk.datasets
        violations += len(chunk.report.violations)
    click.echo(f"{datasets} datasets, {violations} violations")
    if violations:
        raise SystemExit(1)


@click.group()
def vocabularies_group():
    """Controlled vocabularies of the DCAT-AP.de schema."""


@vocabularies_group.command("list")
def list_vocabularies():
    """Show every vocabulary with its version, concept count and source."""
    for name in vocabularies.names():
        vocabulary = vocabularies.get(name)
        click.echo(f"{name}\t{vocabulary.version}\t{len(vocabulary.concepts)}\t{vocabulary.path}")


@vocabularies_group.command("update")
@click.argument("source")
def update_vocabulary(source: str):
    """Install a newer release of a vocabulary from a local FILE or an http(s) URL."""
    from ckanext.datenraum.dcatapde import download

    try:
        with download.local_copy(source) as path:
            vocabulary = vocabularies.install(pathlib.Path(path))
    except (vocabularies.VocabularyError, download.DownloadError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"{vocabulary.name}: version {vocabulary.version}, {len(vocabulary.concepts)} concepts "
        f"installed to {vocabulary.path}"
    )


vocabularies_group.name = "vocabularies"


@click.command("govdata-feed")
def govdata_feed():
    """How many datasets /catalog/govdata.* delivers, and why the others stay out."""
    from ckanext.datenraum.dcatapde import govdata

    report = govdata.feed_report(_site_context())
    click.echo(f"{report['datasets']} datasets, {report['delivered']} delivered to GovData")
    for item in report["left_out"]:
        if item["count"]:
            examples = ", ".join(item["examples"])
            click.echo(f"{item['count']:>6} left out: {item['explanation']} ({examples}, ...)")


commands = [validate, vocabularies_group, govdata_feed]


@click.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=pathlib.Path))
@click.option(
    "--org", "organization", required=True, help="Organisation that receives the datasets"
)
@click.option(
    "--contributor-id",
    help="dcat-ap.de contributor ID (http://dcat-ap.de/def/contributors/…) for the datasets "
    "that name none, where the organisation has no default",
)
def import_datasets(source: pathlib.Path, organization: str, contributor_id: str | None):
    """Create or update datasets from a DCAT-AP(.de) RDF file (any rdflib format)."""
    from ckanext.datenraum.dcatapde import importer

    site_user = _site_context()["user"]
    try:
        report = importer.import_file(source, organization, site_user, contributor_id)
    except tk.ObjectNotFound:
        raise click.ClickException(f"no organisation {organization!r}") from None
    except importer.ImportFailed as error:
        raise click.ClickException(str(error)) from None
    for label, errors in report.failed:
        click.echo(f"FAILED  {label}: {errors}")
    for label, note in report.notes:
        click.echo(f"note    {label}: {note}")
    if any("contributor_id" in errors for _, errors in report.failed):
        click.echo(
            "hint    GovData requires a contributor ID: set the organisation's default "
            "(Vorgabe Datenbereitsteller-ID) or pass --contributor-id"
        )
    click.echo(
        f"{report.in_file} datasets in file: {len(report.created)} created, "
        f"{len(report.updated)} updated, {len(report.unchanged)} unchanged, "
        f"{len(report.failed)} failed"
    )
    if report.failed or report.accounted != report.in_file:
        raise SystemExit(1)


commands.append(import_datasets)
