"""Health checks behind ``ckan datenraum doctor``: one check per service, each with a short verdict.

Every check reads the live configuration and opens its own short-timeout connection, so it
reports the service the config points at right now, not what CKAN cached at start-up. Beyond
the services: the queues' lengths, and, where a process manager runs the process set
(``ckanext.datenraum.processes.manager``), every process and the scheduler's last runs.
"""

from __future__ import annotations

import dataclasses
import datetime
import subprocess
import xmlrpc.client
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit
from xml.etree import ElementTree

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import redis
import requests
import sqlalchemy as sa
from ckan.lib.search import SUPPORTED_SCHEMA_VERSIONS

from ckanext.datenraum.ops import processes, schedule


@dataclasses.dataclass(frozen=True)
class CheckResult:
    service: str
    healthy: bool
    detail: str
    skipped: bool = False

    def line(self) -> str:
        verdict = "SKIP" if self.skipped else "OK  " if self.healthy else "FAIL"
        return f"{verdict}  {self.service:<10}  {self.detail}"


def _skipped(service: str, detail: str) -> CheckResult:
    return CheckResult(service, True, detail, skipped=True)


def _timeout() -> float:
    return tk.config.get("ckanext.datenraum.doctor.timeout")


def redact_password(url: str) -> str:
    """``postgresql://ckan:secret@host/db`` -> ``postgresql://ckan:***@host/db``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def check_postgresql() -> CheckResult:
    url = tk.config.get("sqlalchemy.url")
    engine = sa.create_engine(url, connect_args={"connect_timeout": max(1, int(_timeout()))})
    try:
        with engine.connect() as connection:
            version = connection.execute(sa.text("SHOW server_version")).scalar()
    except sa.exc.SQLAlchemyError as error:
        reason = str(error.orig if getattr(error, "orig", None) else error).strip().splitlines()[0]
        return CheckResult(
            "PostgreSQL", False, f"cannot connect to {redact_password(url)}: {reason}"
        )
    finally:
        engine.dispose()
    return CheckResult("PostgreSQL", True, f"PostgreSQL {version} at {redact_password(url)}")


def solr_schema_version(schema_xml: str) -> str:
    """The CKAN schema version a Solr schema declares (``ckan-2.12`` -> ``2.12``)."""
    root = ElementTree.fromstring(schema_xml)  # noqa: S314 - our own Solr's answer, no entities
    name = root.get("name", "")
    return name.removeprefix("ckan-") if name.startswith("ckan-") else root.get("version", "")


def check_solr() -> CheckResult:
    url = tk.config.get("solr_url").rstrip("/")
    try:
        ping = requests.get(f"{url}/admin/ping", params={"wt": "json"}, timeout=_timeout())
        ping.raise_for_status()
        schema = requests.get(f"{url}/schema", params={"wt": "schema.xml"}, timeout=_timeout())
        schema.raise_for_status()
        count = requests.get(
            f"{url}/select", params={"q": "*:*", "rows": 0, "wt": "json"}, timeout=_timeout()
        ).json()["response"]["numFound"]
    except (requests.RequestException, ValueError, KeyError) as error:
        return CheckResult("Solr", False, f"core at {url} not reachable: {error}")
    version = solr_schema_version(schema.text)
    if version not in SUPPORTED_SCHEMA_VERSIONS:
        return CheckResult(
            "Solr",
            False,
            f"core at {url} has schema version {version!r}, CKAN needs one of "
            f"{', '.join(SUPPORTED_SCHEMA_VERSIONS)}",
        )
    return CheckResult("Solr", True, f"core at {url}, CKAN schema {version}, {count} documents")


def check_redis() -> CheckResult:
    url = tk.config.get("ckan.redis.url")
    client = redis.Redis.from_url(url, socket_timeout=_timeout(), socket_connect_timeout=_timeout())
    try:
        version = client.info("server")["redis_version"]
    except redis.RedisError as error:
        return CheckResult("Redis", False, f"cannot reach {redact_password(url)}: {error}")
    finally:
        client.close()
    return CheckResult("Redis", True, f"Redis {version} at {redact_password(url)}")


def check_plugins() -> CheckResult:
    required = tk.config.get("ckanext.datenraum.required_plugins")
    configured = tk.config.get("ckan.plugins")
    missing = [name for name in required if name not in configured]
    not_loaded = [name for name in required if name in configured and not p.plugin_loaded(name)]
    if missing or not_loaded:
        problems = []
        if missing:
            problems.append(f"missing from ckan.plugins: {', '.join(missing)}")
        if not_loaded:
            problems.append(f"configured but not loaded: {', '.join(not_loaded)}")
        return CheckResult("Plugins", False, "; ".join(problems))
    return CheckResult("Plugins", True, f"enabled: {' '.join(configured)}")


def _manager() -> str:
    return (tk.config.get("ckanext.datenraum.processes.manager") or "none").strip().lower()


def supervisor_states(url: str, timeout: float) -> dict[str, list[str]]:
    """``{program: [state of each instance]}`` from supervisord's XML-RPC interface."""
    from supervisor.xmlrpc import SupervisorTransport

    transport = SupervisorTransport(serverurl=url)
    transport.timeout = timeout
    proxy = xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport)
    states: dict[str, list[str]] = {}
    for info in proxy.supervisor.getAllProcessInfo():
        states.setdefault(info["group"], []).append(info["statename"])
    return states


