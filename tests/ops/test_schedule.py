"""The periodic-job schedule: parsing the configuration, deciding what is due, enqueueing once.

Parsing and the due times are pure; enqueueing runs against the test run's Redis and CKAN's
real background-job queue (the jobs are removed again, no worker runs them here).
"""

from __future__ import annotations

import datetime
import uuid

import ckan.plugins.toolkit as tk
import pytest
import yaml
from ckan.lib.jobs import get_queue
from ckan.lib.redis import connect_to_redis

from ckanext.datenraum.ops import schedule
from ckanext.datenraum.ops.schedule import ScheduledJob, ScheduleError, parse_schedule
from tests.ops.conftest import REPO_ROOT

BERLIN = datetime.timezone(datetime.timedelta(hours=1))


def _declared_default() -> str:
    declaration = yaml.safe_load(
        (REPO_ROOT / "ckanext" / "datenraum" / "config_declaration.yaml").read_text()
    )
    options = {
        option["key"]: option for group in declaration["groups"] for option in group["options"]
    }
    return options["ckanext.datenraum.schedule"]["default"]


def test_the_default_schedule_runs_every_periodic_job_of_the_suite():
    jobs = {job.name: job for job in parse_schedule(_declared_default())}

    assert {name: (job.when, job.action) for name, job in jobs.items()} == {
        "harvest-sources": ("5m", "datenraum_harvest_sources_sync"),
        "harvest-run": ("1m", "harvest_jobs_run"),
        "usage-aggregate": ("1h", "datenraum_usage_aggregate"),
        "usage-quality": ("30 3 * * *", "datenraum_usage_quality_score"),
        "usage-publish": ("0 4 1 * *", "datenraum_usage_publish"),
    }


def test_a_line_may_carry_json_data_and_comments_are_skipped():
    (job,) = parse_schedule(
        "# nightly, without re-indexing\n"
        'aggregate @daily datenraum_usage_aggregate {"reindex": false}\n'
    )

    assert job == ScheduledJob(
        "aggregate", "@daily", "datenraum_usage_aggregate", {"reindex": False}
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sync 5x datenraum_harvest_sources_sync", "line 1: '5x' is neither an interval"),
        ("sync 5m", "line 1: expected NAME WHEN ACTION"),
        ("a 1m x\na 1h y", "line 2: job name 'a' appears twice"),
        ("a 0s x", "line 1: an interval must be longer than 0"),
        ("a 1m x {not json}", "line 1: data is not JSON"),
        ("a 1m x [1, 2]", "line 1: data must be a JSON object"),
        ('a "30 3 * *" x', "line 1: '30 3 * *' is neither an interval"),
    ],
)
def test_a_wrong_line_is_named_with_its_number(text, message):
    with pytest.raises(ScheduleError, match=message.replace("[", r"\[").replace("*", r"\*")):
        parse_schedule(text)


def test_an_interval_job_runs_at_once_then_after_each_interval():
    job = ScheduledJob("run", "5m", "harvest_jobs_run")
    now = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=BERLIN)

    assert job.next_run(None, now) == now
    assert job.next_run(now, now) == now + datetime.timedelta(minutes=5)


def test_a_cron_job_runs_at_its_times_in_the_schedules_zone():
    job = ScheduledJob("quality", "30 3 * * *", "datenraum_usage_quality_score")
    last = datetime.datetime(2026, 3, 2, 3, 30, tzinfo=BERLIN)

    assert job.next_run(last, last) == datetime.datetime(2026, 3, 3, 3, 30, tzinfo=BERLIN)
    assert job.period(last) == datetime.timedelta(days=1)


@pytest.fixture
def redis():
    client = connect_to_redis()
    yield client
    for key in client.scan_iter(match=schedule.KEY_PREFIX + "job:test-*"):
        client.delete(key)


def _job_name() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def test_a_due_job_is_enqueued_once_while_its_run_is_pending(redis):
    job = ScheduledJob(_job_name(), "1m", "status_show")
    now = datetime.datetime.now(BERLIN)

    first = schedule.enqueue_due(redis, [job], now)
    # a minute later the first run has not been picked up: no second copy behind it
    second = schedule.enqueue_due(redis, [job], now + datetime.timedelta(minutes=1, seconds=1))

    state = schedule.job_state(redis, job.name)
    queued = get_queue().fetch_job(state["job_id"])
    queued.delete()
    assert first == [job.name]
    assert second == []
    assert queued.func_name == "ckanext.datenraum.ops.schedule.run_scheduled_action"
    assert queued.args == [job.name, "status_show", {}]


def test_a_job_whose_run_finished_is_enqueued_again_when_due(redis):
    job = ScheduledJob(_job_name(), "1m", "status_show")
    now = datetime.datetime.now(BERLIN)
    schedule.enqueue_due(redis, [job], now)
    get_queue().fetch_job(schedule.job_state(redis, job.name)["job_id"]).delete()

    not_yet = schedule.enqueue_due(redis, [job], now + datetime.timedelta(seconds=30))
    due = schedule.enqueue_due(redis, [job], now + datetime.timedelta(minutes=1))

    get_queue().fetch_job(schedule.job_state(redis, job.name)["job_id"]).delete()
    assert not_yet == []
    assert due == [job.name]


def test_a_cron_job_waits_for_its_first_time(redis):
    job = ScheduledJob(_job_name(), "0 4 1 * *", "status_show")
    now = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=BERLIN)

    assert schedule.enqueue_due(redis, [job], now) == []
    due = schedule.enqueue_due(redis, [job], datetime.datetime(2026, 4, 1, 4, 0, tzinfo=BERLIN))

    get_queue().fetch_job(schedule.job_state(redis, job.name)["job_id"]).delete()
    assert due == [job.name]


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_the_job_calls_the_action_as_site_user_and_records_the_outcome(redis):
    name = _job_name()

    schedule.run_scheduled_action(name, "status_show", {})

    state = schedule.job_state(redis, name)
    assert state["status"] == "ok"
    assert state["message"].startswith('{"site_title": "Urbaner Datenraum (Test)"')  # its result


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_failing_job_records_the_error_and_fails(redis):
    name = _job_name()

    with pytest.raises(tk.ObjectNotFound):
        schedule.run_scheduled_action(name, "package_show", {"id": "no-such-dataset"})

    state = schedule.job_state(redis, name)
    assert state["status"] == "error"
    assert state["message"].startswith("NotFound")
