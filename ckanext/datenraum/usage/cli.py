"""``ckan datenraum usage …``: the aggregation job and the other periodic tasks."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import click


def _site_context() -> dict:
    if not p.plugin_loaded("datenraum_usage"):
        raise click.ClickException("plugin datenraum_usage is not enabled in ckan.plugins")
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


@click.group(short_help="Usage statistics")
def usage():
    """Privacy-first usage statistics (plugin datenraum_usage)."""


@usage.command()
@click.option("--no-reindex", is_flag=True, help="Do not re-index datasets for the popular sort")
def aggregate(no_reindex: bool):
    """Aggregate buffered events into PostgreSQL; destroy expired buffers and past salts."""
    result = tk.get_action("datenraum_usage_aggregate")(
        _site_context(), {"reindex": not no_reindex}
    )
    click.echo(
        f"aggregated {result['events']} events of {len(result['days'])} day(s); "
        f"dropped {len(result['dropped_buffers'])} expired buffer(s), "
        f"destroyed {result['destroyed_salts']} salt(s), re-indexed {result['reindexed']} "
        "dataset(s)"
    )


@usage.command(name="quality")
def quality_score():
    """Score the metadata quality of every dataset (data.europa.eu MQA dimensions, max 405)."""
    result = tk.get_action("datenraum_usage_quality_score")(_site_context(), {})
    click.echo(f"scored {result['scored']} dataset(s) (maximum {result['maximum']} points)")


@usage.command()
@click.option("--month", help="YYYY-MM; default: the previous month")
def publish(month: str | None):
    """Publish a month's public (suppressed) figures as a CSV in the catalogue (run monthly)."""
    try:
        result = tk.get_action("datenraum_usage_publish")(_site_context(), {"month": month})
    except tk.ValidationError as error:
        raise click.ClickException(str(error.error_dict)) from error
    click.echo(f"published {result['month']} to dataset {result['dataset']}")