def parse_systemctl_units(output: str) -> dict[str, str]:
    """``{unit: active state}`` from ``systemctl list-units --plain --no-legend`` output."""
    states = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 4:
            states[parts[0]] = parts[2]
    return states


def systemd_states(fetch_consumers: int, timeout: float) -> dict[str, list[str]]:
    """``{program: [state of each expected unit]}``; a unit systemd does not know is ``missing``."""
    units = processes.systemd_unit_names(fetch_consumers)
    command = ["systemctl", "list-units", "--all", "--plain", "--no-legend", "--no-pager"]
    output = subprocess.run(  # noqa: S603 - fixed arguments and our own unit names
        [*command, *units], capture_output=True, text=True, timeout=max(timeout, 5), check=True
    ).stdout
    known = parse_systemctl_units(output)
    states: dict[str, list[str]] = {}
    for unit in units:
        program = unit.removeprefix(processes.UNIT_PREFIX).split("@")[0].removesuffix(".service")
        state = known.get(unit, "missing")
        states.setdefault(program, []).append("RUNNING" if state == "active" else state.upper())
    return states


def process_verdict(states: dict[str, list[str]]) -> tuple[bool, str]:
    """Every process of the set must be there and running; pure, for the tests."""
    parts, healthy = [], True
    for name in processes.PROCESS_NAMES:
        instances = states.get(name, [])
        running = sum(state == "RUNNING" for state in instances)
        if not instances or running < len(instances):
            healthy = False
            shown = ", ".join(sorted(set(instances) - {"RUNNING"})) or "not configured"
            parts.append(f"{name} {running}/{len(instances)} running ({shown})")
        else:
            parts.append(f"{name} {running}/{len(instances)}")
    return healthy, ", ".join(parts)


def check_processes() -> CheckResult:
    manager = _manager()
    if manager == "none":
        return _skipped("Processes", "no process manager configured (processes.manager = none)")
    url = tk.config.get("ckanext.datenraum.processes.supervisor_url")
    try:
        if manager == "supervisor":
            if not url:
                return CheckResult("Processes", False, "processes.supervisor_url is not set")
            states = supervisor_states(url, _timeout())
        elif manager == "systemd":
            fetch = tk.config.get("ckanext.datenraum.processes.fetch_consumers")
            states = systemd_states(fetch, _timeout())
        else:
            return CheckResult("Processes", False, f"unknown processes.manager {manager!r}")
    except (OSError, xmlrpc.client.Error, subprocess.SubprocessError) as error:
        where = f" at {url}" if manager == "supervisor" else ""
        return CheckResult("Processes", False, f"cannot ask {manager}{where}: {error}")
    healthy, detail = process_verdict(states)
    return CheckResult("Processes", healthy, f"{manager}: {detail}")


