"""`ckan datenraum doctor` reports each service, and names the one that is down.

Runs the real ``ckan`` command in a subprocess: the doctor must read the configuration it is
started with, and CKAN's env-var overrides (``CKAN_SOLR_URL``, ``CKAN_REDIS_URL``) point one
service at a closed port without touching the shared services.
"""

from __future__ import annotations

import datetime
import os
import subprocess

from ckanext.datenraum.doctor import (
    parse_systemctl_units,
    process_verdict,
    redact_password,
    schedule_problems,
    solr_schema_version,
)
from ckanext.datenraum.ops.schedule import ScheduledJob

from .conftest import REPO_ROOT

CKAN_COMMAND = REPO_ROOT / ".venv" / "bin" / "ckan"


def run_doctor(ini=REPO_ROOT / "test.ini", **env_overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CKAN_COMMAND), "-c", str(ini), "datenraum", "doctor"],
        env=dict(os.environ, **env_overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _verdicts(output: str) -> dict[str, str]:
    """{'PostgreSQL': 'OK', 'Solr': 'FAIL', 'Processes': 'SKIP', ...} from the output lines."""
    verdicts = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in {"OK", "FAIL", "SKIP"}:
            verdicts[parts[1]] = parts[0]
    return verdicts


def test_doctor_reports_every_service_healthy():
    result = run_doctor()

    assert result.returncode == 0, result.stdout + result.stderr
    assert _verdicts(result.stdout) == {
        "PostgreSQL": "OK",
        "Solr": "OK",
        "Redis": "OK",
        "Plugins": "OK",
        "Queues": "OK",
        # test.ini names no process manager: nothing to check, and no failure
        "Processes": "SKIP",
        "Web": "SKIP",
        "Scheduler": "SKIP",
    }


def test_doctor_names_solr_and_fails_when_solr_is_unreachable(free_port):
    result = run_doctor(CKAN_SOLR_URL=f"http://127.0.0.1:{free_port}/solr/ckan_test")

    assert result.returncode == 1
    assert _verdicts(result.stdout) == {
        "PostgreSQL": "OK",
        "Solr": "FAIL",
        "Redis": "OK",
        "Plugins": "OK",
        "Queues": "OK",
        "Processes": "SKIP",
        "Web": "SKIP",
        "Scheduler": "SKIP",
    }
    assert f"127.0.0.1:{free_port}" in result.stdout
    assert "unhealthy: Solr" in result.stderr


def test_doctor_names_redis_when_unreachable(free_port):
    result = run_doctor(CKAN_REDIS_URL=f"redis://127.0.0.1:{free_port}/1")

    assert result.returncode == 1
    assert _verdicts(result.stdout)["Redis"] == "FAIL"
    assert _verdicts(result.stdout)["Solr"] == "OK"


def test_doctor_reports_a_required_plugin_that_is_not_enabled(tmp_path):
    ini = tmp_path / "doctor.ini"
    ini.write_text(
        f"[app:main]\nuse = config:{REPO_ROOT / 'test.ini'}\n"
        "ckanext.datenraum.required_plugins = datenraum dcat spatial_metadata\n"
    )

    result = run_doctor(ini)

    assert result.returncode == 1
    assert _verdicts(result.stdout)["Plugins"] == "FAIL"
    assert "spatial_metadata" in result.stdout


def test_redact_password_hides_only_the_password():
    assert (
        redact_password("postgresql://ckan:s3cret@127.0.0.1:5432/ckan")
        == "postgresql://ckan:***@127.0.0.1:5432/ckan"
    )
    assert redact_password("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_solr_schema_version_reads_ckan_name_attribute():
    assert solr_schema_version('<schema name="ckan-2.12" version="1.6"/>') == "2.12"
    assert solr_schema_version('<schema name="example" version="2.8"/>') == "2.8"


def test_doctor_fails_when_the_configured_supervisor_does_not_answer(tmp_path):
    ini = tmp_path / "doctor.ini"
    ini.write_text(
        f"[app:main]\nuse = config:{REPO_ROOT / 'test.ini'}\n"
        "ckanext.datenraum.processes.manager = supervisor\n"
        f"ckanext.datenraum.processes.supervisor_url = unix://{tmp_path}/nothing.sock\n"
    )

    result = run_doctor(ini)

    assert result.returncode == 1
    verdicts = _verdicts(result.stdout)
    assert verdicts["Processes"] == "FAIL"
    assert verdicts["Scheduler"] == "FAIL"  # no heartbeat: no scheduler runs
    assert "nothing.sock" in result.stdout


def test_doctor_services_only_leaves_the_process_set_out(tmp_path):
    ini = tmp_path / "doctor.ini"
    ini.write_text(
        f"[app:main]\nuse = config:{REPO_ROOT / 'test.ini'}\n"
        "ckanext.datenraum.processes.manager = supervisor\n"
    )

    result = subprocess.run(
        [str(CKAN_COMMAND), "-c", str(ini), "datenraum", "doctor", "--services-only"],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert set(_verdicts(result.stdout)) == {"PostgreSQL", "Solr", "Redis", "Plugins", "Queues"}


def test_process_verdict_names_every_process_not_running():
    healthy, detail = process_verdict(
        {
            "web": ["RUNNING"],
            "harvest-gather": ["RUNNING"],
            "harvest-fetch": ["RUNNING", "FATAL"],
            "jobs": ["RUNNING"],
        }
    )

    assert not healthy
    assert "harvest-fetch 1/2 running (FATAL)" in detail
    assert "scheduler 0/0 running (not configured)" in detail


def test_process_verdict_is_healthy_when_all_run():
    healthy, detail = process_verdict(
        {name: ["RUNNING"] for name in ("web", "harvest-gather", "jobs", "scheduler")}
        | {"harvest-fetch": ["RUNNING", "RUNNING", "RUNNING"]}
    )

    assert healthy
    assert "harvest-fetch 3/3" in detail


def test_systemctl_units_are_read_by_name_and_active_state():
    output = (
        "datenraum-web.service loaded active running Datenraum CKAN web server (gunicorn)\n"
        "datenraum-harvest-fetch@1.service loaded failed failed Datenraum harvest fetch 1\n"
    )

    assert parse_systemctl_units(output) == {
        "datenraum-web.service": "active",
        "datenraum-harvest-fetch@1.service": "failed",
    }


def test_schedule_problems_names_failed_and_overdue_jobs():
    now = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
    jobs = [
        ScheduledJob("harvest-run", "1m", "harvest_jobs_run"),
        ScheduledJob("usage-aggregate", "1h", "datenraum_usage_aggregate"),
        ScheduledJob("usage-quality", "30 3 * * *", "datenraum_usage_quality_score"),
    ]
    states = {
        "harvest-run": {"status": "error", "finished": "2026-03-02T11:59:00+00:00", "message": "x"},
        "usage-aggregate": {"status": "ok", "finished": "2026-03-02T08:00:00+00:00"},
        "usage-quality": {"status": "ok", "finished": "2026-03-02T03:31:00+00:00"},
    }

    problems = schedule_problems(jobs, states, now)

    assert problems == [
        "harvest-run failed at 2026-03-02T11:59:00+00:00: x",
        "usage-aggregate has not succeeded since 2026-03-02T08:00:00+00:00",
    ]
