"""The wheel installs like any CKAN extension and runs outside the checkout.

Builds the wheel with pip (``pip wheel --no-deps``; no build isolation, so the build needs no
download: setuptools, wheel and Babel come from the project's virtualenv), installs it into a
fresh virtualenv in a temporary folder and starts gunicorn there with the production example
configuration (deploy/ckan.production.ini). CKAN and the other extensions come from the
project's virtualenv through a path entry; the checkout itself is not on the path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile

import pytest
import requests
from ckan.common import config

from tests.ops.conftest import REPO_ROOT, VENV_BIN, free_tcp_port

GERMAN_FOOTER = "Urbaner Datenraum: offene Daten für das Gemeinwohl"  # i18n/de, footer.html


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    target = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            str(VENV_BIN / "pip"),
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(target),
            str(REPO_ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (built,) = target.glob("ckanext_datenraum-*.whl")
    return built


def test_the_wheel_carries_schemas_compiled_translations_and_harvest_sources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())

    assert {
        "ckanext/datenraum/schemas/dataset.yaml",
        "ckanext/datenraum/schemas/organization.yaml",
        "ckanext/datenraum/schemas/presets.yaml",
        "ckanext/datenraum/locale/de/LC_MESSAGES/ckanext-datenraum.mo",
        "ckanext/datenraum/locale/en/LC_MESSAGES/ckanext-datenraum.mo",
    } <= names
    shipped_sources = {path.name for path in (REPO_ROOT / "harvest_sources").glob("*.yaml")}
    assert shipped_sources
    assert {f"ckanext/datenraum/harvest_sources/{name}" for name in shipped_sources} <= names
    assert not [name for name in names if name.startswith(("tests/", "var/", "solr/"))]


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """A fresh virtualenv outside the checkout with the wheel installed."""
    root = tmp_path_factory.mktemp("installed")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # CKAN and the other extensions from the project's virtualenv: a plain path entry, so the
    # project's own .pth files (which put the checkout on the path) are not processed.
    project_site = next((REPO_ROOT / ".venv" / "lib").glob("python3.*/site-packages"))
    (site,) = (venv / "lib").glob("python3.*/site-packages")
    (site / "zz-project-dependencies.pth").write_text(f"{project_site}\n")
    return root, venv


def test_the_installed_package_is_the_wheels_not_the_checkout(installed):
    root, venv = installed
    probe = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import json, sys, ckanext.datenraum as d; print(json.dumps([d.__file__, sys.path]))",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    package_file, path = json.loads(probe.stdout)

    assert package_file.startswith(str(venv))
    assert str(REPO_ROOT) not in path


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_ckan_runs_from_the_wheel_with_the_production_example(installed):
    root, venv = installed
    example = root / "ckan.production.ini"
    example.write_text((REPO_ROOT / "deploy" / "ckan.production.ini").read_text())
    port = free_tcp_port()
    # The services of the test run, in place of the example's CHANGE-ME values.
    site = root / "site.ini"
    site.write_text(
        f"[app:main]\nuse = config:{example}\n"
        "SECRET_KEY = wheel-test-only\nWTF_CSRF_SECRET_KEY = wheel-test-only\n"
        f"ckan.site_url = http://127.0.0.1:{port}\n"
        f"sqlalchemy.url = {config['sqlalchemy.url']}\n"
        f"solr_url = {config['solr_url']}\n"
        f"ckan.redis.url = {config['ckan.redis.url']}\n"
        f"ckan.storage_path = {root / 'storage'}\n"
        f"ckan.harvest.mq.port = {config['ckan.harvest.mq.port']}\n"
        f"ckan.harvest.mq.redis_db = {config['ckan.harvest.mq.redis_db']}\n"
        f"ckanext.datenraum.harvest.sources_dir =\n"
    )
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("CKAN", "PYTHON"))
    }
    env.update(
        CKAN_INI=str(site), DATENRAUM_WEB_BIND=f"127.0.0.1:{port}", DATENRAUM_WEB_WORKERS="1"
    )
    log = root / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [
                str(venv / "bin" / "python"),
                "-m",
                "gunicorn",
                "--config",
                "python:ckanext.datenraum.ops.gunicorn_conf",
                "ckanext.datenraum.ops.wsgi:create_application()",
            ],
            cwd=root,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300
        while True:
            assert server.poll() is None, log.read_text()
            try:
                if requests.get(f"{base}/health/live", timeout=30).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or the worker still loads
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(1)

        schema = requests.get(
            f"{base}/api/3/action/scheming_dataset_schema_show",
            params={"type": "dataset"},
            timeout=60,
        ).json()["result"]
        page = requests.get(f"{base}/de/dataset/", timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=60)

    fields = {field["field_name"]: field for field in schema["dataset_fields"]}
    assert fields["contributor_id"]["label"]["de"] == "Datenbereitsteller-ID (dcat-ap.de)"
    assert page.status_code == 200
    assert GERMAN_FOOTER in page.text
    # gunicorn's access log survives CKAN's logging setup, without address, agent or query
    # (the path as CKAN leaves it: its i18n middleware takes the /de/ prefix off)
    served = log.read_text()
    assert '"GET /dataset/ HTTP/1.1" 200' in served
    assert "python-requests" not in served and "type=dataset" not in served
