"""The systemd units in deploy/systemd are the process set's, and systemd accepts them."""

from __future__ import annotations

import pathlib
import shutil
import subprocess

import pytest

from ckanext.datenraum.ops import processes
from tests.ops.conftest import REPO_ROOT

SHIPPED = REPO_ROOT / "deploy" / "systemd"
# The layout deploy/README.md documents.
PRODUCTION = processes.Layout(
    venv=pathlib.Path("/srv/datenraum/venv"),
    ini=pathlib.Path("/etc/ckan/datenraum/ckan.ini"),
    workdir=pathlib.Path("/srv/datenraum"),
)


def test_the_shipped_units_are_the_generated_ones():
    generated = processes.systemd_units(PRODUCTION, user="ckan")

    shipped = {path.name: path.read_text() for path in SHIPPED.iterdir()}
    assert shipped == generated
    assert sorted(shipped) == [
        "datenraum-harvest-fetch@.service",
        "datenraum-harvest-gather.service",
        "datenraum-jobs.service",
        "datenraum-scheduler.service",
        "datenraum-web.service",
        "datenraum.target",
    ]


def test_the_target_wants_every_process_of_the_set():
    target = processes.systemd_units(PRODUCTION, user="ckan")["datenraum.target"]

    (wants,) = [line for line in target.splitlines() if line.startswith("Wants=")]
    assert wants.removeprefix("Wants=").split() == processes.systemd_unit_names(2)
    assert processes.systemd_unit_names(3)[2:5] == [
        "datenraum-harvest-fetch@1.service",
        "datenraum-harvest-fetch@2.service",
        "datenraum-harvest-fetch@3.service",
    ]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_analyze_verifies_the_units_for_this_checkout(tmp_path, base_ini):
    layout = processes.Layout(venv=REPO_ROOT / ".venv", ini=base_ini, workdir=tmp_path)
    units = processes.systemd_units(layout, user="root")
    for name, text in units.items():
        (tmp_path / name).write_text(text)
    instances = [name.replace("@.", "@1.") for name in units]

    result = subprocess.run(
        ["systemd-analyze", "verify", *instances],
        cwd=tmp_path,
        env={"SYSTEMD_UNIT_PATH": f"{tmp_path}:", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    # verify only warns about unknown keys: any output is a finding
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_analyze_would_catch_a_missing_program(tmp_path, base_ini):
    layout = processes.Layout(venv=tmp_path / "no-venv", ini=base_ini, workdir=tmp_path)
    (tmp_path / "datenraum-web.service").write_text(
        processes.systemd_units(layout, user="root")["datenraum-web.service"]
    )

    result = subprocess.run(
        ["systemd-analyze", "verify", "datenraum-web.service"],
        cwd=tmp_path,
        env={"SYSTEMD_UNIT_PATH": f"{tmp_path}:", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "is not executable" in result.stderr
