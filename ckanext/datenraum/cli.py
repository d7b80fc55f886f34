"""``ckan datenraum …``: operator commands of the suite."""

from __future__ import annotations

import ckan.plugins as p
import click

from ckanext.datenraum import demo as demo_content
from ckanext.datenraum.backup import cli as backup_cli
from ckanext.datenraum.dcatapde import cli as dcatapde_cli
from ckanext.datenraum.doctor import run_checks
from ckanext.datenraum.harvest.cli import harvest_sources
from ckanext.datenraum.ops import cli as ops_cli
from ckanext.datenraum.participation import demo as participation_demo
from ckanext.datenraum.participation.cli import participation as participation_commands
from ckanext.datenraum.usage.cli import usage as usage_commands


@click.group(short_help="ckanext-datenraum commands")
def datenraum():
    """Commands of the ckanext-datenraum suite."""


datenraum.add_command(usage_commands)
datenraum.add_command(participation_commands)


@datenraum.command()
@click.option(
    "--services-only",
    is_flag=True,
    help="Check services, plugins and queues, not the process set (before it is started).",
)
def doctor(services_only: bool):
    """Check the services, plugins, queues and process set; exit 1 if any is unhealthy."""
    results = run_checks(services_only=services_only)
    for result in results:
        click.echo(result.line())
    unhealthy = [result.service for result in results if not result.healthy]
    if unhealthy:
        click.echo(f"unhealthy: {', '.join(unhealthy)}", err=True)
        raise SystemExit(1)
    click.echo("all services healthy")


@datenraum.command()
@click.option(
    "--admin", "admin_name", default="admin", show_default=True, help="Sysadmin user name"
)
@click.option("--admin-email", default="admin@example.org", show_default=True)
def demo(admin_name: str, admin_email: str):
    """Create the demo sysadmin, organisation and datasets (keeps what exists)."""
    report = demo_content.DemoReport()
    demo_content.ensure_sysadmin(admin_name, admin_email, report)
    if demo_content.ensure_xloader_token():
        report.created.append("API token for ckanext-xloader")
    demo_content.ensure_content(report=report)
    if p.plugin_loaded("datenraum_participation"):
        participation_demo.ensure(
            admin_name, demo_content.organization_name(), report.created, report.kept
        )
    for item in report.created:
        click.echo(f"created  {item}")
    if report.admin_password:
        click.secho(
            f"Sysadmin '{admin_name}' password: {report.admin_password}  "
            "(shown once; reset with `ckan user setpass`)",
            fg="yellow",
        )
    click.echo(f"demo content ready: {len(report.created)} created, {len(report.kept)} kept")


datenraum.add_command(harvest_sources)
for _command in (*dcatapde_cli.commands, *ops_cli.commands, *backup_cli.commands):
    datenraum.add_command(_command)
