"""``ckan datenraum scheduler`` and ``harvest-consumer``: the commands of the process set."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import click
from ckan.lib.redis import connect_to_redis

from ckanext.datenraum.ops import harvest_consumers, schedule


@click.command(short_help="Enqueue the periodic jobs when they are due")
@click.option(
    "--tick",
    type=float,
    help="Seconds between two looks (default: ckanext.datenraum.schedule.tick)",
)
@click.option("--once", is_flag=True, help="Look once, enqueue what is due, and exit")
def scheduler(tick: float | None, once: bool):
    """Enqueue the jobs of ckanext.datenraum.schedule for `ckan jobs worker` when they are due."""
    tick = tick or tk.config.get("ckanext.datenraum.schedule.tick")
    try:
        jobs = schedule.runnable(schedule.configured_jobs())
    except schedule.ScheduleError as error:
        raise click.ClickException(str(error)) from error
    redis = connect_to_redis()
    if once:
        for name in schedule.tick(redis, jobs, tick):
            click.echo(f"enqueued {name}")
        return
    schedule.run_forever(redis, jobs, tick)


@click.command("harvest-consumer", short_help="Run a harvest gather or fetch consumer")
@click.argument("stage", type=click.Choice(["gather", "fetch"]))
def harvest_consumer(stage: str):
    """ckanext-harvest's gather or fetch consumer, waiting however long the queue is idle."""
    harvest_consumers.consume(stage)


commands = [scheduler, harvest_consumer]
