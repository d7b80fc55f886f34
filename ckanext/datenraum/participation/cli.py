"""``ckan datenraum participation …``: publishing the data requests as open data."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import click


def _site_context() -> dict:
    if not p.plugin_loaded("datenraum_participation"):
        raise click.ClickException("plugin datenraum_participation is not enabled in ckan.plugins")
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


@click.group(short_help="Citizen participation")
def participation():
    """Data requests, use cases and comments (plugin datenraum_participation)."""


@participation.command()
def publish():
    """Write all public data requests (CSV and JSON, no personal data) into the catalogue."""
    try:
        resources = tk.get_action("datenraum_request_publish")(_site_context(), {})
    except tk.ValidationError as error:
        raise click.ClickException(str(error.error_dict)) from error
    for resource in resources:
        click.echo(f"published {resource['name']}: {resource['url']}")
