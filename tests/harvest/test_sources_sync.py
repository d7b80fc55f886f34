"""Harvest sources as code: the YAML folder and `ckan datenraum harvest-sources sync`."""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
import sys

import pytest
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.harvest.model import HarvestSource

from ckanext.datenraum.harvest.sources import SourceFileError, load_sources
from ckanext.datenraum.harvest.sync import apply_sync, plan_sync
from tests.harvest.conftest import REPO_ROOT

SHIPPED = REPO_ROOT / "harvest_sources"


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "harvest_sources"
    shutil.copytree(SHIPPED, target)
    return target


@pytest.fixture
def jena(with_plugins, clean_db, clean_index):
    return factories.Organization(name="stadt-jena")


def _sources() -> dict[str, HarvestSource]:
    return {source.url: source for source in HarvestSource.filter().all()}


def test_shipped_files_declare_one_source_per_protocol():
    sources = load_sources(SHIPPED)

    assert sorted(source.type for source in sources) == [
        "datenraum_ckan",
        "datenraum_csw",
        "datenraum_dcat",
        "datenraum_gtfs",
        "datenraum_oaipmh",
    ]
    assert not any(source.allow_private_targets for source in sources)


def test_invalid_files_are_reported_with_file_and_key(folder):
    (folder / "broken.yaml").write_text(
        "name: Broken Name\ntitle: x\ntype: ftp\nurl: file:///etc/passwd\norganization: o\n"
        "withdrawal_guard: 3\nsurprise: 1\n"
    )

    with pytest.raises(SourceFileError) as raised:
        load_sources(folder)

    problems = {(file, key) for file, key, _message in raised.value.problems}
    assert problems == {
        ("broken.yaml", "name"),
        ("broken.yaml", "type"),
        ("broken.yaml", "url"),
        ("broken.yaml", "withdrawal_guard"),
        ("broken.yaml", "surprise"),
    }


def test_sync_creates_every_source_of_the_folder(jena, folder):
    apply_sync(plan_sync(folder))

    sources = _sources()
    assert len(sources) == 5
    csw = sources["https://www.geoportal-th.de/geonetwork/srv/ger/csw"]
    assert csw.type == "datenraum_csw"
    assert csw.active
    assert json.loads(csw.config)["mapping"]["page_size"] == 50
    assert plan_sync(folder).unchanged and not plan_sync(folder).update


def test_sync_updates_a_changed_file_and_only_that_source(jena, folder):
    apply_sync(plan_sync(folder))
    path = folder / "jenah-gtfs.yaml"
    path.write_text(path.read_text().replace("frequency: WEEKLY", "frequency: DAILY"))

    plan = plan_sync(folder)
    apply_sync(plan)

    assert [(source.name, changed) for source, changed in plan.update] == [
        ("jenah-gtfs", ["frequency"])
    ]
    assert call_action("harvest_source_show", id="jenah-gtfs")["frequency"] == "DAILY"


def test_sync_deactivates_a_removed_file_but_not_hand_made_sources(jena, folder):
    apply_sync(plan_sync(folder))
    call_action(
        "harvest_source_create",
        {"user": factories.Sysadmin()["name"]},
        name="by-hand",
        url="https://example.org/by-hand",
        source_type="datenraum_dcat",
        owner_org=jena["id"],
    )
    (folder / "uni-jena-oai.yaml").unlink()

    plan = plan_sync(folder)
    apply_sync(plan)

    assert plan.deactivate == ["uni-jena-oai"]
    active = {source.url: source.active for source in HarvestSource.filter().all()}
    assert active["https://www.db-thueringen.de/servlets/OAIDataProvider"] is False
    assert active["https://example.org/by-hand"] is True

    shutil.copy(SHIPPED / "uni-jena-oai.yaml", folder)  # the file comes back: reactivated
    apply_sync(plan_sync(folder))
    assert HarvestSource.get(call_action("harvest_source_show", id="uni-jena-oai")["id"]).active


def test_sync_with_an_invalid_file_changes_nothing_and_names_file_and_key(jena, folder, cli):
    (folder / "zz-bad.yaml").write_text(
        (SHIPPED / "jenah-gtfs.yaml")
        .read_text()
        .replace("name: jenah-gtfs", "name: x2")
        .replace("frequency: WEEKLY", "frequency: HOURLY")
    )

    result = cli.invoke(ckan_cli, ["datenraum", "harvest-sources", "sync", "--folder", str(folder)])

    assert result.exit_code == 1
    assert "zz-bad.yaml: key 'frequency'" in result.output
    assert _sources() == {}


def test_sync_rejects_an_unknown_organisation_before_changing_anything(jena, folder):
    path = folder / "jenah-gtfs.yaml"
    path.write_text(path.read_text().replace("organization: stadt-jena", "organization: nowhere"))

    with pytest.raises(SourceFileError, match="jenah-gtfs.yaml: key 'organization'"):
        plan_sync(folder)
    assert _sources() == {}


def test_dry_run_lists_the_plan_and_changes_nothing(jena, folder, cli):
    result = cli.invoke(
        ckan_cli, ["datenraum", "harvest-sources", "sync", "--dry-run", "--folder", str(folder)]
    )

    assert result.exit_code == 0, result.output
    assert "create      geoportal-thueringen-csw" in result.output
    assert _sources() == {}


def test_the_real_sync_command_logs_no_error_for_the_sources_it_creates(jena, request):
    """Issue 11 item 13: ckanext-harvest logged "Harvest source not found" once per created
    source (its row was not flushed when package_create showed the new dataset)."""
    ckan_command = pathlib.Path(sys.executable).with_name("ckan")
    ini = request.config.getoption("ckan_ini")
    result = subprocess.run(
        [str(ckan_command), "-c", ini, "datenraum", "harvest-sources", "sync", "--folder", SHIPPED],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert "synced: 5 created" in result.stdout
    assert "ERROR" not in result.stderr, result.stderr[-2000:]


def test_every_command_the_harvest_modules_name_exists(cli):
    """Docstrings name only commands that exist (the runner named a "harvest-sources run")."""
    named = {
        match.group(1)
        for path in (REPO_ROOT / "ckanext" / "datenraum" / "harvest").rglob("*.py")
        for match in re.finditer(r"ckan datenraum ([\w-]+(?: [a-z][\w-]*)?)", path.read_text())
    }

    assert "harvest-sources sync" in named
    for command in sorted(named):
        result = cli.invoke(ckan_cli, ["datenraum", *command.split(), "--help"])
        assert result.exit_code == 0, (command, result.output)