def queue_lengths() -> dict[str, int]:
    """Messages waiting in the harvest queues and the background-job queue."""
    from ckan.lib.jobs import get_queue

    lengths = {"jobs": get_queue().count}
    if p.plugin_loaded("harvest"):
        from ckanext.harvest import queue as harvest_queue

        if tk.config.get("ckan.harvest.mq.type", "amqp") == "redis":
            connection = harvest_queue.get_connection()
            lengths["harvest-gather"] = connection.llen(harvest_queue.get_gather_routing_key())
            lengths["harvest-fetch"] = connection.llen(harvest_queue.get_fetch_routing_key())
    return lengths


def check_queues() -> CheckResult:
    try:
        lengths = queue_lengths()
    except (redis.RedisError, OSError) as error:
        return CheckResult("Queues", False, f"cannot read the queues: {error}")
    detail = ", ".join(f"{name} {length}" for name, length in lengths.items())
    limit = tk.config.get("ckanext.datenraum.doctor.queue_limit")
    over = [name for name, length in lengths.items() if limit and length > limit]
    if over:
        return CheckResult("Queues", False, f"{detail}; longer than {limit}: {', '.join(over)}")
    return CheckResult("Queues", True, f"waiting: {detail}")


def schedule_problems(
    jobs: list[schedule.ScheduledJob],
    states: dict[str, dict[str, str]],
    now: datetime.datetime,
) -> list[str]:
    """Jobs whose last run failed or that have not succeeded for two periods; pure."""
    problems = []
    for job in jobs:
        state = states.get(job.name, {})
        if state.get("status") == "error":
            problems.append(f"{job.name} failed at {state.get('finished')}: {state.get('message')}")
            continue
        since = state.get("finished") if state.get("status") == "ok" else state.get("first_seen")
        if since is None:
            continue
        grace = 2 * job.period(now) + datetime.timedelta(minutes=5)
        if now - datetime.datetime.fromisoformat(since) > grace:
            problems.append(f"{job.name} has not succeeded since {since}")
    return problems


def check_scheduler() -> CheckResult:
    if _manager() == "none":
        return _skipped("Scheduler", "no process manager configured (processes.manager = none)")
    try:
        jobs = schedule.configured_jobs()
    except schedule.ScheduleError as error:
        return CheckResult("Scheduler", False, str(error))
    timeout = _timeout()
    client = redis.Redis.from_url(
        tk.config.get("ckan.redis.url"), socket_timeout=timeout, socket_connect_timeout=timeout
    )
    try:
        heartbeat = client.get(schedule.HEARTBEAT_KEY)
        states = {job.name: schedule.job_state(client, job.name) for job in jobs}
    except redis.RedisError as error:
        return CheckResult("Scheduler", False, f"cannot read its state: {error}")
    finally:
        client.close()
    if heartbeat is None:
        return CheckResult("Scheduler", False, "not running (no heartbeat in Redis)")
    problems = schedule_problems(jobs, states, schedule.now())
    if problems:
        return CheckResult("Scheduler", False, "; ".join(problems))
    ran = sum(1 for state in states.values() if state.get("status") == "ok")
    return CheckResult("Scheduler", True, f"{len(jobs)} jobs scheduled, {ran} ran successfully")


def check_web() -> CheckResult:
    if _manager() == "none":
        return _skipped("Web", "no process manager configured (processes.manager = none)")
    url = tk.config.get("ckan.site_url").rstrip("/") + "/health"
    try:
        response = requests.get(url, timeout=_timeout())
    except requests.RequestException as error:
        return CheckResult("Web", False, f"{url} does not answer: {error}")
    if response.status_code != 200:
        return CheckResult("Web", False, f"{url} answers {response.status_code}: {response.text}")
    return CheckResult("Web", True, f"{url} answers 200")


SERVICE_CHECKS: tuple[Callable[[], CheckResult], ...] = (
    check_postgresql,
    check_solr,
    check_redis,
    check_plugins,
    check_queues,
)
PROCESS_CHECKS: tuple[Callable[[], CheckResult], ...] = (
    check_processes,
    check_web,
    check_scheduler,
)


def run_checks(services_only: bool = False) -> list[CheckResult]:
    checks = SERVICE_CHECKS if services_only else SERVICE_CHECKS + PROCESS_CHECKS
    return [check() for check in checks]
