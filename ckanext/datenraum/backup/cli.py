"""``ckan datenraum export-all DIR`` and ``ckan datenraum import-all DIR``."""

from __future__ import annotations

import logging
import pathlib

import click

from ckanext.datenraum.backup import archive
from ckanext.datenraum.common.backup import BackupError, BackupOptions


@click.command("export-all", short_help="Export everything the city owns into open formats")
@click.argument("directory", type=click.Path(file_okay=False, path_type=pathlib.Path))
@click.option(
    "--with-password-hashes",
    is_flag=True,
    help="Also export the users' password hashes (keep such an export secret).",
)
def export_all(directory: pathlib.Path, with_password_hashes: bool):
    """Write datasets (CKAN JSON and DCAT-AP.de), organisations, users, memberships,
    vocabularies, harvest sources, usage figures, uploaded files and a checksum manifest."""
    try:
        manifest = archive.export_all(
            directory, BackupOptions(with_password_hashes=with_password_hashes)
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    for part, counts in manifest["parts"].items():
        described = ", ".join(f"{count} {name}" for name, count in counts.items())
        click.echo(f"{part:<14} {described}")
    click.echo(f"exported {len(manifest['files'])} files to {directory} (manifest.json)")


@click.command("import-all", short_help="Restore an export into an empty instance")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=pathlib.Path))
def import_all(directory: pathlib.Path):
    """Check the export's manifest, then restore it into this instance, which must be empty.
    If an import stopped half-way, run it again with the same export to finish it."""
    _show_progress()
    try:
        counts = archive.import_all(directory)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    for part, restored in counts.items():
        described = ", ".join(f"{count} {name}" for name, count in restored.items())
        click.echo(f"{part:<14} {described}")
    click.echo("restored; the search index is rebuilt")


def _show_progress() -> None:
    """The restore's progress lines (``log.info`` every few hundred datasets), through the
    configured log handlers, also where the configuration logs only warnings."""
    logging.getLogger("ckanext.datenraum.backup").setLevel(logging.INFO)


commands = [export_all, import_all]
