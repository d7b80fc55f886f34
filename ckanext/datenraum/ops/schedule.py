"""The periodic jobs: which action runs when, and the scheduler that enqueues them.

The schedule is configuration (``ckanext.datenraum.schedule``), one job per line::

    NAME  WHEN  ACTION  [JSON data]

``WHEN`` is an interval (``90s``, ``5m``, ``1h``, ``1d``) or a cron expression in quotes or an
alias (``@daily``, ``"30 3 * * *"``) in ``ckanext.datenraum.schedule.timezone``. An interval job
runs when the scheduler first sees it and then every interval; a cron job at its times.

``ckan datenraum scheduler`` only decides and enqueues: each due job becomes one CKAN background
job that ``ckan jobs worker`` runs, calling the action as the site user. A job whose previous run
is still queued or running is skipped, so a slow run never piles up copies behind it. Times and
outcomes live in Redis, so a restarted scheduler neither repeats nor forgets a job, and several
schedulers (one per application server) enqueue each run once.
Why not RQ's own CronScheduler: docs/decisions/0502.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
import re
import shlex
import signal
import threading
import zoneinfo

import ckan.plugins.toolkit as tk
from croniter import croniter

log = logging.getLogger(__name__)

KEY_PREFIX = "datenraum:schedule:"
HEARTBEAT_KEY = KEY_PREFIX + "heartbeat"
LOCK_KEY = KEY_PREFIX + "lock"
PENDING_STATES = frozenset({"queued", "started", "deferred", "scheduled"})
_INTERVAL = re.compile(r"^(\d+)([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class ScheduleError(ValueError):
    """A line of ``ckanext.datenraum.schedule`` cannot be understood."""


@dataclasses.dataclass(frozen=True)
class ScheduledJob:
    name: str
    when: str
    action: str
    data: dict = dataclasses.field(default_factory=dict)

    @property
    def interval(self) -> datetime.timedelta | None:
        match = _INTERVAL.match(self.when)
        if not match:
            return None
        return datetime.timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2)])

    def next_run(self, last: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime:
        """When the job is due next, given its last run (None: never) and the time now."""
        interval = self.interval
        if interval is not None:
            return now if last is None else last + interval
        return croniter(self.when, last or now).get_next(datetime.datetime)

    def period(self, now: datetime.datetime) -> datetime.timedelta:
        """The time between two runs around ``now`` (for overdue checks)."""
        interval = self.interval
        if interval is not None:
            return interval
        times = croniter(self.when, now)
        first = times.get_next(datetime.datetime)
        return times.get_next(datetime.datetime) - first


def parse_schedule(text: str) -> list[ScheduledJob]:
    """The jobs of a ``ckanext.datenraum.schedule`` value; raises :class:`ScheduleError`."""
    jobs: list[ScheduledJob] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        # NAME WHEN ACTION, shell-quoted (a cron expression has spaces), then raw JSON data
        lexer = shlex.shlex(line, posix=True)
        lexer.whitespace_split = True
        lexer.commenters = ""
        try:
            parts = [lexer.get_token() for _ in range(3)]
        except ValueError as error:
            raise ScheduleError(f"schedule line {number}: {error}") from error
        if None in parts:
            raise ScheduleError(f"schedule line {number}: expected NAME WHEN ACTION, got {line!r}")
        name, when, action = parts
        rest = lexer.instream.read().strip()
        if not _INTERVAL.match(when) and not croniter.is_valid(when):
            raise ScheduleError(
                f"schedule line {number}: {when!r} is neither an interval (90s, 5m, 1h, 1d) "
                "nor a cron expression"
            )
        if _INTERVAL.match(when) and int(_INTERVAL.match(when).group(1)) == 0:
            raise ScheduleError(f"schedule line {number}: an interval must be longer than 0")
        data: dict = {}
        if rest:
            try:
                data = json.loads(rest)
            except ValueError as error:
                raise ScheduleError(f"schedule line {number}: data is not JSON: {error}") from error
            if not isinstance(data, dict):
                raise ScheduleError(f"schedule line {number}: data must be a JSON object")
        if any(job.name == name for job in jobs):
            raise ScheduleError(f"schedule line {number}: job name {name!r} appears twice")
        jobs.append(ScheduledJob(name, when, action, data))
    return jobs


def configured_jobs() -> list[ScheduledJob]:
    return parse_schedule(tk.config.get("ckanext.datenraum.schedule") or "")


def timezone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(tk.config.get("ckanext.datenraum.schedule.timezone"))


def now() -> datetime.datetime:
    return datetime.datetime.now(timezone())


# State in Redis: one hash per job.


def _state_key(name: str) -> str:
    return f"{KEY_PREFIX}job:{name}"


def _decode(mapping: dict) -> dict[str, str]:
    return {
        (key.decode() if isinstance(key, bytes) else key): (
            value.decode() if isinstance(value, bytes) else value
        )
        for key, value in mapping.items()
    }


def job_state(redis, name: str) -> dict[str, str]:
    """``enqueued``, ``job_id``, ``first_seen``, ``finished``, ``status``, ``message`` (strings)."""
    return _decode(redis.hgetall(_state_key(name)))


def _parse_time(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def record_outcome(redis, name: str, status: str, message: str) -> None:
    redis.hset(
        _state_key(name),
        mapping={"finished": now().isoformat(), "status": status, "message": message[:500]},
    )


# The job the worker runs.


def run_scheduled_action(name: str, action: str, data: dict) -> None:
    """Background job: call ``action`` as the site user and remember how it went."""
    from ckan.lib.redis import connect_to_redis

    redis = connect_to_redis()
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"user": site_user["name"], "ignore_auth": True}
    try:
        result = tk.get_action(action)(context, dict(data))
    except Exception as error:
        record_outcome(redis, name, "error", f"{type(error).__name__}: {error}")
        raise
    summary = json.dumps(result, default=str, ensure_ascii=False) if result is not None else ""
    record_outcome(redis, name, "ok", summary)
    log.info("scheduled job %s (%s) finished: %s", name, action, summary[:200])


# The scheduler.


def _pending(redis, job_id: str | None) -> bool:
    if not job_id:
        return False
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        status = Job.fetch(job_id, connection=redis).get_status(refresh=True)
    except NoSuchJobError:
        return False
    return getattr(status, "value", status) in PENDING_STATES


def enqueue_due(redis, jobs: list[ScheduledJob], at: datetime.datetime) -> list[str]:
    """Enqueue every job due at ``at``; returns the names enqueued."""
    enqueued = []
    for job in jobs:
        state = job_state(redis, job.name)
        if "first_seen" not in state:
            redis.hset(_state_key(job.name), "first_seen", at.isoformat())
            state["first_seen"] = at.isoformat()
        last = _parse_time(state.get("enqueued"))
        # A cron job waits for its first time after the scheduler first saw it.
        reference = last or (None if job.interval else _parse_time(state["first_seen"]))
        if job.next_run(reference, at) > at:
            continue
        if _pending(redis, state.get("job_id")):
            log.info("scheduled job %s skipped: its previous run is still pending", job.name)
            continue
        queued = tk.enqueue_job(
            run_scheduled_action,
            [job.name, job.action, job.data],
            title=f"datenraum schedule: {job.name}",
            rq_kwargs={"timeout": tk.config.get("ckanext.datenraum.schedule.job_timeout")},
        )
        redis.hset(_state_key(job.name), mapping={"enqueued": at.isoformat(), "job_id": queued.id})
        enqueued.append(job.name)
    return enqueued


def tick(redis, jobs: list[ScheduledJob], tick_seconds: float) -> list[str]:
    """One round: heartbeat, then enqueue due jobs unless another scheduler holds the lock."""
    redis.set(HEARTBEAT_KEY, now().isoformat(), ex=max(30, int(tick_seconds * 3)))
    if not redis.set(LOCK_KEY, "1", nx=True, ex=max(10, int(tick_seconds * 2))):
        return []
    try:
        return enqueue_due(redis, jobs, now())
    finally:
        redis.delete(LOCK_KEY)


def runnable(jobs: list[ScheduledJob]) -> list[ScheduledJob]:
    """The jobs whose action exists; the others are logged (their plugin is not enabled)."""
    available = []
    for job in jobs:
        try:
            tk.get_action(job.action)
        except KeyError:
            log.warning("scheduled job %s ignored: no action %s", job.name, job.action)
            continue
        available.append(job)
    return available


def run_forever(redis, jobs: list[ScheduledJob], tick_seconds: float) -> None:
    """``ckan datenraum scheduler``: tick until SIGTERM or SIGINT."""
    stop = threading.Event()

    def request_stop(signum, frame):
        log.info("scheduler: signal %s, stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    for job in jobs:
        log.info("scheduler: %s every %s -> %s %s", job.name, job.when, job.action, job.data)
    while not stop.is_set():
        try:
            for name in tick(redis, jobs, tick_seconds):
                log.info("scheduler: enqueued %s", name)
        except Exception:  # Redis away for a moment: try again next tick
            log.exception("scheduler tick failed")
        stop.wait(tick_seconds)
    redis.delete(HEARTBEAT_KEY)
