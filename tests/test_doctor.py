"""`ckan datenraum doctor` reports each service, and names the one that is down.

Runs the real ``ckan`` command in a subprocess: the doctor must read the configuration it is
started with, and CKAN's env-var overrides (``CKAN_SOLR_URL``, ``CKAN_REDIS_URL``) point one
service at a closed port without touching the shared services.
"""

from __future__ import annotations

import os
import subprocess

from ckanext.datenraum.doctor import redact_password, solr_schema_version

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
    """{'PostgreSQL': 'OK', 'Solr': 'FAIL', ...} from the doctor's output lines."""
    verdicts = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in {"OK", "FAIL"}:
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
    }


def test_doctor_names_solr_and_fails_when_solr_is_unreachable(free_port):
    result = run_doctor(CKAN_SOLR_URL=f"http://127.0.0.1:{free_port}/solr/ckan_test")

    assert result.returncode == 1
    assert _verdicts(result.stdout) == {
        "PostgreSQL": "OK",
        "Solr": "FAIL",
        "Redis": "OK",
        "Plugins": "OK",
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
